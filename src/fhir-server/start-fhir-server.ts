import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ServiceError } from '../errors/service-error';
import {
  createFhirServerApp,
  normalizeBasePath,
  reportToStderr,
  type FhirServerAppOptions,
} from './fhir-app';
import { sendError } from './fhir-http';
import { createFhirStore, type FhirStore } from './fhir-store';
import type { LoadInput } from './load-input';
import type { RequestLogEntry } from './request-log';

/** Options of {@link startFhirServer}. */
export interface FhirServerOptions extends FhirServerAppOptions {
  /** Interface to listen on (default `127.0.0.1`: loopback only). */
  host?: string;
  /** Port to listen on; 0 (default) takes any free port (read it from `url`). */
  port?: number;
}

/** A running FHIR server. */
export interface RunningFhirServer {
  /** The FHIR base URL, without a trailing slash: `http://127.0.0.1:41234/fhir`. */
  readonly url: string;
  /** The store it serves. */
  readonly store: FhirStore;
  /** Every request it answered, oldest first (see `RequestLogEntry`); clear with `length = 0`. */
  readonly requestLog: RequestLogEntry[];
  /** Stores resources or Bundles, keeping ids (see `FhirStore.load`); resolves to their number. */
  load(input: LoadInput): Promise<number>;
  /** Stops listening and closes open connections; safe to call twice. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const where = `port ${port} on ${host}`;
      const message =
        err.code === 'EADDRINUSE'
          ? `Cannot start the FHIR server: ${where} is already in use; choose another port, or 0 for any free one`
          : err.code === 'EACCES'
            ? `Cannot start the FHIR server: no permission to listen on ${where}`
            : `Cannot start the FHIR server on ${where}: ${err.message}`;
      reject(new Error(message, { cause: err }));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Starts a FHIR R4 server on loopback (see `createFhirServerApp` for what it serves) and resolves
 * once it listens.
 *
 * ```ts
 * const fhir = await startFhirServer({ defaultPageSize: 50 });
 * await fhir.load(generateCensus({ seed: 1, now, count: 12 }));
 * // ... GET `${fhir.url}/Observation?patient=...`
 * await fhir.close();
 * ```
 * @throws Error naming the port when it is in use or cannot be opened, RangeError on bad options
 */
export async function startFhirServer(options: FhirServerOptions = {}): Promise<RunningFhirServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be a whole number from 0 to 65535, got ${port}`);
  }
  const basePath = normalizeBasePath(options.basePath ?? '/fhir');
  const store =
    options.store ??
    createFhirStore({ ...options, onInternalError: options.onError ?? reportToStderr });
  const requestLog = options.requestLog ?? [];
  const app = express();
  app.disable('x-powered-by');
  app.use(createFhirServerApp({ ...options, basePath, store, requestLog }));
  // Outside the FHIR base too, a FHIR client gets an OperationOutcome, not express's HTML page.
  app.use((req, res) => {
    sendError(
      res,
      new ServiceError(404, `No FHIR endpoint at ${req.path}; the FHIR base is ${basePath || '/'}`),
    );
  });
  const server = createServer(app);
  const address = await listen(server, port, host);
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostInUrl}:${address.port}${basePath}`;
  store.addLocalBase(url);

  let closing: Promise<void> | undefined;
  return {
    url,
    store,
    requestLog,
    load: (input) => store.load(input),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
