/**
 * The synthetic scenarios and the classification each should get under the rules in
 * `shared/STELLAR-screening-rules.md` ("Verdicts"), assuming every resource type was searched
 * and `now` is the instant the patient was generated for.
 */

/** Names of the synthetic scenarios (stable: used in file names, fixtures and tests). */
export type ScenarioName =
  | 'likely-ards'
  | 'likely-hypercapnic'
  | 'likely-acidosis'
  | 'possible-missing-peep'
  | 'possible-unconfirmed-exclusion'
  | 'short-ventilation'
  | 'niv-only'
  | 'improving-pf'
  | 'excluded-hiv'
  | 'excluded-solid-cancer'
  | 'excluded-hematologic'
  | 'too-old'
  | 'pregnant'
  | 'repeated-weaning-failure'
  | 'prolonged-weaning'
  | 'no-ventilation-data';

/** What a scenario shows and the classification the screen should give it. */
export interface ScenarioInfo {
  name: ScenarioName;
  description: string;
  expectedClassification: 'likely' | 'possible' | 'not-eligible' | 'insufficient-data';
}

const ARDS_BASE =
  'aged 20-80, invasively ventilated 9-12 days and still ventilated, confirmed ARDS or acute ' +
  'respiratory failure, P/F 95-180 on PEEP >= 8 at every blood gas';

/** Every scenario, in a fixed order (a census cycles through them in this order). */
export const SCENARIOS: readonly ScenarioInfo[] = [
  {
    name: 'likely-ards',
    description: `ARDS: ${ARDS_BASE}; no exclusion on record. Likely through pf-ratio-on-peep.`,
    expectedClassification: 'likely',
  },
  {
    name: 'likely-hypercapnic',
    description:
      'Acute-on-chronic hypercapnic respiratory failure (COPD), ventilated 9-12 days: PaCO2 ' +
      '56-75 mmHg with a plateau of 31-35 charted beside every blood gas, P/F above 200. ' +
      'Likely through hypercapnia-on-plateau.',
    expectedClassification: 'likely',
  },
  {
    name: 'likely-acidosis',
    description:
      'Septic shock with metabolic acidosis, ventilated 9-12 days: pH 7.08-7.19 with a plateau ' +
      'of 31-34, PaCO2 below 50 and P/F above 200. Likely through acidosis-on-plateau.',
    expectedClassification: 'likely',
  },
  {
    name: 'possible-missing-peep',
    description:
      `As likely-ards (${ARDS_BASE}), but PEEP is no longer charted from 54-60 h before now ` +
      '(plateau below 30 and FiO2 settings go on): every blood gas of the 48 h lookback is ' +
      'unpaired, so pf-ratio-on-peep and the group are unknown. Possible.',
    expectedClassification: 'possible',
  },
  {
    name: 'possible-unconfirmed-exclusion',
    description:
      'As likely-ards, plus HIV disease (B20) recorded as provisional: the hiv exclusion is ' +
      'unknown (confirm), so the patient is possible rather than likely.',
    expectedClassification: 'possible',
  },
  {
    name: 'short-ventilation',
    description:
      'ARDS with low P/F on PEEP, but intubated only about 3 days ago: the current episode is ' +
      'shorter than 7 days, invasive-ventilation-7d is not met. Not eligible.',
    expectedClassification: 'not-eligible',
  },
  {
    name: 'niv-only',
    description:
      'Hypercapnic COPD on non-invasive ventilation for 3-6 days: PEEP and FiO2 settings are ' +
      'charted only while the NIV procedure covers them, and no stay has invasive ventilation. ' +
      'Not eligible: no invasive ventilation.',
    expectedClassification: 'not-eligible',
  },
  {
    name: 'improving-pf',
    description:
      'Ventilated about 10 days with confirmed acute respiratory failure; P/F 90-170 until ' +
      '3.5-4 days ago, then 270-350 on PEEP 6-8 with PaCO2 below 45 and pH above 7.36 through ' +
      'the whole lookback; no weaning attempt. The blood-gas criteria are not met, but ' +
      'no-other-option is always unknown and both weaning criteria are unknown without an ' +
      'attempt, so the group is unknown (never not-met); with age, respiratory-failure and ' +
      'invasive-ventilation-7d met, the rules give possible.',
    expectedClassification: 'possible',
  },
  {
    name: 'excluded-hiv',
    description: 'As likely-ards, plus HIV disease (B20), active and confirmed. Not eligible.',
    expectedClassification: 'not-eligible',
  },
  {
    name: 'excluded-solid-cancer',
    description:
      'As likely-ards, plus lung cancer (C34.90) diagnosed about a year ago, active and ' +
      'confirmed. Not eligible.',
    expectedClassification: 'not-eligible',
  },
  {
    name: 'excluded-hematologic',
    description:
      'As likely-ards, plus acute myeloid leukaemia (C92.00) diagnosed 3-4 years ago and now in ' +
      'remission: a haematological malignancy at any time excludes. Not eligible.',
    expectedClassification: 'not-eligible',
  },
  {
    name: 'too-old',
    description: 'As likely-ards, but 82 years old on the date of now. Not eligible.',
    expectedClassification: 'not-eligible',
  },
  {
    name: 'pregnant',
    description:
      'As likely-ards, a woman of 30 with a positive serum hCG (2118-8) two days before now. ' +
      'Not eligible.',
    expectedClassification: 'not-eligible',
  },
  {
    name: 'repeated-weaning-failure',
    description:
      'One episode begun 9-15 days ago with three extubations, each followed by reintubation ' +
      'within 36 h, still ventilated; P/F above 200, no hypercapnia or acidosis; confirmed acute ' +
      'respiratory failure (J96.00). Likely through repeated-weaning-failure (prolonged-weaning ' +
      'is often met as well).',
    expectedClassification: 'likely',
  },
  {
    name: 'prolonged-weaning',
    description:
      'Intubated 12-15 days ago; the first extubation, 8.5-10 days ago, failed (reintubated ' +
      'within 4-20 h); still ventilated with a weaning procedure in progress; P/F above 200; ' +
      'confirmed acute respiratory failure. Likely through prolonged-weaning.',
    expectedClassification: 'likely',
  },
  {
    name: 'no-ventilation-data',
    description:
      'A ward patient with pneumonia and a few chronic conditions, with vital signs and labs ' +
      'but no ventilation data at all (searched, none found). Not eligible.',
    expectedClassification: 'not-eligible',
  },
];

/** True when `name` is one of the {@link SCENARIOS}. */
export function isScenarioName(name: string): name is ScenarioName {
  return SCENARIOS.some((s) => s.name === name);
}
