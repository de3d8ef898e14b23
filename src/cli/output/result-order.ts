import type { Classification, ScreeningResult } from '../../engine';

/** Classifications in the order a coordinator reads them: candidates first. */
export const CLASSIFICATION_ORDER: readonly Classification[] = [
  'likely',
  'possible',
  'insufficient-data',
  'not-eligible',
];

/**
 * Results by classification (likely first), then by patient reference: the same order from
 * every source, whatever order the patients arrived in.
 */
export function sortResults(results: readonly ScreeningResult[]): ScreeningResult[] {
  return [...results].sort(
    (a, b) =>
      CLASSIFICATION_ORDER.indexOf(a.classification) -
        CLASSIFICATION_ORDER.indexOf(b.classification) ||
      (a.patient < b.patient ? -1 : a.patient > b.patient ? 1 : 0),
  );
}

/** How many results have each classification, in {@link CLASSIFICATION_ORDER}. */
export function countByClassification(
  results: readonly ScreeningResult[],
): [Classification, number][] {
  return CLASSIFICATION_ORDER.map((c) => [c, results.filter((r) => r.classification === c).length]);
}
