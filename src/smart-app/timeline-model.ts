import { pfRatios } from '../engine/blood-gas-criteria';
import type { PreparedScreening } from '../engine/evaluate';
import { readObservations, type Measurement } from '../engine/observations';
import { sortByType } from '../engine/resource-index';
import { DAY_MS, HOUR_MS } from '../engine/time';
import type { CriterionId, Evidence, ScreeningResult } from '../engine/types';
import { formatInstant, formatValue } from '../report/format-evidence';

/** The five measurements the worksheet charts, each in its own panel. */
export type SeriesId = 'pf' | 'peep' | 'plateau' | 'paco2' | 'ph';

export const SERIES_ORDER: readonly SeriesId[] = ['pf', 'peep', 'plateau', 'paco2', 'ph'];

export interface SeriesPoint {
  /** Epoch ms. */
  time: number;
  /** Canonical unit (mm[Hg], cm[H2O], [pH]). */
  value: number;
  reference: string;
  /** A P/F computed from PaO2 and FiO2 (not charted as such). */
  computed?: boolean;
}

export interface Threshold {
  value: number;
  /** Which side of the line qualifies. */
  qualifies: 'at-or-below' | 'at-or-above';
}

export interface SeriesInfo {
  id: SeriesId;
  label: string;
  unit: string;
  points: SeriesPoint[];
  threshold: Threshold;
}

/** A value the screen paired with another (or left unpaired), numbered for the chart's legend. */
export interface MarkedPoint {
  series: SeriesId;
  time: number;
  value: number;
}

export interface MarkedPair {
  /** 1, 2, ...: the number drawn beside the points. */
  number: number;
  criterion: CriterionId;
  role: NonNullable<Evidence['role']>;
  points: MarkedPoint[];
  /** One line for the legend: "worst qualifying: PaCO2 74 mmHg with plateau 35 cmH2O at ...". */
  text: string;
}

export interface EpisodeBar {
  start: number;
  end: number;
  current: boolean;
  days: number;
  /** Times of extubations that were followed by reintubation. */
  failedExtubations: number[];
}

/** Everything the worksheet's timeline draws, from one result and the resources behind it. */
export interface TimelineModel {
  now: number;
  series: Record<SeriesId, SeriesInfo>;
  episodes: EpisodeBar[];
  pairs: MarkedPair[];
  /** The blood-gas lookback of the rules (start, now). */
  lookback: [number, number];
  /** X ranges the user can choose between, epoch ms. */
  ranges: { episode: [number, number]; lookback: [number, number]; all: [number, number] };
  /**
   * False when nothing shows ventilation going on: no current episode, and no PEEP or plateau
   * charted (an old, ended episode does not count).
   */
  hasVentilationData: boolean;
}

const GAS_CRITERIA: readonly CriterionId[] = [
  'pf-ratio-on-peep',
  'hypercapnia-on-plateau',
  'acidosis-on-plateau',
];

const SERIES_OF_LABEL: Readonly<Record<string, SeriesId>> = {
  'P/F ratio': 'pf',
  PEEP: 'peep',
  'Plateau pressure': 'plateau',
  PaCO2: 'paco2',
  pH: 'ph',
};

const GAS_SERIES: ReadonlySet<SeriesId> = new Set<SeriesId>(['pf', 'paco2', 'ph']);

const ROLE_TEXT: Readonly<Record<NonNullable<Evidence['role']>, string>> = {
  'worst-qualifying': 'worst qualifying',
  'worst-pair': 'worst pair',
  'most-recent': 'most recent',
  'unpaired-qualifying': 'qualifying, unpaired',
  skipped: 'skipped',
};

function points(list: readonly Measurement[], now: number): SeriesPoint[] {
  return list
    .filter((m) => m.time <= now)
    .map((m) => ({ time: m.time, value: m.value, reference: m.reference }));
}

/**
 * The pairs of values behind the blood-gas criteria, numbered: each gas (P/F, PaCO2, pH) with
 * the PEEP or plateau the engine paired it with, as the evidence lists them (gas first). The
 * same pair shown by two criteria (the latest plateau with both PaCO2 and pH) keeps both gases.
 */
export function markedPairs(result: ScreeningResult): MarkedPair[] {
  const pairs: MarkedPair[] = [];
  const seen = new Set<string>();
  for (const id of GAS_CRITERIA) {
    const criterion = result.criteria.find((c) => c.id === id);
    if (!criterion) continue;
    let current: { gas: Evidence; setting?: Evidence } | undefined;
    const flush = () => {
      if (!current) return;
      const { gas, setting } = current;
      current = undefined;
      const items = setting ? [gas, setting] : [gas];
      const marked: MarkedPoint[] = [];
      for (const e of items) {
        const series = SERIES_OF_LABEL[e.label];
        const time = e.time === undefined ? NaN : Date.parse(e.time);
        if (series && typeof e.value === 'number' && Number.isFinite(time)) {
          marked.push({ series, time, value: e.value });
        }
      }
      if (marked.length === 0) return;
      const key = marked.map((p) => `${p.series}@${p.time}`).join('|');
      if (seen.has(key)) return;
      seen.add(key);
      const role = gas.role ?? 'most-recent';
      const what = setting
        ? `${gas.label} ${formatValue(gas)} with ${setting.label === 'PEEP' ? 'PEEP' : setting.label.toLowerCase()} ${formatValue(setting)}`
        : `${gas.label} ${formatValue(gas)}, no ${id === 'pf-ratio-on-peep' ? 'PEEP' : 'plateau'} charted near it`;
      pairs.push({
        number: pairs.length + 1,
        criterion: id,
        role,
        points: marked,
        text: `${ROLE_TEXT[role]}: ${what} at ${formatInstant(gas.time)}`,
      });
    };
    for (const e of criterion.evidence) {
      if (!e.role || e.role === 'skipped') continue;
      const series = SERIES_OF_LABEL[e.label];
      if (series === undefined) continue;
      if (GAS_SERIES.has(series)) {
        flush();
        current = { gas: e };
      } else if (current && !current.setting && current.gas.role === e.role) {
        current.setting = e;
        flush();
      }
    }
    flush();
  }
  return pairs;
}

/**
 * Builds the worksheet's timeline from the same resources and prepared configuration the engine
 * evaluated: every PEEP, plateau, PaCO2 and pH the engine could read (canonical units, implausible
 * and unreadable values left out as the engine leaves them out), P/F as the engine derives it
 * (computed from PaO2 and FiO2, or charted), the episodes of the result, the thresholds of the
 * criteria, and the pairs the evidence names. No rule is restated here.
 */
export function buildTimelineModel(
  prepared: PreparedScreening,
  resources: readonly unknown[],
  result: ScreeningResult,
): TimelineModel {
  const params = prepared.config.criteria;
  const now = Date.parse(result.evaluatedAt);
  const observations = sortByType(resources).Observation;
  const facts = readObservations(observations, prepared.valueSets, params);
  const { ratios } = pfRatios(
    facts,
    params.bloodGas,
    params.plausibility.pfRatio,
    Number.NEGATIVE_INFINITY,
    now,
  );
  const pf: SeriesPoint[] = ratios
    .map(({ gas, sources }) => ({
      time: gas.time,
      value: gas.value,
      reference: gas.reference,
      ...(sources ? { computed: true } : {}),
    }))
    .sort((a, b) => a.time - b.time);

  const t = params.thresholds;
  const series: Record<SeriesId, SeriesInfo> = {
    pf: {
      id: 'pf',
      label: 'P/F ratio',
      unit: 'mm[Hg]',
      points: pf,
      threshold: { value: t.pfRatioMax, qualifies: 'at-or-below' },
    },
    peep: {
      id: 'peep',
      label: 'PEEP',
      unit: 'cm[H2O]',
      points: points(facts.measurements.peep, now),
      threshold: { value: t.peepMin, qualifies: 'at-or-above' },
    },
    plateau: {
      id: 'plateau',
      label: 'Plateau pressure',
      unit: 'cm[H2O]',
      points: points(facts.measurements.plateau, now),
      threshold: { value: t.plateauMin, qualifies: 'at-or-above' },
    },
    paco2: {
      id: 'paco2',
      label: 'PaCO2',
      unit: 'mm[Hg]',
      points: points(facts.measurements.paco2, now),
      threshold: { value: t.paco2Min, qualifies: 'at-or-above' },
    },
    ph: {
      id: 'ph',
      label: 'pH',
      unit: '[pH]',
      points: points(facts.measurements.ph, now),
      threshold: { value: t.phMax, qualifies: 'at-or-below' },
    },
  };

  const episodes: EpisodeBar[] = result.ventilation.episodes.map((e) => ({
    start: Date.parse(e.start),
    end: Date.parse(e.end),
    current: e.current,
    days: e.days,
    failedExtubations: e.failedExtubations.map((f) => Date.parse(f.extubation)),
  }));
  const lookback: [number, number] = [now - params.bloodGas.lookbackHours * HOUR_MS, now];
  const focus = episodes.find((e) => e.current) ?? episodes[episodes.length - 1];
  // A little room before the episode's first evidence, so its first points are not on the edge.
  const episodeRange: [number, number] = focus
    ? [focus.start - 6 * HOUR_MS, Math.max(focus.end, lookback[1])]
    : [now - 7 * DAY_MS, now];
  const firstTimes = [
    ...episodes.map((e) => e.start),
    ...SERIES_ORDER.map((id) => series[id].points[0]?.time ?? now),
  ];
  const all: [number, number] = [Math.min(episodeRange[0], ...firstTimes), now];

  return {
    now,
    series,
    episodes,
    pairs: markedPairs(result),
    lookback,
    ranges: { episode: episodeRange, lookback, all },
    hasVentilationData:
      episodes.some((e) => e.current) ||
      series.peep.points.length > 0 ||
      series.plateau.points.length > 0,
  };
}
