/**
 * Public self-registration (报备): people arriving from elsewhere register on a public form, without an account,
 * through the portal's gate (honeypot, form token, per-IP limits); the registration is placed into the leaf grid
 * or village of its destination and flagged late when made more than the configured window after arrival. The
 * community reads its registrations within its data scope, masked, reveals one value at a time (audited, in the
 * administrators' personal data log), and a grid worker confirms a registration after visiting.
 */
import type { Locale, LocalizedText } from '../../../shared/errors.ts';
import {
  type ConfirmRegistrationInput,
  DEFAULT_REGISTRATION_WINDOW_HOURS,
  isLateRegistration,
  type PublicRegistrationAnswer,
  type PublicRegistrationInput,
  type Registration,
  type RegistrationCountQuery,
  type RegistrationCounts,
  type RegistrationListQuery,
  type RegistrationPage,
  type RegistrationRevealResult,
  type RegistrationSensitiveField,
} from '../../../shared/registrations.ts';
import { CODE_LENGTH, GRID_CODE_DIGITS_PER_LEVEL } from '../../../shared/territory.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { invalidFields, shanghaiDay } from '../patrols/patrol.policy.ts';
import type { Actor } from '../people/actor.ts';
import { systemActor } from '../people/actor.ts';
import { narrowScope, regionScope, type Scope } from '../people/scope.ts';
import type { PortalService } from '../portal/portal.service.ts';
import type { RegistryService } from '../registry/registry.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import {
  assertMayConfirm,
  assertMayExport,
  assertMayRead,
  assertMayReveal,
  REGISTRATION,
} from './registration.policy.ts';
import { namedCodes, presentRegistration } from './registration.presenter.ts';
import * as repo from './registration.repository.ts';
import { createDestinationPlacer } from './registration-place.ts';

export interface RegistrationServiceDeps {
  db: Db;
  clock: Clock;
  audit: Pick<AuditService, 'record'>;
  territory: Pick<
    TerritoryService,
    'locateCode' | 'getRegionTree' | 'getRegionNames' | 'getRegionDetail' | 'gridsOfWorker'
  >;
  registry: Pick<RegistryService, 'search'>;
  portal: Pick<PortalService, 'admitForm'>;
  /** Hours after arrival within which a registration is on time (GRIDGOV_REGISTRATION_WINDOW_HOURS). */
  windowHours?: number;
}

const TEXT = {
  future: { zh: '到达时间不能晚于当前时间', en: 'the arrival time cannot be in the future' },
  range: { zh: '开始日期晚于结束日期', en: 'the start date is after the end date' },
  tooLong: { zh: '查询范围不能超过 92 天', en: 'the period cannot exceed 92 days' },
  confirmed: { zh: '该报备已经核实过了', en: 'This registration has been confirmed already' },
} satisfies Record<string, LocalizedText>;

/** A phone's clock may run a little ahead of the server's: an arrival up to 5 minutes ahead is "now". */
const ARRIVAL_CLOCK_SKEW_MS = 5 * 60_000;
const MAX_DAYS = 92;
const EXPORT_PAGE = 1_000;
const FIELD_LIST_LIMIT = 50;

export type RegistrationService = ReturnType<typeof createRegistrationService>;

/** Grid codes with every code above them down from their village (a grid's code extends its parent's). */
function gridsAndAbove(grids: readonly string[]): string[] {
  const codes = new Set<string>();
  for (const grid of grids) {
    for (let end = CODE_LENGTH.village; end <= grid.length; end += GRID_CODE_DIGITS_PER_LEVEL) {
      codes.add(grid.slice(0, end));
    }
  }
  return [...codes];
}

export function createRegistrationService(deps: RegistrationServiceDeps) {
  const { db, clock, audit, territory, portal } = deps;
  const windowHours = deps.windowHours ?? DEFAULT_REGISTRATION_WINDOW_HOURS;
  const placer = createDestinationPlacer(deps);

  async function names(codes: readonly string[]): Promise<Map<string, string>> {
    return codes.length ? territory.getRegionNames(codes) : new Map();
  }

  /**
   * A registration from the public form. Refused (400, naming the field, in the registrant's language) for an
   * arrival in the future or a destination that cannot be placed; the ID number's checksum and the phone are
   * checked by the schema. A resend with the same client key answers with the first registration.
   */
  async function register(input: PublicRegistrationInput, locale: Locale): Promise<PublicRegistrationAnswer> {
    const registrant: Actor = { ...systemActor('public-registration'), name: '报备人（公众）', locale };
    const clientKey = await portal.admitForm(input, 'registration');
    const now = clock.now();
    const arrivedAt = new Date(input.arrivedAt);
    if (arrivedAt.getTime() > now.getTime() + ARRIVAL_CLOCK_SKEW_MS) {
      throw invalidFields(registrant, [{ path: 'arrivedAt', text: TEXT.future }]);
    }
    const destination = await placer.place(input);
    if ('problem' in destination) {
      const path = input.lon !== undefined && input.lat !== undefined ? 'lon' : 'address';
      throw invalidFields(registrant, [{ path, text: destination.problem }]);
    }
    const row = await repo.insertRegistration(db, {
      client_key: clientKey,
      name: input.name,
      id_number: input.idNumber,
      phone: input.phone,
      origin: input.origin,
      arrived_at: arrivedAt,
      registered_at: now,
      window_hours: windowHours,
      late: isLateRegistration(arrivedAt, now, windowHours),
      address: input.address,
      lon: input.lon ?? null,
      lat: input.lat ?? null,
      region_code: destination.regionCode,
      village_code: destination.villageCode,
      county_code: destination.regionCode.slice(0, CODE_LENGTH.county),
      day: shanghaiDay(now),
    });
    const named = await names(namedCodes([row]));
    return {
      receiptCode: row.receipt_code,
      late: row.late,
      windowHours: row.window_hours,
      communityName: named.get(row.village_code) ?? row.village_code,
      gridName: row.region_code === row.village_code ? null : (named.get(row.region_code) ?? null),
    };
  }

  /** The actor's scope, narrowed to a region of it when asked (a region outside it is refused). */
  async function readScope(actor: Actor, regionCode: string | undefined): Promise<Scope> {
    const scope = regionScope(actor);
    if (!regionCode) return scope;
    await territory.getRegionDetail(actor, regionCode);
    return narrowScope(scope, regionCode);
  }

  function period(actor: Actor, query: { from?: string | undefined; to?: string | undefined }) {
    const to = query.to ?? shanghaiDay(clock.now());
    const from = query.from ?? shanghaiDay(new Date(Date.parse(`${to}T00:00:00Z`) - 6 * 86_400_000));
    if (from > to) throw invalidFields(actor, [{ path: 'from', text: TEXT.range }]);
    if (Date.parse(to) - Date.parse(from) > MAX_DAYS * 86_400_000) {
      throw invalidFields(actor, [{ path: 'from', text: TEXT.tooLong }]);
    }
    return { from, to };
  }

  async function filterOf(actor: Actor, query: RegistrationListQuery): Promise<repo.RegistrationFilter> {
    assertMayRead(actor);
    return {
      scope: await readScope(actor, query.regionCode),
      ...period(actor, query),
      late: query.late === undefined ? undefined : query.late === 'true',
      confirmed: query.confirmed === undefined ? undefined : query.confirmed === 'true',
    };
  }

  /** Registrations in the actor's scope (or a region of it), newest first, masked. */
  async function listRegistrations(actor: Actor, query: RegistrationListQuery): Promise<RegistrationPage> {
    const filter = await filterOf(actor, query);
    const { rows, total } = await repo.listRegistrations(db, filter, {
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const named = await names(namedCodes(rows));
    return {
      items: rows.map((row) => presentRegistration(row, named)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async function getRegistration(actor: Actor, id: number): Promise<Registration> {
    assertMayRead(actor);
    const row = await repo.findRegistration(db, id, regionScope(actor));
    if (!row) throw notFound(REGISTRATION, id);
    return presentRegistration(row, await names(namedCodes([row])));
  }

  /** Counts per community (village) and day: registered, late, confirmed. */
  async function countRegistrations(
    actor: Actor,
    query: RegistrationCountQuery,
  ): Promise<RegistrationCounts> {
    const filter = await filterOf(actor, { ...query, page: 1, pageSize: 1 });
    const rows = await repo.countByVillageAndDay(db, filter);
    const named = await names([...new Set(rows.map((r) => r.village_code))]);
    return {
      from: filter.from,
      to: filter.to,
      rows: rows.map((r) => ({
        day: r.day,
        villageCode: r.village_code,
        villageName: named.get(r.village_code) ?? r.village_code,
        total: r.total,
        late: r.late,
        confirmed: r.confirmed,
      })),
    };
  }

  /** A grid worker (or the community's administrator) confirms a registration after visiting the person. */
  async function confirmRegistration(
    actor: Actor,
    id: number,
    input: ConfirmRegistrationInput,
  ): Promise<Registration> {
    assertMayConfirm(actor);
    const row = await repo.findRegistration(db, id, regionScope(actor));
    if (!row) throw notFound(REGISTRATION, id);
    if (row.confirmed_at) throw new AppError('ILLEGAL_TRANSITION', { text: TEXT.confirmed });
    await db.transaction().execute(async (trx) => {
      const done = await repo.confirmRegistration(trx, {
        id,
        version: input.version,
        userId: actor.id,
        note: input.note || null,
        at: clock.now(),
      });
      if (!done) throw conflict(REGISTRATION, row.version);
      await audit.record(trx, {
        actor,
        action: 'registration.confirm',
        entityType: 'registration',
        entityId: id,
        countyCode: row.county_code,
        details: { regionCode: row.region_code, receiptCode: row.receipt_code },
      });
    });
    return getRegistration(actor, id);
  }

  /** One ID number or phone in clear, for a role that may reveal it, on a registration in scope; audited. */
  async function revealRegistration(
    actor: Actor,
    id: number,
    field: RegistrationSensitiveField,
  ): Promise<RegistrationRevealResult> {
    assertMayRead(actor);
    assertMayReveal(actor, field);
    const row = await repo.findRegistration(db, id, regionScope(actor));
    if (!row) throw notFound(REGISTRATION, id);
    await audit.record(db, {
      actor,
      action: 'registration.reveal',
      entityType: 'registration',
      entityId: id,
      countyCode: row.county_code,
      details: { regionCode: row.region_code, recordIds: [id], fields: [field] },
    });
    return { field, value: field === 'idNumber' ? row.id_number : row.phone };
  }

  /**
   * Unconfirmed registrations, oldest first: the field view's "to visit" list. A grid worker named for grids
   * sees their grids' registrations and those placed only as far as the village (or a grid above theirs) — an
   * address naming just the community — so none falls between two workers; anyone else, their whole scope.
   */
  async function listToVisit(actor: Actor): Promise<Registration[]> {
    assertMayConfirm(actor);
    const grids = await territory.gridsOfWorker(actor);
    const rows = await repo.listUnconfirmed(db, {
      scope: regionScope(actor),
      within: grids.length ? gridsAndAbove(grids) : undefined,
      limit: FIELD_LIST_LIMIT,
    });
    const named = await names(namedCodes(rows));
    return rows.map((row) => presentRegistration(row, named));
  }

  /**
   * Writes the registrations of a list (its scope, period and filters) as rows, masked, a page at a time;
   * recorded in the personal data log as an export. Returns how many rows were written.
   */
  async function exportRegistrations(
    actor: Actor,
    query: RegistrationListQuery,
    sink: (registration: Registration) => Promise<void>,
  ): Promise<number> {
    assertMayExport(actor);
    const filter = await filterOf(actor, query);
    let afterId = 0;
    let count = 0;
    for (;;) {
      const rows = await repo.listRegistrationsAfter(db, filter, afterId, EXPORT_PAGE);
      if (rows.length === 0) break;
      const named = await names(namedCodes(rows));
      for (const row of rows) await sink(presentRegistration(row, named));
      count += rows.length;
      afterId = rows[rows.length - 1]?.id ?? afterId;
    }
    await audit.record(db, {
      actor,
      action: 'registration.export',
      entityType: 'registration',
      entityId: '*',
      countyCode:
        actor.scopeCode.length >= CODE_LENGTH.county ? actor.scopeCode.slice(0, CODE_LENGTH.county) : null,
      details: {
        regionCode: query.regionCode ?? actor.scopeCode,
        count,
        fields: [],
        masked: ['idNumber', 'phone'],
      },
    });
    return count;
  }

  /** Synthetic registrations (the demo town's), in one statement; marked as such wherever shown. */
  async function loadSynthetic(rows: readonly repo.SyntheticRegistration[]): Promise<void> {
    await repo.insertRegistrations(db, rows);
  }

  return {
    windowHours,
    register,
    listRegistrations,
    getRegistration,
    countRegistrations,
    confirmRegistration,
    revealRegistration,
    listToVisit,
    exportRegistrations,
    loadSynthetic,
  };
}
