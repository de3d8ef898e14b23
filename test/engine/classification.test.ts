import type { FhirResource } from 'fhir/r4';
import {
  reassuringGases,
  adultPatient,
  allSearched,
  before,
  condition,
  extubation,
  fio2,
  intubation,
  pao2,
  patient,
  peep,
  searchedExcept,
  ventilatedFor,
  weaningProcedure,
} from '../builders/fhir-builders';
import { criterion, screen, statusOf } from '../builders/screening';
import { EXCLUSION_IDS, GROUP_MEMBER_IDS, INCLUSION_IDS } from '../../src/engine';

const T = before({ hours: 2 });

/** P/F 160 on PEEP 10, two hours ago. */
const qualifyingPfPair = (): FhirResource[] => [
  pao2(80, T),
  fio2(50, before({ hours: 1 }, T)),
  peep(10, T),
];

/** Aged 50, ventilated 9 days, ARDS coded, P/F 160 on PEEP 10: every search done. */
const likelyCandidate = (): FhirResource[] => [
  adultPatient(),
  ventilatedFor(9),
  condition({ icd10: 'J80' }),
  ...qualifyingPfPair(),
];

describe('classification: likely', () => {
  it('is likely when every inclusion is met and no exclusion is met or unknown', () => {
    const result = screen(likelyCandidate());
    expect(result.classification).toBe('likely');
    for (const id of ['age', 'respiratory-failure', 'invasive-ventilation-7d'] as const) {
      expect(statusOf(result, id)).toBe('met');
    }
    expect(statusOf(result, 'physiology-or-weaning')).toBe('met');
  });

  it('is not lowered by the never-computable exclusions, which stay unknown for the clinician', () => {
    const result = screen(likelyCandidate());
    expect(statusOf(result, 'life-expectancy-under-3-months')).toBe('unknown');
    expect(statusOf(result, 'hypersensitivity')).toBe('unknown');
    expect(criterion(result, 'life-expectancy-under-3-months').confirmAtBedside).toBe(true);
    expect(criterion(result, 'hypersensitivity').confirmAtBedside).toBe(true);
    expect(result.classification).toBe('likely');
  });

  it('stays likely when allergies and encounters could not be searched', () => {
    const result = screen(likelyCandidate(), {
      availability: searchedExcept('AllergyIntolerance', 'Encounter'),
    });
    expect(result.classification).toBe('likely');
  });

  it('is likely with respiratory failure shown only by the blood gases', () => {
    const result = screen([adultPatient(), ventilatedFor(9), ...qualifyingPfPair()]);
    expect(statusOf(result, 'respiratory-failure')).toBe('met');
    expect(result.classification).toBe('likely');
  });

  it('is likely when the group is met by prolonged weaning although P/F is not met', () => {
    const result = screen([
      adultPatient(),
      ventilatedFor(20),
      condition({ icd10: 'J96.00' }),
      weaningProcedure(before({ days: 10 })),
      ...reassuringGases(T),
    ]);
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('not-met');
    expect(statusOf(result, 'prolonged-weaning')).toBe('met');
    expect(statusOf(result, 'physiology-or-weaning')).toBe('met');
    expect(result.classification).toBe('likely');
  });
});

describe('classification: not-eligible', () => {
  it('is not-eligible when age is not met (19)', () => {
    const result = screen([patient({ birthDate: '2006-03-02' }), ...likelyCandidate().slice(1)]);
    expect(statusOf(result, 'age')).toBe('not-met');
    expect(result.classification).toBe('not-eligible');
  });

  it('is not-eligible when age is not met (81)', () => {
    const result = screen([patient({ birthDate: '1945-03-01' }), ...likelyCandidate().slice(1)]);
    expect(result.classification).toBe('not-eligible');
  });

  it('is not-eligible when ventilated for less than 7 days', () => {
    const result = screen([
      adultPatient(),
      ventilatedFor(3),
      condition({ icd10: 'J80' }),
      ...qualifyingPfPair(),
    ]);
    expect(statusOf(result, 'invasive-ventilation-7d')).toBe('not-met');
    expect(result.classification).toBe('not-eligible');
  });

  it('is not-eligible when the searched data show no current ventilation', () => {
    const result = screen([
      adultPatient(),
      intubation(before({ days: 20 })),
      extubation(before({ days: 5 })),
      condition({ icd10: 'J80' }),
    ]);
    expect(statusOf(result, 'invasive-ventilation-7d')).toBe('not-met');
    expect(result.classification).toBe('not-eligible');
  });

  it.each([
    ['severe-aplastic-anemia', { icd10: 'D61.9' }],
    ['hematologic-malignancy-or-stem-cell', { icd10: 'C91.00' }],
    ['solid-cancer', { icd10: 'C34.90' }],
    ['hiv', { icd10: 'B20' }],
    ['pregnancy-or-breastfeeding', { icd10: 'Z33.1' }],
  ] as const)('is not-eligible when the exclusion %s is met', (id, code) => {
    const result = screen([...likelyCandidate(), condition(code)]);
    expect(statusOf(result, id)).toBe('met');
    expect(result.classification).toBe('not-eligible');
  });

  it('is not-eligible when an exclusion is met even though other data are missing for "possible"', () => {
    const result = screen([
      adultPatient(),
      ventilatedFor(9),
      pao2(80, T),
      fio2(50, before({ hours: 1 }, T)),
      condition({ icd10: 'B20' }),
    ]);
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('unknown');
    expect(result.classification).toBe('not-eligible');
  });
});

describe('classification: the "at least one of" group', () => {
  it('is met when any member is met', () => {
    const result = screen(likelyCandidate());
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('met');
    expect(statusOf(result, 'physiology-or-weaning')).toBe('met');
  });

  it('is unknown, not not-met, when every computable member is not met: no-other-option is always unknown', () => {
    const result = screen([
      adultPatient(),
      ventilatedFor(20),
      condition({ icd10: 'J80' }),
      weaningProcedure(before({ days: 3 })),
      ...reassuringGases(T),
    ]);
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('not-met');
    expect(statusOf(result, 'hypercapnia-on-plateau')).toBe('not-met');
    expect(statusOf(result, 'acidosis-on-plateau')).toBe('not-met');
    expect(statusOf(result, 'prolonged-weaning')).toBe('not-met');
    expect(statusOf(result, 'no-other-option')).toBe('unknown');
    expect(statusOf(result, 'physiology-or-weaning')).toBe('unknown');
  });

  it('does not make the patient not-eligible because one member is not met', () => {
    const result = screen([
      adultPatient(),
      ventilatedFor(20),
      condition({ icd10: 'J80' }),
      weaningProcedure(before({ days: 3 })),
      ...reassuringGases(T),
    ]);
    expect(result.classification).toBe('possible');
  });

  it('always shows no-other-option as unknown, to confirm', () => {
    const c = criterion(screen(likelyCandidate()), 'no-other-option');
    expect(c.status).toBe('unknown');
    expect(c.confirmAtBedside).toBe(true);
  });

  it('lists its members and marks them as members', () => {
    const result = screen(likelyCandidate());
    expect(criterion(result, 'physiology-or-weaning').members).toEqual([...GROUP_MEMBER_IDS]);
    for (const id of GROUP_MEMBER_IDS) {
      expect(criterion(result, id).group).toBe('physiology-or-weaning');
    }
  });
});

describe('classification: possible', () => {
  it('is possible when ventilated 9 days but no PEEP is charted near the blood gas', () => {
    const result = screen([
      adultPatient(),
      ventilatedFor(9),
      condition({ icd10: 'J80' }),
      pao2(80, T),
      fio2(50, before({ hours: 1 }, T)),
    ]);
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('unknown');
    expect(result.classification).toBe('possible');
  });

  it.each(['unconfirmed', 'provisional', 'differential'] as const)(
    'is possible when the only doubt is a %s exclusion',
    (verification) => {
      const result = screen([...likelyCandidate(), condition({ icd10: 'B20', verification })]);
      expect(statusOf(result, 'hiv')).toBe('unknown');
      expect(result.classification).toBe('possible');
    },
  );

  it('is possible when a solid cancer ended at an unknown date long ago', () => {
    const result = screen([
      ...likelyCandidate(),
      condition({ icd10: 'C18.9', clinical: 'resolved', onset: '2019-05-01' }),
    ]);
    expect(statusOf(result, 'solid-cancer')).toBe('unknown');
    expect(result.classification).toBe('possible');
  });

  it('is possible when the birth date is missing', () => {
    const result = screen([patient(), ...likelyCandidate().slice(1)]);
    expect(statusOf(result, 'age')).toBe('unknown');
    expect(result.classification).toBe('possible');
  });

  it('is possible when respiratory failure is only unknown', () => {
    const result = screen([
      adultPatient(),
      ventilatedFor(20),
      weaningProcedure(before({ days: 10 })),
    ]);
    expect(statusOf(result, 'respiratory-failure')).toBe('unknown');
    expect(statusOf(result, 'physiology-or-weaning')).toBe('met');
    expect(result.classification).toBe('possible');
  });

  it('is possible, not likely, when conditions could not be searched (exclusions unknown)', () => {
    const result = screen([adultPatient(), ventilatedFor(9), ...qualifyingPfPair()], {
      availability: searchedExcept('Condition'),
    });
    expect(statusOf(result, 'hiv')).toBe('unknown');
    expect(statusOf(result, 'solid-cancer')).toBe('unknown');
    expect(result.classification).toBe('possible');
  });
});

describe('classification: insufficient-data', () => {
  it('is insufficient-data when no search could be done', () => {
    const result = screen([], { availability: {} });
    expect(result.classification).toBe('insufficient-data');
  });

  it('is insufficient-data when only the Patient could be read and nothing decides', () => {
    const result = screen([adultPatient()], { availability: { Patient: 'searched' } });
    expect(statusOf(result, 'age')).toBe('met');
    expect(statusOf(result, 'invasive-ventilation-7d')).toBe('unknown');
    expect(result.classification).toBe('insufficient-data');
  });

  it('gives unknown rather than not-met for every criterion whose data could not be obtained', () => {
    const result = screen([], { availability: {} });
    for (const c of result.criteria) {
      expect([c.id, c.status]).toEqual([c.id, 'unknown']);
    }
  });

  it('gives not-eligible rather than insufficient-data when everything was searched and shows no ventilation', () => {
    const result = screen([adultPatient()], { availability: allSearched });
    expect(statusOf(result, 'invasive-ventilation-7d')).toBe('not-met');
    expect(result.classification).toBe('not-eligible');
  });
});

describe('criteria in the result', () => {
  it('reports every criterion id once, inclusions before exclusions', () => {
    const ids = screen(likelyCandidate()).criteria.map((c) => c.id);
    expect(ids).toEqual([...INCLUSION_IDS, ...EXCLUSION_IDS]);
  });

  it('marks the kind of each criterion', () => {
    const result = screen(likelyCandidate());
    for (const id of INCLUSION_IDS) expect(criterion(result, id).kind).toBe('inclusion');
    for (const id of EXCLUSION_IDS) expect(criterion(result, id).kind).toBe('exclusion');
  });
});
