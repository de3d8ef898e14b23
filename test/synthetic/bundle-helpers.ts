import type { Bundle, FhirResource, Observation, Quantity } from 'fhir/r4';

/** Every resource of a Bundle. */
export function resourcesOf(bundle: Bundle): FhirResource[] {
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
}

/** The Observations of a Bundle. */
export function observationsOf(bundle: Bundle): Observation[] {
  return resourcesOf(bundle).filter((r): r is Observation => r.resourceType === 'Observation');
}

/** Every (code, Quantity) an Observation carries: its own value and its components'. */
export function quantitiesOf(obs: Observation): { code: string; quantity: Quantity }[] {
  const out: { code: string; quantity: Quantity }[] = [];
  const code = obs.code.coding?.[0]?.code;
  if (code && obs.valueQuantity) out.push({ code, quantity: obs.valueQuantity });
  for (const c of obs.component ?? []) {
    const cc = c.code.coding?.[0]?.code;
    if (cc && c.valueQuantity) out.push({ code: cc, quantity: c.valueQuantity });
  }
  return out;
}

/** Every string in a JSON value that starts like a date, with the key it sits under. */
export function datesIn(value: unknown, key = ''): { key: string; text: string }[] {
  if (typeof value === 'string')
    return /^\d{4}-\d{2}-\d{2}/.test(value) ? [{ key, text: value }] : [];
  if (Array.isArray(value)) return value.flatMap((v) => datesIn(v, key));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => datesIn(v, k));
  }
  return [];
}
