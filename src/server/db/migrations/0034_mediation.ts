import { type Kysely, sql } from 'kysely';

/**
 * Dispute mediation (矛盾纠纷调解): a mediation handles a dispute case (or a desk application without one) with its
 * parties, sessions, extensions and outcome — an agreement (调解协议书) or a referral — and the follow-up visit and
 * judicial-confirmation reminder that come after an agreement. Which case categories are disputes is a table of its
 * own, so the cases module's categories stay as they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mediation_dispute_categories (
      category_id integer primary key references categories (id) on delete cascade,
      dispute_type text not null
    )`.execute(db);

  await sql`
    create table mediations (
      id integer generated always as identity primary key,
      -- 编号, e.g. 九调〔2026〕0001号: numbered per year on opening.
      number text not null unique,
      client_key text unique,
      case_id bigint unique references cases (id),
      region_code text not null,
      county_code text not null,
      dispute_type text not null,
      source text not null,
      procedure text not null,
      summary text not null,
      mediator_id integer references users (id),
      state text not null default 'open',
      accepted_at timestamptz not null,
      -- The limit: 30 calendar days from acceptance, moved by each agreed extension.
      due_at timestamptz not null,
      -- Set by the sweep when an open mediation passes its limit (红灯, escalated once).
      escalated_at timestamptz,
      closed_at timestamptz,
      referred_to text,
      referral_department text,
      referral_reason text,
      follow_up_due_on date,
      follow_up_done_at timestamptz,
      follow_up_performed boolean,
      follow_up_note text,
      follow_up_reminded boolean not null default false,
      confirmation_due_on date,
      confirmation_applied boolean,
      confirmation_note text,
      confirmation_reminded boolean not null default false,
      synthetic boolean not null default false,
      created_by integer references users (id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1
    )`.execute(db);
  await sql`create index mediations_region on mediations (region_code text_pattern_ops, closed_at)`.execute(
    db,
  );
  await sql`create index mediations_open_due on mediations (due_at) where state = 'open'`.execute(db);
  await sql`create index mediations_mediator on mediations (mediator_id)`.execute(db);

  await sql`
    create table mediation_parties (
      id integer generated always as identity primary key,
      mediation_id integer not null references mediations (id) on delete cascade,
      position integer not null,
      side text not null,
      name text not null,
      id_number text,
      phone text,
      address text
    )`.execute(db);
  await sql`create index mediation_parties_mediation on mediation_parties (mediation_id)`.execute(db);

  await sql`
    create table mediation_sessions (
      id integer generated always as identity primary key,
      mediation_id integer not null references mediations (id) on delete cascade,
      held_at timestamptz not null,
      place text not null,
      matter text not null,
      result text not null,
      -- 笔录; null under the simplified procedure, which records only matter and result.
      transcript text,
      recorded_by integer references users (id),
      recorded_by_name text not null,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index mediation_sessions_mediation on mediation_sessions (mediation_id)`.execute(db);

  await sql`
    create table mediation_extensions (
      id integer generated always as identity primary key,
      mediation_id integer not null references mediations (id) on delete cascade,
      days integer not null,
      previous_due_at timestamptz not null,
      new_due_at timestamptz not null,
      reason text not null,
      consent text not null,
      recorded_by_name text not null,
      recorded_at timestamptz not null
    )`.execute(db);
  await sql`create index mediation_extensions_mediation on mediation_extensions (mediation_id)`.execute(db);

  await sql`
    create table mediation_agreements (
      mediation_id integer primary key references mediations (id) on delete cascade,
      number text not null unique,
      facts text not null,
      terms text not null,
      performance_method text not null,
      performance_place text not null,
      perform_by date not null,
      signed_on date not null
    )`.execute(db);
}
