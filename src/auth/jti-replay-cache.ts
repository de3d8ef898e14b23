/** What {@link JtiReplayCache.remember} found. */
export type JtiOutcome = 'fresh' | 'replayed' | 'full';

/**
 * The `jti` of every accepted token, per issuer, until the token can no longer be accepted.
 * CDS Hooks 2.0 asks a service to refuse a `jti` it has seen (replay protection).
 */
export interface JtiReplayCache {
  /**
   * Records `jti` for `iss` until `forgetAfter` (epoch ms) and answers `fresh`, or answers
   * `replayed` if it is already recorded, or `full` if it cannot be recorded. Check and record are
   * one synchronous step, so two concurrent requests with the same jti cannot both be `fresh`.
   */
  remember(iss: string, jti: string, forgetAfter: number): JtiOutcome;
  /** Entries held now, expired ones included until the next sweep. */
  readonly size: number;
}

/**
 * A {@link JtiReplayCache} in memory, bounded by `maxEntries`. When full of live entries it
 * answers `full` rather than dropping one: dropping would reopen a replay window, while refusing
 * only affects traffic from trusted, signed clients past the bound, which the operator can raise.
 */
export function createJtiReplayCache(options: {
  maxEntries: number;
  now: () => number;
}): JtiReplayCache {
  const { maxEntries, now } = options;
  // Keyed by issuer then jti: two clients may well pick the same jti.
  const byIssuer = new Map<string, Map<string, number>>();
  let size = 0;
  let nextSweep = 0;

  // Expiry times are not in insertion order, so expired entries are found by a full scan; doing
  // it at most once a minute, or when full, keeps its cost small per request.
  function sweep(at: number) {
    for (const [iss, jtis] of byIssuer) {
      for (const [jti, forgetAfter] of jtis) {
        if (forgetAfter <= at) {
          jtis.delete(jti);
          size -= 1;
        }
      }
      if (jtis.size === 0) byIssuer.delete(iss);
    }
    nextSweep = at + 60_000;
  }

  return {
    remember(iss, jti, forgetAfter) {
      const at = now();
      if (at >= nextSweep) sweep(at);
      const seenUntil = byIssuer.get(iss)?.get(jti);
      if (seenUntil !== undefined && seenUntil > at) return 'replayed';
      if (seenUntil === undefined && size >= maxEntries) {
        sweep(at);
        if (size >= maxEntries) return 'full';
      }
      let jtis = byIssuer.get(iss);
      if (!jtis) byIssuer.set(iss, (jtis = new Map()));
      if (!jtis.has(jti)) size += 1;
      jtis.set(jti, forgetAfter);
      return 'fresh';
    },
    get size() {
      return size;
    },
  };
}
