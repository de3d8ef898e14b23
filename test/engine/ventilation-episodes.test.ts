import type { FhirResource } from 'fhir/r4';
import {
  adultPatient,
  after,
  before,
  CODES,
  extubation,
  fio2,
  fio2Setting,
  intubation,
  NOW,
  peep,
  plateau,
  procedure,
  searchedExcept,
  series,
  ventilatedFor,
  ventilatorDeviceUse,
} from '../builders/fhir-builders';
import { configuredScreening, criterion, screen, statusOf } from '../builders/screening';

function ventOf(resources: FhirResource[], options?: Parameters<typeof screen>[1]) {
  return screen([adultPatient(), ...resources], options);
}
const status = (resources: FhirResource[]) =>
  statusOf(ventOf(resources), 'invasive-ventilation-7d');

/** PEEP charted every `everyHours` from `from` to `to`. */
function peepCharting(from: string, to: string, everyHours = 12) {
  return series((at) => peep(8, at), { from, to, everyHours });
}

describe('invasive-ventilation-7d from ventilation procedures', () => {
  it.each([
    ['SNOMED 40617009 artificial ventilation', { snomed: '40617009' }],
    ['SNOMED 1258985005 invasive mechanical ventilation', { snomed: '1258985005' }],
    ['SNOMED 243150007 assist control', { snomed: '243150007' }],
    ['SNOMED 59427005 SIMV', { snomed: '59427005' }],
    ['SNOMED 243143008 APRV', { snomed: '243143008' }],
    ['SNOMED 1259864003 pressure support ventilation', { snomed: '1259864003' }],
    ['SNOMED 26763009 controlled ventilation', { snomed: '26763009' }],
    ['CPT 94002', { cpt: '94002' }],
    ['CPT 94003', { cpt: '94003' }],
    ['ICD-10-PCS 5A1935Z', { icd10pcs: '5A1935Z' }],
    ['ICD-10-PCS 5A1945Z', { icd10pcs: '5A1945Z' }],
    ['ICD-10-PCS 5A1955Z', { icd10pcs: '5A1955Z' }],
  ])('is met by an in-progress procedure coded %s started 8 days ago', (_label, code) => {
    const p = procedure({
      ...code,
      status: 'in-progress',
      performedPeriod: { start: before({ days: 8 }) },
    });
    expect(status([p])).toBe('met');
  });

  it('is met when the ongoing episode started exactly 7 x 24 h before now', () => {
    expect(status([ventilatedFor(7)])).toBe('met');
  });

  it('is not met when the ongoing episode started 1 s less than 7 x 24 h before now', () => {
    const p = procedure({
      snomed: CODES.invasiveVentilation,
      status: 'in-progress',
      performedPeriod: { start: after({ seconds: 1 }, before({ days: 7 })) },
    });
    expect(status([p])).toBe('not-met');
  });

  it('is not met when ventilated for 3 days', () => {
    expect(status([ventilatedFor(3)])).toBe('not-met');
  });

  it.each(['not-done', 'entered-in-error', 'preparation', 'stopped'] as const)(
    'does not count a ventilation procedure with status %s',
    (s) => {
      const p = procedure({
        snomed: CODES.invasiveVentilation,
        status: s,
        performedPeriod: { start: before({ days: 8 }) },
      });
      expect(status([p])).toBe('not-met');
    },
  );

  it('ends a completed procedure without an end at its start', () => {
    const p = procedure({
      snomed: CODES.invasiveVentilation,
      status: 'completed',
      performedPeriod: { start: before({ days: 8 }) },
    });
    expect(status([p])).toBe('not-met');
  });

  it('counts a completed procedure whose period runs from 8 days ago to an hour ago', () => {
    const p = procedure({
      snomed: CODES.invasiveVentilation,
      status: 'completed',
      performedPeriod: { start: before({ days: 8 }), end: before({ hours: 1 }) },
    });
    expect(status([p])).toBe('met');
  });

  it('reports the current episode with its start and days', () => {
    const result = ventOf([ventilatedFor(9)]);
    const current = result.ventilation.episodes.filter((e) => e.current);
    expect(current).toHaveLength(1);
    expect(Date.parse(current[0]?.start ?? '')).toBe(Date.parse(before({ days: 9 })));
    expect(current[0]?.days).toBeCloseTo(9, 6);
  });
});

describe('invasive-ventilation-7d from intubation and extubation', () => {
  it('keeps a patient intubated 8 days ago, never extubated and charted since, in an ongoing episode', () => {
    const intubatedAt = before({ days: 8 });
    expect(
      status([intubation(intubatedAt), ...peepCharting(intubatedAt, before({ hours: 1 }))]),
    ).toBe('met');
  });

  it('asks to confirm an intubation 8 days ago with no extubation and nothing since (a stale record?)', () => {
    const result = ventOf([intubation(before({ days: 8 }))]);
    const c = criterion(result, 'invasive-ventilation-7d');
    expect(c.status).toBe('unknown');
    expect(c.reason).toMatch(/no extubation on record/);
    expect(c.confirmAtBedside).toBe(true);
  });

  it('reads such an intubation literally, as the rules document does, when the site turns corroboration off', () => {
    const prepared = configuredScreening((c) => {
      c.criteria.ventilation.requireCorroboration = false;
    });
    const result = ventOf([intubation(before({ days: 8 }))], { prepared });
    expect(statusOf(result, 'invasive-ventilation-7d')).toBe('met');
  });

  it('ends the episode at an extubation three days ago', () => {
    expect(status([intubation(before({ days: 10 })), extubation(before({ days: 3 }))])).toBe(
      'not-met',
    );
  });

  it('goes on through a failed extubation: reintubation exactly 48 h later', () => {
    const extubatedAt = before({ days: 6 });
    const resources = [
      intubation(before({ days: 10 })),
      extubation(extubatedAt),
      intubation(after({ hours: 48 }, extubatedAt)),
      ...peepCharting(after({ hours: 48 }, extubatedAt), before({ hours: 1 })),
    ];
    const result = ventOf(resources);
    expect(statusOf(result, 'invasive-ventilation-7d')).toBe('met');
    const current = result.ventilation.episodes.find((e) => e.current);
    expect(Date.parse(current?.start ?? '')).toBe(Date.parse(before({ days: 10 })));
    expect(current?.failedExtubations).toHaveLength(1);
  });

  it('starts a new episode when reintubation comes 48 h and 1 s after the extubation', () => {
    const extubatedAt = before({ days: 6 });
    const resources = [
      intubation(before({ days: 10 })),
      extubation(extubatedAt),
      intubation(after({ hours: 48, seconds: 1 }, extubatedAt)),
      ...peepCharting(after({ hours: 48, seconds: 1 }, extubatedAt), before({ hours: 1 })),
    ];
    const result = ventOf(resources);
    expect(statusOf(result, 'invasive-ventilation-7d')).toBe('not-met');
    const current = result.ventilation.episodes.find((e) => e.current);
    expect(Date.parse(current?.start ?? '')).toBe(
      Date.parse(after({ hours: 48, seconds: 1 }, extubatedAt)),
    );
    expect(current?.failedExtubations ?? []).toHaveLength(0);
  });
});

describe('invasive-ventilation-7d from ventilator-setting observations', () => {
  it('is met by PEEP charted every 12 h for 8 days up to an hour ago', () => {
    expect(status(peepCharting(before({ days: 8 }), before({ hours: 1 })))).toBe('met');
  });

  it('is met by plateau pressures charted through 8 days', () => {
    const charted = series((at) => plateau(25, at), {
      from: before({ days: 8 }),
      to: before({ hours: 1 }),
      everyHours: 12,
    });
    expect(status(charted)).toBe('met');
  });

  it('is met by FiO2 ventilator settings (19994-3) charted through 8 days', () => {
    const charted = series((at) => fio2Setting(40, at), {
      from: before({ days: 8 }),
      to: before({ hours: 1 }),
      everyHours: 12,
    });
    expect(status(charted)).toBe('met');
  });

  it('does not count inhaled FiO2 measurements (3150-0) as ventilation', () => {
    const charted = series((at) => fio2(40, at), {
      from: before({ days: 8 }),
      to: before({ hours: 1 }),
      everyHours: 12,
    });
    expect(status(charted)).toBe('not-met');
  });
});

describe('episode gaps and currency', () => {
  /** PEEP once a day at now - 1 h - k x 24 h, k = 0..8; older points shifted by `shift`. */
  function daily(shiftOlderThanDay3Seconds: number) {
    const out = [];
    for (let k = 0; k <= 8; k += 1) {
      const extra = k >= 4 ? shiftOlderThanDay3Seconds : 0;
      out.push(peep(8, before({ hours: 1 + 24 * k, seconds: extra })));
    }
    return out;
  }

  it('joins evidence points exactly 24 h apart into one episode', () => {
    expect(status(daily(0))).toBe('met');
  });

  it('splits the episode where two points are 24 h and 1 s apart', () => {
    const result = ventOf(daily(1));
    expect(statusOf(result, 'invasive-ventilation-7d')).toBe('not-met');
    const current = result.ventilation.episodes.find((e) => e.current);
    expect(Date.parse(current?.start ?? '')).toBe(Date.parse(before({ hours: 1 + 72 })));
  });

  it('is in an episode now when the last evidence is exactly 24 h old', () => {
    expect(status(peepCharting(before({ days: 9 }), before({ hours: 24 })))).toBe('met');
  });

  it('is not in an episode now when the last evidence is 24 h and 1 s old', () => {
    const from = before({ days: 9, seconds: 1 });
    const to = before({ hours: 24, seconds: 1 });
    expect(status(peepCharting(from, to))).toBe('not-met');
  });

  it('is not met when charting began 1 s less than 7 x 24 h ago', () => {
    const from = after({ seconds: 1 }, before({ days: 7 }));
    expect(status(peepCharting(from, NOW))).toBe('not-met');
  });

  it('is met when charting began exactly 7 x 24 h ago', () => {
    expect(status(peepCharting(before({ days: 7 }), NOW))).toBe('met');
  });
});

describe('what is not invasive ventilation', () => {
  it.each([
    ['428311008', '428311008'],
    ['447837008', '447837008'],
  ])('does not count a non-invasive ventilation procedure (SNOMED %s)', (_label, code) => {
    const p = procedure({
      snomed: code,
      status: 'in-progress',
      performedPeriod: { start: before({ days: 8 }) },
    });
    expect(status([p])).toBe('not-met');
  });

  it('does not count home oxygen therapy (SNOMED 426990007)', () => {
    const p = procedure({
      snomed: CODES.homeOxygen,
      status: 'in-progress',
      performedPeriod: { start: before({ days: 8 }) },
    });
    expect(status([p])).toBe('not-met');
  });

  it('does not count PEEP charted while a non-invasive ventilation procedure covers it', () => {
    const niv = procedure({
      snomed: CODES.nonInvasive,
      status: 'in-progress',
      performedPeriod: { start: before({ days: 8, hours: 1 }) },
    });
    expect(status([niv, ...peepCharting(before({ days: 8 }), before({ hours: 1 }))])).toBe(
      'not-met',
    );
  });

  it('counts the PEEP charted after a non-invasive ventilation period ended', () => {
    // NIV until 7 d 13 h ago; PEEP every 12 h from 8 d ago: the uncovered charting starts
    // 7 d 12 h ago, long enough on its own.
    const niv = procedure({
      snomed: CODES.nonInvasive,
      status: 'completed',
      performedPeriod: {
        start: before({ days: 8, hours: 1 }),
        end: before({ days: 7, hours: 13 }),
      },
    });
    expect(status([niv, ...peepCharting(before({ days: 8 }), before({ hours: 1 }))])).toBe('met');
  });

  it('does not count the PEEP charted during a non-invasive ventilation period that ended', () => {
    // NIV until 4 d ago: only four days of invasive charting remain.
    const niv = procedure({
      snomed: CODES.nonInvasive,
      status: 'completed',
      performedPeriod: { start: before({ days: 8, hours: 1 }), end: before({ days: 4 }) },
    });
    expect(status([niv, ...peepCharting(before({ days: 8 }), before({ hours: 1 }))])).toBe(
      'not-met',
    );
  });
});

describe('invasive-ventilation-7d from device use', () => {
  it.each(['449071006', '706172005'])(
    'counts the use of a mechanical ventilator (SNOMED %s) from 8 days ago to an hour ago',
    (code) => {
      const [device, use] = ventilatorDeviceUse({
        snomed: code,
        period: { start: before({ days: 8 }), end: before({ hours: 1 }) },
      });
      expect(status([device, use])).toBe('met');
    },
  );
});

describe('invasive-ventilation-7d when data are missing', () => {
  it('is not-met when ventilation data were searched and show no episode', () => {
    expect(status([])).toBe('not-met');
  });

  it('is unknown, not not-met, when procedures, observations and device use could not be searched', () => {
    const result = ventOf([], {
      availability: searchedExcept('Procedure', 'Observation', 'DeviceUseStatement'),
    });
    expect(statusOf(result, 'invasive-ventilation-7d')).toBe('unknown');
  });

  it('is unknown when no search could be done at all', () => {
    const result = ventOf([], { availability: {} });
    expect(criterion(result, 'invasive-ventilation-7d').status).toBe('unknown');
  });
});
