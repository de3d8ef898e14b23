import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Writable } from 'node:stream';
import { answerHook } from '../../src/cds/screening-service';
import { validateHookRequest } from '../../src/cds/validate-hook-request';
import { defaultServerConfig } from '../../src/config/server-config';
import { createLogger } from '../../src/observability/logger';
import { buildService, type BuiltService } from '../../src/server/build-service';
import { generatePatient } from '../../src/synthetic';
import { patientIdOf, patientView, prefetchFor } from '../support/test-service';

// A full garbage collection on demand, without starting Jest with --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const NOW = '2026-03-01T08:00:00Z';

describe('answerHook memory', () => {
  let dir: string;
  let built: BuiltService;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stellar-memory-'));
    const base = defaultServerConfig();
    const config = {
      ...base,
      // A long budget, as a site may set: nothing of a call may live on until it runs out.
      budgetMs: 60_000,
      feedbackDbPath: join(dir, 'feedback.sqlite'),
      idSecret: 'test-secret-for-card-ids',
    };
    const log = createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });
    built = buildService(config, { log, now: () => new Date(NOW) });
  });
  afterAll(() => {
    built.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Answers one call and returns a weak reference to its prefetched Patient. */
  async function answerOnce(seed: number): Promise<WeakRef<object>> {
    const bundle = generatePatient({ seed, scenario: 'likely-ards', now: NOW });
    const request = validateHookRequest(
      patientView(patientIdOf(bundle), { prefetch: prefetchFor(bundle) }),
      ['patient-view'],
    );
    const answer = await answerHook(built.service, request, new AbortController().signal);
    expect(answer.cards).toHaveLength(1);
    return new WeakRef(request.prefetch?.patient as object);
  }

  it("lets go of a call's data once it is answered, not when the time budget runs out", async () => {
    const refs = [await answerOnce(90), await answerOnce(91), await answerOnce(92)];
    await new Promise((r) => setImmediate(r));
    gc();
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });
});
