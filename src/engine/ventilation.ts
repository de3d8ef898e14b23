import type { DeviceUseFact, ProcedureFact, ProcedureValueSet } from './clinical-facts';
import type { CriteriaParameters } from './config-types';
import { HOUR_MS } from './time';

/** One piece of evidence that the patient was invasively ventilated over [start, end]. */
export interface VentilationEvidence {
  start: number;
  end: number;
  /** Ongoing at `now` (an in-progress procedure without end, an intubation not yet undone). */
  ongoing: boolean;
  /** An intubation with no later extubation or intubation on record: its end is assumed. */
  open: boolean;
  reference: string;
  /** Observations are charting; procedures, intubations and devices are explicit records. */
  source: 'observation' | 'procedure' | 'intubation' | 'device';
}

/** A charted extubation. */
export interface ExtubationEvent {
  time: number;
  reference: string;
}

/** An extubation and what followed it within the reintubation window. */
export interface Reintubation {
  extubation: ExtubationEvent;
  time: number;
  reference: string;
  source: VentilationEvidence['source'];
}

/** An episode of invasive ventilation, in milliseconds since the epoch. */
export interface Episode {
  start: number;
  /** Last evidence, or the extubation that ended it; `now` while ongoing. */
  end: number;
  current: boolean;
  /** Extubations followed by reintubation within the window: failed weaning attempts. */
  failedExtubations: Reintubation[];
  /** Extubation and reintubation minutes apart: a tube exchange, not a weaning attempt. */
  tubeExchanges: Reintubation[];
  endedByExtubation: ExtubationEvent | undefined;
  references: string[];
}

/**
 * How much to believe of the record:
 * - `as-charted`: the rules document read literally. An intubation lasts until the next
 *   extubation, however long ago it was; ventilator charting after an extubation is a
 *   reintubation.
 * - `confirmed`: only what other records bear out. An intubation with no later extubation lasts
 *   only as long as other evidence follows it; after an extubation only an intubation, a
 *   ventilation procedure or a ventilator device is a reintubation (charting alone may be NIV or
 *   high-flow after extubation, often not recorded as a procedure).
 * Criteria are `met` on the confirmed reading and `unknown` where only the literal one meets them.
 */
export type EpisodeReading = 'as-charted' | 'confirmed';

const MAX_REFERENCES = 40;

/** A procedure's span: an open period is ongoing only while in progress (rules: Ventilation). */
function procedureSpan(
  p: ProcedureFact,
  now: number,
): { start: number; end: number; ongoing: boolean } | undefined {
  if (p.start === undefined || p.start > now) return undefined;
  if (p.end !== undefined) return { start: p.start, end: Math.min(p.end, now), ongoing: false };
  if (p.status === 'in-progress') return { start: p.start, end: now, ongoing: true };
  return { start: p.start, end: p.start, ongoing: false };
}

/** Index of the first number > t in a sorted list. */
function upperBound(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Spans merged into disjoint sorted runs, so "is t covered?" is a binary search. */
function coverage(spans: readonly { start: number; end: number }[]) {
  const merged: { start: number; end: number }[] = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  const starts = merged.map((m) => m.start);
  return (t: number) => {
    const m = merged[upperBound(starts, t) - 1];
    return m !== undefined && t <= m.end;
  };
}

/**
 * Collects the evidence of invasive ventilation: procedures, intubation-to-extubation spans,
 * ventilator devices, and ventilator-setting observations not explained by non-invasive
 * ventilation.
 */
export function collectVentilationEvidence(
  procedures: Record<ProcedureValueSet, ProcedureFact[]>,
  devices: readonly DeviceUseFact[],
  settings: readonly { time: number; reference: string }[],
  extubations: readonly ExtubationEvent[],
  now: number,
): VentilationEvidence[] {
  const evidence: VentilationEvidence[] = [];
  const invasiveSpans: { start: number; end: number }[] = [];

  for (const p of procedures['invasive-ventilation']) {
    const span = procedureSpan(p, now);
    if (!span) continue;
    evidence.push({ ...span, open: false, reference: p.reference, source: 'procedure' });
    invasiveSpans.push(span);
  }
  // Intubated from each intubation until the next extubation after it; a later intubation
  // with no extubation between means the first tube came out somewhere unrecorded.
  const extubationTimes = extubations.map((x) => x.time);
  const intubations = procedures.intubation
    .map((p) => ({ start: p.start, reference: p.reference }))
    .filter(
      (p): p is { start: number; reference: string } => p.start !== undefined && p.start <= now,
    )
    .sort((a, b) => a.start - b.start);
  intubations.forEach((p, i) => {
    const extubation = extubationTimes[upperBound(extubationTimes, p.start)];
    const next = intubations[i + 1]?.start;
    const ends = [extubation, next].filter((t): t is number => t !== undefined && t <= now);
    const end = ends.length > 0 ? Math.min(...ends) : now;
    const open = ends.length === 0;
    evidence.push({
      start: p.start,
      end,
      ongoing: open,
      open,
      reference: p.reference,
      source: 'intubation',
    });
    invasiveSpans.push({ start: p.start, end });
  });
  for (const d of devices) {
    if (d.start > now) continue;
    const ongoing = d.end === undefined && d.status === 'active';
    const end = d.end === undefined ? (ongoing ? now : d.start) : Math.min(d.end, now);
    evidence.push({
      start: d.start,
      end,
      ongoing,
      open: false,
      reference: d.reference,
      source: 'device',
    });
    invasiveSpans.push({ start: d.start, end });
  }

  const nivSpans = procedures['non-invasive-ventilation']
    .map((p) => procedureSpan(p, now))
    .filter((s): s is { start: number; end: number; ongoing: boolean } => s !== undefined);
  const underNiv = coverage(nivSpans);
  const underInvasive = coverage(invasiveSpans);
  for (const s of settings) {
    if (s.time > now) continue;
    if (nivSpans.length > 0 && underNiv(s.time) && !underInvasive(s.time)) continue;
    evidence.push({
      start: s.time,
      end: s.time,
      ongoing: false,
      open: false,
      reference: s.reference,
      source: 'observation',
    });
  }
  return evidence.sort((a, b) => a.start - b.start);
}

type OpenEpisode = Episode & { ongoing: boolean };

function startEpisode(ev: {
  start: number;
  end: number;
  ongoing: boolean;
  reference: string;
}): OpenEpisode {
  return {
    start: ev.start,
    end: ev.end,
    current: false,
    failedExtubations: [],
    tubeExchanges: [],
    endedByExtubation: undefined,
    references: [ev.reference],
    ongoing: ev.ongoing,
  };
}

function extend(episode: OpenEpisode, ev: VentilationEvidence) {
  episode.end = Math.max(episode.end, ev.end);
  episode.ongoing = episode.ongoing || ev.ongoing;
  if (episode.references.length < MAX_REFERENCES && !episode.references.includes(ev.reference)) {
    episode.references.push(ev.reference);
  }
}

/**
 * Groups evidence into episodes (rules: Ventilation, "Episodes"): evidence at most
 * `episodeGapHours` apart is one episode; an extubation ends it unless the patient is
 * reintubated within `reintubationWindowHours` (a failed extubation: the episode goes on).
 * Ventilator observations within `extubationChartingGraceMinutes` after an extubation are late
 * charting; a reintubation within `tubeExchangeMinutes` is a tube exchange. See
 * {@link EpisodeReading} for what counts as a reintubation and how long an intubation lasts.
 */
export function buildEpisodes(
  allEvidence: readonly VentilationEvidence[],
  extubations: readonly ExtubationEvent[],
  now: number,
  params: CriteriaParameters['ventilation'],
  reading: EpisodeReading,
): Episode[] {
  const gap = params.episodeGapHours * HOUR_MS;
  const window = params.reintubationWindowHours * HOUR_MS;
  const grace = params.extubationChartingGraceMinutes * 60_000;
  const exchange = params.tubeExchangeMinutes * 60_000;
  const evidence =
    reading === 'confirmed'
      ? allEvidence.map((e) => (e.open ? { ...e, end: e.start, ongoing: false } : e))
      : allEvidence;
  const queue = extubations.filter((x) => x.time <= now).sort((a, b) => a.time - b.time);

  const episodes: Episode[] = [];
  let current: OpenEpisode | undefined;
  let pending: ExtubationEvent | undefined; // extubation of the current episode not yet followed up
  // Confirmed reading: charting after `pending`, held until an explicit reintubation (then it
  // was bridging support, dropped) or the end of the window (then it starts a new episode).
  let deferred: VentilationEvidence[] = [];
  let x = 0;

  const close = (end: number, extubation?: ExtubationEvent) => {
    if (!current) return;
    current.end = end;
    if (extubation) current.endedByExtubation = extubation;
    episodes.push(current);
    current = undefined;
    pending = undefined;
  };
  /** Ends the current episode at its pending extubation; held charting starts the next one. */
  const endAtExtubation = () => {
    const ended = pending as ExtubationEvent;
    close(ended.time, ended);
    const held = deferred;
    deferred = [];
    for (const ev of held) take(ev);
  };
  const takeExtubation = (ext: ExtubationEvent) => {
    if (pending !== undefined) endAtExtubation(); // two extubations, no reintubation between
    if (current && ext.time - current.end > gap) close(current.end);
    if (!current) {
      // An extubation with no recent evidence still shows the patient was intubated up to it.
      current = startEpisode({
        start: ext.time,
        end: ext.time,
        ongoing: false,
        reference: ext.reference,
      });
    }
    pending = ext;
  };
  const take = (ev: VentilationEvidence) => {
    if (!current) {
      current = startEpisode(ev);
      return;
    }
    if (pending !== undefined) {
      const since = ev.start - pending.time;
      const charting = ev.source === 'observation';
      if (charting && since <= grace) return; // late charting of the ended episode
      if (since > window) {
        endAtExtubation();
        take(ev);
        return;
      }
      if (charting && reading === 'confirmed') {
        deferred.push(ev);
        return;
      }
      const event: Reintubation = {
        extubation: pending,
        time: ev.start,
        reference: ev.reference,
        source: ev.source,
      };
      if (!charting && since <= exchange) current.tubeExchanges.push(event);
      else current.failedExtubations.push(event);
      pending = undefined;
      deferred = [];
      extend(current, ev);
      return;
    }
    if (ev.start - current.end <= gap) extend(current, ev);
    else {
      close(current.end);
      current = startEpisode(ev);
    }
  };

  for (const ev of evidence) {
    // Extubations before this evidence; at the same instant, charting belongs to the ending
    // episode and an intubation follows the extubation.
    while (x < queue.length) {
      const t = (queue[x] as ExtubationEvent).time;
      if (t < ev.start || (t === ev.start && ev.source === 'intubation')) {
        takeExtubation(queue[x++] as ExtubationEvent);
      } else break;
    }
    take(ev);
  }
  while (x < queue.length) takeExtubation(queue[x++] as ExtubationEvent);
  if (pending !== undefined) endAtExtubation();
  const last = current as OpenEpisode | undefined;
  if (last) {
    last.current = last.ongoing || now - last.end <= params.currentWithinHours * HOUR_MS;
    close(last.current ? now : last.end);
  }
  return episodes.map((e) => {
    const { ongoing: _ongoing, ...episode } = e as OpenEpisode;
    return episode;
  });
}
