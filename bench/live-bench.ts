import { startFhirServer, type RunningFhirServer } from '../src/fhir-server';
import type { BenchOptions, SuiteResult } from './support/bench-options';
import { BENCH_NOW, benchPatient, SERVICE_PATH } from './support/hook-bodies';
import { timeSequentialCalls } from './support/http-load';
import { startServiceProcess, type ServiceProcess } from './support/spawn-service';
import { median, percentile } from './support/stats';
import { fixed, formatTable, whole } from './support/table';

const TOKEN = 'bench-live-access-token';

/** One size against one FHIR server configuration. */
export interface LiveBenchRow {
  observations: number;
  /** Largest page the FHIR server gives (the service asks for its plan's page size). */
  serverMaxPage: number;
  calls: number;
  latencyMs: { median: number; p99: number; min: number };
  /** Per call (the same every call): FHIR requests, and the longest chain that ran one after another. */
  fhirRequests: number;
  sequentialRounds: number;
  /** Planned queries (the first wave, all in parallel). */
  queries: number;
  /** Time the FHIR server spent answering, summed over a call's requests (median of calls). */
  serverBusyMs: number;
  outcome: string;
}

interface HookLine {
  msg?: string;
  outcome?: string;
  fhirRequests?: number;
  sequentialRounds?: number;
  sources?: Record<string, string>;
}

async function hookLines(child: ServiceProcess, count: number): Promise<HookLine[]> {
  // pino writes asynchronously: wait for the lines of every answered call.
  for (let i = 0; i < 200; i++) {
    const lines = child.logs
      .map((l) => JSON.parse(l) as HookLine)
      .filter((l) => l.msg === 'hook answered');
    if (lines.length >= count) return lines;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the service did not log its answers');
}

async function benchOne(
  fhir: RunningFhirServer,
  serverMaxPage: number,
  patientId: string,
  observations: number,
  calls: number,
): Promise<LiveBenchRow> {
  // A generous budget: this measures the fetch, it must not be cut short.
  const child = await startServiceProcess(
    { kind: 'service', now: BENCH_NOW, budgetMs: 120_000 },
    { captureLog: true },
  );
  try {
    const body = Buffer.from(
      JSON.stringify({
        hook: 'patient-view',
        hookInstance: '7d0c1d2e-3f40-4b51-8c62-9d7e8f901a2b',
        context: { userId: 'Practitioner/bench', patientId },
        fhirServer: fhir.url,
        fhirAuthorization: {
          access_token: TOKEN,
          token_type: 'Bearer',
          expires_in: 300,
          scope: 'patient/*.read',
          subject: 'stellar-screening',
          patient: patientId,
        },
      }),
    );
    const warmup = 1;
    const busy: number[] = [];
    const times: number[] = [];
    for (let i = 0; i < warmup + calls; i++) {
      fhir.requestLog.length = 0;
      const { times: t } = await timeSequentialCalls({
        url: `${child.url}${SERVICE_PATH}`,
        body,
        count: 1,
        warmup: 0,
      });
      if (i >= warmup) {
        times.push(t[0] as number);
        busy.push(fhir.requestLog.reduce((sum, r) => sum + r.durationMs, 0));
      }
    }
    const last = (await hookLines(child, warmup + calls)).at(-1) ?? {};
    return {
      observations,
      serverMaxPage,
      calls,
      latencyMs: { median: median(times), p99: percentile(times, 99), min: Math.min(...times) },
      fhirRequests: last.fhirRequests ?? NaN,
      sequentialRounds: last.sequentialRounds ?? NaN,
      queries: Object.keys(last.sources ?? {}).length,
      serverBusyMs: median(busy),
      outcome: last.outcome ?? 'unknown',
    };
  } finally {
    await child.stop();
  }
}

/**
 * The live-fetch path: the service (in its own process) with no prefetch, fetching everything
 * from the FHIR server (medplum's engine, in this process) with the hook's token. Per size:
 * latency of one call at a time, FHIR requests per call, and how many had to follow one another
 * (the goal: one parallel wave plus paging). Run against a server that honours the service's
 * page size and against one that caps pages at 100, to show what paging adds.
 */
export async function liveSuite(
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<SuiteResult> {
  const sizes = options.sizes ?? (options.quick ? [500] : [500, 5_000]);
  const rows: LiveBenchRow[] = [];
  for (const maxPageSize of [1_000, 100]) {
    const fhir = await startFhirServer({
      defaultPageSize: Math.min(100, maxPageSize),
      maxPageSize,
      authorize: (req) => req.headers.authorization === `Bearer ${TOKEN}`,
    });
    try {
      for (const size of sizes) {
        const patient = benchPatient(size, 4242);
        await fhir.load([patient.bundle]);
        const calls = options.quick ? 2 : Math.max(3, Math.round(20_000 / Math.max(size, 1_000)));
        progress(`  ${whole(patient.observations)} observations, pages of ${maxPageSize}...`);
        rows.push(
          await benchOne(fhir, maxPageSize, patient.patientId, patient.observations, calls),
        );
      }
    } finally {
      await fhir.close();
    }
  }
  const table = formatTable(
    [
      'observations',
      'server page',
      'calls',
      'median ms',
      'p99 ms',
      'min ms',
      'queries',
      'FHIR requests',
      'sequential rounds',
      'server busy ms',
      'outcome',
    ],
    rows.map((r) => [
      whole(r.observations),
      whole(r.serverMaxPage),
      String(r.calls),
      fixed(r.latencyMs.median, 0),
      fixed(r.latencyMs.p99, 0),
      fixed(r.latencyMs.min, 0),
      String(r.queries),
      String(r.fhirRequests),
      String(r.sequentialRounds),
      fixed(r.serverBusyMs, 0),
      r.outcome,
    ]),
  );
  return {
    name: 'live',
    json: { rows },
    report: [
      'Live fetch: no prefetch; the service fetches from the FHIR server (medplum engine) with the',
      "hook's token. Sequential rounds: the longest chain of requests that had to follow one",
      'another (1 = one parallel wave). Server busy: time the FHIR server spent on a call, summed.',
      table,
    ].join('\n'),
  };
}
