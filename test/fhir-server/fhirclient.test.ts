import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Observation } from 'fhir/r4';
import smart from 'fhirclient';
import { startFhirServer, type RunningFhirServer } from '../../src/fhir-server';
import { generatePatient } from '../../src/synthetic';
import { NOW } from '../builders/fhir-builders';

describe('the FHIR server under fhirclient', () => {
  let fhir: RunningFhirServer;
  const bundle = generatePatient({
    seed: 7,
    scenario: 'likely-ards',
    now: NOW,
    observationTarget: 100,
  });
  const patientId = String(bundle.entry?.[0]?.resource?.id);

  beforeAll(async () => {
    fhir = await startFhirServer({ defaultPageSize: 10 });
    await fhir.load(bundle);
  });
  afterAll(() => fhir.close());

  it('answers client.patient.request across every page, as the CDS service will call it', async () => {
    const request = new IncomingMessage(new Socket());
    const client = smart(request, new ServerResponse(request)).client({
      serverUrl: fhir.url,
      tokenResponse: { access_token: 'test-token', patient: patientId },
    });
    const codes = 'http://loinc.org|2703-7,http://loinc.org|20077-4';
    const found = (await client.patient.request(
      `Observation?${new URLSearchParams({ code: codes }).toString()}`,
      { pageLimit: 0, flat: true },
    )) as Observation[];
    const expected = (bundle.entry ?? []).filter((e) => {
      const code = (e.resource as Observation | undefined)?.code?.coding?.[0]?.code;
      return (
        e.resource?.resourceType === 'Observation' && (code === '2703-7' || code === '20077-4')
      );
    });
    expect(expected.length).toBeGreaterThan(10);
    expect(found.map((o) => o.id).sort()).toEqual(expected.map((e) => e.resource?.id).sort());
    expect(fhir.requestLog.map((e) => e.url)).toContain('metadata');
  });
});
