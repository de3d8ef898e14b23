import type {
  Classification,
  CriterionId,
  CriterionResult,
  CriterionStatus,
  ScreeningResult,
} from '../engine/types';
import { CRITERION_SHORT_TITLES } from '../report/criterion-titles';
import { cardHeadline } from '../report/headline';

/** What a verdict means for eligibility, whatever the criterion's kind. */
export type Effect = 'supports' | 'against' | 'open';

/**
 * An inclusion that is met, or an exclusion that is not met, supports eligibility; the
 * opposite counts against; unknown is open. Shown as a word and an icon beside the colour.
 */
export function effectOf(criterion: Pick<CriterionResult, 'kind' | 'status'>): Effect {
  if (criterion.status === 'unknown') return 'open';
  const met = criterion.status === 'met';
  return (criterion.kind === 'inclusion') === met ? 'supports' : 'against';
}

export const STATUS_LABEL: Readonly<Record<CriterionStatus, string>> = {
  met: 'Met',
  'not-met': 'Not met',
  unknown: 'Unknown',
};

export const EFFECT_ICON: Readonly<Record<Effect, string>> = {
  supports: '✓',
  against: '✗',
  open: '?',
};

export const CLASSIFICATION_LABEL: Readonly<Record<Classification, string>> = {
  likely: 'Likely candidate',
  possible: 'Possible candidate',
  'not-eligible': 'Not eligible',
  'insufficient-data': 'Insufficient data',
};

/** One sentence under the classification: what it means and what to do next. */
export const CLASSIFICATION_ADVICE: Readonly<Record<Classification, string>> = {
  likely:
    'Every criterion the record can show is met. Confirm the bedside items, then notify the study team.',
  possible:
    'Ventilated 7 days or more, with criteria the record cannot settle. Confirm them at the bedside before referring.',
  'not-eligible': 'A criterion rules the patient out on the record as it stands.',
  'insufficient-data':
    'The record does not show enough to screen (ventilation or patient data missing). Check the record, or screen at the bedside.',
};

const TOP_LEVEL: readonly CriterionId[] = [
  'age',
  'respiratory-failure',
  'invasive-ventilation-7d',
  'physiology-or-weaning',
];

/**
 * The worksheet's one-line headline: the card's own sentence for a candidate (so the two read
 * the same), the engine's reason when not eligible, and for insufficient data which of the
 * main criteria the record cannot confirm.
 */
export function worksheetHeadline(result: ScreeningResult, trialName: string): string {
  const c = result.classification;
  if (c === 'likely' || c === 'possible') return cardHeadline(result, trialName);
  if (c === 'not-eligible') return result.summary;
  const open = TOP_LEVEL.filter(
    (id) => result.criteria.find((x) => x.id === id)?.status === 'unknown',
  ).map((id) => CRITERION_SHORT_TITLES[id]);
  return open.length > 0
    ? `Insufficient data: the record cannot confirm ${open.join(', ')}`
    : result.summary;
}
