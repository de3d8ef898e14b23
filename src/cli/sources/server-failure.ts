import type { FhirFetchError } from '../../fhir/fhir-search-client';
import { InputError } from '../cli-errors';

/**
 * The one line a person reads when the FHIR server cannot be used at all: unreachable, refusing
 * the credentials, or failing `what` (the status or problem only: no URL with patient data, no
 * token).
 */
export function serverFailure(error: FhirFetchError, baseUrl: string, what: string): InputError {
  const status = error.status !== undefined ? `HTTP ${error.status}` : error.problem;
  if (error.problem === 'unauthorized' || error.problem === 'forbidden') {
    return new InputError(`the FHIR server at ${baseUrl} refused the credentials (${status})`, {
      cause: error,
    });
  }
  if (error.problem === 'unreachable' || error.problem === 'aborted') {
    return new InputError(`cannot reach the FHIR server at ${baseUrl} (${status})`, {
      cause: error,
    });
  }
  return new InputError(`${what} failed on ${baseUrl} (${error.problem}, ${status})`, {
    cause: error,
  });
}
