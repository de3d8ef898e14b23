import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createFhirServerApp, createFhirStore } from '../../src/fhir-server';
import { NOW, pao2, patient } from '../builders/fhir-builders';
import { entryRefs, search } from './fhir-test-client';

describe('createFhirServerApp', () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    const store = createFhirStore({ defaultPageSize: 2 });
    await store.load([
      patient(),
      pao2(70, NOW, { id: 'g1' }),
      pao2(71, NOW, { id: 'g2' }),
      pao2(72, NOW, { id: 'g3' }),
    ]);
    const ehr = express();
    ehr.use('/ehr', createFhirServerApp({ store, basePath: '/fhir-r4' }));
    ehr.get(['/', '/ehr/chart'], (_req, res) => void res.send('demo EHR'));
    server = createServer(ehr);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('serves a store it was given under its mount path, with links under that path', async () => {
    const base = `${origin}/ehr/fhir-r4`;
    const first = await search(`${base}/Observation?patient=p1`);
    expect(first.total).toBe(3);
    const next = first.link?.find((l) => l.relation === 'next')?.url ?? '';
    expect(next.startsWith(`${base}/Observation?`)).toBe(true);
    const second = await search(next);
    expect([...entryRefs(first), ...entryRefs(second)].sort()).toEqual([
      'Observation/g1',
      'Observation/g2',
      'Observation/g3',
    ]);
    expect(first.entry?.[0]?.fullUrl?.startsWith(`${base}/Observation/`)).toBe(true);
  });

  it("leaves the host app's other paths, even beside its mount path, to the host", async () => {
    for (const path of ['/', '/ehr/chart']) {
      const res = await fetch(`${origin}${path}`);
      expect(await res.text()).toBe('demo EHR');
    }
  });

  it('answers CORS preflights so a browser app on another origin can call it', async () => {
    const res = await fetch(`${origin}/ehr/fhir-r4/Observation`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:9999',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
  });
});
