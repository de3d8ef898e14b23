import type { Coding, Encounter, Observation, Procedure, Reference } from 'fhir/r4';
import { chartBloodGases } from './chart-blood-gases';
import { emitObservation, type ChartEnv } from './chart-env';
import { chartVentilation } from './chart-ventilation';
import { chartDailyLabs, chartVitals } from './chart-vitals';
import { PROC } from './codes';
import type { PatientStyle } from './patient-style';
import { createRng, type Rng } from './prng';
import { buildEncounter, buildProcedure, concept, type Timed } from './resources';
import type { ChartingProfile, StayPlan } from './stay-plan';
import { createUnitPicker } from './units';

/** A coded laboratory result outside the regular streams (a pregnancy test, say). */
export interface ExtraObservation {
  time: number;
  code: Coding;
  answer: Coding;
}

/** Everything one stay produced. */
export interface StayOutput {
  encounter: Encounter;
  procedures: Timed<Procedure>[];
  observations: Timed<Observation>[];
}

/** Who and where: shared by every stay of a patient. */
export interface StayContext {
  encounterId: string;
  subject: Reference;
  style: PatientStyle;
  now: number;
  rng: Rng;
}

/**
 * Turns a stay plan into FHIR resources: an Encounter, the ventilation Procedures, ventilator
 * settings, blood gases, vital signs, daily labs and any extra results.
 */
export function chartStay(
  plan: StayPlan,
  profile: ChartingProfile,
  ctx: StayContext,
  extras: readonly ExtraObservation[] = [],
): StayOutput {
  const encounter: Reference = { reference: `Encounter/${ctx.encounterId}` };
  const env: ChartEnv = {
    rng: ctx.rng,
    style: ctx.style,
    // Units draw from their own stream (seeded by one draw that every style makes), so the same
    // seed charts the same patient whatever the unit style: only the units differ.
    units: createUnitPicker(
      ctx.style.units,
      ctx.style.siAirway,
      createRng(ctx.rng.int(0, 2 ** 31 - 1)),
    ),
    now: ctx.now,
    subject: ctx.subject,
    encounter,
    sink: [],
  };
  const charts = chartVentilation(plan, profile, env);
  chartBloodGases(plan, profile, env, charts);
  chartVitals(plan, profile, env);
  chartDailyLabs(plan, profile, env);
  for (const extra of extras) {
    emitObservation(env, {
      time: extra.time,
      issued: extra.time + 45 * 60_000,
      code: extra.code,
      category: 'laboratory',
      valueCodeableConcept: concept(extra.answer),
    });
  }
  return {
    encounter: buildEncounter({
      id: ctx.encounterId,
      subject: ctx.subject,
      offsetMinutes: ctx.style.offsetMinutes,
      admit: plan.admit,
      discharge: plan.current ? undefined : plan.end,
      intensiveCare: plan.periods.length > 0,
    }),
    procedures: stayProcedures(plan, ctx, encounter),
    observations: env.sink,
  };
}

/**
 * Ventilation as Procedures: per invasive period an intubation, the ventilation itself (in
 * progress with an open period while ongoing) and, if it ended so, an extubation; per
 * non-invasive period one NIV procedure; and a weaning procedure when the plan has one.
 */
function stayProcedures(plan: StayPlan, ctx: StayContext, encounter: Reference) {
  const out: Timed<Procedure>[] = [];
  const base = { subject: ctx.subject, encounter, offsetMinutes: ctx.style.offsetMinutes };
  const at = (code: Coding, time: number) => {
    const resource = buildProcedure({ ...base, code, start: time, period: false, ongoing: false });
    out.push({ time, resource });
  };
  for (const p of plan.periods) {
    const invasive = p.kind === 'invasive';
    if (invasive) at(PROC.intubation, p.start);
    out.push({
      time: p.start,
      resource: buildProcedure({
        ...base,
        code: invasive ? PROC.invasiveVentilation : PROC.nonInvasiveVentilation,
        start: p.start,
        end: p.ongoing ? undefined : p.end,
        period: true,
        ongoing: p.ongoing,
      }),
    });
    if (invasive && p.extubated) at(PROC.extubation, p.end);
  }
  if (plan.weaningFrom !== undefined) {
    out.push({
      time: plan.weaningFrom,
      resource: buildProcedure({
        ...base,
        code: PROC.weaning,
        start: plan.weaningFrom,
        period: true,
        ongoing: true,
      }),
    });
  }
  return out;
}
