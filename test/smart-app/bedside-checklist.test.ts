import { bedsideChecklist } from '../../src/smart-app/bedside-checklist';
import { generatePatient } from '../../src/synthetic';
import { NOW } from '../builders/fhir-builders';
import { screen } from '../builders/screening';

function checklistOf(scenario: Parameters<typeof generatePatient>[0]['scenario']) {
  const bundle = generatePatient({ seed: 5, scenario, now: NOW });
  return bedsideChecklist(screen((bundle.entry ?? []).map((e) => e.resource)));
}

describe('bedsideChecklist', () => {
  it('asks a likely candidate only for what no record can show, once the group is met', () => {
    const checklist = checklistOf('likely-ards');
    expect(checklist.items.map((i) => i.id)).toEqual([
      'life-expectancy-under-3-months',
      'hypersensitivity',
    ]);
    expect(checklist.groupMetBy).toEqual(['pf-ratio-on-peep']);
    expect(checklist.items[0]?.label).toBe(
      'Ruled out: Expected life under 3 months from another cause',
    );
  });

  it('lists an unconfirmed finding with the evidence to look at', () => {
    const checklist = checklistOf('possible-unconfirmed-exclusion');
    const hiv = checklist.items.find((i) => i.id === 'hiv');
    expect(hiv).toBeDefined();
    expect(hiv?.kind).toBe('exclusion');
    expect(hiv?.evidence.length).toBeGreaterThan(0);
    expect(hiv?.prompt).toMatch(/HIV test/);
  });

  it('offers the alternatives of the group, "no other option" first among them, while it is open', () => {
    const checklist = checklistOf('possible-missing-peep');
    const ids = checklist.items.map((i) => i.id);
    expect(checklist.groupMetBy).toBeUndefined();
    expect(ids).toEqual(expect.arrayContaining(['pf-ratio-on-peep', 'no-other-option']));
    expect(ids.indexOf('no-other-option')).toBeLessThan(ids.indexOf('hypersensitivity'));
    expect(ids).not.toContain('physiology-or-weaning');
    expect(checklist.items.find((i) => i.id === 'no-other-option')?.label).toBe(
      'Confirmed: No other option but lung transplantation, and not a transplant candidate',
    );
  });
});
