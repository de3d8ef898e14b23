import { NOW, patient, searchedExcept } from '../builders/fhir-builders';
import { configuredScreening, criterion, screen, statusOf } from '../builders/screening';

// NOW is 2026-03-01T08:00:00Z: the calendar date is 2026-03-01 in UTC (the default site time
// zone) and 2026-02-28 in Pacific/Honolulu (UTC-10).
const ageOf = (birthDate?: string, options?: Parameters<typeof screen>[1]) =>
  statusOf(screen([patient(birthDate === undefined ? {} : { birthDate })], options), 'age');

const honolulu = () =>
  configuredScreening((c) => {
    c.criteria.timeZone = 'Pacific/Honolulu';
  });

describe('age (20 to 80 inclusive, completed years on the date of now)', () => {
  it('is met on the 20th birthday', () => {
    expect(ageOf('2006-03-01')).toBe('met');
  });

  it('is not met the day before the 20th birthday', () => {
    expect(ageOf('2006-03-02')).toBe('not-met');
  });

  it('is met the day after the 20th birthday', () => {
    expect(ageOf('2006-02-28')).toBe('met');
  });

  it('is met the day before the 81st birthday (age 80)', () => {
    expect(ageOf('1945-03-02')).toBe('met');
  });

  it('is not met on the 81st birthday', () => {
    expect(ageOf('1945-03-01')).toBe('not-met');
  });

  it('is met in the middle of the range', () => {
    expect(ageOf('1976-01-15')).toBe('met');
  });

  it('shows the age in completed years in the evidence', () => {
    const c = criterion(screen([patient({ birthDate: '2006-03-01' })]), 'age');
    expect(c.evidence.some((e) => e.value === 20)).toBe(true);
  });
});

describe('age in the site time zone', () => {
  it('is not met on the UTC date of a 20th birthday that has not yet come in Honolulu', () => {
    expect(ageOf('2006-03-01', { prepared: honolulu() })).toBe('not-met');
  });

  it('is met in Honolulu the day before the UTC date of the 81st birthday', () => {
    expect(ageOf('1945-03-01', { prepared: honolulu() })).toBe('met');
  });

  it('uses the calendar date of now, not of the evaluation moment in another zone', () => {
    // Late on 2026-02-28 in UTC it is already 2026-03-01 in Seoul (UTC+9).
    const seoul = configuredScreening((c) => {
      c.criteria.timeZone = 'Asia/Seoul';
    });
    const lateEvening = '2026-02-28T20:00:00Z';
    expect(ageOf('2006-03-01', { prepared: seoul, now: lateEvening })).toBe('met');
    expect(ageOf('2006-03-01', { now: lateEvening })).toBe('not-met');
  });
});

describe('age with missing or partial birth dates', () => {
  it('is unknown without a birthDate', () => {
    expect(ageOf(undefined)).toBe('unknown');
  });

  it('is unknown when the Patient could not be read', () => {
    expect(statusOf(screen([], { availability: searchedExcept('Patient') }), 'age')).toBe(
      'unknown',
    );
  });

  it('is met for a year-only birth date that cannot straddle a limit', () => {
    expect(ageOf('1980')).toBe('met');
  });

  it('is unknown for a year-only birth date that straddles the 20th birthday', () => {
    expect(ageOf('2006')).toBe('unknown');
  });

  it('is unknown for a year-only birth date that straddles the 81st birthday', () => {
    expect(ageOf('1945')).toBe('unknown');
  });

  it('is not met for a year-only birth date entirely under 20', () => {
    expect(ageOf('2010')).toBe('not-met');
  });

  it('is not met for a year-only birth date entirely over 80', () => {
    expect(ageOf('1940')).toBe('not-met');
  });

  it('is met for a year-month birth date entirely before the 20th birthday cut-off', () => {
    expect(ageOf('2006-02')).toBe('met');
  });

  it('is unknown for a year-month birth date in the month of the 20th birthday', () => {
    expect(ageOf('2006-03')).toBe('unknown');
  });

  it('is unknown for a year-month birth date in the month of the 81st birthday', () => {
    expect(ageOf('1945-03')).toBe('unknown');
  });

  it('is not met for a year-month birth date entirely past the 81st birthday', () => {
    expect(ageOf('1945-02')).toBe('not-met');
  });

  it('evaluates at the given now, not the clock', () => {
    expect(ageOf('2006-03-01', { now: NOW })).toBe('met');
    expect(ageOf('2006-03-01', { now: '2026-02-28T23:59:59Z' })).toBe('not-met');
  });
});
