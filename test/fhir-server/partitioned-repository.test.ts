import { parseSearchRequest, type SearchRequest } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { Observation } from 'fhir/r4';
import { createFhirStore, type FhirStore } from '../../src/fhir-server/fhir-store';
import { generateCensus } from '../../src/synthetic';
import { NOW, pao2 } from '../builders/fhir-builders';

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';

const ids = (bundle: Bundle) =>
  (bundle.entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`);

describe('PartitionedRepository', () => {
  const census = generateCensus({ seed: 21, now: NOW, count: 5, observationTarget: 80 });
  const patients = census.map((b) => String(b.entry?.[0]?.resource?.id));
  const [first = '', second = ''] = patients;
  let store: FhirStore;
  let reference: MemoryRepository;

  beforeAll(async () => {
    store = createFhirStore({ maxPageSize: 100_000 });
    await store.load(census);
    // The same resources in one plain medplum MemoryRepository: what medplum itself matches.
    reference = new MemoryRepository();
    for (const bundle of census) {
      for (const entry of bundle.entry ?? [])
        await reference.createResource(entry.resource as Resource);
    }
  });

  const searches: [string, string, Record<string, string | string[]>][] = [
    ["one patient's Observations", 'Observation', { patient: `Patient/${first}` }],
    ['two patients by subject', 'Observation', { subject: `Patient/${first},Patient/${second}` }],
    [
      "one patient's blood gases",
      'Observation',
      { patient: `Patient/${first}`, code: `${LOINC}|2703-7,${LOINC}|2019-8,${LOINC}|2744-1` },
    ],
    [
      'ventilator settings, unit-wide',
      'Observation',
      { code: `${LOINC}|20077-4,${LOINC}|76259-1` },
    ],
    ['a code without its system', 'Observation', { code: '2703-7' }],
    ['any code of a system', 'Observation', { code: `${LOINC}|` }],
    ['code:not', 'Observation', { 'code:not': `${LOINC}|8867-4`, patient: `Patient/${second}` }],
    [
      'a code in a date range, unit-wide',
      'Observation',
      { code: `${LOINC}|2703-7`, date: ['ge2026-02-27T00:00:00Z', 'lt2026-03-01T00:00:00Z'] },
    ],
    ['dates up to a day', 'Observation', { patient: `Patient/${first}`, date: 'le2026-02-20' }],
    ['category', 'Observation', { category: 'laboratory', patient: `Patient/${first}` }],
    ['by encounter', 'Observation', { encounter: `Encounter/${first}-enc-1` }],
    ['value-concept:missing', 'Observation', { 'value-concept:missing': 'false' }],
    ["one patient's Conditions", 'Condition', { patient: `Patient/${second}` }],
    ['Conditions by code', 'Condition', { code: 'J80' }],
    [
      'ventilation in progress, unit-wide',
      'Procedure',
      { code: `${SNOMED}|1258985005`, status: 'in-progress' },
    ],
    [
      "one patient's recent Procedures",
      'Procedure',
      { patient: `Patient/${first}`, date: 'ge2026-02-01' },
    ],
    [
      'Encounters by status list',
      'Encounter',
      { patient: `Patient/${first}`, status: 'in-progress,finished' },
    ],
    ['Patients by _id', 'Patient', { _id: `${first},${second}` }],
    ['Patients by gender', 'Patient', { gender: 'female' }],
    ['every Patient', 'Patient', {}],
  ];

  it.each(searches)(
    "matches what medplum's MemoryRepository matches: %s",
    async (_label, type, query) => {
      const ours = await store.repository.search(
        parseSearchRequest(type, { ...query, _count: '100000' }),
      );
      const theirs = await reference.search(parseSearchRequest(type, query));
      expect(ours.total).toBe(theirs.total);
      expect(ids(ours).sort()).toEqual(ids(theirs).sort());
    },
  );

  it('finds something for most searches above, so the comparison means something', async () => {
    let nonEmpty = 0;
    for (const [, type, query] of searches) {
      const found = await store.repository.search(parseSearchRequest(type, query));
      if ((found.total ?? 0) > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(searches.length - 3);
  });

  it('sorts by _id in the same order as medplum', async () => {
    const request: SearchRequest = parseSearchRequest('Observation', {
      patient: `Patient/${first}`,
      _sort: '-_id',
      _count: '1000',
    });
    const ours = await store.repository.search(request);
    const theirs = await reference.search(
      parseSearchRequest('Observation', { patient: `Patient/${first}`, _sort: '-_id' }),
    );
    expect(ids(ours)).toEqual(ids(theirs));
  });

  it('keeps one patient per partition, and the shared partition for the rest', () => {
    expect(store.repository.patientPartitionCount()).toBe(patients.length);
  });

  it('moves a resource to its new patient when an update changes its subject', async () => {
    const moved = {
      ...pao2(70, NOW, { id: 'moving-gas' }),
      subject: { reference: `Patient/${first}` },
    };
    await store.load([moved]);
    const updated = await store.repository.updateResource({
      ...(moved as unknown as Resource),
      subject: { reference: `Patient/${second}` },
    } as Resource);
    const inFirst = await store.repository.search(
      parseSearchRequest('Observation', { patient: `Patient/${first}`, _id: 'moving-gas' }),
    );
    const inSecond = await store.repository.search(
      parseSearchRequest('Observation', { patient: `Patient/${second}`, _id: 'moving-gas' }),
    );
    expect(inFirst.total).toBe(0);
    expect(inSecond.total).toBe(1);
    const read = (await store.repository.readResource(
      'Observation',
      'moving-gas',
    )) as unknown as Observation;
    expect(read.subject?.reference).toBe(`Patient/${second}`);
    expect(read.meta?.versionId).toBe(updated.meta?.versionId);
  });

  it('forgets a deleted resource in reads and searches', async () => {
    await store.load([
      { ...pao2(70, NOW, { id: 'deleted-gas' }), subject: { reference: `Patient/${first}` } },
    ]);
    await store.repository.deleteResource('Observation', 'deleted-gas');
    await expect(store.repository.readResource('Observation', 'deleted-gas')).rejects.toThrow(
      /Not found/,
    );
    const found = await store.repository.search(
      parseSearchRequest('Observation', { _id: 'deleted-gas' }),
    );
    expect(found.total).toBe(0);
  });
});
