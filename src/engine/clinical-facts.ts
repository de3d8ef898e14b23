import type {
  AllergyIntolerance,
  CodeableConcept,
  Condition,
  Device,
  DeviceUseStatement,
  Procedure,
} from 'fhir/r4';
import type { CodeMatch, CompiledValueSets } from './codes';
import { parseFhirTime, type ParsedTime } from './time';
import { referenceOf } from './resource-ref';

export type ConditionValueSet =
  | 'respiratory-failure'
  | 'severe-aplastic-anemia'
  | 'hematologic-malignancy'
  | 'solid-cancer'
  | 'hiv'
  | 'pregnancy-condition';

export type ProcedureValueSet =
  | 'invasive-ventilation'
  | 'intubation'
  | 'extubation'
  | 'non-invasive-ventilation'
  | 'weaning'
  | 'stem-cell-transplant'
  | 'sbt-failed'
  | 'sbt-attempt';

/** Value sets read from Conditions (the data requirements name the same). */
export const CONDITION_SETS: readonly ConditionValueSet[] = [
  'respiratory-failure',
  'severe-aplastic-anemia',
  'hematologic-malignancy',
  'solid-cancer',
  'hiv',
  'pregnancy-condition',
];
/** Value sets read from Procedures (the data requirements name the same). */
export const PROCEDURE_SETS: readonly ProcedureValueSet[] = [
  'invasive-ventilation',
  'intubation',
  'extubation',
  'non-invasive-ventilation',
  'weaning',
  'stem-cell-transplant',
  'sbt-failed',
  'sbt-attempt',
];

/** A Condition read the way the rules read it. */
export interface ConditionFact {
  reference: string;
  match: CodeMatch;
  /** active = active, recurrence or relapse; a missing status is active unless abated. */
  active: boolean;
  /** The clinical status as charted, or "(none)". */
  clinicalStatus: string;
  /** Unconfirmed, provisional and differential findings need confirming. */
  confirmed: boolean;
  verificationStatus: string;
  onset: ParsedTime | undefined;
  abatement: ParsedTime | undefined;
  /** Any abatement[x] at all, dated or not. */
  abated: boolean;
}

/** A Procedure with a usable status, and its time span when it has one. */
export interface ProcedureFact {
  reference: string;
  match: CodeMatch;
  status: string;
  start: number | undefined;
  /** End of performedPeriod, when given. */
  end: number | undefined;
}

/** A use of a mechanical ventilator recorded as a DeviceUseStatement. */
export interface DeviceUseFact {
  reference: string;
  start: number;
  end: number | undefined;
  status: string;
}

const ACTIVE = new Set(['active', 'recurrence', 'relapse']);
const INACTIVE = new Set(['inactive', 'remission', 'resolved']);
const UNCONFIRMED = new Set(['unconfirmed', 'provisional', 'differential']);
const IGNORED_VERIFICATION = new Set(['refuted', 'entered-in-error']);
const PROCEDURE_DONE = new Set(['completed', 'in-progress']);
// A stopped transplant still gave the patient stem cells ("history of stem cell treatment").
const TRANSPLANT_DONE = new Set(['completed', 'in-progress', 'stopped']);

function firstCode(concept: CodeableConcept | undefined): string | undefined {
  if (!concept || !Array.isArray(concept.coding)) return undefined;
  for (const c of concept.coding) if (c && typeof c.code === 'string') return c.code;
  return undefined;
}

/** Reads Conditions, ignoring refuted and entered-in-error ones. */
export function readConditions(
  conditions: readonly Condition[],
  valueSets: CompiledValueSets,
): Record<ConditionValueSet, ConditionFact[]> {
  const out = Object.fromEntries(CONDITION_SETS.map((s) => [s, []])) as unknown as Record<
    ConditionValueSet,
    ConditionFact[]
  >;
  for (const c of conditions) {
    const verification = firstCode(c.verificationStatus);
    if (verification !== undefined && IGNORED_VERIFICATION.has(verification)) continue;
    const clinical = firstCode(c.clinicalStatus);
    const abated =
      c.abatementDateTime !== undefined ||
      c.abatementAge !== undefined ||
      c.abatementPeriod !== undefined ||
      c.abatementRange !== undefined ||
      c.abatementString !== undefined;
    const active =
      clinical !== undefined && ACTIVE.has(clinical)
        ? true
        : clinical !== undefined && INACTIVE.has(clinical)
          ? false
          : !abated;
    const fact = {
      reference: referenceOf('Condition', c),
      active,
      clinicalStatus: clinical ?? '(none)',
      confirmed: verification === undefined || !UNCONFIRMED.has(verification),
      verificationStatus: verification ?? '(none)',
      onset: parseFhirTime(c.onsetDateTime) ?? parseFhirTime(c.onsetPeriod?.start),
      abatement:
        parseFhirTime(c.abatementDateTime) ??
        parseFhirTime(c.abatementPeriod?.end ?? c.abatementPeriod?.start),
      abated,
    };
    for (const set of CONDITION_SETS) {
      const match = valueSets[set].matchConcept(c.code);
      if (match) out[set].push({ ...fact, match });
    }
  }
  return out;
}

/** Reads Procedures with a status that means they happened. */
export function readProcedures(
  procedures: readonly Procedure[],
  valueSets: CompiledValueSets,
): Record<ProcedureValueSet, ProcedureFact[]> {
  const out = Object.fromEntries(PROCEDURE_SETS.map((s) => [s, []])) as unknown as Record<
    ProcedureValueSet,
    ProcedureFact[]
  >;
  for (const p of procedures) {
    if (typeof p.status !== 'string') continue;
    const period =
      p.performedPeriod && typeof p.performedPeriod === 'object' ? p.performedPeriod : {};
    const start = parseFhirTime(p.performedDateTime) ?? parseFhirTime(period.start);
    const end = parseFhirTime(period.end);
    for (const set of PROCEDURE_SETS) {
      const allowed = set === 'stem-cell-transplant' ? TRANSPLANT_DONE : PROCEDURE_DONE;
      if (!allowed.has(p.status)) continue;
      const match = valueSets[set].matchConcept(p.code);
      if (!match) continue;
      out[set].push({
        reference: referenceOf('Procedure', p),
        match,
        status: p.status,
        start: start?.start,
        end: end?.end,
      });
    }
  }
  for (const list of Object.values(out)) {
    list.sort((a, b) => (a.start ?? -Infinity) - (b.start ?? -Infinity));
  }
  return out;
}

const DEVICE_USED = new Set(['active', 'completed', 'stopped']);

/**
 * Reads DeviceUseStatements of a mechanical ventilator. The device's type sits on the Device
 * resource, found among the inputs or contained in the statement.
 */
export function readVentilatorDeviceUse(
  statements: readonly DeviceUseStatement[],
  devices: readonly Device[],
  valueSets: CompiledValueSets,
): DeviceUseFact[] {
  const byId = new Map(devices.map((d) => [referenceOf('Device', d), d]));
  const out: DeviceUseFact[] = [];
  for (const s of statements) {
    if (typeof s.status !== 'string' || !DEVICE_USED.has(s.status)) continue;
    const ref = s.device?.reference;
    if (typeof ref !== 'string') continue;
    const device = ref.startsWith('#')
      ? ((Array.isArray(s.contained) ? s.contained : []).find(
          (r) => r?.resourceType === 'Device' && `#${String(r.id)}` === ref,
        ) as Device | undefined)
      : byId.get(ref.replace(/^.*\/(Device\/[^/]+)$/, '$1'));
    if (!valueSets['mechanical-ventilator-device'].matchConcept(device?.type)) continue;
    const start = parseFhirTime(s.timingDateTime) ?? parseFhirTime(s.timingPeriod?.start);
    if (!start) continue;
    const end = parseFhirTime(s.timingPeriod?.end);
    out.push({
      reference: referenceOf('DeviceUseStatement', s),
      start: start.start,
      end: end?.end ?? (s.timingDateTime !== undefined ? start.start : undefined),
      status: s.status,
    });
  }
  return out;
}

/** Active allergies, shown for the clinician judging "expected hypersensitivity". */
export function readAllergies(allergies: readonly AllergyIntolerance[]): {
  reference: string;
  text: string;
}[] {
  return allergies
    .filter((a) => {
      const v = firstCode(a.verificationStatus);
      const c = firstCode(a.clinicalStatus);
      return v !== 'refuted' && v !== 'entered-in-error' && c !== 'inactive' && c !== 'resolved';
    })
    .map((a) => ({
      reference: referenceOf('AllergyIntolerance', a),
      text:
        a.code?.text ??
        (Array.isArray(a.code?.coding) ? a.code.coding : []).find((c) => c?.display)?.display ??
        'allergy',
    }));
}
