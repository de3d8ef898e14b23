import type { ServiceDefinition } from '../config/service-definition';
import { evaluatePatient, type PreparedScreening } from '../engine';
import { ServiceError } from '../errors/service-error';
import type { DataPlan } from '../fhir/data-plan';
import { isRefusal, type FhirReader } from '../fhir/fhir-search-client';
import { gatherPatientData, type GatheredData } from '../fhir/gather-patient-data';
import type { Logger } from '../observability/logger';
import type { ServiceMetrics } from '../observability/metrics';
import type { FeedbackStore } from '../store';
import type { CardIds } from './card-ids';
import type { CdsServiceResponse } from './cds-hooks-types';
import { renderCards } from './render-cards';
import type { ValidatedHookRequest } from './validate-hook-request';

/** Everything the hook handler needs, passed in (no module reads config or the clock). */
export interface ScreeningServiceDeps {
  definition: ServiceDefinition;
  prepared: PreparedScreening;
  plan: DataPlan;
  store: FeedbackStore;
  ids: CardIds;
  /** A reader of the hook's FHIR server with the hook's token. */
  createReader: (serverUrl: string, accessToken: string | undefined) => FhirReader;
  /** FHIR base URLs this service may call (prefixes, no trailing slash); empty: any. */
  allowedFhirServers: readonly string[];
  /** Overall time budget for gathering data, ms. */
  budgetMs: number;
  /** Absolute URL of the SMART app's launch endpoint. */
  smartLaunchUrl: string;
  /** Log the patient id with each hook call (a site's explicit audit choice; off by default). */
  auditLog: boolean;
  log: Logger;
  metrics: ServiceMetrics;
  now: () => Date;
}

/** How a hook call ended, for logs and metrics (never patient data). */
type HookOutcome =
  'cards' | 'no-card' | 'suppressed' | 'budget-exceeded' | 'fhir-error' | 'precondition-failed';

/** `allowed` holds base URLs without a trailing slash (normalised once, at start-up). */
function serverAllowed(url: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  const normalized = url.replace(/\/+$/, '');
  return allowed.some((base) => normalized === base || normalized.startsWith(`${base}/`));
}

/**
 * Answers a `patient-view` (or `encounter-start`) call: gathers the patient's data from prefetch
 * or the FHIR server within the time budget, runs the engine, and renders a card unless the
 * patient is not a candidate or the card was recently acted on. Data that cannot be obtained at
 * all is a 412; data that came back incomplete, or late, gives no card and a logged reason.
 * @see https://cds-hooks.hl7.org/2.0/#http-response
 */
export async function answerHook(
  deps: ScreeningServiceDeps,
  request: ValidatedHookRequest,
  signal: AbortSignal,
): Promise<CdsServiceResponse> {
  const started = deps.now();
  const nowIso = started.toISOString();
  const log = deps.log.child({
    hookInstance: request.hookInstance,
    hook: request.hook,
    ...(deps.auditLog ? { patientId: request.patientId, userId: request.userId } : {}),
  });
  const finish = (outcome: HookOutcome, extra: Record<string, unknown> = {}) => {
    deps.metrics.hookOutcomes.inc({ outcome });
    log.info({ outcome, ...extra }, 'hook answered');
  };

  let reader: FhirReader | undefined;
  if (request.fhirServer !== undefined) {
    if (serverAllowed(request.fhirServer, deps.allowedFhirServers)) {
      reader = deps.createReader(request.fhirServer, request.fhirAuthorization?.access_token);
    } else {
      log.warn('fhirServer is not on the allowed list; not calling it');
    }
  }
  const budget = AbortSignal.any([signal, AbortSignal.timeout(deps.budgetMs)]);
  const data: GatheredData = await gatherPatientData({
    plan: deps.plan,
    patientId: request.patientId,
    prefetch: request.prefetch,
    reader,
    now: started.getTime(),
    signal: budget,
  });
  const fetchLog = {
    fhirRequests: data.requests,
    sequentialRounds: data.sequentialRounds,
    sources: data.sources,
  };
  for (const f of data.failures) deps.metrics.fhirFetchErrors.inc({ problem: f.problem });

  if (data.failures.length > 0) {
    const problems = data.failures.map((f) => `${f.key}: ${f.problem}`);
    const unobtainable = data.failures.filter(
      (f) => f.problem === 'no-fhir-server' || isRefusal(f),
    );
    if (unobtainable.length > 0) {
      finish('precondition-failed', { problems, ...fetchLog });
      const keys = unobtainable.map((f) => f.key).join(', ');
      const why = unobtainable.some((f) => f.problem === 'no-fhir-server')
        ? 'are missing from prefetch and the request names no usable fhirServer to fetch them from'
        : 'were refused by the FHIR server (check fhirAuthorization: token, scopes, expiry)';
      throw new ServiceError(412, `Prefetch data ${keys} ${why}`);
    }
    if (data.failures.some((f) => f.problem === 'aborted') && budget.aborted && !signal.aborted) {
      finish('budget-exceeded', { budgetMs: deps.budgetMs, problems, ...fetchLog });
      return { cards: [] };
    }
    // A partial record could show a patient as a weaker or stronger candidate than they are:
    // show nothing rather than a half-informed card; the worksheet can still be opened.
    finish('fhir-error', { problems, ...fetchLog });
    return { cards: [] };
  }

  const result = evaluatePatient(deps.prepared, {
    resources: data.resources,
    now: nowIso,
    availability: data.availability,
  });
  deps.metrics.classifications.inc({ classification: result.classification });
  const classification = result.classification;
  if (
    (classification !== 'likely' && classification !== 'possible') ||
    !deps.definition.cards.classifications.includes(classification)
  ) {
    finish('no-card', { classification, ...fetchLog });
    return { cards: [] };
  }
  // Suppression first: it needs only the patient key, and a chart reopened after a card was
  // acted on is common; the card is rendered only when it will be shown.
  const patientKey = deps.ids.patientKey(request.fhirServer, request.patientId);
  const suppression = deps.store.findSuppression(patientKey, classification, nowIso);
  if (suppression) {
    finish('suppressed', {
      classification,
      suppressedUntil: suppression.until,
      byOutcome: suppression.outcome,
      ...fetchLog,
    });
    return { cards: [] };
  }
  const cardUuid = deps.ids.cardUuid(patientKey, classification, result.ruleSet.version);
  const cards = renderCards({
    definition: deps.definition,
    result,
    patientId: request.patientId,
    ...(request.userId !== undefined ? { userId: request.userId } : {}),
    cardUuid,
    suggestionUuid: deps.ids.suggestionUuid(cardUuid),
    smartLaunchUrl: deps.smartLaunchUrl,
    now: nowIso,
  });
  deps.store.recordIssuedCards([
    {
      uuid: cardUuid,
      patientKey,
      classification,
      ruleSetVersion: result.ruleSet.version,
      issuedAt: nowIso,
    },
  ]);
  deps.metrics.cardsIssued.inc({ classification });
  finish('cards', { classification, card: cardUuid, ...fetchLog });
  return { cards };
}
