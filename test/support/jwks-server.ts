import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A CDS client's JWK Set served over real HTTP on 127.0.0.1, for tests. */
export interface JwksServer {
  /** The JWK Set URL, e.g. `http://127.0.0.1:41234/jwks.json`. */
  readonly url: string;
  /** Requests received so far, on any path (read it again after each call: it is live). */
  readonly requests: number;
  /** Replaces the served keys, as a client rotating its keys does. */
  setKeys(keys: readonly object[]): void;
  /** Stops the server and drops kept-alive connections. */
  close(): Promise<void>;
}

/**
 * Starts a JWK Set server on a free port of 127.0.0.1 serving `{ keys }` at `/jwks.json`
 * (404 elsewhere) and counting every request, so tests can assert how often keys were fetched.
 */
export async function startJwksServer(keys: readonly object[]): Promise<JwksServer> {
  let served = keys;
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    if (req.method !== 'GET' || req.url !== '/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: served }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    get requests() {
      return requests;
    },
    setKeys(next) {
      served = next;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // fetch keeps connections alive; without this close() would wait for them to time out.
        server.closeAllConnections();
      });
    },
  };
}
