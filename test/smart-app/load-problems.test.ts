import { fetchProblem, launchProblem, partialDataWarning } from '../../src/smart-app/load-problems';
import { bannerDetails, patientBanner } from '../../src/smart-app/patient-display';
import { effectOf, worksheetHeadline } from '../../src/smart-app/worksheet-text';
import { buildDemoCensus } from '../../src/demo/census';
import { screen } from '../builders/screening';

describe('fetchProblem', () => {
  it('reads a 401 on any query as an expired session', () => {
    const problem = fetchProblem(
      [{ key: 'bloodGases', problem: 'unauthorized' }],
      9,
      'fhir.example',
    );
    expect(problem).toMatchObject({ kind: 'session-expired', action: 'relaunch' });
  });

  it('reads every query failing with no answer as an unreachable server, with a retry', () => {
    const failures = Array.from({ length: 9 }, (_, i) => ({
      key: `q${i}`,
      problem: 'unreachable' as const,
    }));
    const problem = fetchProblem(failures, 9, 'fhir.example:8443');
    expect(problem).toMatchObject({ kind: 'fhir-unreachable', action: 'retry' });
    expect(problem?.message).toContain('fhir.example:8443');
  });

  it('lets a partial failure through, to be shown as a warning beside the result', () => {
    const failures = [{ key: 'allergies', problem: 'server-error' as const }];
    expect(fetchProblem(failures, 9, 'h')).toBeUndefined();
    expect(partialDataWarning(failures)).toMatch(/allergies \(server error\)/);
    expect(partialDataWarning([])).toBeUndefined();
  });
});

describe('launchProblem', () => {
  it('tells a user who opened the app page directly to launch it from the EHR', () => {
    for (const message of [
      "No 'state' parameter found. Please (re)launch the app.",
      'No state found! Please (re)launch the app.',
    ]) {
      expect(launchProblem(new Error(message)).kind).toBe('not-launched');
    }
  });

  it('keeps the authorization server’s words when it refused the launch', () => {
    const p = launchProblem(new Error('invalid_grant'));
    expect(p.kind).toBe('launch-failed');
    expect(p.message).toContain('invalid_grant');
  });
});

describe('patientBanner', () => {
  it('shows name, sex, age on the date of now, date of birth and MRN', () => {
    const banner = patientBanner(
      {
        resourceType: 'Patient',
        name: [{ use: 'official', given: ['Ada'], family: 'Testwell' }],
        gender: 'female',
        birthDate: '1970-03-02',
        identifier: [{ type: { coding: [{ code: 'MR' }] }, value: 'SYN1' }],
      },
      new Date('2026-03-01T08:00:00Z'),
    );
    expect(banner).toEqual({
      name: 'Ada Testwell',
      gender: 'female',
      birthDate: '1970-03-02',
      age: 55,
      mrn: 'SYN1',
    });
    expect(bannerDetails(banner)).toBe('female · 55 y (born 1970-03-02) · MRN SYN1');
  });
});

describe('effectOf', () => {
  it('reads a met exclusion as ruling out and a not-met exclusion as supporting', () => {
    expect(effectOf({ kind: 'exclusion', status: 'met' })).toBe('against');
    expect(effectOf({ kind: 'exclusion', status: 'not-met' })).toBe('supports');
    expect(effectOf({ kind: 'inclusion', status: 'met' })).toBe('supports');
    expect(effectOf({ kind: 'inclusion', status: 'not-met' })).toBe('against');
    expect(effectOf({ kind: 'inclusion', status: 'unknown' })).toBe('open');
  });
});

describe('worksheetHeadline', () => {
  it('names what the record cannot confirm when the data are insufficient', () => {
    const census = buildDemoCensus('2026-03-01T08:00:00Z');
    const transferred =
      census.bundles[census.patients.findIndex((p) => p.scenario === 'transferred-in')];
    const result = screen(
      (transferred?.entry ?? []).map((e) => e.resource),
      {
        now: '2026-03-01T08:00:00Z',
      },
    );
    expect(result.classification).toBe('insufficient-data');
    expect(worksheetHeadline(result, 'STELLAR')).toBe(
      'Insufficient data: the record cannot confirm 7 days on the ventilator, qualifying gas or weaning course',
    );
  });
});
