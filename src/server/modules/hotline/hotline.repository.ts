import type { Db } from '../../db/database.ts';
import type { HotlineImportRow, HotlineImportTable } from './hotline.table.ts';
import type { RejectedRowRecord } from './hotline-report.ts';

export async function insertImport(
  db: Db,
  row: Omit<HotlineImportTable, 'id' | 'headers' | 'rejected_rows' | 'updated'> & {
    updated: number;
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

/** The agencies remembered for a source, by their key (`agencyKey`), with the department each maps to. */
export async function findAgencyMappings(db: Db, source: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('hotline_agency_mappings')
    .select(['agency', 'department_id'])
    .where('source', '=', source)
    .execute();
  return new Map(rows.map((r) => [r.agency, r.department_id]));
}

/** Remembers (or, with null, forgets) what agencies of a source map to. */
export async function saveAgencyMappings(
  db: Db,
  source: string,
  mappings: readonly { agency: string; departmentId: number | null }[],
  by: { name: string; at: Date },
): Promise<void> {
  const forget = mappings.filter((m) => m.departmentId === null).map((m) => m.agency);
  const keep = mappings.flatMap((m) =>
    m.departmentId === null
      ? []
      : [
          {
            source,
            agency: m.agency,
            department_id: m.departmentId,
            updated_by_name: by.name,
            updated_at: by.at,
          },
        ],
  );
  if (forget.length) {
    await db
      .deleteFrom('hotline_agency_mappings')
      .where('source', '=', source)
      .where('agency', 'in', forget)
      .execute();
  }
  if (keep.length) {
    await db
      .insertInto('hotline_agency_mappings')
      .values(keep)
      .onConflict((oc) =>
        oc.columns(['source', 'agency']).doUpdateSet((eb) => ({
          department_id: eb.ref('excluded.department_id'),
          updated_by_name: eb.ref('excluded.updated_by_name'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}
