import Ajv, { type JSONSchemaType } from 'ajv';
import { describeSchemaErrors } from '../config/config-file';
import { ServiceError } from '../errors/service-error';
import type { CdsHookRequest, FhirAuthorization, PatientContext } from './cds-hooks-types';

/** Optional members as a client may send them: absent, or null. */
type Nullable<T> = { [K in keyof T]: undefined extends T[K] ? T[K] | null : T[K] };

/** A hook request that passed validation, with the patient context pulled out. */
export interface ValidatedHookRequest {
  hook: string;
  hookInstance: string;
  patientId: string;
  userId?: string;
  encounterId?: string;
  fhirServer?: string;
  fhirAuthorization?: FhirAuthorization;
  prefetch?: Record<string, unknown>;
}

/** FHIR `id`: 1-64 of letters, digits, `-` and `.`. */
const FHIR_ID = '^[A-Za-z0-9.-]{1,64}$';

const requestSchema = {
  type: 'object',
  properties: {
    hook: { type: 'string', minLength: 1, maxLength: 200 },
    hookInstance: { type: 'string', minLength: 1, maxLength: 200 },
    fhirServer: { type: 'string', pattern: '^https?://', maxLength: 2000, nullable: true },
    fhirAuthorization: {
      type: 'object',
      properties: {
        access_token: { type: 'string', minLength: 1, maxLength: 16384 },
        token_type: { type: 'string', pattern: '^[Bb]earer$' },
        expires_in: { type: 'number', nullable: true },
        scope: { type: 'string', nullable: true },
        subject: { type: 'string', nullable: true },
        patient: { type: 'string', nullable: true },
      },
      required: ['access_token', 'token_type'],
      nullable: true,
    },
    context: {
      type: 'object',
      properties: {
        patientId: { type: 'string', pattern: FHIR_ID },
        userId: { type: 'string', maxLength: 200, nullable: true },
        encounterId: { type: 'string', pattern: FHIR_ID, nullable: true },
      },
      required: ['patientId'],
    },
    prefetch: { type: 'object', nullable: true },
  },
  required: ['hook', 'hookInstance', 'context'],
} as unknown as JSONSchemaType<CdsHookRequest>;

const validate = new Ajv({ allErrors: true, strict: false }).compile(requestSchema);

/**
 * Checks a hook call against CDS Hooks 2.0 and what this service needs (a patient in context),
 * answering 400 with a message an integrator can act on.
 * @see https://cds-hooks.hl7.org/2.0/#http-request-1
 */
export function validateHookRequest(
  body: unknown,
  supportedHooks: readonly string[],
): ValidatedHookRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ServiceError(400, 'The request body must be a JSON object (a CDS Hooks request)');
  }
  if (!validate(body)) {
    throw new ServiceError(
      400,
      `Invalid CDS Hooks request: ${describeSchemaErrors(validate.errors)}`,
    );
  }
  const request = body as CdsHookRequest;
  if (!supportedHooks.includes(request.hook)) {
    throw new ServiceError(
      400,
      `This service answers the ${supportedHooks.join(' and ')} hooks, not "${request.hook}"`,
    );
  }
  if (request.fhirAuthorization && !request.fhirServer) {
    throw new ServiceError(400, 'fhirAuthorization was sent without fhirServer');
  }
  const context = request.context as Nullable<PatientContext>;
  // The spec never sends null, but the schema lets optional members be null (clients do send
  // them): null means absent from here on, so no later code meets a null where it reads a string.
  return {
    hook: request.hook,
    hookInstance: request.hookInstance,
    patientId: context.patientId,
    ...(context.userId != null ? { userId: context.userId } : {}),
    ...(context.encounterId != null ? { encounterId: context.encounterId } : {}),
    ...(request.fhirServer != null ? { fhirServer: request.fhirServer } : {}),
    ...(request.fhirAuthorization ? { fhirAuthorization: request.fhirAuthorization } : {}),
    ...(request.prefetch ? { prefetch: request.prefetch } : {}),
  };
}
