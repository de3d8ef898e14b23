import 'uplot/dist/uPlot.min.css';
import './app.css';
import type { ServiceDefinition } from '../../config/service-definition';
import { fetchProblem, launchProblem, type LoadProblem } from '../load-problems';
import { CLASSIFICATION_LABEL } from '../worksheet-text';
import { byId, fetchJson, h, replaceChildren } from './dom';
import { loadScreening } from './load-screening';
import { openSession, type SmartSession } from './smart-session';
import { renderBanner, renderProblem, renderWorksheet } from './worksheet-view';

const APP_UNAVAILABLE: LoadProblem = {
  kind: 'app-unavailable',
  title: 'The screening rules could not be loaded',
  message:
    'The worksheet’s server did not send its screening rules. Try again; if it persists, tell your EHR team.',
  action: 'retry',
};

/** Tells screen readers what is happening, in one persistent status region. */
function announce(text: string): void {
  const region = document.getElementById('app-status');
  if (region && region.textContent !== text) region.textContent = text;
}

function showLoading(host: HTMLElement, text: string, detail?: string): void {
  host.setAttribute('aria-busy', 'true');
  announce(text);
  replaceChildren(
    host,
    h(
      'div',
      { class: 'loading', role: 'status' },
      h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      h('span', {}, text),
      detail ? h('span', { class: 'muted' }, detail) : null,
    ),
  );
}

/** The standalone launch page of the same FHIR server: where "Sign in again" goes. */
function relaunchUrl(session: SmartSession | undefined): string {
  return session ? `launch?${new URLSearchParams({ iss: session.fhirBase }).toString()}` : 'launch';
}

/**
 * Print: open every evidence list so the summary shows it (a closed <details> prints closed),
 * and close them again afterwards.
 */
function preparePrinting(): void {
  let opened: HTMLDetailsElement[] = [];
  window.addEventListener('beforeprint', () => {
    opened = [...document.querySelectorAll<HTMLDetailsElement>('details:not([open])')];
    for (const d of opened) d.open = true;
  });
  window.addEventListener('afterprint', () => {
    for (const d of opened) d.open = false;
    opened = [];
  });
}

async function main(): Promise<void> {
  const host = byId('worksheet');
  const bannerHost = byId('patient-banner');
  preparePrinting();
  showLoading(host, 'Completing sign-in with the EHR…');
  let session: SmartSession;
  try {
    session = await openSession();
  } catch (error) {
    host.removeAttribute('aria-busy');
    renderProblem(host, launchProblem(error), relaunchUrl(undefined));
    return;
  }
  if (session.expiresAt !== undefined && session.expiresAt * 1000 <= Date.now()) {
    host.removeAttribute('aria-busy');
    renderProblem(host, launchProblem(new Error('token expired')), relaunchUrl(session));
    return;
  }
  showLoading(host, 'Loading the screening rules…');
  let definition: ServiceDefinition;
  try {
    definition = await fetchJson<ServiceDefinition>('service-definition.json');
  } catch {
    host.removeAttribute('aria-busy');
    renderProblem(host, APP_UNAVAILABLE, undefined);
    return;
  }
  const fhirHost = new URL(session.fhirBase).host;
  const loaded = await loadScreening(session, definition, (done, total) =>
    showLoading(
      host,
      `Reading the patient’s record from ${fhirHost}…`,
      `${done} of ${total} searches done`,
    ),
  );
  host.removeAttribute('aria-busy');
  const patient = loaded.resources.find(
    (r): r is import('fhir/r4').Patient =>
      (r as { resourceType?: string })?.resourceType === 'Patient',
  );
  if (patient) renderBanner(bannerHost, patient);
  const problem = fetchProblem(loaded.failures, loaded.plan.queries.length, fhirHost);
  if (problem) {
    renderProblem(host, problem, relaunchUrl(session));
    return;
  }
  if (patient) {
    document.title = `STELLAR screening worksheet – ${bannerHost.querySelector('.patient-name')?.textContent ?? ''}`;
  }
  renderWorksheet(host, session, loaded);
  announce(`Worksheet ready: ${CLASSIFICATION_LABEL[loaded.result.classification]}.`);
  document.body.dataset.ready = 'true';
}

void main().catch((error: unknown) => {
  const host = document.getElementById('worksheet');
  if (host) {
    renderProblem(
      host,
      {
        kind: 'app-unavailable',
        title: 'Something went wrong',
        message: `The worksheet stopped with an unexpected error (${(error as Error).message}). Try again.`,
        action: 'retry',
      },
      undefined,
    );
  }
});
