import { parseArgs } from 'node:util';
import { parseFhirTime } from '../engine/time';
import { UsageError } from './cli-errors';

export const USAGE = `Usage: stellar-screen --bundle <file.json> [--bundle <file>...] [options]
       stellar-screen --ndjson <export-folder> [options]
       stellar-screen --fhir <base-url> [--token <t> | --client-id <id> --private-key <file>]
                      [--group <id> | --patient <id>...] [options]
       stellar-screen --demo [options]

Screens ventilated patients for the STELLAR trial (NCT02112500) and reports every criterion
with its evidence. It flags candidates for review by the study team; it never enrols anyone.

Sources (give one):
  --bundle <file>         FHIR R4 Bundle (JSON) with one or more patients; repeatable
  --ndjson <folder>       FHIR Bulk Data export: <Type>.ndjson files, read streaming
  --fhir <base-url>       FHIR R4 server; without --group or --patient, screens the patients
                          ventilated now (ventilation procedures in progress, ventilator
                          settings charted in the last 24 h)
  --demo                  the built-in synthetic ICU census

FHIR server:
  --token <token>         bearer token for the server
  --token-file <file>     read the bearer token from a file (keeps it out of 'ps')
  --client-id <id>        SMART Backend Services client id (with --private-key)
  --private-key <file>    the client's private key, PEM or JWK (RS384 or ES384)
  --key-id <kid>          key id for the client assertion (default: the JWK's kid)
  --scope <scopes>        scopes to ask for (default: system/<Type>.read for each type read)
  --group <id>            screen the members of this Group
  --patient <id>          screen this patient; repeatable
  --concurrency <n>       patients fetched at a time (default 4)
  --patient-timeout <s>   time budget per patient, seconds (default 120)
  --retries <n>           retries of a request that failed for a passing reason (default 4)

Bulk Data export:
  --bucket-size <MiB>     export text screened per step (default 4); memory grows with it

Output (on stdout; give at most one):
  --table                 counts, then the likely and possible patients (the default, except
                          with --bundle)
  --json                  one JSON document: the result, or an array for several patients
                          (the default with --bundle)
  --jsonl                 one JSON result per line, as each patient is screened
  --csv                   one row per patient: classification, summary, status per criterion
  --html <file>           also write a self-contained HTML report to <file>

  --now <instant>         evaluation time, ISO 8601 (default: the current time)
  --config <folder>       service definition folder (default: cds-services/stellar-screening)
  -h, --help              show this help

A progress bar is shown on stderr when it is a terminal. Exit codes: 0 screened (whatever the
verdicts, also when no candidate is found), 1 bad input or configuration, server unreachable or
refusing, 2 bad arguments.`;

export type OutputFormat = 'table' | 'json' | 'jsonl' | 'csv';

/** How to authenticate to the FHIR server. */
export type FhirAuthChoice =
  | { kind: 'none' }
  | { kind: 'token'; token: string }
  | { kind: 'token-file'; path: string }
  | {
      kind: 'smart-backend';
      clientId: string;
      privateKeyPath: string;
      keyId?: string;
      scope?: string;
    };

/** Which patients of the FHIR server to screen. */
export type PatientSelection =
  | { kind: 'group'; groupId: string }
  | { kind: 'patients'; patientIds: string[] }
  | { kind: 'ventilated-now' };

export type SourceChoice =
  | { kind: 'bundle'; files: string[] }
  | { kind: 'demo' }
  | { kind: 'ndjson'; dir: string; bucketBytes?: number }
  | {
      kind: 'fhir';
      baseUrl: string;
      auth: FhirAuthChoice;
      selection: PatientSelection;
      concurrency: number;
      patientTimeoutMs: number;
      retries: number;
    };

export interface CliOptions {
  help: boolean;
  source: SourceChoice;
  /** ISO instant, checked; undefined: the clock's time. */
  now?: string;
  configDir?: string;
  format: OutputFormat;
  htmlPath?: string;
}

const FHIR_ONLY = [
  'token',
  'token-file',
  'client-id',
  'private-key',
  'key-id',
  'scope',
  'group',
  'patient',
  'concurrency',
  'patient-timeout',
  'retries',
] as const;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        bundle: { type: 'string', multiple: true },
        ndjson: { type: 'string' },
        fhir: { type: 'string' },
        demo: { type: 'boolean' },
        token: { type: 'string' },
        'token-file': { type: 'string' },
        'client-id': { type: 'string' },
        'private-key': { type: 'string' },
        'key-id': { type: 'string' },
        scope: { type: 'string' },
        group: { type: 'string' },
        patient: { type: 'string', multiple: true },
        concurrency: { type: 'string' },
        'patient-timeout': { type: 'string' },
        retries: { type: 'string' },
        'bucket-size': { type: 'string' },
        now: { type: 'string' },
        json: { type: 'boolean' },
        jsonl: { type: 'boolean' },
        table: { type: 'boolean' },
        csv: { type: 'boolean' },
        html: { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (cause) {
    throw new UsageError((cause as Error).message);
  }
}

type Values = ReturnType<typeof parse>;

function wholeNumber(name: string, text: string | undefined, fallback: number, min: number) {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${name} must be a whole number of at least ${min} (got "${text}")`);
  }
  return n;
}

function checkNow(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = parseFhirTime(value);
  if (!parsed?.hasTime || parsed.assumedUtc) {
    throw new UsageError(
      `--now must be a valid ISO 8601 instant with an offset, e.g. 2026-03-01T08:00:00Z (got "${value}")`,
    );
  }
  return value;
}

function checkBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `--fhir must be the server's base URL, e.g. https://ehr.example/fhir (got "${text}")`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`--fhir must be an http or https URL (got "${text}")`);
  }
  if (url.search || url.hash) throw new UsageError('--fhir must be a base URL, without ? or #');
  return text.replace(/\/+$/, '');
}

function fhirAuth(v: Values): FhirAuthChoice {
  const given = [v.token, v['token-file'], v['client-id'] ?? v['private-key']].filter(
    (x) => x !== undefined,
  );
  if (given.length > 1) {
    throw new UsageError('give only one of --token, --token-file, --client-id/--private-key');
  }
  if (v.token !== undefined) return { kind: 'token', token: v.token };
  if (v['token-file'] !== undefined) return { kind: 'token-file', path: v['token-file'] };
  if (v['client-id'] !== undefined || v['private-key'] !== undefined) {
    if (!v['client-id'] || !v['private-key']) {
      throw new UsageError('--client-id and --private-key go together');
    }
    return {
      kind: 'smart-backend',
      clientId: v['client-id'],
      privateKeyPath: v['private-key'],
      ...(v['key-id'] !== undefined ? { keyId: v['key-id'] } : {}),
      ...(v.scope !== undefined ? { scope: v.scope } : {}),
    };
  }
  if (v['key-id'] !== undefined || v.scope !== undefined) {
    throw new UsageError('--key-id and --scope go with --client-id and --private-key');
  }
  return { kind: 'none' };
}

function selection(v: Values): PatientSelection {
  if (v.group !== undefined && v.patient !== undefined) {
    throw new UsageError('give either --group or --patient, not both');
  }
  const id = /^[A-Za-z0-9\-.]{1,64}$/;
  for (const p of [v.group, ...(v.patient ?? [])]) {
    if (p !== undefined && !id.test(p)) {
      throw new UsageError(`"${p}" is not a FHIR id (letters, digits, - and ., up to 64)`);
    }
  }
  if (v.group !== undefined) return { kind: 'group', groupId: v.group };
  if (v.patient !== undefined) return { kind: 'patients', patientIds: [...new Set(v.patient)] };
  return { kind: 'ventilated-now' };
}

function source(v: Values): SourceChoice {
  const kinds = [
    v.bundle !== undefined && '--bundle',
    v.ndjson !== undefined && '--ndjson',
    v.fhir !== undefined && '--fhir',
    v.demo && '--demo',
  ].filter((k): k is string => typeof k === 'string');
  if (kinds.length === 0)
    throw new UsageError('give --bundle <file>, --ndjson <folder>, --fhir <url> or --demo');
  if (kinds.length > 1) throw new UsageError(`give one source, not ${kinds.join(' and ')}`);
  if (v.fhir === undefined) {
    const stray = FHIR_ONLY.find((name) => v[name] !== undefined);
    if (stray) throw new UsageError(`--${stray} goes with --fhir`);
  }
  if (v['bucket-size'] !== undefined && v.ndjson === undefined) {
    throw new UsageError('--bucket-size goes with --ndjson');
  }
  if (v.bundle !== undefined) return { kind: 'bundle', files: v.bundle };
  if (v.ndjson !== undefined) {
    return {
      kind: 'ndjson',
      dir: v.ndjson,
      ...(v['bucket-size'] !== undefined
        ? { bucketBytes: wholeNumber('bucket-size', v['bucket-size'], 4, 1) * (1 << 20) }
        : {}),
    };
  }
  if (v.fhir !== undefined) {
    return {
      kind: 'fhir',
      baseUrl: checkBaseUrl(v.fhir),
      auth: fhirAuth(v),
      selection: selection(v),
      concurrency: wholeNumber('concurrency', v.concurrency, 4, 1),
      patientTimeoutMs: wholeNumber('patient-timeout', v['patient-timeout'], 120, 1) * 1000,
      retries: wholeNumber('retries', v.retries, 4, 0),
    };
  }
  return { kind: 'demo' };
}

/**
 * Reads the command line into checked options.
 * @throws UsageError naming the argument at fault
 */
export function parseCliOptions(argv: string[]): CliOptions {
  const v = parse(argv);
  if (v.help) return { help: true, source: { kind: 'demo' }, format: 'table' };
  const chosen = (['json', 'jsonl', 'table', 'csv'] as const).filter((f) => v[f]);
  if (chosen.length > 1) {
    throw new UsageError(
      `give only one of --json, --jsonl, --table, --csv (got ${chosen.map((f) => `--${f}`).join(', ')})`,
    );
  }
  const src = source(v);
  const now = checkNow(v.now);
  return {
    help: false,
    source: src,
    ...(now !== undefined ? { now } : {}),
    ...(v.config !== undefined ? { configDir: v.config } : {}),
    format: chosen[0] ?? (src.kind === 'bundle' ? 'json' : 'table'),
    ...(v.html !== undefined ? { htmlPath: v.html } : {}),
  };
}
