/** The hook context a prefetch template's tokens are filled from. */
export interface PrefetchContext {
  patientId: string;
  /** `Practitioner/123` (or PractitionerRole, Patient, RelatedPerson) of the user. */
  userId?: string;
  encounterId?: string;
}

const USER_TOKENS: Readonly<Record<string, string>> = {
  userPractitionerId: 'Practitioner',
  userPractitionerRoleId: 'PractitionerRole',
  userPatientId: 'Patient',
  userRelatedPersonId: 'RelatedPerson',
};

/**
 * A prefetch template with its tokens replaced, or undefined when it names a token this context
 * cannot fill (the key is then left out, and the service fetches what it needs itself).
 * Values are URL-encoded where they go.
 * @see https://cds-hooks.hl7.org/2.0/#prefetch-tokens
 */
export function fillPrefetchTemplate(
  template: string,
  context: PrefetchContext,
): string | undefined {
  let unfillable = false;
  const filled = template.replace(/\{\{\s*([A-Za-z.]+)\s*\}\}/g, (_m, token: string) => {
    let value: string | undefined;
    if (token.startsWith('context.')) {
      const name = token.slice('context.'.length);
      value =
        name === 'patientId'
          ? context.patientId
          : name === 'userId'
            ? context.userId
            : name === 'encounterId'
              ? context.encounterId
              : undefined;
    } else if (USER_TOKENS[token] && context.userId?.startsWith(`${USER_TOKENS[token]}/`)) {
      value = context.userId.slice(USER_TOKENS[token].length + 1);
    }
    if (value === undefined || value === '') {
      unfillable = true;
      return '';
    }
    return encodeURIComponent(value);
  });
  return unfillable ? undefined : filled;
}

/** How one prefetch key was answered (for the demo's timing line and its tests). */
export type PrefetchOutcome = 'filled' | 'none' | 'left-out';

/**
 * Fills every template against the FHIR server as the EHR: a 200 is the value, a 404 of a read
 * is `null` (the EHR has no such data), and anything else leaves the key out so the service
 * fetches it with the hook's token (CDS Hooks 2.0: missing means "not filled", null means "none").
 */
export async function fetchPrefetch(
  templates: Readonly<Record<string, string>>,
  context: PrefetchContext,
  fhir: { base: string; accessToken: string; signal?: AbortSignal },
): Promise<{ prefetch: Record<string, unknown>; outcomes: Record<string, PrefetchOutcome> }> {
  const prefetch: Record<string, unknown> = {};
  const outcomes: Record<string, PrefetchOutcome> = {};
  await Promise.all(
    Object.entries(templates).map(async ([key, template]) => {
      const url = fillPrefetchTemplate(template, context);
      if (url === undefined) {
        outcomes[key] = 'left-out';
        return;
      }
      try {
        const res = await fetch(`${fhir.base}/${url}`, {
          headers: { accept: 'application/fhir+json', authorization: `Bearer ${fhir.accessToken}` },
          ...(fhir.signal ? { signal: fhir.signal } : {}),
        });
        if (res.status === 404 && !url.includes('?')) {
          prefetch[key] = null;
          outcomes[key] = 'none';
          return;
        }
        if (!res.ok) {
          await res.body?.cancel();
          outcomes[key] = 'left-out';
          return;
        }
        prefetch[key] = await res.json();
        outcomes[key] = 'filled';
      } catch {
        outcomes[key] = 'left-out';
      }
    }),
  );
  return { prefetch, outcomes };
}
