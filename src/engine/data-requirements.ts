import { CONDITION_SETS, PROCEDURE_SETS } from './clinical-facts';
import type { CriteriaParameters } from './config-types';
import type { SearchedResourceType } from './types';

/** A FHIR resource type the engine reads (Device carries the type of a DeviceUseStatement). */
export type RequiredResourceType = SearchedResourceType | 'Device';

/** How far back a need reaches: a window of the rules, or the whole record. */
export type RequirementWindow = 'blood-gas' | 'pregnancy-and-lactation' | 'ventilation' | 'all';

/** One slice of a patient's record that the rules read. */
export interface DataRequirement {
  /** Stable name, used as the CDS Hooks prefetch key. */
  key: string;
  resourceType: RequiredResourceType;
  /**
   * The value sets whose codes the engine looks for in these resources; empty when every
   * resource of the type is read (Patient, Device, AllergyIntolerance).
   */
  valueSets: readonly string[];
  window: RequirementWindow;
  /** What the rules use it for, in a few words (docs and discovery). */
  purpose: string;
}

/**
 * What the engine reads, as data: the single description from which the CDS Hooks prefetch
 * templates, the live FHIR queries of the service, the SMART app and the unit-wide screener are
 * all derived, so none of them can ask for less than the rules use.
 */
export const DATA_REQUIREMENTS: readonly DataRequirement[] = [
  {
    key: 'patient',
    resourceType: 'Patient',
    valueSets: [],
    window: 'all',
    purpose: 'birth date (age)',
  },
  {
    key: 'bloodGases',
    resourceType: 'Observation',
    valueSets: ['pao2', 'paco2', 'ph', 'fio2', 'pf-ratio', 'blood-gas-panels'],
    window: 'blood-gas',
    purpose: 'PaO2, PaCO2, pH, FiO2 and charted P/F of the lookback',
  },
  {
    key: 'ventilatorSettings',
    resourceType: 'Observation',
    valueSets: ['peep', 'plateau', 'fio2-setting', 'sbt-failed', 'sbt-attempt'],
    window: 'ventilation',
    purpose: 'PEEP, plateau pressure and FiO2 settings (pairing and ventilation episodes), SBTs',
  },
  {
    key: 'pregnancyAndLactation',
    resourceType: 'Observation',
    valueSets: ['pregnancy-status', 'hcg', 'breastfeeding-status'],
    window: 'pregnancy-and-lactation',
    purpose: 'pregnancy status, hCG and breastfeeding status',
  },
  {
    key: 'conditions',
    resourceType: 'Condition',
    valueSets: CONDITION_SETS,
    window: 'all',
    purpose: 'respiratory failure and the exclusion diagnoses',
  },
  {
    key: 'procedures',
    resourceType: 'Procedure',
    valueSets: PROCEDURE_SETS,
    window: 'all',
    purpose: 'ventilation, intubation, extubation, weaning and stem-cell transplant',
  },
  {
    key: 'deviceUse',
    resourceType: 'DeviceUseStatement',
    valueSets: [],
    window: 'all',
    purpose: 'use of a mechanical ventilator',
  },
  {
    key: 'devices',
    resourceType: 'Device',
    valueSets: [],
    window: 'all',
    purpose: 'the device types behind the device use',
  },
  {
    key: 'allergies',
    resourceType: 'AllergyIntolerance',
    valueSets: [],
    window: 'all',
    purpose: 'recorded allergies, shown beside the hypersensitivity criterion',
  },
];

const HOUR = 1;
const DAY = 24 * HOUR;

/**
 * Hours before `now` that a window reaches, or undefined for the whole record. Derived from the
 * criteria so a site that widens a window widens the search with it. `ventilationHistoryDays`
 * bounds the otherwise unbounded ventilation history (null: whole record).
 */
export function requirementLookbackHours(
  window: RequirementWindow,
  criteria: CriteriaParameters,
  ventilationHistoryDays: number | null,
): number | undefined {
  switch (window) {
    case 'blood-gas': {
      const { lookbackHours, fio2BeforeHours, ventilatorSettingHours } = criteria.bloodGas;
      return lookbackHours + Math.max(fio2BeforeHours, ventilatorSettingHours);
    }
    case 'pregnancy-and-lactation': {
      const e = criteria.exclusions;
      // One more day: a result dated by day counts if any part of its day is in the window.
      return (Math.max(e.pregnancyStatusDays, e.hcgDays, e.breastfeedingDays) + 1) * DAY;
    }
    case 'ventilation':
      return ventilationHistoryDays === null
        ? undefined
        : Math.max(ventilationHistoryDays * DAY, criteria.ventilation.minimumDays * DAY + DAY);
    case 'all':
      return undefined;
  }
}

/** Value set ids named by {@link DATA_REQUIREMENTS} (the engine's and the data plan's). */
export function requiredValueSetIds(): Set<string> {
  return new Set(DATA_REQUIREMENTS.flatMap((r) => r.valueSets));
}
