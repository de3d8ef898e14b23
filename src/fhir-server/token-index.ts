import {
  convertToSearchableTokens,
  Operator,
  splitSearchOnComma,
  type Filter,
} from '@medplum/core';
import type { Resource, SearchParameter } from '@medplum/fhirtypes';
import { evaluateSearchParameter } from './fhir-definitions';

/**
 * Resources of one type by the lower-cased values of one token search parameter: a cheap
 * pre-filter in front of medplum's matcher, never a replacement for it. The lookup returns a
 * superset of what medplum would match (see {@link tokenLookupKeys}); every candidate is then
 * matched by medplum as before.
 */
export type TokenIndex = Map<string, Set<Resource>>;

/** Builds the index of `param` over `resources` with the values medplum's matcher compares. */
export function buildTokenIndex(param: SearchParameter, resources: Iterable<Resource>): TokenIndex {
  const index: TokenIndex = new Map();
  for (const resource of resources) {
    for (const token of convertToSearchableTokens(evaluateSearchParameter(param, resource))) {
      if (!token.value) continue;
      const key = token.value.toLowerCase();
      let set = index.get(key);
      if (!set) index.set(key, (set = new Set()));
      set.add(resource);
    }
  }
  return index;
}

/**
 * The index keys under which every resource matching a token filter must sit, or undefined when
 * the filter cannot use the index. Mirrors medplum's `matchesTokenValue`: `system|code`, `|code`
 * and `code` all require a token whose value lower-cases to `code`; `system|` (any code in a
 * system) and `:not` are left to the full scan.
 */
export function tokenLookupKeys(filter: Filter): string[] | undefined {
  if (filter.operator !== Operator.EQUALS) return undefined;
  const keys: string[] = [];
  for (const value of splitSearchOnComma(filter.value)) {
    const code = value.includes('|') ? (value.split('|')[1] ?? '') : value;
    if (!code) return undefined;
    keys.push(code.toLowerCase());
  }
  return keys;
}

/** The union of the index entries under `keys`. */
export function lookUpTokens(index: TokenIndex, keys: readonly string[]): Set<Resource> {
  if (keys.length === 1) return index.get(keys[0] as string) ?? new Set();
  const union = new Set<Resource>();
  for (const key of keys) for (const resource of index.get(key) ?? []) union.add(resource);
  return union;
}
