import type { Reference } from 'fhir/r4';
import { chartStay, type StayOutput } from './chart-stay';
import type { PatientStyle } from './patient-style';
import { PHYSIOLOGY } from './physiology';
import { deriveRng, type Rng } from './prng';
import {
  estimateObservations,
  type ChartingProfile,
  type ChartingRates,
  type StayPlan,
} from './stay-plan';
import { DAY_MS, floorToMinute } from './time-format';

/**
 * Older stays, charted to reach large observation targets. They end at least 20 days before the
 * current admission and carry no Conditions, so they cannot touch a verdict: an old episode is
 * never current, and weaning is judged in the current episode.
 */

/** What an older stay holds: invasive ventilation, non-invasive ventilation, or neither. */
export type HistoryKind = 'invasive' | 'niv' | 'none';

/** Plans an older stay from `admit` to `end`, ventilated through its middle part if at all. */
export function planHistoryStay(rng: Rng, kind: HistoryKind, admit: number, end: number): StayPlan {
  const length = end - admit;
  const periods: StayPlan['periods'] = [];
  if (kind !== 'none') {
    periods.push({
      kind: kind === 'invasive' ? 'invasive' : 'niv',
      start: floorToMinute(admit + length * rng.float(0.05, 0.2)),
      end: floorToMinute(end - length * rng.float(0.15, 0.3)),
      ongoing: false,
      extubated: kind === 'invasive',
    });
  }
  return {
    admit,
    end,
    current: false,
    periods,
    phases: [{ from: Number.NEGATIVE_INFINITY, physiology: PHYSIOLOGY.history }],
    plateauChance: rng.float(0.3, 0.8),
    lactate: [0.7, 2.4],
  };
}

/** What filling the history needs. */
export interface HistoryRequest {
  /** Observations still wanted. */
  budget: number;
  kinds: readonly HistoryKind[];
  profile: ChartingProfile;
  rates: ChartingRates;
  /** The current admission: history ends before it. */
  before: number;
  /** No stay starts before this instant (the patient's 16th birthday). */
  earliest: number;
  /** Seed parts naming this patient's random streams. */
  key: readonly (string | number)[];
  style: PatientStyle;
  subject: Reference;
  now: number;
  /** Encounter id of the n-th older stay (n from 0). */
  encounterId: (n: number) => string;
}

const MAX_STAYS = 2000;
const MIN_STAY_DAYS = 0.25;

/**
 * Charts older stays, newest first, until the budget is spent. Each stay is sized from an
 * estimate and the budget is then reduced by what it actually produced, so the total lands
 * within about a quarter of a day's charting of the target. Stays last 3-14 days, 2-4 months
 * apart; when the remaining budget would not fit before `earliest` at that pace, stays grow to
 * 60 days and follow each other within a week.
 */
export function chartHistory(req: HistoryRequest): StayOutput[] {
  const rng = deriveRng(...req.key, 'history');
  const out: StayOutput[] = [];
  let remaining = req.budget;
  let end = floorToMinute(req.before - rng.int(20, 120) * DAY_MS);
  for (let n = 0; n < MAX_STAYS && remaining > 0; n++) {
    const kind = rng.pick(req.kinds);
    const planFor = (days: number) => {
      const admit = Math.max(req.earliest, floorToMinute(end - days * DAY_MS));
      return planHistoryStay(deriveRng(...req.key, 'history-plan', n), kind, admit, end);
    };
    const perDay = estimateObservations(planFor(1), req.profile, req.rates, req.now);
    if (perDay <= 0 || remaining < perDay * MIN_STAY_DAYS) break;
    const neededDays = remaining / perDay;
    const crowded = end - req.earliest < neededDays * 4 * DAY_MS;
    const days = Math.min(neededDays, crowded ? 60 : rng.float(3, 14));
    const plan = planFor(days);
    if (plan.end - plan.admit < MIN_STAY_DAYS * DAY_MS) break;
    const stay = chartStay(plan, req.profile, {
      encounterId: req.encounterId(n),
      subject: req.subject,
      style: req.style,
      now: req.now,
      rng: deriveRng(...req.key, 'history-chart', n),
    });
    out.push(stay);
    remaining -= stay.observations.length;
    end = floorToMinute(plan.admit - (crowded ? rng.int(2, 7) : rng.int(60, 120)) * DAY_MS);
  }
  return out;
}
