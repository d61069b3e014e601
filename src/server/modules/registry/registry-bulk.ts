import type {
  CareTag,
  FacilityStatus,
  FacilityType,
  HouseUse,
  OrganisationType,
  Relation,
  ResidentKind,
} from '../../../shared/registry.ts';
import { analyzeTables, REGISTRY_TABLES } from '../../db/analyze.ts';
import { type Db, withLongStatements } from '../../db/database.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../people/actor.ts';
import type { StoredAddress } from './address.repository.ts';
import * as addresses from './address.repository.ts';
import { addressValues } from './address-writes.ts';
import * as buildings from './building.repository.ts';
import * as facilities from './facility.repository.ts';
import * as houses from './house.repository.ts';
import * as organisations from './organisation.repository.ts';
import * as registry from './registry.repository.ts';
import { normalizeSearchText, searchGrams } from './registry-search.ts';
import * as residents from './resident.repository.ts';

/**
 * A generated registry, as the demo seed makes it (src/server/db/seed/demo-registry.ts): records refer to the
 * addresses, buildings and houses they hang off by their index in those lists.
 */
export interface SyntheticRegistry {
  addresses: SyntheticAddress[];
  buildings: { addressIndex: number; code: string; name: string; floors: number }[];
  houses: {
    addressIndex: number;
    buildingIndex: number;
    use: HouseUse;
    landlordName: string | null;
    landlordPhone: string | null;
    landlordIdNumber: string | null;
  }[];
  residents: {
    houseIndex: number;
    name: string;
    idNumber: string;
    phone: string | null;
    kind: ResidentKind;
    householdNo: string | null;
    relation: Relation;
    careTags: CareTag[];
  }[];
  organisations: {
    addressIndex: number;
    name: string;
    type: OrganisationType;
    uscc: string;
    contactName: string;
    contactPhone: string;
  }[];
  facilities: {
    code: string;
    type: FacilityType;
    name: string;
    status: FacilityStatus;
    lastCheckedOn: string;
    regionCode: string;
    villageName: string;
    lon: number;
    lat: number;
  }[];
}

export interface SyntheticAddress {
  regionCode: string;
  villageName: string;
  road: string;
  number: string;
  building: string | null;
  unit: string | null;
  room: string | null;
  lon: number;
  lat: number;
}

const BATCH = 2_000;
const RESIDENT_BATCH = 5_000;

/**
 * Loads a generated registry (the demo's) with bulk inserts: no per-record audit entries, one for the whole
 * load. Each batch is its own statement, so other requests are served between them. Returns false when the
 * registry already holds records, or when `shouldStop` asked it to end early (the next start loads it again).
 */
export async function loadSyntheticRegistry(
  deps: { db: Db; audit: AuditService; now: Date },
  actor: Actor,
  data: SyntheticRegistry,
  options: { onStep?: ((step: string) => void) | undefined; shouldStop?: (() => boolean) | undefined } = {},
): Promise<boolean> {
  const { db, now } = deps;
  const state = await registry.readDemoState(db);
  if (state === 'done') return false;
  if (state === 'loading') await registry.clearRegistry(db);
  else if (await registry.registryHasRecords(db)) return false;
  await registry.writeDemoState(db, 'loading');
  const stopped = () => options.shouldStop?.() ?? false;
  const stamps = { created_at: now, updated_at: now };

  options.onStep?.('addresses');
  const addressRows: StoredAddress[] = [];
  for (let start = 0; start < data.addresses.length; start += BATCH) {
    if (stopped()) return false;
    const rows = data.addresses.slice(start, start + BATCH).map((a) => ({
      ...addressValues(a, {
        place: {
          regionCode: a.regionCode,
          countyCode: a.regionCode.slice(0, 6),
          villageCode: a.regionCode.slice(0, 12),
          villageName: a.villageName,
        },
        point: { lon: a.lon, lat: a.lat },
      }),
    }));
    const inserted = await withLongStatements(db, (trx) => addresses.insertAddresses(trx, rows, now));
    const byKey = new Map(inserted.map((r) => [`${r.village_code}|${r.canonical_text}`, r]));
    for (const row of rows) {
      const found = byKey.get(`${row.village_code}|${row.canonical_text}`);
      if (!found) throw new Error(`demo address ${row.canonical_text} was not inserted`);
      addressRows.push(found);
    }
  }

  options.onStep?.('buildings');
  const buildingIds: number[] = [];
  for (let start = 0; start < data.buildings.length; start += BATCH) {
    if (stopped()) return false;
    const rows = data.buildings.slice(start, start + BATCH).map((b) => {
      const address = addressRows[b.addressIndex] as StoredAddress;
      const search = normalizeSearchText(`${b.name}${b.code}${address.search_text}`);
      return {
        region_code: address.region_code,
        county_code: address.county_code,
        code: b.code,
        name: b.name,
        floors: b.floors,
        address_id: address.id,
        lon: null,
        lat: null,
        search_text: search,
        search_grams: searchGrams(search),
        ...stamps,
      };
    });
    const inserted = new Map(
      (await withLongStatements(db, (trx) => buildings.insertBuildings(trx, rows))).map((r) => [
        r.code,
        r.id,
      ]),
    );
    for (const row of rows) buildingIds.push(inserted.get(row.code) ?? 0);
  }

  options.onStep?.('houses');
  const houseRows: { id: number; region_code: string; county_code: string }[] = [];
  for (let start = 0; start < data.houses.length; start += BATCH) {
    if (stopped()) return false;
    const rows = data.houses.slice(start, start + BATCH).map((h) => {
      const address = addressRows[h.addressIndex] as StoredAddress;
      return {
        region_code: address.region_code,
        county_code: address.county_code,
        address_id: address.id,
        building_id: buildingIds[h.buildingIndex] ?? null,
        use: h.use,
        area_m2: null,
        landlord_name: h.landlordName,
        landlord_phone: h.landlordPhone,
        landlord_id_number: h.landlordIdNumber,
      };
    });
    const inserted = new Map(
      (await withLongStatements(db, (trx) => houses.insertHouses(trx, rows, now))).map((r) => [
        r.address_id,
        r,
      ]),
    );
    for (const row of rows) houseRows.push(inserted.get(row.address_id) as (typeof houseRows)[number]);
  }

  options.onStep?.('residents');
  for (let start = 0; start < data.residents.length; start += RESIDENT_BATCH) {
    if (stopped()) return false;
    const batch = data.residents.slice(start, start + RESIDENT_BATCH);
    await withLongStatements(db, (trx) =>
      residents.insertResidents(
        trx,
        batch.map((r) => {
          const house = houseRows[r.houseIndex] as (typeof houseRows)[number];
          return {
            region_code: house.region_code,
            county_code: house.county_code,
            id_number: r.idNumber,
            name: r.name,
            sex: Number(r.idNumber[16]) % 2 === 1 ? 'male' : 'female',
            birth_date: `${r.idNumber.slice(6, 10)}-${r.idNumber.slice(10, 12)}-${r.idNumber.slice(12, 14)}`,
            phone: r.phone,
            kind: r.kind,
            house_id: house.id,
            household_no: r.householdNo,
            relation: r.relation,
            care_tags: [...new Set(r.careTags)].sort(),
          };
        }),
        now,
      ),
    );
  }

  options.onStep?.('organisations and facilities');
  for (let start = 0; start < data.organisations.length; start += BATCH) {
    if (stopped()) return false;
    await withLongStatements(db, (trx) =>
      organisations.insertOrganisations(
        trx,
        data.organisations.slice(start, start + BATCH).map((o) => {
          const address = addressRows[o.addressIndex] as StoredAddress;
          const search = normalizeSearchText(`${o.name}${address.search_text}`);
          return {
            region_code: address.region_code,
            county_code: address.county_code,
            name: o.name,
            type: o.type,
            uscc: o.uscc,
            address_id: address.id,
            contact_name: o.contactName,
            contact_phone: o.contactPhone,
            lon: null,
            lat: null,
            search_text: search,
            search_grams: searchGrams(search),
            ...stamps,
          };
        }),
      ),
    );
  }
  for (let start = 0; start < data.facilities.length; start += BATCH) {
    if (stopped()) return false;
    await withLongStatements(db, (trx) =>
      facilities.insertFacilities(
        trx,
        data.facilities.slice(start, start + BATCH).map((f) => {
          const search = normalizeSearchText(`${f.code}${f.name}${f.villageName}`);
          return {
            region_code: f.regionCode,
            county_code: f.regionCode.slice(0, 6),
            code: f.code,
            type: f.type,
            name: f.name,
            status: f.status,
            last_checked_on: f.lastCheckedOn,
            address_id: null,
            lon: f.lon,
            lat: f.lat,
            search_text: search,
            search_grams: searchGrams(search),
            ...stamps,
          };
        }),
      ),
    );
  }

  await registry.flushSearchIndexes(db);
  // The planner knows nothing of what was just loaded until it is analysed; unanalysed, a search by a role that
  // may not see care-tagged residents was planned as a nested loop over all of them and took minutes.
  await analyzeTables(db, REGISTRY_TABLES);
  await db.transaction().execute(async (trx) => {
    await registry.writeDemoState(trx, 'done');
    await deps.audit.record(trx, {
      actor,
      action: 'registry.demo',
      entityType: 'registry',
      entityId: '*',
      details: {
        addresses: data.addresses.length,
        buildings: data.buildings.length,
        houses: data.houses.length,
        residents: data.residents.length,
        organisations: data.organisations.length,
        facilities: data.facilities.length,
      },
    });
  });
  return true;
}
