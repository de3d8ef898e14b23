import type { ExtraObservation } from './chart-stay';
import type { HistoryKind } from './history';
import { PHYSIOLOGY, type PhysiologyName } from './physiology';
import type { Rng } from './prng';
import type { ConditionSpec } from './resources';
import { planConditions, planExtras, type Diagnosis, type Finding } from './scenario-conditions';
import type { ScenarioName } from './scenarios';
import type { PhysiologyPhase, Span, StayPlan, VentPeriod } from './stay-plan';
import { DAY_MS, floorToMinute, HOUR_MS, MINUTE_MS } from './time-format';
import type { Demographics } from './demographics';

/** How the current stay's ventilation runs. */
type Course = 'invasive' | 'invasive-10d' | 'short' | 'niv' | 'repeated' | 'prolonged' | 'none';

/** A scenario as data: the pieces its current stay and record are made of. */
interface ScenarioSpec {
  age?: number;
  gender?: 'female';
  course: Course;
  physiology: PhysiologyName | 'improving' | 'weaning-course';
  diagnosis: Diagnosis;
  finding?: Finding;
  /** Stop charting PEEP 54-60 h before now (`possible-missing-peep`). */
  peepStops?: true;
}

const ARDS = { course: 'invasive', physiology: 'ards', diagnosis: 'ards' } as const;

const SPECS: Record<ScenarioName, ScenarioSpec> = {
  'likely-ards': ARDS,
  'likely-hypercapnic': { course: 'invasive', physiology: 'hypercapnic', diagnosis: 'hypercapnic' },
  'likely-acidosis': { course: 'invasive', physiology: 'acidosis', diagnosis: 'failure' },
  'possible-missing-peep': { ...ARDS, peepStops: true },
  'possible-unconfirmed-exclusion': { ...ARDS, finding: 'hiv-provisional' },
  'short-ventilation': { ...ARDS, course: 'short' },
  'niv-only': { course: 'niv', physiology: 'niv', diagnosis: 'hypercapnic' },
  'improving-pf': { course: 'invasive-10d', physiology: 'improving', diagnosis: 'failure' },
  'excluded-hiv': { ...ARDS, finding: 'hiv' },
  'excluded-solid-cancer': { ...ARDS, finding: 'solid-cancer' },
  'excluded-hematologic': { ...ARDS, finding: 'hematologic' },
  'too-old': { ...ARDS, age: 82 },
  pregnant: { ...ARDS, age: 30, gender: 'female', finding: 'positive-hcg' },
  'repeated-weaning-failure': {
    course: 'repeated',
    physiology: 'weaning-course',
    diagnosis: 'failure',
  },
  'prolonged-weaning': { course: 'prolonged', physiology: 'weaning-course', diagnosis: 'failure' },
  'no-ventilation-data': { course: 'none', physiology: 'history', diagnosis: 'none' },
};

/** Everything scenario-specific about a patient. */
export interface ScenarioPlan {
  stay: StayPlan;
  conditions: ConditionSpec[];
  extras: ExtraObservation[];
  /** Kinds of older stays that cannot change the scenario's verdicts. */
  historyKinds: readonly HistoryKind[];
  /** The scenario relies on FiO2 settings (19994-3) as ventilation evidence. */
  fio2Setting: boolean;
}

/** The age and gender a scenario fixes, if any. */
export function scenarioDemographics(name: ScenarioName): {
  age?: number;
  gender?: 'female';
} {
  const { age, gender } = SPECS[name];
  return { ...(age !== undefined ? { age } : {}), ...(gender ? { gender } : {}) };
}

/** Plans the current stay, conditions and extra results of a scenario. */
export function planScenario(
  name: ScenarioName,
  rng: Rng,
  now: number,
  who: Demographics,
): ScenarioPlan {
  const spec = SPECS[name];
  const { periods, weaningFrom } = planCourse(spec.course, rng, now);
  const first = periods[0];
  const admit = first
    ? first.start - rng.int(4 * 60, 36 * 60) * MINUTE_MS
    : floorToMinute(now - rng.float(2, 6) * DAY_MS);
  const highPlateau = spec.physiology === 'hypercapnic' || spec.physiology === 'acidosis';
  const stay: StayPlan = {
    admit,
    end: now,
    current: true,
    periods,
    phases: planPhases(spec, first?.start ?? admit, rng, now),
    plateauChance: highPlateau || spec.peepStops ? 1 : rng.float(0.4, 0.9),
    lactate: spec.physiology === 'acidosis' ? [4.5, 9.5] : [0.8, 2.8],
  };
  if (weaningFrom !== undefined) stay.weaningFrom = weaningFrom;
  if (spec.peepStops)
    stay.peepStopsAt = floorToMinute(now - 54 * HOUR_MS - rng.int(0, 360) * MINUTE_MS);
  const context = { rng, now, admit, firstStart: first?.start ?? admit, who };
  return {
    stay,
    conditions: planConditions(spec.diagnosis, spec.physiology, spec.finding, context),
    extras: planExtras(spec.finding, context),
    historyKinds:
      spec.course === 'none'
        ? ['none']
        : spec.course === 'niv'
          ? ['niv', 'none']
          : ['invasive', 'invasive', 'none'],
    fio2Setting: spec.peepStops === true,
  };
}

function planPhases(
  spec: ScenarioSpec,
  firstStart: number,
  rng: Rng,
  now: number,
): PhysiologyPhase[] {
  const from = Number.NEGATIVE_INFINITY;
  switch (spec.physiology) {
    case 'improving':
      return [
        { from, physiology: PHYSIOLOGY.ards },
        {
          from: floorToMinute(now - rng.float(3.5, 4) * DAY_MS),
          physiology: PHYSIOLOGY.recovering,
        },
      ];
    case 'weaning-course':
      return [
        { from, physiology: PHYSIOLOGY.acute },
        { from: firstStart + 2 * DAY_MS, physiology: PHYSIOLOGY.weaning },
      ];
    default:
      return [{ from, physiology: PHYSIOLOGY[spec.physiology] }];
  }
}

/**
 * Ventilation periods of the current stay. Times are drawn inside windows that keep every edge
 * the scenario depends on (7 days of ventilation, reintubation within 48 h, a first weaning
 * attempt at least 8 days before now) clear by hours.
 */
function planCourse(
  course: Course,
  rng: Rng,
  now: number,
): { periods: VentPeriod[]; weaningFrom?: number } {
  const days = (span: Span) => Math.round(rng.float(span[0], span[1]) * 24 * 60) * MINUTE_MS;
  const hours = (span: Span) => rng.int(span[0] * 60, span[1] * 60) * MINUTE_MS;
  const start = (span: Span) => floorToMinute(now) - days(span);
  const invasive = (s: number, e: number, extubated: boolean): VentPeriod => ({
    kind: 'invasive',
    start: s,
    end: extubated ? e : now,
    ongoing: !extubated,
    extubated,
  });
  switch (course) {
    case 'invasive':
      return { periods: [invasive(start([9, 12]), now, false)] };
    case 'invasive-10d':
      return { periods: [invasive(start([10, 10.5]), now, false)] };
    case 'short':
      return { periods: [invasive(start([2.6, 3.4]), now, false)] };
    case 'niv':
      return {
        periods: [{ kind: 'niv', start: start([3, 6]), end: now, ongoing: true, extubated: false }],
      };
    case 'repeated': {
      // Laid out backwards from the last reintubation, so the ongoing part is 3-3.5 days old.
      const i3 = start([3, 3.5]);
      const e3 = i3 - hours([6, 36]);
      const i2 = e3 - days([1.5, 2]);
      const e2 = i2 - hours([6, 30]);
      const i1 = e2 - days([1.5, 2]);
      const e1 = i1 - hours([6, 20]);
      const i0 = e1 - days([2.5, 3.5]);
      return {
        periods: [
          invasive(i0, e1, true),
          invasive(i1, e2, true),
          invasive(i2, e3, true),
          invasive(i3, now, false),
        ],
      };
    }
    case 'prolonged': {
      const i0 = start([12, 15]);
      const e1 = start([8.5, 10]);
      const i1 = e1 + hours([4, 20]);
      return {
        periods: [invasive(i0, e1, true), invasive(i1, now, false)],
        weaningFrom: i1 + days([1, 3]),
      };
    }
    case 'none':
      return { periods: [] };
  }
}
