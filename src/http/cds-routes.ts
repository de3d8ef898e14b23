import express, { type RequestHandler, type Router } from 'express';
import type { CdsDiscoveryResponse } from '../cds/cds-hooks-types';
import { answerHook, type ScreeningServiceDeps } from '../cds/screening-service';
import { validateFeedback } from '../cds/validate-feedback';
import { validateHookRequest } from '../cds/validate-hook-request';
import { ServiceError } from '../errors/service-error';

/** Only JSON bodies are parsed; anything else is a 415 before any work is done. */
function requireJson(): RequestHandler {
  return (req, _res, next) => {
    if (!req.is(['application/json', 'application/*+json'])) {
      next(new ServiceError(415, 'Send the request as Content-Type: application/json'));
      return;
    }
    next();
  };
}

/** Aborted when the client goes away before the answer is sent, to stop FHIR fetches early. */
function clientGone(req: express.Request, res: express.Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  req.on('aborted', () => controller.abort());
  return controller.signal;
}

/**
 * The CDS Hooks endpoints: discovery, the service, and its feedback.
 * @see https://cds-hooks.hl7.org/2.0/#discovery
 * @see https://cds-hooks.hl7.org/2.0/#calling-a-cds-service
 * @see https://cds-hooks.hl7.org/2.0/#feedback
 */
export function cdsRoutes(options: {
  discovery: CdsDiscoveryResponse;
  service: ScreeningServiceDeps;
  bodyLimitBytes: number;
}): Router {
  const { discovery, service } = options;
  const router = express.Router();
  const json = express.json({
    limit: options.bodyLimitBytes,
    type: ['application/json', 'application/*+json'],
    strict: true,
  });
  const serviceId = service.definition.id;
  const knownService: RequestHandler = (req, _res, next) => {
    if (req.params.id !== serviceId) {
      next(new ServiceError(404, `No CDS service "${String(req.params.id).slice(0, 100)}" here`));
      return;
    }
    next();
  };

  router.get('/', (_req, res) => {
    res.json(discovery);
  });

  router.post('/:id', knownService, requireJson(), json, async (req, res, next) => {
    try {
      const request = validateHookRequest(req.body, service.definition.hooks);
      const answer = await answerHook(service, request, clientGone(req, res));
      res.json(answer);
    } catch (error) {
      next(error);
    }
  });

  router.post('/:id/feedback', knownService, requireJson(), json, (req, res, next) => {
    try {
      const { feedback } = validateFeedback(req.body);
      const receivedAt = service.now().toISOString();
      const result = service.store.recordFeedback(feedback, receivedAt);
      for (const item of feedback) service.metrics.feedback.inc({ outcome: item.outcome });
      service.log.info(
        { stored: result.stored, duplicates: result.duplicates, unknownCards: result.unknownCards },
        'feedback recorded',
      );
      res.json({});
    } catch (error) {
      next(error);
    }
  });

  return router;
}
