import { calendarDateIn, parseFhirTime } from '../../src/engine/time';

describe('parseFhirTime', () => {
  it('reads an instant with an offset as the same moment in UTC', () => {
    expect(parseFhirTime('2026-03-01T10:00:00+02:00')?.start).toBe(
      Date.parse('2026-03-01T08:00:00Z'),
    );
  });

  it('reads a time without an offset as UTC and says so, whatever the machine zone', () => {
    const t = parseFhirTime('2026-03-01T08:00:00');
    expect(t?.start).toBe(Date.parse('2026-03-01T08:00:00Z'));
    expect(t?.assumedUtc).toBe(true);
  });

  it('gives partial dates the whole span they can mean', () => {
    const month = parseFhirTime('1946-02');
    expect(month?.hasTime).toBe(false);
    expect(new Date(month!.start).toISOString()).toBe('1946-02-01T00:00:00.000Z');
    expect(new Date(month!.end).toISOString()).toBe('1946-02-28T23:59:59.999Z');
    expect(new Date(parseFhirTime('1948')!.end).toISOString()).toBe('1948-12-31T23:59:59.999Z');
  });

  it('refuses impossible dates and non-strings', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-03-01T25:00:00Z', 'yesterday', 42, null]) {
      expect(parseFhirTime(bad)).toBeUndefined();
    }
  });
});

describe('calendarDateIn', () => {
  it('gives the calendar date in the site time zone, not in UTC', () => {
    const ms = Date.parse('2026-03-01T02:00:00Z');
    expect(calendarDateIn(ms, 'UTC')).toEqual([2026, 3, 1]);
    expect(calendarDateIn(ms, 'America/New_York')).toEqual([2026, 2, 28]);
  });
});

describe('parseFhirTime on full instants', () => {
  it.each([
    ['2026-03-01T08:00:00Z', '2026-03-01T08:00:00.000Z'],
    ['2026-03-01T08:00:00.250Z', '2026-03-01T08:00:00.250Z'],
    ['2026-03-01T08:00:00.123456Z', '2026-03-01T08:00:00.123Z'],
    ['2026-03-01T09:30:00+01:30', '2026-03-01T08:00:00.000Z'],
    ['2026-02-28T23:00:00-09:00', '2026-03-01T08:00:00.000Z'],
    ['2024-02-29T08:00:00Z', '2024-02-29T08:00:00.000Z'],
  ])('reads %s as %s', (input, iso) => {
    expect(new Date(parseFhirTime(input)!.start).toISOString()).toBe(iso);
  });

  it.each([
    '2026-02-29T08:00:00Z',
    '2026-04-31T08:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T08:60:00Z',
    '2026-0a-01T08:00:00Z',
    '2026-03-01T08:00:00X',
  ])('refuses %s', (input) => {
    expect(parseFhirTime(input)).toBeUndefined();
  });
});
