import type { LocalizedText } from '../../../shared/errors.ts';
import {
  type AssignMediatorInput,
  CONFIRMATION_DAYS,
  type ConfirmationInput,
  DISPUTE_TYPES,
  type DisputeType,
  type ExtensionInput,
  FOLLOW_UP_DAYS,
  type FollowUpInput,
  MEDIATION_LIMIT_DAYS,
  type MediationDetail,
  type MediationListQuery,
  type MediationPage,
  type OpenMediationInput,
  type PartyField,
  partyVisibilityOf,
  REFERRAL_TARGET_LABELS,
  type ReferInput,
  type SessionInput,
  type SettleInput,
} from '../../../shared/mediation.ts';
import { checkIdNumber, checkPhone } from '../../../shared/registry-validation.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { nextNumber } from '../../db/number-counters.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CaseService } from '../cases/case.service.ts';
import { assertInScope, assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { narrowScope, regionScope } from '../people/scope.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import {
  assertMayOpen,
  assertMayRead,
  assertMaySetCategories,
  assertMayWrite,
  MEDIATION,
} from './mediation.policy.ts';
import { presentAgreement, presentParty, presentSummary } from './mediation.presenter.ts';
import type { MediationListRow } from './mediation.repository.ts';
import * as repo from './mediation.repository.ts';
import { createCaseMover } from './mediation-case.ts';

export interface MediationServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  territory: Pick<TerritoryService, 'getRegionSummary' | 'getRegionNames'>;
  cases: CaseService;
}

export type MediationService = ReturnType<typeof createMediationService>;

const DAY = 86_400_000;

/** A field-named 400, in both languages. */
function invalid(path: string, text: LocalizedText): AppError {
  return new AppError(
    'VALIDATION_FAILED',
    { summary: { zh: `${path}：${text.zh}`, en: `${path}: ${text.en}` } },
    { issues: [{ path, message: text.zh }] },
  );
}

/** The yearly series of mediation numbers: the register's 调字 and the agreements' 调协字. */
export const MEDIATION_SERIES = { register: '调字', agreement: '调协字' } as const;

/** A number of the series in the year of `day`, as `(YYYY)调字第NNNN号`; call it in the transaction writing it. */
async function issueNumber(trx: Db, series: string, day: string): Promise<string> {
  const year = Number(day.slice(0, 4));
  return formatNumber(series, year, await nextNumber(trx, series, year));
}

export function formatNumber(series: string, year: number, sequence: number): string {
  return `(${year})${series}第${String(sequence).padStart(4, '0')}号`;
}

/** `YYYY-MM-DD` plus days, as civil dates. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/**
 * Dispute mediation (人民调解) in the case loop: opening from a dispute case or a desk application, the parties with
 * their personal data masked by role and revealed with an audit entry, the mediator, sessions, agreed extensions
 * of the 30-day limit, and the outcome — an agreement, or a referral — that marks the case handled; then the
 * follow-up visit and the judicial-confirmation reminder.
 */
export function createMediationService(deps: MediationServiceDeps) {
  const { db, clock, audit, territory, cases } = deps;
  const mover = createCaseMover(cases);

  async function load(actor: Actor, id: number): Promise<MediationListRow> {
    assertMayRead(actor);
    const row = await repo.findMediation(db, id);
    if (!row) throw notFound(MEDIATION, id);
    assertInScope(actor, row.region_code, { zh: `调解案件 ${row.number}`, en: `mediation ${row.number}` });
    return row;
  }

  async function loadForWrite(actor: Actor, id: number, version: number): Promise<MediationListRow> {
    const row = await load(actor, id);
    assertMayWrite(actor, row);
    if (row.version !== version) throw conflict(MEDIATION, row.version);
    return row;
  }

  function assertOpen(row: MediationListRow): void {
    if (row.state !== 'open') {
      throw new AppError('VALIDATION_FAILED', {
        summary: {
          zh: `调解案件 ${row.number} 已结束，不能再修改过程`,
          en: `Mediation ${row.number} is closed: its course can no longer change`,
        },
      });
    }
  }

  /** A mediator of the region: the mediator role, a scope that holds it. */
  async function checkMediator(mediatorId: number, regionCode: string) {
    const mediator = await repo.findMediator(db, mediatorId);
    if (!mediator || !regionCode.startsWith(mediator.region_code)) {
      throw invalid('mediatorId', {
        zh: '须为负责该村（社区）或全镇的调解员',
        en: 'must be a mediator of this village or of the whole town',
      });
    }
    return mediator;
  }

  function checkParties(parties: OpenMediationInput['parties']): void {
    for (const [i, party] of parties.entries()) {
      if (party.idNumber) {
        const checked = checkIdNumber(party.idNumber, clock.now());
        if (!checked.ok) throw invalid(`parties.${i}.idNumber`, checked.problem);
      }
      if (party.phone) {
        const checked = checkPhone(party.phone);
        if (!checked.ok) throw invalid(`parties.${i}.phone`, checked.problem);
      }
    }
    if (!parties.some((p) => p.side === 'applicant') || !parties.some((p) => p.side === 'respondent')) {
      throw invalid('parties', { zh: '须有申请人和被申请人', en: 'need an applicant and a respondent' });
    }
  }

  /**
   * Opens a mediation: from a dispute case (its category must be one of the dispute categories; the case moves to
   * 处置中) or from an application at the committee's desk (a region given). Replaying a client key answers with
   * the mediation it opened.
   */
  async function openMediation(actor: Actor, input: OpenMediationInput): Promise<MediationDetail> {
    assertMayOpen(actor);
    if (input.clientKey) {
      const existing = await repo.findByClientKey(db, input.clientKey);
      if (existing !== undefined) return getMediation(actor, existing);
    }
    checkParties(input.parties);
    let regionCode = input.regionCode;
    let caseId: number | null = null;
    if (input.caseId) {
      const found = await cases.getCase(actor, input.caseId);
      if (!(await repo.findDisputeType(db, found.categoryId))) {
        throw invalid('caseId', {
          zh: `案件分类“${found.categoryName}”不是纠纷类，不走调解程序`,
          en: `category "${found.categoryName}" is not a dispute category`,
        });
      }
      if (await repo.findByCase(db, found.id)) {
        throw invalid('caseId', { zh: '该案件已在调解', en: 'this case is already in mediation' });
      }
      regionCode = found.regionCode;
      caseId = found.id;
    }
    if (!regionCode)
      throw invalid('regionCode', { zh: '请选择纠纷所在村（社区）', en: 'choose the village' });
    const region = await territory.getRegionSummary(regionCode);
    assertInScope(actor, region.code, { zh: region.name, en: region.name });
    if (region.code.length < 12) {
      throw invalid('regionCode', { zh: '须为村（社区）或网格', en: 'must be a village or a grid' });
    }
    const mediatorId = input.mediatorId ?? (actor.role === 'mediator' && !actor.system ? actor.id : null);
    if (mediatorId !== null) await checkMediator(mediatorId, region.code);
    const now = clock.now();
    const acceptedAt = input.acceptedOn ? new Date(`${input.acceptedOn}T09:00:00+08:00`) : now;
    if (acceptedAt.getTime() > now.getTime()) {
      throw invalid('acceptedOn', { zh: '不能晚于今天', en: 'cannot be after today' });
    }
    const dueAt = new Date(acceptedAt.getTime() + MEDIATION_LIMIT_DAYS * DAY);
    let followLimit: ((trx: Db) => Promise<void>) | null = null;
    if (caseId !== null) {
      await mover.toAccepted(actor, caseId, '转入人民调解');
      followLimit = await mover.followLimit(
        actor,
        caseId,
        dueAt,
        `转入人民调解，处置期限按调解期限（受理之日起 ${MEDIATION_LIMIT_DAYS} 日）`,
      );
    }
    const id = await db.transaction().execute(async (trx) => {
      await followLimit?.(trx);
      const number = await issueNumber(trx, MEDIATION_SERIES.register, repo.civilDay(acceptedAt));
      const newId = await repo.insertMediation(trx, {
        number,
        client_key: input.clientKey ?? null,
        case_id: caseId,
        region_code: region.code,
        county_code: region.code.slice(0, 6),
        dispute_type: input.disputeType,
        source: input.source,
        procedure: input.procedure,
        summary: input.summary,
        mediator_id: mediatorId,
        accepted_at: acceptedAt,
        due_at: dueAt,
        escalated_at: null,
        closed_at: null,
        referred_to: null,
        referral_department: null,
        referral_reason: null,
        follow_up_due_on: null,
        follow_up_done_at: null,
        follow_up_performed: null,
        follow_up_note: null,
        confirmation_due_on: null,
        confirmation_applied: null,
        confirmation_note: null,
        created_by: actor.id > 0 ? actor.id : null,
        created_at: now,
        updated_at: now,
      });
      await repo.insertParties(
        trx,
        input.parties.map((p, position) => ({
          mediation_id: newId,
          position,
          side: p.side,
          name: p.name,
          id_number: p.idNumber ? p.idNumber.toUpperCase() : null,
          phone: p.phone || null,
          address: p.address || null,
        })),
      );
      await record(
        trx,
        actor,
        'mediation.open',
        { id: newId, number, region_code: region.code },
        {
          caseId,
          source: input.source,
        },
      );
      return newId;
    });
    return getMediation(actor, id);
  }

  function record(
    trx: Db,
    actor: Actor,
    action: string,
    row: { id: number; number: string; region_code: string },
    details: Record<string, unknown> = {},
  ) {
    return audit.record(trx, {
      actor,
      action,
      entityType: 'mediation',
      entityId: row.id,
      countyCode: row.region_code.slice(0, 6),
      details: { number: row.number, regionCode: row.region_code, ...details },
    });
  }

  async function listMediations(actor: Actor, query: MediationListQuery): Promise<MediationPage> {
    assertMayRead(actor);
    let scope = regionScope(actor);
    if (query.regionCode) scope = narrowScope(scope, query.regionCode);
    const now = clock.now();
    const { total, rows } = await repo.listMediations(db, scope, query, now);
    return { total, items: rows.map((r) => presentSummary(r, now)) };
  }

  async function getMediation(actor: Actor, id: number): Promise<MediationDetail> {
    const row = await load(actor, id);
    const [parties, sessions, extensions, agreement] = await Promise.all([
      repo.listParties(db, id),
      repo.listSessions(db, id),
      repo.listExtensions(db, id),
      repo.findAgreement(db, id),
    ]);
    const seesNames = actor.system || partyVisibilityOf(actor.role).name === 'clear';
    return {
      ...presentSummary(row, clock.now()),
      summary: row.summary,
      parties: parties.map((p) => presentParty(actor, p)),
      sessions: sessions.map((s) => ({
        id: s.id,
        heldAt: s.held_at.toISOString(),
        place: s.place,
        matter: s.matter,
        result: s.result,
        // A transcript quotes the parties by name: only the roles that see their names read it.
        transcript: seesNames ? s.transcript : null,
        recordedBy: s.recorded_by_name,
      })),
      extensions: extensions.map((e) => ({
        id: e.id,
        days: e.days,
        previousDueAt: e.previous_due_at.toISOString(),
        newDueAt: e.new_due_at.toISOString(),
        reason: e.reason,
        consent: e.consent,
        recordedBy: e.recorded_by_name,
        recordedAt: e.recorded_at.toISOString(),
      })),
      agreement: presentAgreement(agreement),
      referral: row.referred_to
        ? {
            referredTo: row.referred_to,
            department: row.referral_department,
            reason: row.referral_reason ?? '',
          }
        : null,
      followUp: { performed: row.follow_up_performed, note: row.follow_up_note },
      confirmation: { applied: row.confirmation_applied, note: row.confirmation_note },
    };
  }

  /** Writes the changes at the version read, with an audit entry; a concurrent change answers 409. */
  async function change(
    trx: Db,
    actor: Actor,
    row: MediationListRow,
    action: string,
    changes: repo.MediationChanges,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    const ok = await repo.updateMediationAtVersion(trx, row.id, row.version, {
      ...changes,
      updated_at: clock.now(),
    });
    if (!ok) throw conflict(MEDIATION, row.version + 1);
    await record(trx, actor, action, row, details);
  }

  async function assignMediator(actor: Actor, id: number, input: AssignMediatorInput) {
    const row = await loadForWrite(actor, id, input.version);
    assertOpen(row);
    const mediator = await checkMediator(input.mediatorId, row.region_code);
    await db
      .transaction()
      .execute((trx) =>
        change(
          trx,
          actor,
          row,
          'mediation.assign',
          { mediator_id: mediator.id },
          { mediatorId: mediator.id },
        ),
      );
    return getMediation(actor, id);
  }

  /** A session: the standard procedure keeps its transcript (笔录); the simplified one only matter and result. */
  async function recordSession(actor: Actor, id: number, input: SessionInput & { version: number }) {
    const row = await loadForWrite(actor, id, input.version);
    assertOpen(row);
    if (row.procedure === 'standard' && !input.transcript) {
      throw invalid('transcript', {
        zh: '一般程序须记录调解笔录',
        en: 'the standard procedure keeps a transcript',
      });
    }
    const heldAt = new Date(input.heldAt);
    if (heldAt.getTime() > clock.now().getTime() + 5 * 60_000) {
      throw invalid('heldAt', { zh: '不能晚于现在', en: 'cannot be in the future' });
    }
    await db.transaction().execute(async (trx) => {
      await repo.insertSessions(trx, [
        {
          mediation_id: id,
          held_at: heldAt,
          place: input.place,
          matter: input.matter,
          result: input.result,
          transcript: row.procedure === 'standard' ? (input.transcript ?? null) : null,
          recorded_by: actor.id > 0 ? actor.id : null,
          recorded_by_name: actor.name,
          created_at: clock.now(),
        },
      ]);
      await change(trx, actor, row, 'mediation.session', {}, { heldAt: input.heldAt });
    });
    return getMediation(actor, id);
  }

  /** An extension the parties agreed to: the limit moves, and a red light goes out until the new limit passes. */
  async function extend(actor: Actor, id: number, input: ExtensionInput) {
    const row = await loadForWrite(actor, id, input.version);
    assertOpen(row);
    const newDue = new Date(row.due_at.getTime() + input.days * DAY);
    const followLimit =
      row.case_id === null
        ? null
        : await mover.followLimit(
            actor,
            Number(row.case_id),
            newDue,
            `当事人同意延长调解期限 ${input.days} 日`,
          );
    await db.transaction().execute(async (trx) => {
      await followLimit?.(trx);
      await repo.insertExtension(trx, {
        mediation_id: id,
        days: input.days,
        previous_due_at: row.due_at,
        new_due_at: newDue,
        reason: input.reason,
        consent: input.consent,
        recorded_by_name: actor.name,
        recorded_at: clock.now(),
      });
      await change(
        trx,
        actor,
        row,
        'mediation.extend',
        { due_at: newDue, escalated_at: null },
        {
          days: input.days,
          newDueAt: newDue.toISOString(),
        },
      );
    });
    return getMediation(actor, id);
  }

  /** Runs the outcome's writes, with the case step when a case is linked (its evidence then required). */
  async function close(
    actor: Actor,
    row: MediationListRow,
    outcome: { note: string; evidence: readonly string[] },
    write: (trx: Db) => Promise<void>,
  ) {
    if (row.case_id === null) {
      await db.transaction().execute(write);
      return;
    }
    if (outcome.evidence.length === 0) {
      throw invalid('evidence', {
        zh: '请上传签字后的协议书或移交函照片，作为案件的处置材料',
        en: 'attach a photo of the signed document: it is the case’s evidence of handling',
      });
    }
    const caseId = Number(row.case_id);
    // The case no longer follows the mediation once it is handled: a rework after verification gets its
    // category's limit again.
    const release = await mover.followLimit(actor, caseId, null, outcome.note);
    await mover.toHandled(actor, caseId, outcome, async (trx) => {
      await write(trx);
      await release(trx);
    });
  }

  /** Settled: the agreement (调解协议书) is recorded and numbered; the follow-up and confirmation fall due. */
  async function settle(actor: Actor, id: number, input: SettleInput) {
    const row = await loadForWrite(actor, id, input.version);
    assertOpen(row);
    const now = clock.now();
    const signedOn = input.signedOn ?? repo.civilDay(now);
    if (signedOn > repo.civilDay(now))
      throw invalid('signedOn', { zh: '不能晚于今天', en: 'cannot be after today' });
    if (input.performBy < signedOn) {
      throw invalid('performBy', { zh: '不能早于签订日期', en: 'cannot be before the signing day' });
    }
    await close(
      actor,
      row,
      { note: `调解成功，已签订人民调解协议书（${row.number}）`, evidence: input.evidence },
      async (trx) => {
        await repo.insertAgreements(trx, [
          {
            mediation_id: id,
            number: await issueNumber(trx, MEDIATION_SERIES.agreement, signedOn),
            facts: input.facts,
            terms: input.terms,
            performance_method: input.performanceMethod,
            performance_place: input.performancePlace,
            perform_by: input.performBy,
            signed_on: signedOn,
          },
        ]);
        await change(trx, actor, row, 'mediation.settle', {
          state: 'settled',
          closed_at: now,
          follow_up_due_on: addDays(signedOn, FOLLOW_UP_DAYS),
          confirmation_due_on: addDays(signedOn, CONFIRMATION_DAYS),
        });
      },
    );
    return getMediation(actor, id);
  }

  /** Not settled: referred on to litigation, arbitration or a department, with the reason. */
  async function refer(actor: Actor, id: number, input: ReferInput) {
    const row = await loadForWrite(actor, id, input.version);
    assertOpen(row);
    if (input.referredTo === 'department' && !input.department) {
      throw invalid('department', { zh: '请填写移交的部门', en: 'name the department' });
    }
    const target = REFERRAL_TARGET_LABELS[input.referredTo].zh;
    await close(
      actor,
      row,
      { note: `调解不成，${target}：${input.reason}`, evidence: input.evidence },
      (trx) =>
        change(trx, actor, row, 'mediation.refer', {
          state: 'unsettled',
          closed_at: clock.now(),
          referred_to: input.referredTo,
          referral_department: input.referredTo === 'department' ? (input.department ?? null) : null,
          referral_reason: input.reason,
        }),
    );
    return getMediation(actor, id);
  }

  /** The follow-up visit (回访): whether the agreement is being performed. */
  async function recordFollowUp(actor: Actor, id: number, input: FollowUpInput) {
    const row = await loadForWrite(actor, id, input.version);
    if (row.state !== 'settled') {
      throw invalid('state', {
        zh: '只有调解成功的案件需要回访',
        en: 'only settled mediations are followed up',
      });
    }
    await db.transaction().execute((trx) =>
      change(trx, actor, row, 'mediation.followUp', {
        follow_up_done_at: clock.now(),
        follow_up_performed: input.performed,
        follow_up_note: input.note,
      }),
    );
    return getMediation(actor, id);
  }

  async function recordConfirmation(actor: Actor, id: number, input: ConfirmationInput) {
    const row = await loadForWrite(actor, id, input.version);
    if (row.state !== 'settled') {
      throw invalid('state', { zh: '只有调解协议可申请司法确认', en: 'only agreements can be confirmed' });
    }
    await db.transaction().execute((trx) =>
      change(trx, actor, row, 'mediation.confirmation', {
        confirmation_applied: input.applied,
        confirmation_note: input.note ?? null,
      }),
    );
    return getMediation(actor, id);
  }

  /** One party's ID number or phone in clear, for a role that may reveal it; logged as the registry's reveals. */
  async function revealParty(actor: Actor, id: number, partyId: number, field: PartyField) {
    const row = await load(actor, id);
    const visibility = partyVisibilityOf(actor.role)[field];
    if (visibility === 'masked') {
      assertRole(actor, [], { zh: '查看当事人的完整个人信息', en: "see a party's personal data" });
    }
    const party = (await repo.listParties(db, id)).find((p) => p.id === partyId);
    if (!party) throw notFound({ zh: '当事人', en: 'Party' }, partyId);
    await db
      .transaction()
      .execute((trx) => record(trx, actor, 'mediation.reveal', row, { partyId, fields: [field] }));
    return { field, value: field === 'idNumber' ? party.id_number : party.phone };
  }

  async function listDisputeCategories(actor: Actor) {
    assertMayRead(actor);
    return (await repo.listDisputeCategories(db)).map((c) => ({
      categoryId: c.category_id,
      code: c.code,
      name: c.name,
      disputeType: c.dispute_type,
    }));
  }

  async function setDisputeCategories(
    actor: Actor,
    input: { categories: { categoryId: number; disputeType: DisputeType }[] },
  ) {
    assertMaySetCategories(actor);
    const ids = new Set<number>();
    for (const [i, c] of input.categories.entries()) {
      if (ids.has(c.categoryId) || !DISPUTE_TYPES.includes(c.disputeType)) {
        throw invalid(`categories.${i}.categoryId`, { zh: '重复', en: 'listed twice' });
      }
      ids.add(c.categoryId);
    }
    await db.transaction().execute(async (trx) => {
      const known = new Set(await repo.existingCategoryIds(trx, [...ids]));
      const missing = input.categories.findIndex((c) => !known.has(c.categoryId));
      if (missing >= 0)
        throw invalid(`categories.${missing}.categoryId`, { zh: '没有该分类', en: 'no such category' });
      await repo.replaceDisputeCategories(
        trx,
        input.categories.map((c) => ({ category_id: c.categoryId, dispute_type: c.disputeType })),
      );
      await audit.record(trx, {
        actor,
        action: 'mediation.categories',
        entityType: 'mediation',
        entityId: '*',
        details: { categories: input.categories },
      });
    });
    return listDisputeCategories(actor);
  }

  /**
   * The open mediation of a case, for the cases module: it holds the case's handling and links the case page to
   * it. The case's reader decides who learns it; the mediation itself stays behind its own read check.
   */
  async function openMediationOfCase(caseId: number): Promise<{ id: number; number: string } | undefined> {
    return repo.findOpenByCase(db, caseId);
  }

  function assertRegionVisible(actor: Actor, code: string, name: string): void {
    assertInScope(actor, code, { zh: name, en: name });
  }

  return {
    assertRegionVisible,
    openMediationOfCase,
    openMediation,
    listMediations,
    getMediation,
    assignMediator,
    recordSession,
    extend,
    settle,
    refer,
    recordFollowUp,
    recordConfirmation,
    revealParty,
    listDisputeCategories,
    setDisputeCategories,
    load,
  };
}
