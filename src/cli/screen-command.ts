import { parseArgs } from 'node:util';
import type { Bundle, BundleEntry } from 'fhir/r4';
import { ConfigError, loadScreeningConfig } from '../config/load-screening-config';
import {
  ALL_SEARCHED,
  evaluatePatient,
  groupResourcesByPatient,
  prepareScreening,
  type ScreeningResult,
} from '../engine';
import { parseFhirTime } from '../engine/time';
import { generateCensus } from '../synthetic';
import { formatSummaryTable } from './format-table';
import { InputError, readBundleFile } from './read-bundle';

/** Where the command writes, and its clock: passed in so tests run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  now: () => Date;
}

export const USAGE = `Usage: stellar-screen --bundle <file.json> [--bundle <file>...] [options]
       stellar-screen --demo [options]

Screens patients for the STELLAR trial (NCT02112500) and prints the result of every criterion
with its evidence. A Bundle may hold one patient or several.

Options:
  --bundle <file>   FHIR R4 Bundle (JSON) with the patients' resources; repeatable
  --demo            screen the built-in synthetic ICU census instead of files
  --now <instant>   evaluation time, ISO 8601 (default: the current time)
  --json            one JSON document: the result, or an array for several patients
                    (the default with --bundle)
  --jsonl           one JSON result per line
  --table           a summary table for people (the default with --demo)
  --config <dir>    service definition folder (default: cds-services/stellar-screening)
  -h, --help        show this help

Exit codes: 0 screened (whatever the verdicts), 1 bad input or configuration, 2 bad arguments.`;

const DEMO_SEED = 20_260_301;
const DEMO_CENSUS_SIZE = 16;

class UsageError extends Error {}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        bundle: { type: 'string', multiple: true },
        demo: { type: 'boolean' },
        now: { type: 'string' },
        json: { type: 'boolean' },
        jsonl: { type: 'boolean' },
        table: { type: 'boolean' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (cause) {
    throw new UsageError((cause as Error).message);
  }
}

function checkNow(value: string | undefined, clock: () => Date): string {
  if (value === undefined) return clock().toISOString();
  const parsed = parseFhirTime(value);
  if (!parsed?.hasTime || parsed.assumedUtc) {
    throw new UsageError(
      `--now must be a valid ISO 8601 instant with an offset, e.g. 2026-03-01T08:00:00Z (got "${value}")`,
    );
  }
  return value;
}

/** Runs `stellar-screen`; returns the exit code. */
export async function runScreenCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    const args = parse(argv);
    if (args.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const files = args.bundle ?? [];
    if (!args.demo && files.length === 0) throw new UsageError('give --bundle <file> or --demo');
    if (args.demo && files.length > 0)
      throw new UsageError('give either --bundle or --demo, not both');
    if ([args.json, args.jsonl, args.table].filter(Boolean).length > 1) {
      throw new UsageError('give only one of --json, --jsonl, --table');
    }
    const now = checkNow(args.now, io.now);
    const prepared = prepareScreening(loadScreeningConfig(args.config));

    const sources: { name: string; bundle: Bundle }[] = args.demo
      ? generateCensus({ seed: DEMO_SEED, now, count: DEMO_CENSUS_SIZE }).map((bundle, i) => ({
          name: `demo patient ${i + 1}`,
          bundle,
        }))
      : await Promise.all(
          files.map(async (name) => ({ name, bundle: await readBundleFile(name) })),
        );

    const results: ScreeningResult[] = [];
    for (const { name, bundle } of sources) {
      const { patients, unassigned } = groupResourcesByPatient(
        (bundle.entry ?? []) as BundleEntry[],
      );
      if (patients.length === 0)
        throw new InputError(`${name}: the Bundle has no Patient resource`);
      if (unassigned > 0) {
        io.stderr(
          `${name}: ${unassigned} resource(s) not linked to a Patient in the Bundle were ignored\n`,
        );
      }
      for (const p of patients) {
        results.push(
          evaluatePatient(prepared, {
            resources: p.resources,
            now,
            availability: ALL_SEARCHED,
          }),
        );
      }
    }

    if (args.table || (args.demo && !args.jsonl && !args.json)) {
      io.stdout(formatSummaryTable(results, now));
    } else if (args.jsonl) {
      for (const r of results) io.stdout(`${JSON.stringify(r)}\n`);
    } else {
      io.stdout(`${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`stellar-screen: ${error.message}\nRun stellar-screen --help for usage.\n`);
      return 2;
    }
    if (error instanceof InputError || error instanceof ConfigError) {
      io.stderr(`stellar-screen: ${error.message}\n`);
      return 1;
    }
    io.stderr(`stellar-screen: unexpected error: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}
