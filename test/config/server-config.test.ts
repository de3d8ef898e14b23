import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-file';
import { defaultServerConfig, loadServerConfig } from '../../src/config/server-config';

const ISSUERS = { STELLAR_TRUSTED_ISSUERS: '/etc/stellar/trusted-issuers.json' };

function refusal(env: Record<string, string>): string {
  try {
    loadServerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadServerConfig', () => {
  it('refuses to start with auth on and no trusted issuers, and says how to fix it', () => {
    expect(refusal({})).toMatch(/STELLAR_TRUSTED_ISSUERS.*STELLAR_AUTH=off/);
  });

  it('reads the environment over the defaults and freezes the result', () => {
    const config = loadServerConfig({
      ...ISSUERS,
      STELLAR_PORT: '9090',
      STELLAR_PUBLIC_URL: 'https://cds.hospital.example/stellar/',
      STELLAR_BUDGET_MS: '1500',
      STELLAR_CORS_ORIGINS: 'https://ehr.example, https://sandbox.example',
      STELLAR_ALLOWED_FHIR_SERVERS: 'https://ehr.example/fhir',
      STELLAR_AUDIT_LOG: 'on',
      STELLAR_ID_SECRET: 'a-long-enough-site-secret',
    });
    expect(config).toMatchObject({
      port: 9090,
      publicBaseUrl: 'https://cds.hospital.example/stellar',
      budgetMs: 1500,
      corsOrigins: ['https://ehr.example', 'https://sandbox.example'],
      allowedFhirServers: ['https://ehr.example/fhir'],
      auditLog: true,
      auth: { enabled: true, trustedIssuersFile: ISSUERS.STELLAR_TRUSTED_ISSUERS },
    });
    expect(Object.isFrozen(config.auth)).toBe(true);
  });

  it('derives the public URL from the port when none is given', () => {
    expect(loadServerConfig({ STELLAR_AUTH: 'off', STELLAR_PORT: '8181' }).publicBaseUrl).toBe(
      'http://localhost:8181',
    );
  });

  it('reads a config file, with the environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stellar-server-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ budgetMs: 900, auth: { enabled: false } }));
    const config = loadServerConfig({ STELLAR_CONFIG: file, STELLAR_BUDGET_MS: '1200' });
    expect(config.budgetMs).toBe(1200);
    expect(config.auth).toEqual({ ...defaultServerConfig().auth, enabled: false });
  });

  it.each([
    [{ STELLAR_PORT: 'eighty' }, /STELLAR_PORT must be a whole number/],
    [{ STELLAR_AUTH: 'maybe' }, /STELLAR_AUTH must be on or off/],
    [{ STELLAR_BUDGET_MS: '10' }, /budgetMs must be >= 50/],
    [{ STELLAR_PUBLIC_URL: 'cds.example' }, /publicBaseUrl/],
    [{ STELLAR_LOG_LEVEL: 'loud' }, /logLevel/],
    [{ STELLAR_ID_SECRET: 'short' }, /idSecret/],
  ])('names the setting that is wrong: %o', (env, message) => {
    expect(refusal({ ...ISSUERS, ...env })).toMatch(message);
  });

  it('names the file when the config file is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stellar-server-config-'));
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ not json');
    expect(refusal({ STELLAR_CONFIG: file })).toMatch(/broken\.json: not valid JSON/);
  });
});
