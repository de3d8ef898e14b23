import type { RequestHandler } from 'express';

/** One request as the server saw it. */
export interface RequestLogEntry {
  method: string;
  /** Path and query relative to the FHIR base, as sent: `Observation?patient=123&code=...`. */
  url: string;
  /** The status answered (0 when the connection closed before an answer). */
  status: number;
  durationMs: number;
}

/** How many entries a request log keeps (the oldest are dropped). */
export const REQUEST_LOG_LIMIT = 10_000;

/**
 * Appends every request to `log` when its answer is finished or its connection closes, so tests
 * can see which searches a client made. Records no headers: tokens stay out of logs.
 */
export function recordRequests(log: RequestLogEntry[]): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const url = req.url.replace(/^\/+/, '');
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      log.push({
        method: req.method,
        url,
        status: res.writableFinished ? res.statusCode : 0,
        durationMs: performance.now() - started,
      });
      if (log.length > REQUEST_LOG_LIMIT) log.splice(0, log.length - REQUEST_LOG_LIMIT);
    };
    res.on('finish', record);
    res.on('close', record);
    next();
  };
}
