import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Bundle } from 'fhir/r4';
import type { CriterionStatus, ScreeningResult } from '../../src/engine';
import { runScreenCommand, type CliIo } from '../../src/cli/screen-command';
import { bundleToNdjson } from '../../src/synthetic';

export const NOW = '2026-03-01T08:00:00Z';
export const BIN = resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');

const run = promisify(execFile);

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Fails early with a clear message when the command was not built. */
export function requireBuiltCli(): void {
  if (!existsSync(BIN))
    throw new Error(`${BIN} is missing: run "npm run build" first (npm test does)`);
}

/** Runs the built `stellar-screen` as a user would; never throws on a non-zero exit. */
export async function screen(args: string[], nodeOptions: string[] = []): Promise<CliOutcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...nodeOptions, BIN, ...args], {
      maxBuffer: 256 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs the command in this process, capturing what it writes. */
export async function screenInProcess(
  args: string[],
  io: Partial<CliIo> = {},
): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const code = await runScreenCommand(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    now: () => new Date(NOW),
    ...io,
  });
  return { code, stdout, stderr };
}

/** Writes Bundles as a Bulk Data export: one `<Type>.ndjson` file per resource type. */
export function writeNdjsonExport(dir: string, bundles: Bundle[]): string {
  mkdirSync(dir, { recursive: true });
  for (const [type, text] of bundleToNdjson(bundles))
    writeFileSync(join(dir, `${type}.ndjson`), text);
  return dir;
}

/** Bundles merged into one collection, as one file for `--bundle`. */
export function mergeBundles(bundles: Bundle[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: bundles.flatMap((b) => b.entry ?? []),
  };
}

/** What must agree between sources: each patient's classification and criterion statuses. */
export function verdicts(
  results: readonly ScreeningResult[],
): Record<string, { classification: string; criteria: Record<string, CriterionStatus> }> {
  const out: Record<string, { classification: string; criteria: Record<string, CriterionStatus> }> =
    {};
  for (const r of results) {
    out[r.patient] = {
      classification: r.classification,
      criteria: Object.fromEntries(r.criteria.map((c) => [c.id, c.status])),
    };
  }
  return out;
}

/** JSON lines parsed into results. */
export function parseJsonl(text: string): ScreeningResult[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ScreeningResult);
}
