/**
 * Child process of the benchmarks and the soak test: runs the real service (or a bare express
 * endpoint) alone in its own process, so its memory is its own. Started by `startServiceProcess`
 * with its options as JSON in argv[2]; talks over the IPC channel:
 *   -> { type: 'listening', port }            once it listens on 127.0.0.1
 *   <- { type: 'stats', gc?: boolean }        -> { type: 'stats', rss, heapUsed, maxRssKb, ... }
 *   <- { type: 'stop' }                       closes and exits
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { defaultServerConfig, type ServerConfig } from '../../src/config/server-config';
import { createApp } from '../../src/http/create-app';
import { createLogger } from '../../src/observability/logger';
import { buildService } from '../../src/server/build-service';
import { listen } from '../../src/server/listen';

/** What the parent asks the child to run. */
export interface ServiceProcessOptions {
  /** The real service, or a bare express endpoint answering a fixed body. */
  kind: 'service' | 'bare';
  /** Service: trusted-issuers file; auth is off without one. */
  trustedIssuersFile?: string;
  /** Service: the public base URL tokens are addressed to. */
  publicBaseUrl?: string;
  /** Service: the evaluation time (ISO), fixed so a synthetic candidate stays one. */
  now?: string;
  budgetMs?: number;
  logLevel?: ServerConfig['logLevel'];
  /** Bare: the JSON answered to every POST. */
  fixedResponse?: string;
  bodyLimitBytes?: number;
}

/** Memory of the child, as it reports it. */
export interface ServiceProcessStats {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Peak resident set size since start, in KB (`process.resourceUsage().maxRSS`). */
  maxRssKb: number;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ServiceProcessOptions;
  const base = defaultServerConfig();
  const bodyLimitBytes = options.bodyLimitBytes ?? base.bodyLimitBytes;
  const dir = mkdtempSync(join(tmpdir(), 'stellar-bench-'));
  let close: () => void = () => undefined;

  if (options.kind === 'service') {
    const config: ServerConfig = {
      ...base,
      port: 0,
      publicBaseUrl: options.publicBaseUrl ?? 'http://bench.local',
      auth: {
        ...base.auth,
        enabled: options.trustedIssuersFile !== undefined,
        ...(options.trustedIssuersFile ? { trustedIssuersFile: options.trustedIssuersFile } : {}),
      },
      feedbackDbPath: join(dir, 'feedback.sqlite'),
      budgetMs: options.budgetMs ?? base.budgetMs,
      bodyLimitBytes,
      logLevel: options.logLevel ?? 'info',
      idSecret: 'bench-secret-for-card-ids',
    };
    // Logs go to stdout, which the parent points at /dev/null: the cost of writing them stays in.
    const log = createLogger({ level: config.logLevel });
    const now = options.now;
    const built = buildService(config, { log, ...(now ? { now: () => new Date(now) } : {}) });
    const server = await listen(createApp(config, built), config);
    close = () => {
      server.closeAllConnections();
      server.close();
      built.store.close();
    };
    process.send?.({ type: 'listening', port: (server.address() as { port: number }).port });
  } else {
    const app = express();
    app.disable('x-powered-by');
    const fixed = options.fixedResponse ?? '{"cards":[]}';
    app.post(
      '/cds-services/:id',
      express.json({ limit: bodyLimitBytes, type: ['application/json', 'application/*+json'] }),
      (_req, res) => {
        res.type('application/json').send(fixed);
      },
    );
    const server = await listen(app, {
      host: '127.0.0.1',
      port: 0,
      requestTimeoutMs: base.requestTimeoutMs,
    });
    close = () => {
      server.closeAllConnections();
      server.close();
    };
    process.send?.({ type: 'listening', port: (server.address() as { port: number }).port });
  }

  process.on('message', (message: { type: string; gc?: boolean }) => {
    if (message.type === 'stats') {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (message.gc && gc) gc();
      const stats: ServiceProcessStats = {
        ...process.memoryUsage(),
        maxRssKb: process.resourceUsage().maxRSS,
      };
      process.send?.({ type: 'stats', ...stats });
    } else if (message.type === 'stop') {
      close();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  // The parent went away: do not linger.
  process.on('disconnect', () => {
    close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`service-process: ${(error as Error).message}\n`);
  process.exit(1);
});
