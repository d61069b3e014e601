import type { z } from 'zod';
import {
  type AttributeValues,
  attributeProblemText,
  checkAttributeValues,
} from '../../../shared/attributes.ts';
import { type CaseSummary, DESK_ROLES, photoIdsOf, type reportCaseSchema } from '../../../shared/cases.ts';
import { labelWithCode, localize } from '../../../shared/errors.ts';
import type { Role } from '../../../shared/roles.ts';
import type { Db } from '../../db/database.ts';
import { AppError, ENTITY, notFound } from '../../errors.ts';
import { createGroupCommit } from '../../group-commit.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { caseScope, regionScope, scopeHoldsRegion } from '../people/scope.ts';
import { isSameReporter } from './case.policy.ts';
import type { NewReport } from './case.repository.ts';
import * as cases from './case.repository.ts';
import type { CaseRow } from './case.table.ts';
import type { CaseContext } from './case-context.ts';
import type { CaseDeadlines } from './case-deadlines.ts';
import * as pastSteps from './case-history.repository.ts';

export type ReportCaseInput = z.infer<typeof reportCaseSchema>;

/**
 * Where a case from another system came from: its number there and when that system received it, and what
 * else it sent that the report entry should keep (an Open311 client's api key and extra fields).
 */
export interface CaseOrigin {
  externalRef?: string;
  receivedAt?: Date | null;
  details?: Record<string, unknown>;
  /**
   * Extra fields the source checked against the category itself (Open311 refuses in its own terms), or none
   * where the source has no way to ask for them (a 12345 order): kept as they are, `input.attributes` unread.
   */
  /**
   * A rectification deadline (整改期限, e.g. set by an inspection): the handling step is due then, whatever
   * the category's limit for it. The other steps keep their limits.
   */
  deadline?: Date;
  attributes?: AttributeValues;
  /** What the source keeps of the new case itself, written in the report's transaction (not for a replay). */
  alongside?: (trx: Db, caseId: number) => Promise<void>;
}

/** A case from another system's history: what `recordHistory` writes. */
export interface CaseHistory {
  /** The order as a report: `clientKey` finds the case on a later import. */
  input: ReportCaseInput & { clientKey: string };
  externalRef: string;
  /** When the source received it: the case's `createdAt`, and when it was registered and dispatched. */
  receivedAt: Date;
  /** The order's own due time for its handling; null: the category's limit from `receivedAt`. */
  dueAt: Date | null;
  /** When the source closed it; null: still open. */
  closedAt: Date | null;
  /** The department the order was dispatched to; null: not dispatched. */
  departmentId: number | null;
  /** What the order said, kept with the case: a later import of the same order changes nothing. */
  historyKey: string;
  /** More of the source's own fields for the report entry (its status, its agency). */
  details?: Record<string, unknown>;
}

const TEXT = {
  outside: {
    zh: '该位置不在任何网格内，请在网格范围内选点或直接选择网格。',
    en: 'This point is not inside any grid. Pick a point inside a grid, or choose the grid.',
  },
  nameSource: { zh: '登记来源（电话、来访等）', en: 'name where a report came from (phone, walk-in …)' },
  inactiveCategory: { zh: '该分类已停用或不是小类', en: 'This category is inactive or not a minor class' },
  clientKey: { zh: '客户端编号（clientKey）对应的案件', en: 'A case with this client key' },
  workedOn: {
    zh: '该工单的案件已在本系统中办理过，不能再以导入的记录覆盖，请在案件中处理',
    en: 'the case of this order has been worked on in gridgov since: it cannot be overwritten by an import, change it there',
  },
} as const;

const SOURCE_OF_ROLE: Partial<Record<Role, CaseRow['source']>> = {
  gridWorker: 'gridWorker',
  inspector: 'inspector',
  partyMember: 'partyMember',
  volunteer: 'volunteer',
};

/** A report waiting for intake's next statement, with what must be written alongside it. */
interface PendingReport {
  report: NewReport;
  /** A webhook subscribes to reports: its delivery is queued with the case. */
  notify: boolean;
  alongside: CaseOrigin['alongside'];
}

export type CaseIntake = ReturnType<typeof createCaseIntake>;

/** Reports coming in: checked, located, written in batches (group commit), replayed by client key. */
export function createCaseIntake(ctx: CaseContext, deadlines: CaseDeadlines) {
  const { db, clock, audit, calendar, territory, categories, evidence, webhooks, presentSummary } = ctx;
  const { dueOf, warnFields } = deadlines;
  // Reports arriving together are written by one statement (see group-commit.ts); a few statements in flight
  // leave the rest of the pool to the other requests. What must be written with a report besides its case
  // (a subscribed webhook's delivery, the source's own row of it) joins the batch in a transaction.
  const insertReport = createGroupCommit({
    maxBatch: 64,
    maxInFlight: 4,
    write: (items: PendingReport[]) =>
      items.some((item) => item.notify || item.alongside)
        ? db.transaction().execute(async (trx) => {
            const rows = await cases.insertReports(
              trx,
              items.map((item) => item.report),
            );
            for (const [index, row] of rows.entries()) {
              const item = items[index];
              if (!row || !item) continue;
              if (item.notify) {
                const at = item.report.case.created_at;
                await webhooks.enqueueCaseEvent(trx, { action: 'report', caseIds: [row.id], at });
              }
              await item.alongside?.(trx, row.id);
            }
            return rows;
          })
        : cases.insertReports(
            db,
            items.map((item) => item.report),
          ),
  });

  /**
   * Records a report. Idempotent by `clientKey`: a phone replaying its outbox, or two hundred parallel
   * retries, get the one case the first request created. The point is located into its leaf grid, which must
   * lie in the reporter's scope.
   */
  async function reportCase(
    actor: Actor,
    input: ReportCaseInput,
    source?: CaseRow['source'],
    origin?: CaseOrigin,
  ): Promise<CaseSummary> {
    try {
      return await reportOnce(actor, input, source, origin);
    } catch (error) {
      // A replay the checks now refuse (the category was retired, the worker moved village since) still
      // answers its reporter with the case its first try created.
      const replayed =
        input.clientKey && error instanceof AppError ? await replayOf(actor, input.clientKey) : undefined;
      if (replayed === undefined) throw error;
      return replayed;
    }
  }

  /**
   * The answer to a report whose client key was used before. A key is not a read permission (hotline keys are
   * `hotline:<order number>`, easy to guess): only the reporter who first used it gets the case back; anyone
   * else is told the key is taken (409 ALREADY_EXISTS) and learns nothing of the case. Undefined when no case
   * has the key.
   */
  async function replayOf(actor: Actor, clientKey: string): Promise<CaseSummary | undefined> {
    const found = await cases.findCaseByClientKeyUnscoped(db, clientKey);
    if (!found) return undefined;
    if (!isSameReporter(actor, found))
      throw new AppError('ALREADY_EXISTS', { entity: TEXT.clientKey, id: clientKey });
    return getCaseSummary(found.id);
  }

  /**
   * Checks and inserts a report in as few round trips as intake allows: the client key is not looked up
   * first, the insert's conflict on it tells a replay, and the inserted row comes back with its names.
   */
  async function reportOnce(
    actor: Actor,
    input: ReportCaseInput,
    source?: CaseRow['source'],
    origin?: CaseOrigin,
  ): Promise<CaseSummary> {
    const category = await activeMinorClass(input.categoryId);
    const attributes = origin?.attributes ?? (await checkedAttributes(actor, category.id, input.attributes));
    const regionCode = await placeOf(actor, input);
    const photos = photoIdsOf(input);
    const missingPhotos = await evidence.findMissing(photos);
    if (missingPhotos.length) throw notFound(ENTITY.evidence, missingPhotos.join(', '));
    const now = clock.now();
    const handlingDeadline = origin?.deadline ?? null;
    const { due, beyond } = await dueOf(now, 'register', {
      category_id: category.id,
      handling_deadline: handlingDeadline,
    });
    const originData = {
      ...(origin?.externalRef !== undefined
        ? { externalRef: origin.externalRef, receivedAt: origin.receivedAt?.toISOString() ?? null }
        : {}),
      ...(handlingDeadline ? { deadline: handlingDeadline.toISOString() } : {}),
      ...origin?.details,
    };
    const details = {
      categoryId: category.id,
      regionCode,
      ...originData,
      ...(Object.keys(attributes).length ? { attributes } : {}),
      ...(photos.length ? { evidence: photos } : {}),
    };
    const report = {
      case: {
        county_code: regionCode.slice(0, 6),
        client_key: input.clientKey ?? null,
        external_ref: origin?.externalRef ?? null,
        source: source ?? deskSourceOf(actor, input) ?? SOURCE_OF_ROLE[actor.role] ?? 'api',
        category_id: category.id,
        region_code: regionCode,
        lon: input.lon ?? null,
        lat: input.lat ?? null,
        address: input.address ?? null,
        description: input.description,
        state: 'reported',
        step: 'register',
        step_started_at: now,
        step_due_at: due,
        step_beyond_calendar: beyond,
        ...warnFields(await calendar.getCalendar(), now, due),
        handling_deadline: handlingDeadline,
        suspended_at: null,
        lead_department_id: null,
        reporter_id: actor.id > 0 ? actor.id : null,
        reporter_name: input.reporterName ?? (actor.id > 0 ? actor.name : null),
        reporter_phone: input.reporterPhone ?? null,
        merged_into: null,
        satisfaction: null,
        created_at: now,
        updated_at: now,
        closed_at: null,
      },
      event: {
        action: 'report',
        from_state: null,
        to_state: 'reported',
        actor_id: actor.id > 0 ? actor.id : null,
        actor_name: actor.name,
        note: null,
        // The registration step's due time, as every step's event records its own: on-time registration
        // (按时立案) is judged against it.
        data: { ...details, ...(due ? { dueAt: due.toISOString() } : {}) },
        at: now,
      },
      audit: audit.rowOf({
        actor,
        action: 'case.report',
        entityType: 'case',
        countyCode: regionCode.slice(0, 6),
        details,
      }),
    } as const;
    const inserted = await insertReport({
      report,
      notify: await webhooks.anySubscribed('report'),
      alongside: alongsideOf(actor, origin),
    });
    if (inserted) return presentSummary(inserted, await calendar.getCalendar(), now);
    // A request with the same key came first (a replay, or its twin in flight): its reporter gets its case.
    const replayed = input.clientKey ? await replayOf(actor, input.clientKey) : undefined;
    if (replayed === undefined) throw new Error('report neither inserted nor found');
    return replayed;
  }

  /** What the source and any interested module keep of a new report, in one function, or undefined for none. */
  function alongsideOf(actor: Actor, origin: CaseOrigin | undefined): CaseOrigin['alongside'] {
    const theirs = ctx.reportAlongside?.(actor);
    const source = origin?.alongside;
    if (!theirs || !source) return theirs ?? source;
    return async (trx, caseId) => {
      await source(trx, caseId);
      await theirs(trx, caseId);
    };
  }

  /**
   * The source a dispatcher names for what reached the desk (a call, a visit). Only the desk may say where a
   * report came from: anyone else's report is of their own role, and the public's privacy rules follow it.
   */
  function deskSourceOf(actor: Actor, input: ReportCaseInput): CaseRow['source'] | undefined {
    if (!input.source) return undefined;
    assertRole(actor, DESK_ROLES, TEXT.nameSource);
    return input.source;
  }

  /** The category of a report: an active minor class. */
  async function activeMinorClass(categoryId: number) {
    const category = await categories.getCategory(categoryId);
    if (!category.active || category.parentId === null) {
      throw new AppError('VALIDATION_FAILED', { summary: TEXT.inactiveCategory });
    }
    return category;
  }

  /** The grid a report lies in (its point located, or the region it names), which must be in the actor's scope. */
  async function placeOf(actor: Actor, input: ReportCaseInput): Promise<string> {
    const point =
      input.lon !== undefined && input.lat !== undefined ? { lon: input.lon, lat: input.lat } : null;
    // A point outside every grid (a village's land no grid covers) keeps its point and takes the grid the
    // reporter chose, as the report desk asks for one then.
    const located = point ? await territory.locateCode(point.lon, point.lat) : null;
    const regionCode = located ?? input.regionCode ?? null;
    if (!regionCode) throw new AppError('VALIDATION_FAILED', { summary: TEXT.outside });
    // A located grid exists; a code typed by the client is looked up (NOT_FOUND when unknown). Intake is the
    // hot path, so the lookup is skipped when the locator already vouches for the grid.
    if (!located) await territory.getRegionSummary(regionCode);
    if (!scopeHoldsRegion(regionScope(actor), regionCode)) {
      const region = await territory.getRegionSummary(regionCode);
      throw new AppError('FORBIDDEN_SCOPE', {
        target: labelWithCode(region.name, region.code),
        scope: actor.scopeName,
      });
    }
    return regionCode;
  }

  /**
   * The extra fields of a report checked against its category's: refused with every problem, each under its
   * field (`attributes.CODE`) so a form can show it there.
   */
  async function checkedAttributes(
    actor: Actor,
    categoryId: number,
    given: AttributeValues | undefined,
  ): Promise<AttributeValues> {
    const definitions = (await categories.listAttributes([categoryId])).get(categoryId) ?? [];
    const check = checkAttributeValues(definitions, given ?? {});
    if (check.ok) return check.values;
    const texts = check.problems.map(attributeProblemText);
    throw new AppError(
      'VALIDATION_FAILED',
      { summary: { zh: texts.map((p) => p.zh).join('；'), en: texts.map((p) => p.en).join('; ') } },
      {
        issues: check.problems.map((problem, i) => ({
          path: `attributes.${problem.code}`,
          message: localize(texts[i] ?? problem.reason, actor.locale),
        })),
      },
    );
  }

  /**
   * The case as a list shows it. A report answers with this rather than the full detail: intake is the hot
   * path, and the reporter's next screen loads the detail anyway. Only for the reporter of the case.
   */
  async function getCaseSummary(caseId: number): Promise<CaseSummary> {
    const row = await cases.findCaseUnscoped(db, caseId);
    if (!row) throw notFound(ENTITY.case, caseId);
    return presentSummary(row, await calendar.getCalendar(), clock.now());
  }

  /**
   * The cases already reported under these client keys: an import tells the rows it created before from new
   * ones without reporting anything. A case outside the actor's scope is known to exist (its key is taken) but
   * not named: null.
   */
  async function findCasesByClientKeys(
    actor: Actor,
    clientKeys: readonly string[],
  ): Promise<Map<string, { id: number; caseNumber: string; historyKey: string | null } | null>> {
    const rows = await cases.findCasesByClientKeysUnscoped(db, clientKeys);
    const scope = caseScope(actor);
    return new Map(
      rows.map((r) => [
        r.client_key,
        // Department scopes hold no regions: a department never imports, and would be told nothing.
        scopeHoldsRegion(scope, r.region_code)
          ? { id: r.id, caseNumber: r.case_number, historyKey: r.history_key }
          : null,
      ]),
    );
  }

  /**
   * A case from another system's history (a 12345 work-order export): reported when the source received it;
   * registered and dispatched to `departmentId` then; handled and closed at `closedAt`; each step with the due
   * time it had, so that the timeline (and the indicators derived from it) says what happened and when. An
   * open order given to no department waits for registration, as a new report does. The handling step is due
   * at the order's own due time when it has one, else after its category's limit counted from the receipt.
   * Every entry is marked `imported`, and the report entry keeps `historyKey` (what the order said): the same
   * order imported again changes nothing ('unchanged'); a corrected one rewrites the imported history
   * ('updated'), unless the case was worked on in gridgov since (refused). Of what is past nothing is sent
   * on: webhooks hear only of an order still open, and a dispatch is not passed to connected systems.
   */
  async function recordHistory(
    actor: Actor,
    history: CaseHistory,
  ): Promise<{ outcome: 'created' | 'updated' | 'unchanged'; case: { id: number; caseNumber: string } }> {
    const { input } = history;
    const category = await activeMinorClass(input.categoryId);
    const regionCode = await placeOf(actor, input);
    if (history.departmentId !== null) {
      const existing = await cases.findExistingDepartments(db, [history.departmentId]);
      if (!existing.has(history.departmentId)) throw notFound(ENTITY.department, history.departmentId);
    }
    const working = await calendar.getCalendar();
    const received = history.receivedAt;
    const deadline = { category_id: category.id, handling_deadline: history.dueAt };
    const registerDue = await dueOf(received, 'register', deadline);
    const dispatchDue = await dueOf(received, 'dispatch', deadline);
    const handleDue = await dueOf(received, 'handle', deadline);
    const closed = history.closedAt;
    const verifyDue = closed ? await dueOf(closed, 'verify', deadline) : null;
    const dispatched = history.departmentId !== null;
    const iso = (at: Date | null) => (at ? { dueAt: at.toISOString() } : {});
    const details = {
      categoryId: category.id,
      regionCode,
      externalRef: history.externalRef,
      receivedAt: received.toISOString(),
      ...(history.dueAt ? { deadline: history.dueAt.toISOString() } : {}),
      ...(history.closedAt ? { closedAt: history.closedAt.toISOString() } : {}),
      ...history.details,
    };
    const entry = (
      action: string,
      from: string | null,
      to: string,
      at: Date,
      data: Record<string, unknown>,
    ) => ({
      action,
      from_state: from,
      to_state: to,
      actor_id: actor.id > 0 ? actor.id : null,
      actor_name: actor.name,
      note: null,
      data: { ...data, imported: true },
      at,
    });
    const reportEntry = entry('report', null, 'reported', received, {
      ...details,
      historyKey: history.historyKey,
      ...iso(registerDue.due),
    });
    // An open order given to no agency yet waits for registration here, as a new report does.
    const registered = dispatched || closed !== null;
    const later = [
      ...(registered ? [entry('register', 'reported', 'registered', received, iso(dispatchDue.due))] : []),
      ...(dispatched
        ? [
            entry('dispatch', 'registered', 'dispatched', received, {
              leadDepartmentId: history.departmentId,
              ...iso(handleDue.due),
            }),
          ]
        : []),
      ...(closed
        ? [
            entry(
              'finish',
              dispatched ? 'dispatched' : 'registered',
              'handled',
              closed,
              iso(verifyDue?.due ?? null),
            ),
            entry('verifyPass', 'handled', 'closed', closed, {}),
          ]
        : []),
    ];
    const open = closed
      ? null
      : dispatched
        ? { step: 'handle', ...handleDue }
        : { step: 'register', ...registerDue };
    const fields: pastSteps.ImportedCaseFields = {
      county_code: regionCode.slice(0, 6),
      category_id: category.id,
      region_code: regionCode,
      lon: input.lon ?? null,
      lat: input.lat ?? null,
      address: input.address ?? null,
      description: input.description,
      reporter_name: input.reporterName ?? (actor.id > 0 ? actor.name : null),
      reporter_phone: input.reporterPhone ?? null,
      state: closed ? 'closed' : dispatched ? 'dispatched' : 'reported',
      step: open?.step ?? null,
      step_started_at: open ? received : null,
      step_due_at: open?.due ?? null,
      step_beyond_calendar: open?.beyond ?? false,
      ...warnFields(working, received, open?.due ?? null),
      // The sweep flags an open step past its due time (and escalates it) on its next run.
      overdue: false,
      handling_deadline: history.dueAt,
      lead_department_id: history.departmentId,
      created_at: received,
      // When the source last changed the order: Open311 publishes it as updated_datetime.
      updated_at: closed ?? received,
      closed_at: closed,
    };
    const audited = {
      actor,
      entityType: 'case',
      countyCode: regionCode.slice(0, 6),
      details: { ...details, departmentId: history.departmentId, closedAt: closed?.toISOString() ?? null },
    };
    // A subscriber to reports hears of an order still open, to be worked here, as of a new report.
    const notify = !closed && (await webhooks.anySubscribed('report'));
    return db.transaction().execute(async (trx) => {
      const { overdue: _overdue, ...inserted } = fields;
      const [row] = await cases.insertReports(trx, [
        {
          case: {
            ...inserted,
            client_key: input.clientKey ?? null,
            external_ref: history.externalRef,
            source: 'hotline',
            suspended_at: null,
            reporter_id: actor.id > 0 ? actor.id : null,
            merged_into: null,
            satisfaction: null,
          },
          event: reportEntry,
          audit: audit.rowOf({ ...audited, action: 'case.importHistory' }),
        },
      ]);
      if (row) {
        await pastSteps.insertCaseEvents(
          trx,
          later.map((e) => ({ ...e, case_id: row.id })),
        );
        if (dispatched) await cases.setCaseDepartments(trx, row.id, history.departmentId, [], true);
        if (notify)
          await webhooks.enqueueCaseEvent(trx, { action: 'report', caseIds: [row.id], at: received });
        return { outcome: 'created' as const, case: { id: row.id, caseNumber: row.case_number } };
      }
      // The order was imported before: the same history changes nothing, a corrected one is written anew.
      const [found] = input.clientKey
        ? await cases.findCasesByClientKeysUnscoped(trx, [input.clientKey])
        : [];
      if (!found) throw new Error('history neither inserted nor found');
      const known = { id: found.id, caseNumber: found.case_number };
      if (found.history_key === history.historyKey) return { outcome: 'unchanged' as const, case: known };
      if (!scopeHoldsRegion(caseScope(actor), found.region_code)) {
        throw new AppError('ALREADY_EXISTS', { entity: TEXT.clientKey, id: input.clientKey ?? '' });
      }
      const timeline = await pastSteps.lockCaseTimeline(trx, found.id);
      // What the sweep added (escalations of a deadline the correction may move) goes with the history.
      const own = timeline?.events.filter((e) => e.data?.imported === true || e.action === 'escalate') ?? [];
      if (found.history_key === null || own.length !== timeline?.events.length) {
        throw new AppError('VALIDATION_FAILED', { summary: TEXT.workedOn });
      }
      await pastSteps.deleteCaseEvents(
        trx,
        found.id,
        own.map((e) => e.id),
      );
      // Changed now: whoever follows changes since a time (Open311 clients, webhooks) sees the correction.
      await pastSteps.rewriteImportedCase(trx, found.id, { ...fields, updated_at: clock.now() });
      await pastSteps.insertCaseEvents(
        trx,
        [reportEntry, ...later].map((e) => ({ ...e, case_id: found.id })),
      );
      await cases.setCaseDepartments(trx, found.id, history.departmentId, [], true);
      await audit.record(trx, { ...audited, entityId: found.id, action: 'case.importUpdate' });
      return { outcome: 'updated' as const, case: known };
    });
  }

  return { reportCase, findCasesByClientKeys, recordHistory };
}
