import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PORT_SETTINGS, type DemoConfig } from './demo-config';

/** A part's HTTP server, listening, whose request handler is attached later. */
export interface BoundServer {
  server: Server;
  port: number;
  url: string;
}

export type Part = keyof DemoConfig['ports'];

/** A port that could not be opened, with what to do about it. */
export class PortError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PortError';
  }
}

function listen(server: Server, port: number, host: string, part: Part): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const setting = PORT_SETTINGS[part];
    server.once('error', (error: NodeJS.ErrnoException) => {
      const fix = `start the demo with ${setting.flag} <port> (or ${setting.env}=<port>; 0 picks a free one)`;
      reject(
        new PortError(
          error.code === 'EADDRINUSE'
            ? `Port ${port} on ${host} (${setting.part}) is already in use: stop what uses it, or ${fix}`
            : error.code === 'EACCES'
              ? `Not allowed to listen on port ${port} (${setting.part}): ${fix}`
              : `Cannot listen on ${host}:${port} (${setting.part}): ${error.message}`,
          { cause: error },
        ),
      );
    });
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

/**
 * Opens every part's port before anything starts, so a taken port stops the demo at once with a
 * message naming the part and the option to change, and every part knows the others' URLs
 * (ports given as 0 are only known once bound).
 */
export async function bindPorts(config: DemoConfig): Promise<Record<Part, BoundServer>> {
  const bound: Partial<Record<Part, BoundServer>> = {};
  try {
    for (const part of Object.keys(config.ports) as Part[]) {
      const server = createServer();
      const address = await listen(server, config.ports[part], config.host, part);
      // Listening on every interface: the browser still reaches it on loopback.
      const shown = ['0.0.0.0', '::'].includes(address.address) ? '127.0.0.1' : address.address;
      const host = shown.includes(':') ? `[${shown}]` : shown;
      bound[part] = { server, port: address.port, url: `http://${host}:${address.port}` };
    }
  } catch (error) {
    await Promise.all(
      Object.values(bound).map(
        (b) => new Promise<void>((resolve) => b.server.close(() => resolve())),
      ),
    );
    throw error;
  }
  return bound as Record<Part, BoundServer>;
}
