import type { Condition, Encounter, FhirResource, Observation, Patient } from 'fhir/r4';
import { bannerDetails, patientBanner } from '../../smart-app/patient-display';
import type { DemoPatient } from '../census';

/** One row of the demo EHR's patient list. */
export interface PatientRow {
  id: string;
  bed: string;
  name: string;
  details: string;
  gender?: string;
  age?: number;
  mrn?: string;
  /** Start of the current stay, ISO. */
  admitted?: string;
  expected: DemoPatient['expected'];
  note: string;
}

export interface ChartProblem {
  display: string;
  status: string;
  onset?: string;
}

export interface ChartResult {
  label: string;
  value: string;
  time: string;
}

/** What the demo chart shows beside the CDS cards. */
export interface ChartView {
  patient: PatientRow;
  stay?: { type: string; start: string };
  problems: ChartProblem[];
  latest: ChartResult[];
}

function currentStay(
  encounters: readonly FhirResource[],
  patientId: string,
): Encounter | undefined {
  return encounters
    .filter(
      (e): e is Encounter =>
        e.resourceType === 'Encounter' &&
        e.status === 'in-progress' &&
        e.subject?.reference === `Patient/${patientId}`,
    )
    .sort((a, b) => (b.period?.start ?? '').localeCompare(a.period?.start ?? ''))[0];
}

/** The patient list row: the banner, the bed and the current stay, and the demo's hint. */
export function buildPatientRow(
  demo: DemoPatient,
  patient: Patient,
  encounters: readonly FhirResource[],
  now: Date,
): PatientRow {
  const banner = patientBanner(patient, now);
  const stay = currentStay(encounters, demo.id);
  return {
    id: demo.id,
    bed: demo.bed,
    name: banner.name,
    details: bannerDetails(banner),
    ...(banner.gender ? { gender: banner.gender } : {}),
    ...(banner.age !== undefined ? { age: banner.age } : {}),
    ...(banner.mrn ? { mrn: banner.mrn } : {}),
    ...(stay?.period?.start ? { admitted: stay.period.start } : {}),
    expected: demo.expected,
    note: demo.note,
  };
}

function conceptText(
  concept: { text?: string; coding?: { display?: string; code?: string }[] } | undefined,
): string {
  return (
    concept?.text ??
    concept?.coding?.find((c) => c.display)?.display ??
    concept?.coding?.[0]?.code ??
    'Unnamed'
  );
}

function number(value: number): string {
  return Math.abs(value) < 10 && !Number.isInteger(value)
    ? value.toFixed(2)
    : String(Math.round(value * 10) / 10);
}

function valueText(o: Observation): string | undefined {
  if (o.valueQuantity?.value !== undefined) {
    const unit = o.valueQuantity.unit ?? o.valueQuantity.code ?? '';
    // UCUM "1" is a plain ratio (FiO2 0.55): no unit to show.
    return `${number(o.valueQuantity.value)} ${unit === '1' ? '' : unit}`.trim();
  }
  if (o.valueCodeableConcept) return conceptText(o.valueCodeableConcept);
  if (typeof o.valueString === 'string') return o.valueString;
  return undefined;
}

/** The chart beside the cards: banner, current stay, problem list and latest results. */
export function buildChart(
  demo: DemoPatient,
  patient: FhirResource,
  data: {
    conditions: readonly FhirResource[];
    observations: readonly FhirResource[];
    encounters: readonly FhirResource[];
    now: Date;
  },
): ChartView {
  const row = buildPatientRow(demo, patient as Patient, data.encounters, data.now);
  const stay = currentStay(data.encounters, demo.id);
  const problems = data.conditions
    .filter((c): c is Condition => c.resourceType === 'Condition')
    .map((c) => ({
      display: conceptText(c.code),
      status: [
        conceptText(c.clinicalStatus),
        c.verificationStatus ? conceptText(c.verificationStatus) : '',
      ]
        .filter((s) => s !== '' && s !== 'Unnamed')
        .join(', '),
      ...(c.onsetDateTime
        ? { onset: c.onsetDateTime }
        : c.recordedDate
          ? { onset: c.recordedDate }
          : {}),
    }));
  const seen = new Set<string>();
  const latest: ChartResult[] = [];
  const observations = data.observations
    .filter((o): o is Observation => o.resourceType === 'Observation')
    .filter((o) => typeof o.effectiveDateTime === 'string')
    .sort(
      (a, b) =>
        Date.parse(b.effectiveDateTime as string) - Date.parse(a.effectiveDateTime as string),
    );
  for (const o of observations) {
    const label = conceptText(o.code);
    const value = valueText(o);
    if (value === undefined || seen.has(label)) continue;
    seen.add(label);
    latest.push({ label, value, time: o.effectiveDateTime as string });
    if (latest.length >= 10) break;
  }
  return {
    patient: row,
    ...(stay?.period?.start
      ? { stay: { type: conceptText(stay.type?.[0]), start: stay.period.start } }
      : {}),
    problems,
    latest,
  };
}
