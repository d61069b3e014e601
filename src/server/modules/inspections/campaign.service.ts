/**
 * Inspection campaigns (专项行动/专项检查): planned as a draft (template, period, area, inspectors, targets, a
 * sample), started into rounds, finished and published. Who sees and runs one is campaign.policy.ts; a covert
 * campaign the actor may not see answers 404 exactly as one that does not exist.
 */
import { randomBytes } from 'node:crypto';
import {
  type CampaignDetail,
  type CampaignListQuery,
  type CampaignPage,
  type CampaignRound,
  type CreateCampaignInput,
  type InspectorCandidate,
  MAX_CAMPAIGN_TARGETS,
  type ManualTargetInput,
  type MyTarget,
  type ReinspectionRoundInput,
  type SampleInput,
  type TargetSelection,
  type TargetsAdded,
  type UpdateCampaignInput,
} from '../../../shared/campaigns.ts';
import { type ErrorParams, type LocalizedText, labelWithCode } from '../../../shared/errors.ts';
import type { CampaignStatus } from '../../../shared/inspections.ts';
import { ROLE_LABELS, type Role } from '../../../shared/roles.ts';
import { CODE_LENGTH } from '../../../shared/territory.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { civilDateOf } from '../calendar/working-time.ts';
import type { Notice, NotificationService } from '../notifications/notification.service.ts';
import { assertInScope, assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import {
  type CampaignAccessFacts,
  canManageCampaign,
  canSeeCampaign,
  canVisit,
  runsCampaign,
} from './campaign.policy.ts';
import {
  presentCampaignDetail,
  presentCampaignListItem,
  presentMyTarget,
  presentRound,
} from './campaign.presenter.ts';
import * as campaigns from './campaign.repository.ts';
import * as results from './campaign-results.repository.ts';
import {
  drawSample,
  filled,
  manualTarget,
  type NewTarget,
  planRounds,
  refuse,
  resolveSelection,
  type TargetSourceDeps,
} from './campaign-targets.ts';
import { findTemplate } from './checklist.repository.ts';

export const CAMPAIGN: LocalizedText = { zh: '检查活动', en: 'Campaign' };
const TIME_ZONE = 'Asia/Shanghai';
/** Roles that plan and run campaigns (and may be named inspectors of one). */
const RUNNING_ROLES: readonly Role[] = ['administrator', 'leader', 'inspector'];
const MY_TARGETS_LIMIT = 2_000;

const TEXT = {
  createCampaign: { zh: '发起检查活动', en: 'create a campaign' },
  manageCampaign: { zh: '管理该检查活动', en: 'manage this campaign' },
  templateNotActive: {
    zh: '测评表 {template} 不是启用的版本，请选择启用中的测评表',
    en: 'checklist {template} is not an active version: choose an active one',
  },
  notAnInspector: {
    zh: '用户 {id} 不能担任本次检查的检查人员（须为督查员、领导或管理员，且数据范围与检查范围相交）',
    en: 'user {id} cannot inspect for this campaign (an active inspector, leader or administrator whose scope meets the area)',
  },
  notDraft: {
    zh: '检查活动“{name}”已{status}，只能在筹备中修改计划和检查对象',
    en: 'campaign "{name}" is {status}: its plan and targets change only while it is a draft',
  },
  notRunning: { zh: '检查活动“{name}”不在进行中', en: 'campaign "{name}" is not running' },
  noTargets: {
    zh: '检查活动“{name}”还没有检查对象，请先添加',
    en: 'campaign "{name}" has no targets yet: add some first',
  },
  tooManyTargets: {
    zh: '一个检查活动最多 {limit} 个检查对象',
    en: 'a campaign holds at most {limit} targets',
  },
  targetsOutsideArea: {
    zh: '有 {count} 个检查对象不在新的检查范围内，请先移除',
    en: '{count} targets lie outside the new area: remove them first',
  },
  alreadyPublished: {
    zh: '检查活动“{name}”的结果已公布',
    en: 'the results of "{name}" are already published',
  },
  publishDraft: { zh: '筹备中的检查活动不能公布结果', en: 'a draft campaign has no results to publish' },
  roundNotRegular: {
    zh: '第 {number} 轮不是本活动的常规检查轮次',
    en: 'round {number} is not a regular round of this campaign',
  },
  noFailures: {
    zh: '第 {number} 轮没有发现问题的检查对象，无需回头看',
    en: 'no target failed anything in round {number}: nothing to re-inspect',
  },
  dueBeforeOpens: { zh: '截止日期不能早于开始日期', en: 'dueOn is before opensOn' },
  announceGrid: {
    zh: '专项检查“{name}”将于 {startsOn} 至 {endsOn} 检查本网格 {count} 处对象，请提前告知并做好准备。',
    en: 'The campaign "{name}" inspects {count} places in your grid from {startsOn} to {endsOn}.',
  },
  announceVillage: {
    zh: '专项检查“{name}”将于 {startsOn} 至 {endsOn} 检查本辖区 {count} 处对象。',
    en: 'The campaign "{name}" inspects {count} places in your area from {startsOn} to {endsOn}.',
  },
} as const satisfies Record<string, LocalizedText>;

const STATUS_TEXT: Record<CampaignStatus, LocalizedText> = {
  draft: { zh: '筹备中', en: 'a draft' },
  running: { zh: '开始', en: 'running' },
  finished: { zh: '结束', en: 'finished' },
};

export interface CampaignServiceDeps extends TargetSourceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  territory: TargetSourceDeps['territory'] & Pick<TerritoryService, 'getRegionSummary'>;
  notifications: Pick<NotificationService, 'notifyAll'>;
}

/** A campaign as read for an actor, with what the policy decides from it. */
export interface CampaignAccess {
  row: campaigns.CampaignWithNames;
  facts: CampaignAccessFacts;
  /** The actor works for it: sees every target and result; else only those in their scope. */
  runs: boolean;
  /** The region the actor's view is cut to (null: the whole campaign). */
  regionPrefix: string | null;
}

export type CampaignService = ReturnType<typeof createCampaignService>;

export function createCampaignService(deps: CampaignServiceDeps) {
  const { db, clock, audit, territory, notifications } = deps;

  function viewerOf(actor: Actor): campaigns.CampaignViewer {
    if (actor.system) return { kind: 'everything' };
    return {
      kind: 'user',
      userId: actor.id,
      scopeCode: actor.scopeCode,
      runsByScope: RUNNING_ROLES.includes(actor.role),
      seesDisclosed: actor.role !== 'departmentHandler',
    };
  }

  const today = () => civilDateOf(clock.now().getTime(), TIME_ZONE);
  const countyOf = (code: string) => (code.length >= 6 ? code.slice(0, 6) : null);

  /** The campaign if the actor may see it; otherwise not found, the same answer as for no campaign at all. */
  async function access(actor: Actor, id: number): Promise<CampaignAccess> {
    const row = await campaigns.findCampaign(db, id, viewerOf(actor));
    if (!row) throw notFound(CAMPAIGN, id);
    const inspectors = await campaigns.listInspectors(db, id);
    const facts: CampaignAccessFacts = {
      regionCode: row.region_code,
      covert: row.covert,
      publishedAt: row.published_at,
      organiserId: row.organiser_id,
      inspectorIds: inspectors.map((i) => i.id),
    };
    if (!canSeeCampaign(actor, facts)) throw notFound(CAMPAIGN, id);
    const runs = runsCampaign(actor, facts);
    return { row, facts, runs, regionPrefix: runs ? null : actor.scopeCode };
  }

  async function managed(actor: Actor, id: number, status?: CampaignStatus): Promise<CampaignAccess> {
    const found = await access(actor, id);
    if (!canManageCampaign(actor, found.facts))
      throw new AppError('FORBIDDEN_ROLE', { role: ROLE_LABELS[actor.role], action: TEXT.manageCampaign });
    if (status === 'draft' && found.row.status !== 'draft')
      throw transitionError(TEXT.notDraft, { name: found.row.name, status: STATUS_TEXT[found.row.status] });
    return found;
  }

  function transitionError(text: LocalizedText, params: ErrorParams): AppError {
    return new AppError('ILLEGAL_TRANSITION', { text: filled(text, params) });
  }

  async function getCampaign(actor: Actor, id: number): Promise<CampaignDetail> {
    const found = await access(actor, id);
    const [inspectors, targets] = await Promise.all([
      campaigns.listInspectors(db, id),
      campaigns.listTargets(db, id, found.regionPrefix),
    ]);
    return presentCampaignDetail(found.row, {
      inspectors,
      targets,
      rights: { manage: canManageCampaign(actor, found.facts), visit: canVisit(actor, found.facts) },
    });
  }

  async function listCampaigns(actor: Actor, query: CampaignListQuery): Promise<CampaignPage> {
    const { rows, total } = await campaigns.listCampaigns(db, viewerOf(actor), {
      status: query.status,
      covert: query.covert,
      regionCode: query.regionCode,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const progress = await campaigns.listProgress(
      db,
      rows.map((r) => r.id),
      { today: today(), scopeCode: actor.system ? '' : actor.scopeCode },
    );
    return {
      items: rows.map((r) => presentCampaignListItem(r, progress.get(r.id))),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /**
   * Who the actor may name an inspector of a campaign over `regionCode`: those checkInspectors accepts, cut to
   * the actor's own scope, so a planner learns no names beyond their area (and no phones at all).
   */
  async function inspectorCandidates(actor: Actor, regionCode: string): Promise<InspectorCandidate[]> {
    assertRole(actor, RUNNING_ROLES, TEXT.createCampaign);
    const region = await checkArea(actor, regionCode);
    const rows = await campaigns.listInspectorCandidates(db, {
      regionCode: region.code,
      withinScope: actor.system ? '' : actor.scopeCode,
      roles: RUNNING_ROLES,
    });
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      scopeName: r.scope_name ?? r.region_code,
    }));
  }

  // -------------------------------------------------------------------------------------------------------
  // Planning.

  async function checkTemplate(templateId: number): Promise<void> {
    const template = await findTemplate(db, templateId);
    if (template?.status !== 'active')
      throw refuse(TEXT.templateNotActive, {
        template: template
          ? labelWithCode(template.name, `${template.code} v${template.version}`)
          : templateId,
      });
  }

  /** Inspectors must be active users of a running role whose scope meets the area (holds it or lies in it). */
  async function checkInspectors(ids: readonly number[], regionCode: string): Promise<number[]> {
    const unique = [...new Set(ids)];
    const users = await campaigns.findUsers(db, unique);
    for (const id of unique) {
      const user = users.find((u) => u.id === id);
      const meets =
        user !== undefined &&
        user.region_code !== '' &&
        (regionCode.startsWith(user.region_code) || user.region_code.startsWith(regionCode));
      if (!user?.active || !RUNNING_ROLES.includes(user.role) || !meets)
        throw refuse(TEXT.notAnInspector, { id });
    }
    return unique;
  }

  async function checkDepartment(id: number | null | undefined): Promise<void> {
    if (id == null) return;
    if (!(await campaigns.findDepartment(db, id))) throw notFound({ zh: '部门', en: 'Department' }, id);
  }

  async function checkArea(actor: Actor, regionCode: string) {
    const region = await territory.getRegionSummary(regionCode);
    assertInScope(actor, region.code, labelWithCode(region.name, region.code));
    return region;
  }

  async function createCampaign(actor: Actor, input: CreateCampaignInput): Promise<CampaignDetail> {
    assertRole(actor, RUNNING_ROLES, TEXT.createCampaign);
    const region = await checkArea(actor, input.regionCode);
    await checkTemplate(input.templateId);
    await checkDepartment(input.organiserDepartmentId);
    const inspectorIds = await checkInspectors(input.inspectorIds, region.code);
    const now = clock.now();
    const id = await db.transaction().execute(async (trx) => {
      const newId = await campaigns.insertCampaign(trx, {
        name: input.name,
        template_id: input.templateId,
        region_code: region.code,
        organiser_id: actor.id > 0 ? actor.id : null,
        organiser_department_id: input.organiserDepartmentId ?? null,
        covert: input.covert,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        recurrence: input.recurrence,
        sample_size: input.sampleSize ?? null,
        rectify_limit: input.rectifyLimit ?? null,
        rectify_by: input.rectifyBy ?? null,
        signature_required: input.signatureRequired,
        created_at: now,
        updated_at: now,
      });
      await campaigns.replaceInspectors(trx, newId, inspectorIds);
      await audit.record(trx, {
        actor,
        action: 'campaign.create',
        entityType: 'campaign',
        entityId: newId,
        countyCode: countyOf(region.code),
        details: { ...input, regionCode: region.code, inspectorIds },
      });
      return newId;
    });
    return getCampaign(actor, id);
  }

  async function updateCampaign(
    actor: Actor,
    id: number,
    input: UpdateCampaignInput,
  ): Promise<CampaignDetail> {
    const { row } = await managed(actor, id, 'draft');
    const { rowVersion, ...changes } = input;
    const regionCode = changes.regionCode
      ? (await checkArea(actor, changes.regionCode)).code
      : row.region_code;
    if (changes.templateId !== undefined && changes.templateId !== row.template_id)
      await checkTemplate(changes.templateId);
    await checkDepartment(changes.organiserDepartmentId);
    const inspectorIds =
      changes.inspectorIds !== undefined
        ? await checkInspectors(changes.inspectorIds, regionCode)
        : undefined;
    const startsOn = changes.startsOn ?? row.starts_on;
    const endsOn = changes.endsOn ?? row.ends_on;
    if (endsOn < startsOn) throw refuse({ zh: '结束日期不能早于开始日期', en: 'endsOn is before startsOn' });
    if (regionCode !== row.region_code) {
      const outside = await campaigns.countTargetsOutside(db, id, regionCode);
      if (outside > 0) throw refuse(TEXT.targetsOutsideArea, { count: outside });
    }
    await db.transaction().execute(async (trx) => {
      const ok = await campaigns.updateCampaignAtVersion(
        trx,
        id,
        rowVersion,
        {
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.templateId !== undefined ? { template_id: changes.templateId } : {}),
          region_code: regionCode,
          ...(changes.organiserDepartmentId !== undefined
            ? { organiser_department_id: changes.organiserDepartmentId }
            : {}),
          ...(changes.covert !== undefined ? { covert: changes.covert } : {}),
          starts_on: startsOn,
          ends_on: endsOn,
          ...(changes.recurrence !== undefined ? { recurrence: changes.recurrence } : {}),
          ...(changes.sampleSize !== undefined ? { sample_size: changes.sampleSize } : {}),
          ...(changes.rectifyLimit !== undefined ? { rectify_limit: changes.rectifyLimit } : {}),
          ...(changes.rectifyBy !== undefined ? { rectify_by: changes.rectifyBy } : {}),
          ...(changes.signatureRequired !== undefined
            ? { signature_required: changes.signatureRequired }
            : {}),
          updated_at: clock.now(),
        },
        'draft',
      );
      if (!ok) throw conflict(CAMPAIGN, row.row_version);
      if (inspectorIds) await campaigns.replaceInspectors(trx, id, inspectorIds);
      await audit.record(trx, {
        actor,
        action: 'campaign.update',
        entityType: 'campaign',
        entityId: id,
        countyCode: countyOf(regionCode),
        details: { ...changes, regionCode },
      });
    });
    return getCampaign(actor, id);
  }

  /** Inserts new targets of a draft; a sample drawn before no longer holds, so every target is in again. */
  async function insertTargets(actor: Actor, found: CampaignAccess, targets: NewTarget[], how: object) {
    const id = found.row.id;
    const gridCodes = new Set(await campaigns.listGridTargetCodes(db, id));
    const fresh = targets.filter((t) => t.kind !== 'grid' || !gridCodes.has(t.region_code));
    if ((await campaigns.countTargets(db, id)) + fresh.length > MAX_CAMPAIGN_TARGETS)
      throw refuse(TEXT.tooManyTargets, { limit: MAX_CAMPAIGN_TARGETS });
    const added = await db.transaction().execute(async (trx) => {
      const ids = await campaigns.insertTargets(
        trx,
        fresh.map((t) => ({ ...t, campaign_id: id })),
      );
      if (ids.length > 0) await clearSample(trx, found);
      await campaigns.touchCampaign(trx, id, clock.now());
      await audit.record(trx, {
        actor,
        action: 'campaign.targets.add',
        entityType: 'campaign',
        entityId: id,
        countyCode: countyOf(found.row.region_code),
        details: { regionCode: found.row.region_code, ...how, added: ids.length, targetIds: ids },
      });
      return ids.length;
    });
    return { added, alreadyThere: targets.length - added, campaign: await getCampaign(actor, id) };
  }

  async function clearSample(trx: Db, found: CampaignAccess): Promise<void> {
    if (found.row.sample_seed === null) return;
    await campaigns.setSample(trx, found.row.id, null);
    await campaigns.setSampleFields(trx, found.row.id, { sample_seed: null });
  }

  async function addTargets(actor: Actor, id: number, selection: TargetSelection): Promise<TargetsAdded> {
    const found = await managed(actor, id, 'draft');
    const area = { code: found.row.region_code, name: found.row.region_name ?? found.row.region_code };
    const targets = await resolveSelection(deps, actor, area, selection);
    return insertTargets(actor, found, targets, { selection });
  }

  async function addManualTarget(actor: Actor, id: number, input: ManualTargetInput): Promise<TargetsAdded> {
    const found = await managed(actor, id, 'draft');
    const area = { code: found.row.region_code, name: found.row.region_name ?? found.row.region_code };
    const target = await manualTarget(deps, area, input);
    return insertTargets(actor, found, [target], { manual: input });
  }

  async function removeTarget(actor: Actor, id: number, targetId: number): Promise<void> {
    const found = await managed(actor, id, 'draft');
    const target = await campaigns.findTarget(db, id, targetId);
    if (!target) throw notFound({ zh: '检查对象', en: 'Target' }, targetId);
    await db.transaction().execute(async (trx) => {
      await campaigns.deleteTarget(trx, id, targetId);
      await clearSample(trx, found);
      await campaigns.touchCampaign(trx, id, clock.now());
      await audit.record(trx, {
        actor,
        action: 'campaign.targets.remove',
        entityType: 'campaign',
        entityId: id,
        countyCode: countyOf(found.row.region_code),
        details: { regionCode: found.row.region_code, targetId, name: target.name },
      });
    });
  }

  /** Draws (or draws again) the sample with a recorded seed, in the caller's transaction. */
  async function writeSample(actor: Actor, trx: Db, found: CampaignAccess, size: number, seed: string) {
    const all = (await campaigns.listTargets(trx, found.row.id, null)).map((t) => t.id);
    const sampled = drawSample(all, size, seed);
    await campaigns.setSample(trx, found.row.id, sampled);
    await campaigns.setSampleFields(trx, found.row.id, { sample_seed: seed, sample_size: size });
    await audit.record(trx, {
      actor,
      action: 'campaign.sample',
      entityType: 'campaign',
      entityId: found.row.id,
      countyCode: countyOf(found.row.region_code),
      details: { regionCode: found.row.region_code, size, seed, of: all.length, sampledIds: sampled },
    });
  }

  async function sample(actor: Actor, id: number, input: SampleInput): Promise<CampaignDetail> {
    const found = await managed(actor, id, 'draft');
    const size = input.size ?? found.row.sample_size;
    await db.transaction().execute(async (trx) => {
      if (size == null) {
        await clearSample(trx, found);
        await campaigns.setSampleFields(trx, id, { sample_size: null });
      } else {
        await writeSample(actor, trx, found, size, input.seed ?? randomBytes(8).toString('hex'));
      }
      await campaigns.touchCampaign(trx, id, clock.now());
    });
    return getCampaign(actor, id);
  }

  // -------------------------------------------------------------------------------------------------------
  // Running.

  /** The messages an open campaign sends before it starts: each grid's workers, and the leaders over each village. */
  function announcements(
    row: campaigns.CampaignWithNames,
    grids: { region_code: string; targets: number }[],
  ) {
    const params = { name: row.name, startsOn: row.starts_on, endsOn: row.ends_on };
    const fill = (text: LocalizedText, count: number) => filled(text, { ...params, count });
    const villages = new Map<string, number>();
    for (const grid of grids) {
      const village = grid.region_code.slice(0, CODE_LENGTH.village);
      villages.set(village, (villages.get(village) ?? 0) + grid.targets);
    }
    const notices: Notice[] = grids.map((grid) => ({
      audience: [{ gridWorkersOf: grid.region_code }],
      kind: 'inspection',
      caseId: null,
      text: fill(TEXT.announceGrid, grid.targets),
    }));
    for (const [village, count] of villages)
      notices.push({
        audience: [{ role: 'leader', coveringRegion: village }],
        kind: 'inspection',
        caseId: null,
        text: fill(TEXT.announceVillage, count),
      });
    return notices;
  }

  /**
   * Starts a draft: its regular rounds are made, a sample size without a sample drawn is drawn now, and an open
   * campaign tells the targets' grids in advance. A covert one tells nobody.
   */
  async function startCampaign(actor: Actor, id: number, rowVersion: number): Promise<CampaignDetail> {
    const found = await managed(actor, id, 'draft');
    const { row } = found;
    if ((await campaigns.countTargets(db, id)) === 0)
      throw transitionError(TEXT.noTargets, { name: row.name });
    const rounds = planRounds(row.starts_on, row.ends_on, row.recurrence);
    await db.transaction().execute(async (trx) => {
      const ok = await campaigns.updateCampaignAtVersion(
        trx,
        id,
        rowVersion,
        { status: 'running', updated_at: clock.now() },
        'draft',
      );
      if (!ok) throw conflict(CAMPAIGN, row.row_version);
      if (row.sample_size !== null && row.sample_seed === null)
        await writeSample(actor, trx, found, row.sample_size, randomBytes(8).toString('hex'));
      await campaigns.insertRounds(
        trx,
        rounds.map((r, i) => ({
          campaign_id: id,
          number: i + 1,
          kind: 'regular' as const,
          source_round_id: null,
          ...r,
        })),
      );
      const notices = row.covert ? [] : announcements(row, await campaigns.listTargetGrids(trx, id));
      await notifications.notifyAll(trx, notices);
      await audit.record(trx, {
        actor,
        action: 'campaign.start',
        entityType: 'campaign',
        entityId: id,
        countyCode: countyOf(row.region_code),
        details: { regionCode: row.region_code, rounds, covert: row.covert, announcements: notices.length },
      });
    });
    return getCampaign(actor, id);
  }

  async function finishCampaign(actor: Actor, id: number, rowVersion: number): Promise<CampaignDetail> {
    const { row } = await managed(actor, id);
    if (row.status !== 'running') throw transitionError(TEXT.notRunning, { name: row.name });
    await db.transaction().execute(async (trx) => {
      const ok = await campaigns.updateCampaignAtVersion(
        trx,
        id,
        rowVersion,
        { status: 'finished', updated_at: clock.now() },
        'running',
      );
      if (!ok) throw conflict(CAMPAIGN, row.row_version);
      await audit.record(trx, {
        actor,
        action: 'campaign.finish',
        entityType: 'campaign',
        entityId: id,
        countyCode: countyOf(row.region_code),
        details: { regionCode: row.region_code },
      });
    });
    return getCampaign(actor, id);
  }

  /** Publishes the results: a covert campaign becomes visible to the inspected from now on. */
  async function publishCampaign(actor: Actor, id: number, rowVersion: number): Promise<CampaignDetail> {
    const { row } = await managed(actor, id);
    if (row.status === 'draft') throw transitionError(TEXT.publishDraft, {});
    if (row.published_at !== null) throw transitionError(TEXT.alreadyPublished, { name: row.name });
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const ok = await campaigns.updateCampaignAtVersion(trx, id, rowVersion, {
        published_at: now,
        updated_at: now,
      });
      if (!ok) throw conflict(CAMPAIGN, row.row_version);
      await audit.record(trx, {
        actor,
        action: 'campaign.publish',
        entityType: 'campaign',
        entityId: id,
        countyCode: countyOf(row.region_code),
        details: { regionCode: row.region_code, covert: row.covert },
      });
    });
    return getCampaign(actor, id);
  }

  /** Schedules a re-inspection round (回头看) of every target that failed anything in a regular round. */
  async function scheduleReinspection(
    actor: Actor,
    id: number,
    input: ReinspectionRoundInput,
  ): Promise<CampaignRound[]> {
    const { row } = await managed(actor, id);
    if (row.status !== 'running') throw transitionError(TEXT.notRunning, { name: row.name });
    if (input.dueOn < input.opensOn) throw refuse(TEXT.dueBeforeOpens);
    const rounds = await campaigns.listRounds(db, id);
    const source = rounds.find((r) => r.id === input.roundId);
    if (source?.kind !== 'regular')
      throw refuse(TEXT.roundNotRegular, { number: source?.number ?? input.roundId });
    const failed = await campaigns.listFailedTargetIds(db, source.id);
    if (failed.length === 0) throw transitionError(TEXT.noFailures, { number: source.number });
    await db.transaction().execute(async (trx) => {
      const ok = await campaigns.updateCampaignAtVersion(
        trx,
        id,
        input.rowVersion,
        { updated_at: clock.now() },
        'running',
      );
      if (!ok) throw conflict(CAMPAIGN, row.row_version);
      const [roundId] = await campaigns.insertRounds(trx, [
        {
          campaign_id: id,
          number: Math.max(...rounds.map((r) => r.number)) + 1,
          kind: 'reinspection',
          source_round_id: source.id,
          opens_on: input.opensOn,
          due_on: input.dueOn,
        },
      ]);
      await campaigns.insertRoundTargets(trx, roundId as number, failed);
      await audit.record(trx, {
        actor,
        action: 'campaign.round.reinspection',
        entityType: 'campaign',
        entityId: id,
        countyCode: countyOf(row.region_code),
        details: { regionCode: row.region_code, roundId, sourceRoundId: source.id, targetIds: failed },
      });
    });
    return listRounds(actor, id);
  }

  async function listRounds(actor: Actor, id: number): Promise<CampaignRound[]> {
    const found = await access(actor, id);
    const rows = await results.roundFigures(
      db,
      { campaignId: id, regionPrefix: found.regionPrefix },
      today(),
    );
    return rows.map(presentRound);
  }

  /** The field view's list: the targets the actor is to visit in the open rounds of running campaigns. */
  async function myTargets(actor: Actor): Promise<MyTarget[]> {
    const day = today();
    const rows = await campaigns.listVisitsToMake(db, {
      userId: actor.id,
      today: day,
      limit: MY_TARGETS_LIMIT,
    });
    return rows.map((r) => presentMyTarget(r, day));
  }

  return {
    access,
    listCampaigns,
    inspectorCandidates,
    getCampaign,
    createCampaign,
    updateCampaign,
    addTargets,
    addManualTarget,
    removeTarget,
    sample,
    startCampaign,
    finishCampaign,
    publishCampaign,
    scheduleReinspection,
    listRounds,
    myTargets,
    today,
  };
}
