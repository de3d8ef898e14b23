import type { Observation } from 'fhir/r4';
import {
  adultPatient,
  after,
  before,
  chartedPf,
  fio2,
  pao2,
  peep,
  ventilatedFor,
} from '../builders/fhir-builders';
import {
  configuredScreening,
  criterion,
  evidenceInRole,
  screen,
  valueInRole,
} from '../builders/screening';

/** Time of the blood gas in most scenarios: two hours before now. */
const T = before({ hours: 2 });

function pfOf(...resources: Observation[]) {
  return criterion(screen([adultPatient(), ventilatedFor(9), ...resources]), 'pf-ratio-on-peep');
}

/** PaO2 at `at` with FiO2 an hour before and PEEP at the same time. */
function pair(o: { pao2: number; fio2: number; peep: number; at: string; id?: string }) {
  const id = o.id ?? `gas-${o.at}`;
  return [
    pao2(o.pao2, o.at, { id: `${id}-pao2` }),
    fio2(o.fio2, before({ hours: 1 }, o.at), { id: `${id}-fio2` }),
    peep(o.peep, o.at, { id: `${id}-peep` }),
  ];
}

/** Value of the pair shown first: the worst qualifying one, else the most recent one. */
function shownPf(c: ReturnType<typeof pfOf>): number | undefined {
  return valueInRole(c, 'worst-qualifying', 'mm[Hg]') ?? valueInRole(c, 'most-recent', 'mm[Hg]');
}

describe('P/F threshold (<= 200 mmHg)', () => {
  it('is met at exactly 200', () => {
    const c = pfOf(...pair({ pao2: 100, fio2: 50, peep: 8, at: T }));
    expect(c.status).toBe('met');
    expect(shownPf(c)).toBeCloseTo(200, 6);
  });

  it('is met just below, at 199.9', () => {
    expect(pfOf(...pair({ pao2: 99.95, fio2: 50, peep: 8, at: T })).status).toBe('met');
  });

  it('is not met just above, at 200.1', () => {
    const c = pfOf(...pair({ pao2: 100.05, fio2: 50, peep: 8, at: T }));
    expect(c.status).toBe('not-met');
    expect(shownPf(c)).toBeCloseTo(200.1, 6);
  });

  it('computes P/F as 100 x PaO2 / FiO2 %', () => {
    const c = pfOf(...pair({ pao2: 72, fio2: 45, peep: 8, at: T }));
    expect(shownPf(c)).toBeCloseTo(160, 6);
  });
});

describe('site-configured thresholds', () => {
  it('uses the P/F limit from the configuration, not a constant', () => {
    const site = configuredScreening((c) => {
      c.criteria.thresholds.pfRatioMax = 150;
    });
    const resources = [
      adultPatient(),
      ventilatedFor(9),
      ...pair({ pao2: 80, fio2: 50, peep: 8, at: T }),
    ];
    expect(criterion(screen(resources), 'pf-ratio-on-peep').status).toBe('met');
    expect(criterion(screen(resources, { prepared: site }), 'pf-ratio-on-peep').status).toBe(
      'not-met',
    );
  });

  it('uses the PEEP minimum from the configuration', () => {
    const site = configuredScreening((c) => {
      c.criteria.thresholds.peepMin = 10;
    });
    const resources = [
      adultPatient(),
      ventilatedFor(9),
      ...pair({ pao2: 80, fio2: 50, peep: 8, at: T }),
    ];
    expect(criterion(screen(resources, { prepared: site }), 'pf-ratio-on-peep').status).toBe(
      'not-met',
    );
  });
});

describe('PEEP threshold (>= 5 cmH2O)', () => {
  it('is met at exactly 5', () => {
    const c = pfOf(...pair({ pao2: 80, fio2: 50, peep: 5, at: T }));
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', 'cm[H2O]')).toBeCloseTo(5, 6);
  });

  it('is met just above, at 5.1', () => {
    expect(pfOf(...pair({ pao2: 80, fio2: 50, peep: 5.1, at: T })).status).toBe('met');
  });

  it('is not met just below, at 4.9', () => {
    expect(pfOf(...pair({ pao2: 80, fio2: 50, peep: 4.9, at: T })).status).toBe('not-met');
  });
});

describe('pairing PaO2 with FiO2', () => {
  const gas = () => pao2(100, T);
  const withPeep = (...r: Observation[]) => pfOf(gas(), peep(8, T), ...r);

  it('uses an FiO2 charted exactly 4 h before the PaO2', () => {
    const c = withPeep(fio2(50, before({ hours: 4 }, T)));
    expect(c.status).toBe('met');
    expect(shownPf(c)).toBeCloseTo(200, 6);
  });

  it('does not use an FiO2 charted 4 h and 1 s before the PaO2: no P/F, so unknown', () => {
    const c = withPeep(fio2(50, before({ hours: 4, seconds: 1 }, T)));
    expect(c.status).toBe('unknown');
    expect(evidenceInRole(c, 'worst-qualifying')).toHaveLength(0);
  });

  it('uses an FiO2 charted at the same instant as the PaO2', () => {
    expect(withPeep(fio2(50, T)).status).toBe('met');
  });

  it('takes the latest FiO2 at or before the PaO2', () => {
    const c = withPeep(fio2(100, before({ hours: 3 }, T)), fio2(40, before({ hours: 1 }, T)));
    expect(c.status).toBe('not-met');
    expect(shownPf(c)).toBeCloseTo(250, 6);
  });

  it('uses an FiO2 charted exactly 30 min after the PaO2 when none is before', () => {
    const c = withPeep(fio2(50, after({ minutes: 30 }, T)));
    expect(c.status).toBe('met');
    expect(shownPf(c)).toBeCloseTo(200, 6);
  });

  it('does not use an FiO2 charted 31 min after the PaO2', () => {
    expect(withPeep(fio2(50, after({ minutes: 31 }, T))).status).toBe('unknown');
  });

  it('takes the earliest FiO2 within 30 min after the PaO2', () => {
    const c = withPeep(fio2(100, after({ minutes: 10 }, T)), fio2(40, after({ minutes: 20 }, T)));
    expect(c.status).toBe('met');
    expect(shownPf(c)).toBeCloseTo(100, 6);
  });

  it('prefers an FiO2 within 4 h before over one within 30 min after', () => {
    const c = withPeep(fio2(40, before({ hours: 3 }, T)), fio2(100, after({ minutes: 10 }, T)));
    expect(c.status).toBe('not-met');
    expect(shownPf(c)).toBeCloseTo(250, 6);
  });

  it('falls back to the FiO2 after when the one before is out of its window', () => {
    const c = withPeep(
      fio2(40, before({ hours: 4, seconds: 1 }, T)),
      fio2(50, after({ minutes: 20 }, T)),
    );
    expect(c.status).toBe('met');
    expect(shownPf(c)).toBeCloseTo(200, 6);
  });

  it('counts a PaO2 with no usable FiO2 for nothing, next to a paired non-qualifying P/F', () => {
    const older = before({ hours: 10 });
    const c = pfOf(pao2(60, T), peep(8, T), ...pair({ pao2: 150, fio2: 50, peep: 8, at: older }));
    expect(c.status).toBe('not-met');
  });
});

describe('pairing a P/F with PEEP', () => {
  const gas = () => [pao2(80, T), fio2(50, before({ hours: 1 }, T))];

  it('uses a PEEP charted exactly 2 h before the blood gas', () => {
    expect(pfOf(...gas(), peep(8, before({ hours: 2 }, T))).status).toBe('met');
  });

  it('uses a PEEP charted exactly 2 h after the blood gas', () => {
    expect(pfOf(...gas(), peep(8, after({ hours: 2 }, T))).status).toBe('met');
  });

  it('leaves the P/F unpaired when the PEEP is 2 h and 1 s before', () => {
    expect(pfOf(...gas(), peep(8, before({ hours: 2, seconds: 1 }, T))).status).toBe('unknown');
  });

  it('leaves the P/F unpaired when the PEEP is 2 h and 1 s after', () => {
    expect(pfOf(...gas(), peep(8, after({ hours: 2, seconds: 1 }, T))).status).toBe('unknown');
  });

  it('takes the PEEP closest in time: a low one 30 min before beats a high one 90 min after', () => {
    const c = pfOf(
      ...gas(),
      peep(4, before({ minutes: 30 }, T)),
      peep(8, after({ minutes: 90 }, T)),
    );
    expect(c.status).toBe('not-met');
  });

  it('takes the PEEP closest in time: a high one 30 min before beats a low one 90 min after', () => {
    const c = pfOf(
      ...gas(),
      peep(8, before({ minutes: 30 }, T)),
      peep(4, after({ minutes: 90 }, T)),
    );
    expect(c.status).toBe('met');
  });

  it('on a tie takes the earlier PEEP (low before, high after: not met)', () => {
    const c = pfOf(...gas(), peep(4, before({ hours: 1 }, T)), peep(8, after({ hours: 1 }, T)));
    expect(c.status).toBe('not-met');
    expect(valueInRole(c, 'most-recent', 'cm[H2O]')).toBeCloseTo(4, 6);
  });

  it('on a tie takes the earlier PEEP (high before, low after: met)', () => {
    const c = pfOf(...gas(), peep(8, before({ hours: 1 }, T)), peep(4, after({ hours: 1 }, T)));
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', 'cm[H2O]')).toBeCloseTo(8, 6);
  });
});

describe('48 h lookback', () => {
  it('screens a blood gas drawn exactly 48 h before now', () => {
    expect(pfOf(...pair({ pao2: 80, fio2: 50, peep: 8, at: before({ hours: 48 }) })).status).toBe(
      'met',
    );
  });

  it('does not screen a blood gas drawn 48 h and 1 s before now', () => {
    const c = pfOf(...pair({ pao2: 80, fio2: 50, peep: 8, at: before({ hours: 48, seconds: 1 }) }));
    expect(c.status).toBe('unknown');
    expect(evidenceInRole(c, 'worst-qualifying')).toHaveLength(0);
  });

  it('screens a blood gas drawn at now', () => {
    expect(pfOf(...pair({ pao2: 80, fio2: 50, peep: 8, at: before({}) })).status).toBe('met');
  });

  it('does not screen a blood gas timed after now', () => {
    const c = pfOf(...pair({ pao2: 80, fio2: 50, peep: 8, at: after({ hours: 1 }) }));
    expect(c.status).toBe('unknown');
  });

  it('ignores an unpaired qualifying P/F older than the lookback when deciding not-met', () => {
    const c = pfOf(
      ...pair({ pao2: 150, fio2: 50, peep: 8, at: T }),
      pao2(60, before({ hours: 49 })),
      fio2(50, before({ hours: 50 })),
    );
    expect(c.status).toBe('not-met');
  });
});

describe('charted P/F (50984-4)', () => {
  it('uses a charted P/F paired with PEEP', () => {
    const c = pfOf(chartedPf(180, T), peep(8, T));
    expect(c.status).toBe('met');
    expect(shownPf(c)).toBeCloseTo(180, 6);
  });

  it('is met at a charted 200', () => {
    expect(pfOf(chartedPf(200, T), peep(8, T)).status).toBe('met');
  });

  it('is not met at a charted 200.1', () => {
    expect(pfOf(chartedPf(200.1, T), peep(8, T)).status).toBe('not-met');
  });

  it('uses charted and computed P/F together: a qualifying charted value makes it met', () => {
    const c = pfOf(
      ...pair({ pao2: 150, fio2: 50, peep: 8, at: T }),
      chartedPf(150, before({ hours: 6 })),
      peep(8, before({ hours: 6 })),
    );
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', 'mm[Hg]')).toBeCloseTo(150, 6);
  });

  it('treats a charted P/F with no PEEP near it as unpaired', () => {
    expect(pfOf(chartedPf(150, T)).status).toBe('unknown');
  });
});

describe('not-met versus unknown', () => {
  const older = before({ hours: 10 });

  it('is not-met when paired P/F values exist and none meets the threshold', () => {
    const c = pfOf(
      ...pair({ pao2: 150, fio2: 50, peep: 8, at: T }),
      ...pair({ pao2: 140, fio2: 50, peep: 10, at: older }),
    );
    expect(c.status).toBe('not-met');
  });

  it('is unknown when an unpaired P/F (no PEEP within 2 h) would qualify on its own', () => {
    const c = pfOf(
      ...pair({ pao2: 150, fio2: 50, peep: 8, at: T }),
      pao2(75, older),
      fio2(50, before({ hours: 1 }, older)),
    );
    expect(c.status).toBe('unknown');
  });

  it('is not-met when the unpaired P/F would not qualify either', () => {
    const c = pfOf(
      ...pair({ pao2: 150, fio2: 50, peep: 8, at: T }),
      pao2(125, older),
      fio2(50, before({ hours: 1 }, older)),
    );
    expect(c.status).toBe('not-met');
  });

  it('is unknown when the only P/F is unpaired and qualifying', () => {
    expect(pfOf(pao2(75, T), fio2(50, before({ hours: 1 }, T))).status).toBe('unknown');
  });

  it('is unknown when the only P/F is unpaired, even if it does not qualify', () => {
    expect(pfOf(pao2(150, T), fio2(50, before({ hours: 1 }, T))).status).toBe('unknown');
  });

  it('counts a low P/F paired with a low PEEP as paired, so not-met', () => {
    expect(pfOf(...pair({ pao2: 60, fio2: 50, peep: 4, at: T })).status).toBe('not-met');
  });

  it('is unknown with no blood gas in the lookback', () => {
    const c = pfOf(peep(8, T));
    expect(c.status).toBe('unknown');
  });

  it('is met when one pair qualifies, whatever the unpaired values', () => {
    const c = pfOf(
      ...pair({ pao2: 80, fio2: 50, peep: 8, at: T }),
      pao2(75, older),
      fio2(50, before({ hours: 1 }, older)),
    );
    expect(c.status).toBe('met');
  });

  it('shows the unpaired qualifying value in the evidence', () => {
    const c = pfOf(
      ...pair({ pao2: 150, fio2: 50, peep: 8, at: T }),
      pao2(75, older, { id: 'lonely-pao2' }),
      fio2(50, before({ hours: 1 }, older)),
    );
    const shown = evidenceInRole(c, 'unpaired-qualifying');
    expect(shown.map((e) => e.reference)).toContain('Observation/lonely-pao2');
    expect(shown.find((e) => e.reference === 'Observation/lonely-pao2')?.value).toBeCloseTo(150, 6);
  });
});

describe('P/F evidence', () => {
  // An improving patient: P/F 100 thirty hours ago, 150 twenty hours ago, 300 an hour ago.
  const improving = () =>
    pfOf(
      ...pair({ pao2: 60, fio2: 60, peep: 12, at: before({ hours: 30 }), id: 'worst' }),
      ...pair({ pao2: 90, fio2: 60, peep: 10, at: before({ hours: 20 }), id: 'middle' }),
      ...pair({ pao2: 120, fio2: 40, peep: 8, at: before({ hours: 1 }), id: 'latest' }),
    );

  it('is met by the earlier qualifying pairs even though the latest does not qualify', () => {
    expect(improving().status).toBe('met');
  });

  it('shows the worst qualifying pair: the lowest P/F with its PEEP', () => {
    const c = improving();
    const worst = evidenceInRole(c, 'worst-qualifying');
    expect(worst.map((e) => e.reference)).toEqual(
      expect.arrayContaining(['Observation/worst-pao2', 'Observation/worst-peep']),
    );
    expect(valueInRole(c, 'worst-qualifying', 'mm[Hg]')).toBeCloseTo(100, 6);
    expect(valueInRole(c, 'worst-qualifying', 'cm[H2O]')).toBeCloseTo(12, 6);
  });

  it('shows the most recent pair, so an improving patient is visible at once', () => {
    const c = improving();
    const latest = evidenceInRole(c, 'most-recent');
    expect(latest.map((e) => e.reference)).toEqual(
      expect.arrayContaining(['Observation/latest-pao2', 'Observation/latest-peep']),
    );
    expect(valueInRole(c, 'most-recent', 'mm[Hg]')).toBeCloseTo(300, 6);
    expect(valueInRole(c, 'most-recent', 'cm[H2O]')).toBeCloseTo(8, 6);
  });

  it('gives the evidence time of the worst pair as the PaO2 time', () => {
    const c = improving();
    const gas = evidenceInRole(c, 'worst-qualifying').find((e) => e.unit === 'mm[Hg]');
    expect(Date.parse(gas?.time ?? '')).toBe(Date.parse(before({ hours: 30 })));
  });

  it('picks the lowest of several qualifying P/F values as the worst, not the earliest', () => {
    const c = pfOf(
      ...pair({ pao2: 90, fio2: 50, peep: 8, at: before({ hours: 30 }), id: 'a' }),
      ...pair({ pao2: 60, fio2: 50, peep: 8, at: before({ hours: 20 }), id: 'b' }),
      ...pair({ pao2: 75, fio2: 50, peep: 8, at: before({ hours: 1 }), id: 'c' }),
    );
    expect(valueInRole(c, 'worst-qualifying', 'mm[Hg]')).toBeCloseTo(120, 6);
    expect(evidenceInRole(c, 'worst-qualifying').map((e) => e.reference)).toContain(
      'Observation/b-pao2',
    );
    expect(valueInRole(c, 'most-recent', 'mm[Hg]')).toBeCloseTo(150, 6);
  });
});
