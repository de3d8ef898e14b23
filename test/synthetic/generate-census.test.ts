import { generateCensus, SCENARIOS } from '../../src/synthetic';
import { resourcesOf } from './bundle-helpers';

const NOW = '2026-03-01T08:00:00Z';
const patientIds = (bundles: ReturnType<typeof generateCensus>) =>
  bundles.map((b) => String(resourcesOf(b)[0]?.id));

describe('generateCensus', () => {
  it('cycles through every scenario in order by default', () => {
    const ids = patientIds(generateCensus({ seed: 9, now: NOW, count: 20 }));
    expect(ids).toHaveLength(20);
    ids.forEach((id, i) => {
      expect(id.startsWith(`stellar-${SCENARIOS[i % SCENARIOS.length]?.name}-`)).toBe(true);
    });
    expect(new Set(ids).size).toBe(20);
  });

  it('cycles through the scenarios given', () => {
    const ids = patientIds(
      generateCensus({ seed: 9, now: NOW, count: 5, scenarios: ['too-old', 'niv-only'] }),
    );
    expect(ids.map((id) => id.replace(/-\d+$/, ''))).toEqual([
      'stellar-too-old',
      'stellar-niv-only',
      'stellar-too-old',
      'stellar-niv-only',
      'stellar-too-old',
    ]);
  });

  it('gives the same census for the same options, and patient i does not depend on count', () => {
    const a = generateCensus({ seed: 9, now: NOW, count: 6, observationTarget: 200 });
    const b = generateCensus({ seed: 9, now: NOW, count: 3, observationTarget: 200 });
    expect(JSON.stringify(a.slice(0, 3))).toBe(JSON.stringify(b));
    expect(JSON.stringify(generateCensus({ seed: 10, now: NOW, count: 3 }))).not.toBe(
      JSON.stringify(generateCensus({ seed: 9, now: NOW, count: 3 })),
    );
  });

  it('rejects a bad count or an empty scenario list', () => {
    expect(() => generateCensus({ seed: 1, now: NOW, count: -1 })).toThrow(/count/);
    expect(() => generateCensus({ seed: 1, now: NOW, count: 1, scenarios: [] })).toThrow(
      /scenarios/,
    );
  });
});
