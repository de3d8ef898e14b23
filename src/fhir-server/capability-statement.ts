import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4';
import { knownResourceTypes, searchParametersOf } from './fhir-definitions';
import { SUPPORTED_OPERATORS } from './search-request-check';

/** The interactions every resource type supports here. */
const INTERACTIONS: CapabilityStatementRestResource['interaction'] = [
  { code: 'read' },
  { code: 'vread' },
  { code: 'history-instance' },
  { code: 'search-type' },
  { code: 'create' },
  { code: 'update' },
  { code: 'delete' },
];

const SEARCH_RESULT_PARAMS = ['_count', '_offset', '_sort', '_total', '_summary'];

let resources: CapabilityStatementRestResource[] | undefined;

/** Every resource type with the search parameters this server evaluates (built once). */
function restResources(): CapabilityStatementRestResource[] {
  resources ??= knownResourceTypes().map((type) => ({
    type,
    interaction: INTERACTIONS,
    versioning: 'versioned',
    readHistory: true,
    updateCreate: true,
    searchParam: Object.entries(searchParametersOf(type))
      .filter(([, p]) => p.type !== undefined && SUPPORTED_OPERATORS[p.type] !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, p]) => ({
        name,
        type: p.type as 'token' | 'reference' | 'string' | 'uri' | 'date',
        ...(p.url ? { definition: p.url } : {}),
      })),
  }));
  return resources;
}

/**
 * The server's CapabilityStatement (`GET [base]/metadata`): FHIR 4.0.1, JSON, every R4 resource
 * type with the search parameters this server evaluates. Clients read it before searching:
 * fhirclient's `client.patient.request` looks up which parameter links each type to a patient.
 * @see https://hl7.org/fhir/R4/capabilitystatement.html
 */
export function buildCapabilityStatement(baseUrl: string, date: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    kind: 'instance',
    software: { name: 'STELLAR test FHIR server (medplum fhir-router 4.5.2, in memory)' },
    implementation: { description: 'In-memory FHIR R4 server for tests and demos', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        documentation:
          `Searches page with _offset; results parameters: ${SEARCH_RESULT_PARAMS.join(', ')}. ` +
          'Not supported: _include, _revinclude, chained and _has parameters, number and ' +
          'quantity parameters, :in/:below/:above/:exact/:text modifiers (400). String ' +
          'parameters match as a case-insensitive "contains" (FHIR: "starts with").',
        resource: restResources(),
      },
    ],
  };
}
