import type { Coding } from 'fhir/r4';
import type { DataPlan, PlannedQuery } from '../fhir/data-plan';

/**
 * What a FHIR server would answer to a planned query over one patient's record, computed from
 * the query's own parameters (resource type, `code` token list, date lower bound): for tests
 * ("does the plan fetch everything the rules read?") and example hook requests, without a server.
 */
export function selectByQuery(
  resources: readonly Record<string, unknown>[],
  query: PlannedQuery,
  since?: number,
): Record<string, unknown>[] {
  const codes = query.params.find(([name]) => name === 'code' || name === 'combo-code');
  const tokens = codes ? new Set(codes[1].split(',')) : undefined;
  const withComponents = codes?.[0] === 'combo-code';
  return resources.filter((r) => {
    if (r.resourceType !== query.resourceType) return false;
    if (tokens) {
      const codings = [
        ...(((r.code as { coding?: Coding[] } | undefined)?.coding ?? []) as Coding[]),
        ...(withComponents
          ? ((r.component as { code?: { coding?: Coding[] } }[] | undefined) ?? []).flatMap(
              (c) => c.code?.coding ?? [],
            )
          : []),
      ];
      if (!codings.some((c) => tokens.has(`${c.system}|${c.code}`))) return false;
    }
    if (since !== undefined && query.lookback) {
      const t = timeOf(r);
      // A server compares the resource's own date; a resource with none does not match ge.
      if (t === undefined || t < since) return false;
    }
    return true;
  });
}

function timeOf(r: Record<string, unknown>): number | undefined {
  const period = r.effectivePeriod as { start?: string; end?: string } | undefined;
  const performed = r.performedPeriod as { start?: string; end?: string } | undefined;
  const text =
    (r.effectiveDateTime as string | undefined) ??
    period?.end ??
    period?.start ??
    (r.effectiveInstant as string | undefined) ??
    (r.performedDateTime as string | undefined) ??
    performed?.end ??
    performed?.start;
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The prefetch an EHR would send for a patient's record: each query of the plan answered from
 * the record (the Patient itself, a searchset Bundle for each search).
 */
export function prefetchFromRecord(
  resources: readonly Record<string, unknown>[],
  plan: DataPlan,
): Record<string, unknown> {
  const prefetch: Record<string, unknown> = {};
  for (const q of plan.queries) {
    const selected = selectByQuery(resources, q);
    prefetch[q.key] =
      q.resourceType === 'Patient'
        ? (selected[0] ?? null)
        : {
            resourceType: 'Bundle',
            type: 'searchset',
            total: selected.length,
            entry: selected.map((resource) => ({ resource })),
          };
  }
  return prefetch;
}
