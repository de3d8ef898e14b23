import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ServiceError } from '../../src/errors/service-error';
import { openSqliteFeedbackStore, type FeedbackStore } from '../../src/store';
import {
  acceptedFeedback,
  after,
  issuedCard,
  makeTempDir,
  OUTCOME_AT,
  overriddenFeedback,
  PATIENT_A,
  RECEIVED_AT,
} from './feedback-fixtures';

const COMMENT = 'Discussed with daughter Maria Lopez, MRN 448812; family will decide tomorrow';

/** The raw rows, read past the store's API, to see exactly what was written. */
function readRows(path: string, sql: string): Record<string, unknown>[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

describe('recordFeedback', () => {
  let dir: string;
  let path: string;
  let store: FeedbackStore;
  beforeEach(() => {
    dir = makeTempDir();
    path = join(dir, 'feedback.db');
    store = openSqliteFeedbackStore({ path });
    store.recordIssuedCards([issuedCard()]);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores an accepted feedback with its suggestions and times', () => {
    expect(store.recordFeedback([acceptedFeedback('card-a-possible')], RECEIVED_AT)).toEqual({
      stored: 1,
      duplicates: 0,
      unknownCards: 0,
    });
    expect(readRows(path, 'SELECT * FROM card_feedback')).toEqual([
      expect.objectContaining({
        card_uuid: 'card-a-possible',
        outcome: 'accepted',
        outcome_timestamp: OUTCOME_AT,
        outcome_ms: Date.parse(OUTCOME_AT),
        received_ms: Date.parse(RECEIVED_AT),
        reason_code: null,
        accepted_suggestions: '["sugg-1"]',
      }),
    ]);
  });

  it('stores an override reason as system, code and display', () => {
    store.recordFeedback(
      [overriddenFeedback('card-a-possible', 'not-clinically-appropriate')],
      RECEIVED_AT,
    );
    expect(
      readRows(path, 'SELECT reason_system, reason_code, reason_display FROM card_feedback'),
    ).toEqual([
      {
        reason_system: 'https://example.org/stellar/override-reason',
        reason_code: 'not-clinically-appropriate',
        reason_display: 'not-clinically-appropriate',
      },
    ]);
  });

  it('counts the same feedback sent twice once', () => {
    store.recordFeedback([acceptedFeedback('card-a-possible')], RECEIVED_AT);
    expect(
      store.recordFeedback([acceptedFeedback('card-a-possible')], after(RECEIVED_AT, 0, 5000)),
    ).toEqual({ stored: 0, duplicates: 1, unknownCards: 0 });
    expect(store.counts()).toMatchObject({ feedback: 1, accepted: 1 });
  });

  it('counts a repeat within one request as a duplicate', () => {
    const item = overriddenFeedback('card-a-possible', 'already-screened');
    expect(store.recordFeedback([item, item], RECEIVED_AT)).toEqual({
      stored: 1,
      duplicates: 1,
      unknownCards: 0,
    });
  });

  it('treats the same outcome instant written another way as the same feedback', () => {
    store.recordFeedback(
      [acceptedFeedback('card-a-possible', '2024-05-01T10:05:00Z')],
      RECEIVED_AT,
    );
    const again = store.recordFeedback(
      [acceptedFeedback('card-a-possible', '2024-05-01T12:05:00.000+02:00')],
      RECEIVED_AT,
    );
    expect(again.duplicates).toBe(1);
  });

  it('keeps a second outcome for the same card at another time', () => {
    store.recordFeedback([acceptedFeedback('card-a-possible')], RECEIVED_AT);
    const later = store.recordFeedback(
      [
        overriddenFeedback('card-a-possible', 'patient-declined', {
          outcomeTimestamp: after(OUTCOME_AT, 1),
        }),
      ],
      after(RECEIVED_AT, 1),
    );
    expect(later.stored).toBe(1);
    expect(store.counts()).toMatchObject({ feedback: 2, accepted: 1, overridden: 1 });
  });

  it('keeps feedback for a card it never issued and counts it as unknown', () => {
    expect(store.recordFeedback([acceptedFeedback('card-from-elsewhere')], RECEIVED_AT)).toEqual({
      stored: 1,
      duplicates: 0,
      unknownCards: 1,
    });
    expect(store.counts()).toMatchObject({ feedback: 1, feedbackForUnknownCards: 1 });
    expect(readRows(path, 'SELECT card_uuid FROM card_feedback')).toEqual([
      { card_uuid: 'card-from-elsewhere' },
    ]);
  });

  it('keeps only the length of a free-text comment by default', () => {
    store.recordFeedback(
      [overriddenFeedback('card-a-possible', 'patient-declined', { userComment: COMMENT })],
      RECEIVED_AT,
    );
    expect(readRows(path, 'SELECT user_comment, user_comment_length FROM card_feedback')).toEqual([
      { user_comment: null, user_comment_length: COMMENT.length },
    ]);
    store.close();
    // Nowhere in the file either (closing checkpoints the write-ahead log into it).
    expect(readFileSync(path).includes(Buffer.from('Maria Lopez'))).toBe(false);
  });

  it('keeps the comment when the site turns storeComments on', () => {
    store.close();
    store = openSqliteFeedbackStore({ path, storeComments: true });
    store.recordFeedback(
      [overriddenFeedback('card-a-possible', 'patient-declined', { userComment: COMMENT })],
      RECEIVED_AT,
    );
    expect(readRows(path, 'SELECT user_comment FROM card_feedback')).toEqual([
      { user_comment: COMMENT },
    ]);
    store.close();
    expect(readFileSync(path).includes(Buffer.from('Maria Lopez'))).toBe(true);
  });

  it('counts a comment length in characters, not UTF-16 units', () => {
    store.recordFeedback(
      [overriddenFeedback('card-a-possible', undefined, { userComment: 'ok 👍' })],
      RECEIVED_AT,
    );
    expect(readRows(path, 'SELECT user_comment_length FROM card_feedback')).toEqual([
      { user_comment_length: 4 },
    ]);
  });

  it('writes nothing from a request with one unreadable outcome time', () => {
    const items = [
      acceptedFeedback('card-a-possible'),
      acceptedFeedback('card-a-possible', '2024-05-01 10:05'),
    ];
    expect(() => store.recordFeedback(items, RECEIVED_AT)).toThrow(ServiceError);
    expect(() => store.recordFeedback(items, RECEIVED_AT)).toThrow(
      /Feedback item 1: outcomeTimestamp "2024-05-01 10:05" is not an ISO 8601 date-time/,
    );
    expect(store.counts().feedback).toBe(0);
  });

  it('answers 400 for a feedback item the caller let through with a bad outcome time', () => {
    let error: unknown;
    try {
      store.recordFeedback([acceptedFeedback('card-a-possible', 'yesterday')], RECEIVED_AT);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).status).toBe(400);
  });

  it('treats SQL in card uuids, patient keys and reasons as plain data', () => {
    const evilUuid = "x'); DROP TABLE card_feedback; --";
    const evilKey = "' OR '1'='1";
    store.recordIssuedCards([issuedCard({ uuid: evilUuid, patientKey: evilKey })]);
    store.recordFeedback(
      [
        acceptedFeedback(evilUuid),
        overriddenFeedback('card-a-possible', "already-screened' OR 1=1 --"),
      ],
      RECEIVED_AT,
    );
    const now = after(OUTCOME_AT, 1);
    expect(store.findSuppression(evilKey, 'possible', now)?.cardUuid).toBe(evilUuid);
    // The injected reason is not a suppressing one, and the injected key matched only itself.
    expect(store.findSuppression(PATIENT_A, 'possible', now)).toBeUndefined();
    expect(store.counts()).toMatchObject({ issuedCards: 2, feedback: 2 });
  });
});

describe('recordIssuedCards', () => {
  let dir: string;
  let path: string;
  let store: FeedbackStore;
  beforeEach(() => {
    dir = makeTempDir();
    path = join(dir, 'feedback.db');
    store = openSqliteFeedbackStore({ path });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the first issue time and moves the last one forward when a card is re-issued', () => {
    const second = after(OUTCOME_AT, 1);
    store.recordIssuedCards([issuedCard()]);
    store.recordIssuedCards([issuedCard({ issuedAt: second })]);
    // A late call with an older time changes neither.
    store.recordIssuedCards([issuedCard({ issuedAt: after(OUTCOME_AT, 0, 1) })]);
    expect(readRows(path, 'SELECT uuid, first_issued_ms, last_issued_ms FROM issued_card')).toEqual(
      [
        {
          uuid: 'card-a-possible',
          first_issued_ms: Date.parse(issuedCard().issuedAt),
          last_issued_ms: Date.parse(second),
        },
      ],
    );
    expect(store.counts().issuedCards).toBe(1);
  });

  it('keeps only the opaque patient key, classification and rule-set version of a card', () => {
    store.recordIssuedCards([issuedCard({ classification: 'likely', uuid: 'card-a-likely' })]);
    expect(
      readRows(path, 'SELECT patient_key, classification, rule_set_version FROM issued_card'),
    ).toEqual([{ patient_key: PATIENT_A, classification: 'likely', rule_set_version: '2024.1' }]);
  });

  it('writes none of a batch when one card has an unreadable issue time', () => {
    expect(() =>
      store.recordIssuedCards([issuedCard(), issuedCard({ uuid: 'card-2', issuedAt: 'now' })]),
    ).toThrow(/Issued card 1: issuedAt "now"/);
    expect(store.counts().issuedCards).toBe(0);
  });
});

describe('counts', () => {
  it('totals cards, feedback by outcome, and feedback for unknown cards', () => {
    const store = openSqliteFeedbackStore({ path: ':memory:' });
    store.recordIssuedCards([
      issuedCard(),
      issuedCard({ uuid: 'card-b', classification: 'likely' }),
    ]);
    store.recordFeedback(
      [
        acceptedFeedback('card-a-possible'),
        overriddenFeedback('card-b', 'not-clinically-appropriate'),
        overriddenFeedback('card-unknown', 'already-screened'),
      ],
      RECEIVED_AT,
    );
    expect(store.counts()).toEqual({
      issuedCards: 2,
      feedback: 3,
      accepted: 1,
      overridden: 2,
      feedbackForUnknownCards: 1,
    });
    store.close();
  });
});
