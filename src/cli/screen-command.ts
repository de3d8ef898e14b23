import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '../config/config-file';
import { loadServiceDefinition, type ServiceDefinition } from '../config/service-definition';
import { prepareScreening, type ScreeningResult } from '../engine';
import { planCodes } from '../fhir/data-plan';
import { describeFileError, InputError, UsageError } from './cli-errors';
import { parseCliOptions, USAGE, type CliOptions, type SourceChoice } from './cli-options';
import { formatCsv } from './output/format-csv';
import { formatHtmlReport } from './output/format-html';
import { formatSummaryTable } from './output/format-table';
import { createProgressBar } from './output/progress-bar';
import { sortResults } from './output/result-order';
import { screenPatients } from './screen-patients';
import { bundleSource } from './sources/bundle-source';
import { NDJSON_DEFAULTS, ndjsonSource } from './sources/ndjson-source';
import type { PatientSource } from './sources/patient-source';
import { readBundleFile } from './sources/read-bundle';

export { USAGE };

/** Where the command writes, its clock and its surroundings: passed in so tests run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  now: () => Date;
  /** True when stderr is a terminal: the progress bar shows. */
  stderrIsTTY?: boolean;
  /** Aborted on Ctrl-C: the run stops between patients, its requests aborted. */
  signal?: AbortSignal;
  /** Monotonic milliseconds for the progress bar (default: performance.now). */
  clock?: () => number;
}

const DEMO_SEED = 20_260_301;
const DEMO_CENSUS_SIZE = 16;
/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells expect. */
const INTERRUPTED = 130;

/** `{ [key]: value }`, or nothing when the value is undefined (exactOptionalPropertyTypes-safe). */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

async function checkReadable(path: string): Promise<void> {
  try {
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    await access(path, constants.R_OK);
  } catch (cause) {
    throw new InputError(describeFileError(path, cause), { cause });
  }
}

async function checkWritableFolder(file: string): Promise<void> {
  try {
    await access(dirname(file), constants.W_OK);
  } catch (cause) {
    throw new InputError(`cannot write ${file}: ${describeFileError(dirname(file), cause)}`, {
      cause,
    });
  }
}

async function openSource(
  choice: SourceChoice,
  definition: ServiceDefinition,
  now: string,
  io: CliIo,
): Promise<{ source: PatientSource; description: string }> {
  switch (choice.kind) {
    case 'bundle':
      // Checked before any patient is screened, so a typo does not waste a long run.
      for (const file of choice.files) await checkReadable(file);
      return {
        source: bundleSource(
          choice.files.map((name) => async () => ({ name, bundle: await readBundleFile(name) })),
        ),
        description:
          choice.files.length === 1
            ? `Bundle ${choice.files[0]}`
            : `${choice.files.length} Bundles`,
      };
    case 'demo': {
      // Loaded only for the source in use: start-up time is paid on every morning's run.
      const { generateCensus } = await import('../synthetic');
      return {
        source: bundleSource(
          generateCensus({ seed: DEMO_SEED, now, count: DEMO_CENSUS_SIZE }).map(
            (bundle, i) => async () => ({ name: `demo patient ${i + 1}`, bundle }),
          ),
        ),
        description: 'the synthetic demo census',
      };
    }
    case 'ndjson':
      return {
        source: ndjsonSource({
          dir: choice.dir,
          ...NDJSON_DEFAULTS,
          ...optional('observationCodes', planCodes(definition, 'Observation')),
          ...optional('bucketBytes', choice.bucketBytes),
        }),
        description: `Bulk Data export ${choice.dir}`,
      };
    case 'fhir': {
      const { fhirSource } = await import('./sources/fhir-source');
      return {
        source: await fhirSource({ ...choice, definition, now, clock: io.now }),
        description: `FHIR server ${choice.baseUrl}`,
      };
    }
  }
}

function writeResults(
  options: CliOptions,
  results: ScreeningResult[],
  notScreened: number,
  now: string,
  io: CliIo,
) {
  switch (options.format) {
    case 'jsonl':
      return; // written as they came
    case 'json': {
      const sorted = sortResults(results);
      io.stdout(`${JSON.stringify(sorted.length === 1 ? sorted[0] : sorted, null, 2)}\n`);
      return;
    }
    case 'csv':
      io.stdout(formatCsv(results));
      return;
    case 'table':
      io.stdout(formatSummaryTable(results, { now, notScreened }));
      return;
  }
}

async function run(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const options = parseCliOptions(argv);
  if (options.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const now = options.now ?? io.now().toISOString();
  const definition = loadServiceDefinition(options.configDir);
  const prepared = prepareScreening(definition.screening);
  if (options.htmlPath !== undefined) await checkWritableFolder(options.htmlPath);

  const clock = io.clock ?? (() => performance.now());
  const bar = createProgressBar(io.stderr, io.stderrIsTTY === true, clock);
  const reporter = {
    warn: (message: string) => {
      bar.clear();
      io.stderr(`stellar-screen: ${message}\n`);
    },
    progress: bar.update,
  };
  try {
    const { source, description } = await openSource(options.source, definition, now, io);
    const { results, notScreened } = await screenPatients(source, {
      prepared,
      now,
      reporter,
      signal,
      ...(options.format === 'jsonl'
        ? { onResult: (r: ScreeningResult) => io.stdout(`${JSON.stringify(r)}\n`) }
        : {}),
    });
    bar.clear();
    writeResults(options, results, notScreened.length, now, io);
    if (options.htmlPath !== undefined) {
      const html = formatHtmlReport(results, {
        now,
        trial: definition.trial,
        source: description,
        notScreened: notScreened.length,
      });
      try {
        // Owner-only: the report holds patient data.
        await writeFile(options.htmlPath, html, { mode: 0o600 });
      } catch (cause) {
        throw new InputError(
          `cannot write ${options.htmlPath}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}`,
          { cause },
        );
      }
    }
    return 0;
  } finally {
    bar.clear();
  }
}

/** Runs `stellar-screen`; returns the exit code. */
export async function runScreenCommand(argv: string[], io: CliIo): Promise<number> {
  const signal = io.signal ?? new AbortController().signal;
  try {
    return await run(argv, io, signal);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`stellar-screen: ${error.message}\nRun stellar-screen --help for usage.\n`);
      return 2;
    }
    if (error instanceof InputError || error instanceof ConfigError) {
      io.stderr(`stellar-screen: ${error.message}\n`);
      return 1;
    }
    if (signal.aborted) {
      io.stderr('stellar-screen: interrupted\n');
      return INTERRUPTED;
    }
    io.stderr(`stellar-screen: unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
    return 1;
  }
}
