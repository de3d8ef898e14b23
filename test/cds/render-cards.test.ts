import { loadServiceDefinition, type ServiceDefinition } from '../../src/config/service-definition';
import { renderCards, type CardInput } from '../../src/cds/render-cards';
import { ALL_SEARCHED, evaluatePatient, prepareScreening } from '../../src/engine';
import type { ScreeningResult } from '../../src/engine';
import { generatePatient, type ScenarioName } from '../../src/synthetic';

const NOW = '2026-03-01T08:00:00Z';
const definition = loadServiceDefinition();
const prepared = prepareScreening(definition.screening);

function resultFor(scenario: ScenarioName, seed = 3): ScreeningResult {
  const bundle = generatePatient({ seed, scenario, now: NOW });
  return evaluatePatient(prepared, {
    resources: (bundle.entry ?? []).map((e) => e.resource),
    now: NOW,
    availability: ALL_SEARCHED,
  });
}

function input(result: ScreeningResult, overrides: Partial<CardInput> = {}): CardInput {
  return {
    definition,
    result,
    patientId: 'p-123',
    userId: 'Practitioner/dr-1',
    cardUuid: '11111111-2222-5333-8444-555555555555',
    suggestionUuid: '66666666-7777-5888-9999-000000000000',
    smartLaunchUrl: 'https://cds.example.org/smart/launch',
    now: NOW,
    ...overrides,
  };
}

describe('renderCards', () => {
  const likely = resultFor('likely-ards');

  it('gives a likely candidate one card whose summary says why in under 140 characters', () => {
    expect(likely.classification).toBe('likely');
    const [card, ...rest] = renderCards(input(likely));
    expect(rest).toEqual([]);
    expect(card?.summary.length).toBeLessThan(140);
    expect(card?.summary).toMatch(
      /^STELLAR trial: likely candidate, ventilated \d+ days, P\/F \d+ on PEEP \d+/,
    );
    expect(card?.indicator).toBe('info');
    expect(card?.uuid).toBe('11111111-2222-5333-8444-555555555555');
  });

  it('names the trial, its registry page and a topic coding as the source', () => {
    const [card] = renderCards(input(likely));
    expect(card?.source).toEqual({
      label: 'STELLAR trial screening (NCT02112500)',
      url: 'https://clinicaltrials.gov/study/NCT02112500',
      topic: {
        system: 'https://clinicaltrials.gov',
        code: 'NCT02112500',
        display: definition.trial.title,
      },
    });
  });

  it('lists every criterion with its status and evidence, and what to confirm at the bedside', () => {
    const [card] = renderCards(input(likely));
    const detail = card?.detail ?? '';
    for (const c of likely.criteria)
      expect(detail).toContain(c.reason.replace(/[*_[\]<>|~`\\]/g, (x) => `\\${x}`));
    expect(detail).toContain('**met**: PaO2/FiO2 200 or less with PEEP 5 cmH2O or more');
    expect(detail).toMatch(/P\/F ratio \d+ mmHg at 2026-0\d-\d\d \d\d:\d\d UTC/);
    expect(detail).toContain('**Confirm at the bedside**');
    expect(detail).toContain('- Expected hypersensitivity to the study drug');
  });

  it('does not ask to confirm the alternatives of a group that is already met', () => {
    const [card] = renderCards(input(likely));
    const confirm = (card?.detail ?? '').split('**Confirm at the bedside**')[1] ?? '';
    expect(confirm).not.toContain('Weaning failure 3 times or more');
    expect(confirm).not.toContain('No other option but lung transplantation');
    const possible = resultFor('possible-missing-peep');
    const [open] = renderCards(input(possible));
    expect((open?.detail ?? '').split('**Confirm at the bedside**')[1]).toContain(
      'No other option but lung transplantation',
    );
  });

  it('shows days on the ventilator cut to a tenth, never rounded up to a threshold', () => {
    const [card] = renderCards(input(likely));
    const days = likely.criteria.find((c) => c.id === 'invasive-ventilation-7d')?.evidence[0]
      ?.value as number;
    expect(card?.detail).toContain(
      `Current ventilation episode ${(Math.floor(days * 10) / 10).toFixed(1)} days`,
    );
  });

  it('links the SMART worksheet with an appContext and the registry as an absolute link', () => {
    const [card] = renderCards(input(likely));
    const [smart, registry] = card?.links ?? [];
    expect(smart).toMatchObject({ type: 'smart', url: 'https://cds.example.org/smart/launch' });
    expect(JSON.parse(smart?.appContext ?? '{}')).toEqual({
      card: '11111111-2222-5333-8444-555555555555',
      classification: 'likely',
      evaluatedAt: NOW,
      ruleSet: 'stellar-screening@1.0.0',
    });
    expect(registry).toEqual({
      label: 'STELLAR on ClinicalTrials.gov (NCT02112500)',
      url: 'https://clinicaltrials.gov/study/NCT02112500',
      type: 'absolute',
    });
  });

  it('suggests notifying the study team with a ServiceRequest for this patient', () => {
    const [card] = renderCards(input(likely));
    expect(card?.selectionBehavior).toBe('at-most-one');
    const suggestion = card?.suggestions?.[0];
    expect(suggestion?.uuid).toBe('66666666-7777-5888-9999-000000000000');
    expect(suggestion?.isRecommended).toBe(true);
    const action = suggestion?.actions?.[0];
    expect(action?.type).toBe('create');
    expect(action?.resource).toMatchObject({
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'proposal',
      subject: { reference: 'Patient/p-123' },
      requester: { reference: 'Practitioner/dr-1' },
      performer: [{ display: 'STELLAR study team', reference: 'Group/stellar-study-team' }],
      authoredOn: NOW,
    });
  });

  it('offers the override reasons of the service definition, each with a display', () => {
    const [card] = renderCards(input(likely));
    expect(card?.overrideReasons?.map((r) => r.code)).toEqual([
      'already-screened',
      'patient-declined',
      'not-clinically-appropriate',
      'exclusion-not-in-record',
    ]);
    for (const r of card?.overrideReasons ?? []) expect(r.display).toBeTruthy();
  });

  it('gives a possible candidate a card that says what to confirm', () => {
    const possible = resultFor('possible-unconfirmed-exclusion');
    expect(possible.classification).toBe('possible');
    const [card] = renderCards(input(possible));
    expect(card?.summary).toMatch(/possible candidate.*confirm HIV/);
    expect(card?.suggestions?.[0]?.isRecommended).toBe(false);
  });

  it('gives no card to a patient who is not eligible, or without enough data', () => {
    expect(renderCards(input(resultFor('excluded-hiv')))).toEqual([]);
    expect(renderCards(input(resultFor('no-ventilation-data')))).toEqual([]);
  });

  it('gives no card to a possible candidate when the site shows likely ones only', () => {
    const likelyOnly = JSON.parse(JSON.stringify(definition)) as ServiceDefinition;
    likelyOnly.cards.classifications = ['likely'];
    const possible = resultFor('possible-unconfirmed-exclusion');
    expect(renderCards(input(possible, { definition: likelyOnly }))).toEqual([]);
    expect(renderCards(input(likely, { definition: likelyOnly }))).toHaveLength(1);
  });

  it('escapes Markdown and HTML coming from the record', () => {
    const hostile = JSON.parse(JSON.stringify(likely)) as ScreeningResult;
    const rf = hostile.criteria.find((c) => c.id === 'respiratory-failure');
    if (!rf) throw new Error('missing criterion');
    rf.reason = 'ARDS [click](http://evil.example) <img src=x onerror=alert(1)> **bold** | cell';
    const [card] = renderCards(input(hostile));
    expect(card?.detail).toContain(
      'ARDS \\[click\\](http://evil.example) \\<img src=x onerror=alert(1)\\> \\*\\*bold\\*\\* \\| cell',
    );
  });

  it('uses a Communication when the site prefers one', () => {
    const communication = JSON.parse(JSON.stringify(definition)) as ServiceDefinition;
    communication.cards.referralResource = 'Communication';
    const [card] = renderCards(input(likely, { definition: communication }));
    expect(card?.suggestions?.[0]?.actions?.[0]?.resource).toMatchObject({
      resourceType: 'Communication',
      subject: { reference: 'Patient/p-123' },
      recipient: [{ display: 'STELLAR study team', reference: 'Group/stellar-study-team' }],
    });
  });
});
