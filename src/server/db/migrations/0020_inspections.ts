import { type Kysely, sql } from 'kysely';

/**
 * Inspections against an evaluation index (测评、督查): checklist templates kept as immutable versions, campaigns
 * over targets taken from the registry, visits scored item by item, failed items turned into rectification
 * cases, re-inspections of those cases, and task books of rectifications due on one fixed date.
 *
 * A template version that a visit was scored with never changes: editing it makes the next version, so a
 * campaign's results always read the items its visits answered.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table checklist_templates (
      id integer generated always as identity primary key,
      -- All versions of one template share its code; (code, version) names one version.
      code text not null,
      version integer not null default 1,
      name text not null,
      description text not null default '',
      site_types text[] not null default '{}',
      status text not null default 'draft' check (status in ('draft', 'active', 'retired')),
      -- The office that keeps it: who may edit it. Every inspector may use an active template.
      region_code text not null,
      created_by integer references users (id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      row_version integer not null default 1,
      unique (code, version)
    )`.execute(db);

  await sql`
    create table checklist_items (
      id integer generated always as identity primary key,
      template_id integer not null references checklist_templates (id) on delete cascade,
      position integer not null,
      -- Stable within a template and across its versions ("2.3"): what an XLSX row and a result row are keyed by.
      key text not null,
      section text not null,
      question text not null,
      points double precision not null check (points >= 0),
      rule text not null check (rule in ('passFail', 'graded', 'count')),
      -- For 'count': pass when the measured value compares to the threshold (e.g. 公益广告 >= 5 处).
      comparator text check (comparator in ('>=', '<=')),
      threshold double precision,
      unit text,
      photo text not null default 'onFail' check (photo in ('never', 'onFail', 'always')),
      guidance text not null default '',
      site_types text[] not null default '{}',
      category_id integer references categories (id),
      veto boolean not null default false,
      -- 立行立改: the rectification is due at the end of the working day the failure was found.
      immediate boolean not null default false,
      -- A working-time limit of its own ({ "amount": 3, "unit": "workingDays" }), else the campaign's.
      rectify_limit jsonb,
      unique (template_id, key),
      check (rule <> 'count' or (comparator is not null and threshold is not null))
    )`.execute(db);

  await sql`
    create table inspection_campaigns (
      id integer generated always as identity primary key,
      name text not null,
      template_id integer not null references checklist_templates (id),
      -- The area: any subtree of the territory.
      region_code text not null,
      organiser_id integer references users (id),
      organiser_department_id integer references departments (id),
      covert boolean not null default false,
      -- A covert campaign's targets and schedule are hidden from the inspected until this is set.
      published_at timestamptz,
      status text not null default 'draft' check (status in ('draft', 'running', 'finished')),
      starts_on date not null,
      ends_on date not null,
      recurrence text not null default 'once' check (recurrence in ('once', 'weekly', 'monthly')),
      sample_size integer check (sample_size > 0),
      -- The seed the sample was drawn with: drawing again with it repeats the sample.
      sample_seed text,
      rectify_limit jsonb,
      rectify_by date,
      signature_required boolean not null default false,
      -- 专项检查情况报告 number (BG-2026-0007), taken when the report is first printed and kept.
      report_number text unique,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      row_version integer not null default 1,
      check (ends_on >= starts_on)
    )`.execute(db);
  await sql`create index inspection_campaigns_region on inspection_campaigns (region_code text_pattern_ops)`.execute(
    db,
  );
  await sql`create index inspection_campaigns_template on inspection_campaigns (template_id)`.execute(db);

  await sql`
    create table campaign_inspectors (
      campaign_id integer not null references inspection_campaigns (id) on delete cascade,
      user_id integer not null references users (id),
      primary key (campaign_id, user_id)
    )`.execute(db);
  await sql`create index campaign_inspectors_user on campaign_inspectors (user_id)`.execute(db);

  await sql`
    create table campaign_targets (
      id integer generated always as identity primary key,
      campaign_id integer not null references inspection_campaigns (id) on delete cascade,
      kind text not null check (kind in ('organisation', 'facility', 'address', 'grid', 'manual')),
      -- The registry row (organisation, facility, address) or nothing for a grid or a target added by hand.
      ref_id integer,
      name text not null,
      site_type text not null,
      -- The leaf grid the target lies in: scope and "who is told" follow it.
      region_code text not null,
      address text,
      lon double precision,
      lat double precision,
      -- Chosen by the campaign's sample (all targets are, when it has no sample size).
      sampled boolean not null default true,
      unique (campaign_id, kind, ref_id)
    )`.execute(db);
  await sql`create index campaign_targets_campaign on campaign_targets (campaign_id, region_code)`.execute(
    db,
  );

  await sql`
    create table campaign_rounds (
      id integer generated always as identity primary key,
      campaign_id integer not null references inspection_campaigns (id) on delete cascade,
      number integer not null,
      kind text not null default 'regular' check (kind in ('regular', 'reinspection')),
      -- A re-inspection round (回头看) follows this round.
      source_round_id integer references campaign_rounds (id),
      opens_on date not null,
      due_on date not null,
      unique (campaign_id, number),
      check (due_on >= opens_on)
    )`.execute(db);

  // The targets a re-inspection round visits again: those that failed something in the round it follows,
  // fixed when the round is scheduled.
  await sql`
    create table campaign_round_targets (
      round_id integer not null references campaign_rounds (id) on delete cascade,
      target_id integer not null references campaign_targets (id) on delete cascade,
      primary key (round_id, target_id)
    )`.execute(db);
  await sql`create index campaign_round_targets_target on campaign_round_targets (target_id)`.execute(db);

  // Running numbers of inspection documents per kind and year (检查意见书 JC-2026-000123). A counter row rather
  // than a sequence: numbers restart every year, and a number taken by a transaction that rolls back is given
  // again, so an office's filed notices have no gaps. The row lock serialises concurrent visits of one year.
  await sql`
    create table inspection_number_counters (
      kind text not null,
      year integer not null,
      last integer not null,
      primary key (kind, year)
    )`.execute(db);

  await sql`
    create table inspection_visits (
      id integer generated always as identity primary key,
      campaign_id integer not null references inspection_campaigns (id),
      round_id integer not null references campaign_rounds (id),
      target_id integer not null references campaign_targets (id),
      template_id integer not null references checklist_templates (id),
      inspector_id integer references users (id),
      inspector_name text not null,
      -- A phone replaying its outbox gets the visit its first try made.
      client_key text unique,
      visited_at timestamptz not null,
      lon double precision,
      lat double precision,
      note text not null default '',
      person_in_charge text,
      signature text references evidence (sha256),
      earned double precision not null,
      applicable double precision not null,
      -- The failed veto item that zeroes the score (the raw score stays in earned / applicable).
      vetoed_by integer references checklist_items (id),
      -- 检查意见书 number, e.g. JC-2026-000123.
      notice_number text not null unique,
      created_at timestamptz not null,
      unique (round_id, target_id)
    )`.execute(db);
  await sql`create index inspection_visits_campaign on inspection_visits (campaign_id, target_id)`.execute(
    db,
  );
  await sql`create index inspection_visits_target on inspection_visits (target_id)`.execute(db);

  await sql`
    create table inspection_answers (
      visit_id integer not null references inspection_visits (id) on delete cascade,
      item_id integer not null references checklist_items (id),
      outcome text not null check (outcome in ('pass', 'fail', 'na')),
      -- The graded points or the measured number, as the item's rule asks.
      value double precision,
      earned double precision not null,
      applicable double precision not null,
      note text not null default '',
      evidence text[] not null default '{}',
      -- The rectification case a failure became.
      case_id bigint references cases (id),
      primary key (visit_id, item_id)
    )`.execute(db);
  await sql`create index inspection_answers_item on inspection_answers (item_id, outcome)`.execute(db);
  await sql`create index inspection_answers_case on inspection_answers (case_id) where case_id is not null`.execute(
    db,
  );

  await sql`
    create table reinspections (
      id integer generated always as identity primary key,
      visit_id integer not null references inspection_visits (id),
      item_id integer not null references checklist_items (id),
      case_id bigint not null references cases (id),
      inspector_id integer references users (id),
      inspector_name text not null,
      outcome text not null check (outcome in ('pass', 'fail')),
      note text not null default '',
      evidence text[] not null default '{}',
      at timestamptz not null
    )`.execute(db);
  await sql`create index reinspections_case on reinspections (case_id)`.execute(db);
  await sql`create index reinspections_visit on reinspections (visit_id)`.execute(db);

  await sql`
    create table task_books (
      id integer generated always as identity primary key,
      -- 任务书 number, e.g. RWS-2026-0007.
      number text not null unique,
      title text not null,
      campaign_id integer references inspection_campaigns (id),
      region_code text not null,
      issuer_id integer references users (id),
      issuer_name text not null,
      category_id integer not null references categories (id),
      deadline date not null,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index task_books_region on task_books (region_code text_pattern_ops)`.execute(db);

  await sql`
    create table task_book_tasks (
      id integer generated always as identity primary key,
      task_book_id integer not null references task_books (id) on delete cascade,
      position integer not null,
      description text not null,
      department_id integer not null references departments (id),
      region_code text not null,
      responsible_name text not null,
      -- Each task runs as a case with the book's fixed deadline: red, escalated and closed as any other. Empty
      -- between the book's transaction and its cases' (issuing again completes a book cut short).
      case_id bigint references cases (id),
      unique (task_book_id, position)
    )`.execute(db);
  await sql`create index task_book_tasks_case on task_book_tasks (case_id)`.execute(db);
  await sql`create index task_book_tasks_department on task_book_tasks (department_id)`.execute(db);
}
