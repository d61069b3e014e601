import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/**
 * Presents an embedded PGlite instance as the one-connection `pg` pool that Kysely's PostgresDialect
 * expects, so the laptop and the server backends share one dialect, one compiler and one set of queries.
 *
 * PGlite is a single Postgres session: a transaction opened by one caller would swallow statements of
 * another. The pool therefore hands its only client to one holder at a time, in arrival order. Code running
 * inside a transaction must use the transaction object, never the outer `db`, or it waits for itself.
 */
export function pglitePool(pglite: PGlite): PostgresPool {
  let holder: Promise<void> = Promise.resolve();

  // Kysely's client type also has a cursor overload for streaming; gridgov streams through keyset paging
  // instead, so only the plain query form is provided.
  const client = (release: () => void): PostgresPoolClient =>
    ({
      async query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
        const result = await pglite.query<R>(sql, parameters as unknown[]);
        return {
          command: commandOf(sql),
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        };
      },
      release,
    }) as PostgresPoolClient;

  return {
    async connect() {
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const previous = holder;
      holder = previous.then(() => released);
      await previous;
      return client(release);
    },
    async end() {
      await holder;
    },
  };
}

/** Kysely reads the command to decide whether to report affected rows; PGlite does not return it. */
function commandOf(sql: string): 'INSERT' | 'UPDATE' | 'DELETE' | 'MERGE' | 'SELECT' {
  const keyword = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
  switch (keyword) {
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
      return keyword;
    default:
      return 'SELECT';
  }
}
