import autocannon from 'autocannon';
import { generatePatient, type ScenarioName } from '../src/synthetic';
import type { BenchOptions, SuiteResult } from './support/bench-options';
import { BENCH_NOW, benchPatient, SERVICE_PATH } from './support/hook-bodies';
import { startServiceProcess } from './support/spawn-service';
import { fixed, formatTable, whole } from './support/table';
import { prefetchFromRecord } from '../src/synthetic/prefetch-from-record';
import { buildDataPlan } from '../src/fhir/data-plan';
import { loadServiceDefinition } from '../src/config/service-definition';

/** Memory of the service at one moment of the soak. */
export interface SoakSample {
  second: number;
  rssMb: number;
  heapUsedMb: number;
  /** Answers received so far. */
  requests: number;
}

export interface SoakResult {
  seconds: number;
  connections: number;
  samples: SoakSample[];
  /** Heap after a full GC once warmed up, and at the end: what is still held. */
  heapAfterGcMb: { warm: number; end: number };
  /** RSS once warmed up (first quarter of the run) and at the end. */
  rssMb: { warm: number; end: number; peak: number };
  requests: number;
  requestsPerSecond: number;
  /** Answers by status: the mix includes bad requests on purpose. */
  statuses: Record<string, number>;
  errors: number;
}

function hookBody(scenario: ScenarioName, seed: number): string {
  const bundle = generatePatient({ seed, scenario, now: BENCH_NOW, observationTarget: 500 });
  const resources = (bundle.entry ?? []).map(
    (e) => e.resource as unknown as Record<string, unknown>,
  );
  const patientId = String(resources.find((r) => r.resourceType === 'Patient')?.id);
  return JSON.stringify({
    hook: 'patient-view',
    hookInstance: crypto.randomUUID(),
    context: { userId: 'Practitioner/soak', patientId },
    prefetch: prefetchFromRecord(resources, buildDataPlan(loadServiceDefinition())),
  });
}

/**
 * Steady load on the service in a child process for `seconds`, sampling its memory every
 * second: a mix of calls that issue a card, calls with no card, a call with missing data (412)
 * and malformed calls (400), so error paths are soaked too.
 */
export async function runSoak(o: {
  seconds: number;
  connections: number;
  progress?: (sample: SoakSample) => void;
}): Promise<SoakResult> {
  const json = { 'content-type': 'application/json' };
  const card = benchPatient(500).body.toString('utf8');
  const requests = [
    { method: 'POST', path: SERVICE_PATH, headers: json, body: card },
    { method: 'POST', path: SERVICE_PATH, headers: json, body: hookBody('excluded-hiv', 5) },
    { method: 'POST', path: SERVICE_PATH, headers: json, body: hookBody('likely-hypercapnic', 6) },
    {
      method: 'POST',
      path: SERVICE_PATH,
      headers: json,
      body: JSON.stringify({ ...JSON.parse(card), prefetch: {} }),
    },
    { method: 'POST', path: SERVICE_PATH, headers: json, body: '{"hook": "patient-view",' },
    { method: 'POST', path: SERVICE_PATH, headers: json, body: '{"hook":"order-sign"}' },
  ];
  const child = await startServiceProcess({ kind: 'service', now: BENCH_NOW, logLevel: 'info' });
  const samples: SoakSample[] = [];
  const statuses: Record<string, number> = {};
  let answered = 0;
  try {
    const started = Date.now();
    const load = autocannon({
      url: child.url,
      connections: o.connections,
      duration: o.seconds,
      requests,
    });
    load.on('response', (_client, status) => {
      answered++;
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
    let warmHeap = NaN;
    const warmAt = Math.max(2, Math.round(o.seconds / 4));
    const sampler = (async () => {
      for (let second = 1; second <= o.seconds; second++) {
        await new Promise((r) => setTimeout(r, started + second * 1000 - Date.now()));
        const gc = second === warmAt;
        const stats = await child.stats({ gc });
        if (gc) warmHeap = stats.heapUsed / 2 ** 20;
        const sample = {
          second,
          rssMb: stats.rss / 2 ** 20,
          heapUsedMb: stats.heapUsed / 2 ** 20,
          requests: answered,
        };
        samples.push(sample);
        o.progress?.(sample);
      }
    })();
    const result = await load;
    await sampler;
    const end = await child.stats({ gc: true });
    const warm = samples.find((s) => s.second === warmAt) ?? samples[0];
    const last = samples[samples.length - 1];
    return {
      seconds: o.seconds,
      connections: o.connections,
      samples,
      heapAfterGcMb: { warm: warmHeap, end: end.heapUsed / 2 ** 20 },
      rssMb: {
        warm: warm?.rssMb ?? NaN,
        end: last?.rssMb ?? NaN,
        peak: end.maxRssKb / 1024,
      },
      requests: answered,
      requestsPerSecond: answered / result.duration,
      statuses,
      errors: result.errors,
    };
  } finally {
    await child.stop();
  }
}

/** `--suite soak`: a few minutes of steady load, RSS over time (long: --duration). */
export async function soakSuite(
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<SuiteResult> {
  const seconds = options.durationSeconds ?? (options.quick ? 10 : 180);
  const result = await runSoak({
    seconds,
    connections: options.connections,
    progress: (s) => {
      if (s.second % 10 === 0) progress(`  ${s.second} s: RSS ${s.rssMb.toFixed(0)} MB`);
    },
  });
  const every = Math.max(1, Math.round(seconds / 12));
  const table = formatTable(
    ['second', 'RSS MB', 'heap used MB', 'answers'],
    result.samples
      .filter((s) => s.second % every === 0 || s.second === 1)
      .map((s) => [String(s.second), fixed(s.rssMb, 0), fixed(s.heapUsedMb, 0), whole(s.requests)]),
  );
  return {
    name: 'soak',
    json: result,
    report: [
      `Soak: ${seconds} s of steady load, ${result.connections} connections, mixed calls (cards, no`,
      `card, 412, 400); ${whole(result.requests)} answers (${fixed(result.requestsPerSecond, 0)}/s), ` +
        `statuses ${JSON.stringify(result.statuses)}, ${result.errors} connection errors.`,
      table,
      `RSS warm ${fixed(result.rssMb.warm, 0)} MB -> end ${fixed(result.rssMb.end, 0)} MB (peak ` +
        `${fixed(result.rssMb.peak, 0)} MB); heap after full GC warm ${fixed(result.heapAfterGcMb.warm, 1)} MB -> end ` +
        `${fixed(result.heapAfterGcMb.end, 1)} MB.`,
    ].join('\n'),
  };
}
