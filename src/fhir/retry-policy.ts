/** When and how long to wait before sending a failed FHIR request again. */
export interface RetryPolicy {
  /** Retries after the first attempt (0: never retry). */
  retries: number;
  /** Upper bound of the first backoff; doubles with each retry. */
  baseDelayMs: number;
  /** Cap of one backoff. */
  maxDelayMs: number;
  /** Longest `Retry-After` honoured; a server asking for more is not waited for. */
  maxRetryAfterMs: number;
  /** Jitter source in [0, 1); tests pass a fixed one. */
  random?: () => number;
}

/** Statuses that say "try again later": rate limited, bad gateway, unavailable, gateway timeout. */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * Milliseconds to wait before retry number `attempt + 1`, or undefined when the failure is not
 * worth retrying (any other HTTP status: a 4xx will not change by asking again) or the retries
 * are used up. A network failure (`status` undefined, `network` true) is retried. The server's
 * `Retry-After` (seconds or an HTTP date) wins when it gives one; otherwise exponential backoff
 * with full jitter, so many clients that failed together do not retry together.
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  failure: { status?: number; network: boolean; retryAfter?: string | null },
  nowMs: number,
): number | undefined {
  if (attempt >= policy.retries) return undefined;
  const transient =
    failure.status === undefined ? failure.network : TRANSIENT_STATUSES.has(failure.status);
  if (!transient) return undefined;
  const asked = parseRetryAfter(failure.retryAfter, nowMs);
  if (asked !== undefined) return asked <= policy.maxRetryAfterMs ? asked : undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Waits `ms`, or rejects as soon as the signal aborts (a time budget never waits out a backoff). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
