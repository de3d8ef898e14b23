import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ServiceError, operationOutcome } from '../errors/service-error';
import type { Logger } from '../observability/logger';

/** What body-parser attaches to the errors it raises. */
interface BodyParserError {
  type?: string;
  status?: number;
}

/** The body-parser failures a client can fix, as the service's one error type. */
function fromBodyParser(error: BodyParserError): ServiceError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new ServiceError(400, 'The request body is not valid JSON');
    case 'entity.too.large':
      return new ServiceError(413, 'The request body is larger than this service accepts');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ServiceError(415, 'Send the request body as UTF-8 JSON');
    case 'request.aborted':
      return new ServiceError(400, 'The request was aborted by the client');
    case 'request.size.invalid':
      return new ServiceError(400, 'The request body does not match its Content-Length');
    default:
      return undefined;
  }
}

/**
 * The one error handler: a {@link ServiceError} becomes its status and an OperationOutcome with
 * its message; anything else is logged (message only, never the request) and answered with a
 * plain 500. No stack trace ever reaches a client. 401s carry no detail, as CDS Hooks asks.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known = error instanceof ServiceError ? error : fromBodyParser(error as BodyParserError);
    if (!known) {
      log.error(
        { err: { message: (error as Error)?.message, name: (error as Error)?.name } },
        'unhandled error',
      );
      res.status(500).type('application/fhir+json').json(operationOutcome('Internal error'));
      return;
    }
    if (known.status === 401) {
      log.info({ reason: known.message }, 'unauthenticated call refused');
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).type('application/fhir+json').json(operationOutcome('Unauthorized', 'login'));
      return;
    }
    if (known.status >= 500) log.error({ reason: known.message }, 'service error');
    res
      .status(known.status)
      .type('application/fhir+json')
      .json(operationOutcome(known.message, known.issueCode));
  };
}

/** Unknown paths: 404 OperationOutcome. */
export function notFound(): RequestHandler {
  return (req, _res, next) => {
    next(new ServiceError(404, `No such endpoint: ${req.method} ${req.path.slice(0, 200)}`));
  };
}
