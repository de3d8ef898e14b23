import fc from 'fast-check';
import type { FhirResource } from 'fhir/r4';
import {
  adultPatient,
  before,
  chartedPf,
  condition,
  fio2,
  pao2,
  paco2,
  peep,
  ph,
  plateau,
  ventilatedFor,
} from '../builders/fhir-builders';
import { screen, statuses } from '../builders/screening';

const MMHG_PER_KPA = 7.50064;
const CMH2O_PER = { mbar: 1.019716, hPa: 1.019716, kPa: 10.19716 } as const;

type AirwayUnit = keyof typeof CMH2O_PER;
type FractionUnit = '1' | '{ratio}' | null;

interface Scenario {
  gases: { minutesAgo: number; pao2: number; paco2: number; ph: number }[];
  fio2s: { minutesAgo: number; percent: number; unit: FractionUnit }[];
  peeps: { minutesAgo: number; value: number; unit: AirwayUnit }[];
  plateaus: { minutesAgo: number; value: number; unit: AirwayUnit }[];
  charted: { minutesAgo: number; value: number }[];
}

// Values sit on a grid k + 0.37 (and FiO2 on whole percents), so no P/F, PaCO2, PEEP or plateau
// lands exactly on a threshold or a plausibility limit, where the last bit of a floating-point
// round trip through another unit could legitimately tip the comparison.
const offGrid = (min: number, max: number) => fc.integer({ min, max }).map((k) => k + 0.37);
const minutesAgo = fc.integer({ min: 0, max: 60 * 60 });
const airwayUnit = fc.constantFrom<AirwayUnit>('mbar', 'hPa', 'kPa');

const scenario: fc.Arbitrary<Scenario> = fc.record({
  gases: fc.array(
    fc.record({
      minutesAgo,
      pao2: offGrid(20, 600),
      paco2: offGrid(20, 120),
      ph: fc.integer({ min: 690, max: 760 }).map((k) => k / 100),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  fio2s: fc.array(
    fc.record({
      minutesAgo,
      percent: fc.integer({ min: 21, max: 100 }),
      unit: fc.constantFrom<FractionUnit>('1', '{ratio}', null),
    }),
    { maxLength: 6 },
  ),
  peeps: fc.array(fc.record({ minutesAgo, value: offGrid(0, 30), unit: airwayUnit }), {
    maxLength: 6,
  }),
  plateaus: fc.array(fc.record({ minutesAgo, value: offGrid(5, 60), unit: airwayUnit }), {
    maxLength: 6,
  }),
  charted: fc.array(fc.record({ minutesAgo, value: offGrid(20, 600) }), { maxLength: 3 }),
});

/** The scenario in canonical units, or with every pressure in kPa/mbar/hPa and FiO2 as fractions. */
function build(s: Scenario, converted: boolean): FhirResource[] {
  const at = (m: number) => before({ minutes: m });
  const out: FhirResource[] = [adultPatient(), ventilatedFor(9), condition({ icd10: 'J80' })];
  s.gases.forEach((g, i) => {
    const t = at(g.minutesAgo);
    out.push(
      converted
        ? pao2(g.pao2 / MMHG_PER_KPA, t, { id: `pao2-${i}`, unit: 'kPa' })
        : pao2(g.pao2, t, { id: `pao2-${i}` }),
      converted
        ? paco2(g.paco2 / MMHG_PER_KPA, t, { id: `paco2-${i}`, unit: 'kPa' })
        : paco2(g.paco2, t, { id: `paco2-${i}` }),
      ph(g.ph, t, { id: `ph-${i}` }),
    );
  });
  s.fio2s.forEach((f, i) => {
    const t = at(f.minutesAgo);
    out.push(
      converted
        ? fio2(f.percent / 100, t, { id: `fio2-${i}`, unit: f.unit })
        : fio2(f.percent, t, { id: `fio2-${i}` }),
    );
  });
  s.peeps.forEach((p, i) => {
    const t = at(p.minutesAgo);
    out.push(
      converted
        ? peep(p.value / CMH2O_PER[p.unit], t, { id: `peep-${i}`, unit: p.unit })
        : peep(p.value, t, { id: `peep-${i}` }),
    );
  });
  s.plateaus.forEach((p, i) => {
    const t = at(p.minutesAgo);
    out.push(
      converted
        ? plateau(p.value / CMH2O_PER[p.unit], t, { id: `plateau-${i}`, unit: p.unit })
        : plateau(p.value, t, { id: `plateau-${i}` }),
    );
  });
  s.charted.forEach((c, i) => {
    const t = at(c.minutesAgo);
    out.push(
      converted
        ? chartedPf(c.value / MMHG_PER_KPA, t, { id: `pf-${i}`, unit: 'kPa' })
        : chartedPf(c.value, t, { id: `pf-${i}` }),
    );
  });
  return out;
}

describe('unit invariance', () => {
  it('gives every criterion the same status whatever units the pressures and FiO2 are charted in', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const canonical = screen(build(s, false));
        const converted = screen(build(s, true));
        expect(statuses(converted)).toEqual(statuses(canonical));
        expect(converted.classification).toBe(canonical.classification);
      }),
      { numRuns: 150 },
    );
  });
});
