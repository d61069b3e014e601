import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { migrations } from './migrations/index.ts';

describe('migrations', () => {
  let database: DatabaseHandle | null = null;
  afterEach(async () => {
    await database?.close();
    database = null;
  });

  it('brings up a database migrated while 0008 existed and 0007 did not', async () => {
    database = await createDatabase({ dataDir: 'memory://' });
    // The state of a database migrated at the commit that added 0008_due_soon, before 0007_registry landed.
    const early = Object.fromEntries(
      Object.entries(migrations).filter(([name]) => name < '0009' && name !== '0007_registry'),
    );
    const { error } = await new Migrator({
      db: database.db,
      provider: { getMigrations: async () => early },
      migrationTableName: 'schema_migrations',
      migrationLockTableName: 'schema_migrations_lock',
    }).migrateToLatest();
    expect(error).toBeUndefined();

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
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0019'));
    const { error } = await new Migrator({
      db: database.db,
      provider: { getMigrations: async () => before },
      migrationTableName: 'schema_migrations',
      migrationLockTableName: 'schema_migrations_lock',
    }).migrateToLatest();
    expect(error).toBeUndefined();
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

  it('lists the migrations in the order of their numbers', () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
  });
});
