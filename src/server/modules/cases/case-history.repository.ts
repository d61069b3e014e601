import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CaseEventRow, CaseRow } from './case.table.ts';

/**
 * Writing a case's history from another system (a 12345 work-order export): its past steps in one go, and the
 * rewrite of that history when a corrected export arrives. Intake and actions write timelines one step at a
 * time through case.repository.ts.
 */
/** History entries written together (an imported case's past steps). */
export async function insertCaseEvents(
  db: Db,
  events: readonly (Omit<CaseEventRow, 'id' | 'data'> & { data: Record<string, unknown> })[],
): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('case_events')
    .values(events.map((event) => ({ ...event, data: JSON.stringify(event.data) })))
    .execute();
}

/** The timeline of a case, locked with the case for the rewrite of its imported history. */
export async function lockCaseTimeline(
  db: Db,
  caseId: number,
): Promise<{ version: number; events: Pick<CaseEventRow, 'id' | 'action' | 'data'>[] } | undefined> {
  const row = await db
    .selectFrom('cases')
    .select('version')
    .where('id', '=', caseId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return undefined;
  const events = await db
    .selectFrom('case_events')
    .select(['id', 'action', 'data'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  return { version: row.version, events };
}

/** Removes these entries of a case's timeline: the imported history a corrected import writes anew. */
export async function deleteCaseEvents(db: Db, caseId: number, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom('case_events')
    .where('case_id', '=', caseId)
    .where('id', 'in', [...ids])
    .execute();
}

/** What a corrected import rewrites of a case: what the order says and where its history leaves it. */
export type ImportedCaseFields = Pick<
  CaseRow,
  | 'category_id'
  | 'region_code'
  | 'county_code'
  | 'lon'
  | 'lat'
  | 'address'
  | 'description'
  | 'reporter_name'
  | 'reporter_phone'
  | 'state'
  | 'step'
  | 'step_started_at'
  | 'step_due_at'
  | 'step_beyond_calendar'
  | 'step_warn_at'
  | 'warned'
  | 'overdue'
  | 'handling_deadline'
  | 'lead_department_id'
  | 'created_at'
  | 'updated_at'
  | 'closed_at'
>;

export async function rewriteImportedCase(db: Db, id: number, fields: ImportedCaseFields): Promise<void> {
  await db
    .updateTable('cases')
    .set({ ...fields, version: sql`version + 1` })
    .where('id', '=', id)
    .execute();
}
