import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFhirServer } from '../src/fhir-server';
import { generateCensus } from '../src/synthetic';
import { writeNdjsonCensus } from './ndjson-census';

const NOW = '2026-03-01T08:00:00Z';
/** The built command, beside this file in dist-bench. */
const CLI = join(__dirname, '..', 'src', 'cli', 'main.js');
const PEAK_RSS = join(__dirname, 'report-peak-rss.js');

export interface ScreenBenchOptions {
  /** NDJSON census: patients and Observations per patient (0 patients: skip). */
  ndjsonPatients: number;
  ndjsonObservations: number;
  /** FHIR server census (0 patients: skip). */
  fhirPatients: number;
  fhirObservations: number;
}

export interface ScreenBenchRow {
  source: 'ndjson' | 'fhir';
  patients: number;
  observationTarget: number;
  /** Size of the export (NDJSON) or resources loaded (FHIR). */
  input: string;
  /** Wall time of the screening command, Node start-up included; generation excluded. */
  seconds: number;
  patientsPerSecond: number;
  peakRssMiB: number;
  classifications: Record<string, number>;
  exitCode: number;
}

interface ChildRun {
  seconds: number;
  peakRssMiB: number;
  classifications: Record<string, number>;
  screened: number;
  exitCode: number;
  stderr: string;
}

/** Runs the built `stellar-screen` in a child, counting its JSON lines as they stream out. */
function runScreener(args: string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', PEAK_RSS, CLI, ...args, '--jsonl'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const classifications: Record<string, number> = {};
    let screened = 0;
    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const c = /"classification":"([a-z-]+)"/.exec(line)?.[1] ?? 'unreadable';
        classifications[c] = (classifications[c] ?? 0) + 1;
        screened++;
      }
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const kib = Number(/bench-peak-rss-kib=(\d+)/.exec(stderr)?.[1] ?? NaN);
      resolve({
        seconds,
        peakRssMiB: kib / 1024,
        classifications,
        screened,
        exitCode: code ?? -1,
        stderr: stderr.replace(/\n?bench-peak-rss-kib=\d+\n/, ''),
      });
    });
  });
}

function row(
  source: ScreenBenchRow['source'],
  patients: number,
  observationTarget: number,
  input: string,
  run: ChildRun,
): ScreenBenchRow {
  if (run.exitCode !== 0) {
    process.stderr.write(`bench: the ${source} screen exited ${run.exitCode}: ${run.stderr}\n`);
  }
  return {
    source,
    patients: run.screened,
    observationTarget,
    input,
    seconds: run.seconds,
    patientsPerSecond: run.screened / run.seconds,
    peakRssMiB: run.peakRssMiB,
    classifications: run.classifications,
    exitCode: run.exitCode,
  };
}

/**
 * The unit-wide screen end to end, in a child process so wall time and peak memory are the
 * screener's own: a Bulk Data export of a synthetic census (written first, not timed), and a
 * smaller census on the test FHIR server (the in-memory FHIR engine, not the screener, is the
 * slow part there), screened by finding the ventilated patients itself.
 */
export async function benchScreen(options: ScreenBenchOptions): Promise<ScreenBenchRow[]> {
  const rows: ScreenBenchRow[] = [];
  const work = mkdtempSync(join(tmpdir(), 'stellar-screen-bench-'));
  try {
    if (options.ndjsonPatients > 0) {
      const dir = join(work, 'export');
      process.stderr.write(
        `bench: writing an NDJSON census of ${options.ndjsonPatients} patients x ${options.ndjsonObservations} observations...\n`,
      );
      const bytes = writeNdjsonCensus({
        dir,
        count: options.ndjsonPatients,
        observationTarget: options.ndjsonObservations,
        seed: 2026,
        now: NOW,
      });
      const run = await runScreener(['--ndjson', dir, '--now', NOW]);
      rows.push(
        row(
          'ndjson',
          options.ndjsonPatients,
          options.ndjsonObservations,
          `${(bytes / (1 << 20)).toFixed(0)} MiB`,
          run,
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    }
    if (options.fhirPatients > 0) {
      const fhir = await startFhirServer({ defaultPageSize: 100, maxPageSize: 1000 });
      try {
        const loaded = await fhir.load(
          generateCensus({
            seed: 2026,
            now: NOW,
            count: options.fhirPatients,
            observationTarget: options.fhirObservations,
          }),
        );
        const run = await runScreener(['--fhir', fhir.url, '--now', NOW]);
        const r = row(
          'fhir',
          options.fhirPatients,
          options.fhirObservations,
          `${loaded} resources, ${fhir.requestLog.length} requests`,
          run,
        );
        rows.push(r);
      } finally {
        await fhir.close();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}
