import type { Patient } from 'fhir/r4';
import type { VentilationEpisode } from '../../engine/types';
import { formatInstant } from '../../report/format-evidence';
import { buildReferral } from '../../report/referral';
import { bedsideChecklist } from '../bedside-checklist';
import type { LoadProblem } from '../load-problems';
import { partialDataWarning } from '../load-problems';
import { bannerDetails, patientBanner } from '../patient-display';
import { scopeAllows } from '../smart-scopes';
import { buildTimelineModel } from '../timeline-model';
import { CLASSIFICATION_ADVICE, CLASSIFICATION_LABEL, worksheetHeadline } from '../worksheet-text';
import { renderChecklist } from './checklist-view';
import { renderCriteria } from './criteria-view';
import { h, replaceChildren } from './dom';
import type { LoadedScreening } from './load-screening';
import { renderNotify } from './notify-dialog';
import type { SmartSession } from './smart-session';
import { renderTimeline } from './timeline-chart';

function episodeText(e: VentilationEpisode): string {
  const days = `${e.days.toFixed(1)} days`;
  const failed = e.failedExtubations.length
    ? `; ${e.failedExtubations.length} failed extubation${e.failedExtubations.length === 1 ? '' : 's'}`
    : '';
  if (e.current) return `Current: since ${formatInstant(e.start)}, ${days}${failed}`;
  const ended = e.endedByExtubation ? ' (extubated)' : '';
  return `${formatInstant(e.start)} to ${formatInstant(e.end)}${ended}, ${days}${failed}`;
}

function referralText(sent: { reference: string; at: string } | undefined): string {
  return sent
    ? `Study team notified at ${formatInstant(sent.at)} (${sent.reference}).`
    : 'Study team not notified from this worksheet.';
}

function sentKey(patientId: string): string {
  return `stellar-referral:${patientId}`;
}

function readSent(patientId: string): { reference: string; at: string } | undefined {
  try {
    const raw = sessionStorage.getItem(sentKey(patientId));
    return raw ? (JSON.parse(raw) as { reference: string; at: string }) : undefined;
  } catch {
    return undefined;
  }
}

/** The patient banner in the header: name, sex, age, MRN (the EHR asks apps to show one). */
export function renderBanner(host: HTMLElement, patient: Patient | undefined): void {
  const banner = patientBanner(patient, new Date());
  replaceChildren(
    host,
    h('span', { class: 'patient-name' }, banner.name),
    h('span', { class: 'patient-details' }, bannerDetails(banner)),
  );
}

/** An error in place of the worksheet, with what the user can do about it. */
export function renderProblem(
  host: HTMLElement,
  problem: LoadProblem,
  relaunchUrl: string | undefined,
): void {
  const actions =
    problem.action === 'retry'
      ? h(
          'button',
          { type: 'button', class: 'button primary', onclick: () => location.reload() },
          'Try again',
        )
      : relaunchUrl
        ? h(
            'a',
            { class: 'button primary', href: relaunchUrl },
            problem.kind === 'not-launched' ? 'Start a standalone launch' : 'Sign in again',
          )
        : null;
  replaceChildren(
    host,
    h(
      'section',
      {
        class: `problem problem-${problem.kind}`,
        role: 'alert',
        'aria-labelledby': 'problem-title',
      },
      h('h2', { id: 'problem-title' }, problem.title),
      h('p', {}, problem.message),
      actions,
    ),
  );
  (host.querySelector('#problem-title') as HTMLElement | null)?.focus();
}

/**
 * The whole worksheet: the classification and what to do next with the notify and print
 * buttons, the bedside checklist, the timeline, every criterion, the episodes and where the data
 * came from. Print shows the same, laid out as a one-document summary.
 */
export function renderWorksheet(
  host: HTMLElement,
  session: SmartSession,
  loaded: LoadedScreening,
): void {
  const { result, definition } = loaded;
  const trial = definition.trial;
  const classification = result.classification;
  const isCandidate = classification === 'likely' || classification === 'possible';
  const headline = worksheetHeadline(result, trial.name);

  const referralType = definition.cards.referralResource;
  const referral = buildReferral({
    resourceType: referralType,
    patientId: session.patientId,
    ...(session.fhirUser ? { requester: session.fhirUser } : {}),
    studyTeam: definition.cards.studyTeam,
    trial,
    summary: isCandidate ? headline : `${CLASSIFICATION_LABEL[classification]}: ${result.summary}`,
    authoredOn: loaded.now,
  });
  const mayWrite = scopeAllows(session.grantedScope, referralType, 'create');
  const notify = renderNotify({
    referral,
    teamName: definition.cards.studyTeam.display,
    allowed: mayWrite && isCandidate,
    disabledReason: !isCandidate
      ? 'The screen does not find a candidate, so there is nothing to refer.'
      : `Your EHR sign-in does not allow creating a ${referralType} (no write access granted). Use the “Notify” suggestion on the card in the EHR instead.`,
    send: async (resource) => {
      const created = (await session.client.create(resource as never)) as { id?: string };
      return `${resource.resourceType}/${created?.id ?? '(id not returned)'}`;
    },
    ...(readSent(session.patientId) ? { alreadySent: readSent(session.patientId) } : {}),
    onSent: (reference, at) => {
      printReferralState.textContent = referralText({ reference, at });
      try {
        sessionStorage.setItem(sentKey(session.patientId), JSON.stringify({ reference, at }));
      } catch {
        // nothing to do: the button already shows the request as sent
      }
    },
  });

  const contextNote = (() => {
    const ctx = session.appContext;
    if (!ctx) return null;
    const what = [
      ctx.classification ? `${ctx.classification} candidate` : undefined,
      ctx.evaluatedAt ? `screened ${formatInstant(ctx.evaluatedAt)}` : undefined,
    ].filter((x) => x !== undefined);
    let text = `Opened from the ${trial.name} card${what.length ? ` (${what.join(', ')})` : ''}.`;
    if (ctx.classification && ctx.classification !== classification) {
      text += ` The record has changed since: the screen now finds ${CLASSIFICATION_LABEL[classification].toLowerCase()}.`;
    }
    if (ctx.ruleSet && ctx.ruleSet !== `${result.ruleSet.id}@${result.ruleSet.version}`) {
      text += ` The card used rule set ${ctx.ruleSet}; this worksheet uses ${result.ruleSet.id}@${result.ruleSet.version}.`;
    }
    return h('p', { class: 'context-note' }, text);
  })();

  const warning = partialDataWarning(loaded.failures);
  const timeline = buildTimelineModel(loaded.prepared, loaded.resources, result);
  const noVentilation = !timeline.hasVentilationData
    ? h(
        'div',
        { class: 'notice', role: 'note' },
        h('strong', {}, 'No ventilation data. '),
        `The record read has no PEEP or plateau pressure charted in the last ${definition.dataPlan.ventilationHistoryDays ?? 'any'} days and no ventilation episode it can confirm is going on now. The screen needs 7 days of invasive ventilation: if the patient is ventilated, check that the ventilator charting reaches the record.`,
      )
    : null;

  const checklist = bedsideChecklist(result);
  const printChecklistState = h('p', { class: 'print-only' });
  const printReferralState = h(
    'p',
    { class: 'print-only' },
    referralText(readSent(session.patientId)),
  );
  const summary = h(
    'section',
    { class: `panel summary summary-${classification}`, 'aria-labelledby': 'summary-title' },
    h(
      'div',
      { class: 'summary-main' },
      h('p', { class: 'eyebrow' }, `${trial.name} trial (${trial.nctId}) screening`),
      h(
        'h1',
        { id: 'summary-title', class: 'classification' },
        h('span', { class: `badge badge-${classification}` }, CLASSIFICATION_LABEL[classification]),
      ),
      h('p', { class: 'headline' }, headline),
      h('p', { class: 'advice' }, CLASSIFICATION_ADVICE[classification]),
      contextNote,
      h(
        'p',
        { class: 'meta' },
        `Screened ${formatInstant(result.evaluatedAt)} with rule set ${result.ruleSet.id} ${result.ruleSet.version}, from ${loaded.resources.length} resources read just now.`,
      ),
      printChecklistState,
      printReferralState,
    ),
    h(
      'div',
      { class: 'summary-actions no-print' },
      notify,
      h(
        'button',
        { type: 'button', class: 'button', id: 'print-button', onclick: () => window.print() },
        'Print screening summary',
      ),
    ),
  );

  const episodes = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'episodes-title' },
    h(
      'div',
      { class: 'section-header' },
      h('h2', { id: 'episodes-title' }, 'Ventilation episodes'),
    ),
    result.ventilation.episodes.length
      ? h(
          'ul',
          { class: 'plain-list' },
          result.ventilation.episodes
            .slice()
            .reverse()
            .map((e) => h('li', {}, episodeText(e))),
        )
      : h('p', { class: 'muted' }, 'No episode of invasive ventilation in the record read.'),
  );
  const sources = h(
    'section',
    { class: 'panel about', 'aria-labelledby': 'about-title' },
    h('div', { class: 'section-header' }, h('h2', { id: 'about-title' }, 'About this screen')),
    h(
      'p',
      {},
      `Read from ${new URL(session.fhirBase).host} with your EHR sign-in: ${loaded.plan.queries.length} searches, ${loaded.requests} requests. Screened in this browser with the same rules and data plan as the ${trial.name} alert.`,
    ),
    h(
      'p',
      {},
      'For review by the study team: this screen flags likely candidates and never enrols anyone. Bedside ticks stay in this browser tab.',
    ),
    h(
      'p',
      {},
      h(
        'a',
        { href: trial.registryUrl, target: '_blank', rel: 'noopener noreferrer' },
        `${trial.title} on ClinicalTrials.gov`,
      ),
    ),
  );

  const sign = h(
    'section',
    { class: 'print-only signature' },
    h(
      'p',
      {},
      'Reviewed by: ______________________________   Role: ________________   Date and time: ________________',
    ),
    h('p', {}, 'Decision: ☐ refer to the study team   ☐ not eligible   ☐ re-screen later'),
  );

  replaceChildren(
    host,
    summary,
    warning ? h('div', { class: 'notice warning', role: 'alert' }, warning) : null,
    noVentilation,
    h(
      'div',
      { class: 'worksheet-grid' },
      h('div', { class: 'grid-main' }, renderTimeline(timeline), renderCriteria(result)),
      h(
        'div',
        { class: 'grid-side' },
        renderChecklist(checklist, session.patientId, (ticked, total) => {
          printChecklistState.textContent = `Bedside confirmations: ${ticked} of ${total} ticked.`;
        }),
        episodes,
        sources,
      ),
    ),
    sign,
  );
}
