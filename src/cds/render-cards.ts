import type { ServiceDefinition } from '../config/service-definition';
import type { CriterionResult, Evidence, ScreeningResult } from '../engine/types';
import { CRITERION_TITLES } from '../report/criterion-titles';
import { formatEvidence, formatInstant } from '../report/format-evidence';
import { cardHeadline } from '../report/headline';
import { escapeMarkdown } from '../report/markdown';
import { buildReferral } from '../report/referral';
import type { CdsCard, CdsCoding } from './cds-hooks-types';

/** Code system of the override reasons this service offers. */
const OVERRIDE_REASON_SYSTEM = 'urn:stellar-screening:override-reason';

export interface CardInput {
  definition: ServiceDefinition;
  result: ScreeningResult;
  patientId: string;
  /** `Practitioner/123` from the hook context, for the referral's requester. */
  userId?: string;
  /** Stable ids, derived by the caller (same patient and verdict -> same card). */
  cardUuid: string;
  suggestionUuid: string;
  /** Absolute URL of the SMART app's launch endpoint. */
  smartLaunchUrl: string;
  /** ISO instant of the request (the referral's authoredOn). */
  now: string;
}

const STATUS_WORD: Record<CriterionResult['status'], string> = {
  met: 'met',
  'not-met': 'not met',
  unknown: 'unknown',
};

/** The evidence lines worth showing under a criterion (at most four). */
function evidenceLines(criterion: CriterionResult): string[] {
  const shown: Evidence[] = criterion.evidence.filter((e) => e.role !== 'skipped').slice(0, 4);
  return shown.map((e) => {
    const role = e.role ? ` *(${e.role.replace(/-/g, ' ')})*` : '';
    return `    - ${escapeMarkdown(formatEvidence(e))}${role}`;
  });
}

function criterionLine(c: CriterionResult): string[] {
  const title = CRITERION_TITLES[c.id];
  return [
    `- **${STATUS_WORD[c.status]}**: ${title}. ${escapeMarkdown(c.reason)}`,
    ...evidenceLines(c),
  ];
}

/**
 * The card's Markdown detail: each criterion with its status, reason and evidence (values in
 * display units, times in UTC), and what a person must confirm at the bedside.
 */
function renderDetail(definition: ServiceDefinition, result: ScreeningResult): string {
  const { trial } = definition;
  const inclusions = result.criteria.filter((c) => c.kind === 'inclusion');
  const exclusions = result.criteria.filter((c) => c.kind === 'exclusion');
  // Once the "at least one of" group is met, its open alternatives need no confirming.
  const groupMet = result.criteria.some((c) => c.members && c.status === 'met');
  const confirm = result.criteria.filter(
    (c) => c.confirmAtBedside && c.status === 'unknown' && !(groupMet && c.group),
  );
  const lines = [
    `**${result.classification === 'likely' ? 'Likely' : 'Possible'} candidate** for ${trial.name} ` +
      `(${trial.nctId}), screened ${formatInstant(result.evaluatedAt)} with rule set ` +
      `${result.ruleSet.id} ${result.ruleSet.version}. For review by the study team: this ` +
      'screen never enrols anyone.',
    '',
    '**Inclusion criteria**',
    '',
    ...inclusions.flatMap(criterionLine),
    '',
    '**Exclusion criteria** (met means the patient is excluded)',
    '',
    ...exclusions.flatMap(criterionLine),
  ];
  if (confirm.length > 0) {
    lines.push('', '**Confirm at the bedside**', '');
    for (const c of confirm) lines.push(`- ${CRITERION_TITLES[c.id]}`);
  }
  return lines.join('\n');
}

/**
 * Renders the engine's result as CDS Hooks cards: one card for a classification the site shows
 * (`likely`, and `possible` unless turned off), none otherwise. Pure: ids, URLs and times come in.
 * @see https://cds-hooks.hl7.org/2.0/#card-attributes
 */
export function renderCards(input: CardInput): CdsCard[] {
  const { definition, result } = input;
  const classification = result.classification;
  if (classification !== 'likely' && classification !== 'possible') return [];
  if (!definition.cards.classifications.includes(classification)) return [];
  const { trial, cards } = definition;
  const summary = cardHeadline(result, trial.name);
  const topic: CdsCoding = {
    system: 'https://clinicaltrials.gov',
    code: trial.nctId,
    display: trial.title,
  };
  const referral = buildReferral({
    resourceType: cards.referralResource,
    patientId: input.patientId,
    ...(input.userId !== undefined ? { requester: input.userId } : {}),
    studyTeam: cards.studyTeam,
    trial,
    summary,
    authoredOn: input.now,
  });
  const appContext = JSON.stringify({
    card: input.cardUuid,
    classification,
    evaluatedAt: result.evaluatedAt,
    ruleSet: `${result.ruleSet.id}@${result.ruleSet.version}`,
  });
  return [
    {
      uuid: input.cardUuid,
      summary,
      detail: renderDetail(definition, result),
      indicator: 'info',
      source: {
        label: `${trial.name} trial screening (${trial.nctId})`,
        url: trial.registryUrl,
        topic,
      },
      suggestions: [
        {
          label: `Notify the ${cards.studyTeam.display}`,
          uuid: input.suggestionUuid,
          isRecommended: classification === 'likely',
          actions: [
            {
              type: 'create',
              description: `Ask the ${cards.studyTeam.display} to screen this patient for ${trial.name}`,
              resource: referral,
            },
          ],
        },
      ],
      selectionBehavior: 'at-most-one',
      overrideReasons: cards.overrideReasons.map((r) => ({
        system: OVERRIDE_REASON_SYSTEM,
        code: r.code,
        display: r.display,
      })),
      links: [
        {
          label: `Open the ${trial.name} screening worksheet`,
          url: input.smartLaunchUrl,
          type: 'smart',
          appContext,
        },
        {
          label: `${trial.name} on ClinicalTrials.gov (${trial.nctId})`,
          url: trial.registryUrl,
          type: 'absolute',
        },
      ],
    },
  ];
}
