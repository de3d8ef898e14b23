/**
 * SMART App Launch scopes: which to ask for in each launch, and what a granted scope allows.
 * Pure (runs in the browser and in tests).
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */

/** How the app was started. */
export type LaunchMode = 'ehr' | 'standalone';

/**
 * The scopes to request: the configured list with the launch scope that fits the mode. An EHR
 * launch asks for `launch` (the EHR already chose the patient); a standalone launch must not
 * (there is no launch id) and asks for `launch/patient`, so the server shows its patient picker.
 */
export function launchScope(configured: string, mode: LaunchMode): string {
  const scopes = configured.split(/\s+/).filter((s) => s !== '');
  const rest = scopes.filter((s) => s !== 'launch' && s !== 'launch/patient');
  return (mode === 'ehr' ? ['launch', ...rest] : ['launch/patient', ...rest]).join(' ');
}

/** One parsed resource scope: `patient/Observation.read`, `user/*.cruds`, ... */
interface ResourceScope {
  context: 'patient' | 'user' | 'system';
  type: string;
  /** SMART v2 letters; v1 `read` is `rs`, `write` is `cud`, `*` is `cruds`. */
  permissions: string;
}

const V1: Readonly<Record<string, string>> = { read: 'rs', write: 'cud', '*': 'cruds' };

/** Parses the resource scopes of a space-separated scope string; others are ignored. */
export function parseResourceScopes(scope: string | undefined): ResourceScope[] {
  const out: ResourceScope[] = [];
  for (const s of (scope ?? '').split(/\s+/)) {
    const m = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)(\?.*)?$/.exec(s);
    if (!m) continue;
    const permissions = V1[m[3] as string] ?? m[3];
    if (!permissions || !/^c?r?u?d?s?$/.test(permissions)) continue;
    out.push({
      context: m[1] as ResourceScope['context'],
      type: m[2] as string,
      permissions,
    });
  }
  return out;
}

/** True when the granted scope lets the app do `action` on resources of `type`. */
export function scopeAllows(
  granted: string | undefined,
  type: string,
  action: 'create' | 'read' | 'search',
): boolean {
  const letter = action === 'create' ? 'c' : action === 'read' ? 'r' : 's';
  return parseResourceScopes(granted).some(
    (s) => (s.type === '*' || s.type === type) && s.permissions.includes(letter),
  );
}
