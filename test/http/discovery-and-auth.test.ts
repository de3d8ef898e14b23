import { createCdsClientKey, signCdsClientJwt } from '../../src/auth';
import { cdsSchemaErrors } from '../support/cds-hooks-schemas';
import { startJwksServer } from '../support/jwks-server';
import { startTestService, TEST_ISSUER, type TestService } from '../support/test-service';

const DISCOVERY = '/cds-services';
const SERVICE = '/cds-services/stellar-screening';

function b64(value: unknown) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('GET /cds-services', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => service.close());

  it('lists the service on patient-view and encounter-start, generated from its definition', async () => {
    const res = await service.call(DISCOVERY);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      services: { hook: string; id: string; prefetch: Record<string, string> }[];
    };
    expect(cdsSchemaErrors('discovery', body)).toEqual([]);
    expect(body.services.map((s) => [s.hook, s.id])).toEqual([
      ['patient-view', 'stellar-screening'],
      ['encounter-start', 'stellar-screening'],
    ]);
    expect(body.services[0]?.prefetch.patient).toBe('Patient/{{context.patientId}}');
    expect(Object.keys(body.services[0]?.prefetch ?? {})).toEqual([
      'patient',
      'bloodGases',
      'ventilatorSettings',
      'pregnancyAndLactation',
      'conditions',
      'procedures',
      'deviceUse',
      'devices',
      'allergies',
    ]);
  });

  it('refuses a call without a token: 401, no detail, WWW-Authenticate', async () => {
    const res = await service.call(DISCOVERY, { auth: false });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'login', diagnostics: 'Unauthorized' }],
    });
  });

  it('answers CORS preflight without a token and allows Authorization and Content-Type', async () => {
    const res = await fetch(`${service.url}${SERVICE}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://sandbox.cds-hooks.org',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });

  it('serves health and metrics without a token for the hospital network', async () => {
    const health = await fetch(`${service.url}/healthz`);
    expect(await health.json()).toEqual({
      status: 'ok',
      service: 'stellar-screening',
      ruleSet: '1.0.0',
    });
    await service.call(DISCOVERY);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(
      /stellar_http_requests_total\{route="\/cds-services\/",method="GET",status="200"\} \d+/,
    );
    expect(metrics).toMatch(/stellar_http_request_duration_seconds_bucket/);
  });
});

describe('CDS client JWT over HTTP', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => service.close());

  const status = async (token: string, path = DISCOVERY) =>
    (await service.call(path, { auth: false, headers: { authorization: `Bearer ${token}` } }))
      .status;

  it.each(['ES384', 'RS384'] as const)(
    'accepts an %s token addressed to the endpoint',
    async (alg) => {
      expect(await status(service.token(DISCOVERY, { alg }))).toBe(200);
    },
  );

  it('refuses a token addressed to another endpoint (wrong aud)', async () => {
    expect(await status(service.token(SERVICE))).toBe(401);
  });

  it('refuses an expired token', async () => {
    const now = Date.now() - 3600_000;
    const token = signCdsClientJwt(service.keys.ES384, {
      iss: TEST_ISSUER,
      aud: `${service.config.publicBaseUrl}${DISCOVERY}`,
      now,
      expiresInSeconds: 300,
    });
    expect(await status(token)).toBe(401);
  });

  it('refuses alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: TEST_ISSUER,
      aud: `${service.config.publicBaseUrl}${DISCOVERY}`,
      iat: now,
      exp: now + 300,
      jti: 'none-1',
    };
    expect(await status(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`)).toBe(401);
  });

  it('refuses HS256 signed with the public key as the secret', async () => {
    const { createHmac } = await import('node:crypto');
    const now = Math.floor(Date.now() / 1000);
    const header = b64({ alg: 'HS256', typ: 'JWT', kid: 'test-es384' });
    const payload = b64({
      iss: TEST_ISSUER,
      aud: `${service.config.publicBaseUrl}${DISCOVERY}`,
      iat: now,
      exp: now + 300,
      jti: 'hs-1',
    });
    const secret = JSON.stringify(service.keys.ES384.publicJwk);
    const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    expect(await status(`${header}.${payload}.${sig}`)).toBe(401);
  });

  it('refuses an issuer that is not on the trusted list', async () => {
    const stranger = createCdsClientKey({ alg: 'ES384', kid: 'stranger' });
    const token = signCdsClientJwt(stranger, {
      iss: 'https://stranger.example',
      aud: `${service.config.publicBaseUrl}${DISCOVERY}`,
    });
    expect(await status(token)).toBe(401);
  });

  it("refuses a jku that is not the issuer's listed JWKS, without fetching it", async () => {
    const attacker = createCdsClientKey({ alg: 'ES384', kid: 'attacker' });
    const evil = await startJwksServer([attacker.publicJwk]);
    try {
      const token = signCdsClientJwt(attacker, {
        iss: TEST_ISSUER,
        aud: `${service.config.publicBaseUrl}${DISCOVERY}`,
        extraHeader: { jku: evil.url },
      });
      expect(await status(token)).toBe(401);
      expect(evil.requests).toBe(0);
    } finally {
      await evil.close();
    }
  });

  it('refuses a replayed token (same jti)', async () => {
    const token = service.token(DISCOVERY);
    expect(await status(token)).toBe(200);
    expect(await status(token)).toBe(401);
  });

  it('never writes a token to the log', async () => {
    const token = service.token(SERVICE);
    await status(token, DISCOVERY);
    const signature = token.split('.')[2] ?? 'missing';
    expect(service.logs.join('\n')).not.toContain(signature);
    expect(service.logs.some((l) => l.includes('unauthenticated call refused'))).toBe(true);
  });
});
