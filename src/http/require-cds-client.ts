import type { RequestHandler } from 'express';
import type { CdsJwtVerifier } from '../auth';

/**
 * Requires a CDS client JWT whose `aud` is the public URL of the endpoint being called
 * (`publicBaseUrl` + the path, as the client addresses it behind any proxy). Failures go to the
 * error handler as a 401 with no detail.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
export function requireCdsClient(verifier: CdsJwtVerifier, publicBaseUrl: string): RequestHandler {
  return (req, res, next) => {
    const audience = `${publicBaseUrl}${req.baseUrl}${req.path}`.replace(/\/+$/, '');
    verifier.verify(req.headers.authorization, audience).then(
      (client) => {
        res.locals.cdsClient = client;
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
