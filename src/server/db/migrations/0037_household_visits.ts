import { type Kysely, sql } from 'kysely';

/**
 * Household-visit campaigns (入户走访, e.g. 三询问一完善): one form asked of every household of an area in a
 * period. Coverage is read grid by grid over the registry's households, so each campaign keeps one row per
 * household visited (`household_visit_households`) beside the visits themselves: counting visited households
 * is then a join on a key instead of a distinct over every visit.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table visit_campaigns (
      id integer generated always as identity primary key,
      name text not null,
      form_id integer not null references forms (id),
      -- The published version asked (its row pins the exact questions) and its number, for display.
      form_version_id integer not null references form_versions (id),
      form_version integer not null,
      unit text not null default 'household',
      -- The area: region codes (villages or a town), each with its subtree.
      region_codes text[] not null,
      -- Who may read the campaign: the creator's data scope (a prefix of region codes).
      scope_code text not null,
      starts_on date not null,
      ends_on date not null,
      created_by integer references users (id),
      synthetic boolean not null default false,
      created_at timestamptz not null
    )`.execute(db);

  await sql`create index visit_campaigns_form_version on visit_campaigns (form_version_id)`.execute(db);
  await sql`create index visit_campaigns_form on visit_campaigns (form_id)`.execute(db);

  await sql`
    create table household_visits (
      id integer generated always as identity primary key,
      -- Chosen by the phone once: a replay answers with the visit already recorded.
      client_key text not null unique,
      campaign_id integer not null references visit_campaigns (id),
      house_id integer not null references registry_houses (id),
      -- '' for the household of a house whose residents carry no household number.
      household_no text not null,
      -- The household's leaf grid when visited, and the county of the scale path.
      region_code text not null,
      county_code text not null,
      user_id integer not null references users (id),
      visited_at timestamptz not null,
      -- The Asia/Shanghai civil day of the visit: coverage by day.
      day date not null,
      answers jsonb not null,
      -- What the visit changed in the registry through its service, field by field, or why it could not.
      registry_changes jsonb not null default '[]',
      synthetic boolean not null default false,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index household_visits_household on household_visits (campaign_id, house_id, household_no)`.execute(
    db,
  );
  await sql`create index household_visits_region on household_visits (campaign_id, region_code text_pattern_ops)`.execute(
    db,
  );
  await sql`create index household_visits_user on household_visits (user_id)`.execute(db);
  await sql`create index household_visits_house on household_visits (house_id)`.execute(db);

  await sql`
    create table household_visit_households (
      campaign_id integer not null references visit_campaigns (id),
      house_id integer not null references registry_houses (id),
      household_no text not null,
      first_visited_at timestamptz not null,
      first_day date not null,
      last_visited_at timestamptz not null,
      visits integer not null default 1,
      primary key (campaign_id, house_id, household_no)
    )`.execute(db);
  await sql`create index household_visit_households_day on household_visit_households (campaign_id, first_day)`.execute(
    db,
  );
  await sql`create index household_visit_households_house on household_visit_households (house_id)`.execute(
    db,
  );

  await sql`
    create table household_visit_cases (
      visit_id integer not null references household_visits (id),
      question text not null,
      choice text not null,
      case_id integer not null references cases (id),
      primary key (visit_id, question, choice)
    )`.execute(db);
  await sql`create index household_visit_cases_case on household_visit_cases (case_id)`.execute(db);
}
