import type { BenchOptions, SuiteResult } from './support/bench-options';
import { benchScreen, type ScreenBenchOptions } from './screen-bench';
import { fixed, formatTable, whole } from './support/table';

/** `--suite screen`: the unit-wide `stellar-screen` command (see screen-bench.ts). */
export async function screenSuite(options: BenchOptions): Promise<SuiteResult> {
  const quick = options.quick;
  const given = options.screen ?? {};
  const o: ScreenBenchOptions = {
    ndjsonPatients: given.ndjsonPatients ?? (quick ? 20 : 1_000),
    ndjsonObservations: given.ndjsonObservations ?? (quick ? 300 : 2_000),
    fhirPatients: given.fhirPatients ?? (quick ? 5 : 50),
    fhirObservations: given.fhirObservations ?? 300,
  };
  const rows = await benchScreen(o);
  const table = formatTable(
    ['source', 'patients', 'obs/patient', 'input', 'seconds', 'patients/s', 'peak RSS MiB'],
    rows.map((r) => [
      r.source,
      whole(r.patients),
      whole(r.observationTarget),
      r.input,
      fixed(r.seconds, 1),
      fixed(r.patientsPerSecond, 1),
      fixed(r.peakRssMiB, 0),
    ]),
  );
  return {
    name: 'screen',
    json: { options: o, rows },
    report: `Unit-wide screen: stellar-screen in a child process (wall time, peak RSS)\n${table}`,
  };
}
