import type { Request } from 'express';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { parseResourceScopes } from '../smart-app/smart-scopes';

/** The claims of an access token the FHIR server accepted. */
export interface AccessClaims {
  scope: string;
  sub?: string;
  patient?: string;
  client_id?: string;
}

/** A FHIR request, reduced to what access control looks at. */
export interface FhirRequestFacts {
  method: string;
  /** Path under the FHIR base: `/Observation`, `/Patient/123`, `/ServiceRequest`. */
  path: string;
  search: URLSearchParams;
  /** Parsed JSON body of a create or update, when there is one. */
  body?: unknown;
}

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

const PATIENT_PARAMS = ['patient', 'subject'];

function refersTo(value: string, patient: string): boolean {
  return (
    value === patient || value === `Patient/${patient}` || value.endsWith(`/Patient/${patient}`)
  );
}

/** The patient a resource being written is about (subject or patient), if any. */
function subjectOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as { subject?: { reference?: unknown }; patient?: { reference?: unknown } };
  const ref = b.subject?.reference ?? b.patient?.reference;
  return typeof ref === 'string' ? ref : undefined;
}

/**
 * Whether an access token's scopes allow a FHIR request, SMART-style: the action's letter
 * (`r`ead, `s`earch, `c`reate, `u`pdate, `d`elete; v1 `read`/`write`) on the type or `*`, and for
 * `patient/` scopes only within the token's patient (searches must name that patient; a Patient
 * read must be that patient; a write must be about that patient). `user/` and `system/` scopes
 * reach every patient the user or system may see (here: all).
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */
export function checkFhirAccess(claims: AccessClaims, request: FhirRequestFacts): AccessDecision {
  const [, type, id, extra] = request.path.split('/');
  if (!type) return { allowed: false, reason: 'no resource type in the request' };
  const method = request.method.toUpperCase();
  if (extra === '_search' || id === '_search') {
    return { allowed: false, reason: 'POST _search is not open to SMART tokens here; use GET' };
  }
  const letter =
    method === 'GET' || method === 'HEAD'
      ? id === undefined
        ? 's'
        : 'r'
      : method === 'POST'
        ? 'c'
        : method === 'PUT' || method === 'PATCH'
          ? 'u'
          : method === 'DELETE'
            ? 'd'
            : '';
  if (letter === '') return { allowed: false, reason: `${method} is not allowed` };
  const scopes = parseResourceScopes(claims.scope).filter(
    (s) => (s.type === '*' || s.type === type) && s.permissions.includes(letter),
  );
  if (scopes.length === 0) {
    return { allowed: false, reason: `the token's scopes do not allow this on ${type}` };
  }
  if (scopes.some((s) => s.context !== 'patient')) return { allowed: true };
  const patient = claims.patient;
  if (!patient) return { allowed: false, reason: 'a patient scope without a patient in context' };
  if (type === 'Patient') {
    if (id !== undefined) {
      return id === patient ? { allowed: true } : { allowed: false, reason: 'another patient' };
    }
    const ids = request.search.getAll('_id');
    return ids.length > 0 && ids.every((v) => v.split(',').every((x) => x === patient))
      ? { allowed: true }
      : { allowed: false, reason: 'a patient-scoped search of Patient must name that patient' };
  }
  if (letter === 's') {
    const named = PATIENT_PARAMS.flatMap((p) => request.search.getAll(p));
    return named.length > 0 && named.every((v) => v.split(',').every((x) => refersTo(x, patient)))
      ? { allowed: true }
      : { allowed: false, reason: `a patient-scoped search must be for patient ${patient}` };
  }
  if (letter === 'c' || letter === 'u') {
    const subject = subjectOf(request.body);
    return subject !== undefined && refersTo(subject, patient)
      ? { allowed: true }
      : { allowed: false, reason: 'a patient-scoped write must be about that patient' };
  }
  // Reading or deleting another type by id would need the resource to check its compartment.
  return { allowed: false, reason: `reading ${type} by id is not open to patient-scoped tokens` };
}

/** Verifies access tokens of the demo's authorization server with the keys of its JWKS. */
export function createAccessTokenVerifier(options: {
  jwksUri: string;
  issuer: string;
  audience: string;
}): (token: string) => Promise<AccessClaims> {
  const keys = new JwksClient({
    jwksUri: options.jwksUri,
    cache: true,
    cacheMaxAge: 10 * 60_000,
    rateLimit: true,
    jwksRequestsPerMinute: 10,
    timeout: 5_000,
  });
  return (token) =>
    new Promise((resolve, reject) => {
      jwt.verify(
        token,
        (header, callback) => {
          keys.getSigningKey(header.kid).then(
            (key) => callback(null, key.getPublicKey()),
            (error: Error) => callback(error),
          );
        },
        { algorithms: ['RS256'], issuer: options.issuer, audience: options.audience },
        (error, payload) => {
          if (error || !payload || typeof payload === 'string') {
            reject(error ?? new Error('token without claims'));
            return;
          }
          const p = payload as JwtPayload & Record<string, unknown>;
          resolve({
            scope: typeof p.scope === 'string' ? p.scope : '',
            ...(typeof p.sub === 'string' ? { sub: p.sub } : {}),
            ...(typeof p.patient === 'string' ? { patient: p.patient } : {}),
            ...(typeof p.client_id === 'string' ? { client_id: p.client_id } : {}),
          });
        },
      );
    });
}

/** The bearer token of a request, if it has one. */
export function bearerToken(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  return m?.[1];
}
