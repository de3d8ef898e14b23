import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSyntheticCli } from '../../src/synthetic/main';

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runSyntheticCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('synthetic main', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stellar-synthetic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one Bundle file per patient and a manifest, and says what it wrote', () => {
    const args = ['--count', '3', '--seed', '7', '--now', '2026-03-01T08:00:00Z', '--out', dir];
    const { code, out } = run([...args, '--observations', '120']);
    expect(code).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(4);
    expect(out).toHaveLength(4);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      patientId: string;
      scenario: string;
    }[];
    expect(manifest.map((m) => m.scenario)).toEqual([
      'likely-ards',
      'likely-hypercapnic',
      'likely-acidosis',
    ]);
    for (const m of manifest) {
      const bundle = JSON.parse(readFileSync(join(dir, `${m.patientId}.json`), 'utf8'));
      expect(bundle.resourceType).toBe('Bundle');
      expect(bundle.entry[0].resource.id).toBe(m.patientId);
    }
  });

  it('writes a patient-view request with full prefetch per patient with --hook-requests', () => {
    const args = ['--count', '1', '--scenario', 'likely-ards', '--now', '2026-03-01T08:00:00Z'];
    const { code } = run([...args, '--out', dir, '--hook-requests', '--observations', '120']);
    expect(code).toBe(0);
    const hookFile = readdirSync(dir).find((f) => f.endsWith('.hook.json'));
    const request = JSON.parse(readFileSync(join(dir, String(hookFile)), 'utf8')) as {
      hook: string;
      context: { patientId: string };
      prefetch: Record<string, { resourceType: string }>;
    };
    expect(request.hook).toBe('patient-view');
    expect(hookFile).toBe(`${request.context.patientId}.hook.json`);
    expect(request.prefetch.patient?.resourceType).toBe('Patient');
    expect(request.prefetch.bloodGases?.resourceType).toBe('Bundle');
  });

  it('writes one NDJSON file per resource type with --ndjson', () => {
    const args = ['--count', '2', '--now', '2026-03-01T08:00:00Z', '--out', dir, '--ndjson'];
    expect(run(args).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      'Condition.ndjson',
      'Encounter.ndjson',
      'Observation.ndjson',
      'Patient.ndjson',
      'Procedure.ndjson',
      'manifest.json',
    ]);
    const patients = readFileSync(join(dir, 'Patient.ndjson'), 'utf8').trimEnd().split('\n');
    expect(patients.map((l) => JSON.parse(l).resourceType)).toEqual(['Patient', 'Patient']);
  });

  it.each([
    [['--out', 'x'], /--now is required/],
    [['--now', '2026-03-01T08:00:00Z'], /--out is required/],
    [['--now', '2026-03-01', '--out', 'x'], /now must be an ISO 8601 instant/],
    [['--now', '2026-03-01T08:00:00Z', '--out', 'x', '--count', 'ten'], /--count must be/],
    [['--now', '2026-03-01T08:00:00Z', '--out', 'x', '--scenario', 'nope'], /unknown scenario/],
    [['--now', '2026-03-01T08:00:00Z', '--out', 'x', '--units', 'imperial'], /--units/],
    [['--bogus'], /Unknown option/],
  ])('exits with 2 and the usage on bad arguments %p', (argv, message) => {
    const { code, err } = run(argv);
    expect(code).toBe(2);
    expect(err[0]).toMatch(message);
    expect(err.join('\n')).toContain('usage:');
  });
});
