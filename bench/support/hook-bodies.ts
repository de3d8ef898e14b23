import type { Bundle } from 'fhir/r4';
import { loadServiceDefinition } from '../../src/config/service-definition';
import { buildDataPlan } from '../../src/fhir/data-plan';
import { generatePatient } from '../../src/synthetic';
import { prefetchFromRecord } from '../../src/synthetic/prefetch-from-record';

/** The evaluation time of every benchmark: the synthetic records are laid out up to it. */
export const BENCH_NOW = '2026-03-01T08:00:00Z';

/** The CDS service's path. */
export const SERVICE_PATH = '/cds-services/stellar-screening';

/** One synthetic patient and the patient-view request an EHR would send for it. */
export interface BenchPatient {
  observationTarget: number;
  patientId: string;
  bundle: Bundle;
  /** Observations in the whole record. */
  observations: number;
  /** Observation entries in the prefetch (the ones the rules read; one may be in two keys). */
  prefetchObservations: number;
  /** The request body with full prefetch, as sent. */
  body: Buffer;
}

/** A likely candidate with about `observationTarget` Observations, and its full-prefetch call. */
export function benchPatient(observationTarget: number, seed = 42): BenchPatient {
  const bundle = generatePatient({
    seed,
    scenario: 'likely-ards',
    now: BENCH_NOW,
    observationTarget,
  });
  const resources = (bundle.entry ?? []).map(
    (e) => e.resource as unknown as Record<string, unknown>,
  );
  const patientId = String(resources.find((r) => r.resourceType === 'Patient')?.id);
  const prefetch = prefetchFromRecord(resources, buildDataPlan(loadServiceDefinition()));
  const prefetchObservations = Object.values(prefetch)
    .map((v) => (v as { entry?: { resource: { resourceType: string } }[] } | null)?.entry ?? [])
    .flat()
    .filter((e) => e.resource.resourceType === 'Observation').length;
  const request = {
    hook: 'patient-view',
    hookInstance: '2f1b8a52-7c51-4a52-9b6e-0d1f4c3b2a10',
    context: { userId: 'Practitioner/bench', patientId },
    prefetch,
  };
  return {
    observationTarget,
    patientId,
    bundle,
    observations: resources.filter((r) => r.resourceType === 'Observation').length,
    prefetchObservations,
    body: Buffer.from(JSON.stringify(request)),
  };
}
