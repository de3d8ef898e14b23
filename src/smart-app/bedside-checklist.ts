import type { CriterionId, CriterionResult, Evidence, ScreeningResult } from '../engine/types';
import { CRITERION_TITLES } from '../report/criterion-titles';

/** One thing a person must confirm at the bedside before the patient can be referred. */
export interface BedsideItem {
  id: CriterionId;
  kind: 'inclusion' | 'exclusion';
  /** The checkbox's label: what ticking it asserts. */
  label: string;
  /** Why the screen could not decide (the engine's reason). */
  reason: string;
  /** What to check, in a sentence. */
  prompt: string;
  /** Record items worth looking at while checking (allergies, a provisional diagnosis ...). */
  evidence: Evidence[];
}

export interface BedsideChecklist {
  items: BedsideItem[];
  /**
   * Set when the "at least one of" group is already met, so its other members (no other
   * option, weaning) need no confirmation: names what met it.
   */
  groupMetBy?: CriterionId[];
}

/** What to check for each criterion the record cannot settle (defaults where none is listed). */
const PROMPTS: Partial<Record<CriterionId, string>> = {
  'no-other-option':
    'Ask the treating team whether any treatment other than lung transplantation remains, and ' +
    'whether the patient is a transplant candidate.',
  'life-expectancy-under-3-months':
    'Ask the treating team whether another condition limits expected life to under 3 months.',
  hypersensitivity:
    'Check for a known or expected hypersensitivity to the study drug or its excipients ' +
    '(see the protocol), and the allergies on record.',
  hiv: 'Check the diagnosis with the treating team or the latest HIV test result.',
  'pregnancy-or-breastfeeding':
    'Confirm pregnancy and breastfeeding status (the study team repeats its own test).',
  'pf-ratio-on-peep':
    'Check the PEEP in use when the qualifying blood gas was drawn (the ventilator record or ' +
    'the blood gas request).',
  'hypercapnia-on-plateau':
    'Check the plateau pressure measured when the qualifying blood gas was drawn.',
  'acidosis-on-plateau':
    'Check the plateau pressure measured when the qualifying blood gas was drawn.',
  'repeated-weaning-failure':
    'Count the failed weaning attempts (spontaneous breathing trials and extubations) in the notes.',
  'prolonged-weaning':
    'Check the date of the first weaning attempt and whether the patient is still ventilated.',
  'invasive-ventilation-7d':
    'Confirm the date of intubation and that invasive ventilation has continued since.',
  'respiratory-failure': 'Confirm the cause of ventilation is respiratory failure.',
  age: 'Confirm the date of birth.',
};

function labelOf(c: CriterionResult): string {
  const title = CRITERION_TITLES[c.id];
  return c.kind === 'exclusion' ? `Ruled out: ${title}` : `Confirmed: ${title}`;
}

/**
 * The bedside checklist of a result: every criterion the record left `unknown` that a person
 * can settle (the two that are never computable, findings to confirm, missing pairings), in
 * the result's order. Members of the "at least one of" group are listed only while the group
 * is not met: once one member is met, confirming another changes nothing.
 */
export function bedsideChecklist(result: ScreeningResult): BedsideChecklist {
  const group = result.criteria.find((c) => c.id === 'physiology-or-weaning');
  const groupMet = group?.status === 'met';
  const items: BedsideItem[] = [];
  for (const c of result.criteria) {
    if (c.status !== 'unknown' || c.members) continue;
    if (c.group && groupMet) continue;
    items.push({
      id: c.id,
      kind: c.kind,
      label: labelOf(c),
      reason: c.reason,
      prompt: PROMPTS[c.id] ?? 'Confirm with the treating team and the record.',
      evidence: c.evidence.filter((e) => e.role !== 'skipped').slice(0, 6),
    });
  }
  const metBy = groupMet
    ? result.criteria.filter((c) => c.group && c.status === 'met').map((c) => c.id)
    : undefined;
  return { items, ...(metBy ? { groupMetBy: metBy } : {}) };
}
