/**
 * `npm run bench`: measures, never asserts. Runs the suites named by --suite (default: all but
 * the soak, in this order), prints each one's tables and writes bench/results/<suite>.json.
 *
 *   --suite engine,service,live,screen,soak   which suites
 *   --quick                       seconds, not minutes (CI smoke test)
 *   --sizes 500,5000              observation counts (each suite has its own default)
 *   --runs N                      repetitions of in-process timings (engine)
 *   --duration S                  seconds of load per endpoint and size (service), of the soak
 *   --connections N               concurrency of the load runs (default 10)
 *   --screen-patients N           screen: NDJSON census size (default 1000; 0 skips it)
 *   --screen-observations N       screen: Observations per NDJSON patient (default 2000)
 *   --fhir-patients N             screen: FHIR server census size (default 50; 0 skips it)
 *   --fhir-observations N         screen: Observations per FHIR patient (default 300)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { engineSuite } from './engine-bench';
import { liveSuite } from './live-bench';
import { screenSuite } from './screen-suite';
import { serviceSuite } from './service-bench';
import { soakSuite } from './soak-bench';
import type { BenchOptions, SuiteResult } from './support/bench-options';

type Suite = (
  options: BenchOptions,
  progress: (line: string) => void,
) => Promise<SuiteResult> | SuiteResult;

/** Every suite, in the order they run. Add one here to add it to `npm run bench`. */
const SUITES: Record<string, Suite> = {
  engine: engineSuite,
  service: serviceSuite,
  live: liveSuite,
  screen: screenSuite,
  soak: soakSuite,
};

/** What `npm run bench` runs with no --suite: the soak takes minutes, so it runs when named. */
const DEFAULT_SUITES = ['engine', 'service', 'live', 'screen'];

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      suite: { type: 'string' },
      quick: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      runs: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      'screen-patients': { type: 'string' },
      'screen-observations': { type: 'string' },
      'fhir-patients': { type: 'string' },
      'fhir-observations': { type: 'string' },
    },
  });
  const names = values.suite ? values.suite.split(',').map((s) => s.trim()) : DEFAULT_SUITES;
  const unknown = names.filter((n) => !(n in SUITES));
  if (unknown.length)
    fail(`unknown suite ${unknown.join(', ')} (known: ${Object.keys(SUITES).join(', ')})`);
  const sizes = values.sizes?.split(',').map((s) => positiveInteger('sizes', s) as number);
  const runs = positiveInteger('runs', values.runs);
  const durationSeconds = positiveInteger('duration', values.duration);
  const count = (name: string, min: number) => {
    const value = (values as Record<string, string | boolean | undefined>)[name];
    if (typeof value === 'boolean') return undefined;
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) fail(`--${name} must be a whole number >= ${min}`);
    return n;
  };
  const screen = Object.fromEntries(
    (
      [
        ['ndjsonPatients', count('screen-patients', 0)],
        ['ndjsonObservations', count('screen-observations', 1)],
        ['fhirPatients', count('fhir-patients', 0)],
        ['fhirObservations', count('fhir-observations', 1)],
      ] as const
    ).filter(([, v]) => v !== undefined),
  ) as BenchOptions['screen'];
  const options: BenchOptions = {
    screen,
    quick: values.quick ?? false,
    connections: positiveInteger('connections', values.connections) ?? 10,
    ...(sizes ? { sizes } : {}),
    ...(runs ? { runs } : {}),
    ...(durationSeconds ? { durationSeconds } : {}),
  };
  const machine = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
  };
  process.stdout.write(
    `node ${machine.node}, ${machine.cores} x ${machine.cpu}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n\n`,
  );
  const dir = join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    const progress = (line: string) => process.stderr.write(`${line}\n`);
    progress(`bench: ${name}...`);
    const loadBefore = loadavg()[0];
    const result = await (SUITES[name] as Suite)(options, progress);
    const file = join(dir, `${result.name}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          ...machine,
          loadAverage: { before: loadBefore, after: loadavg()[0] },
          options,
          ...(result.json as object),
        },
        null,
        2,
      ),
    );
    process.stdout.write(
      `${result.report}\nWritten ${join('bench', 'results', `${result.name}.json`)}\n\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
