/**
 * End-to-end over the generator: realistic charting (hundreds of observations, panels, mixed
 * units and code variants) gets the classification each scenario was built for, whatever units
 * the patient is charted in. (Exact unit conversions leave every criterion unchanged: see
 * unit-invariance.test.ts. Here values are rounded as charted, e.g. PaO2 8.0 kPa = 60.005 mmHg,
 * so a value sitting exactly on a threshold may tip a member criterion, but not the screen.)
 */
import fc from 'fast-check';
import { generatePatient, SCENARIOS, UNIT_STYLES, type UnitStyle } from '../../src/synthetic';
import { allSearched } from '../builders/fhir-builders';
import { screen } from '../builders/screening';

const NOW = '2026-03-01T08:00:00Z';

function screenGenerated(
  scenario: (typeof SCENARIOS)[number]['name'],
  seed: number,
  unitStyle: UnitStyle,
) {
  const bundle = generatePatient({ seed, scenario, now: NOW, unitStyle });
  return screen(
    (bundle.entry ?? []).map((e) => e.resource),
    { availability: allSearched },
  );
}

describe('synthetic scenarios through the engine', () => {
  it.each(
    SCENARIOS.flatMap((s) =>
      UNIT_STYLES.map((u) => [s.name, u, s.expectedClassification] as const),
    ),
  )('%s charted in %s units is classified %s', (scenario, unitStyle, expected) => {
    for (const seed of [1, 2, 3]) {
      expect(screenGenerated(scenario, seed, unitStyle).classification).toBe(expected);
    }
  });

  it('classifies the same patient the same whatever units it is charted in', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SCENARIOS.map((s) => s.name)),
        fc.integer({ min: 1, max: 1_000_000 }),
        (scenario, seed) => {
          const [first, ...rest] = UNIT_STYLES.map(
            (u) => screenGenerated(scenario, seed, u).classification,
          );
          for (const other of rest) expect(other).toBe(first);
        },
      ),
      { numRuns: 40 },
    );
  });
});
