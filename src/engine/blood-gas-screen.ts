import type { CriteriaParameters } from './config-types';
import { evaluatePairedCriterion, pfRatios } from './blood-gas-criteria';
import type { ObservationFacts } from './observations';
import { HOUR_MS } from './time';
import type { CriterionResult } from './types';

/**
 * The three "blood gas when ventilator setting" members of the group, over the lookback:
 * `pf-ratio-on-peep`, `hypercapnia-on-plateau`, `acidosis-on-plateau`.
 */
export function evaluateBloodGasCriteria(
  observations: ObservationFacts,
  params: CriteriaParameters,
  now: number,
  observationsSearched: boolean,
): CriterionResult[] {
  const lookback = { from: now - params.bloodGas.lookbackHours * HOUR_MS, to: now };
  const inLookback = (list: typeof observations.measurements.paco2) =>
    list.filter((m) => m.time >= lookback.from && m.time <= now).map((gas) => ({ gas }));
  // A value dated by day counts if any of its day falls in the lookback.
  const undatedIn = (element: 'pfRatio' | 'paco2' | 'ph') =>
    observations.undated.filter(
      (m) => m.element === element && m.timeEnd >= lookback.from && m.time <= now,
    );
  const { thresholds: th } = params;
  const { ratios, implausible } = pfRatios(
    observations,
    params.bloodGas,
    params.plausibility.pfRatio,
    lookback.from,
    now,
  );
  const bloodGas = [
    evaluatePairedCriterion(
      {
        id: 'pf-ratio-on-peep',
        gases: ratios,
        settings: observations.measurements.peep,
        gasQualifies: (v) => v <= th.pfRatioMax,
        settingQualifies: (v) => v >= th.peepMin,
        worse: (a, b) => a < b,
        describe: `P/F <= ${th.pfRatioMax} on PEEP >= ${th.peepMin}`,
        settingElement: 'peep',
        undated: undatedIn('pfRatio'),
        skippedElements: ['pao2', 'fio2', 'pfRatio', 'peep'],
        alsoSkipped: implausible,
      },
      observations,
      params.bloodGas,
      lookback,
    ),
    evaluatePairedCriterion(
      {
        id: 'hypercapnia-on-plateau',
        gases: inLookback(observations.measurements.paco2),
        settings: observations.measurements.plateau,
        gasQualifies: (v) => v >= th.paco2Min,
        settingQualifies: (v) => v >= th.plateauMin,
        worse: (a, b) => a > b,
        describe: `PaCO2 >= ${th.paco2Min} on plateau >= ${th.plateauMin}`,
        settingElement: 'plateau',
        skippedElements: ['paco2', 'plateau'],
        undated: undatedIn('paco2'),
      },
      observations,
      params.bloodGas,
      lookback,
    ),
    evaluatePairedCriterion(
      {
        id: 'acidosis-on-plateau',
        gases: inLookback(observations.measurements.ph),
        settings: observations.measurements.plateau,
        gasQualifies: (v) => v <= th.phMax,
        settingQualifies: (v) => v >= th.plateauMin,
        worse: (a, b) => a < b,
        describe: `pH <= ${th.phMax} on plateau >= ${th.plateauMin}`,
        settingElement: 'plateau',
        skippedElements: ['ph', 'plateau'],
        undated: undatedIn('ph'),
      },
      observations,
      params.bloodGas,
      lookback,
    ),
  ];
  if (!observationsSearched) {
    for (const c of bloodGas) {
      if (c.status === 'not-met') {
        c.status = 'unknown';
        c.reason = 'Observations could not be obtained';
      }
    }
  }

  return bloodGas;
}
