import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-file';
import { DEFAULT_SERVICE_DIR, loadScreeningConfig } from '../../src/config/load-screening-config';
import { REQUIRED_VALUE_SETS } from '../../src/engine';

/** A writable copy of the shipped service definition, to break on purpose. */
function copyOfServiceDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stellar-config-'));
  cpSync(DEFAULT_SERVICE_DIR, dir, { recursive: true });
  return dir;
}

function editJson(file: string, edit: (json: Record<string, unknown>) => void) {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(file, JSON.stringify(json));
}

describe('loadScreeningConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyOfServiceDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the shipped configuration with every value set the engine needs', () => {
    const config = loadScreeningConfig();
    expect(config.criteria.thresholds.pfRatioMax).toBe(200);
    for (const id of REQUIRED_VALUE_SETS) expect(config.valueSets[id]).toBeDefined();
    expect(Object.isFrozen(config.criteria.thresholds)).toBe(true);
  });

  it('names the file and the field when a threshold has the wrong type', () => {
    const file = join(dir, 'criteria.json');
    editJson(file, (j) => ((j.thresholds as Record<string, unknown>).pfRatioMax = '200'));
    expect(() => loadScreeningConfig(dir)).toThrow(ConfigError);
    expect(() => loadScreeningConfig(dir)).toThrow(
      /criteria\.json: \/thresholds\/pfRatioMax must be number/,
    );
  });

  it('rejects a misspelt setting rather than silently using the default', () => {
    editJson(
      join(dir, 'criteria.json'),
      (j) => ((j.bloodGas as Record<string, unknown>).lookbackHour = 48),
    );
    expect(() => loadScreeningConfig(dir)).toThrow(
      /must NOT have additional properties "lookbackHour"/,
    );
  });

  it('rejects a plausibility range whose minimum is not below its maximum', () => {
    editJson(
      join(dir, 'criteria.json'),
      (j) => ((j.plausibility as Record<string, unknown>).ph = [8, 6.5]),
    );
    expect(() => loadScreeningConfig(dir)).toThrow(/\/plausibility\/ph must be \[min, max\]/);
  });

  it('rejects an unknown time zone', () => {
    editJson(join(dir, 'criteria.json'), (j) => (j.timeZone = 'Mars/Olympus'));
    expect(() => loadScreeningConfig(dir)).toThrow(
      /timeZone "Mars\/Olympus" is not an IANA time zone/,
    );
  });

  it('says which value set file is missing', () => {
    unlinkSync(join(dir, 'value-sets', 'peep.json'));
    expect(() => loadScreeningConfig(dir)).toThrow(/missing value set file\(s\) peep\.json/);
  });

  it('says which value set file is not valid JSON', () => {
    writeFileSync(join(dir, 'value-sets', 'hiv.json'), '{ "id": "hiv", ');
    expect(() => loadScreeningConfig(dir)).toThrow(/hiv\.json: not valid JSON/);
  });

  it('rejects a value set entry that names an undefined code system', () => {
    editJson(join(dir, 'value-sets', 'hiv.json'), (j) =>
      (j.include as unknown[]).push({ system: 'local-lab', code: 'X1' }),
    );
    expect(() => loadScreeningConfig(dir)).toThrow(
      /hiv\.json: entry \d+ uses code system "local-lab"/,
    );
  });

  it('rejects a value set entry with neither code, prefix nor range', () => {
    editJson(join(dir, 'value-sets', 'hiv.json'), (j) =>
      (j.include as unknown[]).push({ system: 'snomed', display: 'no code' }),
    );
    expect(() => loadScreeningConfig(dir)).toThrow(
      /hiv\.json: \/include\/\d+ must have required property/,
    );
  });

  it('accepts a site code system and local codes added to a value set', () => {
    editJson(join(dir, 'code-systems.json'), (j) => (j.local = { uris: ['urn:example:local'] }));
    editJson(join(dir, 'value-sets', 'sbt-failed.json'), (j) =>
      (j.include as unknown[]).push({ system: 'local', code: 'SBT-FAIL' }),
    );
    expect(loadScreeningConfig(dir).valueSets['sbt-failed']?.include).toHaveLength(1);
  });
});
