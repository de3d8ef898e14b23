import { createPublicKey, type JsonWebKey } from 'node:crypto';
import Ajv from 'ajv';
import {
  ConfigError,
  deepFreeze,
  describeSchemaErrors,
  readJsonFile,
  shownPath,
} from '../config/config-file';
import { KID_PATTERN } from './decode-jwt';
import {
  ASYMMETRIC_ALGORITHMS,
  DEFAULT_ALGORITHMS,
  isAsymmetricAlgorithm,
  type AsymmetricAlgorithm,
} from './jwt-algorithms';
import { trustedIssuersSchema } from './trusted-issuers-schema';

/**
 * One trusted CDS client as written in the trusted-issuers file: its `iss`, where its public
 * keys are (a JWK Set URL or the keys inline, exactly one), the tenants it may speak for, and
 * the algorithms it may sign with. See CDS Hooks 2.0 "Trusting CDS Clients".
 */
export interface TrustedIssuerConfig {
  readonly iss: string;
  readonly jwksUrl?: string;
  readonly jwks?: { readonly keys: readonly JsonWebKey[] };
  /** When set, a token must carry a `tenant` claim that is one of these. */
  readonly tenants?: readonly string[];
  /** Asymmetric JWS algorithms only; default {@link DEFAULT_ALGORITHMS}. */
  readonly algorithms?: readonly string[];
}

/** A validated, frozen {@link TrustedIssuerConfig} with its defaults filled in. */
export interface TrustedIssuer {
  readonly iss: string;
  readonly jwksUrl?: string;
  readonly jwks?: { readonly keys: readonly JsonWebKey[] };
  readonly tenants?: readonly string[];
  readonly algorithms: readonly AsymmetricAlgorithm[];
}

// Members that only a private or symmetric JWK has (RFC 7518 section 6): a trust file holding
// one has leaked a secret, and createPublicKey would quietly derive the public half from it.
const SECRET_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

// Plain http is only for a JWKS on this machine (tests, the demo EHR): keys fetched over the
// network without TLS could be swapped by anyone on the path.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const ajv = new Ajv({ allErrors: true, strict: true });
const validateShape = ajv.compile(trustedIssuersSchema);

/**
 * Reads and validates the trusted-issuers JSON file. Fails with a {@link ConfigError} naming the
 * file and the field, so a bad edit stops start-up instead of rejecting every EHR call later.
 */
export function loadTrustedIssuers(file: string): readonly TrustedIssuer[] {
  const shown = shownPath(file);
  return parseTrustedIssuers(readJsonFile(file, shown), shown);
}

/**
 * Validates trusted-issuer entries already in memory (a parsed file, or a test's list) and
 * returns them frozen with defaults filled in. `shown` names the source in error messages.
 */
export function parseTrustedIssuers(
  value: unknown,
  shown = 'trusted issuers',
): readonly TrustedIssuer[] {
  if (!validateShape(value))
    throw new ConfigError(`${shown}: ${describeSchemaErrors(validateShape.errors)}`);
  const entries = value as TrustedIssuerConfig[];
  const seen = new Set<string>();
  const issuers = entries.map((entry, i) => {
    const at = `${shown}: /${i}`;
    if (seen.has(entry.iss)) throw new ConfigError(`${at}/iss "${entry.iss}" is listed twice`);
    seen.add(entry.iss);
    if ((entry.jwksUrl === undefined) === (entry.jwks === undefined)) {
      throw new ConfigError(`${at} needs exactly one of "jwksUrl" or "jwks" (inline keys)`);
    }
    if (entry.jwksUrl !== undefined) checkJwksUrl(entry.jwksUrl, `${at}/jwksUrl`);
    if (entry.jwks !== undefined) checkInlineKeys(entry.jwks.keys, `${at}/jwks/keys`);
    const algorithms = (entry.algorithms ?? DEFAULT_ALGORITHMS).map((alg, j) => {
      if (!isAsymmetricAlgorithm(alg)) {
        throw new ConfigError(
          `${at}/algorithms/${j} "${alg}" is not allowed: use only ${ASYMMETRIC_ALGORITHMS.join(', ')} (none and HS* can never be enabled)`,
        );
      }
      return alg;
    });
    const issuer: TrustedIssuer = {
      iss: entry.iss,
      ...(entry.jwksUrl !== undefined && { jwksUrl: entry.jwksUrl }),
      ...(entry.jwks !== undefined && { jwks: { keys: entry.jwks.keys.map((k) => ({ ...k })) } }),
      ...(entry.tenants !== undefined && { tenants: [...entry.tenants] }),
      algorithms,
    };
    return issuer;
  });
  return deepFreeze(issuers);
}

function checkJwksUrl(jwksUrl: string, at: string) {
  let url: URL;
  try {
    url = new URL(jwksUrl);
  } catch (cause) {
    throw new ConfigError(`${at} "${jwksUrl}" is not a URL`, { cause });
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new ConfigError(`${at} "${jwksUrl}" must be https (http only for localhost)`);
  }
}

function checkInlineKeys(keys: readonly JsonWebKey[], at: string) {
  const kids = new Set<string>();
  keys.forEach((jwk, i) => {
    const kid = String(jwk.kid);
    if (!KID_PATTERN.test(kid)) {
      throw new ConfigError(`${at}/${i}/kid must be 1 to 256 printable ASCII characters`);
    }
    if (kids.has(kid)) throw new ConfigError(`${at}/${i}/kid "${kid}" is used twice`);
    kids.add(kid);
    const secret = SECRET_MEMBERS.find((m) => m in jwk);
    if (secret) {
      throw new ConfigError(
        `${at}/${i} holds private or symmetric key material ("${secret}"): list only the public key`,
      );
    }
    if (jwk.alg !== undefined && !isAsymmetricAlgorithm(jwk.alg)) {
      throw new ConfigError(`${at}/${i}/alg "${String(jwk.alg)}" is not an asymmetric algorithm`);
    }
    if (jwk.use !== undefined && jwk.use !== 'sig') {
      throw new ConfigError(`${at}/${i}/use must be "sig" when present`);
    }
    try {
      createPublicKey({ key: jwk, format: 'jwk' });
    } catch (cause) {
      throw new ConfigError(`${at}/${i} is not a usable public key (${(cause as Error).message})`, {
        cause,
      });
    }
  });
}
