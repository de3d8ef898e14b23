import { join, resolve } from 'node:path';
import { loadTrustedIssuers } from '../../src/auth';
import { loadServerConfig } from '../../src/config/server-config';

const EXAMPLES = resolve(__dirname, '..', '..', 'examples');

describe('the README examples', () => {
  it('trusted-issuers.example.json is a valid trusted-issuers file', () => {
    const issuers = loadTrustedIssuers(join(EXAMPLES, 'trusted-issuers.example.json'));
    expect(issuers.map((i) => i.iss)).toEqual([
      'https://ehr.hospital.example/cds-client',
      'https://sandbox.cds-hooks.example',
    ]);
  });

  it('stellar-cds.config.example.json is a valid server configuration', () => {
    const config = loadServerConfig({
      STELLAR_CONFIG: join(EXAMPLES, 'stellar-cds.config.example.json'),
    });
    expect(config).toMatchObject({
      publicBaseUrl: 'https://cds.hospital.example/stellar',
      auth: { enabled: true, trustedIssuersFile: '/etc/stellar/trusted-issuers.json' },
      allowedFhirServers: ['https://ehr.hospital.example/fhir'],
    });
  });
});
