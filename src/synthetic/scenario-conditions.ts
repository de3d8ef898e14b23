import type { Coding } from 'fhir/r4';
import type { ExtraObservation } from './chart-stay';
import { ANSWER, DX, OBS } from './codes';
import type { Demographics } from './demographics';
import type { PhysiologyName } from './physiology';
import type { Rng } from './prng';
import type { ConditionSpec } from './resources';
import { DAY_MS, floorToMinute, HOUR_MS, MINUTE_MS } from './time-format';

/** The respiratory diagnosis a scenario codes. */
export type Diagnosis = 'ards' | 'failure' | 'hypercapnic' | 'none';

/** The exclusion finding a scenario adds. */
export type Finding = 'hiv' | 'hiv-provisional' | 'solid-cancer' | 'hematologic' | 'positive-hcg';

/** What condition planning needs to know about the patient and the current stay. */
export interface PlanContext {
  rng: Rng;
  now: number;
  admit: number;
  /** Start of the first ventilation period of the current stay (admission if none). */
  firstStart: number;
  who: Demographics;
}

const YEAR_MS = 365.25 * DAY_MS;

const COMORBIDITIES: readonly Coding[] = [
  DX.hypertension,
  DX.diabetes,
  DX.obesity,
  DX.atrialFibrillation,
];

function causes(physiology: PhysiologyName | 'improving' | 'weaning-course', rng: Rng): Coding[] {
  switch (physiology) {
    case 'hypercapnic':
    case 'niv':
      return [DX.copdExacerbation];
    case 'acidosis':
      return [DX.sepsis, DX.septicShock, DX.metabolicAcidosis];
    case 'weaning-course':
      return [rng.pick([DX.pneumonia, DX.sepsis, DX.aspiration])];
    case 'history':
      return [DX.pneumonia];
    default:
      return [rng.pick([DX.pneumonia, DX.pneumonia, DX.aspiration, DX.covid, DX.pancreatitis])];
  }
}

function respiratoryDiagnosis(diagnosis: Diagnosis, rng: Rng): Coding | undefined {
  switch (diagnosis) {
    case 'ards':
      return rng.pick([DX.ards, DX.ards, DX.acuteRespiratoryFailure, DX.ardsSnomed]);
    case 'failure':
      return DX.acuteRespiratoryFailure;
    case 'hypercapnic':
      return rng.pick([DX.hypercapnicRespiratoryFailure, DX.acuteOnChronicHypercapnic]);
    case 'none':
      return undefined;
  }
}

/**
 * The Conditions of a scenario: the cause of the admission, the respiratory diagnosis, a few
 * chronic comorbidities (none of them in an exclusion value set) and the scenario's exclusion
 * finding. Every date is at or before `now`; none lies before the patient's 16th birthday.
 */
export function planConditions(
  diagnosis: Diagnosis,
  physiology: PhysiologyName | 'improving' | 'weaning-course',
  finding: Finding | undefined,
  ctx: PlanContext,
): ConditionSpec[] {
  const { rng, now, admit, firstStart } = ctx;
  const at = (t: number) => Math.min(floorToMinute(t), now - MINUTE_MS);
  const minutes = (lo: number, hi: number) => rng.int(lo, hi) * MINUTE_MS;
  const earliest = ctx.who.born + 16 * YEAR_MS;
  const yearsAgo = (lo: number, hi: number) =>
    at(Math.max(earliest, now - rng.float(lo, hi) * YEAR_MS));
  const acute = { clinical: 'active', verification: 'confirmed', currentStay: true } as const;
  const chronic = { category: 'problem-list-item', currentStay: false } as const;
  const out: ConditionSpec[] = [];

  for (const code of causes(physiology, rng)) {
    const onset = at(admit - minutes(0, 48 * 60));
    const recorded = at(admit + minutes(60, 360));
    out.push({ ...acute, code, category: 'encounter-diagnosis', onset, recorded });
  }
  const respiratory = respiratoryDiagnosis(diagnosis, rng);
  if (respiratory) {
    const onset = at(firstStart - minutes(60, 720));
    const recorded = at(firstStart + minutes(120, 24 * 60));
    out.push({ ...acute, code: respiratory, category: 'encounter-diagnosis', onset, recorded });
  }
  const pool = [...COMORBIDITIES];
  const count = diagnosis === 'none' ? 2 : rng.int(0, 2);
  for (let i = 0; i < count && pool.length > 0; i++) {
    const [code] = pool.splice(rng.int(0, pool.length - 1), 1) as [Coding];
    const onset = yearsAgo(1, 15);
    const recorded = at(onset + rng.int(0, 60) * DAY_MS);
    out.push({ ...chronic, code, clinical: 'active', verification: 'confirmed', onset, recorded });
  }
  const found = findingCondition(finding, ctx, at, yearsAgo);
  if (found) out.push(found);
  return out;
}

function findingCondition(
  finding: Finding | undefined,
  ctx: PlanContext,
  at: (t: number) => number,
  yearsAgo: (lo: number, hi: number) => number,
): ConditionSpec | undefined {
  const { rng, now } = ctx;
  const listed = { category: 'problem-list-item', currentStay: false } as const;
  switch (finding) {
    case 'hiv': {
      const onset = yearsAgo(2, 10);
      const recorded = at(onset + rng.int(0, 30) * DAY_MS);
      return {
        ...listed,
        code: DX.hiv,
        clinical: 'active',
        verification: 'confirmed',
        onset,
        recorded,
      };
    }
    case 'hiv-provisional': {
      // Suspected on this admission, confirmatory test pending.
      const onset = at(now - rng.int(12, 36) * HOUR_MS);
      const recorded = at(onset + rng.int(0, 120) * MINUTE_MS);
      return {
        code: DX.hiv,
        clinical: 'active',
        verification: 'provisional',
        category: 'encounter-diagnosis',
        currentStay: true,
        onset,
        recorded,
      };
    }
    case 'solid-cancer': {
      const onset = at(now - (365 + rng.int(-20, 20)) * DAY_MS);
      const recorded = at(onset + rng.int(0, 14) * DAY_MS);
      return {
        ...listed,
        code: DX.lungCancer,
        clinical: 'active',
        verification: 'confirmed',
        onset,
        recorded,
      };
    }
    case 'hematologic': {
      const onset = yearsAgo(3, 4);
      const recorded = at(onset + rng.int(0, 7) * DAY_MS);
      return {
        ...listed,
        code: DX.aml,
        clinical: 'remission',
        verification: 'confirmed',
        onset,
        recorded,
      };
    }
    case 'positive-hcg':
    case undefined:
      return undefined;
  }
}

/**
 * Coded results outside the regular streams: the positive serum hCG of the `pregnant` scenario,
 * and otherwise a negative one on admission for women up to 55 (as ICUs screen before imaging).
 */
export function planExtras(finding: Finding | undefined, ctx: PlanContext): ExtraObservation[] {
  const { rng, now, admit, who } = ctx;
  if (finding === 'positive-hcg') {
    const time = floorToMinute(now - 2 * DAY_MS + rng.int(-180, 180) * MINUTE_MS);
    return [{ time, code: OBS.hcgSerum, answer: ANSWER.positive }];
  }
  if (who.gender === 'female' && who.age <= 55) {
    const time = admit + rng.int(30, 180) * MINUTE_MS;
    return [{ time, code: OBS.hcgSerum, answer: ANSWER.negative }];
  }
  return [];
}
