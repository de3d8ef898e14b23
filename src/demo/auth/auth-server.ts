import { join } from 'node:path';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { grantScopes, hasScope, type Grant, type RegisteredClient } from './grants';
import { LaunchContextStore, type LaunchContext } from './launch-contexts';
import { loadOAuth2MockServer } from './load-oauth2-mock-server';
import { renderAuthErrorPage, renderPickerPage, type PickerPatient } from './picker-page';

export interface AuthServerOptions {
  /** This server's own URL (the `iss` of its tokens), without a trailing slash. */
  issuerUrl: string;
  /** The FHIR base URL its access tokens are for (their `aud`). */
  fhirBase: string;
  clients: readonly RegisteredClient[];
  /** The signed-in user: `Practitioner/<id>` and a name. */
  user: { reference: string; display: string };
  /** Patients the standalone picker offers. */
  patients: () => Promise<readonly PickerPatient[]>;
  /** Lifetime of the access tokens it issues to apps, seconds. */
  accessTokenTtlSeconds: number;
  /** Folder holding picker.css (the built demo assets). */
  assetsDir: string;
}

/** The demo's SMART authorization server: an express handler plus what the EHR asks of it. */
export interface AuthServer {
  handler: express.Express;
  issuerUrl: string;
  jwksUri: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** The EHR registers a launch before opening an app; the id goes in the app's URL. */
  registerLaunch(context: LaunchContext): string;
  /**
   * An access token the EHR itself uses or hands on (the CDS hook's `fhirAuthorization`): same
   * issuer, keys and audience as the apps' tokens, so the FHIR server checks them all alike.
   */
  mintAccessToken(options: {
    scope: string;
    subject: string;
    clientId: string;
    patient?: string;
    expiresInSeconds: number;
  }): Promise<string>;
}

type GrantedRequest = Request & { stellarGrant?: Grant };

const CODE_TTL_MS = 60_000;
const REFRESH_TTL_MS = 8 * 3_600_000;

function oauthError(res: Response, status: number, error: string, description: string) {
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .json({ error, error_description: description });
}

function redirectError(
  res: Response,
  redirectUri: string,
  state: unknown,
  error: string,
  description: string,
) {
  const url = new URL(redirectUri);
  url.searchParams.set('error', error);
  url.searchParams.set('error_description', description);
  if (typeof state === 'string') url.searchParams.set('state', state);
  res.redirect(url.href);
}

function stringQuery(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URL(req.originalUrl, 'http://x').searchParams) out[k] = v;
  return out;
}

/**
 * The authorization server of the demo EHR: oauth2-mock-server (RS256 keys, authorization code
 * with PKCE, JWKS) behind a gate that makes it behave as a SMART EHR's server does. Only
 * registered apps with their registered redirect URIs; `aud` must be the FHIR server; an EHR
 * launch must carry a launch id the EHR registered (used once); a standalone launch asking for
 * `launch/patient` gets a patient picker; PKCE S256 is required; codes are single-use and short
 * lived; the token response carries `patient` and the card's `appContext`, and the access token
 * carries the granted scopes, the patient and the FHIR server as audience.
 * @see https://hl7.org/fhir/smart-app-launch/app-launch.html
 */
export async function createAuthServer(options: AuthServerOptions): Promise<AuthServer> {
  const { OAuth2Issuer, OAuth2Service } = await loadOAuth2MockServer();
  const issuer = new OAuth2Issuer();
  issuer.url = options.issuerUrl;
  await issuer.keys.generate('RS256');
  const service = new OAuth2Service(issuer);
  const launches = new LaunchContextStore();
  const codes = new Map<string, Grant>();
  const refreshTokens = new Map<string, Grant>();
  const clients = new Map(options.clients.map((c) => [c.clientId, c]));
  const fhirUser = `${options.fhirBase}/${options.user.reference}`;
  const ttl = options.accessTokenTtlSeconds;

  const sweep = () => {
    const now = Date.now();
    for (const [code, g] of codes) if (now - g.createdAt > CODE_TTL_MS) codes.delete(code);
    for (const [t, g] of refreshTokens)
      if (now - g.createdAt > REFRESH_TTL_MS) refreshTokens.delete(t);
  };

  /** Checks an authorization request; on success leaves the grant on the request. */
  const authorizeGate: RequestHandler = async (req, res, next) => {
    const q = stringQuery(req);
    const client = clients.get(q.client_id ?? '');
    if (!client) {
      res
        .status(400)
        .type('html')
        .send(
          renderAuthErrorPage(
            'Unknown app',
            'This app is not registered with the EHR. Ask your EHR team to register it.',
          ),
        );
      return;
    }
    const redirectUri = q.redirect_uri ?? '';
    if (!client.redirectUris.includes(redirectUri)) {
      res
        .status(400)
        .type('html')
        .send(
          renderAuthErrorPage(
            'Sign-in refused',
            `The app asked to return to an address it did not register (${redirectUri}).`,
          ),
        );
      return;
    }
    if (q.response_type !== 'code') {
      redirectError(
        res,
        redirectUri,
        q.state,
        'unsupported_response_type',
        'Only the authorization code flow is supported',
      );
      return;
    }
    if ((q.aud ?? '').replace(/\/+$/, '') !== options.fhirBase) {
      redirectError(
        res,
        redirectUri,
        q.state,
        'invalid_request',
        `aud must be this EHR's FHIR server (${options.fhirBase})`,
      );
      return;
    }
    if (!q.code_challenge || q.code_challenge_method !== 'S256') {
      redirectError(res, redirectUri, q.state, 'invalid_request', 'PKCE with S256 is required');
      return;
    }
    const scope = grantScopes(q.scope ?? '', client);
    let context: LaunchContext | undefined;
    if (q.launch) {
      context = launches.take(q.launch);
      if (!context) {
        redirectError(
          res,
          redirectUri,
          q.state,
          'invalid_request',
          'The launch has expired or was already used: open the app again from the chart',
        );
        return;
      }
    } else if (hasScope(scope, 'launch/patient')) {
      res
        .set('Cache-Control', 'no-store')
        .type('html')
        .send(
          renderPickerPage({
            appName: client.name,
            userDisplay: options.user.display,
            patients: await options.patients(),
            query: q,
          }),
        );
      return;
    }
    (req as GrantedRequest).stellarGrant = {
      clientId: client.clientId,
      redirectUri,
      scope,
      ...(context?.patient ? { patient: context.patient } : {}),
      ...(context?.appContext ? { appContext: context.appContext } : {}),
      user: options.user.reference,
      fhirUser,
      needsPkce: true,
      createdAt: Date.now(),
    };
    next();
  };

  /** The picker's answer: becomes a one-off launch for the chosen patient. */
  const pick: RequestHandler = async (req, res) => {
    const q = stringQuery(req);
    const patient = q.patient ?? '';
    const known = (await options.patients()).some((p) => p.id === patient);
    if (!known) {
      res
        .status(400)
        .type('html')
        .send(
          renderAuthErrorPage('No patient chosen', 'Go back and choose a patient from the list.'),
        );
      return;
    }
    const { patient: _patient, ...original } = q;
    const launch = launches.register({ patient });
    const url = new URL(`${options.issuerUrl}/authorize`);
    for (const [k, v] of Object.entries(original)) url.searchParams.set(k, v);
    url.searchParams.set('launch', launch);
    res.redirect(url.href);
  };

  /** Checks a token request against what was granted; leaves the grant on the request. */
  const tokenGate: RequestHandler = (req, res, next) => {
    sweep();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const grantType = body.grant_type;
    let grant: Grant | undefined;
    if (grantType === 'authorization_code') {
      const code = typeof body.code === 'string' ? body.code : '';
      grant = codes.get(code);
      codes.delete(code);
      if (!grant || Date.now() - grant.createdAt > CODE_TTL_MS) {
        oauthError(res, 400, 'invalid_grant', 'The authorization code is unknown, used or expired');
        return;
      }
      if (body.client_id !== grant.clientId || body.redirect_uri !== grant.redirectUri) {
        oauthError(
          res,
          400,
          'invalid_grant',
          'client_id or redirect_uri differs from the authorization request',
        );
        return;
      }
      if (grant.needsPkce && typeof body.code_verifier !== 'string') {
        oauthError(res, 400, 'invalid_request', 'code_verifier is required (PKCE)');
        return;
      }
    } else if (grantType === 'refresh_token') {
      const token = typeof body.refresh_token === 'string' ? body.refresh_token : '';
      grant = refreshTokens.get(token);
      refreshTokens.delete(token); // rotated: the response carries a new one
      if (!grant) {
        oauthError(res, 400, 'invalid_grant', 'The refresh token is unknown, used or expired');
        return;
      }
    } else {
      oauthError(res, 400, 'unsupported_grant_type', 'Use authorization_code or refresh_token');
      return;
    }
    (req as GrantedRequest).stellarGrant = grant;
    next();
  };

  service.on('beforeAuthorizeRedirect', (redirect: { url: URL }, req: Request) => {
    const grant = (req as GrantedRequest).stellarGrant;
    const code = redirect.url.searchParams.get('code');
    if (grant && code) codes.set(code, grant);
  });
  service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }, req: Request) => {
    const grant = (req as GrantedRequest).stellarGrant;
    if (!grant) return;
    const p = token.payload;
    const iat = typeof p.iat === 'number' ? p.iat : Math.floor(Date.now() / 1000);
    if ('scope' in p) {
      // The access token: what the FHIR server checks.
      p.scope = grant.scope;
      p.aud = options.fhirBase;
      p.sub = grant.user;
      p.client_id = grant.clientId;
      p.exp = iat + ttl;
      if (grant.patient) p.patient = grant.patient;
      delete p.amr;
    } else {
      // The id token: who the user is, for the app.
      p.sub = grant.user;
      p.fhirUser = grant.fhirUser;
    }
  });
  service.on(
    'beforeResponse',
    (response: { body: Record<string, unknown> | ''; statusCode: number }, req: Request) => {
      const grant = (req as GrantedRequest).stellarGrant;
      if (!grant || response.statusCode !== 200 || typeof response.body !== 'object') return;
      const body = response.body;
      body.scope = grant.scope;
      body.expires_in = ttl;
      if (grant.patient) body.patient = grant.patient;
      if (grant.appContext) body.appContext = grant.appContext;
      // Opened in its own window from the chart: the app shows its own patient banner.
      body.need_patient_banner = true;
      if (!hasScope(grant.scope, 'openid')) delete body.id_token;
      if (hasScope(grant.scope, 'online_access') || hasScope(grant.scope, 'offline_access')) {
        if (typeof body.refresh_token === 'string') {
          refreshTokens.set(body.refresh_token, { ...grant, createdAt: Date.now() });
        }
      } else {
        delete body.refresh_token;
      }
    },
  );

  const handler = express();
  handler.disable('x-powered-by');
  // Apps call the token endpoint from their own origin; errors must be readable there too.
  handler.use('/token', (_req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    next();
  });
  handler.use('/assets', express.static(options.assetsDir, { index: false }));
  handler.get('/authorize', authorizeGate);
  handler.get('/authorize/pick', pick);
  handler.post('/token', express.urlencoded({ extended: false, limit: '16kb' }), tokenGate);
  // Everything else (the code redirect, token signing, JWKS, discovery) is the mock server's.
  handler.use(service.requestHandler as unknown as RequestHandler);

  return {
    handler,
    issuerUrl: options.issuerUrl,
    jwksUri: `${options.issuerUrl}/jwks`,
    authorizeUrl: `${options.issuerUrl}/authorize`,
    tokenUrl: `${options.issuerUrl}/token`,
    registerLaunch: (context) => launches.register(context),
    async mintAccessToken(o) {
      return issuer.buildToken({
        expiresIn: o.expiresInSeconds,
        scopesOrTransform: (_header, payload) => {
          payload.scope = o.scope;
          payload.aud = options.fhirBase;
          payload.sub = o.subject;
          payload.client_id = o.clientId;
          if (o.patient) payload.patient = o.patient;
        },
      });
    },
  };
}

/** The picker stylesheet's folder inside the built browser assets. */
export function pickerAssetsDir(browserAssets: string): string {
  return join(browserAssets, 'ehr');
}
