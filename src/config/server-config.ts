import { resolve } from 'node:path';
import Ajv, { type JSONSchemaType } from 'ajv';
import { DEFAULT_SERVICE_DIR } from './load-screening-config';
import {
  ConfigError,
  deepFreeze,
  describeSchemaErrors,
  readJsonFile,
  shownPath,
} from './config-file';

/** How the service runs at a site: network, security, storage, limits. Read once at start. */
export interface ServerConfig {
  host: string;
  port: number;
  /**
   * The URL EHRs use to reach this service (scheme, host, port, path prefix if behind a proxy).
   * JWT `aud` is checked against it, and the SMART launch link is built from it.
   */
  publicBaseUrl: string;
  auth: {
    /** Require a CDS client JWT on every call. Only the demo turns it off, explicitly. */
    enabled: boolean;
    /** JSON file listing trusted CDS clients (issuer, JWKS URL or keys, tenants). */
    trustedIssuersFile?: string;
    clockSkewSeconds: number;
  };
  /** Folder of the CDS service definition (service.json, criteria, value sets). */
  serviceDir: string;
  feedbackDbPath: string;
  /** Overall time to gather a patient's data before answering with no card, ms. */
  budgetMs: number;
  /** Largest hook request accepted (prefetch of a long stay can be megabytes): bytes. */
  bodyLimitBytes: number;
  /** Origins allowed by CORS; `*` allows any (the JWT, not cookies, authenticates). */
  corsOrigins: string[];
  /** FHIR base URLs the service may call (prefixes); empty: any the CDS client names. */
  allowedFhirServers: string[];
  fhir: { maxPages: number; maxResponseBytes: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Log patient and user ids with each hook call (off by default: logs carry no PHI). */
  auditLog: boolean;
  /** Secret that keys card uuids and patient keys; set one per site (see README). */
  idSecret: string;
  /** Whole-request timeout (slow uploads), ms. */
  requestTimeoutMs: number;
  /** SMART app: the client id it registers with the EHR, and the scopes it asks for. */
  smartApp: { clientId: string; scope: string };
}

/** The secret used when a site sets none; start-up warns. */
export const DEFAULT_ID_SECRET = 'stellar-screening-default-id-secret';

const DEFAULT_PORT = 8080;

/** Defaults: safe for a first run on a workstation (loopback only, auth on). */
export function defaultServerConfig(): ServerConfig {
  return {
    host: '127.0.0.1',
    port: DEFAULT_PORT,
    publicBaseUrl: `http://localhost:${DEFAULT_PORT}`,
    auth: { enabled: true, clockSkewSeconds: 60 },
    serviceDir: DEFAULT_SERVICE_DIR,
    feedbackDbPath: resolve('data', 'stellar-feedback.sqlite'),
    budgetMs: 2000,
    bodyLimitBytes: 64 * 1024 * 1024,
    corsOrigins: ['*'],
    allowedFhirServers: [],
    fhir: { maxPages: 200, maxResponseBytes: 64 * 1024 * 1024 },
    logLevel: 'info',
    auditLog: false,
    idSecret: DEFAULT_ID_SECRET,
    requestTimeoutMs: 30_000,
    smartApp: {
      clientId: 'stellar-screening',
      scope:
        'launch launch/patient openid fhirUser patient/Patient.read patient/Observation.read ' +
        'patient/Condition.read patient/Procedure.read patient/DeviceUseStatement.read ' +
        'patient/Device.read patient/AllergyIntolerance.read patient/ServiceRequest.write',
    },
  };
}

const schema = {
  type: 'object',
  properties: {
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    publicBaseUrl: { type: 'string', pattern: '^https?://[^\\s]+$' },
    auth: {
      type: 'object',
      properties: {
        enabled: { type: 'boolean' },
        trustedIssuersFile: { type: 'string', minLength: 1, nullable: true },
        clockSkewSeconds: { type: 'number', minimum: 0, maximum: 600 },
      },
      required: ['enabled', 'clockSkewSeconds'],
      additionalProperties: false,
    },
    serviceDir: { type: 'string', minLength: 1 },
    feedbackDbPath: { type: 'string', minLength: 1 },
    budgetMs: { type: 'integer', minimum: 50, maximum: 120000 },
    bodyLimitBytes: { type: 'integer', minimum: 1024 },
    corsOrigins: { type: 'array', items: { type: 'string', minLength: 1 } },
    allowedFhirServers: { type: 'array', items: { type: 'string', pattern: '^https?://' } },
    fhir: {
      type: 'object',
      properties: {
        maxPages: { type: 'integer', minimum: 1 },
        maxResponseBytes: { type: 'integer', minimum: 1024 },
      },
      required: ['maxPages', 'maxResponseBytes'],
      additionalProperties: false,
    },
    logLevel: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] },
    auditLog: { type: 'boolean' },
    idSecret: { type: 'string', minLength: 16 },
    requestTimeoutMs: { type: 'integer', minimum: 1000 },
    smartApp: {
      type: 'object',
      properties: { clientId: { type: 'string', minLength: 1 }, scope: { type: 'string' } },
      required: ['clientId', 'scope'],
      additionalProperties: false,
    },
  },
  required: [
    'host',
    'port',
    'publicBaseUrl',
    'auth',
    'serviceDir',
    'feedbackDbPath',
    'budgetMs',
    'bodyLimitBytes',
    'corsOrigins',
    'allowedFhirServers',
    'fhir',
    'logLevel',
    'auditLog',
    'idSecret',
    'requestTimeoutMs',
    'smartApp',
  ],
  additionalProperties: false,
} as unknown as JSONSchemaType<ServerConfig>;

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

type Env = Record<string, string | undefined>;

/** The environment variables read (the README's configuration table says what each sets). */
type EnvironmentVariable =
  | 'STELLAR_HOST'
  | 'STELLAR_PORT'
  | 'STELLAR_PUBLIC_URL'
  | 'STELLAR_AUTH'
  | 'STELLAR_TRUSTED_ISSUERS'
  | 'STELLAR_SERVICE_DIR'
  | 'STELLAR_FEEDBACK_DB'
  | 'STELLAR_BUDGET_MS'
  | 'STELLAR_BODY_LIMIT_BYTES'
  | 'STELLAR_CORS_ORIGINS'
  | 'STELLAR_ALLOWED_FHIR_SERVERS'
  | 'STELLAR_LOG_LEVEL'
  | 'STELLAR_AUDIT_LOG'
  | 'STELLAR_ID_SECRET';

function integer(name: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new ConfigError(`${name} must be a whole number, got "${value}"`);
  }
  return Number(value);
}

function onOff(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(v)) return true;
  if (['off', 'false', '0', 'no'].includes(v)) return false;
  throw new ConfigError(`${name} must be on or off, got "${value}"`);
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function merge<T>(base: T, patch: unknown): T {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    out[k] = merge(out[k], v);
  }
  return out as T;
}

/**
 * Reads the server configuration once: defaults, then the `STELLAR_CONFIG` file, then
 * environment variables. Validated and frozen; a bad value stops start-up with a message naming
 * the variable or the file and field. The only reader of `process.env` in the service.
 */
export function loadServerConfig(env: Env = process.env): ServerConfig {
  let config: ServerConfig = defaultServerConfig();
  const file = env.STELLAR_CONFIG;
  let shown = 'configuration';
  if (file) {
    shown = shownPath(file);
    config = merge(config, readJsonFile(file, shown));
  }
  const set = (name: EnvironmentVariable, apply: (v: string) => void) => {
    const value = env[name];
    if (value !== undefined && value !== '') apply(value);
  };
  set('STELLAR_HOST', (v) => (config.host = v));
  set('STELLAR_PORT', (v) => {
    config.port = integer('STELLAR_PORT', v);
    if (!env.STELLAR_PUBLIC_URL && !file) config.publicBaseUrl = `http://localhost:${config.port}`;
  });
  set('STELLAR_PUBLIC_URL', (v) => (config.publicBaseUrl = v));
  set('STELLAR_AUTH', (v) => (config.auth = { ...config.auth, enabled: onOff('STELLAR_AUTH', v) }));
  set('STELLAR_TRUSTED_ISSUERS', (v) => (config.auth = { ...config.auth, trustedIssuersFile: v }));
  set('STELLAR_SERVICE_DIR', (v) => (config.serviceDir = v));
  set('STELLAR_FEEDBACK_DB', (v) => (config.feedbackDbPath = v));
  set('STELLAR_BUDGET_MS', (v) => (config.budgetMs = integer('STELLAR_BUDGET_MS', v)));
  set(
    'STELLAR_BODY_LIMIT_BYTES',
    (v) => (config.bodyLimitBytes = integer('STELLAR_BODY_LIMIT_BYTES', v)),
  );
  set('STELLAR_CORS_ORIGINS', (v) => (config.corsOrigins = list(v)));
  set('STELLAR_ALLOWED_FHIR_SERVERS', (v) => (config.allowedFhirServers = list(v)));
  set('STELLAR_LOG_LEVEL', (v) => (config.logLevel = v as ServerConfig['logLevel']));
  set('STELLAR_AUDIT_LOG', (v) => (config.auditLog = onOff('STELLAR_AUDIT_LOG', v)));
  set('STELLAR_ID_SECRET', (v) => (config.idSecret = v));

  config.publicBaseUrl = config.publicBaseUrl.replace(/\/+$/, '');
  if (!validate(config)) {
    throw new ConfigError(`${shown}: ${describeSchemaErrors(validate.errors)}`);
  }
  if (config.auth.enabled && !config.auth.trustedIssuersFile) {
    throw new ConfigError(
      'auth is on but no trusted issuers are configured: set STELLAR_TRUSTED_ISSUERS to the ' +
        'trusted CDS clients file (see README), or STELLAR_AUTH=off for a local demo only',
    );
  }
  return deepFreeze(config);
}
