/**
 * What a bulletin shows, gathered once from the rankings (the same service and counts as the 排名 page), the
 * cases behind two of their counts (超期待处置, 返工), and the inspection campaigns of the period. The result is
 * plain JSON (`BulletinContent`), kept with the bulletin; nothing is read again when it is printed.
 */
import type {
  BulletinContent,
  BulletinLanguage,
  BulletinTableRow,
  BulletinUnitCases,
} from '../../../shared/bulletins.ts';
import { ERRORS } from '../../../shared/errors.ts';
import type { CountKey, Ranking, RankingRow } from '../../../shared/indicators.ts';
import { AppError } from '../../errors.ts';
import type { InspectionServices } from '../inspections/inspection-services.ts';
import type { Actor } from '../people/actor.ts';
import type { RankingService } from './ranking.service.ts';

/** Case numbers listed per count at most (a bulletin is read on paper); the count itself is always exact. */
export const MAX_LISTED_CASES = 600;
const DRILL_PAGE = 200;

export interface ContentDeps {
  rankings: Pick<RankingService, 'getRanking' | 'drill'>;
  inspections: {
    campaigns: Pick<InspectionServices['campaigns'], 'listCampaigns'>;
    campaignResults: Pick<InspectionServices['campaignResults'], 'getResults'>;
  };
}

function tableRow(row: RankingRow): BulletinTableRow {
  const f = row.figures;
  return {
    key: row.key,
    name: row.name,
    rank: row.rank,
    composite: row.composite,
    previousComposite: row.previousComposite,
    previousRank: row.previousRank,
    dueForHandling: f.dueForHandling,
    handlingRate: f.handlingRate,
    onTimeHandlingRate: f.onTimeHandlingRate,
    reworkRate: f.reworkRate,
    overduePendingRate: f.overduePendingRate,
    extensionRate: f.extensionRate,
  };
}

/** The names of a red or black list's units, in the list's order. */
const namesOf = (ranking: Ranking, keys: string[]) =>
  keys.map((key) => ranking.rows.find((r) => r.key === key)?.name ?? key);

/**
 * Builds a bulletin's content. `actor` is the reader narrowed to the bulletin's area, so every figure is the
 * figure that reader's ranking page shows for the same period.
 */
export async function gatherContent(
  deps: ContentDeps,
  actor: Actor,
  input: { period: { from: string; to: string }; language: BulletinLanguage },
): Promise<BulletinContent> {
  const { period } = input;
  const unitKind = actor.scopeCode.length >= 12 ? 'grid' : 'village';
  const [units, departments] = await Promise.all([
    deps.rankings.getRanking(actor, { ...period, unit: unitKind, sortBy: 'composite' }),
    deps.rankings.getRanking(actor, { ...period, unit: 'department', sortBy: 'composite' }),
  ]);
  const previous = await deps.rankings.getRanking(actor, {
    ...units.previous,
    unit: unitKind,
    sortBy: 'composite',
  });
  const unitOf = unitLookup(units);
  const [overdue, reworked, inspections] = await Promise.all([
    casesByUnit(deps, actor, period, ['overduePending'], unitOf),
    casesByUnit(deps, actor, period, ['handledReworked', 'overduePendingReworked'], unitOf),
    inspectionFindings(deps, actor, period),
  ]);
  const t = units.total;
  return {
    language: input.language,
    scope: units.scope,
    period,
    previous: units.previous,
    scheme: units.scheme,
    total: {
      reported: t.counts.reported,
      registered: t.counts.registered,
      handled: t.counts.handled,
      closed: t.counts.closed,
      overduePending: t.counts.overduePending,
      dueForHandling: t.figures.dueForHandling,
      handlingRate: t.figures.handlingRate,
      onTimeHandlingRate: t.figures.onTimeHandlingRate,
      closureRate: t.figures.closureRate,
      reworkRate: t.figures.reworkRate,
      overduePendingRate: t.figures.overduePendingRate,
      extensionRate: t.figures.extensionRate,
      composite: t.composite,
      previousComposite: previous.total.composite,
    },
    unitKind,
    units: units.rows.map(tableRow),
    // Departments that had nothing to do in the area are left out: a village's bulletin would list them all.
    departments: departments.rows
      .filter((r) => r.figures.dueForHandling > 0 || r.counts.dispatched > 0)
      .map(tableRow),
    overdue,
    reworked,
    inspections,
    redList: { units: namesOf(units, units.redList), departments: namesOf(departments, departments.redList) },
    blackList: {
      units: namesOf(units, units.blackList),
      departments: namesOf(departments, departments.blackList),
    },
  };
}

/** The unit a case's region lies in: the ranking row with the longest code that starts it. */
function unitLookup(ranking: Ranking): (regionCode: string) => string {
  const rows = [...ranking.rows].sort((a, b) => b.key.length - a.key.length);
  return (regionCode) => rows.find((r) => regionCode.startsWith(r.key))?.name ?? ranking.scope.name;
}

/** The cases behind counts of the whole area, grouped by unit; the counts exact, the numbers listed capped. */
async function casesByUnit(
  deps: ContentDeps,
  actor: Actor,
  period: { from: string; to: string },
  counts: CountKey[],
  unitOf: (regionCode: string) => string,
): Promise<BulletinUnitCases[]> {
  const byUnit = new Map<string, BulletinUnitCases>();
  for (const count of counts) {
    let listed = 0;
    for (let page = 1; ; page++) {
      const drill = await deps.rankings.drill(actor, {
        ...period,
        unit: 'village',
        count,
        page,
        pageSize: DRILL_PAGE,
      });
      for (const row of drill.rows) {
        const name = unitOf(row.regionCode);
        const entry = byUnit.get(name) ?? { name, count: 0, caseNumbers: [] };
        entry.count++;
        entry.caseNumbers.push(row.caseNumber);
        byUnit.set(name, entry);
      }
      listed += drill.rows.length;
      if (listed >= drill.total || drill.rows.length === 0) break;
      if (listed >= MAX_LISTED_CASES) {
        // The rest are counted, not listed: the unit of each is not known without its row, so they are
        // added under the area as a whole.
        const rest = drill.total - listed;
        const entry = byUnit.get('') ?? { name: '', count: 0, caseNumbers: [] };
        entry.count += rest;
        byUnit.set('', entry);
        break;
      }
    }
  }
  for (const entry of byUnit.values()) entry.caseNumbers.sort();
  return [...byUnit.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN'));
}

/** Inspection campaigns over the period with visits made: a short summary each. None: an empty list. */
async function inspectionFindings(deps: ContentDeps, actor: Actor, period: { from: string; to: string }) {
  try {
    const page = await deps.inspections.campaigns.listCampaigns(actor, {
      page: 1,
      pageSize: 200,
      covert: undefined,
    });
    const overlapping = page.items.filter(
      (c) => c.status !== 'draft' && c.startsOn <= period.to && c.endsOn >= period.from,
    );
    const found = [];
    for (const campaign of overlapping.slice(0, 20)) {
      const results = await deps.inspections.campaignResults.getResults(actor, campaign.id);
      if (results.overall.visited === 0) continue;
      found.push({
        name: campaign.name,
        startsOn: campaign.startsOn,
        endsOn: campaign.endsOn,
        targets: results.overall.targets,
        visited: results.overall.visited,
        averageRate: results.overall.averageRate,
        vetoed: results.overall.vetoed,
      });
    }
    return found;
  } catch (error) {
    // A reader who may not see campaigns (a dispatcher) gets a bulletin without the section, not an error.
    if (error instanceof AppError && ERRORS[error.code].status < 500) return [];
    throw error;
  }
}
