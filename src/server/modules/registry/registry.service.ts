import { type LocalizedText, labelWithCode, localize } from '../../../shared/errors.ts';
import {
  type AddressInput,
  type BuildingInput,
  CARE_TAGS,
  type Coverage,
  type CoverageFigures,
  FACILITY_TYPE_LABELS,
  FACILITY_TYPES,
  type FacilityInput,
  type HistoryEntry,
  HOUSE_USE_LABELS,
  type HouseInput,
  ORGANISATION_TYPE_LABELS,
  ORGANISATION_TYPES,
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
  type SensitiveField,
} from '../../../shared/registry.ts';
import { maskIdNumber } from '../../../shared/registry-validation.ts';
import { CODE_LENGTH } from '../../../shared/territory.ts';
import type { Clock } from '../../clock.ts';
import { type Db, withLongStatements } from '../../db/database.ts';
import type { DemoRegistry } from '../../db/seed/demo-registry.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertInScope, assertRole } from '../people/access.policy.ts';
import { type Actor, systemActor } from '../people/actor.ts';
import { narrowScope, regionScope, type Scope } from '../people/scope.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import * as addresses from './address.repository.ts';
import * as buildings from './building.repository.ts';
import * as facilities from './facility.repository.ts';
import * as houses from './house.repository.ts';
import * as organisations from './organisation.repository.ts';
import {
  assertMayExport,
  assertMayRead,
  assertMayReadPersonalDataLog,
  assertMayRemove,
  assertMayReveal,
  assertMayWrite,
  mayRead,
  maySeeCare,
  sensitiveFieldsOf,
  visibilityOf,
} from './registry.policy.ts';
import {
  addressSummary,
  exportSheet,
  presentAddress,
  presentBuilding,
  presentFacility,
  presentHouse,
  presentOrganisation,
  presentResident,
  type RegistryView,
  type ViewerRights,
} from './registry.presenter.ts';
import type { ListWindow, TextFilter } from './registry.repository.ts';
import * as registry from './registry.repository.ts';
import { loadSyntheticRegistry } from './registry-bulk.ts';
import { createPlacer, PlaceProblem, type Placer, shortVillageName } from './registry-place.ts';
import {
  classifySearch,
  normalizeSearchText,
  queryGrams,
  searchGrams,
  searchWords,
} from './registry-search.ts';
import * as writes from './registry-writes.ts';
import { type Outcome, placeInputsOf, type WriteContext } from './registry-writes.ts';
import * as residents from './resident.repository.ts';

const RELOCATE = { zh: '按新边界重新落格登记数据', en: 're-locate the registry after boundary changes' };
const RELOCATE_PAGE = 2_000;
const EXPORT_PAGE = 1_000;

/** The stored columns each personal data field lives in. */
const SENSITIVE_COLUMNS: Record<SensitiveField, string> = {
  idNumber: 'id_number',
  phone: 'phone',
  landlordIdNumber: 'landlord_id_number',
  landlordPhone: 'landlord_phone',
  contactPhone: 'contact_phone',
};

export interface RegistryServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  territory: TerritoryService;
}

export type RegistryService = ReturnType<typeof createRegistryService>;

type AnyInput = AddressInput | BuildingInput | HouseInput | ResidentInput | OrganisationInput | FacilityInput;
type Upsert = (ctx: WriteContext, items: readonly writes.Item<never>[]) => Promise<Outcome[]>;

/** Each entity's writer of batches: the same function serves the API (a batch of one) and imports. */
export const UPSERTS: Record<RegistryEntity, Upsert> = {
  address: writes.upsertAddresses as Upsert,
  building: writes.upsertBuildings as Upsert,
  house: writes.upsertHouses as Upsert,
  resident: writes.upsertResidents as Upsert,
  organisation: writes.upsertOrganisations as Upsert,
  facility: writes.upsertFacilities as Upsert,
};

/** The writer that changes one stored record of each type, as a PATCH does (the view is its stored row). */
const UPDATES: Record<
  RegistryEntity,
  (ctx: WriteContext, view: RegistryView, input: Record<string, unknown>, version: number) => Promise<Outcome>
> = {
  address: (ctx, view, input, version) =>
    writes.updateAddressRecord(ctx, view as addresses.AddressView, input as AddressInput, version),
  building: (ctx, view, input, version) =>
    writes.updateBuildingRecord(ctx, view as buildings.BuildingView, input as BuildingInput, version),
  house: (ctx, view, input, version) =>
    writes.updateHouseRecord(ctx, view as houses.HouseView, input as HouseInput, version),
  resident: (ctx, view, input, version) =>
    writes.updateResidentRecord(ctx, view as residents.ResidentView, input as ResidentInput, version),
  organisation: (ctx, view, input, version) =>
    writes.updateOrganisationRecord(
      ctx,
      view as organisations.OrganisationView,
      input as OrganisationInput,
      version,
    ),
  facility: (ctx, view, input, version) =>
    writes.updateFacilityRecord(ctx, view as facilities.FacilityView, input as FacilityInput, version),
};

export function createRegistryService(deps: RegistryServiceDeps) {
  const { db, clock, audit, territory } = deps;

  function rightsOf(actor: Actor): ViewerRights {
    return {
      idNumber: visibilityOf(actor, 'idNumber'),
      phone: visibilityOf(actor, 'phone'),
      care: maySeeCare(actor),
      now: clock.now(),
    };
  }

  /** What a list reads: the actor's scope, narrowed to a region when one is asked for (checked to be visible). */
  async function listScope(actor: Actor, code: string | undefined): Promise<Scope> {
    const scope = regionScope(actor);
    if (!code) return scope;
    const region = await territory.getRegionSummary(code);
    assertInScope(actor, region.code, labelWithCode(region.name, region.code));
    return narrowScope(scope, region.code);
  }

  function textFilter(q: string | undefined): TextFilter | null {
    const words = searchWords(q ?? '');
    return words.length ? { words, grams: queryGrams(words) } : null;
  }

  // -------------------------------------------------------------------------------------------------------
  // Reading one record, and lists.

  /** A record's stored view, or not found — also for a resident with care tags the actor may not see. */
  async function findView(actor: Actor, entity: RegistryEntity, id: number): Promise<RegistryView> {
    assertMayRead(actor, entity);
    const view = await viewById(db, entity, id);
    if (
      !view ||
      (entity === 'resident' && !maySeeCare(actor) && (view as residents.ResidentView).care_tags.length)
    ) {
      throw notFound(REGISTRY_ENTITY_LABELS[entity], id);
    }
    assertInScope(actor, view.region_code, {
      zh: `${REGISTRY_ENTITY_LABELS[entity].zh} ${id}`,
      en: `${REGISTRY_ENTITY_LABELS[entity].en} ${id}`,
    });
    return view;
  }

  function present<E extends RegistryEntity>(
    entity: E,
    view: RegistryView,
    rights: ViewerRights,
  ): RegistryRecords[E] {
    switch (entity) {
      case 'address':
        return presentAddress(view as addresses.AddressView) as RegistryRecords[E];
      case 'building':
        return presentBuilding(view as buildings.BuildingView) as RegistryRecords[E];
      case 'house':
        return presentHouse(view as houses.HouseView, rights) as RegistryRecords[E];
      case 'resident':
        return presentResident(view as residents.ResidentView, rights) as RegistryRecords[E];
      case 'organisation':
        return presentOrganisation(view as organisations.OrganisationView, rights) as RegistryRecords[E];
      default:
        return presentFacility(view as facilities.FacilityView) as RegistryRecords[E];
    }
  }

  /**
   * Personal data a role sees in clear is shown without a reveal; each answer showing some is still logged, so
   * administrators can see who read whose data.
   */
  async function logClearReads(
    actor: Actor,
    entity: RegistryEntity,
    views: readonly RegistryView[],
  ): Promise<void> {
    const fields = sensitiveFieldsOf(entity).filter((f) => visibilityOf(actor, f) === 'clear');
    const shown = fields.filter((f) =>
      views.some((v) => (v as Record<string, unknown>)[SENSITIVE_COLUMNS[f]]),
    );
    if (shown.length === 0) return;
    const ids = views
      .filter((v) => shown.some((f) => (v as Record<string, unknown>)[SENSITIVE_COLUMNS[f]]))
      .map((v) => v.id);
    await audit.record(db, {
      actor,
      action: 'registry.read',
      entityType: entity,
      entityId: ids.length === 1 ? String(ids[0]) : '*',
      countyCode: views[0]?.county_code ?? null,
      details: {
        regionCode: views.length === 1 ? views[0]?.region_code : actor.scopeCode,
        recordIds: ids,
        fields: shown,
      },
    });
  }

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
    const { rows, total, more } = await listPage(
      actor,
      entity,
      window,
      query as RegistryListQuery<RegistryEntity>,
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

  async function listPage(
    actor: Actor,
    entity: RegistryEntity,
    window: ListWindow,
    query: RegistryListQuery<RegistryEntity>,
    afterId?: number,
  ): Promise<{ rows: RegistryView[]; total: number; more: boolean }> {
    const text = textFilter(query.q);
    const q = query as Record<string, unknown>;
    const page = <V>(promise: Promise<V[]>) =>
      promise.then((rows) => ({ rows: rows as RegistryView[], total: 0, more: false }));
    switch (entity) {
      case 'address': {
        const filter = { text };
        return afterId === undefined
          ? addresses.listAddresses(db, window, filter)
          : page(addresses.listAddressesAfter(db, window, filter, afterId));
      }
      case 'building': {
        const filter = { text };
        return afterId === undefined
          ? buildings.listBuildings(db, window, filter)
          : page(buildings.listBuildingsAfter(db, window, filter, afterId));
      }
      case 'house': {
        const filter = { text, use: q.use as houses.HouseFilter['use'] };
        return afterId === undefined
          ? houses.listHouses(db, window, filter)
          : page(houses.listHousesAfter(db, window, filter, afterId));
      }
      case 'resident': {
        const filter: residents.ResidentFilter = {
          kind: q.kind as residents.ResidentFilter['kind'],
          tag: maySeeCare(actor) ? (q.tag as residents.ResidentFilter['tag']) : undefined,
          houseId: q.houseId as number | undefined,
          hideCared: !maySeeCare(actor),
          matches: residentMatches(query.q),
        };
        return afterId === undefined
          ? residents.listResidents(db, window, filter)
          : page(residents.listResidentsAfter(db, window, filter, afterId));
      }
      case 'organisation': {
        const filter = { text, type: q.type as organisations.OrganisationFilter['type'] };
        return afterId === undefined
          ? organisations.listOrganisations(db, window, filter)
          : page(organisations.listOrganisationsAfter(db, window, filter, afterId));
      }
      default: {
        const filter = {
          text,
          type: q.type as facilities.FacilityFilter['type'],
          status: q.status as facilities.FacilityFilter['status'],
        };
        return afterId === undefined
          ? facilities.listFacilities(db, window, filter)
          : page(facilities.listFacilitiesAfter(db, window, filter, afterId));
      }
    }
  }

  /** What a search box query asks of residents. */
  function residentMatches(q: string | undefined): residents.ResidentMatch[] {
    if (!q?.trim()) return [];
    const intent = classifySearch(q);
    switch (intent.kind) {
      case 'code18':
        return [{ idNumber: intent.code }];
      case 'phone':
        return [{ phone: intent.phone }];
      case 'nameAndIdTail':
        return [{ namePrefix: intent.name, idTail: intent.tail }];
      case 'uscc':
        return [{ idNumber: intent.code }];
      default: {
        const words = intent.words;
        return [{ namePrefix: words.join('') }, { address: { words, grams: queryGrams(words) } }];
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Writing through the API.

  function writeContext(actor: Actor, trx: Db, mode: 'import' | 'create', placer: Placer) {
    const ctx: WriteContext = {
      trx,
      actor,
      placer,
      now: clock.now(),
      importId: null,
      mode,
      firstRowOf: () => null,
      audit: [],
      createdByImport: new Map(),
    };
    return ctx;
  }

  /** The outcome of a single-record write as an answer: the record, or the error a client can act on. */
  function throwIfRefused(entity: RegistryEntity, outcome: Outcome | undefined, version?: number): number {
    if (!outcome) throw new AppError('VALIDATION_FAILED', { summary: writes.WRITE_TEXT.noAddress });
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
      const ctx = writeContext(actor, trx, 'create', placer);
      const [outcome] = await UPSERTS[entity](ctx, [{ row: 1, input: input as never }]);
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
    const view = await findView(actor, entity, id);
    const { version, ...changes } = patch;
    const merged = { ...inputOf(entity, view), ...changes };
    const placer = createPlacer(territory, actor);
    await placer.prepare(placeInputsOf(merged));
    await db.transaction().execute(async (trx) => {
      const ctx = writeContext(actor, trx, 'import', placer);
      const outcome = await UPDATES[entity](ctx, view, merged, version);
      if (outcome.status === 'unchanged' && view.version !== version) {
        throw conflict(REGISTRY_ENTITY_LABELS[entity], view.version);
      }
      throwIfRefused(entity, outcome, view.version);
      await audit.recordMany(trx, ctx.audit);
    });
    return getRecord(actor, entity, id);
  }

  /** The input that describes a stored record: what a patch is laid over. */
  function inputOf(entity: RegistryEntity, view: RegistryView): Record<string, unknown> {
    const place = (v: { lon: number | null; lat: number | null; region_code: string }) =>
      v.lon !== null && v.lat !== null
        ? { lon: v.lon, lat: v.lat }
        : { lon: null, lat: null, regionCode: v.region_code };
    switch (entity) {
      case 'address': {
        const v = view as addresses.AddressView;
        return {
          road: v.road,
          number: v.number,
          building: v.building,
          unit: v.unit,
          room: v.room,
          ...place(v),
        };
      }
      case 'building': {
        const v = view as buildings.BuildingView;
        return {
          name: v.name,
          floors: v.floors,
          addressId: v.address_id,
          ...(v.lon !== null ? place(v) : {}),
        };
      }
      case 'house': {
        const v = view as houses.HouseView;
        return {
          addressId: v.address_id,
          use: v.use,
          buildingId: v.building_id,
          areaSquareMetres: v.area_m2,
          landlordName: v.landlord_name,
          landlordPhone: v.landlord_phone,
          landlordIdNumber: v.landlord_id_number,
        };
      }
      case 'resident': {
        const v = view as residents.ResidentView;
        return {
          name: v.name,
          idNumber: v.id_number,
          phone: v.phone,
          kind: v.kind,
          houseId: v.house_id,
          householdNo: v.household_no,
          relation: v.relation,
          careTags: v.care_tags,
        };
      }
      case 'organisation': {
        const v = view as organisations.OrganisationView;
        return {
          name: v.name,
          type: v.type,
          uscc: v.uscc,
          contactName: v.contact_name,
          contactPhone: v.contact_phone,
          addressId: v.address_id,
          ...(v.lon !== null ? place(v) : {}),
        };
      }
      default: {
        const v = view as facilities.FacilityView;
        return {
          code: v.code,
          type: v.type,
          name: v.name,
          status: v.status,
          lastCheckedOn: v.last_checked_on,
          lon: v.lon,
          lat: v.lat,
          addressId: v.address_id,
        };
      }
    }
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
      if (entity === 'address') {
        const uses = await addresses.countAddressUses(trx, id);
        if (uses)
          throw inUse('address', uses, {
            zh: '房屋、建筑物、单位或设施',
            en: 'house, building, organisation or facility',
          });
        await addresses.deleteAddress(trx, id);
      } else if (entity === 'house') {
        const count = await houses.countHouseResidents(trx, id);
        if (count) throw inUse('house', count, { zh: '居住人员', en: 'resident' });
        await houses.deleteHouse(trx, id);
      } else if (entity === 'building') await buildings.deleteBuilding(trx, id);
      else if (entity === 'resident') await residents.deleteResident(trx, id);
      else if (entity === 'organisation') await organisations.deleteOrganisation(trx, id);
      else await facilities.deleteFacility(trx, id);
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

  function inUse(entity: RegistryEntity, count: number, dependent: LocalizedText): AppError {
    return new AppError('IN_USE', { entity: REGISTRY_ENTITY_LABELS[entity], count, dependent });
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
      const ids = Array.isArray(row.details.recordIds) ? (row.details.recordIds as number[]) : [];
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
  async function search(actor: Actor, query: RegistrySearchQuery): Promise<RegistrySearchResult> {
    const wanted = query.entities
      ? query.entities
          .split(',')
          .map((e) => e.trim())
          .filter((e): e is RegistryEntity => (REGISTRY_ENTITIES as readonly string[]).includes(e))
      : [...REGISTRY_ENTITIES];
    const order: RegistryEntity[] = ['resident', 'address', 'house', 'building', 'organisation', 'facility'];
    const entities = order.filter((e) => wanted.includes(e) && mayRead(actor, e));
    const intent = classifySearch(query.q);
    const offset = (query.page - 1) * query.pageSize;
    const window: ListWindow = {
      scope: await listScope(actor, query.regionCode),
      limit: offset + query.pageSize + 1,
      offset: 0,
      count: false,
    };
    const text =
      intent.kind === 'text' && intent.words.length
        ? { words: intent.words, grams: queryGrams(intent.words) }
        : null;
    const type = query.type;
    const hits: RegistrySearchHit[] = [];
    const care = maySeeCare(actor);
    // Each type is its own query, answered at once on a server (several connections), in turn on PGlite.
    for (const found of await Promise.all(entities.map(searchEntity))) hits.push(...found);
    // People found by who they are come first, then places; people found by where they live come last, so a
    // search for an address shows the address before its residents.
    const rank = (hit: RegistrySearchHit) =>
      hit.entity === 'resident' ? (hit.match === 'address' ? 9 : 0) : order.indexOf(hit.entity);
    hits.sort((a, b) => rank(a) - rank(b));
    return {
      items: hits.slice(offset, offset + query.pageSize),
      more: hits.length > offset + query.pageSize,
      page: query.page,
      pageSize: query.pageSize,
    };

    async function searchEntity(entity: RegistryEntity): Promise<RegistrySearchHit[]> {
      const label = (t: LocalizedText) => localize(t, actor.locale);
      switch (entity) {
        case 'resident': {
          if (type) return [];
          const base = { hideCared: !care, tag: care ? query.tag : undefined };
          const alternatives = residentMatches(query.q);
          const seen = new Set<number>();
          const found: RegistrySearchHit[] = [];
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
          for (const [index, { rows }] of pages.entries()) {
            const match = alternatives[index] as residents.ResidentMatch;
            for (const r of rows) {
              if (seen.has(r.id)) continue;
              seen.add(r.id);
              found.push({
                ...hitPlace(r),
                entity,
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
        }
        case 'address': {
          if (!text || type || query.tag) return [];
          const { rows } = await addresses.listAddresses(db, window, { text });
          return rows.map((a) => ({
            ...hitPlace(a),
            entity,
            id: a.id,
            title: addressSummary(a.id, a.canonical_text, a.village_name).fullText,
            subtitle: a.region_name ?? a.region_code,
            match: 'address' as const,
          }));
        }
        case 'house': {
          if (query.tag) return [];
          const use = type && type in HOUSE_USE_LABELS ? (type as houses.HouseFilter['use']) : undefined;
          if (type && !use) return [];
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
            entity,
            id: h.id,
            title: addressSummary(h.address_id, h.address_text, h.village_name).fullText,
            subtitle: label(HOUSE_USE_LABELS[h.use]),
            match:
              intent.kind === 'phone'
                ? ('phone' as const)
                : intent.kind === 'code18'
                  ? ('idNumber' as const)
                  : ('address' as const),
          }));
        }
        case 'building': {
          if (!text || type || query.tag) return [];
          const { rows } = await buildings.listBuildings(db, window, { text });
          return rows.map((b) => ({
            ...hitPlace(b),
            entity,
            id: b.id,
            title: b.name,
            subtitle: b.code,
            match: 'name' as const,
          }));
        }
        case 'organisation': {
          if (query.tag) return [];
          const orgType =
            type && (ORGANISATION_TYPES as readonly string[]).includes(type)
              ? (type as organisations.OrganisationFilter['type'])
              : undefined;
          if (type && !orgType) return [];
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
            entity,
            id: o.id,
            title: o.name,
            subtitle: [label(ORGANISATION_TYPE_LABELS[o.type]), o.address_text].filter(Boolean).join(' · '),
            match: filter.uscc
              ? ('code' as const)
              : filter.contactPhone
                ? ('phone' as const)
                : ('name' as const),
          }));
        }
        default: {
          const facilityType =
            type && (FACILITY_TYPES as readonly string[]).includes(type)
              ? (type as facilities.FacilityFilter['type'])
              : undefined;
          if (!text || (type && !facilityType) || query.tag) return [];
          const { rows } = await facilities.listFacilities(db, window, { text, type: facilityType });
          return rows.map((f) => ({
            ...hitPlace(f),
            entity,
            id: f.id,
            title: f.name ?? f.code,
            subtitle: `${label(FACILITY_TYPE_LABELS[f.type])} · ${f.code}`,
            match: 'code' as const,
          }));
        }
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Coverage figures.

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
    const figuresOf = (list: readonly registry.CoverageCounts[]): CoverageFigures => {
      const sum = (pick: (c: registry.CoverageCounts) => number) =>
        list.reduce((total, c) => total + pick(c), 0);
      const byType = (
        types: readonly string[],
        pick: (c: registry.CoverageCounts) => Record<string, number>,
      ) => Object.fromEntries(types.map((t) => [t, sum((c) => pick(c)[t] ?? 0)]));
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
    };
    return {
      region: { code: detail.code, name: detail.name, level: detail.level },
      figures: figuresOf(counts),
      children: detail.children.map((child) => ({
        region: { code: child.code, name: child.name, level: child.level },
        figures: figuresOf(counts.filter((c) => c.prefix === child.code)),
      })),
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Relocation after boundary changes.

  /**
   * Places every record again after grid boundaries changed: records with a point are located anew, the others
   * follow their address, residents their house. Says how many moved. Run after every boundary import, and on
   * demand (`gridgov registry relocate`).
   */
  async function relocateAll(actor: Actor): Promise<RelocationResult> {
    // Every record of every village moves: a whole-deployment action, not one village administrator's.
    await territory.assertGovernsAll(actor, RELOCATE);
    const now = clock.now();
    // Boundaries are the territory's to change; records follow wherever they now lie, in anyone's scope.
    const placer = createPlacer(territory, systemActor('relocation'));
    let conflicts = 0;
    let outside = 0;
    const moved = { address: 0, building: 0, house: 0, resident: 0, organisation: 0, facility: 0 };
    const tables = [
      ['address', 'registry_addresses'],
      ['building', 'registry_buildings'],
      ['organisation', 'registry_organisations'],
      ['facility', 'registry_facilities'],
    ] as const;
    for (const [entity, table] of tables) {
      let afterId = 0;
      for (;;) {
        const page = await registry.listPointed(db, table, afterId, RELOCATE_PAGE);
        if (page.length === 0) break;
        afterId = page[page.length - 1]?.id ?? afterId;
        const moves: { id: number; regionCode: string; villageName: string }[] = [];
        for (const record of page) {
          const code = await territory.locateCode(record.lon, record.lat);
          if (!code) outside++;
          else if (code !== record.region_code) {
            const place = await placer.placeOfRegion(code);
            if (!(place instanceof PlaceProblem))
              moves.push({ id: record.id, regionCode: code, villageName: place.villageName });
          }
        }
        if (moves.length === 0) continue;
        if (entity === 'address') {
          const rows = await addresses.findAddressRows(
            db,
            moves.map((m) => m.id),
          );
          const canonical = new Map(rows.map((r) => [r.id, r.canonical_text]));
          const result = await registry.moveAddresses(
            db,
            moves.map((m) => {
              const searchText = normalizeSearchText(`${m.villageName}${canonical.get(m.id) ?? ''}`);
              return { id: m.id, regionCode: m.regionCode, searchText, grams: searchGrams(searchText) };
            }),
            now,
          );
          moved.address += result.moved;
          conflicts += result.conflicts;
        } else {
          moved[entity] += await registry.moveRecords(db, table, moves, now);
        }
      }
    }
    // One statement per table over every record: a job's length, not a request's.
    const followed = await withLongStatements(db, (trx) => registry.followAddresses(trx, now));
    moved.building += followed.buildings;
    moved.house += followed.houses;
    moved.resident += followed.residents;
    moved.organisation += followed.organisations;
    const result = { moved, conflicts, outside };
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
  // Export.

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
      const { rows } = await listPage(actor, entity, window, query, afterId);
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
    data: DemoRegistry,
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
    coverage,
    relocateAll,
    exportRecords,
  };
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

function joinReasons(reasons: readonly LocalizedText[]): LocalizedText {
  return { zh: reasons.map((r) => r.zh).join('；'), en: reasons.map((r) => r.en).join('; ') };
}

async function viewById(db: Db, entity: RegistryEntity, id: number): Promise<RegistryView | undefined> {
  switch (entity) {
    case 'address':
      return addresses.findAddress(db, id);
    case 'building':
      return buildings.findBuilding(db, id);
    case 'house':
      return houses.findHouse(db, id);
    case 'resident':
      return residents.findResident(db, id);
    case 'organisation':
      return organisations.findOrganisation(db, id);
    default:
      return facilities.findFacility(db, id);
  }
}
