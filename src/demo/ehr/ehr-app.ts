import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Bundle, FhirResource } from 'fhir/r4';
import type { CdsCard, CdsHookRequest } from '../../cds/cds-hooks-types';
import type { AuthServer } from '../auth/auth-server';
import type { DemoCensus } from '../census';
import { CdsCallError, type CdsClient } from './cds-client';
import { buildChart, buildPatientRow, type PatientRow } from './chart-data';
import { fetchPrefetch } from './prefetch';

/** A SMART app registered with the demo EHR (its app menu, and the launches it allows). */
export interface RegisteredApp {
  id: string;
  name: string;
  launchUrl: string;
}

export interface EhrAppOptions {
  fhirBase: string;
  census: DemoCensus;
  cds: CdsClient;
  auth: Pick<AuthServer, 'registerLaunch' | 'mintAccessToken'>;
  apps: readonly RegisteredApp[];
  user: { reference: string; display: string };
  /** Client id the CDS service acts as with the hook's token (`fhirAuthorization.subject`). */
  cdsClientId: string;
  /** Shown on the chart's "about this demo" line. */
  links: Record<string, string>;
  /** Built pages and scripts (`dist/browser/ehr`). */
  assetsDir: string;
  /** Told about failed calls (without patient data). */
  onError?: (message: string) => void;
}

/** A card the EHR showed, kept so accepting or dismissing acts on what the service sent. */
interface IssuedCard {
  patientId: string;
  serviceId: string;
  card: CdsCard;
}

const HOOK_TOKEN_SECONDS = 300;
const HOOK_SCOPE = 'patient/*.read';
const EHR_SCOPE = 'user/*.read user/ServiceRequest.write user/Communication.write';

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The demo EHR's backend and pages. Like a real EHR it does the CDS Hooks work on the server:
 * discovery, filling the prefetch templates against its FHIR server, minting the hook's
 * `fhirAuthorization` token, signing the call with its key; and it acts on the cards it was sent
 * (creating a suggestion's resource, sending feedback, registering a SMART launch context).
 */
export function createEhrApp(options: EhrAppOptions): express.Express {
  const issued = new Map<string, IssuedCard>();
  let ehrToken: { token: string; expires: number } | undefined;
  const tokenForEhr = async () => {
    if (!ehrToken || ehrToken.expires - Date.now() < 60_000) {
      const token = await options.auth.mintAccessToken({
        scope: EHR_SCOPE,
        subject: options.user.reference,
        clientId: 'demo-ehr',
        expiresInSeconds: 3600,
      });
      ehrToken = { token, expires: Date.now() + 3_600_000 };
    }
    return ehrToken.token;
  };
  const fhir = async (path: string, init: RequestInit = {}): Promise<unknown> => {
    const res = await fetch(`${options.fhirBase}/${path}`, {
      ...init,
      headers: {
        accept: 'application/fhir+json',
        authorization: `Bearer ${await tokenForEhr()}`,
        ...(init.body ? { 'content-type': 'application/fhir+json' } : {}),
      },
    });
    if (!res.ok) {
      await res.body?.cancel();
      throw new HttpProblem(502, `the FHIR server answered ${res.status}`);
    }
    return res.json();
  };
  const entries = (bundle: unknown): FhirResource[] =>
    ((bundle as Bundle).entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  const known = (id: string) => options.census.patients.find((p) => p.id === id);

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Referrer-Policy', 'no-referrer');
    next();
  });
  app.use(express.json({ limit: '64kb' }));
  app.get('/', (_req, res) => {
    res.set('Cache-Control', 'no-store').sendFile(join(options.assetsDir, 'index.html'));
  });
  app.use('/assets', express.static(options.assetsDir, { index: false, maxAge: '5m' }));

  const api = express.Router();
  api.get('/session', (_req, res) => {
    res.json({
      user: options.user,
      apps: options.apps.map(({ id, name }) => ({ id, name })),
      links: options.links,
      censusAt: options.census.now,
    });
  });

  api.get('/patients', async (_req, res) => {
    const [patients, encounters] = await Promise.all([
      fhir('Patient?_count=200'),
      fhir('Encounter?status=in-progress&_count=500'),
    ]);
    const rows: PatientRow[] = [];
    for (const demo of options.census.patients) {
      const patient = entries(patients).find(
        (r) => r.resourceType === 'Patient' && r.id === demo.id,
      );
      if (!patient || patient.resourceType !== 'Patient') continue;
      rows.push(buildPatientRow(demo, patient, entries(encounters), new Date()));
    }
    res.json({ patients: rows });
  });

  api.get('/patients/:id/chart', async (req, res) => {
    const demo = known(String(req.params.id));
    if (!demo) throw new HttpProblem(404, 'no such patient on this unit');
    const q = encodeURIComponent(demo.id);
    const [patient, conditions, observations, encounters] = await Promise.all([
      fhir(`Patient/${q}`),
      fhir(`Condition?patient=${q}&_count=200`),
      fhir(`Observation?patient=${q}&_sort=-date&_count=150`),
      fhir(`Encounter?patient=${q}&status=in-progress`),
    ]);
    res.json(
      buildChart(demo, patient as FhirResource, {
        conditions: entries(conditions),
        observations: entries(observations),
        encounters: entries(encounters),
        now: new Date(),
      }),
    );
  });

  api.post('/patients/:id/cds', async (req, res) => {
    const demo = known(String(req.params.id));
    if (!demo) throw new HttpProblem(404, 'no such patient on this unit');
    const started = performance.now();
    const discovery = await options.cds.discover();
    const discoveredAt = performance.now();
    const services = discovery.services.filter((s) => s.hook === 'patient-view');
    const [ehr, hookToken] = await Promise.all([
      tokenForEhr(),
      options.auth.mintAccessToken({
        scope: HOOK_SCOPE,
        subject: options.cdsClientId,
        clientId: options.cdsClientId,
        patient: demo.id,
        expiresInSeconds: HOOK_TOKEN_SECONDS,
      }),
    ]);
    const context = { userId: options.user.reference, patientId: demo.id };
    const answers = await Promise.all(
      services.map(async (service) => {
        const t0 = performance.now();
        const { prefetch, outcomes } = await fetchPrefetch(service.prefetch ?? {}, context, {
          base: options.fhirBase,
          accessToken: ehr,
        });
        const t1 = performance.now();
        const request: CdsHookRequest = {
          hook: 'patient-view',
          hookInstance: randomUUID(),
          fhirServer: options.fhirBase,
          fhirAuthorization: {
            access_token: hookToken,
            token_type: 'Bearer',
            expires_in: HOOK_TOKEN_SECONDS,
            scope: HOOK_SCOPE,
            subject: options.cdsClientId,
            patient: demo.id,
          },
          context,
          prefetch,
        };
        try {
          const answer = await options.cds.callService(
            service.id,
            request,
            AbortSignal.timeout(10_000),
          );
          const cards = Array.isArray(answer.cards) ? answer.cards : [];
          for (const card of cards) {
            if (card.uuid)
              issued.set(card.uuid, { patientId: demo.id, serviceId: service.id, card });
          }
          return {
            id: service.id,
            title: service.title ?? service.id,
            cards,
            prefetch: outcomes,
            timings: { prefetchMs: t1 - t0, callMs: performance.now() - t1 },
          };
        } catch (error) {
          const message =
            error instanceof CdsCallError
              ? error.message
              : `the service could not be reached (${(error as Error).message})`;
          options.onError?.(
            `CDS call to ${service.id} failed: ${error instanceof CdsCallError ? error.status : 'network'}`,
          );
          return { id: service.id, title: service.title ?? service.id, cards: [], error: message };
        }
      }),
    );
    res.json({
      services: answers,
      timings: { discoveryMs: discoveredAt - started, totalMs: performance.now() - started },
    });
  });

  /** Card of a request, checked to belong to the patient it names. */
  const issuedCard = (req: Request): IssuedCard => {
    const entry = issued.get(String(req.params.uuid));
    if (!entry || entry.patientId !== String(req.body?.patientId)) {
      throw new HttpProblem(404, 'this card is no longer open: reopen the chart');
    }
    return entry;
  };

  api.post('/launch', (req, res) => {
    const patientId = String(req.body?.patientId ?? '');
    if (!known(patientId)) throw new HttpProblem(404, 'no such patient on this unit');
    let url: string;
    let appContext: string | undefined;
    if (typeof req.body?.cardUuid === 'string') {
      const entry = issuedCard({
        ...req,
        params: { uuid: req.body.cardUuid },
      } as unknown as Request);
      const link = entry.card.links?.[Number(req.body.linkIndex)];
      if (!link || link.type !== 'smart')
        throw new HttpProblem(400, 'that link is not a SMART app');
      url = link.url;
      appContext = link.appContext;
    } else {
      const app = options.apps.find((a) => a.id === req.body?.appId);
      if (!app) throw new HttpProblem(404, 'no such app');
      url = app.launchUrl;
    }
    // An EHR launches only apps it registered, whatever URL a card names.
    if (!options.apps.some((a) => url === a.launchUrl)) {
      throw new HttpProblem(403, `${url} is not a registered SMART app of this EHR`);
    }
    const launch = options.auth.registerLaunch({
      patient: patientId,
      ...(appContext !== undefined ? { appContext } : {}),
    });
    const target = new URL(url);
    target.searchParams.set('launch', launch);
    target.searchParams.set('iss', options.fhirBase);
    res.json({ url: target.href });
  });

  api.post('/cards/:uuid/accept', async (req, res) => {
    const entry = issuedCard(req);
    const suggestion = entry.card.suggestions?.find((s) => s.uuid === req.body?.suggestionUuid);
    if (!suggestion?.uuid) throw new HttpProblem(404, 'no such suggestion on the card');
    const created: string[] = [];
    for (const action of suggestion.actions ?? []) {
      if (action.type !== 'create' || !action.resource) {
        throw new HttpProblem(400, `this EHR does not carry out "${action.type}" suggestions`);
      }
      const resource = (await fhir(action.resource.resourceType, {
        method: 'POST',
        body: JSON.stringify(action.resource),
      })) as FhirResource;
      created.push(`${resource.resourceType}/${resource.id ?? ''}`);
    }
    await options.cds.sendFeedback(entry.serviceId, [
      {
        card: entry.card.uuid ?? '',
        outcome: 'accepted',
        acceptedSuggestions: [{ id: suggestion.uuid }],
        outcomeTimestamp: new Date().toISOString(),
      },
    ]);
    issued.delete(String(req.params.uuid));
    res.json({ created });
  });

  api.post('/cards/:uuid/dismiss', async (req, res) => {
    const entry = issuedCard(req);
    const code = typeof req.body?.reason === 'string' ? req.body.reason : undefined;
    const reason = code ? entry.card.overrideReasons?.find((r) => r.code === code) : undefined;
    if (code && !reason) throw new HttpProblem(400, 'that is not one of the card’s reasons');
    const comment =
      typeof req.body?.comment === 'string' ? req.body.comment.trim().slice(0, 500) : '';
    await options.cds.sendFeedback(entry.serviceId, [
      {
        card: entry.card.uuid ?? '',
        outcome: 'overridden',
        ...(reason || comment
          ? {
              overrideReason: {
                ...(reason ? { reason } : {}),
                ...(comment ? { userComment: comment } : {}),
              },
            }
          : {}),
        outcomeTimestamp: new Date().toISOString(),
      },
    ]);
    issued.delete(String(req.params.uuid));
    res.json({ dismissed: true });
  });

  app.use('/api', api);
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status =
      error instanceof HttpProblem ? error.status : error instanceof CdsCallError ? 502 : 500;
    const message = error instanceof Error ? error.message : 'unexpected error';
    if (status >= 500) options.onError?.(`EHR request failed: ${message}`);
    res.status(status).json({ error: message });
  });
  return app;
}
