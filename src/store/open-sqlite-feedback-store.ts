import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { ServiceError } from '../errors/service-error';
import type {
  CardClassification,
  FeedbackCounts,
  FeedbackItem,
  FeedbackStore,
  IssuedCard,
  RecordFeedbackResult,
  Suppression,
} from './feedback-store';
import { parseIsoInstant } from './iso-instant';
import { migrateSchema } from './sqlite-schema';
import {
  classificationsAtLeast,
  DEFAULT_SUPPRESSING_REASONS,
  DEFAULT_SUPPRESSION_DAYS,
  suppressionWindowMs,
} from './suppression-policy';

/** Where the store lives and how suppression behaves. */
export interface SqliteFeedbackStoreOptions {
  /** A file path (its folder is created if missing), or `':memory:'` for a throw-away store. */
  path: string;
  /** How long a suppressing outcome hides the card, in 24-hour days. Default 7. */
  suppressionDays?: number;
  /**
   * Override reason codes that suppress (matched on `code` alone, whatever the system).
   * Default `already-screened`, `patient-declined`.
   */
  suppressingReasons?: readonly string[];
  /**
   * Keep the clinician's free-text `userComment`. Default false: a comment can hold PHI, so only
   * its length is kept.
   */
  storeComments?: boolean;
}

interface SuppressionRow {
  card_uuid: string;
  outcome: 'accepted' | 'overridden';
  reason_code: string | null;
  classification: CardClassification;
  until_ms: number;
}

interface FeedbackRow {
  cardUuid: string;
  outcome: string;
  outcomeTimestamp: string;
  outcomeMs: number;
  receivedMs: number;
  reasonSystem: string | null;
  reasonCode: string | null;
  reasonDisplay: string | null;
  userComment: string | null;
  userCommentLength: number | null;
  acceptedSuggestions: string;
}

/**
 * Opens (creating or migrating as needed) the SQLite feedback store at `options.path`. The file
 * is in WAL mode with `synchronous = FULL`, so a committed feedback survives a crash or a power
 * cut, not just a restart. Throws a {@link ServiceError} (500) naming the path when the file
 * cannot be opened, with the cause chained.
 *
 * Suppression is decided when asked, from the stored outcomes and the options given here, so a
 * change of days or reasons applies to feedback already stored.
 */
export function openSqliteFeedbackStore(options: SqliteFeedbackStoreOptions): FeedbackStore {
  const suppressionDays = options.suppressionDays ?? DEFAULT_SUPPRESSION_DAYS;
  const suppressingReasons = options.suppressingReasons ?? DEFAULT_SUPPRESSING_REASONS;
  const storeComments = options.storeComments ?? false;
  checkOptions(options.path, suppressionDays, suppressingReasons);

  const db = openDatabase(options.path);
  const windowMs = suppressionWindowMs(suppressionDays);
  const reasonsJson = JSON.stringify(suppressingReasons);

  // ON CONFLICT (uuid): a re-issued card keeps its earliest issue time and its latest one, in
  // whatever order the calls arrive. Patient and classification are part of the uuid, so they
  // cannot differ for the same uuid; the first ones are kept.
  const upsertCard = db.prepare<{
    uuid: string;
    patientKey: string;
    classification: string;
    ruleSetVersion: string;
    issuedMs: number;
  }>(`
    INSERT INTO issued_card
      (uuid, patient_key, classification, rule_set_version, first_issued_ms, last_issued_ms)
    VALUES (@uuid, @patientKey, @classification, @ruleSetVersion, @issuedMs, @issuedMs)
    ON CONFLICT (uuid) DO UPDATE SET
      first_issued_ms = min(first_issued_ms, excluded.first_issued_ms),
      last_issued_ms = max(last_issued_ms, excluded.last_issued_ms)
  `);

  // ON CONFLICT DO NOTHING rather than INSERT OR IGNORE: both skip a repeat of the unique key,
  // but OR IGNORE would also silently drop a row that breaks a CHECK, and report it as a
  // duplicate.
  const insertFeedback = db.prepare<FeedbackRow>(`
    INSERT INTO card_feedback
      (card_uuid, outcome, outcome_timestamp, outcome_ms, received_ms, reason_system, reason_code,
       reason_display, user_comment, user_comment_length, accepted_suggestions)
    VALUES
      (@cardUuid, @outcome, @outcomeTimestamp, @outcomeMs, @receivedMs, @reasonSystem,
       @reasonCode, @reasonDisplay, @userComment, @userCommentLength, @acceptedSuggestions)
    ON CONFLICT (card_uuid, outcome, outcome_ms) DO NOTHING
  `);

  const isIssued = db.prepare<[string], 1>('SELECT 1 FROM issued_card WHERE uuid = ?').pluck();

  // The window starts at the outcome time, or at receipt if the EHR's clock says the outcome is
  // later than that: a clock running ahead must not stretch the suppression. It covers
  // [start, start + window).
  const findSuppressing = db.prepare<
    {
      patientKey: string;
      classifications: string;
      reasons: string;
      nowMs: number;
      windowMs: number;
    },
    SuppressionRow
  >(`
    SELECT f.card_uuid, f.outcome, f.reason_code, c.classification,
           min(f.outcome_ms, f.received_ms) + @windowMs AS until_ms
    FROM card_feedback f
    JOIN issued_card c ON c.uuid = f.card_uuid
    WHERE c.patient_key = @patientKey
      AND c.classification IN (SELECT value FROM json_each(@classifications))
      AND (f.outcome = 'accepted'
           OR (f.outcome = 'overridden'
               AND f.reason_code IN (SELECT value FROM json_each(@reasons))))
      AND min(f.outcome_ms, f.received_ms) <= @nowMs
      AND @nowMs < min(f.outcome_ms, f.received_ms) + @windowMs
    ORDER BY until_ms DESC, f.id
    LIMIT 1
  `);

  const countAll = db.prepare<[], FeedbackCounts>(`
    SELECT
      (SELECT count(*) FROM issued_card) AS issuedCards,
      (SELECT count(*) FROM card_feedback) AS feedback,
      (SELECT count(*) FROM card_feedback WHERE outcome = 'accepted') AS accepted,
      (SELECT count(*) FROM card_feedback WHERE outcome = 'overridden') AS overridden,
      (SELECT count(*) FROM card_feedback f
        WHERE NOT EXISTS (SELECT 1 FROM issued_card c WHERE c.uuid = f.card_uuid))
        AS feedbackForUnknownCards
  `);

  const recordIssuedCards = db.transaction((cards: readonly IssuedCard[]) => {
    for (const [i, card] of cards.entries()) {
      upsertCard.run({
        uuid: card.uuid,
        patientKey: card.patientKey,
        classification: card.classification,
        ruleSetVersion: card.ruleSetVersion,
        issuedMs: parseIsoInstant(card.issuedAt, `Issued card ${i}: issuedAt`, 500),
      });
    }
  });

  const recordFeedback = db.transaction((rows: readonly FeedbackRow[]): RecordFeedbackResult => {
    const result = { stored: 0, duplicates: 0, unknownCards: 0 };
    for (const row of rows) {
      if (insertFeedback.run(row).changes === 1) result.stored++;
      else result.duplicates++;
      if (isIssued.get(row.cardUuid) === undefined) result.unknownCards++;
    }
    return result;
  });

  const ensureOpen = () => {
    if (!db.open) throw new ServiceError(500, `Feedback store "${options.path}" is closed`);
  };

  return {
    recordIssuedCards(cards) {
      ensureOpen();
      recordIssuedCards(cards);
    },

    recordFeedback(items, receivedAt) {
      ensureOpen();
      const receivedMs = parseIsoInstant(receivedAt, 'Feedback receivedAt', 500);
      // Every item is checked before any is written, so a bad item leaves nothing half-stored.
      const rows = items.map((item, i) => toFeedbackRow(item, i, receivedMs, storeComments));
      return recordFeedback(rows);
    },

    findSuppression(patientKey, classification, now) {
      ensureOpen();
      const row = findSuppressing.get({
        patientKey,
        classifications: JSON.stringify(classificationsAtLeast(classification)),
        reasons: reasonsJson,
        nowMs: parseIsoInstant(now, 'Suppression check time', 500),
        windowMs,
      });
      return row && toSuppression(row);
    },

    counts() {
      ensureOpen();
      return { ...(countAll.get() as FeedbackCounts) };
    },

    close() {
      if (db.open) db.close();
    },
  };
}

function checkOptions(path: string, days: number, reasons: readonly string[]) {
  if (typeof path !== 'string' || path.trim() === '') {
    // better-sqlite3 would take '' as a private temporary database, losing every feedback.
    throw new ServiceError(500, 'Feedback store path is empty: give a file path or ":memory:"');
  }
  if (!Number.isFinite(days) || days < 0) {
    throw new ServiceError(
      500,
      `Feedback store suppressionDays must be a number of days, 0 or more (got ${String(days)})`,
    );
  }
  if (!Array.isArray(reasons) || reasons.some((r) => typeof r !== 'string' || r === '')) {
    throw new ServiceError(
      500,
      'Feedback store suppressingReasons must be a list of override reason codes',
    );
  }
}

function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') {
    const folder = dirname(resolve(path));
    try {
      // Owner-only, for folders and a file that did not exist: feedback may hold comments.
      mkdirSync(folder, { recursive: true, mode: 0o700 });
    } catch (cause) {
      throw new ServiceError(
        500,
        `Feedback store "${path}": cannot create its folder ${folder} (${describeCause(cause)})`,
        { cause },
      );
    }
  }
  const isNew = path !== ':memory:' && !existsSync(path);
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    // SQLite gives the -wal and -shm files the main file's permissions.
    if (isNew) chmodSync(path, 0o600);
    // The first statement that reads the file is where "file is not a database" shows up.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    migrateSchema(db);
    return db;
  } catch (cause) {
    db?.close();
    throw new ServiceError(
      500,
      `Feedback store "${path}" cannot be opened as a SQLite database (${describeCause(cause)})`,
      { cause },
    );
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function toFeedbackRow(
  item: FeedbackItem,
  index: number,
  receivedMs: number,
  storeComments: boolean,
): FeedbackRow {
  const reason = item.overrideReason?.reason;
  const comment = item.overrideReason?.userComment;
  return {
    cardUuid: item.card,
    outcome: item.outcome,
    outcomeTimestamp: item.outcomeTimestamp,
    outcomeMs: parseIsoInstant(
      item.outcomeTimestamp,
      `Feedback item ${index}: outcomeTimestamp`,
      400,
    ),
    receivedMs,
    reasonSystem: reason?.system ?? null,
    reasonCode: reason?.code ?? null,
    reasonDisplay: reason?.display ?? null,
    userComment: storeComments ? (comment ?? null) : null,
    // Characters (code points), not UTF-16 units, so an emoji counts as one.
    userCommentLength: comment === undefined ? null : [...comment].length,
    acceptedSuggestions: JSON.stringify((item.acceptedSuggestions ?? []).map((s) => s.id)),
  };
}

function toSuppression(row: SuppressionRow): Suppression {
  return {
    cardUuid: row.card_uuid,
    outcome: row.outcome,
    ...(row.outcome === 'overridden' && row.reason_code !== null
      ? { reasonCode: row.reason_code }
      : {}),
    until: new Date(row.until_ms).toISOString(),
    classification: row.classification,
  };
}
