import type { Locale } from '../../../shared/errors.ts';
import { COUNT_LABELS, type CountKey, INDICATORS, type IndicatorKey } from '../../../shared/indicators.ts';
import { pickLabel } from '../../i18n/index.ts';
import { formatCount } from './format.ts';

/** A figure as a reader sees it: rates in percent with two decimals, hours with one, counts plain; "—" for none. */
export function formatFigure(key: IndicatorKey, value: number | null, locale: Locale): string {
  if (value === null) return '—';
  const unit = INDICATORS[key].unit;
  if (unit === 'rate') return `${(value * 100).toFixed(2)}%`;
  if (unit === 'hours') return locale === 'en-US' ? `${value.toFixed(1)} h` : `${value.toFixed(1)} 小时`;
  return formatCount(value, locale);
}

export const indicatorLabel = (key: IndicatorKey, locale: Locale) => pickLabel(INDICATORS[key].label, locale);
export const indicatorFormula = (key: IndicatorKey, locale: Locale) =>
  pickLabel(INDICATORS[key].formula, locale);
export const countLabel = (key: CountKey, locale: Locale) => pickLabel(COUNT_LABELS[key], locale);

/** The count a figure opens onto: its numerator (for 准确派遣率, the returned dispatches it is made from). */
export function drillCountOf(key: IndicatorKey): CountKey {
  return INDICATORS[key].counts[0] as CountKey;
}

/** A composite score (0–100) with two decimals. */
export const formatScore100 = (value: number | null) => (value === null ? '—' : value.toFixed(2));
