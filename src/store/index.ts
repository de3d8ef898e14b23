/**
 * Card feedback and alert suppression, in an embedded SQLite database. The store never sees
 * patient ids, names or tokens: callers pass an opaque keyed hash as `patientKey`.
 */
export type {
  CardClassification,
  FeedbackCounts,
  FeedbackItem,
  FeedbackStore,
  IssuedCard,
  RecordFeedbackResult,
  Suppression,
} from './feedback-store';
export { openSqliteFeedbackStore } from './open-sqlite-feedback-store';
export type { SqliteFeedbackStoreOptions } from './open-sqlite-feedback-store';
export { DEFAULT_SUPPRESSING_REASONS, DEFAULT_SUPPRESSION_DAYS } from './suppression-policy';
