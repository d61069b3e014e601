import { sql } from 'kysely';
import type { BulletinContent, BulletinStatus, BulletinText } from '../../../shared/bulletins.ts';
import type { Db } from '../../db/database.ts';
import { regionCondition, type Scope } from '../people/scope.ts';

export interface BulletinRow {
  id: number;
  region_code: string;
  year: number;
  seq: number;
  period_from: string;
  period_to: string;
  status: BulletinStatus;
  content: BulletinContent;
  text: BulletinText;
  version: number;
  created_by_name: string;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  published_by_name: string | null;
}

const COLUMNS = [
  'id',
  'region_code',
  'year',
  'seq',
  'period_from',
  'period_to',
  'status',
  'content',
  'text',
  'version',
  'created_by_name',
  'created_at',
  'updated_at',
  'published_at',
  'published_by_name',
] as const;

/** The next number (期号) of an area's bulletins in a year. */
export async function nextSeq(db: Db, regionCode: string, year: number): Promise<number> {
  const row = await db
    .selectFrom('bulletins')
    .select(sql<number>`coalesce(max(seq), 0) + 1`.as('next'))
    .where('region_code', '=', regionCode)
    .where('year', '=', year)
    .executeTakeFirstOrThrow();
  return Number(row.next);
}

export async function insertBulletin(
  db: Db,
  row: {
    regionCode: string;
    year: number;
    seq: number;
    period: { from: string; to: string };
    content: BulletinContent;
    text: BulletinText;
    createdBy: number | null;
    createdByName: string;
    at: Date;
  },
): Promise<BulletinRow> {
  return (await db
    .insertInto('bulletins')
    .values({
      region_code: row.regionCode,
      county_code: row.regionCode.slice(0, 6),
      year: row.year,
      seq: row.seq,
      period_from: row.period.from,
      period_to: row.period.to,
      content: JSON.stringify(row.content),
      text: JSON.stringify(row.text),
      created_by: row.createdBy,
      created_by_name: row.createdByName,
      created_at: row.at,
      updated_at: row.at,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()) as BulletinRow;
}

/** One bulletin within the scope: undefined both when it does not exist and when it lies outside the scope. */
export async function findBulletin(db: Db, scope: Scope, id: number): Promise<BulletinRow | undefined> {
  return (await db
    .selectFrom('bulletins')
    .select(COLUMNS)
    .where('id', '=', id)
    .where((eb) => regionCondition(eb, 'region_code', scope))
    .executeTakeFirst()) as BulletinRow | undefined;
}

/** A bulletin as the list shows it: its text and area name without the (large) figures. */
export type BulletinListRow = Omit<BulletinRow, 'content'> & { scope_name: string };

export async function listBulletins(
  db: Db,
  scope: Scope,
  query: { status?: BulletinStatus | undefined; limit: number; offset: number },
): Promise<{ rows: BulletinListRow[]; total: number }> {
  let base = db.selectFrom('bulletins').where((eb) => regionCondition(eb, 'region_code', scope));
  if (query.status) base = base.where('status', '=', query.status);
  const [rows, count] = await Promise.all([
    base
      .select(COLUMNS.filter((c) => c !== 'content'))
      .select(sql<string>`content -> 'scope' ->> 'name'`.as('scope_name'))
      .orderBy('id', 'desc')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as BulletinListRow[], total: Number(count.n) };
}

/** Changes a draft's text if it is still at `version`; undefined when it moved on or was published. */
export async function updateDraftText(
  db: Db,
  id: number,
  version: number,
  text: BulletinText,
  at: Date,
): Promise<BulletinRow | undefined> {
  return (await db
    .updateTable('bulletins')
    .set({ text: JSON.stringify(text), version: sql`version + 1`, updated_at: at })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'draft')
    .returning(COLUMNS)
    .executeTakeFirst()) as BulletinRow | undefined;
}

/** Freezes a draft as it stands (content and text), with the publishing instant and person. */
export async function publishDraft(
  db: Db,
  id: number,
  version: number,
  by: string,
  at: Date,
): Promise<BulletinRow | undefined> {
  return (await db
    .updateTable('bulletins')
    .set({
      status: 'published',
      version: sql`version + 1`,
      updated_at: at,
      published_at: at,
      published_by_name: by,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'draft')
    .returning(COLUMNS)
    .executeTakeFirst()) as BulletinRow | undefined;
}
