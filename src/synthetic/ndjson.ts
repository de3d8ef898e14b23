import type { Bundle } from 'fhir/r4';

/**
 * Flattens Bundles into NDJSON text per resource type, as a FHIR Bulk Data `$export` writes it:
 * one resource per line, in Bundle order, each line ending with a newline.
 * @returns resourceType -> NDJSON text, types in order of first appearance
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#file-format
 */
export function bundleToNdjson(bundles: Bundle[]): Map<string, string> {
  const lines = new Map<string, string[]>();
  for (const bundle of bundles) {
    for (const entry of bundle.entry ?? []) {
      const resource = entry.resource;
      if (!resource) continue;
      let list = lines.get(resource.resourceType);
      if (!list) {
        list = [];
        lines.set(resource.resourceType, list);
      }
      list.push(JSON.stringify(resource));
    }
  }
  const out = new Map<string, string>();
  for (const [type, list] of lines) out.set(type, `${list.join('\n')}\n`);
  return out;
}
