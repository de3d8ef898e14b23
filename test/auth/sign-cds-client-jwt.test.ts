import { createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { createCdsClientKey, signCdsClientJwt } from '../../src/auth/sign-cds-client-jwt';
import { AUD, ISS, T0 } from './auth-fixtures';

describe('createCdsClientKey', () => {
  it.each(['ES384', 'RS384'] as const)(
    'makes a %s key whose public JWK is ready to publish',
    (alg) => {
      const key = createCdsClientKey({ alg });
      expect(key.publicJwk).toMatchObject({ alg, use: 'sig', kid: key.kid });
      expect(key.publicJwk).not.toHaveProperty('d');
      expect(createPublicKey({ key: key.publicJwk, format: 'jwk' }).asymmetricKeyType).toBe(
        alg === 'ES384' ? 'ec' : 'rsa',
      );
    },
  );

  it('names the key by its RFC 7638 thumbprint unless given a kid', () => {
    const key = createCdsClientKey({ alg: 'ES384' });
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createCdsClientKey({ alg: 'ES384', kid: 'ehr-1' }).kid).toBe('ehr-1');
  });
});

describe('signCdsClientJwt', () => {
  it('signs the header and claims CDS Hooks asks for', () => {
    const key = createCdsClientKey({ alg: 'ES384' });
    const token = signCdsClientJwt(key, {
      iss: ISS,
      aud: AUD,
      sub: 'client-1',
      tenant: 't1',
      now: T0,
    });
    const verified = jwt.verify(token, createPublicKey({ key: key.publicJwk, format: 'jwk' }), {
      algorithms: ['ES384'],
      clockTimestamp: T0 / 1000,
      complete: true,
    });
    expect(verified.header).toEqual({ alg: 'ES384', typ: 'JWT', kid: key.kid });
    expect(verified.payload).toEqual({
      iss: ISS,
      aud: AUD,
      sub: 'client-1',
      tenant: 't1',
      iat: T0 / 1000,
      exp: T0 / 1000 + 300,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('gives every token its own jti by default', () => {
    const key = createCdsClientKey({ alg: 'ES384' });
    const jtis = new Set(
      [1, 2, 3].map(
        (i) =>
          jwt.decode(signCdsClientJwt(key, { iss: ISS, aud: AUD, now: T0 + i }), { json: true })
            ?.jti,
      ),
    );
    expect(jtis.size).toBe(3);
  });

  it('leaves out members a test sets to undefined, and will not change alg', () => {
    const key = createCdsClientKey({ alg: 'ES384' });
    const token = signCdsClientJwt(key, {
      iss: ISS,
      aud: AUD,
      extraHeader: { kid: undefined },
      extraClaims: { iat: undefined, jti: undefined },
    });
    const decoded = jwt.decode(token, { complete: true });
    expect(decoded?.header).toEqual({ alg: 'ES384', typ: 'JWT' });
    expect(decoded?.payload).not.toHaveProperty('iat');
    expect(decoded?.payload).not.toHaveProperty('jti');
    expect(() =>
      signCdsClientJwt(key, { iss: ISS, aud: AUD, extraHeader: { alg: 'none' } }),
    ).toThrow(/cannot change alg/);
  });
});
