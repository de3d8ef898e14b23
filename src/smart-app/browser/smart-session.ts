import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import { parseAppContext, type CardAppContext } from '../app-context';

/** What the app knows after SMART App Launch completed. */
export interface SmartSession {
  client: Client;
  patientId: string;
  /** FHIR base URL, without a trailing slash. */
  fhirBase: string;
  accessToken: string;
  /** Scopes the authorization server granted (may be fewer than asked for). */
  grantedScope: string;
  appContext?: CardAppContext;
  /** `Practitioner/123` of the signed-in user, from the id token, when granted. */
  fhirUser?: string;
  /** Epoch seconds when the access token expires, when the server said. */
  expiresAt?: number;
}

/** An error of the launch itself (no state, token refused), kept apart from data errors. */
export class LaunchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LaunchError';
  }
}

/**
 * Completes the launch (fhirclient exchanges the code for a token, or restores the session of
 * this tab after a reload) and reads the launch context: patient, appContext, user, scopes.
 */
export async function openSession(): Promise<SmartSession> {
  let client: Client;
  try {
    client = await FHIR.oauth2.ready();
  } catch (error) {
    throw new LaunchError((error as Error).message, { cause: error });
  }
  const state = client.state;
  const token = state.tokenResponse ?? {};
  const patientId = client.patient.id;
  if (!patientId) {
    throw new LaunchError('the launch chose no patient (no patient in the token response)');
  }
  const accessToken = typeof token.access_token === 'string' ? token.access_token : '';
  if (accessToken === '') throw new LaunchError('the token response carried no access token');
  let fhirUser: string | undefined;
  try {
    fhirUser = client.getFhirUser() ?? undefined;
  } catch {
    fhirUser = undefined; // no id token: the referral goes without a requester
  }
  const appContext = parseAppContext((token as Record<string, unknown>).appContext);
  return {
    client,
    patientId: String(patientId),
    fhirBase: state.serverUrl.replace(/\/+$/, ''),
    accessToken,
    grantedScope: typeof token.scope === 'string' ? token.scope : '',
    ...(appContext ? { appContext } : {}),
    ...(fhirUser ? { fhirUser } : {}),
    ...(typeof state.expiresAt === 'number' ? { expiresAt: state.expiresAt } : {}),
  };
}
