import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS, errorMessage } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import { createDatabase, type DatabaseHandle, withLongStatements } from './database.ts';

/*
 * No request may hold the PostgreSQL server for long: a statement running past the timeout is cancelled and the
 * request answered QUERY_TIMEOUT (503) in the user's language. The embedded database cannot do this (PGlite has no
 * timer to cancel a running statement: `statement_timeout` is accepted and ignored), so there the tests stop at
 * what it supports and the bound comes from how the queries are written (registry-stale-statistics.test.ts).
 */
const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('the statement timeout on the PostgreSQL server', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createDatabase({ databaseUrl: url, dataDir: '', poolSize: 2, statementTimeoutMs: 200 });
  });
  afterAll(() => database.close());

  it('cancels a statement that runs too long, with a clear error in the user’s language', async () => {
    const error = await sql`select pg_sleep(2)`.execute(database.db).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('QUERY_TIMEOUT');
    expect(ERRORS.QUERY_TIMEOUT.status).toBe(503);
    expect(errorMessage(appError.code, appError.params, 'zh-CN')).toContain('查询超过 1 秒未完成');
    expect(errorMessage(appError.code, appError.params, 'en-US')).toContain('did not finish within 1 s');
    // The connection goes on serving requests.
    expect((await sql<{ one: number }>`select 1 as one`.execute(database.db)).rows[0]?.one).toBe(1);
  });

  it('lets a job run longer inside its own transaction, and only there', async () => {
    await withLongStatements(database.db, (trx) => sql`select pg_sleep(0.4)`.execute(trx));
    const { rows } = await sql<{
      timeout: string;
    }>`select current_setting('statement_timeout') as timeout`.execute(database.db);
    expect(rows[0]?.timeout).toBe('200ms');
  });
});
