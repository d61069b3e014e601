/**
 * Indicator periods are civil days in Asia/Shanghai, whatever the server's own zone. China has kept UTC+8
 * without daylight saving since 1991, so a day starts at 00:00+08:00 and lasts exactly 24 hours.
 */
const DAY_MS = 86_400_000;

/** Today's date in Asia/Shanghai, YYYY-MM-DD. */
export function shanghaiDate(at: Date): string {
  return at.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

/** The period asked for, with the defaults filled in: from the first of this month (or of `to`'s) to today. */
export function resolvePeriod(query: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const to = query.to ?? shanghaiDate(now);
  const from = query.from ?? `${to.slice(0, 8)}01`;
  return { from, to };
}

/** The instants a period covers: from the start of its first day, up to (excluded) the end of its last. */
export function periodInstants(period: { from: string; to: string }): { start: Date; end: Date } {
  const start = new Date(`${period.from}T00:00:00+08:00`);
  const end = new Date(new Date(`${period.to}T00:00:00+08:00`).getTime() + DAY_MS);
  return { start, end };
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const lastDayOfMonth = (month: string) => addDays(nextMonth(month), -1);
function nextMonth(date: string): string {
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * The buckets a period of whole days is summed from: the whole months it covers, and the days outside them.
 * A year is then at most 12 month buckets and fewer than 62 day buckets.
 */
export function periodBuckets(period: { from: string; to: string }): { days: string[]; months: string[] } {
  const days: string[] = [];
  const months: string[] = [];
  let day = period.from;
  while (day <= period.to) {
    if (day.endsWith('-01') && lastDayOfMonth(day) <= period.to) {
      months.push(day);
      day = nextMonth(day);
    } else {
      days.push(day);
      day = addDays(day, 1);
    }
  }
  return { days, months };
}

/**
 * The period a figure is compared with: the months just before when the period is whole months (so November
 * compares with October), else the same number of days just before.
 */
export function previousPeriod(period: { from: string; to: string }): { from: string; to: string } {
  if (period.from.endsWith('-01') && addDays(period.to, 1).endsWith('-01')) {
    const months =
      (Number(period.to.slice(0, 4)) - Number(period.from.slice(0, 4))) * 12 +
      Number(period.to.slice(5, 7)) -
      Number(period.from.slice(5, 7)) +
      1;
    let from = period.from;
    for (let i = 0; i < months; i++) from = `${addDays(from, -1).slice(0, 8)}01`;
    return { from, to: addDays(period.from, -1) };
  }
  const length = (Date.parse(period.to) - Date.parse(period.from)) / DAY_MS + 1;
  return { from: addDays(period.from, -length), to: addDays(period.from, -1) };
}

/** Last month, whole: the default period of a ranking (月排名). */
export function lastMonth(now: Date): { from: string; to: string } {
  const first = `${shanghaiDate(now).slice(0, 8)}01`;
  const to = addDays(first, -1);
  return { from: `${to.slice(0, 8)}01`, to };
}
