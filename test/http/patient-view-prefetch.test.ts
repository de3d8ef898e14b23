import { generatePatient, type ScenarioName } from '../../src/synthetic';
import { cdsSchemaErrors } from '../support/cds-hooks-schemas';
import {
  patientIdOf,
  patientView,
  prefetchFor,
  startTestService,
  type TestService,
} from '../support/test-service';

const NOW = '2026-03-01T08:00:00Z';
const SERVICE = '/cds-services/stellar-screening';

function patient(scenario: ScenarioName, seed = 5) {
  return generatePatient({ seed, scenario, now: NOW });
}

describe('POST /cds-services/stellar-screening with prefetch', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ now: () => new Date(NOW) });
  });
  afterAll(async () => service.close());

  it('answers a likely candidate with one card that conforms to CDS Hooks 2.0', async () => {
    const bundle = patient('likely-ards');
    const res = await service.call(SERVICE, {
      json: patientView(patientIdOf(bundle), { prefetch: prefetchFor(bundle) }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { cards: { summary: string; links: { url: string }[] }[] };
    expect(cdsSchemaErrors('service', body)).toEqual([]);
    expect(body.cards).toHaveLength(1);
    expect(body.cards[0]?.summary).toMatch(/^STELLAR trial: likely candidate, ventilated \d+ days/);
    expect(body.cards[0]?.links[0]?.url).toBe('http://cds.test.example/smart/launch');
  });

  it('gives the same card uuid for the same patient and verdict on every call', async () => {
    const bundle = patient('likely-hypercapnic');
    const request = () =>
      service.call(SERVICE, {
        json: patientView(patientIdOf(bundle), { prefetch: prefetchFor(bundle) }),
      });
    const first = (await (await request()).json()) as { cards: { uuid: string }[] };
    const second = (await (await request()).json()) as { cards: { uuid: string }[] };
    expect(first.cards[0]?.uuid).toBeDefined();
    expect(second.cards[0]?.uuid).toBe(first.cards[0]?.uuid);
  });

  it.each(['excluded-hiv', 'short-ventilation', 'too-old'] as ScenarioName[])(
    'answers %s (not eligible) with no card',
    async (scenario) => {
      const bundle = patient(scenario);
      const res = await service.call(SERVICE, {
        json: patientView(patientIdOf(bundle), { prefetch: prefetchFor(bundle) }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ cards: [] });
    },
  );

  it('reads null prefetch keys as "no such data" and still decides', async () => {
    const bundle = patient('likely-acidosis');
    const prefetch = { ...prefetchFor(bundle), allergies: null, deviceUse: null, devices: null };
    const res = await service.call(SERVICE, {
      json: patientView(patientIdOf(bundle), { prefetch }),
    });
    const body = (await res.json()) as { cards: unknown[] };
    expect(res.status).toBe(200);
    expect(body.cards).toHaveLength(1);
  });

  it('answers 412 when prefetch keys are missing and the request names no FHIR server', async () => {
    const bundle = patient('likely-ards');
    const { conditions: _c, procedures: _p, ...partial } = prefetchFor(bundle);
    const res = await service.call(SERVICE, {
      json: patientView(patientIdOf(bundle), { prefetch: partial }),
    });
    expect(res.status).toBe(412);
    const outcome = (await res.json()) as {
      resourceType: string;
      issue: { diagnostics: string }[];
    };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]?.diagnostics).toBe(
      'Prefetch data conditions, procedures are missing from prefetch and the request names no usable fhirServer to fetch them from',
    );
  });

  it('answers 412 when a prefetch value is an OperationOutcome and there is no FHIR server', async () => {
    const bundle = patient('likely-ards');
    const prefetch = {
      ...prefetchFor(bundle),
      bloodGases: {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'timeout' }],
      },
    };
    const res = await service.call(SERVICE, {
      json: patientView(patientIdOf(bundle), { prefetch }),
    });
    expect(res.status).toBe(412);
  });

  it.each([
    [
      'malformed JSON',
      { body: '{"hook": "patient-view",', headers: { 'content-type': 'application/json' } },
      400,
      'The request body is not valid JSON',
    ],
    [
      'a hook it does not answer',
      { json: { ...patientView('p1', { prefetch: {} }), hook: 'order-sign' } },
      400,
      'This service answers the patient-view and encounter-start hooks, not "order-sign"',
    ],
    [
      'no patientId',
      { json: { ...patientView('p1'), context: { userId: 'Practitioner/1' } } },
      400,
      "Invalid CDS Hooks request: /context must have required property 'patientId'",
    ],
    [
      'a body that is not JSON',
      { body: 'hello', headers: { 'content-type': 'text/plain' } },
      415,
      'Send the request as Content-Type: application/json',
    ],
  ])(
    'answers %s with an OperationOutcome the integrator can act on',
    async (_name, init, status, message) => {
      const res = await service.call(SERVICE, {
        method: 'POST',
        ...(init as RequestInit & { json?: unknown }),
      });
      expect(res.status).toBe(status);
      const outcome = (await res.json()) as {
        resourceType: string;
        issue: { diagnostics: string }[];
      };
      expect(outcome.resourceType).toBe('OperationOutcome');
      expect(outcome.issue[0]?.diagnostics).toBe(message);
    },
  );

  it('answers 404 for a service it does not have', async () => {
    const res = await service.call('/cds-services/other-screen', { json: patientView('p1') });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });
});

describe('request size', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ overrides: { bodyLimitBytes: 64 * 1024 } });
  });
  afterAll(async () => service.close());

  it('refuses a body over the limit with 413 before parsing it', async () => {
    const big = patientView('p1', { prefetch: { padding: 'x'.repeat(200 * 1024) } });
    const res = await service.call(SERVICE, { json: big });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });
});
