import type { ProcedureFact, DeviceUseFact, ProcedureValueSet } from './clinical-facts';
import type { CriteriaParameters } from './config-types';
import { HOUR_MS } from './time';

/** One piece of evidence that the patient was invasively ventilated over [start, end]. */
export interface VentilationEvidence {
  start: number;
  end: number;
  /** Ongoing at `now` (an in-progress procedure without end, an intubation not yet undone). */
  ongoing: boolean;
  reference: string;
  /** Observations are charting; procedures, intubations and devices are explicit records. */
  source: 'observation' | 'procedure' | 'intubation' | 'device';
}

/** An episode of invasive ventilation, in milliseconds since the epoch. */
export interface Episode {
  start: number;
  /** Last evidence, or the extubation that ended it; `now` while ongoing. */
  end: number;
  current: boolean;
  failedExtubations: number[];
  endedByExtubation: number | undefined;
  references: string[];
}

const MAX_REFERENCES = 40;

interface Interval {
  start: number;
  end: number | undefined;
}

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

function covers(spans: readonly Interval[], t: number): boolean {
  return spans.some((s) => s.start <= t && t <= (s.end ?? Infinity));
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
  extubations: readonly number[],
  now: number,
): VentilationEvidence[] {
  const evidence: VentilationEvidence[] = [];
  const invasiveSpans: Interval[] = [];

  for (const p of procedures['invasive-ventilation']) {
    const span = procedureSpan(p, now);
    if (!span) continue;
    evidence.push({ ...span, reference: p.reference, source: 'procedure' });
    invasiveSpans.push(span);
  }
  for (const p of procedures.intubation) {
    if (p.start === undefined || p.start > now) continue;
    const start = p.start;
    const extubation = extubations.find((x) => x >= start && x <= now);
    const span = { start, end: extubation ?? now, ongoing: extubation === undefined };
    evidence.push({ ...span, reference: p.reference, source: 'intubation' });
    invasiveSpans.push(span);
  }
  for (const d of devices) {
    if (d.start > now) continue;
    const ongoing = d.end === undefined && d.status === 'active';
    const end = d.end === undefined ? (ongoing ? now : d.start) : Math.min(d.end, now);
    evidence.push({ start: d.start, end, ongoing, reference: d.reference, source: 'device' });
    invasiveSpans.push({ start: d.start, end });
  }

  const nivSpans = procedures['non-invasive-ventilation']
    .map((p) => procedureSpan(p, now))
    .filter((s): s is { start: number; end: number; ongoing: boolean } => s !== undefined);
  for (const s of settings) {
    if (s.time > now) continue;
    if (nivSpans.length > 0 && covers(nivSpans, s.time) && !covers(invasiveSpans, s.time)) continue;
    evidence.push({
      start: s.time,
      end: s.time,
      ongoing: false,
      reference: s.reference,
      source: 'observation',
    });
  }
  return evidence.sort((a, b) => a.start - b.start);
}

/**
 * Groups evidence into episodes: evidence at most `episodeGapHours` apart is one episode; an
 * extubation ends it unless invasive ventilation resumes within `reintubationWindowHours` (a
 * failed extubation, and the episode goes on). Ventilator observations charted within
 * `extubationChartingGraceMinutes` after an extubation are read as late charting, not as
 * reintubation.
 */
export function buildEpisodes(
  evidence: readonly VentilationEvidence[],
  extubations: readonly number[],
  now: number,
  params: CriteriaParameters['ventilation'],
): Episode[] {
  const gap = params.episodeGapHours * HOUR_MS;
  const reintubation = params.reintubationWindowHours * HOUR_MS;
  const grace = params.extubationChartingGraceMinutes * 60_000;
  const sortedExtubations = [...extubations].filter((x) => x <= now).sort((a, b) => a - b);

  const episodes: Episode[] = [];
  let current: (Episode & { ongoing: boolean }) | undefined;
  let pending: number | undefined; // extubation of the current episode not yet followed up
  let x = 0; // next extubation to consider

  const close = (end: number, byExtubation = false) => {
    if (!current) return;
    current.end = end;
    if (byExtubation) current.endedByExtubation = end;
    episodes.push(current);
    current = undefined;
    pending = undefined;
  };

  for (const ev of evidence) {
    // Extubations up to this evidence's start (ties: the evidence comes first).
    while (x < sortedExtubations.length && (sortedExtubations[x] as number) < ev.start) {
      const t = sortedExtubations[x++] as number;
      if (!current || t < current.start) continue;
      if (pending === undefined) {
        pending = t;
      } else if (t > pending) {
        // Two extubations without reintubation between them: the first ended the episode.
        close(pending, true);
      }
    }

    if (!current) {
      current = startEpisode(ev);
      continue;
    }
    if (pending !== undefined) {
      if (ev.source === 'observation' && ev.start <= pending + grace) continue;
      if (ev.start - pending <= reintubation) {
        current.failedExtubations.push(pending);
        pending = undefined;
        extend(current, ev);
        continue;
      }
      close(pending, true);
      current = startEpisode(ev);
      continue;
    }
    if (ev.start - current.end <= gap) extend(current, ev);
    else {
      close(current.end);
      current = startEpisode(ev);
    }
  }
  // Remaining extubations after the last evidence.
  while (current && x < sortedExtubations.length) {
    const t = sortedExtubations[x++] as number;
    if (t >= current.start && pending === undefined) pending = t;
  }
  if (current) {
    if (pending !== undefined) {
      close(pending, true);
    } else {
      const isCurrent = current.ongoing || now - current.end <= params.currentWithinHours * HOUR_MS;
      current.current = isCurrent;
      close(isCurrent ? now : current.end);
    }
  }
  return episodes.map((e) => {
    const { ongoing: _ongoing, ...episode } = e as Episode & { ongoing?: boolean };
    return episode;
  });
}

function startEpisode(ev: VentilationEvidence): Episode & { ongoing: boolean } {
  return {
    start: ev.start,
    end: ev.end,
    current: false,
    failedExtubations: [],
    endedByExtubation: undefined,
    references: [ev.reference],
    ongoing: ev.ongoing,
  };
}

function extend(episode: Episode & { ongoing: boolean }, ev: VentilationEvidence) {
  episode.end = Math.max(episode.end, ev.end);
  episode.ongoing = episode.ongoing || ev.ongoing;
  if (episode.references.length < MAX_REFERENCES && !episode.references.includes(ev.reference)) {
    episode.references.push(ev.reference);
  }
}
