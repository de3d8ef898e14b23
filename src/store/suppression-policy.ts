import type { CardClassification } from './feedback-store';

/** How long an accepted card, or one overridden for a suppressing reason, stays hidden. */
export const DEFAULT_SUPPRESSION_DAYS = 7;

/**
 * Override reason codes that hide a card: the patient has been screened already, or has
 * declined. Other reasons (e.g. `not-clinically-appropriate`) are stored but do not suppress,
 * because the patient's state may change and the card should come back.
 */
export const DEFAULT_SUPPRESSING_REASONS: readonly string[] = Object.freeze([
  'already-screened',
  'patient-declined',
]);

const DAY_MS = 24 * 60 * 60 * 1000;

/** Suppression length in milliseconds; a "day" is 24 hours of UTC time, whatever the DST. */
export function suppressionWindowMs(days: number): number {
  return days * DAY_MS;
}

const STRENGTH: Record<CardClassification, number> = { possible: 1, likely: 2 };

/**
 * The card classifications that suppress a card of `classification`: the same or stronger. A
 * card for a weaker classification does not, so a patient who goes from possible to likely is
 * shown again.
 */
export function classificationsAtLeast(classification: CardClassification): CardClassification[] {
  const floor = STRENGTH[classification];
  return (Object.keys(STRENGTH) as CardClassification[]).filter((c) => STRENGTH[c] >= floor);
}
