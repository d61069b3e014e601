import { type Locale, type LocalizedText, localize } from '../../../shared/errors.ts';
import {
  type Address,
  type Building,
  CARE_TAG_LABELS,
  CARE_TAGS,
  type CoverageFigures,
  FACILITY_STATUS_LABELS,
  FACILITY_TYPE_LABELS,
  FACILITY_TYPES,
  type Facility,
  HOUSE_USE_LABELS,
  type House,
  ORGANISATION_TYPE_LABELS,
  ORGANISATION_TYPES,
  type Organisation,
  RELATION_LABELS,
  RESIDENT_KIND_LABELS,
  type RegistryEntity,
  type Resident,
  SEX_LABELS,
  type SensitiveValue,
} from '../../../shared/registry.ts';
import type { Visibility } from '../../../shared/registry-policy.ts';
import { ageOn, maskIdNumber, maskPhone } from '../../../shared/registry-validation.ts';
import type { AddressView } from './address.repository.ts';
import type { BuildingView } from './building.repository.ts';
import type { FacilityView } from './facility.repository.ts';
import type { HouseView } from './house.repository.ts';
import type { OrganisationView } from './organisation.repository.ts';
import type { AddressPartColumns, CoverageCounts } from './registry.repository.ts';
import { REGISTRY_COLUMNS } from './registry-columns.ts';
import { shortVillageName } from './registry-place.ts';
import type { ResidentView } from './resident.repository.ts';

/** How the one reading sees personal data, decided by registry.policy.ts. */
export interface ViewerRights {
  idNumber: Visibility;
  phone: Visibility;
  care: boolean;
  now: Date;
}

function sensitive(
  value: string | null,
  visibility: Visibility,
  mask: (v: string) => string,
): SensitiveValue {
  if (value === null) return null;
  if (visibility === 'clear') return { value, masked: false, revealable: false };
  return { value: mask(value), masked: true, revealable: visibility === 'reveal' };
}

interface Placed {
  region_code: string;
  region_name: string | null;
  village_name: string | null;
}

function place(row: Placed, lon: number | null, lat: number | null) {
  return {
    regionCode: row.region_code,
    regionName: row.region_name ?? row.region_code,
    villageName: row.village_name ? shortVillageName(row.village_name) : null,
    lon,
    lat,
  };
}

function stamps(row: { version: number; created_at: Date; updated_at: Date }) {
  return {
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** An address as other records show it: its text, and its text with the village. */
export function addressSummary(id: number, text: string, villageName: string | null) {
  return { id, text, fullText: `${villageName ? shortVillageName(villageName) : ''}${text}` };
}

export function presentAddress(row: AddressView): Address {
  return {
    id: row.id,
    road: row.road,
    number: row.number,
    building: row.building,
    unit: row.unit,
    room: row.room,
    text: row.canonical_text,
    fullText: addressSummary(row.id, row.canonical_text, row.village_name).fullText,
    ...place(row, row.lon, row.lat),
    ...stamps(row),
  };
}

/** The address of a record that may have none (buildings, organisations, facilities). */
function optionalAddress(row: {
  address_id: number | null;
  address_text: string | null;
  village_name: string | null;
}) {
  return row.address_id !== null && row.address_text !== null
    ? addressSummary(row.address_id, row.address_text, row.village_name)
    : null;
}

export function presentBuilding(row: BuildingView): Building {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    floors: row.floors,
    address: optionalAddress(row),
    houseCount: row.house_count,
    ...place(row, row.lon, row.lat),
    ...stamps(row),
  };
}

export function presentHouse(row: HouseView, rights: ViewerRights): House {
  return {
    id: row.id,
    address: addressSummary(row.address_id, row.address_text, row.village_name),
    use: row.use,
    buildingId: row.building_id,
    buildingCode: row.building_code,
    areaSquareMetres: row.area_m2,
    landlordName: row.landlord_name,
    landlordPhone: sensitive(row.landlord_phone, rights.phone, maskPhone),
    landlordIdNumber: sensitive(row.landlord_id_number, rights.idNumber, maskIdNumber),
    residentCount: row.resident_count,
    ...place(row, row.address_lon, row.address_lat),
    ...stamps(row),
  };
}

export function presentResident(row: ResidentView, rights: ViewerRights): Resident {
  return {
    id: row.id,
    name: row.name,
    idNumber: sensitive(row.id_number, rights.idNumber, maskIdNumber),
    sex: row.sex,
    birthDate: row.birth_date,
    age: ageOn(row.birth_date, rights.now),
    phone: sensitive(row.phone, rights.phone, maskPhone),
    kind: row.kind,
    houseId: row.house_id,
    address: addressSummary(row.address_id, row.address_text, row.village_name),
    householdNo: row.household_no,
    relation: row.relation,
    careTags: rights.care ? row.care_tags : [],
    ...place(row, row.lon, row.lat),
    ...stamps(row),
  };
}

export function presentOrganisation(row: OrganisationView, rights: ViewerRights): Organisation {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    uscc: row.uscc,
    contactName: row.contact_name,
    contactPhone: sensitive(row.contact_phone, rights.phone, maskPhone),
    address: optionalAddress(row),
    ...place(row, row.lon, row.lat),
    ...stamps(row),
  };
}

export function presentFacility(row: FacilityView): Facility {
  return {
    id: row.id,
    code: row.code,
    type: row.type,
    name: row.name,
    status: row.status,
    lastCheckedOn: row.last_checked_on,
    address: optionalAddress(row),
    ...place(row, row.lon, row.lat),
    ...stamps(row),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Export rows: the import columns (so a file can be corrected and imported again), then facts the file only
// reports. Personal data is masked as the reader sees it; a masked ID number cannot be imported back.

/** Facts an export adds after the import columns. */
const EXPORT_EXTRAS: Record<RegistryEntity, { key: string; label: LocalizedText }[]> = {
  address: [],
  building: [{ key: 'houseCount', label: { zh: '房屋数', en: 'Houses' } }],
  house: [{ key: 'residentCount', label: { zh: '居住人数', en: 'Residents' } }],
  resident: [
    { key: 'sex', label: { zh: '性别', en: 'Sex' } },
    { key: 'birthDate', label: { zh: '出生日期', en: 'Born' } },
  ],
  organisation: [],
  facility: [],
};
const COMMON_EXTRAS = [
  { key: 'id', label: { zh: '系统编号', en: 'Record id' } },
  { key: 'regionName', label: { zh: '所属网格', en: 'Grid' } },
  { key: 'villageName', label: { zh: '所属村居', en: 'Village' } },
];

type Cells = Record<string, string | number | null | undefined>;

function addressCells(view: AddressPartColumns): Cells {
  return {
    road: view.address_road,
    number: view.address_number,
    building: view.address_building,
    unit: view.address_unit,
    room: view.address_room,
  };
}

function shown(value: string | null, visibility: Visibility, mask: (v: string) => string): string | null {
  return sensitive(value, visibility, mask)?.value ?? null;
}

export function exportSheet(entity: RegistryEntity, rights: ViewerRights, locale: Locale) {
  const label = (text: LocalizedText) => localize(text, locale);
  const choice = (labels: Record<string, LocalizedText>, value: string | null) =>
    value === null ? null : label(labels[value] ?? { zh: value, en: value });
  const columns = [
    ...REGISTRY_COLUMNS[entity].map((c) => ({ key: c.field, label: c.label })),
    ...EXPORT_EXTRAS[entity],
    ...COMMON_EXTRAS,
  ];
  const cellsOf = (view: RegistryView): Cells => {
    const common = {
      id: view.id,
      regionCode: view.region_code,
      regionName: view.region_name,
      villageName: view.village_name ? shortVillageName(view.village_name) : null,
    };
    switch (entity) {
      case 'address': {
        const v = view as AddressView;
        return {
          ...common,
          road: v.road,
          number: v.number,
          building: v.building,
          unit: v.unit,
          room: v.room,
          lon: v.lon,
          lat: v.lat,
        };
      }
      case 'building': {
        const v = view as BuildingView;
        return {
          ...common,
          ...addressCells(v),
          code: v.code,
          name: v.name,
          floors: v.floors,
          lon: v.lon,
          lat: v.lat,
          houseCount: v.house_count,
        };
      }
      case 'house': {
        const v = view as HouseView;
        return {
          ...common,
          ...addressCells(v),
          use: choice(HOUSE_USE_LABELS, v.use),
          buildingCode: v.building_code,
          areaSquareMetres: v.area_m2,
          landlordName: v.landlord_name,
          landlordPhone: shown(v.landlord_phone, rights.phone, maskPhone),
          landlordIdNumber: shown(v.landlord_id_number, rights.idNumber, maskIdNumber),
          lon: v.address_lon,
          lat: v.address_lat,
          residentCount: v.resident_count,
        };
      }
      case 'resident': {
        const v = view as ResidentView;
        return {
          ...common,
          ...addressCells(v),
          name: v.name,
          idNumber: shown(v.id_number, rights.idNumber, maskIdNumber),
          phone: shown(v.phone, rights.phone, maskPhone),
          kind: choice(RESIDENT_KIND_LABELS, v.kind),
          householdNo: v.household_no,
          relation: choice(RELATION_LABELS, v.relation),
          careTags: rights.care
            ? v.care_tags.map((t) => label(CARE_TAG_LABELS[t])).join(locale === 'en-US' ? '; ' : '、')
            : null,
          lon: v.lon,
          lat: v.lat,
          sex: choice(SEX_LABELS, v.sex),
          birthDate: v.birth_date,
        };
      }
      case 'organisation': {
        const v = view as OrganisationView;
        return {
          ...common,
          ...addressCells(v),
          name: v.name,
          type: choice(ORGANISATION_TYPE_LABELS, v.type),
          uscc: v.uscc,
          contactName: v.contact_name,
          contactPhone: shown(v.contact_phone, rights.phone, maskPhone),
          lon: v.lon,
          lat: v.lat,
        };
      }
      case 'facility': {
        const v = view as FacilityView;
        return {
          ...common,
          code: v.code,
          type: choice(FACILITY_TYPE_LABELS, v.type),
          name: v.name,
          status: choice(FACILITY_STATUS_LABELS, v.status),
          lastCheckedOn: v.last_checked_on,
          lon: v.lon,
          lat: v.lat,
        };
      }
    }
  };
  return {
    headers: columns.map((c) => label(c.label)),
    row(view: RegistryView): string[] {
      const cells = cellsOf(view);
      return columns.map((c) => {
        const value = cells[c.key];
        return value === null || value === undefined ? '' : String(value);
      });
    },
  };
}

export type RegistryView =
  | AddressView
  | BuildingView
  | HouseView
  | ResidentView
  | OrganisationView
  | FacilityView;

/** The coverage figures of a region, summed over the counts of its parts. */
export function coverageFigures(list: readonly CoverageCounts[]): CoverageFigures {
  const sum = (pick: (c: CoverageCounts) => number) => list.reduce((total, c) => total + pick(c), 0);
  const byType = (types: readonly string[], pick: (c: CoverageCounts) => Record<string, number>) =>
    Object.fromEntries(types.map((t) => [t, sum((c) => pick(c)[t] ?? 0)]));
  return {
    addresses: sum((c) => c.addresses),
    buildings: sum((c) => c.buildings),
    houses: sum((c) => c.houses),
    rentalHouses: sum((c) => c.rental_houses),
    households: sum((c) => c.households),
    residents: sum((c) => c.residents),
    registeredResidents: sum((c) => c.registered),
    floatingResidents: sum((c) => c.floating),
    careResidents: byType(CARE_TAGS, (c) => c.care),
    organisations: sum((c) => Object.values(c.organisations).reduce((a, b) => a + b, 0)),
    organisationsByType: byType(ORGANISATION_TYPES, (c) => c.organisations),
    facilities: sum((c) => Object.values(c.facilities).reduce((a, b) => a + b, 0)),
    facilitiesByType: byType(FACILITY_TYPES, (c) => c.facilities),
  } as CoverageFigures;
}
