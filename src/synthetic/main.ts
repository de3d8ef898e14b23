import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadServiceDefinition } from '../config/service-definition';
import { buildDataPlan } from '../fhir/data-plan';
import { generateCensus } from './generate-census';
import { prefetchFromRecord } from './prefetch-from-record';
import { bundleToNdjson } from './ndjson';
import { isScenarioName, SCENARIOS, type ScenarioName } from './scenarios';
import { UNIT_STYLES, type UnitStyle } from './units';

/**
 * Command line for the synthetic generator:
 *
 *     npx tsx src/synthetic/main.ts --now 2026-03-01T08:00:00Z --out ./demo-data \
 *       [--count 16] [--seed 1] [--observations 300] [--scenario likely-ards ...] \
 *       [--units conventional|si|mixed] [--ndjson]
 *
 * Writes one Bundle JSON file per patient (or one NDJSON file per resource type with
 * `--ndjson`) and a `manifest.json` naming each patient's scenario and expected classification.
 */

/** Where the command prints; a test passes its own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const USAGE = `usage: main.ts --now <ISO instant> --out <dir> [--count n] [--seed n]
       [--observations n] [--scenario name ...] [--units conventional|si|mixed] [--ndjson]
       [--hook-requests]
  --now           instant the data is laid out relative to, e.g. 2026-03-01T08:00:00Z (required)
  --out           directory to write to, created if missing (required)
  --count         number of patients (default ${SCENARIOS.length}, one per scenario)
  --seed          census seed, an integer (default 1)
  --observations  approximate Observations per patient (default 300)
  --scenario      scenario to include; repeat for several (default all, cycled in order)
  --units         unit style of every patient (default drawn per patient)
  --ndjson        write <ResourceType>.ndjson files (FHIR Bulk Data format) instead of Bundles
  --hook-requests also write <patient>.hook.json: a patient-view request with full prefetch,
                  ready to POST to the CDS service`;

class UsageError extends Error {}

function integer(name: string, text: string | undefined, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--${name} must be a whole number, got "${text}"`);
  }
  return Number(text);
}

/**
 * Runs the command. Returns the exit code: 0 on success, 2 on bad arguments (with the usage),
 * 1 when the files cannot be written.
 */
export function runSyntheticCli(argv: string[], io: CliIo): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        now: { type: 'string' },
        out: { type: 'string' },
        count: { type: 'string' },
        seed: { type: 'string' },
        observations: { type: 'string' },
        scenario: { type: 'string', multiple: true },
        units: { type: 'string' },
        ndjson: { type: 'boolean', default: false },
        'hook-requests': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    io.err(USAGE);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  let census;
  try {
    if (args.now === undefined) throw new UsageError('--now is required');
    if (args.out === undefined) throw new UsageError('--out is required');
    const scenarios = args.scenario ?? SCENARIOS.map((s) => s.name);
    for (const name of scenarios) {
      if (!isScenarioName(name)) {
        throw new UsageError(
          `unknown scenario "${name}" (one of: ${SCENARIOS.map((s) => s.name).join(', ')})`,
        );
      }
    }
    const units = args.units;
    if (units !== undefined && !UNIT_STYLES.includes(units as UnitStyle)) {
      throw new UsageError(`--units must be one of ${UNIT_STYLES.join(', ')}, got "${units}"`);
    }
    const options = {
      seed: integer('seed', args.seed, 1),
      now: args.now,
      count: integer('count', args.count, SCENARIOS.length),
      observationTarget: integer('observations', args.observations, 300),
      scenarios: scenarios as ScenarioName[],
      ...(units !== undefined ? { unitStyle: units as UnitStyle } : {}),
    };
    census = { bundles: generateCensus(options), scenarios: options.scenarios, out: args.out };
  } catch (error) {
    // Option values the generator rejects (a malformed --now, say) are usage errors too.
    if (!(error instanceof UsageError) && !(error instanceof RangeError)) throw error;
    io.err(`error: ${error.message}`);
    io.err(USAGE);
    return 2;
  }
  try {
    writeCensus(census.bundles, census.scenarios, census.out, args.ndjson === true, io);
    if (args['hook-requests']) writeHookRequests(census.bundles, census.out, io);
  } catch (error) {
    io.err(`error: cannot write to ${census.out}: ${(error as Error).message}`);
    return 1;
  }
  return 0;
}

function writeCensus(
  bundles: ReturnType<typeof generateCensus>,
  scenarios: readonly ScenarioName[],
  out: string,
  ndjson: boolean,
  io: CliIo,
): void {
  mkdirSync(out, { recursive: true });
  const manifest = bundles.map((bundle, i) => {
    const scenario = scenarios[i % scenarios.length] as ScenarioName;
    const entries = bundle.entry ?? [];
    const patientId = String(entries[0]?.resource?.id);
    const observations = entries.filter((e) => e.resource?.resourceType === 'Observation').length;
    const expected = SCENARIOS.find((s) => s.name === scenario)?.expectedClassification;
    return { patientId, scenario, expectedClassification: expected, observations };
  });
  if (ndjson) {
    for (const [type, text] of bundleToNdjson(bundles)) {
      const file = join(out, `${type}.ndjson`);
      writeFileSync(file, text);
      io.out(`wrote ${file} (${text.split('\n').length - 1} ${type})`);
    }
  } else {
    bundles.forEach((bundle, i) => {
      const m = manifest[i];
      const file = join(out, `${String(m?.patientId)}.json`);
      writeFileSync(file, `${JSON.stringify(bundle, null, 2)}\n`);
      io.out(
        `wrote ${file} (${m?.scenario}, expected ${m?.expectedClassification}, ${m?.observations} observations)`,
      );
    });
  }
  const file = join(out, 'manifest.json');
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  io.out(`wrote ${file} (${bundles.length} patients)`);
}

/**
 * One patient-view request per patient, with the prefetch an EHR would send (every template of
 * the discovery document answered from the record), so a newcomer can POST it with curl.
 */
function writeHookRequests(
  bundles: ReturnType<typeof generateCensus>,
  out: string,
  io: CliIo,
): void {
  const plan = buildDataPlan(loadServiceDefinition());
  for (const bundle of bundles) {
    const resources = (bundle.entry ?? []).map(
      (e) => e.resource as unknown as Record<string, unknown>,
    );
    const patientId = String(resources.find((r) => r.resourceType === 'Patient')?.id);
    const request = {
      hook: 'patient-view',
      hookInstance: randomUUID(),
      context: { userId: 'Practitioner/example', patientId },
      prefetch: prefetchFromRecord(resources, plan),
    };
    const file = join(out, `${patientId}.hook.json`);
    writeFileSync(file, `${JSON.stringify(request)}\n`);
    io.out(`wrote ${file} (patient-view request with prefetch)`);
  }
}

if (require.main === module) {
  process.exitCode = runSyntheticCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
