import type { Coding } from 'fhir/r4';
import type { PlannedQuery } from '../../src/fhir/data-plan';

/**
 * What a FHIR server would answer to a planned query, computed in the test from the query's own
 * parameters (resource type, patient, `code` token list, date lower bound), so a test can ask
 * "does the plan fetch everything the rules read?" without a server.
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
