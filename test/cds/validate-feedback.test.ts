import { MAX_FEEDBACK_ITEMS, validateFeedback } from '../../src/cds/validate-feedback';
import { ServiceError } from '../../src/errors/service-error';

const accepted = {
  card: '11111111-2222-5333-8444-555555555555',
  outcome: 'accepted',
  acceptedSuggestions: [{ id: '66666666-7777-5888-9999-000000000000' }],
  outcomeTimestamp: '2026-03-01T08:05:00Z',
};
const overridden = {
  card: '11111111-2222-5333-8444-555555555555',
  outcome: 'overridden',
  overrideReason: {
    reason: {
      code: 'already-screened',
      system: 'urn:stellar-screening:override-reason',
      display: 'Already screened',
    },
    userComment: 'seen by the team on Monday',
  },
  outcomeTimestamp: '2026-03-01T08:05:00.123+01:00',
};

function status(body: unknown): number {
  try {
    validateFeedback(body);
    return 200;
  } catch (error) {
    if (error instanceof ServiceError) return error.status;
    throw error;
  }
}

describe('validateFeedback', () => {
  it('accepts accepted and overridden feedback as the spec shows them', () => {
    expect(validateFeedback({ feedback: [accepted, overridden] }).feedback).toHaveLength(2);
  });

  it.each([
    ['no feedback array', {}],
    ['an empty array', { feedback: [] }],
    ['an unknown outcome', { feedback: [{ ...accepted, outcome: 'ignored' }] }],
    ['no card', { feedback: [{ ...accepted, card: undefined }] }],
    [
      'a timestamp without a zone',
      { feedback: [{ ...accepted, outcomeTimestamp: '2026-03-01T08:05:00' }] },
    ],
    [
      'a timestamp that is not a date',
      { feedback: [{ ...accepted, outcomeTimestamp: '2026-13-45T99:99:00Z' }] },
    ],
    [
      'an override reason without a code',
      { feedback: [{ ...overridden, overrideReason: { reason: { display: 'x' } } }] },
    ],
    [
      'too many items',
      { feedback: Array.from({ length: MAX_FEEDBACK_ITEMS + 1 }, () => accepted) },
    ],
  ])('refuses %s with a 400', (_name, body) => {
    expect(status(body)).toBe(400);
  });
});
