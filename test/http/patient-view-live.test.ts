import type { Bundle } from 'fhir/r4';
import type { RequestHandler } from 'express';
import { startFhirServer, type RunningFhirServer } from '../../src/fhir-server';
import { generatePatient } from '../../src/synthetic';
import {
  patientIdOf,
  patientView,
  prefetchFor,
  startTestService,
  type TestService,
} from '../support/test-service';

const NOW = '2026-03-01T08:00:00Z';
const SERVICE = '/cds-services/stellar-screening';
const TOKEN = 'hook-access-token-1234567890';

interface Card {
  uuid: string;
  summary: string;
  detail: string;
}

/** A FHIR fault switchable per test: the server's beforeRequest hook consults it. */
let fault: RequestHandler | undefined;

async function cardsOf(res: Response): Promise<Card[]> {
  expect(res.status).toBe(200);
  return ((await res.json()) as { cards: Card[] }).cards;
}

function hookLog(service: TestService): Record<string, unknown>[] {
  return service.logs
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === 'hook answered');
}

describe('patient-view with data from the FHIR server', () => {
  let fhir: RunningFhirServer;
  let service: TestService;
  const likely = generatePatient({ seed: 31, scenario: 'likely-ards', now: NOW });
  const excluded = generatePatient({ seed: 32, scenario: 'excluded-solid-cancer', now: NOW });
  const possible = generatePatient({ seed: 33, scenario: 'possible-missing-peep', now: NOW });

  beforeAll(async () => {
    fhir = await startFhirServer({
      defaultPageSize: 25,
      maxPageSize: 25,
      authorize: (req) => req.headers.authorization === `Bearer ${TOKEN}`,
      beforeRequest: (req, res, next) => (fault ? fault(req, res, next) : next()),
    });
    await fhir.load([likely, excluded, possible]);
    service = await startTestService({ now: () => new Date(NOW), budgetMs: 3000 });
  });
  afterAll(async () => {
    await service.close();
    await fhir.close();
  });
  afterEach(() => {
    fault = undefined;
  });

  const liveCall = (bundle: Bundle, prefetch?: Record<string, unknown>, token = TOKEN) =>
    service.call(SERVICE, {
      json: patientView(patientIdOf(bundle), {
        fhirServer: fhir.url,
        accessToken: token,
        ...(prefetch ? { prefetch } : {}),
      }),
    });

  it('fetches everything itself when the EHR prefetches nothing, and gives the same card', async () => {
    const fromPrefetch = await cardsOf(
      await service.call(SERVICE, {
        json: patientView(patientIdOf(likely), { prefetch: prefetchFor(likely) }),
      }),
    );
    const live = await cardsOf(await liveCall(likely));
    expect(live).toHaveLength(1);
    expect(live[0]?.summary).toBe(fromPrefetch[0]?.summary);
    expect(live[0]?.detail).toBe(fromPrefetch[0]?.detail);
  });

  it('follows every page of a search (pages of 25) in one wave of parallel queries', async () => {
    fhir.requestLog.length = 0;
    await cardsOf(await liveCall(likely));
    const line = hookLog(service).at(-1) ?? {};
    const requests = line.fhirRequests as number;
    expect(requests).toBe(fhir.requestLog.length);
    // One request per query, then further pages: more requests than queries, and the longest
    // chain is the pages of the biggest search, not the sum of all of them.
    expect(requests).toBeGreaterThan(9);
    expect(line.sequentialRounds as number).toBeLessThan(requests);
    expect(fhir.requestLog.every((r) => !r.url.includes('_count=1000') || r.status === 200)).toBe(
      true,
    );
  });

  it('fetches only the keys missing from prefetch', async () => {
    const { conditions: _c, procedures: _p, ...partial } = prefetchFor(excluded);
    fhir.requestLog.length = 0;
    expect(await cardsOf(await liveCall(excluded, partial))).toEqual([]);
    const paths = fhir.requestLog.map((r) => new URL(r.url, 'http://x').pathname.split('/').pop());
    expect(new Set(paths)).toEqual(new Set(['Condition', 'Procedure']));
  });

  it('gives the possible candidate a card with the same evidence live as from prefetch', async () => {
    const fromPrefetch = await cardsOf(
      await service.call(SERVICE, {
        json: patientView(patientIdOf(possible), { prefetch: prefetchFor(possible) }),
      }),
    );
    const live = await cardsOf(await liveCall(possible));
    expect(live[0]?.summary).toMatch(/possible candidate/);
    expect(live[0]?.detail).toBe(fromPrefetch[0]?.detail);
  });

  it('answers 412 when the FHIR server refuses the hook token (expired)', async () => {
    const res = await liveCall(likely, undefined, 'expired-token');
    expect(res.status).toBe(412);
    const outcome = (await res.json()) as { issue: { diagnostics: string }[] };
    expect(outcome.issue[0]?.diagnostics).toMatch(/refused by the FHIR server/);
  });

  it('answers with no card and logs why when the FHIR server fails a query', async () => {
    fault = (req, res, next) =>
      req.url.includes('Condition')
        ? void res.status(500).json({ resourceType: 'OperationOutcome', issue: [] })
        : next();
    expect(await cardsOf(await liveCall(likely))).toEqual([]);
    expect(hookLog(service).at(-1)).toMatchObject({
      outcome: 'fhir-error',
      problems: ['conditions: server-error'],
    });
  });

  it('answers with no card when the FHIR server is down', async () => {
    const res = await service.call(SERVICE, {
      json: patientView(patientIdOf(likely), {
        fhirServer: 'http://127.0.0.1:9/fhir',
        accessToken: TOKEN,
      }),
    });
    expect(await cardsOf(res)).toEqual([]);
    expect(hookLog(service).at(-1)?.outcome).toBe('fhir-error');
  });
});

describe('patient-view with a slow FHIR server', () => {
  let fhir: RunningFhirServer;
  let service: TestService;
  const likely = generatePatient({ seed: 34, scenario: 'likely-ards', now: NOW });

  beforeAll(async () => {
    fhir = await startFhirServer({
      beforeRequest: (_req, _res, next) => void setTimeout(next, 5_000),
    });
    await fhir.load([likely]);
    service = await startTestService({ now: () => new Date(NOW), budgetMs: 300 });
  });
  afterAll(async () => {
    await service.close();
    await fhir.close();
  });

  it('answers within its time budget with no card, and logs that the budget ran out', async () => {
    const started = Date.now();
    const res = await service.call(SERVICE, {
      json: patientView(patientIdOf(likely), { fhirServer: fhir.url, accessToken: TOKEN }),
    });
    const elapsed = Date.now() - started;
    expect(await cardsOf(res)).toEqual([]);
    // Far below the server's 5 s delay: the budget, not the server, ended the call.
    expect(elapsed).toBeLessThan(4_000);
    expect(hookLog(service).at(-1)).toMatchObject({ outcome: 'budget-exceeded', budgetMs: 300 });
  });
});
