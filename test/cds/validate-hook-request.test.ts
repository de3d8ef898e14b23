import { validateHookRequest } from '../../src/cds/validate-hook-request';
import { ServiceError } from '../../src/errors/service-error';

const HOOKS = ['patient-view', 'encounter-start'];

const valid = {
  hook: 'patient-view',
  hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
  fhirServer: 'https://ehr.example.org/fhir',
  fhirAuthorization: {
    access_token: 'opaque-token',
    token_type: 'Bearer',
    expires_in: 300,
    scope: 'patient/*.read',
    subject: 'cds-service',
    patient: 'p1',
  },
  context: { userId: 'Practitioner/1', patientId: 'p1', encounterId: 'e1' },
  prefetch: { patient: { resourceType: 'Patient', id: 'p1' } },
};

function refusal(body: unknown): ServiceError {
  try {
    validateHookRequest(body, HOOKS);
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

describe('validateHookRequest', () => {
  it('accepts a patient-view request as the spec shows it and pulls out the context', () => {
    expect(validateHookRequest(valid, HOOKS)).toEqual({
      hook: 'patient-view',
      hookInstance: valid.hookInstance,
      patientId: 'p1',
      userId: 'Practitioner/1',
      encounterId: 'e1',
      fhirServer: valid.fhirServer,
      fhirAuthorization: valid.fhirAuthorization,
      prefetch: valid.prefetch,
    });
  });

  it('accepts encounter-start and a request with prefetch only', () => {
    const { fhirServer: _s, fhirAuthorization: _a, ...prefetchOnly } = valid;
    expect(validateHookRequest({ ...prefetchOnly, hook: 'encounter-start' }, HOOKS).hook).toBe(
      'encounter-start',
    );
  });

  it.each([
    ['not an object', [], /JSON object/],
    ['no hook', { ...valid, hook: undefined }, /must have required property 'hook'/],
    ['no hookInstance', { ...valid, hookInstance: undefined }, /hookInstance/],
    ['no context', { ...valid, context: undefined }, /context/],
    ['no patientId', { ...valid, context: { userId: 'Practitioner/1' } }, /patientId/],
    ['a patientId that is not a FHIR id', { ...valid, context: { patientId: 'a/b' } }, /patientId/],
    ['a fhirServer that is not http(s)', { ...valid, fhirServer: 'file:///etc' }, /fhirServer/],
    [
      'a token type other than Bearer',
      { ...valid, fhirAuthorization: { ...valid.fhirAuthorization, token_type: 'MAC' } },
      /token_type/,
    ],
    [
      'fhirAuthorization without fhirServer',
      { ...valid, fhirServer: undefined },
      /without fhirServer/,
    ],
    ['prefetch that is not an object', { ...valid, prefetch: 'x' }, /prefetch/],
  ])('refuses %s with a 400 that says what is wrong', (_name, body, message) => {
    const error = refusal(body);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });

  it('refuses a hook this service does not answer, naming the ones it does', () => {
    const error = refusal({ ...valid, hook: 'order-sign' });
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      'This service answers the patient-view and encounter-start hooks, not "order-sign"',
    );
  });
});
