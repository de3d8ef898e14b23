/**
 * Typed builders of the FHIR R4 resources the screening tests feed to the engine. Each builder
 * takes only what a scenario cares about and fills the rest with plausible defaults, so a test
 * reads as the clinical situation it shows.
 */
import type {
  CodeableConcept,
  Coding,
  Condition,
  Device,
  DeviceUseStatement,
  Observation,
  ObservationComponent,
  Patient,
  Procedure,
  Quantity,
} from 'fhir/r4';
import { ALL_SEARCHED, type DataAvailability } from '../../src/engine';

/** The evaluation time used by every scenario unless a test says otherwise. */
export const NOW = '2026-03-01T08:00:00Z';

export const PATIENT_ID = 'p1';
export const SUBJECT = { reference: `Patient/${PATIENT_ID}` };

export const SYSTEMS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10: 'http://hl7.org/fhir/sid/icd-10-cm',
  icd10pcs: 'http://www.cms.gov/Medicare/Coding/ICD10',
  cpt: 'http://www.ama-assn.org/go/cpt',
  ucum: 'http://unitsofmeasure.org',
  local: 'http://example.org/fhir/CodeSystem/icu-local',
} as const;

export type CodeSystemAlias = keyof Omit<typeof SYSTEMS, 'ucum'>;

// ---------------------------------------------------------------------------------------------
// Time

export interface Duration {
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Milliseconds in a duration. */
export function durationMs(d: Duration): number {
  return (
    (d.days ?? 0) * DAY +
    (d.hours ?? 0) * HOUR +
    (d.minutes ?? 0) * MINUTE +
    (d.seconds ?? 0) * SECOND
  );
}

/** The instant `d` before `from` (default {@link NOW}), as an ISO string. */
export function before(d: Duration, from: string = NOW): string {
  return new Date(Date.parse(from) - durationMs(d)).toISOString();
}

/** The instant `d` after `from` (default {@link NOW}), as an ISO string. */
export function after(d: Duration, from: string = NOW): string {
  return new Date(Date.parse(from) + durationMs(d)).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Ids

let counter = 0;

/** A fresh id with a readable prefix; tests that cite a reference pass their own id instead. */
export function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

// ---------------------------------------------------------------------------------------------
// Codes

export function coding(system: CodeSystemAlias, code: string, display?: string): Coding {
  return { system: SYSTEMS[system], code, ...(display ? { display } : {}) };
}

export interface CodeOptions {
  loinc?: string | string[];
  snomed?: string | string[];
  icd10?: string | string[];
  icd10pcs?: string | string[];
  cpt?: string | string[];
  local?: string | string[];
  /** Extra codings, placed first (a local code before the standard one, say). */
  codings?: Coding[];
  text?: string;
}

function asList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** A CodeableConcept with every coding given, in the order codings, loinc, snomed, ... */
export function concept(o: CodeOptions): CodeableConcept {
  const codings: Coding[] = [...(o.codings ?? [])];
  for (const alias of ['loinc', 'snomed', 'icd10', 'icd10pcs', 'cpt', 'local'] as const) {
    for (const code of asList(o[alias])) codings.push(coding(alias, code));
  }
  return { ...(codings.length ? { coding: codings } : {}), ...(o.text ? { text: o.text } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Patient

export function patient(o: { id?: string; birthDate?: string } = {}): Patient {
  return {
    resourceType: 'Patient',
    id: o.id ?? PATIENT_ID,
    ...(o.birthDate !== undefined ? { birthDate: o.birthDate } : {}),
  };
}

/** A patient whose age is comfortably inside 20-80 at {@link NOW}. */
export function adultPatient(): Patient {
  return patient({ birthDate: '1976-01-15' });
}

// ---------------------------------------------------------------------------------------------
// Observation

export interface QuantityOptions {
  value?: number;
  /**
   * UCUM code (`mm[Hg]`, `kPa`, `%`, `1`, ...), written to `code` with the UCUM system and, unless
   * `unitText` is given, to `unit` too. `null`: no unit at all.
   */
  unit?: string | null;
  /** Human-readable `unit` text only ("mmHg"); with `unit: null` there is no UCUM code. */
  unitText?: string;
}

function quantity(o: QuantityOptions): Quantity {
  const q: Quantity = { value: o.value };
  if (o.unit) {
    q.system = SYSTEMS.ucum;
    q.code = o.unit;
    q.unit = o.unitText ?? o.unit;
  } else if (o.unitText !== undefined) {
    q.unit = o.unitText;
  }
  return q;
}

export interface ComponentOptions extends CodeOptions, QuantityOptions {
  valueConcept?: CodeableConcept;
  dataAbsentReason?: boolean;
}

export function component(o: ComponentOptions): ObservationComponent {
  return {
    code: concept(o),
    ...valueOf(o),
  };
}

interface ValueOptions extends QuantityOptions {
  valueConcept?: CodeableConcept;
  valueString?: string;
  dataAbsentReason?: boolean;
}

type ObservationValue = Pick<
  Observation,
  'valueQuantity' | 'valueCodeableConcept' | 'valueString' | 'dataAbsentReason'
>;

function valueOf(o: ValueOptions): ObservationValue {
  if (o.dataAbsentReason) {
    return {
      dataAbsentReason: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
            code: 'not-performed',
          },
        ],
      },
    };
  }
  if (o.valueConcept) return { valueCodeableConcept: o.valueConcept };
  if (o.valueString !== undefined) return { valueString: o.valueString };
  if (o.value !== undefined) return { valueQuantity: quantity(o) };
  return {};
}

export interface ObservationOptions extends CodeOptions, ValueOptions {
  id?: string;
  /** effectiveDateTime. */
  at?: string;
  effectivePeriod?: { start?: string; end?: string };
  effectiveInstant?: string;
  issued?: string;
  status?: Observation['status'];
  components?: ComponentOptions[];
}

export function observation(o: ObservationOptions): Observation {
  return {
    resourceType: 'Observation',
    id: o.id ?? nextId('obs'),
    status: o.status ?? 'final',
    code: concept(o),
    subject: SUBJECT,
    ...(o.at !== undefined ? { effectiveDateTime: o.at } : {}),
    ...(o.effectivePeriod ? { effectivePeriod: o.effectivePeriod } : {}),
    ...(o.effectiveInstant !== undefined ? { effectiveInstant: o.effectiveInstant } : {}),
    ...(o.issued !== undefined ? { issued: o.issued } : {}),
    ...valueOf(o),
    ...(o.components ? { component: o.components.map(component) } : {}),
  };
}

/** Options of the element builders below: everything but the value and the time. */
export type MeasurementOptions = Omit<ObservationOptions, 'value' | 'at'>;

function measurement(
  defaults: ObservationOptions,
): (value: number, at: string, o?: MeasurementOptions) => Observation {
  return (value, at, o = {}) => {
    const codeGiven =
      o.loinc !== undefined ||
      o.snomed !== undefined ||
      o.codings !== undefined ||
      o.local !== undefined;
    const base = codeGiven ? { ...defaults, loinc: undefined, snomed: undefined } : defaults;
    return observation({ ...base, ...o, value, at });
  };
}

/** PaO2, arterial (2703-7), mm[Hg] unless told. */
export const pao2 = measurement({ loinc: '2703-7', unit: 'mm[Hg]' });
/** PaCO2, arterial (2019-8), mm[Hg] unless told. */
export const paco2 = measurement({ loinc: '2019-8', unit: 'mm[Hg]' });
/** pH, arterial (2744-1), [pH] unless told. */
export const ph = measurement({ loinc: '2744-1', unit: '[pH]' });
/** FiO2, inhaled oxygen concentration (3150-0), % unless told. */
export const fio2 = measurement({ loinc: '3150-0', unit: '%' });
/** FiO2 ventilator setting (19994-3), % unless told: also invasive-ventilation evidence. */
export const fio2Setting = measurement({ loinc: '19994-3', unit: '%' });
/** PEEP setting (20077-4), cm[H2O] unless told. */
export const peep = measurement({ loinc: '20077-4', unit: 'cm[H2O]' });
/** Plateau pressure (76259-1), cm[H2O] unless told. */
export const plateau = measurement({ loinc: '76259-1', unit: 'cm[H2O]' });
/** Charted P/F ratio, Horowitz index (50984-4), mm[Hg] unless told. */
export const chartedPf = measurement({ loinc: '50984-4', unit: 'mm[Hg]' });

/** An answer-coded observation (pregnancy status, hCG, breastfeeding). */
export function codedObservation(
  code: CodeOptions,
  answer: CodeOptions | string,
  at: string,
  o: Omit<ObservationOptions, 'at' | keyof CodeOptions> = {},
): Observation {
  return observation({
    ...code,
    ...o,
    at,
    ...(typeof answer === 'string' ? { valueString: answer } : { valueConcept: concept(answer) }),
  });
}

// ---------------------------------------------------------------------------------------------
// Condition

export type ClinicalStatus =
  'active' | 'recurrence' | 'relapse' | 'inactive' | 'remission' | 'resolved';

export type VerificationStatus =
  'unconfirmed' | 'provisional' | 'differential' | 'confirmed' | 'refuted' | 'entered-in-error';

export interface ConditionOptions extends CodeOptions {
  id?: string;
  /** Default `active`; `null` leaves clinicalStatus out. */
  clinical?: ClinicalStatus | null;
  /** Default `confirmed`; `null` leaves verificationStatus out. */
  verification?: VerificationStatus | null;
  /** onsetDateTime. */
  onset?: string;
  /** abatementDateTime. */
  abatement?: string;
  /** abatementString, an abatement without a date. */
  abatementText?: string;
}

export function condition(o: ConditionOptions): Condition {
  const clinical = o.clinical === undefined ? 'active' : o.clinical;
  const verification = o.verification === undefined ? 'confirmed' : o.verification;
  return {
    resourceType: 'Condition',
    id: o.id ?? nextId('cond'),
    subject: SUBJECT,
    code: concept(o),
    ...(clinical
      ? {
          clinicalStatus: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
                code: clinical,
              },
            ],
          },
        }
      : {}),
    ...(verification
      ? {
          verificationStatus: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
                code: verification,
              },
            ],
          },
        }
      : {}),
    ...(o.onset !== undefined ? { onsetDateTime: o.onset } : {}),
    ...(o.abatement !== undefined ? { abatementDateTime: o.abatement } : {}),
    ...(o.abatementText !== undefined ? { abatementString: o.abatementText } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Procedure

export interface ProcedureOptions extends CodeOptions {
  id?: string;
  status?: Procedure['status'];
  performedDateTime?: string;
  performedPeriod?: { start?: string; end?: string };
}

export function procedure(o: ProcedureOptions): Procedure {
  return {
    resourceType: 'Procedure',
    id: o.id ?? nextId('proc'),
    status: o.status ?? 'completed',
    subject: SUBJECT,
    code: concept(o),
    ...(o.performedDateTime !== undefined ? { performedDateTime: o.performedDateTime } : {}),
    ...(o.performedPeriod ? { performedPeriod: o.performedPeriod } : {}),
  };
}

export const CODES = {
  invasiveVentilation: '1258985005',
  pressureSupport: '1259864003',
  intubation: '112798008',
  extubation: '271280005',
  weaning: '243174005',
  nonInvasive: '428311008',
  homeOxygen: '426990007',
  ventilatorDevice: '449071006',
} as const;

/** An invasive mechanical ventilation procedure in progress since `days` before `now`. */
export function ventilatedFor(days: number, now: string = NOW, id?: string): Procedure {
  return procedure({
    ...(id ? { id } : {}),
    snomed: CODES.invasiveVentilation,
    status: 'in-progress',
    performedPeriod: { start: before({ days }, now) },
  });
}

/** Endotracheal intubation at `at`. */
export function intubation(at: string, id?: string): Procedure {
  return procedure({ ...(id ? { id } : {}), snomed: CODES.intubation, performedDateTime: at });
}

/** Extubation at `at`. */
export function extubation(at: string, id?: string): Procedure {
  return procedure({ ...(id ? { id } : {}), snomed: CODES.extubation, performedDateTime: at });
}

/** A weaning procedure (243174005) at `at`. */
export function weaningProcedure(at: string, id?: string): Procedure {
  return procedure({ ...(id ? { id } : {}), snomed: CODES.weaning, performedDateTime: at });
}

// ---------------------------------------------------------------------------------------------
// Device use

/** A ventilator Device and a DeviceUseStatement of it over `period`. */
export function ventilatorDeviceUse(o: {
  id?: string;
  status?: DeviceUseStatement['status'];
  snomed?: string;
  period: { start: string; end?: string };
}): [Device, DeviceUseStatement] {
  const id = o.id ?? nextId('dus');
  const device: Device = {
    resourceType: 'Device',
    id: `${id}-device`,
    type: concept({ snomed: o.snomed ?? CODES.ventilatorDevice }),
  };
  const statement: DeviceUseStatement = {
    resourceType: 'DeviceUseStatement',
    id,
    status: o.status ?? 'completed',
    subject: SUBJECT,
    device: { reference: `Device/${device.id}` },
    timingPeriod: o.period,
  };
  return [device, statement];
}

// ---------------------------------------------------------------------------------------------
// Availability

/** Every search done. */
export const allSearched: DataAvailability = ALL_SEARCHED;

/** Every search done except the ones named, which could not be done. */
export function searchedExcept(...types: (keyof DataAvailability)[]): DataAvailability {
  const out: DataAvailability = { ...allSearched };
  for (const t of types) out[t] = 'unavailable';
  return out;
}

// ---------------------------------------------------------------------------------------------
// Series

/**
 * One observation every `everyHours` from `from` to `to` inclusive (PEEP charting through an
 * episode, say).
 */
export function series(
  make: (at: string, i: number) => Observation,
  o: { from: string; to: string; everyHours: number },
): Observation[] {
  const out: Observation[] = [];
  const step = o.everyHours * HOUR;
  for (let t = Date.parse(o.from), i = 0; t <= Date.parse(o.to); t += step, i += 1) {
    out.push(make(new Date(t).toISOString(), i));
  }
  return out;
}

/** P/F 300 on PEEP 8, PaCO2 40 and pH 7.40 on plateau 25 at `at`: every blood-gas criterion not met. */
export function reassuringGases(at: string = before({ hours: 2 })): Observation[] {
  return [
    pao2(150, at),
    fio2(50, before({ hours: 1 }, at)),
    peep(8, at),
    paco2(40, at),
    ph(7.4, at),
    plateau(25, at),
  ];
}
