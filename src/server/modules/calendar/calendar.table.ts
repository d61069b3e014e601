import type { ColumnType, Generated } from 'kysely';

export interface CalendarDayTable {
  /** 'YYYY-MM-DD' in and out: a civil date, not an instant. */
  day: ColumnType<string, string, string>;
  workday: boolean;
  name: string | null;
  source: Generated<string>;
}

export interface CalendarYearTable {
  year: number;
  source: string;
  loaded_at: Generated<Date>;
}
