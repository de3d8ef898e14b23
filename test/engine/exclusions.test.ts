import type { FhirResource } from 'fhir/r4';
import {
  adultPatient,
  after,
  before,
  codedObservation,
  condition,
  type ClinicalStatus,
  type ConditionOptions,
  procedure,
  searchedExcept,
} from '../builders/fhir-builders';
import { configuredScreening, criterion, screen, statusOf } from '../builders/screening';
import type { ExclusionId } from '../../src/engine';

function exclusionOf(
  id: ExclusionId,
  resources: FhirResource[],
  options?: Parameters<typeof screen>[1],
) {
  return statusOf(screen([adultPatient(), ...resources], options), id);
}

// ---------------------------------------------------------------------------------------------

describe('severe-aplastic-anemia', () => {
  const of = (o: ConditionOptions, options?: Parameters<typeof screen>[1]) =>
    exclusionOf('severe-aplastic-anemia', [condition(o)], options);

  it.each([
    ['ICD-10 D61.9', { icd10: 'D61.9' }],
    ['ICD-10 D61.3', { icd10: 'D61.3' }],
    ['ICD-10 D61.01', { icd10: 'D61.01' }],
    ['SNOMED 306058006', { snomed: '306058006' }],
  ])('is met by an active, confirmed %s', (_label, code) => {
    expect(of(code)).toBe('met');
  });

  it.each(['D61.81', 'D61.810', 'D61.811', 'D61.818', 'D61.82'])(
    'is not met by %s, which D61.x leaves out',
    (code) => {
      expect(of({ icd10: code })).toBe('not-met');
    },
  );

  it.each(['recurrence', 'relapse'] as ClinicalStatus[])(
    'counts clinical status %s as active',
    (clinical) => {
      expect(of({ icd10: 'D61.9', clinical })).toBe('met');
    },
  );

  it.each(['inactive', 'remission', 'resolved'] as ClinicalStatus[])(
    'is not met by a %s condition',
    (clinical) => {
      expect(of({ icd10: 'D61.9', clinical })).toBe('not-met');
    },
  );

  it('counts a condition with no clinical status and no abatement as active', () => {
    expect(of({ icd10: 'D61.9', clinical: null })).toBe('met');
  });

  it('does not count a condition with no clinical status but an abatement as active', () => {
    expect(of({ icd10: 'D61.9', clinical: null, abatement: before({ days: 400 }) })).toBe(
      'not-met',
    );
  });

  it('counts a condition with no verification status as confirmed', () => {
    expect(of({ icd10: 'D61.9', verification: null })).toBe('met');
  });

  it.each(['unconfirmed', 'provisional', 'differential'] as const)(
    'is unknown ("possible, confirm") for a %s finding',
    (verification) => {
      const result = screen([adultPatient(), condition({ icd10: 'D61.9', verification })]);
      const c = criterion(result, 'severe-aplastic-anemia');
      expect(c.status).toBe('unknown');
      expect(c.confirmAtBedside).toBe(true);
    },
  );

  it.each(['refuted', 'entered-in-error'] as const)('ignores a %s condition', (verification) => {
    expect(of({ icd10: 'D61.9', verification })).toBe('not-met');
  });

  it('is not-met when conditions were searched and show none', () => {
    expect(exclusionOf('severe-aplastic-anemia', [])).toBe('not-met');
  });

  it('is unknown when conditions could not be searched', () => {
    expect(
      exclusionOf('severe-aplastic-anemia', [], { availability: searchedExcept('Condition') }),
    ).toBe('unknown');
  });

  it('cites the condition in the evidence', () => {
    const result = screen([adultPatient(), condition({ id: 'saa', icd10: 'D61.9' })]);
    const refs = criterion(result, 'severe-aplastic-anemia').evidence.map((e) => e.reference);
    expect(refs).toContain('Condition/saa');
  });
});

// ---------------------------------------------------------------------------------------------

describe('hematologic-malignancy-or-stem-cell', () => {
  const id = 'hematologic-malignancy-or-stem-cell';
  const longAgo = { onset: before({ days: 15 * 365 }), abatement: before({ days: 12 * 365 }) };

  it.each([
    ['ICD-10 C81.10 (start of C81-C96)', { icd10: 'C81.10' }],
    ['ICD-10 C91.00', { icd10: 'C91.00' }],
    ['ICD-10 C96.9 (end of C81-C96)', { icd10: 'C96.9' }],
    ['ICD-10 D46.9', { icd10: 'D46.9' }],
    ['ICD-10 D45', { icd10: 'D45' }],
    ['ICD-10 D47.1', { icd10: 'D47.1' }],
    ['SNOMED 93143009 leukemia', { snomed: '93143009' }],
    ['SNOMED 118600007 malignant lymphoma', { snomed: '118600007' }],
    ['SNOMED 152621000119105 history of stem cell transplant', { snomed: '152621000119105' }],
    ['SNOMED 108631000119101 history of bone marrow transplant', { snomed: '108631000119101' }],
    ['SNOMED 153351000119102 history of PBSC transplant', { snomed: '153351000119102' }],
    ['ICD-10 Z94.81', { icd10: 'Z94.81' }],
    ['ICD-10 Z94.84', { icd10: 'Z94.84' }],
  ])('is met by %s at any time, even resolved years ago', (_label, code) => {
    expect(exclusionOf(id, [condition({ ...code, clinical: 'resolved', ...longAgo })])).toBe('met');
  });

  it.each([
    ['ICD-10 C80.1 (a solid cancer)', 'C80.1'],
    ['ICD-10 C97', 'C97'],
    ['ICD-10 D47.2', 'D47.2'],
    ['ICD-10 Z94.0', 'Z94.0'],
  ])('is not met by %s', (_label, code) => {
    expect(exclusionOf(id, [condition({ icd10: code })])).toBe('not-met');
  });

  it.each([
    ['234336002 haemopoietic stem cell transplant', '234336002'],
    ['58390007 bone marrow transplant', '58390007'],
    ['58776007 peripheral blood stem cell transplant', '58776007'],
  ])('is met by a stem-cell transplant procedure %s at any time', (_label, code) => {
    const p = procedure({ snomed: code, performedDateTime: before({ days: 10 * 365 }) });
    expect(exclusionOf(id, [p])).toBe('met');
  });

  it('is unknown for an unconfirmed leukemia', () => {
    expect(exclusionOf(id, [condition({ icd10: 'C91.00', verification: 'unconfirmed' })])).toBe(
      'unknown',
    );
  });

  it('ignores a refuted leukemia', () => {
    expect(exclusionOf(id, [condition({ icd10: 'C91.00', verification: 'refuted' })])).toBe(
      'not-met',
    );
  });

  it('is not-met when conditions and procedures were searched and show none', () => {
    expect(exclusionOf(id, [])).toBe('not-met');
  });

  it('is unknown when procedures could not be searched', () => {
    expect(exclusionOf(id, [], { availability: searchedExcept('Procedure') })).toBe('unknown');
  });

  it('is unknown when conditions could not be searched', () => {
    expect(exclusionOf(id, [], { availability: searchedExcept('Condition') })).toBe('unknown');
  });
});

// ---------------------------------------------------------------------------------------------

describe('solid-cancer', () => {
  const id = 'solid-cancer';
  // Two years before NOW (2026-03-01T08:00:00Z): 2024-03-01T08:00:00Z, which is also 730 days.
  const TWO_YEARS_AGO = '2024-03-01T08:00:00Z';
  const WELL_OVER_TWO_YEARS_AGO = '2024-02-28T08:00:00Z';
  const of = (o: ConditionOptions) => exclusionOf(id, [condition(o)]);

  describe('active cancer', () => {
    it('is met by an active solid cancer diagnosed ten years ago with no abatement (ongoing)', () => {
      expect(of({ icd10: 'C34.90', onset: before({ days: 3650 }) })).toBe('met');
    });

    it.each(['C00.0', 'C50.911', 'C80.1'])('covers %s in C00-C80', (code) => {
      expect(of({ icd10: code })).toBe('met');
    });

    it.each(['recurrence', 'relapse'] as ClinicalStatus[])('counts %s as active', (clinical) => {
      expect(of({ icd10: 'C18.9', clinical, onset: before({ days: 3650 }) })).toBe('met');
    });

    it('counts a cancer with no clinical status and no abatement as active', () => {
      expect(of({ icd10: 'C18.9', clinical: null, onset: before({ days: 3650 }) })).toBe('met');
    });

    it('is met by SNOMED 363346000 malignant neoplastic disease', () => {
      expect(of({ snomed: '363346000' })).toBe('met');
    });

    it('is met by a SNOMED descendant the site adds to the list', () => {
      const nsclc = '254637007';
      expect(of({ snomed: nsclc })).toBe('not-met');
      const site = configuredScreening((c) => {
        c.valueSets['solid-cancer']?.include.push({ system: 'snomed', code: nsclc });
      });
      expect(
        statusOf(
          screen([adultPatient(), condition({ snomed: nsclc })], { prepared: site }),
          'solid-cancer',
        ),
      ).toBe('met');
    });

    it.each(['C44.91', 'C44.01'])('is not met by skin cancer %s (C44 is left out)', (code) => {
      expect(of({ icd10: code })).toBe('not-met');
    });

    it('leaves an active blood cancer to the haematological exclusion', () => {
      const result = screen([adultPatient(), condition({ icd10: 'C92.00' })]);
      expect(statusOf(result, 'solid-cancer')).toBe('not-met');
      expect(statusOf(result, 'hematologic-malignancy-or-stem-cell')).toBe('met');
    });
  });

  describe('onset..abatement overlapping the last 2 years', () => {
    it('is met by a resolved cancer that abated a year ago', () => {
      expect(
        of({
          icd10: 'C34.90',
          clinical: 'resolved',
          onset: before({ days: 5 * 365 }),
          abatement: before({ days: 365 }),
        }),
      ).toBe('met');
    });

    it('is met by a cancer that abated exactly 2 years ago', () => {
      expect(
        of({
          icd10: 'C34.90',
          clinical: 'resolved',
          onset: before({ days: 5 * 365 }),
          abatement: TWO_YEARS_AGO,
        }),
      ).toBe('met');
    });

    it('is not met by a cancer that abated more than 2 years ago', () => {
      expect(
        of({
          icd10: 'C34.90',
          clinical: 'resolved',
          onset: before({ days: 5 * 365 }),
          abatement: WELL_OVER_TWO_YEARS_AGO,
        }),
      ).toBe('not-met');
    });

    it('is met by a cancer in remission that abated within 2 years', () => {
      expect(
        of({
          icd10: 'C61',
          clinical: 'remission',
          onset: before({ days: 4 * 365 }),
          abatement: before({ days: 200 }),
        }),
      ).toBe('met');
    });

    it('reads a cancer with no clinical status but a recent abatement as ended, and in the window', () => {
      expect(
        of({
          icd10: 'C61',
          clinical: null,
          onset: before({ days: 4 * 365 }),
          abatement: before({ days: 200 }),
        }),
      ).toBe('met');
    });

    it('reads a cancer with no clinical status and an old abatement as ended, out of the window', () => {
      expect(
        of({
          icd10: 'C61',
          clinical: null,
          onset: before({ days: 6 * 365 }),
          abatement: before({ days: 4 * 365 }),
        }),
      ).toBe('not-met');
    });
  });

  describe('ended with no abatement date', () => {
    it.each(['resolved', 'remission', 'inactive'] as ClinicalStatus[])(
      'is met when a %s cancer began within 2 years',
      (clinical) => {
        expect(of({ icd10: 'C34.90', clinical, onset: before({ days: 365 }) })).toBe('met');
      },
    );

    it('is met when it began exactly 2 years ago', () => {
      expect(of({ icd10: 'C34.90', clinical: 'resolved', onset: TWO_YEARS_AGO })).toBe('met');
    });

    it.each(['resolved', 'remission', 'inactive'] as ClinicalStatus[])(
      'is unknown ("confirm when it ended") when a %s cancer began more than 2 years ago',
      (clinical) => {
        expect(of({ icd10: 'C34.90', clinical, onset: WELL_OVER_TWO_YEARS_AGO })).toBe('unknown');
      },
    );

    it('is unknown when a resolved cancer has neither onset nor abatement date', () => {
      expect(of({ icd10: 'C34.90', clinical: 'resolved' })).toBe('unknown');
    });
  });

  describe('verification', () => {
    it('is unknown for a provisional active solid cancer', () => {
      expect(of({ icd10: 'C34.90', verification: 'provisional' })).toBe('unknown');
    });

    it('ignores an entered-in-error solid cancer', () => {
      expect(of({ icd10: 'C34.90', verification: 'entered-in-error' })).toBe('not-met');
    });

    it('is unknown when conditions could not be searched', () => {
      expect(exclusionOf(id, [], { availability: searchedExcept('Condition') })).toBe('unknown');
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('hiv', () => {
  it.each([
    ['ICD-10 B20', { icd10: 'B20' }],
    ['ICD-10 Z21', { icd10: 'Z21' }],
    ['SNOMED 86406008', { snomed: '86406008' }],
    ['SNOMED 165816005', { snomed: '165816005' }],
  ])('is met by %s', (_label, code) => {
    expect(exclusionOf('hiv', [condition(code)])).toBe('met');
  });

  it.each(['active', 'inactive', 'resolved', 'remission'] as ClinicalStatus[])(
    'is met whatever the clinical status (%s)',
    (clinical) => {
      expect(
        exclusionOf('hiv', [condition({ icd10: 'B20', clinical, onset: before({ days: 7300 }) })]),
      ).toBe('met');
    },
  );

  it('is met by a record abated twenty years ago', () => {
    const c = condition({
      icd10: 'B20',
      clinical: null,
      onset: before({ days: 9000 }),
      abatement: before({ days: 7300 }),
    });
    expect(exclusionOf('hiv', [c])).toBe('met');
  });

  it('is unknown for an unconfirmed HIV infection', () => {
    expect(exclusionOf('hiv', [condition({ icd10: 'B20', verification: 'unconfirmed' })])).toBe(
      'unknown',
    );
  });

  it('ignores a refuted HIV infection', () => {
    expect(exclusionOf('hiv', [condition({ icd10: 'B20', verification: 'refuted' })])).toBe(
      'not-met',
    );
  });

  it('is not-met when conditions were searched and show none', () => {
    expect(exclusionOf('hiv', [])).toBe('not-met');
  });

  it('is unknown when conditions could not be searched', () => {
    expect(exclusionOf('hiv', [], { availability: searchedExcept('Condition') })).toBe('unknown');
  });
});

// ---------------------------------------------------------------------------------------------

describe('pregnancy-or-breastfeeding', () => {
  const id = 'pregnancy-or-breastfeeding';
  const PREGNANCY_STATUS = { loinc: '82810-3' };
  const PREGNANT = { snomed: '77386006' };
  const NOT_PREGNANT = { snomed: '60001007' };
  const HCG_URINE = { loinc: '2106-3' };
  const HCG_SERUM = { loinc: '2118-8' };
  const POSITIVE = { snomed: '10828004', text: 'Positive' };
  const DETECTED = { snomed: '260373001', text: 'Detected' };
  const NEGATIVE = { snomed: '260385009', text: 'Negative' };
  const BREASTFEEDING_STATUS = { loinc: '63895-7' };
  const BREASTFEEDING = { snomed: '413712001' };
  const NOT_BREASTFEEDING = { loinc: 'LA29253-4' };

  const of = (...resources: FhirResource[]) => exclusionOf(id, resources);

  describe('pregnancy status (latest in the last 270 days)', () => {
    it('is met when the latest status 100 days ago says pregnant (SNOMED 77386006)', () => {
      expect(of(codedObservation(PREGNANCY_STATUS, PREGNANT, before({ days: 100 })))).toBe('met');
    });

    it('is met when the latest status says pregnant (LOINC LA15173-0)', () => {
      expect(
        of(codedObservation(PREGNANCY_STATUS, { loinc: 'LA15173-0' }, before({ days: 100 }))),
      ).toBe('met');
    });

    it('is not met when the latest status says not pregnant (SNOMED 60001007)', () => {
      expect(of(codedObservation(PREGNANCY_STATUS, NOT_PREGNANT, before({ days: 10 })))).toBe(
        'not-met',
      );
    });

    it('is met by a pregnant status exactly 270 days ago', () => {
      expect(of(codedObservation(PREGNANCY_STATUS, PREGNANT, before({ days: 270 })))).toBe('met');
    });

    it('is not met by a pregnant status 270 days and 1 s ago', () => {
      expect(
        of(codedObservation(PREGNANCY_STATUS, PREGNANT, before({ days: 270, seconds: 1 }))),
      ).toBe('not-met');
    });

    it('follows the latest status: pregnant 100 days ago, not pregnant 10 days ago', () => {
      expect(
        of(
          codedObservation(PREGNANCY_STATUS, PREGNANT, before({ days: 100 })),
          codedObservation(PREGNANCY_STATUS, NOT_PREGNANT, before({ days: 10 })),
        ),
      ).toBe('not-met');
    });

    it('follows the latest status: not pregnant 100 days ago, pregnant 10 days ago', () => {
      expect(
        of(
          codedObservation(PREGNANCY_STATUS, NOT_PREGNANT, before({ days: 100 })),
          codedObservation(PREGNANCY_STATUS, PREGNANT, before({ days: 10 })),
        ),
      ).toBe('met');
    });

    it('ignores an entered-in-error status when finding the latest', () => {
      expect(
        of(
          codedObservation(PREGNANCY_STATUS, PREGNANT, before({ days: 20 })),
          codedObservation(PREGNANCY_STATUS, NOT_PREGNANT, before({ days: 5 }), {
            status: 'entered-in-error',
          }),
        ),
      ).toBe('met');
    });
  });

  describe('hCG (positive in the last 14 days)', () => {
    it('is met by a positive urine hCG 13 days ago', () => {
      expect(of(codedObservation(HCG_URINE, POSITIVE, before({ days: 13 })))).toBe('met');
    });

    it('is met by a detected serum hCG', () => {
      expect(of(codedObservation(HCG_SERUM, DETECTED, before({ days: 3 })))).toBe('met');
    });

    it('is met by a positive hCG recorded as the text "positive"', () => {
      expect(of(codedObservation(HCG_SERUM, 'positive', before({ days: 3 })))).toBe('met');
    });

    it('is met by a positive hCG exactly 14 days ago', () => {
      expect(of(codedObservation(HCG_URINE, POSITIVE, before({ days: 14 })))).toBe('met');
    });

    it('is not met by a positive hCG 14 days and 1 s ago', () => {
      expect(of(codedObservation(HCG_URINE, POSITIVE, before({ days: 14, seconds: 1 })))).toBe(
        'not-met',
      );
    });

    it('is not met by a negative hCG', () => {
      expect(of(codedObservation(HCG_URINE, NEGATIVE, before({ days: 2 })))).toBe('not-met');
    });
  });

  describe('pregnancy condition (active)', () => {
    it.each(['O00.0', 'O09.90', 'O99.89', 'O9A.211', 'Z33.1', 'Z34.00', 'Z39.1'])(
      'is met by an active %s',
      (code) => {
        expect(of(condition({ icd10: code }))).toBe('met');
      },
    );

    it('is not met by a resolved pregnancy condition', () => {
      expect(
        of(condition({ icd10: 'O80', clinical: 'resolved', abatement: before({ days: 200 }) })),
      ).toBe('not-met');
    });

    it('is not met by Z33.2, outside the list', () => {
      expect(of(condition({ icd10: 'Z33.2' }))).toBe('not-met');
    });

    it('is unknown for an unconfirmed pregnancy', () => {
      expect(of(condition({ icd10: 'Z33.1', verification: 'unconfirmed' }))).toBe('unknown');
    });
  });

  describe('breastfeeding status (latest in the last 30 days)', () => {
    it('is met when the latest status 29 days ago says breastfeeding (SNOMED 413712001)', () => {
      expect(of(codedObservation(BREASTFEEDING_STATUS, BREASTFEEDING, before({ days: 29 })))).toBe(
        'met',
      );
    });

    it('is met by the answer text "currently breastfeeding"', () => {
      expect(
        of(
          codedObservation(
            BREASTFEEDING_STATUS,
            { text: 'currently breastfeeding' },
            before({ days: 5 }),
          ),
        ),
      ).toBe('met');
    });

    it('is met by the string value "currently breastfeeding"', () => {
      expect(
        of(codedObservation(BREASTFEEDING_STATUS, 'currently breastfeeding', before({ days: 5 }))),
      ).toBe('met');
    });

    it('is met by a breastfeeding status exactly 30 days ago', () => {
      expect(of(codedObservation(BREASTFEEDING_STATUS, BREASTFEEDING, before({ days: 30 })))).toBe(
        'met',
      );
    });

    it('is not met by a breastfeeding status 30 days and 1 s ago', () => {
      expect(
        of(codedObservation(BREASTFEEDING_STATUS, BREASTFEEDING, before({ days: 30, seconds: 1 }))),
      ).toBe('not-met');
    });

    it('is not met when the answer is LA29253-4 (not breastfeeding)', () => {
      expect(
        of(codedObservation(BREASTFEEDING_STATUS, NOT_BREASTFEEDING, before({ days: 5 }))),
      ).toBe('not-met');
    });

    it('follows the latest status: breastfeeding 20 days ago, not breastfeeding 5 days ago', () => {
      expect(
        of(
          codedObservation(BREASTFEEDING_STATUS, BREASTFEEDING, before({ days: 20 })),
          codedObservation(BREASTFEEDING_STATUS, NOT_BREASTFEEDING, before({ days: 5 })),
        ),
      ).toBe('not-met');
    });
  });

  describe('data availability', () => {
    it('is not-met when observations and conditions were searched and show nothing', () => {
      expect(of()).toBe('not-met');
    });

    it('is unknown when observations could not be searched', () => {
      expect(exclusionOf(id, [], { availability: searchedExcept('Observation') })).toBe('unknown');
    });

    it('is unknown when conditions could not be searched', () => {
      expect(exclusionOf(id, [], { availability: searchedExcept('Condition') })).toBe('unknown');
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('never-computable exclusions', () => {
  it.each(['life-expectancy-under-3-months', 'hypersensitivity'] as const)(
    '%s is always unknown and asks for bedside confirmation',
    (id) => {
      const c = criterion(screen([adultPatient()]), id);
      expect(c.status).toBe('unknown');
      expect(c.confirmAtBedside).toBe(true);
    },
  );

  it('hypersensitivity stays unknown when allergies are on record', () => {
    const allergy: FhirResource = {
      resourceType: 'AllergyIntolerance',
      id: 'allergy-1',
      patient: { reference: 'Patient/p1' },
      code: { text: 'Penicillin' },
      clinicalStatus: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
            code: 'active',
          },
        ],
      },
    };
    expect(statusOf(screen([adultPatient(), allergy]), 'hypersensitivity')).toBe('unknown');
  });

  it('life expectancy stays unknown with no data at all', () => {
    expect(statusOf(screen([], { availability: {} }), 'life-expectancy-under-3-months')).toBe(
      'unknown',
    );
  });
});

describe('exclusion timing against now', () => {
  it('evaluates the hCG window from the given now, not from the clock', () => {
    const taken = '2026-02-20T08:00:00Z';
    const hcg = codedObservation({ loinc: '2106-3' }, { snomed: '10828004' }, taken);
    expect(statusOf(screen([adultPatient(), hcg]), 'pregnancy-or-breastfeeding')).toBe('met');
    expect(
      statusOf(
        screen([adultPatient(), hcg], { now: after({ days: 14, seconds: 1 }, taken) }),
        'pregnancy-or-breastfeeding',
      ),
    ).toBe('not-met');
  });
});
