import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type {
  CareTag,
  FacilityStatus,
  FacilityType,
  HouseUse,
  OrganisationType,
  Relation,
  ResidentKind,
} from '../../../shared/registry.ts';

/** Where a record lies: its leaf grid (or the village given without a point) and the county of the scale path. */
interface Located {
  county_code: string;
  region_code: string;
}

interface Stamped {
  version: Generated<number>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

export interface AddressTable extends Located, Stamped {
  id: Generated<number>;
  village_code: string;
  road: string;
  number: string;
  building: string | null;
  unit: string | null;
  room: string | null;
  canonical_text: string;
  search_text: string;
  search_grams: string[];
  lon: number | null;
  lat: number | null;
}
export type AddressRow = Selectable<AddressTable>;
export type NewAddressRow = Insertable<AddressTable>;

export interface BuildingTable extends Located, Stamped {
  id: Generated<number>;
  code: string;
  name: string;
  floors: number | null;
  address_id: number | null;
  lon: number | null;
  lat: number | null;
  search_text: string;
  search_grams: string[];
}
export type BuildingRow = Selectable<BuildingTable>;

export interface HouseTable extends Located, Stamped {
  id: Generated<number>;
  address_id: number;
  building_id: number | null;
  use: HouseUse;
  area_m2: number | null;
  landlord_name: string | null;
  landlord_phone: string | null;
  landlord_id_number: string | null;
}
export type HouseRow = Selectable<HouseTable>;

export interface ResidentTable extends Located, Stamped {
  id: Generated<number>;
  id_number: string;
  name: string;
  sex: 'male' | 'female';
  /** YYYY-MM-DD (a civil date; the driver keeps it as text). */
  birth_date: string;
  phone: string | null;
  kind: ResidentKind;
  house_id: number;
  household_no: string | null;
  relation: Relation | null;
  care_tags: ColumnType<CareTag[], CareTag[] | undefined, CareTag[]>;
}
export type ResidentRow = Selectable<ResidentTable>;

export interface OrganisationTable extends Located, Stamped {
  id: Generated<number>;
  name: string;
  type: OrganisationType;
  uscc: string | null;
  address_id: number | null;
  contact_name: string | null;
  contact_phone: string | null;
  lon: number | null;
  lat: number | null;
  search_text: string;
  search_grams: string[];
}
export type OrganisationRow = Selectable<OrganisationTable>;

export interface FacilityTable extends Located, Stamped {
  id: Generated<number>;
  code: string;
  type: FacilityType;
  name: string | null;
  status: FacilityStatus;
  last_checked_on: string | null;
  address_id: number | null;
  lon: number;
  lat: number;
  search_text: string;
  search_grams: string[];
}
export type FacilityRow = Selectable<FacilityTable>;

export interface ImportTable {
  id: Generated<number>;
  entity: string;
  file_name: string;
  actor_id: number | null;
  actor_name: string;
  scope_code: string;
  status: 'running' | 'done' | 'failed';
  total: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  headers: ColumnType<string[], string | undefined, string>;
  failure: string | null;
  started_at: Date;
  finished_at: Date | null;
}
export type ImportRow = Selectable<ImportTable>;

export interface ImportRejectTable {
  import_id: number;
  row_number: number;
  cells: ColumnType<string[], string, never>;
  reasons: ColumnType<{ zh: string; en: string }[], string, never>;
}
