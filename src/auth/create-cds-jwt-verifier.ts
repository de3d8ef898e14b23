import jwt from 'jsonwebtoken';
import { ConfigError } from '../config/config-file';
import { ServiceError } from '../errors/service-error';
import { decodeJwt, KID_PATTERN } from './decode-jwt';
import { createIssuerKeys, type IssuerKeys, type JwksFetchOptions } from './issuer-keys';
import { createJtiReplayCache } from './jti-replay-cache';
import { isAsymmetricAlgorithm, keyMismatch } from './jwt-algorithms';
import {
  parseTrustedIssuers,
  type TrustedIssuer,
  type TrustedIssuerConfig,
} from './trusted-issuers';

/** The CDS client a verified JWT speaks for. */
export interface VerifiedCdsClient {
  iss: string;
  sub?: string;
  tenant?: string;
  jti: string;
  /** The token's `exp`, in epoch milliseconds. */
  expiresAt: number;
}

/** Checks the `Authorization` header of a call from a CDS client. */
export interface CdsJwtVerifier {
  /**
   * Resolves with the verified client, or rejects with a 401 {@link ServiceError} whose message
   * says why for the server log (never the token). `audience` is the public URL of the endpoint
   * being called, as the client addresses it.
   */
  verify(authorizationHeader: string | undefined, audience: string): Promise<VerifiedCdsClient>;
}

/** Settings of {@link createCdsJwtVerifier}; only `issuers` is required. */
export interface CdsJwtVerifierOptions {
  /** The trusted CDS clients, e.g. from `loadTrustedIssuers`. Validated again here. */
  issuers: readonly TrustedIssuerConfig[];
  /** Source of the current time in epoch ms; default `Date.now`. Injected by tests. */
  clock?: { now(): number };
  /** Tolerated clock difference with a client, for exp, nbf and iat. Default 60. */
  clockSkewSeconds?: number;
  /** Longest token accepted, checked before any decoding. Default 8192. */
  maxTokenBytes?: number;
  /**
   * Latest `exp` accepted, counted from now. It bounds how long each jti must be remembered, so
   * the replay cache covers every accepted token's whole validity. Default 3600, the spec's hour.
   */
  maxLifetimeSeconds?: number;
  /** Most jtis remembered at once; beyond it new tokens are refused. Default 100,000. */
  maxRememberedJtis?: number;
  /** Fetching and caching of issuers' JWK Sets. */
  jwks?: JwksFetchOptions;
}

/**
 * Builds the verifier of CDS Hooks client JWTs (CDS Hooks 2.0, "Trusting CDS Clients":
 * https://cds-hooks.hl7.org/2.0/#trusting-cds-clients). Checks run in this order, each refusing
 * with its own reason: Bearer scheme; token size; structure; header `alg` (never none or HS*),
 * `typ`, `crit`, `kid`; `iss` on the allowlist and `alg` allowed for it; `jku` equal to the
 * issuer's configured JWKS URL; `aud`; `exp`, lifetime, `nbf`, `iat`; `tenant`; `sub` and `jti`
 * well formed; the key (by kid, of a type that fits alg); the signature; then the jti is recorded,
 * only now, so unsigned junk cannot fill the replay cache or burn a genuine client's jti.
 */
export function createCdsJwtVerifier(options: CdsJwtVerifierOptions): CdsJwtVerifier {
  const issuers = parseTrustedIssuers(options.issuers, 'createCdsJwtVerifier issuers');
  const clock = options.clock ?? { now: () => Date.now() };
  const now = () => clock.now();
  const skewMs = 1000 * nonNegative(options.clockSkewSeconds ?? 60, 'clockSkewSeconds');
  const maxTokenBytes = nonNegative(options.maxTokenBytes ?? 8192, 'maxTokenBytes');
  const maxLifetimeMs =
    1000 * nonNegative(options.maxLifetimeSeconds ?? 3600, 'maxLifetimeSeconds');
  const replayCache = createJtiReplayCache({
    maxEntries: nonNegative(options.maxRememberedJtis ?? 100_000, 'maxRememberedJtis'),
    now,
  });
  const byIss = new Map<string, { issuer: TrustedIssuer; keys: IssuerKeys }>(
    issuers.map((issuer) => [
      issuer.iss,
      { issuer, keys: createIssuerKeys(issuer, options.jwks ?? {}, now) },
    ]),
  );

  return {
    async verify(authorizationHeader, audience) {
      if (!audience) throw new ServiceError(500, 'verify() needs the public URL of the endpoint');
      const token = bearerToken(authorizationHeader, maxTokenBytes);
      const decoded = decodeJwt(token);
      if (!decoded) fail('token is not a compact JWS of three base64url JSON parts');
      const { header, payload } = decoded;

      const alg = header.alg;
      if (typeof alg !== 'string') fail('header has no alg');
      if (alg.toLowerCase() === 'none') fail('alg "none" (unsigned token) is never accepted');
      if (/^HS/i.test(alg)) fail(`symmetric alg ${shown(alg)} is never accepted`);
      if (!isAsymmetricAlgorithm(alg)) fail(`alg ${shown(alg)} is not supported`);
      if (header.typ !== undefined && !isJwtType(header.typ)) {
        fail(`header typ ${shown(header.typ)} is not JWT`);
      }
      // RFC 7515 4.1.11: a token naming extensions the recipient does not implement is refused.
      if (header.crit !== undefined) fail('header crit names extensions this service lacks');
      const kid = header.kid;
      if (kid === undefined) fail('header has no kid');
      if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) {
        fail('header kid is not 1 to 256 printable ASCII characters');
      }

      const iss = payload.iss;
      if (typeof iss !== 'string') fail('token has no iss');
      const trusted = byIss.get(iss);
      if (!trusted) fail(`issuer ${shown(iss)} is not trusted`);
      const { issuer, keys } = trusted;
      if (!issuer.algorithms.includes(alg)) {
        fail(`alg ${alg} is not allowed for issuer ${iss} (${issuer.algorithms.join(', ')})`);
      }
      // Keys come only from the trust file; a jku is at most a restatement of it, never fetched.
      if (header.jku !== undefined && header.jku !== issuer.jwksUrl) {
        fail(`header jku ${shown(header.jku)} is not the JWKS URL configured for ${iss}`);
      }

      checkAudience(payload.aud, audience);
      const at = now();
      const exp = checkTimes(payload, at, skewMs, maxLifetimeMs);

      const tenant = payload.tenant;
      if (tenant !== undefined && typeof tenant !== 'string') fail('tenant is not a string');
      if (issuer.tenants && (tenant === undefined || !issuer.tenants.includes(tenant))) {
        fail(`tenant ${tenant === undefined ? '(none)' : shown(tenant)} is not allowed for ${iss}`);
      }
      const sub = payload.sub;
      if (sub !== undefined && typeof sub !== 'string') fail('sub is not a string');
      const jti = payload.jti;
      if (jti === undefined) fail('token has no jti');
      if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) {
        fail('jti is not a string of 1 to 256 characters');
      }

      const candidates = await keys.keysFor(kid);
      const misfits = candidates.map((c) =>
        c.alg !== undefined && c.alg !== alg ? `the key is for ${c.alg}` : keyMismatch(c.key, alg),
      );
      const fitting = candidates.find((_, i) => misfits[i] === undefined);
      if (!fitting) fail(`key ${shown(kid)} of ${iss} does not fit alg ${alg}: ${misfits[0]}`);
      try {
        // `algorithms` is never left to jsonwebtoken to infer from the token. Time checks are
        // repeated inside with the same clock, so they cannot disagree with the ones above.
        jwt.verify(token, fitting.key, {
          algorithms: [alg],
          issuer: iss,
          clockTimestamp: at / 1000,
          clockTolerance: skewMs / 1000,
        });
      } catch (cause) {
        fail(`signature check failed for ${iss}: ${(cause as Error).message}`, cause);
      }

      // Remembered until the token could no longer pass the exp check above.
      const outcome = replayCache.remember(iss, jti, exp + skewMs);
      if (outcome === 'replayed') fail(`jti ${shown(jti)} of ${iss} was already used`);
      if (outcome === 'full') fail('jti replay cache is full (raise maxRememberedJtis)');

      return {
        iss,
        ...(sub !== undefined && { sub }),
        ...(tenant !== undefined && { tenant }),
        jti,
        expiresAt: exp,
      };
    },
  };
}

function bearerToken(header: string | undefined, maxTokenBytes: number): string {
  if (header === undefined || header === '') fail('no Authorization header');
  // RFC 7235: the scheme is case-insensitive. Only a prefix is looked at before the size check.
  const scheme = /^Bearer +/i.exec(header.slice(0, 32));
  if (!scheme) fail('Authorization scheme is not Bearer');
  const token = header.slice(scheme[0].length);
  if (token.length > maxTokenBytes) {
    fail(`token of ${token.length} bytes is over the ${maxTokenBytes}-byte limit`);
  }
  return token;
}

function isJwtType(typ: unknown): boolean {
  // RFC 7515 4.1.9: media type, case-insensitive, "application/" prefix optional.
  return typeof typ === 'string' && typ.toLowerCase().replace(/^application\//, '') === 'jwt';
}

function checkAudience(aud: unknown, audience: string) {
  const wanted = withoutTrailingSlash(audience);
  const list = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : undefined;
  if (!list) fail('token has no aud');
  if (!list.some((a) => typeof a === 'string' && withoutTrailingSlash(a) === wanted)) {
    fail(`aud ${shown(list)} is not this endpoint (${audience})`);
  }
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Checks exp, lifetime, nbf and iat against `at`; returns exp in epoch ms. */
function checkTimes(
  payload: Readonly<Record<string, unknown>>,
  at: number,
  skewMs: number,
  maxLifetimeMs: number,
): number {
  const { exp, nbf, iat } = payload;
  if (exp === undefined) fail('token has no exp');
  if (!isNumericDate(exp)) fail('exp is not a number of seconds');
  const expMs = exp * 1000;
  if (expMs + skewMs <= at) fail(`token expired at ${iso(expMs)} (now ${iso(at)})`);
  if (expMs - at > maxLifetimeMs + skewMs) {
    fail(`exp ${iso(expMs)} is further ahead than the ${maxLifetimeMs / 1000} s maximum lifetime`);
  }
  if (nbf !== undefined) {
    if (!isNumericDate(nbf)) fail('nbf is not a number of seconds');
    if (nbf * 1000 - skewMs > at)
      fail(`token not valid before ${iso(nbf * 1000)} (now ${iso(at)})`);
  }
  // The spec makes iat required; a token minted in the future comes from a broken clock or a forger.
  if (iat === undefined) fail('token has no iat');
  if (!isNumericDate(iat)) fail('iat is not a number of seconds');
  if (iat * 1000 - skewMs > at)
    fail(`token issued in the future at ${iso(iat * 1000)} (now ${iso(at)})`);
  return expMs;
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function iso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}

/** Client-supplied text for a log line: JSON-quoted, so no line breaks, and cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new ConfigError(`createCdsJwtVerifier: ${name} must be a non-negative number`);
  }
  return value;
}

function fail(reason: string, cause?: unknown): never {
  throw new ServiceError(401, reason, cause === undefined ? {} : { cause });
}
