import type { Db } from '../../db/database.ts';
import type { EvidenceTable } from './evidence.table.ts';

export async function findEvidence(db: Db, sha256: string): Promise<EvidenceTable | undefined> {
  return db.selectFrom('evidence').selectAll().where('sha256', '=', sha256).executeTakeFirst();
}

export async function listEvidence(db: Db, ids: readonly string[]): Promise<EvidenceTable[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('evidence').selectAll().where('sha256', 'in', ids).execute();
}

/** Stores a photo's row; a photo uploaded twice (same bytes, same hash) keeps its first row. */
export async function insertEvidence(db: Db, row: EvidenceTable): Promise<void> {
  await db
    .insertInto('evidence')
    .values(row)
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}
