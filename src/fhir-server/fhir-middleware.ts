import type { Request, RequestHandler } from 'express';
import { ServiceError } from '../errors/service-error';
import { isKnownResourceType } from './fhir-definitions';
import { sendError } from './fhir-http';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * CORS for browser clients (the SMART app reads the FHIR server from another origin). Any
 * origin may call: access is by bearer token, never by cookie.
 */
export const allowCrossOrigin: RequestHandler = (req, res, next) => {
  res.set('Access-Control-Allow-Origin', '*');
  res.set('Access-Control-Expose-Headers', 'Location, ETag, Last-Modified');
  if (req.method === 'OPTIONS') {
    res.set('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
    res.set(
      'Access-Control-Allow-Headers',
      req.get('Access-Control-Request-Headers') ?? 'Authorization, Content-Type, Accept',
    );
    res.set('Access-Control-Max-Age', '600');
    res.status(204).end();
    return;
  }
  next();
};

/** Answers `401` with an OperationOutcome when `authorize` says no. */
export function checkAuthorization(
  authorize: (req: Request) => boolean | Promise<boolean>,
): RequestHandler {
  return async (req, res, next) => {
    if (await authorize(req)) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Bearer realm="fhir", error="invalid_token"');
    sendError(res, new ServiceError(401, 'The access token is missing, invalid or expired'));
  };
}

/**
 * The resource type in the path, checked against R4's.
 * @throws ServiceError 404 (not-supported) for anything else
 */
export function knownType(req: Request): string {
  const type = String(req.params.type);
  if (!isKnownResourceType(type)) {
    throw new ServiceError(404, `"${type}" is not a FHIR R4 resource type`, {
      issueCode: 'not-supported',
    });
  }
  return type;
}

/**
 * A logical id (or version id) in the path.
 * @throws ServiceError 400 when it is not 1-64 letters, digits, "-" or "."
 */
export function knownId(req: Request, name = 'id'): string {
  const id = String(req.params[name]);
  if (!ID.test(id)) {
    throw new ServiceError(
      400,
      `"${id}" is not a valid FHIR ${name === 'vid' ? 'version id' : 'id'}`,
    );
  }
  return id;
}

/** The parameters of an `application/x-www-form-urlencoded` body (POST `_search`). */
export function formParams(body: unknown): [string, string][] {
  if (!body || typeof body !== 'object') return [];
  return Object.entries(body as Record<string, unknown>).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((v): [string, string] => [key, String(v)]),
  );
}
