import { type Expression, type ExpressionBuilder, type Insertable, type SqlBool, sql } from 'kysely';
import type { CampaignStatus } from '../../../shared/inspections.ts';
import type { Role } from '../../../shared/roles.ts';
import { CODE_LENGTH } from '../../../shared/territory.ts';
import type { Db } from '../../db/database.ts';
import { likePrefix } from '../../db/like.ts';
import type { Database } from '../../db/schema.ts';
import type {
  CampaignRoundRow,
  CampaignTargetRow,
  CampaignTargetTable,
  InspectionCampaignRow,
  InspectionCampaignTable,
} from './inspection.table.ts';

/**
 * Who reads campaigns, as the list's SQL needs it: the same rule as campaign.policy.ts `canSeeCampaign`, said
 * once more in SQL so that lists and counts leave out what the actor may not see (the policy still checks
 * every campaign read one at a time).
 */
export type CampaignViewer =
  | { kind: 'everything' }
  | {
      kind: 'user';
      userId: number;
      /** The actor's scope root ('' sees no area). */
      scopeCode: string;
      /** An administrator, leader or inspector: runs every campaign whose whole area is in scope. */
      runsByScope: boolean;
      /** Not a department handler: sees disclosed campaigns whose area meets the scope. */
      seesDisclosed: boolean;
    };

type CampaignEb = ExpressionBuilder<Database & { c: InspectionCampaignTable }, 'c'>;

/** Whether the viewer works for the campaign `c` (organiser, inspector, or the office above its area). */
function runsCondition(eb: CampaignEb, viewer: CampaignViewer): Expression<SqlBool> {
  if (viewer.kind === 'everything') return eb.lit(true);
  const named = [
    eb('c.organiser_id', '=', viewer.userId),
    eb.exists(
      eb
        .selectFrom('campaign_inspectors as ci')
        .select('ci.user_id')
        .whereRef('ci.campaign_id', '=', 'c.id')
        .where('ci.user_id', '=', viewer.userId),
    ),
  ];
  if (viewer.runsByScope && viewer.scopeCode)
    named.push(eb('c.region_code', 'like', likePrefix(viewer.scopeCode)));
  return eb.or(named);
}

function seesCondition(eb: CampaignEb, viewer: CampaignViewer): Expression<SqlBool> {
  if (viewer.kind === 'everything') return eb.lit(true);
  const runs = runsCondition(eb, viewer);
  if (!viewer.seesDisclosed || !viewer.scopeCode) return runs;
  return eb.or([
    runs,
    eb.and([
      eb.or([eb('c.covert', '=', false), eb('c.published_at', 'is not', null)]),
      eb.or([
        eb('c.region_code', 'like', likePrefix(viewer.scopeCode)),
        sql<SqlBool>`left(${viewer.scopeCode}, length(c.region_code)) = c.region_code`,
      ]),
    ]),
  ]);
}

/** The targets of `c` the viewer sees: all of them when they run it, else those in their scope. */
function targetCountsOf(eb: CampaignEb, viewer: CampaignViewer) {
  const inScope =
    viewer.kind === 'everything' || !viewer.scopeCode
      ? sql<boolean>`false`
      : sql<boolean>`t.region_code like ${likePrefix(viewer.scopeCode)}`;
  const seesAll = eb.case().when(runsCondition(eb, viewer)).then(true).else(false).end();
  return [
    sql<number>`(select count(*)::int from campaign_targets t
      where t.campaign_id = c.id and (${seesAll} or ${inScope}))`.as('target_count'),
    sql<number>`(select count(*)::int from campaign_targets t
      where t.campaign_id = c.id and t.sampled and (${seesAll} or ${inScope}))`.as('sampled_count'),
    seesAll.as('runs'),
  ] as const;
}

function campaignsWithNames(db: Db, viewer: CampaignViewer) {
  return db
    .selectFrom('inspection_campaigns as c')
    .innerJoin('checklist_templates as tpl', 'tpl.id', 'c.template_id')
    .leftJoin('regions as rg', 'rg.code', 'c.region_code')
    .leftJoin('users as org', 'org.id', 'c.organiser_id')
    .leftJoin('departments as dep', 'dep.id', 'c.organiser_department_id')
    .selectAll('c')
    .select((eb) => [
      'tpl.code as template_code',
      'tpl.version as template_version',
      'tpl.name as template_name',
      'rg.name as region_name',
      'org.display_name as organiser_name',
      'dep.name as organiser_department_name',
      ...targetCountsOf(eb as unknown as CampaignEb, viewer),
    ]);
}

export type CampaignWithNames = InspectionCampaignRow & {
  template_code: string;
  template_version: number;
  template_name: string;
  region_name: string | null;
  organiser_name: string | null;
  organiser_department_name: string | null;
  target_count: number;
  sampled_count: number;
  runs: boolean;
};

export interface CampaignFilter {
  status?: CampaignStatus | undefined;
  covert?: boolean | undefined;
  /** Campaigns whose area meets this region (holds it or lies in it). */
  regionCode?: string | undefined;
  limit: number;
  offset: number;
}

/** The campaigns the viewer sees, newest first, and how many there are. */
export async function listCampaigns(
  db: Db,
  viewer: CampaignViewer,
  filter: CampaignFilter,
): Promise<{ rows: CampaignWithNames[]; total: number }> {
  const where = (eb: CampaignEb) => {
    const conditions = [seesCondition(eb, viewer)];
    if (filter.status) conditions.push(eb('c.status', '=', filter.status));
    if (filter.covert !== undefined) conditions.push(eb('c.covert', '=', filter.covert));
    if (filter.regionCode)
      conditions.push(
        eb.or([
          eb('c.region_code', 'like', likePrefix(filter.regionCode)),
          sql<SqlBool>`left(${filter.regionCode}, length(c.region_code)) = c.region_code`,
        ]),
      );
    return eb.and(conditions);
  };
  const [rows, total] = await Promise.all([
    campaignsWithNames(db, viewer)
      .where((eb) => where(eb as unknown as CampaignEb))
      .orderBy('c.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    db
      .selectFrom('inspection_campaigns as c')
      .select(sql<number>`count(*)::int`.as('n'))
      .where((eb) => where(eb as unknown as CampaignEb))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as CampaignWithNames[], total: total.n };
}

/** How far each campaign's latest opened regular round has got: one query for the whole page of campaigns. */
export async function listProgress(
  db: Db,
  campaignIds: readonly number[],
  options: { today: string; scopeCode: string },
): Promise<Map<number, { round: number; visited: number; visitedInScope: number }>> {
  if (campaignIds.length === 0) return new Map();
  const inScope = options.scopeCode
    ? sql<boolean>`t.region_code like ${likePrefix(options.scopeCode)}`
    : sql<boolean>`false`;
  const { rows } = await sql<{ campaign_id: number; round: number; visited: number; in_scope: number }>`
    with latest as (
      select distinct on (r.campaign_id) r.campaign_id, r.id, r.number
      from campaign_rounds r
      where r.campaign_id = any(${sql.val([...campaignIds])}::int[]) and r.kind = 'regular'
        and r.opens_on <= ${options.today}::date
      order by r.campaign_id, r.number desc
    )
    select l.campaign_id, l.number as round,
      count(t.id)::int as visited, count(t.id) filter (where ${inScope})::int as in_scope
    from latest l
    left join inspection_visits v on v.round_id = l.id
    left join campaign_targets t on t.id = v.target_id and t.sampled
    group by l.campaign_id, l.number`.execute(db);
  return new Map(
    rows.map((r) => [r.campaign_id, { round: r.round, visited: r.visited, visitedInScope: r.in_scope }]),
  );
}

export async function findCampaign(
  db: Db,
  id: number,
  viewer: CampaignViewer,
): Promise<CampaignWithNames | undefined> {
  return (await campaignsWithNames(db, viewer).where('c.id', '=', id).executeTakeFirst()) as
    | CampaignWithNames
    | undefined;
}

export async function listInspectors(db: Db, campaignId: number) {
  return db
    .selectFrom('campaign_inspectors as ci')
    .innerJoin('users as u', 'u.id', 'ci.user_id')
    .select(['u.id', 'u.display_name as name'])
    .where('ci.campaign_id', '=', campaignId)
    .orderBy('u.id')
    .execute();
}

/**
 * Active users of `roles` whose scope meets `regionCode` (holds it or lies in it) and lies within
 * `withinScope`: who may be named an inspector, as a planner in that scope may see them.
 */
export async function listInspectorCandidates(
  db: Db,
  options: { regionCode: string; withinScope: string; roles: readonly Role[] },
) {
  return db
    .selectFrom('users as u')
    .leftJoin('regions as rg', 'rg.code', 'u.region_code')
    .select(['u.id', 'u.display_name as name', 'u.role', 'u.region_code', 'rg.name as scope_name'])
    .where('u.active', '=', true)
    .where('u.role', 'in', [...options.roles])
    .where('u.region_code', '<>', '')
    .where('u.region_code', 'like', likePrefix(options.withinScope))
    .where((eb) =>
      eb.or([
        eb('u.region_code', 'like', likePrefix(options.regionCode)),
        sql<SqlBool>`left(${options.regionCode}, length(u.region_code)) = u.region_code`,
      ]),
    )
    .orderBy('u.region_code')
    .orderBy('u.display_name')
    .orderBy('u.id')
    .limit(500)
    .execute();
}

/** Users as the inspector check needs them: role, scope and whether they may still sign in. */
export async function findUsers(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'region_code', 'active'])
    .where('id', 'in', [...ids])
    .execute();
}

export async function findDepartment(db: Db, id: number) {
  return db
    .selectFrom('departments')
    .select(['id', 'name', 'region_code'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertCampaign(
  db: Db,
  row: Omit<Insertable<InspectionCampaignTable>, 'rectify_limit'> & {
    rectify_limit: InspectionCampaignRow['rectify_limit'];
  },
): Promise<number> {
  const inserted = await db
    .insertInto('inspection_campaigns')
    .values({ ...row, rectify_limit: JSON.stringify(row.rectify_limit) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export type CampaignChanges = Partial<
  Omit<InspectionCampaignRow, 'id' | 'row_version' | 'created_at' | 'rectify_limit'>
> & { rectify_limit?: InspectionCampaignRow['rectify_limit'] };

/** Applies the changes if the campaign is still at `rowVersion` (and in `status`, when given). */
export async function updateCampaignAtVersion(
  db: Db,
  id: number,
  rowVersion: number,
  changes: CampaignChanges,
  status?: CampaignStatus,
): Promise<boolean> {
  const { rectify_limit, ...rest } = changes;
  let query = db
    .updateTable('inspection_campaigns')
    .set({
      ...rest,
      ...(rectify_limit !== undefined ? { rectify_limit: JSON.stringify(rectify_limit) } : {}),
      row_version: sql`row_version + 1`,
    })
    .where('id', '=', id)
    .where('row_version', '=', rowVersion);
  if (status) query = query.where('status', '=', status);
  const result = await query.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Marks the campaign changed (its targets), so an editor holding the old rowVersion reads it again. */
export async function touchCampaign(db: Db, id: number, at: Date): Promise<void> {
  await db
    .updateTable('inspection_campaigns')
    .set({ updated_at: at, row_version: sql`row_version + 1` })
    .where('id', '=', id)
    .execute();
}

export async function replaceInspectors(
  db: Db,
  campaignId: number,
  userIds: readonly number[],
): Promise<void> {
  await db.deleteFrom('campaign_inspectors').where('campaign_id', '=', campaignId).execute();
  if (userIds.length)
    await db
      .insertInto('campaign_inspectors')
      .values(userIds.map((user_id) => ({ campaign_id: campaignId, user_id })))
      .execute();
}

// ---------------------------------------------------------------------------------------------------------
// Targets.

export type TargetWithNames = CampaignTargetRow & { region_name: string | null; village_name: string | null };

/**
 * The campaign's targets, or those under `regionPrefix` (a viewer who does not run it), with the names of each
 * target's grid and of the village that grid lies in.
 */
export async function listTargets(
  db: Db,
  campaignId: number,
  regionPrefix: string | null,
): Promise<TargetWithNames[]> {
  let query = db
    .selectFrom('campaign_targets as t')
    .leftJoin('regions as grid', 'grid.code', 't.region_code')
    .leftJoin('regions as village', (join) =>
      join.on(sql<SqlBool>`village.code = left(t.region_code, ${CODE_LENGTH.village})`),
    )
    .selectAll('t')
    .select(['grid.name as region_name', 'village.name as village_name'])
    .where('t.campaign_id', '=', campaignId);
  if (regionPrefix !== null) query = query.where('t.region_code', 'like', likePrefix(regionPrefix));
  return query.orderBy('t.region_code').orderBy('t.name').orderBy('t.id').execute();
}

export async function findTarget(db: Db, campaignId: number, targetId: number) {
  return db
    .selectFrom('campaign_targets')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('id', '=', targetId)
    .executeTakeFirst();
}

export async function countTargets(db: Db, campaignId: number): Promise<number> {
  const row = await db
    .selectFrom('campaign_targets')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** How many of the campaign's targets lie outside `regionCode`'s subtree: an area may not shrink past them. */
export async function countTargetsOutside(db: Db, campaignId: number, regionCode: string): Promise<number> {
  const row = await db
    .selectFrom('campaign_targets')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('campaign_id', '=', campaignId)
    .where('region_code', 'not like', likePrefix(regionCode))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Grid codes already targeted as whole grids: a grid has no registry id to keep it unique. */
export async function listGridTargetCodes(db: Db, campaignId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('campaign_targets')
    .select('region_code')
    .where('campaign_id', '=', campaignId)
    .where('kind', '=', 'grid')
    .execute();
  return rows.map((r) => r.region_code);
}

/** Inserts the targets not there yet (the same registry record once per campaign); returns the new ids. */
export async function insertTargets(
  db: Db,
  rows: readonly Omit<CampaignTargetTable, 'id' | 'sampled'>[],
): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += 1_000) {
    const inserted = await db
      .insertInto('campaign_targets')
      .values(rows.slice(start, start + 1_000))
      .onConflict((oc) => oc.columns(['campaign_id', 'kind', 'ref_id']).doNothing())
      .returning('id')
      .execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

export async function deleteTarget(db: Db, campaignId: number, targetId: number): Promise<void> {
  await db
    .deleteFrom('campaign_targets')
    .where('campaign_id', '=', campaignId)
    .where('id', '=', targetId)
    .execute();
}

/** Marks exactly `sampledIds` sampled (null: every target, as without a sample). */
export async function setSample(
  db: Db,
  campaignId: number,
  sampledIds: readonly number[] | null,
): Promise<void> {
  await db
    .updateTable('campaign_targets')
    .set({
      sampled: sampledIds === null ? true : sql<boolean>`id = any(${sql.val([...sampledIds])}::int[])`,
    })
    .where('campaign_id', '=', campaignId)
    .execute();
}

/** The campaign's recorded sample: its size and the seed it was drawn with. */
export async function setSampleFields(
  db: Db,
  id: number,
  fields: Partial<Pick<InspectionCampaignRow, 'sample_seed' | 'sample_size'>>,
): Promise<void> {
  await db.updateTable('inspection_campaigns').set(fields).where('id', '=', id).execute();
}

/** The leaf grids of the sampled targets, with how many targets each holds: who is told of an open campaign. */
export async function listTargetGrids(db: Db, campaignId: number) {
  return db
    .selectFrom('campaign_targets')
    .select(['region_code', sql<number>`count(*)::int`.as('targets')])
    .where('campaign_id', '=', campaignId)
    .where('sampled', '=', true)
    .groupBy('region_code')
    .orderBy('region_code')
    .execute();
}

// ---------------------------------------------------------------------------------------------------------
// Rounds.

export async function insertRounds(db: Db, rows: readonly Omit<CampaignRoundRow, 'id'>[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto('campaign_rounds')
    .values([...rows])
    .returning('id')
    .execute();
  return inserted.map((r) => r.id);
}

export async function listRounds(db: Db, campaignId: number): Promise<CampaignRoundRow[]> {
  return db
    .selectFrom('campaign_rounds')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('number')
    .execute();
}

export async function insertRoundTargets(
  db: Db,
  roundId: number,
  targetIds: readonly number[],
): Promise<void> {
  for (let start = 0; start < targetIds.length; start += 5_000) {
    await db
      .insertInto('campaign_round_targets')
      .values(targetIds.slice(start, start + 5_000).map((target_id) => ({ round_id: roundId, target_id })))
      .execute();
  }
}

/** The targets that failed any item in a visit of the round: those a re-inspection round visits again. */
export async function listFailedTargetIds(db: Db, roundId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('inspection_visits as v')
    .select('v.target_id')
    .distinct()
    .where('v.round_id', '=', roundId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('inspection_answers as a')
          .select('a.item_id')
          .whereRef('a.visit_id', '=', 'v.id')
          .where('a.outcome', '=', 'fail'),
      ),
    )
    .orderBy('v.target_id')
    .execute();
  return rows.map((r) => r.target_id);
}

/**
 * The (round, target) pairs the inspector has to visit: rounds of running campaigns they visit for, opened by
 * `today`, still open — or not visited and the latest of their kind, so a missed visit stays on the list until
 * the next round replaces it.
 */
export async function listVisitsToMake(db: Db, options: { userId: number; today: string; limit: number }) {
  const { rows } = await sql<{
    campaign_id: number;
    campaign_name: string;
    covert: boolean;
    template_id: number;
    signature_required: boolean;
    round_id: number;
    round_number: number;
    round_kind: CampaignRoundRow['kind'];
    opens_on: string;
    due_on: string;
    target: CampaignTargetRow;
    visit_id: number | null;
    visited_at: Date | null;
  }>`
    with mine as (
      select c.* from inspection_campaigns c
      where c.status = 'running'
        and (c.organiser_id = ${options.userId}
          or exists (select 1 from campaign_inspectors ci where ci.campaign_id = c.id and ci.user_id = ${options.userId}))
    ),
    opened as (
      select r.*, rank() over (partition by r.campaign_id, r.kind order by r.number desc) as recency
      from campaign_rounds r join mine on mine.id = r.campaign_id
      where r.opens_on <= ${options.today}::date
    ),
    pairs as (
      select o.id as round_id, t.id as target_id
      from opened o join campaign_targets t on t.campaign_id = o.campaign_id and t.sampled
      where o.kind = 'regular'
      union all
      select o.id, rt.target_id from opened o join campaign_round_targets rt on rt.round_id = o.id
      where o.kind = 'reinspection'
    )
    select c.id as campaign_id, c.name as campaign_name, c.covert, c.template_id, c.signature_required,
      o.id as round_id, o.number as round_number, o.kind as round_kind, o.opens_on::text as opens_on,
      o.due_on::text as due_on, to_jsonb(t) as target, v.id as visit_id, v.visited_at
    from pairs p
    join opened o on o.id = p.round_id
    join mine c on c.id = o.campaign_id
    join campaign_targets t on t.id = p.target_id
    left join inspection_visits v on v.round_id = p.round_id and v.target_id = p.target_id
    where o.due_on >= ${options.today}::date or (v.id is null and o.recency = 1)
    order by o.due_on, c.id, o.number, t.region_code, t.name, t.id
    limit ${options.limit}`.execute(db);
  return rows;
}
