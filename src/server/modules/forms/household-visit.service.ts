/**
 * Visit campaigns (入户走访, e.g. 三询问一完善): a form asked of every household (or house, or organisation — the
 * campaign's unit) of an area in a period.
 * Grid workers visit from the phone (offline, replayed by client key); the answers are checked by the form
 * engine, mapped answers update the registry through the registry's service, and answers marked to raise a case
 * report one through the case service. Coverage is households visited over the registry's households.
 */
import type { LocalizedText } from '../../../shared/errors.ts';
import { casesRaised, formText, validateAnswers } from '../../../shared/form-answers.ts';
import type { Answers, FormDefinition, FormText } from '../../../shared/forms.ts';
import {
  type AnswerSummary,
  type CampaignHouseholdPage,
  type Coverage,
  type CoverageByDay,
  type CreateVisitCampaignInput,
  HOUSEHOLD_VISITOR_ROLES,
  type HouseholdListQuery,
  type HouseholdVisit,
  type RecordHouseholdVisitInput,
  VISIT_CAMPAIGN_MANAGER_ROLES,
  VISIT_CAMPAIGN_READER_ROLES,
  VISIT_UNIT_NOUNS,
  type VisitCampaign,
} from '../../../shared/household-visits.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CaseService } from '../cases/case.service.ts';
import type { CategoryService } from '../cases/category.service.ts';
import { invalidFields, shanghaiDay } from '../patrols/patrol.policy.ts';
import { assertInScope, assertRole, assertVolunteerTool } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { narrowScope, regionScope, type Scope, scopeHoldsRegion } from '../people/scope.ts';
import type { RegistryService } from '../registry/registry.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { HOUSEHOLD_VISIT, VISIT_CAMPAIGN } from './household-visit.policy.ts';
import {
  coverageRow,
  presentCampaign,
  presentHousehold,
  presentVisits,
} from './household-visit.presenter.ts';
import * as repo from './household-visit.repository.ts';
import type { VisitCampaignRow } from './household-visit.table.ts';
import { applyRegistryFields } from './household-visit-registry.ts';
import { findVisitedUnit } from './household-visit-units.ts';

/** A form version as campaigns use it: immutable once published. */
export interface VisitForm {
  /** The version row's id. */
  id: number;
  formId: number;
  version: number;
  title: FormText;
  definition: FormDefinition;
}

/** What this module needs of the forms module. */
export interface VisitFormSource {
  /** The newest published version of a form the actor may read; 4xx when there is none. */
  publishedForm(actor: Actor, formId: number): Promise<VisitForm>;
  formVersion(versionId: number): Promise<VisitForm>;
}

export interface HouseholdVisitServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  forms: VisitFormSource;
  territory: Pick<TerritoryService, 'gridsOfWorker'>;
  registry: Pick<RegistryService, 'updateRecord'>;
  cases: Pick<CaseService, 'reportCase'>;
  categories: Pick<CategoryService, 'getCategoryTree'>;
}

const TEXT = {
  manage: { zh: '设置走访活动', en: 'set up visit campaigns' },
  read: { zh: '查看走访活动', en: 'read visit campaigns' },
  visit: { zh: '入户走访', en: 'visit households' },
  volunteerVisit: {
    zh: '入户走访（志愿者仅可在已签到的志愿任务指定的走访活动中走访）',
    en: 'visit households (a volunteer visits only for the campaign of the task they are signed in to)',
  },
  outside: { zh: '不在走访区域内', en: 'is outside the campaign area' },
  period: { zh: '不在走访活动期间内', en: 'is outside the campaign period' },
  closed: { zh: '走访活动已结束', en: 'the campaign was closed before this time' },
  future: { zh: '时间晚于当前时间', en: 'the time is in the future' },
  regionLevel: { zh: '走访区域应为镇街或村居（社区）', en: 'an area is a town or a village' },
} satisfies Record<string, LocalizedText>;

/** Region codes of a town (9 digits) and of a village (12) — the levels an area is made of. */
const AREA_LENGTHS = [9, 12];
const CODE_LENGTHS = [2, 4, 6, 9, 12, 15, 18, 21];
const CLOCK_SKEW_MS = 5 * 60_000;

export type HouseholdVisitService = ReturnType<typeof createHouseholdVisitService>;

export function createHouseholdVisitService(deps: HouseholdVisitServiceDeps) {
  const { db, clock, audit, forms } = deps;
  const formCache = new Map<string, Promise<VisitForm>>();

  function formOf(campaign: VisitCampaignRow): Promise<VisitForm> {
    const key = String(campaign.form_version_id);
    let form = formCache.get(key);
    if (!form) {
      form = forms.formVersion(campaign.form_version_id);
      form.catch(() => formCache.delete(key));
      formCache.set(key, form);
    }
    return form;
  }

  /** The campaign, if the actor's scope meets its area; not found otherwise (ids reveal nothing). */
  async function readableCampaign(actor: Actor, id: number): Promise<VisitCampaignRow> {
    assertRole(actor, VISIT_CAMPAIGN_READER_ROLES, TEXT.read);
    const row = await repo.findCampaign(db, id);
    const scope = regionScope(actor);
    if (!row || !meets(row, scope)) throw notFound(VISIT_CAMPAIGN, id);
    return row;
  }

  /**
   * The campaign for visiting it: a reader's, or a volunteer's signed in to a door-to-door request naming it
   * (who then sees its households in that community, not its coverage or answers).
   */
  async function visitableCampaign(actor: Actor, id: number): Promise<VisitCampaignRow> {
    if (actor.role !== 'volunteer') return readableCampaign(actor, id);
    assertVolunteerTool(actor, 'visitCampaignId', id, TEXT.volunteerVisit);
    const row = await repo.findCampaign(db, id);
    if (!row || !meets(row, regionScope(actor))) throw notFound(VISIT_CAMPAIGN, id);
    return row;
  }

  function meets(row: VisitCampaignRow, scope: Scope): boolean {
    if (scope.kind === 'everything') return true;
    if (scope.kind !== 'regions') return false;
    return row.region_codes.some((c) => c.startsWith(scope.prefix) || scope.prefix.startsWith(c));
  }

  /**
   * The region a coverage read starts from: the one asked for, or the smallest region holding the part of the
   * area the actor sees (the town of two communities; a village worker's own village).
   */
  function rootOf(actor: Actor, campaign: VisitCampaignRow, asked: string | undefined): string {
    if (asked) {
      assertInScope(actor, asked, asked);
      return asked;
    }
    let common = campaign.region_codes[0] ?? '';
    for (const code of campaign.region_codes) {
      while (!code.startsWith(common)) common = common.slice(0, -1);
    }
    const root = [...CODE_LENGTHS].reverse().find((n) => n <= common.length) ?? 0;
    const area = common.slice(0, root);
    return actor.scopeCode.length > area.length && actor.scopeCode.startsWith(area) ? actor.scopeCode : area;
  }

  async function createCampaign(actor: Actor, input: CreateVisitCampaignInput): Promise<VisitCampaign> {
    assertRole(actor, VISIT_CAMPAIGN_MANAGER_ROLES, TEXT.manage);
    const codes = [...new Set(input.regionCodes)].sort();
    const names = await repo.regionNames(db, codes);
    const issues: { path: string; text: LocalizedText }[] = [];
    codes.forEach((code, i) => {
      if (!AREA_LENGTHS.includes(code.length) || !names.has(code)) {
        issues.push({ path: `regionCodes.${i}`, text: TEXT.regionLevel });
      }
    });
    if (issues.length) throw invalidFields(actor, issues);
    for (const code of codes) assertInScope(actor, code, names.get(code)?.name ?? code);
    const form = await forms.publishedForm(actor, input.formId);
    const row = await db.transaction().execute(async (trx) => {
      const created = await repo.insertCampaign(trx, {
        name: input.name,
        form_id: form.formId,
        form_version_id: form.id,
        form_version: form.version,
        unit: input.unit,
        region_codes: codes,
        scope_code: actor.scopeCode,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        created_by: actor.system ? null : actor.id,
        created_at: clock.now(),
      });
      await audit.record(trx, {
        actor: { id: actor.system ? null : actor.id, name: actor.name },
        action: 'visitCampaign.create',
        entityType: 'visitCampaign',
        entityId: created.id,
        countyCode: codes[0]?.slice(0, 6) ?? null,
        details: { name: input.name, formId: form.formId, version: form.version, regionCodes: codes },
      });
      return created;
    });
    return campaignOf(actor, row);
  }

  async function campaignOf(actor: Actor, row: VisitCampaignRow): Promise<VisitCampaign> {
    const [form, names, totals] = await Promise.all([
      formOf(row),
      repo.regionNames(db, row.region_codes),
      repo.countCoverage(db, { campaign: row, scope: regionScope(actor) }, 0),
    ]);
    return presentCampaign(row, {
      today: shanghaiDay(clock.now()),
      formTitle: formText(form.title, actor.locale),
      names,
      households: totals[0]?.households ?? 0,
      visited: totals[0]?.visited ?? 0,
    });
  }

  async function listCampaigns(actor: Actor): Promise<{ items: VisitCampaign[] }> {
    if (actor.role === 'volunteer') {
      // A volunteer's list is the campaign of their signed-in task, if it names one.
      const id = actor.volunteerTask?.visitCampaignId;
      return { items: id ? [await campaignOf(actor, await visitableCampaign(actor, id))] : [] };
    }
    assertRole(actor, VISIT_CAMPAIGN_READER_ROLES, TEXT.read);
    const rows = await repo.listCampaigns(db, regionScope(actor));
    return { items: await Promise.all(rows.map((row) => campaignOf(actor, row))) };
  }

  async function getCampaign(actor: Actor, id: number): Promise<VisitCampaign> {
    return campaignOf(actor, await visitableCampaign(actor, id));
  }

  /**
   * Closes a campaign before its end date (结束活动), for a manager whose scope holds its whole area: a leader of
   * one village cannot end a town's campaign. Visits made before closing and sent late from a phone still count.
   * Closing is idempotent.
   */
  async function closeCampaign(actor: Actor, id: number): Promise<VisitCampaign> {
    const campaign = await readableCampaign(actor, id);
    assertRole(actor, VISIT_CAMPAIGN_MANAGER_ROLES, TEXT.manage);
    for (const code of campaign.region_codes) assertInScope(actor, code, campaign.name);
    const closed = await db.transaction().execute(async (trx) => {
      const row = await repo.closeCampaign(trx, {
        id,
        closedAt: clock.now(),
        closedBy: actor.system ? null : actor.id,
      });
      if (!row) return undefined;
      await audit.record(trx, {
        actor: { id: actor.system ? null : actor.id, name: actor.name },
        action: 'visitCampaign.close',
        entityType: 'visitCampaign',
        entityId: id,
        countyCode: row.region_codes[0]?.slice(0, 6) ?? null,
        details: { name: row.name },
      });
      return row;
    });
    // Closing twice (a double click, two leaders at once) answers with the campaign as closed the first time.
    return campaignOf(actor, closed ?? (await readableCampaign(actor, id)));
  }

  /** Coverage of a region (default: the part of the area the actor sees) and of each of its children. */
  async function coverage(actor: Actor, id: number, regionCode?: string): Promise<Coverage> {
    const campaign = await readableCampaign(actor, id);
    const root = rootOf(actor, campaign, regionCode);
    const filter = { campaign, scope: narrowScope(regionScope(actor), root) };
    // Below a village the rows are leaf grids: a household's region code is its leaf grid.
    const childLength = root.length < 12 ? (CODE_LENGTHS.find((n) => n > root.length) ?? null) : null;
    const [children, total] = await Promise.all([
      repo.countCoverage(db, filter, childLength),
      repo.countCoverage(db, filter, 0),
    ]);
    const names = await repo.regionNames(db, [root, ...children.map((c) => c.code)]);
    const sum = total[0] ?? { code: '', households: 0, visited: 0, residents: 0, covered: 0 };
    return {
      campaignId: id,
      root: coverageRow({ ...sum, code: root }, names),
      rows: children.map((c) => coverageRow(c, names)),
    };
  }

  /** Households first visited per day, with the running total: the campaign's advance. */
  async function coverageByDay(actor: Actor, id: number, regionCode?: string): Promise<CoverageByDay> {
    const campaign = await readableCampaign(actor, id);
    const root = rootOf(actor, campaign, regionCode);
    const filter = { campaign, scope: narrowScope(regionScope(actor), root) };
    const [days, total] = await Promise.all([
      repo.countFirstVisitsByDay(db, filter),
      repo.countCoverage(db, filter, 0),
    ]);
    let cumulative = 0;
    return {
      households: total[0]?.households ?? 0,
      days: days.map((d) => {
        cumulative += d.visited;
        return { day: d.day, visited: d.visited, cumulative };
      }),
    };
  }

  /**
   * Households of the campaign (default: not yet visited — 不漏一户), by grid and address. A grid worker sees
   * the grids they are the grid worker of unless they ask for all of their scope (`mine=false`).
   */
  async function listHouseholds(
    actor: Actor,
    id: number,
    query: HouseholdListQuery,
  ): Promise<CampaignHouseholdPage> {
    const campaign = await visitableCampaign(actor, id);
    let within: string[] | undefined;
    if (query.gridCode) {
      assertInScope(actor, query.gridCode, query.gridCode);
      within = [query.gridCode];
    } else if (query.mine !== false) {
      const grids = await deps.territory.gridsOfWorker(actor);
      if (grids.length) within = grids;
    }
    const rows = await repo.listHouseholds(
      db,
      { campaign, scope: regionScope(actor), within },
      { status: query.status, limit: query.pageSize, offset: (query.page - 1) * query.pageSize },
    );
    return {
      items: rows.map((r) => presentHousehold(actor, campaign.unit, r)),
      total: rows[0]?.total ?? 0,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async function presentOne(
    actor: Actor,
    campaign: VisitCampaignRow,
    visitId: number,
  ): Promise<HouseholdVisit> {
    const rows = await repo.listVisits(db, {
      campaign,
      scope: regionScope(actor),
      id: visitId,
      limit: 1,
      offset: 0,
    });
    if (!rows.length) throw notFound(HOUSEHOLD_VISIT, visitId);
    const [visit] = presentVisits(
      actor,
      campaign.unit,
      (await formOf(campaign)).definition,
      rows,
      await repo.listVisitCases(db, [visitId]),
    );
    return visit as HouseholdVisit;
  }

  /**
   * Records a visit: answers checked by the form, the visit and its audit entry in one transaction, then the
   * registry fields the form maps (through the registry service) and the cases its answers raise (through the
   * case service). A replay of the client key answers with the visit recorded first and raises any case a
   * failed first try left out (the case's client key makes that safe).
   */
  async function recordVisit(
    actor: Actor,
    campaignId: number,
    input: RecordHouseholdVisitInput,
  ): Promise<HouseholdVisit> {
    assertRole(actor, HOUSEHOLD_VISITOR_ROLES, TEXT.visit);
    const campaign = await visitableCampaign(actor, campaignId);
    const form = await formOf(campaign);
    const known = await repo.findVisitByKey(db, input.clientKey);
    if (known) {
      if (known.user_id !== actor.id || known.campaign_id !== campaignId) {
        throw new AppError('ALREADY_EXISTS', { entity: HOUSEHOLD_VISIT, id: input.clientKey });
      }
      await raiseCases(actor, campaign, form, known.id, known.answers as Answers);
      return presentOne(actor, campaign, known.id);
    }
    const unit = await findVisitedUnit(db, campaign.unit, input.household);
    if (!unit || !scopeHoldsRegion(regionScope(actor), unit.regionCode)) {
      throw notFound(VISIT_UNIT_NOUNS[campaign.unit], input.household);
    }
    const { regionCode } = unit;
    const visitedAt = new Date(input.visitedAt);
    const day = shanghaiDay(visitedAt);
    const issues: { path: string; text: LocalizedText }[] = [];
    if (!campaign.region_codes.some((c) => regionCode.startsWith(c))) {
      issues.push({ path: 'household', text: TEXT.outside });
    }
    if (visitedAt.getTime() > clock.now().getTime() + CLOCK_SKEW_MS) {
      issues.push({ path: 'visitedAt', text: TEXT.future });
    } else if (day < campaign.starts_on || day > campaign.ends_on) {
      issues.push({ path: 'visitedAt', text: TEXT.period });
    } else if (campaign.closed_at && visitedAt > campaign.closed_at) {
      issues.push({ path: 'visitedAt', text: TEXT.closed });
    }
    const checked = validateAnswers(form.definition, input.answers as Answers, { today: clock.now() });
    for (const p of checked.problems) {
      issues.push({
        path: `answers.${p.name}`,
        text: { zh: p.message.zh, en: p.message.en ?? p.message.zh },
      });
    }
    if (issues.length) throw invalidFields(actor, issues);

    const stored = await db.transaction().execute(async (trx) => {
      const inserted = await repo.insertVisit(trx, {
        client_key: input.clientKey,
        campaign_id: campaignId,
        unit_id: unit.unitId,
        household_no: unit.householdNo,
        region_code: regionCode,
        county_code: unit.countyCode,
        user_id: actor.id,
        visited_at: visitedAt,
        day,
        answers: checked.answers,
        created_at: clock.now(),
      });
      if (inserted) {
        await audit.record(trx, {
          actor: { id: actor.id, name: actor.name },
          action: 'householdVisit.record',
          entityType: 'householdVisit',
          entityId: inserted.id,
          countyCode: unit.countyCode,
          details: { campaignId, unit: campaign.unit, household: input.household, regionCode },
        });
      }
      return inserted;
    });
    // A concurrent send of the same key won the insert: answer as a replay.
    if (!stored) return recordVisit(actor, campaignId, input);
    // Registry fields are facts of houses and their residents: an organisation's visit maps none.
    const changes = unit.house
      ? await applyRegistryFields(deps.registry, actor, {
          definition: form.definition,
          answers: checked.answers,
          house: unit.house,
          residents: unit.residents,
        })
      : [];
    if (changes.length) await repo.setRegistryChanges(db, stored.id, changes);
    await raiseCases(actor, campaign, form, stored.id, checked.answers);
    return presentOne(actor, campaign, stored.id);
  }

  /** Reports a case for every chosen answer marked to raise one, in its category, at the household's grid. */
  async function raiseCases(
    actor: Actor,
    campaign: VisitCampaignRow,
    form: VisitForm,
    visitId: number,
    answers: Answers,
  ): Promise<void> {
    const raised = casesRaised(form.definition, answers);
    if (!raised.length) return;
    const visit = await repo.findVisit(db, visitId);
    const house = visit
      ? await findVisitedUnit(db, campaign.unit, `${visit.unit_id}:${visit.household_no}`)
      : undefined;
    if (!visit || !house) return;
    const minors = (await deps.categories.getCategoryTree()).flatMap((major) => major.children);
    for (const item of raised) {
      const category =
        minors.find((c) => c.code === item.categoryCode && c.kind === 'matter' && c.active) ??
        minors.find((c) => c.code === item.categoryCode && c.active);
      if (!category) continue;
      const question = form.definition.questions.find((q) => q.name === item.question);
      const choice = question?.choices?.find((c) => c.value === item.choice);
      const description = [
        `【入户走访】${campaign.name} — ${house.address}`,
        `${question ? formText(question.label, 'zh-CN') : item.question}：${choice ? formText(choice.label, 'zh-CN') : item.choice}`,
      ].join('\n');
      const reported = await deps.cases.reportCase(
        actor,
        {
          clientKey: `hv-${visitId}-${item.question}-${item.choice}`.slice(0, 100),
          categoryId: category.id,
          description: description.slice(0, 2000),
          regionCode: visit.region_code,
          ...(house.lon !== null && house.lat !== null ? { lon: house.lon, lat: house.lat } : {}),
          address: house.address.slice(0, 200),
        },
        'gridWorker',
        {
          details: {
            householdVisit: {
              campaignId: campaign.id,
              visitId,
              household: `${visit.unit_id}:${visit.household_no}`,
              question: item.question,
              choice: item.choice,
            },
          },
          alongside: (trx, caseId) =>
            repo.insertVisitCase(trx, {
              visit_id: visitId,
              question: item.question,
              choice: item.choice,
              case_id: caseId,
            }),
        },
      );
      // A replay found the case made before; the link may be missing if that try stopped in between.
      await repo.insertVisitCase(db, {
        visit_id: visitId,
        question: item.question,
        choice: item.choice,
        case_id: reported.id,
      });
    }
  }

  async function listVisits(
    actor: Actor,
    campaignId: number,
    query: { household?: string | undefined; page: number; pageSize: number },
  ): Promise<{ items: HouseholdVisit[]; total: number }> {
    const campaign = await readableCampaign(actor, campaignId);
    const [house, no = ''] = query.household?.split(':') ?? [];
    const rows = await repo.listVisits(db, {
      campaign,
      scope: regionScope(actor),
      household: house ? { unitId: Number(house), householdNo: no } : undefined,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const cases = await repo.listVisitCases(
      db,
      rows.map((r) => r.id),
    );
    return {
      items: presentVisits(actor, campaign.unit, (await formOf(campaign)).definition, rows, cases),
      total: rows[0]?.total ?? 0,
    };
  }

  /** One visit with the cases it raised and their state now; another scope's visit is not found. */
  async function getVisit(actor: Actor, campaignId: number, visitId: number): Promise<HouseholdVisit> {
    return presentOne(actor, await readableCampaign(actor, campaignId), visitId);
  }

  /** Per choice question: how many visits chose each choice (the results page's charts). */
  async function answerSummary(actor: Actor, campaignId: number): Promise<AnswerSummary> {
    const campaign = await readableCampaign(actor, campaignId);
    const form = await formOf(campaign);
    const { visits, counts } = await repo.countAnswers(db, { campaignId, scope: regionScope(actor) });
    const countOf = new Map(counts.map((c) => [`${c.question}\u0000${c.value}`, c.n]));
    const questions = form.definition.questions
      .filter((q) => q.choices?.length || q.type === 'yesNo')
      .map((q) => {
        const choices = (
          q.type === 'yesNo'
            ? [
                { value: 'yes', label: { zh: '是', en: 'Yes' } },
                { value: 'no', label: { zh: '否', en: 'No' } },
              ]
            : (q.choices ?? [])
        ).map((c) => ({
          value: c.value,
          label: formText(c.label, actor.locale),
          count: countOf.get(`${q.name}\u0000${c.value}`) ?? 0,
        }));
        return {
          name: q.name,
          label: formText(q.label, actor.locale),
          type: q.type,
          answered: counts.filter((c) => c.question === q.name).reduce((n, c) => n + c.n, 0),
          choices,
        };
      });
    return { visits, questions };
  }

  return {
    createCampaign,
    closeCampaign,
    listCampaigns,
    getCampaign,
    coverage,
    coverageByDay,
    listHouseholds,
    recordVisit,
    listVisits,
    getVisit,
    answerSummary,
    /** For the export: the campaign as the actor may read it, and its form. */
    async campaignForExport(actor: Actor, id: number) {
      const campaign = await readableCampaign(actor, id);
      return { campaign, form: await formOf(campaign) };
    },
  };
}
