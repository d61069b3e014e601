import type { Db } from '../../db/database.ts';
import type { HotlineImportRow, HotlineImportTable } from './hotline.table.ts';
import type { RejectedRowRecord } from './hotline-report.ts';

export async function insertImport(
  db: Db,
  row: Omit<HotlineImportTable, 'id' | 'headers' | 'rejected_rows'> & {
    headers: string[];
    rejected_rows: RejectedRowRecord[];
  },
): Promise<number> {
  const inserted = await db
    .insertInto('hotline_imports')
    .values({
      ...row,
      headers: JSON.stringify(row.headers),
      rejected_rows: JSON.stringify(row.rejected_rows),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findImport(db: Db, id: number): Promise<HotlineImportRow | undefined> {
  return db.selectFrom('hotline_imports').selectAll().where('id', '=', id).executeTakeFirst();
}
