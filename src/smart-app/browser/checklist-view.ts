import { CRITERION_SHORT_TITLES, CRITERION_TITLES } from '../../report/criterion-titles';
import { formatEvidence, formatInstant } from '../../report/format-evidence';
import type { BedsideChecklist } from '../bedside-checklist';
import { h } from './dom';

/** Ticks are the user's own notes for this tab: kept in sessionStorage, never sent anywhere. */
function storageKey(patientId: string): string {
  return `stellar-bedside:${patientId}`;
}

function loadTicks(patientId: string): Record<string, string> {
  try {
    const raw = sessionStorage.getItem(storageKey(patientId));
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** "Ticked by you at 2026-03-01 08:12 UTC", or nothing. */
function tickedText(at: string | undefined): string {
  return at ? `Ticked by you at ${formatInstant(at)}` : '';
}

/**
 * The "confirm at the bedside" checklist: one checkbox per open item, with what to check and the
 * record's evidence. A tick records who ticked it when (in this tab) and shows on the printed
 * summary; it does not change the screen's verdict, which only the record can.
 */
export function renderChecklist(
  checklist: BedsideChecklist,
  patientId: string,
  onChange: (ticked: number, total: number) => void,
): HTMLElement {
  const ticks = loadTicks(patientId);
  const total = checklist.items.length;
  const progress = h('p', { class: 'checklist-progress', 'aria-live': 'polite' });
  const update = () => {
    const ticked = checklist.items.filter((i) => ticks[i.id]).length;
    progress.textContent =
      total === 0
        ? 'Nothing to confirm at the bedside.'
        : ticked === total
          ? `All ${total} items confirmed by you. The verdict above is the record’s: note your confirmations in the screening log.`
          : `${ticked} of ${total} confirmed`;
    onChange(ticked, total);
  };
  const items = checklist.items.map((item) => {
    const id = `confirm-${item.id}`;
    const stamp = h('p', { class: 'tick-stamp' }, tickedText(ticks[item.id]));
    const box = h('input', {
      type: 'checkbox',
      id,
      'aria-describedby': `${id}-prompt`,
      checked: Boolean(ticks[item.id]),
      onchange: (event) => {
        const checked = (event.target as HTMLInputElement).checked;
        if (checked) ticks[item.id] = new Date().toISOString();
        else delete ticks[item.id];
        try {
          sessionStorage.setItem(storageKey(patientId), JSON.stringify(ticks));
        } catch {
          // Private mode without storage: the tick still shows until the page closes.
        }
        li.classList.toggle('ticked', checked);
        stamp.textContent = tickedText(ticks[item.id]);
        update();
      },
    });
    const evidence = item.evidence.length
      ? h(
          'ul',
          { class: 'evidence' },
          item.evidence.map((e) => h('li', {}, formatEvidence(e))),
        )
      : null;
    const li = h(
      'li',
      { class: `checklist-item${ticks[item.id] ? ' ticked' : ''}`, 'data-criterion': item.id },
      h('div', { class: 'checklist-line' }, box, h('label', { for: id }, item.label)),
      stamp,
      h(
        'div',
        { class: 'checklist-detail', id: `${id}-prompt` },
        h('p', {}, item.prompt),
        // The engine's reason, unless it only repeats the item's title.
        item.reason.startsWith(CRITERION_TITLES[item.id])
          ? null
          : h('p', { class: 'muted' }, `Screen: ${item.reason}`),
        evidence,
      ),
    );
    return li;
  });
  const note = checklist.groupMetBy
    ? h(
        'p',
        { class: 'muted' },
        `The “at least one of” criterion is already met (${checklist.groupMetBy
          .map((id) => CRITERION_SHORT_TITLES[id])
          .join(', ')}), so its alternatives (no other option, weaning) need no confirmation.`,
      )
    : null;
  const section = h(
    'section',
    { class: 'panel checklist', 'aria-labelledby': 'checklist-title' },
    h(
      'div',
      { class: 'section-header' },
      h('h2', { id: 'checklist-title' }, 'Confirm at the bedside'),
    ),
    total > 0 ? h('ul', { class: 'checklist-items' }, items) : null,
    progress,
    note,
  );
  queueMicrotask(update);
  return section;
}
