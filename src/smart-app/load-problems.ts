import type { FhirFetchProblem } from '../fhir/fhir-search-client';
import type { GatherProblem } from '../fhir/gather-patient-data';

/** What went wrong while opening the worksheet, in words a clinician can act on. */
export interface LoadProblem {
  kind:
    | 'not-launched'
    | 'launch-failed'
    | 'session-expired'
    | 'access-denied'
    | 'fhir-unreachable'
    | 'fhir-error'
    | 'no-patient'
    | 'app-unavailable';
  title: string;
  message: string;
  /** What the user can do about it: retry the same page, or launch again from the chart. */
  action: 'retry' | 'relaunch';
}

const EXPIRED: LoadProblem = {
  kind: 'session-expired',
  title: 'Your session has expired',
  message:
    'The EHR sign-in that opened this worksheet is no longer valid (the access token expired ' +
    'or was revoked). Open the worksheet again from the patient’s chart.',
  action: 'relaunch',
};

/** A problem found before any data was read: no launch state, or the launch was refused. */
export function launchProblem(error: unknown): LoadProblem {
  const message = error instanceof Error ? error.message : String(error);
  if (
    /no '?state'? (parameter )?found|no state|state.*not found|please \(re\)launch/i.test(message)
  ) {
    return {
      kind: 'not-launched',
      title: 'Open the worksheet from the EHR',
      message:
        'This page needs a SMART launch: open it from a patient’s chart (the STELLAR card or the ' +
        'app menu), or start a standalone launch from the launch page.',
      action: 'relaunch',
    };
  }
  if (/expired/i.test(message)) return EXPIRED;
  return {
    kind: 'launch-failed',
    title: 'The EHR did not complete the sign-in',
    message: `The authorization server refused or did not finish the launch (${message.slice(0, 200)}). Open the worksheet again from the patient’s chart.`,
    action: 'relaunch',
  };
}

/**
 * The problem behind a set of failed FHIR queries, or undefined when every query failed for a
 * different reason each and the screen can still run on what came back (see
 * {@link partialDataWarning}).
 */
export function fetchProblem(
  failures: readonly { key: string; problem: GatherProblem }[],
  queryCount: number,
  fhirHost: string,
): LoadProblem | undefined {
  const problems = new Set(failures.map((f) => f.problem));
  if (problems.has('unauthorized')) return EXPIRED;
  if (problems.has('forbidden')) {
    return {
      kind: 'access-denied',
      title: 'The EHR did not grant access to this record',
      message:
        'The FHIR server refused to share some of the data the screen reads. Ask your EHR team to ' +
        'grant the STELLAR worksheet read access to the patient’s observations, conditions and ' +
        'procedures.',
      action: 'relaunch',
    };
  }
  const all = failures.length >= queryCount;
  if (all && (problems.has('unreachable') || problems.has('aborted'))) {
    return {
      kind: 'fhir-unreachable',
      title: 'The FHIR server could not be reached',
      message: `No answer from ${fhirHost}. Check the network connection, then try again.`,
      action: 'retry',
    };
  }
  if (all) {
    return {
      kind: 'fhir-error',
      title: 'The FHIR server could not answer',
      message: `${fhirHost} answered every request for the record with an error. Try again; if it persists, tell your EHR team.`,
      action: 'retry',
    };
  }
  return undefined;
}

const PROBLEM_WORDS: Readonly<
  Record<FhirFetchProblem | 'no-fhir-server' | 'unexpected-resource', string>
> = {
  unauthorized: 'not authorised',
  forbidden: 'refused',
  'not-found': 'not found',
  'server-error': 'server error',
  'bad-response': 'malformed answer',
  unreachable: 'no answer',
  'paging-loop': 'paging loop',
  'paging-off-server': 'paging left the server',
  'too-many-pages': 'too many pages',
  aborted: 'timed out',
  'no-fhir-server': 'no FHIR server',
  'unexpected-resource': 'unexpected answer',
};

/** One sentence naming the data that could not be read, when only some of it failed. */
export function partialDataWarning(
  failures: readonly { key: string; problem: GatherProblem }[],
): string | undefined {
  if (failures.length === 0) return undefined;
  const parts = failures.map((f) => `${f.key} (${PROBLEM_WORDS[f.problem]})`);
  return (
    `Some of the record could not be read: ${parts.join(', ')}. Criteria that depend on it ` +
    'show as unknown; try again before relying on them.'
  );
}
