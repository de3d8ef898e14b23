import { ServiceError } from '../../src/errors/service-error';

/** The moment every time-based test starts from; clocks are injected, never the wall clock. */
export const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);

/** The public URL of the endpoint being called: the audience tokens must name. */
export const AUD = 'https://cds.example.org/cds-services/stellar-screening';

/** The trusted CDS client of most tests. */
export const ISS = 'https://ehr.example.org/fhir';

/** A clock a test moves by hand. */
export function testClock(start = T0) {
  let t = start;
  return {
    now: () => t,
    advanceSeconds(seconds: number) {
      t += seconds * 1000;
    },
  };
}

/** base64url of a JSON value, for tokens built by hand. */
export function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A compact JWS put together by hand, for headers no honest signing library writes. */
export function handBuiltToken(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signature = '',
): string {
  return `${b64json(header)}.${b64json(payload)}.${signature}`;
}

/** Claims a valid token issued at {@link T0} carries. */
export function claimsAt(now = T0, extra: Record<string, unknown> = {}) {
  const iat = Math.floor(now / 1000);
  return { iss: ISS, aud: AUD, iat, exp: iat + 300, jti: `jti-${iat}-${Math.random()}`, ...extra };
}

/**
 * Awaits a refusal and checks it is the one expected: a 401 {@link ServiceError} whose message
 * matches `reason` and holds no part of the token (nor does its cause).
 */
export async function expectRefused(
  result: Promise<unknown>,
  token: string | undefined,
  reason: RegExp,
): Promise<ServiceError> {
  const error: unknown = await result.then(
    () => {
      throw new Error(`expected a refusal matching ${reason}, but the token was accepted`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  const serviceError = error as ServiceError;
  expect(serviceError.status).toBe(401);
  expect(serviceError.message).toMatch(reason);
  if (token) {
    const causeText = String((serviceError.cause as Error | undefined)?.message ?? '');
    for (const text of [serviceError.message, causeText]) {
      expect(text).not.toContain(token);
      for (const part of token.split('.').filter((p) => p.length > 16)) {
        expect(text).not.toContain(part);
      }
    }
  }
  return serviceError;
}
