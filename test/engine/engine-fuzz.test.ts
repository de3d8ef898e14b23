import fc from 'fast-check';
import { loadScreeningConfig } from '../../src/config/load-screening-config';
import {
  ALL_SEARCHED,
  evaluatePatient,
  prepareScreening,
  type DataAvailability,
  type ScreeningResult,
} from '../../src/engine';
import { generatePatient, type ScenarioName } from '../../src/synthetic';
import { fuzzParameters, longTimeout } from '../support/long-tests';
import { hostileInProcess } from '../support/fuzz/hostile-values';
import { inProcessMutation, mutateResources } from '../support/fuzz/resource-mutations';

const NOW = '2026-03-01T08:00:00Z';
const prepared = prepareScreening(loadScreeningConfig());

/** Small real records of several scenarios: mutations start from data that reaches every rule. */
const SCENARIOS: ScenarioName[] = [
  'likely-ards',
  'likely-hypercapnic',
  'likely-acidosis',
  'possible-unconfirmed-exclusion',
  'excluded-hiv',
  'pregnant',
  'repeated-weaning-failure',
  'prolonged-weaning',
];
const BASES = SCENARIOS.map((scenario, i) =>
  (generatePatient({ seed: 11 + i, scenario, now: NOW, observationTarget: 40 }).entry ?? []).map(
    (e) => e.resource as unknown,
  ),
);

const availability: fc.Arbitrary<DataAvailability> = fc.oneof(
  fc.constant({ ...ALL_SEARCHED }),
  fc.constant({}),
  fc.dictionary(
    fc.constantFrom('Patient', 'Observation', 'Condition', 'Procedure', 'DeviceUseStatement'),
    fc.constantFrom('searched' as const, 'unavailable' as const),
  ) as fc.Arbitrary<DataAvailability>,
);

const now = fc.constantFrom(NOW, '1900-01-01T00:00:00Z', '2200-12-31T23:59:59.999+14:00', NOW);

const optional = (type: string) => (v: unknown) => v === undefined || typeof v === type;

/**
 * What cards, the worksheet and the CLI rely on: the result's texts are strings and its values
 * strings or numbers whatever the input held (a `display` of `{}` must not reach a card), and it
 * serialises to JSON (none of the input's cycles carried into it).
 */
function shapeProblems(result: ScreeningResult): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => ok || problems.push(what);
  check(
    ['likely', 'possible', 'not-eligible', 'insufficient-data'].includes(result.classification),
    'classification',
  );
  check(typeof result.summary === 'string', 'summary');
  check(typeof result.patient === 'string', 'patient');
  check(result.criteria.length === 17, 'criteria count');
  for (const c of result.criteria) {
    check(typeof c.reason === 'string', `${c.id}.reason`);
    for (const e of c.evidence) {
      check(typeof e.label === 'string', `${c.id} evidence label`);
      check(
        e.value === undefined || typeof e.value === 'string' || typeof e.value === 'number',
        `${c.id} evidence value ${typeof e.value}`,
      );
      for (const k of ['unit', 'time', 'reference'] as const) {
        check(optional('string')(e[k]), `${c.id} evidence ${k} ${typeof e[k]}`);
      }
      check(
        e.notes === undefined || e.notes.every((n) => typeof n === 'string'),
        `${c.id} evidence notes`,
      );
    }
  }
  for (const ep of result.ventilation.episodes) {
    check(typeof ep.start === 'string' && typeof ep.end === 'string', 'episode times');
    check(Number.isFinite(ep.days), 'episode days');
  }
  try {
    JSON.stringify(result);
  } catch {
    problems.push('not serialisable');
  }
  return problems;
}

function expectWellFormed(result: ScreeningResult) {
  expect(shapeProblems(result)).toEqual([]);
}

describe('evaluatePatient under hostile input (property-based)', () => {
  it(
    'never throws on real records changed anywhere: wrong types, missing fields, huge strings, deep nesting, unit and date garbage, duplicated ids, circular contained resources',
    () => {
      fc.assert(
        fc.property(
          fc.nat({ max: BASES.length - 1 }),
          fc.array(inProcessMutation(), { minLength: 1, maxLength: 8 }),
          availability,
          now,
          (base, mutations, avail, at) => {
            const resources = mutateResources(BASES[base] ?? [], mutations);
            expectWellFormed(
              evaluatePatient(prepared, { resources, now: at, availability: avail }),
            );
          },
        ),
        fuzzParameters(1_500, 50_000),
      );
    },
    longTimeout(60_000, 1_800_000),
  );

  it(
    'never throws on lists of arbitrary values in place of resources',
    () => {
      fc.assert(
        fc.property(
          fc.array(hostileInProcess, { maxLength: 20 }),
          availability,
          (values, avail) => {
            expectWellFormed(
              evaluatePatient(prepared, { resources: values, now: NOW, availability: avail }),
            );
          },
        ),
        fuzzParameters(500, 20_000),
      );
    },
    longTimeout(30_000, 600_000),
  );

  it('reads a genuinely circular object graph (a resource that contains itself) without looping', () => {
    const resources = structuredClone(BASES[0] ?? []) as Record<string, unknown>[];
    for (const r of resources) {
      // Every resource contains itself and its neighbour, and its code points back at it.
      r.contained = [r, resources[0]];
      if (r.code && typeof r.code === 'object') (r.code as Record<string, unknown>).owner = r;
    }
    const bundle: Record<string, unknown> = { resourceType: 'Bundle', type: 'collection' };
    bundle.entry = [...resources.map((resource) => ({ resource })), { resource: bundle }];
    const result = evaluatePatient(prepared, {
      resources: [...resources, bundle],
      now: NOW,
      availability: ALL_SEARCHED,
    });
    expectWellFormed(result);
    expect(result.classification).toBe('likely');
  });
});
