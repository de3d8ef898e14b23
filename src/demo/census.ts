import type { Bundle, FhirResource, Group, Practitioner } from 'fhir/r4';
import { generatePatient, SCENARIOS, type ScenarioName } from '../synthetic';
import { TEST_DATA_TAG } from '../synthetic/codes';

/** A demo scenario: one of the generator's, or the demo's own "transferred in" record. */
export type DemoScenario = ScenarioName | 'transferred-in';

export type ExpectedClassification = 'likely' | 'possible' | 'not-eligible' | 'insufficient-data';

/** One patient of the demo ICU, as the demo EHR's patient list shows it. */
export interface DemoPatient {
  id: string;
  bed: string;
  scenario: DemoScenario;
  /** What the screen should find: shown in the list so a visitor knows what to click. */
  expected: ExpectedClassification;
  /** One line about the scenario, for the list. */
  note: string;
}

export interface DemoCensus {
  now: string;
  patients: DemoPatient[];
  /** Everything to load into the FHIR server: one Bundle per patient, then the staff. */
  bundles: Bundle[];
  extra: FhirResource[];
}

/** The signed-in user of the demo EHR. */
export const DEMO_USER = {
  id: 'demo-clinician',
  reference: 'Practitioner/demo-clinician',
  display: 'Dr Demo Clinician',
} as const;

/** The study team the referral goes to (service.json names `Group/stellar-study-team`). */
export const STUDY_TEAM_ID = 'stellar-study-team';

const LAYOUT: readonly DemoScenario[] = [
  'likely-ards',
  'likely-hypercapnic',
  'possible-missing-peep',
  'excluded-hiv',
  'likely-acidosis',
  'short-ventilation',
  'possible-unconfirmed-exclusion',
  'repeated-weaning-failure',
  'pregnant',
  'improving-pf',
  'prolonged-weaning',
  'excluded-solid-cancer',
  'transferred-in',
];

const NOTES: Readonly<Record<DemoScenario, string>> = {
  'likely-ards': 'ARDS, P/F under 200 on PEEP',
  'likely-hypercapnic': 'COPD, PaCO2 over 50 on a high plateau',
  'likely-acidosis': 'septic shock, pH under 7.25 on a high plateau',
  'possible-missing-peep': 'low P/F, but PEEP no longer charted',
  'possible-unconfirmed-exclusion': 'likely, but a provisional HIV diagnosis',
  'short-ventilation': 'ventilated 3 days only',
  'niv-only': 'non-invasive ventilation only',
  'improving-pf': 'P/F recovered above 200',
  'excluded-hiv': 'HIV infection on record',
  'excluded-solid-cancer': 'lung cancer diagnosed a year ago',
  'excluded-hematologic': 'leukaemia in remission',
  'too-old': '82 years old',
  pregnant: 'positive hCG two days ago',
  'repeated-weaning-failure': 'three failed extubations',
  'prolonged-weaning': 'weaning for over 7 days',
  'no-ventilation-data': 'ward patient, never ventilated',
  'transferred-in': 'intubated elsewhere, no ventilator charting yet',
};

const SEED = 2026;
const VENTILATOR_CODES = new Set(['1258985005', '40617009', '243174005']);

function expectedOf(scenario: DemoScenario): ExpectedClassification {
  if (scenario === 'transferred-in') return 'insufficient-data';
  const info = SCENARIOS.find((s) => s.name === scenario);
  if (!info) throw new Error(`unknown scenario ${scenario}`);
  return info.expectedClassification;
}

/**
 * A patient transferred in from another hospital this morning: ARDS and an intubation nine days
 * ago are on record, but no ventilator charting and no ventilation procedure has reached this
 * record yet. The literal reading of the rules sees nine days of ventilation, the confirmed
 * reading sees nothing that continues it, so the screen cannot decide: insufficient data.
 */
function transferredIn(id: string, now: string): Bundle {
  const bundle = generatePatient({ seed: SEED + 13, scenario: 'likely-ards', now, patientId: id });
  const entries = (bundle.entry ?? []).filter((e) => {
    const r = e.resource;
    if (!r) return false;
    if (r.resourceType === 'Observation') return false;
    if (r.resourceType === 'Procedure') {
      const codes = (r.code?.coding ?? []).map((c) => c.code);
      return !codes.some((c) => c !== undefined && VENTILATOR_CODES.has(c));
    }
    return true;
  });
  return { ...bundle, entry: entries };
}

/**
 * The demo ICU: thirteen ventilated (or recently intubated) synthetic patients laid out around
 * `now`, covering every classification (likely, possible, not eligible, insufficient data), with
 * neutral ids (`demo-icu-01`) so a URL does not give the answer away; plus the signed-in
 * clinician and the study team the referral names.
 */
export function buildDemoCensus(now: string): DemoCensus {
  const patients: DemoPatient[] = [];
  const bundles: Bundle[] = [];
  LAYOUT.forEach((scenario, i) => {
    const id = `demo-icu-${String(i + 1).padStart(2, '0')}`;
    bundles.push(
      scenario === 'transferred-in'
        ? transferredIn(id, now)
        : generatePatient({ seed: SEED + i, scenario, now, patientId: id }),
    );
    patients.push({
      id,
      bed: `ICU ${i + 1}`,
      scenario,
      expected: expectedOf(scenario),
      note: NOTES[scenario],
    });
  });
  const practitioner: Practitioner = {
    resourceType: 'Practitioner',
    id: DEMO_USER.id,
    meta: { tag: [{ ...TEST_DATA_TAG }] },
    active: true,
    name: [{ use: 'official', prefix: ['Dr'], given: ['Demo'], family: 'Clinician' }],
  };
  const team: Group = {
    resourceType: 'Group',
    id: STUDY_TEAM_ID,
    meta: { tag: [{ ...TEST_DATA_TAG }] },
    active: true,
    type: 'practitioner',
    actual: true,
    name: 'STELLAR study team',
  };
  return { now, patients, bundles, extra: [practitioner, team] };
}
