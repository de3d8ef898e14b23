import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request, RequestHandler } from 'express';
import express from 'express';
import type { Group } from 'fhir/r4';
import jwt from 'jsonwebtoken';
import { startFhirServer, type RunningFhirServer } from '../../src/fhir-server';
import { generateCensus } from '../../src/synthetic';
import {
  mergeBundles,
  NOW,
  parseJsonl,
  screenInProcess,
  verdicts,
  writeNdjsonExport,
} from './cli-fixtures';

const census = generateCensus({ seed: 11, now: NOW, count: 16, observationTarget: 300 });
const ids = census.map((b) => String(b.entry?.[0]?.resource?.id));
const TOKEN = 'unit-screen-token-0123456789';

/** The `patient` search parameter of a request (the FHIR app parses queries itself). */
const patientParam = (req: Request) =>
  new URL(req.originalUrl, 'http://x').searchParams.get('patient') ?? '';

/** Switched per test: the FHIR server's beforeRequest hook consults it. */
let fault: RequestHandler | undefined;
/** Answered on `<base>/.well-known/smart-configuration` when set. */
let smartConfiguration: Record<string, unknown> | undefined;
/** The bearer tokens the FHIR server accepts. */
const accepted = new Set([TOKEN]);

describe('stellar-screen --fhir', () => {
  let fhir: RunningFhirServer;
  let dir: string;
  let fromBundle: ReturnType<typeof verdicts>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stellar-fhir-'));
    fhir = await startFhirServer({
      defaultPageSize: 50,
      maxPageSize: 100,
      authorize: (req) => accepted.has(String(req.get('authorization')).replace(/^Bearer /, '')),
      beforeRequest: (req, res, next) => {
        if (smartConfiguration && req.path === '/.well-known/smart-configuration') {
          res.json(smartConfiguration);
          return;
        }
        if (fault) fault(req, res, next);
        else next();
      },
    });
    const group: Group = {
      resourceType: 'Group',
      id: 'icu-east',
      type: 'person',
      actual: true,
      member: [
        { entity: { reference: `Patient/${ids[0]}` } },
        { entity: { reference: `Patient/${ids[1]}` }, inactive: true },
        { entity: { reference: `Patient/${ids[2]}` } },
      ],
    };
    await fhir.load([...census, group]);
    const bundleFile = join(dir, 'census.json');
    writeFileSync(bundleFile, JSON.stringify(mergeBundles(census)));
    fromBundle = verdicts(
      parseJsonl((await screenInProcess(['--bundle', bundleFile, '--now', NOW, '--jsonl'])).stdout),
    );
  });
  afterAll(async () => {
    await fhir.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    fault = undefined;
    smartConfiguration = undefined;
    fhir.requestLog.length = 0;
  });

  const screenServer = (...args: string[]) =>
    screenInProcess(['--fhir', fhir.url, '--token', TOKEN, '--now', NOW, '--jsonl', ...args]);

  it('gives every patient the same verdicts as the bundle and the NDJSON export', async () => {
    const out = await screenServer(...ids.flatMap((id) => ['--patient', id]));
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(verdicts(parseJsonl(out.stdout))).toEqual(fromBundle);

    const exportDir = writeNdjsonExport(join(dir, 'export'), census);
    const fromExport = await screenInProcess(['--ndjson', exportDir, '--now', NOW, '--jsonl']);
    expect(verdicts(parseJsonl(fromExport.stdout))).toEqual(fromBundle);
  });

  it('finds the patients ventilated now by searching procedures and ventilator settings, not every patient', async () => {
    const out = await screenServer();
    expect(out.code).toBe(0);
    const found = parseJsonl(out.stdout).map((r) => r.patient);
    const ventilatedNow = parseJsonl(
      (await screenServer(...ids.flatMap((id) => ['--patient', id]))).stdout,
    )
      .filter((r) => r.ventilation.episodes.some((e) => e.current))
      .map((r) => r.patient);
    expect(ventilatedNow.length).toBeGreaterThan(8);
    expect(found).toEqual(expect.arrayContaining(ventilatedNow));
    expect(found.length).toBeLessThan(ids.length); // a patient never ventilated is not screened
    expect(fhir.requestLog.some((r) => /^Patient\?/.test(r.url))).toBe(false);
    // Discovery pages were followed (page size 100 here, far more ventilator settings than that).
    expect(
      fhir.requestLog.filter(
        (r) => /^Observation\?.*_offset=/.test(r.url) && !/patient=/.test(r.url),
      ).length,
    ).toBeGreaterThan(0);
  });

  it('reads the bearer token from a file, and refuses an empty one', async () => {
    const tokenFile = join(dir, 'token.txt');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const out = await screenInProcess([
      '--fhir',
      fhir.url,
      '--token-file',
      tokenFile,
      '--patient',
      ids[0] as string,
      '--now',
      NOW,
      '--jsonl',
    ]);
    expect(out.code).toBe(0);
    expect(parseJsonl(out.stdout)).toHaveLength(1);
    writeFileSync(tokenFile, '\n');
    const empty = await screenInProcess([
      '--fhir',
      fhir.url,
      '--token-file',
      tokenFile,
      '--now',
      NOW,
    ]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/token\.txt: the token file is empty/);
  });

  it('screens the active members of a Group', async () => {
    const out = await screenServer('--group', 'icu-east');
    expect(out.code).toBe(0);
    expect(
      parseJsonl(out.stdout)
        .map((r) => r.patient)
        .sort(),
    ).toEqual([`Patient/${ids[0]}`, `Patient/${ids[2]}`].sort());
  });

  it('retries requests the server fails for a passing reason, and gets the same verdicts', async () => {
    const failedOnce = new Set<string>();
    fault = (req, res, next) => {
      if (req.path === '/metadata' || failedOnce.has(req.originalUrl)) return next();
      failedOnce.add(req.originalUrl);
      const status = [503, 502, 429, 504][failedOnce.size % 4] as number;
      res
        .status(status)
        .set('Retry-After', '0')
        .json({ resourceType: 'OperationOutcome', issue: [] });
    };
    const out = await screenServer(...ids.slice(0, 4).flatMap((id) => ['--patient', id]));
    expect(out.stderr).toBe('');
    expect(verdicts(parseJsonl(out.stdout))).toEqual(
      Object.fromEntries(
        ids.slice(0, 4).map((id) => [`Patient/${id}`, fromBundle[`Patient/${id}`]]),
      ),
    );
    const statuses = fhir.requestLog.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500 || s === 429).length).toBe(failedOnce.size);
  });

  it('reports a patient whose searches keep failing, screens it with what arrived, and goes on', async () => {
    const [broken, ...others] = ids.slice(0, 4) as [string, ...string[]];
    fault = (req, res, next) => {
      if (req.path === '/Observation' && patientParam(req).endsWith(broken)) {
        res.status(503).json({ resourceType: 'OperationOutcome', issue: [] });
      } else if (req.path === '/Condition' && patientParam(req).endsWith(broken)) {
        res.status(400).json({ resourceType: 'OperationOutcome', issue: [] });
      } else next();
    };
    const out = await screenServer(
      '--retries',
      '2',
      ...[broken, ...others].flatMap((id) => ['--patient', id]),
    );
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(
      new RegExp(
        `Patient/${broken}: could not read [a-zA-Z, ]+ \\(server-error\\); could not read conditions \\(bad-response\\); screened with the data obtained`,
      ),
    );
    const results = parseJsonl(out.stdout);
    const hit = results.find((r) => r.patient === `Patient/${broken}`);
    expect(hit?.dataAvailability.Observation).toBe('unavailable');
    expect(hit?.criteria.find((c) => c.id === 'hiv')?.status).toBe('unknown');
    expect(verdicts(results.filter((r) => r !== hit))).toEqual(
      Object.fromEntries(others.map((id) => [`Patient/${id}`, fromBundle[`Patient/${id}`]])),
    );
    // 503 is retried (here twice), 400 never.
    const conditionTries = fhir.requestLog.filter(
      (r) => r.url.startsWith('Condition?') && r.url.includes(`patient=${broken}`),
    );
    expect(conditionTries).toHaveLength(1);
    const observationTries = fhir.requestLog.filter(
      (r) => r.url.startsWith('Observation?') && r.url.includes(`patient=${broken}`),
    );
    expect(observationTries.length).toBe(3 * 3); // three Observation searches, each tried 3 times
  });

  it('reports a patient whose server answers with broken JSON, and a patient past its time budget', async () => {
    const [garbled, slow, fine] = ids.slice(0, 3) as [string, string, string];
    fault = (req, res, next) => {
      if (req.path === '/Procedure' && patientParam(req).endsWith(garbled)) {
        res.status(200).type('application/fhir+json').send('{"resourceType": "Bundle", "ent');
      } else if (req.path === `/Patient/${slow}`) {
        // Never answers: only the patient's time budget ends the wait.
      } else next();
    };
    const out = await screenServer(
      '--patient-timeout',
      '1',
      '--patient',
      garbled,
      '--patient',
      slow,
      '--patient',
      fine,
    );
    expect(out.code).toBe(0);
    expect(out.stderr).toContain(`Patient/${garbled}: could not read procedures (bad-response)`);
    expect(out.stderr).toMatch(
      new RegExp(`Patient/${slow}: time budget of 1 s ran out before [a-zA-Z, ]*patient`),
    );
    const results = parseJsonl(out.stdout);
    expect(results.map((r) => r.patient).sort()).toEqual(
      [garbled, slow, fine].map((id) => `Patient/${id}`).sort(),
    );
    expect(results.find((r) => r.patient === `Patient/${slow}`)?.classification).toBe(
      'insufficient-data',
    );
    expect(verdicts(results.filter((r) => r.patient === `Patient/${fine}`))).toEqual({
      [`Patient/${fine}`]: fromBundle[`Patient/${fine}`],
    });
  });

  it('stops with exit code 1 and one line when the server is unreachable, refuses the token, or the Group is missing', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const unreachable = await screenInProcess([
      '--fhir',
      `http://127.0.0.1:${port}/fhir`,
      '--retries',
      '0',
      '--now',
      NOW,
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toBe(
      `stellar-screen: cannot reach the FHIR server at http://127.0.0.1:${port}/fhir (unreachable)\n`,
    );

    const refused = await screenInProcess([
      '--fhir',
      fhir.url,
      '--token',
      'wrong-token',
      '--now',
      NOW,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^stellar-screen: the FHIR server at \S+ refused the credentials \(HTTP 401\)\n$/,
    );
    expect(refused.stderr).not.toContain('wrong-token');

    const noGroup = await screenServer('--group', 'nope');
    expect(noGroup.code).toBe(1);
    expect(noGroup.stderr).toMatch(/Group\/nope was not found/);
  });

  describe('with SMART Backend Services', () => {
    let tokenServer: Server;
    let tokenUrl: string;
    const issued: { jti: string; scope: string; alg: string; kid?: string }[] = [];
    let publicKey: KeyObject;

    beforeAll(async () => {
      const app = express();
      app.use(express.urlencoded({ extended: false }));
      app.post('/token', (req, res) => {
        const body = req.body as Record<string, string>;
        try {
          if (body.grant_type !== 'client_credentials') throw new Error('grant');
          if (
            body.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
          )
            throw new Error('type');
          const decoded = jwt.verify(String(body.client_assertion), publicKey, {
            algorithms: ['RS384', 'ES384'],
            audience: tokenUrl,
            issuer: 'stellar-screener',
            subject: 'stellar-screener',
            complete: true,
          });
          const payload = decoded.payload as jwt.JwtPayload;
          if (!payload.jti || issued.some((i) => i.jti === payload.jti)) throw new Error('jti');
          if ((payload.exp ?? 0) - (payload.iat ?? 0) > 300) throw new Error('exp');
          issued.push({
            jti: payload.jti,
            scope: body.scope ?? '',
            alg: decoded.header.alg,
            ...(decoded.header.kid ? { kid: decoded.header.kid } : {}),
          });
          const token = `backend-token-${issued.length}`;
          accepted.add(token);
          res.json({
            access_token: token,
            token_type: 'bearer',
            expires_in: 300,
            scope: body.scope,
          });
        } catch {
          res.status(401).json({ error: 'invalid_client', error_description: 'no' });
        }
      });
      tokenServer = createServer(app);
      await new Promise<void>((r) => tokenServer.listen(0, '127.0.0.1', r));
      tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
    });
    afterAll(() => new Promise((r) => tokenServer.close(r)));
    beforeEach(() => {
      issued.length = 0;
      smartConfiguration = {
        token_endpoint: tokenUrl,
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      };
    });

    it('signs an RS384 client assertion with a PEM key and asks for read scopes of the types it reads', async () => {
      const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
      publicKey = keys.publicKey;
      const keyFile = join(dir, 'client.pem');
      writeFileSync(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const out = await screenInProcess([
        '--fhir',
        fhir.url,
        '--client-id',
        'stellar-screener',
        '--private-key',
        keyFile,
        '--patient',
        ids[0] as string,
        '--now',
        NOW,
        '--jsonl',
      ]);
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(parseJsonl(out.stdout)).toHaveLength(1);
      expect(issued).toHaveLength(1);
      expect(issued[0]?.alg).toBe('RS384');
      expect(issued[0]?.scope.split(' ').sort()).toEqual(
        [
          'AllergyIntolerance',
          'Condition',
          'Device',
          'DeviceUseStatement',
          'Observation',
          'Patient',
          'Procedure',
        ].map((t) => `system/${t}.read`),
      );
    });

    it('signs ES384 with a JWK key, and renews the token before it expires on a long run', async () => {
      const keys = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
      publicKey = keys.publicKey;
      const keyFile = join(dir, 'client.jwk');
      writeFileSync(
        keyFile,
        JSON.stringify({ ...keys.privateKey.export({ format: 'jwk' }), kid: 'screener-key-1' }),
      );
      // A clock that moves four minutes on each reading: every token is near its end when used.
      let clock = Date.parse(NOW);
      const out = await screenInProcess(
        [
          '--fhir',
          fhir.url,
          '--client-id',
          'stellar-screener',
          '--private-key',
          keyFile,
          '--group',
          'icu-east',
          '--concurrency',
          '1',
          '--now',
          NOW,
          '--jsonl',
        ],
        { now: () => new Date((clock += 4 * 60_000)) },
      );
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(parseJsonl(out.stdout)).toHaveLength(2);
      expect(issued.length).toBeGreaterThan(1);
      expect(issued.every((i) => i.alg === 'ES384' && i.kid === 'screener-key-1')).toBe(true);
      expect(issued[0]?.scope).toContain('system/Group.read');
      expect(out.stdout + out.stderr).not.toMatch(/backend-token/);
    });

    it('stops with exit code 1 when the token endpoint refuses the client', async () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
      publicKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
      const keyFile = join(dir, 'wrong.pem');
      writeFileSync(keyFile, other.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const out = await screenInProcess([
        '--fhir',
        fhir.url,
        '--client-id',
        'stellar-screener',
        '--private-key',
        keyFile,
        '--now',
        NOW,
      ]);
      expect(out.code).toBe(1);
      expect(out.stderr).toBe(
        'stellar-screen: getting an access token: HTTP 401: invalid_client\n',
      );
    });
  });
});
