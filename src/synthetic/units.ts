import type { Quantity } from 'fhir/r4';
import type { Rng } from './prng';

/**
 * How a synthetic patient's measurements are charted.
 * - `conventional`: mm[Hg] blood gases, cm[H2O] airway pressures, FiO2 in %.
 * - `si`: kPa blood gases, mbar or hPa airway pressures, FiO2 as a fraction (unit code `1`).
 * - `mixed`: chosen again for every observation, as in a record merged from two systems.
 */
export type UnitStyle = 'conventional' | 'si' | 'mixed';

/** Every unit style, in a fixed order (the default style is drawn from this list). */
export const UNIT_STYLES: readonly UnitStyle[] = ['conventional', 'si', 'mixed'];

/** Airway-pressure units the generator writes. */
export type AirwayUnit = 'cm[H2O]' | 'mbar' | 'hPa';

export const UCUM = 'http://unitsofmeasure.org';

/** mmHg per kPa, as in the rules document. */
const MMHG_PER_KPA = 7.50064;

/** Rounds to a number of decimals (display precision of a charted value). */
export function roundTo(value: number, digits: number): number {
  const f = digits === 0 ? 1 : digits === 1 ? 10 : digits === 2 ? 100 : 1000;
  return Math.round(value * f) / f;
}

/** A UCUM Quantity; `unit` is the human-readable text, `code` the UCUM code. */
export function ucum(value: number, code: string, unit: string = code): Quantity {
  return { value, unit, system: UCUM, code };
}

/** Chooses, observation by observation, between conventional and SI representations. */
export interface UnitPicker {
  /** True when this observation is charted in SI units. */
  si(): boolean;
  /** The airway-pressure unit for this observation. */
  airway(): AirwayUnit;
}

/**
 * A picker for a unit style. `siAirway` is the patient's SI airway unit (a ventilator shows
 * mbar or hPa, not both); a `mixed` record picks among all three units each time.
 */
export function createUnitPicker(style: UnitStyle, siAirway: 'mbar' | 'hPa', rng: Rng): UnitPicker {
  switch (style) {
    case 'conventional':
      return { si: () => false, airway: () => 'cm[H2O]' };
    case 'si':
      return { si: () => true, airway: () => siAirway };
    case 'mixed':
      return {
        si: () => rng.chance(0.5),
        airway: () => rng.pick<AirwayUnit>(['cm[H2O]', 'mbar', 'hPa']),
      };
  }
}

/** A blood-gas partial pressure (or a P/F ratio): whole mmHg, or kPa to one decimal. */
export function gasPressure(mmHg: number, si: boolean): Quantity {
  return si
    ? ucum(roundTo(mmHg / MMHG_PER_KPA, 1), 'kPa')
    : ucum(Math.round(mmHg), 'mm[Hg]', 'mmHg');
}

/** The value in mmHg that a {@link gasPressure} quantity stands for (after its rounding). */
export function gasPressureInMmHg(q: Quantity): number {
  const v = q.value ?? 0;
  return q.code === 'kPa' ? v * MMHG_PER_KPA : v;
}

/**
 * An airway pressure (PEEP, plateau) as the ventilator displays it: a whole number in its own
 * unit. 1 mbar = 1.0197 cmH2O, so a value chosen as a whole number of either unit keeps the
 * margins the scenarios rely on (a plateau of 31 is >= 30 cmH2O in both).
 */
export function airwayPressure(value: number, unit: AirwayUnit): Quantity {
  return unit === 'cm[H2O]' ? ucum(value, 'cm[H2O]', 'cmH2O') : ucum(value, unit);
}

/** An FiO2: whole percent, or a fraction to two decimals with the UCUM unity code `1`. */
export function fio2Quantity(percent: number, fraction: boolean): Quantity {
  return fraction ? ucum(roundTo(percent / 100, 2), '1') : ucum(percent, '%');
}

/** A pH to two decimals. */
export function phQuantity(value: number): Quantity {
  return ucum(roundTo(value, 2), '[pH]', 'pH');
}
