import { formatSearchQuery } from '@medplum/core';
import type { BundleLink } from '@medplum/fhirtypes';
import type { CheckedSearchRequest } from './search-request-check';

/**
 * `self`, `first`, `previous` and `next` links of a searchset page, relative to the FHIR base
 * (`Observation?code=...&_count=100&_offset=200`); the HTTP layer makes them absolute. Paging
 * is by `_offset`: a real server's cursor would survive writes between pages, this one shifts
 * if resources are added or removed meanwhile (as offset paging does everywhere).
 */
export function pagingLinks(request: CheckedSearchRequest, total: number): BundleLink[] {
  const { offset, count } = request;
  const at = (pageOffset: number): string => {
    const query = formatSearchQuery({
      resourceType: request.resourceType,
      ...(request.filters ? { filters: request.filters } : {}),
      ...(request.sortRules ? { sortRules: request.sortRules } : {}),
      ...(request.total ? { total: request.total } : {}),
      offset: pageOffset,
      count,
    });
    return `${request.resourceType}${query}`;
  };
  const links: BundleLink[] = [{ relation: 'self', url: at(offset) }];
  if (count > 0) {
    links.push({ relation: 'first', url: at(0) });
    if (offset > 0) links.push({ relation: 'previous', url: at(Math.max(0, offset - count)) });
    if (offset + count < total) links.push({ relation: 'next', url: at(offset + count) });
  }
  return links;
}
