import { sql } from 'kysely';
import type { Db } from './database.ts';

/** What a backup records about the database it copies, read in the same snapshot as the copy. */
export interface DatabaseFacts {
  serverVersion: string;
  /** The last migration applied: what schema the copy holds. */
  schemaVersion: string | null;
  /** Row count of every table of the public schema, by name. */
  tables: Record<string, number>;
  /** The sealed head of the audit hash chain; null when nothing is sealed yet. */
  auditHead: { seq: number; hash: string } | null;
  /** Entries appended but not yet linked into the chain (the server seals them within a second). */
  auditUnsealed: number;
}

// Named in src/server/db/migrate.ts; migrations are numbered, so the greatest name is the newest.
const MIGRATION_TABLE = 'schema_migrations';

export async function readDatabaseFacts(db: Db): Promise<DatabaseFacts> {
  const version = await sql<{ server_version: string }>`show server_version`.execute(db);
  const names = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'
    order by table_name`.execute(db);
  const tables: Record<string, number> = {};
  for (const { name } of names.rows) {
    const counted = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db);
    tables[name] = counted.rows[0]?.n ?? 0;
  }
  const schemaVersion =
    MIGRATION_TABLE in tables
      ? ((
          await sql<{
            name: string;
          }>`select name from ${sql.table(MIGRATION_TABLE)} order by name desc limit 1`.execute(db)
        ).rows[0]?.name ?? null)
      : null;
  const auditHead =
    'audit_log' in tables
      ? ((
          await sql<{ seq: number; hash: string }>`
            select seq::int as seq, hash from audit_log where seq is not null order by seq desc limit 1`.execute(
            db,
          )
        ).rows[0] ?? null)
      : null;
  const auditUnsealed =
    'audit_log' in tables
      ? ((await sql<{ n: number }>`select count(*)::int as n from audit_log where seq is null`.execute(db))
          .rows[0]?.n ?? 0)
      : 0;
  return {
    serverVersion: version.rows[0]?.server_version ?? 'unknown',
    schemaVersion,
    tables,
    auditHead,
    auditUnsealed,
  };
}

/** Writes every change so far into the data files, so a file-level copy needs no crash recovery to open. */
export async function checkpoint(db: Db): Promise<void> {
  await sql`checkpoint`.execute(db);
}

/**
 * Lets this transaction's statements run for up to an hour: counting the rows of every table of a district's
 * database takes longer than the request timeout allows. `set_config(…, true)` ends with the transaction.
 */
export async function allowLongStatements(trx: Db): Promise<void> {
  await sql`select set_config('statement_timeout', '1h', true)`.execute(trx);
}

/** Names the snapshot of the calling repeatable-read transaction, for `pg_dump --snapshot`. */
export async function exportSnapshot(trx: Db): Promise<string> {
  const result = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
  const id = result.rows[0]?.id;
  if (!id) throw new Error('PostgreSQL returned no snapshot id');
  return id;
}

/** Relations in schemas of the database's own: none means a restore writes into an empty database. */
export async function countUserRelations(db: Db): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\_toast%' and n.nspname not like 'pg\_temp%'`.execute(db);
  return result.rows[0]?.n ?? 0;
}
