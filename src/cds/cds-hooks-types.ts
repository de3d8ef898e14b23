/**
 * CDS Hooks 2.0 (STU2, 2.0.1) types: the one place the protocol's shapes live, pinned to the
 * published specification rather than to any vendor's reading of it (the indicator is
 * `info | warning | critical`; there is no `hard-stop`).
 * @see https://cds-hooks.hl7.org/2.0/
 */
import type { FhirResource } from 'fhir/r4';

/** @see https://cds-hooks.hl7.org/2.0/#coding */
export interface CdsCoding {
  code: string;
  system?: string;
  display?: string;
}

/** @see https://cds-hooks.hl7.org/2.0/#response (discovery) */
export interface CdsServiceDescription {
  hook: string;
  title?: string;
  description: string;
  id: string;
  prefetch?: Record<string, string>;
  usageRequirements?: string;
}

export interface CdsDiscoveryResponse {
  services: CdsServiceDescription[];
}

/** @see https://cds-hooks.hl7.org/2.0/#fhir-resource-access */
export interface FhirAuthorization {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  subject: string;
  patient?: string;
}

/** @see https://cds-hooks.hl7.org/2.0/#http-request-1 */
export interface CdsHookRequest {
  hook: string;
  hookInstance: string;
  fhirServer?: string;
  fhirAuthorization?: FhirAuthorization;
  context: Record<string, unknown>;
  prefetch?: Record<string, unknown>;
}

/** Context of `patient-view` and `encounter-start`: the patient is what this service needs. */
export interface PatientContext {
  userId?: string;
  patientId: string;
  encounterId?: string;
}

/** @see https://cds-hooks.hl7.org/2.0/#source */
export interface CdsSource {
  label: string;
  url?: string;
  icon?: string;
  topic?: CdsCoding;
}

/** @see https://cds-hooks.hl7.org/2.0/#action */
export interface CdsAction {
  type: 'create' | 'update' | 'delete';
  description: string;
  resource?: FhirResource;
  resourceId?: string;
}

/** @see https://cds-hooks.hl7.org/2.0/#suggestion */
export interface CdsSuggestion {
  label: string;
  uuid?: string;
  isRecommended?: boolean;
  actions?: CdsAction[];
}

/** @see https://cds-hooks.hl7.org/2.0/#link */
export interface CdsLink {
  label: string;
  url: string;
  type: 'absolute' | 'smart';
  appContext?: string;
}

/** @see https://cds-hooks.hl7.org/2.0/#card-attributes */
export interface CdsCard {
  uuid?: string;
  summary: string;
  detail?: string;
  indicator: 'info' | 'warning' | 'critical';
  source: CdsSource;
  suggestions?: CdsSuggestion[];
  selectionBehavior?: 'at-most-one' | 'any';
  overrideReasons?: CdsCoding[];
  links?: CdsLink[];
}

/** @see https://cds-hooks.hl7.org/2.0/#cds-service-response */
export interface CdsServiceResponse {
  cards: CdsCard[];
  systemActions?: CdsAction[];
}

/** @see https://cds-hooks.hl7.org/2.0/#feedback */
export interface CdsFeedbackItem {
  card: string;
  outcome: 'accepted' | 'overridden';
  acceptedSuggestions?: { id: string }[];
  overrideReason?: { reason?: CdsCoding; userComment?: string };
  outcomeTimestamp: string;
}

export interface CdsFeedbackRequest {
  feedback: CdsFeedbackItem[];
}
