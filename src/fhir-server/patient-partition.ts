import { convertToSearchableReferences } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { evaluateSearchParameter, searchParameterOf } from './fhir-definitions';

/** Key of the partition that holds resources belonging to no single patient. */
export const SHARED_PARTITION = '';

/**
 * The search parameters whose `Patient/<id>` values decide a resource's partition, and which
 * route a search to partitions. Routing is only correct if it uses a subset of these.
 */
export const PATIENT_ROUTING_PARAMS = ['patient', 'subject'] as const;

const PATIENT_REFERENCE = /^Patient\/([A-Za-z0-9\-.]{1,64})$/;

/** The patient id of a `Patient/<id>` reference string, else undefined. */
export function patientIdOfReference(reference: string): string | undefined {
  return PATIENT_REFERENCE.exec(reference)?.[1];
}

/**
 * The partition a resource belongs in: a Patient's own id; for any other resource, the one
 * patient its `patient` and `subject` search parameters point at (evaluated exactly as medplum's
 * matcher evaluates them); the shared partition when they point at no patient or at several.
 *
 * Why this keeps search results the same: a search filtered on `patient` or `subject` with
 * values `Patient/a,Patient/b` can only match resources whose parameter values include one of
 * them. Such a resource is in partition `a`, `b`, or (when it names several patients) shared.
 * Searching those partitions is therefore the same as searching all of them.
 */
export function partitionKeyOf(resource: Resource): string {
  if (resource.resourceType === 'Patient') return resource.id ?? SHARED_PARTITION;
  const ids = new Set<string>();
  for (const code of PATIENT_ROUTING_PARAMS) {
    const param = searchParameterOf(resource.resourceType, code);
    if (!param || param.type !== 'reference') continue;
    for (const reference of convertToSearchableReferences(
      evaluateSearchParameter(param, resource),
    )) {
      const id = patientIdOfReference(reference);
      if (id) ids.add(id);
    }
  }
  const [only] = ids;
  return ids.size === 1 && only !== undefined ? only : SHARED_PARTITION;
}
