/**
 * Data as it really arrives: duplicates, malformed resources, results dated by day, charting
 * after the evaluation time. Found in review; none of it may throw or skew a verdict.
 */
import fc from 'fast-check';
import type { Evidence } from '../../src/engine';
import {
  adultPatient,
  before,
  after,
  codedObservation,
  condition,
  fio2,
  NOW,
  observation,
  pao2,
  patient,
  peep,
  ventilatedFor,
} from '../builders/fhir-builders';
import { criterion, screen, statusOf, withLocalCodes } from '../builders/screening';

describe('duplicated resources', () => {
  it('counts a failed SBT that arrives three times (same id) once', () => {
    const prepared = withLocalCodes({ 'sbt-failed': ['SBT-FAIL'] });
    const sbt = observation({
      id: 'sbt-1',
      local: 'SBT-FAIL',
      at: before({ days: 2 }),
      valueString: 'failed',
    });
    const r = screen([adultPatient(), ventilatedFor(9), sbt, { ...sbt }, { ...sbt }], { prepared });
    expect(criterion(r, 'repeated-weaning-failure').evidence).toHaveLength(1);
    expect(statusOf(r, 'repeated-weaning-failure')).toBe('unknown');
  });

  it('keeps the latest version of a resource that arrives twice', () => {
    const at = before({ hours: 3 });
    const old = { ...peep(4, at, { id: 'peep-1' }), meta: { lastUpdated: '2026-03-01T05:00:00Z' } };
    const corrected = {
      ...peep(10, at, { id: 'peep-1' }),
      meta: { lastUpdated: '2026-03-01T06:00:00Z' },
    };
    const r = screen([adultPatient(), pao2(70, at), fio2(50, at), corrected, old]);
    expect(statusOf(r, 'pf-ratio-on-peep')).toBe('met');
  });
});

describe('malformed resources', () => {
  it.each([
    [
      'an allergy whose coding is an object',
      { resourceType: 'AllergyIntolerance', code: { coding: { code: 'x' } } },
    ],
    [
      'an allergy with a null coding',
      { resourceType: 'AllergyIntolerance', code: { coding: [null] } },
    ],
    [
      'a device use with contained as an object',
      {
        resourceType: 'DeviceUseStatement',
        status: 'active',
        device: { reference: '#v' },
        contained: {},
      },
    ],
    [
      'a device use with a null contained entry',
      {
        resourceType: 'DeviceUseStatement',
        status: 'active',
        device: { reference: '#v' },
        contained: [null],
      },
    ],
    [
      'an observation whose id is an object',
      { resourceType: 'Observation', status: 'final', id: { toString: 0 }, code: {} },
    ],
    [
      'a patient whose id is an object',
      { resourceType: 'Patient', id: { toString: 0 }, birthDate: '1970-01-01' },
    ],
  ])('does not throw on %s', (_what, resource) => {
    expect(() => screen([resource])).not.toThrow();
  });

  it('never throws on arbitrary JSON shaped like resources', () => {
    const types = [
      'Patient',
      'Observation',
      'Condition',
      'Procedure',
      'DeviceUseStatement',
      'Device',
      'AllergyIntolerance',
    ];
    fc.assert(
      fc.property(
        fc.array(
          fc
            .record({ resourceType: fc.constantFrom(...types) })
            .chain((base) =>
              fc
                .dictionary(
                  fc.constantFrom(
                    'id',
                    'status',
                    'code',
                    'subject',
                    'valueQuantity',
                    'component',
                    'effectiveDateTime',
                    'performedPeriod',
                    'clinicalStatus',
                    'verificationStatus',
                    'birthDate',
                    'device',
                    'contained',
                    'timingPeriod',
                    'meta',
                    'type',
                  ),
                  fc.jsonValue(),
                )
                .map((extra) => ({ ...extra, ...base })),
            ),
          { maxLength: 12 },
        ),
        (resources) => {
          expect(() => screen(resources)).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('display and text that are not text', () => {
  // JSON lets a client put anything where FHIR has a string; a parser that guards against
  // prototype pollution gives objects without a prototype, which cannot even be put in a string.
  const notText: [string, unknown][] = [
    ['an object', { a: 1 }],
    ['a number', 42],
    ['a list', ['J80']],
    ['an object without a prototype', Object.create(null)],
  ];
  const readable = (evidence: Evidence[]) =>
    evidence.every(
      (e) =>
        (typeof e.value === 'string' && !e.value.includes('[object')) ||
        typeof e.value === 'number',
    );

  it.each(notText)('keeps a Condition display that is %s out of the evidence', (_what, display) => {
    const c = condition({ icd10: 'J96.00' });
    (c.code?.coding?.[0] as { display?: unknown }).display = display;
    const r = screen([adultPatient(), ventilatedFor(9), c]);
    expect(statusOf(r, 'respiratory-failure')).toBe('met');
    expect(readable(criterion(r, 'respiratory-failure').evidence)).toBe(true);
    expect(typeof criterion(r, 'respiratory-failure').reason).toBe('string');
  });

  it.each(notText)('keeps an allergy text that is %s out of the evidence', (_what, text) => {
    const allergy = { resourceType: 'AllergyIntolerance', id: 'a1', code: { text } };
    const r = screen([adultPatient(), allergy]);
    expect(readable(criterion(r, 'hypersensitivity').evidence)).toBe(true);
  });

  it.each(notText)(
    'keeps a pregnancy-status answer whose display and text are %s out of the evidence',
    (_what, junk) => {
      const answer = codedObservation(
        { loinc: '82810-3' },
        { snomed: '0000' },
        before({ days: 1 }),
      );
      const value = answer.valueCodeableConcept as {
        text?: unknown;
        coding?: { display?: unknown }[];
      };
      value.text = junk;
      (value.coding?.[0] as { display?: unknown }).display = junk;
      const r = screen([patient({ birthDate: '1990-01-01' }), answer]);
      expect(statusOf(r, 'pregnancy-or-breastfeeding')).toBe('unknown');
      expect(readable(criterion(r, 'pregnancy-or-breastfeeding').evidence)).toBe(true);
    },
  );
});

describe('results dated by day only', () => {
  it('counts a positive hCG dated by day when any of that day is inside the 14-day window', () => {
    const day = new Date(Date.parse(NOW) - 14 * 86_400_000).toISOString().slice(0, 10);
    const test = codedObservation({ loinc: '2118-8' }, { snomed: '10828004' }, day);
    const r = screen([patient({ birthDate: '1990-01-01' }), test]);
    expect(statusOf(r, 'pregnancy-or-breastfeeding')).toBe('met');
  });
});

describe('breastfeeding status answers', () => {
  it('asks to confirm when the latest breastfeeding status is neither yes nor no', () => {
    const answer = codedObservation({ loinc: '63895-7' }, 'Breastfeeding', before({ days: 2 }));
    const r = screen([patient({ birthDate: '1990-01-01' }), answer]);
    expect(statusOf(r, 'pregnancy-or-breastfeeding')).toBe('unknown');
  });
});

describe('charting after the evaluation time', () => {
  it('does not pair a blood gas with an FiO2 or PEEP charted after now', () => {
    const r = screen([
      adultPatient(),
      pao2(70, before({ minutes: 15 })),
      fio2(50, after({ minutes: 15 })),
      peep(10, after({ minutes: 90 })),
    ]);
    expect(
      criterion(r, 'pf-ratio-on-peep').evidence.filter((e) => e.label === 'P/F ratio'),
    ).toHaveLength(0);
  });
});
