import type { Procedure } from 'fhir/r4';
import { generatePatient, SCENARIOS, type GenerateOptions } from '../../src/synthetic';
import { observationsOf, resourcesOf } from './bundle-helpers';

const NOW = '2026-03-01T08:00:00Z';
const count = (options: GenerateOptions) => observationsOf(generatePatient(options)).length;

describe('generatePatient observationTarget', () => {
  it.each([500, 5000])('charts within 20%% of %i Observations in every scenario', (target) => {
    for (const { name } of SCENARIOS) {
      const n = count({ seed: 3, scenario: name, now: NOW, observationTarget: target });
      expect(Math.abs(n - target)).toBeLessThanOrEqual(target * 0.2);
    }
  });

  it.each(['likely-ards', 'niv-only', 'no-ventilation-data'] as const)(
    'charts about 50,000 Observations in a few seconds (%s)',
    (scenario) => {
      const started = performance.now();
      const n = count({ seed: 3, scenario, now: NOW, observationTarget: 50_000 });
      expect(performance.now() - started).toBeLessThan(5000);
      expect(Math.abs(n - 50_000)).toBeLessThanOrEqual(50_000 * 0.2);
    },
  );

  it('charts about 300 Observations by default', () => {
    const n = count({ seed: 3, scenario: 'likely-ards', now: NOW });
    expect(Math.abs(n - 300)).toBeLessThanOrEqual(60);
  });

  it('falls back to its sparsest charting, a few dozen Observations, for a tiny target', () => {
    for (const { name } of SCENARIOS) {
      const n = count({ seed: 3, scenario: name, now: NOW, observationTarget: 1 });
      expect(n).toBeLessThanOrEqual(100);
      // A ventilated scenario still needs its ventilator charts and blood gases.
      if (name !== 'no-ventilation-data') expect(n).toBeGreaterThanOrEqual(20);
    }
  });

  it('keeps the current stay and its ventilation procedures the same at every target', () => {
    const currentStay = (target: number) =>
      resourcesOf(
        generatePatient({
          seed: 5,
          scenario: 'repeated-weaning-failure',
          now: NOW,
          observationTarget: target,
        }),
      )
        .filter(
          (r): r is Procedure =>
            r.resourceType === 'Procedure' && r.encounter?.reference?.endsWith('-enc-1') === true,
        )
        .map((p) => [p.code?.coding?.[0]?.code, p.status, p.performedDateTime, p.performedPeriod]);
    const small = currentStay(60);
    expect(small.length).toBeGreaterThanOrEqual(10);
    expect(currentStay(5000)).toEqual(small);
    expect(currentStay(50_000)).toEqual(small);
  });

  it('adds older, finished stays to reach large targets', () => {
    const bundle = generatePatient({
      seed: 3,
      scenario: 'likely-ards',
      now: NOW,
      observationTarget: 50_000,
    });
    const encounters = resourcesOf(bundle).filter((r) => r.resourceType === 'Encounter');
    expect(encounters.length).toBeGreaterThan(2);
    const inProgress = encounters.filter((e) => 'status' in e && e.status === 'in-progress');
    expect(inProgress).toHaveLength(1);
  });
});
