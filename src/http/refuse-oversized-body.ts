import type { RequestHandler } from 'express';
import { ServiceError } from '../errors/service-error';

/**
 * Refuses a body whose declared `Content-Length` is over the limit before reading a byte of it,
 * and hangs up after the 413. body-parser refuses such a body too, but only once it has read
 * (and thrown away) all of it: a client announcing a gigabyte would hold the connection and the
 * server's bandwidth until it finished, or until the request timeout answered 408 instead.
 * A chunked body (no `Content-Length`) is counted by body-parser as it arrives, and nothing
 * past the limit is kept.
 */
export function refuseOversizedBody(limitBytes: number): RequestHandler {
  return (req, res, next) => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limitBytes) {
      res.setHeader('Connection', 'close');
      next(new ServiceError(413, 'The request body is larger than this service accepts'));
      return;
    }
    next();
  };
}
