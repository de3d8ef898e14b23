import type { Bundle, BundleLink } from 'fhir/r4';
import FhirClient from 'fhirclient/lib/FhirClient';
import { retryDelayMs, sleep, type RetryPolicy } from './retry-policy';

/** Reads a FHIR server: one resource, or every page of a search. Injected, so tests pass a fake. */
export interface FhirReader {
  /** Reads one resource by its relative URL (`Patient/123`). */
  read(url: string, signal: AbortSignal): Promise<unknown>;
  /**
   * Yields every page of a search, starting from a relative URL or from a first page already in
   * hand (a prefetched Bundle with a `next` link). Throws a {@link FhirFetchError} on a failed
   * request or an unsafe `next` link.
   */
  pages(start: string | Bundle, signal: AbortSignal): AsyncGenerator<Bundle>;
  /** Requests sent so far (pages included). */
  readonly requestCount: number;
}

export interface FhirReaderOptions {
  /** The FHIR base URL (the hook's `fhirServer`). */
  serverUrl: string;
  /** Bearer token (the hook's `fhirAuthorization.access_token`); never logged. */
  accessToken?: string;
  /** Pages per search before giving up (a server that never ends). */
  maxPages: number;
  /** Largest response body accepted, in bytes. */
  maxResponseBytes: number;
  /**
   * Retries of requests that failed for a passing reason (429, 502-504, network). Absent: none,
   * as a CDS service inside a chart-open time budget has no time to wait.
   */
  retry?: RetryPolicy;
}

/** Why a FHIR request failed, without URLs or bodies (they may carry patient data). */
export type FhirFetchProblem =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'server-error'
  | 'bad-response'
  | 'unreachable'
  | 'paging-loop'
  | 'paging-off-server'
  | 'too-many-pages'
  | 'aborted';

/** A FHIR request that failed; `problem` is safe to log. */
export class FhirFetchError extends Error {
  readonly problem: FhirFetchProblem;
  readonly status?: number;

  constructor(problem: FhirFetchProblem, message: string, status?: number, cause?: unknown) {
    super(message, cause !== undefined ? { cause } : undefined);
    this.name = 'FhirFetchError';
    this.problem = problem;
    if (status !== undefined) this.status = status;
  }
}

function nextLink(bundle: Bundle): string | undefined {
  const link = (Array.isArray(bundle.link) ? bundle.link : []).find(
    (l: BundleLink) => l?.relation === 'next' && typeof l.url === 'string',
  );
  return link?.url;
}

/** The `Retry-After` header of a failed response, when fhirclient kept the response. */
function retryAfterOf(error: unknown): string | null | undefined {
  const headers = (error as { response?: { headers?: { get?: unknown } } })?.response?.headers;
  return typeof headers?.get === 'function'
    ? (headers.get as (name: string) => string | null).call(headers, 'retry-after')
    : undefined;
}

function classify(error: unknown, signal: AbortSignal): FhirFetchError {
  if (error instanceof FhirFetchError) return error;
  if (signal.aborted) return new FhirFetchError('aborted', 'request aborted (time budget)');
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') {
    const problem: FhirFetchProblem =
      status === 401
        ? 'unauthorized'
        : status === 403
          ? 'forbidden'
          : status === 404
            ? 'not-found'
            : status >= 500
              ? 'server-error'
              : 'bad-response';
    return new FhirFetchError(problem, `FHIR server answered HTTP ${status}`, status, error);
  }
  if (error instanceof SyntaxError) {
    return new FhirFetchError('bad-response', 'FHIR server sent malformed JSON', undefined, error);
  }
  const name = (error as { name?: unknown }).name;
  if (name === 'AbortError') return new FhirFetchError('aborted', 'request aborted');
  if ((error as { type?: unknown }).type === 'max-size') {
    return new FhirFetchError('bad-response', 'FHIR response too large', undefined, error);
  }
  return new FhirFetchError('unreachable', 'FHIR server unreachable', undefined, error);
}

/**
 * A {@link FhirReader} over fhirclient's `FhirClient`, with what a service in the path of every
 * chart open needs on top: the token only ever sent to the hook's own server (a `next` link
 * elsewhere is refused, redirects are not followed), paging loops and endless paging stopped,
 * response size bounded, and every request abortable by the caller's time budget.
 */
export function createFhirReader(options: FhirReaderOptions): FhirReader {
  const base = options.serverUrl.replace(/\/+$/, '');
  const client = new FhirClient(`${base}/`);
  const headers: Record<string, string> = { accept: 'application/fhir+json' };
  if (options.accessToken) headers.authorization = `Bearer ${options.accessToken}`;
  let requestCount = 0;
  // node-fetch (under fhirclient in Node) honours `size` and `redirect`; browsers ignore `size`.
  const requestInit = (signal: AbortSignal) =>
    ({ headers, signal, redirect: 'error', size: options.maxResponseBytes }) as RequestInit;

  const onServer = (url: string) => url === base || url.startsWith(`${base}/`);

  /** One request, sent again after a backoff when it failed for a passing reason. */
  async function send(url: string, signal: AbortSignal): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      requestCount++;
      let failure: FhirFetchError;
      let retryAfter: string | null | undefined;
      try {
        return (await client.fhirRequest(url, requestInit(signal))) as unknown;
      } catch (error) {
        failure = classify(error, signal);
        retryAfter = retryAfterOf(error);
      }
      const wait =
        options.retry && failure.problem !== 'aborted'
          ? retryDelayMs(
              options.retry,
              attempt,
              { status: failure.status, network: failure.problem === 'unreachable', retryAfter },
              Date.now(),
            )
          : undefined;
      if (wait === undefined) throw failure;
      try {
        await sleep(wait, signal);
      } catch {
        throw new FhirFetchError('aborted', 'request aborted (time budget) while waiting to retry');
      }
    }
  }

  return {
    get requestCount() {
      return requestCount;
    },
    async read(url, signal) {
      return send(url, signal);
    },
    async *pages(start, signal) {
      const seen = new Set<string>();
      let page: Bundle;
      let pages = 0;
      let url: string | undefined = typeof start === 'string' ? start : undefined;
      let current: Bundle | undefined = typeof start === 'string' ? undefined : start;
      while (true) {
        if (current === undefined) {
          if (url === undefined) return;
          current = (await send(url, signal)) as Bundle;
          if (!current || typeof current !== 'object' || current.resourceType !== 'Bundle') {
            throw new FhirFetchError('bad-response', 'FHIR search did not answer with a Bundle');
          }
        }
        page = current;
        pages++;
        yield page;
        const next = nextLink(page);
        if (next === undefined) return;
        const absolute = new URL(next, `${base}/`).toString();
        if (!onServer(absolute)) {
          throw new FhirFetchError('paging-off-server', 'next link points off the FHIR server');
        }
        if (seen.has(absolute)) throw new FhirFetchError('paging-loop', 'next link loops back');
        seen.add(absolute);
        if (pages >= options.maxPages) {
          throw new FhirFetchError('too-many-pages', `more than ${options.maxPages} pages`);
        }
        url = absolute;
        current = undefined;
      }
    },
  };
}

/** True when the FHIR server refused the credentials: the data cannot be had with them at all. */
export function isRefusal(failure: { problem: string }): boolean {
  return failure.problem === 'unauthorized' || failure.problem === 'forbidden';
}
