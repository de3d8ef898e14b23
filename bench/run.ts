/**
 * `npm run bench`: measures, never asserts. Prints tables and writes bench/results/*.json.
 * Options:
 *   --suite engine,screen      which suites to run (default both)
 *   --runs N, --sizes a,b,c    engine: runs per size (default 15), observations (500,5000,50000)
 *   --screen-patients N        screen: NDJSON census size (default 1000; 0 skips it)
 *   --screen-observations N    screen: Observations per NDJSON patient (default 2000)
 *   --fhir-patients N          screen: FHIR server census size (default 50; 0 skips it)
 *   --fhir-observations N      screen: Observations per FHIR patient (default 300)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchEngine } from './engine-bench';
import { benchScreen } from './screen-bench';

const SUITES = ['engine', 'screen'] as const;

const { values } = parseArgs({
  options: {
    suite: { type: 'string', default: SUITES.join(',') },
    runs: { type: 'string', default: '15' },
    sizes: { type: 'string', default: '500,5000,50000' },
    'screen-patients': { type: 'string', default: '1000' },
    'screen-observations': { type: 'string', default: '2000' },
    'fhir-patients': { type: 'string', default: '50' },
    'fhir-observations': { type: 'string', default: '300' },
  },
});
const whole = (text: string | undefined, min: number) => {
  const n = Number(text);
  return Number.isInteger(n) && n >= min ? n : undefined;
};
const runs = whole(values.runs, 1);
const sizes = String(values.sizes)
  .split(',')
  .map((s) => whole(s, 1));
const suites = String(values.suite).split(',');
const screen = {
  ndjsonPatients: whole(values['screen-patients'], 0),
  ndjsonObservations: whole(values['screen-observations'], 1),
  fhirPatients: whole(values['fhir-patients'], 0),
  fhirObservations: whole(values['fhir-observations'], 1),
};
if (
  runs === undefined ||
  sizes.some((s) => s === undefined) ||
  suites.some((s) => !(SUITES as readonly string[]).includes(s)) ||
  Object.values(screen).some((v) => v === undefined)
) {
  process.stderr.write(
    `bench: --runs must be a positive integer, --sizes a list of them, --suite a list of ${SUITES.join(', ')}, and the --screen-*/--fhir-* options whole numbers\n`,
  );
  process.exit(2);
}

const dir = join(process.cwd(), 'bench', 'results');
mkdirSync(dir, { recursive: true });
const write = (name: string, data: object) => {
  writeFileSync(
    join(dir, name),
    JSON.stringify({ date: new Date().toISOString(), node: process.version, ...data }, null, 2),
  );
  process.stdout.write(`Written ${join('bench', 'results', name)}\n`);
};

async function main() {
  if (suites.includes('engine')) {
    const rows = benchEngine(sizes as number[], runs as number);
    process.stdout.write(`Engine: one patient, median of ${runs} runs (node ${process.version})\n`);
    process.stdout.write(
      'observations   median ms   min ms   max ms   ms per 1,000 obs   classification\n',
    );
    for (const r of rows) {
      process.stdout.write(
        `${String(r.observations).padStart(12)}   ${r.medianMs.toFixed(2).padStart(9)}   ${r.minMs
          .toFixed(2)
          .padStart(6)}   ${r.maxMs.toFixed(2).padStart(6)}   ${r.msPerThousandObservations
          .toFixed(3)
          .padStart(16)}   ${r.classification}\n`,
      );
    }
    write('engine.json', { runs, rows });
  }
  if (suites.includes('screen')) {
    const rows = await benchScreen(screen as Parameters<typeof benchScreen>[0]);
    process.stdout.write(
      'Unit-wide screen: stellar-screen in a child process (wall time, peak RSS)\n',
    );
    process.stdout.write(
      'source   patients   obs/patient   input                           seconds   patients/s   peak RSS MiB\n',
    );
    for (const r of rows) {
      process.stdout.write(
        `${r.source.padEnd(6)}   ${String(r.patients).padStart(8)}   ${String(r.observationTarget).padStart(11)}   ${r.input.padEnd(30)}   ${r.seconds.toFixed(1).padStart(7)}   ${r.patientsPerSecond.toFixed(1).padStart(10)}   ${r.peakRssMiB.toFixed(0).padStart(12)}\n`,
      );
    }
    write('screen.json', { rows });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});
