import cors from 'cors';
import express, { type Express } from 'express';
import type { CdsJwtVerifier } from '../auth';
import { buildDiscovery } from '../cds/discovery';
import type { ScreeningServiceDeps } from '../cds/screening-service';
import type { ServerConfig } from '../config/server-config';
import { cdsRoutes } from './cds-routes';
import { errorHandler, notFound } from './error-handler';
import { requestMetrics } from './request-metrics';
import { requireCdsClient } from './require-cds-client';

export interface AppDeps {
  service: ScreeningServiceDeps;
  /** Verifier of CDS client JWTs; required unless `config.auth.enabled` is false. */
  verifier?: CdsJwtVerifier;
  /** More routes (the SMART app, the demo EHR), mounted before the 404 handler. */
  mount?: (app: Express) => void;
}

/**
 * The service's express app: operational endpoints (`/healthz`, `/metrics`), the CDS Hooks
 * endpoints behind CORS and the CDS client JWT check, then one 404 and one error handler.
 * Everything it needs comes in through `config` and `deps` (medplum-style), so tests build it
 * with a real store, a real FHIR server and their own keys.
 */
export function createApp(config: ServerConfig, deps: AppDeps): Express {
  const { service } = deps;
  if (config.auth.enabled && !deps.verifier) {
    throw new Error('createApp: auth is enabled but no JWT verifier was given');
  }
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestMetrics(service.metrics));

  app.get('/healthz', (_req, res) => {
    res.json({
      status: 'ok',
      service: service.definition.id,
      ruleSet: service.definition.screening.criteria.version,
    });
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      res.type(service.metrics.registry.contentType).send(await service.metrics.registry.metrics());
    } catch (error) {
      next(error);
    }
  });

  const corsMiddleware = cors({
    origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
  // Preflight needs no token: browsers never send one on OPTIONS.
  app.options('/cds-services', corsMiddleware);
  app.options('/cds-services/*path', corsMiddleware);
  const discovery = buildDiscovery(service.definition, service.plan);
  const guard =
    config.auth.enabled && deps.verifier
      ? [requireCdsClient(deps.verifier, config.publicBaseUrl)]
      : [];
  app.use(
    '/cds-services',
    corsMiddleware,
    ...guard,
    cdsRoutes({ discovery, service, bodyLimitBytes: config.bodyLimitBytes }),
  );

  deps.mount?.(app);
  app.use(notFound());
  app.use(errorHandler(service.log));
  return app;
}
