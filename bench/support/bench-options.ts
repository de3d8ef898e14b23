/** Options every suite may read; each suite picks its own defaults for what is not given. */
export interface BenchOptions {
  /** Seconds, not minutes: small sizes, short runs (CI smoke test). */
  quick: boolean;
  /** Observation counts (each suite has its own default list). */
  sizes?: number[];
  /** Repetitions of in-process measurements (engine). */
  runs?: number;
  /** Seconds of load per endpoint and size (service). */
  durationSeconds?: number;
  /** Concurrent connections of the load runs. */
  connections: number;
  /** Census sizes of the screen suite (`--screen-patients` and friends). */
  screen?: {
    ndjsonPatients?: number;
    ndjsonObservations?: number;
    fhirPatients?: number;
    fhirObservations?: number;
  };
}

/** What a suite hands back: its JSON (written to bench/results/<name>.json) and its report. */
export interface SuiteResult {
  name: string;
  json: unknown;
  report: string;
}
