import { getStatus, isOperationOutcome, OperationOutcomeError } from '@medplum/core';
import type { FhirResponse } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { ErrorRequestHandler, Request, Response } from 'express';
import { operationOutcome, ServiceError } from '../errors/service-error';

/** The media type of every answer. */
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** The absolute FHIR base URL a request came in on (`http://127.0.0.1:8080/fhir`). */
export function requestBase(req: Request, publicBaseUrl: string | undefined): string {
  if (publicBaseUrl) return publicBaseUrl.replace(/\/+$/, '');
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
}

/** Sends a FHIR JSON body with a status. */
export function sendFhir(res: Response, status: number, body: unknown): void {
  res.status(status).set('Content-Type', FHIR_JSON).send(JSON.stringify(body));
}

/** Sends an error OperationOutcome (`ServiceError` carries the status and issue code). */
export function sendError(res: Response, error: ServiceError): void {
  sendFhir(res, error.status, operationOutcome(error.message, error.issueCode));
}

/**
 * Sends what medplum's router answered: the resource with the outcome's status (searchset
 * Bundles with absolute `fullUrl`s and links), or the OperationOutcome alone on an error.
 */
export function sendFhirResponse(res: Response, response: FhirResponse, base: string): void {
  const [outcome, resource] = response;
  const status = getStatus(outcome);
  if (!resource || status >= 400) {
    sendFhir(res, status, withoutSentinelId(outcome));
    return;
  }
  if (resource.resourceType === 'Bundle' && resource.type === 'searchset') {
    sendFhir(res, status, absoluteSearchset(resource, base));
    return;
  }
  const versionId = resource.meta?.versionId;
  if (versionId) res.set('ETag', `W/"${versionId}"`);
  const lastUpdated = resource.meta?.lastUpdated;
  if (lastUpdated) res.set('Last-Modified', new Date(lastUpdated).toUTCString());
  if (status === 201 && resource.id) {
    const history = versionId ? `/_history/${versionId}` : '';
    res.set('Location', `${base}/${resource.resourceType}/${resource.id}${history}`);
  }
  sendFhir(res, status, resource);
}

/** Medplum marks its stock outcomes with ids (`not-found`, `ok`) that mean nothing to clients. */
function withoutSentinelId(outcome: OperationOutcome): OperationOutcome {
  const { id: _id, ...rest } = outcome;
  return rest;
}

function absoluteSearchset(bundle: Bundle, base: string): Bundle {
  return {
    ...bundle,
    link: bundle.link?.map((link) => ({ ...link, url: `${base}/${link.url}` })),
    entry: bundle.entry?.map((entry) => {
      const resource = entry.resource as Resource | undefined;
      return resource?.id
        ? { fullUrl: `${base}/${resource.resourceType}/${resource.id}`, ...entry }
        : entry;
    }),
  };
}

/**
 * The one error handler: every error becomes an OperationOutcome with a status, never a stack
 * trace. Client errors keep their message; anything unexpected is reported to `onError` and
 * answered `500 Internal server error`.
 */
export function fhirErrorHandler(onError: (error: unknown) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof ServiceError) {
      if (err.status >= 500) onError(err);
      sendError(res, err);
    } else if (err instanceof OperationOutcomeError || isOperationOutcome(err)) {
      const outcome = err instanceof OperationOutcomeError ? err.outcome : err;
      const status = getStatus(outcome);
      if (status >= 500) onError(err);
      sendFhir(res, status, withoutSentinelId(outcome));
    } else if (isClientHttpError(err)) {
      sendError(res, new ServiceError(err.status, bodyErrorMessage(err), { cause: err }));
    } else {
      onError(err);
      sendError(res, new ServiceError(500, 'Internal server error', { cause: err }));
    }
  };
}

interface HttpError {
  status: number;
  type?: string;
  message: string;
}

/** A 4xx error from express or body-parser (`http-errors`). */
function isClientHttpError(err: unknown): err is HttpError {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function bodyErrorMessage(err: HttpError): string {
  if (err.type === 'entity.parse.failed') return `The request body is not valid JSON`;
  if (err.type === 'entity.too.large') return 'The request body is too large';
  return err.message;
}
