/**
 * Checkpoints (卡点): an administrator places checkpoints on the map (located into their leaf grid) and keeps
 * their duty rosters; the staff's phones upload entries in batches, each stored once by its client key; the
 * console reads entries (ID numbers masked, revealed one at a time and logged) and daily counts.
 */
import {
  type CheckpointDetail,
  type CheckpointInput,
  type CheckpointList,
  type CheckpointListQuery,
  type CheckpointPatch,
  type CountQuery,
  type DailyCountList,
  ENTRY_CLOCK_SKEW_MS,
  type EntryBatch,
  type EntryBatchResult,
  type EntryListQuery,
  type EntryPage,
  type EntryResult,
  MAX_COUNT_DAYS,
  type RosterInput,
  type StaffList,
} from '../../../shared/checkpoints.ts';
import { type LocalizedText, localize } from '../../../shared/errors.ts';
import { CODE_LENGTH } from '../../../shared/territory.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { invalidFields, shanghaiDay } from '../patrols/patrol.policy.ts';
import { assertInScope, assertVolunteerTool } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { narrowScope, regionScope, type Scope, scopeHoldsRegion } from '../people/scope.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import {
  assertMayExport,
  assertMayLog,
  assertMayManage,
  assertMayRead,
  assertMayReveal,
  CHECKPOINT,
  CHECKPOINT_ENTRY,
} from './checkpoint.policy.ts';
import { presentCheckpoint, presentEntry, type RegionNames } from './checkpoint.presenter.ts';
import * as repo from './checkpoint.repository.ts';
import type { CheckpointRow } from './checkpoint.table.ts';
import { checkEntry } from './checkpoint-entry.ts';
import type { VisitForm, VisitFormSource } from './household-visit.service.ts';

export interface CheckpointServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  territory: Pick<TerritoryService, 'locateCode' | 'getRegionNames'>;
  /**
   * The checkpoint's form: its checks are asked and answered as that form's published version says, and an
   * entry's answers are read by the version it was checked against.
   */
  forms: Pick<VisitFormSource, 'publishedForm' | 'formVersion'>;
}

const TEXT = {
  outside: { zh: '该位置不在任何网格内', en: 'the point lies in no grid' },
  volunteerLog: {
    zh: '登记卡点通行（志愿者仅可在已签到的志愿任务指定的卡点登记）',
    en: 'log checkpoint entries (a volunteer logs only at the checkpoint of the task they are signed in to)',
  },
  notStaff: { zh: '不是该卡点所在村居的用户', en: 'not a user of the checkpoint’s village' },
  range: { zh: '开始日期晚于结束日期', en: 'the start date is after the end date' },
  tooLong: {
    zh: `查询范围不能超过 ${MAX_COUNT_DAYS} 天`,
    en: `the period cannot exceed ${MAX_COUNT_DAYS} days`,
  },
  otherKey: {
    zh: '该客户端编号已被另一条登记使用',
    en: 'the client key belongs to another entry',
  },
} satisfies Record<string, LocalizedText>;

const EXPORT_PAGE = 2_000;
const DAY_MS = 86_400_000;

export type CheckpointService = ReturnType<typeof createCheckpointService>;

/** What an export writes: a header row, then rows, to a CSV or XLSX writer the route owns. */
export interface TableSink {
  headers(headers: string[]): Promise<void>;
  row(cells: (string | number)[]): Promise<void>;
}

export function createCheckpointService(deps: CheckpointServiceDeps) {
  const { db, clock, audit, territory } = deps;
  const countyOf = (code: string) => code.slice(0, CODE_LENGTH.county);

  async function namesOf(gridCodes: readonly string[]): Promise<RegionNames> {
    const codes = new Set<string>();
    for (const code of gridCodes) {
      codes.add(code);
      codes.add(code.slice(0, CODE_LENGTH.village));
    }
    return territory.getRegionNames([...codes]);
  }

  /** The checkpoint, when the actor may read it; another village's is "not found", so ids reveal nothing. */
  async function visible(actor: Actor, id: number): Promise<CheckpointRow> {
    const row = await repo.findCheckpoint(db, id);
    if (!row || !inActorScope(actor, row.grid_code)) throw notFound(CHECKPOINT, id);
    return row;
  }
  const inActorScope = (actor: Actor, code: string) => scopeHoldsRegion(regionScope(actor), code);

  /**
   * The published versions of these forms as the actor may use them, by form id; a form without a published
   * version (or out of the actor's branch) is left out, and its checkpoint asks no extra checks.
   */
  async function formsOf(actor: Actor, formIds: readonly (number | null)[]): Promise<Map<number, VisitForm>> {
    const ids = [...new Set(formIds.filter((id): id is number => id !== null))];
    const found = await Promise.all(ids.map((id) => deps.forms.publishedForm(actor, id).catch(() => null)));
    return new Map(found.flatMap((form) => (form ? [[form.formId, form] as const] : [])));
  }

  /** A formId given to a checkpoint names a form with a published version: 4xx naming formId otherwise. */
  async function assertUsableForm(actor: Actor, formId: number | null | undefined): Promise<void> {
    if (formId !== null && formId !== undefined) await deps.forms.publishedForm(actor, formId);
  }

  async function present(actor: Actor, rows: CheckpointRow[], withRoster: boolean) {
    const now = clock.now();
    const ids = rows.map((r) => r.id);
    const [names, totals, duties, forms] = await Promise.all([
      namesOf(rows.map((r) => r.grid_code)),
      repo.todayTotals(db, ids, shanghaiDay(now)),
      repo.listDuties(db, ids),
      formsOf(
        actor,
        rows.map((r) => r.form_id),
      ),
    ]);
    const userNames = await repo.userNames(
      db,
      duties.flatMap((d) => (d.user_id === null ? [] : [d.user_id])),
    );
    return rows.map((row) =>
      presentCheckpoint(row, {
        names,
        today: totals.get(row.id),
        duties: duties.filter((d) => d.checkpoint_id === row.id),
        userNames,
        now,
        withRoster,
        formVersionId: row.form_id === null ? null : (forms.get(row.form_id)?.id ?? null),
      }),
    );
  }

  /**
   * A volunteer reads only the checkpoint of the shift they are signed in to — enough for the field view to log
   * at it — and none of its entries or counts.
   */
  async function volunteersCheckpoint(actor: Actor): Promise<CheckpointList> {
    const id = actor.volunteerTask?.checkpointId;
    if (!id) return { checkpoints: [] };
    return { checkpoints: await present(actor, [await visible(actor, id)], false) };
  }

  async function listCheckpoints(actor: Actor, query: CheckpointListQuery): Promise<CheckpointList> {
    if (actor.role === 'volunteer') return volunteersCheckpoint(actor);
    assertMayRead(actor);
    const scope = query.regionCode ? narrowScope(regionScope(actor), query.regionCode) : regionScope(actor);
    const rows = await repo.listCheckpoints(db, scope, { status: query.status });
    return { checkpoints: await present(actor, rows, false) };
  }

  async function getCheckpoint(actor: Actor, id: number): Promise<CheckpointDetail> {
    assertMayRead(actor);
    const [detail] = await present(actor, [await visible(actor, id)], true);
    return detail as CheckpointDetail;
  }

  async function locate(actor: Actor, lon: number, lat: number): Promise<string> {
    const grid = await territory.locateCode(lon, lat);
    if (!grid) throw invalidFields(actor, [{ path: 'lon', text: TEXT.outside }]);
    assertInScope(actor, grid, CHECKPOINT);
    return grid;
  }

  async function createCheckpoint(actor: Actor, input: CheckpointInput): Promise<CheckpointDetail> {
    assertMayManage(actor);
    await assertUsableForm(actor, input.formId);
    const grid = await locate(actor, input.lon, input.lat);
    const now = clock.now();
    const id = await db.transaction().execute(async (trx) => {
      const created = await repo.insertCheckpoint(trx, {
        name: input.name,
        kind: input.kind,
        status: input.status,
        lon: input.lon,
        lat: input.lat,
        grid_code: grid,
        county_code: countyOf(grid),
        note: input.note,
        form_id: input.formId ?? null,
        created_at: now,
        updated_at: now,
      });
      await audit.record(trx, {
        actor,
        action: 'checkpoint.create',
        entityType: 'checkpoint',
        entityId: created,
        countyCode: countyOf(grid),
        details: { regionCode: grid, name: input.name },
      });
      return created;
    });
    return getCheckpoint(actor, id);
  }

  async function updateCheckpoint(
    actor: Actor,
    id: number,
    patch: CheckpointPatch,
  ): Promise<CheckpointDetail> {
    assertMayManage(actor);
    const row = await visible(actor, id);
    await assertUsableForm(actor, patch.formId);
    const lon = patch.lon ?? row.lon;
    const lat = patch.lat ?? row.lat;
    const grid = lon !== row.lon || lat !== row.lat ? await locate(actor, lon, lat) : row.grid_code;
    await db.transaction().execute(async (trx) => {
      const version = await repo.updateCheckpoint(trx, id, patch.version, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.note !== undefined ? { note: patch.note } : {}),
        ...(patch.formId !== undefined ? { form_id: patch.formId } : {}),
        lon,
        lat,
        grid_code: grid,
        county_code: countyOf(grid),
        updated_at: clock.now(),
      });
      if (version === undefined) throw conflict(CHECKPOINT, row.version);
      const { version: _version, ...changes } = patch;
      await audit.record(trx, {
        actor,
        action: 'checkpoint.update',
        entityType: 'checkpoint',
        entityId: id,
        countyCode: countyOf(grid),
        details: { regionCode: grid, changes },
      });
    });
    return getCheckpoint(actor, id);
  }

  async function listStaff(actor: Actor, id: number): Promise<StaffList> {
    assertMayRead(actor);
    const row = await visible(actor, id);
    const users = await repo.listVillageUsers(db, row.grid_code.slice(0, CODE_LENGTH.village));
    return { staff: users.map((u) => ({ id: u.id, name: u.display_name, role: u.role })) };
  }

  async function setRoster(actor: Actor, id: number, input: RosterInput): Promise<CheckpointDetail> {
    assertMayManage(actor);
    const row = await visible(actor, id);
    const staff = new Map(
      (await repo.listVillageUsers(db, row.grid_code.slice(0, CODE_LENGTH.village))).map((u) => [u.id, u]),
    );
    const issues = input.duties.flatMap((d, i) =>
      d.userId !== null && !staff.has(d.userId) ? [{ path: `duties.${i}.userId`, text: TEXT.notStaff }] : [],
    );
    if (issues.length) throw invalidFields(actor, issues.slice(0, 20));
    const seqs = new Map<string, number>();
    const duties = input.duties.map((d) => {
      const slot = `${d.weekday}/${d.shift}`;
      const seq = seqs.get(slot) ?? 0;
      seqs.set(slot, seq + 1);
      return {
        checkpoint_id: id,
        weekday: d.weekday,
        shift: d.shift,
        seq,
        user_id: d.userId,
        // A user's name as it was when put on the roster: the roster reads without the users table.
        name: d.userId !== null ? (staff.get(d.userId)?.display_name ?? '') : (d.name ?? ''),
      };
    });
    await db.transaction().execute(async (trx) => {
      const version = await repo.updateCheckpoint(trx, id, input.version, { updated_at: clock.now() });
      if (version === undefined) throw conflict(CHECKPOINT, row.version);
      await repo.replaceDuties(trx, id, duties);
      await audit.record(trx, {
        actor,
        action: 'checkpoint.roster',
        entityType: 'checkpoint',
        entityId: id,
        countyCode: row.county_code,
        details: { regionCode: row.grid_code, duties: duties.length },
      });
    });
    return getCheckpoint(actor, id);
  }

  /**
   * The versions the batch's entries say the phone asked, those that are published versions of the checkpoint's
   * form (a version of another form, or a draft, is left out: its entries are refused naming it).
   */
  async function versionsNamed(
    checkpoint: CheckpointRow,
    batch: EntryBatch,
  ): Promise<Map<number, VisitForm>> {
    if (checkpoint.form_id === null) return new Map();
    const ids = new Set(batch.entries.flatMap((e) => (e.formVersionId ? [e.formVersionId] : [])));
    const found = await Promise.all(
      [...ids].map((id) =>
        deps.forms.formVersion(id).catch((error: unknown) => {
          // A draft or a version that does not exist: refused per entry below; anything else is a real fault.
          if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
          throw error;
        }),
      ),
    );
    return new Map(
      found.flatMap((version) =>
        version && version.formId === checkpoint.form_id ? [[version.id, version] as const] : [],
      ),
    );
  }

  /**
   * Stores a batch from a phone. Each entry is checked on its own and answered on its own — stored, already
   * stored (a replay: same key, same checkpoint and writer), or rejected with its fields — so one bad entry
   * does not hold back the queue behind it.
   */
  async function logEntries(
    actor: Actor,
    checkpointId: number,
    batch: EntryBatch,
  ): Promise<EntryBatchResult> {
    assertMayLog(actor);
    assertVolunteerTool(actor, 'checkpointId', checkpointId, TEXT.volunteerLog);
    const checkpoint = await visible(actor, checkpointId);
    const now = clock.now();
    const latest = now.getTime() + ENTRY_CLOCK_SKEW_MS;
    const form =
      checkpoint.form_id === null
        ? null
        : ((await formsOf(actor, [checkpoint.form_id])).get(checkpoint.form_id) ?? null);
    const versions = await versionsNamed(checkpoint, batch);
    const results = new Map<string, EntryResult>();
    const rows: repo.NewEntry[] = [];
    for (const [index, entry] of batch.entries.entries()) {
      const checked = checkEntry(entry, { checkpoint, latest, now, form, versions });
      if (!checked.ok) {
        results.set(entry.clientKey, {
          clientKey: entry.clientKey,
          status: 'rejected',
          id: null,
          issues: checked.issues.map((i) => ({
            path: `entries.${index}.${i.path}`,
            message: localize(i.text, actor.locale),
          })),
        });
        continue;
      }
      if (results.has(entry.clientKey)) continue;
      rows.push({
        ...checked.row,
        client_key: entry.clientKey,
        checkpoint_id: checkpoint.id,
        grid_code: checkpoint.grid_code,
        day: shanghaiDay(new Date(entry.at)),
        recorded_by: actor.id,
        created_at: now,
      });
      results.set(entry.clientKey, { clientKey: entry.clientKey, status: 'stored', id: null, issues: [] });
    }
    const inserted = await repo.insertEntries(db, rows);
    const fresh = new Map(inserted.map((r) => [r.client_key, r.id]));
    const replayed = await repo.findEntriesByKeys(
      db,
      rows.filter((r) => !fresh.has(r.client_key)).map((r) => r.client_key),
    );
    for (const [key, id] of fresh) results.set(key, { clientKey: key, status: 'stored', id, issues: [] });
    for (const old of replayed) {
      const own = old.checkpoint_id === checkpoint.id && old.recorded_by === actor.id;
      results.set(old.client_key, {
        clientKey: old.client_key,
        status: own ? 'duplicate' : 'rejected',
        id: own ? old.id : null,
        issues: own ? [] : [{ path: 'clientKey', message: localize(TEXT.otherKey, actor.locale) }],
      });
    }
    const list = batch.entries.map((e) => results.get(e.clientKey) as EntryResult);
    return {
      stored: inserted.length,
      duplicates: list.filter((r) => r.status === 'duplicate').length,
      rejected: list.filter((r) => r.status === 'rejected').length,
      results: list,
    };
  }

  /** The period asked for, defaulting to the last seven days to today (Asia/Shanghai). */
  function period(actor: Actor, query: { from?: string | undefined; to?: string | undefined }) {
    const to = query.to ?? shanghaiDay(clock.now());
    const from = query.from ?? new Date(Date.parse(to) - 6 * DAY_MS).toISOString().slice(0, 10);
    if (from > to) throw invalidFields(actor, [{ path: 'from', text: TEXT.range }]);
    if (Date.parse(to) - Date.parse(from) >= MAX_COUNT_DAYS * DAY_MS)
      throw invalidFields(actor, [{ path: 'from', text: TEXT.tooLong }]);
    return { from, to };
  }

  function readScope(actor: Actor, regionCode: string | undefined): Scope {
    return regionCode ? narrowScope(regionScope(actor), regionCode) : regionScope(actor);
  }

  async function listEntries(actor: Actor, query: EntryListQuery): Promise<EntryPage> {
    assertMayRead(actor);
    const { page, pageSize, ...filters } = query;
    const filter = { ...filters, ...period(actor, query) };
    const scope = readScope(actor, query.regionCode);
    const [total, rows] = await Promise.all([
      repo.countEntries(db, scope, filter),
      repo.listEntries(db, scope, filter, { limit: pageSize, offset: (page - 1) * pageSize }),
    ]);
    const versions = new Map<number, VisitForm>();
    await loadVersions(versions, rows);
    return { total, entries: rows.map((row) => presentEntry(actor, row, definitionOf(versions, row))) };
  }

  /** Adds to `versions` the form versions these entries answered that it does not hold yet. */
  async function loadVersions(versions: Map<number, VisitForm>, rows: readonly repo.EntryView[]) {
    const missing = new Set(
      rows.flatMap((r) =>
        r.form_version_id === null || versions.has(r.form_version_id) ? [] : [r.form_version_id],
      ),
    );
    for (const version of await Promise.all([...missing].map((id) => deps.forms.formVersion(id)))) {
      versions.set(version.id, version);
    }
  }
  const definitionOf = (versions: Map<number, VisitForm>, row: repo.EntryView) =>
    row.form_version_id === null ? undefined : versions.get(row.form_version_id)?.definition;

  async function revealEntry(actor: Actor, id: number): Promise<{ field: 'idNumber'; value: string | null }> {
    assertMayReveal(actor);
    const row = await repo.findEntry(db, id);
    if (!row || !inActorScope(actor, row.grid_code)) throw notFound(CHECKPOINT_ENTRY, id);
    await audit.record(db, {
      actor,
      action: 'checkpoint.reveal',
      entityType: 'checkpoint_entry',
      entityId: id,
      countyCode: countyOf(row.grid_code),
      details: { regionCode: row.grid_code, recordIds: [id], fields: ['idNumber'] },
    });
    return { field: 'idNumber', value: row.id_number };
  }

  async function dailyCounts(actor: Actor, query: CountQuery): Promise<DailyCountList> {
    assertMayRead(actor);
    const range = period(actor, query);
    const rows = await repo.dailyCounts(db, readScope(actor, query.regionCode), { ...query, ...range });
    const names = await namesOf(rows.map((r) => r.gridCode));
    return {
      ...range,
      rows: rows.map(({ gridCode, ...r }) => ({
        ...r,
        villageName: names.get(gridCode.slice(0, CODE_LENGTH.village)) ?? '',
      })),
    };
  }

  async function recordExport(actor: Actor, what: string, regionCode: string | undefined, count: number) {
    await audit.record(db, {
      actor,
      action: 'checkpoint.export',
      entityType: what,
      entityId: '*',
      countyCode: actor.scopeCode.length >= CODE_LENGTH.county ? countyOf(actor.scopeCode) : null,
      details: { regionCode: regionCode ?? actor.scopeCode, count, fields: [], masked: ['idNumber'] },
    });
  }

  /** Every entry of the period and filters, newest first, ID numbers masked whoever asks. */
  async function exportEntries(
    actor: Actor,
    query: Omit<EntryListQuery, 'page' | 'pageSize'>,
    sink: TableSink,
    headers: string[],
    cells: (entry: ReturnType<typeof presentEntry>) => (string | number)[],
  ): Promise<number> {
    assertMayExport(actor);
    const filter = { ...query, ...period(actor, query) };
    const versions = new Map<number, VisitForm>();
    const scope = readScope(actor, query.regionCode);
    await sink.headers(headers);
    let count = 0;
    let beforeId: number | undefined;
    for (;;) {
      const rows = await repo.listEntries(db, scope, filter, {
        limit: EXPORT_PAGE,
        offset: 0,
        ...(beforeId !== undefined ? { beforeId } : {}),
      });
      if (rows.length === 0) break;
      await loadVersions(versions, rows);
      for (const row of rows) {
        await sink.row(cells(presentEntry(actor, row, definitionOf(versions, row), true)));
      }
      count += rows.length;
      beforeId = rows[rows.length - 1]?.id;
    }
    await recordExport(actor, 'checkpoint_entry', query.regionCode, count);
    return count;
  }

  async function exportCounts(
    actor: Actor,
    query: CountQuery,
    sink: TableSink,
    headers: string[],
    cells: (row: DailyCountList['rows'][number]) => (string | number)[],
  ): Promise<number> {
    assertMayExport(actor);
    const { rows } = await dailyCounts(actor, query);
    await sink.headers(headers);
    for (const row of rows) await sink.row(cells(row));
    await recordExport(actor, 'checkpoint_count', query.regionCode, rows.length);
    return rows.length;
  }

  return {
    listCheckpoints,
    getCheckpoint,
    createCheckpoint,
    updateCheckpoint,
    listStaff,
    setRoster,
    logEntries,
    listEntries,
    revealEntry,
    dailyCounts,
    exportEntries,
    exportCounts,
  };
}
