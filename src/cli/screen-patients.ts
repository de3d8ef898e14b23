import { evaluatePatient, type PreparedScreening, type ScreeningResult } from '../engine';
import type { PatientSource, SourceReporter } from './sources/patient-source';

/** A patient the engine could not screen at all. */
export interface NotScreened {
  patient: string;
  problem: string;
}

export interface ScreenRun {
  results: ScreeningResult[];
  notScreened: NotScreened[];
}

export interface ScreenOptions {
  prepared: PreparedScreening;
  now: string;
  reporter: SourceReporter;
  signal: AbortSignal;
  /** Called with each result as soon as it exists (JSON lines stream out this way). */
  onResult?: (result: ScreeningResult) => void;
}

/**
 * Screens every patient a source yields, one at a time, so only one patient's record is held
 * while the results accumulate. A patient whose data could only partly be obtained is screened
 * with what there is (the missing types count as unavailable) and named on stderr; a patient the
 * engine cannot screen is named on stderr and skipped. Neither stops the run.
 */
export async function screenPatients(
  source: PatientSource,
  options: ScreenOptions,
): Promise<ScreenRun> {
  const { reporter, signal } = options;
  const run: ScreenRun = { results: [], notScreened: [] };
  for await (const record of source(reporter, signal)) {
    signal.throwIfAborted();
    if (record.problems.length > 0) {
      reporter.warn(
        `${record.patient}: ${record.problems.join('; ')}; screened with the data obtained`,
      );
    }
    let result: ScreeningResult;
    try {
      result = evaluatePatient(options.prepared, {
        resources: record.resources,
        now: options.now,
        availability: record.availability,
      });
    } catch (error) {
      // The engine is total by design; if it throws anyway, one patient must not stop the unit.
      // Only the error's kind is shown: its message might quote the record.
      const problem = `could not be screened (${(error as Error)?.name ?? 'error'} in the screening engine)`;
      reporter.warn(`${record.patient}: ${problem}`);
      run.notScreened.push({ patient: record.patient, problem });
      continue;
    }
    // Without its Patient resource the engine cannot name the patient; the source can.
    if (result.patient === 'Patient/(none)') result = { ...result, patient: record.patient };
    run.results.push(result);
    options.onResult?.(result);
  }
  return run;
}
