import type { CriteriaParameters, Range } from './config-types';
import {
  ELEMENT_LABEL,
  round,
  type Measurement,
  type MeasurementElement,
  type ObservationFacts,
  type SkippedMeasurement,
} from './observations';
import {
  closestWithin,
  earliestAfter,
  inWindow,
  latestAtOrBefore,
  notAfter,
  unusableIsNearer,
} from './pairing';
import { HOUR_MS, toIso } from './time';
import type { CriterionResult, CriterionStatus, Evidence } from './types';

/** A blood-gas value (or P/F) with what it was paired with. */
interface Reading {
  gas: Measurement;
  /** For a computed P/F: the PaO2 and FiO2 it came from. */
  sources?: { pao2: Measurement; fio2: Measurement };
  setting: Measurement | undefined;
  gasQualifies: boolean;
  qualifies: boolean;
}

/** P/F values in the lookback: computed from PaO2 + FiO2, and charted ones. */
export function pfRatios(
  facts: ObservationFacts,
  params: CriteriaParameters['bloodGas'],
  plausible: Range,
  from: number,
  now: number,
): {
  ratios: { gas: Measurement; sources?: Reading['sources'] }[];
  implausible: SkippedMeasurement[];
} {
  // Nothing charted after `now` existed at `now`.
  const fio2 = notAfter(facts.measurements.fio2, now);
  const ratios: { gas: Measurement; sources?: Reading['sources'] }[] = [];
  const implausible: SkippedMeasurement[] = [];
  for (const pao2 of inWindow(facts.measurements.pao2, from, now)) {
    const unusable = facts.unusableTimes.fio2;
    const beforeWindow = params.fio2BeforeHours * HOUR_MS;
    const afterWindow = params.fio2AfterMinutes * 60_000;
    const before = latestAtOrBefore(fio2, pao2.time, beforeWindow);
    const blockedBefore = unusableIsNearer(
      unusable,
      before,
      pao2.time,
      'latest-before',
      beforeWindow,
    );
    const after = before || blockedBefore ? undefined : earliestAfter(fio2, pao2.time, afterWindow);
    const blockedAfter =
      !before &&
      !blockedBefore &&
      unusableIsNearer(unusable, after, pao2.time, 'earliest-after', afterWindow);
    const f = blockedBefore || blockedAfter ? undefined : (before ?? after);
    // A PaO2 with no usable FiO2 (or whose FiO2 could not be read) gives no P/F: it counts for
    // nothing, as the rules say.
    if (!f) continue;
    const value = (100 * pao2.value) / f.value;
    if (value < plausible[0] || value > plausible[1]) {
      implausible.push({
        element: 'pfRatio',
        time: pao2.time,
        reference: pao2.reference,
        reason: `implausible computed P/F skipped (${round(value)} outside ${plausible[0]}-${plausible[1]}, FiO2 from ${f.reference})`,
      });
      continue;
    }
    ratios.push({
      gas: {
        element: 'pfRatio',
        value,
        unit: 'mm[Hg]',
        time: pao2.time,
        reference: pao2.reference,
        notes: [
          `computed from PaO2 ${round(pao2.value)} mm[Hg] and FiO2 ${round(f.value)} % (${f.reference})`,
          ...pao2.notes,
        ],
      },
      sources: { pao2, fio2: f },
    });
  }
  for (const charted of inWindow(facts.measurements.pfRatio, from, now)) {
    ratios.push({ gas: { ...charted, notes: ['charted P/F', ...charted.notes] } });
  }
  return { ratios, implausible };
}

function gasEvidence(r: Reading, role: Evidence['role']): Evidence[] {
  const out: Evidence[] = [toEvidence(r.gas, role)];
  if (r.setting) out.push(toEvidence(r.setting, role));
  return out;
}

export function toEvidence(
  m: Measurement,
  role?: Evidence['role'],
  extra: string[] = [],
): Evidence {
  const notes = [...m.notes, ...extra];
  return {
    label: ELEMENT_LABEL[m.element],
    value: m.value,
    unit: m.unit,
    time: toIso(m.time),
    reference: m.reference,
    ...(notes.length ? { notes } : {}),
    ...(role ? { role } : {}),
  };
}

export interface PairedCriterionSpec {
  id: 'pf-ratio-on-peep' | 'hypercapnia-on-plateau' | 'acidosis-on-plateau';
  gases: { gas: Measurement; sources?: Reading['sources'] }[];
  settings: readonly Measurement[];
  gasQualifies: (v: number) => boolean;
  settingQualifies: (v: number) => boolean;
  /** Lower is worse (P/F, pH) or higher is worse (PaCO2). */
  worse: (a: number, b: number) => boolean;
  describe: string;
  settingElement: 'peep' | 'plateau';
  skippedElements: MeasurementElement[];
  /** Values of the gas element dated by day only: unpaired, but they may qualify. */
  undated: readonly Measurement[];
  /** Skipped values found while deriving the gases (implausible computed P/F). */
  alsoSkipped?: readonly SkippedMeasurement[];
}

const MAX_SKIPPED_SHOWN = 5;

/**
 * The "value X when setting Y" criteria: each blood gas in the lookback is paired with the
 * setting closest in time; met if any pair meets both thresholds (rules: "Pairing in time").
 */
export function evaluatePairedCriterion(
  spec: PairedCriterionSpec,
  facts: ObservationFacts,
  params: CriteriaParameters['bloodGas'],
  lookback: { from: number; to: number },
): CriterionResult {
  const window = params.ventilatorSettingHours * HOUR_MS;
  const settings = notAfter(spec.settings, lookback.to);
  const unusable = facts.unusableTimes[spec.settingElement];
  const dated: Reading[] = spec.gases.map(({ gas, sources }) => {
    const nearest = closestWithin(settings, gas.time, window);
    const setting = unusableIsNearer(unusable, nearest, gas.time, 'closest', window)
      ? undefined
      : nearest;
    const gasQualifies = spec.gasQualifies(gas.value);
    return {
      gas,
      ...(sources ? { sources } : {}),
      setting,
      gasQualifies,
      qualifies: gasQualifies && setting !== undefined && spec.settingQualifies(setting.value),
    };
  });
  const undated: Reading[] = spec.undated.map((gas) => ({
    gas,
    setting: undefined,
    gasQualifies: spec.gasQualifies(gas.value),
    qualifies: false,
  }));
  const readings = [...dated, ...undated];
  const paired = readings.filter((r) => r.setting !== undefined);
  const qualifying = readings.filter((r) => r.qualifies);
  const unpairedQualifying = readings.filter((r) => !r.setting && r.gasQualifies);

  const pick = (list: Reading[]) =>
    list.reduce<Reading | undefined>(
      (w, r) => (!w || spec.worse(r.gas.value, w.gas.value) ? r : w),
      undefined,
    );
  const latest = paired.reduce<Reading | undefined>(
    (l, r) => (!l || r.gas.time >= l.gas.time ? r : l),
    undefined,
  );

  let status: CriterionStatus;
  let reason: string;
  const evidence: Evidence[] = [];
  const worst = pick(qualifying);
  if (worst) {
    status = 'met';
    reason = `${spec.describe}: ${describeReading(worst)}`;
    evidence.push(...gasEvidence(worst, 'worst-qualifying'));
  } else if (paired.length > 0 && unpairedQualifying.length === 0) {
    status = 'not-met';
    const w = pick(paired) as Reading;
    reason = `No qualifying pair in ${params.lookbackHours} h (worst: ${describeReading(w)})`;
    if (w !== latest) evidence.push(...gasEvidence(w, 'worst-pair'));
  } else if (unpairedQualifying.length > 0) {
    status = 'unknown';
    const u = pick(unpairedQualifying) as Reading;
    reason = `${describeGas(u.gas)} qualifies but no ${ELEMENT_LABEL[spec.settingElement]} charted within ${params.ventilatorSettingHours} h: confirm`;
    evidence.push(toEvidence(u.gas, 'unpaired-qualifying'));
  } else {
    status = 'unknown';
    reason =
      readings.length === 0
        ? `No usable blood gas in the last ${params.lookbackHours} h`
        : `No ${ELEMENT_LABEL[spec.settingElement]} charted within ${params.ventilatorSettingHours} h of any blood gas`;
  }
  if (latest && latest !== worst) evidence.push(...gasEvidence(latest, 'most-recent'));
  else if (latest && latest === worst) {
    for (const e of evidence) e.notes = [...(e.notes ?? []), 'also the most recent pair'];
  }
  evidence.push(
    ...skippedEvidence(
      [...facts.skipped, ...(spec.alsoSkipped ?? [])],
      spec.skippedElements,
      lookback,
      window,
    ),
  );
  return {
    id: spec.id,
    kind: 'inclusion',
    group: 'physiology-or-weaning',
    status,
    reason,
    evidence,
  };
}

function describeGas(m: Measurement): string {
  const v = m.element === 'ph' ? round(m.value, 2) : Math.round(m.value);
  return `${ELEMENT_LABEL[m.element]} ${v}`;
}

function describeReading(r: Reading): string {
  const setting = r.setting
    ? ` on ${r.setting.element === 'peep' ? 'PEEP' : 'plateau'} ${round(r.setting.value)} cmH2O`
    : '';
  return `${describeGas(r.gas)}${setting} at ${toIso(r.gas.time).slice(0, 16)}Z`;
}

function skippedEvidence(
  skipped: readonly SkippedMeasurement[],
  elements: MeasurementElement[],
  lookback: { from: number; to: number },
  window: number,
): Evidence[] {
  const relevant = skipped.filter(
    (s) =>
      elements.includes(s.element) &&
      s.time !== undefined &&
      s.time >= lookback.from - window &&
      s.time <= lookback.to,
  );
  const shown: Evidence[] = relevant.slice(-MAX_SKIPPED_SHOWN).map((s) => ({
    label: ELEMENT_LABEL[s.element],
    time: toIso(s.time as number),
    reference: s.reference,
    notes: [s.reason],
    role: 'skipped' as const,
  }));
  if (relevant.length > MAX_SKIPPED_SHOWN) {
    shown.push({
      label: 'Skipped values',
      notes: [`${relevant.length - MAX_SKIPPED_SHOWN} more values skipped for data quality`],
      role: 'skipped',
    });
  }
  return shown;
}
