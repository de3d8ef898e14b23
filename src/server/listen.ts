import type { Server } from 'node:http';
import type { Express } from 'express';
import { ServiceError } from '../errors/service-error';

/**
 * Starts listening with the timeouts a service in the path of every chart open needs: slow
 * uploads (slow-loris) and idle sockets are cut off. A port already taken is a clear error
 * naming the port, not an unhandled crash.
 */
export function listen(
  app: Express,
  options: { host: string; port: number; requestTimeoutMs: number },
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(options.port, options.host);
    server.requestTimeout = options.requestTimeoutMs;
    server.headersTimeout = Math.min(options.requestTimeoutMs, 10_000);
    server.keepAliveTimeout = 5_000;
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new ServiceError(
            500,
            `Port ${options.port} on ${options.host} is already in use: stop what uses it or choose another port`,
            { cause: error },
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new ServiceError(500, `Not allowed to listen on port ${options.port}`, { cause: error }),
        );
      } else {
        reject(error);
      }
    });
  });
}
