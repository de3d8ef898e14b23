import type { Observation } from 'fhir/r4';
import {
  adultPatient,
  after,
  before,
  chartedPf,
  coding,
  fio2,
  observation,
  pao2,
  paco2,
  peep,
  ph,
  plateau,
  ventilatedFor,
} from '../builders/fhir-builders';
import {
  allNotes,
  criterion,
  evidenceInRole,
  evidenceOf,
  screen,
  statusOf,
  valueInRole,
} from '../builders/screening';

/** Time of the blood gas in most scenarios: two hours before now. */
const T = before({ hours: 2 });

function onVentilator(...resources: Observation[]) {
  return [adultPatient(), ventilatedFor(9), ...resources];
}

/** PaO2 at T with FiO2 an hour before and PEEP at T. */
function pfScenario(o: { pao2: Observation; fio2?: Observation[]; peep?: Observation[] }) {
  return screen(
    onVentilator(
      o.pao2,
      ...(o.fio2 ?? [fio2(50, before({ hours: 1 }, T))]),
      ...(o.peep ?? [peep(8, T)]),
    ),
  );
}

/** PaCO2 at T with a plateau at T. */
function hypercapniaScenario(gas: Observation, plat: Observation = plateau(32, T)) {
  return screen(onVentilator(gas, plat));
}

describe('blood-gas pressure units', () => {
  it('reads a PaO2 in kPa as kPa x 7.50064 mmHg before computing P/F', () => {
    const result = pfScenario({ pao2: pao2(10, T, { unit: 'kPa' }) });
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('met');
    // 100 x 75.0064 / 50
    expect(valueInRole(c, 'worst-qualifying', 'mm[Hg]')).toBeCloseTo(150.0128, 3);
  });

  it('compares a converted PaO2 unrounded: 13.33 kPa over FiO2 50 % gives P/F 199.97, which is met', () => {
    const result = pfScenario({ pao2: pao2(13.33, T, { unit: 'kPa' }) });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('met');
  });

  it('compares a converted PaO2 unrounded: 13.34 kPa over FiO2 50 % gives P/F 200.12, which is not met', () => {
    const result = pfScenario({ pao2: pao2(13.34, T, { unit: 'kPa' }) });
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('not-met');
    expect(valueInRole(c, 'most-recent', 'mm[Hg]')).toBeCloseTo(200.117, 2);
  });

  it('reads a PaCO2 of 6.67 kPa as 50.03 mmHg, which meets the 50 mmHg threshold', () => {
    const result = hypercapniaScenario(paco2(6.67, T, { unit: 'kPa' }));
    const c = criterion(result, 'hypercapnia-on-plateau');
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', 'mm[Hg]')).toBeCloseTo(50.0293, 3);
  });

  it('reads a PaCO2 of 6.66 kPa as 49.95 mmHg, which does not meet the threshold', () => {
    const result = hypercapniaScenario(paco2(6.66, T, { unit: 'kPa' }));
    expect(statusOf(result, 'hypercapnia-on-plateau')).toBe('not-met');
  });

  it('falls back to the unit text "mmHg" when the quantity has no UCUM code', () => {
    const result = pfScenario({ pao2: pao2(80, T, { unit: null, unitText: 'mmHg' }) });
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', 'mm[Hg]')).toBeCloseTo(160, 6);
  });

  it('skips a PaO2 with no unit at all, so it gives no P/F', () => {
    const result = pfScenario({ pao2: pao2(80, T, { unit: null }) });
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('unknown');
    expect(evidenceInRole(c, 'worst-qualifying')).toHaveLength(0);
  });

  it('skips a PaCO2 with no unit at all', () => {
    const result = hypercapniaScenario(paco2(60, T, { unit: null }));
    const c = criterion(result, 'hypercapnia-on-plateau');
    expect(c.status).toBe('unknown');
    expect(evidenceInRole(c, 'worst-qualifying')).toHaveLength(0);
  });
});

describe('airway pressure units', () => {
  // P/F 160 with PEEP given in various units.
  const gas = () => pao2(80, T);

  it('reads PEEP 4.9 mbar as 4.997 cmH2O, below 5, so the pair does not qualify', () => {
    const result = pfScenario({ pao2: gas(), peep: [peep(4.9, T, { unit: 'mbar' })] });
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('not-met');
    expect(valueInRole(c, 'most-recent', 'cm[H2O]')).toBeCloseTo(4.99661, 4);
  });

  it('reads PEEP 5 mbar as 5.099 cmH2O, so the pair qualifies', () => {
    const result = pfScenario({ pao2: gas(), peep: [peep(5, T, { unit: 'mbar' })] });
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', 'cm[H2O]')).toBeCloseTo(5.09858, 4);
  });

  it('reads hPa like mbar: PEEP 4.9 hPa is below 5 cmH2O', () => {
    const result = pfScenario({ pao2: gas(), peep: [peep(4.9, T, { unit: 'hPa' })] });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('not-met');
  });

  it('reads hPa like mbar: PEEP 5 hPa is at least 5 cmH2O', () => {
    const result = pfScenario({ pao2: gas(), peep: [peep(5, T, { unit: 'hPa' })] });
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', 'cm[H2O]')).toBeCloseTo(5.09858, 4);
  });

  it('reads an airway pressure in kPa as kPa x 10.19716: PEEP 0.49 kPa is 4.997 cmH2O', () => {
    const result = pfScenario({ pao2: gas(), peep: [peep(0.49, T, { unit: 'kPa' })] });
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('not-met');
    expect(valueInRole(c, 'most-recent', 'cm[H2O]')).toBeCloseTo(4.99661, 4);
  });

  it('reads PEEP 0.5 kPa as 5.099 cmH2O, so the pair qualifies', () => {
    const result = pfScenario({ pao2: gas(), peep: [peep(0.5, T, { unit: 'kPa' })] });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('met');
  });

  it('reads a plateau of 29.5 mbar as 30.08 cmH2O, which meets the plateau threshold', () => {
    const result = hypercapniaScenario(paco2(55, T), plateau(29.5, T, { unit: 'mbar' }));
    const c = criterion(result, 'hypercapnia-on-plateau');
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', 'cm[H2O]')).toBeCloseTo(30.0816, 3);
  });

  it('reads a plateau of 29.4 mbar as 29.98 cmH2O, below the plateau threshold', () => {
    const result = hypercapniaScenario(paco2(55, T), plateau(29.4, T, { unit: 'mbar' }));
    expect(statusOf(result, 'hypercapnia-on-plateau')).toBe('not-met');
  });

  it('reads a plateau of 2.95 kPa as 30.08 cmH2O', () => {
    const result = hypercapniaScenario(paco2(55, T), plateau(2.95, T, { unit: 'kPa' }));
    const c = criterion(result, 'hypercapnia-on-plateau');
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', 'cm[H2O]')).toBeCloseTo(30.0816, 3);
  });

  it('falls back to the unit text "cmH2O" when the PEEP has no UCUM code', () => {
    const result = pfScenario({
      pao2: gas(),
      peep: [peep(8, T, { unit: null, unitText: 'cmH2O' })],
    });
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', 'cm[H2O]')).toBeCloseTo(8, 6);
  });

  it('skips a PEEP with no unit, leaving a qualifying P/F unpaired (unknown)', () => {
    const result = pfScenario({ pao2: gas(), peep: [peep(8, T, { unit: null })] });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('unknown');
  });

  it('skips a plateau with no unit, leaving a qualifying PaCO2 unpaired (unknown)', () => {
    const result = hypercapniaScenario(paco2(55, T), plateau(32, T, { unit: null }));
    expect(statusOf(result, 'hypercapnia-on-plateau')).toBe('unknown');
  });

  it('reports airway pressures and blood gases in canonical units', () => {
    const result = pfScenario({
      pao2: pao2(10, T, { unit: 'kPa' }),
      peep: [peep(8, T, { unit: 'mbar' })],
    });
    const units = criterion(result, 'pf-ratio-on-peep')
      .evidence.map((e) => e.unit)
      .filter((u) => u !== undefined);
    expect(units).toEqual(expect.arrayContaining(['mm[Hg]', 'cm[H2O]']));
    expect(units.every((u) => u === 'mm[Hg]' || u === 'cm[H2O]')).toBe(true);
  });
});

describe('FiO2 units', () => {
  // PaO2 90 at T, PEEP 8: P/F = 9000 / FiO2 %.
  const withFio2 = (...f: Observation[]) => pfScenario({ pao2: pao2(90, T), fio2: f });
  const pfValue = (result: ReturnType<typeof screen>) => {
    const c = criterion(result, 'pf-ratio-on-peep');
    return valueInRole(c, 'worst-qualifying', 'mm[Hg]') ?? valueInRole(c, 'most-recent', 'mm[Hg]');
  };
  const H1 = before({ hours: 1 }, T);
  const H3 = before({ hours: 3 }, T);

  it('takes "%" as is', () => {
    const result = withFio2(fio2(60, H1));
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('met');
    expect(pfValue(result)).toBeCloseTo(150, 6);
  });

  it.each([
    ['the UCUM unit "1"', '1'],
    ['the UCUM unit "{ratio}"', '{ratio}'],
    ['no unit', null],
  ])('reads a fraction 0.6 with %s as 60 %%', (_label, unit) => {
    const result = withFio2(fio2(0.6, H1, { unit }));
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('met');
    expect(pfValue(result)).toBeCloseTo(150, 6);
  });

  it('reads the lowest fraction 0.21 as 21 %', () => {
    const result = pfScenario({ pao2: pao2(42, T), fio2: [fio2(0.21, H1, { unit: '1' })] });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('met');
    expect(pfValue(result)).toBeCloseTo(200, 6);
  });

  it('reads the fraction 1.0 as 100 %', () => {
    const result = pfScenario({ pao2: pao2(150, T), fio2: [fio2(1.0, H1, { unit: '1' })] });
    expect(pfValue(result)).toBeCloseTo(150, 6);
  });

  it('reads a bare 1 as the fraction 1.0, that is 100 %', () => {
    const result = pfScenario({ pao2: pao2(150, T), fio2: [fio2(1, H1, { unit: null })] });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('met');
    expect(pfValue(result)).toBeCloseTo(150, 6);
  });

  it.each([21, 60, 100])('reads a bare %d as a percent', (value) => {
    const result = pfScenario({ pao2: pao2(value, T), fio2: [fio2(value, H1, { unit: null })] });
    expect(pfValue(result)).toBeCloseTo(100, 6);
  });

  it('reads a bare 20 as 20 %, which is implausible, so it is skipped with a note', () => {
    const result = pfScenario({
      pao2: pao2(150, T),
      fio2: [fio2(100, H3), fio2(20, H1, { unit: null })],
    });
    const c = criterion(result, 'pf-ratio-on-peep');
    // The latest FiO2 could not be read, so no P/F is computed from the older one (README).
    expect(c.status).toBe('unknown');
    expect(allNotes(c).some((n) => n.includes('implausible'))).toBe(true);
  });

  it('skips a bare number between 1 and 20 as an oxygen flow and pairs the earlier FiO2', () => {
    const result = pfScenario({
      pao2: pao2(150, T),
      fio2: [fio2(100, H3), fio2(10, H1, { id: 'flow-10', unit: null })],
    });
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('met');
    expect(pfValue(result)).toBeCloseTo(150, 6);
    // A flow is not an FiO2 at all, so it is not an implausible FiO2 either.
    const flowNotes = evidenceOf(c, 'Observation/flow-10').flatMap((e) => e.notes ?? []);
    expect(flowNotes.some((n) => n.includes('implausible'))).toBe(false);
  });

  it('skips a bare 1.5 as an oxygen flow, not a fraction', () => {
    const result = pfScenario({ pao2: pao2(150, T), fio2: [fio2(1.5, H1, { unit: null })] });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('unknown');
  });

  it('skips any value in L/min as an oxygen flow, even one that would be a plausible percent', () => {
    const result = pfScenario({
      pao2: pao2(150, T),
      fio2: [fio2(100, H3), fio2(40, H1, { unit: 'L/min' })],
    });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('met');
    expect(pfValue(result)).toBeCloseTo(150, 6);
  });
});

describe('pH units', () => {
  it.each([
    ['[pH]', '[pH]'],
    ['no unit', null],
  ])('reads a pH with %s', (_label, unit) => {
    const result = screen(onVentilator(ph(7.2, T, { unit }), plateau(32, T)));
    const c = criterion(result, 'acidosis-on-plateau');
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', '[pH]')).toBeCloseTo(7.2, 6);
  });
});

describe('charted P/F units', () => {
  const charted = (pf: Observation) => screen(onVentilator(pf, peep(8, T)));
  const value = (result: ReturnType<typeof screen>) => {
    const c = criterion(result, 'pf-ratio-on-peep');
    return valueInRole(c, 'worst-qualifying', 'mm[Hg]') ?? valueInRole(c, 'most-recent', 'mm[Hg]');
  };

  it('reads a charted P/F with no unit as mmHg', () => {
    const result = charted(chartedPf(150, T, { unit: null }));
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('met');
    expect(value(result)).toBeCloseTo(150, 6);
  });

  it('converts a charted P/F in kPa: 20 kPa is 150.01 mmHg', () => {
    const result = charted(chartedPf(20, T, { unit: 'kPa' }));
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('met');
    expect(value(result)).toBeCloseTo(150.0128, 3);
  });

  it('compares a charted P/F in kPa unrounded: 26.66 kPa (199.97) is met', () => {
    expect(statusOf(charted(chartedPf(26.66, T, { unit: 'kPa' })), 'pf-ratio-on-peep')).toBe('met');
  });

  it('compares a charted P/F in kPa unrounded: 26.7 kPa (200.27) is not met', () => {
    const result = charted(chartedPf(26.7, T, { unit: 'kPa' }));
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('not-met');
    expect(value(result)).toBeCloseTo(200.267, 2);
  });
});

describe('plausible ranges', () => {
  const implausibleNoted = (
    result: ReturnType<typeof screen>,
    id: Parameters<typeof criterion>[1],
  ) => allNotes(criterion(result, id)).some((n) => n.includes('implausible'));

  it('skips a PaO2 below 20 mmHg and says so in the evidence', () => {
    const result = pfScenario({ pao2: pao2(15, T, { id: 'pao2-low' }) });
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('unknown');
    expect(implausibleNoted(result, 'pf-ratio-on-peep')).toBe(true);
  });

  it('skips a PaO2 above 700 mmHg', () => {
    // Paired with a normal gas so the skipped one is the only thing that could change the verdict.
    const result = screen(
      onVentilator(
        pao2(800, T),
        fio2(100, before({ hours: 1 }, T)),
        peep(8, T),
        pao2(120, before({ hours: 10 })),
        fio2(40, before({ hours: 11 })),
        peep(8, before({ hours: 10 })),
      ),
    );
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('not-met');
    expect(valueInRole(c, 'most-recent', 'mm[Hg]')).toBeCloseTo(300, 6);
    expect(implausibleNoted(result, 'pf-ratio-on-peep')).toBe(true);
  });

  it('skips a PaCO2 above 200 mmHg', () => {
    const result = hypercapniaScenario(paco2(250, T));
    expect(statusOf(result, 'hypercapnia-on-plateau')).toBe('unknown');
    expect(implausibleNoted(result, 'hypercapnia-on-plateau')).toBe(true);
  });

  it('skips a PaCO2 below 10 mmHg', () => {
    const result = hypercapniaScenario(paco2(5, T));
    expect(statusOf(result, 'hypercapnia-on-plateau')).toBe('unknown');
    expect(implausibleNoted(result, 'hypercapnia-on-plateau')).toBe(true);
  });

  it('skips an FiO2 below 21 % and does not pair past it with an older one', () => {
    // "0.6 %" style errors: the FiO2 was charted, unreadably; the 3-hour-old one may be stale.
    const result = pfScenario({
      pao2: pao2(90, T),
      fio2: [fio2(50, before({ hours: 3 }, T)), fio2(15, before({ hours: 1 }, T))],
    });
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('unknown');
    expect(c.evidence.filter((e) => e.label === 'P/F ratio')).toHaveLength(0);
    expect(implausibleNoted(result, 'pf-ratio-on-peep')).toBe(true);
  });

  it('skips a charted P/F below 20', () => {
    const result = screen(onVentilator(chartedPf(10, T), peep(8, T)));
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('unknown');
    expect(implausibleNoted(result, 'pf-ratio-on-peep')).toBe(true);
  });

  it('skips a charted P/F above 700', () => {
    const result = screen(
      onVentilator(
        chartedPf(750, T),
        peep(8, T),
        chartedPf(150, before({ hours: 10 })),
        peep(4, before({ hours: 10 })),
      ),
    );
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('not-met');
    expect(valueInRole(c, 'most-recent', 'mm[Hg]')).toBeCloseTo(150, 6);
    expect(implausibleNoted(result, 'pf-ratio-on-peep')).toBe(true);
  });

  it('skips a PEEP above 40 cmH2O, leaving the P/F unpaired', () => {
    const result = pfScenario({ pao2: pao2(80, T), peep: [peep(45, T)] });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('unknown');
    expect(implausibleNoted(result, 'pf-ratio-on-peep')).toBe(true);
  });

  it('skips a PEEP below 0 cmH2O', () => {
    const result = pfScenario({ pao2: pao2(80, T), peep: [peep(-2, T)] });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('unknown');
    expect(implausibleNoted(result, 'pf-ratio-on-peep')).toBe(true);
  });

  it('skips a plateau above 80 cmH2O, leaving the PaCO2 unpaired', () => {
    const result = hypercapniaScenario(paco2(55, T), plateau(90, T));
    expect(statusOf(result, 'hypercapnia-on-plateau')).toBe('unknown');
    expect(implausibleNoted(result, 'hypercapnia-on-plateau')).toBe(true);
  });

  it('skips a plateau below 5 cmH2O', () => {
    const result = hypercapniaScenario(paco2(55, T), plateau(3, T));
    expect(statusOf(result, 'hypercapnia-on-plateau')).toBe('unknown');
    expect(implausibleNoted(result, 'hypercapnia-on-plateau')).toBe(true);
  });

  it('skips a pH below 6.5', () => {
    const result = screen(onVentilator(ph(6.4, T), plateau(32, T)));
    expect(statusOf(result, 'acidosis-on-plateau')).toBe('unknown');
    expect(implausibleNoted(result, 'acidosis-on-plateau')).toBe(true);
  });

  it('skips a pH above 8.0', () => {
    const result = screen(
      onVentilator(
        ph(8.3, T),
        plateau(32, T),
        ph(7.4, before({ hours: 10 })),
        plateau(32, before({ hours: 10 })),
      ),
    );
    const c = criterion(result, 'acidosis-on-plateau');
    expect(c.status).toBe('not-met');
    expect(valueInRole(c, 'most-recent', '[pH]')).toBeCloseTo(7.4, 6);
    expect(implausibleNoted(result, 'acidosis-on-plateau')).toBe(true);
  });
});

describe('observation status', () => {
  // A qualifying gas (P/F 120) at T next to a non-qualifying paired one (P/F 300) ten hours ago:
  // using the qualifying one gives met, skipping it gives not-met.
  const T2 = before({ hours: 10 });
  const withStatus = (status: Observation['status']) =>
    screen(
      onVentilator(
        pao2(60, T, { status }),
        fio2(50, before({ hours: 1 }, T)),
        peep(8, T),
        pao2(120, T2),
        fio2(40, before({ hours: 1 }, T2)),
        peep(8, T2),
      ),
    );

  it.each(['final', 'amended', 'corrected', 'preliminary'] as const)(
    'uses an observation with status %s',
    (status) => {
      expect(statusOf(withStatus(status), 'pf-ratio-on-peep')).toBe('met');
    },
  );

  it.each(['entered-in-error', 'cancelled', 'registered'] as const)(
    'skips an observation with status %s',
    (status) => {
      expect(statusOf(withStatus(status), 'pf-ratio-on-peep')).toBe('not-met');
    },
  );

  it('skips an entered-in-error PEEP, leaving the P/F unpaired', () => {
    const result = pfScenario({
      pao2: pao2(80, T),
      peep: [peep(8, T, { status: 'entered-in-error' })],
    });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('unknown');
  });

  it('skips a PEEP with a dataAbsentReason and no value', () => {
    const absent = observation({ loinc: '20077-4', at: T, dataAbsentReason: true });
    const result = pfScenario({ pao2: pao2(80, T), peep: [absent] });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('unknown');
  });

  it('skips a PaO2 with a dataAbsentReason and no value', () => {
    const absent = observation({ loinc: '2703-7', at: T, dataAbsentReason: true });
    const result = pfScenario({ pao2: absent });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('unknown');
  });
});

describe('observation time', () => {
  const peepWith = (o: Partial<Parameters<typeof observation>[0]>) =>
    observation({ loinc: '20077-4', value: 8, unit: 'cm[H2O]', ...o });

  it('takes effectivePeriod.start when there is no effectiveDateTime', () => {
    const p = peepWith({
      effectivePeriod: { start: after({ hours: 1 }, T), end: after({ hours: 5 }, T) },
    });
    expect(statusOf(pfScenario({ pao2: pao2(80, T), peep: [p] }), 'pf-ratio-on-peep')).toBe('met');
  });

  it('does not take effectivePeriod.end as the time', () => {
    const p = peepWith({ effectivePeriod: { start: before({ hours: 5 }, T), end: T } });
    expect(statusOf(pfScenario({ pao2: pao2(80, T), peep: [p] }), 'pf-ratio-on-peep')).toBe(
      'unknown',
    );
  });

  it('takes effectiveInstant when there is no effectiveDateTime or period', () => {
    const p = peepWith({ effectiveInstant: after({ hours: 1 }, T) });
    expect(statusOf(pfScenario({ pao2: pao2(80, T), peep: [p] }), 'pf-ratio-on-peep')).toBe('met');
  });

  it('takes issued when there is no effective time', () => {
    const p = peepWith({ issued: after({ hours: 1 }, T) });
    expect(statusOf(pfScenario({ pao2: pao2(80, T), peep: [p] }), 'pf-ratio-on-peep')).toBe('met');
  });

  it('prefers effectiveDateTime over issued', () => {
    const p = peepWith({ at: before({ hours: 3 }, T), issued: T });
    expect(statusOf(pfScenario({ pao2: pao2(80, T), peep: [p] }), 'pf-ratio-on-peep')).toBe(
      'unknown',
    );
  });

  it('prefers effectivePeriod.start over issued', () => {
    const p = peepWith({ effectivePeriod: { start: before({ hours: 3 }, T) }, issued: T });
    expect(statusOf(pfScenario({ pao2: pao2(80, T), peep: [p] }), 'pf-ratio-on-peep')).toBe(
      'unknown',
    );
  });

  it('places a blood gas by its effective time, not by when it was issued', () => {
    const drawn = before({ hours: 50 });
    const gas = observation({ loinc: '2703-7', value: 80, unit: 'mm[Hg]', at: drawn, issued: T });
    const result = screen(
      onVentilator(gas, fio2(50, drawn), peep(8, drawn), fio2(50, T), peep(8, T)),
    );
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('unknown');
  });
});

describe('panels', () => {
  it('reads PaO2 from a component of a blood-gas panel', () => {
    const panel = observation({
      loinc: '24336-0',
      at: T,
      components: [
        { loinc: '2703-7', value: 80, unit: 'mm[Hg]' },
        { loinc: '2019-8', value: 40, unit: 'mm[Hg]' },
        { loinc: '2744-1', value: 7.4, unit: '[pH]' },
      ],
    });
    const result = pfScenario({ pao2: panel });
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', 'mm[Hg]')).toBeCloseTo(160, 6);
  });

  it('reads PaCO2 and pH from components of the same panel', () => {
    const panel = observation({
      loinc: '24336-0',
      at: T,
      components: [
        { loinc: '2019-8', value: 60, unit: 'mm[Hg]' },
        { loinc: '2744-1', value: 7.2, unit: '[pH]' },
      ],
    });
    const result = screen(onVentilator(panel, plateau(32, T)));
    expect(statusOf(result, 'hypercapnia-on-plateau')).toBe('met');
    expect(statusOf(result, 'acidosis-on-plateau')).toBe('met');
  });

  it('reads PEEP from a component of a ventilator-settings panel', () => {
    const settings = observation({
      text: 'Ventilator settings',
      at: T,
      components: [{ loinc: '20077-4', value: 8, unit: 'cm[H2O]' }],
    });
    const result = pfScenario({ pao2: pao2(80, T), peep: [settings] });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('met');
  });

  it('ignores a component whose code is a venous PO2', () => {
    const panel = observation({
      loinc: '24336-0',
      at: T,
      components: [{ loinc: '2705-2', value: 60, unit: 'mm[Hg]' }],
    });
    expect(statusOf(pfScenario({ pao2: panel }), 'pf-ratio-on-peep')).toBe('unknown');
  });
});

describe('codings', () => {
  it('accepts a PaO2 whose LOINC coding follows a local coding', () => {
    const gas = pao2(80, T, { codings: [coding('local', 'ABG-PO2')], loinc: '2703-7' });
    expect(statusOf(pfScenario({ pao2: gas }), 'pf-ratio-on-peep')).toBe('met');
  });

  it.each([
    ['LOINC 3150-0', { loinc: '3150-0' }],
    ['LOINC 19994-3', { loinc: '19994-3' }],
    ['LOINC 71835-3', { loinc: '71835-3' }],
    ['SNOMED 250774007', { snomed: '250774007' }],
  ])('reads FiO2 coded %s', (_label, code) => {
    const result = pfScenario({
      pao2: pao2(80, T),
      fio2: [fio2(50, before({ hours: 1 }, T), code)],
    });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('met');
  });

  it.each([
    ['LOINC 20077-4', { loinc: '20077-4' }],
    ['LOINC 76248-4', { loinc: '76248-4' }],
    ['SNOMED 250854009', { snomed: '250854009' }],
  ])('reads PEEP coded %s', (_label, code) => {
    const result = pfScenario({ pao2: pao2(80, T), peep: [peep(8, T, code)] });
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('met');
  });

  it('accepts PaO2 in blood with no specimen type (11556-8) and marks it "specimen unspecified"', () => {
    const result = pfScenario({ pao2: pao2(80, T, { id: 'po2-blood', loinc: '11556-8' }) });
    const c = criterion(result, 'pf-ratio-on-peep');
    expect(c.status).toBe('met');
    const notes = evidenceOf(c, 'Observation/po2-blood').flatMap((e) => e.notes ?? []);
    expect(notes.some((n) => n.includes('specimen unspecified'))).toBe(true);
  });

  it('accepts PaCO2 in blood with no specimen type (11557-6) and marks it "specimen unspecified"', () => {
    const result = hypercapniaScenario(paco2(60, T, { id: 'pco2-blood', loinc: '11557-6' }));
    const c = criterion(result, 'hypercapnia-on-plateau');
    expect(c.status).toBe('met');
    const notes = evidenceOf(c, 'Observation/pco2-blood').flatMap((e) => e.notes ?? []);
    expect(notes.some((n) => n.includes('specimen unspecified'))).toBe(true);
  });

  it('accepts pH of blood with no specimen type (11558-4) and marks it "specimen unspecified"', () => {
    const result = screen(
      onVentilator(ph(7.2, T, { id: 'ph-blood', loinc: '11558-4' }), plateau(32, T)),
    );
    const c = criterion(result, 'acidosis-on-plateau');
    expect(c.status).toBe('met');
    const notes = evidenceOf(c, 'Observation/ph-blood').flatMap((e) => e.notes ?? []);
    expect(notes.some((n) => n.includes('specimen unspecified'))).toBe(true);
  });
});

describe('capillary and venous blood gases', () => {
  // A qualifying value with the rejected code at T, and a non-qualifying arterial pair ten hours
  // ago: if the rejected value were used the criterion would be met.
  const T2 = before({ hours: 10 });

  it.each([
    ['capillary PO2 2704-5', ['2704-5']],
    ['venous PO2 2705-2', ['2705-2']],
    ['blood PO2 11556-8 together with venous 2705-2', ['11556-8', '2705-2']],
    ['blood PO2 11556-8 together with capillary 2704-5', ['11556-8', '2704-5']],
  ])('never uses a %s', (_label, loinc) => {
    const result = screen(
      onVentilator(
        pao2(60, T, { loinc }),
        fio2(50, before({ minutes: 30 }, T)),
        peep(8, T),
        pao2(120, T2),
        fio2(40, before({ hours: 1 }, T2)),
        peep(8, T2),
      ),
    );
    expect(statusOf(result, 'pf-ratio-on-peep')).toBe('not-met');
  });

  it.each([
    ['capillary PCO2 2020-6', ['2020-6']],
    ['venous PCO2 2021-4', ['2021-4']],
    ['blood PCO2 11557-6 together with venous 2021-4', ['11557-6', '2021-4']],
    ['blood PCO2 11557-6 together with capillary 2020-6', ['11557-6', '2020-6']],
  ])('never uses a %s', (_label, loinc) => {
    const result = screen(
      onVentilator(paco2(65, T, { loinc }), plateau(32, T), paco2(40, T2), plateau(32, T2)),
    );
    expect(statusOf(result, 'hypercapnia-on-plateau')).toBe('not-met');
  });

  it.each([
    ['capillary pH 2745-8', ['2745-8']],
    ['venous pH 2746-6', ['2746-6']],
    ['blood pH 11558-4 together with capillary 2745-8', ['11558-4', '2745-8']],
    ['blood pH 11558-4 together with venous 2746-6', ['11558-4', '2746-6']],
  ])('never uses a %s', (_label, loinc) => {
    const result = screen(
      onVentilator(ph(7.1, T, { loinc }), plateau(32, T), ph(7.4, T2), plateau(32, T2)),
    );
    expect(statusOf(result, 'acidosis-on-plateau')).toBe('not-met');
  });

  it('never uses a plateau pressure coded 20103-8', () => {
    const result = hypercapniaScenario(paco2(55, T), plateau(32, T, { loinc: '20103-8' }));
    expect(statusOf(result, 'hypercapnia-on-plateau')).toBe('unknown');
  });
});
