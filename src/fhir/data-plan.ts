import type { ServiceDefinition } from '../config/service-definition';
import {
  DATA_REQUIREMENTS,
  requirementLookbackHours,
  type RequiredResourceType,
} from '../engine/data-requirements';

/**
 * The placeholder CDS Hooks clients replace with the patient's id. Prefetch templates use it;
 * live queries put the id itself in its place.
 */
export const PATIENT_ID_TOKEN = '{{context.patientId}}';

/** One FHIR query of the plan. */
export interface PlannedQuery {
  /** Prefetch key, from the engine's data requirements. */
  key: string;
  resourceType: RequiredResourceType;
  /** Search parameters besides the patient, `_count` and any date (in order). */
  params: [string, string][];
  /**
   * Live fetch only: the date search parameter and how many hours before `now` it reaches.
   * Absent: the whole record.
   */
  lookback?: { param: string; hours: number };
  purpose: string;
}

/** Which FHIR queries gather what the engine reads, for one service definition. */
export interface DataPlan {
  queries: PlannedQuery[];
  pageSize: number;
}

/** Date search parameter of each searched type that can be cut by time. */
const DATE_PARAM: Partial<Record<RequiredResourceType, string>> = {
  Observation: 'date',
  Procedure: 'date',
};

/**
 * The token search value for a set of value sets (`system|code,...`), or undefined when a set
 * holds prefixes or ranges (ICD code families) that a token search cannot express: the query
 * then reads every resource of the type and the engine does the matching. Shared by the data
 * plan and the screener's search for ventilated patients, so both ask for the same codes.
 */
export function tokenList(
  definition: ServiceDefinition,
  valueSetIds: readonly string[],
): string | undefined {
  const { valueSets, codeSystems } = definition.screening;
  const tokens = new Set<string>();
  for (const id of valueSetIds) {
    const set = valueSets[id];
    if (!set) continue; // checked at start-up; optional site sets may be absent
    for (const entry of set.include) {
      if (entry.code === undefined) return undefined;
      const uri = codeSystems[entry.system]?.uris[0];
      if (uri === undefined) return undefined;
      tokens.add(`${uri}|${entry.code}`);
    }
  }
  return [...tokens].join(',');
}

/**
 * Every code (of any system) that the value sets of the plan's queries for one resource type
 * list, or undefined when the type is read whole or a set holds prefixes or ranges. For a
 * reader that holds a whole record and filters it the way the plan's searches would (a Bulk Data
 * export): a resource none of whose codings carries one of these codes is one the searches would
 * not return and the engine would not read. Systems are left out on purpose, so a record that
 * writes LOINC as `urn:oid:2.16.840.1.113883.6.1` still passes; the engine checks the system.
 */
export function planCodes(
  definition: ServiceDefinition,
  resourceType: RequiredResourceType,
): ReadonlySet<string> | undefined {
  const needs = DATA_REQUIREMENTS.filter((r) => r.resourceType === resourceType);
  if (needs.length === 0 || needs.some((r) => r.valueSets.length === 0)) return undefined;
  const codes = new Set<string>();
  for (const id of needs.flatMap((r) => r.valueSets)) {
    const set = definition.screening.valueSets[id];
    for (const entry of set?.include ?? []) {
      // Families of codes, and systems compared loosely (ICD: case and dots), are not exact text.
      const loose = definition.screening.codeSystems[entry.system]?.normalize !== undefined;
      if (entry.code === undefined || loose) return undefined;
      codes.add(entry.code);
    }
  }
  return codes;
}

/**
 * Builds the data plan from the engine's data requirements and a service definition: one query
 * per requirement, code-filtered where the value sets allow it.
 */
export function buildDataPlan(definition: ServiceDefinition): DataPlan {
  const { dataPlan } = definition;
  const queries: PlannedQuery[] = [];
  for (const need of DATA_REQUIREMENTS) {
    const params: [string, string][] = [];
    if (need.valueSets.length > 0) {
      const codes = tokenList(definition, need.valueSets);
      const param = need.resourceType === 'Observation' ? dataPlan.observationCodeParam : 'code';
      if (codes === '') continue; // a site-configured set left empty: nothing to ask for
      if (codes !== undefined) params.push([param, codes]);
    }
    const hours = requirementLookbackHours(
      need.window,
      definition.screening.criteria,
      dataPlan.ventilationHistoryDays,
    );
    const dateParam = DATE_PARAM[need.resourceType];
    queries.push({
      key: need.key,
      resourceType: need.resourceType,
      params,
      ...(hours !== undefined && dateParam !== undefined
        ? { lookback: { param: dateParam, hours } }
        : {}),
      purpose: need.purpose,
    });
  }
  return { queries, pageSize: dataPlan.pageSize };
}

function searchUrl(query: PlannedQuery, patientId: string, pageSize: number, date?: string) {
  const search = new URLSearchParams();
  search.set('patient', patientId);
  for (const [name, value] of query.params) search.append(name, value);
  if (date !== undefined && query.lookback) search.append(query.lookback.param, `ge${date}`);
  search.set('_count', String(pageSize));
  return `${query.resourceType}?${search.toString()}`;
}

/**
 * The CDS Hooks 2.0 prefetch templates of a plan (key -> relative FHIR URL). STU2 has no date
 * tokens, so the templates carry no time window; the token itself is left unencoded for the
 * client to replace.
 * @see https://cds-hooks.hl7.org/2.0/#prefetch-template
 */
export function prefetchTemplates(plan: DataPlan): Record<string, string> {
  const encodedToken = encodeURIComponent(PATIENT_ID_TOKEN);
  const templates: Record<string, string> = {};
  for (const q of plan.queries) {
    templates[q.key] =
      q.resourceType === 'Patient'
        ? `Patient/${PATIENT_ID_TOKEN}`
        : searchUrl(q, PATIENT_ID_TOKEN, plan.pageSize).replace(encodedToken, PATIENT_ID_TOKEN);
  }
  return templates;
}

/**
 * The relative URL of a query for one patient, as the service or the screener runs it live:
 * the template with the id filled in and, where the query has a lookback, a date bound from
 * `now` (milliseconds).
 */
export function liveQueryUrl(
  query: PlannedQuery,
  patientId: string,
  pageSize: number,
  now: number,
): string {
  if (query.resourceType === 'Patient') return `Patient/${encodeURIComponent(patientId)}`;
  const from = query.lookback
    ? new Date(now - query.lookback.hours * 3_600_000).toISOString()
    : undefined;
  return searchUrl(query, patientId, pageSize, from);
}
