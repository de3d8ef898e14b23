import type { BundleEntry, FhirResource } from 'fhir/r4';

/** Resources of one patient, gathered from a multi-patient Bundle. */
export interface PatientResources {
  patientId: string;
  resources: FhirResource[];
}

/** Where a resource points at its patient (R4 uses `subject` or `patient`). */
export function patientReference(resource: FhirResource): string | undefined {
  const r = resource as { subject?: { reference?: unknown }; patient?: { reference?: unknown } };
  const ref = r.subject?.reference ?? r.patient?.reference;
  return typeof ref === 'string' ? ref : undefined;
}

/**
 * The relative form (`Patient/1`) of an absolute Patient reference
 * (`https://ehr/fhir/Patient/1`); any other reference is returned as given.
 */
export function relativePatientReference(reference: string): string {
  return reference.replace(/^.*\/(Patient\/[^/]+)$/, '$1');
}

/**
 * True for a Device that names no patient: it belongs to whoever's DeviceUseStatement uses it,
 * not to a patient of its own.
 */
export function isPlacedWithItsUse(resource: FhirResource): boolean {
  return resource.resourceType === 'Device' && patientReference(resource) === undefined;
}

/** The Device a DeviceUseStatement points at, as written; undefined for other resources. */
export function usedDeviceReference(resource: FhirResource): string | undefined {
  const ref =
    resource.resourceType === 'DeviceUseStatement' ? resource.device?.reference : undefined;
  return typeof ref === 'string' ? ref : undefined;
}

/**
 * Splits Bundle entries into one group per Patient, in the order the Patients appear. References
 * may be relative (`Patient/1`), absolute (`https://ehr/fhir/Patient/1`) or a Patient entry's
 * `fullUrl` (`urn:uuid:...`). Resources whose patient is not in the Bundle are left out and
 * counted, so a caller can report them.
 */
export function groupResourcesByPatient(entries: readonly BundleEntry[]): {
  patients: PatientResources[];
  unassigned: number;
} {
  const groups = new Map<string, PatientResources>();
  const alias = new Map<string, string>();
  for (const entry of entries) {
    const r = entry?.resource;
    if (r?.resourceType !== 'Patient' || typeof r.id !== 'string') continue;
    if (!groups.has(r.id)) groups.set(r.id, { patientId: r.id, resources: [r] });
    alias.set(`Patient/${r.id}`, r.id);
    if (typeof entry.fullUrl === 'string') alias.set(entry.fullUrl, r.id);
  }
  // Devices usually point at no patient: they belong to whoever's DeviceUseStatement uses them.
  const devices = new Map<string, FhirResource>();
  for (const entry of entries) {
    const r = entry?.resource;
    if (r?.resourceType !== 'Device' || typeof r.id !== 'string') continue;
    devices.set(`Device/${r.id}`, r);
    if (typeof entry.fullUrl === 'string') devices.set(entry.fullUrl, r);
  }
  const attached = new Set<FhirResource>();
  let unassigned = 0;
  for (const entry of entries) {
    const r = entry?.resource;
    if (!r || typeof r !== 'object' || r.resourceType === 'Patient') continue;
    if (isPlacedWithItsUse(r)) continue;
    const ref = patientReference(r);
    const id =
      ref === undefined ? undefined : (alias.get(ref) ?? alias.get(relativePatientReference(ref)));
    const group = id === undefined ? undefined : groups.get(id);
    if (!group) {
      unassigned++;
      continue;
    }
    group.resources.push(r);
    const deviceRef = usedDeviceReference(r);
    const device = deviceRef === undefined ? undefined : devices.get(deviceRef);
    if (device && !attached.has(device) && isPlacedWithItsUse(device)) {
      group.resources.push(device);
      attached.add(device);
    }
  }
  return { patients: [...groups.values()], unassigned };
}
