import { createHash, randomBytes } from 'node:crypto';
import { startDemoProcess, type DemoProcess } from '../support/demo-process';

jest.setTimeout(60_000);

const CLIENT_ID = 'stellar-screening';
const SCOPE =
  'launch openid fhirUser patient/Patient.read patient/Observation.read patient/ServiceRequest.write';

/**
 * The running demo over plain HTTP, as an attacker or a careless app would use it: the
 * authorization server's gate, the FHIR server's token checks, and the CDS service's JWT check.
 */
describe('demo security over HTTP', () => {
  let demo: DemoProcess;

  beforeAll(async () => {
    demo = await startDemoProcess();
  }, 150_000);
  afterAll(() => demo?.stop());

  const pkce = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };

  async function registerLaunch(patientId: string): Promise<string> {
    const res = await fetch(`${demo.urls.ehr}/api/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ patientId, appId: 'stellar-worksheet' }),
    });
    const { url } = (await res.json()) as { url: string };
    const launch = new URL(url);
    expect(launch.searchParams.get('iss')).toBe(demo.urls.fhir);
    return launch.searchParams.get('launch') ?? '';
  }

  function authorizeUrl(params: Record<string, string>): string {
    const url = new URL(`${demo.urls.auth}/authorize`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.href;
  }

  async function authorize(params: Record<string, string>): Promise<Response> {
    return fetch(authorizeUrl(params), { redirect: 'manual' });
  }

  function baseParams(launch: string, challenge: string): Record<string, string> {
    return {
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${demo.urls.service}/smart/app`,
      scope: SCOPE,
      state: 'st-1',
      aud: demo.urls.fhir,
      launch,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
  }

  async function exchange(code: string, verifier: string): Promise<Response> {
    return fetch(`${demo.urls.auth}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: `${demo.urls.service}/smart/app`,
        client_id: CLIENT_ID,
        code_verifier: verifier,
      }),
    });
  }

  let accessToken = '';

  it('completes an EHR launch: the token response carries the patient and the granted scope', async () => {
    const { verifier, challenge } = pkce();
    const launch = await registerLaunch('demo-icu-01');
    const redirect = await authorize(baseParams(launch, challenge));
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(`${demo.urls.service}/smart/app`);
    expect(location.searchParams.get('state')).toBe('st-1');
    const code = location.searchParams.get('code') ?? '';

    const res = await exchange(code, verifier);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      token_type: 'Bearer',
      patient: 'demo-icu-01',
      scope: SCOPE,
      need_patient_banner: true,
    });
    expect(body.refresh_token).toBeUndefined();
    expect(typeof body.id_token).toBe('string');
    accessToken = String(body.access_token);

    // A code is good once.
    const again = await exchange(code, verifier);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('lets the token read and write only its own patient on the FHIR server', async () => {
    const get = (path: string, token?: string) =>
      fetch(`${demo.urls.fhir}/${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    expect((await get('Observation?patient=demo-icu-01&_count=1', accessToken)).status).toBe(200);
    expect((await get('Observation?patient=demo-icu-02&_count=1', accessToken)).status).toBe(403);
    expect((await get('Condition?patient=demo-icu-01', accessToken)).status).toBe(403);
    expect((await get('Observation?patient=demo-icu-01')).status).toBe(401);
    expect((await get('Observation?patient=demo-icu-01', 'not-a-token')).status).toBe(401);
    expect((await get('metadata')).status).toBe(200);

    const create = (patient: string) =>
      fetch(`${demo.urls.fhir}/ServiceRequest`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${accessToken}`,
          'content-type': 'application/fhir+json',
        },
        body: JSON.stringify({
          resourceType: 'ServiceRequest',
          status: 'active',
          intent: 'proposal',
          subject: { reference: `Patient/${patient}` },
        }),
      });
    expect((await create('demo-icu-01')).status).toBe(201);
    expect((await create('demo-icu-02')).status).toBe(403);
  });

  it('refuses a launch id used twice, a missing PKCE challenge and a foreign audience', async () => {
    const { challenge } = pkce();
    const launch = await registerLaunch('demo-icu-01');
    expect((await authorize(baseParams(launch, challenge))).status).toBe(302);
    const reused = await authorize(baseParams(launch, challenge));
    expect(new URL(reused.headers.get('location') ?? '').searchParams.get('error')).toBe(
      'invalid_request',
    );

    const fresh = await registerLaunch('demo-icu-01');
    const { code_challenge: _c, ...noPkce } = baseParams(fresh, challenge);
    const refused = await authorize(noPkce);
    expect(
      new URL(refused.headers.get('location') ?? '').searchParams.get('error_description'),
    ).toBe('PKCE with S256 is required');

    const other = await authorize({
      ...baseParams(await registerLaunch('demo-icu-01'), challenge),
      aud: 'http://evil.example/fhir',
    });
    expect(new URL(other.headers.get('location') ?? '').searchParams.get('error')).toBe(
      'invalid_request',
    );
  });

  it('never redirects to an address the app did not register, nor for an unknown app', async () => {
    const { challenge } = pkce();
    const launch = await registerLaunch('demo-icu-01');
    const hijack = await authorize({
      ...baseParams(launch, challenge),
      redirect_uri: 'http://evil.example/cb',
    });
    expect(hijack.status).toBe(400);
    expect(hijack.headers.get('location')).toBeNull();
    const unknown = await authorize({
      ...baseParams(launch, challenge),
      client_id: 'someone-else',
    });
    expect(unknown.status).toBe(400);
  });

  it('shows a patient picker for a standalone launch', async () => {
    const { challenge } = pkce();
    const { launch: _l, ...standalone } = baseParams('', challenge);
    const res = await authorize({
      ...standalone,
      scope: SCOPE.replace('launch ', 'launch/patient '),
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Choose a patient for STELLAR screening worksheet');
    expect(html.match(/type="radio"/g)).toHaveLength(13);
  });

  it('serves the SMART configuration beside the FHIR server, with PKCE S256', async () => {
    const res = await fetch(`${demo.urls.fhir}/.well-known/smart-configuration`);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toMatchObject({
      authorization_endpoint: `${demo.urls.auth}/authorize`,
      token_endpoint: `${demo.urls.auth}/token`,
      code_challenge_methods_supported: ['S256'],
    });
  });

  it('runs the CDS service with authentication on: an unsigned hook call is refused', async () => {
    const res = await fetch(`${demo.urls.service}/cds-services/stellar-screening`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hook: 'patient-view', hookInstance: 'x', context: {} }),
    });
    expect(res.status).toBe(401);
  });

  it('serves the SMART app with a content security policy and no referrer', async () => {
    const res = await fetch(`${demo.urls.service}/smart/launch`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const definition = (await (
      await fetch(`${demo.urls.service}/smart/service-definition.json`)
    ).json()) as { id: string; screening: { criteria: { version: string } } };
    expect(definition.id).toBe('stellar-screening');
    expect(definition.screening.criteria.version).toBe('1.0.0');
  });
});
