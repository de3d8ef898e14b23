import { createJtiReplayCache } from '../../src/auth/jti-replay-cache';
import { T0, testClock } from './auth-fixtures';

describe('createJtiReplayCache', () => {
  it('answers fresh for a new jti and replayed for the same jti of the same issuer', () => {
    const cache = createJtiReplayCache({ maxEntries: 10, now: testClock().now });
    expect(cache.remember('iss-a', 'j1', T0 + 60_000)).toBe('fresh');
    expect(cache.remember('iss-a', 'j1', T0 + 60_000)).toBe('replayed');
    expect(cache.remember('iss-b', 'j1', T0 + 60_000)).toBe('fresh');
  });

  it('forgets a jti once the time it was kept for has passed', () => {
    const clock = testClock();
    const cache = createJtiReplayCache({ maxEntries: 10, now: clock.now });
    cache.remember('iss-a', 'j1', T0 + 60_000);
    clock.advanceSeconds(61);
    expect(cache.remember('iss-a', 'j1', T0 + 120_000)).toBe('fresh');
  });

  it('sweeps expired entries so memory does not grow with traffic', () => {
    const clock = testClock();
    const cache = createJtiReplayCache({ maxEntries: 1000, now: clock.now });
    for (let i = 0; i < 100; i += 1) cache.remember('iss-a', `old-${i}`, T0 + 30_000);
    expect(cache.size).toBe(100);
    clock.advanceSeconds(61);
    cache.remember('iss-a', 'new', T0 + 120_000);
    expect(cache.size).toBe(1);
  });

  it('refuses to record when full of live entries rather than forgetting one', () => {
    const clock = testClock();
    const cache = createJtiReplayCache({ maxEntries: 2, now: clock.now });
    cache.remember('iss-a', 'j1', T0 + 10_000);
    cache.remember('iss-a', 'j2', T0 + 600_000);
    expect(cache.remember('iss-a', 'j3', T0 + 600_000)).toBe('full');
    expect(cache.remember('iss-a', 'j1', T0 + 600_000)).toBe('replayed');
    clock.advanceSeconds(11);
    expect(cache.remember('iss-a', 'j3', T0 + 600_000)).toBe('fresh');
    expect(cache.size).toBe(2);
  });
});
