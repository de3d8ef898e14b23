import type { Bundle } from 'fhir/r4';
import { loadServiceDefinition } from '../../src/config/service-definition';
import { buildDataPlan } from '../../src/fhir/data-plan';
import { FhirFetchError, type FhirReader } from '../../src/fhir/fhir-search-client';
import { gatherPatientData, type GatherRequest } from '../../src/fhir/gather-patient-data';

const plan = buildDataPlan(loadServiceDefinition());
const NOW = Date.parse('2026-03-01T08:00:00Z');

/** A reader that answers from a table and records what was asked: a small object, no mocks. */
function tableReader(answer: (url: string) => unknown): FhirReader & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    get requestCount() {
      return asked.length;
    },
    async read(url) {
      asked.push(url);
      const value = answer(url);
      if (value instanceof Error) throw value;
      return value;
    },
    async *pages(start) {
      let page: unknown = typeof start === 'string' ? undefined : start;
      if (typeof start === 'string') {
        asked.push(start);
        page = answer(start);
      }
      while (page) {
        if (page instanceof Error) throw page;
        yield page as Bundle;
        const next = (page as Bundle).link?.find((l) => l.relation === 'next')?.url;
        if (!next) return;
        asked.push(next);
        page = answer(next);
      }
    },
  };
}

const searchset = (resources: object[], next?: string): Bundle => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: resources.map((resource) => ({ resource: resource as never })),
  ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
});

/** A prefetch with every key of the plan filled with an empty result. */
function emptyPrefetch(): Record<string, unknown> {
  return Object.fromEntries(
    plan.queries.map((q) =>
      q.key === 'patient'
        ? [q.key, { resourceType: 'Patient', id: 'p1', birthDate: '1970-01-01' }]
        : [q.key, searchset([])],
    ),
  );
}

function request(overrides: Partial<GatherRequest>): GatherRequest {
  return {
    plan,
    patientId: 'p1',
    prefetch: undefined,
    reader: undefined,
    now: NOW,
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe('gatherPatientData', () => {
  it('uses a complete prefetch and sends no request', async () => {
    const reader = tableReader(() => new Error('must not be called'));
    const data = await gatherPatientData(request({ prefetch: emptyPrefetch(), reader }));
    expect(reader.asked).toEqual([]);
    expect(data.failures).toEqual([]);
    expect(data.availability).toMatchObject({
      Patient: 'searched',
      Observation: 'searched',
      Condition: 'searched',
    });
    expect(data.sequentialRounds).toBe(0);
  });

  it('fetches a missing key from the FHIR server, and only that key', async () => {
    const prefetch = emptyPrefetch();
    delete prefetch.conditions;
    const condition = { resourceType: 'Condition', id: 'c1' };
    const reader = tableReader((url) =>
      url.startsWith('Condition?') ? searchset([condition]) : new Error(url),
    );
    const data = await gatherPatientData(request({ prefetch, reader }));
    expect(reader.asked).toEqual(['Condition?patient=p1&_count=1000']);
    expect(data.sources.conditions).toBe('fetched');
    expect(data.resources).toContainEqual(condition);
  });

  it('does not fetch a key the client sent as null: it has no such data', async () => {
    const prefetch = emptyPrefetch();
    prefetch.allergies = null;
    const reader = tableReader(() => new Error('must not be called'));
    const data = await gatherPatientData(request({ prefetch, reader }));
    expect(reader.asked).toEqual([]);
    expect(data.sources.allergies).toBe('no-data');
    expect(data.availability.AllergyIntolerance).toBe('searched');
  });

  it('treats an OperationOutcome in prefetch as missing and fetches the key', async () => {
    const prefetch = emptyPrefetch();
    prefetch.procedures = { resourceType: 'OperationOutcome', issue: [] };
    const reader = tableReader(() => searchset([]));
    const data = await gatherPatientData(request({ prefetch, reader }));
    expect(reader.asked).toHaveLength(1);
    expect(reader.asked[0]).toMatch(/^Procedure\?patient=p1&code=/);
    expect(data.sources.procedures).toBe('fetched');
  });

  it('follows the next link of a prefetched page, and counts the chain of requests', async () => {
    const prefetch = emptyPrefetch();
    const first = { resourceType: 'Observation', id: 'o1' };
    const second = { resourceType: 'Observation', id: 'o2' };
    const third = { resourceType: 'Observation', id: 'o3' };
    prefetch.bloodGases = searchset([first], 'http://fhir/Observation?page=2');
    const reader = tableReader((url) =>
      url.endsWith('page=2')
        ? searchset([second], 'http://fhir/Observation?page=3')
        : searchset([third]),
    );
    const data = await gatherPatientData(request({ prefetch, reader }));
    expect(data.resources).toEqual(expect.arrayContaining([first, second, third]));
    expect(data.sources.bloodGases).toBe('prefetch-and-pages');
    expect(data.sequentialRounds).toBe(2);
  });

  it('ignores OperationOutcome entries inside a search page', async () => {
    const prefetch = emptyPrefetch();
    prefetch.conditions = searchset([
      { resourceType: 'OperationOutcome', issue: [] },
      { resourceType: 'Condition', id: 'c1' },
    ]);
    const data = await gatherPatientData(request({ prefetch }));
    expect(
      data.resources.filter(
        (r) => (r as { resourceType: string }).resourceType === 'OperationOutcome',
      ),
    ).toEqual([]);
  });

  it('reports a missing key it cannot fetch when the request names no FHIR server', async () => {
    const prefetch = emptyPrefetch();
    delete prefetch.patient;
    const data = await gatherPatientData(request({ prefetch }));
    expect(data.failures).toEqual([{ key: 'patient', problem: 'no-fhir-server' }]);
    expect(data.availability.Patient).toBe('unavailable');
  });

  it('marks a type unavailable when one of its queries fails, keeping what the others got', async () => {
    const reader = tableReader((url) => {
      if (url.startsWith('Patient/')) return { resourceType: 'Patient', id: 'p1' };
      if (url.includes('code=http%3A%2F%2Floinc.org%7C20077-4')) {
        return new FhirFetchError('server-error', 'HTTP 500', 500);
      }
      return searchset([]);
    });
    const data = await gatherPatientData(request({ reader }));
    expect(data.failures).toEqual([{ key: 'ventilatorSettings', problem: 'server-error' }]);
    expect(data.availability.Observation).toBe('unavailable');
    expect(data.availability.Condition).toBe('searched');
  });

  it('counts a failed Device query against device use', async () => {
    const prefetch = emptyPrefetch();
    delete prefetch.devices;
    const reader = tableReader(() => new FhirFetchError('forbidden', 'HTTP 403', 403));
    const data = await gatherPatientData(request({ prefetch, reader }));
    expect(data.availability.DeviceUseStatement).toBe('unavailable');
  });

  it('gives up on every query when the budget runs out, even if a request never settles', async () => {
    const controller = new AbortController();
    const reader: FhirReader = {
      requestCount: 0,
      read: () => new Promise(() => undefined),
      // eslint-disable-next-line require-yield -- a search that never answers
      async *pages() {
        await new Promise(() => undefined);
      },
    };
    const pending = gatherPatientData(request({ reader, signal: controller.signal }));
    controller.abort();
    const data = await pending;
    expect(data.failures.map((f) => f.problem)).toEqual(plan.queries.map(() => 'aborted'));
  });
});
