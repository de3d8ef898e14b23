import type { Coding } from 'fhir/r4';
import { loadScreeningConfig } from '../../src/config/load-screening-config';
import { compileValueSets } from '../../src/engine/codes';

const valueSets = compileValueSets(loadScreeningConfig());
const icd = (code: string): Coding => ({ system: 'http://hl7.org/fhir/sid/icd-10-cm', code });
const who = (code: string): Coding => ({ system: 'http://hl7.org/fhir/sid/icd-10', code });

describe('compiled value sets', () => {
  it('matches every code of a range by its leading characters (C81-C96)', () => {
    const set = valueSets['hematologic-malignancy'];
    for (const code of ['C81.00', 'C85.9', 'C92.00', 'C96.Z', 'C96'])
      expect(set.match(icd(code))).toBeDefined();
    for (const code of ['C80.1', 'C97', 'D00.0']) expect(set.match(icd(code))).toBeUndefined();
  });

  it('ignores dots and case in ICD codes, and accepts WHO ICD-10 as well as ICD-10-CM', () => {
    const set = valueSets['respiratory-failure'];
    expect(set.match(icd('J96.01'))).toBeDefined();
    expect(set.match(icd('j9601'))).toBeDefined();
    expect(set.match(who('J80'))).toBeDefined();
    expect(set.match(icd('J96.1'))).toBeUndefined(); // chronic respiratory failure is not listed
  });

  it('leaves out excluded codes (D61.x except D61.81x and D61.82; C00-C80 except C44)', () => {
    const anaemia = valueSets['severe-aplastic-anemia'];
    expect(anaemia.match(icd('D61.9'))).toBeDefined();
    expect(anaemia.match(icd('D61.810'))).toBeUndefined();
    expect(anaemia.match(icd('D61.82'))).toBeUndefined();
    const solid = valueSets['solid-cancer'];
    expect(solid.match(icd('C34.90'))).toBeDefined();
    expect(solid.match(icd('C44.91'))).toBeUndefined();
  });

  it('covers O00-O9A including the letter-suffixed block', () => {
    const set = valueSets['pregnancy-condition'];
    expect(set.match(icd('O9A.11'))).toBeDefined();
    expect(set.match(icd('O00.0'))).toBeDefined();
    expect(set.match(icd('P00'))).toBeUndefined();
  });

  it('compares LOINC and SNOMED codes exactly and needs the right system', () => {
    expect(valueSets.pao2.match({ system: 'http://loinc.org', code: '2703-7' })).toBeDefined();
    expect(
      valueSets.pao2.match({ system: 'http://snomed.info/sct', code: '2703-7' }),
    ).toBeUndefined();
    expect(valueSets.pao2.match({ code: '2703-7' })).toBeUndefined();
  });

  it('rejects a concept that carries a venous coding next to a blood-unspecified one', () => {
    const concept = {
      coding: [
        { system: 'http://loinc.org', code: '11556-8' },
        { system: 'http://loinc.org', code: '2705-2' },
      ],
    };
    expect(valueSets.pao2.matchConcept(concept)).toBeDefined();
    expect(valueSets.pao2.rejects(concept)).toBe(true);
  });

  it('matches free-text answers whole, so "not pregnant" is never read as "pregnant"', () => {
    expect(valueSets['pregnancy-status-pregnant'].matchesText(' Pregnant ')).toBe(true);
    expect(valueSets['pregnancy-status-pregnant'].matchesText('not pregnant')).toBe(false);
  });
});
