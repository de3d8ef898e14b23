/** An app registered with the demo's authorization server. */
export interface RegisteredClient {
  clientId: string;
  name: string;
  redirectUris: readonly string[];
  /** Every scope it may be granted; a request for more is granted this much. */
  allowedScopes: readonly string[];
}

/** What the user (and the launch) granted an app: carried from /authorize to /token. */
export interface Grant {
  clientId: string;
  redirectUri: string;
  scope: string;
  patient?: string;
  appContext?: string;
  /** `Practitioner/...` of the signed-in user. */
  user: string;
  /** Absolute URL of the user's resource, for the id token's fhirUser claim. */
  fhirUser: string;
  needsPkce: boolean;
  createdAt: number;
}

const LAUNCH_SCOPES = new Set(['launch', 'launch/patient', 'launch/encounter']);

/**
 * The scopes to grant: those asked for that the client may have. Launch scopes are granted as
 * asked (they ask for context, not data); `online_access`/`offline_access` only if allowed.
 */
export function grantScopes(requested: string, client: RegisteredClient): string {
  const allowed = new Set(client.allowedScopes);
  return requested
    .split(/\s+/)
    .filter((s) => s !== '' && (LAUNCH_SCOPES.has(s) || allowed.has(s)))
    .filter((s, i, all) => all.indexOf(s) === i)
    .join(' ');
}

/** True when the scope string includes `scope` as a whole word. */
export function hasScope(scopes: string, scope: string): boolean {
  return scopes.split(/\s+/).includes(scope);
}
