import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import { startFhirServer, type RunningFhirServer } from '../../src/fhir-server';
import { generatePatient } from '../../src/synthetic';
import {
  patientIdOf,
  patientView,
  startTestService,
  type TestService,
} from '../support/test-service';

const NOW = '2026-03-01T08:00:00Z';
const SERVICE = '/cds-services/stellar-screening';
const TOKEN = 'hook-access-token-faults-0123456789';
const BUDGET_MS = 2_000;

/** The fault the FHIR server plays for the current test (its beforeRequest hook consults it). */
let fault: RequestHandler | undefined;

/** A search of this resource type (`Observation?patient=...`), and not a read. */
function isSearch(req: Request, type: string): boolean {
  return req.path === `/${type}`;
}

function searchset(entries: unknown[], next?: string) {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: entries.map((resource) => ({ resource })),
    ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
  };
}

/** A stranger's HTTP server: counts requests and keeps their Authorization headers. */
async function startStranger(): Promise<{
  url: string;
  seen: IncomingHttpHeaders[];
  close: () => Promise<void>;
}> {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify(searchset([])));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

interface Timed {
  fault: string;
  status: number;
  ms: number;
  outcome: unknown;
  problems: unknown;
}

describe('FHIR server faults during live fetch', () => {
  let fhir: RunningFhirServer;
  let service: TestService;
  let stranger: Awaited<ReturnType<typeof startStranger>>;
  const patient = generatePatient({ seed: 41, scenario: 'likely-ards', now: NOW });
  const timings: Timed[] = [];

  beforeAll(async () => {
    fhir = await startFhirServer({
      defaultPageSize: 25,
      maxPageSize: 25,
      authorize: (req) => req.headers.authorization === `Bearer ${TOKEN}`,
      beforeRequest: (req, res, next) => (fault ? fault(req, res, next) : next()),
    });
    await fhir.load([patient]);
    stranger = await startStranger();
    service = await startTestService({ now: () => new Date(NOW), budgetMs: BUDGET_MS });
    // The engine's first searches build its indexes: warm it up outside the budget.
    await fetch(`${fhir.url}/Observation?patient=${patientIdOf(patient)}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
  });
  afterEach(() => {
    fault = undefined;
  });
  afterAll(async () => {
    process.stdout.write(
      `FHIR faults (budget ${BUDGET_MS} ms):\n${timings
        .map(
          (t) =>
            `  ${t.fault.padEnd(48)} ${String(t.status)} in ${String(t.ms).padStart(5)} ms  ` +
            `${String(t.outcome)} ${JSON.stringify(t.problems)}`,
        )
        .join('\n')}\n`,
    );
    await service.close();
    await fhir.close();
    await stranger.close();
  });

  /**
   * Calls the service with no prefetch (everything fetched live with the hook's token) and
   * checks what every fault must give: an answer with no card within the budget (plus the time
   * to answer), and a log line saying why. Returns that log line.
   */
  async function liveCallUnder(name: string): Promise<Record<string, unknown>> {
    const logsBefore = service.logs.length;
    const started = Date.now();
    const res = await service.call(SERVICE, {
      json: patientView(patientIdOf(patient), { fhirServer: fhir.url, accessToken: TOKEN }),
    });
    const body = (await res.json()) as { cards?: unknown[]; resourceType?: string };
    const ms = Date.now() - started;
    const line = service.logs
      .slice(logsBefore)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'hook answered');
    timings.push({
      fault: name,
      status: res.status,
      ms,
      outcome: line?.outcome,
      problems: line?.problems,
    });
    if (res.status === 200) expect(body.cards).toEqual([]);
    else {
      expect(res.status).toBe(412);
      expect(body.resourceType).toBe('OperationOutcome');
    }
    // Not a timing assertion: a bound far above the budget that only a hang would cross.
    expect(ms).toBeLessThan(BUDGET_MS + 5_000);
    expect(line).toBeDefined();
    return line as Record<string, unknown>;
  }

  it('the control: no fault gives the card', async () => {
    const res = await service.call(SERVICE, {
      json: patientView(patientIdOf(patient), { fhirServer: fhir.url, accessToken: TOKEN }),
    });
    expect(((await res.json()) as { cards: unknown[] }).cards).toHaveLength(1);
  });

  it('a server that never answers: budget exceeded', async () => {
    fault = () => undefined; // holds every request open, forever
    expect(await liveCallUnder('never answers')).toMatchObject({ outcome: 'budget-exceeded' });
  });

  it('a server that answers slowly, after the budget: budget exceeded', async () => {
    fault = (_req, _res, next) => void setTimeout(next, BUDGET_MS * 3);
    expect(await liveCallUnder('answers after 3x the budget')).toMatchObject({
      outcome: 'budget-exceeded',
    });
  });

  it('500 on every request: FHIR error', async () => {
    fault = (_req, res) =>
      void res.status(500).json({ resourceType: 'OperationOutcome', issue: [] });
    const line = await liveCallUnder('500 on every request');
    expect(line.outcome).toBe('fhir-error');
    expect(line.problems).toContain('bloodGases: server-error');
  });

  it('401, the token expired: 412', async () => {
    fault = (_req, res) =>
      void res
        .status(401)
        .set('WWW-Authenticate', 'Bearer error="invalid_token"')
        .json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
    expect(await liveCallUnder('401 expired token')).toMatchObject({
      outcome: 'precondition-failed',
    });
  });

  it('403 on one search: 412', async () => {
    fault = (req, res, next) =>
      isSearch(req, 'Condition') ? void res.status(403).json({}) : next();
    expect(await liveCallUnder('403 on Condition')).toMatchObject({
      outcome: 'precondition-failed',
    });
  });

  it('malformed JSON with a 200: FHIR error (bad response)', async () => {
    fault = (req, res, next) =>
      isSearch(req, 'Observation')
        ? void res
            .status(200)
            .type('application/fhir+json')
            .send('{"resourceType":"Bundle","entry":[{')
        : next();
    const line = await liveCallUnder('malformed JSON');
    expect(line.outcome).toBe('fhir-error');
    expect(JSON.stringify(line.problems)).toMatch(/bad-response/);
  });

  it('an HTML page with a 200 (a proxy login page): FHIR error', async () => {
    fault = (_req, res) => void res.status(200).type('text/html').send('<html>Sign in</html>');
    expect(await liveCallUnder('HTML login page')).toMatchObject({ outcome: 'fhir-error' });
  });

  it('a search that answers something other than a Bundle: FHIR error', async () => {
    fault = (req, res, next) =>
      isSearch(req, 'Procedure')
        ? void res.status(200).type('application/fhir+json').json({ resourceType: 'Patient' })
        : next();
    const line = await liveCallUnder('search answers a Patient');
    expect(line.problems).toEqual(['procedures: bad-response']);
  });

  it('a Patient read that answers an OperationOutcome with a 200: FHIR error', async () => {
    fault = (req, res, next) =>
      req.path.startsWith('/Patient/')
        ? void res.status(200).json({ resourceType: 'OperationOutcome', issue: [] })
        : next();
    const line = await liveCallUnder('Patient read gives OperationOutcome');
    expect(line.problems).toEqual(['patient: unexpected-resource']);
  });

  it('a next link that loops back to the same page: stopped, FHIR error', async () => {
    fault = (req, res, next) =>
      isSearch(req, 'Observation')
        ? void res.json(searchset([], `${fhir.url}/Observation?loop=1`))
        : next();
    const line = await liveCallUnder('next link loops back');
    expect(JSON.stringify(line.problems)).toMatch(/paging-loop/);
  });

  it('a next link that loops through two pages: stopped, FHIR error', async () => {
    fault = (req, res, next) => {
      if (!isSearch(req, 'Observation')) return next();
      const page = new URL(req.originalUrl, 'http://x').searchParams.get('page');
      res.json(searchset([], `${fhir.url}/Observation?page=${page === 'a' ? 'b' : 'a'}`));
    };
    const line = await liveCallUnder('next link loops a-b-a');
    expect(JSON.stringify(line.problems)).toMatch(/paging-loop/);
  });

  it('paging that never ends (a new next link on every page): stopped, FHIR error or budget', async () => {
    let pages = 0;
    fault = (req, res, next) => {
      if (!isSearch(req, 'Observation')) return next();
      pages++;
      res.json(searchset([], `${fhir.url}/Observation?page=${pages}`));
    };
    const line = await liveCallUnder('endless paging');
    expect(['fhir-error', 'budget-exceeded']).toContain(line.outcome);
    // The service's page limit (200 per search, three Observation searches) or its budget
    // ended it, not the server.
    expect(pages).toBeLessThanOrEqual(3 * (200 + 1));
  });

  it('a page whose body never ends (streamed forever): budget exceeded, and the stream is dropped', async () => {
    let open = 0;
    fault = (req, res: Response, next) => {
      if (!isSearch(req, 'Observation')) return next();
      open++;
      res.status(200).type('application/fhir+json');
      res.write('{"resourceType":"Bundle","type":"searchset","entry":[');
      const timer = setInterval(() => res.write('{"resource":{"resourceType":"Observation"}},'), 5);
      res.on('close', () => {
        clearInterval(timer);
        open--;
      });
    };
    const line = await liveCallUnder('body streamed forever');
    expect(['budget-exceeded', 'fhir-error']).toContain(line.outcome);
    // The service hung up on the stream rather than reading it for ever.
    await new Promise((r) => setTimeout(r, 200));
    expect(open).toBe(0);
  });

  it('a connection dropped in the middle of an answer: FHIR error', async () => {
    fault = (req, res, next) => {
      if (!isSearch(req, 'Observation')) return next();
      res.status(200).type('application/fhir+json');
      res.write('{"resourceType":"Bundle","entry":[');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    expect(await liveCallUnder('connection dropped mid-answer')).toMatchObject({
      outcome: 'fhir-error',
    });
  });

  it("a next link to another server: not followed, and the hook's token never leaves the FHIR server", async () => {
    fault = (req, res, next) =>
      isSearch(req, 'Observation')
        ? void res.json(searchset([], `${stranger.url}/fhir/Observation?page=2`))
        : next();
    const line = await liveCallUnder('next link to another server');
    expect(JSON.stringify(line.problems)).toMatch(/paging-off-server/);
    expect(stranger.seen).toHaveLength(0);
  });

  it("a redirect to another server: not followed, and the hook's token never leaves the FHIR server", async () => {
    fault = (req, res, next) =>
      isSearch(req, 'Condition')
        ? void res.redirect(307, `${stranger.url}/fhir/Condition`)
        : next();
    expect(await liveCallUnder('307 redirect to another server')).toMatchObject({
      outcome: 'fhir-error',
    });
    expect(stranger.seen).toHaveLength(0);
  });

  it('an answer over the size limit: FHIR error, not read to the end', async () => {
    const small = await startTestService({
      now: () => new Date(NOW),
      budgetMs: BUDGET_MS,
      overrides: { fhir: { maxPages: 200, maxResponseBytes: 64 * 1024 } },
    });
    try {
      const page = JSON.stringify(
        searchset(
          Array.from({ length: 2_000 }, (_, i) => ({ resourceType: 'Observation', id: `o${i}` })),
        ),
      );
      fault = (req, res, next) =>
        isSearch(req, 'Observation') ? void res.type('application/fhir+json').send(page) : next();
      const res = await small.call(SERVICE, {
        json: patientView(patientIdOf(patient), { fhirServer: fhir.url, accessToken: TOKEN }),
      });
      expect(((await res.json()) as { cards: unknown[] }).cards).toEqual([]);
      const line = small.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'hook answered');
      expect(JSON.stringify(line?.problems)).toMatch(/bad-response/);
    } finally {
      await small.close();
    }
  });

  it('is healthy after all the faults', async () => {
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect(service.logs.filter((l) => l.includes('unhandled error'))).toEqual([]);
  });
});
