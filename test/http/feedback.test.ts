import type { Bundle } from 'fhir/r4';
import { generatePatient } from '../../src/synthetic';
import {
  patientIdOf,
  patientView,
  prefetchFor,
  startTestService,
  type TestService,
} from '../support/test-service';

const SERVICE = '/cds-services/stellar-screening';
const FEEDBACK = '/cds-services/stellar-screening/feedback';
const DAY = 24 * 3600_000;

interface Card {
  uuid: string;
  summary: string;
  suggestions: { uuid: string }[];
}

/** A service whose clock the test moves, so a 7-day suppression can be crossed. */
async function serviceWithClock(start: string) {
  let now = Date.parse(start);
  const service = await startTestService({ now: () => new Date(now) });
  return {
    service,
    advanceDays(days: number) {
      now += days * DAY;
    },
    nowIso: () => new Date(now).toISOString(),
  };
}

async function cardsFor(service: TestService, bundle: Bundle, patientId = patientIdOf(bundle)) {
  const res = await service.call(SERVICE, {
    json: patientView(patientId, { prefetch: prefetchFor(bundle) }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { cards: Card[] }).cards;
}

describe('POST /cds-services/stellar-screening/feedback', () => {
  const NOW = '2026-03-01T08:00:00Z';
  let clock: Awaited<ReturnType<typeof serviceWithClock>>;
  beforeEach(async () => {
    clock = await serviceWithClock(NOW);
  });
  afterEach(async () => clock.service.close());

  it('stores feedback once however often the EHR sends it', async () => {
    const bundle = generatePatient({ seed: 21, scenario: 'likely-ards', now: NOW });
    const [card] = await cardsFor(clock.service, bundle);
    const feedback = {
      feedback: [
        {
          card: card?.uuid,
          outcome: 'overridden',
          overrideReason: { reason: { code: 'not-clinically-appropriate' } },
          outcomeTimestamp: NOW,
        },
      ],
    };
    for (let i = 0; i < 3; i++) {
      const res = await clock.service.call(FEEDBACK, { json: feedback });
      expect(res.status).toBe(200);
    }
    expect(clock.service.built.store.counts()).toMatchObject({ feedback: 1, overridden: 1 });
  });

  it('does not show an accepted card again for 7 days, then shows it again', async () => {
    // The record as it stands at the moment of each call (the patient stays a likely candidate).
    const record = () =>
      generatePatient({ seed: 22, scenario: 'likely-ards', now: clock.nowIso() });
    const [card] = await cardsFor(clock.service, record());
    const res = await clock.service.call(FEEDBACK, {
      json: {
        feedback: [
          {
            card: card?.uuid,
            outcome: 'accepted',
            acceptedSuggestions: [{ id: card?.suggestions[0]?.uuid }],
            outcomeTimestamp: clock.nowIso(),
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    clock.advanceDays(1);
    expect(await cardsFor(clock.service, record())).toEqual([]);
    clock.advanceDays(6);
    const again = await cardsFor(clock.service, record());
    expect(again.map((c) => c.uuid)).toEqual([card?.uuid]);
    expect(clock.service.logs.some((l) => l.includes('"outcome":"suppressed"'))).toBe(true);
  });

  it('keeps showing a card dismissed as not clinically appropriate', async () => {
    const bundle = generatePatient({ seed: 23, scenario: 'likely-ards', now: NOW });
    const [card] = await cardsFor(clock.service, bundle);
    await clock.service.call(FEEDBACK, {
      json: {
        feedback: [
          {
            card: card?.uuid,
            outcome: 'overridden',
            overrideReason: { reason: { code: 'not-clinically-appropriate' } },
            outcomeTimestamp: NOW,
          },
        ],
      },
    });
    expect(await cardsFor(clock.service, bundle)).toHaveLength(1);
  });

  it('shows a card again at once when the patient becomes a stronger candidate', async () => {
    const possible = generatePatient({
      seed: 24,
      scenario: 'possible-unconfirmed-exclusion',
      now: NOW,
    });
    const patientId = patientIdOf(possible);
    const [card] = await cardsFor(clock.service, possible);
    expect(card?.summary).toMatch(/possible candidate/);
    await clock.service.call(FEEDBACK, {
      json: {
        feedback: [
          {
            card: card?.uuid,
            outcome: 'overridden',
            overrideReason: { reason: { code: 'already-screened' } },
            outcomeTimestamp: NOW,
          },
        ],
      },
    });
    expect(await cardsFor(clock.service, possible)).toEqual([]);
    // The same patient, now with the provisional finding resolved: the record says likely.
    const likely = generatePatient({ seed: 24, scenario: 'likely-ards', now: NOW });
    const [stronger] = await cardsFor(clock.service, likely, patientId);
    expect(stronger?.summary).toMatch(/likely candidate/);
  });

  it('refuses malformed feedback with a 400 OperationOutcome', async () => {
    const res = await clock.service.call(FEEDBACK, {
      json: { feedback: [{ card: 'x', outcome: 'maybe' }] },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { resourceType: string; issue: { diagnostics: string }[] };
    expect(body.resourceType).toBe('OperationOutcome');
    expect(body.issue[0]?.diagnostics).toMatch(/^Invalid CDS Hooks feedback: /);
  });

  it('keeps feedback on a card it never issued (nothing lost)', async () => {
    const res = await clock.service.call(FEEDBACK, {
      json: {
        feedback: [
          {
            card: '00000000-0000-5000-8000-000000000000',
            outcome: 'accepted',
            outcomeTimestamp: NOW,
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(clock.service.built.store.counts()).toMatchObject({
      feedback: 1,
      feedbackForUnknownCards: 1,
    });
  });
});
