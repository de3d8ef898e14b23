/** How the demo runs: where each part listens and a few choices. Read once in main.ts. */
export interface DemoConfig {
  /** Interface every part listens on (loopback unless told). */
  host: string;
  ports: { ehr: number; service: number; fhir: number; auth: number };
  /** Lifetime of the SMART app's access token, seconds ("token expired" is real). */
  tokenTtlSeconds: number;
  /** Whether the SMART app may be granted write access to create the referral. */
  referralWrite: boolean;
  /** The CDS service's log level (its logs carry no patient data). */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Print one JSON line with the URLs when ready (for scripts and tests). */
  json: boolean;
}

export class DemoConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoConfigError';
  }
}

export const DEFAULT_DEMO_CONFIG: DemoConfig = {
  host: '127.0.0.1',
  ports: { ehr: 4000, service: 4001, fhir: 4002, auth: 4003 },
  tokenTtlSeconds: 3600,
  referralWrite: true,
  logLevel: 'warn',
  json: false,
};

/** Each part's port: its command-line flag and environment variable. */
export const PORT_SETTINGS = {
  ehr: { flag: '--ehr-port', env: 'STELLAR_DEMO_EHR_PORT', part: 'demo EHR' },
  service: { flag: '--service-port', env: 'STELLAR_DEMO_SERVICE_PORT', part: 'CDS service' },
  fhir: { flag: '--fhir-port', env: 'STELLAR_DEMO_FHIR_PORT', part: 'FHIR server' },
  auth: { flag: '--auth-port', env: 'STELLAR_DEMO_AUTH_PORT', part: 'authorization server' },
} as const;

export const DEMO_USAGE = `Usage: npm start [-- options]   (or: node dist/demo/main.js [options])

Starts the STELLAR demo on this machine: a demo EHR, the CDS service with the SMART app, a FHIR
server with a synthetic ICU census, and a SMART authorization server.

Options (environment variable in brackets):
  --ehr-port <n>       demo EHR, the page to open (STELLAR_DEMO_EHR_PORT, default 4000)
  --service-port <n>   CDS service and SMART app (STELLAR_DEMO_SERVICE_PORT, default 4001)
  --fhir-port <n>      FHIR server (STELLAR_DEMO_FHIR_PORT, default 4002)
  --auth-port <n>      authorization server (STELLAR_DEMO_AUTH_PORT, default 4003)
                       0 picks any free port
  --host <address>     interface to listen on (STELLAR_DEMO_HOST, default 127.0.0.1)
  --token-ttl <s>      SMART access token lifetime in seconds (default 3600)
  --read-only          do not let the SMART app create the referral (no write scope)
  --log-level <level>  CDS service log level: fatal, error, warn, info, debug, silent (default warn)
  --json               print one JSON line with the URLs when ready
  --help               show this help
`;

function port(name: string, value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65535) {
    throw new DemoConfigError(
      `${name} must be a port number from 0 to 65535, got "${value ?? ''}"`,
    );
  }
  return Number(value);
}

/**
 * Reads the demo's settings from its arguments and environment (arguments win). `help` is true
 * when the usage should be printed instead.
 */
export function readDemoConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { config: DemoConfig; help: boolean } {
  const config: DemoConfig = {
    ...DEFAULT_DEMO_CONFIG,
    ports: { ...DEFAULT_DEMO_CONFIG.ports },
  };
  for (const [key, setting] of Object.entries(PORT_SETTINGS)) {
    const value = env[setting.env];
    if (value !== undefined && value !== '') {
      config.ports[key as keyof DemoConfig['ports']] = port(setting.env, value);
    }
  }
  if (env.STELLAR_DEMO_HOST) config.host = env.STELLAR_DEMO_HOST;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new DemoConfigError(`${arg} needs a value`);
      return v;
    };
    const portKey = (Object.keys(PORT_SETTINGS) as (keyof typeof PORT_SETTINGS)[]).find(
      (k) => PORT_SETTINGS[k].flag === arg,
    );
    if (portKey) config.ports[portKey] = port(arg, value());
    else if (arg === '--host') config.host = value();
    else if (arg === '--token-ttl') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < 1) {
        throw new DemoConfigError(`--token-ttl must be a whole number of seconds, got "${v}"`);
      }
      config.tokenTtlSeconds = Number(v);
    } else if (arg === '--read-only') config.referralWrite = false;
    else if (arg === '--log-level') {
      const v = value();
      if (!['fatal', 'error', 'warn', 'info', 'debug', 'silent'].includes(v)) {
        throw new DemoConfigError(`--log-level must be fatal, error, warn, info, debug or silent`);
      }
      config.logLevel = v as DemoConfig['logLevel'];
    } else if (arg === '--json') config.json = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else throw new DemoConfigError(`unknown option ${arg} (see --help)`);
  }
  const used = Object.entries(config.ports).filter(([, p]) => p !== 0);
  const seen = new Map<number, string>();
  for (const [key, p] of used) {
    const other = seen.get(p);
    if (other) {
      throw new DemoConfigError(
        `the ${PORT_SETTINGS[other as keyof typeof PORT_SETTINGS].part} and the ${PORT_SETTINGS[key as keyof typeof PORT_SETTINGS].part} cannot share port ${p}`,
      );
    }
    seen.set(p, key);
  }
  return { config, help };
}
