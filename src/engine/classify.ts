import type { Classification, CriterionId, CriterionResult, CriterionStatus } from './types';

/** Exclusions no structured data can decide: listed for the clinician, never lowering `likely`. */
export const NEVER_COMPUTABLE: readonly CriterionId[] = [
  'life-expectancy-under-3-months',
  'hypersensitivity',
];

const TOP_LEVEL: readonly CriterionId[] = [
  'age',
  'respiratory-failure',
  'invasive-ventilation-7d',
  'physiology-or-weaning',
];

/** "At least one of": met if any member is met, not-met if all are, else unknown. */
export function groupStatus(members: readonly CriterionResult[]): CriterionStatus {
  if (members.some((m) => m.status === 'met')) return 'met';
  if (members.length > 0 && members.every((m) => m.status === 'not-met')) return 'not-met';
  return 'unknown';
}

/**
 * The patient's classification from the criteria (rules: Verdicts). Data that could not be
 * obtained already shows as `unknown` criteria, so no separate flag is needed: with nothing
 * read, `invasive-ventilation-7d` is unknown and the result is `insufficient-data`.
 */
export function classify(criteria: readonly CriterionResult[]): Classification {
  const status = (id: CriterionId) => criteria.find((c) => c.id === id)?.status ?? 'unknown';
  const exclusions = criteria.filter((c) => c.kind === 'exclusion');
  if (
    TOP_LEVEL.some((id) => status(id) === 'not-met') ||
    exclusions.some((c) => c.status === 'met')
  ) {
    return 'not-eligible';
  }
  const allMet = TOP_LEVEL.every((id) => status(id) === 'met');
  const exclusionsClear = exclusions.every(
    (c) => c.status === 'not-met' || (c.status === 'unknown' && NEVER_COMPUTABLE.includes(c.id)),
  );
  if (allMet && exclusionsClear) return 'likely';
  if (status('invasive-ventilation-7d') === 'met') return 'possible';
  return 'insufficient-data';
}

/** One line saying why the patient got the classification. */
export function summarize(classification: Classification, criteria: readonly CriterionResult[]) {
  const byId = (id: CriterionId) => criteria.find((c) => c.id === id);
  switch (classification) {
    case 'not-eligible': {
      const decisive = criteria.find(
        (c) =>
          (c.kind === 'exclusion' && c.status === 'met') ||
          (TOP_LEVEL.includes(c.id) && c.status === 'not-met'),
      );
      return `Not eligible: ${decisive?.reason ?? 'a criterion is not met'}`;
    }
    case 'likely': {
      const qualifying = criteria.find((c) => c.group && c.status === 'met');
      return `Likely candidate: ${byId('invasive-ventilation-7d')?.reason}; ${qualifying?.reason ?? ''}`.trim();
    }
    case 'possible': {
      const open = criteria
        .filter((c) => c.status === 'unknown' && !c.group && !NEVER_COMPUTABLE.includes(c.id))
        .map((c) => c.id);
      return `Possible candidate: ${byId('invasive-ventilation-7d')?.reason}; to confirm: ${open.join(', ')}`;
    }
    case 'insufficient-data':
      return 'Insufficient data to screen: ventilation or patient data could not be read';
  }
}
