import type { CdsFeedbackItem } from '../cds/cds-hooks-types';
import type { CandidateClassification } from '../engine';

/** The classifications that produce a card; `likely` is stronger than `possible`. */
export type CardClassification = CandidateClassification;

/**
 * A card the service has shown. `patientKey` is an opaque keyed hash computed by the caller: the
 * store never sees a patient id, a name or a token.
 */
export interface IssuedCard {
  /** The card's stable uuid (same patient, classification and rule-set version: same uuid). */
  uuid: string;
  patientKey: string;
  classification: CardClassification;
  ruleSetVersion: string;
  /** ISO 8601 date-time with a zone (`Z` or `+hh:mm`). */
  issuedAt: string;
}

/**
 * One element of the `feedback` array of a CDS Hooks feedback request, already validated by the
 * caller: the protocol's own type (`outcomeTimestamp` an ISO 8601 date-time with a zone).
 */
export type FeedbackItem = CdsFeedbackItem;

/** What one {@link FeedbackStore.recordFeedback} call did. `stored + duplicates` is every item. */
export interface RecordFeedbackResult {
  /** Items written for the first time. */
  stored: number;
  /** Items already held (same card, outcome and outcome instant): nothing written. */
  duplicates: number;
  /** Items (stored or duplicate) about a card uuid the store has not issued. */
  unknownCards: number;
}

/** Why a card is not to be shown again, and until when. */
export interface Suppression {
  /** The card whose feedback suppresses. */
  cardUuid: string;
  outcome: 'accepted' | 'overridden';
  /** The override reason code, for an overridden card. */
  reasonCode?: string;
  /**
   * The first instant (ISO 8601, UTC) at which the card may be shown again: the suppression
   * covers `[start, until)`, so at exactly `until` it no longer applies.
   */
  until: string;
  /** The classification the suppressing card carried. */
  classification: CardClassification;
}

/** Totals for metrics. */
export interface FeedbackCounts {
  issuedCards: number;
  /** Feedback items held (duplicates counted once). */
  feedback: number;
  accepted: number;
  overridden: number;
  /** Feedback items held whose card uuid the store has not issued. */
  feedbackForUnknownCards: number;
}

/**
 * Card feedback and alert suppression. A card that was accepted, or overridden with a
 * suppressing reason, is not shown again for the same patient for a set period, unless the
 * patient's classification is now stronger than the card's.
 *
 * @see https://cds-hooks.hl7.org/2.0/#feedback
 */
export interface FeedbackStore {
  /**
   * Remembers cards that were shown. Re-issuing a known uuid keeps its first `issuedAt` and
   * moves its last-issued time forward.
   */
  recordIssuedCards(cards: readonly IssuedCard[]): void;
  /**
   * Stores feedback idempotently, all items in one transaction. Feedback for a card uuid the
   * store has not issued is kept too, but it cannot suppress until that uuid is issued (the store
   * does not know whose card it was). `receivedAt` is the server's ISO time of the request.
   */
  recordFeedback(items: readonly FeedbackItem[], receivedAt: string): RecordFeedbackResult;
  /**
   * The suppression, if any, that stops a card of `classification` for this patient at `now`
   * (the one lasting longest when several apply).
   */
  findSuppression(
    patientKey: string,
    classification: CardClassification,
    now: string,
  ): Suppression | undefined;
  /** Totals for metrics. */
  counts(): FeedbackCounts;
  /** Closes the database; closing twice is harmless. */
  close(): void;
}
