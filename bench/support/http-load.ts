import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { msSince } from './stats';

/** One POST, timed from the first byte sent to the last byte of the answer. */
function post(
  agent: Agent,
  url: URL,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; ms: number; text: string }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = request(
      url,
      {
        agent,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: msSince(t0),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends `count` requests one after another on one kept-alive connection (after `warmup` untimed
 * ones) and returns each latency in ms, with sub-millisecond resolution. This is the service
 * time of one call on an idle server. `headers(i)` may give each call its own token.
 */
export async function timeSequentialCalls(options: {
  url: string;
  body: Buffer;
  count: number;
  warmup: number;
  headers?: (i: number) => Record<string, string>;
}): Promise<{ times: number[]; lastAnswer: string }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(options.url);
  const times: number[] = [];
  let lastAnswer = '';
  try {
    for (let i = 0; i < options.warmup + options.count; i++) {
      const res = await post(agent, url, options.body, options.headers?.(i) ?? {});
      if (res.status !== 200) {
        throw new Error(`${options.url} answered ${res.status}: ${res.text.slice(0, 300)}`);
      }
      lastAnswer = res.text;
      if (i >= options.warmup) times.push(res.ms);
    }
  } finally {
    agent.destroy();
  }
  return { times, lastAnswer };
}

/** What autocannon measured at a fixed concurrency. */
export interface LoadResult {
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  /** Latency percentiles in ms (autocannon records whole milliseconds). */
  latencyP50: number;
  latencyP99: number;
  latencyMax: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/**
 * Load at a fixed concurrency with autocannon: for `durationSeconds`, or, with `tokens`, one
 * request per token (each call needs its own JWT: a jti is accepted once). Per-request headers
 * make autocannon build every request afresh (it copies the body each time), which costs the
 * load generator CPU: compare such a run only with another run that has them too.
 */
export async function runLoad(options: {
  url: string;
  body: Buffer;
  connections: number;
  durationSeconds: number;
  tokens?: readonly string[];
  /** Header the tokens go in (default `authorization`, as `Bearer <token>`). */
  tokenHeader?: string;
  timeoutSeconds?: number;
}): Promise<LoadResult> {
  const tokens = options.tokens;
  const header = options.tokenHeader ?? 'authorization';
  let next = 0;
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: options.body,
    connections: options.connections,
    timeout: options.timeoutSeconds ?? 60,
    ...(tokens
      ? {
          amount: tokens.length,
          requests: [
            {
              setupRequest: (request) => ({
                ...request,
                headers: {
                  ...request.headers,
                  [header]: `Bearer ${tokens[next++ % tokens.length]}`,
                },
              }),
            },
          ],
        }
      : { duration: options.durationSeconds }),
  });
  const seconds = tokens ? msSince(started) / 1000 : result.duration;
  const requests = result['2xx'] + result.non2xx;
  return {
    connections: options.connections,
    durationSeconds: seconds,
    requests,
    requestsPerSecond: requests / seconds,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    latencyMax: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
