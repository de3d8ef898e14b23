import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, in order: migration `i` takes `PRAGMA user_version` from `i` to `i + 1`.
 * Append new ones; never edit one that has shipped.
 *
 * Times are UTC milliseconds since the epoch (INTEGER) so the suppression query compares numbers;
 * the outcome timestamp is also kept as the EHR sent it. There is no foreign key from feedback
 * to cards: feedback for a card the store has not issued is kept all the same.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE issued_card (
    uuid            TEXT PRIMARY KEY,
    patient_key     TEXT NOT NULL,
    classification  TEXT NOT NULL CHECK (classification IN ('likely', 'possible')),
    rule_set_version TEXT NOT NULL,
    first_issued_ms INTEGER NOT NULL,
    last_issued_ms  INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX issued_card_by_patient ON issued_card (patient_key);

  CREATE TABLE card_feedback (
    id                INTEGER PRIMARY KEY,
    card_uuid         TEXT NOT NULL,
    outcome           TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
    outcome_timestamp TEXT NOT NULL,
    outcome_ms        INTEGER NOT NULL,
    received_ms       INTEGER NOT NULL,
    reason_system     TEXT,
    reason_code       TEXT,
    reason_display    TEXT,
    user_comment      TEXT,
    user_comment_length INTEGER,
    accepted_suggestions TEXT NOT NULL,
    UNIQUE (card_uuid, outcome, outcome_ms)
  ) STRICT;
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to {@link SCHEMA_VERSION}, each migration in its own transaction. Throws
 * when the file was written by a newer version of the service, rather than guess at its tables.
 */
export function migrateSchema(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `schema version ${current} is newer than this service understands (${SCHEMA_VERSION})`,
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] ?? '');
      // PRAGMA takes no parameters; the value is our own integer.
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
