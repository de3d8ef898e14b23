import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bindPorts, PortError } from '../../src/demo/bind-ports';
import { DEFAULT_DEMO_CONFIG, readDemoConfig } from '../../src/demo/demo-config';

describe('readDemoConfig', () => {
  it('starts on loopback with the documented ports', () => {
    const { config, help } = readDemoConfig([], {});
    expect(help).toBe(false);
    expect(config).toEqual(DEFAULT_DEMO_CONFIG);
    expect(config.host).toBe('127.0.0.1');
    expect(config.ports).toEqual({ ehr: 4000, service: 4001, fhir: 4002, auth: 4003 });
  });

  it('takes ports from the environment, and flags over the environment', () => {
    const { config } = readDemoConfig(['--fhir-port', '9102', '--read-only', '--token-ttl', '30'], {
      STELLAR_DEMO_EHR_PORT: '9000',
      STELLAR_DEMO_FHIR_PORT: '9002',
    });
    expect(config.ports).toEqual({ ehr: 9000, service: 4001, fhir: 9102, auth: 4003 });
    expect(config.referralWrite).toBe(false);
    expect(config.tokenTtlSeconds).toBe(30);
  });

  it('refuses bad values with a message naming the setting', () => {
    expect(() => readDemoConfig(['--ehr-port', 'http'], {})).toThrow(
      '--ehr-port must be a port number from 0 to 65535, got "http"',
    );
    expect(() => readDemoConfig([], { STELLAR_DEMO_AUTH_PORT: '70000' })).toThrow(
      'STELLAR_DEMO_AUTH_PORT must be a port number',
    );
    expect(() => readDemoConfig(['--service-port', '4000'], {})).toThrow(
      'the demo EHR and the CDS service cannot share port 4000',
    );
    expect(() => readDemoConfig(['--bogus'], {})).toThrow('unknown option --bogus (see --help)');
    expect(() => readDemoConfig(['--ehr-port'], {})).toThrow('--ehr-port needs a value');
  });

  it('lets every part take a free port', () => {
    const ports = [
      '--ehr-port',
      '0',
      '--service-port',
      '0',
      '--fhir-port',
      '0',
      '--auth-port',
      '0',
    ];
    expect(readDemoConfig(ports, {}).config.ports).toEqual({
      ehr: 0,
      service: 0,
      fhir: 0,
      auth: 0,
    });
  });
});

describe('bindPorts', () => {
  it('names the part, the port and the option to change when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    const { config } = readDemoConfig(
      ['--ehr-port', '0', '--service-port', '0', '--fhir-port', String(taken), '--auth-port', '0'],
      {},
    );
    const attempt = bindPorts(config);
    await expect(attempt).rejects.toBeInstanceOf(PortError);
    await expect(attempt).rejects.toThrow(
      `Port ${taken} on 127.0.0.1 (FHIR server) is already in use: stop what uses it, or start the demo with --fhir-port <port> (or STELLAR_DEMO_FHIR_PORT=<port>; 0 picks a free one)`,
    );
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  });

  it('binds every part before anything starts, so each knows the others’ URLs', async () => {
    const { config } = readDemoConfig(
      ['--ehr-port', '0', '--service-port', '0', '--fhir-port', '0', '--auth-port', '0'],
      {},
    );
    const bound = await bindPorts(config);
    try {
      const urls = Object.values(bound).map((b) => b.url);
      expect(new Set(urls).size).toBe(4);
      for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await Promise.all(
        Object.values(bound).map(
          (b) => new Promise<void>((resolve) => b.server.close(() => resolve())),
        ),
      );
    }
  });
});
