import type { Bundle } from 'fhir/r4';
import type { DataAvailability } from '../engine/types';
import { liveQueryUrl, type DataPlan, type PlannedQuery } from './data-plan';
import { FhirFetchError, type FhirFetchProblem, type FhirReader } from './fhir-search-client';

/** Where one query's data came from. */
export type QuerySource = 'prefetch' | 'prefetch-and-pages' | 'fetched' | 'no-data' | 'failed';

/** Why a query's data could not be had; safe to log (no URLs, ids or bodies). */
export type GatherProblem = FhirFetchProblem | 'no-fhir-server' | 'unexpected-resource';

export interface GatherRequest {
  plan: DataPlan;
  patientId: string;
  /** The hook's `prefetch` object, as sent (may be absent). */
  prefetch: Record<string, unknown> | undefined;
  /** Reader of the hook's `fhirServer`; undefined when the request named no server. */
  reader: FhirReader | undefined;
  /** Evaluation time, ms since the epoch (date bounds of live queries). */
  now: number;
  /** Aborted when the time budget runs out. */
  signal: AbortSignal;
}

export interface GatheredData {
  resources: unknown[];
  /** Per searched type: every query of the type answered (or the client said it has none). */
  availability: DataAvailability;
  sources: Record<string, QuerySource>;
  failures: { key: string; problem: GatherProblem }[];
  /** FHIR requests sent (pages included). */
  requests: number;
  /** Longest chain of requests that had to follow one another (1 = one parallel wave). */
  sequentialRounds: number;
}

interface QueryOutcome {
  key: string;
  resources: unknown[];
  source: QuerySource;
  problem?: GatherProblem;
  rounds: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Resources of a search page; OperationOutcome entries (search.mode outcome) are not data. */
function pageResources(bundle: Bundle): unknown[] {
  const out: unknown[] = [];
  for (const entry of Array.isArray(bundle.entry) ? bundle.entry : []) {
    const resource: unknown = isObject(entry) ? entry.resource : undefined;
    if (isObject(resource) && resource.resourceType !== 'OperationOutcome') out.push(resource);
  }
  return out;
}

/** What a prefetch value tells us: data, "none" (null), or nothing usable (fetch it). */
function readPrefetch(
  query: PlannedQuery,
  prefetch: Record<string, unknown> | undefined,
): { kind: 'none' } | { kind: 'missing' } | { kind: 'resource'; value: unknown } | Bundle {
  if (!prefetch || !Object.prototype.hasOwnProperty.call(prefetch, query.key)) {
    return { kind: 'missing' };
  }
  const value = prefetch[query.key];
  // CDS Hooks 2.0: null means the client has no such data; do not fetch it again.
  if (value === null) return { kind: 'none' };
  if (!isObject(value)) return { kind: 'missing' };
  if (query.resourceType === 'Patient' && value.resourceType === 'Patient') {
    return { kind: 'resource', value };
  }
  if (value.resourceType === 'Bundle') return value as unknown as Bundle;
  // An OperationOutcome (the client's fetch failed) or anything else: as if missing.
  return { kind: 'missing' };
}

async function collectPages(
  reader: FhirReader,
  start: string | Bundle,
  signal: AbortSignal,
): Promise<{ resources: unknown[]; fetched: number }> {
  const resources: unknown[] = [];
  let fetched = typeof start === 'string' ? 0 : -1;
  for await (const page of reader.pages(start, signal)) {
    fetched++;
    for (const r of pageResources(page)) resources.push(r);
  }
  return { resources, fetched };
}

function failure(key: string, problem: GatherProblem, resources: unknown[] = []): QueryOutcome {
  return { key, resources, source: 'failed', problem, rounds: 0 };
}

async function runQuery(request: GatherRequest, query: PlannedQuery): Promise<QueryOutcome> {
  const { reader, signal } = request;
  const key = query.key;
  const given = readPrefetch(query, request.prefetch);
  try {
    if ('kind' in given) {
      if (given.kind === 'none') return { key, resources: [], source: 'no-data', rounds: 0 };
      if (given.kind === 'resource') {
        return { key, resources: [given.value], source: 'prefetch', rounds: 0 };
      }
      if (!reader) return failure(key, 'no-fhir-server');
      const url = liveQueryUrl(query, request.patientId, request.plan.pageSize, request.now);
      if (query.resourceType === 'Patient') {
        const patient = await reader.read(url, signal);
        if (!isObject(patient) || patient.resourceType !== 'Patient') {
          return failure(key, 'unexpected-resource');
        }
        return { key, resources: [patient], source: 'fetched', rounds: 1 };
      }
      const { resources, fetched } = await collectPages(reader, url, signal);
      return { key, resources, source: 'fetched', rounds: fetched };
    }
    // A prefetched Bundle: its entries, and its further pages when it has a next link.
    const first = pageResources(given);
    // `link` is the client's JSON: anything but a list has no next link (never a TypeError).
    const links: unknown[] = Array.isArray(given.link) ? given.link : [];
    const hasNext = links.some((l) => isObject(l) && l.relation === 'next');
    if (!hasNext) return { key, resources: first, source: 'prefetch', rounds: 0 };
    if (!reader) return failure(key, 'no-fhir-server', first);
    const { resources, fetched } = await collectPages(reader, given, signal);
    return { key, resources, source: 'prefetch-and-pages', rounds: fetched };
  } catch (error) {
    if (error instanceof FhirFetchError) return failure(key, error.problem);
    if (signal.aborted) return failure(key, 'aborted');
    throw error;
  }
}

/**
 * Settles when the signal aborts, so a request that ignores the signal cannot hold us. `stop`
 * removes the listener: left on the caller's signal, it would keep everything the race settled
 * with (the patient's whole record) reachable for as long as the signal lives, and Node keeps a
 * timeout signal with listeners alive until it fires (a whole time budget after the answer).
 */
function whenAborted(signal: AbortSignal): { promise: Promise<'aborted'>; stop: () => void } {
  let onAbort: (() => void) | undefined;
  const promise = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', (onAbort = () => resolve('aborted')), { once: true });
  });
  return { promise, stop: () => onAbort && signal.removeEventListener('abort', onAbort) };
}

/**
 * Gathers what the engine needs for one patient: each planned query from the hook's prefetch
 * where the client filled it, else from the FHIR server, all in one parallel wave, following
 * `next` links, inside the caller's time budget. Never throws for FHIR problems: each failed
 * query is reported, and its resource type counts as unavailable (so absence stays `unknown`).
 * @see https://cds-hooks.hl7.org/2.0/#prefetch-template (missing vs null keys)
 */
export async function gatherPatientData(request: GatherRequest): Promise<GatheredData> {
  const queries = request.plan.queries;
  const aborted = whenAborted(request.signal);
  let settled: QueryOutcome[] | 'aborted';
  try {
    settled = await Promise.race([
      Promise.all(queries.map((q) => runQuery(request, q))),
      aborted.promise,
    ]);
  } finally {
    aborted.stop();
  }
  const outcomes: QueryOutcome[] =
    settled === 'aborted' ? queries.map((q) => failure(q.key, 'aborted')) : settled;

  const availability: DataAvailability = {};
  const resources: unknown[] = [];
  const sources: Record<string, QuerySource> = {};
  const failures: GatheredData['failures'] = [];
  let rounds = 0;
  queries.forEach((query, i) => {
    const outcome = outcomes[i] as QueryOutcome;
    for (const r of outcome.resources) resources.push(r);
    sources[query.key] = outcome.source;
    rounds = Math.max(rounds, outcome.rounds);
    // A Device belongs to the device-use slice of the record.
    const t = query.resourceType === 'Device' ? 'DeviceUseStatement' : query.resourceType;
    if (outcome.problem !== undefined) {
      failures.push({ key: query.key, problem: outcome.problem });
      availability[t] = 'unavailable';
    } else if (availability[t] === undefined) {
      availability[t] = 'searched';
    }
  });
  return {
    resources,
    availability,
    sources,
    failures,
    requests: request.reader?.requestCount ?? 0,
    sequentialRounds: rounds,
  };
}
