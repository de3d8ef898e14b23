/**
 * Shape of the screening configuration. The data live in `cds-services/stellar-screening/`
 * (`criteria.json`, `code-systems.json`, `value-sets/*.json`); `src/config` reads and validates
 * them, and the engine receives them already loaded, so it never touches a file.
 */

/** A [min, max] inclusive range of plausible values in the canonical unit. */
export type Range = [number, number];

export interface CriteriaParameters {
  /** Identifies this rule set in results ("stellar-screening"). */
  id: string;
  /** Bumped whenever a site changes a number or a code list. */
  version: string;
  /** IANA time zone used for the calendar date of `now` (age). */
  timeZone: string;
  age: { min: number; max: number };
  bloodGas: {
    /** Blood gases at or after `now - lookbackHours` (and not after `now`) are screened. */
    lookbackHours: number;
    /** Latest FiO2 at or before the PaO2 within this many hours... */
    fio2BeforeHours: number;
    /** ...else the earliest FiO2 within this many minutes after it. */
    fio2AfterMinutes: number;
    /** PEEP / plateau closest in time to the blood gas within +/- this many hours. */
    ventilatorSettingHours: number;
  };
  thresholds: {
    pfRatioMax: number;
    peepMin: number;
    paco2Min: number;
    plateauMin: number;
    phMax: number;
  };
  /** Values outside these ranges (canonical units) are skipped with a data-quality note. */
  plausibility: {
    pao2: Range;
    paco2: Range;
    fio2: Range;
    pfRatio: Range;
    peep: Range;
    plateau: Range;
    ph: Range;
  };
  ventilation: {
    /** Evidence points at most this many hours apart belong to one episode. */
    episodeGapHours: number;
    /** Reintubation within this many hours of an extubation makes it a failed extubation. */
    reintubationWindowHours: number;
    /** The patient is "in an episode now" when its last evidence is this recent. */
    currentWithinHours: number;
    minimumDays: number;
    /**
     * Ventilator observations charted this many minutes after an extubation are read as charting
     * lag of the ended episode, not as reintubation. (Not in the rules document: see README.)
     */
    extubationChartingGraceMinutes: number;
    /**
     * A reintubation this many minutes after an extubation is a tube exchange, not a failed
     * extubation. (Not in the rules document: see README.)
     */
    tubeExchangeMinutes: number;
    /**
     * Meet ventilation criteria only on what the record confirms; where only the literal reading
     * of the rules meets them, answer `unknown`. False: the rules document read literally.
     */
    requireCorroboration: boolean;
  };
  weaning: {
    failedAttemptsMin: number;
    prolongedDays: number;
  };
  exclusions: {
    solidCancerYears: number;
    pregnancyStatusDays: number;
    hcgDays: number;
    breastfeedingDays: number;
  };
}

/** One entry of a value set file. Exactly one of `code`, `prefix`, `range` is set. */
export interface ValueSetEntry {
  /** Alias from `code-systems.json` ("loinc", "snomed", "icd10", ...). */
  system: string;
  code?: string;
  /** Every code that starts with this (dots and case ignored for ICD systems). */
  prefix?: string;
  /** Every code that starts with anything from `range[0]` to `range[1]` (e.g. C81-C96). */
  range?: [string, string];
  display?: string;
  /** Copied into the evidence when this entry matched ("specimen unspecified"). */
  note?: string;
}

export interface ValueSetFile {
  id: string;
  title: string;
  include: ValueSetEntry[];
  /** Codes that never match, even when an include entry covers them (D61.81x in D61.x). */
  exclude?: ValueSetEntry[];
  /**
   * Observations carrying any of these codings are rejected outright (capillary and venous
   * blood gases; plateau 20103-8).
   */
  reject?: ValueSetEntry[];
  /**
   * Free-text answers that mean the same as the codes (CodeableConcept.text, valueString),
   * compared whole, trimmed and case-insensitively ("currently breastfeeding").
   */
  text?: string[];
}

/** Alias -> the system URIs that mean it (ICD-10-CM and WHO ICD-10 share an alias, say). */
export type CodeSystemAliases = Record<string, { uris: string[]; normalize?: 'icd' }>;

export interface ScreeningConfig {
  criteria: CriteriaParameters;
  codeSystems: CodeSystemAliases;
  valueSets: Record<string, ValueSetFile>;
}
