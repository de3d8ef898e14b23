import { loadScreeningConfig } from '../src/config/load-screening-config';
import { ALL_SEARCHED, evaluatePatient, prepareScreening } from '../src/engine';
import { generatePatient } from '../src/synthetic';
import type { BenchOptions, SuiteResult } from './support/bench-options';
import { median } from './support/stats';
import { fixed, formatTable, whole } from './support/table';

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

/** The curve: time per patient from 500 to 50,000 observations. */
const CURVE = [500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000];

/** `--suite engine`: {@link benchEngine} over the curve, with time per 1,000 observations. */
export function engineSuite(options: BenchOptions): SuiteResult {
  const sizes = options.sizes ?? (options.quick ? [500, 5_000] : CURVE);
  const runs = options.runs ?? (options.quick ? 5 : 15);
  const rows = benchEngine(sizes, runs);
  // Linear growth: every size costs about the same per 1,000 observations (the smallest
  // carries a fixed cost of its own).
  const base = median(rows.map((r) => r.msPerThousandObservations));
  const table = formatTable(
    [
      'observations',
      'median ms',
      'min ms',
      'max ms',
      'ms per 1,000 obs',
      'vs median',
      'classification',
    ],
    rows.map((r) => [
      whole(r.observations),
      fixed(r.medianMs, 2),
      fixed(r.minMs, 2),
      fixed(r.maxMs, 2),
      fixed(r.msPerThousandObservations, 3),
      `${fixed(r.msPerThousandObservations / base, 2)}x`,
      r.classification,
    ]),
  );
  return {
    name: 'engine',
    json: { runs, rows },
    report: [
      `Engine alone: one patient (the whole record, every type searched), median of ${runs} runs`,
      `after warm-up. Linear growth shows as a flat "ms per 1,000 obs" column ("vs median" near 1x).`,
      table,
    ].join('\n'),
  };
}
