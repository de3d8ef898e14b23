import type {
  AllergyIntolerance,
  Condition,
  Device,
  DeviceUseStatement,
  FhirResource,
  Observation,
  Patient,
  Procedure,
} from 'fhir/r4';

/** One patient's resources by type: only the types the screen reads. */
export type ByType = {
  Patient: Patient[];
  Observation: Observation[];
  Condition: Condition[];
  Procedure: Procedure[];
  DeviceUseStatement: DeviceUseStatement[];
  Device: Device[];
  AllergyIntolerance: AllergyIntolerance[];
};

/** Sorts resources by type, ignoring malformed entries and counting each resource once. */
export function sortByType(resources: readonly unknown[]): ByType {
  const out: ByType = {
    Patient: [],
    Observation: [],
    Condition: [],
    Procedure: [],
    DeviceUseStatement: [],
    Device: [],
    AllergyIntolerance: [],
  };
  // The same resource may arrive twice (prefetch and a live search, a Bundle that repeats an
  // entry): counting it twice would count one failed SBT as two. Keep the latest version.
  const seen = new Map<string, Map<string, number>>(); // type -> id -> index in its list
  for (const r of resources) {
    if (!r || typeof r !== 'object') continue;
    const type = (r as FhirResource).resourceType;
    if (typeof type !== 'string' || !Object.hasOwn(out, type)) continue;
    const list = out[type as keyof ByType] as FhirResource[];
    const id = (r as { id?: unknown }).id;
    if (typeof id !== 'string') {
      list.push(r as FhirResource);
      continue;
    }
    let ids = seen.get(type);
    if (!ids) seen.set(type, (ids = new Map()));
    const earlier = ids.get(id);
    if (earlier === undefined) {
      ids.set(id, list.length);
      list.push(r as FhirResource);
    } else if (versionOf(r as FhirResource) > versionOf(list[earlier] as FhirResource)) {
      list[earlier] = r as FhirResource;
    }
  }
  return out;
}

/** A sortable version stamp: meta.lastUpdated, else meta.versionId, else "". */
function versionOf(r: FhirResource): string {
  const meta = r.meta && typeof r.meta === 'object' ? r.meta : {};
  if (typeof meta.lastUpdated === 'string') return meta.lastUpdated;
  return typeof meta.versionId === 'string' ? meta.versionId.padStart(12, '0') : '';
}
