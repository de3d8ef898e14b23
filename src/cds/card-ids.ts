import { createHmac } from 'node:crypto';

/**
 * Stable, unlinkable ids derived with a site secret: the same patient and verdict always give
 * the same card uuid (so feedback and suppression find it again, across restarts), while
 * neither the uuid nor the store's patient key reveals the patient id to someone who knows it
 * but not the secret.
 */
export interface CardIds {
  /** Opaque key of a patient on a FHIR server, for the feedback store. */
  patientKey(fhirServer: string | undefined, patientId: string): string;
  /** RFC 4122-shaped uuid of a card. */
  cardUuid(patientKey: string, classification: string, ruleSetVersion: string): string;
  /** Uuid of a card's suggestion. */
  suggestionUuid(cardUuid: string): string;
}

function digest(secret: string, ...parts: string[]): Buffer {
  return createHmac('sha256', secret).update(parts.join('\u001f')).digest();
}

function asUuid(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = ((b[6] as number) & 0x0f) | 0x50; // version 5 shape (name-based)
  b[8] = ((b[8] as number) & 0x3f) | 0x80; // RFC 4122 variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Card and patient ids keyed by `secret`. */
export function createCardIds(secret: string): CardIds {
  return {
    patientKey: (fhirServer, patientId) =>
      digest(secret, 'patient', (fhirServer ?? '').replace(/\/+$/, ''), patientId).toString(
        'base64url',
      ),
    cardUuid: (patientKey, classification, ruleSetVersion) =>
      asUuid(digest(secret, 'card', patientKey, classification, ruleSetVersion)),
    suggestionUuid: (cardUuid) => asUuid(digest(secret, 'suggestion', cardUuid)),
  };
}
