import type { Locale } from '../../../shared/errors.ts';

/** A rate as a percentage with one decimal (66.7%); none where nothing was rated, never NaN. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** An average score on the 1–5 scale, two decimals. */
export function formatScore(score: number | null): string {
  return score === null ? '—' : score.toFixed(2);
}

/** A count: thousands separators in English only (GLOSSARY, formats users expect). */
export function formatCount(count: number, locale: Locale): string {
  return count.toLocaleString(locale, { useGrouping: locale === 'en-US' });
}
