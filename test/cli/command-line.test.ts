import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCensus } from '../../src/synthetic';
import { mergeBundles, NOW, screenInProcess, writeNdjsonExport } from './cli-fixtures';

describe('stellar-screen arguments', () => {
  it.each([
    [['--bundle', 'a.json', '--ndjson', 'dir'], /give one source, not --bundle and --ndjson/],
    [['--now', NOW], /give --bundle <file>, --ndjson <folder>, --fhir <url> or --demo/],
    [['--demo', '--csv', '--json'], /give only one of --json, --jsonl, --table, --csv/],
    [['--demo', '--token', 'abc'], /--token goes with --fhir/],
    [['--demo', '--bucket-size', '8'], /--bucket-size goes with --ndjson/],
    [
      ['--ndjson', 'dir', '--bucket-size', '0'],
      /--bucket-size must be a whole number of at least 1/,
    ],
    [['--fhir', 'not a url'], /--fhir must be the server's base URL/],
    [['--fhir', 'ftp://ehr.example/fhir'], /--fhir must be an http or https URL/],
    [
      [
        '--fhir',
        'https://ehr.example/fhir',
        '--token',
        't',
        '--client-id',
        'c',
        '--private-key',
        'k.pem',
      ],
      /give only one of --token, --token-file, --client-id\/--private-key/,
    ],
    [
      ['--fhir', 'https://ehr.example/fhir', '--client-id', 'c'],
      /--client-id and --private-key go together/,
    ],
    [
      ['--fhir', 'https://ehr.example/fhir', '--group', 'g', '--patient', 'p'],
      /give either --group or --patient, not both/,
    ],
    [['--fhir', 'https://ehr.example/fhir', '--patient', 'a/b'], /"a\/b" is not a FHIR id/],
    [
      ['--fhir', 'https://ehr.example/fhir', '--concurrency', '0'],
      /--concurrency must be a whole number of at least 1/,
    ],
    [
      ['--fhir', 'https://ehr.example/fhir', '--scope', 'system/*.read'],
      /--key-id and --scope go with --client-id/,
    ],
  ])('rejects %j with exit code 2 and a pointer to --help', async (args, message) => {
    const out = await screenInProcess(args);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).toMatch(/Run stellar-screen --help for usage\.\n$/);
    expect(out.stdout).toBe('');
  });

  it('documents every option in --help', async () => {
    const out = await screenInProcess(['--help']);
    expect(out.code).toBe(0);
    for (const option of [
      '--bundle',
      '--ndjson',
      '--fhir',
      '--demo',
      '--token',
      '--token-file',
      '--client-id',
      '--private-key',
      '--key-id',
      '--scope',
      '--group',
      '--patient',
      '--concurrency',
      '--patient-timeout',
      '--retries',
      '--bucket-size',
      '--table',
      '--json',
      '--jsonl',
      '--csv',
      '--html',
      '--now',
      '--config',
    ]) {
      expect(out.stdout).toContain(`  ${option} `);
    }
  });
});

describe('stellar-screen outputs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stellar-out-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes CSV on stdout and the HTML report to its file, owner-only', async () => {
    const html = join(dir, 'report.html');
    const out = await screenInProcess(['--demo', '--now', NOW, '--csv', '--html', html]);
    expect(out.code).toBe(0);
    expect(out.stdout.split('\r\n')[0]).toMatch(/^patient,classification,summary,age,/);
    expect(out.stdout.trimEnd().split('\r\n')).toHaveLength(17);
    expect(readFileSync(html, 'utf8')).toContain('16 patient(s) from the synthetic demo census');
    expect(statSync(html).mode & 0o077).toBe(0);
  });

  it('stops before screening when the HTML report cannot be written', async () => {
    const out = await screenInProcess([
      '--demo',
      '--now',
      NOW,
      '--html',
      join(dir, 'missing', 'r.html'),
    ]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/cannot write .*r\.html/);
    expect(out.stdout).toBe('');
  });

  it('exits 0 with a clear table when no patient is a candidate', async () => {
    const bundle = join(dir, 'old.json');
    writeFileSync(
      bundle,
      JSON.stringify(
        mergeBundles(
          generateCensus({ seed: 2, now: NOW, count: 2, scenarios: ['too-old', 'excluded-hiv'] }),
        ),
      ),
    );
    const out = await screenInProcess(['--bundle', bundle, '--now', NOW, '--table']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('No likely or possible candidates.');
  });

  it('draws a progress bar on a terminal, and none when stderr is a file', async () => {
    const exportDir = writeNdjsonExport(
      join(dir, 'export'),
      generateCensus({ seed: 9, now: NOW, count: 4 }),
    );
    let t = 0;
    const onTty = await screenInProcess(['--ndjson', exportDir, '--now', NOW], {
      stderrIsTTY: true,
      clock: () => (t += 1000),
    });
    expect(onTty.stderr).toContain('\r\x1b[2Kreading export [');
    expect(onTty.stderr).toContain('\r\x1b[2Kscreening [');
    expect(onTty.stderr).not.toMatch(/Patient\//); // progress shows counts, never patients
    const toFile = await screenInProcess(['--ndjson', exportDir, '--now', NOW], {
      stderrIsTTY: false,
    });
    expect(toFile.stderr).toBe('');
  });

  it('stops with exit code 130 when interrupted', async () => {
    const stop = new AbortController();
    stop.abort();
    const out = await screenInProcess(['--demo', '--now', NOW], { signal: stop.signal });
    expect(out.code).toBe(130);
    expect(out.stderr).toBe('stellar-screen: interrupted\n');
  });
});
