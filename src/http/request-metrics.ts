import type { RequestHandler } from 'express';
import type { ServiceMetrics } from '../observability/metrics';

/** Route label for metrics: the matched route pattern, never a raw path (it may hold ids). */
function routeOf(route: unknown, baseUrl: string): string {
  const path = (route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${baseUrl}${path}` : 'unmatched';
}

/** Counts requests and records latency per route pattern. */
export function requestMetrics(metrics: ServiceMetrics): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const route = routeOf(req.route, req.baseUrl);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
      metrics.httpDuration.observe({ route }, seconds);
    });
    next();
  };
}
