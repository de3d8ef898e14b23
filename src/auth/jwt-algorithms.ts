import type { KeyObject } from 'node:crypto';

/**
 * The JWS algorithms a trusted issuer may be configured with: asymmetric only. `none` and the
 * HMAC family (`HS*`) are absent on purpose: with a shared secret anyone holding the CDS client's
 * public key could forge tokens (the key-confusion attack), so no configuration can enable them.
 * See CDS Hooks 2.0 "Trusting CDS Clients".
 */
export const ASYMMETRIC_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
] as const;

/** One of {@link ASYMMETRIC_ALGORITHMS}. */
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** What an issuer gets when its configuration names no algorithms: the two the spec requires. */
export const DEFAULT_ALGORITHMS: readonly AsymmetricAlgorithm[] = ['ES384', 'RS384'];

/** Narrows a string to an {@link AsymmetricAlgorithm}. */
export function isAsymmetricAlgorithm(alg: unknown): alg is AsymmetricAlgorithm {
  return typeof alg === 'string' && (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg);
}

const CURVE_OF: Record<string, string> = {
  ES256: 'prime256v1',
  ES384: 'secp384r1',
  ES512: 'secp521r1',
};

// NIST SP 800-131A: RSA below 2048 bits is not acceptable for signatures.
const MIN_RSA_BITS = 2048;

/**
 * Why a public key cannot check a signature made with `alg`, or `undefined` when it can. An EC
 * key must be on the curve the algorithm names; an RSA key must be at least 2048 bits; RSA-PSS
 * keys only serve PS*. jsonwebtoken checks the type too, but only as a side effect deep inside
 * `verify`; checking here gives the operator a message that says what is wrong.
 */
export function keyMismatch(key: KeyObject, alg: AsymmetricAlgorithm): string | undefined {
  const type = key.asymmetricKeyType;
  const family = alg.slice(0, 2);
  if (family === 'ES') {
    if (type !== 'ec') return `a ${String(type)} key cannot check ${alg}`;
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve !== CURVE_OF[alg]) return `${alg} needs curve ${CURVE_OF[alg]}, key is ${curve}`;
    return undefined;
  }
  if (type !== 'rsa' && !(type === 'rsa-pss' && family === 'PS')) {
    return `a ${String(type)} key cannot check ${alg}`;
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) return `RSA key of ${bits} bits is under ${MIN_RSA_BITS}`;
  return undefined;
}
