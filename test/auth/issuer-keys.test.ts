import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { startJwksServer, type JwksServer } from '../support/jwks-server';
import { AUD, ISS, T0, claimsAt, expectRefused, handBuiltToken, testClock } from './auth-fixtures';

let es384: CdsClientKey;
let rs384: CdsClientKey;
let jwks: JwksServer;

beforeAll(async () => {
  es384 = createCdsClientKey({ alg: 'ES384' });
  rs384 = createCdsClientKey({ alg: 'RS384' });
  jwks = await startJwksServer([es384.publicJwk, rs384.publicJwk]);
});
afterAll(() => jwks.close());
// Each test starts from the same served keys, whatever an earlier test rotated.
beforeEach(() => jwks.setKeys([es384.publicJwk, rs384.publicJwk]));

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

describe('createCdsJwtVerifier keys', () => {
  it('fetches the key set once and serves later tokens from its cache', async () => {
    const { verifier } = verifierFor();
    const before = jwks.requests;
    for (let i = 0; i < 5; i += 1) await verifier.verify(bearer(sign(es384)), AUD);
    await verifier.verify(bearer(sign(rs384)), AUD);
    expect(jwks.requests - before).toBe(1);
  });

  it('fetches the key set again once the cache is older than its maximum age', async () => {
    const { verifier, clock } = verifierFor({ jwks: { cacheMaxAgeSeconds: 60 } });
    const before = jwks.requests;
    await verifier.verify(bearer(sign(es384)), AUD);
    clock.advanceSeconds(61);
    await verifier.verify(bearer(sign(es384, { now: T0 + 61_000 })), AUD);
    expect(jwks.requests - before).toBe(2);
  });

  it('accepts a token whose jku is the configured JWKS URL', async () => {
    const { verifier } = verifierFor();
    const token = sign(es384, { extraHeader: { jku: jwks.url } });
    await expect(verifier.verify(bearer(token), AUD)).resolves.toMatchObject({ iss: ISS });
  });

  it('refuses a jku pointing to another server and never contacts it', async () => {
    const attackerKey = createCdsClientKey({ alg: 'ES384' });
    const attacker = await startJwksServer([attackerKey.publicJwk]);
    try {
      const { verifier } = verifierFor();
      const token = sign(attackerKey, { extraHeader: { jku: attacker.url } });
      await expectRefused(verifier.verify(bearer(token), AUD), token, /jku .* is not the JWKS URL/);
      expect(attacker.requests).toBe(0);
    } finally {
      await attacker.close();
    }
  });

  it('refuses any jku from an issuer whose keys are inline', async () => {
    const { verifier } = verifierFor({
      issuers: [{ iss: ISS, jwks: { keys: [es384.publicJwk] } }],
    });
    const token = sign(es384, { extraHeader: { jku: jwks.url } });
    await expectRefused(verifier.verify(bearer(token), AUD), token, /jku .* is not the JWKS URL/);
  });

  it('treats a path-like kid only as an unknown lookup key', async () => {
    const { verifier } = verifierFor();
    const token = sign(es384, { extraHeader: { kid: '../../etc/passwd' } });
    await expectRefused(
      verifier.verify(bearer(token), AUD),
      token,
      /no key with kid "\.\.\/\.\.\/etc\/passwd"/,
    );
  });

  it('refuses a very long or non-printable kid without looking it up', async () => {
    const { verifier } = verifierFor();
    const before = jwks.requests;
    for (const kid of ['k'.repeat(300), 'key\n1', 'key\u00e9']) {
      const token = sign(es384, { extraHeader: { kid } });
      await expectRefused(
        verifier.verify(bearer(token), AUD),
        token,
        /kid is not 1 to 256 printable/,
      );
    }
    expect(jwks.requests).toBe(before);
  });

  it('refetches once for an unknown kid, then refuses, and bounds refetches under a flood', async () => {
    const { verifier, clock } = verifierFor();
    await verifier.verify(bearer(sign(es384)), AUD);
    const warm = jwks.requests;
    clock.advanceSeconds(11);
    const later = { now: T0 + 11_000 };

    const unknown = sign(es384, { ...later, extraHeader: { kid: 'unknown-1' } });
    await expectRefused(
      verifier.verify(bearer(unknown), AUD),
      unknown,
      /no key with kid "unknown-1"/,
    );
    expect(jwks.requests - warm).toBe(1);

    const flood = Array.from({ length: 20 }, (_, i) =>
      sign(es384, { ...later, extraHeader: { kid: `made-up-${i}` } }),
    );
    for (const token of flood) {
      await expectRefused(verifier.verify(bearer(token), AUD), token, /no key with kid/);
    }
    expect(jwks.requests - warm).toBe(1);
  });

  it('shares one fetch among concurrent requests naming unknown kids', async () => {
    const { verifier } = verifierFor();
    const before = jwks.requests;
    const tokens = Array.from({ length: 10 }, (_, i) =>
      sign(es384, { extraHeader: { kid: `concurrent-${i}` } }),
    );
    await Promise.all(
      tokens.map((t) => expectRefused(verifier.verify(bearer(t), AUD), t, /no key with kid/)),
    );
    expect(jwks.requests - before).toBe(1);
  });

  it('picks up a rotated key on the first token that names it', async () => {
    const { verifier, clock } = verifierFor();
    await verifier.verify(bearer(sign(es384)), AUD);
    const rotated = createCdsClientKey({ alg: 'ES384' });
    jwks.setKeys([rotated.publicJwk]);
    clock.advanceSeconds(11);
    const token = sign(rotated, { now: T0 + 11_000 });
    await expect(verifier.verify(bearer(token), AUD)).resolves.toMatchObject({ iss: ISS });
  });

  it('refuses a key whose type does not fit the alg (an RSA key named by an ES384 token)', async () => {
    const { verifier } = verifierFor({
      issuers: [{ iss: ISS, jwks: { keys: [{ ...rs384.publicJwk, alg: undefined }] } }],
    });
    const fakeSignature = randomBytes(96).toString('base64url');
    const token = handBuiltToken(
      { alg: 'ES384', typ: 'JWT', kid: rs384.kid },
      claimsAt(),
      fakeSignature,
    );
    await expectRefused(
      verifier.verify(bearer(token), AUD),
      token,
      /does not fit alg ES384: a rsa key cannot check ES384/,
    );
  });

  it('refuses a token whose alg differs from the alg its JWK is pinned to', async () => {
    const { verifier } = verifierFor();
    const token = handBuiltToken(
      { alg: 'PS384', typ: 'JWT', kid: rs384.kid },
      claimsAt(),
      randomBytes(256).toString('base64url'),
    );
    const issuers = [{ iss: ISS, jwksUrl: jwks.url, algorithms: ['RS384', 'PS384'] }];
    await expectRefused(
      verifierFor({ issuers }).verifier.verify(bearer(token), AUD),
      token,
      /does not fit alg PS384: the key is for RS384/,
    );
    await expectRefused(verifier.verify(bearer(token), AUD), token, /alg PS384 is not allowed/);
  });

  it('refuses with an unreachable-JWKS reason when the JWKS server is down', async () => {
    const down = await startJwksServer([es384.publicJwk]);
    await down.close();
    const { verifier } = verifierFor({ issuers: [{ iss: ISS, jwksUrl: down.url }] });
    const token = sign(es384);
    await expectRefused(
      verifier.verify(bearer(token), AUD),
      token,
      /JWKS of issuer .* at http:\/\/127\.0\.0\.1:\d+\/jwks\.json is unreachable.*ECONNREFUSED/,
    );
  });

  it('refuses with an unreachable-JWKS reason when the JWKS server does not answer in time', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const { verifier } = verifierFor({
        issuers: [{ iss: ISS, jwksUrl: `http://127.0.0.1:${port}/jwks.json` }],
        jwks: { timeoutMs: 200 },
      });
      const token = sign(es384);
      await expectRefused(
        verifier.verify(bearer(token), AUD),
        token,
        /unreachable.*(timeout|aborted)/i,
      );
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('does not follow a redirect from the configured JWKS URL to another server', async () => {
    const elsewhere = await startJwksServer([es384.publicJwk]);
    const redirecting: Server = createServer((_, res) =>
      res.writeHead(302, { location: elsewhere.url }).end(),
    );
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = redirecting.address() as AddressInfo;
      const { verifier } = verifierFor({
        issuers: [{ iss: ISS, jwksUrl: `http://127.0.0.1:${port}/jwks.json` }],
      });
      const token = sign(es384);
      await expectRefused(verifier.verify(bearer(token), AUD), token, /unreachable or unusable/);
      expect(elsewhere.requests).toBe(0);
    } finally {
      redirecting.closeAllConnections();
      await new Promise((resolve) => redirecting.close(resolve));
      await elsewhere.close();
    }
  });

  it('does not refetch a failing JWKS for every request', async () => {
    const failing = await startJwksServer([]);
    try {
      const { verifier } = verifierFor({ issuers: [{ iss: ISS, jwksUrl: failing.url }] });
      for (let i = 0; i < 5; i += 1) {
        const token = sign(es384);
        await expectRefused(verifier.verify(bearer(token), AUD), token, /unreachable or unusable/);
      }
      expect(failing.requests).toBe(1);
    } finally {
      await failing.close();
    }
  });
});
