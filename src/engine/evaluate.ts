import type {
  AllergyIntolerance,
  Condition,
  Device,
  DeviceUseStatement,
  FhirResource,
  Observation,
  Patient,
  Procedure,
} from 'fhir/r4';
import { evaluatePairedCriterion, pfRatios } from './blood-gas-criteria';
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
import { referenceOf } from './resource-ref';
import { DAY_MS, HOUR_MS, parseFhirTime, toIso } from './time';
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

type ByType = {
  Patient: Patient[];
  Observation: Observation[];
  Condition: Condition[];
  Procedure: Procedure[];
  DeviceUseStatement: DeviceUseStatement[];
  Device: Device[];
  AllergyIntolerance: AllergyIntolerance[];
};

function sortByType(resources: readonly unknown[]): ByType {
  const out: ByType = {
    Patient: [],
    Observation: [],
    Condition: [],
    Procedure: [],
    DeviceUseStatement: [],
    Device: [],
    AllergyIntolerance: [],
  };
  // The same resource may arrive twice (prefetch and a live search, a Bundle that repeats an
  // entry): counting it twice would count one failed SBT as two. Keep the latest version.
  const seen = new Map<string, Map<string, number>>(); // type -> id -> index in its list
  for (const r of resources) {
    if (!r || typeof r !== 'object') continue;
    const type = (r as FhirResource).resourceType;
    if (typeof type !== 'string' || !Object.hasOwn(out, type)) continue;
    const list = out[type as keyof ByType] as FhirResource[];
    const id = (r as { id?: unknown }).id;
    if (typeof id !== 'string') {
      list.push(r as FhirResource);
      continue;
    }
    let ids = seen.get(type);
    if (!ids) seen.set(type, (ids = new Map()));
    const earlier = ids.get(id);
    if (earlier === undefined) {
      ids.set(id, list.length);
      list.push(r as FhirResource);
    } else if (versionOf(r as FhirResource) > versionOf(list[earlier] as FhirResource)) {
      list[earlier] = r as FhirResource;
    }
  }
  return out;
}

function summarizeReintubation(r: Reintubation): ReintubationSummary {
  return {
    extubation: toIso(r.extubation.time),
    extubationReference: r.extubation.reference,
    reintubation: toIso(r.time),
    reintubationReference: r.reference,
  };
}

/** A sortable version stamp: meta.lastUpdated, else meta.versionId, else "". */
function versionOf(r: FhirResource): string {
  const meta = r.meta && typeof r.meta === 'object' ? r.meta : {};
  if (typeof meta.lastUpdated === 'string') return meta.lastUpdated;
  return typeof meta.versionId === 'string' ? meta.versionId.padStart(12, '0') : '';
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

  // Blood-gas criteria in the lookback.
  const lookback = { from: now - params.bloodGas.lookbackHours * HOUR_MS, to: now };
  const inLookback = (list: typeof observations.measurements.paco2) =>
    list.filter((m) => m.time >= lookback.from && m.time <= now).map((gas) => ({ gas }));
  // A value dated by day counts if any of its day falls in the lookback.
  const undatedIn = (element: 'pfRatio' | 'paco2' | 'ph') =>
    observations.undated.filter(
      (m) => m.element === element && m.timeEnd >= lookback.from && m.time <= now,
    );
  const { thresholds: th } = params;
  const { ratios, implausible } = pfRatios(
    observations,
    params.bloodGas,
    params.plausibility.pfRatio,
    lookback.from,
    now,
  );
  const bloodGas = [
    evaluatePairedCriterion(
      {
        id: 'pf-ratio-on-peep',
        gases: ratios,
        settings: observations.measurements.peep,
        gasQualifies: (v) => v <= th.pfRatioMax,
        settingQualifies: (v) => v >= th.peepMin,
        worse: (a, b) => a < b,
        describe: `P/F <= ${th.pfRatioMax} on PEEP >= ${th.peepMin}`,
        settingElement: 'peep',
        undated: undatedIn('pfRatio'),
        skippedElements: ['pao2', 'fio2', 'pfRatio', 'peep'],
        alsoSkipped: implausible,
      },
      observations,
      params.bloodGas,
      lookback,
    ),
    evaluatePairedCriterion(
      {
        id: 'hypercapnia-on-plateau',
        gases: inLookback(observations.measurements.paco2),
        settings: observations.measurements.plateau,
        gasQualifies: (v) => v >= th.paco2Min,
        settingQualifies: (v) => v >= th.plateauMin,
        worse: (a, b) => a > b,
        describe: `PaCO2 >= ${th.paco2Min} on plateau >= ${th.plateauMin}`,
        settingElement: 'plateau',
        skippedElements: ['paco2', 'plateau'],
        undated: undatedIn('paco2'),
      },
      observations,
      params.bloodGas,
      lookback,
    ),
    evaluatePairedCriterion(
      {
        id: 'acidosis-on-plateau',
        gases: inLookback(observations.measurements.ph),
        settings: observations.measurements.plateau,
        gasQualifies: (v) => v <= th.phMax,
        settingQualifies: (v) => v >= th.plateauMin,
        worse: (a, b) => a < b,
        describe: `pH <= ${th.phMax} on plateau >= ${th.plateauMin}`,
        settingElement: 'plateau',
        skippedElements: ['ph', 'plateau'],
        undated: undatedIn('ph'),
      },
      observations,
      params.bloodGas,
      lookback,
    ),
  ];
  if (!searched('Observation')) {
    for (const c of bloodGas) {
      if (c.status === 'not-met') {
        c.status = 'unknown';
        c.reason = 'Observations could not be obtained';
      }
    }
  }

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
