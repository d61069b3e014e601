import { type Kysely, sql } from 'kysely';

/**
 * Grid layers beside the territory, and the party layer's people (党建网格, 设岗定责).
 *
 * The comprehensive grids (综合网格) stay the region tree's grid rows: scopes, case placement, the registry,
 * patrols and the evaluation all key on them. Every other kind of grid (party, special) is a tree of its own in
 * `layer_grids`, over the same villages: each row names the lowest region holding it whole (its village, or the
 * town for a grid spanning villages), which is what data scopes match, and its parent in its own tree.
 *
 * Party members belong to a branch (党支部) and a party grid, may hold a post (岗位) and may have an account
 * (role partyMember); `party_case_reports` keeps, for each case a member reported, who and in which post.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table layer_grids (
      -- A letter for the kind, then digits: P440605121015001 (party), S… (special); never a region code.
      code text primary key,
      kind text not null check (kind in ('party', 'special')),
      name text not null,
      grid_level smallint not null check (grid_level between 1 and 3),
      parent_code text references layer_grids (code),
      region_code text not null references regions (code),
      boundary jsonb,
      -- Made up for the demo from the comprehensive grids: shown as 演示数据.
      synthetic boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index layer_grids_kind_region on layer_grids (kind, region_code text_pattern_ops)`.execute(
    db,
  );
  await sql`create index layer_grids_parent on layer_grids (parent_code)`.execute(db);

  await sql`
    create table layer_grid_people (
      grid_code text not null references layer_grids (code) on delete cascade,
      user_id integer not null references users (id),
      duty text not null check (duty in ('gridWorker', 'gridLeader', 'partySecretary')),
      primary key (grid_code, user_id, duty)
    )`.execute(db);
  await sql`create index layer_grid_people_user on layer_grid_people (user_id)`.execute(db);

  await sql`
    create table party_branches (
      id integer generated always as identity primary key,
      code text not null unique,
      name text not null,
      region_code text not null references regions (code),
      party_grid_code text references layer_grids (code),
      synthetic boolean not null default false
    )`.execute(db);
  await sql`create index party_branches_region on party_branches (region_code text_pattern_ops)`.execute(db);
  await sql`create index party_branches_grid on party_branches (party_grid_code)`.execute(db);

  await sql`
    create table party_posts (
      id integer generated always as identity primary key,
      code text not null unique,
      name text not null,
      kind text not null,
      duties text not null default '',
      branch_id integer not null references party_branches (id),
      party_grid_code text references layer_grids (code),
      region_code text not null references regions (code),
      synthetic boolean not null default false
    )`.execute(db);
  await sql`create index party_posts_branch on party_posts (branch_id)`.execute(db);
  await sql`create index party_posts_grid on party_posts (party_grid_code)`.execute(db);
  await sql`create index party_posts_region on party_posts (region_code text_pattern_ops)`.execute(db);

  await sql`
    create table party_members (
      id integer generated always as identity primary key,
      id_number text not null unique,
      name text not null,
      phone text,
      branch_id integer not null references party_branches (id),
      party_grid_code text references layer_grids (code),
      post_id integer references party_posts (id),
      -- The member's account, when they report through the field view.
      user_id integer unique references users (id),
      -- The registry's resident with the same ID number, when the member lives in the town. Not a foreign key:
      -- the registry may be emptied and reloaded (a demo load cut short) without touching the party's members.
      resident_id integer,
      -- The village (or town) the member belongs to: the scope key.
      region_code text not null references regions (code),
      joined_on date,
      synthetic boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index party_members_branch on party_members (branch_id)`.execute(db);
  await sql`create index party_members_post on party_members (post_id)`.execute(db);
  await sql`create index party_members_grid on party_members (party_grid_code)`.execute(db);
  await sql`create index party_members_resident on party_members (resident_id)`.execute(db);
  await sql`create index party_members_region on party_members (region_code text_pattern_ops)`.execute(db);

  await sql`
    create table party_case_reports (
      case_id bigint primary key references cases (id) on delete cascade,
      member_id integer not null references party_members (id),
      post_id integer references party_posts (id),
      region_code text not null,
      reported_at timestamptz not null
    )`.execute(db);
  await sql`create index party_case_reports_member on party_case_reports (member_id)`.execute(db);
  await sql`create index party_case_reports_post on party_case_reports (post_id)`.execute(db);
  await sql`create index party_case_reports_region on party_case_reports (region_code text_pattern_ops)`.execute(
    db,
  );
}
