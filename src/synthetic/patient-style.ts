import type { Coding } from 'fhir/r4';
import { OBS } from './codes';
import type { Rng } from './prng';
import type { ChartingRates } from './stay-plan';
import { UNIT_STYLES, type UnitStyle } from './units';

/**
 * How one patient's record is charted: what a site's systems would fix once (codes, offsets,
 * units) and how often optional items appear. Drawn once per patient from the seed.
 */
export interface PatientStyle {
  units: UnitStyle;
  /** The SI airway-pressure unit of this patient's ventilator. */
  siAirway: 'mbar' | 'hPa';
  /** UTC offset of the bedside charting system, in minutes. */
  offsetMinutes: number;
  /** UTC offset of the laboratory system (0 writes `Z`). */
  labOffsetMinutes: number;
  peep: Coding;
  plateau: Coding;
  /** FiO2 on the ventilator: the setting (19994-3) or the measured concentration (3150-0). */
  fio2: Coding;
  /** Probability that a blood gas is one panel Observation with components. */
  panelChance: number;
  /** Probability that a P/F ratio (50984-4) is charted with a blood gas. */
  pfChartedChance: number;
  /** Probability that a blood gas uses the "in Blood" codes with no specimen type. */
  unspecifiedChance: number;
}

/** Site offsets in minutes: UTC, Europe, US, India, Australia. */
const OFFSETS = [0, 60, 120, -300, -360, 330, 600] as const;

/**
 * Draws a patient's charting style.
 * @param units the caller's unit style, or undefined to draw one from the seed
 * @param fio2Setting force the FiO2 setting code (the ventilator evidence a scenario relies on)
 */
export function choosePatientStyle(
  rng: Rng,
  units: UnitStyle | undefined,
  fio2Setting: boolean,
): PatientStyle {
  const drawnUnits = rng.pick(UNIT_STYLES);
  const offsetMinutes = rng.pick(OFFSETS);
  return {
    units: units ?? drawnUnits,
    siAirway: rng.pick(['mbar', 'hPa'] as const),
    offsetMinutes,
    labOffsetMinutes: rng.chance(0.5) ? 0 : offsetMinutes,
    peep: rng.pick([OBS.peepSetting, OBS.peepSetting, OBS.peepOnVentilator, OBS.peepSnomed]),
    plateau: rng.pick([OBS.plateau, OBS.plateau, OBS.plateauAirway]),
    fio2: rng.chance(0.75) || fio2Setting ? OBS.fio2Setting : OBS.fio2Inhaled,
    panelChance: rng.pick([0.2, 0.5, 0.8]),
    pfChartedChance: rng.pick([0, 0.3, 0.7]),
    unspecifiedChance: rng.pick([0, 0.1, 0.3]),
  };
}

/** The charting rates a style implies (see `estimateObservations`). */
export function chartingRates(style: PatientStyle, extras: number): ChartingRates {
  return {
    perGas: style.panelChance + 3 * (1 - style.panelChance) + style.pfChartedChance,
    extras,
  };
}
