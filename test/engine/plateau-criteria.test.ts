import type { Observation } from 'fhir/r4';
import {
  adultPatient,
  after,
  before,
  paco2,
  peep,
  ph,
  plateau,
  ventilatedFor,
} from '../builders/fhir-builders';
import { criterion, evidenceInRole, screen, valueInRole } from '../builders/screening';

/** Time of the blood gas in most scenarios: two hours before now. */
const T = before({ hours: 2 });

function run(id: 'hypercapnia-on-plateau' | 'acidosis-on-plateau', ...resources: Observation[]) {
  return criterion(screen([adultPatient(), ventilatedFor(9), ...resources]), id);
}
const hypercapniaOf = (...r: Observation[]) => run('hypercapnia-on-plateau', ...r);
const acidosisOf = (...r: Observation[]) => run('acidosis-on-plateau', ...r);

describe('hypercapnia-on-plateau thresholds (PaCO2 >= 50 mmHg, plateau >= 30 cmH2O)', () => {
  it('is met at PaCO2 exactly 50 with plateau exactly 30', () => {
    const c = hypercapniaOf(paco2(50, T), plateau(30, T));
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', 'mm[Hg]')).toBeCloseTo(50, 6);
    expect(valueInRole(c, 'worst-qualifying', 'cm[H2O]')).toBeCloseTo(30, 6);
  });

  it('is met just above, at PaCO2 50.1', () => {
    expect(hypercapniaOf(paco2(50.1, T), plateau(32, T)).status).toBe('met');
  });

  it('is not met just below, at PaCO2 49.9', () => {
    expect(hypercapniaOf(paco2(49.9, T), plateau(32, T)).status).toBe('not-met');
  });

  it('is met at plateau 30.1', () => {
    expect(hypercapniaOf(paco2(55, T), plateau(30.1, T)).status).toBe('met');
  });

  it('is not met at plateau 29.9', () => {
    expect(hypercapniaOf(paco2(55, T), plateau(29.9, T)).status).toBe('not-met');
  });

  it.each([
    ['LOINC 76259-1', { loinc: '76259-1' }],
    ['LOINC 20060-0', { loinc: '20060-0' }],
    ['SNOMED 698822002', { snomed: '698822002' }],
  ])('reads a plateau coded %s', (_label, code) => {
    expect(hypercapniaOf(paco2(55, T), plateau(32, T, code)).status).toBe('met');
  });

  it('does not take a PEEP as a plateau pressure', () => {
    expect(hypercapniaOf(paco2(55, T), peep(32, T)).status).toBe('unknown');
  });
});

describe('acidosis-on-plateau thresholds (pH <= 7.25, plateau >= 30 cmH2O)', () => {
  it('is met at pH exactly 7.25 with plateau exactly 30', () => {
    const c = acidosisOf(ph(7.25, T), plateau(30, T));
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', '[pH]')).toBeCloseTo(7.25, 6);
  });

  it('is met just below, at pH 7.24', () => {
    expect(acidosisOf(ph(7.24, T), plateau(32, T)).status).toBe('met');
  });

  it('is not met just above, at pH 7.26', () => {
    expect(acidosisOf(ph(7.26, T), plateau(32, T)).status).toBe('not-met');
  });

  it('is not met at plateau 29.9', () => {
    expect(acidosisOf(ph(7.2, T), plateau(29.9, T)).status).toBe('not-met');
  });

  it('is met at plateau 30.1', () => {
    expect(acidosisOf(ph(7.2, T), plateau(30.1, T)).status).toBe('met');
  });
});

describe('pairing a blood gas with the plateau pressure', () => {
  it('uses a plateau exactly 2 h before the PaCO2', () => {
    expect(hypercapniaOf(paco2(55, T), plateau(32, before({ hours: 2 }, T))).status).toBe('met');
  });

  it('uses a plateau exactly 2 h after the PaCO2', () => {
    expect(hypercapniaOf(paco2(55, T), plateau(32, after({ hours: 2 }, T))).status).toBe('met');
  });

  it('leaves the PaCO2 unpaired when the plateau is 2 h and 1 s away', () => {
    expect(
      hypercapniaOf(paco2(55, T), plateau(32, before({ hours: 2, seconds: 1 }, T))).status,
    ).toBe('unknown');
  });

  it('leaves the pH unpaired when the plateau is 2 h and 1 s after', () => {
    expect(acidosisOf(ph(7.2, T), plateau(32, after({ hours: 2, seconds: 1 }, T))).status).toBe(
      'unknown',
    );
  });

  it('takes the plateau closest in time', () => {
    const c = hypercapniaOf(
      paco2(55, T),
      plateau(25, before({ minutes: 20 }, T)),
      plateau(35, after({ minutes: 60 }, T)),
    );
    expect(c.status).toBe('not-met');
  });

  it('on a tie takes the earlier plateau (low before, high after: not met)', () => {
    const c = acidosisOf(
      ph(7.2, T),
      plateau(25, before({ hours: 1 }, T)),
      plateau(35, after({ hours: 1 }, T)),
    );
    expect(c.status).toBe('not-met');
  });

  it('on a tie takes the earlier plateau (high before, low after: met)', () => {
    const c = acidosisOf(
      ph(7.2, T),
      plateau(35, before({ hours: 1 }, T)),
      plateau(25, after({ hours: 1 }, T)),
    );
    expect(c.status).toBe('met');
    expect(valueInRole(c, 'worst-qualifying', 'cm[H2O]')).toBeCloseTo(35, 6);
  });
});

describe('lookback for plateau criteria', () => {
  it('screens a PaCO2 drawn exactly 48 h before now', () => {
    const at = before({ hours: 48 });
    expect(hypercapniaOf(paco2(55, at), plateau(32, at)).status).toBe('met');
  });

  it('does not screen a PaCO2 drawn 48 h and 1 s before now', () => {
    const at = before({ hours: 48, seconds: 1 });
    expect(hypercapniaOf(paco2(55, at), plateau(32, at)).status).toBe('unknown');
  });

  it('does not screen a pH drawn 48 h and 1 s before now', () => {
    const at = before({ hours: 48, seconds: 1 });
    expect(acidosisOf(ph(7.1, at), plateau(32, at)).status).toBe('unknown');
  });
});

describe('not-met versus unknown on plateau criteria', () => {
  const older = before({ hours: 10 });

  it('is unknown when a PaCO2 that qualifies on its own has no plateau near it', () => {
    const c = hypercapniaOf(paco2(45, T), plateau(32, T), paco2(60, older, { id: 'lonely-co2' }));
    expect(c.status).toBe('unknown');
    expect(evidenceInRole(c, 'unpaired-qualifying').map((e) => e.reference)).toContain(
      'Observation/lonely-co2',
    );
  });

  it('is not-met when the unpaired PaCO2 would not qualify either', () => {
    expect(hypercapniaOf(paco2(45, T), plateau(32, T), paco2(48, older)).status).toBe('not-met');
  });

  it('is not-met when a qualifying PaCO2 is paired with a low plateau', () => {
    expect(hypercapniaOf(paco2(60, T), plateau(25, T)).status).toBe('not-met');
  });

  it('is unknown when the only PaCO2 is unpaired and does not qualify', () => {
    expect(hypercapniaOf(paco2(40, T)).status).toBe('unknown');
  });

  it('is unknown when a pH that qualifies on its own has no plateau near it', () => {
    expect(acidosisOf(ph(7.35, T), plateau(32, T), ph(7.15, older)).status).toBe('unknown');
  });

  it('is not-met when the unpaired pH would not qualify either', () => {
    expect(acidosisOf(ph(7.35, T), plateau(32, T), ph(7.3, older)).status).toBe('not-met');
  });

  it('is unknown with no blood gas at all', () => {
    expect(acidosisOf(plateau(32, T)).status).toBe('unknown');
  });
});

describe('plateau criteria evidence', () => {
  const at = (h: number) => before({ hours: h });

  it('shows the highest qualifying PaCO2 as worst and the latest pair as most recent', () => {
    const c = hypercapniaOf(
      paco2(58, at(30), { id: 'co2-a' }),
      plateau(31, at(30), { id: 'plat-a' }),
      paco2(72, at(20), { id: 'co2-b' }),
      plateau(33, at(20), { id: 'plat-b' }),
      paco2(44, at(1), { id: 'co2-c' }),
      plateau(28, at(1), { id: 'plat-c' }),
    );
    expect(c.status).toBe('met');
    expect(evidenceInRole(c, 'worst-qualifying').map((e) => e.reference)).toEqual(
      expect.arrayContaining(['Observation/co2-b', 'Observation/plat-b']),
    );
    expect(valueInRole(c, 'worst-qualifying', 'mm[Hg]')).toBeCloseTo(72, 6);
    expect(evidenceInRole(c, 'most-recent').map((e) => e.reference)).toEqual(
      expect.arrayContaining(['Observation/co2-c', 'Observation/plat-c']),
    );
    expect(valueInRole(c, 'most-recent', 'mm[Hg]')).toBeCloseTo(44, 6);
  });

  it('shows the lowest qualifying pH as worst and the latest pair as most recent', () => {
    const c = acidosisOf(
      ph(7.2, at(30), { id: 'ph-a' }),
      plateau(31, at(30)),
      ph(7.05, at(20), { id: 'ph-b' }),
      plateau(33, at(20)),
      ph(7.38, at(1), { id: 'ph-c' }),
      plateau(31, at(1)),
    );
    expect(c.status).toBe('met');
    expect(evidenceInRole(c, 'worst-qualifying').map((e) => e.reference)).toContain(
      'Observation/ph-b',
    );
    expect(valueInRole(c, 'worst-qualifying', '[pH]')).toBeCloseTo(7.05, 6);
    expect(evidenceInRole(c, 'most-recent').map((e) => e.reference)).toContain('Observation/ph-c');
    expect(valueInRole(c, 'most-recent', '[pH]')).toBeCloseTo(7.38, 6);
  });
});
