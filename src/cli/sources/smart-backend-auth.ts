import { createPrivateKey, randomUUID, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import jwt from 'jsonwebtoken';
import { retryDelayMs, sleep, type RetryPolicy } from '../../fhir/retry-policy';
import { describeFileError, InputError } from '../cli-errors';

/** Gives a valid access token for the FHIR server, fetching a new one before the old expires. */
export interface AccessTokens {
  current(): Promise<string>;
  /** True when a refused token can be replaced by a new one (SMART Backend Services). */
  readonly renewable: boolean;
  /** Forgets the token (the server refused it): the next call fetches a new one. */
  invalidate(): void;
}

export interface BackendAuthOptions {
  baseUrl: string;
  clientId: string;
  privateKeyPath: string;
  keyId?: string;
  scope: string;
  /** Wall clock (token expiry). */
  now: () => Date;
  retry: RetryPolicy;
  requestTimeoutMs: number;
}

/** A token is renewed when it has less than this left, so no request leaves with a dying one. */
const RENEW_BEFORE_MS = 60_000;
/** Lifetime of a client assertion: SMART asks for no more than five minutes. */
const ASSERTION_SECONDS = 300;

interface SigningKey {
  key: KeyObject;
  algorithm: 'RS384' | 'ES384';
  keyId?: string;
}

/** Reads a PEM or JWK private key and picks the SMART algorithm that goes with it. */
async function readSigningKey(path: string, keyId: string | undefined): Promise<SigningKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new InputError(describeFileError(path, cause), { cause });
  }
  let key: KeyObject;
  let kid = keyId;
  try {
    if (text.trimStart().startsWith('{')) {
      const jwk = JSON.parse(text) as JsonWebKey & { kid?: string };
      key = createPrivateKey({ key: jwk, format: 'jwk' });
      kid ??= typeof jwk.kid === 'string' ? jwk.kid : undefined;
    } else {
      key = createPrivateKey(text);
    }
  } catch (cause) {
    // Not the crypto message: never echo anything of a key file.
    throw new InputError(`${path}: not a private key in PEM or JWK form`, { cause });
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const algorithm =
    key.asymmetricKeyType === 'rsa'
      ? 'RS384'
      : key.asymmetricKeyType === 'ec' && curve === 'secp384r1'
        ? 'ES384'
        : undefined;
  if (!algorithm) {
    throw new InputError(`${path}: SMART Backend Services needs an RSA or an EC P-384 key`);
  }
  return { key, algorithm, ...(kid !== undefined ? { keyId: kid } : {}) };
}

async function fetchJson(
  url: string,
  init: RequestInit,
  what: string,
  options: BackendAuthOptions,
): Promise<Record<string, unknown>> {
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, {
        ...init,
        redirect: 'error',
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      });
    } catch (cause) {
      const wait = retryDelayMs(options.retry, attempt, { network: true }, Date.now());
      if (wait === undefined) {
        throw new InputError(`${what}: cannot reach ${new URL(url).origin}`, { cause });
      }
      await sleep(wait, new AbortController().signal);
      continue;
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (response.ok && body && typeof body === 'object') return body as Record<string, unknown>;
    const wait = retryDelayMs(
      options.retry,
      attempt,
      { status: response.status, network: false, retryAfter: response.headers.get('retry-after') },
      Date.now(),
    );
    if (wait !== undefined) {
      await sleep(wait, new AbortController().signal);
      continue;
    }
    // OAuth errors are codes meant to be shown (RFC 6749 section 5.2); nothing else of the body is.
    const code = (body as { error?: unknown } | undefined)?.error;
    const reason = typeof code === 'string' && /^[\w.-]{1,64}$/.test(code) ? `: ${code}` : '';
    throw new InputError(`${what}: HTTP ${response.status}${reason}`);
  }
}

/** Finds the token endpoint in the server's SMART configuration. */
async function discoverTokenEndpoint(options: BackendAuthOptions): Promise<string> {
  const url = `${options.baseUrl}/.well-known/smart-configuration`;
  const config = await fetchJson(
    url,
    { headers: { accept: 'application/json' } },
    'reading the SMART configuration',
    options,
  );
  const endpoint = config.token_endpoint;
  if (typeof endpoint !== 'string' || !/^https?:\/\//.test(endpoint)) {
    throw new InputError(`${url} names no token_endpoint`);
  }
  return endpoint;
}

/**
 * Access tokens by SMART Backend Services: the token endpoint from the server's
 * `.well-known/smart-configuration`, a client assertion JWT signed with the client's private key
 * (RS384 or ES384; `iss` = `sub` = client id, `aud` = token endpoint, five-minute `exp`, unique
 * `jti`), exchanged by `client_credentials` for a token that is renewed a minute before it
 * expires. Concurrent callers share one renewal. The token never reaches a message or a log.
 * @see https://hl7.org/fhir/smart-app-launch/backend-services.html
 * @throws InputError when the key cannot be read or the first token cannot be had
 */
export async function backendServicesTokens(options: BackendAuthOptions): Promise<AccessTokens> {
  const signing = await readSigningKey(options.privateKeyPath, options.keyId);
  const tokenUrl = await discoverTokenEndpoint(options);
  let token: { value: string; renewAt: number } | undefined;
  let renewing: Promise<string> | undefined;

  const renew = async (): Promise<string> => {
    const assertion = jwt.sign({}, signing.key, {
      algorithm: signing.algorithm,
      issuer: options.clientId,
      subject: options.clientId,
      audience: tokenUrl,
      expiresIn: ASSERTION_SECONDS,
      jwtid: randomUUID(),
      ...(signing.keyId !== undefined ? { keyid: signing.keyId } : {}),
    });
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: options.scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    const answer = await fetchJson(
      tokenUrl,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: body.toString(),
      },
      'getting an access token',
      options,
    );
    if (typeof answer.access_token !== 'string' || answer.access_token === '') {
      throw new InputError('getting an access token: the answer holds no access_token');
    }
    const seconds = typeof answer.expires_in === 'number' ? answer.expires_in : 300;
    const issued = options.now().getTime();
    const lifetime = seconds * 1000;
    token = {
      value: answer.access_token,
      // A minute early, or halfway for a token that lives less than two minutes.
      renewAt: issued + lifetime - Math.min(RENEW_BEFORE_MS, lifetime / 2),
    };
    return token.value;
  };

  const tokens: AccessTokens = {
    renewable: true,
    current() {
      if (token && options.now().getTime() < token.renewAt) return Promise.resolve(token.value);
      renewing ??= renew().finally(() => {
        renewing = undefined;
      });
      return renewing;
    },
    invalidate() {
      token = undefined;
    },
  };
  await tokens.current();
  return tokens;
}

/** SMART v1 system scopes for the resource types the screener reads. */
export function systemScopes(resourceTypes: Iterable<string>): string {
  return [...new Set(resourceTypes)].map((t) => `system/${t}.read`).join(' ');
}
