import type { FhirResource } from 'fhir/r4';
import type { DataAvailability } from '../../engine';

/** One patient's record, as a source gathered it, ready for the engine. */
export interface PatientRecord {
  /** `Patient/<id>`: how the source knows the patient, even when the Patient itself is missing. */
  patient: string;
  resources: FhirResource[];
  availability: DataAvailability;
  /**
   * What could not be obtained for this patient, in a few words each (no patient data): the
   * patient is still screened, with the missing types `unavailable`.
   */
  problems: string[];
}

/** How far a long phase has come, for the progress bar. */
export interface ProgressUpdate {
  /** A few words: "reading export", "screening". */
  phase: string;
  done: number;
  total?: number;
  unit: 'bytes' | 'patients';
}

/**
 * Where a source reports what happens while it reads. Messages go to stderr, so they carry no
 * patient data beyond a patient reference and no tokens.
 */
export interface SourceReporter {
  warn(message: string): void;
  progress(update: ProgressUpdate): void;
}

/**
 * A source of patients: bundles, a Bulk Data export or a FHIR server. Yields one record at a
 * time so the caller screens it and lets it go; cleans up after itself when the caller stops
 * early or the signal aborts.
 */
export type PatientSource = (
  reporter: SourceReporter,
  signal: AbortSignal,
) => AsyncIterable<PatientRecord>;
