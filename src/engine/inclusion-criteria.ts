import type { Patient } from 'fhir/r4';
import type { ConditionFact } from './clinical-facts';
import type { CriteriaParameters } from './config-types';
import { calendarDateIn, parseFhirTime } from './time';
import type { CriterionResult, Evidence } from './types';
import { referenceOf } from './resource-ref';

/** Completed years between a birth date and a calendar date (month/day compared as numbers). */
function completedYears(birth: [number, number, number], on: [number, number, number]): number {
  const [by, bm, bd] = birth;
  const [y, m, d] = on;
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * `age`: completed years on the calendar date of `now` in the site's time zone. A partial birth
 * date is judged by its earliest and latest possible day; straddling a limit is `unknown`.
 */
export function evaluateAge(
  patient: Patient | undefined,
  now: number,
  params: Pick<CriteriaParameters, 'age' | 'timeZone'>,
): CriterionResult {
  const base = { id: 'age' as const, kind: 'inclusion' as const };
  const birth = parseFhirTime(patient?.birthDate);
  if (!patient || !birth) {
    return {
      ...base,
      status: 'unknown',
      reason: patient ? 'No birth date on record' : 'Patient record not available',
      evidence: [],
    };
  }
  const today = calendarDateIn(now, params.timeZone);
  const ymd = (ms: number): [number, number, number] => {
    const d = new Date(ms);
    return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  };
  // The latest possible birth day gives the youngest age, the earliest the oldest.
  const youngest = completedYears(ymd(birth.end), today);
  const oldest = completedYears(ymd(birth.start), today);
  const evidence: Evidence[] = [
    {
      label: 'Age',
      value: youngest === oldest ? youngest : `${youngest}-${oldest}`,
      unit: 'a',
      reference: referenceOf('Patient', patient),
      notes: [`birth date ${patient.birthDate}`],
    },
  ];
  const inRange = (a: number) => a >= params.age.min && a <= params.age.max;
  const ageText = youngest === oldest ? `${youngest}` : `${youngest} to ${oldest}`;
  if (inRange(youngest) && inRange(oldest)) {
    return { ...base, status: 'met', reason: `Age ${ageText}`, evidence };
  }
  if (
    !inRange(youngest) &&
    !inRange(oldest) &&
    (oldest < params.age.min || youngest > params.age.max)
  ) {
    return {
      ...base,
      status: 'not-met',
      reason: `Age ${ageText}, outside ${params.age.min}-${params.age.max}`,
      evidence,
    };
  }
  return {
    ...base,
    status: 'unknown',
    reason: `Age ${ageText} from a partial birth date: confirm`,
    evidence,
    confirmAtBedside: true,
  };
}

/**
 * `respiratory-failure`: an active, confirmed respiratory failure / ARDS Condition, or any of the
 * blood-gas criteria met. Never `not-met`: the diagnosis may simply not be coded yet.
 */
export function evaluateRespiratoryFailure(
  conditions: readonly ConditionFact[],
  bloodGas: readonly CriterionResult[],
): CriterionResult {
  const base = { id: 'respiratory-failure' as const, kind: 'inclusion' as const };
  const coded = conditions.filter((c) => c.active && c.confirmed);
  const physiology = bloodGas.filter((c) => c.status === 'met');
  const evidence: Evidence[] = coded.map((c) => ({
    label: 'Condition',
    value:
      `${c.match.coding.code ?? ''} ${c.match.coding.display ?? c.match.entry.display ?? ''}`.trim(),
    reference: c.reference,
  }));
  if (coded.length > 0 || physiology.length > 0) {
    const reasons = [
      ...(coded[0]
        ? [coded[0].match.coding.display ?? coded[0].match.entry.display ?? 'respiratory failure']
        : []),
      ...physiology.map((c) => c.id),
    ];
    return {
      ...base,
      status: 'met',
      reason: `Respiratory failure: ${reasons.join('; ')}`,
      evidence,
    };
  }
  const unconfirmed = conditions.filter((c) => c.active && !c.confirmed);
  return {
    ...base,
    status: 'unknown',
    reason:
      unconfirmed.length > 0
        ? 'Respiratory failure recorded as unconfirmed: confirm'
        : 'No coded respiratory failure and no qualifying blood gas: confirm',
    evidence: unconfirmed.map((c) => ({
      label: 'Condition (unconfirmed)',
      reference: c.reference,
    })),
    confirmAtBedside: true,
  };
}
