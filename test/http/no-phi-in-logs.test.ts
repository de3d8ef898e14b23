import type { Patient } from 'fhir/r4';
import { startFhirServer, type RunningFhirServer } from '../../src/fhir-server';
import { generatePatient } from '../../src/synthetic';
import {
  patientIdOf,
  patientView,
  prefetchFor,
  startTestService,
  type TestService,
} from '../support/test-service';

const NOW = '2026-03-01T08:00:00Z';
const SERVICE = '/cds-services/stellar-screening';
const FEEDBACK = '/cds-services/stellar-screening/feedback';
/** A closed port: fetches with the hook's token fail at once (connection refused). */
const DEAD_FHIR = 'http://127.0.0.1:9/fhir';
const ACCESS_TOKEN = 'hook-access-token-5f1d2c9e8b7a4f3e';

const bundle = generatePatient({ seed: 77, scenario: 'likely-ards', now: NOW });
const patient = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')
  ?.resource as Patient;
const patientId = patientIdOf(bundle);

/** What must never be written: the patient's identity and every credential of the calls. */
function secretsOf(jwts: string[]): Record<string, string> {
  const name = patient.name?.[0];
  const secrets: Record<string, string> = {
    'patient id': patientId,
    'family name': name?.family ?? 'missing',
    'given name': name?.given?.[0] ?? 'missing',
    'name text': name?.text ?? 'missing',
    'birth date': patient.birthDate ?? 'missing',
    'access token': ACCESS_TOKEN,
    'clinician comment': `${name?.family} looked well`,
  };
  patient.identifier?.forEach((id, i) => (secrets[`identifier ${i}`] = id.value ?? 'missing'));
  jwts.forEach((jwt, i) => {
    // Header and payload parts are base64 of public claims; the signature is what a thief needs.
    secrets[`JWT ${i}`] = jwt;
    secrets[`JWT ${i} signature`] = jwt.split('.')[2] ?? 'missing';
  });
  return secrets;
}

function leaks(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => value.length >= 6 && text.includes(value))
    .map(([what]) => what);
}

/**
 * Runs every kind of call with the most verbose logging, then searches everything the service
 * wrote (its log, the process's stdout and stderr, the metrics) for the patient's identity and
 * the tokens.
 */
async function runEveryKindOfCall(
  service: TestService,
  fhir: RunningFhirServer,
): Promise<{ jwts: string[] }> {
  const jwts: string[] = [];
  const call = async (path: string, json: unknown) => {
    const jwt = service.token(path);
    jwts.push(jwt);
    return service.call(path, { json, headers: { authorization: `Bearer ${jwt}` } });
  };
  const prefetch = prefetchFor(bundle);
  const { conditions: _c, procedures: _p, ...partial } = prefetch;

  // A card, with the token sent along (unused: prefetch is complete).
  const withCard = await call(
    SERVICE,
    patientView(patientId, { prefetch, fhirServer: DEAD_FHIR, accessToken: ACCESS_TOKEN }),
  );
  expect(withCard.status).toBe(200);
  const card = ((await withCard.json()) as { cards: { uuid: string }[] }).cards[0];
  expect(card).toBeDefined();
  // Everything fetched live from a FHIR server with the hook's token: a card.
  const live = await call(
    SERVICE,
    patientView(patientId, { fhirServer: fhir.url, accessToken: ACCESS_TOKEN }),
  );
  expect(((await live.json()) as { cards: unknown[] }).cards).toHaveLength(1);
  // Live fetches with the token that fail (the FHIR server is down): logged as fhir-error.
  const failedFetch = await call(
    SERVICE,
    patientView(patientId, {
      prefetch: partial,
      fhirServer: DEAD_FHIR,
      accessToken: ACCESS_TOKEN,
    }),
  );
  expect(failedFetch.status).toBe(200);
  // Missing data and no server: 412.
  expect((await call(SERVICE, patientView(patientId, { prefetch: partial }))).status).toBe(412);
  // A bad request that carries the patient in it.
  const bad = {
    ...patientView(patientId, { prefetch }),
    context: { patientId, name: patient.name },
  };
  bad.hook = 'order-sign';
  expect((await call(SERVICE, bad)).status).toBe(400);
  // Feedback with a clinician's comment naming the patient.
  const name = patient.name?.[0];
  const feedback = await call(FEEDBACK, {
    feedback: [
      {
        card: card?.uuid,
        outcome: 'overridden',
        overrideReason: {
          reason: { code: 'patient-declined', display: 'Patient declined' },
          userComment: `${name?.family} looked well`,
        },
        outcomeTimestamp: NOW,
      },
    ],
  });
  expect(feedback.status).toBe(200);
  // A refused token: replayed.
  const replayed = jwts[0] as string;
  const refused = await service.call(SERVICE, {
    json: patientView(patientId, { prefetch, accessToken: ACCESS_TOKEN, fhirServer: DEAD_FHIR }),
    headers: { authorization: `Bearer ${replayed}` },
  });
  expect(refused.status).toBe(401);
  return { jwts };
}

describe('no PHI and no tokens in the logs', () => {
  let fhir: RunningFhirServer;
  beforeAll(async () => {
    fhir = await startFhirServer({
      authorize: (req) => req.headers.authorization === `Bearer ${ACCESS_TOKEN}`,
    });
    await fhir.load([bundle]);
  });
  afterAll(async () => fhir.close());
  const captured: string[] = [];
  const writes = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }),
  );
  afterAll(() => writes.forEach((w) => w.mockRestore()));

  it('writes nothing that names the patient or carries a token, at debug level, on every path', async () => {
    const service = await startTestService({ logLevel: 'debug', now: () => new Date(NOW) });
    try {
      captured.length = 0;
      const { jwts } = await runEveryKindOfCall(service, fhir);
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      const secrets = secretsOf(jwts);
      // The log did record each call, so the search below searched something.
      const log = service.logs.join('\n');
      expect(log).toContain('"outcome":"cards"');
      expect(log).toContain('"sources":{"patient":"fetched"');
      expect(log).toContain('"outcome":"fhir-error"');
      expect(log).toContain('"outcome":"precondition-failed"');
      expect(log).toContain('feedback recorded');
      expect(log).toContain('unauthenticated call refused');
      expect(leaks(log, secrets)).toEqual([]);
      expect(leaks(captured.join(''), secrets)).toEqual([]);
      expect(leaks(metrics, secrets)).toEqual([]);
    } finally {
      await service.close();
    }
  });

  it('with audit logging on, adds the patient id only: still no names, identifiers or tokens', async () => {
    const service = await startTestService({
      logLevel: 'debug',
      now: () => new Date(NOW),
      overrides: { auditLog: true },
    });
    try {
      const { jwts } = await runEveryKindOfCall(service, fhir);
      const log = service.logs.join('\n');
      expect(log).toContain(patientId);
      const { 'patient id': _id, ...rest } = secretsOf(jwts);
      expect(leaks(log, rest)).toEqual([]);
    } finally {
      await service.close();
    }
  });
});
