/**
 * The `appContext` a card's SMART link carries (render-cards.ts), as the app reads it back from
 * the token response. CDS Hooks 2.0: the EHR passes a link's appContext to the app unchanged.
 * @see https://cds-hooks.hl7.org/2.0/#link
 */
export interface CardAppContext {
  /** Uuid of the card the app was opened from. */
  card?: string;
  /** The classification the card showed. */
  classification?: string;
  /** When the service screened the patient for the card (ISO instant). */
  evaluatedAt?: string;
  /** `<rule set id>@<version>` the card was computed with. */
  ruleSet?: string;
}

const KEYS = ['card', 'classification', 'evaluatedAt', 'ruleSet'] as const;

/**
 * Reads an appContext string leniently: the EHR may pass nothing, or another app's context, or
 * text that is not JSON. Only known string members are kept; anything else gives `undefined`.
 */
export function parseAppContext(value: unknown): CardAppContext | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const out: CardAppContext = {};
  for (const key of KEYS) {
    const v = (parsed as Record<string, unknown>)[key];
    if (typeof v === 'string' && v.length <= 200) out[key] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
