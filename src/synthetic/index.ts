/**
 * Seeded synthetic FHIR R4 records of ventilated ICU patients for the STELLAR screen: one
 * scenario per verdict path, at any size from a few dozen to hundreds of thousands of
 * Observations. Deterministic: the same options always give the same bytes.
 */
export { generatePatient, DEFAULT_OBSERVATION_TARGET, FULL_URL_BASE } from './generate-patient';
export type { GenerateOptions } from './generate-patient';
export { generateCensus } from './generate-census';
export type { CensusOptions } from './generate-census';
export { bundleToNdjson } from './ndjson';
export { SCENARIOS, isScenarioName } from './scenarios';
export type { ScenarioInfo, ScenarioName } from './scenarios';
export { UNIT_STYLES } from './units';
export type { UnitStyle } from './units';
