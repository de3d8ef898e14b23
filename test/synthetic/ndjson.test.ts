import { bundleToNdjson, generateCensus } from '../../src/synthetic';
import { resourcesOf } from './bundle-helpers';

describe('bundleToNdjson', () => {
  const bundles = generateCensus({ seed: 3, now: '2026-03-01T08:00:00Z', count: 4 });

  it('writes one resource per line that parses back to the same resources', () => {
    const ndjson = bundleToNdjson(bundles);
    const parsed = [...ndjson.values()].flatMap((text) =>
      text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as unknown),
    );
    const original = bundles.flatMap(resourcesOf);
    expect(parsed).toHaveLength(original.length);
    const byKey = (r: unknown) => {
      const { resourceType, id } = r as { resourceType: string; id: string };
      return `${resourceType}/${id}`;
    };
    const expected = new Map(original.map((r) => [byKey(r), r]));
    for (const r of parsed) expect(r).toEqual(expected.get(byKey(r)));
  });

  it('groups resources by type in order of first appearance, each file ending in a newline', () => {
    const ndjson = bundleToNdjson(bundles);
    expect([...ndjson.keys()]).toEqual([
      'Patient',
      'Encounter',
      'Condition',
      'Procedure',
      'Observation',
    ]);
    for (const [type, text] of ndjson) {
      expect(text.endsWith('}\n')).toBe(true);
      for (const line of text.trimEnd().split('\n')) {
        expect((JSON.parse(line) as { resourceType: string }).resourceType).toBe(type);
      }
    }
    expect(ndjson.get('Patient')?.trimEnd().split('\n')).toHaveLength(4);
  });

  it('gives an empty map for no bundles', () => {
    expect(bundleToNdjson([]).size).toBe(0);
  });
});
