import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchPrefetch, fillPrefetchTemplate } from '../../src/demo/ehr/prefetch';

describe('fillPrefetchTemplate', () => {
  const context = { patientId: 'p 1', userId: 'Practitioner/dr-1' };

  it('fills context and user tokens, URL-encoded', () => {
    expect(fillPrefetchTemplate('Patient/{{context.patientId}}', context)).toBe('Patient/p%201');
    expect(
      fillPrefetchTemplate('Observation?patient={{context.patientId}}&code=a|b', context),
    ).toBe('Observation?patient=p%201&code=a|b');
    expect(fillPrefetchTemplate('Practitioner/{{userPractitionerId}}', context)).toBe(
      'Practitioner/dr-1',
    );
  });

  it('gives nothing for a token the context cannot fill', () => {
    expect(fillPrefetchTemplate('Encounter/{{context.encounterId}}', context)).toBeUndefined();
    expect(fillPrefetchTemplate('Patient/{{userPatientId}}', context)).toBeUndefined();
  });
});

describe('fetchPrefetch', () => {
  let server: Server;
  let base: string;
  const seen: { url: string; auth: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      const url = req.url ?? '';
      if (url.startsWith('/fhir/Patient/known')) {
        res.writeHead(200, { 'content-type': 'application/fhir+json' });
        res.end(JSON.stringify({ resourceType: 'Patient', id: 'known' }));
      } else if (url.startsWith('/fhir/Patient/')) {
        res.writeHead(404).end();
      } else if (url.startsWith('/fhir/Observation')) {
        res.writeHead(200, { 'content-type': 'application/fhir+json' });
        res.end(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [] }));
      } else {
        res.writeHead(500).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('fills what the server has, says null for a missing record, and leaves failures out', async () => {
    const templates = {
      patient: 'Patient/{{context.patientId}}',
      gases: 'Observation?patient={{context.patientId}}',
      conditions: 'Condition?patient={{context.patientId}}',
      encounter: 'Encounter/{{context.encounterId}}',
    };
    const known = await fetchPrefetch(
      templates,
      { patientId: 'known' },
      { base, accessToken: 't0k' },
    );
    expect(known.prefetch).toEqual({
      patient: { resourceType: 'Patient', id: 'known' },
      gases: { resourceType: 'Bundle', type: 'searchset', entry: [] },
    });
    expect(known.outcomes).toEqual({
      patient: 'filled',
      gases: 'filled',
      conditions: 'left-out',
      encounter: 'left-out',
    });
    expect(seen.every((s) => s.auth === 'Bearer t0k')).toBe(true);

    const missing = await fetchPrefetch(
      templates,
      { patientId: 'gone' },
      { base, accessToken: 't' },
    );
    expect(missing.prefetch.patient).toBeNull();
    expect(missing.outcomes.patient).toBe('none');
  });
});
