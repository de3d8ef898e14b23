import { badRequest, OperationOutcomeError } from '@medplum/core';
import { isKnownResourceType, searchParameterOf } from './fhir-definitions';

/** Modifiers accepted per search parameter type (reference also takes a resource type). */
const MODIFIERS: Readonly<Record<string, readonly string[]>> = {
  token: ['not', 'missing'],
  reference: ['missing'],
  string: ['contains', 'missing'],
  uri: ['missing'],
  date: ['missing'],
};

/**
 * Turns the parameters of a type search, as the client sent them, into the query medplum
 * parses, doing what a real server does that medplum's parser does not:
 *
 * - a bare id on a reference parameter (`patient=123`, `subject=123`) means `Patient/123`, or
 *   any of the parameter's target types when it has several; `subject:Patient=123` likewise.
 *   Medplum compares the reference text, so `patient=123` would match nothing.
 * - a modifier medplum would read as plain equality (`code:in`, `name:exact`, `code:foo`) is
 *   rejected with 400 instead of answering something else than what was asked.
 * - a date whose `+` offset arrived unencoded (and so decoded as a space) gets its `+` back.
 *
 * Parameters this server does not know are passed on; the repository rejects them by name.
 * @throws OperationOutcomeError (400) on a modifier this server does not support
 */
export function prepareSearchQuery(
  resourceType: string,
  params: Iterable<readonly [string, string]>,
): Record<string, string[]> {
  const query: Record<string, string[]> = {};
  for (const [rawKey, rawValue] of params) {
    const [key, value] = prepareParam(resourceType, rawKey, rawValue);
    (query[key] ??= []).push(value);
  }
  return query;
}

function prepareParam(resourceType: string, key: string, value: string): [string, string] {
  const colon = key.indexOf(':');
  const code = colon < 0 ? key : key.slice(0, colon);
  const modifier = colon < 0 ? '' : key.slice(colon + 1);
  const param = code.includes('.') ? undefined : searchParameterOf(resourceType, code);
  if (!param?.type) return [key, value];
  if (param.type === 'reference' && modifier && isKnownResourceType(modifier)) {
    return [code, qualifyBareIds(value, [modifier])];
  }
  if (modifier && !MODIFIERS[param.type]?.includes(modifier)) {
    throw new OperationOutcomeError(
      badRequest(`Modifier ":${modifier}" is not supported on search parameter "${code}"`),
    );
  }
  if (modifier === 'missing') return [key, value];
  if (param.type === 'reference') return [key, qualifyBareIds(value, param.target ?? [])];
  if (param.type === 'date') return [key, value.replaceAll(' ', '+')];
  return [key, value];
}

/** `123` -> `Patient/123` (one target) or `Group/123,Patient/123` (several); others unchanged. */
function qualifyBareIds(value: string, targets: readonly string[]): string {
  if (targets.length === 0) return value;
  return value
    .split(',')
    .map((v) => (/^[A-Za-z0-9\-.]{1,64}$/.test(v) ? targets.map((t) => `${t}/${v}`).join(',') : v))
    .join(',');
}
