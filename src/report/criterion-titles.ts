import type { CriterionId } from '../engine/types';

/**
 * What each criterion asks, in the registry's words, for people (cards, worksheet, reports).
 * The numbers are the shipped defaults; a site that changes them in criteria.json should
 * change these titles too (they are display text, not rules).
 */
export const CRITERION_TITLES: Readonly<Record<CriterionId, string>> = {
  age: 'Age 20 to 80 years',
  'respiratory-failure': 'Ventilator care from respiratory failure',
  'invasive-ventilation-7d': 'Ventilator care for 7 or more days',
  'physiology-or-weaning': 'At least one of the following',
  'pf-ratio-on-peep': 'PaO2/FiO2 200 or less with PEEP 5 cmH2O or more',
  'hypercapnia-on-plateau': 'PaCO2 50 mmHg or more with plateau pressure 30 cmH2O or more',
  'acidosis-on-plateau': 'pH 7.25 or less with plateau pressure 30 cmH2O or more',
  'no-other-option': 'No other option but lung transplantation, and not a transplant candidate',
  'repeated-weaning-failure': 'Weaning failure 3 times or more',
  'prolonged-weaning': '7 days or more from the first weaning attempt to liberation',
  'severe-aplastic-anemia': 'Severe aplastic anaemia',
  'hematologic-malignancy-or-stem-cell': 'Haematological malignancy or stem-cell treatment',
  'solid-cancer': 'Uncontrolled malignancy or solid cancer within 2 years',
  hiv: 'HIV infection',
  'life-expectancy-under-3-months': 'Expected life under 3 months from another cause',
  'pregnancy-or-breastfeeding': 'Pregnancy or breastfeeding',
  hypersensitivity: 'Expected hypersensitivity to the study drug',
};

/** A few words per criterion, for one-line summaries ("confirm: HIV infection"). */
export const CRITERION_SHORT_TITLES: Readonly<Record<CriterionId, string>> = {
  age: 'age',
  'respiratory-failure': 'respiratory failure',
  'invasive-ventilation-7d': '7 days on the ventilator',
  'physiology-or-weaning': 'qualifying gas or weaning course',
  'pf-ratio-on-peep': 'P/F on PEEP',
  'hypercapnia-on-plateau': 'PaCO2 on plateau',
  'acidosis-on-plateau': 'pH on plateau',
  'no-other-option': 'no other option',
  'repeated-weaning-failure': 'weaning failures',
  'prolonged-weaning': 'prolonged weaning',
  'severe-aplastic-anemia': 'aplastic anaemia',
  'hematologic-malignancy-or-stem-cell': 'blood cancer or stem cells',
  'solid-cancer': 'solid cancer',
  hiv: 'HIV',
  'life-expectancy-under-3-months': 'life expectancy',
  'pregnancy-or-breastfeeding': 'pregnancy or breastfeeding',
  hypersensitivity: 'hypersensitivity',
};
