/**
 * A FHIR R4 server for tests, the command line and the demo EHR: medplum's FHIR engine
 * (`@medplum/fhir-router` over in-memory repositories, one per patient) behind express.
 */
export { startFhirServer } from './start-fhir-server';
export type { FhirServerOptions, RunningFhirServer } from './start-fhir-server';
export { createFhirServerApp } from './fhir-app';
export type { FhirServerAppOptions } from './fhir-app';
export { createFhirStore, DEFAULT_MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from './fhir-store';
export type { FhirStore, FhirStoreOptions } from './fhir-store';
export type { LoadInput } from './load-input';
export type { RequestLogEntry } from './request-log';
export { REQUEST_LOG_LIMIT } from './request-log';
export { indexFhirDefinitions } from './fhir-definitions';
