import type { Bundle } from 'fhir/r4';
import { generatePatient } from './generate-patient';
import { hashString } from './prng';
import { isScenarioName, SCENARIOS, type ScenarioName } from './scenarios';
import type { UnitStyle } from './units';

/** Options of {@link generateCensus}. */
export interface CensusOptions {
  seed: number;
  now: string;
  /** Number of patients (0 to 100,000). */
  count: number;
  /** Approximate Observations per patient (see `GenerateOptions.observationTarget`). */
  observationTarget?: number;
  /** Scenarios to cycle through, in order; default every scenario. */
  scenarios?: ScenarioName[];
  /** Unit style of every patient; default each patient's own, drawn from its seed. */
  unitStyle?: UnitStyle;
}

/** The largest census accepted. */
export const MAX_CENSUS = 100_000;

/**
 * A unit's worth of synthetic patients: patient `i` has scenario `scenarios[i % n]` and a seed
 * derived from the census seed and `i`, so the same options give the same census and a
 * patient's record does not depend on how many others were generated.
 * @throws RangeError on an invalid option
 */
export function generateCensus(options: CensusOptions): Bundle[] {
  const { seed, count } = options;
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`seed must be a safe integer, got ${String(seed)}`);
  }
  if (!Number.isInteger(count) || count < 0 || count > MAX_CENSUS) {
    throw new RangeError(`count must be a whole number from 0 to ${MAX_CENSUS}, got ${count}`);
  }
  const scenarios = options.scenarios ?? SCENARIOS.map((s) => s.name);
  if (scenarios.length === 0) throw new RangeError('scenarios must not be empty');
  for (const name of scenarios) {
    if (!isScenarioName(name)) throw new RangeError(`unknown scenario "${String(name)}"`);
  }
  const used = new Set<string>();
  const bundles: Bundle[] = [];
  for (let i = 0; i < count; i++) {
    const scenario = scenarios[i % scenarios.length] as ScenarioName;
    let patientSeed = hashString(`stellar-census\u001f${seed}\u001f${i}`);
    // Two patients of one scenario with one seed would share an id: step to the next seed.
    while (used.has(`${scenario}|${patientSeed}`)) patientSeed = (patientSeed + 1) >>> 0;
    used.add(`${scenario}|${patientSeed}`);
    bundles.push(
      generatePatient({
        seed: patientSeed,
        scenario,
        now: options.now,
        ...(options.observationTarget !== undefined
          ? { observationTarget: options.observationTarget }
          : {}),
        ...(options.unitStyle !== undefined ? { unitStyle: options.unitStyle } : {}),
      }),
    );
  }
  return bundles;
}
