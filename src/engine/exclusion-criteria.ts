import type { CodeableConcept } from 'fhir/r4';
import type { ConditionFact, ConditionValueSet, ProcedureFact } from './clinical-facts';
import type { CompiledValueSet, CompiledValueSets } from './codes';
import type { CriteriaParameters } from './config-types';
import type { CodedObservation } from './observations';
import { DAY_MS, toIso } from './time';
import type { CriterionResult, Evidence, ExclusionId } from './types';
import { textOf } from './text-of';

export interface ExclusionInputs {
  conditions: Record<ConditionValueSet, ConditionFact[]>;
  transplants: readonly ProcedureFact[];
  coded: readonly CodedObservation[];
  allergies: readonly { reference: string; text: string }[];
  valueSets: CompiledValueSets;
  /** Which sources were searched: a missing source makes "no finding" unknown. */
  searched: { conditions: boolean; procedures: boolean; observations: boolean };
  now: number;
  params: CriteriaParameters['exclusions'];
}

/** A finding that makes an exclusion met (confirmed) or unknown (to confirm). */
interface Finding {
  confirmed: boolean;
  evidence: Evidence;
  text: string;
}

function conditionEvidence(c: ConditionFact, extra: string[] = []): Evidence {
  const notes = [
    `clinical status ${c.clinicalStatus}`,
    `verification ${c.verificationStatus}`,
    ...(c.onset ? [`onset ${toIso(c.onset.start).slice(0, 10)}`] : []),
    ...(c.abatement ? [`abated ${toIso(c.abatement.end).slice(0, 10)}`] : []),
    ...(c.match.entry.note ? [c.match.entry.note] : []),
    ...extra,
  ];
  return {
    label: 'Condition',
    value:
      `${c.match.coding.code ?? ''} ${c.match.coding.display ?? c.match.entry.display ?? ''}`.trim(),
    reference: c.reference,
    notes,
  };
}

function conditionFinding(c: ConditionFact, extra: string[] = []): Finding {
  return {
    confirmed: c.confirmed,
    evidence: conditionEvidence(c, extra),
    text: c.match.coding.display ?? c.match.entry.display ?? c.match.coding.code ?? 'condition',
  };
}

/**
 * Turns findings into a verdict: a confirmed finding is `met`; only unconfirmed ones, `unknown`
 * ("possible, confirm"); none, `not-met` if every source was searched, else `unknown`.
 */
function verdict(
  id: ExclusionId,
  findings: Finding[],
  complete: boolean,
  noun: string,
  extraUnknown?: Finding[],
): CriterionResult {
  const base = { id, kind: 'exclusion' as const };
  const confirmed = findings.filter((f) => f.confirmed);
  const evidence = [...findings, ...(extraUnknown ?? [])].map((f) => f.evidence);
  if (confirmed.length > 0) {
    return { ...base, status: 'met', reason: `${confirmed[0]?.text} on record`, evidence };
  }
  const toConfirm = [...findings, ...(extraUnknown ?? [])];
  if (toConfirm.length > 0) {
    return {
      ...base,
      status: 'unknown',
      reason: `Possible ${noun}: ${toConfirm[0]?.text} (confirm)`,
      evidence,
      confirmAtBedside: true,
    };
  }
  if (!complete) {
    return { ...base, status: 'unknown', reason: `Could not search for ${noun}`, evidence };
  }
  return { ...base, status: 'not-met', reason: `No ${noun} on record`, evidence };
}

/** Every exclusion of the rules document, in order. */
export function evaluateExclusions(inputs: ExclusionInputs): CriterionResult[] {
  const { conditions, searched } = inputs;
  return [
    verdict(
      'severe-aplastic-anemia',
      conditions['severe-aplastic-anemia'].filter((c) => c.active).map((c) => conditionFinding(c)),
      searched.conditions,
      'severe aplastic anaemia',
    ),
    verdict(
      'hematologic-malignancy-or-stem-cell',
      [
        ...conditions['hematologic-malignancy'].map((c) => conditionFinding(c)),
        ...inputs.transplants.map((p) => ({
          confirmed: true,
          text: p.match.coding.display ?? p.match.entry.display ?? 'stem-cell transplant',
          evidence: {
            label: 'Procedure',
            value: `${p.match.coding.code ?? ''} ${p.match.entry.display ?? ''}`.trim(),
            reference: p.reference,
            ...(p.start !== undefined ? { time: toIso(p.start) } : {}),
          },
        })),
      ],
      searched.conditions && searched.procedures,
      'haematological malignancy or stem-cell treatment',
    ),
    solidCancer(inputs),
    verdict(
      'hiv',
      conditions.hiv.map((c) => conditionFinding(c)),
      searched.conditions,
      'HIV infection',
    ),
    notComputable(
      'life-expectancy-under-3-months',
      'Expected life under 3 months from another cause: confirm at the bedside',
      [],
    ),
    pregnancyOrBreastfeeding(inputs),
    notComputable(
      'hypersensitivity',
      'Expected hypersensitivity to the study drug: confirm at the bedside',
      inputs.allergies.map((a) => ({
        label: 'Allergy on record',
        value: a.text,
        reference: a.reference,
      })),
    ),
  ];
}

function notComputable(id: ExclusionId, reason: string, evidence: Evidence[]): CriterionResult {
  return { id, kind: 'exclusion', status: 'unknown', reason, evidence, confirmAtBedside: true };
}

function solidCancer(inputs: ExclusionInputs): CriterionResult {
  const windowStart = inputs.now - inputs.params.solidCancerYears * 365.25 * DAY_MS;
  const met: Finding[] = [];
  const toConfirm: Finding[] = [];
  for (const c of inputs.conditions['solid-cancer']) {
    const onsetRecent = c.onset !== undefined && c.onset.end >= windowStart;
    let applies: 'yes' | 'no' | 'confirm';
    let note: string;
    if (c.active) {
      applies = 'yes';
      note = 'active';
    } else if (c.abatement) {
      applies = c.abatement.end >= windowStart ? 'yes' : 'no';
      note = `ended within ${inputs.params.solidCancerYears} years`;
    } else if (onsetRecent) {
      applies = 'yes';
      note = `onset within ${inputs.params.solidCancerYears} years`;
    } else {
      applies = 'confirm';
      note = 'inactive with no end date: confirm when it ended';
    }
    if (applies === 'no') continue;
    const finding = conditionFinding(c, [note]);
    if (applies === 'confirm') toConfirm.push({ ...finding, confirmed: false });
    else met.push(finding);
  }
  return verdict(
    'solid-cancer',
    met,
    inputs.searched.conditions,
    `solid cancer within ${inputs.params.solidCancerYears} years`,
    toConfirm,
  );
}

function answerIs(set: CompiledValueSet, answer: CodeableConcept | undefined, text?: string) {
  return set.matchConcept(answer) !== undefined || set.matchesText(text);
}

function pregnancyOrBreastfeeding(inputs: ExclusionInputs): CriterionResult {
  const { valueSets: vs, now, params } = inputs;
  const findings: Finding[] = [];
  // A date-only result spans its whole day: in the window if any of that day is.
  const withinDays = (o: CodedObservation, days: number) =>
    o.time !== undefined && o.time <= now && (o.timeEnd ?? o.time) >= now - days * DAY_MS;
  const latest = (set: CodedObservation['valueSet'], days: number) =>
    inputs.coded
      .filter((o) => o.valueSet === set && withinDays(o, days))
      .reduce<CodedObservation | undefined>(
        (l, o) => (!l || (o.time as number) >= (l.time as number) ? o : l),
        undefined,
      );
  const obsEvidence = (o: CodedObservation, label: string): Evidence => ({
    label,
    value:
      textOf(o.answer?.coding?.[0]?.display) ??
      textOf(o.answer?.coding?.[0]?.code) ??
      o.answerText ??
      '',
    time: toIso(o.time as number),
    reference: o.reference,
  });

  const status = latest('pregnancy-status', params.pregnancyStatusDays);
  if (status) {
    if (answerIs(vs['pregnancy-status-pregnant'], status.answer, status.answerText)) {
      findings.push({
        confirmed: true,
        text: 'pregnant',
        evidence: obsEvidence(status, 'Pregnancy status'),
      });
    } else if (!answerIs(vs['pregnancy-status-not-pregnant'], status.answer, status.answerText)) {
      findings.push({
        confirmed: false,
        text: 'pregnancy status not stated',
        evidence: obsEvidence(status, 'Pregnancy status (answer not recognised)'),
      });
    }
  }
  for (const test of inputs.coded) {
    if (test.valueSet !== 'hcg' || !withinDays(test, params.hcgDays)) continue;
    if (answerIs(vs['hcg-positive'], test.answer, test.answerText)) {
      findings.push({
        confirmed: true,
        text: 'positive pregnancy test',
        evidence: obsEvidence(test, 'hCG'),
      });
    }
  }
  for (const c of inputs.conditions['pregnancy-condition']) {
    if (c.active) findings.push(conditionFinding(c));
  }
  const feeding = latest('breastfeeding-status', params.breastfeedingDays);
  if (feeding && answerIs(vs['breastfeeding-yes'], feeding.answer, feeding.answerText)) {
    findings.push({
      confirmed: true,
      text: 'breastfeeding',
      evidence: obsEvidence(feeding, 'Breastfeeding status'),
    });
  } else if (feeding && !answerIs(vs['breastfeeding-no'], feeding.answer, feeding.answerText)) {
    findings.push({
      confirmed: false,
      text: 'breastfeeding status not stated',
      evidence: obsEvidence(feeding, 'Breastfeeding status (answer not recognised)'),
    });
  }
  return verdict(
    'pregnancy-or-breastfeeding',
    findings,
    inputs.searched.conditions && inputs.searched.observations,
    'pregnancy or breastfeeding',
  );
}
