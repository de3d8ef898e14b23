import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { REQUIRED_VALUE_SETS } from '../engine/codes';
import type {
  CodeSystemAliases,
  CriteriaParameters,
  ScreeningConfig,
  ValueSetFile,
} from '../engine/config-types';
import {
  ConfigError,
  deepFreeze,
  describeSchemaErrors,
  readJsonFile,
  shownPath,
} from './config-file';
import { codeSystemsSchema, criteriaSchema, valueSetSchema } from './screening-config-schema';

/**
 * The service definition shipped with the product, found from this file upwards so it resolves
 * the same from `src/` (tests), `dist/` (the installed command) and `dist-bench/`.
 */
export const DEFAULT_SERVICE_DIR = findShippedServiceDir(__dirname);

function findShippedServiceDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'cds-services', 'stellar-screening');
    if (existsSync(join(candidate, 'criteria.json'))) return candidate;
    if (dirname(dir) === dir) return resolve(from, '..', '..', 'cds-services', 'stellar-screening');
  }
}

// strictRequired off: the oneOf branches of a value-set entry name properties declared above them.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const validateCriteria = ajv.compile<CriteriaParameters>(criteriaSchema);
const validateCodeSystems = ajv.compile<CodeSystemAliases>(codeSystemsSchema);
const validateValueSet = ajv.compile<ValueSetFile>(valueSetSchema);

function checked<T>(value: unknown, validate: ValidateFunction<T>, shown: string): T {
  if (!validate(value)) throw new ConfigError(`${shown}: ${describeSchemaErrors(validate.errors)}`);
  return value;
}

function checkRanges(criteria: CriteriaParameters, shown: string) {
  for (const [name, [lo, hi]] of Object.entries(criteria.plausibility)) {
    if (lo >= hi)
      throw new ConfigError(`${shown}: /plausibility/${name} must be [min, max] with min < max`);
  }
  if (criteria.age.min > criteria.age.max) {
    throw new ConfigError(`${shown}: /age/min must not exceed /age/max`);
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: criteria.timeZone });
  } catch (cause) {
    throw new ConfigError(`${shown}: /timeZone "${criteria.timeZone}" is not an IANA time zone`, {
      cause,
    });
  }
}

/**
 * Reads and validates a screening service definition: `criteria.json`, `code-systems.json` and
 * one file per value set in `value-sets/`. Fails fast with a {@link ConfigError} naming the file
 * and the field, so a site's edit that breaks the screen stops start-up instead of the screen.
 */
export function loadScreeningConfig(dir: string = DEFAULT_SERVICE_DIR): ScreeningConfig {
  const criteriaFile = join(dir, 'criteria.json');
  const criteria = checked(
    readJsonFile(criteriaFile, shownPath(criteriaFile)),
    validateCriteria,
    shownPath(criteriaFile),
  );
  checkRanges(criteria, shownPath(criteriaFile));

  const systemsFile = join(dir, 'code-systems.json');
  const codeSystems = checked(
    readJsonFile(systemsFile, shownPath(systemsFile)),
    validateCodeSystems,
    shownPath(systemsFile),
  );

  const valueSetDir = join(dir, 'value-sets');
  if (!existsSync(valueSetDir))
    throw new ConfigError(`${shownPath(valueSetDir)}: folder is missing`);
  const valueSets: Record<string, ValueSetFile> = {};
  for (const name of readdirSync(valueSetDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const file = join(valueSetDir, name);
    const vs = checked(readJsonFile(file, shownPath(file)), validateValueSet, shownPath(file));
    if (`${vs.id}.json` !== name) {
      throw new ConfigError(`${shownPath(file)}: /id "${vs.id}" must match the file name`);
    }
    for (const [i, entry] of [
      ...vs.include,
      ...(vs.exclude ?? []),
      ...(vs.reject ?? []),
    ].entries()) {
      if (!codeSystems[entry.system]) {
        throw new ConfigError(
          `${shownPath(file)}: entry ${i} uses code system "${entry.system}", which code-systems.json does not define`,
        );
      }
    }
    valueSets[vs.id] = vs;
  }
  const missing = REQUIRED_VALUE_SETS.filter((id) => !valueSets[id]);
  if (missing.length > 0) {
    throw new ConfigError(
      `${shownPath(valueSetDir)}: missing value set file(s) ${missing.map((m) => `${m}.json`).join(', ')}`,
    );
  }
  return deepFreeze({ criteria, codeSystems, valueSets });
}
