import type { Bundle, BundleEntry } from 'fhir/r4';
import { ALL_SEARCHED, groupResourcesByPatient } from '../../engine';
import { InputError } from '../cli-errors';
import type { PatientSource } from './patient-source';

/** A Bundle and the name messages call it by (a file name, "demo patient 3"). */
export interface NamedBundle {
  name: string;
  bundle: Bundle;
}

/**
 * Patients of FHIR Bundles, one Bundle at a time (each is read only when its turn comes).
 * Everything in a Bundle is the whole record: every type counts as searched.
 */
export function bundleSource(bundles: Iterable<() => Promise<NamedBundle>>): PatientSource {
  return async function* readBundles(reporter, signal) {
    for (const load of bundles) {
      signal.throwIfAborted();
      const { name, bundle } = await load();
      const { patients, unassigned } = groupResourcesByPatient(
        (bundle.entry ?? []) as BundleEntry[],
      );
      if (patients.length === 0)
        throw new InputError(`${name}: the Bundle has no Patient resource`);
      if (unassigned > 0) {
        reporter.warn(
          `${name}: ${unassigned} resource(s) not linked to a Patient in the Bundle were ignored`,
        );
      }
      for (const p of patients) {
        yield {
          patient: `Patient/${p.patientId}`,
          resources: p.resources,
          availability: ALL_SEARCHED,
          problems: [],
        };
      }
    }
  };
}
