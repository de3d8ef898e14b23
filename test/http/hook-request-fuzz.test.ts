import fc from 'fast-check';
import { generatePatient, type ScenarioName } from '../../src/synthetic';
import { cdsSchemaErrors } from '../support/cds-hooks-schemas';
import { hostileJson, hostileString } from '../support/fuzz/hostile-values';
import { freshCopy, jsonMutation, mutateResources } from '../support/fuzz/resource-mutations';
import { fuzzParameters, longTimeout } from '../support/long-tests';
import {
  patientIdOf,
  patientView,
  prefetchFor,
  startTestService,
  type TestService,
} from '../support/test-service';

const NOW = '2026-03-01T08:00:00Z';
const SERVICE = '/cds-services/stellar-screening';
/** A closed port: the one FHIR server the fuzzed service may call, refusing at once. */
const DEAD_FHIR = 'http://127.0.0.1:9/fhir';

type Json = Record<string, unknown>;

/** Valid requests to start from: full prefetch, partial prefetch with a server, no prefetch. */
function baseRequests(): Json[] {
  const scenarios: ScenarioName[] = [
    'likely-ards',
    'excluded-hiv',
    'pregnant',
    'prolonged-weaning',
  ];
  return scenarios.flatMap((scenario, i) => {
    const bundle = generatePatient({ seed: 3 + i, scenario, now: NOW, observationTarget: 40 });
    const id = patientIdOf(bundle);
    const prefetch = prefetchFor(bundle);
    // Searchset Bundles as servers send them, with links a mutation can break.
    for (const value of Object.values(prefetch)) {
      const b = value as Json | null;
      if (b?.resourceType === 'Bundle') b.link = [{ relation: 'self', url: `${DEAD_FHIR}/x` }];
    }
    const { conditions: _c, ...partial } = prefetch;
    return [
      patientView(id, { prefetch }),
      patientView(id, { prefetch: partial, fhirServer: DEAD_FHIR, accessToken: 'fuzz-token' }),
      { ...patientView(id), hook: 'encounter-start' },
    ] as Json[];
  });
}

/** A change to the request outside the prefetch data: its fields, context and authorization. */
const requestMutation = fc.record({
  op: fc.constantFrom('set', 'delete'),
  path: fc.nat({ max: 1_000 }),
  value: hostileJson,
});

/** The slots of a request a mutation may change: everything but the inside of prefetch values. */
function requestSlots(request: Json): [Json, string][] {
  const slots: [Json, string][] = [];
  const visit = (node: unknown, inPrefetch: boolean) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    for (const key of Object.keys(node)) {
      slots.push([node as Json, key]);
      if (!inPrefetch) visit((node as Json)[key], key === 'prefetch');
    }
  };
  visit(request, false);
  return slots;
}

function mutateRequest(
  base: Json,
  changes: { op: string; path: number; value: unknown }[],
  prefetchChanges: { key: number; mutations: Parameters<typeof mutateResources>[1] }[],
): Json {
  const request = structuredClone(base);
  const prefetch = request.prefetch as Json | undefined;
  if (prefetch) {
    const keys = Object.keys(prefetch);
    for (const { key, mutations } of prefetchChanges) {
      const name = keys[key % keys.length] as string;
      // The key's whole value (a Bundle or the Patient) is one "resource" to mutate anywhere in.
      prefetch[name] = mutateResources([prefetch[name]], mutations)[0];
    }
  }
  for (const change of changes) {
    const slots = requestSlots(request);
    const slot = slots[change.path % slots.length];
    if (!slot) continue;
    if (change.op === 'set') slot[0][slot[1]] = freshCopy(change.value);
    else delete slot[0][slot[1]];
  }
  return request;
}

/** Bodies that are not a JSON object at all, or not JSON, or JSON cut short. */
function rawBodies(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
    fc
      .tuple(fc.nat({ max: valid.length }), hostileString)
      .map(([n, s]) => valid.slice(0, n) + s + valid.slice(n)),
    fc.integer({ min: 1, max: 200_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
    fc.integer({ min: 1, max: 200_000 }).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
    fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
    fc.constantFrom(
      'null',
      'true',
      '[]',
      '""',
      '0',
      '{}',
      '{"__proto__":{"polluted":1}}',
      '\uFEFF{}',
    ),
  );
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/fhir+json',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  '',
];

/** What every answer must be: never a 5xx; a 4xx always an OperationOutcome; a 200 a CDS answer. */
async function expectHandled(res: Response): Promise<void> {
  const text = await res.text();
  expect(res.status).toBeLessThan(500);
  const body = JSON.parse(text) as Json;
  if (res.status === 200) {
    expect(cdsSchemaErrors('service', body)).toEqual([]);
  } else {
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(body.resourceType).toBe('OperationOutcome');
    const issue = (body.issue as { diagnostics?: unknown }[] | undefined)?.[0];
    expect(typeof issue?.diagnostics).toBe('string');
  }
}

describe('POST /cds-services/stellar-screening under malformed and hostile requests (property-based)', () => {
  let service: TestService;
  const bases = baseRequests();
  beforeAll(async () => {
    service = await startTestService({
      auth: false,
      now: () => new Date(NOW),
      logLevel: 'warn',
      overrides: { allowedFhirServers: [DEAD_FHIR] },
    });
  });
  afterAll(async () => service.close());

  /** Requests that once answered 500 or put junk in a card, found by these fuzzers. */
  const found: [string, (base: Json) => Json][] = [
    [
      'a prefetched Bundle whose link is a string',
      (base) => {
        const prefetch = base.prefetch as Record<string, Json>;
        return {
          ...base,
          prefetch: { ...prefetch, conditions: { ...prefetch.conditions, link: 'next' } },
        };
      },
    ],
    ['fhirServer sent as null', (base) => ({ ...base, fhirServer: null })],
    [
      'a Condition display that is an object',
      (base) => {
        const prefetch = structuredClone(base.prefetch) as Record<string, Json>;
        const entries = prefetch.conditions?.entry as { resource: Json }[];
        for (const { resource } of entries) {
          const coding = (resource.code as { coding: Json[] }).coding;
          for (const c of coding) c.display = { text: 'x' };
        }
        return { ...base, prefetch };
      },
    ],
  ];
  it.each(found)(
    'answers %s (found by fuzzing) without a 5xx or junk text',
    async (_name, make) => {
      const res = await service.call(SERVICE, { json: make(bases[0] as Json) });
      const text = await res.clone().text();
      await expectHandled(res);
      expect(text).not.toContain('[object Object]');
    },
  );

  it(
    'answers every mutated hook request with a 200 CDS answer or a 4xx OperationOutcome, never a 5xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: bases.length - 1 }),
          fc.array(requestMutation, { maxLength: 3 }),
          fc.array(
            fc.record({
              key: fc.nat(),
              mutations: fc.array(jsonMutation(), { minLength: 1, maxLength: 4 }),
            }),
            { maxLength: 3 },
          ),
          async (b, changes, prefetchChanges) => {
            const request = mutateRequest(bases[b] as Json, changes, prefetchChanges);
            const res = await service.call(SERVICE, { json: request });
            await expectHandled(res);
          },
        ),
        fuzzParameters(1_000, 30_000),
      );
    },
    longTimeout(120_000, 3_600_000),
  );

  it(
    'answers bodies that are not a hook request (not JSON, cut short, deeply nested, odd charsets and types) with a 4xx OperationOutcome',
    async () => {
      const valid = JSON.stringify(bases[0]);
      await fc.assert(
        fc.asyncProperty(
          rawBodies(valid),
          fc.constantFrom(...CONTENT_TYPES),
          async (body, type) => {
            const res = await service.call(SERVICE, {
              method: 'POST',
              body,
              headers: type === '' ? {} : { 'content-type': type },
            });
            await expectHandled(res);
          },
        ),
        fuzzParameters(500, 10_000),
      );
    },
    longTimeout(60_000, 1_800_000),
  );

  it(
    'answers every mutated feedback call with 200 or a 4xx OperationOutcome, never a 5xx',
    async () => {
      const item = (i: number) => ({
        card: `0c6b8a52-7c51-5a52-9b6e-0d1f4c3b2a${String(10 + i)}`,
        outcome: i % 2 ? 'accepted' : 'overridden',
        ...(i % 2
          ? { acceptedSuggestions: [{ id: 'a8f5e2d1-3c4b-5a69-8e7f-1d2c3b4a5f60' }] }
          : {
              overrideReason: {
                reason: { code: 'patient-declined', system: 'http://example.org', display: 'x' },
                userComment: 'seen',
              },
            }),
        outcomeTimestamp: NOW,
      });
      const base: Json = { feedback: [item(0), item(1), item(2)] };
      await fc.assert(
        fc.asyncProperty(
          fc.array(requestMutation, { minLength: 1, maxLength: 4 }),
          async (changes) => {
            const body = mutateRequest(base, changes, []);
            const res = await service.call(`${SERVICE}/feedback`, { json: body });
            const text = await res.text();
            expect(res.status).toBeLessThan(500);
            if (res.status !== 200) {
              expect((JSON.parse(text) as Json).resourceType).toBe('OperationOutcome');
            }
          },
        ),
        fuzzParameters(300, 10_000),
      );
    },
    longTimeout(60_000, 1_800_000),
  );

  it('is still healthy afterwards and logged no unhandled error', async () => {
    const res = await fetch(`${service.url}/healthz`);
    expect(res.status).toBe(200);
    expect(service.logs.filter((l) => l.includes('unhandled error'))).toEqual([]);
  });
});
