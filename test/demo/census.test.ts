import { buildDemoCensus } from '../../src/demo/census';
import { ALL_SEARCHED, evaluatePatient } from '../../src/engine';
import { shippedScreening } from '../builders/screening';

describe('buildDemoCensus', () => {
  const now = '2026-03-01T08:00:00Z';
  const census = buildDemoCensus(now);

  it('lays out thirteen patients with neutral ids, one bed each', () => {
    expect(census.patients).toHaveLength(13);
    expect(census.patients.map((p) => p.id)).toEqual(
      Array.from({ length: 13 }, (_, i) => `demo-icu-${String(i + 1).padStart(2, '0')}`),
    );
    expect(new Set(census.patients.map((p) => p.bed)).size).toBe(13);
  });

  it('covers every classification, and each patient gets the one the list promises', () => {
    const found = census.bundles.map(
      (bundle) =>
        evaluatePatient(shippedScreening(), {
          resources: (bundle.entry ?? []).map((e) => e.resource),
          now,
          availability: ALL_SEARCHED,
        }).classification,
    );
    expect(found).toEqual(census.patients.map((p) => p.expected));
    expect(new Set(found)).toEqual(
      new Set(['likely', 'possible', 'not-eligible', 'insufficient-data']),
    );
  });

  it('adds the signed-in clinician and the study team the referral names', () => {
    expect(census.extra.map((r) => `${r.resourceType}/${r.id}`)).toEqual([
      'Practitioner/demo-clinician',
      'Group/stellar-study-team',
    ]);
  });
});
