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
