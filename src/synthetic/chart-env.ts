import type { Observation, Reference } from 'fhir/r4';
import type { PatientStyle } from './patient-style';
import type { Rng } from './prng';
import { buildObservation, type ObservationArgs, type Timed } from './resources';
import type { Span } from './stay-plan';
import { MINUTE_MS } from './time-format';
import type { UnitPicker } from './units';

/** What the charting functions of one stay share. */
export interface ChartEnv {
  rng: Rng;
  style: PatientStyle;
  units: UnitPicker;
  now: number;
  subject: Reference;
  encounter: Reference;
  /** Observations of the stay, in the order they were charted. */
  sink: Timed<Observation>[];
}

/** The latest instant anything may be charted at: a minute before `now`. */
export function lastChartable(env: ChartEnv): number {
  return env.now - MINUTE_MS;
}

/**
 * Charts one Observation of the stay. Bedside charting uses the site offset, laboratory results
 * the laboratory system's; a release time after `now` is left out rather than invented.
 */
export function emitObservation(
  env: ChartEnv,
  args: Omit<ObservationArgs, 'subject' | 'encounter' | 'offsetMinutes'>,
): void {
  const offsetMinutes =
    args.category === 'laboratory' ? env.style.labOffsetMinutes : env.style.offsetMinutes;
  const { issued, ...rest } = args;
  const resource = buildObservation({
    ...rest,
    ...(issued !== undefined && issued <= env.now ? { issued } : {}),
    subject: env.subject,
    encounter: env.encounter,
    offsetMinutes,
  });
  env.sink.push({ time: args.time, resource });
}

/** A whole number drawn from a span. */
export function drawInt(env: ChartEnv, span: Span): number {
  return env.rng.int(span[0], span[1]);
}

/** A number drawn from a span. */
export function drawFloat(env: ChartEnv, span: Span): number {
  return env.rng.float(span[0], span[1]);
}

/**
 * A setting that a clinician changes now and then: kept, or moved one `step`, and always
 * brought back inside `span` (a new phase of the illness may have moved the range).
 */
export function walkSetting(
  env: ChartEnv,
  current: number | undefined,
  span: Span,
  step: number,
  changeChance: number,
): number {
  const [lo, hi] = span;
  if (current === undefined) return lo + step * env.rng.int(0, Math.floor((hi - lo) / step));
  let next = current;
  if (env.rng.chance(changeChance)) next += env.rng.chance(0.5) ? step : -step;
  return Math.min(hi, Math.max(lo, next));
}
