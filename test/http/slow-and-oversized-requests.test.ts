import { connect, type Socket } from 'node:net';
import { startTestService, type TestService } from '../support/test-service';

const SERVICE = '/cds-services/stellar-screening';
const LIMIT = 64 * 1024;
/** Short enough to wait for in a test; the shipped default is 30 s. */
const REQUEST_TIMEOUT_MS = 1_500;

interface RawExchange {
  /** Everything the server sent before it closed the connection. */
  received: string;
  /** Milliseconds from the first byte sent to the server closing the connection. */
  closedAfterMs: number;
  /** Body bytes the client managed to send before the server closed. */
  bytesSent: number;
}

/**
 * Plays a client over a raw TCP socket (fetch cannot send slowly or lie about Content-Length):
 * sends `head`, then calls `feed` every `everyMs` until the server closes the connection or
 * `giveUpMs` passes.
 */
function rawExchange(
  url: string,
  head: string,
  feed: (socket: Socket) => number,
  everyMs: number,
  giveUpMs = 20_000,
): Promise<RawExchange> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const started = Date.now();
    let received = '';
    let bytesSent = 0;
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('data', (d: Buffer) => {
      received += d.toString('latin1');
      // A whole answer on a kept-alive connection: the exchange is over, hang up ourselves.
      if (responseComplete(received)) socket.destroy();
    });
    socket.on('error', () => undefined); // EPIPE/ECONNRESET once the server hangs up: expected
    socket.on('close', () => {
      clearTimeout(giveUp);
      clearInterval(timer);
      resolve({ received, closedAfterMs: Date.now() - started, bytesSent });
    });
    socket.write(head);
    const timer = setInterval(() => {
      if (!socket.destroyed && socket.writable) bytesSent += feed(socket);
    }, everyMs);
  });
}

/** True once `raw` holds a whole HTTP response (by Content-Length, or a chunked last chunk). */
function responseComplete(raw: string): boolean {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(raw.slice(0, end))?.[1];
  if (length !== undefined) return raw.length - end - 4 >= Number(length);
  return raw.endsWith('0\r\n\r\n');
}

function statusOf(raw: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
}

function bodyOf(raw: string): unknown {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  // A chunked answer: the JSON sits between the chunk-size lines.
  const json = body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1);
  return JSON.parse(json);
}

describe('request size and slow clients', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({
      auth: false,
      overrides: { bodyLimitBytes: LIMIT, requestTimeoutMs: REQUEST_TIMEOUT_MS },
    });
  });
  afterAll(async () => service.close());

  it('refuses a declared Content-Length over the limit at once with 413, without waiting for the body, and hangs up', async () => {
    const head =
      `POST ${SERVICE} HTTP/1.1\r\nHost: cds.test\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${100 * 1024 * 1024}\r\n\r\n{"hook":`;
    // The client keeps uploading 16 KB every 50 ms (it would take minutes to send 100 MB).
    const chunk = ' '.repeat(16 * 1024);
    const exchange = await rawExchange(
      service.url,
      head,
      (s) => (s.write(chunk), chunk.length),
      50,
    );
    process.stdout.write(
      `413 by Content-Length: closed after ${exchange.closedAfterMs} ms, ${exchange.bytesSent} body bytes sent\n`,
    );
    expect(statusOf(exchange.received)).toBe(413);
    expect(exchange.received).toMatch(/\r\nConnection: close\r\n/i);
    expect(bodyOf(exchange.received)).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'too-costly' }],
    });
    // Answered long before the request timeout would have cut it off (a 408).
    expect(exchange.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS);
    expect(exchange.bytesSent).toBeLessThan(LIMIT * 4);
  });

  it('refuses a chunked upload (no Content-Length) that passes the limit with 413, buffering and parsing nothing past it', async () => {
    const logsBefore = service.logs.length;
    const head =
      `POST ${SERVICE} HTTP/1.1\r\nHost: cds.test\r\nContent-Type: application/json\r\n` +
      `Transfer-Encoding: chunked\r\n\r\n`;
    const data = ' '.repeat(16 * 1024);
    let chunks = 0;
    const exchange = await rawExchange(
      service.url,
      head,
      (s) => {
        // Twice the limit in 16 KB chunks, then the last chunk.
        if (chunks++ < (LIMIT * 2) / data.length) {
          s.write(`${data.length.toString(16)}\r\n${data}\r\n`);
          return data.length;
        }
        if (chunks === (LIMIT * 2) / data.length + 2) s.write('0\r\n\r\n');
        return 0;
      },
      20,
    );
    expect(statusOf(exchange.received)).toBe(413);
    expect(bodyOf(exchange.received)).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(service.logs.slice(logsBefore).join('\n')).not.toContain('hook answered');
  });

  it('cuts off a chunked upload that never ends soon after the request timeout', async () => {
    const head =
      `POST ${SERVICE} HTTP/1.1\r\nHost: cds.test\r\nContent-Type: application/json\r\n` +
      `Transfer-Encoding: chunked\r\n\r\n`;
    const data = ' '.repeat(16 * 1024);
    const exchange = await rawExchange(
      service.url,
      head,
      (s) => (s.write(`${data.length.toString(16)}\r\n${data}\r\n`), data.length),
      20,
    );
    process.stdout.write(
      `endless chunked upload: closed after ${exchange.closedAfterMs} ms, ${exchange.bytesSent} bytes sent\n`,
    );
    expect([408, 413]).toContain(statusOf(exchange.received));
    expect(exchange.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_500);
  });

  it('cuts off a client that sends its headers slowly (slow-loris) soon after the request timeout', async () => {
    const head = `POST ${SERVICE} HTTP/1.1\r\nHost: cds.test\r\n`;
    let n = 0;
    const exchange = await rawExchange(
      service.url,
      head,
      (s) => {
        const line = `X-Slow-${n++}: ${'a'.repeat(10)}\r\n`;
        s.write(line);
        return 0;
      },
      200,
    );
    process.stdout.write(`slow headers: closed after ${exchange.closedAfterMs} ms\n`);
    expect(statusOf(exchange.received)).toBe(408);
    // Node checks timeouts on an interval (30 s by default): the server must check often
    // enough that the configured timeout is what a slow client gets.
    expect(exchange.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_500);
  });

  it('cuts off a client that uploads its body slowly soon after the request timeout', async () => {
    const head =
      `POST ${SERVICE} HTTP/1.1\r\nHost: cds.test\r\nContent-Type: application/json\r\n` +
      `Content-Length: 4000\r\n\r\n{"hook":`;
    const exchange = await rawExchange(service.url, head, (s) => (s.write(' '), 1), 200);
    process.stdout.write(`slow body: closed after ${exchange.closedAfterMs} ms\n`);
    expect(statusOf(exchange.received)).toBe(408);
    expect(exchange.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_500);
  });

  it('still answers normal requests after all that', async () => {
    const res = await fetch(`${service.url}/healthz`);
    expect(res.status).toBe(200);
  });
});
