import type { SatisfactionFigures, SatisfactionRow } from '../../../shared/evaluation.ts';
import { type SatisfactionCounts, satisfactionFigures } from './indicator-formulas.ts';

/** Rates to a hundredth of a percent and averages to two decimals: finer digits are noise to a reader. */
function round(value: number | null, decimals: number): number | null {
  return value === null ? null : Number(value.toFixed(decimals));
}

export function presentFigures(counts: SatisfactionCounts): SatisfactionFigures {
  const figures = satisfactionFigures(counts);
  return {
    ...figures,
    satisfactionRate: round(figures.satisfactionRate, 4),
    averageScore: round(figures.averageScore, 2),
  };
}

export function presentRow(
  group: { key: string; code: string | null; name: string },
  counts: SatisfactionCounts,
): SatisfactionRow {
  return { ...group, ...presentFigures(counts) };
}
