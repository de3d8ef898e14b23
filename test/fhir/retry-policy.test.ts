import { retryDelayMs, sleep, type RetryPolicy } from '../../src/fhir/retry-policy';

const policy: RetryPolicy = {
  retries: 3,
  baseDelayMs: 500,
  maxDelayMs: 2000,
  maxRetryAfterMs: 60_000,
  random: () => 0.999,
};
const NOW = Date.parse('2026-03-01T08:00:00Z');

describe('retryDelayMs', () => {
  it('retries 429, 502, 503, 504 and network failures, never other statuses', () => {
    for (const status of [429, 502, 503, 504]) {
      expect(retryDelayMs(policy, 0, { status, network: false }, NOW)).toBeDefined();
    }
    expect(retryDelayMs(policy, 0, { network: true }, NOW)).toBeDefined();
    for (const status of [400, 401, 403, 404, 410, 500, 501]) {
      expect(retryDelayMs(policy, 0, { status, network: false }, NOW)).toBeUndefined();
    }
  });

  it('backs off exponentially with full jitter up to the cap, and stops when retries run out', () => {
    const waits = [0, 1, 2].map((a) =>
      retryDelayMs(policy, a, { status: 503, network: false }, NOW),
    );
    expect(waits).toEqual([499, 999, 1998]);
    const capped = retryDelayMs({ ...policy, retries: 9 }, 6, { status: 503, network: false }, NOW);
    expect(capped).toBe(1998);
    expect(
      retryDelayMs({ ...policy, random: () => 0 }, 2, { status: 503, network: false }, NOW),
    ).toBe(0);
    expect(retryDelayMs(policy, 3, { status: 503, network: false }, NOW)).toBeUndefined();
  });

  it('honours Retry-After in seconds or as an HTTP date, and gives up on a wait too long', () => {
    expect(retryDelayMs(policy, 0, { status: 429, network: false, retryAfter: '7' }, NOW)).toBe(
      7000,
    );
    const date = new Date(NOW + 12_000).toUTCString();
    expect(retryDelayMs(policy, 0, { status: 503, network: false, retryAfter: date }, NOW)).toBe(
      12_000,
    );
    expect(
      retryDelayMs(policy, 0, { status: 429, network: false, retryAfter: '3600' }, NOW),
    ).toBeUndefined();
    expect(retryDelayMs(policy, 0, { status: 429, network: false, retryAfter: 'soon' }, NOW)).toBe(
      499,
    );
  });
});

describe('sleep', () => {
  it('ends early when the signal aborts', async () => {
    const stop = new AbortController();
    const waiting = sleep(60_000, stop.signal);
    stop.abort(new Error('budget'));
    await expect(waiting).rejects.toThrow('budget');
  });
});
