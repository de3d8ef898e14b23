import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Bundle } from 'fhir/r4';
import type { ScreeningResult } from '../../src/engine';
import { generatePatient } from '../../src/synthetic';

const run = promisify(execFile);
const BIN = resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const NOW = '2026-03-01T08:00:00Z';

/** Runs the built `stellar-screen` as a user would; never throws on a non-zero exit. */
async function screen(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function merge(bundles: Bundle[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: bundles.flatMap((b) => b.entry ?? []),
  };
}

describe('stellar-screen command', () => {
  let dir: string;
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  beforeAll(() => {
    if (!existsSync(BIN))
      throw new Error(`${BIN} is missing: run "npm run build" first (npm test does)`);
    dir = mkdtempSync(join(tmpdir(), 'stellar-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON result for a one-patient Bundle', async () => {
    const bundle = generatePatient({ seed: 1, scenario: 'likely-ards', now: NOW });
    const out = await screen(['--bundle', file('one.json', bundle), '--now', NOW]);
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout) as ScreeningResult;
    expect(result.evaluatedAt).toBe(NOW);
    expect(result.patient).toMatch(/^Patient\//);
    expect(result.criteria.map((c) => c.id)).toContain('pf-ratio-on-peep');
    expect(['likely', 'possible', 'not-eligible', 'insufficient-data']).toContain(
      result.classification,
    );
  });

  it('prints one result per Patient, as an array or as JSON lines with --jsonl', async () => {
    const bundle = merge([
      generatePatient({ seed: 1, scenario: 'likely-ards', now: NOW }),
      generatePatient({ seed: 2, scenario: 'too-old', now: NOW }),
      generatePatient({ seed: 3, scenario: 'short-ventilation', now: NOW }),
    ]);
    const path = file('three.json', bundle);
    const asArray = await screen(['--bundle', path, '--now', NOW]);
    expect((JSON.parse(asArray.stdout) as ScreeningResult[]).map((r) => r.patient)).toHaveLength(3);
    const lines = await screen(['--bundle', path, '--now', NOW, '--jsonl']);
    const parsed = lines.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ScreeningResult);
    expect(parsed).toHaveLength(3);
    expect(new Set(parsed.map((r) => r.patient)).size).toBe(3);
  });

  it.each([
    [
      'a file that is not JSON',
      'bad.json',
      '{ "resourceType": "Bundle", ',
      /bad\.json: not valid JSON/,
    ],
    [
      'a resource that is not a Bundle',
      'patient.json',
      { resourceType: 'Patient', id: 'x' },
      /expected a FHIR Bundle, got a Patient/,
    ],
    [
      'a Bundle without a Patient',
      'empty.json',
      { resourceType: 'Bundle', type: 'collection', entry: [] },
      /the Bundle has no Patient resource/,
    ],
  ])('rejects %s with a clear message and exit code 1', async (_what, name, content, message) => {
    const out = await screen(['--bundle', file(name, content), '--now', NOW]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(out.stdout).toBe('');
  });

  it('says which file is missing', async () => {
    const out = await screen(['--bundle', join(dir, 'nope.json')]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/nope\.json: no such file/);
  });

  it('rejects bad arguments with exit code 2 and points at --help', async () => {
    const noZone = await screen(['--bundle', 'x.json', '--now', '2026-03-01 08:00']);
    expect(noZone.code).toBe(2);
    expect(noZone.stderr).toMatch(/--now must be a valid ISO 8601 instant/);
    const impossible = await screen(['--bundle', 'x.json', '--now', '2026-02-30T08:00:00Z']);
    expect(impossible.code).toBe(2);
    expect(impossible.stderr).toMatch(/--now must be a valid ISO 8601 instant/);
    const unknown = await screen(['--bundel', 'x.json']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--help/);
  });

  it('stops quietly when the reader closes the pipe early (stellar-screen | head)', async () => {
    const child = spawn(process.execPath, [BIN, '--demo', '--now', NOW, '--jsonl'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('screens the built-in demo census as a table', async () => {
    const out = await screen(['--demo', '--now', NOW]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(
      /STELLAR screen \(NCT02112500\) at 2026-03-01T08:00:00Z: 16 patient\(s\)/,
    );
    expect(out.stdout).toMatch(/likely 5 \| possible 3 \| insufficient-data 0 \| not-eligible 8/);
    expect(out.stdout).toMatch(/^likely\s+Patient\/\S+\s+ventilated \d+ days, /m);
    expect(out.stdout).toMatch(/^possible\s+Patient\//m);
    expect(out.stdout).not.toMatch(/^not-eligible\s+Patient\//m); // counted, not listed
    expect(out.stdout).toMatch(/8 other patient\(s\) not listed/);
  });
});
