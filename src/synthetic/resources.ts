import type {
  CodeableConcept,
  Coding,
  Condition,
  Encounter,
  Observation,
  ObservationComponent,
  Procedure,
  Quantity,
  Reference,
} from 'fhir/r4';
import {
  ACT_CODE,
  CONDITION_CATEGORY,
  CONDITION_CLINICAL,
  CONDITION_VERIFICATION,
  OBSERVATION_CATEGORY,
} from './codes';
import { formatInstant } from './time-format';

/**
 * Small builders of the FHIR resources the generator writes. Ids are left empty here and given
 * once every resource of the patient exists, in time order (see `generate-patient.ts`).
 */

/** A resource with the instant it is sorted by. */
export interface Timed<T> {
  time: number;
  resource: T;
}

/** A CodeableConcept with one coding, its display as text. */
export function concept(coding: Coding): CodeableConcept {
  return { coding: [{ ...coding }], text: coding.display ?? coding.code ?? '' };
}

const CATEGORY_DISPLAY = { 'vital-signs': 'Vital Signs', laboratory: 'Laboratory' } as const;

/** What an Observation says, besides its code and time. */
export interface ObservationValue {
  valueQuantity?: Quantity;
  valueCodeableConcept?: CodeableConcept;
  component?: ObservationComponent[];
}

/** Everything an Observation builder needs. */
export interface ObservationArgs extends ObservationValue {
  time: number;
  offsetMinutes: number;
  code: Coding;
  category: 'vital-signs' | 'laboratory';
  subject: Reference;
  encounter: Reference;
  /** When the result was released (laboratory results). */
  issued?: number;
}

/** A final Observation. */
export function buildObservation(args: ObservationArgs): Observation {
  const obs: Observation = {
    resourceType: 'Observation',
    id: '',
    status: 'final',
    category: [
      {
        coding: [
          {
            system: OBSERVATION_CATEGORY,
            code: args.category,
            display: CATEGORY_DISPLAY[args.category],
          },
        ],
      },
    ],
    code: concept(args.code),
    subject: args.subject,
    encounter: args.encounter,
    effectiveDateTime: formatInstant(args.time, args.offsetMinutes),
  };
  if (args.issued !== undefined) obs.issued = formatInstant(args.issued, args.offsetMinutes);
  if (args.valueQuantity) obs.valueQuantity = args.valueQuantity;
  if (args.valueCodeableConcept) obs.valueCodeableConcept = args.valueCodeableConcept;
  if (args.component) obs.component = args.component;
  return obs;
}

/** One component of a panel Observation. */
export function buildComponent(code: Coding, value: Quantity): ObservationComponent {
  return { code: concept(code), valueQuantity: value };
}

/** A Procedure done at an instant, or over a period (`end` undefined while in progress). */
export function buildProcedure(args: {
  code: Coding;
  subject: Reference;
  encounter: Reference;
  offsetMinutes: number;
  start: number;
  end?: number | undefined;
  /** A period rather than a single instant. */
  period: boolean;
  ongoing: boolean;
}): Procedure {
  const at = (ms: number) => formatInstant(ms, args.offsetMinutes);
  const proc: Procedure = {
    resourceType: 'Procedure',
    id: '',
    status: args.ongoing ? 'in-progress' : 'completed',
    code: concept(args.code),
    subject: args.subject,
    encounter: args.encounter,
  };
  if (!args.period) proc.performedDateTime = at(args.start);
  else if (args.end === undefined) proc.performedPeriod = { start: at(args.start) };
  else proc.performedPeriod = { start: at(args.start), end: at(args.end) };
  return proc;
}

/** What a Condition records, in epoch ms. */
export interface ConditionSpec {
  code: Coding;
  clinical: 'active' | 'inactive' | 'resolved' | 'remission';
  verification: 'confirmed' | 'provisional' | 'unconfirmed' | 'differential';
  category: 'encounter-diagnosis' | 'problem-list-item';
  onset: number;
  recorded: number;
  abatement?: number;
  /** Diagnosed during the current stay (linked to its Encounter). */
  currentStay: boolean;
}

/** A Condition with clinical and verification status from the standard FHIR code systems. */
export function buildCondition(
  spec: ConditionSpec,
  subject: Reference,
  encounter: Reference | undefined,
  offsetMinutes: number,
): Condition {
  const at = (ms: number) => formatInstant(ms, offsetMinutes);
  const condition: Condition = {
    resourceType: 'Condition',
    id: '',
    clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: spec.clinical }] },
    verificationStatus: { coding: [{ system: CONDITION_VERIFICATION, code: spec.verification }] },
    category: [{ coding: [{ system: CONDITION_CATEGORY, code: spec.category }] }],
    code: concept(spec.code),
    subject,
    onsetDateTime: at(spec.onset),
    recordedDate: at(spec.recorded),
  };
  if (encounter) condition.encounter = encounter;
  if (spec.abatement !== undefined) condition.abatementDateTime = at(spec.abatement);
  return condition;
}

/** An inpatient Encounter for one stay. */
export function buildEncounter(args: {
  id: string;
  subject: Reference;
  offsetMinutes: number;
  admit: number;
  discharge: number | undefined;
  intensiveCare: boolean;
}): Encounter {
  const at = (ms: number) => formatInstant(ms, args.offsetMinutes);
  return {
    resourceType: 'Encounter',
    id: args.id,
    status: args.discharge === undefined ? 'in-progress' : 'finished',
    class: { system: ACT_CODE, code: 'IMP', display: 'inpatient encounter' },
    type: [{ text: args.intensiveCare ? 'Intensive care admission' : 'Hospital admission' }],
    subject: args.subject,
    period:
      args.discharge === undefined
        ? { start: at(args.admit) }
        : { start: at(args.admit), end: at(args.discharge) },
  };
}
