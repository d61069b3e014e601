import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { fixedClock } from '../clock.ts';
import { type Config, loadConfig } from '../config.ts';
import { createDatabase, type DatabaseHandle } from '../db/database.ts';
import { createServices, type Services } from '../deps.ts';

export interface TestContext {
  database: DatabaseHandle;
  services: Services;
  clock: ReturnType<typeof fixedClock>;
  config: Config;
  /** On the PostgreSQL server, the test database's URL: a second connection pool acts as another process. */
  databaseUrl: string | null;
  close(): Promise<void>;
}

/** A test configuration: quick lockouts and the demo flag off, independent of the developer's environment. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({}),
    dataDir: mkdtempSync(join(tmpdir(), 'gridgov-test-data-')),
    loadDemo: false,
    maxFailedLogins: 3,
    lockMinutes: 15,
    ...overrides,
  };
}

/**
 * A fresh migrated database for one test file: a copy of the migrated PGlite dump, or a new database cloned
 * from the migrated template on the PostgreSQL server when TEST_DATABASE_URL is set.
 */
export async function createTestContext(
  options: { config?: Partial<Config>; now?: Date } = {},
): Promise<TestContext> {
  const config = testConfig(options.config);
  const clock = fixedClock(options.now ?? new Date('2026-11-23T02:00:00Z'));
  const url = process.env.TEST_DATABASE_URL;
  let database: DatabaseHandle;
  let databaseUrl: string | null = null;
  if (url) {
    // Named after the run's template, whose teardown drops them all (see global-setup.ts).
    const name = `${inject('postgresTemplate')}_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
    // A test never outlives the server it runs on, so a commit need not wait for the disk (about 5 ms each).
    await admin.query(`alter database ${name} set synchronous_commit = off`);
    await admin.end();
    const fileUrl = new URL(url);
    fileUrl.pathname = `/${name}`;
    databaseUrl = fileUrl.toString();
    database = await createDatabase({ databaseUrl, dataDir: '', poolSize: 5 });
  } else {
    const dump = new Blob([readFileSync(inject('pgliteDumpPath'))]);
    database = await createDatabase({ dataDir: 'memory://', loadDataDir: dump });
  }
  const services = createServices({ db: database.db, backend: database.backend, clock, config });
  await services.calendar.ensureSeeded();
  return {
    database,
    services,
    clock,
    config,
    databaseUrl,
    async close() {
      await database.close();
    },
  };
}
