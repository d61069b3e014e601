/**
 * Campaign results at district scale, on the PostgreSQL server: a campaign of 5,000 targets over two monthly
 * rounds, 10,000 visits × 50 items (500,000 answers, loaded in bulk), and
 *  - the results computed through the results service (per target, per item, per village, per department,
 *    rectification progress) as an organiser, a named inspector and a village leader see them, each a real
 *    signed-in user (so the campaign policy and the scope cut apply as they do to them), median of several runs;
 *  - the same aggregates as one plain SQL statement, in the same run, and the ratio of the two.
 * Run: npm run bench:inspections   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres;
 * it creates and drops its own database, gridgov_bench_inspections; BENCH_TARGETS, default 5,000, and
 * BENCH_RUNS, default 9; BENCH_KEEP_DATABASE=true keeps it afterwards, to look at the plans)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { systemClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { createDatabase, withLongStatements } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { createServices } from '../src/server/deps.ts';
import { systemActor } from '../src/server/modules/people/actor.ts';
import { TERRITORY } from '../src/server/testing/factories.ts';
import type { Role } from '../src/shared/roles.ts';
import { freshDatabase, seedBenchTown } from './bench-town.ts';
import { percentile } from './load.ts';

const DATABASE = 'gridgov_bench_inspections';
const TARGETS = Number(process.env.BENCH_TARGETS ?? 5_000);
const ITEMS = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const PASSWORD = 'Bench-pass-2026';

const ms = (n: number) => `${n.toFixed(1)} ms`;
const line = (label: string, value: string) => console.log(`${`${label}:`.padEnd(44)}${value}`);

async function main() {
  const database = await freshDatabase(DATABASE);
  const config = {
    ...loadConfig({}),
    dataDir: mkdtempSync(join(tmpdir(), 'gridgov-bench-')),
    loadDemo: false,
  };
  // A timing run on a shared machine: statements get a minute, not a request's 5 s (GRIDGOV_STATEMENT_TIMEOUT_MS).
  const handle = await createDatabase({
    databaseUrl: database.url,
    dataDir: '',
    poolSize: 8,
    statementTimeoutMs: Number(process.env.BENCH_STATEMENT_TIMEOUT_MS ?? 60_000),
  });
  const { db } = handle;
  await migrateToLatest(db);
  const services = createServices({ db, backend: 'postgres', clock: systemClock, config });
  const system = systemActor('bench');
  const town = await seedBenchTown(services, system);

  const signIn = async (username: string, role: Role, regionCode: string) => {
    await services.people.createUser(system, {
      username,
      displayName: username,
      role,
      regionCode,
      password: PASSWORD,
    });
    const { session } = await services.auth.login({
      username,
      password: PASSWORD,
      ip: null,
      userAgent: null,
      locale: 'zh-CN',
    });
    return session.actor;
  };
  const organiser = await signIn('bench-organiser', 'inspector', TERRITORY.town);
  const inspector = await signIn('bench-inspector', 'inspector', TERRITORY.heqing);
  const villageLeader = await signIn('bench-village-leader', 'leader', TERRITORY.heqing);

  // A 50-item template, two of them veto items, worth 100 points in all.
  const checklists = services.inspections.checklists;
  const draft = await checklists.createTemplate(system, {
    code: 'bench-50',
    name: '压测测评表（50 项）',
    description: '',
    siteTypes: [],
    regionCode: TERRITORY.town,
    items: Array.from({ length: ITEMS }, (_, i) => ({
      key: String(i + 1),
      section: `第${Math.floor(i / 10) + 1}部分`,
      question: `检查项 ${i + 1}`,
      points: 2,
      rule: 'passFail' as const,
      photo: 'never' as const,
      guidance: '',
      siteTypes: [],
      veto: i < 2,
      immediate: false,
    })),
  });
  const template = await checklists.activateTemplate(system, draft.id, draft.rowVersion);

  const campaigns = services.inspections.campaigns;
  const created = await campaigns.createCampaign(organiser, {
    name: '压测专项检查',
    templateId: template.id,
    regionCode: TERRITORY.town,
    inspectorIds: [inspector.id],
    covert: false,
    startsOn: '2026-10-01',
    endsOn: '2026-11-30',
    recurrence: 'monthly',
    signatureRequired: false,
  });
  const id = created.id;

  const t0 = performance.now();
  await sql`
    insert into campaign_targets (campaign_id, kind, ref_id, name, site_type, region_code, lon, lat)
    select ${id}, 'manual', null, '压测对象 ' || i, (array['market', 'shop', 'bank', 'hospital'])[1 + i % 4],
      (array[${sql.join(town.grids.map((g) => g.code))}])[1 + i % 4], 112.941 + (i % 4) * 0.005, 22.85
    from generate_series(1, ${TARGETS}) as i`.execute(db);
  const started = await campaigns.getCampaign(organiser, id);
  await campaigns.startCampaign(organiser, id, started.rowVersion);
  // Every target visited in both rounds: 10,000 visits, then 50 answers each (about 8 % fail, 4 % n/a), loaded
  // past the statement timeout a request has.
  await withLongStatements(db, async (trx) => {
    await sql`
    insert into inspection_visits (campaign_id, round_id, target_id, template_id, inspector_id, inspector_name,
      visited_at, earned, applicable, notice_number, created_at)
    select ${id}, r.id, t.id, ${template.id}, ${inspector.id}, '压测督查员',
      (r.opens_on + (t.id % 40))::timestamp at time zone 'UTC', 0, 0, 'JC-B-' || r.number || '-' || t.id, now()
    from campaign_targets t join campaign_rounds r on r.campaign_id = t.campaign_id
    where t.campaign_id = ${id}`.execute(trx);
    await sql`
    insert into inspection_answers (visit_id, item_id, outcome, earned, applicable)
    select v.id, i.id, o.outcome, case when o.outcome = 'pass' then i.points else 0 end,
      case when o.outcome = 'na' then 0 else i.points end
    from inspection_visits v
    join checklist_items i on i.template_id = ${template.id}
    cross join lateral (select case when (v.id * 7919 + i.id * 104729) % 1000 < case when i.veto then 3 else 80 end then 'fail'
      when (v.id * 31 + i.id * 17) % 100 < 4 then 'na' else 'pass' end as outcome) o
    where v.campaign_id = ${id}`.execute(trx);
    await sql`
    update inspection_visits v set earned = s.earned, applicable = s.applicable, vetoed_by = s.vetoed_by
    from (select a.visit_id, sum(a.earned) as earned, sum(a.applicable) as applicable,
            min(a.item_id) filter (where a.outcome = 'fail' and i.veto) as vetoed_by
          from inspection_answers a join checklist_items i on i.id = a.item_id group by a.visit_id) s
    where s.visit_id = v.id and v.campaign_id = ${id}`.execute(trx);
  });
  for (const table of ['campaign_targets', 'campaign_rounds', 'inspection_visits', 'inspection_answers'])
    await sql`analyze ${sql.table(table)}`.execute(db);
  const loadSeconds = (performance.now() - t0) / 1000;
  const counts = await sql<{ visits: number; answers: number }>`
    select (select count(*)::int from inspection_visits) as visits,
      (select count(*)::int from inspection_answers) as answers`.execute(db);
  const { visits, answers } = counts.rows[0] ?? { visits: 0, answers: 0 };

  const time = async (work: () => Promise<unknown>) => {
    await work(); // warm
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      await work();
      times.push(performance.now() - start);
    }
    return percentile(times, 50);
  };

  // The same figures as one plain statement: the baseline with no policy, no presenting and one round trip.
  const plain = () =>
    sql`
    with t as (select id, name, region_code from campaign_targets where campaign_id = ${id} and sampled),
    lv as (
      select distinct on (v.target_id) v.id, v.target_id, v.earned, v.applicable, v.vetoed_by
      from inspection_visits v join campaign_rounds r on r.id = v.round_id and r.kind = 'regular'
      join t on t.id = v.target_id where v.campaign_id = ${id} order by v.target_id, r.number desc
    ),
    per_target as (
      select t.id, t.name, lv.id as visit_id, lv.earned, lv.applicable, lv.vetoed_by,
        coalesce(f.failed, 0) as failed,
        case when lv.vetoed_by is not null then 0 else lv.earned / nullif(lv.applicable, 0) end as rate,
        left(t.region_code, 12) as village
      from t left join lv on lv.target_id = t.id
      left join (select a.visit_id, count(*) as failed from lv join inspection_answers a on a.visit_id = lv.id
                 where a.outcome = 'fail' group by a.visit_id) f on f.visit_id = lv.id
    ),
    per_item as (
      select a.item_id, count(*) filter (where a.outcome <> 'na') as applicable,
        count(*) filter (where a.outcome = 'fail') as failed
      from lv join inspection_answers a on a.visit_id = lv.id group by a.item_id
    ),
    per_village as (
      select village, count(*) as targets, count(visit_id) as visited, avg(rate) as rate, count(vetoed_by) as vetoed
      from per_target group by village
    ),
    cs as (
      select distinct a.case_id from inspection_visits v join inspection_answers a on a.visit_id = v.id
      where v.campaign_id = ${id} and a.case_id is not null
    ),
    per_department as (
      select c.lead_department_id, count(*) as cases, count(*) filter (where c.closed_at is null) as open
      from cs join cases c on c.id = cs.case_id group by 1
    )
    select (select json_agg(per_target) from per_target) as targets,
      (select json_agg(per_item) from per_item) as items,
      (select json_agg(per_village) from per_village) as villages,
      (select json_agg(per_department) from per_department) as departments`.execute(db);

  const results = services.inspections.campaignResults;
  const check = await results.getResults(organiser, id);
  const plainMs = await time(plain);
  const viewers = [
    ['organiser (town inspector)', organiser],
    ['named inspector (village scope)', inspector],
    ['village leader', villageLeader],
  ] as const;
  const timings: Record<string, number> = {};
  for (const [label, actor] of viewers) timings[label] = await time(() => results.getResults(actor, id));
  const drillMs = await time(() =>
    results.drill(organiser, id, { figure: 'item', key: String(check.items[2]?.itemId) }),
  );

  console.log(
    `\ncampaign results: ${TARGETS.toLocaleString('en')} targets, ${visits.toLocaleString('en')} visits × ${ITEMS} items (${answers.toLocaleString('en')} answers), loaded in ${loadSeconds.toFixed(1)} s; median of ${RUNS} runs`,
  );
  line(
    'targets scored / vetoed (check)',
    `${check.overall.visited} / ${check.overall.vetoed}, average ${check.overall.averageRate} %`,
  );
  line('one plain SQL statement', ms(plainMs));
  for (const [label] of viewers)
    line(
      `results service, ${label}`,
      `${ms(timings[label] ?? 0)} (×${((timings[label] ?? 0) / plainMs).toFixed(2)} the plain query)`,
    );
  line('drill-down: visits failing one item', ms(drillMs));
  console.log(
    JSON.stringify({
      bench: 'inspections',
      targets: TARGETS,
      visits,
      answers,
      plainMs,
      serviceMs: timings,
      ratio: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, v / plainMs])),
      drillMs,
    }),
  );
  await handle.close();
  if (process.env.BENCH_KEEP_DATABASE === 'true') process.exit(0); // the admin connection stays open
  await database.drop();
}

await main();
