import { classify, groupStatus, summarize } from './classify';
import {
  readAllergies,
  readConditions,
  readProcedures,
  readVentilatorDeviceUse,
} from './clinical-facts';
import { compileValueSets, type CompiledValueSets } from './codes';
import type { ScreeningConfig } from './config-types';
import { evaluateExclusions } from './exclusion-criteria';
import { evaluateAge, evaluateRespiratoryFailure } from './inclusion-criteria';
import { readObservations } from './observations';
import { sortByType } from './resource-index';
import { evaluateBloodGasCriteria } from './blood-gas-screen';
import { referenceOf } from './resource-ref';
import { DAY_MS, parseFhirTime, toIso } from './time';
import type {
  CriterionResult,
  DataAvailability,
  ReintubationSummary,
  ScreeningResult,
  SearchedResourceType,
} from './types';
import { GROUP_MEMBER_IDS } from './types';
import { buildEpisodes, collectVentilationEvidence, type Reintubation } from './ventilation';
import {
  decideOnConfirmed,
  evaluateInvasiveVentilation,
  readingDoubts,
  evaluateProlongedWeaning,
  evaluateRepeatedWeaningFailure,
} from './ventilation-criteria';

/** Configuration compiled once (value sets indexed) and reused for every patient. */
export interface PreparedScreening {
  config: ScreeningConfig;
  valueSets: CompiledValueSets;
}

export interface EvaluationInput {
  /** FHIR R4 resources of one patient. Unknown types and malformed entries are ignored. */
  resources: readonly unknown[];
  /** Evaluation time, ISO 8601 with offset. Never read from the clock here. */
  now: string;
  /**
   * Which searches were done; a type not listed counts as unavailable. Resources that are given
   * are always used: availability only decides whether the absence of a finding is `not-met`
   * (searched) or `unknown` (could not look).
   */
  availability: DataAvailability;
}

/** Compiles a configuration for {@link evaluatePatient}. */
export function prepareScreening(config: ScreeningConfig): PreparedScreening {
  return { config, valueSets: compileValueSets(config) };
}

function summarizeReintubation(r: Reintubation): ReintubationSummary {
  return {
    extubation: toIso(r.extubation.time),
    extubationReference: r.extubation.reference,
    reintubation: toIso(r.time),
    reintubationReference: r.reference,
  };
}

/**
 * Screens one patient against the STELLAR criteria. Pure and total: malformed or missing data
 * give `unknown` verdicts, never an exception.
 */
export function evaluatePatient(
  prepared: PreparedScreening,
  input: EvaluationInput,
): ScreeningResult {
  const parsedNow = parseFhirTime(input.now);
  if (!parsedNow?.hasTime)
    throw new RangeError(`now must be an ISO 8601 instant, got "${input.now}"`);
  const now = parsedNow.start;
  const { criteria: params } = prepared.config;
  const valueSets = prepared.valueSets;
  const searched = (t: SearchedResourceType) => input.availability[t] === 'searched';

  const byType = sortByType(input.resources);
  const patient = byType.Patient[0];
  const observations = readObservations(byType.Observation, valueSets, params);
  const conditions = readConditions(byType.Condition, valueSets);
  const procedures = readProcedures(byType.Procedure, valueSets);
  const devices = readVentilatorDeviceUse(byType.DeviceUseStatement, byType.Device, valueSets);

  // Ventilation episodes, on the literal and on the confirmed reading of the record.
  const extubations = procedures.extubation
    .filter((p): p is typeof p & { start: number } => p.start !== undefined)
    .map((p) => ({ time: p.start, reference: p.reference }));
  const evidence = collectVentilationEvidence(
    procedures,
    devices,
    observations.ventilatorSettings,
    extubations,
    now,
  );
  const episodesAsCharted = buildEpisodes(
    evidence,
    extubations,
    now,
    params.ventilation,
    'as-charted',
  );
  const episodes = params.ventilation.requireCorroboration
    ? buildEpisodes(evidence, extubations, now, params.ventilation, 'confirmed')
    : episodesAsCharted;
  const doubts = readingDoubts(episodesAsCharted, evidence);
  const ventilationSearched = searched('Procedure') && searched('Observation');

  const bloodGas = evaluateBloodGasCriteria(observations, params, now, searched('Observation'));

  const weaningInputs = {
    episodes,
    procedures,
    coded: observations.coded,
    now,
    params: params.weaning,
  };
  const asChartedInputs = { ...weaningInputs, episodes: episodesAsCharted };
  const prolonged = decideOnConfirmed(
    evaluateProlongedWeaning(weaningInputs),
    evaluateProlongedWeaning(asChartedInputs),
    doubts,
  );
  if (prolonged.status === 'not-met' && !ventilationSearched) {
    prolonged.status = 'unknown';
    prolonged.reason += ' (ventilation data incomplete)';
  }
  const members: CriterionResult[] = [
    ...bloodGas,
    {
      id: 'no-other-option',
      kind: 'inclusion',
      group: 'physiology-or-weaning',
      status: 'unknown',
      reason: 'No other treatment option except lung transplantation (not a candidate): confirm',
      evidence: [],
      confirmAtBedside: true,
    },
    decideOnConfirmed(
      evaluateRepeatedWeaningFailure(weaningInputs),
      evaluateRepeatedWeaningFailure(asChartedInputs),
      doubts,
    ),
    prolonged,
  ];
  const group: CriterionResult = {
    id: 'physiology-or-weaning',
    kind: 'inclusion',
    status: groupStatus(members),
    reason: '',
    evidence: [],
    members: [...GROUP_MEMBER_IDS],
  };
  const metMembers = members.filter((m) => m.status === 'met').map((m) => m.id);
  group.reason =
    group.status === 'met'
      ? `At least one met: ${metMembers.join(', ')}`
      : group.status === 'not-met'
        ? 'None of the physiology or weaning criteria is met'
        : 'None met yet; some could not be decided';

  const inclusions: CriterionResult[] = [
    evaluateAge(patient, now, params),
    evaluateRespiratoryFailure(conditions['respiratory-failure'], bloodGas),
    decideOnConfirmed(
      evaluateInvasiveVentilation(episodes, ventilationSearched, now, params.ventilation),
      evaluateInvasiveVentilation(episodesAsCharted, ventilationSearched, now, params.ventilation),
      doubts,
    ),
    group,
    ...members,
  ];
  const exclusions = evaluateExclusions({
    conditions,
    transplants: procedures['stem-cell-transplant'],
    coded: observations.coded,
    allergies: readAllergies(byType.AllergyIntolerance),
    valueSets,
    searched: {
      conditions: searched('Condition'),
      procedures: searched('Procedure'),
      observations: searched('Observation'),
    },
    now,
    params: params.exclusions,
  });

  const criteria = [...inclusions, ...exclusions];
  const classification = classify(criteria);
  return {
    patient: patient ? referenceOf('Patient', patient) : 'Patient/(none)',
    evaluatedAt: input.now,
    classification,
    summary: summarize(classification, criteria),
    criteria,
    ventilation: {
      episodes: episodes.map((e) => ({
        start: toIso(e.start),
        end: toIso(e.end),
        current: e.current,
        days: (e.end - e.start) / DAY_MS,
        failedExtubations: e.failedExtubations.map(summarizeReintubation),
        tubeExchanges: e.tubeExchanges.map(summarizeReintubation),
        ...(e.endedByExtubation !== undefined
          ? {
              endedByExtubation: {
                time: toIso(e.endedByExtubation.time),
                reference: e.endedByExtubation.reference,
              },
            }
          : {}),
        references: e.references,
      })),
    },
    dataAvailability: input.availability,
    ruleSet: { id: params.id, version: params.version },
  };
}
