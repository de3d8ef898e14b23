import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteFeedbackStore, type FeedbackStore } from '../../src/store';
import {
  acceptedFeedback,
  after,
  issuedCard,
  makeTempDir,
  OUTCOME_AT,
  overriddenFeedback,
  PATIENT_A,
  PATIENT_B,
  RECEIVED_AT,
} from './feedback-fixtures';

describe('findSuppression', () => {
  let store: FeedbackStore;
  beforeEach(() => {
    store = openSqliteFeedbackStore({ path: ':memory:' });
  });
  afterEach(() => store.close());

  describe('an accepted card', () => {
    beforeEach(() => {
      store.recordIssuedCards([issuedCard()]);
      store.recordFeedback([acceptedFeedback('card-a-possible')], RECEIVED_AT);
    });

    it('suppresses the same classification for the patient from the outcome time', () => {
      expect(store.findSuppression(PATIENT_A, 'possible', OUTCOME_AT)).toEqual({
        cardUuid: 'card-a-possible',
        outcome: 'accepted',
        until: '2024-05-08T10:05:00.000Z',
        classification: 'possible',
      });
    });

    it('still suppresses one millisecond before seven days have passed', () => {
      expect(store.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 7, -1))).toBeDefined();
    });

    it('no longer suppresses at exactly seven days (the window excludes its end)', () => {
      expect(store.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 7))).toBeUndefined();
    });

    it('no longer suppresses after seven days', () => {
      expect(store.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 8))).toBeUndefined();
    });

    it('does not suppress before the outcome happened', () => {
      expect(
        store.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 0, -1)),
      ).toBeUndefined();
    });

    it('does not suppress a stronger classification (possible, then likely)', () => {
      expect(store.findSuppression(PATIENT_A, 'likely', after(OUTCOME_AT, 1))).toBeUndefined();
    });

    it('does not suppress cards for another patient', () => {
      expect(store.findSuppression(PATIENT_B, 'possible', after(OUTCOME_AT, 1))).toBeUndefined();
    });

    it('reads a check time given with a zone offset as the same instant', () => {
      // 2024-05-08T10:04:59Z, one second before the window ends.
      expect(
        store.findSuppression(PATIENT_A, 'possible', '2024-05-08T12:04:59+02:00'),
      ).toBeDefined();
    });
  });

  it('lets a likely card suppress a likely or a weaker possible classification', () => {
    store.recordIssuedCards([issuedCard({ uuid: 'card-a-likely', classification: 'likely' })]);
    store.recordFeedback([acceptedFeedback('card-a-likely')], RECEIVED_AT);
    const now = after(OUTCOME_AT, 1);
    expect(store.findSuppression(PATIENT_A, 'likely', now)?.cardUuid).toBe('card-a-likely');
    expect(store.findSuppression(PATIENT_A, 'possible', now)).toMatchObject({
      cardUuid: 'card-a-likely',
      classification: 'likely',
    });
  });

  it.each(['already-screened', 'patient-declined'])(
    'suppresses a card overridden for %s, and names the reason',
    (reason) => {
      store.recordIssuedCards([issuedCard()]);
      store.recordFeedback([overriddenFeedback('card-a-possible', reason)], RECEIVED_AT);
      expect(store.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 3))).toEqual({
        cardUuid: 'card-a-possible',
        outcome: 'overridden',
        reasonCode: reason,
        until: '2024-05-08T10:05:00.000Z',
        classification: 'possible',
      });
    },
  );

  it('stores but does not suppress a card overridden as not-clinically-appropriate', () => {
    store.recordIssuedCards([issuedCard()]);
    const result = store.recordFeedback(
      [overriddenFeedback('card-a-possible', 'not-clinically-appropriate')],
      RECEIVED_AT,
    );
    expect(result.stored).toBe(1);
    expect(store.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 1))).toBeUndefined();
  });

  it('does not suppress a card overridden with no reason', () => {
    store.recordIssuedCards([issuedCard()]);
    store.recordFeedback([overriddenFeedback('card-a-possible')], RECEIVED_AT);
    expect(store.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 1))).toBeUndefined();
  });

  it('matches a suppressing reason on its code exactly', () => {
    store.recordIssuedCards([issuedCard()]);
    store.recordFeedback([overriddenFeedback('card-a-possible', 'Already-Screened')], RECEIVED_AT);
    expect(store.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 1))).toBeUndefined();
  });

  it('starts the window when the feedback arrived if the EHR dates the outcome later', () => {
    store.recordIssuedCards([issuedCard()]);
    // The EHR's clock is a month ahead: the suppression must not last five weeks.
    store.recordFeedback(
      [acceptedFeedback('card-a-possible', '2024-06-01T00:00:00Z')],
      RECEIVED_AT,
    );
    expect(store.findSuppression(PATIENT_A, 'possible', after(RECEIVED_AT, 1))?.until).toBe(
      '2024-05-08T10:05:02.000Z',
    );
    expect(store.findSuppression(PATIENT_A, 'possible', after(RECEIVED_AT, 7))).toBeUndefined();
  });

  it('reports the suppression that lasts longest when several apply', () => {
    store.recordIssuedCards([
      issuedCard(),
      issuedCard({ uuid: 'card-a-likely', classification: 'likely' }),
    ]);
    store.recordFeedback(
      [
        acceptedFeedback('card-a-likely', OUTCOME_AT),
        overriddenFeedback('card-a-possible', 'patient-declined', {
          outcomeTimestamp: after(OUTCOME_AT, 2),
        }),
      ],
      after(OUTCOME_AT, 2, 1000),
    );
    expect(store.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 3))).toMatchObject({
      cardUuid: 'card-a-possible',
      until: '2024-05-10T10:05:00.000Z',
    });
  });

  it('does not suppress with feedback for a card it never issued', () => {
    store.recordIssuedCards([issuedCard()]);
    const result = store.recordFeedback([acceptedFeedback('card-never-issued')], RECEIVED_AT);
    expect(result).toEqual({ stored: 1, duplicates: 0, unknownCards: 1 });
    expect(store.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 1))).toBeUndefined();
    expect(store.findSuppression(PATIENT_A, 'likely', after(OUTCOME_AT, 1))).toBeUndefined();
  });

  it('applies kept feedback once the card it names is issued (e.g. after the store was reset)', () => {
    store.recordFeedback([acceptedFeedback('card-a-possible')], RECEIVED_AT);
    store.recordIssuedCards([issuedCard({ issuedAt: after(OUTCOME_AT, 1) })]);
    expect(store.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 2))?.cardUuid).toBe(
      'card-a-possible',
    );
  });
});

describe('findSuppression with site settings', () => {
  it('uses the configured number of days', () => {
    const store = openSqliteFeedbackStore({ path: ':memory:', suppressionDays: 2 });
    store.recordIssuedCards([issuedCard()]);
    store.recordFeedback([acceptedFeedback('card-a-possible')], RECEIVED_AT);
    expect(store.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 2, -1))?.until).toBe(
      '2024-05-03T10:05:00.000Z',
    );
    expect(store.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 2))).toBeUndefined();
    store.close();
  });

  it('never suppresses when the period is zero days', () => {
    const store = openSqliteFeedbackStore({ path: ':memory:', suppressionDays: 0 });
    store.recordIssuedCards([issuedCard()]);
    store.recordFeedback([acceptedFeedback('card-a-possible')], RECEIVED_AT);
    expect(store.findSuppression(PATIENT_A, 'possible', OUTCOME_AT)).toBeUndefined();
    store.close();
  });

  it('uses the configured override reasons instead of the default ones', () => {
    const store = openSqliteFeedbackStore({
      path: ':memory:',
      suppressingReasons: ['not-clinically-appropriate'],
    });
    store.recordIssuedCards([issuedCard(), issuedCard({ uuid: 'card-b', patientKey: PATIENT_B })]);
    store.recordFeedback(
      [
        overriddenFeedback('card-a-possible', 'not-clinically-appropriate'),
        overriddenFeedback('card-b', 'already-screened'),
      ],
      RECEIVED_AT,
    );
    const now = after(OUTCOME_AT, 1);
    expect(store.findSuppression(PATIENT_A, 'possible', now)?.reasonCode).toBe(
      'not-clinically-appropriate',
    );
    expect(store.findSuppression(PATIENT_B, 'possible', now)).toBeUndefined();
    store.close();
  });

  it('applies changed settings to feedback stored before the change', () => {
    const dir = makeTempDir();
    try {
      const path = join(dir, 'feedback.db');
      const before = openSqliteFeedbackStore({ path });
      before.recordIssuedCards([issuedCard()]);
      before.recordFeedback([acceptedFeedback('card-a-possible')], RECEIVED_AT);
      before.close();

      const shorter = openSqliteFeedbackStore({ path, suppressionDays: 1 });
      expect(shorter.findSuppression(PATIENT_A, 'possible', after(OUTCOME_AT, 2))).toBeUndefined();
      shorter.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
