import type { CriterionResult, ScreeningResult } from '../../engine/types';
import { CRITERION_TITLES } from '../../report/criterion-titles';
import { formatEvidence } from '../../report/format-evidence';
import { EFFECT_ICON, STATUS_LABEL, effectOf } from '../worksheet-text';
import { h } from './dom';

const ROLE_TEXT: Readonly<Record<string, string>> = {
  'worst-qualifying': 'worst qualifying',
  'worst-pair': 'worst pair',
  'most-recent': 'most recent',
  'unpaired-qualifying': 'unpaired',
  skipped: 'skipped',
};

/** A status as a word and an icon on a coloured chip; the colour is never the only signal. */
export function statusChip(c: Pick<CriterionResult, 'kind' | 'status'>): HTMLElement {
  const effect = effectOf(c);
  return h(
    'span',
    { class: `chip chip-${effect}` },
    h('span', { class: 'chip-icon', 'aria-hidden': 'true' }, EFFECT_ICON[effect]),
    STATUS_LABEL[c.status],
  );
}

function evidenceList(c: CriterionResult): HTMLElement | null {
  if (c.evidence.length === 0) return null;
  const items = c.evidence.map((e) =>
    h(
      'li',
      {},
      formatEvidence(e),
      e.role ? h('span', { class: 'role' }, ` ${ROLE_TEXT[e.role] ?? e.role}`) : null,
      e.reference ? h('span', { class: 'reference' }, ` ${e.reference}`) : null,
    ),
  );
  return h(
    'details',
    { class: 'evidence-details' },
    h('summary', {}, `Evidence (${c.evidence.length})`),
    h('ul', { class: 'evidence' }, items),
  );
}

function row(c: CriterionResult, member: boolean, groupMet: boolean): HTMLElement {
  return h(
    'tr',
    { class: member ? 'member' : undefined, 'data-criterion': c.id, 'data-status': c.status },
    h('td', { class: 'status-cell' }, statusChip(c)),
    h(
      'th',
      { scope: 'row', class: 'criterion-cell' },
      member ? h('span', { class: 'member-mark', 'aria-hidden': 'true' }, '↳ ') : null,
      CRITERION_TITLES[c.id],
      c.confirmAtBedside && c.status === 'unknown' && !(member && groupMet)
        ? h('span', { class: 'tag' }, 'confirm at bedside')
        : null,
    ),
    h('td', { class: 'finding-cell' }, h('p', {}, c.reason), evidenceList(c)),
  );
}

function table(title: string, statusHeader: string, rows: HTMLElement[], id: string): HTMLElement {
  return h(
    'table',
    { class: 'criteria', id },
    h('caption', {}, title),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', class: 'status-cell' }, statusHeader),
        h('th', { scope: 'col' }, 'Criterion'),
        h('th', { scope: 'col' }, 'What the record shows'),
      ),
    ),
    h('tbody', {}, rows),
  );
}

/**
 * Every criterion with its status, reason and evidence: inclusions (the "at least one of" group
 * with its members under it), then exclusions, whose header says that met means excluded.
 */
export function renderCriteria(result: ScreeningResult): HTMLElement {
  const inclusions = result.criteria.filter((c) => c.kind === 'inclusion');
  const exclusions = result.criteria.filter((c) => c.kind === 'exclusion');
  // Once the group is met, its other members need no confirmation (see the checklist).
  const groupMet = inclusions.some((c) => c.members && c.status === 'met');
  const inclusionRows = inclusions.map((c) => row(c, Boolean(c.group), groupMet));
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'criteria-title' },
    h(
      'div',
      { class: 'section-header' },
      h('h2', { id: 'criteria-title' }, 'Eligibility criteria'),
    ),
    h(
      'p',
      { class: 'muted legend' },
      h(
        'span',
        { class: 'chip chip-supports' },
        h('span', { 'aria-hidden': 'true' }, '✓ '),
        'supports eligibility',
      ),
      ' ',
      h(
        'span',
        { class: 'chip chip-against' },
        h('span', { 'aria-hidden': 'true' }, '✗ '),
        'rules out',
      ),
      ' ',
      h(
        'span',
        { class: 'chip chip-open' },
        h('span', { 'aria-hidden': 'true' }, '? '),
        'not decided',
      ),
    ),
    table('Inclusion criteria (all must be met)', 'Status', inclusionRows, 'inclusion-criteria'),
    table(
      'Exclusion criteria (met means the patient is excluded)',
      'Status',
      exclusions.map((c) => row(c, false, false)),
      'exclusion-criteria',
    ),
  );
}
