import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import express from 'express';
import { createCdsClientKey } from '../auth';
import { browserAssetsDir } from '../build/browser-bundles';
import { defaultServerConfig, type ServerConfig } from '../config/server-config';
import { ServiceError } from '../errors/service-error';
import { createFhirServerApp, createFhirStore } from '../fhir-server';
import { createApp } from '../http/create-app';
import { createLogger } from '../observability/logger';
import { buildService } from '../server/build-service';
import { mountSmartApp } from '../smart-app/smart-app-routes';
import { bannerDetails, patientBanner } from '../smart-app/patient-display';
import { createAuthServer } from './auth/auth-server';
import type { PickerPatient } from './auth/picker-page';
import { bindPorts, type BoundServer, type Part } from './bind-ports';
import { buildDemoCensus, DEMO_USER, type DemoCensus } from './census';
import type { DemoConfig } from './demo-config';
import { CdsClient } from './ehr/cds-client';
import { createEhrApp } from './ehr/ehr-app';
import { bearerToken, checkFhirAccess, createAccessTokenVerifier } from './fhir-access';
import { smartConfiguration } from './smart-configuration';

/** The running demo: where each part is, and how to stop it. */
export interface RunningDemo {
  urls: {
    ehr: string;
    service: string;
    discovery: string;
    smartLaunch: string;
    fhir: string;
    auth: string;
  };
  census: DemoCensus;
  close(): Promise<void>;
}

function closeServer(b: BoundServer): Promise<void> {
  return new Promise((resolve) => {
    b.server.close(() => resolve());
    b.server.closeAllConnections();
  });
}

/**
 * Starts the whole demo in this process, each part on its own loopback port as separate
 * systems would be: the FHIR server (medplum's engine) with a synthetic ICU census laid out
 * around now, which only accepts the authorization server's tokens; the SMART authorization
 * server; the CDS service with authentication on and the demo EHR as its one trusted client,
 * serving the SMART app; and the demo EHR's pages and backend.
 */
export async function startDemo(
  config: DemoConfig,
  options: { log?: (line: string) => void } = {},
): Promise<RunningDemo> {
  const bound = await bindPorts(config);
  const dataDir = mkdtempSync(join(tmpdir(), 'stellar-demo-'));
  const fhirBase = `${bound.fhir.url}/fhir`;
  const assets = browserAssetsDir();
  try {
    const census = buildDemoCensus(new Date().toISOString());

    // FHIR server with the census.
    const store = createFhirStore({ defaultPageSize: 100, maxPageSize: 1000 });
    store.addLocalBase(fhirBase);
    await store.load(census.bundles);
    await store.load(census.extra);
    const pickerPatients = async (): Promise<PickerPatient[]> =>
      census.bundles.map((b, i) => {
        const patient = b.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource;
        const banner = patientBanner(
          patient?.resourceType === 'Patient' ? patient : undefined,
          new Date(),
        );
        const demo = census.patients[i];
        return {
          id: demo?.id ?? '',
          name: banner.name,
          details: `${demo?.bed ?? ''} · ${bannerDetails(banner)}`,
        };
      });

    // Authorization server.
    const smartApp = defaultServerConfig().smartApp;
    const allowedScopes = smartApp.scope
      .split(/\s+/)
      .filter((s) => config.referralWrite || !/\.(write|c|cud|cruds)$/.test(s));
    const auth = await createAuthServer({
      issuerUrl: bound.auth.url,
      fhirBase,
      clients: [
        {
          clientId: smartApp.clientId,
          name: 'STELLAR screening worksheet',
          redirectUris: [`${bound.service.url}/smart/app`],
          allowedScopes,
        },
      ],
      user: DEMO_USER,
      patients: pickerPatients,
      accessTokenTtlSeconds: config.tokenTtlSeconds,
      assetsDir: join(assets, 'ehr'),
    });

    const verify = createAccessTokenVerifier({
      jwksUri: auth.jwksUri,
      issuer: auth.issuerUrl,
      audience: fhirBase,
    });
    const fhirApp = express();
    fhirApp.disable('x-powered-by');
    fhirApp.get('/fhir/.well-known/smart-configuration', (_req, res) => {
      res.set('Access-Control-Allow-Origin', '*').json(smartConfiguration(auth));
    });
    fhirApp.use(
      createFhirServerApp({
        store,
        basePath: '/fhir',
        publicBaseUrl: fhirBase,
        // Parsed before the token check, so a write's subject can be checked against the token.
        beforeRequest: express.json({
          type: ['application/json', 'application/fhir+json'],
          limit: '5mb',
        }),
        authorize: async (req) => {
          const token = bearerToken(req);
          if (!token) return false;
          let claims;
          try {
            claims = await verify(token);
          } catch {
            return false;
          }
          const decision = checkFhirAccess(claims, {
            method: req.method,
            path: req.path,
            search: new URL(req.originalUrl, 'http://x').searchParams,
            body: req.body,
          });
          if (!decision.allowed) {
            throw new ServiceError(403, `Not allowed by the access token: ${decision.reason}`, {
              issueCode: 'forbidden',
            });
          }
          return true;
        },
        onError: (error) => options.log?.(`FHIR server error: ${(error as Error).message}`),
      }),
    );

    // CDS service, trusting the demo EHR's key (inline JWKS), serving the SMART app.
    const ehrKey = createCdsClientKey({ alg: 'ES384', kid: 'demo-ehr-1' });
    const ehrIssuer = bound.ehr.url;
    const trustFile = join(dataDir, 'trusted-issuers.json');
    writeFileSync(
      trustFile,
      JSON.stringify([{ iss: ehrIssuer, jwks: { keys: [ehrKey.publicJwk] } }]),
    );
    const base = defaultServerConfig();
    const serviceConfig: ServerConfig = {
      ...base,
      host: config.host,
      port: bound.service.port,
      publicBaseUrl: bound.service.url,
      auth: { ...base.auth, enabled: true, trustedIssuersFile: trustFile },
      feedbackDbPath: join(dataDir, 'feedback.sqlite'),
      allowedFhirServers: [fhirBase],
      logLevel: config.logLevel,
      idSecret: randomBytes(24).toString('base64url'),
      smartApp: { ...smartApp, scope: allowedScopes.join(' ') },
    };
    const log = createLogger({ level: serviceConfig.logLevel });
    const built = buildService(serviceConfig, { log });
    const serviceApp = createApp(serviceConfig, {
      ...built,
      mount: (app) =>
        mountSmartApp(app, {
          settings: serviceConfig.smartApp,
          definition: built.service.definition,
          assetsDir: assets,
        }),
    });

    // The demo EHR.
    const smartLaunch = `${bound.service.url}/smart/launch`;
    const ehrApp = createEhrApp({
      fhirBase,
      census,
      cds: new CdsClient({ serviceBase: bound.service.url, issuer: ehrIssuer, key: ehrKey }),
      auth,
      apps: [
        { id: 'stellar-worksheet', name: 'STELLAR screening worksheet', launchUrl: smartLaunch },
      ],
      user: DEMO_USER,
      cdsClientId: smartApp.clientId,
      links: {
        'CDS Hooks discovery': `${bound.service.url}/cds-services`,
        'FHIR server': `${fhirBase}/metadata`,
        'SMART configuration': `${fhirBase}/.well-known/smart-configuration`,
        'Standalone launch of the worksheet': `${smartLaunch}?iss=${encodeURIComponent(fhirBase)}`,
      },
      assetsDir: join(assets, 'ehr'),
      onError: (message) => options.log?.(message),
    });

    const handlers: Record<Part, express.Express> = {
      ehr: ehrApp,
      service: serviceApp,
      fhir: fhirApp,
      auth: auth.handler,
    };
    for (const part of Object.keys(handlers) as Part[]) {
      bound[part].server.on('request', handlers[part]);
      bound[part].server.requestTimeout = 30_000;
      bound[part].server.keepAliveTimeout = 5_000;
    }

    let closing: Promise<void> | undefined;
    return {
      urls: {
        ehr: bound.ehr.url,
        service: bound.service.url,
        discovery: `${bound.service.url}/cds-services`,
        smartLaunch,
        fhir: fhirBase,
        auth: bound.auth.url,
      },
      census,
      close() {
        closing ??= (async () => {
          await Promise.all(Object.values(bound).map(closeServer));
          built.store.close();
          rmSync(dataDir, { recursive: true, force: true });
        })();
        return closing;
      },
    };
  } catch (error) {
    await Promise.all(Object.values(bound).map(closeServer));
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
