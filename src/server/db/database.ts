import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
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
}

const INT8_OID = 20;
const DATE_OID = 1082;
// Counts and ids are int8; they stay far below 2^53, and numbers are what the rest of the code expects.
pg.types.setTypeParser(INT8_OID, (value) => Number(value));
// A `date` is a civil date (a holiday, a duty day), not an instant: keep 'YYYY-MM-DD' rather than a Date
// at the server's local midnight.
pg.types.setTypeParser(DATE_OID, (value) => value);

export async function createDatabase(options: CreateDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 20 });
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
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
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
