import { loadTrustedIssuers, createCdsJwtVerifier, type CdsJwtVerifier } from '../auth';
import { createCardIds } from '../cds/card-ids';
import type { ScreeningServiceDeps } from '../cds/screening-service';
import type { ServerConfig } from '../config/server-config';
import { loadServiceDefinition } from '../config/service-definition';
import { prepareScreening } from '../engine';
import { buildDataPlan } from '../fhir/data-plan';
import { createFhirReader } from '../fhir/fhir-search-client';
import type { Logger } from '../observability/logger';
import { createServiceMetrics, type ServiceMetrics } from '../observability/metrics';
import { openSqliteFeedbackStore, type FeedbackStore } from '../store';

/** The service's parts, built from configuration: what `createApp` takes. */
export interface BuiltService {
  service: ScreeningServiceDeps;
  verifier?: CdsJwtVerifier;
  store: FeedbackStore;
}

/**
 * Builds everything the app needs from a validated configuration: service definition, engine,
 * data plan, store, JWT verifier. Fails fast (ConfigError, ServiceError) before a port opens.
 */
export function buildService(
  config: ServerConfig,
  options: { log: Logger; metrics?: ServiceMetrics; now?: () => Date },
): BuiltService {
  const definition = loadServiceDefinition(config.serviceDir);
  const store = openSqliteFeedbackStore({
    path: config.feedbackDbPath,
    suppressionDays: definition.cards.suppressionDays,
    suppressingReasons: definition.cards.suppressingOverrideReasons,
  });
  const verifier =
    config.auth.enabled && config.auth.trustedIssuersFile
      ? createCdsJwtVerifier({
          issuers: loadTrustedIssuers(config.auth.trustedIssuersFile),
          clockSkewSeconds: config.auth.clockSkewSeconds,
        })
      : undefined;
  const service: ScreeningServiceDeps = {
    definition,
    prepared: prepareScreening(definition.screening),
    plan: buildDataPlan(definition),
    store,
    ids: createCardIds(config.idSecret),
    createReader: (serverUrl, accessToken) =>
      createFhirReader({
        serverUrl,
        ...(accessToken !== undefined ? { accessToken } : {}),
        maxPages: config.fhir.maxPages,
        maxResponseBytes: config.fhir.maxResponseBytes,
      }),
    allowedFhirServers: config.allowedFhirServers.map((url) => url.replace(/\/+$/, '')),
    budgetMs: config.budgetMs,
    smartLaunchUrl: `${config.publicBaseUrl}/smart/launch`,
    auditLog: config.auditLog,
    log: options.log,
    metrics: options.metrics ?? createServiceMetrics(),
    now: options.now ?? (() => new Date()),
  };
  return { service, ...(verifier ? { verifier } : {}), store };
}
