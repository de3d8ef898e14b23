/**
 * The STELLAR eligibility engine: FHIR R4 resources in, criteria with evidence and a
 * classification out. Pure (no I/O, no clock, no logging), so it runs unchanged in Node and in
 * the browser. Rules: `shared/STELLAR-screening-rules.md`.
 */
export { evaluatePatient, prepareScreening } from './evaluate';
export type { EvaluationInput, PreparedScreening } from './evaluate';
export {
  groupResourcesByPatient,
  isPlacedWithItsUse,
  patientReference,
  relativePatientReference,
  usedDeviceReference,
} from './patient-grouping';
export type { PatientResources } from './patient-grouping';
export { REQUIRED_VALUE_SETS } from './codes';
export type * from './types';
export type * from './config-types';
export { ALL_SEARCHED, INCLUSION_IDS, EXCLUSION_IDS, GROUP_MEMBER_IDS } from './types';
