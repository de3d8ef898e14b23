import { isKnownResourceType } from './fhir-definitions';

/** What a reference rewrite needs to know about the server and the resources around it. */
export interface ReferenceContext {
  /** `fullUrl` -> `Type/id` of the resources loaded together (absolute URLs and `urn:uuid:`). */
  fullUrls: ReadonlyMap<string, string>;
  /** Base URLs that mean "this server" (`https://synthetic.stellar.example/fhir`). */
  localBases: ReadonlySet<string>;
}

const RESTFUL_URL =
  /^(https?:\/\/.+)\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** Splits an absolute RESTful URL into base, `Type/id` and version suffix, else undefined. */
export function parseRestfulUrl(
  url: string,
): { base: string; typeAndId: string; history: string } | undefined {
  const m = RESTFUL_URL.exec(url);
  if (!m || !isKnownResourceType(m[2] as string)) return undefined;
  return { base: m[1] as string, typeAndId: `${m[2]}/${m[3]}`, history: m[4] ?? '' };
}

/**
 * The relative form (`Patient/x`) of a reference to a resource on this server, else the
 * reference unchanged. FHIR resolves a `urn:uuid:` or absolute reference inside a Bundle through
 * the entries' `fullUrl`s; once the resources are stored apart, only the relative form still
 * finds them (medplum matches `patient=Patient/x` against the reference text, and reads
 * `https://.../Patient/x` as a reference to a resource of type `https:`). An absolute reference
 * is local when its base is one of this server's; any other points at another server and is
 * kept, even when a resource with the same type and id is stored here.
 */
export function localReference(reference: string, context: ReferenceContext): string {
  const mapped = context.fullUrls.get(reference);
  if (mapped) return mapped;
  const parsed = parseRestfulUrl(reference);
  if (!parsed) return reference;
  return context.localBases.has(parsed.base) ? `${parsed.typeAndId}${parsed.history}` : reference;
}

/**
 * Rewrites, in place, every `reference` string of a resource (its References, at any depth,
 * contained resources included) to its local form.
 */
export function rewriteReferences(value: unknown, context: ReferenceContext): void {
  if (Array.isArray(value)) {
    for (const item of value) rewriteReferences(item, context);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    if (key === 'reference' && typeof child === 'string') {
      record[key] = localReference(child, context);
    } else if (typeof child === 'object') {
      rewriteReferences(child, context);
    }
  }
}
