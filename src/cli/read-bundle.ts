import { readFile } from 'node:fs/promises';
import type { Bundle } from 'fhir/r4';

/** A problem with the user's input: shown as one line on stderr, exit code 1, no stack. */
export class InputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
  }
}

/**
 * Reads a FHIR Bundle from a JSON file. Says plainly what is wrong (missing file, not JSON, not a
 * Bundle) rather than failing later with a stack trace.
 */
export async function readBundleFile(path: string): Promise<Bundle> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? 'error'})`,
      { cause },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new InputError(`${path}: not valid JSON (${(cause as Error).message})`, { cause });
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
