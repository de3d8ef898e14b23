import type { CodeableConcept, Coding } from 'fhir/r4';
import type {
  CodeSystemAliases,
  ScreeningConfig,
  ValueSetEntry,
  ValueSetFile,
} from './config-types';
import { textOf } from './text-of';

/** The value sets the engine reads. `src/config` fails start-up when one is missing. */
export const REQUIRED_VALUE_SETS = [
  'pao2',
  'paco2',
  'ph',
  'fio2',
  'fio2-setting',
  'pf-ratio',
  'peep',
  'plateau',
  'pregnancy-status',
  'pregnancy-status-pregnant',
  'pregnancy-status-not-pregnant',
  'hcg',
  'hcg-positive',
  'breastfeeding-status',
  'breastfeeding-yes',
  'breastfeeding-no',
  'sbt-failed',
  'sbt-attempt',
  'invasive-ventilation',
  'intubation',
  'extubation',
  'non-invasive-ventilation',
  'weaning',
  'mechanical-ventilator-device',
  'respiratory-failure',
  'severe-aplastic-anemia',
  'hematologic-malignancy',
  'stem-cell-transplant',
  'solid-cancer',
  'hiv',
  'pregnancy-condition',
] as const;

export type ValueSetId = (typeof REQUIRED_VALUE_SETS)[number];

/** The matching entry, so evidence can carry its display and note. */
export interface CodeMatch {
  coding: Coding;
  entry: ValueSetEntry;
}

interface CompiledEntries {
  /** `alias|code` (normalised) -> entry, for exact codes. */
  exact: Map<string, ValueSetEntry>;
  /** Prefix and range entries, checked one by one (there are few). */
  patterns: { alias: string; from: string; to: string; entry: ValueSetEntry }[];
}

/** A value set ready for fast matching of codings. */
export interface CompiledValueSet {
  id: string;
  title: string;
  match(coding: Coding): CodeMatch | undefined;
  /** First coding of the concept that the set includes (and does not exclude). */
  matchConcept(concept: CodeableConcept | undefined): CodeMatch | undefined;
  /** True when any coding of the concept is in the set's `reject` list. */
  rejects(concept: CodeableConcept | undefined): boolean;
  /** True when the text is one of the set's free-text answers. */
  matchesText(text: string | undefined): boolean;
}

export type CompiledValueSets = Record<ValueSetId, CompiledValueSet>;

/**
 * Normalises a code for comparison: ICD codes lose dots and case ("J96.00" = "j9600"), others
 * are compared as given (LOINC and SNOMED codes are case-sensitive identifiers).
 */
function normalizeCode(code: string, normalize: 'icd' | undefined): string {
  const trimmed = code.trim();
  return normalize === 'icd' ? trimmed.replace(/\./g, '').toUpperCase() : trimmed;
}

function buildUriIndex(systems: CodeSystemAliases): Map<string, string> {
  const index = new Map<string, string>();
  for (const [alias, { uris }] of Object.entries(systems)) {
    for (const uri of uris) index.set(uri, alias);
  }
  return index;
}

function compileEntries(entries: ValueSetEntry[] | undefined, systems: CodeSystemAliases) {
  const compiled: CompiledEntries = { exact: new Map(), patterns: [] };
  for (const entry of entries ?? []) {
    const norm = systems[entry.system]?.normalize;
    if (entry.code !== undefined) {
      compiled.exact.set(`${entry.system}|${normalizeCode(entry.code, norm)}`, entry);
    } else if (entry.prefix !== undefined) {
      const p = normalizeCode(entry.prefix, norm);
      compiled.patterns.push({ alias: entry.system, from: p, to: p, entry });
    } else if (entry.range !== undefined) {
      const [from, to] = entry.range.map((c) => normalizeCode(c, norm)) as [string, string];
      compiled.patterns.push({ alias: entry.system, from, to, entry });
    }
  }
  return compiled;
}

function lookup(compiled: CompiledEntries, alias: string, code: string): ValueSetEntry | undefined {
  const exact = compiled.exact.get(`${alias}|${code}`);
  if (exact) return exact;
  for (const p of compiled.patterns) {
    if (p.alias !== alias) continue;
    // A range C81-C96 covers every code whose first three characters sort between the bounds.
    const head = code.slice(0, p.from.length);
    const headTo = code.slice(0, p.to.length);
    if (head >= p.from && headTo <= p.to) return p.entry;
  }
  return undefined;
}

function compileValueSet(
  file: ValueSetFile,
  systems: CodeSystemAliases,
  uriIndex: Map<string, string>,
): CompiledValueSet {
  const include = compileEntries(file.include, systems);
  const exclude = compileEntries(file.exclude, systems);
  const reject = compileEntries(file.reject, systems);
  const texts = new Set((file.text ?? []).map((t) => t.trim().toLowerCase()));

  const locate = (coding: Coding): [string, string] | undefined => {
    if (!coding.system || typeof coding.code !== 'string') return undefined;
    const alias = uriIndex.get(coding.system);
    if (!alias) return undefined;
    return [alias, normalizeCode(coding.code, systems[alias]?.normalize)];
  };

  const match = (coding: Coding): CodeMatch | undefined => {
    const key = locate(coding);
    if (!key) return undefined;
    const entry = lookup(include, key[0], key[1]);
    if (!entry || lookup(exclude, key[0], key[1])) return undefined;
    // Evidence shows the display: only a string one is kept.
    const display = textOf(coding.display);
    return {
      coding: { system: coding.system, code: coding.code, ...(display ? { display } : {}) },
      entry,
    };
  };

  const matchesText = (text: string | undefined) =>
    typeof text === 'string' && texts.has(text.trim().toLowerCase());

  return {
    id: file.id,
    title: file.title,
    match,
    matchConcept(concept) {
      if (!concept || !Array.isArray(concept.coding)) return undefined;
      for (const coding of concept.coding) {
        const found = coding && typeof coding === 'object' ? match(coding) : undefined;
        if (found) return found;
      }
      return undefined;
    },
    rejects(concept) {
      if (!concept || !Array.isArray(concept.coding)) return false;
      return concept.coding.some((coding) => {
        const key = coding && typeof coding === 'object' ? locate(coding) : undefined;
        return key !== undefined && lookup(reject, key[0], key[1]) !== undefined;
      });
    },
    matchesText,
  };
}

// system -> code -> ids of the value sets that include it; two levels so a lookup builds no key.
// Bounded: a stream of made-up codes (hostile or broken input) must not grow memory for ever.
type MembershipCache = {
  size: number;
  bySystem: Map<unknown, Map<unknown, readonly ValueSetId[]>>;
};
const membershipCache = new WeakMap<CompiledValueSets, MembershipCache>();
const MAX_CACHED_CODINGS = 20_000;
const NONE: readonly ValueSetId[] = [];

function membershipOf(valueSets: CompiledValueSets, cache: MembershipCache, coding: Coding) {
  let codes = cache.bySystem.get(coding.system);
  let ids = codes?.get(coding.code);
  if (ids) return ids;
  const found = REQUIRED_VALUE_SETS.filter((id) => valueSets[id].match(coding));
  ids = found.length === 0 ? NONE : found;
  if (cache.size >= MAX_CACHED_CODINGS) {
    cache.bySystem.clear();
    cache.size = 0;
    codes = undefined;
  }
  if (!codes) cache.bySystem.set(coding.system, (codes = new Map()));
  codes.set(coding.code, ids);
  cache.size++;
  return ids;
}

/**
 * The ids of every value set that includes some coding of the concept. Memoised per distinct
 * coding, so reading 50,000 Observations costs one lookup each instead of one per value set.
 */
export function valueSetsOf(
  valueSets: CompiledValueSets,
  concept: CodeableConcept | undefined,
): readonly ValueSetId[] {
  if (!concept || !Array.isArray(concept.coding)) return NONE;
  let cache = membershipCache.get(valueSets);
  if (!cache) membershipCache.set(valueSets, (cache = { size: 0, bySystem: new Map() }));
  let out: readonly ValueSetId[] = NONE;
  for (const coding of concept.coding) {
    if (!coding || typeof coding !== 'object') continue;
    const ids = membershipOf(valueSets, cache, coding);
    if (ids.length === 0) continue;
    out = out.length === 0 ? ids : [...new Set([...out, ...ids])];
  }
  return out;
}

/** Compiles every value set of the configuration once; reuse the result across patients. */
export function compileValueSets(config: ScreeningConfig): CompiledValueSets {
  const uriIndex = buildUriIndex(config.codeSystems);
  const out: Partial<Record<ValueSetId, CompiledValueSet>> = {};
  for (const id of REQUIRED_VALUE_SETS) {
    const file = config.valueSets[id];
    // src/config validates presence at start-up; an empty set here keeps the engine total.
    out[id] = compileValueSet(file ?? { id, title: id, include: [] }, config.codeSystems, uriIndex);
  }
  return out as CompiledValueSets;
}
