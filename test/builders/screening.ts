/**
 * Runs the engine on a scenario and reads its verdicts, so tests state only the resources and
 * what they expect.
 */
import { loadScreeningConfig } from '../../src/config/load-screening-config';
import { evaluatePatient, prepareScreening } from '../../src/engine';
import type {
  CriterionId,
  CriterionResult,
  CriterionStatus,
  DataAvailability,
  Evidence,
  PreparedScreening,
  ScreeningConfig,
  ScreeningResult,
  ValueSetEntry,
} from '../../src/engine';
import { allSearched, NOW, SYSTEMS } from './fhir-builders';

let shipped: PreparedScreening | undefined;

/** The configuration as shipped in `cds-services/stellar-screening`, compiled once. */
export function shippedScreening(): PreparedScreening {
  shipped ??= prepareScreening(loadScreeningConfig());
  return shipped;
}

export interface ScreenOptions {
  now?: string;
  availability?: DataAvailability;
  prepared?: PreparedScreening;
}

/** Evaluates one patient; every search done and `now` = {@link NOW} unless told. */
export function screen(resources: readonly unknown[], o: ScreenOptions = {}): ScreeningResult {
  return evaluatePatient(o.prepared ?? shippedScreening(), {
    resources,
    now: o.now ?? NOW,
    availability: o.availability ?? allSearched,
  });
}

/** The result of one criterion; fails the test when it is missing. */
export function criterion(result: ScreeningResult, id: CriterionId): CriterionResult {
  const c = result.criteria.find((x) => x.id === id);
  if (!c) throw new Error(`criterion ${id} missing from the result`);
  return c;
}

export function statusOf(result: ScreeningResult, id: CriterionId): CriterionStatus {
  return criterion(result, id).status;
}

/** Statuses of every criterion, keyed by id. */
export function statuses(result: ScreeningResult): Record<string, CriterionStatus> {
  return Object.fromEntries(result.criteria.map((c) => [c.id, c.status]));
}

/** Evidence items citing `reference` (`Observation/<id>`...). */
export function evidenceOf(c: CriterionResult, reference: string): Evidence[] {
  return c.evidence.filter((e) => e.reference === reference);
}

/** The evidence items shown in a role, e.g. the worst qualifying pair. */
export function evidenceInRole(
  c: CriterionResult,
  role: NonNullable<Evidence['role']>,
): Evidence[] {
  return c.evidence.filter((e) => e.role === role);
}

/** Every note of every evidence item of a criterion, in one list. */
export function allNotes(c: CriterionResult): string[] {
  return c.evidence.flatMap((e) => e.notes ?? []);
}

/** A numeric evidence value in the given canonical unit among items of a role. */
export function valueInRole(
  c: CriterionResult,
  role: NonNullable<Evidence['role']>,
  unit: string,
): number | undefined {
  const e = evidenceInRole(c, role).find((x) => x.unit === unit && typeof x.value === 'number');
  return e?.value as number | undefined;
}

// ---------------------------------------------------------------------------------------------
// Site configuration variants

/** The shipped configuration, changed by `change` (a deep copy is handed to it). */
export function configuredScreening(change: (c: ScreeningConfig) => void): PreparedScreening {
  const config = structuredClone(loadScreeningConfig());
  change(config);
  return prepareScreening(config);
}

/** A site that adds its local codes (system {@link SYSTEMS.local}) to a value set. */
export function withLocalCodes(
  entries: Record<string, string[]>,
  change: (c: ScreeningConfig) => void = () => undefined,
): PreparedScreening {
  return configuredScreening((c) => {
    c.codeSystems.local = { uris: [SYSTEMS.local] };
    for (const [valueSet, codes] of Object.entries(entries)) {
      const vs = c.valueSets[valueSet];
      if (!vs) throw new Error(`no value set ${valueSet}`);
      vs.include.push(...codes.map((code): ValueSetEntry => ({ system: 'local', code })));
    }
    change(c);
  });
}
