/**
 * Public types of the STELLAR eligibility engine.
 *
 * The rules these types carry are in `shared/STELLAR-screening-rules.md`; criterion ids and
 * statuses are stable and appear in JSON output, cards and tests.
 */

/** Verdict of one criterion. */
export type CriterionStatus = 'met' | 'not-met' | 'unknown';

/** Classification of the patient as a whole. */
export type Classification = 'likely' | 'possible' | 'not-eligible' | 'insufficient-data';

/** The classifications that make a patient a candidate for review (and may get a card). */
export type CandidateClassification = Extract<Classification, 'likely' | 'possible'>;

export const INCLUSION_IDS = [
  'age',
  'respiratory-failure',
  'invasive-ventilation-7d',
  'physiology-or-weaning',
  'pf-ratio-on-peep',
  'hypercapnia-on-plateau',
  'acidosis-on-plateau',
  'no-other-option',
  'repeated-weaning-failure',
  'prolonged-weaning',
] as const;

export const EXCLUSION_IDS = [
  'severe-aplastic-anemia',
  'hematologic-malignancy-or-stem-cell',
  'solid-cancer',
  'hiv',
  'life-expectancy-under-3-months',
  'pregnancy-or-breastfeeding',
  'hypersensitivity',
] as const;

export const GROUP_MEMBER_IDS = [
  'pf-ratio-on-peep',
  'hypercapnia-on-plateau',
  'acidosis-on-plateau',
  'no-other-option',
  'repeated-weaning-failure',
  'prolonged-weaning',
] as const;

export type InclusionId = (typeof INCLUSION_IDS)[number];
export type ExclusionId = (typeof EXCLUSION_IDS)[number];
export type CriterionId = InclusionId | ExclusionId;

/** One fact behind a verdict: what was seen, when, and where it came from. */
export interface Evidence {
  /** What this is, e.g. "P/F ratio", "PEEP", "Condition". */
  label: string;
  /** Value in canonical unit, unrounded (numbers), or a code/text (strings). */
  value?: number | string;
  /** Canonical unit: "mm[Hg]", "cm[H2O]", "%", "[pH]", "a" (years), "d" (days). */
  unit?: string;
  /** ISO 8601 instant (or the date as given for conditions). */
  time?: string;
  /** `ResourceType/id` of the source resource. */
  reference?: string;
  /** Data-quality and context notes: "specimen unspecified", "implausible value skipped", ... */
  notes?: string[];
  /**
   * Why this item is shown: the worst qualifying and the most recent pair of a blood-gas
   * criterion, an unpaired value that would qualify, or a value skipped for data quality.
   */
  role?: 'worst-qualifying' | 'worst-pair' | 'most-recent' | 'unpaired-qualifying' | 'skipped';
}

export interface CriterionResult {
  id: CriterionId;
  kind: 'inclusion' | 'exclusion';
  status: CriterionStatus;
  /** One line a clinician can read. */
  reason: string;
  evidence: Evidence[];
  /** Set on the members of the "at least one of" group. */
  group?: 'physiology-or-weaning';
  /** Set on the group itself: the ids of its members. */
  members?: CriterionId[];
  /** True when a person must confirm this at the bedside (never computable, or unconfirmed). */
  confirmAtBedside?: boolean;
}

/** A FHIR resource type whose search could, or could not, be done. */
export type SearchedResourceType =
  | 'Patient'
  | 'Observation'
  | 'Condition'
  | 'Procedure'
  | 'Encounter'
  | 'DeviceUseStatement'
  | 'AllergyIntolerance';

/**
 * Which data were searched and which could not be obtained. A type that is not listed counts as
 * `unavailable`, so "no finding" (searched, nothing found) and "could not look" stay apart.
 */
export type DataAvailability = Partial<Record<SearchedResourceType, 'searched' | 'unavailable'>>;

/** Every search done: a Bundle or export that is the whole record, or a full set of queries. */
export const ALL_SEARCHED: Readonly<DataAvailability> = Object.freeze({
  Patient: 'searched',
  Observation: 'searched',
  Condition: 'searched',
  Procedure: 'searched',
  Encounter: 'searched',
  DeviceUseStatement: 'searched',
  AllergyIntolerance: 'searched',
});

/** An extubation and the reintubation that followed it, as ISO instants and references. */
export interface ReintubationSummary {
  extubation: string;
  extubationReference: string;
  reintubation: string;
  reintubationReference: string;
}

export interface VentilationEpisode {
  /** ISO instant of the first invasive evidence. */
  start: string;
  /** ISO instant of the last evidence, of the final extubation, or `now` when ongoing. */
  end: string;
  /** True when the patient is in this episode at `now`. */
  current: boolean;
  /** Whole and fractional days from start to end. */
  days: number;
  /** Extubations followed by reintubation within the configured window. */
  failedExtubations: ReintubationSummary[];
  /** Extubation and reintubation minutes apart: a tube exchange, not a weaning attempt. */
  tubeExchanges: ReintubationSummary[];
  /** The extubation that ended the episode, if any. */
  endedByExtubation?: { time: string; reference: string };
  /** References of the resources that make up the episode (deduplicated, at most a few dozen). */
  references: string[];
}

export interface ScreeningResult {
  /** `Patient/<id>`; the engine reports no names or identifiers. */
  patient: string;
  /** The evaluation time as given (ISO 8601). */
  evaluatedAt: string;
  classification: Classification;
  /** One line: why this classification. */
  summary: string;
  /** Every criterion, inclusions first, in the order of the ids above. */
  criteria: CriterionResult[];
  /**
   * Ventilation episodes as the record confirms them (see README: an intubation with no later
   * extubation lasts only as long as other evidence follows it; charting alone after an
   * extubation is not a reintubation).
   */
  ventilation: { episodes: VentilationEpisode[] };
  /** What the evaluation could and could not see. */
  dataAvailability: DataAvailability;
  /** Identifies the rule set and configuration that produced this result. */
  ruleSet: { id: string; version: string };
}
