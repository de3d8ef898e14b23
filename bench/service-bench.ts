import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCdsClientKey,
  createCdsJwtVerifier,
  signCdsClientJwt,
  type CdsClientAlgorithm,
} from '../src/auth';
import type { BenchOptions, SuiteResult } from './support/bench-options';
import { BENCH_NOW, benchPatient, SERVICE_PATH } from './support/hook-bodies';
import { runLoad, timeSequentialCalls, type LoadResult } from './support/http-load';
import { startServiceProcess } from './support/spawn-service';
import type { ServiceProcessOptions } from './support/service-process';
import { median, msSince, percentile, timeRuns } from './support/stats';
import { fixed, formatTable, whole } from './support/table';

export interface ServiceBenchOptions {
  sizes: number[];
  connections: number;
  durationSeconds: number;
  /** One-at-a-time calls per size (fewer for big patients, see `callsFor`). */
  sequentialCalls: number;
  /** Observation count of the patient used for the JWT line. */
  jwtSize: number;
  /** Pre-signed tokens for the JWT load run (one per request). */
  jwtLoadRequests: number;
}

/** Latency of one call at a time, in ms. */
interface OneAtATime {
  calls: number;
  median: number;
  p99: number;
}

/** One endpoint (the service or the bare one) at one size. */
interface EndpointRun {
  oneAtATime: OneAtATime;
  load: LoadResult;
  peakRssMb: number;
}

export interface ServiceBenchRow {
  observationTarget: number;
  observations: number;
  prefetchObservations: number;
  bodyBytes: number;
  jsonParse: { runs: number; median: number; p99: number };
  service: EndpointRun;
  bare: EndpointRun;
  ratios: {
    /** Service median ÷ JSON.parse median (one call at a time). */
    serviceOverParse: number;
    /** Service median ÷ bare endpoint median (one call at a time). */
    serviceOverBare: number;
    /** Bare req/s ÷ service req/s under load. */
    bareOverServiceThroughput: number;
  };
}

export interface JwtBenchResult {
  observationTarget: number;
  /** In-process verifier cost per token, µs (median), per algorithm. */
  verifyMicroseconds: Record<CdsClientAlgorithm, number>;
  /** The service with auth on, each call with a fresh pre-signed ES384 token. */
  withAuth: { oneAtATime: OneAtATime; load: LoadResult };
  /**
   * The same size with auth off, run the same way (the same tokens, in a header the service
   * ignores), so the load generator does the same work in both runs.
   */
  withoutAuth: { oneAtATime: OneAtATime; load: LoadResult };
}

export interface ServiceBenchReport {
  settings: ServiceBenchOptions & { auth: string; now: string };
  rows: ServiceBenchRow[];
  jwt: JwtBenchResult;
}

/** Fewer one-at-a-time calls for big patients: about the same wall time per size. */
function callsFor(observations: number, base: number): number {
  return Math.max(10, Math.min(base, Math.round((base * 2_000) / Math.max(observations, 2_000))));
}

function summary(times: number[]): OneAtATime {
  return { calls: times.length, median: median(times), p99: percentile(times, 99) };
}

async function runEndpoint(
  options: ServiceProcessOptions,
  body: Buffer,
  calls: number,
  o: ServiceBenchOptions,
  tokens?: { sequential: string[]; load: string[]; header?: string },
): Promise<EndpointRun & { answer: string }> {
  const child = await startServiceProcess(options);
  try {
    const url = `${child.url}${SERVICE_PATH}`;
    const seq = await timeSequentialCalls({
      url,
      body,
      count: calls,
      warmup: Math.min(5, calls),
      ...(tokens
        ? {
            headers: (i: number) => ({
              [tokens.header ?? 'authorization']: `Bearer ${tokens.sequential[i]}`,
            }),
          }
        : {}),
    });
    const load = await runLoad({
      url,
      body,
      connections: o.connections,
      durationSeconds: o.durationSeconds,
      ...(tokens
        ? { tokens: tokens.load, ...(tokens.header ? { tokenHeader: tokens.header } : {}) }
        : {}),
    });
    const stats = await child.stats();
    return {
      oneAtATime: summary(seq.times),
      load,
      peakRssMb: stats.maxRssKb / 1024,
      answer: seq.lastAnswer,
    };
  } finally {
    await child.stop();
  }
}

/** The verifier alone: µs per fresh token (median), after a warm-up. */
function benchVerify(alg: CdsClientAlgorithm, runs: number): Promise<number> {
  const key = createCdsClientKey({ alg, kid: `bench-${alg}` });
  const iss = 'https://bench.ehr.example';
  const aud = `http://bench.local${SERVICE_PATH}`;
  const verifier = createCdsJwtVerifier({
    issuers: [{ iss, jwks: { keys: [key.publicJwk] }, algorithms: [alg] }],
    maxRememberedJtis: runs + 100,
  });
  const tokens = Array.from({ length: runs + 20 }, () => signCdsClientJwt(key, { iss, aud }));
  return (async () => {
    const times: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t0 = process.hrtime.bigint();
      await verifier.verify(`Bearer ${tokens[i]}`, aud);
      if (i >= 20) times.push(msSince(t0) * 1000);
    }
    return median(times);
  })();
}

/**
 * patient-view with full prefetch, per size: the service and a bare express endpoint, each in a
 * child process of its own, one call at a time (service time) and under autocannon at a fixed
 * concurrency; JSON.parse of the same body in this process; peak RSS of each child. Auth is off
 * in the table; the JWT line runs the smallest patient with auth on and pre-signed tokens.
 */
export async function benchService(
  o: ServiceBenchOptions,
  progress: (line: string) => void,
): Promise<ServiceBenchReport> {
  const rows: ServiceBenchRow[] = [];
  for (const size of o.sizes) {
    const patient = benchPatient(size);
    // The bytes as they arrive, decoded and parsed: what any JSON service does with a body.
    const parseTimes = timeRuns(
      () => JSON.parse(patient.body.toString('utf8')),
      Math.max(20, callsFor(size, 100)),
    );
    const calls = callsFor(patient.observations, o.sequentialCalls);
    progress(
      `  ${patient.observations} observations (${(patient.body.length / 1024).toFixed(0)} KB body): service...`,
    );
    const service = await runEndpoint({ kind: 'service', now: BENCH_NOW }, patient.body, calls, o);
    const cards = (JSON.parse(service.answer) as { cards: unknown[] }).cards.length;
    if (cards !== 1) throw new Error(`the service answered ${cards} cards, expected one`);
    progress(`  ${patient.observations} observations: bare express...`);
    const bare = await runEndpoint(
      { kind: 'bare', fixedResponse: service.answer },
      patient.body,
      calls,
      o,
    );
    const jsonParse = {
      runs: parseTimes.length,
      median: median(parseTimes),
      p99: percentile(parseTimes, 99),
    };
    const strip = ({ answer: _a, ...run }: EndpointRun & { answer: string }): EndpointRun => run;
    rows.push({
      observationTarget: size,
      observations: patient.observations,
      prefetchObservations: patient.prefetchObservations,
      bodyBytes: patient.body.length,
      jsonParse,
      service: strip(service),
      bare: strip(bare),
      ratios: {
        serviceOverParse: service.oneAtATime.median / jsonParse.median,
        serviceOverBare: service.oneAtATime.median / bare.oneAtATime.median,
        bareOverServiceThroughput: bare.load.requestsPerSecond / service.load.requestsPerSecond,
      },
    });
  }

  progress(`  JWT: ${o.jwtSize} observations with auth on...`);
  const jwt = await benchJwt(o);
  return { settings: { ...o, auth: 'off (JWT line: on)', now: BENCH_NOW }, rows, jwt };
}

async function benchJwt(o: ServiceBenchOptions): Promise<JwtBenchResult> {
  const verifyMicroseconds = {
    ES384: await benchVerify('ES384', 300),
    RS384: await benchVerify('RS384', 300),
  };
  const patient = benchPatient(o.jwtSize);
  const key = createCdsClientKey({ alg: 'ES384', kid: 'bench-client' });
  const iss = 'https://bench.ehr.example';
  const publicBaseUrl = 'http://bench.local';
  const dir = mkdtempSync(join(tmpdir(), 'stellar-bench-jwt-'));
  const trustedIssuersFile = join(dir, 'trusted-issuers.json');
  writeFileSync(trustedIssuersFile, JSON.stringify([{ iss, jwks: { keys: [key.publicJwk] } }]));
  const aud = `${publicBaseUrl}${SERVICE_PATH}`;
  const calls = callsFor(patient.observations, o.sequentialCalls);
  const sign = (n: number) => Array.from({ length: n }, () => signCdsClientJwt(key, { iss, aud }));
  const tokens = { sequential: sign(calls + 5), load: sign(o.jwtLoadRequests) };
  try {
    // The same tokens, in a header the service ignores: the load generator works the same.
    const off = await runEndpoint(
      { kind: 'service', now: BENCH_NOW, publicBaseUrl },
      patient.body,
      calls,
      o,
      { ...tokens, header: 'x-bench-token' },
    );
    const on = await runEndpoint(
      { kind: 'service', now: BENCH_NOW, trustedIssuersFile, publicBaseUrl },
      patient.body,
      calls,
      o,
      tokens,
    );
    return {
      observationTarget: o.jwtSize,
      verifyMicroseconds,
      withAuth: { oneAtATime: on.oneAtATime, load: on.load },
      withoutAuth: { oneAtATime: off.oneAtATime, load: off.load },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Observation counts the issue asks for. */
const DEFAULT_SIZES = [500, 5_000, 50_000];

/** `--suite service`: runs {@link benchService} and formats its tables. */
export async function serviceSuite(
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<SuiteResult> {
  const sizes = options.sizes ?? (options.quick ? [500, 5_000] : DEFAULT_SIZES);
  const o: ServiceBenchOptions = {
    sizes,
    connections: options.connections,
    durationSeconds: options.durationSeconds ?? (options.quick ? 2 : 10),
    sequentialCalls: options.quick ? 20 : 200,
    jwtSize: Math.min(...sizes),
    jwtLoadRequests: options.quick ? 200 : 3_000,
  };
  const report = await benchService(o, progress);
  return { name: 'service', json: report, report: formatServiceReport(report) };
}

function formatServiceReport(r: ServiceBenchReport): string {
  const s = r.settings;
  const oneAtATime = formatTable(
    [
      'observations',
      'prefetch entries',
      'body KB',
      'JSON.parse ms',
      'bare ms',
      'service ms',
      'service p99',
      'service/parse',
      'service/bare',
    ],
    r.rows.map((row) => [
      whole(row.observations),
      whole(row.prefetchObservations),
      whole(row.bodyBytes / 1024),
      fixed(row.jsonParse.median, 2),
      fixed(row.bare.oneAtATime.median, 2),
      fixed(row.service.oneAtATime.median, 2),
      fixed(row.service.oneAtATime.p99, 2),
      `${fixed(row.ratios.serviceOverParse, 1)}x`,
      `${fixed(row.ratios.serviceOverBare, 1)}x`,
    ]),
  );
  const underLoad = formatTable(
    [
      'observations',
      'service p50 ms',
      'p99 ms',
      'req/s',
      'bare p50 ms',
      'p99 ms',
      'req/s',
      'peak RSS service MB',
      'bare MB',
      'non-2xx',
    ],
    r.rows.map((row) => [
      whole(row.observations),
      fixed(row.service.load.latencyP50, 0),
      fixed(row.service.load.latencyP99, 0),
      fixed(row.service.load.requestsPerSecond, 1),
      fixed(row.bare.load.latencyP50, 0),
      fixed(row.bare.load.latencyP99, 0),
      fixed(row.bare.load.requestsPerSecond, 1),
      fixed(row.service.peakRssMb, 0),
      fixed(row.bare.peakRssMb, 0),
      String(row.service.load.non2xx + row.service.load.errors + row.bare.load.non2xx),
    ]),
  );
  const j = r.jwt;
  const first = r.rows.find((row) => row.observationTarget === 500);
  const fiveK = r.rows.find((row) => row.observationTarget === 5_000);
  const goals = [
    first
      ? `p99 under 50 ms at 500 observations: one call at a time ${fixed(first.service.oneAtATime.p99, 1)} ms; ` +
        `under load (${s.connections} connections) ${fixed(first.service.load.latencyP99, 0)} ms`
      : undefined,
    fiveK
      ? `service within 3x of parsing the body at 5,000 observations: ${fixed(fiveK.ratios.serviceOverParse, 1)}x`
      : undefined,
  ].filter((g): g is string => g !== undefined);
  return [
    `Service: patient-view with full prefetch, real service and a bare express endpoint (parses the`,
    `body, answers the service's card) each in its own process; auth off (the JWT line below has it on).`,
    ``,
    `One call at a time on an idle server (median ms; p99 of the service). JSON.parse: the same`,
    `body's bytes decoded and parsed in the bench process, the floor of any JSON service.`,
    oneAtATime,
    ``,
    `Under load: autocannon, ${s.connections} connections, ${s.durationSeconds} s per endpoint and size:`,
    underLoad,
    ``,
    `JWT, ${whole(j.observationTarget)} observations, a fresh pre-signed ES384 token per call, auth on vs off`,
    `(off: the same tokens in a header the service ignores, so the load generator works the same):`,
    `  verify alone ${fixed(j.verifyMicroseconds.ES384, 0)} µs (ES384), ${fixed(j.verifyMicroseconds.RS384, 0)} µs (RS384)`,
    `  one call ${fixed(j.withAuth.oneAtATime.median, 2)} ms on vs ${fixed(j.withoutAuth.oneAtATime.median, 2)} ms off`,
    `  under load ${fixed(j.withAuth.load.requestsPerSecond, 1)} vs ${fixed(j.withoutAuth.load.requestsPerSecond, 1)} req/s, ` +
      `p99 ${fixed(j.withAuth.load.latencyP99, 0)} vs ${fixed(j.withoutAuth.load.latencyP99, 0)} ms; ` +
      `${j.withAuth.load.non2xx + j.withAuth.load.errors} refused or failed`,
    ...(goals.length ? ['', 'Goals:', ...goals.map((g) => `  ${g}`)] : []),
  ].join('\n');
}
