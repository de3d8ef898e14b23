import type { ProcedureFact, ProcedureValueSet } from './clinical-facts';
import type { CriteriaParameters } from './config-types';
import type { CodedObservation } from './observations';
import { DAY_MS, toIso } from './time';
import type { CriterionResult, Evidence } from './types';
import type { Episode } from './ventilation';

const days = (ms: number) => Math.round((ms / DAY_MS) * 10) / 10;
const date = (ms: number) => `${toIso(ms).slice(0, 16)}Z`;

/** The episode weaning is judged in: the current one, else the most recent. */
export function episodeOfInterest(episodes: readonly Episode[]): Episode | undefined {
  return episodes.find((e) => e.current) ?? episodes[episodes.length - 1];
}

/** `invasive-ventilation-7d` (rules: Ventilation). */
export function evaluateInvasiveVentilation(
  episodes: readonly Episode[],
  searched: boolean,
  now: number,
  params: CriteriaParameters['ventilation'],
): CriterionResult {
  const current = episodes.find((e) => e.current);
  const base = { id: 'invasive-ventilation-7d' as const, kind: 'inclusion' as const };
  const evidence: Evidence[] = current
    ? [
        {
          label: 'Current ventilation episode',
          value: (now - current.start) / DAY_MS,
          unit: 'd',
          time: toIso(current.start),
          ...(current.references[0] ? { reference: current.references[0] } : {}),
          notes: [`started ${date(current.start)}`],
        },
      ]
    : [];
  if (current && now - current.start >= params.minimumDays * DAY_MS) {
    return {
      ...base,
      status: 'met',
      reason: `Invasively ventilated ${days(now - current.start)} days (since ${date(current.start)})`,
      evidence,
    };
  }
  if (!searched) {
    return {
      ...base,
      status: 'unknown',
      reason: 'Ventilation data could not be obtained',
      evidence,
    };
  }
  const last = episodes[episodes.length - 1];
  return {
    ...base,
    status: 'not-met',
    reason: current
      ? `Ventilated ${days(now - current.start)} days, fewer than ${params.minimumDays}`
      : last
        ? `Not invasively ventilated now (last episode ended ${date(last.end)})`
        : 'No invasive ventilation on record',
    evidence,
  };
}

/** Weaning events of an episode: SBT records and weaning procedures within its span. */
function withinEpisode<T extends { time: number | undefined }>(items: T[], e: Episode): T[] {
  return items.filter((i) => i.time !== undefined && i.time >= e.start && i.time <= e.end);
}

interface WeaningInputs {
  episodes: readonly Episode[];
  procedures: Record<ProcedureValueSet, ProcedureFact[]>;
  coded: readonly CodedObservation[];
  now: number;
  params: CriteriaParameters['weaning'];
}

function sbtEvents(inputs: WeaningInputs, set: 'sbt-failed' | 'sbt-attempt') {
  return [
    ...inputs.procedures[set].map((p) => ({ time: p.start, reference: p.reference })),
    ...inputs.coded
      .filter((o) => o.valueSet === set)
      .map((o) => ({ time: o.time, reference: o.reference })),
  ];
}

/** `repeated-weaning-failure`: failed extubations plus site-coded failed SBTs in the episode. */
export function evaluateRepeatedWeaningFailure(inputs: WeaningInputs): CriterionResult {
  const base = {
    id: 'repeated-weaning-failure' as const,
    kind: 'inclusion' as const,
    group: 'physiology-or-weaning' as const,
  };
  const episode = episodeOfInterest(inputs.episodes);
  if (!episode) {
    return { ...base, status: 'unknown', reason: 'No ventilation episode on record', evidence: [] };
  }
  const failedSbt = withinEpisode(sbtEvents(inputs, 'sbt-failed'), episode);
  const evidence: Evidence[] = [
    ...episode.failedExtubations.map((f) => ({
      label: 'Failed extubation (reintubated)',
      time: toIso(f.extubation.time),
      reference: f.extubation.reference,
      notes: [`reintubated ${date(f.time)} (${f.reference})`],
    })),
    ...failedSbt.map((s) => ({
      label: 'Failed spontaneous breathing trial',
      time: toIso(s.time as number),
      reference: s.reference,
    })),
  ];
  const count = evidence.length;
  if (count >= inputs.params.failedAttemptsMin) {
    return { ...base, status: 'met', reason: `${count} failed weaning attempts`, evidence };
  }
  return {
    ...base,
    status: 'unknown',
    reason: `${count} failed weaning attempt${count === 1 ? '' : 's'} on record (needs ${inputs.params.failedAttemptsMin}): confirm`,
    evidence,
    confirmAtBedside: true,
  };
}

/** `prolonged-weaning` (WIND "prolonged weaning"): first attempt to liberation >= 7 days. */
export function evaluateProlongedWeaning(inputs: WeaningInputs): CriterionResult {
  const base = {
    id: 'prolonged-weaning' as const,
    kind: 'inclusion' as const,
    group: 'physiology-or-weaning' as const,
  };
  const episode = episodeOfInterest(inputs.episodes);
  if (!episode) {
    return { ...base, status: 'unknown', reason: 'No ventilation episode on record', evidence: [] };
  }
  const attempts: { time: number; label: string; reference?: string }[] = [
    ...episode.failedExtubations.map((f) => ({
      time: f.extubation.time,
      label: 'Extubation (failed)',
      reference: f.extubation.reference,
    })),
    ...(episode.endedByExtubation !== undefined
      ? [
          {
            time: episode.endedByExtubation.time,
            label: 'Extubation',
            reference: episode.endedByExtubation.reference,
          },
        ]
      : []),
    ...withinEpisode(
      inputs.procedures.weaning.map((p) => ({ time: p.start, reference: p.reference })),
      episode,
    ).map((p) => ({ time: p.time as number, label: 'Weaning procedure', reference: p.reference })),
    ...withinEpisode(
      [...sbtEvents(inputs, 'sbt-attempt'), ...sbtEvents(inputs, 'sbt-failed')],
      episode,
    ).map((s) => ({
      time: s.time as number,
      label: 'Spontaneous breathing trial',
      reference: s.reference,
    })),
  ];
  const first = attempts.reduce<(typeof attempts)[number] | undefined>(
    (f, a) => (!f || a.time < f.time ? a : f),
    undefined,
  );
  if (!first) {
    return {
      ...base,
      status: 'unknown',
      reason: 'No weaning attempt on record',
      evidence: [],
      confirmAtBedside: true,
    };
  }
  const end = episode.endedByExtubation?.time ?? (episode.current ? inputs.now : episode.end);
  const duration = end - first.time;
  const evidence: Evidence[] = [
    {
      label: `First weaning attempt: ${first.label}`,
      time: toIso(first.time),
      ...(first.reference ? { reference: first.reference } : {}),
    },
    {
      label: episode.current ? 'Still ventilated at' : 'Liberated from ventilation',
      time: toIso(end),
      ...(episode.endedByExtubation ? { reference: episode.endedByExtubation.reference } : {}),
      value: duration / DAY_MS,
      unit: 'd',
    },
  ];
  if (duration >= inputs.params.prolongedDays * DAY_MS) {
    return {
      ...base,
      status: 'met',
      reason: `Weaning for ${days(duration)} days since ${date(first.time)}`,
      evidence,
    };
  }
  return {
    ...base,
    status: 'not-met',
    reason: `Weaning for ${days(duration)} days, fewer than ${inputs.params.prolongedDays}${episode.current ? ' so far' : ''}`,
    evidence,
  };
}

/**
 * A criterion decided on the confirmed reading of the record, falling back to `unknown` where
 * only the literal reading meets it (see `EpisodeReading` in ventilation.ts).
 */
export function decideOnConfirmed(
  confirmed: CriterionResult,
  asCharted: CriterionResult,
  doubts: readonly string[],
): CriterionResult {
  if (confirmed.status === 'met' || asCharted.status !== 'met') return confirmed;
  const why = doubts.length > 0 ? doubts.join('; ') : 'the record does not bear it out';
  return {
    ...confirmed,
    status: 'unknown',
    reason: `As charted: ${asCharted.reason}. But ${why}: confirm`,
    evidence: [
      ...asCharted.evidence.map((e) => ({
        ...e,
        notes: [...(e.notes ?? []), 'as charted, not confirmed'],
      })),
      ...confirmed.evidence,
    ],
    confirmAtBedside: true,
  };
}

/** Why the literal reading of the record says more than the confirmed one, in words. */
export function readingDoubts(
  asCharted: readonly Episode[],
  evidence: readonly { open: boolean; start: number; reference: string }[],
): string[] {
  const episode = episodeOfInterest(asCharted);
  if (!episode) return [];
  const inEpisode = (t: number) => t >= episode.start && t <= episode.end;
  return [
    ...evidence
      .filter((e) => e.open && inEpisode(e.start))
      .map(
        (e) =>
          `the intubation of ${date(e.start)} (${e.reference}) has no extubation on record and nothing since confirms it`,
      ),
    ...episode.failedExtubations
      .filter((f) => f.source === 'observation')
      .map(
        (f) =>
          `only ventilator charting follows the extubation of ${date(f.extubation.time)} (may be NIV or high-flow)`,
      ),
  ];
}
