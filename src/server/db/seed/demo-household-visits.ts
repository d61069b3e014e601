/*
 * The demo's household-visit campaign (入户走访): 三询问一完善 over two communities, part-done, so a newcomer
 * sees coverage advance day by day. The campaign is created with the town; its visits need the registry's
 * households, which the demo registry loads in the background after the server starts, so they are added then.
 * Synthetic: every visit is marked 演示数据.
 */
import { sql } from 'kysely';
import type { Services } from '../../deps.ts';
import type { Actor } from '../../modules/people/actor.ts';
import { systemActor } from '../../modules/people/actor.ts';
import type { Db } from '../database.ts';
import { DEMO_VISIT_FORM_CODE } from './demo-forms.ts';

/** 河清 and 英明, the communities of the demo's two grid workers. */
export const DEMO_VISIT_VILLAGES = ['440605121015', '440605121018'];
export const DEMO_VISIT_CAMPAIGN = '三询问一完善入户走访（河清、英明，演示）';
const DAY = 86_400_000;
/** The campaign started this many days before the demo's "now" and runs as long again. */
const DAYS_DONE = 14;
/** Share of the households visited so far. */
const DONE = 0.45;

const shanghaiDay = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** Creates the campaign (with the demo town, after the forms). */
export async function createDemoVisitCampaign(db: Db, services: Services, now: Date): Promise<number | null> {
  const form = await db
    .selectFrom('forms')
    .select('id')
    .where('code', '=', DEMO_VISIT_FORM_CODE)
    .executeTakeFirst();
  if (!form) return null;
  const campaign = await services.householdVisits.createCampaign(systemActor('demo-seed'), {
    name: DEMO_VISIT_CAMPAIGN,
    formId: form.id,
    regionCodes: DEMO_VISIT_VILLAGES,
    unit: 'household',
    startsOn: shanghaiDay(new Date(now.getTime() - DAYS_DONE * DAY)),
    endsOn: shanghaiDay(new Date(now.getTime() + DAYS_DONE * DAY)),
  });
  await db.updateTable('visit_campaigns').set({ synthetic: true }).where('id', '=', campaign.id).execute();
  return campaign.id;
}

/**
 * Visits about 45% of the campaign's households over its first two weeks, each by its grid's grid worker, in one
 * statement (the answers as the form asks them: someone lives here, all tested, home safe, no hardship); then a
 * few through the visit service with bulky rubbish, which raise cases in the community's queue. Does nothing
 * when visits are there already or the registry is empty.
 */
export async function loadDemoHouseholdVisits(db: Db, services: Services, now = new Date()): Promise<number> {
  const campaign = await db
    .selectFrom('visit_campaigns')
    .select(['id', 'form_version_id'])
    .where('name', '=', DEMO_VISIT_CAMPAIGN)
    .executeTakeFirst();
  if (!campaign) return 0;
  const any = await db
    .selectFrom('household_visits')
    .select('id')
    .where('campaign_id', '=', campaign.id)
    .limit(1)
    .executeTakeFirst();
  if (any) return 0;
  const start = now.getTime() - DAYS_DONE * DAY;
  const inserted = await sql<{ n: number }>`
    with households as (
      select r.house_id as unit_id, coalesce(r.household_no, '') as household_no, min(r.region_code) as region_code,
             count(*)::int as residents,
             row_number() over (order by r.house_id, coalesce(r.household_no, '')) as n
      from registry_residents as r
      where r.region_code like ${`${DEMO_VISIT_VILLAGES[0]}%`} or r.region_code like ${`${DEMO_VISIT_VILLAGES[1]}%`}
      group by 1, 2),
    chosen as (
      select h.*, gp.user_id, h2.county_code,
             -- Earlier days visit more grids: the curve rises fast, then flattens.
             to_timestamp(${start / 1000} + ((h.n * 7919) % ${DAYS_DONE}) * 86400 * sqrt(((h.n * 104729) % 1000) / 1000.0)
                          + 3600 * (1 + (h.n % 8))) as at
      from households as h
      join registry_houses as h2 on h2.id = h.unit_id
      join grid_people as gp on gp.grid_code = h.region_code and gp.duty = 'gridWorker'
      where (h.n * 2654435761) % 1000 < ${Math.round(DONE * 1000)}),
    visits as (
      insert into household_visits (client_key, campaign_id, unit_id, household_no, region_code, county_code,
        user_id, visited_at, day, answers, synthetic, created_at)
      select 'demo-visit-' || n, ${campaign.id}, unit_id, household_no, region_code, county_code, user_id, at,
             (at at time zone 'Asia/Shanghai')::date,
             jsonb_build_object('lives_here', 'yes', 'resident_count', least(residents, 30), 'tested', 'all',
                                'home_safe', 'yes', 'hardship', jsonb_build_array('none')),
             true, at
      from chosen
      returning campaign_id, unit_id, household_no, visited_at, day)
    insert into household_visit_households (campaign_id, unit_id, household_no, first_visited_at, first_day,
      last_visited_at, visits)
    select campaign_id, unit_id, household_no, min(visited_at), min(day), max(visited_at), count(*)
    from visits group by 1, 2, 3
    returning 1 as n`.execute(db);

  // A few visits today through the service: bulky rubbish by the door raises a case in the community's queue.
  const workers = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.username', 'u.display_name', 'u.region_code'])
    .where('u.username', 'in', ['heqing', 'yingming'])
    .execute();
  for (const user of workers) {
    const actor: Actor = {
      id: user.id,
      username: user.username,
      name: user.display_name,
      role: 'gridWorker',
      scopeCode: user.region_code,
      scopeName: user.display_name,
      departmentId: null,
      locale: 'zh-CN',
    };
    const page = await services.householdVisits.listHouseholds(actor, campaign.id, {
      status: 'unvisited',
      page: 1,
      pageSize: 2,
    });
    for (const household of page.items) {
      await services.householdVisits.recordVisit(actor, campaign.id, {
        clientKey: `demo-visit-rubbish-${household.unitId}-${household.householdNo || '0'}`,
        household: household.key,
        visitedAt: new Date(now.getTime() - 3_600_000).toISOString(),
        answers: {
          lives_here: 'yes',
          resident_count: Math.min(Math.max(household.residents, 1), 30),
          tested: 'all',
          home_safe: 'yes',
          hardship: ['bulky_rubbish'],
          hardship_note: '门口堆放旧沙发、床垫，老人无力搬运（演示数据）',
        },
      });
    }
  }
  await db
    .updateTable('household_visits')
    .set({ synthetic: true })
    .where('campaign_id', '=', campaign.id)
    .execute();
  return inserted.rows.length;
}
