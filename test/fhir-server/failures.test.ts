import { FhirRouter } from '@medplum/fhir-router';
import type { OperationOutcome, Patient } from 'fhir/r4';
import type { Request } from 'express';
import { startFhirServer, type RunningFhirServer } from '../../src/fhir-server';
import { Partition } from '../../src/fhir-server/partition';
import { adultPatient, pao2, NOW } from '../builders/fhir-builders';
import { outcomeText, request } from './fhir-test-client';

const GOOD_TOKEN = 'Bearer good-token';
const bearer = (req: Request) => req.get('authorization') === GOOD_TOKEN;

describe('startFhirServer: failures', () => {
  let fhir: RunningFhirServer;
  const onError = jest.fn();

  beforeAll(async () => {
    fhir = await startFhirServer({
      authorize: bearer,
      onError,
      beforeRequest: (req, res, next) => {
        const fault = req.get('x-test-fault');
        if (fault === 'unavailable') {
          res.status(503).type('application/fhir+json').send('{"resourceType":"OperationOutcome"');
        } else if (fault === 'malformed') {
          res.status(200).type('application/fhir+json').send('{"resourceType": "Bundle", "ent');
        } else if (fault === 'throw') {
          throw new Error('fault injected before the request');
        } else {
          next();
        }
      },
    });
    await fhir.load([adultPatient(), pao2(80, NOW, { id: 'gas-1' })]);
  });
  afterAll(() => fhir.close());
  afterEach(() => {
    jest.restoreAllMocks();
    onError.mockClear();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    request<Patient | OperationOutcome>(`${fhir.url}/${path}`, {
      headers: { authorization: GOOD_TOKEN, ...headers },
    });

  it('answers 401 with an OperationOutcome when authorize says no', async () => {
    const expired = await get('Patient/p1', { authorization: 'Bearer expired-token' });
    expect(expired.status).toBe(401);
    expect(expired.body.resourceType).toBe('OperationOutcome');
    expect((expired.body as OperationOutcome).issue[0]?.code).toBe('login');
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await get('Patient/p1')).status).toBe(200);
  });

  it('serves the CapabilityStatement without a token, as SMART servers do', async () => {
    const answer = await request(`${fhir.url}/metadata`);
    expect(answer.status).toBe(200);
    expect(answer.body.resourceType).toBe('CapabilityStatement');
  });

  it('lets a beforeRequest hook answer instead of the server, to inject faults', async () => {
    const unavailable = await fetch(`${fhir.url}/Patient/p1`, {
      headers: { authorization: GOOD_TOKEN, 'x-test-fault': 'unavailable' },
    });
    expect(unavailable.status).toBe(503);
    const malformed = await fetch(`${fhir.url}/Observation?patient=p1`, {
      headers: { authorization: GOOD_TOKEN, 'x-test-fault': 'malformed' },
    });
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow(/JSON/);
    expect((await get('Patient/p1')).status).toBe(200);
  });

  it('answers 500 with an OperationOutcome and no stack trace when a hook throws', async () => {
    const answer = await get('Patient/p1', { 'x-test-fault': 'throw' });
    expect(answer.status).toBe(500);
    expect(outcomeText(answer.body as OperationOutcome)).toBe('Internal server error');
    expect(JSON.stringify(answer.body)).not.toMatch(/fault injected|\.ts:\d+/);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('answers 500 when the search engine throws, and keeps serving', async () => {
    jest.spyOn(Partition.prototype, 'candidates').mockImplementationOnce(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'coding')");
    });
    const answer = await get('Observation?patient=p1');
    expect(answer.status).toBe(500);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(answer.body)).not.toMatch(/coding|TypeError|\.ts:\d+/);
    expect(onError).toHaveBeenCalledWith(expect.any(TypeError));
    const after = await get('Observation?patient=p1');
    expect(after.status).toBe(200);
  });

  it.each([
    ['rejects', () => Promise.reject(new Error('engine exploded'))],
    [
      'throws synchronously',
      () => {
        throw new RangeError('engine exploded');
      },
    ],
  ])("answers 500 when medplum's handleRequest %s, and keeps serving", async (_name, fault) => {
    jest.spyOn(FhirRouter.prototype, 'handleRequest').mockImplementationOnce(fault);
    const answer = await get('Patient/p1');
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toMatch(/exploded/);
    expect((await get('Patient/p1')).status).toBe(200);
  });

  it('records each request without its headers', async () => {
    fhir.requestLog.length = 0;
    await get('Observation?patient=p1');
    await get('Patient/nobody');
    expect(fhir.requestLog.map(({ method, url, status }) => ({ method, url, status }))).toEqual([
      { method: 'GET', url: 'Observation?patient=p1', status: 200 },
      { method: 'GET', url: 'Patient/nobody', status: 404 },
    ]);
    expect(JSON.stringify(fhir.requestLog)).not.toMatch(/good-token/);
  });

  it('fails to start on a port in use with an error naming the port, and the first server goes on', async () => {
    const port = Number(new URL(fhir.url).port);
    await expect(startFhirServer({ port })).rejects.toThrow(
      new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`),
    );
    expect((await get('Patient/p1')).status).toBe(200);
  });
});
