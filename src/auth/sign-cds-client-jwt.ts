import {
  createHash,
  generateKeyPairSync,
  randomUUID,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import jwt from 'jsonwebtoken';

/** The algorithms CDS Hooks 2.0 requires every service to accept. */
export type CdsClientAlgorithm = 'ES384' | 'RS384';

/** The public half of a CDS client key, as published in the client's JWK Set. */
export interface CdsClientPublicJwk extends JsonWebKey {
  kty: string;
  kid: string;
  alg: CdsClientAlgorithm;
  use: 'sig';
}

/** A CDS client's signing key pair. */
export interface CdsClientKey {
  privateKey: KeyObject;
  publicJwk: CdsClientPublicJwk;
  alg: CdsClientAlgorithm;
  kid: string;
}

/** What {@link signCdsClientJwt} puts in a token. */
export interface CdsClientJwtClaims {
  iss: string;
  /** The URL of the CDS endpoint being called (string or list). */
  aud: string | string[];
  sub?: string;
  tenant?: string;
  /** Default: a random UUID. */
  jti?: string;
  /** Default 300 (5 minutes, the lifetime the spec recommends). */
  expiresInSeconds?: number;
  /** Signing time in epoch ms; default `Date.now()`. */
  now?: number;
  /** Merged over `{ alg, typ: 'JWT', kid }`; a member set to `undefined` is left out. */
  extraHeader?: Record<string, unknown>;
  /** Merged over the claims above; a member set to `undefined` is left out. */
  extraClaims?: Record<string, unknown>;
}

/**
 * Makes a new signing key for a CDS client (the demo EHR, tests). The default `kid` is the
 * key's RFC 7638 thumbprint, so the same key always gets the same kid.
 */
export function createCdsClientKey(options: {
  alg: CdsClientAlgorithm;
  kid?: string;
}): CdsClientKey {
  const { alg } = options;
  const { privateKey, publicKey } =
    alg === 'ES384'
      ? generateKeyPairSync('ec', { namedCurve: 'P-384' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = options.kid ?? thumbprint(jwk);
  return {
    privateKey,
    publicJwk: { ...jwk, kty: String(jwk.kty), kid, alg, use: 'sig' },
    alg,
    kid,
  };
}

/**
 * Signs the JWT a CDS client sends as `Authorization: Bearer <jwt>` with each call
 * (CDS Hooks 2.0, "Trusting CDS Clients"): header `alg`, `typ: JWT`, `kid`; claims `iss`, `aud`,
 * `exp`, `iat`, `jti`, and `sub`/`tenant` when given. `extraHeader` and `extraClaims` let tests
 * build tokens that a correct service must refuse.
 */
export function signCdsClientJwt(
  key: Pick<CdsClientKey, 'privateKey' | 'alg' | 'kid'>,
  claims: CdsClientJwtClaims,
): string {
  if (claims.extraHeader && 'alg' in claims.extraHeader) {
    // jsonwebtoken would sign with whatever alg the header names; tests wanting a lying or
    // unsigned header build that token by hand.
    throw new Error('signCdsClientJwt: extraHeader cannot change alg');
  }
  const iat = Math.floor((claims.now ?? Date.now()) / 1000);
  const payload = withoutUndefined({
    iss: claims.iss,
    aud: claims.aud,
    sub: claims.sub,
    tenant: claims.tenant,
    iat,
    exp: iat + (claims.expiresInSeconds ?? 300),
    jti: claims.jti ?? randomUUID(),
    ...claims.extraClaims,
  });
  const header = withoutUndefined({
    alg: key.alg,
    typ: 'JWT',
    kid: key.kid,
    ...claims.extraHeader,
  });
  return jwt.sign(payload, key.privateKey, {
    algorithm: key.alg,
    // The header option replaces jsonwebtoken's own, so a kid removed here stays removed.
    header: header as unknown as jwt.JwtHeader,
    // Without this jsonwebtoken adds an iat from the wall clock when a test removed it.
    noTimestamp: payload.iat === undefined,
  });
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

// RFC 7638: SHA-256 over the required members in lexicographic order, base64url.
function thumbprint(jwk: JsonWebKey): string {
  const members =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}
