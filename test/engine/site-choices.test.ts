/**
 * Behaviour the rules document is silent on, chosen as a careful intensivist would expect and
 * listed in the README ("Where the product reads the rules more carefully ...").
 */
import {
  adultPatient,
  before,
  after,
  chartedPf,
  condition,
  extubation,
  fio2,
  intubation,
  NOW,
  observation,
  plateau,
  pao2,
  patient,
  peep,
  procedure,
  searchedExcept,
  series,
  ventilatorDeviceUse,
  codedObservation,
} from '../builders/fhir-builders';
import { configuredScreening, criterion, screen, statusOf } from '../builders/screening';

describe('units understood from the text when the UCUM code is not', () => {
  it('reads "cmH2O" text when the code is a local unit code', () => {
    const r = screen([
      adultPatient(),
      pao2(70, before({ hours: 3 })),
      fio2(50, before({ hours: 3 })),
      peep(10, before({ hours: 3 }), { unit: 'CMH2O_LOCAL', unitText: 'cmH2O' }),
    ]);
    expect(statusOf(r, 'pf-ratio-on-peep')).toBe('met');
  });

  it('skips an airway pressure labelled mmHg (a mislabelled cmH2O, most likely) and asks to confirm', () => {
    const at = before({ hours: 3 });
    const r = screen([adultPatient(), pao2(70, at), fio2(50, at), peep(4, at, { unit: 'mm[Hg]' })]);
    const c = criterion(r, 'pf-ratio-on-peep');
    expect(c.status).toBe('unknown');
    expect(
      c.evidence.some(
        (e) =>
          e.role === 'skipped' &&
          e.notes?.includes('airway pressure labelled mmHg: confirm the unit'),
      ),
    ).toBe(true);
  });
});

describe('computed P/F plausibility', () => {
  it('skips a computed P/F outside 20-700 and says so in the evidence', () => {
    const at = before({ hours: 3 });
    // PaO2 600 on FiO2 50 % is a P/F of 1200: a charting error somewhere.
    const r = screen([adultPatient(), pao2(600, at), fio2(50, at), peep(10, at)]);
    const c = criterion(r, 'pf-ratio-on-peep');
    expect(c.status).toBe('unknown');
    expect(
      c.evidence.some(
        (e) => e.role === 'skipped' && e.notes?.some((n) => /implausible computed P\/F/.test(n)),
      ),
    ).toBe(true);
  });
});

describe('blood gases without a usable time', () => {
  it('does not pair a blood gas charted with a date but no time of day', () => {
    const r = screen([
      adultPatient(),
      chartedPf(120, NOW.slice(0, 10)),
      peep(10, before({ hours: 1 })),
    ]);
    expect(statusOf(r, 'pf-ratio-on-peep')).toBe('unknown');
  });

  it('reads a time without an offset as UTC and notes it', () => {
    const at = before({ hours: 3 }).replace(/\.\d+Z$|Z$/, '');
    const r = screen([adultPatient(), chartedPf(150, at), peep(10, before({ hours: 3 }))]);
    const c = criterion(r, 'pf-ratio-on-peep');
    expect(c.status).toBe('met');
    expect(c.evidence[0]?.notes).toContain('time had no offset: read as UTC');
  });
});

describe('extubation and reintubation', () => {
  const intubated = before({ days: 10 });
  const extubated = before({ days: 2 });
  const chartedBetween = (from: string, to: string) =>
    series((at) => peep(8, at), { from, to, everyHours: 4 });

  it('reads ventilator charting within the grace period after an extubation as late charting', () => {
    const r = screen([
      adultPatient(),
      intubation(intubated),
      ...chartedBetween(intubated, extubated),
      extubation(extubated),
      peep(8, after({ minutes: 30 }, extubated)),
    ]);
    const episodes = r.ventilation.episodes;
    expect(episodes).toHaveLength(1);
    expect(episodes[0]?.endedByExtubation?.time).toBe(
      new Date(Date.parse(extubated)).toISOString(),
    );
    expect(episodes[0]?.failedExtubations).toEqual([]);
    expect(statusOf(r, 'invasive-ventilation-7d')).toBe('not-met');
  });

  it('asks to confirm when only ventilator charting follows an extubation (NIV or high-flow?)', () => {
    const r = screen([
      adultPatient(),
      intubation(intubated),
      ...chartedBetween(intubated, extubated),
      extubation(extubated),
      ...chartedBetween(after({ hours: 6 }, extubated), NOW),
    ]);
    expect(r.ventilation.episodes.map((e) => e.current)).toEqual([false, true]);
    const c = criterion(r, 'invasive-ventilation-7d');
    expect(c.status).toBe('unknown');
    expect(c.reason).toMatch(/only ventilator charting follows the extubation/);
  });

  it('counts a recorded reintubation after the extubation as a failed extubation, charting between or not', () => {
    const reintubated = after({ hours: 6 }, extubated);
    const r = screen([
      adultPatient(),
      intubation(intubated),
      ...chartedBetween(intubated, extubated),
      extubation(extubated),
      peep(6, after({ hours: 3 }, extubated)),
      intubation(reintubated),
      ...chartedBetween(reintubated, NOW),
    ]);
    expect(r.ventilation.episodes).toHaveLength(1);
    expect(r.ventilation.episodes[0]?.failedExtubations).toHaveLength(1);
    expect(r.ventilation.episodes[0]?.failedExtubations[0]?.extubationReference).toMatch(
      /^Procedure\//,
    );
    expect(statusOf(r, 'invasive-ventilation-7d')).toBe('met');
  });

  it('reads charting alone as a reintubation when the site turns corroboration off (the rules, literally)', () => {
    const prepared = configuredScreening((c) => {
      c.criteria.ventilation.requireCorroboration = false;
      c.criteria.ventilation.extubationChartingGraceMinutes = 0;
    });
    const r = screen(
      [
        adultPatient(),
        intubation(intubated),
        extubation(extubated),
        peep(8, after({ minutes: 30 }, extubated)),
      ],
      { prepared },
    );
    expect(r.ventilation.episodes[0]?.failedExtubations).toHaveLength(1);
  });

  it('reads an extubation and a reintubation minutes apart as a tube exchange, not a failed extubation', () => {
    const exchanged = before({ days: 5 });
    const r = screen([
      adultPatient(),
      intubation(intubated),
      extubation(exchanged),
      intubation(after({ minutes: 2 }, exchanged)),
      ...chartedBetween(intubated, NOW),
    ]);
    const episode = r.ventilation.episodes[0];
    expect(episode?.tubeExchanges).toHaveLength(1);
    expect(episode?.failedExtubations).toHaveLength(0);
    expect(statusOf(r, 'prolonged-weaning')).toBe('unknown'); // an exchange is no weaning attempt
    expect(statusOf(r, 'invasive-ventilation-7d')).toBe('met');
  });

  it('keeps ventilating through a reintubation charted at the same minute as the extubation', () => {
    const at = before({ hours: 20 });
    const r = screen([
      adultPatient(),
      intubation(intubated),
      extubation(at),
      intubation(at),
      ...chartedBetween(intubated, NOW),
    ]);
    expect(statusOf(r, 'invasive-ventilation-7d')).toBe('met');
  });

  it('does not join an extubation to an episode whose evidence stopped weeks before', () => {
    const r = screen([
      adultPatient(),
      ...chartedBetween(before({ days: 40 }), before({ days: 30 })),
      extubation(before({ days: 3 })),
      intubation(before({ days: 2 })),
      ...chartedBetween(before({ days: 2 }), NOW),
    ]);
    const c = criterion(r, 'invasive-ventilation-7d');
    expect(c.status).toBe('not-met');
    const current = r.ventilation.episodes.find((e) => e.current);
    expect(Date.parse(current?.start ?? '')).toBe(Date.parse(before({ days: 3 })));
  });

  it('lets an explicit extubation end an in-progress ventilation procedure that was never closed', () => {
    const stale = procedure({
      snomed: '1258985005',
      status: 'in-progress',
      performedPeriod: { start: intubated },
    });
    const r = screen([adultPatient(), stale, extubation(extubated)]);
    expect(r.ventilation.episodes[0]?.current).toBe(false);
    expect(statusOf(r, 'invasive-ventilation-7d')).toBe('not-met');
  });
});

describe('ventilator device use', () => {
  it('counts an active device use with no end as ongoing ventilation', () => {
    const r = screen([
      adultPatient(),
      ...ventilatorDeviceUse({ status: 'active', period: { start: before({ days: 8 }) } }),
    ]);
    expect(statusOf(r, 'invasive-ventilation-7d')).toBe('met');
  });
});

describe('findings in data marked unavailable', () => {
  it('still uses a Condition that was given although the Condition search was marked failed', () => {
    const r = screen([adultPatient(), condition({ icd10: 'J80' })], {
      availability: searchedExcept('Condition'),
    });
    expect(statusOf(r, 'respiratory-failure')).toBe('met');
    expect(statusOf(r, 'hiv')).toBe('unknown');
  });
});

describe('pregnancy status answers', () => {
  it('asks to confirm when the latest pregnancy status is neither pregnant nor not pregnant', () => {
    const unknownAnswer = codedObservation(
      { loinc: '82810-3' },
      { loinc: 'LA4489-6' },
      before({ days: 3 }),
    );
    const r = screen([patient({ birthDate: '1990-01-01' }), unknownAnswer]);
    expect(statusOf(r, 'pregnancy-or-breastfeeding')).toBe('unknown');
  });
});

describe('age on a 29 February birthday', () => {
  it('turns 81 on 1 March in a year without 29 February', () => {
    const born = patient({ birthDate: '1944-02-29' });
    expect(statusOf(screen([born], { now: '2025-02-28T12:00:00Z' }), 'age')).toBe('met');
    expect(statusOf(screen([born], { now: '2025-03-01T12:00:00Z' }), 'age')).toBe('not-met');
  });
});

describe('blood gas panels and specimens', () => {
  it('never reads the components of a venous gas panel (24339-4) as arterial, even if coded "blood"', () => {
    const at = before({ hours: 3 });
    const venousPanel = observation({
      loinc: '24339-4',
      at,
      components: [
        { loinc: '11556-8', value: 38, unit: 'mm[Hg]' },
        { loinc: '11557-6', value: 58, unit: 'mm[Hg]' },
        { loinc: '11558-4', value: 7.22, unit: '[pH]' },
      ],
    });
    const r = screen([adultPatient(), venousPanel, fio2(40, at), peep(8, at), plateau(31, at)]);
    for (const id of [
      'pf-ratio-on-peep',
      'hypercapnia-on-plateau',
      'acidosis-on-plateau',
    ] as const) {
      expect(statusOf(r, id)).toBe('unknown');
    }
  });
});

describe('blood gases dated by day only', () => {
  it('makes the criterion unknown, not not-met, when a day-dated value would qualify', () => {
    const yesterday = before({ hours: 20 });
    const r = screen([
      adultPatient(),
      chartedPf(250, yesterday),
      peep(10, yesterday),
      chartedPf(120, NOW.slice(0, 10)),
    ]);
    const c = criterion(r, 'pf-ratio-on-peep');
    expect(c.status).toBe('unknown');
    expect(c.evidence.some((e) => e.role === 'unpaired-qualifying')).toBe(true);
  });
});

describe('a setting that was charted but could not be read', () => {
  it('leaves a blood gas unpaired rather than pairing it with a farther PEEP', () => {
    const at = before({ hours: 3 });
    const r = screen([
      adultPatient(),
      chartedPf(150, at),
      peep(10, before({ minutes: 100 }, at)),
      peep(10, before({ minutes: 10 }, at), { unit: null }), // no unit: unreadable
    ]);
    expect(statusOf(r, 'pf-ratio-on-peep')).toBe('unknown');
  });

  it('still pairs past an oxygen flow charted as FiO2: a flow is not an FiO2 at all', () => {
    const at = before({ hours: 3 });
    const r = screen([
      adultPatient(),
      pao2(70, at),
      fio2(50, before({ hours: 2 }, at)),
      fio2(4, before({ hours: 1 }, at), { unit: 'L/min' }),
      peep(10, at),
    ]);
    expect(statusOf(r, 'pf-ratio-on-peep')).toBe('met');
  });
});
