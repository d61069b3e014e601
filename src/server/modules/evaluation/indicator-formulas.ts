import type { SatisfactionFigures } from '../../../shared/evaluation.ts';

/** A score from this up counts as satisfied: 满意 (4) and 非常满意 (5) on the 1–5 scale of 满意度评价. */
export const SATISFIED_MIN_SCORE = 4;

/** What SQL counts for a group of cases; everything shown is derived from these in `satisfactionFigures`. */
export interface SatisfactionCounts {
  /** Cases a resident reported, closed in the period. */
  closed: number;
  /** Of those, the ones the resident rated. */
  rated: number;
  /** Rated SATISFIED_MIN_SCORE or more. */
  satisfied: number;
  /** The sum of the scores given. */
  scoreSum: number;
}

/**
 * 满意度评价 (GLOSSARY: satisfaction), counted the way the evaluation standards count their rates (STANDARDS:
 * 结案率 = 结案数 / 应结案数):
 *
 *   满意率 satisfaction rate = 满意数 satisfied / 评价数 rated
 *   平均分 average score      = sum of scores / 评价数 rated
 *
 * over the cases a resident reported (portal or hotline: the only ones that can be rated) closed in the
 * period. An unrated case is left out of both rather than counted as unsatisfied: a resident who does not
 * answer has not judged the handling. Nothing rated gives no rate at all (null), never 0 % or NaN.
 */
export function satisfactionFigures(counts: SatisfactionCounts): SatisfactionFigures {
  const { closed, rated, satisfied, scoreSum } = counts;
  return {
    closed,
    rated,
    satisfied,
    unrated: closed - rated,
    satisfactionRate: rated > 0 ? satisfied / rated : null,
    averageScore: rated > 0 ? scoreSum / rated : null,
  };
}
