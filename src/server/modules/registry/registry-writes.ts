import type { LocalizedText } from '../../../shared/errors.ts';
import { REGISTRY_ENTITY_LABELS, type RegistryEntity } from '../../../shared/registry.ts';
import { maskIdNumber, maskPhone } from '../../../shared/registry-validation.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict } from '../../errors.ts';
import type { RecordAuditOptions } from '../audit/audit.service.ts';
import { inScope } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import type { NewAddressRow } from './registry.table.ts';
import { localized } from './registry-columns.ts';
import { type Place, PlaceProblem, type Placer } from './registry-place.ts';
import { normalizeSearchText, searchGrams } from './registry-search.ts';

/*
 * How registry records are written: what every entity's writer shares (address-writes.ts, building-writes.ts,
 * house-writes.ts, resident-writes.ts, organisation-writes.ts, facility-writes.ts). Each resolves the addresses
 * and houses its records hang off, places them into grids, builds their row values and search text, and inserts
 * or updates them in batches. One path serves an import batch, a single record created through the API (a batch
 * of one that must be new) and an update.
 */

export const WRITE_TEXT = {
  duplicateInFile: {
    zh: '与第 {row} 行重复（{key}相同），本行未导入',
    en: 'repeats row {row} (same {key}); this row was not imported',
  },
  alreadyExists: { zh: '{entity}已存在（编号 {id}）', en: '{entity} already exists (id {id})' },
  noAddress: {
    zh: '请填写地址（或选择已有的标准地址）',
    en: 'give the address (or choose a standard address)',
  },
  outOfScope: {
    zh: '该{entity}登记在{region}，不在您的数据范围内',
    en: 'this {entity} is recorded in {region}, outside your data scope',
  },
} as const satisfies Record<string, LocalizedText>;

export const KEY_LABELS = {
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

export type Rejection = { row: number; status: 'rejected'; reasons: LocalizedText[]; existingId?: number };

export function rejected(
  row: number,
  reasons: LocalizedText | LocalizedText[],
  existingId?: number,
): Rejection {
  return { row, status: 'rejected', reasons: Array.isArray(reasons) ? reasons : [reasons], existingId };
}

export function problemOf(value: PlaceProblem | LocalizedText[]): LocalizedText[] {
  return value instanceof PlaceProblem ? [value.localized()] : value;
}

/** The in-file duplicate check: a rejection naming the earlier row, or null for a first occurrence. */
export function duplicate(
  ctx: WriteContext,
  row: number,
  key: string,
  label: LocalizedText,
): Rejection | null {
  const first = ctx.firstRowOf(key, row);
  return first === null
    ? null
    : rejected(row, localized(WRITE_TEXT.duplicateInFile, { row: first, key: label }));
}

export function existsAlready(entity: RegistryEntity, row: number, id: number): Rejection {
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

export function outOfScopeText(entity: RegistryEntity, regionCode: string): LocalizedText {
  return localized(WRITE_TEXT.outOfScope, {
    entity: { zh: ENTITY_NAMES[entity].zh, en: ENTITY_NAMES[entity].en.replace(/^The /, '').toLowerCase() },
    region: regionCode,
  });
}

export function outOfScope(entity: RegistryEntity, row: number, regionCode: string): Rejection {
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
export interface RecordTable<Values extends Placed> {
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
export async function changeRecord<Values extends Placed>(
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
export async function settleExisting<Values extends Placed>(
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
export function newRows<Values>(ctx: WriteContext, fresh: readonly { values: Values }[]) {
  return fresh.map((f) => ({ ...f.values, created_at: ctx.now, updated_at: ctx.now }));
}

/** The outcomes of records just inserted, each audited with its initial values. */
export function createdOutcomes(
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
export function insertedOf<R extends Placed & { id: number }>(
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

export const placeValues = (place: Place) => ({
  region_code: place.regionCode,
  county_code: place.countyCode,
});

/** The search text of a record and its grams, from the parts people look for it by. */
export function searchOf(...parts: (string | null | undefined)[]) {
  const text = normalizeSearchText(parts.filter(Boolean).join(''));
  return { search_text: text, search_grams: searchGrams(text) };
}

/** The row values of an address (address-writes.ts). */
export type AddressValues = Omit<NewAddressRow, 'created_at' | 'updated_at' | 'version'>;

/**
 * Addresses placed and their row values worked out, by their parts and place. Members of a household give the
 * same address, which is then worked out once; an import works out a batch's ahead (`placeAddresses`), while the
 * previous batch is being written.
 */
export type PlacedAddresses = Map<string, AddressValues | LocalizedText[]>;

/** The context of a write through the API: `create` refuses a record that exists, `import` changes it. */
export function apiWriteContext(
  actor: Actor,
  trx: Db,
  now: Date,
  mode: 'import' | 'create',
  placer: Placer,
): WriteContext {
  return {
    trx,
    actor,
    placer,
    now,
    importId: null,
    mode,
    firstRowOf: () => null,
    audit: [],
    createdByImport: new Map(),
  };
}

/** The outcome of a single-record write as an answer: the record, or the error a client can act on. */
export function throwIfRefused(
  entity: RegistryEntity,
  outcome: Outcome | undefined,
  version?: number,
): number {
  if (!outcome) throw new AppError('VALIDATION_FAILED', { summary: WRITE_TEXT.noAddress });
  if (outcome.status === 'conflict') throw conflict(REGISTRY_ENTITY_LABELS[entity], version ?? 0);
  if (outcome.status === 'rejected') {
    if (outcome.existingId !== undefined) {
      throw new AppError('ALREADY_EXISTS', {
        entity: REGISTRY_ENTITY_LABELS[entity],
        id: outcome.existingId,
      });
    }
    throw new AppError('VALIDATION_FAILED', { summary: joinReasons(outcome.reasons) });
  }
  return outcome.id;
}

function joinReasons(reasons: readonly LocalizedText[]): LocalizedText {
  return { zh: reasons.map((r) => r.zh).join('；'), en: reasons.map((r) => r.en).join('; ') };
}
