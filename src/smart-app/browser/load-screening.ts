import type { ServiceDefinition } from '../../config/service-definition';
import { evaluatePatient, prepareScreening, type PreparedScreening } from '../../engine';
import type { ScreeningResult } from '../../engine/types';
import { buildDataPlan, type DataPlan } from '../../fhir/data-plan';
import { createFhirReader, type FhirReader } from '../../fhir/fhir-search-client';
import { gatherPatientData, type GatheredData } from '../../fhir/gather-patient-data';
import type { SmartSession } from './smart-session';

/** A screened record: the engine's result and what it was computed from. */
export interface LoadedScreening {
  definition: ServiceDefinition;
  prepared: PreparedScreening;
  plan: DataPlan;
  result: ScreeningResult;
  resources: unknown[];
  failures: GatheredData['failures'];
  requests: number;
  /** Evaluation time, ISO instant. */
  now: string;
}

/** Seconds the whole record may take before the app gives up and shows what failed. */
const BUDGET_MS = 30_000;

/** Wraps a reader so each finished query reports progress (a search's last page, or a read). */
function withProgress(reader: FhirReader, done: () => void): FhirReader {
  return {
    get requestCount() {
      return reader.requestCount;
    },
    async read(url, signal) {
      try {
        return await reader.read(url, signal);
      } finally {
        done();
      }
    },
    async *pages(start, signal) {
      try {
        yield* reader.pages(start, signal);
      } finally {
        done();
      }
    },
  };
}

/**
 * Reads the patient's record with the SMART token and screens it in the browser: the same data
 * plan (queries derived from the engine's data requirements), the same reader and gathering
 * code, and the same engine and service definition as the CDS service, so the worksheet and the
 * card cannot disagree about the same record at the same time.
 */
export async function loadScreening(
  session: SmartSession,
  definition: ServiceDefinition,
  onProgress: (done: number, total: number) => void,
): Promise<LoadedScreening> {
  const prepared = prepareScreening(definition.screening);
  const plan = buildDataPlan(definition);
  const total = plan.queries.length;
  let finished = 0;
  onProgress(0, total);
  const reader = withProgress(
    createFhirReader({
      serverUrl: session.fhirBase,
      accessToken: session.accessToken,
      maxPages: 200,
      maxResponseBytes: 64 * 1024 * 1024,
    }),
    () => onProgress(++finished, total),
  );
  const now = new Date().toISOString();
  const data = await gatherPatientData({
    plan,
    patientId: session.patientId,
    prefetch: undefined,
    reader,
    now: Date.parse(now),
    signal: AbortSignal.timeout(BUDGET_MS),
  });
  const result = evaluatePatient(prepared, {
    resources: data.resources,
    now,
    availability: data.availability,
  });
  return {
    definition,
    prepared,
    plan,
    result,
    resources: data.resources,
    failures: data.failures,
    requests: data.requests,
    now,
  };
}
