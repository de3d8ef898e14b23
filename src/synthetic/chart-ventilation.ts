import { drawInt, emitObservation, lastChartable, walkSetting, type ChartEnv } from './chart-env';
import { OBS } from './codes';
import {
  physiologyAt,
  RECENT_WINDOW_MS,
  type ChartingProfile,
  type StayPlan,
  type VentPeriod,
} from './stay-plan';
import { ceilToHour, MINUTE_MS } from './time-format';
import { airwayPressure, fio2Quantity, ucum } from './units';

/** One ventilator chart: its time and the FiO2 set then (percent). */
export interface VentChart {
  time: number;
  fio2: number;
}

/**
 * Charts ventilator settings through every ventilation period of a stay: PEEP and FiO2 each
 * time, a plateau pressure on invasive ventilation (often but not always measured), and with
 * dense profiles the tidal volume and breath rate set. Charts fall on the hour plus a few
 * minutes, never in the last five minutes before an extubation.
 * @returns the charts in time order, for pairing blood gases with the FiO2 in effect
 */
export function chartVentilation(
  plan: StayPlan,
  profile: ChartingProfile,
  env: ChartEnv,
): VentChart[] {
  const charts: VentChart[] = [];
  for (const period of plan.periods) charts.push(...chartPeriod(plan, period, profile, env));
  return charts;
}

function chartPeriod(
  plan: StayPlan,
  period: VentPeriod,
  profile: ChartingProfile,
  env: ChartEnv,
): VentChart[] {
  const charts: VentChart[] = [];
  const stop = Math.min(period.end - 5 * MINUTE_MS, lastChartable(env));
  const recentFrom = plan.current ? env.now - RECENT_WINDOW_MS : Number.NEGATIVE_INFINITY;
  const invasive = period.kind === 'invasive';
  let fio2: number | undefined;
  let peep: number | undefined;
  let grid = ceilToHour(period.start + 10 * MINUTE_MS);
  while (grid <= stop) {
    const time = Math.min(grid + env.rng.int(0, 6) * MINUTE_MS, stop);
    const phys = physiologyAt(plan, time);
    fio2 = walkSetting(env, fio2, phys.fio2, 5, 0.3);
    peep = walkSetting(env, peep, phys.peep, 1, 0.15);
    const bedside = 'vital-signs' as const;
    if (plan.peepStopsAt === undefined || time < plan.peepStopsAt) {
      const valueQuantity = airwayPressure(peep, env.units.airway());
      emitObservation(env, { time, code: env.style.peep, category: bedside, valueQuantity });
    }
    emitObservation(env, {
      time,
      code: env.style.fio2,
      category: bedside,
      valueQuantity: fio2Quantity(fio2, env.units.si()),
    });
    if (invasive && env.rng.chance(plan.plateauChance)) {
      const valueQuantity = airwayPressure(drawInt(env, phys.plateau), env.units.airway());
      emitObservation(env, { time, code: env.style.plateau, category: bedside, valueQuantity });
    }
    if (invasive && profile.ventExtras) {
      emitObservation(env, {
        time,
        code: OBS.tidalVolumeSetting,
        category: bedside,
        valueQuantity: ucum(10 * env.rng.int(35, 55), 'mL'),
      });
      emitObservation(env, {
        time,
        code: OBS.breathRateSetting,
        category: bedside,
        valueQuantity: ucum(env.rng.int(14, 28), '/min', 'breaths/minute'),
      });
    }
    charts.push({ time, fio2 });
    if (time >= recentFrom) grid += profile.ventEveryMin * MINUTE_MS;
    else grid = Math.min(grid + profile.ventEveryEarlyMin * MINUTE_MS, ceilToHour(recentFrom));
  }
  return charts;
}
