import { sql } from 'kysely';
import { type Db, withLongStatements } from './database.ts';

/*
 * Planner statistics. A table filled in bulk (the demo registry, an import of a million residents) and never
 * analysed is planned as if it were nearly empty: a nested loop over every row of it that takes minutes. The
 * embedded database runs no autovacuum at all, and a server may have it off, so gridgov analyses what its bulk
 * writes filled when they end, and on a schedule whatever has changed much since it was last analysed.
 */

/** The tables the registry's bulk writes fill. */
export const REGISTRY_TABLES = [
  'registry_addresses',
  'registry_buildings',
  'registry_houses',
  'registry_residents',
  'registry_organisations',
  'registry_facilities',
  'registry_imports',
  'registry_import_rejects',
] as const;

/** Analyses the tables (all of them in one statement, which may run long). */
export async function analyzeTables(db: Db, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  await withLongStatements(db, async (trx) => {
    await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(trx);
  });
}

/**
 * The scheduled job: analyses each table (of `tables`, or every table of the schema) never analysed since it was
 * filled, or grown to twice its size since, or changed by more than a tenth of its rows (autovacuum's own rule). Cheap when
 * nothing changed; returns the tables analysed.
 */
export async function analyzeStaleTables(
  db: Db,
  options: { tables?: readonly string[] } = {},
): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_stat_user_tables s on s.relid = c.oid
    where c.relkind in ('r', 'p') and n.nspname = current_schema()
      and (${options.tables ? sql`c.relname = any(${[...options.tables]}::text[])` : sql`true`})
      and (
        -- Never analysed (nor vacuumed) yet holding rows: the planner guesses from the file size alone.
        (c.reltuples < 0 and pg_relation_size(c.oid) > 0)
        -- Grown to more than twice the size it was analysed at. Unlike the counters below, this survives a
        -- restart of the embedded database, which keeps no activity statistics across one.
        or pg_relation_size(c.oid) > current_setting('block_size')::bigint * (2 * c.relpages + 8)
        or coalesce(s.n_mod_since_analyze, 0) > 50 + 0.1 * greatest(c.reltuples, 0)
      )
    order by 1`.execute(db);
  const names = rows.map((r) => r.name);
  await analyzeTables(db, names);
  return names;
}
