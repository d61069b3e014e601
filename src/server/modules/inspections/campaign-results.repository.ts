/**
 * A campaign's results as set-based aggregates: the per-target, per-item and per-village figures in one
 * statement (resultFigures), the rectification cases by lead department and the rounds in theirs; with the
 * drill-downs that list the visits and cases behind a figure.
 *
 * Every statement starts from the same two sets: `t`, the campaign's sampled targets (only those under the
 * viewer's region when the viewer does not run the campaign), and `lv`, the latest regular-round visit of each
 * of them (inspection_visits_campaign, then campaign_rounds by key), chosen once per statement. Answers are
 * read by visit, cases by id.
 */
import { type RawBuilder, sql } from 'kysely';
import type { RectificationProgress } from '../../../shared/campaigns.ts';
import type { Db } from '../../db/database.ts';
import { likePrefix } from '../../db/like.ts';
import type { CampaignTargetRow } from './inspection.table.ts';

export interface ResultsSet {
  campaignId: number;
  /** Only targets under this region (a viewer who does not run the campaign); null: all. */
  regionPrefix: string | null;
}

/** The instant a round's due day ends (midnight after it, China time, UTC+8 all year). */
const DUE_END = sql`((r.due_on + 1)::timestamp at time zone 'UTC' - interval '8 hours')`;

function targetsCte(set: ResultsSet): RawBuilder<unknown> {
  const inRegion =
    set.regionPrefix === null ? sql`` : sql`and region_code like ${likePrefix(set.regionPrefix)}`;
  return sql`
    t as (
      select id, name, site_type, region_code from campaign_targets
      where campaign_id = ${set.campaignId} and sampled ${inRegion}
    ),
    lv as materialized (
      select distinct on (v.target_id) v.id, v.target_id, v.earned, v.applicable, v.vetoed_by, v.visited_at,
        v.inspector_name, v.notice_number, r.number as round_number, v.visited_at >= ${DUE_END} as late
      from inspection_visits v
      join campaign_rounds r on r.id = v.round_id and r.kind = 'regular'
      join t on t.id = v.target_id
      where v.campaign_id = ${set.campaignId}
      order by v.target_id, r.number desc
    )`;
}

/** The score rate of a visit row in SQL: 0 when vetoed, null when nothing applied. */
const RATE = sql`case when lv.vetoed_by is not null then 0 else lv.earned / nullif(lv.applicable, 0) end`;

export interface TargetScoreRow {
  target_id: number;
  name: string;
  site_type: string;
  region_code: string;
  visit_id: number | null;
  round_number: number | null;
  earned: number | null;
  applicable: number | null;
  vetoed_by: number | null;
  veto_key: string | null;
  veto_question: string | null;
  failed: number;
  /** When its scored visit was made (JSON text), and whether after its round's due day. */
  visited_at: string | null;
  late: boolean | null;
}

export interface ItemFailureRow {
  item_id: number;
  key: string;
  section: string;
  question: string;
  points: number;
  veto: boolean;
  applicable: number;
  failed: number;
}

export interface VillageRow {
  code: string;
  name: string | null;
  targets: number;
  visited: number;
  average_rate: number | null;
  vetoed: number;
}

export interface ResultFigures {
  /** The scored visit of each target (its latest regular round), with its failed items. */
  targets: TargetScoreRow[];
  /** Every item of the template, with how many scored visits it applied to and how many failed it. */
  items: ItemFailureRow[];
  /** Targets grouped by their village (the first `villageCodeLength` digits of the grid code). */
  villages: VillageRow[];
}

/**
 * The per-target, per-item and per-village figures in one statement: the latest visit of each target is chosen
 * once, and the answers of those visits are read once, counted both by visit (failed items) and by item
 * (applicable, failed) through grouping sets. Each figure comes back as a JSON array in its order.
 */
export async function resultFigures(
  db: Db,
  set: ResultsSet,
  templateId: number,
  villageCodeLength: number,
): Promise<ResultFigures> {
  const { rows } = await sql<ResultFigures>`
    with ${targetsCte(set)},
    counts as (
      select a.visit_id, a.item_id, grouping(a.visit_id) as by_item,
        count(*) filter (where a.outcome <> 'na')::int as applicable,
        count(*) filter (where a.outcome = 'fail')::int as failed
      from inspection_answers a
      -- A semi-join: the planner hashes the few thousand visits, not the answers it scans.
      where a.visit_id in (select id from lv)
      group by grouping sets ((a.visit_id), (a.item_id))
    ),
    scored as (
      select t.id as target_id, t.name, t.site_type, t.region_code, lv.id as visit_id, lv.round_number,
        lv.earned, lv.applicable, lv.vetoed_by, i.key as veto_key, i.question as veto_question,
        coalesce(f.failed, 0) as failed, lv.visited_at, lv.late, ${RATE} as rate
      from t
      left join lv on lv.target_id = t.id
      left join checklist_items i on i.id = lv.vetoed_by
      left join counts f on f.visit_id = lv.id and f.by_item = 0
    ),
    items as (
      select i.id as item_id, i.key, i.section, i.question, i.points, i.veto, i.position,
        coalesce(c.applicable, 0) as applicable, coalesce(c.failed, 0) as failed
      from checklist_items i left join counts c on c.item_id = i.id and c.by_item = 1
      where i.template_id = ${templateId}
    ),
    villages as (
      select left(s.region_code, ${villageCodeLength}) as code, rg.name, count(*)::int as targets,
        count(s.visit_id)::int as visited, avg(s.rate)::float8 as average_rate,
        count(s.vetoed_by)::int as vetoed
      from scored s
      left join regions rg on rg.code = left(s.region_code, ${villageCodeLength})
      group by 1, 2
    )
    select
      (select coalesce(json_agg(
        json_build_object('target_id', target_id, 'name', name, 'site_type', site_type,
          'region_code', region_code, 'visit_id', visit_id, 'round_number', round_number, 'earned', earned,
          'applicable', applicable, 'vetoed_by', vetoed_by, 'veto_key', veto_key, 'veto_question', veto_question,
          'failed', failed, 'visited_at', visited_at, 'late', late)
        order by region_code, name, target_id), '[]') from scored) as targets,
      (select coalesce(json_agg(
        json_build_object('item_id', item_id, 'key', key, 'section', section, 'question', question,
          'points', points, 'veto', veto, 'applicable', applicable, 'failed', failed)
        order by position, item_id), '[]') from items) as items,
      (select coalesce(json_agg(villages order by code), '[]') from villages) as villages`.execute(db);
  const row = rows[0];
  return { targets: row?.targets ?? [], items: row?.items ?? [], villages: row?.villages ?? [] };
}

/** The rectification cases the campaign's visits raised (of the targets in the set), as a CTE `cs`. */
function casesCte(set: ResultsSet): RawBuilder<unknown> {
  const inRegion =
    set.regionPrefix === null ? sql`` : sql`and t.region_code like ${likePrefix(set.regionPrefix)}`;
  return sql`
    cs as (
      select distinct on (a.case_id) a.case_id, t.name as target_name
      from inspection_visits v
      join campaign_targets t on t.id = v.target_id
      join inspection_answers a on a.visit_id = v.id and a.case_id is not null
      where v.campaign_id = ${set.campaignId} ${inRegion}
      order by a.case_id
    )`;
}

/** A case's progress at `now`: open (within or past its deadline), or closed on time or late. */
function progressOf(now: Date): RawBuilder<RectificationProgress> {
  return sql<RectificationProgress>`case
    when c.closed_at is null and c.handling_deadline < ${now} then 'openOverdue'
    when c.closed_at is null then 'open'
    when c.handling_deadline is not null and c.closed_at > c.handling_deadline then 'doneLate'
    else 'doneOnTime' end`;
}

export interface DepartmentProgressRow {
  department_id: number | null;
  name: string | null;
  progress: RectificationProgress;
  cases: number;
}

/** The rectification cases counted by lead department and progress. */
export async function rectificationProgress(
  db: Db,
  set: ResultsSet,
  now: Date,
): Promise<DepartmentProgressRow[]> {
  const { rows } = await sql<DepartmentProgressRow>`
    with ${casesCte(set)}
    select c.lead_department_id as department_id, d.name, ${progressOf(now)} as progress, count(*)::int as cases
    from cs join cases c on c.id = cs.case_id
    left join departments d on d.id = c.lead_department_id
    group by 1, 2, 3
    order by 2 nulls last, 1`.execute(db);
  return rows;
}

export interface RoundFigureRow {
  id: number;
  number: number;
  kind: 'regular' | 'reinspection';
  opens_on: string;
  due_on: string;
  targets: number;
  visited: number;
  late: number;
  missed: number;
}

/**
 * The pairs (round, target) each round has to visit — every sampled target in a regular round, the fixed list
 * in a re-inspection round — as a CTE `rt`.
 */
function roundTargetsCte(set: ResultsSet): RawBuilder<unknown> {
  return sql`
    rt as (
      select r.id as round_id, t.id as target_id from campaign_rounds r cross join t
      where r.campaign_id = ${set.campaignId} and r.kind = 'regular'
      union all
      select x.round_id, x.target_id from campaign_round_targets x
      join campaign_rounds r on r.id = x.round_id
      join t on t.id = x.target_id
      where r.campaign_id = ${set.campaignId}
    )`;
}

/** Each round with how many targets it visits, visited, late (after the due day) and missed (due and not visited). */
export async function roundFigures(db: Db, set: ResultsSet, today: string): Promise<RoundFigureRow[]> {
  const { rows } = await sql<RoundFigureRow>`
    with ${targetsCte(set)}, ${roundTargetsCte(set)}
    select r.id, r.number, r.kind, r.opens_on::text as opens_on, r.due_on::text as due_on,
      count(rt.target_id)::int as targets, count(v.id)::int as visited,
      count(v.id) filter (where v.visited_at >= ${DUE_END})::int as late,
      count(rt.target_id) filter (where v.id is null and r.due_on < ${today}::date)::int as missed
    from campaign_rounds r
    left join rt on rt.round_id = r.id
    left join inspection_visits v on v.round_id = r.id and v.target_id = rt.target_id
    where r.campaign_id = ${set.campaignId}
    group by r.id
    order by r.number`.execute(db);
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// Drill-down: the visits, cases or targets behind one figure.

export type VisitFilter =
  | { kind: 'target'; targetId: number }
  | { kind: 'itemFailed'; itemId: number }
  | { kind: 'village'; code: string }
  | { kind: 'vetoed' }
  | { kind: 'round'; roundId: number; lateOnly: boolean };

export interface DrillVisitRow {
  id: number;
  target_id: number;
  target_name: string;
  round_number: number;
  visited_at: Date;
  inspector_name: string;
  notice_number: string;
  rate: number | null;
}

function visitCondition(filter: Exclude<VisitFilter, { kind: 'round' }>): RawBuilder<unknown> {
  switch (filter.kind) {
    case 'target':
      return sql`lv.target_id = ${filter.targetId}`;
    case 'itemFailed':
      return sql`exists (select 1 from inspection_answers a
        where a.visit_id = lv.id and a.item_id = ${filter.itemId} and a.outcome = 'fail')`;
    case 'village':
      return sql`t.region_code like ${likePrefix(filter.code)}`;
    case 'vetoed':
      return sql`lv.vetoed_by is not null`;
  }
}

export async function drillVisits(db: Db, set: ResultsSet, filter: VisitFilter): Promise<DrillVisitRow[]> {
  if (filter.kind === 'round') {
    const { rows } = await sql<DrillVisitRow>`
      with ${targetsCte(set)}, ${roundTargetsCte(set)}
      select v.id, t.id as target_id, t.name as target_name, r.number as round_number, v.visited_at,
        v.inspector_name, v.notice_number,
        case when v.vetoed_by is not null then 0 else v.earned / nullif(v.applicable, 0) end as rate
      from rt
      join campaign_rounds r on r.id = rt.round_id
      join t on t.id = rt.target_id
      join inspection_visits v on v.round_id = rt.round_id and v.target_id = rt.target_id
      where rt.round_id = ${filter.roundId} ${filter.lateOnly ? sql`and v.visited_at >= ${DUE_END}` : sql``}
      order by v.id`.execute(db);
    return rows;
  }
  const condition = visitCondition(filter);
  const { rows } = await sql<DrillVisitRow>`
    with ${targetsCte(set)}
    select lv.id, t.id as target_id, t.name as target_name, lv.round_number, lv.visited_at, lv.inspector_name,
      lv.notice_number, ${RATE} as rate
    from lv join t on t.id = lv.target_id
    where ${condition}
    order by lv.id`.execute(db);
  return rows;
}

export interface DrillCaseRow {
  id: number;
  case_number: string;
  state: string;
  target_name: string;
  due_at: Date | null;
  closed_at: Date | null;
  department_id: number | null;
}

export async function drillCases(
  db: Db,
  set: ResultsSet,
  filter: { departmentId: number | null } | { progress: RectificationProgress; now: Date },
): Promise<DrillCaseRow[]> {
  const condition =
    'departmentId' in filter
      ? filter.departmentId === null
        ? sql`c.lead_department_id is null`
        : sql`c.lead_department_id = ${filter.departmentId}`
      : sql`${progressOf(filter.now)} = ${filter.progress}`;
  const { rows } = await sql<DrillCaseRow>`
    with ${casesCte(set)}
    select c.id, c.case_number, c.state, cs.target_name, c.handling_deadline as due_at, c.closed_at,
      c.lead_department_id as department_id
    from cs join cases c on c.id = cs.case_id
    where ${condition}
    order by c.id`.execute(db);
  return rows;
}

/** The round's targets without a visit, once its due day has passed: the missed figure. */
export async function drillMissedTargets(
  db: Db,
  set: ResultsSet,
  roundId: number,
  today: string,
): Promise<CampaignTargetRow[]> {
  const { rows } = await sql<CampaignTargetRow>`
    with ${targetsCte(set)}, ${roundTargetsCte(set)}
    select ct.* from rt
    join campaign_rounds r on r.id = rt.round_id
    join campaign_targets ct on ct.id = rt.target_id
    where rt.round_id = ${roundId} and r.due_on < ${today}::date
      and not exists (select 1 from inspection_visits v where v.round_id = rt.round_id and v.target_id = rt.target_id)
    order by ct.region_code, ct.name, ct.id`.execute(db);
  return rows;
}

/**
 * The score rates of the regular-round visits made in [start, end) to targets under `regionPrefix` (null: all),
 * per leaf grid: their sum and their number, so that a ranking can average them over any region. Rated like a
 * campaign's results (`RATE`: 0 when vetoed; a visit where nothing applied is left out); a covert campaign's
 * visits count only once it is published, so the inspected never learn of it from a ranking.
 */
export async function periodScoreRates(
  db: Db,
  regionPrefix: string | null,
  start: Date,
  end: Date,
): Promise<{ grid_code: string; rate_sum: number; visits: number }[]> {
  const { rows } = await sql<{ grid_code: string; rate_sum: number; visits: number }>`
    select t.region_code as grid_code, sum(${RATE})::float8 as rate_sum, count(*)::int as visits
    ${periodVisits(regionPrefix, start, end)}
    group by 1`.execute(db);
  return rows;
}

/** The visits `periodScoreRates` averages, newest first: what a score rate in a ranking opens onto. */
export async function listPeriodVisits(db: Db, regionPrefix: string | null, start: Date, end: Date) {
  const { rows } = await sql<{
    id: number;
    campaign_id: number;
    campaign_name: string;
    target_name: string;
    region_code: string;
    visited_at: Date;
    rate: number;
    vetoed: boolean;
  }>`
    select lv.id, c.id as campaign_id, c.name as campaign_name, t.name as target_name, t.region_code,
      lv.visited_at, (${RATE})::float8 as rate, lv.vetoed_by is not null as vetoed
    ${periodVisits(regionPrefix, start, end)}
    order by lv.visited_at desc, lv.id desc`.execute(db);
  return rows;
}

/** FROM and WHERE of the regular-round visits of [start, end) that count for a score rate, aliased `lv`. */
function periodVisits(regionPrefix: string | null, start: Date, end: Date): RawBuilder<unknown> {
  return sql`
    from inspection_visits lv
    join campaign_rounds r on r.id = lv.round_id and r.kind = 'regular'
    join inspection_campaigns c on c.id = lv.campaign_id and (not c.covert or c.published_at is not null)
    join campaign_targets t on t.id = lv.target_id
    where lv.visited_at >= ${start} and lv.visited_at < ${end} and lv.applicable > 0
      ${regionPrefix === null ? sql`` : sql`and t.region_code like ${likePrefix(regionPrefix)}`}`;
}
