import { createHmac, createPublicKey } from 'node:crypto';
import fc from 'fast-check';
import { createCdsClientKey, signCdsClientJwt } from '../../src/auth';
import { generatePatient } from '../../src/synthetic';
import { startJwksServer } from '../support/jwks-server';
import { fuzzParameters } from '../support/long-tests';
import {
  patientIdOf,
  patientView,
  prefetchFor,
  startTestService,
  TEST_ISSUER,
  type TestService,
} from '../support/test-service';

const NOW = '2026-03-01T08:00:00Z';
const SERVICE = '/cds-services/stellar-screening';

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Every attack from the issue, against the hook endpoint with a valid request body, so the token
 * is the only thing wrong: each must be a 401 with no detail, no hook work done, and no token in
 * the log. (test/auth holds the verifier's unit tests, reason by reason.)
 */
describe('JWT attacks on POST /cds-services/stellar-screening', () => {
  let service: TestService;
  let body: unknown;
  let aud: string;
  beforeAll(async () => {
    service = await startTestService({ now: () => new Date(NOW) });
    const bundle = generatePatient({ seed: 1, scenario: 'likely-ards', now: NOW });
    body = patientView(patientIdOf(bundle), { prefetch: prefetchFor(bundle) });
    aud = `${service.config.publicBaseUrl}${SERVICE}`;
  });
  afterAll(async () => service.close());

  const claims = (extra: Record<string, unknown> = {}) => {
    const iat = Math.floor(Date.now() / 1000);
    return { iss: TEST_ISSUER, aud, iat, exp: iat + 300, jti: crypto.randomUUID(), ...extra };
  };

  async function callWith(authorization: string, json: unknown = body): Promise<Response> {
    return service.call(SERVICE, { json, auth: false, headers: { authorization } });
  }

  async function expectRefused(token: string): Promise<void> {
    const logsBefore = service.logs.length;
    const res = await callWith(`Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'login', diagnostics: 'Unauthorized' }],
    });
    const logged = service.logs.slice(logsBefore).join('\n');
    expect(logged).toContain('unauthenticated call refused');
    expect(logged).not.toContain('hook answered');
    for (const part of token.split('.').filter((p) => p.length > 16)) {
      expect(logged).not.toContain(part);
    }
  }

  it('accepts the honest token (the control)', async () => {
    const res = await callWith(`Bearer ${service.token(SERVICE)}`);
    expect(res.status).toBe(200);
  });

  it('refuses alg none, in any spelling', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      await expectRefused(`${b64({ alg, typ: 'JWT', kid: 'test-es384' })}.${b64(claims())}.`);
    }
  });

  it("refuses HS256 signed with the issuer's public key as the secret (PEM and JWK)", async () => {
    const pem = createPublicKey({ key: service.keys.RS384.publicJwk, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    for (const secret of [pem, JSON.stringify(service.keys.RS384.publicJwk)]) {
      const signingInput = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'test-rs384' })}.${b64(claims())}`;
      const sig = createHmac('sha256', secret).update(signingInput).digest('base64url');
      await expectRefused(`${signingInput}.${sig}`);
    }
  });

  it('refuses a jku pointing elsewhere, and never fetches it', async () => {
    const attacker = createCdsClientKey({ alg: 'ES384', kid: 'attacker' });
    const evil = await startJwksServer([attacker.publicJwk]);
    try {
      await expectRefused(
        signCdsClientJwt(attacker, { iss: TEST_ISSUER, aud, extraHeader: { jku: evil.url } }),
      );
      // Same kid as the trusted key: the jku must not make the attacker's key count.
      const sameKid = createCdsClientKey({ alg: 'ES384', kid: 'test-es384' });
      await expectRefused(
        signCdsClientJwt(sameKid, { iss: TEST_ISSUER, aud, extraHeader: { jku: evil.url } }),
      );
      expect(evil.requests).toBe(0);
    } finally {
      await evil.close();
    }
  });

  it('refuses kid injection (paths, SQL, URLs, line breaks, huge kids) and a flood of them costs at most one JWKS fetch', async () => {
    const attacker = createCdsClientKey({ alg: 'ES384', kid: 'x' });
    const kids = [
      '../../../../../../dev/null',
      '/etc/passwd',
      "' OR '1'='1' --",
      'test-es384" OR "1"="1',
      'http://127.0.0.1:9/jwks.json',
      'test-es384\r\nX-Injected: 1',
      'test-es384\u0000',
      'k'.repeat(5_000),
      '',
    ];
    const fetchesBefore = service.jwks.requests;
    for (const kid of kids) {
      await expectRefused(
        signCdsClientJwt(attacker, { iss: TEST_ISSUER, aud, extraHeader: { kid } }),
      );
    }
    // A forged signature under the trusted kid.
    await expectRefused(
      signCdsClientJwt(attacker, { iss: TEST_ISSUER, aud, extraHeader: { kid: 'test-es384' } }),
    );
    for (let i = 0; i < 20; i++) {
      await expectRefused(
        signCdsClientJwt(attacker, { iss: TEST_ISSUER, aud, extraHeader: { kid: `made-up-${i}` } }),
      );
    }
    expect(service.jwks.requests - fetchesBefore).toBeLessThanOrEqual(1);
  });

  it('refuses an honest token spelt another way (a character added to its signature)', async () => {
    // Found by the header fuzzer: base64url decoding drops the extra character.
    await expectRefused(`${service.token(SERVICE)}A`);
  });

  it('refuses an expired token', async () => {
    const expired = Date.now() - 3_600_000;
    await expectRefused(
      signCdsClientJwt(service.keys.ES384, { iss: TEST_ISSUER, aud, now: expired }),
    );
  });

  it('refuses a token not yet valid (nbf ahead) and one issued in the future', async () => {
    const inTenMinutes = Math.floor(Date.now() / 1000) + 600;
    await expectRefused(
      signCdsClientJwt(service.keys.ES384, {
        iss: TEST_ISSUER,
        aud,
        extraClaims: { nbf: inTenMinutes },
      }),
    );
    await expectRefused(
      signCdsClientJwt(service.keys.ES384, { iss: TEST_ISSUER, aud, now: Date.now() + 600_000 }),
    );
  });

  it('refuses a wrong audience: another endpoint of this service, another host, none', async () => {
    for (const wrong of [
      `${service.config.publicBaseUrl}/cds-services`,
      'https://other.example/cds-services/stellar-screening',
      [],
      undefined,
    ]) {
      await expectRefused(
        signCdsClientJwt(service.keys.ES384, {
          iss: TEST_ISSUER,
          aud: aud,
          extraClaims: { aud: wrong },
        }),
      );
    }
  });

  it('refuses a replayed jti', async () => {
    const token = service.token(SERVICE);
    expect((await callWith(`Bearer ${token}`)).status).toBe(200);
    await expectRefused(token);
  });

  it('refuses an oversized token: 401 up to the HTTP header limit, 431 from Node beyond it', async () => {
    const padded = (bytes: number) =>
      signCdsClientJwt(service.keys.ES384, {
        iss: TEST_ISSUER,
        aud,
        extraClaims: { pad: 'p'.repeat(bytes) },
      });
    await expectRefused(padded(9_000));
    // Node refuses headers over 16 KB before any of the service's code runs.
    const res = await callWith(`Bearer ${padded(20_000)}`).catch(() => undefined);
    expect(res === undefined || res.status === 431).toBe(true);
  });

  it('refuses every Authorization header a fuzzer makes up, never with a 5xx', async () => {
    const honest = service.token(SERVICE);
    const header = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ maxLength: 300 }).map((s) => `Bearer ${s}`),
      fc
        .tuple(fc.nat({ max: honest.length }), fc.string({ minLength: 1, maxLength: 4 }))
        .map(([i, s]) => `Bearer ${honest.slice(0, i)}${s}${honest.slice(i + s.length)}`),
      fc
        .tuple(fc.jsonValue(), fc.jsonValue())
        .map(([h, p]) => `Bearer ${b64(h)}.${b64(p)}.${b64('sig')}`),
    );
    await fc.assert(
      fc.asyncProperty(header, async (authorization) => {
        // fetch refuses header values with line breaks or non-Latin-1 text before sending.
        if (/[\r\n\0]|[^\x20-\xff]/.test(authorization)) return;
        if (authorization === `Bearer ${honest}`) return; // a mutation that changed nothing
        const res = await callWith(authorization, patientView('p1'));
        expect(res.status).toBe(401);
      }),
      fuzzParameters(300, 5_000),
    );
  });
});
