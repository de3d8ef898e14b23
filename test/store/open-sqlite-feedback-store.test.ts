import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ServiceError } from '../../src/errors/service-error';
import { openSqliteFeedbackStore } from '../../src/store';
import { SCHEMA_VERSION } from '../../src/store/sqlite-schema';
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

/** The error `open` throws, checked to be a ServiceError. */
function openError(open: () => unknown): ServiceError {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceError);
    return error as ServiceError;
  }
  throw new Error('expected opening the store to fail');
}

describe('openSqliteFeedbackStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the missing folders of the file path', () => {
    const path = join(dir, 'var', 'lib', 'stellar', 'feedback.db');
    openSqliteFeedbackStore({ path }).close();
    expect(existsSync(path)).toBe(true);
  });

  it('makes a new file and its new folders readable by their owner only', () => {
    const path = join(dir, 'stellar', 'feedback.db');
    openSqliteFeedbackStore({ path }).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'stellar')).mode & 0o777).toBe(0o700);
  });

  it('writes the file in WAL mode at the current schema version', () => {
    const path = join(dir, 'feedback.db');
    openSqliteFeedbackStore({ path }).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('keeps cards, feedback and suppression across a close and reopen', () => {
    const path = join(dir, 'feedback.db');
    const first = openSqliteFeedbackStore({ path });
    first.recordIssuedCards([issuedCard()]);
    first.recordFeedback([overriddenFeedback('card-a-possible', 'already-screened')], RECEIVED_AT);
    first.close();

    const reopened = openSqliteFeedbackStore({ path });
    expect(reopened.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 1))).toMatchObject({
      cardUuid: 'card-a-possible',
      reasonCode: 'already-screened',
    });
    // Still idempotent after the restart.
    expect(
      reopened.recordFeedback(
        [overriddenFeedback('card-a-possible', 'already-screened')],
        RECEIVED_AT,
      ),
    ).toEqual({ stored: 0, duplicates: 1, unknownCards: 0 });
    expect(reopened.counts()).toMatchObject({ issuedCards: 1, feedback: 1 });
    reopened.close();
  });

  it('keeps committed feedback when the process stops without closing the store', () => {
    const path = join(dir, 'feedback.db');
    const abandoned = openSqliteFeedbackStore({ path });
    abandoned.recordIssuedCards([issuedCard()]);
    abandoned.recordFeedback([acceptedFeedback('card-a-possible')], RECEIVED_AT);
    // No close(): a second connection sees what the first committed, from the WAL.
    const other = openSqliteFeedbackStore({ path });
    expect(other.counts()).toMatchObject({ issuedCards: 1, feedback: 1 });
    other.close();
    abandoned.close();
  });

  it('names the path when its folder cannot be created', () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file where a folder should be');
    const path = join(blocker, 'feedback.db');
    const error = openError(() => openSqliteFeedbackStore({ path }));
    expect(error.status).toBe(500);
    expect(error.message).toContain(`Feedback store "${path}": cannot create its folder`);
    // fs errors come from another realm under Jest, so check the cause by its code.
    expect(error.cause).toMatchObject({ code: expect.stringMatching(/^E[A-Z]+$/) });
  });

  it('names the path when the file is not a SQLite database', () => {
    const path = join(dir, 'feedback.db');
    writeFileSync(path, 'this is a text file, not a database\n'.repeat(40));
    const error = openError(() => openSqliteFeedbackStore({ path }));
    expect(error.status).toBe(500);
    expect(error.message).toMatch(
      new RegExp(`Feedback store ".*feedback\\.db" cannot be opened as a SQLite database`),
    );
    expect(error.message).toContain('file is not a database');
    expect(error.cause).toMatchObject({ code: 'SQLITE_NOTADB' });
  });

  it('names the path when the path is a folder', () => {
    const path = join(dir, 'a-folder');
    mkdirSync(path);
    const error = openError(() => openSqliteFeedbackStore({ path }));
    expect(error.message).toContain(`Feedback store "${path}" cannot be opened`);
  });

  it('refuses a file written by a newer version of the schema', () => {
    const path = join(dir, 'feedback.db');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    const error = openError(() => openSqliteFeedbackStore({ path }));
    expect(error.message).toContain('schema version 99 is newer than this service understands');
  });

  it('refuses an empty path rather than open a throw-away database', () => {
    expect(openError(() => openSqliteFeedbackStore({ path: '' })).message).toContain(
      'path is empty',
    );
  });

  it('refuses a negative suppression period', () => {
    expect(
      openError(() => openSqliteFeedbackStore({ path: ':memory:', suppressionDays: -1 })).message,
    ).toContain('suppressionDays must be a number of days, 0 or more (got -1)');
  });

  it('answers a clear error when used after close, and closes twice harmlessly', () => {
    const store = openSqliteFeedbackStore({ path: ':memory:' });
    store.close();
    expect(() => store.close()).not.toThrow();
    expect(() => store.counts()).toThrow(/Feedback store ":memory:" is closed/);
  });
});
