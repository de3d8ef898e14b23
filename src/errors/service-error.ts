import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';

/** FHIR `OperationOutcome.issue.code` values this service uses. */
type IssueCode = OperationOutcomeIssue['code'];

/**
 * The one error type of the service: an HTTP status, a message a person can act on, and the
 * FHIR issue code it maps to. Every layer outside the pure engine throws this; the HTTP error
 * handler turns it into an OperationOutcome (CDS Hooks 2.0 allows any 4xx/5xx; the next version
 * asks for an OperationOutcome body). The cause is chained, never shown to the client.
 */
export class ServiceError extends Error {
  readonly status: number;
  readonly issueCode: IssueCode;

  constructor(
    status: number,
    message: string,
    options: { issueCode?: IssueCode; cause?: unknown } = {},
  ) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'ServiceError';
    this.status = status;
    this.issueCode = options.issueCode ?? defaultIssueCode(status);
  }
}

function defaultIssueCode(status: number): IssueCode {
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 412) return 'incomplete';
  if (status === 413) return 'too-costly';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'exception';
  return 'invalid';
}

/** An OperationOutcome with one error issue: the body of every non-2xx answer. */
export function operationOutcome(
  message: string,
  issueCode: IssueCode = 'exception',
): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: issueCode, diagnostics: message }],
  };
}
