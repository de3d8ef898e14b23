import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Bundle } from 'fhir/r4';
import {
  createCdsClientKey,
  signCdsClientJwt,
  type CdsClientAlgorithm,
  type CdsClientKey,
} from '../../src/auth';
import { defaultServerConfig, type ServerConfig } from '../../src/config/server-config';
import { createApp } from '../../src/http/create-app';
import { createLogger } from '../../src/observability/logger';
import { buildService, type BuiltService } from '../../src/server/build-service';
import { listen } from '../../src/server/listen';
import { buildDataPlan } from '../../src/fhir/data-plan';
import { loadServiceDefinition } from '../../src/config/service-definition';
import { prefetchFromRecord } from '../../src/synthetic/prefetch-from-record';
import { startJwksServer, type JwksServer } from './jwks-server';

/** The trusted CDS client the tests play (an EHR). */
export const TEST_ISSUER = 'https://ehr.test.example/cds-client';

/** A running service on a free loopback port, with a CDS client that signs real JWTs. */
export interface TestService {
  url: string;
  config: ServerConfig;
  built: BuiltService;
  /** Every log line written so far (JSON). */
  logs: string[];
  /** Keys of the test CDS client (an ES384 and an RS384 key, both in its JWKS). */
  keys: Record<CdsClientAlgorithm, CdsClientKey>;
  jwks: JwksServer;
  /** A fresh JWT for the endpoint at `path` (audience = public URL + path). */
  token(
    path: string,
    options?: { alg?: CdsClientAlgorithm; claims?: Record<string, unknown> },
  ): string;
  /** fetch() against the service with a fresh JWT for the path (unless `auth: false`). */
  call(path: string, init?: RequestInit & { json?: unknown; auth?: boolean }): Promise<Response>;
  close(): Promise<void>;
}

export interface TestServiceOptions {
  auth?: boolean;
  budgetMs?: number;
  now?: () => Date;
  overrides?: Partial<ServerConfig>;
  logLevel?: ServerConfig['logLevel'];
}

/**
 * Starts the real service (config, store file, JWT verifier over a real JWKS endpoint, express
 * app, HTTP server) as `stellar-cds` would, on 127.0.0.1 and a free port.
 */
export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const dir = mkdtempSync(join(tmpdir(), 'stellar-service-'));
  const keys = {
    ES384: createCdsClientKey({ alg: 'ES384', kid: 'test-es384' }),
    RS384: createCdsClientKey({ alg: 'RS384', kid: 'test-rs384' }),
  };
  const jwks = await startJwksServer([keys.ES384.publicJwk, keys.RS384.publicJwk]);
  const issuersFile = join(dir, 'trusted-issuers.json');
  writeFileSync(issuersFile, JSON.stringify([{ iss: TEST_ISSUER, jwksUrl: jwks.url }]));
  const auth = options.auth ?? true;
  const base = defaultServerConfig();
  const config: ServerConfig = {
    ...base,
    port: 0,
    publicBaseUrl: 'http://cds.test.example',
    auth: { ...base.auth, enabled: auth, trustedIssuersFile: issuersFile },
    feedbackDbPath: join(dir, 'feedback.sqlite'),
    budgetMs: options.budgetMs ?? base.budgetMs,
    logLevel: options.logLevel ?? 'info',
    idSecret: 'test-secret-for-card-ids',
    ...options.overrides,
  };
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger({ level: config.logLevel, destination });
  const built = buildService(config, { log, ...(options.now ? { now: options.now } : {}) });
  const app = createApp(config, built);
  const server: Server = await listen(app, config);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const token: TestService['token'] = (path, o = {}) =>
    signCdsClientJwt(keys[o.alg ?? 'ES384'], {
      iss: TEST_ISSUER,
      aud: `${config.publicBaseUrl}${path}`,
      ...(o.claims ? { extraClaims: o.claims } : {}),
    });

  return {
    url,
    config,
    built,
    logs,
    keys,
    jwks,
    token,
    async call(path, init = {}) {
      const { json, auth: withAuth = auth, headers, ...rest } = init;
      const h = new Headers(headers);
      if (withAuth && !h.has('authorization')) h.set('authorization', `Bearer ${token(path)}`);
      if (json !== undefined) h.set('content-type', 'application/json');
      return fetch(`${url}${path}`, {
        ...rest,
        headers: h,
        ...(json !== undefined
          ? { method: rest.method ?? 'POST', body: JSON.stringify(json) }
          : {}),
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      built.store.close();
      await jwks.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const plan = buildDataPlan(loadServiceDefinition());

/**
 * The prefetch a CDS client would send for a patient's record: each template of the discovery
 * document answered from the record (the Patient, and a searchset Bundle per search).
 */
export function prefetchFor(bundle: Bundle): Record<string, unknown> {
  const resources = (bundle.entry ?? []).map(
    (e) => e.resource as unknown as Record<string, unknown>,
  );
  return prefetchFromRecord(resources, plan);
}

/** The patient id of a synthetic Bundle. */
export function patientIdOf(bundle: Bundle): string {
  const p = (bundle.entry ?? []).find((e) => e.resource?.resourceType === 'Patient');
  if (!p?.resource?.id) throw new Error('the bundle has no Patient');
  return p.resource.id;
}

/** A patient-view request as an EHR sends it. */
export function patientView(
  patientId: string,
  extra: { prefetch?: Record<string, unknown>; fhirServer?: string; accessToken?: string } = {},
) {
  return {
    hook: 'patient-view',
    hookInstance: crypto.randomUUID(),
    context: { userId: 'Practitioner/test-doctor', patientId },
    ...(extra.fhirServer !== undefined ? { fhirServer: extra.fhirServer } : {}),
    ...(extra.accessToken !== undefined
      ? {
          fhirAuthorization: {
            access_token: extra.accessToken,
            token_type: 'Bearer',
            expires_in: 300,
            scope: 'patient/*.read',
            subject: 'stellar-screening',
            patient: patientId,
          },
        }
      : {}),
    ...(extra.prefetch !== undefined ? { prefetch: extra.prefetch } : {}),
  };
}
