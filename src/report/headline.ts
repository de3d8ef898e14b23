import type { CriterionId, CriterionResult, ScreeningResult } from '../engine/types';
import { CRITERION_SHORT_TITLES } from './criterion-titles';
import { formatNumber } from './format-evidence';

const TOP_LEVEL: ReadonlySet<CriterionId> = new Set<CriterionId>([
  'age',
  'respiratory-failure',
  'invasive-ventilation-7d',
  'physiology-or-weaning',
]);
const NEVER_COMPUTABLE: ReadonlySet<CriterionId> = new Set<CriterionId>([
  'life-expectancy-under-3-months',
  'hypersensitivity',
]);

/** CDS Hooks asks for a card summary under 140 characters. */
const MAX_HEADLINE = 139;

const SHORT_LABEL: Readonly<Record<string, string>> = {
  'P/F ratio': 'P/F',
  'Plateau pressure': 'plateau',
};

function shortLabel(label: string): string {
  return SHORT_LABEL[label] ?? label;
}

/** "P/F 142 on PEEP 10" from the worst qualifying pair of a blood-gas criterion. */
function pairFinding(criterion: CriterionResult): string | undefined {
  const pair = criterion.evidence.filter((e) => e.role === 'worst-qualifying');
  const [gas, setting] = pair;
  if (gas?.value === undefined || typeof gas.value !== 'number') return undefined;
  const first = `${shortLabel(gas.label)} ${formatNumber(gas.value, gas.unit)}`;
  if (setting?.value === undefined || typeof setting.value !== 'number') return first;
  return `${first} on ${shortLabel(setting.label)} ${formatNumber(setting.value, setting.unit)}`;
}

function ventilatedDays(result: ScreeningResult): string | undefined {
  const c = result.criteria.find((x) => x.id === 'invasive-ventilation-7d');
  const days = c?.evidence.find((e) => e.unit === 'd')?.value;
  return typeof days === 'number' ? `ventilated ${Math.floor(days)} days` : undefined;
}

function truncate(text: string): string {
  return text.length <= MAX_HEADLINE ? text : `${text.slice(0, MAX_HEADLINE - 1).trimEnd()}…`;
}

/**
 * Why a patient may be a candidate, in a few words each: days on the ventilator, the qualifying
 * pair ("P/F 142 on PEEP 10"), and for anyone short of likely what to confirm. The card headline
 * and the screener's table both say it this way.
 */
export function candidateFindings(result: ScreeningResult): string[] {
  const parts: string[] = [];
  const days = ventilatedDays(result);
  if (days) parts.push(days);
  const met = result.criteria.find((c) => c.group && c.status === 'met');
  if (met) parts.push(pairFinding(met) ?? met.reason);
  if (result.classification !== 'likely') {
    const open = result.criteria
      .filter((c) => c.status === 'unknown' && (TOP_LEVEL.has(c.id) || c.kind === 'exclusion'))
      .filter((c) => !NEVER_COMPUTABLE.has(c.id))
      .map((c) => CRITERION_SHORT_TITLES[c.id]);
    if (open.length > 0) parts.push(`confirm ${open.join(', ')}`);
  }
  return parts;
}

/**
 * The one sentence of a card: the trial, the classification and why, e.g.
 * "STELLAR trial: likely candidate, ventilated 9 days, P/F 142 on PEEP 10". Under 140
 * characters, cut with an ellipsis if a site's labels run long.
 */
export function cardHeadline(result: ScreeningResult, trialName: string): string {
  const label = result.classification === 'likely' ? 'likely' : 'possible';
  return truncate(
    `${trialName} trial: ${label} candidate, ${candidateFindings(result).join(', ')}`,
  );
}
