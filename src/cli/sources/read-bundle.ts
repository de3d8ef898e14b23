import { readFile } from 'node:fs/promises';
import type { Bundle } from 'fhir/r4';
import { describeFileError, InputError } from '../cli-errors';

/**
 * Reads a FHIR Bundle from a JSON file. Says plainly what is wrong (missing file, not JSON, not a
 * Bundle) rather than failing later with a stack trace.
 */
export async function readBundleFile(path: string): Promise<Bundle> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new InputError(describeFileError(path, cause), { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    // Not the parser's message: it quotes the file's text, which may be patient data.
    throw new InputError(`${path}: not valid JSON`, { cause });
  }
  const type = (json as { resourceType?: unknown } | null)?.resourceType;
  if (!json || typeof json !== 'object' || type !== 'Bundle') {
    throw new InputError(
      `${path}: expected a FHIR Bundle, got ${typeof type === 'string' ? `a ${type}` : 'something else'}`,
    );
  }
  const bundle = json as Bundle;
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) {
    throw new InputError(`${path}: Bundle.entry must be an array`);
  }
  return bundle;
}
