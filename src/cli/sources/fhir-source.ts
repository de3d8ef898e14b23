import { readFile } from 'node:fs/promises';
import type { FhirResource } from 'fhir/r4';
import type { ServiceDefinition } from '../../config/service-definition';
import { buildDataPlan, type DataPlan } from '../../fhir/data-plan';
import { createFhirReader, FhirFetchError, type FhirReader } from '../../fhir/fhir-search-client';
import { gatherPatientData, type GatheredData } from '../../fhir/gather-patient-data';
import type { RetryPolicy } from '../../fhir/retry-policy';
import { describeFileError, InputError } from '../cli-errors';
import type { FhirAuthChoice, PatientSelection } from '../cli-options';
import type { PatientRecord, PatientSource } from './patient-source';
import { selectPatients } from './select-patients';
import { serverFailure } from './server-failure';
import { backendServicesTokens, systemScopes, type AccessTokens } from './smart-backend-auth';

export interface FhirSourceOptions {
  baseUrl: string;
  auth: FhirAuthChoice;
  selection: PatientSelection;
  /** Patients gathered at a time. */
  concurrency: number;
  /** Time budget of one patient's requests, retries and backoffs included. */
  patientTimeoutMs: number;
  retries: number;
  definition: ServiceDefinition;
  /** Evaluation time (ISO): the date bounds of the searches. */
  now: string;
  /** Wall clock: token expiry. */
  clock: () => Date;
}

/** Limits that stop a misbehaving server from running the screener out of memory or time. */
const MAX_PAGES = 1000;
const MAX_RESPONSE_BYTES = 64 << 20;
const SETUP_TIMEOUT_MS = 30_000;

function retryPolicy(retries: number): RetryPolicy {
  return { retries, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };
}

function fixedToken(token: string): AccessTokens {
  return { current: () => Promise.resolve(token), renewable: false, invalidate: () => undefined };
}

async function accessTokens(
  options: FhirSourceOptions,
  plan: DataPlan,
): Promise<AccessTokens | undefined> {
  const { auth } = options;
  switch (auth.kind) {
    case 'none':
      return undefined;
    case 'token':
      return fixedToken(auth.token);
    case 'token-file': {
      let text: string;
      try {
        text = (await readFile(auth.path, 'utf8')).trim();
      } catch (cause) {
        throw new InputError(describeFileError(auth.path, cause), { cause });
      }
      if (text === '') throw new InputError(`${auth.path}: the token file is empty`);
      return fixedToken(text);
    }
    case 'smart-backend': {
      const types = plan.queries.map((q) => q.resourceType as string);
      if (options.selection.kind === 'group') types.push('Group');
      return backendServicesTokens({
        baseUrl: options.baseUrl,
        clientId: auth.clientId,
        privateKeyPath: auth.privateKeyPath,
        ...(auth.keyId !== undefined ? { keyId: auth.keyId } : {}),
        scope: auth.scope ?? systemScopes(types),
        now: options.clock,
        retry: retryPolicy(options.retries),
        requestTimeoutMs: SETUP_TIMEOUT_MS,
      });
    }
  }
}

/**
 * Asks for the server's CapabilityStatement first, so a wrong URL, a dead server or refused
 * credentials stop the run with one clear message instead of failing every patient.
 */
async function checkServer(reader: FhirReader, baseUrl: string): Promise<void> {
  try {
    const metadata = (await reader.read('metadata', AbortSignal.timeout(SETUP_TIMEOUT_MS))) as {
      resourceType?: unknown;
    };
    if (metadata?.resourceType !== 'CapabilityStatement') {
      throw new InputError(
        `${baseUrl} does not look like a FHIR server (no CapabilityStatement at /metadata)`,
      );
    }
  } catch (error) {
    if (!(error instanceof FhirFetchError)) throw error;
    if (error.problem === 'not-found') {
      throw new InputError(`${baseUrl} does not look like a FHIR server (no /metadata)`, {
        cause: error,
      });
    }
    throw serverFailure(error, baseUrl, 'reading the CapabilityStatement');
  }
}

/** What went wrong for one patient, grouped by problem: "could not read bloodGases, conditions (server-error)". */
function describeFailures(failures: GatheredData['failures'], budgetMs: number): string[] {
  const byProblem = new Map<string, string[]>();
  for (const f of failures) byProblem.set(f.problem, [...(byProblem.get(f.problem) ?? []), f.key]);
  return [...byProblem].map(([problem, keys]) =>
    problem === 'aborted'
      ? `time budget of ${budgetMs / 1000} s ran out before ${keys.join(', ')} arrived`
      : `could not read ${keys.join(', ')} (${problem})`,
  );
}

function isResource(value: unknown): value is FhirResource {
  return (
    !!value && typeof value === 'object' && typeof (value as FhirResource).resourceType === 'string'
  );
}

/**
 * Patients of a FHIR server: the members of a Group, the patients named, or those ventilated now;
 * each gathered by the shared data plan (the same searches as the CDS service, every page
 * followed) with `concurrency` patients at a time, each inside its own time budget. Transient
 * failures (429, 502-504, network) are retried with backoff; a patient whose data could not all
 * be had is still screened with what arrived (missing types unavailable) and named on stderr.
 * @throws InputError (before any patient) when the server or its token endpoint cannot be used
 */
export async function fhirSource(options: FhirSourceOptions): Promise<PatientSource> {
  const { baseUrl, definition } = options;
  const plan = buildDataPlan(definition);
  const retry = retryPolicy(options.retries);
  const nowMs = Date.parse(options.now);
  const tokens = await accessTokens(options, plan);
  // A reader per use, so each picks up a renewed token on a long run.
  const newReader = async () => {
    const accessToken = await tokens?.current();
    return createFhirReader({
      serverUrl: baseUrl,
      ...(accessToken !== undefined ? { accessToken } : {}),
      maxPages: MAX_PAGES,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      retry,
    });
  };
  await checkServer(await newReader(), baseUrl);

  return async function* readServer(reporter, signal) {
    const ids = await selectPatients(options.selection, await newReader(), {
      definition,
      baseUrl,
      nowMs,
      signal,
      reporter,
    });
    const stop = new AbortController();
    const runSignal = AbortSignal.any([signal, stop.signal]);

    /** One try at a patient's data; undefined problems mean every query answered. */
    const gatherOnce = async (patientId: string): Promise<GatheredData | string> => {
      let reader: FhirReader;
      try {
        reader = await newReader();
      } catch (error) {
        return `no access token (${(error as Error).message})`;
      }
      try {
        return await gatherPatientData({
          plan,
          patientId,
          prefetch: undefined,
          reader,
          now: nowMs,
          signal: AbortSignal.any([runSignal, AbortSignal.timeout(options.patientTimeoutMs)]),
        });
      } catch (error) {
        // Not a FHIR problem (those come back as failures): still one patient, not the run.
        return `gathering failed (${(error as Error)?.name ?? 'error'})`;
      }
    };
    const refused = (data: GatheredData | string) =>
      typeof data !== 'string' && data.failures.some((f) => f.problem === 'unauthorized');

    const gather = async (patientId: string): Promise<PatientRecord> => {
      const patient = `Patient/${patientId}`;
      let data = await gatherOnce(patientId);
      if (refused(data) && tokens?.renewable) {
        // The token may have been revoked or expired early: one more try with a new one.
        tokens.invalidate();
        data = await gatherOnce(patientId);
      }
      if (refused(data)) {
        // Every other patient would be refused too: stop with one clear line.
        throw serverFailure(
          new FhirFetchError('unauthorized', 'refused', 401),
          baseUrl,
          'reading patient data',
        );
      }
      if (typeof data === 'string') {
        return { patient, resources: [], availability: {}, problems: [data] };
      }
      return {
        patient,
        resources: data.resources.filter(isResource),
        availability: data.availability,
        problems: describeFailures(data.failures, options.patientTimeoutMs),
      };
    };

    const inFlight = new Map<number, Promise<{ slot: number; record: PatientRecord }>>();
    let next = 0;
    const start = (slot: number) => {
      const id = ids[next++] as string;
      const task = gather(id).then((record) => ({ slot, record }));
      // Raced below; if the run stops first, a late failure must not go unhandled.
      task.catch(() => undefined);
      inFlight.set(slot, task);
    };
    try {
      for (let slot = 0; slot < Math.min(options.concurrency, ids.length); slot++) start(slot);
      let done = 0;
      while (inFlight.size > 0) {
        reporter.progress({ phase: 'screening', done, total: ids.length, unit: 'patients' });
        const { slot, record } = await Promise.race(inFlight.values());
        inFlight.delete(slot);
        signal.throwIfAborted();
        if (next < ids.length) start(slot);
        yield record;
        done++;
      }
    } finally {
      // The caller stopped early: let no request run on.
      stop.abort();
    }
  };
}
