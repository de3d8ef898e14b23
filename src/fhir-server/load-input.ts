import type { Bundle, FhirResource } from 'fhir/r4';
import { parseRestfulUrl } from './reference-rewrite';

/**
 * What `load()` accepts: FHIR R4 Bundles (collection, transaction, batch, searchset, ...; their
 * entries are stored, the Bundle itself is not), single resources, or arrays of either.
 */
export type LoadInput = Bundle | FhirResource | ReadonlyArray<Bundle | FhirResource>;

/** The resources of a load, each with an id, plus what their references need to resolve. */
export interface FlattenedLoad {
  resources: FhirResource[];
  /** `fullUrl` -> `Type/id`. */
  fullUrls: Map<string, string>;
  /** Bases of the RESTful `fullUrl`s (`https://synthetic.stellar.example/fhir`). */
  bases: Set<string>;
}

const TYPE_AND_ID = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/**
 * Copies the resources out of the input, keeping their ids; a resource without one takes the
 * id of a transaction's `request.url` (`PUT Patient/x`), else a new one from `newId`.
 * Searchset entries that only carry an OperationOutcome about the search are skipped.
 */
export function flattenLoadInput(input: LoadInput, newId: () => string): FlattenedLoad {
  const out: FlattenedLoad = { resources: [], fullUrls: new Map(), bases: new Set() };
  const items: ReadonlyArray<Bundle | FhirResource> = Array.isArray(input)
    ? input
    : [input as Bundle | FhirResource];
  for (const item of items) {
    if (item.resourceType !== 'Bundle') {
      add(out, item, undefined, undefined, newId);
      continue;
    }
    for (const entry of item.entry ?? []) {
      if (!entry.resource || entry.search?.mode === 'outcome') continue;
      add(out, entry.resource, entry.fullUrl, entry.request?.url, newId);
    }
  }
  return out;
}

function add(
  out: FlattenedLoad,
  original: FhirResource,
  fullUrl: string | undefined,
  requestUrl: string | undefined,
  newId: () => string,
): void {
  const resource = structuredClone(original);
  if (!resource.id) {
    const m = requestUrl ? TYPE_AND_ID.exec(requestUrl) : null;
    resource.id = m && m[1] === resource.resourceType ? (m[2] as string) : newId();
  }
  out.resources.push(resource);
  if (!fullUrl) return;
  out.fullUrls.set(fullUrl, `${resource.resourceType}/${resource.id}`);
  const parsed = parseRestfulUrl(fullUrl);
  if (parsed && parsed.typeAndId === `${resource.resourceType}/${resource.id}`) {
    out.bases.add(parsed.base);
  }
}
