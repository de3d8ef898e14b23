import type { CodeableConcept, Observation, ObservationComponent, Quantity } from 'fhir/r4';
import { valueSetsOf, type CodeMatch, type CompiledValueSets, type ValueSetId } from './codes';
import type { CriteriaParameters, Range } from './config-types';
import { parseFhirTime, type ParsedTime } from './time';
import { CANONICAL_UNIT, normalizeQuantity, type QuantityKind } from './units';
import { referenceOf } from './resource-ref';
import { textOf } from './text-of';

/** The numeric elements the screen reads from Observations. */
export type MeasurementElement = 'pao2' | 'paco2' | 'ph' | 'fio2' | 'pfRatio' | 'peep' | 'plateau';

const ELEMENTS: readonly {
  element: MeasurementElement;
  valueSet: 'pao2' | 'paco2' | 'ph' | 'fio2' | 'pf-ratio' | 'peep' | 'plateau';
  kind: QuantityKind;
  label: string;
}[] = [
  { element: 'pao2', valueSet: 'pao2', kind: 'blood-gas-pressure', label: 'PaO2' },
  { element: 'paco2', valueSet: 'paco2', kind: 'blood-gas-pressure', label: 'PaCO2' },
  { element: 'ph', valueSet: 'ph', kind: 'ph', label: 'pH' },
  { element: 'fio2', valueSet: 'fio2', kind: 'fio2', label: 'FiO2' },
  { element: 'pfRatio', valueSet: 'pf-ratio', kind: 'pf-ratio', label: 'P/F ratio' },
  { element: 'peep', valueSet: 'peep', kind: 'airway-pressure', label: 'PEEP' },
  { element: 'plateau', valueSet: 'plateau', kind: 'airway-pressure', label: 'Plateau pressure' },
];

export const ELEMENT_LABEL = Object.fromEntries(
  ELEMENTS.map((e) => [e.element, e.label]),
) as Record<MeasurementElement, string>;

/** A usable value in its canonical unit. */
export interface Measurement {
  element: MeasurementElement;
  value: number;
  unit: string;
  time: number;
  reference: string;
  notes: string[];
}

/** A charted value that could not be used, kept so the evidence can say so. */
export interface SkippedMeasurement {
  element: MeasurementElement;
  time: number | undefined;
  reference: string;
  reason: string;
}

/** An Observation with a coded or text answer (pregnancy status, hCG, SBT ...). */
export interface CodedObservation {
  valueSet: 'pregnancy-status' | 'hcg' | 'breastfeeding-status' | 'sbt-failed' | 'sbt-attempt';
  time: number | undefined;
  /** Last instant the time can mean (a date-only result spans its day). */
  timeEnd: number | undefined;
  reference: string;
  answer: CodeableConcept | undefined;
  answerText: string | undefined;
}

export interface ObservationFacts {
  /** Usable measurements of each element, sorted by time. */
  measurements: Record<MeasurementElement, Measurement[]>;
  skipped: SkippedMeasurement[];
  /** Times of ventilator-setting observations (PEEP, plateau, FiO2 setting), with references. */
  ventilatorSettings: { time: number; reference: string }[];
  /**
   * Times of FiO2, PEEP and plateau values that were charted but could not be used, sorted: a
   * blood gas whose nearest setting is one of these is unpaired, not paired with an older one.
   */
  unusableTimes: Record<'fio2' | 'peep' | 'plateau', number[]>;
  /** Usable values dated by day only: they cannot be paired, but may still qualify. */
  undated: (Measurement & { timeEnd: number })[];
  coded: CodedObservation[];
}

const USABLE_STATUS = new Set(['final', 'amended', 'corrected', 'preliminary']);
const CODED_SETS = [
  'pregnancy-status',
  'hcg',
  'breastfeeding-status',
  'sbt-failed',
  'sbt-attempt',
] as const;

/** Observation time by the rules' order of preference. */
export function observationTime(obs: Observation): ParsedTime | undefined {
  const period = obs.effectivePeriod;
  return (
    parseFhirTime(obs.effectiveDateTime) ??
    parseFhirTime(period && typeof period === 'object' ? period.start : undefined) ??
    parseFhirTime(obs.effectiveInstant) ??
    parseFhirTime(obs.issued)
  );
}

function plausibleRange(element: MeasurementElement, p: CriteriaParameters['plausibility']): Range {
  return element === 'pfRatio' ? p.pfRatio : p[element];
}

function hasNumber(q: Quantity | undefined): q is Quantity & { value: number } {
  return !!q && typeof q === 'object' && typeof q.value === 'number';
}

/**
 * Reads every Observation once: numeric measurements in canonical units (top-level value or panel
 * components), ventilator-setting evidence, and coded answers.
 */
export function readObservations(
  observations: readonly Observation[],
  valueSets: CompiledValueSets,
  params: CriteriaParameters,
): ObservationFacts {
  const facts: ObservationFacts = {
    measurements: { pao2: [], paco2: [], ph: [], fio2: [], pfRatio: [], peep: [], plateau: [] },
    skipped: [],
    ventilatorSettings: [],
    unusableTimes: { fio2: [], peep: [], plateau: [] },
    undated: [],
    coded: [],
  };

  for (const obs of observations) {
    if (typeof obs.status !== 'string' || !USABLE_STATUS.has(obs.status)) continue;
    const reference = referenceOf('Observation', obs);
    const parsed = observationTime(obs);
    const time = parsed?.hasTime ? parsed.start : undefined;
    const timeNotes = parsed?.assumedUtc ? ['time had no offset: read as UTC'] : [];

    const readOne = (
      concept: CodeableConcept | undefined,
      member: readonly ValueSetId[],
      holder: Observation | ObservationComponent,
    ) => {
      if (member.length === 0) return;
      for (const spec of ELEMENTS) {
        if (!member.includes(spec.valueSet)) continue;
        const set = valueSets[spec.valueSet];
        const found: CodeMatch | undefined = set.matchConcept(concept);
        if (!found) continue;
        // A capillary or venous code alongside, or on the panel that holds this component.
        if (set.rejects(concept) || (holder !== obs && set.rejects(obs.code))) return;
        if (holder.dataAbsentReason || !hasNumber(holder.valueQuantity)) return;
        const isSetting =
          spec.element === 'peep' || spec.element === 'plateau' || member.includes('fio2-setting');
        if (isSetting && time !== undefined) facts.ventilatorSettings.push({ time, reference });
        // `blocks`: a setting charted here that could not be read still stops a blood gas from
        // pairing past it with an older value. An oxygen flow is no FiO2 at all and does not.
        const skip = (reason: string, blocks = true) => {
          facts.skipped.push({
            element: spec.element,
            time: time ?? parsed?.start,
            reference,
            reason,
          });
          const e = spec.element;
          if (blocks && time !== undefined && (e === 'fio2' || e === 'peep' || e === 'plateau')) {
            facts.unusableTimes[e].push(time);
          }
        };
        if (!parsed) return skip('no usable time');
        const q = holder.valueQuantity;
        const norm = normalizeQuantity(spec.kind, q.value, q.code, q.unit);
        if (!norm.ok) return skip(norm.reason, !norm.otherQuantity);
        const [lo, hi] = plausibleRange(spec.element, params.plausibility);
        if (norm.value < lo || norm.value > hi) {
          return skip(`implausible value skipped (${round(norm.value)} outside ${lo}-${hi})`);
        }
        if (time === undefined) {
          skip('no time of day: cannot be paired');
          facts.undated.push({
            element: spec.element,
            value: norm.value,
            unit: CANONICAL_UNIT[spec.kind],
            time: parsed.start,
            timeEnd: parsed.end,
            reference,
            notes: ['dated by day only: cannot be paired'],
          });
          return;
        }
        const notes = [...timeNotes];
        if (found.entry.note) notes.push(found.entry.note);
        facts.measurements[spec.element].push({
          element: spec.element,
          value: norm.value,
          unit: CANONICAL_UNIT[spec.kind],
          time,
          reference,
          notes,
        });
        return;
      }
    };

    const codeSets = valueSetsOf(valueSets, obs.code);
    readOne(obs.code, codeSets, obs);
    if (Array.isArray(obs.component)) {
      for (const component of obs.component) {
        if (component && typeof component === 'object') {
          readOne(component.code, valueSetsOf(valueSets, component.code), component);
        }
      }
    }

    for (const id of CODED_SETS) {
      const byCode = codeSets.includes(id);
      // A failed SBT may be charted as its own code, or as an SBT observation whose answer is.
      const byAnswer =
        id === 'sbt-failed' &&
        obs.valueCodeableConcept !== undefined &&
        valueSets[id].matchConcept(obs.valueCodeableConcept) !== undefined;
      if (!byCode && !byAnswer) continue;
      if (obs.dataAbsentReason) continue;
      facts.coded.push({
        valueSet: id,
        time: parsed?.start,
        timeEnd: parsed?.end,
        reference,
        answer: obs.valueCodeableConcept,
        answerText:
          typeof obs.valueString === 'string'
            ? obs.valueString
            : textOf(obs.valueCodeableConcept?.text),
      });
    }
  }

  for (const list of Object.values(facts.measurements)) list.sort((a, b) => a.time - b.time);
  facts.ventilatorSettings.sort((a, b) => a.time - b.time);
  for (const list of Object.values(facts.unusableTimes)) list.sort((a, b) => a - b);
  return facts;
}

/** Rounds for display only (never before comparing). */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
