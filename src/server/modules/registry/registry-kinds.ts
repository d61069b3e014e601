import type { LocalizedText } from '../../../shared/errors.ts';
import {
  type AddressInput,
  type BuildingInput,
  type CareTag,
  FACILITY_TYPE_LABELS,
  FACILITY_TYPES,
  type FacilityInput,
  HOUSE_USE_LABELS,
  HOUSE_USES,
  type HouseInput,
  ORGANISATION_TYPE_LABELS,
  ORGANISATION_TYPES,
  type OrganisationInput,
  REGISTRY_ENTITY_LABELS,
  type RegistryEntity,
  type RegistryListQuery,
  type RegistryRecords,
  type RegistrySearchHit,
  type ResidentInput,
  type SensitiveField,
} from '../../../shared/registry.ts';
import { maskIdNumber } from '../../../shared/registry-validation.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import * as addresses from './address.repository.ts';
import { updateAddressRecord, upsertAddresses } from './address-writes.ts';
import * as buildings from './building.repository.ts';
import { updateBuildingRecord, upsertBuildings } from './building-writes.ts';
import * as facilities from './facility.repository.ts';
import { updateFacilityRecord, upsertFacilities } from './facility-writes.ts';
import * as houses from './house.repository.ts';
import { updateHouseRecord, upsertHouses } from './house-writes.ts';
import * as organisations from './organisation.repository.ts';
import { updateOrganisationRecord, upsertOrganisations } from './organisation-writes.ts';
import {
  addressSummary,
  presentAddress,
  presentBuilding,
  presentFacility,
  presentHouse,
  presentOrganisation,
  presentResident,
  type ViewerRights,
} from './registry.presenter.ts';
import type { ListWindow, PointTable, TextFilter } from './registry.repository.ts';
import { shortVillageName } from './registry-place.ts';
import { classifySearch, queryGrams, type SearchIntent, searchWords } from './registry-search.ts';
import type { Item, Outcome, WriteContext } from './registry-writes.ts';
import * as residents from './resident.repository.ts';
import { updateResidentRecord, upsertResidents } from './resident-writes.ts';

/*
 * What each registry entity is made of, in one table: how its records are read, listed, shown, searched, written
 * and deleted. The service's reading, writing, search and export are written once over this table, so a new
 * entity is a row here (with its repository, writers and presenter).
 */

export interface RegistryViews {
  address: addresses.AddressView;
  building: buildings.BuildingView;
  house: houses.HouseView;
  resident: residents.ResidentView;
  organisation: organisations.OrganisationView;
  facility: facilities.FacilityView;
}

/** Who reads a list or a search, as far as what it finds depends on them. */
export interface Reader {
  /** Sees residents with care tags (registry.policy.ts). */
  care: boolean;
  label(text: LocalizedText): string;
}

/** A search box query, worked out once for every entity searched. */
export interface SearchAsk {
  q: string;
  intent: SearchIntent;
  /** The words of a plain text query, with their grams; null for an exact one (ID number, phone, code). */
  text: TextFilter | null;
  /** An organisation type, facility type or house use. */
  type: string | undefined;
  tag: CareTag | undefined;
  window: ListWindow;
}

type Page<V> = { rows: V[]; total: number; more: boolean };

export interface RegistryKind<E extends RegistryEntity> {
  find(db: Db, id: number): Promise<RegistryViews[E] | undefined>;
  /** A page of the list; with `afterId`, the rows after it (an export's next page), uncounted. */
  list(
    db: Db,
    window: ListWindow,
    query: RegistryListQuery<E>,
    reader: Reader,
    afterId?: number,
  ): Promise<Page<RegistryViews[E]>>;
  present(view: RegistryViews[E], rights: ViewerRights): RegistryRecords[E];
  /** The input a stored record describes: what a patch is laid over. */
  inputOf(view: RegistryViews[E]): Record<string, unknown>;
  /** Writes a batch: the same function serves the API (a batch of one) and imports. */
  upsert(ctx: WriteContext, items: readonly Item<never>[]): Promise<Outcome[]>;
  /** Changes one stored record, as a PATCH does. */
  update(
    ctx: WriteContext,
    view: RegistryViews[E],
    input: Record<string, unknown>,
    version: number,
  ): Promise<Outcome>;
  /** Deletes a record; refused (IN_USE) while others hang off it. */
  remove(trx: Db, id: number): Promise<void>;
  search(db: Db, ask: SearchAsk, reader: Reader): Promise<RegistrySearchHit[]>;
  /** A record the reader may not know of: it is not found. */
  hidden?(view: RegistryViews[E], reader: Reader): boolean;
  /** The table of records placed by a point of their own, which relocation locates anew. */
  pointTable?: PointTable;
}

/** The stored columns each personal data field lives in. */
export const SENSITIVE_COLUMNS: Record<SensitiveField, string> = {
  idNumber: 'id_number',
  phone: 'phone',
  landlordIdNumber: 'landlord_id_number',
  landlordPhone: 'landlord_phone',
  contactPhone: 'contact_phone',
};

/** A list page, or — with `afterId` — the rows after it. */
function pageOrAfter<V>(
  afterId: number | undefined,
  page: () => Promise<Page<V>>,
  after: (afterId: number) => Promise<V[]>,
): Promise<Page<V>> {
  return afterId === undefined ? page() : after(afterId).then((rows) => ({ rows, total: 0, more: false }));
}

function textFilter(q: string | undefined): TextFilter | null {
  const words = searchWords(q ?? '');
  return words.length ? { words, grams: queryGrams(words) } : null;
}

/** Where a record lies, as an input gives it: its point, or — without one — its grid. */
function placeInput(v: { lon: number | null; lat: number | null; region_code: string }) {
  return v.lon !== null && v.lat !== null
    ? { lon: v.lon, lat: v.lat }
    : { lon: null, lat: null, regionCode: v.region_code };
}

/** Where a hit lies, for the map and the list. */
function hitPlace(row: {
  region_code: string;
  region_name: string | null;
  village_name: string | null;
  lon: number | null;
  lat: number | null;
}) {
  return {
    regionCode: row.region_code,
    regionName: row.region_name ?? row.region_code,
    villageName: row.village_name ? shortVillageName(row.village_name) : null,
    lon: row.lon,
    lat: row.lat,
  };
}

/** A type a search asks for, when it is one of this entity's; `false` when it asks for another's. */
function typeAmong<T extends string>(type: string | undefined, types: readonly T[]): T | undefined | false {
  if (!type) return undefined;
  return (types as readonly string[]).includes(type) ? (type as T) : false;
}

function inUse(entity: RegistryEntity, count: number, dependent: LocalizedText): AppError {
  return new AppError('IN_USE', { entity: REGISTRY_ENTITY_LABELS[entity], count, dependent });
}

/** What a search box query asks of residents. */
function residentMatches(q: string | undefined): residents.ResidentMatch[] {
  if (!q?.trim()) return [];
  const intent = classifySearch(q);
  switch (intent.kind) {
    case 'code18':
    case 'uscc':
      return [{ idNumber: intent.code }];
    case 'phone':
      return [{ phone: intent.phone }];
    case 'nameAndIdTail':
      return [{ namePrefix: intent.name, idTail: intent.tail }];
    default: {
      const words = intent.words;
      return [{ namePrefix: words.join('') }, { address: { words, grams: queryGrams(words) } }];
    }
  }
}

const address: RegistryKind<'address'> = {
  find: addresses.findAddress,
  list: (db, window, query, _reader, afterId) => {
    const filter = { text: textFilter(query.q) };
    return pageOrAfter(
      afterId,
      () => addresses.listAddresses(db, window, filter),
      (after) => addresses.listAddressesAfter(db, window, filter, after),
    );
  },
  present: presentAddress,
  inputOf: (v) => ({
    road: v.road,
    number: v.number,
    building: v.building,
    unit: v.unit,
    room: v.room,
    ...placeInput(v),
  }),
  upsert: upsertAddresses as RegistryKind<'address'>['upsert'],
  update: (ctx, view, input, version) => updateAddressRecord(ctx, view, input as AddressInput, version),
  async remove(trx, id) {
    const uses = await addresses.countAddressUses(trx, id);
    if (uses) {
      throw inUse('address', uses, {
        zh: '房屋、建筑物、单位或设施',
        en: 'house, building, organisation or facility',
      });
    }
    await addresses.deleteAddress(trx, id);
  },
  async search(db, ask) {
    if (!ask.text || ask.type || ask.tag) return [];
    const { rows } = await addresses.listAddresses(db, ask.window, { text: ask.text });
    return rows.map((a) => ({
      ...hitPlace(a),
      entity: 'address',
      id: a.id,
      title: addressSummary(a.id, a.canonical_text, a.village_name).fullText,
      subtitle: a.region_name ?? a.region_code,
      match: 'address',
    }));
  },
  pointTable: 'registry_addresses',
};

const building: RegistryKind<'building'> = {
  find: buildings.findBuilding,
  list: (db, window, query, _reader, afterId) => {
    const filter = { text: textFilter(query.q) };
    return pageOrAfter(
      afterId,
      () => buildings.listBuildings(db, window, filter),
      (after) => buildings.listBuildingsAfter(db, window, filter, after),
    );
  },
  present: presentBuilding,
  inputOf: (v) => ({
    name: v.name,
    floors: v.floors,
    addressId: v.address_id,
    ...(v.lon !== null ? placeInput(v) : {}),
  }),
  upsert: upsertBuildings as RegistryKind<'building'>['upsert'],
  update: (ctx, view, input, version) => updateBuildingRecord(ctx, view, input as BuildingInput, version),
  remove: buildings.deleteBuilding,
  async search(db, ask) {
    if (!ask.text || ask.type || ask.tag) return [];
    const { rows } = await buildings.listBuildings(db, ask.window, { text: ask.text });
    return rows.map((b) => ({
      ...hitPlace(b),
      entity: 'building',
      id: b.id,
      title: b.name,
      subtitle: b.code,
      match: 'name',
    }));
  },
  pointTable: 'registry_buildings',
};

const house: RegistryKind<'house'> = {
  find: houses.findHouse,
  list: (db, window, query, _reader, afterId) => {
    const filter = { text: textFilter(query.q), use: query.use };
    return pageOrAfter(
      afterId,
      () => houses.listHouses(db, window, filter),
      (after) => houses.listHousesAfter(db, window, filter, after),
    );
  },
  present: presentHouse,
  inputOf: (v) => ({
    addressId: v.address_id,
    use: v.use,
    buildingId: v.building_id,
    areaSquareMetres: v.area_m2,
    landlordName: v.landlord_name,
    landlordPhone: v.landlord_phone,
    landlordIdNumber: v.landlord_id_number,
  }),
  upsert: upsertHouses as RegistryKind<'house'>['upsert'],
  update: (ctx, view, input, version) => updateHouseRecord(ctx, view, input as HouseInput, version),
  async remove(trx, id) {
    const count = await houses.countHouseResidents(trx, id);
    if (count) throw inUse('house', count, { zh: '居住人员', en: 'resident' });
    await houses.deleteHouse(trx, id);
  },
  async search(db, { intent, text, type, tag, window }, reader) {
    const use = typeAmong(type, HOUSE_USES);
    if (tag || use === false) return [];
    const filter: houses.HouseFilter | null =
      intent.kind === 'phone'
        ? { landlordPhone: intent.phone, use }
        : intent.kind === 'code18'
          ? { landlordIdNumber: intent.code, use }
          : text
            ? { text, use }
            : null;
    if (!filter) return [];
    const { rows } = await houses.listHouses(db, window, filter);
    return rows.map((h) => ({
      ...hitPlace({ ...h, lon: h.address_lon, lat: h.address_lat }),
      entity: 'house',
      id: h.id,
      title: addressSummary(h.address_id, h.address_text, h.village_name).fullText,
      subtitle: reader.label(HOUSE_USE_LABELS[h.use]),
      match: intent.kind === 'phone' ? 'phone' : intent.kind === 'code18' ? 'idNumber' : 'address',
    }));
  },
};

const resident: RegistryKind<'resident'> = {
  find: residents.findResident,
  list: (db, window, query, reader, afterId) => {
    const filter: residents.ResidentFilter = {
      kind: query.kind,
      tag: reader.care ? query.tag : undefined,
      houseId: query.houseId,
      hideCared: !reader.care,
      matches: residentMatches(query.q),
    };
    return pageOrAfter(
      afterId,
      () => residents.listResidents(db, window, filter),
      (after) => residents.listResidentsAfter(db, window, filter, after),
    );
  },
  present: presentResident,
  inputOf: (v) => ({
    name: v.name,
    idNumber: v.id_number,
    phone: v.phone,
    kind: v.kind,
    houseId: v.house_id,
    householdNo: v.household_no,
    relation: v.relation,
    careTags: v.care_tags,
  }),
  upsert: upsertResidents as RegistryKind<'resident'>['upsert'],
  update: (ctx, view, input, version) => updateResidentRecord(ctx, view, input as ResidentInput, version),
  remove: residents.deleteResident,
  async search(db, { q, type, tag, window }, reader) {
    if (type) return [];
    const base = { hideCared: !reader.care, tag: reader.care ? tag : undefined };
    const alternatives = residentMatches(q);
    const pages = await Promise.all(
      alternatives.map((match) =>
        'address' in match
          ? residents
              .listResidentsAtAddresses(db, window, {
                ...base,
                text: match.address,
                // Houses hold a resident or more (vacant ones none): twice the page's addresses fill it.
                addressLimit: window.limit * 2,
              })
              .then((rows) => ({ rows }))
          : residents.listResidents(db, window, { ...base, matches: [match] }),
      ),
    );
    const seen = new Set<number>();
    const found: RegistrySearchHit[] = [];
    for (const [index, { rows }] of pages.entries()) {
      const match = alternatives[index] as residents.ResidentMatch;
      for (const r of rows) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        found.push({
          ...hitPlace(r),
          entity: 'resident',
          id: r.id,
          title: r.name,
          subtitle: `${maskIdNumber(r.id_number)} · ${addressSummary(r.address_id, r.address_text, r.village_name).fullText}`,
          match:
            'idNumber' in match
              ? 'idNumber'
              : 'phone' in match
                ? 'phone'
                : 'address' in match
                  ? 'address'
                  : 'name',
        });
      }
    }
    return found;
  },
  hidden: (view, reader) => !reader.care && view.care_tags.length > 0,
};

const organisation: RegistryKind<'organisation'> = {
  find: organisations.findOrganisation,
  list: (db, window, query, _reader, afterId) => {
    const filter = { text: textFilter(query.q), type: query.type };
    return pageOrAfter(
      afterId,
      () => organisations.listOrganisations(db, window, filter),
      (after) => organisations.listOrganisationsAfter(db, window, filter, after),
    );
  },
  present: presentOrganisation,
  inputOf: (v) => ({
    name: v.name,
    type: v.type,
    uscc: v.uscc,
    contactName: v.contact_name,
    contactPhone: v.contact_phone,
    addressId: v.address_id,
    ...(v.lon !== null ? placeInput(v) : {}),
  }),
  upsert: upsertOrganisations as RegistryKind<'organisation'>['upsert'],
  update: (ctx, view, input, version) =>
    updateOrganisationRecord(ctx, view, input as OrganisationInput, version),
  remove: organisations.deleteOrganisation,
  async search(db, { intent, text, type, tag, window }, reader) {
    const orgType = typeAmong(type, ORGANISATION_TYPES);
    if (tag || orgType === false) return [];
    const filter: organisations.OrganisationFilter | null =
      intent.kind === 'uscc' || intent.kind === 'code18'
        ? { uscc: intent.code, type: orgType }
        : intent.kind === 'phone'
          ? { contactPhone: intent.phone, type: orgType }
          : text
            ? { text, type: orgType }
            : null;
    if (!filter) return [];
    const { rows } = await organisations.listOrganisations(db, window, filter);
    return rows.map((o) => ({
      ...hitPlace(o),
      entity: 'organisation',
      id: o.id,
      title: o.name,
      subtitle: [reader.label(ORGANISATION_TYPE_LABELS[o.type]), o.address_text].filter(Boolean).join(' · '),
      match: filter.uscc ? 'code' : filter.contactPhone ? 'phone' : 'name',
    }));
  },
  pointTable: 'registry_organisations',
};

const facility: RegistryKind<'facility'> = {
  find: facilities.findFacility,
  list: (db, window, query, _reader, afterId) => {
    const filter = { text: textFilter(query.q), type: query.type, status: query.status };
    return pageOrAfter(
      afterId,
      () => facilities.listFacilities(db, window, filter),
      (after) => facilities.listFacilitiesAfter(db, window, filter, after),
    );
  },
  present: presentFacility,
  inputOf: (v) => ({
    code: v.code,
    type: v.type,
    name: v.name,
    status: v.status,
    lastCheckedOn: v.last_checked_on,
    lon: v.lon,
    lat: v.lat,
    addressId: v.address_id,
  }),
  upsert: upsertFacilities as RegistryKind<'facility'>['upsert'],
  update: (ctx, view, input, version) => updateFacilityRecord(ctx, view, input as FacilityInput, version),
  remove: facilities.deleteFacility,
  async search(db, { text, type, tag, window }, reader) {
    const facilityType = typeAmong(type, FACILITY_TYPES);
    if (!text || facilityType === false || tag) return [];
    const { rows } = await facilities.listFacilities(db, window, { text, type: facilityType });
    return rows.map((f) => ({
      ...hitPlace(f),
      entity: 'facility',
      id: f.id,
      title: f.name ?? f.code,
      subtitle: `${reader.label(FACILITY_TYPE_LABELS[f.type])} · ${f.code}`,
      match: 'code',
    }));
  },
  pointTable: 'registry_facilities',
};

const KINDS: { [E in RegistryEntity]: RegistryKind<E> } = {
  address,
  building,
  house,
  resident,
  organisation,
  facility,
};

/** An entity's row of the table, typed for code written once over every entity. */
export function kindOf(entity: RegistryEntity): RegistryKind<RegistryEntity> {
  return KINDS[entity] as unknown as RegistryKind<RegistryEntity>;
}
