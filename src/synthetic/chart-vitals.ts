import { drawFloat, emitObservation, lastChartable, type ChartEnv } from './chart-env';
import { OBS } from './codes';
import { TEMPERATURE_EVERY_MIN, type ChartingProfile, type Span, type StayPlan } from './stay-plan';
import { ceilToHour, DAY_MS, HOUR_MS, MINUTE_MS } from './time-format';
import { roundTo, ucum } from './units';

/**
 * Charts vital signs through a stay (heart rate, respiratory rate, SpO2, mean arterial pressure,
 * and a temperature every few hours). None of these codes is read by the screen: they make the
 * record look like an ICU chart and carry most of the volume at large observation targets.
 */
export function chartVitals(plan: StayPlan, profile: ChartingProfile, env: ChartEnv): void {
  const every = profile.vitalsEveryMin;
  if (every === undefined) return;
  const stop = Math.min(plan.end - MINUTE_MS, lastChartable(env));
  const baseline = { hr: env.rng.int(70, 105), map: env.rng.int(65, 85) };
  const tempEvery = Math.max(1, Math.round(TEMPERATURE_EVERY_MIN / every));
  const bedside = 'vital-signs' as const;
  let count = 0;
  for (let t = ceilToHour(plan.admit + 15 * MINUTE_MS); t <= stop; t += every * MINUTE_MS) {
    const time = t;
    emitObservation(env, {
      time,
      code: OBS.heartRate,
      category: bedside,
      valueQuantity: ucum(baseline.hr + env.rng.int(-12, 12), '/min', 'beats/minute'),
    });
    emitObservation(env, {
      time,
      code: OBS.respiratoryRate,
      category: bedside,
      valueQuantity: ucum(env.rng.int(12, 30), '/min', 'breaths/minute'),
    });
    emitObservation(env, {
      time,
      code: OBS.spo2,
      category: bedside,
      valueQuantity: ucum(env.rng.int(88, 99), '%'),
    });
    emitObservation(env, {
      time,
      code: OBS.meanPressure,
      category: bedside,
      valueQuantity: ucum(baseline.map + env.rng.int(-10, 10), 'mm[Hg]', 'mmHg'),
    });
    if (count++ % tempEvery === 0) {
      emitObservation(env, {
        time,
        code: OBS.temperature,
        category: bedside,
        valueQuantity: ucum(roundTo(env.rng.float(36.2, 38.8), 1), 'Cel', 'C'),
      });
    }
  }
}

/**
 * Charts the morning labs of each day of a stay: creatinine (mg/dL, or µmol/L under its own
 * LOINC code in SI), and with denser profiles haemoglobin and lactate.
 */
export function chartDailyLabs(plan: StayPlan, profile: ChartingProfile, env: ChartEnv): void {
  const stop = Math.min(plan.end - MINUTE_MS, lastChartable(env));
  // 05:00 in the laboratory's offset.
  const offset = env.style.labOffsetMinutes * MINUTE_MS;
  const firstDay = Math.ceil((plan.admit + 2 * HOUR_MS + offset - 5 * HOUR_MS) / DAY_MS);
  const lab = 'laboratory' as const;
  const creatinine: Span = [0.6, 3.2];
  if (profile.labsPerDay === 0) return;
  for (let day = firstDay; ; day++) {
    const time = day * DAY_MS + 5 * HOUR_MS - offset + env.rng.int(0, 40) * MINUTE_MS;
    if (time > stop) break;
    const issued = time + env.rng.int(30, 90) * MINUTE_MS;
    const mgdl = drawFloat(env, creatinine);
    emitObservation(
      env,
      env.units.si()
        ? {
            time,
            issued,
            category: lab,
            code: OBS.creatinineMoles,
            valueQuantity: ucum(Math.round(mgdl * 88.42), 'umol/L', 'µmol/L'),
          }
        : {
            time,
            issued,
            category: lab,
            code: OBS.creatinineMass,
            valueQuantity: ucum(roundTo(mgdl, 2), 'mg/dL'),
          },
    );
    if (profile.labsPerDay < 3) continue;
    const gdl = drawFloat(env, [7.2, 13.5]);
    emitObservation(env, {
      time,
      issued,
      category: lab,
      code: OBS.hemoglobin,
      valueQuantity: env.units.si()
        ? ucum(Math.round(gdl * 10), 'g/L')
        : ucum(roundTo(gdl, 1), 'g/dL'),
    });
    emitObservation(env, {
      time,
      issued,
      category: lab,
      code: OBS.lactate,
      valueQuantity: ucum(roundTo(drawFloat(env, plan.lactate), 1), 'mmol/L'),
    });
  }
}
