import type { FhirResource } from 'fhir/r4';
import {
  adultPatient,
  after,
  before,
  CODES,
  type Duration,
  extubation,
  intubation,
  observation,
  peep,
  procedure,
  series,
  ventilatedFor,
  weaningProcedure,
} from '../builders/fhir-builders';
import { screen, statusOf, withLocalCodes } from '../builders/screening';

function statusWith(
  id: 'repeated-weaning-failure' | 'prolonged-weaning',
  resources: FhirResource[],
  options?: Parameters<typeof screen>[1],
) {
  return statusOf(screen([adultPatient(), ...resources], options), id);
}

/** An extubation at `at` and a reintubation `gap` later. */
function failedExtubation(at: string, gap: Duration = { hours: 12 }): FhirResource[] {
  return [extubation(at), intubation(after(gap, at))];
}

/** Ventilator charting every 12 h from `from` to `to` (an hour ago): ventilation goes on. */
function chartedUntilNow(from: string, to: string = before({ hours: 1 })): FhirResource[] {
  return series((at) => peep(8, at), { from, to, everyHours: 12 });
}

/** Intubated 20 days ago, then `n` failed extubations two days apart, still ventilated. */
function currentEpisodeWithFailures(
  n: number,
  lastGap: Duration = { hours: 12 },
  chartedTo?: string,
): FhirResource[] {
  const out: FhirResource[] = [intubation(before({ days: 20 }))];
  let reintubated = before({ days: 20 });
  for (let i = 0; i < n; i += 1) {
    const at = before({ days: 18 - 2 * i });
    const gap = i === n - 1 ? lastGap : { hours: 12 };
    out.push(...failedExtubation(at, gap));
    reintubated = after(gap, at);
  }
  return [...out, ...chartedUntilNow(reintubated, chartedTo)];
}

const SBT_FAILED = 'SBT-FAIL';
const SBT_DONE = 'SBT';
const siteWithSbtCodes = () =>
  withLocalCodes({ 'sbt-failed': [SBT_FAILED], 'sbt-attempt': [SBT_DONE, SBT_FAILED] });

describe('repeated-weaning-failure', () => {
  it('is met with 3 failed extubations in the current episode', () => {
    expect(statusWith('repeated-weaning-failure', currentEpisodeWithFailures(3))).toBe('met');
  });

  it('is unknown, not not-met, with 2 failed extubations', () => {
    expect(statusWith('repeated-weaning-failure', currentEpisodeWithFailures(2))).toBe('unknown');
  });

  it('is unknown with no weaning attempt at all', () => {
    expect(statusWith('repeated-weaning-failure', [ventilatedFor(9)])).toBe('unknown');
  });

  it('counts a reintubation exactly 48 h after the extubation as a failure', () => {
    expect(
      statusWith('repeated-weaning-failure', currentEpisodeWithFailures(3, { hours: 48 })),
    ).toBe('met');
  });

  it('does not count a reintubation 48 h and 1 s after the extubation: a new episode begins', () => {
    expect(
      statusWith(
        'repeated-weaning-failure',
        currentEpisodeWithFailures(3, { hours: 48, seconds: 1 }),
      ),
    ).toBe('unknown');
  });

  it('does not count failures of an earlier episode', () => {
    const earlier = [
      intubation(before({ days: 40 })),
      ...failedExtubation(before({ days: 38 })),
      ...failedExtubation(before({ days: 36 })),
      ...failedExtubation(before({ days: 34 })),
      extubation(before({ days: 30 })),
    ];
    expect(
      statusWith('repeated-weaning-failure', [...earlier, intubation(before({ days: 9 }))]),
    ).toBe('unknown');
  });

  it('counts within the most recent episode when none is current', () => {
    const lastEpisode = [
      ...currentEpisodeWithFailures(3, { hours: 12 }, before({ days: 5, hours: 1 })),
      extubation(before({ days: 5 })),
    ];
    expect(statusWith('repeated-weaning-failure', lastEpisode)).toBe('met');
  });

  it('counts observations with a site-configured "spontaneous breathing trial failed" code', () => {
    const failedTrials = [before({ days: 6 }), before({ days: 4 }), before({ days: 2 })].map((at) =>
      observation({ local: SBT_FAILED, at, valueString: 'failed' }),
    );
    expect(
      statusWith('repeated-weaning-failure', [ventilatedFor(9), ...failedTrials], {
        prepared: siteWithSbtCodes(),
      }),
    ).toBe('met');
  });

  it('counts procedures with a site-configured "spontaneous breathing trial failed" code', () => {
    const failedTrials = [before({ days: 6 }), before({ days: 4 }), before({ days: 2 })].map((at) =>
      procedure({ local: SBT_FAILED, performedDateTime: at }),
    );
    expect(
      statusWith('repeated-weaning-failure', [ventilatedFor(9), ...failedTrials], {
        prepared: siteWithSbtCodes(),
      }),
    ).toBe('met');
  });

  it('adds failed breathing trials to failed extubations', () => {
    const resources = [
      ...currentEpisodeWithFailures(2),
      procedure({ local: SBT_FAILED, performedDateTime: before({ days: 3 }) }),
    ];
    expect(
      statusWith('repeated-weaning-failure', resources, { prepared: siteWithSbtCodes() }),
    ).toBe('met');
  });

  it('does not count weaning procedures (243174005) as failures', () => {
    const resources = [
      ventilatedFor(9),
      weaningProcedure(before({ days: 6 })),
      weaningProcedure(before({ days: 4 })),
      weaningProcedure(before({ days: 2 })),
    ];
    expect(statusWith('repeated-weaning-failure', resources)).toBe('unknown');
  });
});

describe('prolonged-weaning', () => {
  it('is unknown when there is no weaning attempt on record', () => {
    expect(statusWith('prolonged-weaning', [ventilatedFor(9)])).toBe('unknown');
  });

  it('is met when still ventilated exactly 7 x 24 h after a weaning procedure', () => {
    expect(
      statusWith('prolonged-weaning', [ventilatedFor(20), weaningProcedure(before({ days: 7 }))]),
    ).toBe('met');
  });

  it('is not-met when still ventilated 1 s less than 7 x 24 h after a weaning procedure', () => {
    const started = after({ seconds: 1 }, before({ days: 7 }));
    expect(statusWith('prolonged-weaning', [ventilatedFor(20), weaningProcedure(started)])).toBe(
      'not-met',
    );
  });

  it('starts at the first extubation when it comes before any weaning procedure', () => {
    const resources = [
      intubation(before({ days: 20 })),
      ...failedExtubation(before({ days: 12 }), { hours: 24 }),
      ...chartedUntilNow(before({ days: 11 })),
      weaningProcedure(before({ days: 3 })),
    ];
    expect(statusWith('prolonged-weaning', resources)).toBe('met');
  });

  it('starts at a site-configured breathing-trial code', () => {
    const trial = observation({ local: SBT_DONE, at: before({ days: 8 }), valueString: 'done' });
    expect(
      statusWith('prolonged-weaning', [ventilatedFor(20), trial], { prepared: siteWithSbtCodes() }),
    ).toBe('met');
  });

  it('runs to liberation: exactly 7 x 24 h from weaning to an extubation without reintubation is met', () => {
    const weaned = before({ days: 15 });
    const resources = [
      intubation(before({ days: 25 })),
      weaningProcedure(weaned),
      extubation(after({ days: 7 }, weaned)),
    ];
    expect(statusWith('prolonged-weaning', resources)).toBe('met');
  });

  it('runs to liberation: 1 s less than 7 x 24 h from weaning to liberation is not-met', () => {
    const weaned = before({ days: 15 });
    const resources = [
      intubation(before({ days: 25 })),
      weaningProcedure(weaned),
      extubation(before({ seconds: 1 }, after({ days: 7 }, weaned))),
    ];
    expect(statusWith('prolonged-weaning', resources)).toBe('not-met');
  });

  it('counts an extubation less than 48 h ago with no reintubation as liberation for now', () => {
    // Weaning began 7.5 days ago and the patient was extubated a day ago: 6.5 days of weaning.
    const resources = [
      intubation(before({ days: 20 })),
      weaningProcedure(before({ days: 7, hours: 12 })),
      extubation(before({ days: 1 })),
    ];
    expect(statusWith('prolonged-weaning', resources)).toBe('not-met');
  });

  it('is met when weaning lasted 9 days up to a recent extubation', () => {
    const resources = [
      intubation(before({ days: 20 })),
      weaningProcedure(before({ days: 10 })),
      extubation(before({ days: 1 })),
    ];
    expect(statusWith('prolonged-weaning', resources)).toBe('met');
  });

  it('does not end weaning at an extubation followed by reintubation within 48 h', () => {
    const resources = [
      intubation(before({ days: 20 })),
      weaningProcedure(before({ days: 10 })),
      ...failedExtubation(before({ days: 6 }), { hours: 36 }),
      ...chartedUntilNow(after({ hours: 36 }, before({ days: 6 }))),
    ];
    expect(statusWith('prolonged-weaning', resources)).toBe('met');
  });

  it('is not-met when still ventilated 6 days after the first weaning attempt', () => {
    expect(
      statusWith('prolonged-weaning', [ventilatedFor(20), weaningProcedure(before({ days: 6 }))]),
    ).toBe('not-met');
  });

  it('does not take pressure support ventilation as a weaning attempt', () => {
    const psv = procedure({
      snomed: CODES.pressureSupport,
      status: 'in-progress',
      performedPeriod: { start: before({ days: 8 }) },
    });
    expect(statusWith('prolonged-weaning', [intubation(before({ days: 12 })), psv])).toBe(
      'unknown',
    );
  });

  it('ignores weaning attempts of an earlier episode', () => {
    const earlier = [
      intubation(before({ days: 40 })),
      weaningProcedure(before({ days: 38 })),
      extubation(before({ days: 30 })),
    ];
    expect(statusWith('prolonged-weaning', [...earlier, intubation(before({ days: 9 }))])).toBe(
      'unknown',
    );
  });
});
