import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { escalateOverdue } from '../modules/cases/case-deadline.repository.ts';
import { countCoverage } from '../modules/forms/household-visit.repository.ts';
import { unscoped } from '../modules/people/scope.ts';
import { createDatabase, type DatabaseHandle, type Db } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { migrations } from './migrations/index.ts';

/** Brings a database to the state of a release that had only the migrations `keep` accepts. */
async function migrateOnly(db: Db, keep: (name: string) => boolean): Promise<void> {
  const { error } = await new Migrator({
    db,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(Object.entries(migrations).filter(([name]) => keep(name))),
    },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  }).migrateToLatest();
  expect(error).toBeUndefined();
}

/** A county, a town's user and a published form: what campaigns and checkpoints of an old release refer to. */
async function seedFormOwner(db: Db): Promise<{ userId: number; formId: number }> {
  await sql`insert into regions (code, name, level) values ('440605', '南海区', 'county')`.execute(db);
  const user = await sql<{ id: number }>`
    insert into users (username, display_name, role, region_code)
    values ('old-admin', '旧版管理员', 'administrator', '440605') returning id`.execute(db);
  const form = await sql<{ id: number }>`
    insert into forms (code, title, region_code, county_code, created_at, updated_at)
    values ('old-form', '{"zh":"旧表单"}', '440605', '440605', now(), now()) returning id`.execute(db);
  return { userId: user.rows[0]?.id ?? 0, formId: form.rows[0]?.id ?? 0 };
}

/** A county and a category: what a case of an old release refers to. Returns the category's id. */
async function seedCaseCategory(db: Db): Promise<number> {
  await sql`insert into regions (code, name, level) values ('440605', '南海区', 'county')`.execute(db);
  const category = await sql<{ id: number }>`
    insert into categories (kind, code, name) values ('matter', '0601', '暴露垃圾') returning id`.execute(db);
  return category.rows[0]?.id ?? 0;
}

describe('migrations', () => {
  let database: DatabaseHandle | null = null;
  afterEach(async () => {
    await database?.close();
    database = null;
  });

  it('brings up a database migrated while 0008 existed and 0007 did not', async () => {
    database = await createDatabase({ dataDir: 'memory://' });
    // The state of a database migrated at the commit that added 0008_due_soon, before 0007_registry landed.
    await migrateOnly(database.db, (name) => name < '0009' && name !== '0007_registry');

    const outcome = await migrateToLatest(database.db);
    expect(outcome.applied[0]).toBe('0007_registry');
    const applied = await database.db
      .selectFrom('schema_migrations' as never)
      .select('name' as never)
      .execute();
    expect(applied).toHaveLength(Object.keys(migrations).length);
  });

  it('gives Open311 keys issued without a region the root region, so they keep answering', async () => {
    database = await createDatabase({ dataDir: 'memory://' });
    await migrateOnly(database.db, (name) => name < '0019');
    await sql`insert into regions (code, name, level) values ('44', '广东省', 'province')`.execute(
      database.db,
    );
    await sql`
      insert into open311_keys (name, prefix, key_hash, region_code, rate_limit_per_minute, created_at)
      values ('命令行发放', 'abcd1234', 'hash', '', 60, now())`.execute(database.db);
    await migrateToLatest(database.db);
    const keys = await database.db.selectFrom('open311_keys').select('region_code').execute();
    expect(keys).toEqual([{ region_code: '44' }]);
  });

  it('keeps a campaign and its visit made before campaign units: households, visited as before (0040)', async () => {
    database = await createDatabase({ dataDir: 'memory://' });
    const db = database.db;
    await migrateOnly(db, (name) => name < '0040');
    const { userId, formId } = await seedFormOwner(db);
    const grid = '440605121015001';
    // The campaign, house, resident and visit as the release before 0040 wrote them: no unit column, house_id.
    const ids = await sql<{ campaign: number; house: number; visit: number }>`
      with version as (
        insert into form_versions (form_id, version, title, definition, published_at, created_at)
        values (${formId}, 1, '{"zh":"旧表单"}', '{"questions":[]}', now(), now()) returning id),
      campaign as (
        insert into visit_campaigns (name, form_id, form_version_id, form_version, region_codes, scope_code,
                                     starts_on, ends_on, created_by, created_at)
        select '三询问一完善（旧版）', ${formId}, version.id, 1, array['440605121015'], '440605',
               '2026-11-01', '2026-11-30', ${userId}, now()
        from version returning id),
      address as (
        insert into registry_addresses (county_code, village_code, region_code, road, number, canonical_text,
                                        search_text, search_grams, created_at, updated_at)
        values ('440605', '440605121015', ${grid}, '沙口路', '3', '沙口路3号', '沙口路3号', '{}', now(), now())
        returning id),
      house as (
        insert into registry_houses (county_code, region_code, address_id, use, created_at, updated_at)
        select '440605', ${grid}, address.id, 'selfOccupied', now(), now() from address returning id),
      resident as (
        insert into registry_residents (county_code, region_code, id_number, name, sex, birth_date, kind,
                                        house_id, household_no, relation, created_at, updated_at)
        select '440605', ${grid}, '440605198001010011', '陈旧户', 'male', '1980-01-01', 'registered', house.id,
               'H1', 'head', now(), now()
        from house returning house_id),
      visit as (
        insert into household_visits (client_key, campaign_id, house_id, household_no, region_code, county_code,
                                      user_id, visited_at, day, answers, created_at)
        select 'old-visit-1', campaign.id, house.id, 'H1', ${grid}, '440605', ${userId},
               '2026-11-10T02:00:00Z', '2026-11-10', '{"lives_here":"yes"}', now()
        from campaign, house returning id, campaign_id, house_id),
      visited as (
        insert into household_visit_households (campaign_id, house_id, household_no, first_visited_at, first_day,
                                                last_visited_at)
        select campaign_id, house_id, 'H1', '2026-11-10T02:00:00Z', '2026-11-10', '2026-11-10T02:00:00Z'
        from visit returning campaign_id)
      select visit.campaign_id as campaign, visit.house_id as house, visit.id as visit
      from visit, visited, resident`.execute(db);
    const old = ids.rows[0];
    if (!old) throw new Error('the old rows were not written');

    await migrateToLatest(db);
    const campaign = await db
      .selectFrom('visit_campaigns')
      .selectAll()
      .where('id', '=', old.campaign)
      .executeTakeFirstOrThrow();
    expect(campaign).toMatchObject({ unit: 'household', closed_at: null, name: '三询问一完善（旧版）' });
    const visit = await db
      .selectFrom('household_visits')
      .selectAll()
      .where('id', '=', old.visit)
      .executeTakeFirstOrThrow();
    expect(visit).toMatchObject({
      client_key: 'old-visit-1',
      unit_id: old.house,
      household_no: 'H1',
      answers: { lives_here: 'yes' },
    });
    // Coverage reads them as it did: the grid's one household, visited, with its one resident.
    const coverage = await countCoverage(db, { campaign, scope: unscoped('migration test') }, null);
    expect(coverage).toEqual([{ code: grid, households: 1, visited: 1, residents: 1, covered: 1 }]);
  });

  it('gives checkpoint entries logged before 0044 the form version they were checked against', async () => {
    database = await createDatabase({ dataDir: 'memory://' });
    const db = database.db;
    await migrateOnly(db, (name) => name < '0044');
    const { userId, formId } = await seedFormOwner(db);
    // Version 1 published on the 1st, version 2 on the 10th; entries on the 5th and the 12th.
    const versions = await sql<{ id: number }>`
      insert into form_versions (form_id, version, title, definition, published_at, created_at)
      values (${formId}, 1, '{"zh":"卡点检查"}', '{"questions":[]}', '2026-11-01T00:00:00Z', now()),
             (${formId}, 2, '{"zh":"卡点检查"}', '{"questions":[]}', '2026-11-10T00:00:00Z', now())
      returning id`.execute(db);
    const checkpoints = await sql<{ id: number }>`
      insert into checkpoints (name, kind, lon, lat, grid_code, county_code, form_id, created_at, updated_at)
      values ('有表单卡点', 'road', 113, 22.8, '440605121015001', '440605', ${formId}, now(), now()),
             ('无表单卡点', 'road', 113, 22.8, '440605121015001', '440605', null, now(), now())
      returning id`.execute(db);
    const [withForm, withoutForm] = checkpoints.rows.map((r) => r.id);
    const entry = (key: string, checkpoint: number | undefined, at: string) =>
      sql`(${key}, ${checkpoint}, '440605121015001', ${at}::timestamptz, ${at.slice(0, 10)}::date, 'in',
           'person', 'passed', ${userId}, ${at}::timestamptz)`;
    await sql`
      insert into checkpoint_entries (client_key, checkpoint_id, grid_code, at, day, direction, subject, outcome,
                                      recorded_by, created_at)
      values ${sql.join([
        entry('before-v2', withForm, '2026-11-05T02:00:00Z'),
        entry('after-v2', withForm, '2026-11-12T02:00:00Z'),
        entry('no-form', withoutForm, '2026-11-12T02:00:00Z'),
      ])}`.execute(db);

    await migrateToLatest(db);
    const rows = await db
      .selectFrom('checkpoint_entries')
      .select(['client_key', 'form_version_id'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { client_key: 'before-v2', form_version_id: versions.rows[0]?.id },
      { client_key: 'after-v2', form_version_id: versions.rows[1]?.id },
      { client_key: 'no-form', form_version_id: null },
    ]);
  });

  it('keeps the ticket codes residents were given before 0048, and codes the cases reported after', async () => {
    database = await createDatabase({ dataDir: 'memory://' });
    const db = database.db;
    await migrateOnly(db, (name) => name < '0048');
    const categoryId = await seedCaseCategory(db);
    const insertCase = (description: string) => sql<{ id: number }>`
      insert into cases (county_code, source, category_id, region_code, description, state, created_at, updated_at)
      values ('440605', 'resident', ${categoryId}, '440605', ${description}, 'reported', now(), now())
      returning id`;
    const old = (await insertCase('升级前的上报').execute(db)).rows[0]?.id;
    const given = await sql<{ ticket_code: string }>`select ticket_code from cases where id = ${old}`.execute(
      db,
    );
    const code = given.rows[0]?.ticket_code;
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);

    await migrateToLatest(db);
    const kept = await db
      .selectFrom('case_tickets')
      .select('case_id')
      .where('ticket_code', '=', code ?? '')
      .execute();
    expect(kept).toEqual([{ case_id: old }]);
    const after = (await insertCase('升级后的上报').execute(db)).rows[0]?.id;
    const coded = await db
      .selectFrom('case_tickets')
      .select('ticket_code')
      .where('case_id', '=', after ?? 0)
      .execute();
    expect(coded).toHaveLength(1);
    expect(coded[0]?.ticket_code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(coded[0]?.ticket_code).not.toBe(code);
  });

  it('gives the running steps of before 0049 their timers, and the sweep flags a case without a new index entry', async () => {
    database = await createDatabase({ dataDir: 'memory://' });
    const db = database.db;
    await migrateOnly(db, (name) => name < '0049');
    const categoryId = await seedCaseCategory(db);
    const past = new Date('2026-11-20T08:00:00Z');
    const soon = new Date('2026-11-30T08:00:00Z');
    const insertCase = (columns: {
      overdue?: boolean;
      warned?: boolean;
      closed?: boolean;
      suspended?: boolean;
    }) =>
      sql<{ id: number }>`
        insert into cases (county_code, source, category_id, region_code, description, state, step, step_started_at,
          step_due_at, step_warn_at, overdue, warned, closed_at, suspended_at, created_at, updated_at)
        values ('440605', 'gridWorker', ${categoryId}, '440605', '升级前的案件', 'accepted', 'handle',
          ${past}, ${soon}, ${past}, ${columns.overdue ?? false}, ${columns.warned ?? false},
          ${columns.closed ? past : null}, ${columns.suspended ? past : null}, ${past}, ${past})
        returning id`
        .execute(db)
        .then((r) => r.rows[0]?.id ?? 0);
    const running = await insertCase({});
    const warned = await insertCase({ warned: true });
    await insertCase({ overdue: true });
    await insertCase({ closed: true });
    await insertCase({ suspended: true });

    await migrateToLatest(db);
    const timers = await db.selectFrom('case_timers').selectAll().orderBy('case_id').execute();
    expect(timers).toEqual([
      { case_id: running, due_at: soon, warn_at: past },
      { case_id: warned, due_at: soon, warn_at: null },
    ]);

    // No index names the flags the sweep sets, so flagging a case is a heap-only update: none of the case's
    // indexes gets an entry, which at a district's million cases is most of the sweep's time.
    const naming = await sql<{ indexname: string }>`
      select indexname from pg_indexes
      where tablename = 'cases' and (indexdef like '%overdue%' or indexdef like '%warned%')`.execute(db);
    expect(naming.rows).toEqual([]);
    const after = new Date(soon.getTime() + 60_000);
    const { swept, counts } = await db.transaction().execute(async (trx) => {
      const swept = await escalateOverdue(trx, after);
      const { rows } = await sql<{ n_tup_upd: number; n_tup_hot_upd: number }>`
        select n_tup_upd, n_tup_hot_upd from pg_stat_xact_user_tables where relname = 'cases'`.execute(trx);
      return { swept, counts: rows[0] };
    });
    expect(swept).toEqual([running, warned]);
    expect(counts).toEqual({ n_tup_upd: 2, n_tup_hot_upd: 2 });
    // Flagged overdue, a case has no timer; unflagged (its deadline moved, say), it has one again.
    expect(await db.selectFrom('case_timers').select('case_id').execute()).toEqual([]);
    await sql`update cases set overdue = false where id = ${running}`.execute(db);
    expect(await db.selectFrom('case_timers').select(['case_id', 'warn_at']).execute()).toEqual([
      { case_id: running, warn_at: past },
    ]);
  });

  it('lists the migrations in the order of their numbers', () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
  });
});
