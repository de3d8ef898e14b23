import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { checkFhirAccess, createAccessTokenVerifier } from '../../src/demo/fhir-access';
import { startJwksServer, type JwksServer } from '../support/jwks-server';

const search = (q: string) => new URLSearchParams(q);

describe('checkFhirAccess', () => {
  const patientToken = {
    scope:
      'launch openid patient/Observation.read patient/Patient.read patient/ServiceRequest.write',
    patient: 'p1',
  };

  it('lets a patient-scoped token search and read only its own patient', () => {
    expect(
      checkFhirAccess(patientToken, {
        method: 'GET',
        path: '/Observation',
        search: search('patient=p1&code=x'),
      }),
    ).toEqual({ allowed: true });
    expect(
      checkFhirAccess(patientToken, {
        method: 'GET',
        path: '/Observation',
        search: search('patient=Patient/p1'),
      }),
    ).toEqual({ allowed: true });
    expect(
      checkFhirAccess(patientToken, {
        method: 'GET',
        path: '/Observation',
        search: search('patient=p2'),
      }).allowed,
    ).toBe(false);
    expect(
      checkFhirAccess(patientToken, {
        method: 'GET',
        path: '/Observation',
        search: search('code=x'),
      }).allowed,
    ).toBe(false);
    expect(
      checkFhirAccess(patientToken, { method: 'GET', path: '/Patient/p1', search: search('') }),
    ).toEqual({
      allowed: true,
    });
    expect(
      checkFhirAccess(patientToken, { method: 'GET', path: '/Patient/p2', search: search('') })
        .allowed,
    ).toBe(false);
  });

  it('refuses types and actions the scopes do not name', () => {
    const denied = checkFhirAccess(patientToken, {
      method: 'GET',
      path: '/Condition',
      search: search('patient=p1'),
    });
    expect(denied).toEqual({
      allowed: false,
      reason: "the token's scopes do not allow this on Condition",
    });
    expect(
      checkFhirAccess(patientToken, {
        method: 'DELETE',
        path: '/Observation/o1',
        search: search(''),
      }).allowed,
    ).toBe(false);
  });

  it('lets a patient-scoped token write only about its patient', () => {
    const body = (ref: string) => ({ resourceType: 'ServiceRequest', subject: { reference: ref } });
    expect(
      checkFhirAccess(patientToken, {
        method: 'POST',
        path: '/ServiceRequest',
        search: search(''),
        body: body('Patient/p1'),
      }),
    ).toEqual({ allowed: true });
    expect(
      checkFhirAccess(patientToken, {
        method: 'POST',
        path: '/ServiceRequest',
        search: search(''),
        body: body('Patient/p2'),
      }).allowed,
    ).toBe(false);
  });

  it('lets user and system scopes reach every patient', () => {
    const ehr = { scope: 'user/*.read user/ServiceRequest.write' };
    expect(
      checkFhirAccess(ehr, { method: 'GET', path: '/Patient', search: search('_count=200') }),
    ).toEqual({
      allowed: true,
    });
    expect(
      checkFhirAccess(ehr, {
        method: 'POST',
        path: '/ServiceRequest',
        search: search(''),
        body: {},
      }),
    ).toEqual({ allowed: true });
    expect(
      checkFhirAccess(ehr, { method: 'POST', path: '/Observation', search: search(''), body: {} })
        .allowed,
    ).toBe(false);
  });
});

describe('createAccessTokenVerifier', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
  let jwks: JwksServer;
  const issuer = 'http://auth.test';
  const audience = 'http://fhir.test/fhir';
  const sign = (claims: Record<string, unknown>, options: jwt.SignOptions = {}) =>
    jwt.sign({ scope: 'patient/*.read', patient: 'p1', ...claims }, privateKey, {
      algorithm: 'RS256',
      keyid: 'k1',
      issuer,
      audience,
      ...('exp' in claims ? {} : { expiresIn: 60 }),
      ...options,
    });

  beforeAll(async () => {
    jwks = await startJwksServer([jwk]);
  });
  afterAll(() => jwks.close());

  it('accepts a token of the issuer for this server and reads its claims', async () => {
    const verify = createAccessTokenVerifier({ jwksUri: jwks.url, issuer, audience });
    await expect(verify(sign({ sub: 'Practitioner/d' }))).resolves.toEqual({
      scope: 'patient/*.read',
      patient: 'p1',
      sub: 'Practitioner/d',
    });
  });

  it('refuses an expired token, another audience, another issuer and another key', async () => {
    const verify = createAccessTokenVerifier({ jwksUri: jwks.url, issuer, audience });
    const past = Math.floor(Date.now() / 1000) - 600;
    await expect(verify(sign({ iat: past, exp: past + 60 }))).rejects.toThrow(/expired/);
    await expect(verify(sign({}, { audience: 'http://other/fhir' }))).rejects.toThrow(/audience/);
    await expect(verify(sign({}, { issuer: 'http://evil' }))).rejects.toThrow(/issuer/);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = jwt.sign({ scope: 'x' }, other, {
      algorithm: 'RS256',
      keyid: 'k1',
      issuer,
      audience,
    });
    await expect(verify(forged)).rejects.toThrow(/signature/);
  });
});
