import type { Bundle, BundleEntry, FhirResource, Observation, Reference } from 'fhir/r4';
import { startFhirServer, type RunningFhirServer } from '../../src/fhir-server';
import { FULL_URL_BASE, generatePatient } from '../../src/synthetic';
import { NOW, pao2 } from '../builders/fhir-builders';
import { entryRefs, request, search, searchAllPages, send } from './fhir-test-client';

/** A synthetic patient whose every `Patient/<id>` reference is rewritten by `toReference`. */
function patientBundle(
  seed: number,
  toReference: (patientId: string) => string,
  fullUrl?: (resource: FhirResource) => string,
): { bundle: Bundle; patientId: string; observations: number } {
  const bundle = generatePatient({
    seed,
    scenario: 'likely-ards',
    now: NOW,
    observationTarget: 30,
  });
  const patientId = String(bundle.entry?.[0]?.resource?.id);
  const rewritten = JSON.parse(
    JSON.stringify(bundle).replaceAll(
      `"Patient/${patientId}"`,
      JSON.stringify(toReference(patientId)),
    ),
  ) as Bundle;
  if (fullUrl) {
    rewritten.entry = rewritten.entry?.map((e: BundleEntry) => ({
      ...e,
      fullUrl: fullUrl(e.resource as FhirResource),
    }));
  }
  const observations = (bundle.entry ?? []).filter(
    (e) => e.resource?.resourceType === 'Observation',
  ).length;
  return { bundle: rewritten, patientId, observations };
}

describe('load', () => {
  let fhir: RunningFhirServer;

  beforeEach(async () => {
    fhir = await startFhirServer();
  });
  afterEach(() => fhir.close());

  async function observationsOf(patientId: string): Promise<Observation[]> {
    const pages = await searchAllPages(`${fhir.url}/Observation?patient=Patient/${patientId}`);
    return pages.flatMap((p) => (p.entry ?? []).map((e) => e.resource as Observation));
  }

  it('stores a synthetic collection Bundle keeping every id, and says how many', async () => {
    const bundle = generatePatient({
      seed: 2,
      scenario: 'too-old',
      now: NOW,
      observationTarget: 30,
    });
    const count = await fhir.load(bundle);
    expect(count).toBe(bundle.entry?.length);
    for (const entry of bundle.entry ?? []) {
      const r = entry.resource as FhirResource;
      const read = await request(`${fhir.url}/${r.resourceType}/${r.id}`);
      expect(read.status).toBe(200);
    }
  });

  it.each([
    ['relative references', (id: string) => `Patient/${id}`, undefined],
    [
      "absolute references to the Bundle's own base",
      (id: string) => `${FULL_URL_BASE}/Patient/${id}`,
      undefined,
    ],
    [
      'urn:uuid references resolved through fullUrl',
      (id: string) => `urn:uuid:00000000-0000-4000-8000-${id.length.toString().padStart(12, '0')}`,
      (r: FhirResource) =>
        r.resourceType === 'Patient'
          ? `urn:uuid:00000000-0000-4000-8000-${String(r.id).length.toString().padStart(12, '0')}`
          : `urn:uuid:${r.resourceType}-${r.id}`,
    ],
  ])(
    "finds a patient's resources by patient=Patient/<id> when they carry %s",
    async (_name, toReference, fullUrl) => {
      const { bundle, patientId, observations } = patientBundle(4, toReference, fullUrl);
      await fhir.load(bundle);
      const found = await observationsOf(patientId);
      expect(found).toHaveLength(observations);
      expect(found.every((o) => o.subject?.reference === `Patient/${patientId}`)).toBe(true);
      const conditions = await search(`${fhir.url}/Condition?patient=${patientId}`);
      expect(conditions.total).toBeGreaterThan(0);
    },
  );

  it('rewrites absolute references under a configured local base in plain resource arrays', async () => {
    const local = await startFhirServer({ localBaseUrls: ['https://ehr.example/fhir/'] });
    try {
      await local.load([
        { resourceType: 'Patient', id: 'array-patient' },
        {
          ...pao2(75, NOW, { id: 'array-gas' }),
          subject: { reference: 'https://ehr.example/fhir/Patient/array-patient' },
        },
      ]);
      const found = await search(`${local.url}/Observation?patient=array-patient`);
      expect(entryRefs(found)).toEqual(['Observation/array-gas']);
    } finally {
      await local.close();
    }
  });

  it('rewrites absolute references to its own URL in resources clients create', async () => {
    await fhir.load([{ resourceType: 'Patient', id: 'own' }]);
    const created = await send<Observation>('POST', `${fhir.url}/Observation`, {
      ...pao2(75, NOW),
      subject: { reference: `${fhir.url}/Patient/own` },
    });
    expect(created.status).toBe(201);
    expect(created.body.subject?.reference).toBe('Patient/own');
    expect((await observationsOf('own')).map((o) => o.id)).toEqual([created.body.id]);
  });

  it('keeps an absolute reference to another server, even to an id stored here too', async () => {
    await fhir.load([{ resourceType: 'Patient', id: 'somebody' }]);
    const foreign: Reference = { reference: 'https://other.example/fhir/Patient/somebody' };
    await fhir.load([{ ...pao2(75, NOW, { id: 'foreign-gas' }), subject: foreign }]);
    const read = await request<Observation>(`${fhir.url}/Observation/foreign-gas`);
    expect(read.body.subject).toEqual(foreign);
    expect((await search(`${fhir.url}/Observation?patient=somebody`)).total).toBe(0);
  });

  it('stores the entries of a transaction Bundle, taking ids from PUT request urls', async () => {
    const transaction: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: { resourceType: 'Patient' },
          request: { method: 'PUT', url: 'Patient/tx-patient' },
        },
        {
          fullUrl: 'urn:uuid:6b1f8c1e-0000-4000-8000-000000000001',
          resource: {
            ...pao2(70, NOW),
            id: undefined,
            subject: { reference: 'Patient/tx-patient' },
          },
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    };
    expect(await fhir.load(transaction)).toBe(2);
    expect((await request(`${fhir.url}/Patient/tx-patient`)).status).toBe(200);
    expect(await observationsOf('tx-patient')).toHaveLength(1);
  });

  it('skips the OperationOutcome entries of a searchset Bundle', async () => {
    const searchset: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { resource: pao2(70, NOW, { id: 'from-searchset' }), search: { mode: 'match' } },
        {
          resource: {
            resourceType: 'OperationOutcome',
            id: 'warning',
            issue: [{ severity: 'warning', code: 'informational' }],
          },
          search: { mode: 'outcome' },
        },
      ],
    };
    expect(await fhir.load(searchset)).toBe(1);
    expect((await request(`${fhir.url}/OperationOutcome/warning`)).status).toBe(404);
  });

  it('replaces a resource loaded twice with a new version, never a duplicate', async () => {
    await fhir.load([pao2(70, NOW, { id: 'twice' })]);
    await fhir.load([pao2(71, NOW, { id: 'twice' })]);
    const found = await search(`${fhir.url}/Observation?_id=twice`);
    expect(entryRefs(found)).toEqual(['Observation/twice']);
    expect((found.entry?.[0]?.resource as Observation).valueQuantity?.value).toBe(71);
  });

  it('does not change the resources it was given', async () => {
    const { bundle } = patientBundle(8, (id) => `${FULL_URL_BASE}/Patient/${id}`);
    const before = JSON.stringify(bundle);
    await fhir.load(bundle);
    expect(JSON.stringify(bundle)).toBe(before);
  });
});
