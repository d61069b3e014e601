import { type Kysely, sql } from 'kysely';

/**
 * Evaluation (考核): what each case counts for, derived from its timeline, and the counts per day and per month
 * kept current from it, so that a ranking reads a few thousand rows instead of a month of cases.
 *
 * - `case_facts`: one row per case, recomputed from the case and its timeline whenever a timeline entry is
 *   written (a trigger queues the case in `case_fact_queue`; the `case-facts` job drains the queue).
 *   `overdue` is the set of instants at which the case's handling was pending past its deadline (suspended
 *   time left out), so "pending past its deadline at the end of a period" is one GiST lookup.
 * - `evaluation_counts`: the counters of `case_facts` summed per bucket (a civil day or month in Asia/Shanghai),
 *   region, lead department (0: none) and source. Kept by adding each case's new contribution and subtracting
 *   its old one in the job's transaction; `gridgov evaluation rebuild` recomputes them and reports differences.
 * - `indicator_schemes`: the composite score's components and weights, versioned; bulletins and rankings name
 *   the version they used.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table case_facts (
      case_id bigint primary key references cases(id) on delete cascade,
      region_code text not null,
      department_id int,
      source text not null,
      reporter_id int,
      reported_at timestamptz not null,
      registered_at timestamptz,
      registered_on_time boolean not null default false,
      dispatched_at timestamptz,
      returned boolean not null default false,
      handled_at timestamptz,
      handled_on_time boolean not null default false,
      handling_minutes int,
      reworked_at timestamptz,
      extended_at timestamptz,
      closed_at timestamptz,
      closed_on_time boolean not null default false,
      score smallint,
      overdue tstzmultirange not null default '{}'
    )`.execute(db);
  for (const column of ['reported_at', 'registered_at', 'dispatched_at', 'handled_at', 'closed_at']) {
    await sql`create index ${sql.id(`case_facts_${column}`)} on case_facts (${sql.id(column)})`.execute(db);
  }
  await sql`create index case_facts_overdue on case_facts using gist (overdue) where not isempty(overdue)`.execute(
    db,
  );
  await sql`
    create table evaluation_counts (
      granularity text not null check (granularity in ('day', 'month')),
      bucket date not null,
      region_code text not null,
      department_id int not null,
      source text not null,
      reported int not null default 0,
      registered int not null default 0,
      registered_on_time int not null default 0,
      dispatched int not null default 0,
      dispatch_returned int not null default 0,
      handled int not null default 0,
      handled_on_time int not null default 0,
      handled_reworked int not null default 0,
      handled_extended int not null default 0,
      handling_minutes bigint not null default 0,
      closed int not null default 0,
      closed_on_time int not null default 0,
      rated int not null default 0,
      satisfied int not null default 0,
      score_sum int not null default 0,
      primary key (granularity, bucket, region_code, department_id, source)
    )`.execute(db);
  await sql`create table case_fact_queue (case_id bigint primary key)`.execute(db);
  // Every timeline entry queues its case, whatever path wrote it (intake, an action, an import, a
  // re-inspection): once per statement, so a bulk insert queues its cases in one go. The sweep's escalations
  // (督办) change no count and are left out, so the minute's sweep stays as cheap as it was.
  await sql`
    create function queue_case_facts() returns trigger language plpgsql as $$
    begin
      insert into case_fact_queue (case_id)
      select distinct case_id from inserted where action <> 'escalate'
      on conflict do nothing;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger case_events_queue_facts after insert on case_events
    referencing new table as inserted
    for each statement execute function queue_case_facts()`.execute(db);
  // Cases already in the database are queued once, so an existing town gets its figures on upgrade.
  await sql`insert into case_fact_queue (case_id) select id from cases`.execute(db);
  await sql`
    create table indicator_schemes (
      version serial primary key,
      components jsonb not null,
      note text,
      created_by_name text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  // Version 1: the default composite (STANDARDS.md), so every ranking names a version from the start.
  await sql`
    insert into indicator_schemes (components, note, created_by_name) values (${JSON.stringify([
      { indicator: 'handlingRate', weight: 30, direction: 'rate' },
      { indicator: 'onTimeHandlingRate', weight: 20, direction: 'rate' },
      { indicator: 'reworkRate', weight: 20, direction: 'oneMinus' },
      { indicator: 'overduePendingRate', weight: 20, direction: 'oneMinus' },
      { indicator: 'extensionRate', weight: 10, direction: 'oneMinus' },
    ])}::jsonb, '默认权重 default weights', 'system')`.execute(db);
}
