import { convertToSearchableDates, type SortRule } from '@medplum/core';
import type { Resource, SearchParameter } from '@medplum/fhirtypes';
import { evaluateSearchParameter, searchParameterOf } from './fhir-definitions';

type SortKey = string | undefined;

/**
 * Sorts search matches by `_sort` rules, first rule first, keeping the stored order on ties.
 *
 * Departs from medplum's MemoryRepository on purpose: it sorts once per rule (so the last rule
 * wins), evaluates FHIRPath inside the comparator (O(n log n) evaluations) and compares dates as
 * text, so `2024-01-01T10:00:00-06:00` sorts before `2024-01-01T12:00:00Z`. Here each key is
 * computed once; dates compare as instants (medplum's own UTC normalisation of search dates),
 * ascending by the earliest start and descending by the latest end, as FHIR asks; other types
 * compare medplum's way (the JSON of the values, by `localeCompare`). Resources without a value
 * sort last in both directions.
 */
export function sortResources<T extends Resource>(
  resources: readonly T[],
  resourceType: string,
  rules: readonly SortRule[],
): T[] {
  const params = rules.flatMap((rule) => {
    const param = searchParameterOf(resourceType, rule.code);
    return param ? [{ param, descending: rule.descending === true }] : [];
  });
  const keyed = resources.map((resource, position) => ({
    resource,
    position,
    keys: params.map(({ param, descending }) => sortKeyOf(param, resource, descending)),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < params.length; i++) {
      const rule = params[i];
      const order = rule ? compareKeys(a.keys[i], b.keys[i], rule.param, rule.descending) : 0;
      if (order !== 0) return order;
    }
    return a.position - b.position;
  });
  return keyed.map((k) => k.resource);
}

function sortKeyOf(param: SearchParameter, resource: Resource, descending: boolean): SortKey {
  const values = evaluateSearchParameter(param, resource);
  if (values.length === 0) return undefined;
  if (param.type === 'date') {
    let key: string | undefined;
    for (const period of convertToSearchableDates(values)) {
      const instant = descending ? (period.end ?? period.start) : (period.start ?? period.end);
      if (instant === undefined) continue;
      if (key === undefined || (descending ? instant > key : instant < key)) key = instant;
    }
    return key;
  }
  return JSON.stringify(values.map((v) => v.value));
}

function compareKeys(a: SortKey, b: SortKey, param: SearchParameter, descending: boolean): number {
  if (a === undefined || b === undefined) {
    if (a === b) return 0;
    return a === undefined ? 1 : -1;
  }
  // Search dates are fixed-width UTC instants (YYYY-MM-DDThh:mm:ss.sssZ): plain comparison.
  const order = param.type === 'date' ? (a < b ? -1 : a > b ? 1 : 0) : a.localeCompare(b);
  return descending ? -order : order;
}
