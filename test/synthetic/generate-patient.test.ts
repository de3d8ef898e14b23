import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Condition, Procedure } from 'fhir/r4';
import { generatePatient, SCENARIOS, type GenerateOptions } from '../../src/synthetic';
import { datesIn, resourcesOf } from './bundle-helpers';

const NOW = '2026-03-01T08:00:00Z';
const base: GenerateOptions = { seed: 7, scenario: 'likely-ards', now: NOW };

const VALUE_SET_DIR = join(__dirname, '../../cds-services/stellar-screening/value-sets');
interface Entry {
  system: string;
  code?: string;
  prefix?: string;
  range?: [string, string];
}
const valueSets = new Map<string, { include: Entry[]; exclude?: Entry[]; reject?: Entry[] }>(
  readdirSync(VALUE_SET_DIR).map((f) => {
    const vs = JSON.parse(readFileSync(join(VALUE_SET_DIR, f), 'utf8'));
    return [vs.id, vs];
  }),
);
const SYSTEMS: Record<string, string> = {
  'http://loinc.org': 'loinc',
  'http://snomed.info/sct': 'snomed',
  'http://hl7.org/fhir/sid/icd-10-cm': 'icd10',
};

/** A small reading of the value-set file format (exact codes, prefixes and ranges). */
function matches(id: string, system: string | undefined, code: string | undefined): boolean {
  const vs = valueSets.get(id);
  const alias = SYSTEMS[system ?? ''];
  if (!vs || !alias || !code) return false;
  const norm = (c: string) => c.replace(/\./g, '').toUpperCase();
  const hit = (e: Entry) =>
    e.system === alias &&
    (e.code !== undefined
      ? e.code === code
      : e.prefix !== undefined
        ? norm(code).startsWith(norm(e.prefix))
        : e.range !== undefined &&
          norm(code).slice(0, e.range[0].length) >= norm(e.range[0]) &&
          norm(code).slice(0, e.range[1].length) <= norm(e.range[1]));
  return vs.include.some(hit) && !(vs.exclude ?? []).some(hit);
}

describe('generatePatient', () => {
  it('gives byte-identical JSON for the same seed and options', () => {
    const options: GenerateOptions = { ...base, observationTarget: 2000, unitStyle: 'mixed' };
    expect(JSON.stringify(generatePatient(options))).toBe(JSON.stringify(generatePatient(options)));
  });

  it('gives a different record for a different seed', () => {
    const a = generatePatient({ ...base, patientId: 'same-id' });
    const b = generatePatient({ ...base, seed: 8, patientId: 'same-id' });
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
  });

  it('names the patient stellar-<scenario>-<seed> unless a patient id is given', () => {
    expect(resourcesOf(generatePatient(base))[0]?.id).toBe('stellar-likely-ards-7');
    expect(resourcesOf(generatePatient({ ...base, patientId: 'p-1' }))[0]?.id).toBe('p-1');
  });

  it.each(SCENARIOS.map((s) => s.name))(
    'yields a collection Bundle whose resources all have ids and reference the patient (%s)',
    (scenario) => {
      const bundle: Bundle = generatePatient({ ...base, scenario });
      expect(bundle.type).toBe('collection');
      const resources = resourcesOf(bundle);
      const patient = resources[0];
      expect(patient?.resourceType).toBe('Patient');
      const ref = `Patient/${String(patient?.id)}`;
      const ids = new Set<string>();
      for (const entry of bundle.entry ?? []) {
        const r = entry.resource;
        expect(r?.id).toMatch(/^[A-Za-z0-9.-]{1,64}$/);
        expect(entry.fullUrl).toMatch(new RegExp(`/${r?.resourceType}/${r?.id}$`));
        ids.add(`${r?.resourceType}/${r?.id}`);
      }
      expect(ids.size).toBe(resources.length);
      for (const r of resources.slice(1)) {
        expect((r as { subject?: { reference?: string } }).subject?.reference).toBe(ref);
        const encounter = (r as { encounter?: { reference?: string } }).encounter?.reference;
        if (encounter !== undefined) expect(ids.has(encounter)).toBe(true);
      }
    },
  );

  it('writes only valid ISO instants, none after now, and a birth date before it', () => {
    const now = '2028-02-29T23:30:00.500-05:00';
    const nowMs = Date.parse(now);
    for (const { name } of SCENARIOS) {
      const bundle = generatePatient({ ...base, scenario: name, now, observationTarget: 1500 });
      const dates = datesIn(bundle);
      expect(dates.length).toBeGreaterThan(100);
      for (const { key, text } of dates) {
        if (key === 'birthDate') {
          expect(text).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(Date.parse(text)).toBeLessThan(nowMs);
          continue;
        }
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
        expect(Date.parse(text)).toBeLessThanOrEqual(nowMs);
      }
    }
  });

  it('codes ventilation procedures from the service value sets', () => {
    const sets = ['intubation', 'extubation', 'invasive-ventilation', 'non-invasive-ventilation'];
    for (const { name } of SCENARIOS) {
      const bundle = generatePatient({ ...base, scenario: name, observationTarget: 3000 });
      for (const p of resourcesOf(bundle).filter((r) => r.resourceType === 'Procedure')) {
        const c = (p as Procedure).code?.coding?.[0];
        expect([...sets, 'weaning'].some((id) => matches(id, c?.system, c?.code))).toBe(true);
      }
    }
  });

  it('records an exclusion condition only in the scenarios that need one', () => {
    const exclusions = ['hiv', 'solid-cancer', 'hematologic-malignancy', 'severe-aplastic-anemia'];
    const withFinding = [
      'possible-unconfirmed-exclusion',
      'excluded-hiv',
      'excluded-solid-cancer',
      'excluded-hematologic',
    ];
    for (const { name } of SCENARIOS) {
      for (const seed of [1, 2, 3, 4, 5]) {
        const conditions = resourcesOf(generatePatient({ ...base, seed, scenario: name })).filter(
          (r): r is Condition => r.resourceType === 'Condition',
        );
        const found = conditions.filter((c) => {
          const coding = c.code?.coding?.[0];
          return exclusions.some((id) => matches(id, coding?.system, coding?.code));
        });
        expect(found.length).toBe(withFinding.includes(name) ? 1 : 0);
      }
    }
  });

  it('makes the too-old patient 82 and the pregnant patient a woman of 30', () => {
    const age = (birthDate: string) => {
      const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
      return 2026 - y - (3 < m || (3 === m && 1 < d) ? 1 : 0);
    };
    const patientOf = (scenario: GenerateOptions['scenario']) =>
      resourcesOf(generatePatient({ ...base, scenario }))[0] as {
        birthDate: string;
        gender: string;
      };
    expect(age(patientOf('too-old').birthDate)).toBe(82);
    expect(age(patientOf('pregnant').birthDate)).toBe(30);
    expect(patientOf('pregnant').gender).toBe('female');
  });

  it.each([
    [{ seed: 1.5 }, /seed/],
    [{ seed: Number.NaN }, /seed/],
    [{ now: '2026-03-01' }, /now/],
    [{ now: '2026-03-01T08:00:00' }, /now/],
    [{ scenario: 'nope' as GenerateOptions['scenario'] }, /scenario/],
    [{ observationTarget: 0 }, /observationTarget/],
    [{ observationTarget: 12.5 }, /observationTarget/],
    [{ patientId: 'has space' }, /patientId/],
    [{ unitStyle: 'imperial' as GenerateOptions['unitStyle'] }, /unitStyle/],
  ])('rejects %p with a RangeError that names the option', (bad, message) => {
    expect(() => generatePatient({ ...base, ...bad })).toThrow(RangeError);
    expect(() => generatePatient({ ...base, ...bad })).toThrow(message);
  });
});
