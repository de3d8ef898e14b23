import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { ErrorObject } from 'ajv';

/**
 * What every configuration loader shares (service definition, server config, trusted issuers):
 * one error type, one way to read a JSON file and to word a schema error, one deep freeze.
 */

/** A configuration file that is missing or wrong; the message names the file and the field. */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** Ajv errors as one line: JSON pointer and message of each. */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const where = e.instancePath === '' ? '(top level)' : e.instancePath;
      const extra =
        e.keyword === 'additionalProperties'
          ? ` "${String((e.params as { additionalProperty: string }).additionalProperty)}"`
          : '';
      return `${where} ${e.message ?? 'is invalid'}${extra}`;
    })
    .join('; ');
}

/** Reads and parses a JSON file; a {@link ConfigError} names the file when it cannot. */
export function readJsonFile(file: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`${shown}: cannot read the file`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`${shown}: not valid JSON (${(cause as Error).message})`, { cause });
  }
}

/** A path as a person at this shell would type it. */
export function shownPath(file: string): string {
  return relative(process.cwd(), file) || file;
}

/** Freezes a loaded configuration all the way down: read once, never changed. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
