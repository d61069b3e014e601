import type { ColumnType, Generated, Selectable } from 'kysely';

/** A civil date, YYYY-MM-DD (the driver keeps it as text). */
type CivilDate = ColumnType<string, string, string>;

/** A public self-registration (报备): who arrived from where, when, and the destination it was placed into. */
export interface RegistrationTable {
  id: Generated<number>;
  receipt_code: Generated<string>;
  client_key: string | null;
  name: string;
  id_number: string;
  phone: string;
  origin: string;
  arrived_at: Date;
  registered_at: Date;
  window_hours: number;
  late: boolean;
  address: string;
  lon: number | null;
  lat: number | null;
  region_code: string;
  village_code: string;
  county_code: string;
  day: CivilDate;
  confirmed_at: Date | null;
  confirmed_by: number | null;
  confirm_note: string | null;
  version: Generated<number>;
  synthetic: Generated<boolean>;
}
export type RegistrationRow = Selectable<RegistrationTable>;

export interface RegistrationTables {
  registrations: RegistrationTable;
}
