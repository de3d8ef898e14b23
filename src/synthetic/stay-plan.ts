import { DAY_MS, HOUR_MS, MINUTE_MS } from './time-format';

/**
 * The plan of one hospital stay, before anything is charted: when the patient was admitted,
 * when they were ventilated and how, and the physiology to chart. Scenarios build the plan of
 * the current stay; older stays (used to reach large observation counts) are planned by
 * `history.ts`. `chart-stay.ts` turns a plan into FHIR resources.
 */

/** An inclusive [low, high] range. */
export type Span = readonly [number, number];

/**
 * Ranges the charted values are drawn from. Airway pressures are whole numbers in the unit the
 * ventilator displays (cmH2O, mbar or hPa): the ranges keep clear of the screening thresholds,
 * so the unit never decides a verdict.
 */
export interface Physiology {
  /** PaO2/FiO2 in mmHg; PaO2 is derived from it and the FiO2 in effect. */
  pf: Span;
  /** FiO2 setting in percent (multiples of 5). */
  fio2: Span;
  peep: Span;
  plateau: Span;
  /** mmHg. */
  paco2: Span;
  ph: Span;
}

/** Physiology that applies from `from` (epoch ms) until the next phase. */
export interface PhysiologyPhase {
  from: number;
  physiology: Physiology;
}

/** One period on a ventilator: invasive (intubated) or non-invasive. */
export interface VentPeriod {
  kind: 'invasive' | 'niv';
  start: number;
  /** Extubation or end of NIV; `now` while ongoing. */
  end: number;
  ongoing: boolean;
  /** An invasive period that ended with an extubation (charted as a Procedure). */
  extubated: boolean;
}

export interface StayPlan {
  admit: number;
  /** Discharge, or `now` for the current stay. */
  end: number;
  /** The stay the patient is in at `now`. */
  current: boolean;
  /** Sorted, non-overlapping. */
  periods: VentPeriod[];
  /** Sorted by `from`; the first applies from the start of the stay. */
  phases: PhysiologyPhase[];
  /** No PEEP is charted at or after this instant (the `possible-missing-peep` scenario). */
  peepStopsAt?: number;
  /** Probability that a ventilator chart on invasive ventilation includes a plateau pressure. */
  plateauChance: number;
  /** A weaning procedure (SNOMED 243174005) in progress from this instant. */
  weaningFrom?: number;
  /** Serum lactate range, mmol/L. */
  lactate: Span;
}

/** How densely a stay is charted. Denser profiles give more Observations for the same days. */
export interface ChartingProfile {
  /** Minutes between ventilator charts (in the last 54 h of the current stay, and in history). */
  ventEveryMin: number;
  /** Minutes between ventilator charts earlier in the current stay. */
  ventEveryEarlyMin: number;
  /** Hours between blood gases on the ventilator (likewise recent / early). */
  gasEveryHours: number;
  gasEveryEarlyHours: number;
  /** Tidal volume and breath-rate settings with each chart on invasive ventilation. */
  ventExtras: boolean;
  /** Minutes between vital-sign charts; undefined charts none. */
  vitalsEveryMin: number | undefined;
  /** Routine labs each morning (1: creatinine; 3: creatinine, haemoglobin, lactate). */
  labsPerDay: 0 | 1 | 3;
}

/**
 * Charting profiles from sparsest to densest. From the third on, the ventilator is charted every
 * 1 to 4 hours. The two sparsest exist so that targets of a few dozen to a few hundred
 * Observations can be met: the first charts the ventilator every 8 h in the last 54 h of the
 * current stay and daily before; the second every 4 h and 12-hourly before. A blood gas is always
 * drawn 5-40 minutes after a ventilator chart, so it has a PEEP within 2 h whatever the profile.
 */
export const PROFILES: readonly ChartingProfile[] = [
  {
    ventEveryMin: 480,
    ventEveryEarlyMin: 1440,
    gasEveryHours: 8,
    gasEveryEarlyHours: 48,
    ventExtras: false,
    vitalsEveryMin: undefined,
    labsPerDay: 0,
  },
  {
    ventEveryMin: 240,
    ventEveryEarlyMin: 720,
    gasEveryHours: 8,
    gasEveryEarlyHours: 24,
    ventExtras: false,
    vitalsEveryMin: undefined,
    labsPerDay: 1,
  },
  {
    ventEveryMin: 240,
    ventEveryEarlyMin: 240,
    gasEveryHours: 6,
    gasEveryEarlyHours: 12,
    ventExtras: false,
    vitalsEveryMin: undefined,
    labsPerDay: 1,
  },
  {
    ventEveryMin: 240,
    ventEveryEarlyMin: 240,
    gasEveryHours: 6,
    gasEveryEarlyHours: 6,
    ventExtras: false,
    vitalsEveryMin: 240,
    labsPerDay: 3,
  },
  {
    ventEveryMin: 180,
    ventEveryEarlyMin: 180,
    gasEveryHours: 6,
    gasEveryEarlyHours: 6,
    ventExtras: true,
    vitalsEveryMin: 120,
    labsPerDay: 3,
  },
  {
    ventEveryMin: 120,
    ventEveryEarlyMin: 120,
    gasEveryHours: 4,
    gasEveryEarlyHours: 4,
    ventExtras: true,
    vitalsEveryMin: 60,
    labsPerDay: 3,
  },
  {
    ventEveryMin: 60,
    ventEveryEarlyMin: 60,
    gasEveryHours: 4,
    gasEveryEarlyHours: 4,
    ventExtras: true,
    vitalsEveryMin: 30,
    labsPerDay: 3,
  },
  {
    ventEveryMin: 60,
    ventEveryEarlyMin: 60,
    gasEveryHours: 4,
    gasEveryEarlyHours: 4,
    ventExtras: true,
    vitalsEveryMin: 15,
    labsPerDay: 3,
  },
];

/** The part of the current stay charted with the recent (denser) cadence. */
export const RECENT_WINDOW_MS = 54 * HOUR_MS;

/** Vital signs per chart: heart rate, respiratory rate, SpO2, mean pressure (+ temperature). */
export const VITALS_PER_CHART = 4;
/** Minutes between temperatures (one every few vital-sign charts). */
export const TEMPERATURE_EVERY_MIN = 240;

/** The physiology in effect at `t`. */
export function physiologyAt(plan: StayPlan, t: number): Physiology {
  let found = plan.phases[0];
  for (const phase of plan.phases) if (phase.from <= t) found = phase;
  if (!found) throw new RangeError('a stay plan needs at least one physiology phase');
  return found.physiology;
}

/** Charting rates a style implies, for {@link estimateObservations}. */
export interface ChartingRates {
  /** Observations per blood gas (panel or separate values, plus a charted P/F sometimes). */
  perGas: number;
  /** Observations outside the regular streams (hCG and the like). */
  extras: number;
}

/**
 * Roughly how many Observations charting `plan` with `profile` gives. Used to pick a profile and
 * to size history stays; the actual count is taken from the generated resources.
 */
export function estimateObservations(
  plan: StayPlan,
  profile: ChartingProfile,
  rates: ChartingRates,
  now: number,
): number {
  const recentFrom = plan.current ? now - RECENT_WINDOW_MS : Number.NEGATIVE_INFINITY;
  const early = (s: number, e: number) => Math.max(0, Math.min(e, recentFrom) - s);
  const recent = (s: number, e: number) => Math.max(0, e - Math.max(s, recentFrom));
  const earlyVent = plan.current ? profile.ventEveryEarlyMin : profile.ventEveryMin;
  const earlyGas = plan.current ? profile.gasEveryEarlyHours : profile.gasEveryHours;
  let n = rates.extras;
  for (const p of plan.periods) {
    const charts =
      early(p.start, p.end) / (earlyVent * MINUTE_MS) +
      recent(p.start, p.end) / (profile.ventEveryMin * MINUTE_MS);
    const invasive = p.kind === 'invasive';
    n += charts * (2 + (invasive ? plan.plateauChance + (profile.ventExtras ? 2 : 0) : 0));
    const gases =
      early(p.start, p.end) / (earlyGas * HOUR_MS) +
      recent(p.start, p.end) / (profile.gasEveryHours * HOUR_MS);
    n += (gases + 1) * rates.perGas + 1;
  }
  const stay = plan.end - plan.admit;
  if (profile.vitalsEveryMin !== undefined) {
    const charts = stay / (profile.vitalsEveryMin * MINUTE_MS);
    n += charts * VITALS_PER_CHART + stay / (TEMPERATURE_EVERY_MIN * MINUTE_MS);
  }
  n += (stay / DAY_MS) * profile.labsPerDay;
  return n;
}
