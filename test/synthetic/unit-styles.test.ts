import type { Observation } from 'fhir/r4';
import { generatePatient, type UnitStyle } from '../../src/synthetic';
import { observationsOf, quantitiesOf } from './bundle-helpers';

const GAS = new Set(['2703-7', '11556-8', '2019-8', '11557-6', '50984-4']);
const AIRWAY = new Set(['20077-4', '76248-4', '250854009', '76259-1', '20060-0', '698822002']);
const FIO2 = new Set(['19994-3', '3150-0']);

/** The UCUM codes used for each kind of quantity across several patients. */
function unitsUsed(unitStyle: UnitStyle) {
  const used = { gas: new Set<string>(), airway: new Set<string>(), fio2: new Set<string>() };
  const fractions: number[] = [];
  for (const scenario of ['likely-ards', 'likely-hypercapnic', 'niv-only'] as const) {
    for (const seed of [1, 2, 3]) {
      const bundle = generatePatient({
        seed,
        scenario,
        now: '2026-03-01T08:00:00Z',
        observationTarget: 1500,
        unitStyle,
      });
      for (const obs of observationsOf(bundle) as Observation[]) {
        for (const { code, quantity } of quantitiesOf(obs)) {
          const unit = String(quantity.code);
          if (GAS.has(code)) used.gas.add(unit);
          if (AIRWAY.has(code)) used.airway.add(unit);
          if (FIO2.has(code)) {
            used.fio2.add(unit);
            if (unit === '1') fractions.push(quantity.value ?? Number.NaN);
          }
        }
      }
    }
  }
  return { used, fractions };
}

describe('unit styles', () => {
  it('charts conventional units: mm[Hg], cm[H2O] and FiO2 in %', () => {
    const { used } = unitsUsed('conventional');
    expect([...used.gas]).toEqual(['mm[Hg]']);
    expect([...used.airway]).toEqual(['cm[H2O]']);
    expect([...used.fio2]).toEqual(['%']);
  });

  it('charts SI units: kPa, mbar or hPa, and FiO2 as a fraction with unit code 1', () => {
    const { used, fractions } = unitsUsed('si');
    expect([...used.gas]).toEqual(['kPa']);
    expect([...used.airway].every((u) => u === 'mbar' || u === 'hPa')).toBe(true);
    expect([...used.fio2]).toEqual(['1']);
    expect(fractions.every((f) => f >= 0.21 && f <= 1)).toBe(true);
  });

  it('mixes conventional and SI units within one record in the mixed style', () => {
    const { used } = unitsUsed('mixed');
    expect([...used.gas].sort()).toEqual(['kPa', 'mm[Hg]']);
    expect([...used.airway].sort()).toEqual(['cm[H2O]', 'hPa', 'mbar']);
    expect([...used.fio2].sort()).toEqual(['%', '1']);
  });

  it('draws the unit style from the seed when none is given', () => {
    const styles = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      const bundle = generatePatient({
        seed,
        scenario: 'likely-ards',
        now: '2026-03-01T08:00:00Z',
      });
      const gasUnits = observationsOf(bundle)
        .flatMap(quantitiesOf)
        .filter(({ code }) => GAS.has(code))
        .map(({ quantity }) => quantity.code);
      styles.add([...new Set(gasUnits)].sort().join('+'));
    }
    expect(styles).toEqual(new Set(['mm[Hg]', 'kPa', 'kPa+mm[Hg]']));
  });
});

describe('unit styles chart the same patient', () => {
  it('gives the same observations at the same times whatever the unit style', () => {
    // Codes may differ too: SI labs have their own LOINC codes (creatinine 14682-9 vs 2160-0).
    const shape = (unitStyle: UnitStyle) =>
      (
        observationsOf(
          generatePatient({
            seed: 11,
            scenario: 'likely-ards',
            now: '2026-03-01T08:00:00Z',
            unitStyle,
          }),
        ) as Observation[]
      ).map((o) => `${o.id} ${o.effectiveDateTime}`);
    const conventional = shape('conventional');
    expect(shape('si')).toEqual(conventional);
    expect(shape('mixed')).toEqual(conventional);
  });
});
