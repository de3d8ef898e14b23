import type { Bundle, BundleEntry, FhirResource, Reference } from 'fhir/r4';
import { chartStay, type StayOutput } from './chart-stay';
import { TEST_DATA_TAG } from './codes';
import { buildPatient, chooseDemographics, type Demographics } from './demographics';
import { chartHistory } from './history';
import { chartingRates, choosePatientStyle, type PatientStyle } from './patient-style';
import { deriveRng, hashString } from './prng';
import { buildCondition, type Timed } from './resources';
import { planScenario, scenarioDemographics, type ScenarioPlan } from './scenario-plans';
import { isScenarioName, type ScenarioName } from './scenarios';
import { estimateObservations, PROFILES, type ChartingProfile } from './stay-plan';
import { DAY_MS, formatInstant, parseInstant } from './time-format';
import { UNIT_STYLES, type UnitStyle } from './units';

/** Options of {@link generatePatient}. */
export interface GenerateOptions {
  /** Same seed and options give byte-identical output. A safe integer. */
  seed: number;
  scenario: ScenarioName;
  /** ISO instant with `Z` or an offset: the record is laid out relative to it. */
  now: string;
  /** Default `stellar-<scenario>-<seed>`. Letters, digits, `-` and `.`, at most 64. */
  patientId?: string;
  /**
   * Approximate number of Observations (default 300). Reached by charting more often and by
   * adding older hospital stays; the scenario's verdicts stay the same. Below the scenario's
   * sparsest charting (a few dozen) the sparsest is returned.
   */
  observationTarget?: number;
  /** Units of blood gases, airway pressures and FiO2; default drawn from the seed. */
  unitStyle?: UnitStyle;
}

/** Observations when no target is given. */
export const DEFAULT_OBSERVATION_TARGET = 300;
/** The largest target accepted (about 3 GB of JSON). */
export const MAX_OBSERVATION_TARGET = 5_000_000;
/**
 * Base of every `fullUrl`. An absolute RESTful URL (not `urn:uuid`), so the relative references
 * the resources carry (`Patient/<id>`) resolve inside the Bundle by FHIR's reference rules.
 */
export const FULL_URL_BASE = 'https://synthetic.stellar.example/fhir';

const PATIENT_ID = /^[A-Za-z0-9.-]{1,64}$/;
const YEAR_MS = 365.25 * DAY_MS;

/** The patient id used when none is given. */
export function defaultPatientId(scenario: ScenarioName, seed: number): string {
  return `stellar-${scenario}-${seed}`;
}

interface Normalized {
  seed: number;
  scenario: ScenarioName;
  now: number;
  patientId: string;
  target: number;
  unitStyle: UnitStyle | undefined;
}

function normalize(o: GenerateOptions): Normalized {
  if (!Number.isSafeInteger(o.seed)) {
    throw new RangeError(`seed must be a safe integer, got ${String(o.seed)}`);
  }
  if (!isScenarioName(o.scenario)) {
    throw new RangeError(`unknown scenario "${String(o.scenario)}"`);
  }
  const now = parseInstant(o.now);
  const patientId = o.patientId ?? defaultPatientId(o.scenario, o.seed);
  if (!PATIENT_ID.test(patientId)) {
    throw new RangeError(`patientId must be 1-64 letters, digits, "-" or ".", got "${patientId}"`);
  }
  const target = o.observationTarget ?? DEFAULT_OBSERVATION_TARGET;
  if (!Number.isInteger(target) || target < 1 || target > MAX_OBSERVATION_TARGET) {
    throw new RangeError(
      `observationTarget must be a whole number from 1 to ${MAX_OBSERVATION_TARGET}, got ${target}`,
    );
  }
  if (o.unitStyle !== undefined && !UNIT_STYLES.includes(o.unitStyle)) {
    throw new RangeError(`unitStyle must be one of ${UNIT_STYLES.join(', ')}`);
  }
  return { seed: o.seed, scenario: o.scenario, now, patientId, target, unitStyle: o.unitStyle };
}

/** Resource ids are `<prefix>-obs-<n>` and the like; a long patient id gives a hashed prefix. */
function idPrefix(patientId: string): string {
  return patientId.length <= 50 ? patientId : `p${hashString(patientId).toString(16)}`;
}

function profileAt(index: number): ChartingProfile {
  const profile = PROFILES[index];
  if (!profile) throw new RangeError(`no charting profile ${index}`);
  return profile;
}

/**
 * Generates one synthetic ventilated ICU patient as a FHIR R4 `collection` Bundle: the Patient,
 * Encounters, Conditions, Procedures and Observations, every one with an id and pointing at
 * `Patient/<id>`. Pure: no clock and no `Math.random`; the same options give the same bytes.
 * @throws RangeError on an invalid option
 */
export function generatePatient(options: GenerateOptions): Bundle {
  const o = normalize(options);
  const key = ['stellar-synthetic', o.seed, o.scenario, o.patientId] as const;
  const planRng = deriveRng(...key, 'plan');
  const who = chooseDemographics(planRng, o.now, scenarioDemographics(o.scenario));
  const scenario = planScenario(o.scenario, planRng, o.now, who);
  const style = choosePatientStyle(deriveRng(...key, 'style'), o.unitStyle, scenario.fio2Setting);
  const subject: Reference = { reference: `Patient/${o.patientId}` };
  const prefix = idPrefix(o.patientId);
  const rates = chartingRates(style, scenario.extras.length);

  // The densest charting of the current stay that fits the target; older stays fill the rest.
  const chartCurrent = (index: number) =>
    chartStay(
      scenario.stay,
      profileAt(index),
      {
        encounterId: `${prefix}-enc-1`,
        subject,
        style,
        now: o.now,
        rng: deriveRng(...key, 'current', index),
      },
      scenario.extras,
    );
  let index = PROFILES.length - 1;
  while (
    index > 0 &&
    estimateObservations(scenario.stay, profileAt(index), rates, o.now) > o.target
  ) {
    index--;
  }
  let current = chartCurrent(index);
  while (index > 0 && current.observations.length > o.target * 1.05)
    current = chartCurrent(--index);
  const history = chartHistory({
    budget: o.target - current.observations.length,
    kinds: scenario.historyKinds,
    profile: profileAt(index),
    rates,
    before: scenario.stay.admit,
    earliest: who.born + 16 * YEAR_MS,
    key,
    style,
    subject,
    now: o.now,
    encounterId: (n) => `${prefix}-enc-${n + 2}`,
  });
  return assembleBundle({ o, who, style, scenario, stays: [current, ...history], prefix, subject });
}

function numbered<T extends FhirResource>(items: Timed<T>[], prefix: string): T[] {
  // Stable sort: resources charted at the same instant keep the order they were charted in.
  return [...items]
    .sort((a, b) => a.time - b.time)
    .map((item, i) => {
      item.resource.id = `${prefix}-${i + 1}`;
      return item.resource;
    });
}

function assembleBundle(args: {
  o: Normalized;
  who: Demographics;
  style: PatientStyle;
  scenario: ScenarioPlan;
  /** The current stay first, then older stays newest first. */
  stays: StayOutput[];
  prefix: string;
  subject: Reference;
}): Bundle {
  const { o, who, style, scenario, stays, prefix, subject } = args;
  const currentEncounter: Reference = { reference: `Encounter/${prefix}-enc-1` };
  const conditions = scenario.conditions.map((spec, i) => {
    const encounter = spec.currentStay ? currentEncounter : undefined;
    const condition = buildCondition(spec, subject, encounter, style.offsetMinutes);
    condition.id = `${prefix}-cond-${i + 1}`;
    return condition;
  });
  const resources: FhirResource[] = [
    buildPatient(o.patientId, who),
    ...[...stays].reverse().map((s) => s.encounter),
    ...conditions,
    ...numbered(
      stays.flatMap((s) => s.procedures),
      `${prefix}-proc`,
    ),
    ...numbered(
      stays.flatMap((s) => s.observations),
      `${prefix}-obs`,
    ),
  ];
  const entry: BundleEntry[] = resources.map((resource) => ({
    fullUrl: `${FULL_URL_BASE}/${resource.resourceType}/${String(resource.id)}`,
    resource,
  }));
  return {
    resourceType: 'Bundle',
    id: prefix,
    meta: { tag: [{ ...TEST_DATA_TAG }] },
    type: 'collection',
    timestamp: formatInstant(o.now, 0),
    entry,
  };
}
