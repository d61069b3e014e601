import { type LonLatBox, PLACE_LIMIT, type PlacePoints } from '../../../shared/map-places.ts';
import {
  type AddressInput,
  type BuildingInput,
  type Coverage,
  type FacilityInput,
  type HistoryEntry,
  type HouseInput,
  type OrganisationInput,
  PERSONAL_DATA_ACTIONS,
  type PersonalDataLogEntry,
  REGISTRY_ENTITIES,
  REGISTRY_ENTITY_LABELS,
  type RegistryEntity,
  type RegistryListQuery,
  type RegistryRecords,
  type RegistrySearchHit,
  type RegistrySearchQuery,
  type RegistrySearchResult,
  type RelocationResult,
  type ResidentInput,
} from '../../../shared/registry.ts';
import { sensitiveFieldsOf } from '../../../shared/registry-policy.ts';
import { CODE_LENGTH } from '../../../shared/territory.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { narrowScope, regionScope } from '../people/scope.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import {
  assertMayExport,
  assertMayRead,
  assertMayReadPersonalDataLog,
  assertMayRemove,
  assertMayReveal,
  assertMayWrite,
  mayRead,
  visibilityOf,
} from './registry.policy.ts';
import { coverageFigures, exportSheet } from './registry.presenter.ts';
import type { ListWindow } from './registry.repository.ts';
import * as registry from './registry.repository.ts';
import { loadSyntheticRegistry, type SyntheticRegistry } from './registry-bulk.ts';
import { kindOf, SENSITIVE_COLUMNS } from './registry-kinds.ts';
import { listPlacePointsInBox } from './registry-map.repository.ts';
import { createPlacer } from './registry-place.ts';
import { createRegistryReading } from './registry-reading.ts';
import { relocateRecords } from './registry-relocation.ts';
import { classifySearch, queryGrams } from './registry-search.ts';
import { apiWriteContext, placeInputsOf, throwIfRefused } from './registry-writes.ts';

const RELOCATE = { zh: '按新边界重新落格登记数据', en: 're-locate the registry after boundary changes' };
const EXPORT_PAGE = 1_000;
/** The order search hits come in: people found by who they are, then places. */
const SEARCH_ORDER: RegistryEntity[] = [
  'resident',
  'address',
  'house',
  'building',
  'organisation',
  'facility',
];

export interface RegistryServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  territory: TerritoryService;
}

export type RegistryService = ReturnType<typeof createRegistryService>;

type AnyInput = AddressInput | BuildingInput | HouseInput | ResidentInput | OrganisationInput | FacilityInput;

/*
 * The registry's reading, writing, search and export, written once over the table of entities
 * (registry-kinds.ts); the rules of who may do what are registry.policy.ts.
 */
export function createRegistryService(deps: RegistryServiceDeps) {
  const { db, clock, audit, territory } = deps;
  const { rightsOf, readerOf, listScope, findView, present, logClearReads } = createRegistryReading(deps);

  // -------------------------------------------------------------------------------------------------------
  // Reading one record, and lists.

  async function getRecord<E extends RegistryEntity>(
    actor: Actor,
    entity: E,
    id: number,
  ): Promise<RegistryRecords[E]> {
    const view = await findView(actor, entity, id);
    await logClearReads(actor, entity, [view]);
    return present(entity, view, rightsOf(actor));
  }

  async function listRecords<E extends RegistryEntity>(
    actor: Actor,
    entity: E,
    query: RegistryListQuery<E>,
  ): Promise<{ items: RegistryRecords[E][]; total: number; more: boolean; page: number; pageSize: number }> {
    assertMayRead(actor, entity);
    const window: ListWindow = {
      scope: await listScope(actor, query.regionCode),
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    };
    const { rows, total, more } = await kindOf(entity).list(
      db,
      window,
      query as RegistryListQuery<RegistryEntity>,
      readerOf(actor),
    );
    await logClearReads(actor, entity, rows);
    const rights = rightsOf(actor);
    return {
      items: rows.map((r) => present(entity, r, rights)),
      total,
      more,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Writing through the API.

  /** Records a new record; one whose natural key exists is refused with 409 naming it. */
  async function createRecord<E extends RegistryEntity>(
    actor: Actor,
    entity: E,
    input: AnyInput,
  ): Promise<RegistryRecords[E]> {
    assertMayWrite(actor, entity);
    const placer = createPlacer(territory, actor);
    await placer.prepare(placeInputsOf(input));
    const id = await db.transaction().execute(async (trx) => {
      const ctx = apiWriteContext(actor, trx, clock.now(), 'create', placer);
      const [outcome] = await kindOf(entity).upsert(ctx, [{ row: 1, input: input as never }]);
      const created = throwIfRefused(entity, outcome);
      await audit.recordMany(trx, ctx.audit);
      return created;
    });
    return getRecord(actor, entity, id);
  }

  /** Changes a record at the version read: the patch over what is stored, placed and checked again. */
  async function updateRecord<E extends RegistryEntity>(
    actor: Actor,
    entity: E,
    id: number,
    patch: Record<string, unknown> & { version: number },
  ): Promise<RegistryRecords[E]> {
    assertMayWrite(actor, entity);
    const kind = kindOf(entity);
    const view = await findView(actor, entity, id);
    const { version, ...changes } = patch;
    const merged = { ...kind.inputOf(view), ...changes };
    const placer = createPlacer(territory, actor);
    await placer.prepare(placeInputsOf(merged));
    await db.transaction().execute(async (trx) => {
      const ctx = apiWriteContext(actor, trx, clock.now(), 'import', placer);
      const outcome = await kind.update(ctx, view, merged, version);
      if (outcome.status === 'unchanged' && view.version !== version) {
        throw conflict(REGISTRY_ENTITY_LABELS[entity], view.version);
      }
      throwIfRefused(entity, outcome, view.version);
      await audit.recordMany(trx, ctx.audit);
    });
    return getRecord(actor, entity, id);
  }

  /** Deletes a record no other record hangs off. */
  async function removeRecord(
    actor: Actor,
    entity: RegistryEntity,
    id: number,
    version: number,
  ): Promise<void> {
    assertMayRemove(actor, entity);
    const view = await findView(actor, entity, id);
    if (view.version !== version) throw conflict(REGISTRY_ENTITY_LABELS[entity], view.version);
    await db.transaction().execute(async (trx) => {
      await kindOf(entity).remove(trx, id);
      await audit.record(trx, {
        actor,
        action: `${entity}.delete`,
        entityType: entity,
        entityId: id,
        countyCode: view.county_code,
        details: { regionCode: view.region_code },
      });
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // History, reveal and the personal data log.

  /** What was done to a record, oldest first: its audit entries, personal data masked in them. */
  async function getHistory(actor: Actor, entity: RegistryEntity, id: number): Promise<HistoryEntry[]> {
    await findView(actor, entity, id);
    const entries = await audit.listEntityHistory(db, { entityType: entity, entityId: id });
    return entries.map((e) => ({
      at: e.occurred_at.toISOString(),
      actorName: e.actor_name,
      action: e.action.startsWith(`${entity}.`)
        ? e.action.slice(entity.length + 1)
        : e.action.replace(/^registry\./, ''),
      changes: (e.details.changes as HistoryEntry['changes'] | undefined) ?? {},
      importId: typeof e.details.importId === 'number' ? e.details.importId : null,
    }));
  }

  /** One personal data value in clear, for a role that may see it on request; recorded who, what and when. */
  async function reveal(
    actor: Actor,
    entity: RegistryEntity,
    id: number,
    field: string,
  ): Promise<{ field: string; value: string | null }> {
    const known = sensitiveFieldsOf(entity).find((f) => f === field);
    if (!known) {
      throw new AppError('VALIDATION_FAILED', {
        summary: {
          zh: `“${field}”不是${REGISTRY_ENTITY_LABELS[entity].zh}的个人信息字段：${sensitiveFieldsOf(entity).join('、') || '无'}`,
          en: `"${field}" is not a personal data field of ${REGISTRY_ENTITY_LABELS[entity].en}: ${sensitiveFieldsOf(entity).join(', ') || 'none'}`,
        },
      });
    }
    assertMayReveal(actor, entity, known);
    const view = await findView(actor, entity, id);
    const value = ((view as Record<string, unknown>)[SENSITIVE_COLUMNS[known]] as string | null) ?? null;
    await audit.record(db, {
      actor,
      action: 'registry.reveal',
      entityType: entity,
      entityId: id,
      countyCode: view.county_code,
      details: { regionCode: view.region_code, recordIds: [id], fields: [known] },
    });
    return { field: known, value };
  }

  /** Who saw which personal data in clear, newest first: reveals, reads by role, exports — in the admin's scope. */
  async function personalDataLog(
    actor: Actor,
    query: { action?: (typeof PERSONAL_DATA_ACTIONS)[number] | undefined; page: number; pageSize: number },
  ): Promise<PersonalDataLogEntry[]> {
    assertMayReadPersonalDataLog(actor);
    const rows = await audit.listActions(db, {
      actions: query.action ? [query.action] : PERSONAL_DATA_ACTIONS,
      regionPrefix: actor.scopeCode,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return rows.map((row) => {
      // A batch names its records in its details; a single reveal (a case's reporter phone) is its entity.
      const ids = Array.isArray(row.details.recordIds)
        ? (row.details.recordIds as number[])
        : row.entity_id && row.entity_id !== '*'
          ? [Number(row.entity_id)]
          : [];
      return {
        id: row.id,
        at: row.occurred_at.toISOString(),
        actorId: row.actor_id,
        actorName: row.actor_name,
        action: row.action as PersonalDataLogEntry['action'],
        entity: row.entity_type,
        recordIds: ids.slice(0, 200),
        fields: Array.isArray(row.details.fields) ? (row.details.fields as string[]) : [],
        regionCode: typeof row.details.regionCode === 'string' ? row.details.regionCode : null,
        count: typeof row.details.count === 'number' ? row.details.count : ids.length,
      };
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Search across entity types.

  /**
   * One search box over the registry: a full ID number, phone or credit code is looked up exactly; a name with
   * the last four characters of an ID number finds that person; anything else is words every hit contains — in
   * a resident's name (from its start), an address, a name or a code. Hits of each type in scope, residents
   * first; masked as lists are.
   */
  /**
   * The standard addresses and buildings with a point in the box, in the actor's scope: the map's layer of
   * places at street zoom. Places hold no personal data; who may read addresses may see them, and every map
   * asks, so a role that may not (a volunteer's account) gets an empty layer rather than an error on each pan.
   */
  async function listPlacePoints(actor: Actor, box: LonLatBox): Promise<PlacePoints> {
    if (!mayRead(actor, 'address')) return { items: [], more: false };
    const [west, south, east, north] = box;
    const rows = await listPlacePointsInBox(db, {
      scope: regionScope(actor),
      box: { west, south, east, north },
      limit: PLACE_LIMIT + 1,
    });
    return { items: rows.slice(0, PLACE_LIMIT), more: rows.length > PLACE_LIMIT };
  }

  async function search(actor: Actor, query: RegistrySearchQuery): Promise<RegistrySearchResult> {
    const wanted = query.entities
      ? query.entities
          .split(',')
          .map((e) => e.trim())
          .filter((e): e is RegistryEntity => (REGISTRY_ENTITIES as readonly string[]).includes(e))
      : [...REGISTRY_ENTITIES];
    const entities = SEARCH_ORDER.filter((e) => wanted.includes(e) && mayRead(actor, e));
    const intent = classifySearch(query.q);
    const offset = (query.page - 1) * query.pageSize;
    const ask = {
      q: query.q,
      intent,
      text:
        intent.kind === 'text' && intent.words.length
          ? { words: intent.words, grams: queryGrams(intent.words) }
          : null,
      type: query.type,
      tag: query.tag,
      window: {
        scope: await listScope(actor, query.regionCode),
        limit: offset + query.pageSize + 1,
        offset: 0,
        count: false,
      },
    };
    const reader = readerOf(actor);
    // Each type is its own query, answered at once on a server (several connections), in turn on PGlite.
    const found = await Promise.all(entities.map((entity) => kindOf(entity).search(db, ask, reader)));
    const hits: RegistrySearchHit[] = found.flat();
    // People found by who they are come first, then places; people found by where they live come last, so a
    // search for an address shows the address before its residents.
    const rank = (hit: RegistrySearchHit) =>
      hit.entity === 'resident' ? (hit.match === 'address' ? 9 : 0) : SEARCH_ORDER.indexOf(hit.entity);
    hits.sort((a, b) => rank(a) - rank(b));
    return {
      items: hits.slice(offset, offset + query.pageSize),
      more: hits.length > offset + query.pageSize,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Coverage figures and relocation.

  /**
   * The registry's figures for each child of a region (villages of a town, grids of a village …) and for the
   * region itself: the denominators of visit campaigns and the dashboard.
   */
  async function coverage(actor: Actor, rootCode?: string): Promise<Coverage> {
    const code = rootCode ?? actor.scopeCode;
    const detail = await territory.getRegionDetail(actor, code);
    const childLength = detail.children[0]?.code.length ?? code.length;
    const counts = await registry.countCoverage(db, {
      scope: narrowScope(regionScope(actor), detail.code),
      childLength,
    });
    return {
      region: { code: detail.code, name: detail.name, level: detail.level },
      figures: coverageFigures(counts),
      children: detail.children.map((child) => ({
        region: { code: child.code, name: child.name, level: child.level },
        figures: coverageFigures(counts.filter((c) => c.prefix === child.code)),
      })),
    };
  }

  /**
   * Places every record again after grid boundaries changed (registry-relocation.ts). Run after every boundary
   * import, and on demand (`gridgov registry relocate`).
   */
  async function relocateAll(actor: Actor): Promise<RelocationResult> {
    // Every record of every village moves: a whole-deployment action, not one village administrator's.
    await territory.assertGovernsAll(actor, RELOCATE);
    const result = await relocateRecords({ db, territory, now: clock.now() });
    await audit.record(db, {
      actor,
      action: 'registry.relocate',
      entityType: 'registry',
      entityId: '*',
      details: result,
    });
    return result;
  }

  // -------------------------------------------------------------------------------------------------------
  // Export, and the demo's bulk load.

  /**
   * Writes the records of a list (its scope, region and filters) as file rows, masked as the reader sees them, a
   * page at a time; records the export in the personal data log. Returns how many rows were written.
   */
  async function exportRecords(
    actor: Actor,
    entity: RegistryEntity,
    query: RegistryListQuery<RegistryEntity>,
    sink: { headers(headers: string[]): Promise<void>; row(cells: string[]): Promise<void> },
  ): Promise<number> {
    assertMayExport(actor, entity);
    const window: ListWindow = {
      scope: await listScope(actor, query.regionCode),
      limit: EXPORT_PAGE,
      offset: 0,
    };
    const rights = rightsOf(actor);
    const sheet = exportSheet(entity, rights, actor.locale);
    await sink.headers(sheet.headers);
    let afterId = 0;
    let count = 0;
    for (;;) {
      const { rows } = await kindOf(entity).list(db, window, query, readerOf(actor), afterId);
      if (rows.length === 0) break;
      for (const row of rows) await sink.row(sheet.row(row));
      count += rows.length;
      afterId = rows[rows.length - 1]?.id ?? afterId;
    }
    const clear = sensitiveFieldsOf(entity).filter((f) => visibilityOf(actor, f) === 'clear');
    await audit.record(db, {
      actor,
      action: 'registry.export',
      entityType: entity,
      entityId: '*',
      countyCode:
        actor.scopeCode.length >= CODE_LENGTH.county ? actor.scopeCode.slice(0, CODE_LENGTH.county) : null,
      details: {
        regionCode: query.regionCode ?? actor.scopeCode,
        count,
        fields: clear,
        masked: sensitiveFieldsOf(entity).filter((f) => !clear.includes(f)),
      },
    });
    return count;
  }

  /** Loads a generated registry (the demo's) in bulk; see registry-bulk.ts. */
  async function loadSynthetic(
    actor: Actor,
    data: SyntheticRegistry,
    options: { onStep?: ((step: string) => void) | undefined; shouldStop?: (() => boolean) | undefined } = {},
  ): Promise<boolean> {
    assertRole(actor, ['administrator'], { zh: '载入演示登记数据', en: 'load the demo registry' });
    return loadSyntheticRegistry({ db, audit, now: clock.now() }, actor, data, options);
  }

  return {
    loadSynthetic,
    listRecords,
    getRecord,
    createRecord,
    updateRecord,
    removeRecord,
    getHistory,
    reveal,
    personalDataLog,
    search,
    listPlacePoints,
    coverage,
    relocateAll,
    exportRecords,
  };
}
