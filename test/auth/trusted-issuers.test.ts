import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-file';
import { loadTrustedIssuers, parseTrustedIssuers } from '../../src/auth/trusted-issuers';
import { createCdsJwtVerifier } from '../../src/auth/create-cds-jwt-verifier';
import {
  createCdsClientKey,
  signCdsClientJwt,
  type CdsClientKey,
} from '../../src/auth/sign-cds-client-jwt';

let key: CdsClientKey;
let dir: string;

beforeAll(() => {
  key = createCdsClientKey({ alg: 'ES384', kid: 'ehr-2026' });
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stellar-issuers-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fileWith(content: unknown): string {
  const file = join(dir, 'trusted-issuers.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('loadTrustedIssuers', () => {
  it('loads issuers with a JWKS URL or inline keys and fills in the default algorithms', () => {
    const issuers = loadTrustedIssuers(
      fileWith([
        {
          iss: 'https://ehr.example.org',
          jwksUrl: 'https://ehr.example.org/.well-known/jwks.json',
        },
        {
          iss: 'https://other.example.org',
          jwks: { keys: [key.publicJwk] },
          tenants: ['icu-north'],
          algorithms: ['ES384', 'PS256'],
        },
      ]),
    );
    expect(issuers[0]?.algorithms).toEqual(['ES384', 'RS384']);
    expect(issuers[1]?.algorithms).toEqual(['ES384', 'PS256']);
    expect(issuers[1]?.tenants).toEqual(['icu-north']);
    expect(Object.isFrozen(issuers[1]?.jwks?.keys[0])).toBe(true);
  });

  it('names the file and the field when an entry has the wrong shape', () => {
    const file = fileWith([{ iss: 'https://ehr.example.org', jwksUri: 'https://x.example.org' }]);
    expect(() => loadTrustedIssuers(file)).toThrow(ConfigError);
    expect(() => loadTrustedIssuers(file)).toThrow(
      /trusted-issuers\.json: \/0 must NOT have additional properties "jwksUri"/,
    );
  });

  it('names the file when it is missing or not JSON', () => {
    expect(() => loadTrustedIssuers(join(dir, 'absent.json'))).toThrow(/absent\.json: cannot read/);
    expect(() => loadTrustedIssuers(fileWith('[{'))).toThrow(
      /trusted-issuers\.json: not valid JSON/,
    );
  });

  it.each(['none', 'HS256', 'HS384', 'hs512', 'EdDSA'])('never lets %s be configured', (alg) => {
    const file = fileWith([
      { iss: 'https://a.example.org', jwksUrl: 'https://a.example.org/jwks', algorithms: [alg] },
    ]);
    expect(() => loadTrustedIssuers(file)).toThrow(
      new RegExp(`trusted-issuers\\.json: /0/algorithms/0 "${alg}" is not allowed`),
    );
  });

  it('needs exactly one of jwksUrl and jwks', () => {
    const both = {
      iss: 'https://a.example.org',
      jwksUrl: 'https://a.example.org/jwks',
      jwks: { keys: [key.publicJwk] },
    };
    expect(() => parseTrustedIssuers([both])).toThrow(
      /\/0 needs exactly one of "jwksUrl" or "jwks"/,
    );
    expect(() => parseTrustedIssuers([{ iss: 'https://a.example.org' }])).toThrow(
      /needs exactly one/,
    );
  });

  it('accepts plain http only for a JWKS on this machine', () => {
    const at = (jwksUrl: string) => () =>
      parseTrustedIssuers([{ iss: 'https://a.example.org', jwksUrl }]);
    expect(at('http://127.0.0.1:8080/jwks.json')).not.toThrow();
    expect(at('http://localhost/jwks.json')).not.toThrow();
    expect(at('http://ehr.example.org/jwks.json')).toThrow(/\/0\/jwksUrl .* must be https/);
    expect(at('not a url')).toThrow(/\/0\/jwksUrl "not a url" is not a URL/);
  });

  it('refuses an issuer listed twice', () => {
    const entry = { iss: 'https://a.example.org', jwksUrl: 'https://a.example.org/jwks' };
    expect(() => parseTrustedIssuers([entry, entry])).toThrow(
      /\/1\/iss "https:\/\/a.example.org" is listed twice/,
    );
  });

  it('refuses inline keys that hold private material, are symmetric or are unusable', () => {
    const withKeys = (keys: object[]) => () =>
      parseTrustedIssuers([{ iss: 'https://a.example.org', jwks: { keys } }]);
    const privateJwk = { ...key.privateKey.export({ format: 'jwk' }), kid: 'k1' };
    expect(withKeys([privateJwk])).toThrow(
      /\/0\/jwks\/keys\/0 holds private or symmetric key material \("d"\)/,
    );
    expect(withKeys([{ kty: 'oct', kid: 'k1', k: 'c2VjcmV0' }])).toThrow(
      /holds private or symmetric/,
    );
    expect(withKeys([{ kty: 'EC', kid: 'k1', crv: 'P-384', x: 'AA', y: 'AA' }])).toThrow(
      /\/0\/jwks\/keys\/0 is not a usable public key/,
    );
    expect(withKeys([{ ...key.publicJwk, alg: 'HS256' }])).toThrow(
      /\/alg "HS256" is not an asymmetric/,
    );
    expect(withKeys([key.publicJwk, key.publicJwk])).toThrow(/\/1\/kid "ehr-2026" is used twice/);
    expect(withKeys([{ ...key.publicJwk, kid: 'a\nb' }])).toThrow(
      /\/kid must be 1 to 256 printable/,
    );
  });

  it('applies the same checks to issuers given straight to the verifier', () => {
    expect(() =>
      createCdsJwtVerifier({
        issuers: [
          {
            iss: 'https://a.example.org',
            jwksUrl: 'https://a.example.org/jwks',
            algorithms: ['HS256'],
          },
        ],
      }),
    ).toThrow(/createCdsJwtVerifier issuers: \/0\/algorithms\/0 "HS256" is not allowed/);
  });

  it('gives the verifier issuers it can use as they are', async () => {
    const issuers = loadTrustedIssuers(
      fileWith([{ iss: 'https://ehr.example.org', jwks: { keys: [key.publicJwk] } }]),
    );
    const verifier = createCdsJwtVerifier({ issuers });
    const aud = 'https://cds.example.org/cds-services';
    const token = signCdsClientJwt(key, { iss: 'https://ehr.example.org', aud });
    await expect(verifier.verify(`Bearer ${token}`, aud)).resolves.toMatchObject({
      iss: 'https://ehr.example.org',
    });
  });
});
