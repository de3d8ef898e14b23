import type { Coding, Quantity } from 'fhir/r4';
import type { VentChart } from './chart-ventilation';
import { drawFloat, emitObservation, lastChartable, type ChartEnv } from './chart-env';
import { OBS } from './codes';
import { buildComponent } from './resources';
import {
  physiologyAt,
  RECENT_WINDOW_MS,
  type ChartingProfile,
  type StayPlan,
  type VentPeriod,
} from './stay-plan';
import { HOUR_MS, MINUTE_MS } from './time-format';
import { fio2Quantity, gasPressure, gasPressureInMmHg, phQuantity, roundTo, ucum } from './units';

/**
 * Charts arterial blood gases for a stay. On the ventilator a gas is drawn 5 to 40 minutes after
 * a ventilator chart, so the FiO2 in effect is that chart's and a PEEP or plateau lies within
 * 40 minutes; PaO2 is derived from the phase's P/F target and that FiO2, so the P/F the screen
 * computes is the one the scenario intends. Before each intubation (or NIV start) one gas shows
 * the deterioration that prompted it, on an FiO2 charted as inhaled concentration (3150-0).
 */
export function chartBloodGases(
  plan: StayPlan,
  profile: ChartingProfile,
  env: ChartEnv,
  charts: readonly VentChart[],
): void {
  for (const period of plan.periods) {
    chartStartGas(plan, period, env);
    chartPeriodGases(plan, period, profile, env, charts);
  }
}

function chartStartGas(plan: StayPlan, period: VentPeriod, env: ChartEnv): void {
  const time = period.start - env.rng.int(30, 90) * MINUTE_MS;
  const fio2Time = time - env.rng.int(10, 30) * MINUTE_MS;
  if (fio2Time <= plan.admit) return;
  const fio2 = env.rng.pick([50, 60, 80, 100]);
  emitObservation(env, {
    time: fio2Time,
    code: OBS.fio2Inhaled,
    category: 'vital-signs',
    valueQuantity: fio2Quantity(fio2, env.units.si()),
  });
  emitGas(plan, env, time, fio2, true);
}

function chartPeriodGases(
  plan: StayPlan,
  period: VentPeriod,
  profile: ChartingProfile,
  env: ChartEnv,
  charts: readonly VentChart[],
): void {
  const recentFrom = plan.current ? env.now - RECENT_WINDOW_MS : Number.NEGATIVE_INFINITY;
  const stop = Math.min(period.end - 5 * MINUTE_MS, lastChartable(env));
  let target = period.start + env.rng.int(60, 180) * MINUTE_MS;
  let usedChart = Number.NEGATIVE_INFINITY;
  while (target <= stop) {
    const chart = latestAtOrBefore(charts, target);
    if (chart && chart.time >= period.start && chart.time > usedChart) {
      const time = chart.time + env.rng.int(5, 40) * MINUTE_MS;
      if (time <= stop) emitGas(plan, env, time, chart.fio2, false);
      usedChart = chart.time;
    }
    const every = target >= recentFrom ? profile.gasEveryHours : profile.gasEveryEarlyHours;
    target += every * HOUR_MS + env.rng.int(-30, 30) * MINUTE_MS;
  }
}

function latestAtOrBefore(charts: readonly VentChart[], t: number): VentChart | undefined {
  let lo = 0;
  let hi = charts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((charts[mid] as VentChart).time <= t) lo = mid + 1;
    else hi = mid;
  }
  return charts[lo - 1];
}

/** Oxygen saturation (%) from PaO2 (mmHg): a piecewise-linear dissociation curve. */
function saturation(pao2: number): number {
  const curve: readonly (readonly [number, number])[] = [
    [20, 35],
    [27, 50],
    [40, 75],
    [60, 90],
    [80, 95],
    [100, 97.5],
    [200, 99.5],
  ];
  let prev = curve[0] as readonly [number, number];
  if (pao2 <= prev[0]) return prev[1];
  for (const point of curve) {
    if (pao2 <= point[0]) {
      const f = (pao2 - prev[0]) / (point[0] - prev[0]);
      return roundTo(prev[1] + f * (point[1] - prev[1]), 1);
    }
    prev = point;
  }
  return prev[1];
}

/**
 * One blood gas: a panel Observation with components, or separate PaO2, PaCO2 and pH
 * Observations; sometimes with the specimen-unspecified "in Blood" codes, and sometimes with a
 * charted P/F. `distressed` makes it the gas before an intubation (worse on every count).
 */
function emitGas(
  plan: StayPlan,
  env: ChartEnv,
  time: number,
  fio2: number,
  distressed: boolean,
): void {
  const phys = physiologyAt(plan, time);
  const pf = drawFloat(env, phys.pf) * (distressed ? 0.6 : 1);
  const si = env.units.si();
  const pao2 = gasPressure((pf * fio2) / 100, si);
  const paco2 = gasPressure(drawFloat(env, phys.paco2) + (distressed ? 8 : 0), si);
  const ph = phQuantity(drawFloat(env, phys.ph) - (distressed ? 0.06 : 0));
  const blood = env.rng.chance(env.style.unspecifiedChance);
  const issued = time + env.rng.int(5, 25) * MINUTE_MS;
  const values: [Coding, Quantity][] = [
    [blood ? OBS.pao2Blood : OBS.pao2, pao2],
    [blood ? OBS.paco2Blood : OBS.paco2, paco2],
    [blood ? OBS.phBlood : OBS.ph, ph],
  ];
  if (env.rng.chance(env.style.panelChance)) {
    const component = values.map(([code, q]) => buildComponent(code, q));
    if (!blood) {
      const sat = ucum(saturation(gasPressureInMmHg(pao2)), '%');
      component.push(buildComponent(OBS.sao2, sat));
    }
    const code = blood ? OBS.gasPanelBlood : OBS.gasPanel;
    emitObservation(env, { time, code, category: 'laboratory', issued, component });
  } else {
    for (const [code, valueQuantity] of values) {
      emitObservation(env, { time, code, category: 'laboratory', issued, valueQuantity });
    }
  }
  if (env.rng.chance(env.style.pfChartedChance)) {
    // Computed from the PaO2 as reported (after its rounding), as an analyser would.
    const ratio = (100 * gasPressureInMmHg(pao2)) / fio2;
    emitObservation(env, {
      time,
      code: OBS.pfRatio,
      category: 'laboratory',
      issued,
      valueQuantity: gasPressure(ratio, env.units.si()),
    });
  }
}
