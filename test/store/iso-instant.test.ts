import { ServiceError } from '../../src/errors/service-error';
import { parseIsoInstant } from '../../src/store/iso-instant';

describe('parseIsoInstant', () => {
  it.each([
    ['2024-05-01T10:05:00Z', Date.UTC(2024, 4, 1, 10, 5)],
    ['2024-05-01T10:05:00.250Z', Date.UTC(2024, 4, 1, 10, 5, 0, 250)],
    ['2024-05-01T12:05:00+02:00', Date.UTC(2024, 4, 1, 10, 5)],
    ['2024-05-01T05:05-05:00', Date.UTC(2024, 4, 1, 10, 5)],
  ])('reads %s as the instant it names', (text, ms) => {
    expect(parseIsoInstant(text, 'Time', 400)).toBe(ms);
  });

  it.each([
    ['a time with no zone', '2024-05-01T10:05:00'],
    ['a date alone', '2024-05-01'],
    ['a day the month does not have', '2024-02-30T10:05:00Z'],
    ['a month that does not exist', '2024-13-01T10:05:00Z'],
    ['words', 'yesterday'],
    ['an empty string', ''],
  ])('refuses %s, with the status and a message naming the value', (_, text) => {
    let error: unknown;
    try {
      parseIsoInstant(text, 'Feedback item 0: outcomeTimestamp', 400);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      status: 400,
      message: `Feedback item 0: outcomeTimestamp "${text}" is not an ISO 8601 date-time with a zone (e.g. 2024-05-01T09:30:00Z)`,
    });
  });
});
