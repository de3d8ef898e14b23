import type { BenchOptions, SuiteResult } from './support/bench-options';

/** `--suite live`: the live-fetch path against the FHIR engine (needs src/fhir-server). */
export function liveSuite(_options: BenchOptions): SuiteResult {
  return { name: 'live', json: { skipped: 'no FHIR server yet' }, report: 'Live fetch: skipped' };
}
