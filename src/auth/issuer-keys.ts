import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';
import { ServiceError } from '../errors/service-error';
import type { TrustedIssuer } from './trusted-issuers';

/** A public key of an issuer, with the `alg` its JWK pins it to, if any. */
export interface IssuerKey {
  readonly key: KeyObject;
  readonly alg?: string;
}

/** The public keys of one trusted issuer, looked up by `kid`. */
export interface IssuerKeys {
  /**
   * The issuer's keys with this `kid` (normally one). Rejects with a 401 {@link ServiceError}
   * when there is none, or when the issuer's JWK Set cannot be fetched.
   */
  keysFor(kid: string): Promise<readonly IssuerKey[]>;
}

/** How JWK Sets are fetched and cached. Every field has a default. */
export interface JwksFetchOptions {
  /** How long a fetched key set is used before it is fetched again. Default 600 (10 minutes). */
  cacheMaxAgeSeconds?: number;
  /**
   * The least time between two fetches of one issuer's key set, whatever kids tokens name.
   * Bounds what a flood of made-up kids can cost: one fetch per interval. Default 10.
   */
  minRefreshIntervalSeconds?: number;
  /** Deadline for one fetch, connection to last byte. Default 3000 ms. */
  timeoutMs?: number;
  /** The fetch implementation; default the global `fetch`. */
  fetch?: typeof fetch;
}

// A JWK Set is a few KB; a bound stops a broken endpoint from filling memory.
const MAX_JWKS_BYTES = 1_000_000;

/**
 * The key source of one issuer: its inline keys, or its `jwksUrl` fetched through jwks-rsa.
 *
 * jwks-rsa does the fetching and the JWK-to-key conversion. Its own cache and rate limiter are
 * off on purpose: the cache is per kid, so every made-up kid refetches the whole set, and under
 * such a flood its wall-clock rate limiter starts refusing the fetch a genuinely rotated key
 * needs. Here the whole set is cached, on the injected clock, and refetched when it is older than
 * `cacheMaxAgeSeconds` or a token names an unknown kid, at most once per
 * `minRefreshIntervalSeconds`; concurrent requests share one fetch.
 */
export function createIssuerKeys(
  issuer: TrustedIssuer,
  options: JwksFetchOptions,
  now: () => number,
): IssuerKeys {
  if (issuer.jwks) return inlineKeys(issuer, issuer.jwks.keys);
  if (issuer.jwksUrl) return fetchedKeys(issuer.iss, issuer.jwksUrl, options, now);
  throw new Error(`issuer ${issuer.iss} has no key source`);
}

function inlineKeys(issuer: TrustedIssuer, jwks: readonly JsonWebKey[]): IssuerKeys {
  const byKid = new Map<string, IssuerKey[]>();
  for (const jwk of jwks) {
    // The trusted-issuers loader has already checked every key converts, so this cannot throw.
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    const entry = { key, alg: typeof jwk.alg === 'string' ? jwk.alg : undefined };
    byKid.set(String(jwk.kid), [...(byKid.get(String(jwk.kid)) ?? []), entry]);
  }
  return {
    keysFor(kid: string): Promise<readonly IssuerKey[]> {
      const found = byKid.get(kid);
      if (found) return Promise.resolve(found);
      return Promise.reject(
        new ServiceError(401, `issuer ${issuer.iss} has no inline key with kid ${quote(kid)}`),
      );
    },
  };
}

function fetchedKeys(
  iss: string,
  jwksUrl: string,
  options: JwksFetchOptions,
  now: () => number,
): IssuerKeys {
  const maxAgeMs = (options.cacheMaxAgeSeconds ?? 600) * 1000;
  const minIntervalMs = (options.minRefreshIntervalSeconds ?? 10) * 1000;
  const timeoutMs = options.timeoutMs ?? 3000;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const client = new JwksClient({
    jwksUri: jwksUrl,
    cache: false,
    rateLimit: false,
    fetcher: (uri) => fetchJwkSet(fetchImpl, uri, timeoutMs),
  });

  let keys: Map<string, IssuerKey[]> | undefined;
  let fetchedAt = -Infinity;
  let attemptedAt = -Infinity;
  let lastFailure: unknown;
  let inFlight: Promise<void> | undefined;

  async function refresh() {
    const started = now();
    attemptedAt = started;
    try {
      const signingKeys = await client.getSigningKeys();
      const next = new Map<string, IssuerKey[]>();
      for (const sk of signingKeys) {
        if (!sk.kid) continue; // this service requires a kid, so a kid-less key can never match
        const entry = { key: createPublicKey(sk.getPublicKey()), alg: sk.alg };
        next.set(sk.kid, [...(next.get(sk.kid) ?? []), entry]);
      }
      keys = next;
      fetchedAt = started;
      lastFailure = undefined;
    } catch (cause) {
      lastFailure = cause;
    }
  }

  function cached(kid: string): IssuerKey[] | undefined {
    return now() - fetchedAt < maxAgeMs ? keys?.get(kid) : undefined;
  }

  return {
    async keysFor(kid) {
      const hit = cached(kid);
      if (hit) return hit;
      if (!inFlight && now() - attemptedAt >= minIntervalMs) {
        inFlight = refresh().finally(() => (inFlight = undefined));
      }
      if (inFlight) await inFlight;
      const found = cached(kid);
      if (found) return found;
      if (lastFailure !== undefined && now() - fetchedAt >= maxAgeMs) {
        throw new ServiceError(
          401,
          `JWKS of issuer ${iss} at ${jwksUrl} is unreachable or unusable: ${reason(lastFailure)}`,
          { cause: lastFailure },
        );
      }
      const age = Math.round((now() - fetchedAt) / 1000);
      throw new ServiceError(
        401,
        `issuer ${iss} has no key with kid ${quote(kid)} in its JWKS (fetched ${age} s ago; ` +
          `refetched for an unknown kid at most every ${minIntervalMs / 1000} s)`,
      );
    },
  };
}

async function fetchJwkSet(
  fetchImpl: typeof fetch,
  url: string,
  timeoutMs: number,
): Promise<{ keys: unknown[] }> {
  // A redirect could take the fetch to a server the trust file never named.
  const response = await fetchImpl(url, {
    headers: { accept: 'application/json, application/jwk-set+json' },
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  if (Number(response.headers.get('content-length') ?? 0) > MAX_JWKS_BYTES) {
    throw new Error(`key set larger than ${MAX_JWKS_BYTES} bytes`);
  }
  const text = await response.text();
  if (text.length > MAX_JWKS_BYTES) throw new Error(`key set larger than ${MAX_JWKS_BYTES} bytes`);
  const body: unknown = JSON.parse(text);
  if (!body || typeof body !== 'object' || !Array.isArray((body as { keys?: unknown }).keys)) {
    throw new Error('the response is not a JWK Set (no "keys" array)');
  }
  return body as { keys: unknown[] };
}

function reason(error: unknown): string {
  // Duck-typed, not instanceof: fetch's errors come from Node's own realm, which differs from
  // the caller's under Jest. fetch says only "fetch failed"; the useful part (ECONNREFUSED, a
  // timeout) is in its cause.
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  const inner = (cause ?? {}) as { message?: unknown; code?: unknown };
  const detail = [inner.code, inner.message].filter((p) => typeof p === 'string' && p !== '');
  return detail.length > 0 ? `${text} (${[...new Set(detail)].join(': ')})` : text;
}

// Callers pass only kids that matched KID_PATTERN, so the quoted text is short and printable.
function quote(text: string): string {
  return JSON.stringify(text);
}
