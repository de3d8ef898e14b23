#!/usr/bin/env node
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../config/config-file';
import { DEFAULT_ID_SECRET, loadServerConfig } from '../config/server-config';
import { ServiceError } from '../errors/service-error';
import { createApp } from '../http/create-app';
import { createLogger } from '../observability/logger';
import { mountSmartApp } from '../smart-app/smart-app-routes';
import { buildService } from './build-service';
import { listen } from './listen';

/** `stellar-cds`: the CDS Hooks service, configured from the environment (see README). */
async function main(): Promise<number> {
  let log = createLogger();
  try {
    const config = loadServerConfig();
    log = createLogger({ level: config.logLevel });
    if (config.idSecret === DEFAULT_ID_SECRET) {
      log.warn('STELLAR_ID_SECRET is not set: card ids use the built-in default secret');
    }
    if (!config.auth.enabled) {
      log.warn('CDS client authentication is OFF: for a local demo only, never in production');
    }
    const built = buildService(config, { log });
    // The SMART worksheet the card links to is served by the same process, at /smart.
    const app = createApp(config, {
      ...built,
      mount: (a) =>
        mountSmartApp(a, { settings: config.smartApp, definition: built.service.definition }),
    });
    const server = await listen(app, config);
    const port = (server.address() as AddressInfo).port;
    log.info(
      { publicUrl: config.publicBaseUrl, host: config.host, port },
      `STELLAR CDS service listening on ${config.host}:${port}; discovery at ${config.publicBaseUrl}/cds-services`,
    );
    const stop = () => {
      log.info('shutting down');
      server.close(() => {
        built.store.close();
        process.exit(0);
      });
      setTimeout(() => process.exit(0), 5_000).unref();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ServiceError) {
      process.stderr.write(`stellar-cds: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`stellar-cds: unexpected error: ${(error as Error).message}\n`);
    return 1;
  }
}

void main().then((code) => {
  if (code !== 0) process.exit(code);
});
