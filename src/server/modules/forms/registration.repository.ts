import { type Insertable, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type { RegistrationRow, RegistrationTable } from './registration.table.ts';

/** The registrations' SQL; the users table is read here (who confirmed), never written. */

export type NewRegistration = Omit<
  Insertable<RegistrationTable>,
  'id' | 'receipt_code' | 'version' | 'confirmed_at' | 'confirmed_by' | 'confirm_note'
>;

export type RegistrationView = RegistrationRow & { confirmed_by_name: string | null };

/** Inserts a registration unless its client key is taken (a resend); returns the row either way. */
export async function insertRegistration(db: Db, row: NewRegistration): Promise<RegistrationRow> {
  const inserted = await db
    .insertInto('registrations')
    .values(row)
    .onConflict((oc) => oc.column('client_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  // Only a taken client key makes the insert do nothing; without one there is always a row.
  if (inserted || !row.client_key) return inserted as RegistrationRow;
  return db
    .selectFrom('registrations')
    .selectAll()
    .where('client_key', '=', row.client_key)
    .executeTakeFirstOrThrow();
}

/** A registration written whole, confirmation included (the demo load). */
export type SyntheticRegistration = Omit<
  Insertable<RegistrationTable>,
  'id' | 'receipt_code' | 'version' | 'synthetic'
>;

/** Many registrations in one statement (the demo load), marked synthetic. */
export async function insertRegistrations(db: Db, rows: readonly SyntheticRegistration[]): Promise<void> {
  if (rows.length > 0) {
    await db
      .insertInto('registrations')
      .values(rows.map((row) => ({ ...row, synthetic: true })))
      .execute();
  }
}

export async function findRegistration(
  db: Db,
  id: number,
  scope: Scope,
): Promise<RegistrationView | undefined> {
  return db
    .selectFrom('registrations as r')
    .leftJoin('users as u', 'u.id', 'r.confirmed_by')
    .selectAll('r')
    .select('u.display_name as confirmed_by_name')
    .where('r.id', '=', id)
    .where((eb) => regionCondition(eb, 'r.region_code', scope))
    .executeTakeFirst();
}

export interface RegistrationFilter {
  scope: Scope;
  from: string;
  to: string;
  late?: boolean | undefined;
  confirmed?: boolean | undefined;
}

function filtered(db: Db, filter: RegistrationFilter) {
  let query = db
    .selectFrom('registrations as r')
    .where((eb) => regionCondition(eb, 'r.region_code', filter.scope))
    .where('r.day', '>=', filter.from)
    .where('r.day', '<=', filter.to);
  if (filter.late !== undefined) query = query.where('r.late', '=', filter.late);
  if (filter.confirmed !== undefined) {
    query = query.where('r.confirmed_at', filter.confirmed ? 'is not' : 'is', null);
  }
  return query;
}

/** A page of registrations, newest first, with the total. */
export async function listRegistrations(
  db: Db,
  filter: RegistrationFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: RegistrationView[]; total: number }> {
  const [rows, count] = await Promise.all([
    filtered(db, filter)
      .leftJoin('users as u', 'u.id', 'r.confirmed_by')
      .selectAll('r')
      .select('u.display_name as confirmed_by_name')
      .orderBy('r.registered_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    filtered(db, filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Every registration of a filter, by id after `afterId`, a page at a time (exports). */
export async function listRegistrationsAfter(
  db: Db,
  filter: RegistrationFilter,
  afterId: number,
  limit: number,
): Promise<RegistrationView[]> {
  return filtered(db, filter)
    .leftJoin('users as u', 'u.id', 'r.confirmed_by')
    .selectAll('r')
    .select('u.display_name as confirmed_by_name')
    .where('r.id', '>', afterId)
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

/** Counts per village and day: all, late, confirmed. */
export async function countByVillageAndDay(
  db: Db,
  filter: RegistrationFilter,
): Promise<{ day: string; village_code: string; total: number; late: number; confirmed: number }[]> {
  const rows = await filtered(db, filter)
    .select([
      'r.day',
      'r.village_code',
      (eb) => eb.fn.countAll<number>().as('total'),
      sql<number>`count(*) filter (where r.late)`.as('late'),
      sql<number>`count(r.confirmed_at)`.as('confirmed'),
    ])
    .groupBy(['r.day', 'r.village_code'])
    .orderBy('r.day', 'desc')
    .orderBy('r.village_code')
    .execute();
  return rows.map((r) => ({
    day: r.day,
    village_code: r.village_code,
    total: Number(r.total),
    late: Number(r.late),
    confirmed: Number(r.confirmed),
  }));
}

/** Unconfirmed registrations in the scope, oldest first; `within` keeps those placed exactly in these regions. */
export async function listUnconfirmed(
  db: Db,
  options: { scope: Scope; within: readonly string[] | undefined; limit: number },
): Promise<RegistrationView[]> {
  let query = db
    .selectFrom('registrations as r')
    .selectAll('r')
    .select(sql<string | null>`null`.as('confirmed_by_name'))
    .where((eb) => regionCondition(eb, 'r.region_code', options.scope))
    .where('r.confirmed_at', 'is', null);
  if (options.within) query = query.where('r.region_code', 'in', [...options.within]);
  return query.orderBy('r.registered_at').limit(options.limit).execute();
}

/** Confirms a registration at `version`; false when it moved on (or was confirmed) since. */
export async function confirmRegistration(
  db: Db,
  change: { id: number; version: number; userId: number; note: string | null; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('registrations')
    .set({
      confirmed_at: change.at,
      confirmed_by: change.userId,
      confirm_note: change.note,
      version: sql`version + 1`,
    })
    .where('id', '=', change.id)
    .where('version', '=', change.version)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
