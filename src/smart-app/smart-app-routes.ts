import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { browserAssetsDir } from '../build/browser-bundles';
import type { ServiceDefinition } from '../config/service-definition';
import { ServiceError } from '../errors/service-error';
import type { SmartAppSettings } from './smart-app-settings';

export interface SmartAppOptions {
  settings: SmartAppSettings;
  /** The loaded, validated service definition: the browser evaluates with exactly these rules. */
  definition: ServiceDefinition;
  /** Folder of the built bundles; default `dist/browser`. */
  assetsDir?: string;
}

/**
 * The app's pages only load their own scripts and styles; they talk to whatever FHIR and
 * authorization servers the launch names (known only at launch), so `connect-src` is open.
 * Inline scripts and styles are refused: card and record text can never become code.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  'connect-src *',
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.set('X-Content-Type-Options', 'nosniff');
  // The launch and redirect URLs carry `launch`, `iss`, `code` and `state`: never pass them on.
  res.set('Referrer-Policy', 'no-referrer');
  next();
};

/**
 * The SMART app's routes, mounted by the service under `/smart`: the launch page (EHR launch
 * with `iss` and `launch`, or standalone), the app page the authorization server redirects to,
 * the bundled scripts and styles, the app's registration settings, and the service definition
 * the in-browser engine evaluates with (read once at start-up, so the browser and the CDS
 * service screen with the same rules).
 * @see https://hl7.org/fhir/smart-app-launch/app-launch.html
 */
export function smartAppRoutes(options: SmartAppOptions): Router {
  const dir = join(options.assetsDir ?? browserAssetsDir(), 'smart');
  const router = express.Router();
  router.use(securityHeaders);
  const built: RequestHandler = (_req, _res, next) => {
    if (!existsSync(join(dir, 'app.js'))) {
      next(
        new ServiceError(
          503,
          'The SMART app has not been built: run `npm run build` (it bundles the browser code)',
        ),
      );
      return;
    }
    next();
  };
  const page =
    (file: string): RequestHandler =>
    (_req, res, next) => {
      res.set('Cache-Control', 'no-store');
      res.sendFile(join(dir, file), (error) => {
        if (error) next(error);
      });
    };
  const settings = JSON.stringify(options.settings);
  const definition = JSON.stringify(options.definition);

  router.get('/launch', built, page('launch.html'));
  router.get('/app', built, page('app.html'));
  router.get('/settings.json', (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('application/json').send(settings);
  });
  router.get('/service-definition.json', (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('application/json').send(definition);
  });
  router.use(
    '/assets',
    built,
    express.static(dir, {
      index: false,
      fallthrough: true,
      maxAge: '5m',
      setHeaders: (res) => res.set('X-Content-Type-Options', 'nosniff'),
    }),
  );
  return router;
}

/** Mounts the SMART app at `/smart` of an app (the service's `mount` hook). */
export function mountSmartApp(app: express.Express, options: SmartAppOptions): void {
  app.use('/smart', smartAppRoutes(options));
}
