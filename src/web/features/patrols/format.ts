import type { TFunction } from 'i18next';

/** 1 h 05 min / 12 min / 40 s: patrol time as a worker reads it. */
export function formatDuration(seconds: number, t: TFunction): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('patrols.units.seconds', { count: s });
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return t('patrols.units.minutes', { count: minutes });
  return t('patrols.units.hours', {
    hours: Math.floor(minutes / 60),
    minutes: String(minutes % 60).padStart(2, '0'),
  });
}

/** 850 m / 2.35 km. */
export function formatDistance(metres: number, t: TFunction): string {
  return metres < 1000
    ? t('patrols.units.metres', { value: Math.round(metres) })
    : t('patrols.units.kilometres', { value: (metres / 1000).toFixed(2) });
}

/** A share 0–1 as a percentage with two decimals (95.95%), as bulletins print it. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(2)}%`;
}

/** Today's date in Asia/Shanghai (UTC+8 all year), YYYY-MM-DD, whatever the browser's zone. */
export function shanghaiToday(offsetDays = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}
