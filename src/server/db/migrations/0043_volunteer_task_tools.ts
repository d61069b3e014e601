import { type Kysely, sql } from 'kysely';

/**
 * The tool a volunteer request hands its volunteers (issue 18 item 4): a door-to-door request may name the visit
 * campaign they visit for, a checkpoint shift the checkpoint they log at. Both are optional — a clean-up needs
 * neither, and a community may ask for people before the campaign exists. A volunteer signed in to the request
 * acts with that tool in the request's community only (volunteer.policy.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table volunteer_requests add column visit_campaign_id integer references visit_campaigns (id)`.execute(
    db,
  );
  await sql`alter table volunteer_requests add column checkpoint_id integer references checkpoints (id)`.execute(
    db,
  );
  // A volunteer's open sign-in is looked up on each of their requests: by their assignments, then the day.
  await sql`create index volunteer_assignments_open on volunteer_assignments (volunteer_id) where signed_out_at is null`.execute(
    db,
  );
}
