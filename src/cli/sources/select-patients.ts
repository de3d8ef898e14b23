import type { Bundle, Group } from 'fhir/r4';
import type { ServiceDefinition } from '../../config/service-definition';
import { relativePatientReference } from '../../engine';
import { tokenList } from '../../fhir/data-plan';
import { FhirFetchError, type FhirReader } from '../../fhir/fhir-search-client';
import { InputError } from '../cli-errors';
import type { PatientSelection } from '../cli-options';
import type { SourceReporter } from './patient-source';
import { serverFailure } from './server-failure';

const HOUR_MS = 3_600_000;

/** Value sets whose procedures, in progress, mean a patient is ventilated now. */
const VENTILATION_PROCEDURES = ['invasive-ventilation'];
/** Value sets of ventilator settings: charted recently, the patient is on a ventilator. */
const VENTILATOR_SETTINGS = ['peep', 'plateau', 'fio2-setting'];

/**
 * The searches that find the patients on a ventilator now, without reading every patient:
 * ventilation procedures in progress, and ventilator settings charted within the rules' "current"
 * window (24 h by default). Codes come from the service's value sets through the data plan's
 * own code lists. A pre-filter only: the engine decides who is invasively ventilated.
 */
export function ventilatedNowSearches(definition: ServiceDefinition, nowMs: number): string[] {
  const { pageSize, observationCodeParam } = definition.dataPlan;
  const hours = definition.screening.criteria.ventilation.currentWithinHours;
  const procedures = new URLSearchParams({ status: 'in-progress' });
  const procedureCodes = tokenList(definition, VENTILATION_PROCEDURES);
  if (procedureCodes) procedures.set('code', procedureCodes);
  procedures.set('_count', String(pageSize));
  const settings = new URLSearchParams();
  const settingCodes = tokenList(definition, VENTILATOR_SETTINGS);
  if (settingCodes) settings.set(observationCodeParam, settingCodes);
  settings.set('date', `ge${new Date(nowMs - hours * HOUR_MS).toISOString()}`);
  settings.set('_count', String(pageSize));
  return [`Procedure?${procedures.toString()}`, `Observation?${settings.toString()}`];
}

/** The id of a Patient reference (relative or absolute), else undefined. */
function patientIdOf(reference: unknown): string | undefined {
  if (typeof reference !== 'string') return undefined;
  return /^Patient\/([^/]+)$/.exec(relativePatientReference(reference))?.[1];
}

/**
 * The ids of the patients to screen: those given, the active members of a Group, or the
 * patients ventilated now (distinct, sorted, every page followed).
 * @throws InputError when the server cannot be read: nothing can be screened then
 */
export async function selectPatients(
  selection: PatientSelection,
  reader: FhirReader,
  context: {
    definition: ServiceDefinition;
    baseUrl: string;
    nowMs: number;
    signal: AbortSignal;
    reporter: SourceReporter;
  },
): Promise<string[]> {
  const { baseUrl, signal } = context;
  if (selection.kind === 'patients') return selection.patientIds;
  if (selection.kind === 'group') {
    let group: Group;
    try {
      group = (await reader.read(
        `Group/${encodeURIComponent(selection.groupId)}`,
        signal,
      )) as Group;
    } catch (error) {
      if (error instanceof FhirFetchError && error.problem === 'not-found') {
        throw new InputError(`Group/${selection.groupId} was not found on ${baseUrl}`);
      }
      if (error instanceof FhirFetchError) throw serverFailure(error, baseUrl, 'reading the Group');
      throw error;
    }
    if (group?.resourceType !== 'Group') {
      throw new InputError(`Group/${selection.groupId} on ${baseUrl} is not a Group`);
    }
    const ids = (Array.isArray(group.member) ? group.member : [])
      .filter((m) => m?.inactive !== true)
      .map((m) => patientIdOf(m?.entity?.reference))
      .filter((id): id is string => id !== undefined);
    return [...new Set(ids)];
  }
  const ids = new Set<string>();
  for (const search of ventilatedNowSearches(context.definition, context.nowMs)) {
    try {
      for await (const page of reader.pages(search, signal)) {
        for (const entry of (page as Bundle).entry ?? []) {
          const r = entry?.resource as { subject?: { reference?: unknown } } | undefined;
          const id = patientIdOf(r?.subject?.reference);
          if (id !== undefined) ids.add(id);
        }
        context.reporter.progress({
          phase: 'finding ventilated patients',
          done: ids.size,
          unit: 'patients',
        });
      }
    } catch (error) {
      if (error instanceof FhirFetchError) {
        throw serverFailure(error, baseUrl, 'searching for ventilated patients');
      }
      throw error;
    }
  }
  return [...ids].sort();
}
