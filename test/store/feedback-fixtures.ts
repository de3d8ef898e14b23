import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeedbackItem, IssuedCard } from '../../src/store';

/** A fresh folder for a store file; the caller removes it. */
export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'stellar-store-'));
}

/** Opaque patient keys, as the caller's keyed hash would give them. */
export const PATIENT_A = 'pk-7f3c0a9e51b2';
export const PATIENT_B = 'pk-19d4e6b08c77';

/** When the example cards are shown and acted on. */
export const ISSUED_AT = '2024-05-01T10:00:00Z';
export const OUTCOME_AT = '2024-05-01T10:05:00Z';
export const RECEIVED_AT = '2024-05-01T10:05:02Z';

/** The instant `days` (24-hour days) plus `ms` after `iso`, as an ISO string. */
export function after(iso: string, days: number, ms = 0): string {
  return new Date(Date.parse(iso) + days * 86_400_000 + ms).toISOString();
}

/** A card shown to patient A, classification `possible`, unless overridden. */
export function issuedCard(overrides: Partial<IssuedCard> = {}): IssuedCard {
  return {
    uuid: 'card-a-possible',
    patientKey: PATIENT_A,
    classification: 'possible',
    ruleSetVersion: '2024.1',
    issuedAt: ISSUED_AT,
    ...overrides,
  };
}

/** The clinician accepted the card's suggestion. */
export function acceptedFeedback(card: string, outcomeTimestamp = OUTCOME_AT): FeedbackItem {
  return { card, outcome: 'accepted', acceptedSuggestions: [{ id: 'sugg-1' }], outcomeTimestamp };
}

/** The clinician dismissed the card, with a reason code and comment if given. */
export function overriddenFeedback(
  card: string,
  reasonCode?: string,
  options: { outcomeTimestamp?: string; userComment?: string } = {},
): FeedbackItem {
  const reason =
    reasonCode === undefined
      ? undefined
      : {
          code: reasonCode,
          system: 'https://example.org/stellar/override-reason',
          display: reasonCode,
        };
  const overrideReason =
    reason === undefined && options.userComment === undefined
      ? undefined
      : {
          ...(reason ? { reason } : {}),
          ...(options.userComment !== undefined ? { userComment: options.userComment } : {}),
        };
  return {
    card,
    outcome: 'overridden',
    ...(overrideReason ? { overrideReason } : {}),
    outcomeTimestamp: options.outcomeTimestamp ?? OUTCOME_AT,
  };
}
