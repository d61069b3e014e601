import { type Kysely, sql } from 'kysely';

/**
 * A visit campaign counts households, houses or organisations (its unit). A visit names its unit by id: the house
 * for households and houses, the organisation for organisations — so the house foreign key gives way to a plain
 * `unit_id` the visit service checks against the registry when the visit is recorded. A campaign can also be
 * closed before its end date (the console's 结束活动): visits made after closing are refused, visits made before
 * and sent late from a phone are still taken.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['household_visits', 'household_visit_households']) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(`${table}_house_id_fkey`)}`.execute(
      db,
    );
    await sql`alter table ${sql.table(table)} rename column house_id to unit_id`.execute(db);
  }
  await sql`
    alter table visit_campaigns
      add constraint visit_campaigns_unit check (unit in ('household', 'house', 'organisation')),
      add column closed_at timestamptz,
      add column closed_by integer references users (id)`.execute(db);
  await sql`create index visit_campaigns_closed_by on visit_campaigns (closed_by)`.execute(db);
}
