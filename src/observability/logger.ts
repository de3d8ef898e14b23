import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths that must never reach a log even if a careless call passes them: tokens, JWTs, request
 * bodies. Patient data is kept out by never logging it (see the audit option), not by
 * redaction alone.
 */
const REDACT = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'access_token',
  '*.access_token',
  'fhirAuthorization',
  '*.fhirAuthorization',
  'prefetch',
  '*.prefetch',
  'body',
  '*.body',
];

/** A JSON-lines logger with the service's redaction; `destination` lets tests capture output. */
export function createLogger(
  options: { level?: string; destination?: DestinationStream } = {},
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'stellar-cds' },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
