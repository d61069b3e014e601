/**
 * A campaign's results (测评结果): the score rate of each target (得分率 = points earned / points applicable of its
 * visit in the latest regular round; 0 when a veto item failed, the raw rate beside it), the failure rate of
 * each item, the villages, the departments rectifying, the vetoed targets and the rectification progress —
 * each figure with the query string of its drill-down, which lists the visits or cases behind it. Counted by
 * SQL aggregates (campaign-results.repository.ts); a viewer who does not run the campaign sees only the targets
 * in their scope. Also as an XLSX workbook.
 */
import ExcelJS from 'exceljs';
import {
  type CampaignResults,
  type DrillQuery,
  type DrillResult,
  RECTIFICATION_PROGRESS,
  type RectificationProgress,
} from '../../../shared/campaigns.ts';
import { type Locale, type LocalizedText, localize } from '../../../shared/errors.ts';
import { roundRate } from '../../../shared/inspection-scoring.ts';
import { SITE_TYPE_LABELS, type SiteType } from '../../../shared/inspections.ts';
import { CODE_LENGTH } from '../../../shared/territory.ts';
import type { Clock } from '../../clock.ts';
import { safeCsvCell } from '../../csv.ts';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../people/actor.ts';
import type { Scope } from '../people/scope.ts';
import { presentTarget } from './campaign.presenter.ts';
import type { CampaignAccess, CampaignService } from './campaign.service.ts';
import * as results from './campaign-results.repository.ts';
import { refuse } from './campaign-targets.ts';

const rateOf = (earned: number | null, applicable: number | null) =>
  earned === null || applicable === null || applicable <= 0 ? null : roundRate(earned / applicable);
const percent = (value: number | null) => (value === null ? null : roundRate(value));
const drillOf = (figure: string, key?: string | number | null) =>
  key === undefined ? `figure=${figure}` : `figure=${figure}&key=${key ?? 'none'}`;

const TEXT = {
  badKey: { zh: '该指标需要有效的 key 参数', en: 'this figure needs a valid key' },
} as const;

export interface CampaignResultsDeps {
  db: Db;
  clock: Clock;
  campaigns: Pick<CampaignService, 'access' | 'today'>;
}

export type CampaignResultsService = ReturnType<typeof createCampaignResults>;

export function createCampaignResults(deps: CampaignResultsDeps) {
  const { db, clock, campaigns } = deps;

  /**
   * The results with what the printed report adds to them: the campaign as the viewer sees it, and when each
   * target's scored visit was made and whether after its round's due day.
   */
  async function resultsForReport(actor: Actor, campaignId: number) {
    const found = await campaigns.access(actor, campaignId);
    return { found, ...(await compute(found, campaignId)) };
  }

  async function getResults(actor: Actor, campaignId: number): Promise<CampaignResults> {
    return (await compute(await campaigns.access(actor, campaignId), campaignId)).results;
  }

  async function compute(
    found: CampaignAccess,
    campaignId: number,
  ): Promise<{ results: CampaignResults; visitTimes: Map<number, { visitedAt: Date; late: boolean }> }> {
    const set = { campaignId, regionPrefix: found.regionPrefix };
    const now = clock.now();
    const [{ targets, items, villages }, progress] = await Promise.all([
      results.resultFigures(db, set, found.row.template_id, CODE_LENGTH.village),
      results.rectificationProgress(db, set, now),
    ]);

    const scored = targets.map((t) => {
      const rawRate = rateOf(t.earned, t.applicable);
      return {
        targetId: t.target_id,
        name: t.name,
        siteType: t.site_type as SiteType,
        regionCode: t.region_code,
        visitId: t.visit_id,
        roundNumber: t.round_number,
        earned: t.earned,
        applicable: t.applicable,
        rawRate,
        rate: t.vetoed_by !== null ? 0 : rawRate,
        vetoedBy:
          t.vetoed_by === null
            ? null
            : { itemId: t.vetoed_by, key: t.veto_key ?? '', question: t.veto_question ?? '' },
        failed: t.failed,
        drill: drillOf('target', t.target_id),
      };
    });
    const rated = scored.filter((t) => t.rate !== null);
    const departments = new Map<string, CampaignResults['departments'][number]>();
    const totals = Object.fromEntries(RECTIFICATION_PROGRESS.map((p) => [p, 0])) as Record<
      RectificationProgress,
      number
    >;
    for (const row of progress) {
      const key = String(row.department_id);
      const entry = departments.get(key) ?? {
        departmentId: row.department_id,
        name: row.name ?? '未派遣 / Not dispatched',
        cases: 0,
        open: 0,
        doneOnTime: 0,
        doneLate: 0,
        drill: drillOf('department', row.department_id),
      };
      entry.cases += row.cases;
      if (row.progress === 'open' || row.progress === 'openOverdue') entry.open += row.cases;
      else entry[row.progress] += row.cases;
      departments.set(key, entry);
      totals[row.progress] += row.cases;
    }
    const visitTimes = new Map(
      targets.flatMap((t) =>
        t.visited_at === null
          ? []
          : [[t.target_id, { visitedAt: new Date(t.visited_at), late: t.late === true }]],
      ),
    );
    const shaped: CampaignResults = {
      campaignId,
      computedAt: now.toISOString(),
      scope: found.regionPrefix === null ? 'campaign' : 'yourScope',
      overall: {
        targets: scored.length,
        visited: scored.filter((t) => t.visitId !== null).length,
        averageRate: rated.length
          ? Math.round((rated.reduce((sum, t) => sum + (t.rate ?? 0), 0) / rated.length) * 100) / 100
          : null,
        vetoed: scored.filter((t) => t.vetoedBy !== null).length,
      },
      targets: scored,
      items: items.map((i) => ({
        itemId: i.item_id,
        key: i.key,
        section: i.section,
        question: i.question,
        points: i.points,
        veto: i.veto,
        applicable: i.applicable,
        failed: i.failed,
        failureRate: i.applicable > 0 ? roundRate(i.failed / i.applicable) : null,
        drill: drillOf('item', i.item_id),
      })),
      villages: villages.map((v) => ({
        code: v.code,
        name: v.name ?? v.code,
        targets: v.targets,
        visited: v.visited,
        averageRate: percent(v.average_rate),
        vetoed: v.vetoed,
        drill: drillOf('village', v.code),
      })),
      departments: [...departments.values()],
      vetoed: scored.flatMap((t) =>
        t.vetoedBy && t.visitId !== null
          ? [{ targetId: t.targetId, name: t.name, visitId: t.visitId, rawRate: t.rawRate, item: t.vetoedBy }]
          : [],
      ),
      rectification: Object.fromEntries(
        RECTIFICATION_PROGRESS.map((p) => [p, { count: totals[p], drill: drillOf('rectification', p) }]),
      ) as CampaignResults['rectification'],
    };
    return { results: shaped, visitTimes };
  }

  /** The visits, cases or targets behind one figure of the results, as the viewer sees the campaign. */
  async function drill(actor: Actor, campaignId: number, query: DrillQuery): Promise<DrillResult> {
    const found = await campaigns.access(actor, campaignId);
    const set = { campaignId, regionPrefix: found.regionPrefix };
    const key = query.key ?? null;
    const id = (): number => {
      const n = Number(key);
      if (!key || !Number.isInteger(n) || n < 1 || n > 2_147_483_647) throw refuse(TEXT.badKey);
      return n;
    };
    const answer: DrillResult = { figure: query.figure, key, visits: [], cases: [], targets: [] };
    const visits = async (filter: results.VisitFilter) => {
      answer.visits = (await results.drillVisits(db, set, filter)).map((v) => ({
        id: v.id,
        targetId: v.target_id,
        targetName: v.target_name,
        roundNumber: v.round_number,
        visitedAt: new Date(v.visited_at).toISOString(),
        inspectorName: v.inspector_name,
        noticeNumber: v.notice_number,
        rate: percent(v.rate),
      }));
    };
    const cases = async (filter: Parameters<typeof results.drillCases>[2]) => {
      answer.cases = (await results.drillCases(db, set, filter)).map((c) => ({
        id: Number(c.id),
        caseNumber: c.case_number,
        state: c.state,
        targetName: c.target_name,
        dueAt: c.due_at ? new Date(c.due_at).toISOString() : null,
        closedAt: c.closed_at ? new Date(c.closed_at).toISOString() : null,
        departmentId: c.department_id,
      }));
    };
    switch (query.figure) {
      case 'target':
        await visits({ kind: 'target', targetId: id() });
        break;
      case 'item':
        await visits({ kind: 'itemFailed', itemId: id() });
        break;
      case 'village':
        if (!key || !/^\d+$/.test(key)) throw refuse(TEXT.badKey);
        await visits({ kind: 'village', code: key });
        break;
      case 'vetoed':
        await visits({ kind: 'vetoed' });
        break;
      case 'roundVisited':
      case 'roundLate':
        await visits({ kind: 'round', roundId: id(), lateOnly: query.figure === 'roundLate' });
        break;
      case 'roundMissed':
        answer.targets = (await results.drillMissedTargets(db, set, id(), campaigns.today())).map(
          presentTarget,
        );
        break;
      case 'department':
        await cases({ departmentId: key === 'none' ? null : id() });
        break;
      case 'rectification': {
        const progress = RECTIFICATION_PROGRESS.find((p) => p === key);
        if (!progress) throw refuse(TEXT.badKey);
        await cases({ progress, now: clock.now() });
        break;
      }
    }
    return answer;
  }

  async function resultsWorkbook(
    actor: Actor,
    campaignId: number,
  ): Promise<{ fileName: string; bytes: Buffer }> {
    const found = await campaigns.access(actor, campaignId);
    const data = await getResults(actor, campaignId);
    const bytes = await formatResultsXlsx(found.row.name, data, actor.locale);
    return { fileName: `campaign-${campaignId}-results.xlsx`, bytes };
  }

  /**
   * 检查得分率 for the evaluation: per leaf grid under the scope, the sum and number of visit score rates of a
   * period. The caller has checked that the reader may read indicators over `scope`.
   */
  async function periodScoreRates(scope: Scope, start: Date, end: Date) {
    if (scope.kind === 'nothing' || scope.kind === 'department') return [];
    const rows = await results.periodScoreRates(
      db,
      scope.kind === 'regions' ? scope.prefix : null,
      start,
      end,
    );
    return rows.map((r) => ({ gridCode: r.grid_code, rateSum: r.rate_sum, visits: r.visits }));
  }

  /**
   * The visits behind `periodScoreRates` to targets under `region`, within the scope. The caller has checked the
   * reader may read them.
   */
  async function periodVisits(scope: Scope, region: string, start: Date, end: Date) {
    if (scope.kind === 'nothing' || scope.kind === 'department') return [];
    // The narrower of the region asked for and the reader's; none when they do not overlap.
    const prefix = scope.kind === 'everything' || region.startsWith(scope.prefix) ? region : scope.prefix;
    if (!prefix.startsWith(region)) return [];
    return results.listPeriodVisits(db, prefix, start, end);
  }

  return { getResults, resultsForReport, drill, resultsWorkbook, periodScoreRates, periodVisits };
}

// ---------------------------------------------------------------------------------------------------------
// XLSX.

const HEAD = {
  targets: { zh: '检查对象得分', en: 'Targets' },
  items: { zh: '检查项失分率', en: 'Items' },
  villages: { zh: '村居', en: 'Villages' },
  departments: { zh: '整改部门', en: 'Departments' },
  target: { zh: '检查对象', en: 'Target' },
  siteType: { zh: '场所类型', en: 'Site type' },
  region: { zh: '网格代码', en: 'Grid code' },
  round: { zh: '轮次', en: 'Round' },
  earned: { zh: '得分', en: 'Earned' },
  applicable: { zh: '应得分', en: 'Applicable' },
  rawRate: { zh: '原始得分率(%)', en: 'Raw rate (%)' },
  rate: { zh: '得分率(%)', en: 'Score rate (%)' },
  veto: { zh: '一票否决项', en: 'Veto item' },
  failed: { zh: '不符合项数', en: 'Items failed' },
  key: { zh: '编号', en: 'Key' },
  section: { zh: '类别', en: 'Section' },
  question: { zh: '检查内容', en: 'Question' },
  points: { zh: '分值', en: 'Points' },
  applicableTargets: { zh: '适用对象数', en: 'Applicable' },
  failedTargets: { zh: '不符合数', en: 'Failed' },
  failureRate: { zh: '不符合率(%)', en: 'Failure rate (%)' },
  code: { zh: '代码', en: 'Code' },
  name: { zh: '名称', en: 'Name' },
  targetCount: { zh: '对象数', en: 'Targets' },
  visited: { zh: '已检查', en: 'Visited' },
  averageRate: { zh: '平均得分率(%)', en: 'Average rate (%)' },
  vetoed: { zh: '一票否决数', en: 'Vetoed' },
  cases: { zh: '整改案件', en: 'Cases' },
  open: { zh: '整改中', en: 'Open' },
  doneOnTime: { zh: '按期完成', en: 'Done on time' },
  doneLate: { zh: '超期完成', en: 'Done late' },
} as const satisfies Record<string, LocalizedText>;

/** The results as a workbook of four sheets; every text cell guarded as in CSV exports (src/server/csv.ts). */
export async function formatResultsXlsx(
  name: string,
  data: CampaignResults,
  locale: Locale,
): Promise<Buffer> {
  const t = (text: LocalizedText) => localize(text, locale);
  const cell = (value: string | number | null) => (typeof value === 'string' ? safeCsvCell(value) : value);
  const workbook = new ExcelJS.Workbook();
  workbook.title = name;
  const sheet = (title: LocalizedText, header: LocalizedText[], rows: (string | number | null)[][]) => {
    const ws = workbook.addWorksheet(t(title), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(header.map(t)).font = { bold: true };
    for (const row of rows) ws.addRow(row.map(cell));
    header.forEach((_, i) => {
      ws.getColumn(i + 1).width = i === 0 ? 28 : 14;
    });
  };
  sheet(
    HEAD.targets,
    [
      HEAD.target,
      HEAD.siteType,
      HEAD.region,
      HEAD.round,
      HEAD.earned,
      HEAD.applicable,
      HEAD.rawRate,
      HEAD.rate,
      HEAD.veto,
      HEAD.failed,
    ],
    data.targets.map((r) => [
      r.name,
      t(SITE_TYPE_LABELS[r.siteType]),
      r.regionCode,
      r.roundNumber,
      r.earned,
      r.applicable,
      r.rawRate,
      r.rate,
      r.vetoedBy ? `${r.vetoedBy.key} ${r.vetoedBy.question}` : '',
      r.failed,
    ]),
  );
  sheet(
    HEAD.items,
    [
      HEAD.key,
      HEAD.section,
      HEAD.question,
      HEAD.points,
      HEAD.veto,
      HEAD.applicableTargets,
      HEAD.failedTargets,
      HEAD.failureRate,
    ],
    data.items.map((r) => [
      r.key,
      r.section,
      r.question,
      r.points,
      r.veto ? '√' : '',
      r.applicable,
      r.failed,
      r.failureRate,
    ]),
  );
  sheet(
    HEAD.villages,
    [HEAD.code, HEAD.name, HEAD.targetCount, HEAD.visited, HEAD.averageRate, HEAD.vetoed],
    data.villages.map((r) => [r.code, r.name, r.targets, r.visited, r.averageRate, r.vetoed]),
  );
  sheet(
    HEAD.departments,
    [HEAD.name, HEAD.cases, HEAD.open, HEAD.doneOnTime, HEAD.doneLate],
    data.departments.map((r) => [r.name, r.cases, r.open, r.doneOnTime, r.doneLate]),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
