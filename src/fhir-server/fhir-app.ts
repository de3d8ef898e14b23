import { created } from '@medplum/core';
import type { FhirRequest, HttpMethod } from '@medplum/fhir-router';
import type { Resource } from '@medplum/fhirtypes';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { ServiceError } from '../errors/service-error';
import { buildCapabilityStatement } from './capability-statement';
import { fhirErrorHandler, requestBase, sendError, sendFhir, sendFhirResponse } from './fhir-http';
import { createFhirStore, type FhirStore, type FhirStoreOptions } from './fhir-store';
import {
  allowCrossOrigin,
  checkAuthorization,
  formParams,
  knownId,
  knownType,
} from './fhir-middleware';
import { recordRequests, type RequestLogEntry } from './request-log';
import { prepareSearchQuery } from './search-query';

/** Options of {@link createFhirServerApp}. */
export interface FhirServerAppOptions extends Omit<FhirStoreOptions, 'onInternalError'> {
  /** The store to serve; default a new, empty one made with the page options here. */
  store?: FhirStore;
  /** Path of the FHIR base inside the app: `/fhir` (default) or `''` for the app's root. */
  basePath?: string;
  /**
   * Decides whether a request may proceed (for example, checks its bearer token); false gives
   * `401` with an OperationOutcome. `GET /metadata` and CORS preflights are always open, as on
   * SMART servers, where clients read the CapabilityStatement before they have a token.
   */
  authorize?: (req: Request) => boolean | Promise<boolean>;
  /** Express middleware run before anything else (after logging): tests inject faults here. */
  beforeRequest?: RequestHandler;
  /** Every request is appended here (the latest `REQUEST_LOG_LIMIT` are kept). */
  requestLog?: RequestLogEntry[];
  /** Absolute base URL for links and `fullUrl`s; default from the request's Host header. */
  publicBaseUrl?: string;
  /** Told about unexpected errors (answered 500); default one line on stderr. */
  onError?: (error: unknown) => void;
}

/** The default `onError`: one line on stderr, no stack trace. */
export function reportToStderr(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`fhir-server: unexpected error: ${message}\n`);
}

/** `/fhir` -> `/fhir`, `fhir/` -> `/fhir`, `/` or `''` -> `''`. */
export function normalizeBasePath(basePath: string): string {
  const trimmed = basePath.replace(/^\/+|\/+$/g, '');
  if (trimmed !== '' && !/^[A-Za-z0-9\-._~/]+$/.test(trimmed)) {
    throw new RangeError(`basePath must be a plain URL path such as /fhir, got "${basePath}"`);
  }
  return trimmed === '' ? '' : `/${trimmed}`;
}

/**
 * A FHIR R4 server as an express app, serving a {@link FhirStore} at `basePath`: CapabilityStatement,
 * read, vread, history, search (GET and POST `_search`), create, update and delete, JSON only.
 * Mount it in another app (`demo.use(createFhirServerApp({ store }))`) or let `startFhirServer`
 * run it. Every answer is `application/fhir+json`; every error an OperationOutcome.
 * @see https://hl7.org/fhir/R4/http.html
 */
export function createFhirServerApp(options: FhirServerAppOptions = {}): express.Express {
  const onError = options.onError ?? reportToStderr;
  const store = options.store ?? createFhirStore({ ...options, onInternalError: onError });
  const basePath = normalizeBasePath(options.basePath ?? '/fhir');
  const startedAt = new Date().toISOString();
  const router = express.Router();

  router.use(allowCrossOrigin);
  if (options.requestLog) router.use(recordRequests(options.requestLog));
  if (options.beforeRequest) router.use(options.beforeRequest);
  router.get('/metadata', (req, res) => {
    sendFhir(
      res,
      200,
      buildCapabilityStatement(requestBase(req, options.publicBaseUrl), startedAt),
    );
  });
  if (options.authorize) router.use(checkAuthorization(options.authorize));
  router.use(
    express.json({ type: ['application/json', 'application/fhir+json'], limit: '50mb' }),
    express.urlencoded({ extended: false, limit: '1mb' }),
  );

  const handle = async (req: Request, res: Response, fhirRequest: FhirRequest) => {
    const base = requestBase(req, options.publicBaseUrl);
    const response = await store.router.handleRequest(fhirRequest, store.repository);
    sendFhirResponse(res, response, base);
  };
  const fhirRequest = (
    req: Request,
    url: string,
    query: FhirRequest['query'] = {},
    body: unknown = undefined,
  ): FhirRequest => ({
    method: req.method as HttpMethod,
    url,
    pathname: '',
    params: {},
    query,
    body,
    headers: req.headers,
  });

  router.get('/:type', async (req, res) => {
    const type = knownType(req);
    const query = prepareSearchQuery(type, new URL(req.originalUrl, 'http://x').searchParams);
    await handle(req, res, fhirRequest(req, type, query));
  });
  router.post('/:type/_search', async (req, res) => {
    const type = knownType(req);
    const params = [
      ...new URL(req.originalUrl, 'http://x').searchParams,
      ...formParams(req.body),
    ] as const;
    // Medplum's POST _search reads the parameters from the body.
    await handle(req, res, {
      ...fhirRequest(req, `${type}/_search`),
      body: prepareSearchQuery(type, params),
    });
  });
  router.post('/:type', async (req, res) => {
    const type = knownType(req);
    const body = resourceBody(req, res);
    if (!body) return;
    await handle(req, res, fhirRequest(req, type, {}, body));
  });
  router.get('/:type/:id', async (req, res) => {
    await handle(req, res, fhirRequest(req, `${knownType(req)}/${knownId(req)}`));
  });
  router.get('/:type/:id/_history', async (req, res) => {
    await handle(req, res, fhirRequest(req, `${knownType(req)}/${knownId(req)}/_history`));
  });
  router.get('/:type/:id/_history/:vid', async (req, res) => {
    const vid = knownId(req, 'vid');
    await handle(req, res, fhirRequest(req, `${knownType(req)}/${knownId(req)}/_history/${vid}`));
  });
  router.put('/:type/:id', async (req, res) => {
    const type = knownType(req);
    const id = knownId(req);
    const body = resourceBody(req, res);
    if (!body) return;
    const existed = store.repository.hasResource(type, id);
    const response = await store.router.handleRequest(
      fhirRequest(req, `${type}/${id}`, {}, body),
      store.repository,
    );
    // Medplum answers 200 to an update that created the resource; FHIR says 201.
    const [, updated] = response;
    sendFhirResponse(
      res,
      !existed && updated ? [created, updated] : response,
      requestBase(req, options.publicBaseUrl),
    );
  });
  router.delete('/:type/:id', async (req, res) => {
    await handle(req, res, fhirRequest(req, `${knownType(req)}/${knownId(req)}`));
  });
  router.use((req, res) => {
    const known = /^\/(metadata|[A-Z][A-Za-z]+)(\/|$)/.test(req.path);
    sendError(
      res,
      known
        ? new ServiceError(405, `${req.method} ${req.path} is not supported by this server`, {
            issueCode: 'not-supported',
          })
        : new ServiceError(404, `No FHIR endpoint at ${req.path}`, { issueCode: 'not-found' }),
    );
  });
  router.use(fhirErrorHandler(onError));

  function resourceBody(req: Request, res: Response): Resource | undefined {
    const body: unknown = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body) || !('resourceType' in body)) {
      sendError(
        res,
        new ServiceError(400, 'The body must be a FHIR resource as application/fhir+json'),
      );
      return undefined;
    }
    const resource = body as Resource;
    store.localizeReferences(resource, requestBase(req, options.publicBaseUrl));
    return resource;
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', false);
  app.use(basePath || '/', router);
  return app;
}
