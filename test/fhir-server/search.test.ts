import type { Bundle, Observation, OperationOutcome, Procedure } from 'fhir/r4';
import { startFhirServer, type RunningFhirServer } from '../../src/fhir-server';
import { generateCensus } from '../../src/synthetic';
import {
  adultPatient,
  NOW,
  observation,
  pao2,
  paco2,
  patient,
  ph,
  procedure,
  SYSTEMS,
} from '../builders/fhir-builders';
import { entryRefs, outcomeText, query, request, search, searchAllPages } from './fhir-test-client';

const LOINC = SYSTEMS.loinc;
const subjectOf = (e: NonNullable<Bundle['entry']>[number]) =>
  (e.resource as Observation | undefined)?.subject?.reference;

describe('FHIR search', () => {
  let fhir: RunningFhirServer;
  const census = generateCensus({ seed: 3, now: NOW, count: 4, observationTarget: 60 });
  const censusIds = census.map((b) => String(b.entry?.[0]?.resource?.id));

  // Two small patients whose every time and code a test below relies on.
  const p1Gases = [
    pao2(80, '2026-02-28T10:00:00Z', { id: 'p1-pao2-day-before' }),
    paco2(45, '2026-03-01T04:00:00Z', { id: 'p1-paco2-04z' }),
    ph(7.3, '2026-03-01T06:00:00+01:00', { id: 'p1-ph-05z' }),
    pao2(70, '2026-02-28T23:30:00-06:00', { id: 'p1-pao2-0530z' }),
    observation({
      id: 'p1-heart-rate',
      loinc: '8867-4',
      value: 90,
      unit: '/min',
      at: '2026-03-01T04:30:00Z',
    }),
  ];
  const p2Gas = {
    ...pao2(90, '2026-03-01T04:10:00Z', { id: 'p2-pao2' }),
    subject: { reference: 'Patient/p2' },
  };

  beforeAll(async () => {
    fhir = await startFhirServer();
    await fhir.load(census);
    await fhir.load([
      adultPatient(),
      patient({ id: 'p2' }),
      ...p1Gases,
      p2Gas,
      procedure({ id: 'p1-vent', snomed: '1258985005', status: 'in-progress' }),
      procedure({ id: 'p1-old-vent', snomed: '1258985005', status: 'completed' }),
    ]);
  });
  afterAll(() => fhir.close());

  const observations = (params: Record<string, string | string[]>) =>
    search(`${fhir.url}/Observation?${query({ _count: '1000', ...params })}`);

  it("finds a patient's Observations by a bare id exactly as by Patient/<id>", async () => {
    const bare = await observations({ patient: 'p1' });
    const typed = await observations({ patient: 'Patient/p1' });
    expect(entryRefs(bare).sort()).toEqual(p1Gases.map((o) => `Observation/${o.id}`).sort());
    expect(entryRefs(typed)).toEqual(entryRefs(bare));
    expect(bare.total).toBe(5);
  });

  it('finds by subject, subject:Patient and a bare subject id alike', async () => {
    const expected = entryRefs(await observations({ patient: 'p1' }));
    const variants: Record<string, string>[] = [
      { subject: 'Patient/p1' },
      { 'subject:Patient': 'p1' },
      { subject: 'p1' },
    ];
    for (const params of variants) {
      expect(entryRefs(await observations(params))).toEqual(expected);
    }
  });

  it('matches a token OR list of system|code pairs, and nothing under another system', async () => {
    const both = await observations({
      patient: 'p1',
      code: `${LOINC}|2703-7,${LOINC}|2019-8`,
    });
    expect(entryRefs(both).sort()).toEqual([
      'Observation/p1-paco2-04z',
      'Observation/p1-pao2-0530z',
      'Observation/p1-pao2-day-before',
    ]);
    expect((await observations({ patient: 'p1', code: `${SYSTEMS.snomed}|2703-7` })).total).toBe(0);
    expect((await observations({ patient: 'p1', code: '2744-1' })).total).toBe(1);
  });

  it('applies date=ge&date=lt as a range of instants, whatever the time zone written', async () => {
    const found = await observations({
      patient: 'p1',
      date: ['ge2026-03-01T00:00:00Z', 'lt2026-03-01T05:15:00Z'],
    });
    // 04:00Z, 04:30Z and 06:00+01:00 (05:00Z) are inside; 23:30-06:00 is 05:30Z, outside.
    expect(entryRefs(found).sort()).toEqual([
      'Observation/p1-heart-rate',
      'Observation/p1-paco2-04z',
      'Observation/p1-ph-05z',
    ]);
  });

  it('sorts by date as instants with _sort=date and _sort=-date', async () => {
    const ascending = await observations({ patient: 'p1', _sort: 'date' });
    expect(entryRefs(ascending)).toEqual([
      'Observation/p1-pao2-day-before',
      'Observation/p1-paco2-04z',
      'Observation/p1-heart-rate',
      'Observation/p1-ph-05z',
      'Observation/p1-pao2-0530z',
    ]);
    const descending = await observations({ patient: 'p1', _sort: '-date' });
    expect(entryRefs(descending)).toEqual([...entryRefs(ascending)].reverse());
  });

  it('filters by status and code together', async () => {
    const found = await search(
      `${fhir.url}/Procedure?${query({ patient: 'p1', code: `${SYSTEMS.snomed}|1258985005`, status: 'in-progress' })}`,
    );
    expect(entryRefs(found)).toEqual(['Procedure/p1-vent']);
  });

  it('finds resources by _id lists', async () => {
    const found = await observations({ _id: 'p1-ph-05z,p2-pao2' });
    expect(entryRefs(found).sort()).toEqual(['Observation/p1-ph-05z', 'Observation/p2-pao2']);
  });

  it('searches across every patient when no patient is given', async () => {
    const pao2Code = `${LOINC}|2703-7`;
    const unitWide = await observations({ code: pao2Code });
    let perPatient = 0;
    for (const id of [...censusIds, 'p1', 'p2']) {
      perPatient += (await observations({ patient: id, code: pao2Code })).total ?? 0;
    }
    expect(unitWide.total).toBe(perPatient);
    const subjects = new Set(unitWide.entry?.map(subjectOf));
    expect(subjects).toEqual(new Set([...censusIds, 'p1', 'p2'].map((id) => `Patient/${id}`)));
  });

  it('lists every patient with Patient?_count=50', async () => {
    const patients = await search(`${fhir.url}/Patient?_count=50`);
    expect(patients.total).toBe(censusIds.length + 2);
    expect(entryRefs(patients).sort()).toEqual(
      [...censusIds, 'p1', 'p2'].map((id) => `Patient/${id}`).sort(),
    );
  });

  it('finds in-progress procedures across the unit', async () => {
    const pages = await searchAllPages(
      `${fhir.url}/Procedure?${query({ code: `${SYSTEMS.snomed}|1258985005`, status: 'in-progress' })}`,
    );
    const found = pages.flatMap((p) => p.entry ?? []).map((e) => e.resource as Procedure);
    expect(found.map((p) => p.id)).toContain('p1-vent');
    expect(found.every((p) => p.status === 'in-progress')).toBe(true);
  });

  it.each([
    ['an unknown parameter', { colour: 'red' }, /Unknown search parameter "colour"/],
    ['a :in modifier', { 'code:in': 'http://example.org/vs' }, /Modifier ":in"/],
    ['a quantity parameter', { 'value-quantity': 'gt5' }, /not supported/],
    ['a malformed date', { date: 'ge2026-13-45' }, /date/],
    ['a chained parameter', { 'subject.name': 'x' }, /Chained/],
    ['_include', { _include: 'Observation:subject' }, /_include/],
  ])('rejects %s with 400 and an OperationOutcome', async (_name, params, message) => {
    const answer = await request<OperationOutcome>(`${fhir.url}/Observation?${query(params)}`);
    expect(answer.status).toBe(400);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect(outcomeText(answer.body)).toMatch(message);
  });

  it('accepts a POST _search with form parameters', async () => {
    const answer = await request<Bundle>(`${fhir.url}/Observation/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: query({ patient: 'p1', code: `${LOINC}|2744-1` }),
    });
    expect(answer.status).toBe(200);
    expect(entryRefs(answer.body)).toEqual(['Observation/p1-ph-05z']);
  });
});
