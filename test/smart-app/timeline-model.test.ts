import { ALL_SEARCHED, evaluatePatient } from '../../src/engine';
import { buildTimelineModel, markedPairs } from '../../src/smart-app/timeline-model';
import { generatePatient } from '../../src/synthetic';
import {
  NOW,
  adultPatient,
  before,
  extubation,
  intubation,
  fio2,
  pao2,
  paco2,
  peep,
  plateau,
  ventilatedFor,
} from '../builders/fhir-builders';
import { screen, shippedScreening } from '../builders/screening';

function resourcesOf(scenario: Parameters<typeof generatePatient>[0]['scenario']): unknown[] {
  const bundle = generatePatient({ seed: 11, scenario, now: NOW });
  return (bundle.entry ?? []).map((e) => e.resource);
}

describe('buildTimelineModel', () => {
  it('charts the P/F the engine computes from PaO2 and FiO2, beside the PEEP it paired', () => {
    const resources = [
      adultPatient(),
      ventilatedFor(9),
      fio2(50, before({ hours: 3 })),
      pao2(60, before({ hours: 2 })),
      peep(10, before({ hours: 2, minutes: 30 })),
    ];
    const result = screen(resources);
    const model = buildTimelineModel(shippedScreening(), resources, result);
    expect(model.series.pf.points).toEqual([
      expect.objectContaining({
        value: 120,
        computed: true,
        time: Date.parse(before({ hours: 2 })),
      }),
    ]);
    expect(model.series.peep.points.map((p) => p.value)).toEqual([10]);
    expect(model.pairs).toEqual([
      expect.objectContaining({
        number: 1,
        criterion: 'pf-ratio-on-peep',
        role: 'worst-qualifying',
        points: [
          { series: 'pf', time: Date.parse(before({ hours: 2 })), value: 120 },
          { series: 'peep', time: Date.parse(before({ hours: 2, minutes: 30 })), value: 10 },
        ],
      }),
    ]);
    expect(model.pairs[0]?.text).toMatch(
      /^worst qualifying: P\/F ratio 120 mmHg with PEEP 10 cmH2O/,
    );
  });

  it('takes thresholds from the criteria, not from constants of its own', () => {
    const resources = resourcesOf('likely-ards');
    const prepared = shippedScreening();
    const model = buildTimelineModel(prepared, resources, screen(resources));
    const t = prepared.config.criteria.thresholds;
    expect(model.series.pf.threshold).toEqual({ value: t.pfRatioMax, qualifies: 'at-or-below' });
    expect(model.series.peep.threshold).toEqual({ value: t.peepMin, qualifies: 'at-or-above' });
    expect(model.series.plateau.threshold).toEqual({
      value: t.plateauMin,
      qualifies: 'at-or-above',
    });
    expect(model.series.paco2.threshold).toEqual({ value: t.paco2Min, qualifies: 'at-or-above' });
    expect(model.series.ph.threshold).toEqual({ value: t.phMax, qualifies: 'at-or-below' });
  });

  it('centres on the current episode and shades the blood-gas lookback', () => {
    const resources = resourcesOf('likely-ards');
    const result = screen(resources);
    const model = buildTimelineModel(shippedScreening(), resources, result);
    const current = result.ventilation.episodes.find((e) => e.current);
    expect(current).toBeDefined();
    const now = Date.parse(NOW);
    expect(model.now).toBe(now);
    expect(model.ranges.episode[0]).toBeLessThan(Date.parse(current!.start));
    expect(model.ranges.episode[1]).toBe(now);
    expect(model.lookback).toEqual([now - 48 * 3_600_000, now]);
    expect(model.ranges.all[0]).toBeLessThanOrEqual(model.ranges.episode[0]);
    expect(model.episodes.filter((e) => e.current)).toHaveLength(1);
    expect(model.hasVentilationData).toBe(true);
  });

  it('never charts a value from after the evaluation time', () => {
    const resources = [
      adultPatient(),
      ventilatedFor(9),
      peep(8, before({ hours: 1 })),
      peep(12, '2026-03-01T09:00:00Z'),
    ];
    const model = buildTimelineModel(shippedScreening(), resources, screen(resources));
    expect(model.series.peep.points.map((p) => p.value)).toEqual([8]);
  });

  it('says when the record has no ventilation data at all', () => {
    const resources = resourcesOf('no-ventilation-data');
    const model = buildTimelineModel(shippedScreening(), resources, screen(resources));
    expect(model.hasVentilationData).toBe(false);
    expect(model.episodes).toEqual([]);
    expect(model.ranges.episode[1] - model.ranges.episode[0]).toBe(7 * 86_400_000);
  });

  it('does not count an old, ended episode as ventilation data', () => {
    const resources = [
      adultPatient(),
      intubation(before({ days: 30 })),
      extubation(before({ days: 28 })),
    ];
    const result = screen(resources);
    expect(result.ventilation.episodes).toHaveLength(1);
    expect(buildTimelineModel(shippedScreening(), resources, result).hasVentilationData).toBe(
      false,
    );
  });

  it('gives every scenario of the generator a model without throwing', () => {
    for (const scenario of [
      'likely-hypercapnic',
      'likely-acidosis',
      'possible-missing-peep',
      'repeated-weaning-failure',
    ] as const) {
      const resources = resourcesOf(scenario);
      const result = evaluatePatient(shippedScreening(), {
        resources,
        now: NOW,
        availability: ALL_SEARCHED,
      });
      const model = buildTimelineModel(shippedScreening(), resources, result);
      for (const pair of model.pairs) {
        for (const p of pair.points) {
          const match = model.series[p.series].points.find(
            (x) => x.time === p.time && Math.abs(x.value - p.value) < 1e-9,
          );
          expect(match).toBeDefined();
        }
      }
    }
  });
});

describe('markedPairs', () => {
  it('numbers a hypercapnia pair and does not repeat a pair two criteria share', () => {
    const resources = [
      adultPatient(),
      ventilatedFor(9),
      paco2(62, before({ hours: 3 }), { id: 'gas-1' }),
      plateau(32, before({ hours: 3, minutes: 20 })),
    ];
    const pairs = markedPairs(screen(resources));
    const hyper = pairs.filter((p) => p.criterion === 'hypercapnia-on-plateau');
    expect(hyper.map((p) => p.points.map((x) => x.series))).toEqual([['paco2', 'plateau']]);
    expect(pairs.map((p) => p.number)).toEqual(pairs.map((_, i) => i + 1));
  });

  it('marks a qualifying gas with no setting near it on its own', () => {
    const resources = [
      adultPatient(),
      ventilatedFor(9),
      fio2(60, before({ hours: 3 })),
      pao2(55, before({ hours: 2 })),
    ];
    const pairs = markedPairs(screen(resources));
    expect(pairs).toEqual([
      expect.objectContaining({
        criterion: 'pf-ratio-on-peep',
        role: 'unpaired-qualifying',
        points: [expect.objectContaining({ series: 'pf' })],
      }),
    ]);
    expect(pairs[0]?.text).toMatch(/no PEEP charted near it/);
  });
});
