import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-file';
import { DEFAULT_SERVICE_DIR } from '../../src/config/load-screening-config';
import { loadServiceDefinition } from '../../src/config/service-definition';

function copyOfServiceDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stellar-service-'));
  cpSync(DEFAULT_SERVICE_DIR, dir, { recursive: true });
  return dir;
}

function editService(dir: string, edit: (json: Record<string, Record<string, unknown>>) => void) {
  const file = join(dir, 'service.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  edit(json);
  writeFileSync(file, JSON.stringify(json));
}

function refusal(dir: string): string {
  try {
    loadServiceDefinition(dir);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the service definition was accepted');
}

describe('loadServiceDefinition', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyOfServiceDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the shipped service with its screening rules, frozen', () => {
    const definition = loadServiceDefinition();
    expect(definition.id).toBe('stellar-screening');
    expect(definition.hooks).toEqual(['patient-view', 'encounter-start']);
    expect(definition.screening.criteria.id).toBe('stellar-screening');
    expect(Object.isFrozen(definition.cards)).toBe(true);
  });

  it('names the field when a hook is not one the service can answer', () => {
    editService(dir, (j) => ((j as Record<string, unknown>).hooks = ['order-sign']));
    expect(refusal(dir)).toMatch(
      /service\.json: \/hooks\/0 must be equal to one of the allowed values/,
    );
  });

  it('refuses a suppressing reason that is not offered on the card', () => {
    editService(dir, (j) => (j.cards!.suppressingOverrideReasons = ['already-enrolled']));
    expect(refusal(dir)).toMatch(
      /\/cards\/suppressingOverrideReasons\/0 "already-enrolled" is not one of \/cards\/overrideReasons/,
    );
  });

  it('refuses a service id that differs from the criteria id', () => {
    editService(dir, (j) => ((j as Record<string, unknown>).id = 'other-screen'));
    expect(refusal(dir)).toMatch(/\/id "other-screen" differs from criteria\.json/);
  });

  it('refuses a folder without the blood-gas panel value set the data plan searches', () => {
    unlinkSync(join(dir, 'value-sets', 'blood-gas-panels.json'));
    expect(refusal(dir)).toMatch(/missing value set blood-gas-panels\.json/);
  });
});
