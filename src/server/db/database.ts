import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient, sql } from 'kysely';
import pg from 'pg';
import { AppError } from '../errors.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import { pglitePool } from './pglite-pool.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type Backend = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  backend: Backend;
  /** Set for the embedded backend when a crashed process's lock was cleared at open. */
  recoveredStaleLock: boolean;
  /** The embedded instance, for what only it can do: a data-dir dump for backups (src/server/db/backup.ts). */
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface CreateDatabaseOptions {
  /** A postgres:// URL selects the PostgreSQL server; otherwise PGlite opens `dataDir`. */
  databaseUrl?: string | undefined;
  /** Embedded data directory; `memory://` keeps the database in memory (tests). */
  dataDir: string;
  /** A PGlite data dump (tar) to start from, used by tests to skip repeating the migrations. */
  loadDataDir?: Blob;
  /** Seconds to wait for the embedded database to open before giving up with an error. */
  openTimeoutSeconds?: number;
  poolSize?: number;
  /**
   * The longest a statement may run on the PostgreSQL server before it is cancelled (and the request answered
   * QUERY_TIMEOUT), in milliseconds; 0 for no limit. Work that needs longer (an import's batch, the demo load)
   * raises it for its own transaction with `withLongStatements`. The embedded database cannot cancel a running
   * statement (PGlite has no timer: `statement_timeout` is accepted and ignored), so there the bound on work
   * comes from how queries are written (index-driven, limited).
   */
  statementTimeoutMs?: number;
}

/** The default statement timeout on the PostgreSQL server: no request may hold the database longer. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;
/** What `withLongStatements` allows a job's statement: long, but never forever. */
const LONG_STATEMENT_TIMEOUT_MS = 30 * 60_000;
/** PostgreSQL's code for a statement cancelled by statement_timeout (or by an administrator). */
const QUERY_CANCELED = '57014';

const INT8_OID = 20;
const DATE_OID = 1082;
// Counts and ids are int8; they stay far below 2^53, and numbers are what the rest of the code expects.
pg.types.setTypeParser(INT8_OID, (value) => Number(value));
// A `date` is a civil date (a holiday, a duty day), not an instant: keep 'YYYY-MM-DD' rather than a Date
// at the server's local midnight.
pg.types.setTypeParser(DATE_OID, (value) => value);

export async function createDatabase(options: CreateDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 20,
      // Sent when each connection starts, so every statement of every request is bounded without a round trip.
      ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
    });
    // An idle connection the server drops (restart, administrator command, network cut) is reported on the pool;
    // unheard, that event would bring the process down. The pool discards the client and opens a new one on
    // the next query, so logging it is enough.
    pool.on('error', (error) => {
      console.error(`PostgreSQL dropped an idle connection: ${error.message}`);
    });
    // Fail at start with the server's own message (wrong host, no such database) rather than at first use.
    const probe = await pool.connect().catch(async (error: Error) => {
      await pool.end();
      throw new Error(`Cannot connect to ${redactUrl(options.databaseUrl ?? '')}: ${error.message}`);
    });
    probe.release();
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: cancelledAsTimeout(pool, statementTimeoutMs) }),
    });
    return { db, backend: 'postgres', recoveredStaleLock: false, close: () => db.destroy() };
  }

  const inMemory = options.dataDir.startsWith('memory://');
  const lock: DataDirLock | null = inMemory ? null : acquireDataDirLock(options.dataDir);
  try {
    const pglite = await withTimeout(
      PGlite.create({
        dataDir: options.dataDir,
        loadDataDir: options.loadDataDir,
        parsers: { [INT8_OID]: (value: string) => Number(value), [DATE_OID]: (value: string) => value },
      }),
      (options.openTimeoutSeconds ?? 60) * 1000,
      `The embedded database in ${options.dataDir} did not open within ${options.openTimeoutSeconds ?? 60} s. ` +
        'If the directory came from another PGlite version, restore a backup or start with an empty GRIDGOV_DATA_DIR.',
    );
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }) });
    return {
      db,
      backend: 'pglite',
      pglite,
      recoveredStaleLock: lock?.recovered ?? false,
      async close() {
        await db.destroy();
        await pglite.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/**
 * Runs `work` in one transaction whose statements may run for up to half an hour: for jobs (an import's batch,
 * the demo load, statistics) that the request timeout would otherwise cut short. `SET LOCAL` ends with the
 * transaction, so the connection goes back to the pool with the request timeout.
 */
export async function withLongStatements<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('statement_timeout', ${String(LONG_STATEMENT_TIMEOUT_MS)}, true)`.execute(
      trx,
    );
    return work(trx);
  });
}

/**
 * The server pool, with a statement cancelled by the timeout turned into QUERY_TIMEOUT: a clear 503 in the
 * user's language rather than an internal error.
 */
function cancelledAsTimeout(pool: pg.Pool, timeoutMs: number): PostgresPool {
  const translate = (error: unknown): never => {
    if ((error as { code?: unknown } | null)?.code === QUERY_CANCELED) {
      throw new AppError('QUERY_TIMEOUT', { seconds: Math.max(1, Math.round(timeoutMs / 1000)) });
    }
    throw error;
  };
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      return {
        // biome-ignore lint/suspicious/noExplicitAny: passes through both of pg's query forms (text, cursor).
        query: ((...args: any[]) => {
          // biome-ignore lint/suspicious/noExplicitAny: as above.
          const result = (client.query as (...a: any[]) => any)(...args);
          return typeof result?.then === 'function' ? result.then(undefined, translate) : result;
        }) as PostgresPoolClient['query'],
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
