import type { SchemeComponent } from '../../../shared/indicators.ts';
import type { Db } from '../../db/database.ts';

export interface SchemeRow {
  version: number;
  components: SchemeComponent[];
  note: string | null;
  created_by_name: string;
  created_at: Date;
}

/** The newest version of the composite's weights, or a given one. */
export async function findScheme(db: Db, version?: number): Promise<SchemeRow | undefined> {
  let query = db.selectFrom('indicator_schemes').selectAll();
  query =
    version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  return (await query.executeTakeFirst()) as SchemeRow | undefined;
}

export async function listSchemes(db: Db): Promise<SchemeRow[]> {
  return (await db
    .selectFrom('indicator_schemes')
    .selectAll()
    .orderBy('version', 'desc')
    .execute()) as SchemeRow[];
}

export async function insertScheme(
  db: Db,
  row: { components: readonly SchemeComponent[]; note: string | null; createdByName: string },
): Promise<SchemeRow> {
  return (await db
    .insertInto('indicator_schemes')
    .values({
      components: JSON.stringify(row.components),
      note: row.note,
      created_by_name: row.createdByName,
    })
    .returningAll()
    .executeTakeFirstOrThrow()) as SchemeRow;
}
