import { loadServiceDefinition, type ServiceDefinition } from '../../src/config/service-definition';
import {
  ALL_SEARCHED,
  evaluatePatient,
  prepareScreening,
  type ScreeningResult,
} from '../../src/engine';
import { DATA_REQUIREMENTS } from '../../src/engine/data-requirements';
import {
  buildDataPlan,
  liveQueryUrl,
  prefetchTemplates,
  PATIENT_ID_TOKEN,
} from '../../src/fhir/data-plan';
import { generatePatient, SCENARIOS } from '../../src/synthetic';
import { selectByQuery } from '../../src/synthetic/prefetch-from-record';

const NOW = '2026-03-01T08:00:00Z';
const shipped = loadServiceDefinition();

function withCriteria(
  definition: ServiceDefinition,
  edit: (d: { criteria: Record<string, Record<string, unknown>> }) => void,
): ServiceDefinition {
  const copy = JSON.parse(JSON.stringify(definition)) as ServiceDefinition;
  edit(copy.screening as unknown as { criteria: Record<string, Record<string, unknown>> });
  return copy;
}

/** What a person sees: classification, and every criterion's status, reason and evidence. */
function verdicts(result: ScreeningResult) {
  return { classification: result.classification, criteria: result.criteria };
}

describe('buildDataPlan', () => {
  const plan = buildDataPlan(shipped);

  it('has one query per data requirement of the engine, keyed by its name', () => {
    expect(plan.queries.map((q) => q.key)).toEqual(DATA_REQUIREMENTS.map((r) => r.key));
  });

  it('asks for every code of the Observation value sets the engine reads', () => {
    const asked = new Set(
      plan.queries.flatMap((q) =>
        q.params.filter(([n]) => n === 'code').flatMap(([, v]) => v.split(',')),
      ),
    );
    for (const id of [
      'pao2',
      'paco2',
      'ph',
      'fio2',
      'fio2-setting',
      'pf-ratio',
      'peep',
      'plateau',
    ]) {
      for (const entry of shipped.screening.valueSets[id]?.include ?? []) {
        const uri = shipped.screening.codeSystems[entry.system]?.uris[0];
        expect(asked).toContain(`${uri}|${entry.code}`);
      }
    }
    // Panels are searched too, since `code` does not match component codes.
    expect(asked).toContain('http://loinc.org|24336-0');
  });

  it('reads every Condition when a value set holds ICD code families a token cannot express', () => {
    const conditions = plan.queries.find((q) => q.key === 'conditions');
    expect(conditions?.params).toEqual([]);
  });

  it('bounds live blood-gas queries by the lookback plus the pairing window', () => {
    const gases = plan.queries.find((q) => q.key === 'bloodGases');
    expect(gases?.lookback).toEqual({ param: 'date', hours: 48 + 4 });
  });

  it('widens the live query when a site widens the lookback', () => {
    const wider = buildDataPlan(
      withCriteria(shipped, (d) => {
        (d.criteria.bloodGas as Record<string, unknown>).lookbackHours = 72;
      }),
    );
    expect(wider.queries.find((q) => q.key === 'bloodGases')?.lookback?.hours).toBe(76);
  });

  it('skips a query whose value sets a site left empty, and reads the whole record when told', () => {
    const copy = JSON.parse(JSON.stringify(shipped)) as ServiceDefinition;
    for (const id of ['pregnancy-status', 'hcg', 'breastfeeding-status']) {
      (copy.screening.valueSets[id] as { include: unknown[] }).include = [];
    }
    (copy.dataPlan as { ventilationHistoryDays: number | null }).ventilationHistoryDays = null;
    const sitePlan = buildDataPlan(copy);
    expect(sitePlan.queries.map((q) => q.key)).not.toContain('pregnancyAndLactation');
    expect(sitePlan.queries.find((q) => q.key === 'ventilatorSettings')?.lookback).toBeUndefined();
  });
});

describe('prefetchTemplates', () => {
  const templates = prefetchTemplates(buildDataPlan(shipped));

  it('uses only what CDS Hooks 2.0 allows: the patient token, code, patient and _count', () => {
    for (const [key, template] of Object.entries(templates)) {
      const tokens = template.match(/\{\{[^}]*\}\}/g) ?? [];
      expect({ key, tokens }).toEqual({ key, tokens: [PATIENT_ID_TOKEN] });
      const [path, query] = template.split('?');
      expect(path).toMatch(/^[A-Z][A-Za-z]+(\/\{\{context\.patientId\}\})?$/);
      const names = [...new URLSearchParams(query ?? '').keys()];
      for (const name of names) expect(['patient', 'code', '_count']).toContain(name);
    }
  });

  it('reads the Patient by id and searches the rest by patient', () => {
    expect(templates.patient).toBe('Patient/{{context.patientId}}');
    expect(templates.conditions).toBe('Condition?patient={{context.patientId}}&_count=1000');
  });
});

describe('liveQueryUrl', () => {
  it('fills in the patient and a date bound counted back from now', () => {
    const plan = buildDataPlan(shipped);
    const gases = plan.queries.find((q) => q.key === 'bloodGases');
    if (!gases) throw new Error('no bloodGases query');
    const url = liveQueryUrl(gases, 'abc', 50, Date.parse(NOW));
    const params = new URLSearchParams(url.split('?')[1]);
    expect(url.startsWith('Observation?')).toBe(true);
    expect(params.get('patient')).toBe('abc');
    expect(params.get('date')).toBe('ge2026-02-27T04:00:00.000Z');
    expect(params.get('_count')).toBe('50');
  });
});

describe('the data plan fetches everything the rules read', () => {
  const prepared = prepareScreening(shipped.screening);
  const plan = buildDataPlan(shipped);

  it.each(SCENARIOS.map((s) => s.name))(
    'gives the same result and evidence for %s from the planned queries as from the whole record',
    (scenario) => {
      const bundle = generatePatient({ seed: 11, scenario, now: NOW });
      const all = (bundle.entry ?? []).map((e) => e.resource as unknown as Record<string, unknown>);
      const whole = evaluatePatient(prepared, {
        resources: all,
        now: NOW,
        availability: ALL_SEARCHED,
      });
      const since = Date.parse(NOW);
      const prefetched = plan.queries.flatMap((q) => selectByQuery(all, q));
      const live = plan.queries.flatMap((q) =>
        selectByQuery(all, q, q.lookback ? since - q.lookback.hours * 3_600_000 : undefined),
      );
      for (const resources of [prefetched, live]) {
        const planned = evaluatePatient(prepared, {
          resources,
          now: NOW,
          availability: ALL_SEARCHED,
        });
        expect(verdicts(planned)).toEqual(verdicts(whole));
      }
    },
  );
});
