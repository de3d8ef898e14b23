import {
  mkdtempSync,
  statSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4';
import { groupResourcesByPatient } from '../../src/engine';
import { ndjsonSource, NDJSON_DEFAULTS } from '../../src/cli/sources/ndjson-source';
import type { PatientRecord, SourceReporter } from '../../src/cli/sources/patient-source';
import { generateCensus } from '../../src/synthetic';
import {
  mergeBundles,
  NOW,
  parseJsonl,
  requireBuiltCli,
  screen,
  screenInProcess,
  verdicts,
  writeNdjsonExport,
} from './cli-fixtures';

const census = generateCensus({ seed: 11, now: NOW, count: 16, observationTarget: 300 });

async function collect(
  dir: string,
  bucketBytes: number = NDJSON_DEFAULTS.bucketBytes,
): Promise<{ records: PatientRecord[]; warnings: string[] }> {
  const warnings: string[] = [];
  const reporter: SourceReporter = { warn: (m) => warnings.push(m), progress: () => undefined };
  const source = ndjsonSource({ ...NDJSON_DEFAULTS, dir, bucketBytes });
  const records: PatientRecord[] = [];
  for await (const r of source(reporter, new AbortController().signal)) records.push(r);
  return { records, warnings };
}

/** Each patient's resources as sorted `Type/id` keys: what grouping decided. */
function grouping(groups: { patient: string; resources: FhirResource[] }[]) {
  return Object.fromEntries(
    groups.map((g) => [g.patient, g.resources.map((r) => `${r.resourceType}/${r.id}`).sort()]),
  );
}

describe('stellar-screen --ndjson', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stellar-ndjson-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every patient the same verdicts as the same census read from a Bundle', async () => {
    const exportDir = writeNdjsonExport(join(dir, 'export'), census);
    const bundleFile = join(dir, 'census.json');
    writeFileSync(bundleFile, JSON.stringify(mergeBundles(census)));

    const fromBundle = await screenInProcess(['--bundle', bundleFile, '--now', NOW, '--jsonl']);
    const fromExport = await screenInProcess(['--ndjson', exportDir, '--now', NOW, '--jsonl']);
    expect(fromExport.code).toBe(0);
    expect(fromExport.stderr).toBe('');
    const expected = verdicts(parseJsonl(fromBundle.stdout));
    expect(Object.keys(expected)).toHaveLength(16);
    expect(verdicts(parseJsonl(fromExport.stdout))).toEqual(expected);
    // Evidence too: the Observations skipped unparsed are ones the engine never reads.
    const whole = (text: string) =>
      parseJsonl(text)
        .map(({ dataAvailability: _, ...rest }) => rest)
        .sort((a, b) => a.patient.localeCompare(b.patient));
    expect(whole(fromExport.stdout)).toEqual(whole(fromBundle.stdout));
  });

  it('groups the same way however many buckets the export is split into', async () => {
    const exportDir = writeNdjsonExport(join(dir, 'export'), census);
    const one = await collect(exportDir);
    const many = await collect(exportDir, 4096);
    expect(many.records).toHaveLength(16);
    expect(grouping(many.records)).toEqual(grouping(one.records));
  });

  it('assigns resources to patients exactly as groupResourcesByPatient does for a Bundle', async () => {
    const resources: FhirResource[] = [
      { resourceType: 'Patient', id: 'p1' },
      { resourceType: 'Patient', id: 'p2' },
      {
        resourceType: 'Observation',
        id: 'o1',
        status: 'final',
        code: {},
        subject: { reference: 'https://ehr.example/fhir/Patient/p1' },
      },
      {
        resourceType: 'Observation',
        id: 'o2',
        status: 'final',
        code: {},
        subject: { reference: 'Patient/p2' },
      },
      {
        resourceType: 'Observation',
        id: 'o3',
        status: 'final',
        code: {},
        subject: { reference: 'urn:uuid:0c3d' },
      },
      { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/not-in-export' } },
      { resourceType: 'Condition', id: 'c2', subject: {} },
      { resourceType: 'AllergyIntolerance', id: 'a1', patient: { reference: 'Patient/p1' } },
      // A ventilator that names no patient, listed before the statement that says who uses it.
      { resourceType: 'Device', id: 'vent-1' },
      { resourceType: 'Device', id: 'vent-unused' },
      { resourceType: 'Device', id: 'own-device', patient: { reference: 'Patient/p1' } },
      {
        resourceType: 'DeviceUseStatement',
        id: 'dus-1',
        status: 'active',
        subject: { reference: 'Patient/p2' },
        device: { reference: 'Device/vent-1' },
      },
    ];
    const byType = new Map<string, string[]>();
    for (const r of resources)
      byType.set(r.resourceType, [...(byType.get(r.resourceType) ?? []), JSON.stringify(r)]);
    for (const [type, lines] of byType)
      writeFileSync(join(dir, `${type}.ndjson`), `${lines.join('\n')}\n`);

    const bundle = groupResourcesByPatient(
      resources.map((resource): BundleEntry => ({ resource })),
    );
    const { records, warnings } = await collect(dir, 1);
    expect(grouping(records)).toEqual(
      grouping(
        bundle.patients.map((p) => ({ patient: `Patient/${p.patientId}`, resources: p.resources })),
      ),
    );
    expect(grouping(records)['Patient/p2']).toContain('Device/vent-1');
    expect(warnings).toEqual([
      `${dir}: ${bundle.unassigned} resource(s) not linked to a Patient in the export were ignored`,
    ]);
  });

  it('reports a line that is not JSON with its file and line number and screens everyone else', async () => {
    const exportDir = writeNdjsonExport(join(dir, 'export'), census);
    const observations = join(exportDir, 'Observation.ndjson');
    const lines = readFileSync(observations, 'utf8').split('\n');
    lines.splice(
      4,
      0,
      '{"resourceType": "Observation", "id": "cut-off',
      '[1, 2, 3]',
      `{"resourceType": "Observation", "id": "tru-value", "status": tru, "code": {"coding": [{"system": "http://loinc.org", "code": "2703-7"}]}, "subject": {"reference": "${census[0]?.entry?.[0]?.fullUrl}"}}`,
    );
    writeFileSync(observations, lines.join('\n'));

    const out = await screenInProcess(['--ndjson', exportDir, '--now', NOW, '--jsonl']);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('Observation.ndjson:5: not valid JSON; line skipped');
    expect(out.stderr).toContain(
      'Observation.ndjson:6: not a FHIR resource (no resourceType); line skipped',
    );
    // Its brackets balance, so only the full parse of the second pass finds it.
    expect(out.stderr).toContain('Observation.ndjson:7: not valid JSON; line skipped');
    expect(out.stderr).not.toMatch(/cut-off|tru-value/); // the line's content stays off stderr
    expect(parseJsonl(out.stdout)).toHaveLength(16);
  });

  it('counts a type with no file as unavailable, so its absence is unknown rather than not-met', async () => {
    const hiv = generateCensus({ seed: 5, now: NOW, count: 1, scenarios: ['likely-ards'] });
    const exportDir = writeNdjsonExport(join(dir, 'export'), hiv);
    unlinkSync(join(exportDir, 'Condition.ndjson'));
    const out = await screenInProcess(['--ndjson', exportDir, '--now', NOW, '--json']);
    const result = JSON.parse(out.stdout) as {
      dataAvailability: Record<string, string>;
      criteria: { id: string; status: string }[];
    };
    expect(result.dataAvailability.Condition).toBeUndefined();
    expect(result.dataAvailability.Observation).toBe('searched');
    const status = Object.fromEntries(result.criteria.map((c) => [c.id, c.status]));
    expect(status.hiv).toBe('unknown');
    expect(status['solid-cancer']).toBe('unknown');
  });

  it('counts an empty file as searched for the type its name gives', async () => {
    const exportDir = writeNdjsonExport(join(dir, 'export'), census.slice(0, 1));
    writeFileSync(join(exportDir, 'DeviceUseStatement.ndjson'), '');
    const { records } = await collect(exportDir);
    expect(records[0]?.availability.DeviceUseStatement).toBe('searched');
    expect(records[0]?.availability.AllergyIntolerance).toBeUndefined();
  });

  it('reads the export where it is and writes nothing beside it, also when stopped early', async () => {
    const exportDir = writeNdjsonExport(join(dir, 'export'), census);
    const before = readdirSync(exportDir);
    const source = ndjsonSource({ ...NDJSON_DEFAULTS, dir: exportDir });
    const reporter: SourceReporter = { warn: () => undefined, progress: () => undefined };
    for await (const record of source(reporter, new AbortController().signal)) {
      expect(record.patient).toMatch(/^Patient\//);
      break;
    }
    expect(readdirSync(exportDir)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['export']);

    unlinkSync(join(exportDir, 'Patient.ndjson'));
    const noPatients = await screenInProcess(['--ndjson', exportDir, '--now', NOW]);
    expect(noPatients.code).toBe(1);
    expect(noPatients.stderr).toMatch(/the export has no Patient resource/);
  });

  it('stops with exit code 1 on a folder that is missing or holds no export', async () => {
    const missing = await screenInProcess(['--ndjson', join(dir, 'nope'), '--now', NOW]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope: no such file or folder/);
    writeFileSync(join(dir, 'notes.txt'), 'not an export');
    const empty = await screenInProcess(['--ndjson', dir, '--now', NOW]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no \.ndjson files/);
  });

  it('screens a patient whose data are malformed, and the other patients as usual', async () => {
    const bad: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          resource: {
            resourceType: 'Patient',
            id: 'malformed',
            birthDate: { year: 1970 },
          } as unknown as FhirResource,
        },
        {
          resource: {
            resourceType: 'Observation',
            id: 'm1',
            status: 'final',
            code: 'PaO2',
            subject: { reference: 'Patient/malformed' },
            valueQuantity: { value: 'low' },
            effectiveDateTime: 42,
          } as unknown as FhirResource,
        },
        {
          resource: {
            resourceType: 'Procedure',
            id: 'm2',
            status: 'in-progress',
            subject: { reference: 'Patient/malformed' },
            code: { coding: 'invasive' },
            performedPeriod: [],
          } as unknown as FhirResource,
        },
        {
          resource: {
            resourceType: 'Condition',
            id: 'm3',
            subject: { reference: 'Patient/malformed' },
            code: null,
          } as unknown as FhirResource,
        },
      ],
    };
    const exportDir = writeNdjsonExport(join(dir, 'export'), [bad, ...census.slice(0, 3)]);
    const out = await screenInProcess(['--ndjson', exportDir, '--now', NOW, '--jsonl']);
    expect(out.code).toBe(0);
    const results = parseJsonl(out.stdout);
    expect(results).toHaveLength(4);
    const malformed = results.find((r) => r.patient === 'Patient/malformed');
    const status = Object.fromEntries(malformed?.criteria.map((c) => [c.id, c.status]) ?? []);
    expect(status.age).toBe('unknown'); // a birth date that is not a date
    expect(status['invasive-ventilation-7d']).toBe('not-met'); // nothing readable says ventilated
    expect(verdicts(results.filter((r) => r !== malformed))).toEqual(
      verdicts(
        parseJsonl(
          (
            await screenInProcess([
              '--ndjson',
              writeNdjsonExport(join(dir, 'good'), census.slice(0, 3)),
              '--now',
              NOW,
              '--jsonl',
            ])
          ).stdout,
        ),
      ),
    );
  });
});

describe('stellar-screen --ndjson memory', () => {
  beforeAll(requireBuiltCli);

  it('screens an export several times larger than the heap it is allowed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stellar-ndjson-'));
    try {
      const big = generateCensus({ seed: 3, now: NOW, count: 48, observationTarget: 1500 });
      const exportDir = writeNdjsonExport(join(dir, 'export'), big);
      const exportBytes = readdirSync(exportDir).reduce(
        (sum, f) => sum + statSync(join(exportDir, f)).size,
        0,
      );
      const heapMiB = 20;
      // The premise: the export cannot be held in this heap, not even as one string.
      expect(exportBytes).toBeGreaterThan(2 * heapMiB * (1 << 20));
      const out = await screen(
        ['--ndjson', exportDir, '--now', NOW, '--jsonl', '--bucket-size', '1'],
        [`--max-old-space-size=${heapMiB}`],
      );
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(parseJsonl(out.stdout)).toHaveLength(48);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // A tight heap makes the collector work hard: allow time, assert none.
  }, 180_000);
});
