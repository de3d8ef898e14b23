import { Operator, splitSearchOnComma, type Filter, type SearchRequest } from '@medplum/core';
import { searchParameterOf } from './fhir-definitions';
import { patientIdOfReference, PATIENT_ROUTING_PARAMS } from './patient-partition';

const isRoutingParam = (code: string): boolean =>
  PATIENT_ROUTING_PARAMS.some((routing) => routing === code);

/**
 * The patients whose partitions (with the shared one) hold every possible match of a search, or
 * undefined when the search must look everywhere: the ids of the first `patient` or `subject`
 * filter whose values are all `Patient/<id>` (see `partitionKeyOf` for why that is enough).
 * Patient searches are not routed by `_id`: medplum compares tokens ignoring case, ids not.
 */
export function routedPatientIds(request: SearchRequest): string[] | undefined {
  for (const filter of request.filters ?? []) {
    if (filter.operator !== Operator.EQUALS || !isRoutingParam(filter.code)) continue;
    const values = splitSearchOnComma(filter.value);
    const ids = values.flatMap((value) => patientIdOfReference(value) ?? []);
    if (ids.length === values.length) return ids;
  }
  return undefined;
}

/**
 * The filters in the order medplum should try them: all must hold, so the order changes only the
 * work, never the result. Dates first (they reject most of a long stay), the patient filter last
 * (within a patient's partition it always holds).
 */
export function orderForMatching(request: SearchRequest): Filter[] {
  const rank = (filter: Filter): number => {
    if (isRoutingParam(filter.code)) return 3;
    const type = searchParameterOf(request.resourceType, filter.code)?.type;
    return type === 'date' ? 0 : type === 'reference' ? 2 : 1;
  };
  return (request.filters ?? [])
    .map((filter, i) => ({ filter, i, rank: rank(filter) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((f) => f.filter);
}
