import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { DisputeType, MediationListQuery } from '../../../shared/mediation.ts';
import type { Db } from '../../db/database.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type {
  MediationAgreementTable,
  MediationExtensionTable,
  MediationPartyTable,
  MediationRow,
  MediationSessionTable,
  MediationTable,
} from './mediation.table.ts';

export type NewMediation = Insertable<MediationTable>;
export type MediationChanges = Updateable<MediationTable>;

/**
 * A mediation with the names a list shows: its village's (`region_name`, even when the dispute was placed in one
 * of the village's grids), its mediator's and its case's number.
 */
export type MediationListRow = MediationRow & {
  region_name: string | null;
  mediator_name: string | null;
  case_number: string | null;
};

const SHANGHAI = 'Asia/Shanghai';

/**
 * The village (村居, 12 digits) holding a mediation's region: a mediation opened from a case lies in the case's leaf
 * grid, but the register, the committee and the figures are the village's.
 */
const villageOf = sql<string>`left(m.region_code, 12)`;

function listQuery(db: Db, scope: Scope) {
  return db
    .selectFrom('mediations as m')
    .leftJoin('regions as r', (join) => join.on('r.code', '=', villageOf))
    .leftJoin('users as u', 'u.id', 'm.mediator_id')
    .leftJoin('cases as c', 'c.id', 'm.case_id')
    .where((eb) => regionCondition(eb, 'm.region_code', scope));
}

export async function findMediation(db: Db, id: number): Promise<MediationListRow | undefined> {
  return db
    .selectFrom('mediations as m')
    .leftJoin('regions as r', (join) => join.on('r.code', '=', villageOf))
    .leftJoin('users as u', 'u.id', 'm.mediator_id')
    .leftJoin('cases as c', 'c.id', 'm.case_id')
    .selectAll('m')
    .select(['r.name as region_name', 'u.display_name as mediator_name', 'c.case_number'])
    .where('m.id', '=', id)
    .executeTakeFirst();
}

export async function findByClientKey(db: Db, clientKey: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('mediations')
    .select('id')
    .where('client_key', '=', clientKey)
    .executeTakeFirst();
  return row?.id;
}

export async function findByCase(db: Db, caseId: number): Promise<number | undefined> {
  const row = await db.selectFrom('mediations').select('id').where('case_id', '=', caseId).executeTakeFirst();
  return row?.id;
}

/** The case's mediation while it is open: it holds the case's handling (case-workflow.ts, `mediating`). */
export async function findOpenByCase(db: Db, caseId: number) {
  return db
    .selectFrom('mediations')
    .select(['id', 'number'])
    .where('case_id', '=', caseId)
    .where('state', '=', 'open')
    .executeTakeFirst();
}

/** The mediations of a scope, newest first, filtered as the list and the figures' drill-down ask. */
export async function listMediations(
  db: Db,
  scope: Scope,
  query: MediationListQuery,
  now: Date,
): Promise<{ total: number; rows: MediationListRow[] }> {
  let q = listQuery(db, scope);
  if (query.regionCode) q = q.where('m.region_code', 'like', `${query.regionCode}%`);
  if (query.state) q = q.where('m.state', '=', query.state);
  if (query.mediatorId) q = q.where('m.mediator_id', '=', query.mediatorId);
  if (query.caseId) q = q.where('m.case_id', '=', query.caseId);
  if (query.month) {
    q = q.where(sql<string>`to_char(m.closed_at at time zone ${SHANGHAI}, 'YYYY-MM')`, '=', query.month);
  }
  const today = civilDay(now);
  if (query.task === 'overdue') q = q.where('m.state', '=', 'open').where('m.due_at', '<', now);
  if (query.task === 'followUp') {
    q = q.where('m.follow_up_due_on', '<=', today).where('m.follow_up_done_at', 'is', null);
  }
  if (query.task === 'confirmation') {
    q = q.where('m.confirmation_due_on', '<=', today).where('m.confirmation_applied', 'is', null);
  }
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    q
      .selectAll('m')
      .select(['r.name as region_name', 'u.display_name as mediator_name', 'c.case_number'])
      .orderBy('m.accepted_at', 'desc')
      .orderBy('m.id', 'desc')
      .offset(query.offset)
      .limit(query.limit)
      .execute(),
  ]);
  return { total: Number(count.n), rows };
}

export async function insertMediation(db: Db, row: NewMediation): Promise<number> {
  const inserted = await db.insertInto('mediations').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Many mediations in one statement each table: the demo's history. Returns the ids in order. */
export async function insertMediations(db: Db, rows: readonly NewMediation[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insertInto('mediations').values(rows).returning('id').execute();
  return inserted.map((r) => r.id);
}

/** Writes changes when the row is still at `version`; false when someone else changed it first. */
export async function updateMediationAtVersion(
  db: Db,
  id: number,
  version: number,
  changes: MediationChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('mediations')
    .set({ ...changes, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertParties(db: Db, rows: readonly Insertable<MediationPartyTable>[]) {
  if (rows.length) await db.insertInto('mediation_parties').values(rows).execute();
}

export async function listParties(db: Db, mediationId: number) {
  return db
    .selectFrom('mediation_parties')
    .selectAll()
    .where('mediation_id', '=', mediationId)
    .orderBy('position')
    .execute();
}

export async function insertSessions(db: Db, rows: readonly Insertable<MediationSessionTable>[]) {
  if (rows.length) await db.insertInto('mediation_sessions').values(rows).execute();
}

export async function listSessions(db: Db, mediationId: number) {
  return db
    .selectFrom('mediation_sessions')
    .selectAll()
    .where('mediation_id', '=', mediationId)
    .orderBy('held_at')
    .orderBy('id')
    .execute();
}

export async function insertExtension(db: Db, row: Insertable<MediationExtensionTable>) {
  await db.insertInto('mediation_extensions').values(row).execute();
}

export async function listExtensions(db: Db, mediationId: number) {
  return db
    .selectFrom('mediation_extensions')
    .selectAll()
    .where('mediation_id', '=', mediationId)
    .orderBy('id')
    .execute();
}

export async function insertAgreements(db: Db, rows: readonly Insertable<MediationAgreementTable>[]) {
  if (rows.length) await db.insertInto('mediation_agreements').values(rows).execute();
}

export async function findAgreement(db: Db, mediationId: number) {
  return db
    .selectFrom('mediation_agreements')
    .selectAll()
    .where('mediation_id', '=', mediationId)
    .executeTakeFirst();
}

export async function listDisputeCategories(db: Db) {
  return db
    .selectFrom('mediation_dispute_categories as d')
    .innerJoin('categories as c', 'c.id', 'd.category_id')
    .select(['d.category_id', 'd.dispute_type', 'c.code', 'c.name'])
    .orderBy('c.code')
    .execute();
}

export async function findDisputeType(db: Db, categoryId: number): Promise<DisputeType | undefined> {
  const row = await db
    .selectFrom('mediation_dispute_categories')
    .select('dispute_type')
    .where('category_id', '=', categoryId)
    .executeTakeFirst();
  return row?.dispute_type;
}

export async function replaceDisputeCategories(
  db: Db,
  rows: readonly { category_id: number; dispute_type: DisputeType }[],
) {
  await db.deleteFrom('mediation_dispute_categories').execute();
  if (rows.length) await db.insertInto('mediation_dispute_categories').values(rows).execute();
}

/** A user who may mediate: active, with the mediator role; their scope root to check against the region. */
export async function findMediator(db: Db, id: number) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'region_code'])
    .where('id', '=', id)
    .where('role', '=', 'mediator')
    .where('active', '=', true)
    .executeTakeFirst();
}

/** Open mediations past their limit not yet escalated: marked escalated now, and returned to be told. */
export async function escalateOverdue(db: Db, now: Date) {
  return db
    .updateTable('mediations')
    .set({ escalated_at: now })
    .where('state', '=', 'open')
    .where('due_at', '<', now)
    .where('escalated_at', 'is', null)
    .returning(['id', 'number', 'region_code', 'case_id', 'mediator_id'])
    .execute();
}

/** Follow-ups and confirmation reminders that fell due today or before and were not yet told. */
export async function claimDueReminders(db: Db, today: string) {
  const followUps = await db
    .updateTable('mediations')
    .set({ follow_up_reminded: true })
    .where('follow_up_due_on', '<=', today)
    .where('follow_up_done_at', 'is', null)
    .where('follow_up_reminded', '=', false)
    .where('synthetic', '=', false)
    .returning(['id', 'number', 'region_code', 'case_id', 'follow_up_due_on as due'])
    .execute();
  const confirmations = await db
    .updateTable('mediations')
    .set({ confirmation_reminded: true })
    .where('confirmation_due_on', '<=', today)
    .where('confirmation_applied', 'is', null)
    .where('confirmation_reminded', '=', false)
    .where('synthetic', '=', false)
    .returning(['id', 'number', 'region_code', 'case_id', 'confirmation_due_on as due'])
    .execute();
  return { followUps, confirmations };
}

/** The Asia/Shanghai civil day of an instant (UTC+8 all year), YYYY-MM-DD. */
export function civilDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Which of the given category ids exist: the dispute categories named must be real ones. */
export async function existingCategoryIds(db: Db, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('categories')
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => r.id);
}
