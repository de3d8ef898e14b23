import type { Communication, ServiceRequest } from 'fhir/r4';
import { formatInstant } from '../../report/format-evidence';
import { h, replaceChildren } from './dom';

export interface NotifyOptions {
  /** The referral, built by the same function as the card's suggestion. */
  referral: ServiceRequest | Communication;
  teamName: string;
  /** False when the granted scopes do not allow creating the resource. */
  allowed: boolean;
  /** Why the button is off, when it is. */
  disabledReason?: string;
  /** Creates the resource on the FHIR server; resolves to its `Type/id`. */
  send: (resource: ServiceRequest | Communication) => Promise<string>;
  /** Reference of a request already sent from this tab, if any. */
  alreadySent?: { reference: string; at: string };
  onSent: (reference: string, at: string) => void;
}

function noteOf(resource: ServiceRequest | Communication): string {
  if (resource.resourceType === 'ServiceRequest') return resource.note?.[0]?.text ?? '';
  return resource.payload?.[0]?.contentString ?? '';
}

/**
 * The "notify the study team" button and its confirmation dialog (a native modal <dialog>:
 * focus moves into it, Escape closes it). Sending creates the same resource the card's
 * suggestion creates; the button is off when the token may not write it, or once it is sent.
 */
export function renderNotify(options: NotifyOptions): HTMLElement {
  const status = h('p', { class: 'notify-status', role: 'status' });
  const button = h(
    'button',
    { type: 'button', class: 'button primary', id: 'notify-button' },
    `Notify the ${options.teamName}`,
  );
  const sentState = (reference: string, at: string) => {
    button.disabled = true;
    button.textContent = `${options.teamName[0]?.toUpperCase() ?? ''}${options.teamName.slice(1)} notified`;
    replaceChildren(
      status,
      `Request sent at ${formatInstant(at)}. `,
      h('span', { class: 'reference' }, reference),
    );
    status.className = 'notify-status success';
  };
  if (options.alreadySent) sentState(options.alreadySent.reference, options.alreadySent.at);
  else if (!options.allowed) {
    button.disabled = true;
    replaceChildren(status, options.disabledReason ?? 'Sending is not available.');
    status.className = 'notify-status muted';
  }

  const error = h('p', { class: 'dialog-error', role: 'alert', hidden: true });
  const send = h('button', { type: 'button', class: 'button primary' }, 'Send request');
  const cancel = h('button', { type: 'button', class: 'button' }, 'Cancel');
  const dialog = h(
    'dialog',
    { class: 'notify-dialog', 'aria-labelledby': 'notify-title' },
    h('h2', { id: 'notify-title' }, `Notify the ${options.teamName}?`),
    h(
      'p',
      {},
      `This creates a ${options.referral.resourceType} in the patient’s record asking the ${options.teamName} to screen the patient. It is a referral for screening, not an enrolment.`,
    ),
    h('blockquote', {}, noteOf(options.referral)),
    error,
    h('div', { class: 'dialog-actions' }, cancel, send),
  );
  cancel.addEventListener('click', () => dialog.close());
  button.addEventListener('click', () => {
    error.hidden = true;
    dialog.showModal();
    send.focus();
  });
  send.addEventListener('click', async () => {
    send.disabled = true;
    send.textContent = 'Sending…';
    try {
      const reference = await options.send(options.referral);
      const at = new Date().toISOString();
      dialog.close();
      sentState(reference, at);
      options.onSent(reference, at);
      button.focus();
    } catch (e) {
      error.hidden = false;
      error.textContent = `The request could not be sent: ${(e as Error).message}. Try again, or use the card’s suggestion in the EHR.`;
    } finally {
      send.disabled = false;
      send.textContent = 'Send request';
    }
  });
  return h('div', { class: 'notify' }, button, status, dialog);
}
