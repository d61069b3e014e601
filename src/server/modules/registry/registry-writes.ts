import type { LocalizedText } from '../../../shared/errors.ts';
import {
  type AddressInput,
  type BuildingInput,
  FACILITY_TYPE_LABELS,
  type FacilityInput,
  type HouseInput,
  type HouseUse,
  type OrganisationInput,
  type RegistryEntity,
  type ResidentInput,
} from '../../../shared/registry.ts';
import {
  type AddressParts,
  canonicalAddress,
  checkIdNumber,
  maskIdNumber,
  maskPhone,
} from '../../../shared/registry-validation.ts';
import type { Db } from '../../db/database.ts';
import type { RecordAuditOptions } from '../audit/audit.service.ts';
import { inScope } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { regionScope } from '../people/scope.ts';
import type { StoredAddress } from './address.repository.ts';
import * as addresses from './address.repository.ts';
import * as buildings from './building.repository.ts';
import * as facilities from './facility.repository.ts';
import * as houses from './house.repository.ts';
import * as organisations from './organisation.repository.ts';
import type {
  BuildingRow,
  FacilityRow,
  HouseRow,
  NewAddressRow,
  OrganisationRow,
  ResidentRow,
} from './registry.table.ts';
import { localized } from './registry-columns.ts';
import { type Place, type PlaceInput, PlaceProblem, type Placer } from './registry-place.ts';
import { normalizeSearchText, searchGrams } from './registry-search.ts';
import * as residents from './resident.repository.ts';

/*
 * How registry records are written: resolving the addresses and houses they hang off, placing them into grids,
 * building their row values and search text, and inserting or updating them in batches. One path serves an
 * import batch, a single record created through the API (a batch of one that must be new) and an update.
 */

export const WRITE_TEXT = {
  duplicateInFile: {
    zh: '与第 {row} 行重复（{key}相同），本行未导入',
    en: 'repeats row {row} (same {key}); this row was not imported',
  },
  alreadyExists: { zh: '{entity}已存在（编号 {id}）', en: '{entity} already exists (id {id})' },
  addressNotFound: {
    zh: '地址“{address}”在您的数据范围内不存在：请填写经纬度或所属网格代码，以便新建',
    en: 'the address "{address}" does not exist in your data scope: give lon/lat or a grid code to create it',
  },
  addressAmbiguous: {
    zh: '地址“{address}”在多个村居中都有：{villages}，请填写所属网格代码',
    en: 'the address "{address}" exists in several villages: {villages}; give the grid code',
  },
  addressIdNotFound: { zh: '标准地址 {id} 不存在', en: 'standard address {id} does not exist' },
  houseIdNotFound: { zh: '房屋 {id} 不存在', en: 'house {id} does not exist' },
  buildingIdNotFound: { zh: '建筑物 {id} 不存在', en: 'building {id} does not exist' },
  noAddress: {
    zh: '请填写地址（或选择已有的标准地址）',
    en: 'give the address (or choose a standard address)',
  },
  outOfScope: {
    zh: '该{entity}登记在{region}，不在您的数据范围内',
    en: 'this {entity} is recorded in {region}, outside your data scope',
  },
  unknownBuildingCode: {
    zh: '建筑物编码 {code} 不存在（新建筑物请留空编码，由系统按网格编码）',
    en: 'building code {code} does not exist (leave it empty for a new building: gridgov numbers it by grid)',
  },
  buildingNeedsAddress: {
    zh: '请填写建筑物编码或地址，以确定是哪一栋建筑物',
    en: 'give the building code or its address, so the building can be told apart',
  },
} as const satisfies Record<string, LocalizedText>;

const KEY_LABELS = {
  idNumber: { zh: '身份证号', en: 'ID number' },
  address: { zh: '标准地址', en: 'standard address' },
  code: { zh: '编号', en: 'code' },
  uscc: { zh: '统一社会信用代码', en: 'credit code' },
  nameAtAddress: { zh: '名称和地址', en: 'name and address' },
} as const satisfies Record<string, LocalizedText>;

export interface WriteContext {
  trx: Db;
  actor: Actor;
  placer: Placer;
  now: Date;
  /** The import the batch belongs to; null for a change through the API. */
  importId: number | null;
  /**
   * `import`: a record whose natural key exists is updated. `create`: it is refused (409 through the API).
   */
  mode: 'import' | 'create';
  /** In-file duplicate detection: the row a key was first met on, or null (and the key is remembered). */
  firstRowOf: (key: string, row: number) => number | null;
  /** Audit entries of the changes made, appended by the caller in the same transaction. */
  audit: RecordAuditOptions[];
  /**
   * Records an import created, by type: they get one audit entry per batch listing them (`batchAuditEntries`),
   * rather than one each — a million-row import would otherwise write a million entries.
   */
  createdByImport: Map<RegistryEntity, { ids: number[]; rows: number[]; countyCode: string }>;
  /** The batch's addresses, placed ahead of the write by an import. */
  placedAddresses?: PlacedAddresses;
}

export type Changes = Record<string, { from: unknown; to: unknown }>;

export type Outcome =
  | { row: number; status: 'created' | 'updated' | 'unchanged'; id: number; changes: Changes }
  | { row: number; status: 'rejected'; reasons: LocalizedText[]; existingId?: number }
  /** An update at a version someone else moved on from. */
  | { row: number; status: 'conflict' };

export interface Item<T> {
  row: number;
  input: T;
}

type Rejection = { row: number; status: 'rejected'; reasons: LocalizedText[]; existingId?: number };

function rejected(row: number, reasons: LocalizedText | LocalizedText[], existingId?: number): Rejection {
  return { row, status: 'rejected', reasons: Array.isArray(reasons) ? reasons : [reasons], existingId };
}

function problemOf(value: PlaceProblem | LocalizedText[]): LocalizedText[] {
  return value instanceof PlaceProblem ? [value.localized()] : value;
}

/** The in-file duplicate check: a rejection naming the earlier row, or null for a first occurrence. */
function duplicate(ctx: WriteContext, row: number, key: string, label: LocalizedText): Rejection | null {
  const first = ctx.firstRowOf(key, row);
  return first === null
    ? null
    : rejected(row, localized(WRITE_TEXT.duplicateInFile, { row: first, key: label }));
}

function existsAlready(entity: RegistryEntity, row: number, id: number): Rejection {
  return rejected(row, existsText(entity, id), id);
}

function existsText(entity: RegistryEntity, id: number): LocalizedText {
  return localized(WRITE_TEXT.alreadyExists, { entity: ENTITY_NAMES[entity], id });
}

const ENTITY_NAMES: Record<RegistryEntity, LocalizedText> = {
  address: { zh: '标准地址', en: 'The address' },
  building: { zh: '建筑物', en: 'The building' },
  house: { zh: '房屋', en: 'The house' },
  resident: { zh: '实有人口', en: 'The resident' },
  organisation: { zh: '实有单位', en: 'The organisation' },
  facility: { zh: '实有设施', en: 'The facility' },
};

function outOfScopeText(entity: RegistryEntity, regionCode: string): LocalizedText {
  return localized(WRITE_TEXT.outOfScope, {
    entity: { zh: ENTITY_NAMES[entity].zh, en: ENTITY_NAMES[entity].en.replace(/^The /, '').toLowerCase() },
    region: regionCode,
  });
}

function outOfScope(entity: RegistryEntity, row: number, regionCode: string): Rejection {
  return rejected(row, outOfScopeText(entity, regionCode));
}

/** Personal data appears in the audit log masked: the log is read more widely than the registry. */
const MASKED_COLUMNS: Record<string, (value: string) => string> = {
  id_number: maskIdNumber,
  landlord_id_number: maskIdNumber,
  phone: maskPhone,
  landlord_phone: maskPhone,
  contact_phone: maskPhone,
};

/** The columns among `columns` whose values differ, as `{ from, to }` with personal data masked. */
export function changesBetween(
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
  columns: readonly string[],
): Changes {
  const changes: Changes = {};
  for (const column of columns) {
    const from = before ? (before[column] ?? null) : null;
    const to = after[column] ?? null;
    if (sameValue(from, to)) continue;
    const mask = MASKED_COLUMNS[column];
    const shown = (v: unknown) => (mask && typeof v === 'string' ? mask(v) : v);
    changes[column] = { from: shown(from), to: shown(to) };
  }
  return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  if (a instanceof Date || b instanceof Date) return String(a) === String(b);
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 1e-9;
  return a === b;
}

/** The initial values of a record, for its audit entry; none for an import's, whose batch entry lists it. */
function createdChanges(
  ctx: WriteContext,
  after: Record<string, unknown>,
  columns: readonly string[],
): Changes {
  return ctx.importId === null ? changesBetween(null, after, columns) : {};
}

function auditChange(
  ctx: WriteContext,
  entity: RegistryEntity,
  outcome: { status: 'created' | 'updated'; id: number; row: number; changes: Changes },
  place: { region_code: string; county_code: string },
): void {
  if (ctx.importId !== null && outcome.status === 'created') {
    let created = ctx.createdByImport.get(entity);
    if (!created) {
      created = { ids: [], rows: [], countyCode: place.county_code };
      ctx.createdByImport.set(entity, created);
    }
    created.ids.push(outcome.id);
    created.rows.push(outcome.row);
    return;
  }
  ctx.audit.push({
    actor: ctx.actor,
    action:
      ctx.importId === null
        ? `${entity}.${outcome.status === 'created' ? 'create' : 'update'}`
        : `${entity}.import`,
    entityType: entity,
    entityId: outcome.id,
    countyCode: place.county_code,
    details: {
      regionCode: place.region_code,
      changes: outcome.changes,
      ...(ctx.importId === null ? {} : { importId: ctx.importId, row: outcome.row, status: outcome.status }),
    },
  });
}

type Placed = { region_code: string; county_code: string };

/** What the generic writers need of a table: its entity, the columns a change is told by, its versioned update. */
interface RecordTable<Values extends Placed> {
  entity: RegistryEntity;
  columns: readonly string[];
  update(
    trx: Db,
    id: number,
    version: number | null,
    values: Values & { updated_at: Date },
  ): Promise<boolean>;
}

/**
 * Changes a stored record to `values`: refused outside the actor's scope, `unchanged` when no column differs,
 * `conflict` when `version` (null in imports) is stale.
 */
async function changeRecord<Values extends Placed>(
  ctx: WriteContext,
  table: RecordTable<Values>,
  row: number,
  current: { id: number; region_code: string },
  values: Values,
  version: number | null,
): Promise<Outcome> {
  if (!inScope(ctx.actor, current.region_code)) return outOfScope(table.entity, row, current.region_code);
  const changes = changesBetween(current, values, table.columns);
  if (Object.keys(changes).length === 0) return { row, status: 'unchanged', id: current.id, changes };
  if (!(await table.update(ctx.trx, current.id, version, { ...values, updated_at: ctx.now }))) {
    return { row, status: 'conflict' };
  }
  const outcome = { row, status: 'updated' as const, id: current.id, changes };
  auditChange(ctx, table.entity, outcome, values);
  return outcome;
}

/**
 * Settles the items of a batch whose record exists (`currentOf`): refused when creating, else changed. Returns the
 * items whose record is new, to be inserted.
 */
async function settleExisting<Values extends Placed>(
  ctx: WriteContext,
  table: RecordTable<NoInfer<Values>>,
  ready: readonly { row: number; values: Values }[],
  outcomes: Outcome[],
  currentOf: (values: Values) => { id: number; region_code: string } | undefined,
): Promise<{ row: number; values: Values }[]> {
  const fresh: { row: number; values: Values }[] = [];
  for (const item of ready) {
    const current = currentOf(item.values);
    if (!current) fresh.push(item);
    else if (ctx.mode === 'create') outcomes.push(existsAlready(table.entity, item.row, current.id));
    else outcomes.push(await changeRecord(ctx, table, item.row, current, item.values, null));
  }
  return fresh;
}

/** The rows to insert for new records, stamped with the batch's time. */
function newRows<Values>(ctx: WriteContext, fresh: readonly { values: Values }[]) {
  return fresh.map((f) => ({ ...f.values, created_at: ctx.now, updated_at: ctx.now }));
}

/** The outcomes of records just inserted, each audited with its initial values. */
function createdOutcomes(
  ctx: WriteContext,
  table: { entity: RegistryEntity; columns: readonly string[] },
  created: readonly { row: number; id: number; values: Placed }[],
): Outcome[] {
  return created.map(({ row, id, values }) => {
    const outcome = {
      row,
      status: 'created' as const,
      id,
      changes: createdChanges(ctx, values, table.columns),
    };
    auditChange(ctx, table.entity, outcome, values);
    return outcome;
  });
}

/**
 * Pairs the rows of an insert with the batch items they came from, for inserts that skip nothing and return rows
 * in input order (`insert … select from unnest … returning` without `on conflict`).
 */
function insertedOf<R extends Placed & { id: number }>(
  items: readonly { row: number }[],
  inserted: readonly R[],
): { row: number; id: number; values: R }[] {
  return inserted.map((values, index) => ({ row: items[index]?.row ?? 0, id: values.id, values }));
}

/** The places an input names: its own, and its inline address's (what a placer must prepare). */
export function placeInputsOf(
  input: unknown,
): { lon?: number | null; lat?: number | null; regionCode?: string | null }[] {
  const own = input as {
    lon?: number | null;
    lat?: number | null;
    regionCode?: string | null;
    address?: unknown;
  };
  return own.address ? [own, own.address as typeof own] : [own];
}

/** The audit entries of a batch: each change it recorded, and one entry per type for the records it created. */
export function batchAuditEntries(ctx: WriteContext): RecordAuditOptions[] {
  const entries = [...ctx.audit];
  for (const [entity, created] of ctx.createdByImport) {
    entries.push({
      actor: ctx.actor,
      action: `${entity}.import`,
      entityType: entity,
      // Many entities: the ids are in the details, where a record's history finds them.
      entityId: '*',
      countyCode: created.countyCode,
      details: {
        importId: ctx.importId,
        status: 'created',
        ids: created.ids,
        rows: created.rows,
        regionCode: ctx.actor.scopeCode,
      },
    });
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------------------
// Row values.

const placeValues = (place: Place) => ({ region_code: place.regionCode, county_code: place.countyCode });

/** The row of an address: its parts as written, the canonical text (its key in the village) and search text. */
export function addressValues(
  parts: AddressParts,
  placed: { place: Place; point: { lon: number; lat: number } | null },
): Omit<NewAddressRow, 'created_at' | 'updated_at' | 'version'> {
  const canonical = canonicalAddress(parts);
  const searchText = normalizeSearchText(`${placed.place.villageName}${canonical}`);
  return {
    ...placeValues(placed.place),
    village_code: placed.place.villageCode,
    road: parts.road.trim(),
    number: parts.number.trim(),
    building: parts.building?.trim() || null,
    unit: parts.unit?.trim() || null,
    room: parts.room?.trim() || null,
    canonical_text: canonical,
    search_text: searchText,
    search_grams: searchGrams(searchText),
    lon: placed.point?.lon ?? null,
    lat: placed.point?.lat ?? null,
  };
}

const ADDRESS_TABLE = {
  entity: 'address',
  columns: ['road', 'number', 'building', 'unit', 'room', 'lon', 'lat', 'region_code'],
  update: addresses.updateAddress,
} as const satisfies RecordTable<ReturnType<typeof addressValues>>;

/** The place an existing address lies in, for records that follow it. */
function placeOfAddress(row: StoredAddress, villageName: string): Place {
  return {
    regionCode: row.region_code,
    countyCode: row.county_code,
    villageCode: row.village_code,
    villageName,
  };
}

/** The village name of a stored address, read off its search text (which starts with it). */
function villageNameOf(row: StoredAddress): string {
  return row.search_text.slice(0, row.search_text.length - normalizeSearchText(row.canonical_text).length);
}

// ---------------------------------------------------------------------------------------------------------
// Addresses.

type AddressValues = ReturnType<typeof addressValues>;

/**
 * Addresses placed and their row values worked out, by their parts and place. Members of a household give the
 * same address, which is then worked out once; an import works out a batch's ahead (`placeAddresses`), while the
 * previous batch is being written.
 */
export type PlacedAddresses = Map<string, AddressValues | LocalizedText[]>;

/** An address with a point or a grid code lies where that says; one without is looked for by its text. */
function hasPlace(address: AddressInput): boolean {
  return (address.lon !== null && address.lon !== undefined) || Boolean(address.regionCode);
}

async function placeAddress(
  placer: Placer,
  address: AddressInput,
  memo: PlacedAddresses,
): Promise<AddressValues | LocalizedText[]> {
  const key = [
    address.road,
    address.number,
    address.building,
    address.unit,
    address.room,
    address.lon,
    address.lat,
    address.regionCode,
  ].join('|');
  let values = memo.get(key);
  if (!values) {
    const where = await placer.place(address);
    values = where instanceof PlaceProblem ? problemOf(where) : addressValues(address, where);
    memo.set(key, values);
  }
  return values;
}

/** Places the inline addresses of a batch's inputs ahead of writing them, into `memo` (see `PlacedAddresses`). */
export async function placeAddresses(
  placer: Placer,
  inputs: readonly unknown[],
  memo: PlacedAddresses,
): Promise<void> {
  for (const input of inputs) {
    const address = (input as { address?: AddressInput | null }).address;
    if (address && hasPlace(address)) await placeAddress(placer, address, memo);
  }
}

export interface AddressRef {
  addressId?: number | null | undefined;
  address?: AddressInput | null | undefined;
}

type Resolved = StoredAddress | null | LocalizedText[];

/**
 * The addresses records hang off, in order: one given by id must exist in scope; one given by its parts is
 * found by its canonical text in the village of its place, or created there; one given by its parts without a
 * place is found by its canonical text in the actor's scope. Null where none is given.
 */
export async function resolveAddresses(ctx: WriteContext, refs: readonly AddressRef[]): Promise<Resolved[]> {
  const results: Resolved[] = refs.map(() => null);
  const byId = [
    ...new Set(refs.map((r) => r.addressId).filter((id): id is number => typeof id === 'number')),
  ];
  const found = new Map((await addresses.findAddressRows(ctx.trx, byId)).map((a) => [a.id, a]));
  const placed: { index: number; values: AddressValues }[] = [];
  const memo = ctx.placedAddresses ?? new Map();
  const unplaced: { index: number; canonical: string }[] = [];
  for (const [index, ref] of refs.entries()) {
    if (typeof ref.addressId === 'number') {
      const row = found.get(ref.addressId);
      if (!row) results[index] = [localized(WRITE_TEXT.addressIdNotFound, { id: ref.addressId })];
      else if (!inScope(ctx.actor, row.region_code)) {
        results[index] = [outOfScopeText('address', row.region_code)];
      } else results[index] = row;
      continue;
    }
    const address = ref.address;
    if (!address) continue;
    if (!hasPlace(address)) {
      unplaced.push({ index, canonical: canonicalAddress(address) });
      continue;
    }
    const values = await placeAddress(ctx.placer, address, memo);
    if (Array.isArray(values)) results[index] = values;
    else placed.push({ index, values });
  }

  const keyOf = (v: { village_code: string; canonical_text: string }) =>
    `${v.village_code}|${v.canonical_text}`;
  const keys = [...new Map(placed.map((p) => [keyOf(p.values), p.values])).values()];
  const existing = new Map(
    (
      await addresses.findAddressesByKeys(
        ctx.trx,
        keys.map((v) => ({ villageCode: v.village_code, canonical: v.canonical_text })),
      )
    ).map((a) => [keyOf(a), a]),
  );
  const missing = keys.filter((v) => !existing.has(keyOf(v)));
  if (missing.length) {
    const inserted = await addresses.insertAddresses(ctx.trx, missing, ctx.now);
    for (const row of inserted) existing.set(keyOf(row), row);
    createdOutcomes(
      ctx,
      ADDRESS_TABLE,
      inserted.map((values) => ({ row: 0, id: values.id, values })),
    );
    // Inserted by someone else between our read and our insert: read them back.
    const raced = missing.filter((v) => !existing.has(keyOf(v)));
    for (const row of await addresses.findAddressesByKeys(
      ctx.trx,
      raced.map((v) => ({ villageCode: v.village_code, canonical: v.canonical_text })),
    )) {
      existing.set(keyOf(row), row);
    }
  }
  for (const p of placed) results[p.index] = existing.get(keyOf(p.values)) ?? null;

  if (unplaced.length) {
    const candidates = await addresses.findAddressesByCanonical(
      ctx.trx,
      [...new Set(unplaced.map((u) => u.canonical))],
      regionScope(ctx.actor),
    );
    for (const u of unplaced) {
      const matches = candidates.filter((c) => c.canonical_text === u.canonical);
      const [only] = matches;
      if (matches.length === 1 && only) results[u.index] = only;
      else if (matches.length === 0) {
        results[u.index] = [localized(WRITE_TEXT.addressNotFound, { address: u.canonical })];
      } else {
        results[u.index] = [
          localized(WRITE_TEXT.addressAmbiguous, {
            address: u.canonical,
            villages: matches.map((m) => `${villageNameOf(m)}（${m.region_code}）`).join('、'),
          }),
        ];
      }
    }
  }
  return results;
}

/** Addresses themselves: found by their key in the village of their place, changed where the file says so. */
export async function upsertAddresses(
  ctx: WriteContext,
  items: readonly Item<AddressInput>[],
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const ready: { row: number; values: ReturnType<typeof addressValues> }[] = [];
  for (const item of items) {
    const where = await ctx.placer.place(item.input);
    if (where instanceof PlaceProblem) {
      outcomes.push(rejected(item.row, problemOf(where)));
      continue;
    }
    const values = addressValues(item.input, where);
    const dup = duplicate(
      ctx,
      item.row,
      `${values.village_code}|${values.canonical_text}`,
      KEY_LABELS.address,
    );
    if (dup) outcomes.push(dup);
    else ready.push({ row: item.row, values });
  }
  const existing = new Map(
    (
      await addresses.findAddressesByKeys(
        ctx.trx,
        ready.map((r) => ({ villageCode: r.values.village_code, canonical: r.values.canonical_text })),
      )
    ).map((a) => [`${a.village_code}|${a.canonical_text}`, a]),
  );
  const fresh = await settleExisting(ctx, ADDRESS_TABLE, ready, outcomes, (values) =>
    existing.get(`${values.village_code}|${values.canonical_text}`),
  );
  const inserted = await addresses.insertAddresses(
    ctx.trx,
    fresh.map((f) => f.values),
    ctx.now,
  );
  const insertedByKey = new Map(inserted.map((a) => [`${a.village_code}|${a.canonical_text}`, a]));
  const created = fresh.flatMap((item) => {
    const values = insertedByKey.get(`${item.values.village_code}|${item.values.canonical_text}`);
    return values ? [{ row: item.row, id: values.id, values }] : [];
  });
  return [...outcomes, ...createdOutcomes(ctx, ADDRESS_TABLE, created)];
}

/** Changes one address (by id, at a version); its key may not become another address's. */
export async function updateAddressRecord(
  ctx: WriteContext,
  current: StoredAddress,
  input: AddressInput,
  version: number,
): Promise<Outcome> {
  const where = await ctx.placer.place(input);
  if (where instanceof PlaceProblem) return rejected(0, problemOf(where));
  const values = addressValues(input, where);
  const [clash] = await addresses.findAddressesByKeys(ctx.trx, [
    { villageCode: values.village_code, canonical: values.canonical_text },
  ]);
  if (clash && clash.id !== current.id) return existsAlready('address', 0, clash.id);
  return changeRecord(ctx, ADDRESS_TABLE, 0, current, values, version);
}

// ---------------------------------------------------------------------------------------------------------
// Houses.

export type HouseItem = HouseInput & { buildingCode?: string | null };

/** Building ids from the codes or ids of a batch, checked to exist and to be in scope. */
async function resolveBuildings(
  ctx: WriteContext,
  items: readonly { buildingId?: number | null | undefined; buildingCode?: string | null | undefined }[],
): Promise<(BuildingRow | null | LocalizedText[])[]> {
  const codes = [...new Set(items.map((i) => i.buildingCode).filter((c): c is string => Boolean(c)))];
  const byCode = new Map((await buildings.findBuildingsByCodes(ctx.trx, codes)).map((b) => [b.code, b]));
  const results: (BuildingRow | null | LocalizedText[])[] = [];
  for (const item of items) {
    let building: BuildingRow | undefined;
    if (item.buildingCode) {
      building = byCode.get(item.buildingCode);
      if (!building) {
        results.push([localized(WRITE_TEXT.unknownBuildingCode, { code: item.buildingCode })]);
        continue;
      }
    } else if (typeof item.buildingId === 'number') {
      building = await buildings.findBuildingRow(ctx.trx, item.buildingId);
      if (!building) {
        results.push([localized(WRITE_TEXT.buildingIdNotFound, { id: item.buildingId })]);
        continue;
      }
    }
    if (building && !inScope(ctx.actor, building.region_code)) {
      results.push([outOfScopeText('building', building.region_code)]);
      continue;
    }
    results.push(building ?? null);
  }
  return results;
}

function houseValues(input: HouseItem, address: StoredAddress, building: BuildingRow | null) {
  return {
    region_code: address.region_code,
    county_code: address.county_code,
    address_id: address.id,
    building_id: building?.id ?? null,
    use: input.use,
    area_m2: input.areaSquareMetres ?? null,
    landlord_name: input.landlordName ?? null,
    landlord_phone: input.landlordPhone ?? null,
    landlord_id_number: input.landlordIdNumber ?? null,
  };
}

const HOUSE_TABLE = {
  entity: 'house',
  columns: [
    'address_id',
    'building_id',
    'use',
    'area_m2',
    'landlord_name',
    'landlord_phone',
    'landlord_id_number',
    'region_code',
  ],
  update: houses.updateHouse,
} as const satisfies RecordTable<ReturnType<typeof houseValues>>;

/** Houses by their address: one house per standard address. */
export async function upsertHouses(ctx: WriteContext, items: readonly Item<HouseItem>[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const [resolved, buildingRows] = [
    await resolveAddresses(
      ctx,
      items.map((i) => i.input),
    ),
    await resolveBuildings(
      ctx,
      items.map((i) => i.input),
    ),
  ];
  const ready: { row: number; values: ReturnType<typeof houseValues> }[] = [];
  for (const [index, item] of items.entries()) {
    const address = resolved[index];
    const building = buildingRows[index];
    if (address === null || address === undefined) {
      outcomes.push(rejected(item.row, WRITE_TEXT.noAddress));
      continue;
    }
    if (Array.isArray(address) || Array.isArray(building)) {
      outcomes.push(
        rejected(item.row, [
          ...(Array.isArray(address) ? address : []),
          ...(Array.isArray(building) ? building : []),
        ]),
      );
      continue;
    }
    const dup = duplicate(ctx, item.row, `house|${address.id}`, KEY_LABELS.address);
    if (dup) outcomes.push(dup);
    else ready.push({ row: item.row, values: houseValues(item.input, address, building ?? null) });
  }
  const existing = new Map(
    (
      await houses.findHousesByAddresses(
        ctx.trx,
        ready.map((r) => r.values.address_id),
      )
    ).map((h) => [h.address_id, h]),
  );
  const fresh = await settleExisting(ctx, HOUSE_TABLE, ready, outcomes, (values) =>
    existing.get(values.address_id),
  );
  const inserted = await houses.insertHouses(
    ctx.trx,
    fresh.map((f) => f.values),
    ctx.now,
  );
  const byAddress = new Map(inserted.map((h) => [h.address_id, h]));
  const created = fresh.flatMap((item) => {
    const values = byAddress.get(item.values.address_id);
    return values ? [{ row: item.row, id: values.id, values }] : [];
  });
  return [...outcomes, ...createdOutcomes(ctx, HOUSE_TABLE, created)];
}

/** Changes one house (by id, at a version). */
export async function updateHouseRecord(
  ctx: WriteContext,
  current: HouseRow,
  input: HouseItem,
  version: number,
): Promise<Outcome> {
  const [address] = await resolveAddresses(ctx, [input]);
  const [building] = await resolveBuildings(ctx, [input]);
  if (!address) return rejected(0, WRITE_TEXT.noAddress);
  if (Array.isArray(address) || Array.isArray(building)) {
    return rejected(0, [
      ...(Array.isArray(address) ? address : []),
      ...(Array.isArray(building) ? building : []),
    ]);
  }
  if (address.id !== current.address_id) {
    const [clash] = await houses.findHousesByAddresses(ctx.trx, [address.id]);
    if (clash) return existsAlready('house', 0, clash.id);
  }
  return changeRecord(ctx, HOUSE_TABLE, 0, current, houseValues(input, address, building ?? null), version);
}

/** The houses residents live in: given by id, or the house at an address — created there when there is none. */
async function resolveHouses(
  ctx: WriteContext,
  items: readonly {
    houseId?: number | null | undefined;
    address?: AddressInput | null;
    houseUse?: HouseUse | undefined;
  }[],
): Promise<(HouseRow | LocalizedText[])[]> {
  const results: (HouseRow | LocalizedText[])[] = [];
  const resolved = await resolveAddresses(
    ctx,
    items.map((i) => (typeof i.houseId === 'number' ? {} : { address: i.address })),
  );
  const addressIds = resolved
    .filter((r): r is StoredAddress => r !== null && !Array.isArray(r))
    .map((a) => a.id);
  const byAddress = new Map(
    (await houses.findHousesByAddresses(ctx.trx, addressIds)).map((h) => [h.address_id, h]),
  );
  const toCreate = new Map<number, ReturnType<typeof houseValues>>();
  for (const [index, item] of items.entries()) {
    const address = resolved[index];
    if (address && !Array.isArray(address) && !byAddress.has(address.id) && !toCreate.has(address.id)) {
      toCreate.set(address.id, houseValues({ use: item.houseUse ?? 'selfOccupied' }, address, null));
    }
  }
  const inserted = await houses.insertHouses(ctx.trx, [...toCreate.values()], ctx.now);
  for (const row of inserted) byAddress.set(row.address_id, row);
  createdOutcomes(
    ctx,
    HOUSE_TABLE,
    inserted.map((values) => ({ row: 0, id: values.id, values })),
  );
  if (inserted.length < toCreate.size) {
    for (const row of await houses.findHousesByAddresses(ctx.trx, [...toCreate.keys()]))
      byAddress.set(row.address_id, row);
  }
  for (const [index, item] of items.entries()) {
    if (typeof item.houseId === 'number') {
      const house = await houses.findHouseRow(ctx.trx, item.houseId);
      if (!house) results.push([localized(WRITE_TEXT.houseIdNotFound, { id: item.houseId })]);
      else if (!inScope(ctx.actor, house.region_code))
        results.push([outOfScopeText('house', house.region_code)]);
      else results.push(house);
      continue;
    }
    const address = resolved[index];
    if (address === null || address === undefined) results.push([WRITE_TEXT.noAddress]);
    else if (Array.isArray(address)) results.push(address);
    else {
      const house = byAddress.get(address.id);
      results.push(house ?? [WRITE_TEXT.noAddress]);
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------------
// Residents.

function residentValues(input: ResidentInput, house: HouseRow, now: Date) {
  const facts = checkIdNumber(input.idNumber, now);
  if (!facts.ok) throw new Error('an unchecked ID number reached the writer');
  return {
    region_code: house.region_code,
    county_code: house.county_code,
    id_number: facts.value.idNumber,
    name: input.name.trim(),
    sex: facts.value.sex,
    birth_date: facts.value.birthDate,
    phone: input.phone ?? null,
    kind: input.kind,
    house_id: house.id,
    household_no: input.householdNo ?? null,
    relation: input.relation ?? null,
    care_tags: [...new Set(input.careTags ?? [])].sort(),
  };
}

const RESIDENT_TABLE = {
  entity: 'resident',
  columns: [
    'name',
    'id_number',
    'phone',
    'kind',
    'house_id',
    'household_no',
    'relation',
    'care_tags',
    'region_code',
  ],
  update: residents.updateResident,
} as const satisfies RecordTable<ReturnType<typeof residentValues>>;

/** Residents by their ID number. A person recorded outside the actor's scope is not touched. */
export async function upsertResidents(
  ctx: WriteContext,
  items: readonly Item<ResidentInput>[],
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const unique: Item<ResidentInput>[] = [];
  for (const item of items) {
    const dup = duplicate(ctx, item.row, `resident|${item.input.idNumber}`, KEY_LABELS.idNumber);
    if (dup) outcomes.push(dup);
    else unique.push(item);
  }
  const existing = new Map(
    (
      await residents.findResidentsByIdNumbers(
        ctx.trx,
        unique.map((i) => i.input.idNumber),
      )
    ).map((r) => [r.id_number, r]),
  );
  const candidates: Item<ResidentInput>[] = [];
  for (const item of unique) {
    const current = existing.get(item.input.idNumber);
    if (!current) candidates.push(item);
    else if (ctx.mode === 'create') outcomes.push(existsAlready('resident', item.row, current.id));
    else if (!inScope(ctx.actor, current.region_code)) {
      outcomes.push(outOfScope('resident', item.row, current.region_code));
    } else candidates.push(item);
  }
  const dwellings = await resolveHouses(
    ctx,
    candidates.map((c) => c.input),
  );
  const fresh: { row: number; values: ReturnType<typeof residentValues> }[] = [];
  for (const [index, item] of candidates.entries()) {
    const house = dwellings[index];
    if (!house || Array.isArray(house)) {
      outcomes.push(rejected(item.row, house ?? [WRITE_TEXT.noAddress]));
      continue;
    }
    const values = residentValues(item.input, house, ctx.now);
    const current = existing.get(values.id_number);
    if (!current) {
      fresh.push({ row: item.row, values });
      continue;
    }
    outcomes.push(await changeRecord(ctx, RESIDENT_TABLE, item.row, current, values, null));
  }
  const inserted = await residents.insertResidents(
    ctx.trx,
    fresh.map((f) => f.values),
    ctx.now,
  );
  const ids = new Map(inserted.map((r) => [r.id_number, r.id]));
  const created = fresh.flatMap((item) => {
    const id = ids.get(item.values.id_number);
    return id === undefined ? [] : [{ row: item.row, id, values: item.values }];
  });
  return [...outcomes, ...createdOutcomes(ctx, RESIDENT_TABLE, created)];
}

/** Changes one resident (by id, at a version). */
export async function updateResidentRecord(
  ctx: WriteContext,
  current: ResidentRow,
  input: ResidentInput,
  version: number,
): Promise<Outcome> {
  if (input.idNumber !== current.id_number) {
    const [clash] = await residents.findResidentsByIdNumbers(ctx.trx, [input.idNumber]);
    if (clash) return existsAlready('resident', 0, clash.id);
  }
  const [house] = await resolveHouses(ctx, [input]);
  if (!house || Array.isArray(house)) return rejected(0, house ?? [WRITE_TEXT.noAddress]);
  return changeRecord(ctx, RESIDENT_TABLE, 0, current, residentValues(input, house, ctx.now), version);
}

// ---------------------------------------------------------------------------------------------------------
// Records with a place of their own (buildings, organisations, facilities).

type Located = { place: Place; point: { lon: number; lat: number } | null };

/**
 * Resolves the address of each item of a batch and places the item — by its own point or grid, else where its
 * address lies — then builds its prepared form; an item whose address or place is refused becomes a rejection.
 */
async function placeEach<I extends PlaceInput & AddressRef, P>(
  ctx: WriteContext,
  items: readonly Item<I>[],
  build: (item: Item<I>, address: StoredAddress | null, where: Located) => P,
): Promise<(P | Rejection)[]> {
  const resolved = await resolveAddresses(
    ctx,
    items.map((i) => i.input),
  );
  const prepared: (P | Rejection)[] = [];
  for (const [index, item] of items.entries()) {
    const address = resolved[index] ?? null;
    if (Array.isArray(address)) {
      prepared.push(rejected(item.row, address));
      continue;
    }
    const fallback = address ? placeOfAddress(address, villageNameOf(address)) : null;
    const where = await ctx.placer.place(item.input, fallback);
    prepared.push(
      where instanceof PlaceProblem ? rejected(item.row, problemOf(where)) : build(item, address, where),
    );
  }
  return prepared;
}

function searchOf(...parts: (string | null | undefined)[]) {
  const text = normalizeSearchText(parts.filter(Boolean).join(''));
  return { search_text: text, search_grams: searchGrams(text) };
}

const BUILDING_TABLE = {
  entity: 'building',
  columns: ['name', 'floors', 'address_id', 'lon', 'lat', 'region_code'],
  update: buildings.updateBuilding,
} as const satisfies RecordTable<PreparedBuilding['values']>;

export type BuildingItem = BuildingInput & { code?: string | null };

interface PreparedBuilding {
  row: number;
  code: string | null;
  values: {
    region_code: string;
    county_code: string;
    name: string;
    floors: number | null;
    address_id: number | null;
    lon: number | null;
    lat: number | null;
    search_text: string;
    search_grams: string[];
  };
  villageName: string;
  addressText: string | null;
}

function prepareBuildings(
  ctx: WriteContext,
  items: readonly Item<BuildingItem>[],
): Promise<(PreparedBuilding | Rejection)[]> {
  return placeEach(ctx, items, (item, address, where) => ({
    row: item.row,
    code: item.input.code ?? null,
    values: {
      ...placeValues(where.place),
      name: item.input.name.trim(),
      floors: item.input.floors ?? null,
      address_id: address?.id ?? null,
      lon: where.point?.lon ?? null,
      lat: where.point?.lat ?? null,
      ...searchOf(item.input.name, where.place.villageName, address?.canonical_text),
    },
    villageName: where.place.villageName,
    addressText: address?.canonical_text ?? null,
  }));
}

/**
 * Buildings by their standard code, or — without one — by their address. A new building is numbered in the grid
 * it lies in: the grid code and the next free 4-digit sequence.
 */
export async function upsertBuildings(
  ctx: WriteContext,
  items: readonly Item<BuildingItem>[],
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const ready: PreparedBuilding[] = [];
  for (const prepared of await prepareBuildings(ctx, items)) {
    if ('status' in prepared) {
      outcomes.push(prepared);
      continue;
    }
    if (!prepared.code && prepared.values.address_id === null) {
      outcomes.push(rejected(prepared.row, WRITE_TEXT.buildingNeedsAddress));
      continue;
    }
    const key = prepared.code ? `code|${prepared.code}` : `address|${prepared.values.address_id}`;
    const dup = duplicate(
      ctx,
      prepared.row,
      `building|${key}`,
      prepared.code ? KEY_LABELS.code : KEY_LABELS.address,
    );
    if (dup) outcomes.push(dup);
    else ready.push(prepared);
  }
  const byCode = new Map(
    (
      await buildings.findBuildingsByCodes(
        ctx.trx,
        ready.flatMap((r) => (r.code ? [r.code] : [])),
      )
    ).map((b) => [b.code, b]),
  );
  const byAddress = new Map(
    (
      await buildings.findBuildingsByAddresses(
        ctx.trx,
        ready.flatMap((r) => (!r.code && r.values.address_id !== null ? [r.values.address_id] : [])),
      )
    ).map((b) => [b.address_id, b]),
  );
  const fresh: PreparedBuilding[] = [];
  for (const item of ready) {
    const current = item.code ? byCode.get(item.code) : byAddress.get(item.values.address_id);
    if (item.code && !current) {
      outcomes.push(rejected(item.row, localized(WRITE_TEXT.unknownBuildingCode, { code: item.code })));
    } else if (!current) fresh.push(item);
    else if (ctx.mode === 'create') outcomes.push(existsAlready('building', item.row, current.id));
    else outcomes.push(await changeBuilding(ctx, item.row, current, item, null));
  }
  if (fresh.length === 0) return outcomes;
  const sequences = await buildings.lockAndReadBuildingSequences(ctx.trx, [
    ...new Set(fresh.map((f) => f.values.region_code)),
  ]);
  const rows = fresh.map((f) => {
    const seq = (sequences.get(f.values.region_code) ?? 0) + 1;
    sequences.set(f.values.region_code, seq);
    const code = `${f.values.region_code}${String(seq).padStart(4, '0')}`;
    return {
      ...f.values,
      ...searchOf(f.values.name, code, f.villageName, f.addressText),
      code,
      created_at: ctx.now,
      updated_at: ctx.now,
    };
  });
  const inserted = await buildings.insertBuildings(ctx.trx, rows);
  const created = insertedOf(fresh, inserted);
  return [
    ...outcomes,
    ...createdOutcomes(ctx, { ...BUILDING_TABLE, columns: ['code', ...BUILDING_TABLE.columns] }, created),
  ];
}

/** A building changed: its search text keeps its code, given once. */
function changeBuilding(
  ctx: WriteContext,
  row: number,
  current: BuildingRow,
  item: PreparedBuilding,
  version: number | null,
): Promise<Outcome> {
  const values = {
    ...item.values,
    ...searchOf(item.values.name, current.code, item.villageName, item.addressText),
  };
  return changeRecord(ctx, BUILDING_TABLE, row, current, values, version);
}

/** Changes one building (by id, at a version); its code stays. */
export async function updateBuildingRecord(
  ctx: WriteContext,
  current: BuildingRow,
  input: BuildingInput,
  version: number,
): Promise<Outcome> {
  const [prepared] = await prepareBuildings(ctx, [{ row: 0, input }]);
  if (!prepared || 'status' in prepared) return prepared ?? rejected(0, WRITE_TEXT.noAddress);
  if (prepared.values.address_id !== null && prepared.values.address_id !== current.address_id) {
    const [clash] = await buildings.findBuildingsByAddresses(ctx.trx, [prepared.values.address_id]);
    if (clash) return existsAlready('building', 0, clash.id);
  }
  return changeBuilding(ctx, 0, current, prepared, version);
}

type OrganisationValues = Omit<OrganisationRow, 'id' | 'version' | 'created_at' | 'updated_at'>;

const ORGANISATION_TABLE = {
  entity: 'organisation',
  columns: [
    'name',
    'type',
    'uscc',
    'contact_name',
    'contact_phone',
    'address_id',
    'lon',
    'lat',
    'region_code',
  ],
  update: organisations.updateOrganisation,
} as const satisfies RecordTable<OrganisationValues>;

function prepareOrganisations(ctx: WriteContext, items: readonly Item<OrganisationInput>[]) {
  return placeEach(ctx, items, (item, address, where) => ({
    row: item.row,
    values: {
      ...placeValues(where.place),
      name: item.input.name.trim(),
      type: item.input.type,
      uscc: item.input.uscc ?? null,
      contact_name: item.input.contactName ?? null,
      contact_phone: item.input.contactPhone ?? null,
      address_id: address?.id ?? null,
      lon: where.point?.lon ?? null,
      lat: where.point?.lat ?? null,
      ...searchOf(item.input.name, where.place.villageName, address?.canonical_text),
    },
  }));
}

const organisationKey = (v: { uscc: string | null; name: string; address_id: number | null }) =>
  v.uscc ? `uscc|${v.uscc}` : `name|${v.name}|${v.address_id ?? 0}`;

/** Organisations by their credit code, or — without one — by their name at their address. */
export async function upsertOrganisations(
  ctx: WriteContext,
  items: readonly Item<OrganisationInput>[],
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const ready: { row: number; values: OrganisationValues }[] = [];
  for (const prepared of await prepareOrganisations(ctx, items)) {
    if ('status' in prepared) {
      outcomes.push(prepared);
      continue;
    }
    const dup = duplicate(
      ctx,
      prepared.row,
      `organisation|${organisationKey(prepared.values)}`,
      prepared.values.uscc ? KEY_LABELS.uscc : KEY_LABELS.nameAtAddress,
    );
    if (dup) outcomes.push(dup);
    else ready.push(prepared);
  }
  const existing = new Map(
    (
      await organisations.findOrganisationsByKeys(ctx.trx, {
        usccs: ready.flatMap((r) => (r.values.uscc ? [r.values.uscc] : [])),
        named: ready.flatMap((r) =>
          r.values.uscc ? [] : [{ name: r.values.name, addressId: r.values.address_id }],
        ),
      })
    ).map((o) => [organisationKey(o), o]),
  );
  const fresh = await settleExisting(ctx, ORGANISATION_TABLE, ready, outcomes, (values) =>
    existing.get(organisationKey(values)),
  );
  const inserted = await organisations.insertOrganisations(ctx.trx, newRows(ctx, fresh));
  return [...outcomes, ...createdOutcomes(ctx, ORGANISATION_TABLE, insertedOf(fresh, inserted))];
}

/** Changes one organisation (by id, at a version). */
export async function updateOrganisationRecord(
  ctx: WriteContext,
  current: OrganisationRow,
  input: OrganisationInput,
  version: number,
): Promise<Outcome> {
  const [prepared] = await prepareOrganisations(ctx, [{ row: 0, input }]);
  if (!prepared || 'status' in prepared) return prepared ?? rejected(0, WRITE_TEXT.noAddress);
  if (organisationKey(prepared.values) !== organisationKey(current)) {
    const [clash] = await organisations.findOrganisationsByKeys(ctx.trx, {
      usccs: prepared.values.uscc ? [prepared.values.uscc] : [],
      named: prepared.values.uscc
        ? []
        : [{ name: prepared.values.name, addressId: prepared.values.address_id }],
    });
    if (clash && clash.id !== current.id) return existsAlready('organisation', 0, clash.id);
  }
  return changeRecord(ctx, ORGANISATION_TABLE, 0, current, prepared.values, version);
}

const FACILITY_TABLE = {
  entity: 'facility',
  columns: ['code', 'type', 'name', 'status', 'last_checked_on', 'address_id', 'lon', 'lat', 'region_code'],
  update: facilities.updateFacility,
} as const satisfies RecordTable<Omit<FacilityRow, 'id' | 'version' | 'created_at' | 'updated_at'>>;

async function prepareFacility(ctx: WriteContext, item: Item<FacilityInput>) {
  const where = await ctx.placer.place(item.input);
  if (where instanceof PlaceProblem) return rejected(item.row, problemOf(where));
  const [address] =
    typeof item.input.addressId === 'number' ? await resolveAddresses(ctx, [item.input]) : [null];
  if (Array.isArray(address)) return rejected(item.row, address);
  return {
    row: item.row,
    values: {
      ...placeValues(where.place),
      code: item.input.code.trim(),
      type: item.input.type,
      name: item.input.name ?? null,
      status: item.input.status ?? 'normal',
      last_checked_on: item.input.lastCheckedOn ?? null,
      address_id: address?.id ?? null,
      lon: where.point?.lon ?? item.input.lon,
      lat: where.point?.lat ?? item.input.lat,
      ...searchOf(
        item.input.code,
        item.input.name,
        FACILITY_TYPE_LABELS[item.input.type].zh,
        where.place.villageName,
        address?.canonical_text,
      ),
    },
  };
}

/** Facilities by their code. */
export async function upsertFacilities(
  ctx: WriteContext,
  items: readonly Item<FacilityInput>[],
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const ready: Exclude<Awaited<ReturnType<typeof prepareFacility>>, Rejection>[] = [];
  for (const item of items) {
    const dup = duplicate(ctx, item.row, `facility|${item.input.code.trim()}`, KEY_LABELS.code);
    if (dup) {
      outcomes.push(dup);
      continue;
    }
    const prepared = await prepareFacility(ctx, item);
    if ('status' in prepared) outcomes.push(prepared);
    else ready.push(prepared);
  }
  const existing = new Map(
    (
      await facilities.findFacilitiesByCodes(
        ctx.trx,
        ready.map((r) => r.values.code),
      )
    ).map((f) => [f.code, f]),
  );
  const fresh = await settleExisting(ctx, FACILITY_TABLE, ready, outcomes, (values) =>
    existing.get(values.code),
  );
  const inserted = await facilities.insertFacilities(ctx.trx, newRows(ctx, fresh));
  return [...outcomes, ...createdOutcomes(ctx, FACILITY_TABLE, insertedOf(fresh, inserted))];
}

/** Changes one facility (by id, at a version). */
export async function updateFacilityRecord(
  ctx: WriteContext,
  current: FacilityRow,
  input: FacilityInput,
  version: number,
): Promise<Outcome> {
  const prepared = await prepareFacility(ctx, { row: 0, input });
  if ('status' in prepared) return prepared;
  if (prepared.values.code !== current.code) {
    const [clash] = await facilities.findFacilitiesByCodes(ctx.trx, [prepared.values.code]);
    if (clash) return existsAlready('facility', 0, clash.id);
  }
  return changeRecord(ctx, FACILITY_TABLE, 0, current, prepared.values, version);
}
