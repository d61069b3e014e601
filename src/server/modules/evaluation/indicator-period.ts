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
