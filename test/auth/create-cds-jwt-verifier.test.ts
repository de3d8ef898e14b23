import { createHmac, createPublicKey } from 'node:crypto';
import {
  createCdsJwtVerifier,
  type CdsJwtVerifierOptions,
} from '../../src/auth/create-cds-jwt-verifier';
import {
  createCdsClientKey,
  signCdsClientJwt,
  type CdsClientJwtClaims,
  type CdsClientKey,
} from '../../src/auth/sign-cds-client-jwt';
import { ServiceError } from '../../src/errors/service-error';
import { startJwksServer, type JwksServer } from '../support/jwks-server';
import {
  AUD,
  ISS,
  T0,
  b64json,
  claimsAt,
  expectRefused,
  handBuiltToken,
  testClock,
} from './auth-fixtures';

let es384: CdsClientKey;
let rs384: CdsClientKey;
let jwks: JwksServer;

beforeAll(async () => {
  es384 = createCdsClientKey({ alg: 'ES384' });
  rs384 = createCdsClientKey({ alg: 'RS384' });
  jwks = await startJwksServer([es384.publicJwk, rs384.publicJwk]);
});
afterAll(() => jwks.close());

/** A verifier trusting {@link ISS} through the JWKS server, on a clock set to {@link T0}. */
function verifierFor(overrides: Partial<CdsJwtVerifierOptions> = {}) {
  const clock = testClock();
  const verifier = createCdsJwtVerifier({
    issuers: [{ iss: ISS, jwksUrl: jwks.url }],
    clock,
    ...overrides,
  });
  return { verifier, clock };
}

function sign(key: CdsClientKey, claims: Partial<CdsClientJwtClaims> = {}): string {
  return signCdsClientJwt(key, { iss: ISS, aud: AUD, now: T0, ...claims });
}

const bearer = (token: string) => `Bearer ${token}`;

describe('createCdsJwtVerifier', () => {
  describe('accepts', () => {
    it('accepts an ES384 token whose key comes from the issuer JWKS URL', async () => {
      const { verifier } = verifierFor();
      const token = sign(es384, { sub: 'ehr-client', jti: 'call-1' });
      await expect(verifier.verify(bearer(token), AUD)).resolves.toEqual({
        iss: ISS,
        sub: 'ehr-client',
        jti: 'call-1',
        expiresAt: T0 + 300_000,
      });
    });

    it('accepts an RS384 token whose key is listed inline', async () => {
      const { verifier } = verifierFor({
        issuers: [{ iss: ISS, jwks: { keys: [rs384.publicJwk] } }],
      });
      const token = sign(rs384, { jti: 'call-2' });
      await expect(verifier.verify(bearer(token), AUD)).resolves.toMatchObject({ jti: 'call-2' });
    });

    it('accepts an audience given as an array that contains this endpoint', async () => {
      const { verifier } = verifierFor();
      const token = sign(es384, { aud: ['https://other.example.org/cds-services', AUD] });
      await expect(verifier.verify(bearer(token), AUD)).resolves.toMatchObject({ iss: ISS });
    });

    it('accepts an audience that differs from the endpoint URL only by a trailing slash', async () => {
      const { verifier } = verifierFor();
      await expect(
        verifier.verify(bearer(sign(es384, { aud: `${AUD}/` })), AUD),
      ).resolves.toBeDefined();
      await expect(verifier.verify(bearer(sign(es384)), `${AUD}/`)).resolves.toBeDefined();
    });

    it('accepts a lower-case bearer scheme and returns the tenant an issuer allows', async () => {
      const { verifier } = verifierFor({
        issuers: [{ iss: ISS, jwksUrl: jwks.url, tenants: ['icu-north'] }],
      });
      const token = sign(es384, { tenant: 'icu-north' });
      await expect(verifier.verify(`bearer ${token}`, AUD)).resolves.toMatchObject({
        tenant: 'icu-north',
      });
    });

    it('accepts a token expired less than the clock skew ago', async () => {
      const { verifier, clock } = verifierFor();
      clock.advanceSeconds(300 + 59);
      await expect(verifier.verify(bearer(sign(es384)), AUD)).resolves.toBeDefined();
    });
  });

  describe('refuses the Authorization header', () => {
    it('refuses a call without an Authorization header', async () => {
      const { verifier } = verifierFor();
      await expectRefused(verifier.verify(undefined, AUD), undefined, /no Authorization header/);
      await expectRefused(verifier.verify('', AUD), undefined, /no Authorization header/);
    });

    it('refuses a scheme other than Bearer', async () => {
      const { verifier } = verifierFor();
      const token = sign(es384);
      await expectRefused(verifier.verify(`Basic ${token}`, AUD), token, /scheme is not Bearer/);
      await expectRefused(verifier.verify(token, AUD), token, /scheme is not Bearer/);
    });

    it('refuses garbage that is not a compact JWS', async () => {
      const { verifier } = verifierFor();
      for (const garbage of ['not-a-jwt', 'a.b.c', `${b64json([1])}.${b64json({})}.x`, 'a b']) {
        await expectRefused(verifier.verify(bearer(garbage), AUD), garbage, /not a compact JWS/);
      }
    });

    it('refuses an oversized token before decoding it', async () => {
      const { verifier } = verifierFor();
      const token = sign(es384, { extraClaims: { padding: 'x'.repeat(20_000) } });
      await expectRefused(verifier.verify(bearer(token), AUD), token, /over the 8192-byte limit/);
    });
  });

  describe('refuses the algorithm', () => {
    it('refuses an unsigned alg none token', async () => {
      const { verifier } = verifierFor();
      const token = handBuiltToken({ alg: 'none', typ: 'JWT', kid: es384.kid }, claimsAt());
      await expectRefused(verifier.verify(bearer(token), AUD), token, /alg "none".*never/);
    });

    it('refuses HS256 signed with the public key PEM as the secret (key confusion)', async () => {
      const { verifier } = verifierFor();
      const pem = createPublicKey({ key: rs384.publicJwk, format: 'jwk' })
        .export({ type: 'spki', format: 'pem' })
        .toString();
      const unsigned = `${b64json({ alg: 'HS256', typ: 'JWT', kid: rs384.kid })}.${b64json(claimsAt())}`;
      const token = `${unsigned}.${createHmac('sha256', pem).update(unsigned).digest('base64url')}`;
      await expectRefused(verifier.verify(bearer(token), AUD), token, /symmetric alg "HS256"/);
    });

    it('refuses HS384 whatever the secret', async () => {
      const { verifier } = verifierFor();
      const unsigned = `${b64json({ alg: 'HS384', typ: 'JWT', kid: es384.kid })}.${b64json(claimsAt())}`;
      const token = `${unsigned}.${createHmac('sha384', 'secret').update(unsigned).digest('base64url')}`;
      await expectRefused(verifier.verify(bearer(token), AUD), token, /symmetric alg "HS384"/);
    });

    it('refuses a header alg that is not a supported asymmetric algorithm', async () => {
      const { verifier } = verifierFor();
      for (const alg of ['ES256K', 'EdDSA']) {
        const token = handBuiltToken({ alg, typ: 'JWT', kid: es384.kid }, claimsAt(), 'c2ln');
        await expectRefused(
          verifier.verify(bearer(token), AUD),
          token,
          /alg ".*" is not supported/,
        );
      }
      const noAlg = handBuiltToken({ typ: 'JWT', kid: es384.kid }, claimsAt(), 'c2ln');
      await expectRefused(verifier.verify(bearer(noAlg), AUD), noAlg, /no alg/);
    });

    it('refuses RS384 from an issuer configured for ES384 only', async () => {
      const { verifier } = verifierFor({
        issuers: [{ iss: ISS, jwksUrl: jwks.url, algorithms: ['ES384'] }],
      });
      const token = sign(rs384);
      await expectRefused(verifier.verify(bearer(token), AUD), token, /alg RS384 is not allowed/);
    });

    it('refuses a typ other than JWT and a crit header', async () => {
      const { verifier } = verifierFor();
      const typed = sign(es384, { extraHeader: { typ: 'at+jwt' } });
      await expectRefused(verifier.verify(bearer(typed), AUD), typed, /typ "at\+jwt" is not JWT/);
      const crit = sign(es384, { extraHeader: { crit: ['exp'] } });
      await expectRefused(verifier.verify(bearer(crit), AUD), crit, /crit/);
    });
  });

  describe('refuses the claims', () => {
    it('refuses an issuer that is not on the allowlist', async () => {
      const { verifier } = verifierFor();
      const token = sign(es384, { iss: 'https://evil.example.org' });
      await expectRefused(
        verifier.verify(bearer(token), AUD),
        token,
        /"https:\/\/evil.example.org" is not trusted/,
      );
    });

    it('refuses a token for another endpoint', async () => {
      const { verifier } = verifierFor();
      const token = sign(es384, { aud: 'https://cds.example.org/cds-services/other-service' });
      await expectRefused(
        verifier.verify(bearer(token), AUD),
        token,
        /aud .* is not this endpoint/,
      );
    });

    it('refuses an expired token once past the clock skew', async () => {
      const { verifier, clock } = verifierFor();
      clock.advanceSeconds(300 + 61);
      const token = sign(es384);
      await expectRefused(
        verifier.verify(bearer(token), AUD),
        token,
        /expired at 2026-03-01T12:05:00/,
      );
    });

    it('refuses a token whose nbf is further ahead than the clock skew', async () => {
      const { verifier } = verifierFor();
      const token = sign(es384, { extraClaims: { nbf: T0 / 1000 + 120 } });
      await expectRefused(verifier.verify(bearer(token), AUD), token, /not valid before/);
    });

    it('refuses a token issued in the future beyond the clock skew', async () => {
      const { verifier } = verifierFor();
      const token = sign(es384, { now: T0 + 120_000 });
      await expectRefused(verifier.verify(bearer(token), AUD), token, /issued in the future/);
    });

    it('refuses a token that lives longer than the maximum lifetime', async () => {
      const { verifier } = verifierFor();
      const token = sign(es384, { expiresInSeconds: 7200 });
      await expectRefused(verifier.verify(bearer(token), AUD), token, /3600 s maximum lifetime/);
    });

    it('refuses a token without exp, iat or kid', async () => {
      const { verifier } = verifierFor();
      const cases: [Partial<CdsClientJwtClaims>, RegExp][] = [
        [{ extraClaims: { exp: undefined } }, /no exp/],
        [{ extraClaims: { iat: undefined } }, /no iat/],
        [{ extraHeader: { kid: undefined } }, /no kid/],
      ];
      for (const [claims, reason] of cases) {
        const token = sign(es384, claims);
        await expectRefused(verifier.verify(bearer(token), AUD), token, reason);
      }
    });

    it.each<[string, Partial<CdsClientJwtClaims>, RegExp]>([
      ['no iss', { extraClaims: { iss: undefined } }, /no iss/],
      ['no aud', { extraClaims: { aud: undefined } }, /no aud/],
      ['an iat that is not a number', { extraClaims: { iat: -5 } }, /iat is not a number/],
      [
        'a tenant that is not a string',
        { extraClaims: { tenant: ['a'] } },
        /tenant is not a string/,
      ],
      ['a sub that is not a string', { extraClaims: { sub: 42 } }, /sub is not a string/],
      ['an overlong jti', { jti: 'j'.repeat(257) }, /jti is not a string of 1 to 256/],
    ])('refuses a token with %s', async (_, claims, reason) => {
      const { verifier } = verifierFor();
      const token = sign(es384, claims);
      await expectRefused(verifier.verify(bearer(token), AUD), token, reason);
    });

    it('refuses exp and nbf that are not numbers', async () => {
      const { verifier } = verifierFor();
      const header = { alg: 'ES384', typ: 'JWT', kid: es384.kid };
      const badExp = handBuiltToken(header, claimsAt(T0, { exp: '2026-03-01' }), 'c2ln');
      await expectRefused(verifier.verify(bearer(badExp), AUD), badExp, /exp is not a number/);
      const badNbf = handBuiltToken(header, claimsAt(T0, { nbf: 'now' }), 'c2ln');
      await expectRefused(verifier.verify(bearer(badNbf), AUD), badNbf, /nbf is not a number/);
    });

    it('refuses a tenant the issuer does not list, and a missing one', async () => {
      const { verifier } = verifierFor({
        issuers: [{ iss: ISS, jwksUrl: jwks.url, tenants: ['icu-north'] }],
      });
      const other = sign(es384, { tenant: 'icu-south' });
      await expectRefused(
        verifier.verify(bearer(other), AUD),
        other,
        /tenant "icu-south" is not allowed/,
      );
      const none = sign(es384);
      await expectRefused(
        verifier.verify(bearer(none), AUD),
        none,
        /tenant \(none\) is not allowed/,
      );
    });
  });

  describe('refuses replays', () => {
    it('refuses the second use of a jti', async () => {
      const { verifier } = verifierFor();
      const token = sign(es384, { jti: 'once' });
      await verifier.verify(bearer(token), AUD);
      await expectRefused(verifier.verify(bearer(token), AUD), token, /jti "once" .* already used/);
    });

    it('does not burn a jti on a token whose signature fails', async () => {
      const { verifier } = verifierFor();
      const impostor = createCdsClientKey({ alg: 'ES384', kid: es384.kid });
      const forged = sign(impostor, { jti: 'precious' });
      await expectRefused(verifier.verify(bearer(forged), AUD), forged, /signature check failed/);
      const genuine = sign(es384, { jti: 'precious' });
      await expect(verifier.verify(bearer(genuine), AUD)).resolves.toMatchObject({
        jti: 'precious',
      });
    });

    it('refuses a token without a jti', async () => {
      const { verifier } = verifierFor();
      const token = sign(es384, { extraClaims: { jti: undefined } });
      await expectRefused(verifier.verify(bearer(token), AUD), token, /no jti/);
    });

    it('keeps jtis apart per issuer', async () => {
      const other = 'https://other-ehr.example.org';
      const { verifier } = verifierFor({
        issuers: [
          { iss: ISS, jwksUrl: jwks.url },
          { iss: other, jwks: { keys: [es384.publicJwk] } },
        ],
      });
      await verifier.verify(bearer(sign(es384, { jti: 'shared' })), AUD);
      await expect(
        verifier.verify(bearer(sign(es384, { iss: other, jti: 'shared' })), AUD),
      ).resolves.toMatchObject({ iss: other });
    });

    it('refuses new tokens while the replay cache is full of live jtis', async () => {
      const { verifier } = verifierFor({ maxRememberedJtis: 1 });
      await verifier.verify(bearer(sign(es384, { jti: 'first' })), AUD);
      const token = sign(es384, { jti: 'second' });
      await expectRefused(verifier.verify(bearer(token), AUD), token, /replay cache is full/);
    });

    it('accepts a jti again once the first token has expired and been forgotten', async () => {
      const { verifier, clock } = verifierFor();
      await verifier.verify(bearer(sign(es384, { jti: 'again' })), AUD);
      clock.advanceSeconds(3600);
      const later = sign(es384, { jti: 'again', now: T0 + 3_600_000 });
      await expect(verifier.verify(bearer(later), AUD)).resolves.toMatchObject({ jti: 'again' });
    });
  });

  it('answers 500, not 401, when the caller forgets the audience', async () => {
    const { verifier } = verifierFor();
    const error = await verifier.verify(bearer(sign(es384)), '').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).status).toBe(500);
  });
});
