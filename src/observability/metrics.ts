import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus metrics, on a registry of its own (one per app, so tests stay apart). */
export interface ServiceMetrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'method' | 'status'>;
  httpDuration: Histogram<'route'>;
  hookOutcomes: Counter<'outcome'>;
  classifications: Counter<'classification'>;
  cardsIssued: Counter<'classification'>;
  fhirFetchErrors: Counter<'problem'>;
  feedback: Counter<'outcome'>;
}

/**
 * Creates the metrics hospital IT scrapes at `/metrics`: request counts and latency, hook
 * outcomes (cards, no card, suppressed, budget exceeded, 412), classifications, cards issued,
 * FHIR fetch errors by kind, feedback. No label ever carries a patient or token.
 */
export function createServiceMetrics(options: { processMetrics?: boolean } = {}): ServiceMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'stellar_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'stellar_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'stellar_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers,
    }),
    hookOutcomes: new Counter({
      name: 'stellar_hook_outcomes_total',
      help: 'Hook calls by outcome: cards, no-card, suppressed, budget-exceeded, fhir-error, precondition-failed',
      labelNames: ['outcome'],
      registers,
    }),
    classifications: new Counter({
      name: 'stellar_screening_classifications_total',
      help: 'Screening results by classification',
      labelNames: ['classification'],
      registers,
    }),
    cardsIssued: new Counter({
      name: 'stellar_cards_issued_total',
      help: 'Cards returned, by classification',
      labelNames: ['classification'],
      registers,
    }),
    fhirFetchErrors: new Counter({
      name: 'stellar_fhir_fetch_errors_total',
      help: 'FHIR queries that failed, by problem',
      labelNames: ['problem'],
      registers,
    }),
    feedback: new Counter({
      name: 'stellar_feedback_total',
      help: 'Feedback items by outcome (duplicates included)',
      labelNames: ['outcome'],
      registers,
    }),
  };
}
