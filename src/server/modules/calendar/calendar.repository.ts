import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CalendarDay } from './working-time.ts';

export async function listCalendarDays(db: Db): Promise<CalendarDay[]> {
  const rows = await db
    .selectFrom('calendar_days')
    .select(['day', 'workday', 'name'])
    .orderBy('day')
    .execute();
  return rows.map((r) => ({ date: r.day, workday: r.workday, ...(r.name ? { name: r.name } : {}) }));
}

export async function listCalendarYears(db: Db) {
  return db.selectFrom('calendar_years').selectAll().orderBy('year').execute();
}

/** Replaces the rows of one year and marks the year as covered. */
export async function replaceCalendarYear(
  db: Db,
  year: number,
  days: readonly CalendarDay[],
  source: string,
): Promise<void> {
  await db
    .deleteFrom('calendar_days')
    .where('day', '>=', `${year}-01-01`)
    .where('day', '<=', `${year}-12-31`)
    .execute();
  if (days.length) {
    await db
      .insertInto('calendar_days')
      .values(days.map((d) => ({ day: d.date, workday: d.workday, name: d.name ?? null, source })))
      .execute();
  }
  await db
    .insertInto('calendar_years')
    .values({ year, source })
    .onConflict((oc) => oc.column('year').doUpdateSet({ source, loaded_at: new Date() }))
    .execute();
}

/** A setting's stored value (e.g. the working hours), or undefined when it was never set. */
export async function findSetting(db: Db, key: string): Promise<unknown> {
  return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function saveSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`excluded.value` }))
    .execute();
}
