import type {
  CapabilityStatement,
  Communication,
  OperationOutcome,
  Patient,
  ServiceRequest,
} from 'fhir/r4';
import { startFhirServer, type RunningFhirServer } from '../../src/fhir-server';
import { generatePatient } from '../../src/synthetic';
import { NOW } from '../builders/fhir-builders';
import { outcomeText, request, search, send } from './fhir-test-client';

const PATIENT = 'stellar-likely-ards-5';

describe('startFhirServer: REST interactions', () => {
  let fhir: RunningFhirServer;

  beforeAll(async () => {
    fhir = await startFhirServer();
    await fhir.load(
      generatePatient({ seed: 5, scenario: 'likely-ards', now: NOW, observationTarget: 40 }),
    );
  });
  afterAll(() => fhir.close());

  it('serves a FHIR 4.0.1 JSON CapabilityStatement listing Observation and its patient search', async () => {
    const answer = await request<CapabilityStatement>(`${fhir.url}/metadata`);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/fhir\+json/);
    expect(answer.body.resourceType).toBe('CapabilityStatement');
    expect(answer.body.fhirVersion).toBe('4.0.1');
    expect(answer.body.format).toContain('json');
    expect(answer.body.implementation?.url).toBe(fhir.url);
    const observation = answer.body.rest?.[0]?.resource?.find((r) => r.type === 'Observation');
    const params = observation?.searchParam?.map((p) => p.name) ?? [];
    expect(params).toEqual(expect.arrayContaining(['patient', 'subject', 'code', 'date', '_id']));
    expect(params).not.toContain('value-quantity');
    expect(observation?.interaction?.map((i) => i.code)).toEqual(
      expect.arrayContaining(['read', 'search-type', 'create', 'update']),
    );
  });

  it('reads a loaded Patient by id as application/fhir+json with its version as ETag', async () => {
    const answer = await request<Patient>(`${fhir.url}/Patient/${PATIENT}`);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/fhir\+json/);
    expect(answer.body.id).toBe(PATIENT);
    expect(answer.headers.get('etag')).toBe(`W/"${answer.body.meta?.versionId}"`);
  });

  it('answers an unknown id with 404 and an OperationOutcome', async () => {
    const answer = await request<OperationOutcome>(`${fhir.url}/Patient/no-such-patient`);
    expect(answer.status).toBe(404);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect(answer.body.issue[0]?.code).toBe('not-found');
  });

  it('answers an unknown resource type with 404 and an invalid id with 400, as OperationOutcomes', async () => {
    const unknownType = await request<OperationOutcome>(`${fhir.url}/Medicine/1`);
    expect(unknownType.status).toBe(404);
    expect(outcomeText(unknownType.body)).toMatch(/"Medicine" is not a FHIR R4 resource type/);
    const badId = await request<OperationOutcome>(`${fhir.url}/Patient/a_b`);
    expect(badId.status).toBe(400);
    expect(badId.body.resourceType).toBe('OperationOutcome');
  });

  it('answers a path outside the FHIR base and an unsupported method with OperationOutcomes', async () => {
    const outside = await request<OperationOutcome>(`${new URL(fhir.url).origin}/index.html`);
    expect(outside.status).toBe(404);
    expect(outside.body.resourceType).toBe('OperationOutcome');
    const patch = await request<OperationOutcome>(`${fhir.url}/Patient/${PATIENT}`, {
      method: 'PATCH',
    });
    expect(patch.status).toBe(405);
    expect(patch.body.resourceType).toBe('OperationOutcome');
  });

  it('creates a Communication with a server-assigned id, then reads it back', async () => {
    const communication: Communication = {
      resourceType: 'Communication',
      id: 'client-chosen',
      status: 'completed',
      subject: { reference: `Patient/${PATIENT}` },
      payload: [{ contentString: 'Likely STELLAR candidate: please review.' }],
    };
    const created = await send<Communication>('POST', `${fhir.url}/Communication`, communication);
    expect(created.status).toBe(201);
    expect(created.body.id).toBeDefined();
    expect(created.body.id).not.toBe('client-chosen');
    expect(created.headers.get('location')).toBe(
      `${fhir.url}/Communication/${created.body.id}/_history/${created.body.meta?.versionId}`,
    );
    const read = await request<Communication>(`${fhir.url}/Communication/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.payload?.[0]?.contentString).toBe(communication.payload?.[0]?.contentString);
    const found = await search(`${fhir.url}/Communication?patient=${PATIENT}`);
    expect(found.entry?.map((e) => e.resource?.id)).toContain(created.body.id);
  });

  it('updates a ServiceRequest with PUT: 201 when new, 200 with a new version after', async () => {
    const serviceRequest: ServiceRequest = {
      resourceType: 'ServiceRequest',
      id: 'stellar-referral-1',
      status: 'draft',
      intent: 'proposal',
      subject: { reference: `Patient/${PATIENT}` },
    };
    const url = `${fhir.url}/ServiceRequest/stellar-referral-1`;
    const first = await send<ServiceRequest>('PUT', url, serviceRequest);
    expect(first.status).toBe(201);
    const second = await send<ServiceRequest>('PUT', url, { ...first.body, status: 'active' });
    expect(second.status).toBe(200);
    expect(second.body.meta?.versionId).not.toBe(first.body.meta?.versionId);
    expect((await request<ServiceRequest>(url)).body.status).toBe('active');
  });

  it('rejects a structurally invalid resource with 400 naming the element', async () => {
    const answer = await send<OperationOutcome>('POST', `${fhir.url}/Communication`, {
      resourceType: 'Communication',
      status: 'completed',
      colour: 'blue',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(answer.body)).toMatch(/colour/);
  });

  it('rejects a body that is not JSON with 400 and an OperationOutcome', async () => {
    const answer = await request<OperationOutcome>(`${fhir.url}/Communication`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: '{"resourceType": "Commun',
    });
    expect(answer.status).toBe(400);
    expect(outcomeText(answer.body)).toMatch(/not valid JSON/);
  });

  it('rejects a PUT whose body id differs from the URL', async () => {
    const answer = await send<OperationOutcome>('PUT', `${fhir.url}/Patient/${PATIENT}`, {
      resourceType: 'Patient',
      id: 'someone-else',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.resourceType).toBe('OperationOutcome');
  });
});
