import { badRequest, Operator, OperationOutcomeError, type SearchRequest } from '@medplum/core';
import { isKnownResourceType, searchParameterOf } from './fhir-definitions';

/**
 * Search parameter types medplum's matcher evaluates, each with the operators (prefixes and
 * modifiers after parsing) it evaluates correctly. Its matcher answers "no match" for every
 * number, quantity, composite and special parameter, and treats `:exact`, `:in`, `:below` and
 * the like as plain equality; a real server would not silently match nothing or too much, so
 * this one rejects them with 400.
 *
 * Departure kept on purpose: medplum matches `string` (and `uri`) parameters as a
 * case-insensitive "contains", where FHIR's default for strings is "starts with".
 */
export const SUPPORTED_OPERATORS: Readonly<Record<string, readonly string[]>> = {
  token: [Operator.EQUALS, Operator.NOT, Operator.MISSING],
  reference: [Operator.EQUALS, Operator.MISSING],
  string: [Operator.EQUALS, Operator.CONTAINS, Operator.MISSING],
  uri: [Operator.EQUALS, Operator.MISSING],
  date: [
    Operator.EQUALS,
    Operator.NOT_EQUALS,
    Operator.LESS_THAN,
    Operator.LESS_THAN_OR_EQUALS,
    Operator.GREATER_THAN,
    Operator.GREATER_THAN_OR_EQUALS,
    Operator.STARTS_AFTER,
    Operator.ENDS_BEFORE,
    Operator.APPROXIMATELY,
    Operator.MISSING,
  ],
};

/** Page sizes of searchset Bundles. */
export interface PagePolicy {
  /** Entries per page when the client sends no `_count`. */
  defaultPageSize: number;
  /** The largest page; a larger `_count` is lowered to it (the `self` link shows the size used). */
  maxPageSize: number;
}

/** A search request that passed {@link checkSearchRequest}, with its page fixed. */
export type CheckedSearchRequest = SearchRequest & { offset: number; count: number };

function reject(message: string): never {
  throw new OperationOutcomeError(badRequest(message));
}

/**
 * Rejects (400 OperationOutcome) what this server cannot answer correctly: unknown resource
 * types and parameters, parameter types and modifiers medplum's matcher does not evaluate,
 * chained and `_has` parameters, `_include`, `_revinclude` and `_cursor`; fixes the page.
 * @throws OperationOutcomeError (400) naming the parameter at fault
 */
export function checkSearchRequest(
  request: SearchRequest,
  policy: PagePolicy,
): CheckedSearchRequest {
  const { resourceType } = request;
  if (!isKnownResourceType(resourceType)) {
    reject(`Unknown resource type "${resourceType}"`);
  }
  if (request.include?.length || request.revInclude?.length) {
    reject('_include and _revinclude are not supported by this server');
  }
  if (request.cursor !== undefined) reject('_cursor is not supported: page with _offset');
  if (request.types?.length) reject('_type is only allowed in a search of all types');
  for (const filter of request.filters ?? []) {
    if (filter.code === '_has' || filter.code.includes('.')) {
      reject(`Chained and _has search parameters are not supported ("${filter.code}")`);
    }
    const param = searchParameterOf(resourceType, filter.code);
    if (!param) reject(`Unknown search parameter "${filter.code}" for ${resourceType}`);
    const operators = SUPPORTED_OPERATORS[param.type ?? ''];
    if (!operators) {
      reject(`Search parameter "${filter.code}" (${param.type}) is not supported by this server`);
    }
    if (!operators.includes(filter.operator)) {
      reject(`"${filter.operator}" is not supported on search parameter "${filter.code}"`);
    }
  }
  for (const rule of request.sortRules ?? []) {
    const param = searchParameterOf(resourceType, rule.code);
    if (!param || !SUPPORTED_OPERATORS[param.type ?? '']) {
      reject(`Cannot sort ${resourceType} by "${rule.code}"`);
    }
  }
  return {
    ...request,
    offset: pageOffset(request.offset),
    count: pageCount(request.count, policy),
  };
}

function pageOffset(offset: number | undefined): number {
  if (offset === undefined) return 0;
  if (!Number.isSafeInteger(offset) || offset < 0) reject('_offset must be a whole number >= 0');
  return offset;
}

function pageCount(count: number | undefined, policy: PagePolicy): number {
  if (count === undefined) return policy.defaultPageSize;
  if (!Number.isSafeInteger(count) || count < 0) reject('_count must be a whole number >= 0');
  return Math.min(count, policy.maxPageSize);
}
