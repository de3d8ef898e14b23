import type { FhirResource } from 'fhir/r4';
import {
  reassuringGases,
  adultPatient,
  before,
  condition,
  type ClinicalStatus,
  fio2,
  pao2,
  paco2,
  peep,
  ph,
  plateau,
  ventilatedFor,
} from '../builders/fhir-builders';
import { criterion, screen, statusOf } from '../builders/screening';

const T = before({ hours: 2 });

function respiratoryFailureOf(resources: FhirResource[]) {
  return statusOf(screen([adultPatient(), ventilatedFor(9), ...resources]), 'respiratory-failure');
}

describe('respiratory-failure from a Condition', () => {
  it.each([
    ['ICD-10 J96.00', { icd10: 'J96.00' }],
    ['ICD-10 J96.01', { icd10: 'J96.01' }],
    ['ICD-10 J96.02', { icd10: 'J96.02' }],
    ['ICD-10 J96.20', { icd10: 'J96.20' }],
    ['ICD-10 J96.21', { icd10: 'J96.21' }],
    ['ICD-10 J96.90', { icd10: 'J96.90' }],
    ['ICD-10 J96.92', { icd10: 'J96.92' }],
    ['ICD-10 J80', { icd10: 'J80' }],
    ['SNOMED 409622000 respiratory failure', { snomed: '409622000' }],
    ['SNOMED 67782005 ARDS', { snomed: '67782005' }],
    ['SNOMED 65710008 acute respiratory failure', { snomed: '65710008' }],
  ])('is met by an active, confirmed %s', (_label, code) => {
    expect(respiratoryFailureOf([condition(code)])).toBe('met');
  });

  it.each(['J96.10', 'J96.11', 'J98.4'])(
    'is unknown, not not-met, for %s (not on the list)',
    (code) => {
      expect(respiratoryFailureOf([condition({ icd10: code })])).toBe('unknown');
    },
  );

  it.each(['recurrence', 'relapse'] as ClinicalStatus[])('counts %s as active', (clinical) => {
    expect(respiratoryFailureOf([condition({ icd10: 'J80', clinical })])).toBe('met');
  });

  it.each(['resolved', 'inactive', 'remission'] as ClinicalStatus[])(
    'is unknown for a %s ARDS',
    (clinical) => {
      expect(respiratoryFailureOf([condition({ icd10: 'J80', clinical })])).toBe('unknown');
    },
  );

  it.each(['unconfirmed', 'provisional', 'differential', 'refuted', 'entered-in-error'] as const)(
    'is unknown for a %s ARDS',
    (verification) => {
      expect(respiratoryFailureOf([condition({ icd10: 'J80', verification })])).toBe('unknown');
    },
  );

  it('counts a condition with no verification status as confirmed', () => {
    expect(respiratoryFailureOf([condition({ icd10: 'J80', verification: null })])).toBe('met');
  });

  it('counts a condition with no clinical status and no abatement as active', () => {
    expect(respiratoryFailureOf([condition({ icd10: 'J80', clinical: null })])).toBe('met');
  });

  it('does not count a condition with no clinical status but an abatement as active', () => {
    expect(
      respiratoryFailureOf([
        condition({ icd10: 'J80', clinical: null, abatement: before({ days: 3 }) }),
      ]),
    ).toBe('unknown');
  });

  it('cites the condition in the evidence', () => {
    const result = screen([
      adultPatient(),
      ventilatedFor(9),
      condition({ id: 'ards', icd10: 'J80' }),
    ]);
    const refs = criterion(result, 'respiratory-failure').evidence.map((e) => e.reference);
    expect(refs).toContain('Condition/ards');
  });
});

describe('respiratory-failure from the blood-gas criteria', () => {
  it('is met when pf-ratio-on-peep is met, with no diagnosis coded', () => {
    const result = screen([
      adultPatient(),
      ventilatedFor(9),
      pao2(80, T),
      fio2(50, before({ hours: 1 }, T)),
      peep(8, T),
    ]);
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('met');
    expect(statusOf(result, 'respiratory-failure')).toBe('met');
  });

  it('is met when hypercapnia-on-plateau is met', () => {
    expect(respiratoryFailureOf([paco2(60, T), plateau(32, T)])).toBe('met');
  });

  it('is met when acidosis-on-plateau is met', () => {
    const result = screen([adultPatient(), ventilatedFor(9), ph(7.2, T), plateau(32, T)]);
    expect(statusOf(result, 'acidosis-on-plateau')).toBe('met');
    expect(statusOf(result, 'hypercapnia-on-plateau')).not.toBe('met');
    expect(statusOf(result, 'respiratory-failure')).toBe('met');
  });

  it('is unknown, never not-met, when every blood-gas criterion is not met and no diagnosis is coded', () => {
    const result = screen([adultPatient(), ventilatedFor(9), ...reassuringGases(T)]);
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('not-met');
    expect(statusOf(result, 'hypercapnia-on-plateau')).toBe('not-met');
    expect(statusOf(result, 'acidosis-on-plateau')).toBe('not-met');
    expect(statusOf(result, 'respiratory-failure')).toBe('unknown');
  });

  it('is unknown with no data at all', () => {
    expect(statusOf(screen([], { availability: {} }), 'respiratory-failure')).toBe('unknown');
  });
});
