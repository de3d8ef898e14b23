import { loadScreeningConfig } from '../src/config/load-screening-config';
import { ALL_SEARCHED, evaluatePatient, prepareScreening } from '../src/engine';
import { generatePatient } from '../src/synthetic';

const NOW = '2026-03-01T08:00:00Z';

export interface EngineBenchRow {
  observationTarget: number;
  observations: number;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  msPerThousandObservations: number;
  classification: string;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Time to evaluate one patient of each size, median of several runs after a warm-up. */
export function benchEngine(sizes: number[], runs: number): EngineBenchRow[] {
  const prepared = prepareScreening(loadScreeningConfig());
  return sizes.map((target) => {
    const bundle = generatePatient({
      seed: 42,
      scenario: 'likely-ards',
      now: NOW,
      observationTarget: target,
    });
    const resources = (bundle.entry ?? []).map((e) => e.resource);
    const observations = resources.filter((r) => r?.resourceType === 'Observation').length;
    const input = { resources, now: NOW, availability: ALL_SEARCHED };
    // Warm up until the JIT has settled: at least 5 runs and 300 ms.
    let classification = '';
    const warmUntil = process.hrtime.bigint() + 300_000_000n;
    for (let i = 0; i < 5 || process.hrtime.bigint() < warmUntil; i++) {
      classification = evaluatePatient(prepared, input).classification;
    }
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      classification = evaluatePatient(prepared, input).classification;
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const medianMs = median(times);
    return {
      observationTarget: target,
      observations,
      runs,
      medianMs,
      minMs: Math.min(...times),
      maxMs: Math.max(...times),
      msPerThousandObservations: (medianMs / observations) * 1000,
      classification,
    };
  });
}
