import './ehr.css';
import type { CdsCard, CdsLink } from '../../../cds/cds-hooks-types';
import { formatInstant } from '../../../report/format-evidence';
import { byId, h, replaceChildren } from '../../../smart-app/browser/dom';
import { renderCardMarkdown } from '../card-markdown';
import type { ChartView, PatientRow } from '../chart-data';

interface Session {
  user: { reference: string; display: string };
  apps: { id: string; name: string }[];
  links: Record<string, string>;
  censusAt: string;
}

interface ServiceAnswer {
  id: string;
  title: string;
  cards: CdsCard[];
  error?: string;
  timings?: { prefetchMs: number; callMs: number };
}

interface CdsAnswer {
  services: ServiceAnswer[];
  timings: { discoveryMs: number; totalMs: number };
}

const EXPECTED_LABEL: Readonly<Record<PatientRow['expected'], string>> = {
  likely: 'likely',
  possible: 'possible',
  'not-eligible': 'not eligible',
  'insufficient-data': 'insufficient data',
};

const INDICATOR: Readonly<Record<CdsCard['indicator'], { icon: string; word: string }>> = {
  info: { icon: 'i', word: 'Info' },
  warning: { icon: '!', word: 'Warning' },
  critical: { icon: '‼', word: 'Critical' },
};

async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`api/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new Error(json.error ?? `the EHR server answered ${res.status}`);
  return json as T;
}

let session: Session | undefined;

function spinner(text: string): HTMLElement {
  return h(
    'p',
    { class: 'loading', role: 'status' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    text,
  );
}

function errorBox(message: string, retry?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'error-box', role: 'alert' },
    h('p', {}, message),
    retry ? h('button', { type: 'button', class: 'button', onclick: retry }, 'Try again') : null,
  );
}

// ---------------------------------------------------------------------------------------------
// Patient list

async function showList(view: HTMLElement): Promise<void> {
  document.title = 'ICU census – Demo EHR';
  replaceChildren(view, spinner('Loading the ICU census…'));
  let rows: PatientRow[];
  try {
    rows = (await api<{ patients: PatientRow[] }>('patients')).patients;
  } catch (error) {
    replaceChildren(
      view,
      errorBox(
        `The census could not be loaded: ${(error as Error).message}`,
        () => void showList(view),
      ),
    );
    return;
  }
  const table = h(
    'table',
    { class: 'census' },
    h('caption', {}, `Riverside ICU: ${rows.length} patients`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Bed'),
        h('th', { scope: 'col' }, 'Patient'),
        h('th', { scope: 'col' }, 'Sex, age, MRN'),
        h('th', { scope: 'col' }, 'Admitted'),
        h('th', { scope: 'col' }, 'Demo scenario (what STELLAR screening should find)'),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          { 'data-patient': r.id },
          h('td', {}, r.bed),
          h(
            'th',
            { scope: 'row' },
            h('a', { href: `#/patient/${encodeURIComponent(r.id)}` }, r.name),
          ),
          h('td', {}, r.details),
          h('td', {}, r.admitted ? formatInstant(r.admitted) : '–'),
          h(
            'td',
            {},
            h('span', { class: `hint hint-${r.expected}` }, EXPECTED_LABEL[r.expected]),
            ` ${r.note}`,
          ),
        ),
      ),
    ),
  );
  replaceChildren(
    view,
    h(
      'section',
      { class: 'intro' },
      h('h1', {}, 'ICU census'),
      h(
        'p',
        {},
        'Open a chart: the EHR calls the STELLAR screening service (CDS Hooks patient-view) and shows its card beside the chart. Every patient is synthetic; the last column is the demo’s hint, not part of a real EHR.',
      ),
    ),
    h('div', { class: 'table-wrap' }, table),
  );
}

// ---------------------------------------------------------------------------------------------
// Chart

function banner(p: PatientRow, chart?: ChartView): HTMLElement {
  return h(
    'section',
    { class: 'banner', 'aria-label': 'Patient' },
    h(
      'div',
      { class: 'banner-main' },
      h('h1', { id: 'patient-name' }, p.name),
      h('p', {}, p.details),
    ),
    h(
      'dl',
      { class: 'banner-facts' },
      h('div', {}, h('dt', {}, 'Location'), h('dd', {}, p.bed)),
      chart?.stay
        ? h('div', {}, h('dt', {}, 'Admitted'), h('dd', {}, formatInstant(chart.stay.start)))
        : null,
      h('div', {}, h('dt', {}, 'Attending'), h('dd', {}, session?.user.display ?? '')),
    ),
  );
}

async function launchApp(body: Record<string, unknown>, status: HTMLElement): Promise<void> {
  // Opened at once, inside the click, so popup blockers let it through; pointed at the app
  // when the EHR has registered the launch.
  const win = window.open('about:blank', '_blank');
  if (win) win.opener = null;
  status.textContent = 'Opening the app…';
  try {
    const { url } = await api<{ url: string }>('launch', body);
    if (win) win.location.href = url;
    else window.location.href = url;
    status.textContent = 'The app opened in a new window.';
  } catch (error) {
    win?.close();
    status.textContent = `The app could not be opened: ${(error as Error).message}`;
  }
}

function dismissForm(
  card: CdsCard,
  onDismiss: (reason: string, comment: string) => Promise<void>,
): HTMLFormElement {
  const id = card.uuid ?? 'card';
  const reasons = card.overrideReasons ?? [];
  const comment = h('textarea', { id: `${id}-comment`, rows: 2, maxlength: 500 });
  const submit = h('button', { type: 'submit', class: 'button danger' }, 'Dismiss card');
  const form = h(
    'form',
    { class: 'dismiss-form', hidden: true },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Why are you dismissing this card?'),
      reasons.map((r, i) =>
        h(
          'div',
          { class: 'radio' },
          h('input', {
            type: 'radio',
            name: `${id}-reason`,
            id: `${id}-reason-${i}`,
            value: r.code,
            checked: i === 0,
          }),
          h('label', { for: `${id}-reason-${i}` }, r.display ?? r.code),
        ),
      ),
      h(
        'div',
        { class: 'radio' },
        h('input', { type: 'radio', name: `${id}-reason`, id: `${id}-reason-none`, value: '' }),
        h('label', { for: `${id}-reason-none` }, 'No reason given'),
      ),
    ),
    h('label', { for: `${id}-comment`, class: 'comment-label' }, 'Comment (optional)'),
    comment,
    h(
      'div',
      { class: 'form-actions' },
      submit,
      h(
        'button',
        { type: 'button', class: 'button', onclick: () => (form.hidden = true) },
        'Cancel',
      ),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = form.querySelector<HTMLInputElement>(`input[name="${id}-reason"]:checked`);
    submit.disabled = true;
    void onDismiss(chosen?.value ?? '', comment.value).finally(() => (submit.disabled = false));
  });
  return form;
}

function renderCard(card: CdsCard, patientId: string): HTMLElement {
  const uuid = card.uuid ?? '';
  const indicator = INDICATOR[card.indicator] ?? INDICATOR.info;
  const status = h('p', { class: 'card-status', role: 'status' });
  const detail = card.detail
    ? (() => {
        const body = h('div', { class: 'markdown' });
        body.innerHTML = renderCardMarkdown(card.detail); // sanitised: see card-markdown.ts
        return h(
          'details',
          { class: 'card-detail' },
          h('summary', {}, 'Criteria and evidence'),
          body,
        );
      })()
    : null;
  const finish = (message: string) => {
    replaceChildren(
      article,
      h(
        'p',
        { class: 'card-done', role: 'status' },
        h('span', { 'aria-hidden': 'true' }, '✓ '),
        message,
      ),
    );
  };
  const suggestions = (card.suggestions ?? []).map((s) =>
    h(
      'button',
      {
        type: 'button',
        class: `button${s.isRecommended ? ' primary' : ''}`,
        onclick: async (event) => {
          const button = event.currentTarget as HTMLButtonElement;
          button.disabled = true;
          status.textContent = 'Sending…';
          try {
            const { created } = await api<{ created: string[] }>(
              `cards/${encodeURIComponent(uuid)}/accept`,
              {
                patientId,
                suggestionUuid: s.uuid,
              },
            );
            finish(`${s.label}: done (${created.join(', ')}). Feedback sent to the service.`);
          } catch (error) {
            button.disabled = false;
            status.textContent = `Could not complete “${s.label}”: ${(error as Error).message}`;
          }
        },
      },
      s.label,
      s.isRecommended ? h('span', { class: 'recommended' }, ' (recommended)') : null,
    ),
  );
  const links = (card.links ?? []).map((link: CdsLink, index) =>
    link.type === 'smart'
      ? h(
          'button',
          {
            type: 'button',
            class: 'button',
            onclick: () => void launchApp({ patientId, cardUuid: uuid, linkIndex: index }, status),
          },
          link.label,
          h('span', { class: 'visually-hidden' }, ' (opens in a new window)'),
        )
      : h(
          'a',
          { class: 'button link', href: link.url, target: '_blank', rel: 'noopener noreferrer' },
          link.label,
          h('span', { class: 'visually-hidden' }, ' (opens in a new window)'),
        ),
  );
  const form = dismissForm(card, async (reason, comment) => {
    status.textContent = 'Dismissing…';
    try {
      await api(`cards/${encodeURIComponent(uuid)}/dismiss`, { patientId, reason, comment });
      const chosen = card.overrideReasons?.find((r) => r.code === reason)?.display;
      finish(`Card dismissed${chosen ? ` (${chosen})` : ''}. Feedback sent to the service.`);
    } catch (error) {
      status.textContent = `Could not dismiss the card: ${(error as Error).message}`;
    }
  });
  const dismiss = h(
    'button',
    {
      type: 'button',
      class: 'button subtle',
      'aria-expanded': 'false',
      onclick: (event) => {
        form.hidden = !form.hidden;
        (event.currentTarget as HTMLElement).setAttribute('aria-expanded', String(!form.hidden));
        if (!form.hidden) form.querySelector('input')?.focus();
      },
    },
    'Dismiss…',
  );
  const article: HTMLElement = h(
    'article',
    {
      class: `cds-card indicator-${card.indicator}`,
      'data-card-uuid': uuid,
      'aria-labelledby': `summary-${uuid}`,
    },
    h(
      'header',
      { class: 'card-header' },
      h(
        'span',
        { class: 'indicator' },
        h('span', { class: 'indicator-icon', 'aria-hidden': 'true' }, indicator.icon),
        indicator.word,
      ),
      h('h3', { id: `summary-${uuid}`, class: 'card-summary' }, card.summary),
    ),
    h(
      'p',
      { class: 'card-source' },
      'Source: ',
      card.source.url
        ? h(
            'a',
            { href: card.source.url, target: '_blank', rel: 'noopener noreferrer' },
            card.source.label,
          )
        : card.source.label,
    ),
    detail,
    h('div', { class: 'card-actions' }, suggestions, links, dismiss),
    form,
    status,
  );
  return article;
}

function renderCds(host: HTMLElement, answer: CdsAnswer, patientId: string): void {
  const cards = answer.services.flatMap((s) => s.cards);
  const errors = answer.services.filter((s) => s.error);
  const checked = answer.services.map((s) => s.title).join(', ');
  replaceChildren(
    host,
    cards.length > 0
      ? h(
          'div',
          { class: 'cards' },
          cards.map((c) => renderCard(c, patientId)),
        )
      : errors.length === 0
        ? h('p', { class: 'no-cards' }, 'No decision support alerts for this patient.')
        : null,
    errors.map((s) => errorBox(`${s.title} could not answer: ${s.error}`)),
    h(
      'p',
      { class: 'cds-meta' },
      `Checked: ${checked || 'no services'}.`,
      ' ',
      h('span', { id: 'cds-timing' }),
    ),
  );
}

async function showChart(view: HTMLElement, patientId: string): Promise<void> {
  performance.clearMarks();
  performance.clearMeasures();
  performance.mark('chart-open');
  const cdsHost = h('div', { class: 'cds-body' }, spinner('Checking decision support…'));
  // One persistent live region: the cards themselves are too long to be read out on arrival.
  const announcer = h('p', { class: 'visually-hidden', role: 'status' });
  const chartHost = h('div', {}, spinner('Loading the chart…'));
  const appStatus = h('p', { class: 'app-status', role: 'status' });
  const apps = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'apps-title' },
    h('h2', { id: 'apps-title' }, 'Apps'),
    h(
      'ul',
      { class: 'app-menu' },
      (session?.apps ?? []).map((a) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'button',
              onclick: () => void launchApp({ patientId, appId: a.id }, appStatus),
            },
            a.name,
            h('span', { class: 'visually-hidden' }, ' (opens in a new window)'),
          ),
        ),
      ),
    ),
    appStatus,
  );
  const about = h(
    'section',
    { class: 'panel about' },
    h('h2', {}, 'Behind this demo'),
    h(
      'ul',
      {},
      Object.entries(session?.links ?? {}).map(([label, url]) =>
        h(
          'li',
          {},
          h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', title: url }, label),
          h('span', { class: 'visually-hidden' }, ' (opens in a new window)'),
          h('span', { class: 'link-url' }, new URL(url).host),
        ),
      ),
    ),
  );
  const bannerHost = h('div', {});
  replaceChildren(
    view,
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/' }, '← ICU census')),
    bannerHost,
    h(
      'div',
      { class: 'chart-grid' },
      h(
        'div',
        { class: 'chart-main' },
        h(
          'section',
          {
            class: 'panel cds-panel',
            'aria-labelledby': 'cds-title',
            'aria-busy': 'true',
            id: 'cds-panel',
          },
          h('h2', { id: 'cds-title' }, 'Clinical decision support'),
          announcer,
          cdsHost,
        ),
        chartHost,
      ),
      h('div', { class: 'chart-side' }, apps, about),
    ),
  );

  const cds = api<CdsAnswer>(`patients/${encodeURIComponent(patientId)}/cds`, {}).then(
    (answer) => {
      renderCds(cdsHost, answer, patientId);
      const count = answer.services.reduce((n, svc) => n + svc.cards.length, 0);
      announcer.textContent =
        count === 0
          ? 'No decision support alerts.'
          : `${count} decision support card${count === 1 ? '' : 's'}.`;
      byId('cds-panel').removeAttribute('aria-busy');
      performance.mark('cards-rendered');
      const measure = performance.measure('chart-open-to-card', 'chart-open', 'cards-rendered');
      const service = answer.services[0];
      const timing = document.getElementById('cds-timing');
      if (timing) {
        timing.textContent = `Answered ${Math.round(measure.duration)} ms after the chart opened${
          service?.timings
            ? ` (prefetch ${Math.round(service.timings.prefetchMs)} ms, service ${Math.round(service.timings.callMs)} ms)`
            : ''
        }.`;
      }
      document.body.dataset.cdsReady = 'true';
    },
    (error: unknown) => {
      replaceChildren(
        cdsHost,
        errorBox(
          `Decision support could not be checked: ${(error as Error).message}`,
          () => void showChart(view, patientId),
        ),
      );
      byId('cds-panel').removeAttribute('aria-busy');
    },
  );
  try {
    const chart = await api<ChartView>(`patients/${encodeURIComponent(patientId)}/chart`);
    document.title = `${chart.patient.name} – Demo EHR`;
    replaceChildren(bannerHost, banner(chart.patient, chart));
    replaceChildren(
      chartHost,
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'problems-title' },
        h('h2', { id: 'problems-title' }, 'Problem list'),
        chart.problems.length
          ? h(
              'ul',
              { class: 'problems' },
              chart.problems.map((p) =>
                h(
                  'li',
                  {},
                  h('strong', {}, p.display),
                  p.status ? ` – ${p.status}` : '',
                  p.onset
                    ? h('span', { class: 'muted' }, ` (since ${p.onset.slice(0, 10)})`)
                    : null,
                ),
              ),
            )
          : h('p', { class: 'muted' }, 'No problems recorded.'),
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'results-title' },
        h('h2', { id: 'results-title' }, 'Latest results and ventilator settings'),
        chart.latest.length
          ? h(
              'table',
              { class: 'results' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', { scope: 'col' }, 'Observation'),
                  h('th', { scope: 'col' }, 'Value'),
                  h('th', { scope: 'col' }, 'Time'),
                ),
              ),
              h(
                'tbody',
                {},
                chart.latest.map((r) =>
                  h(
                    'tr',
                    {},
                    h('th', { scope: 'row' }, r.label),
                    h('td', {}, r.value),
                    h('td', {}, formatInstant(r.time)),
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted' }, 'No results in this stay yet.'),
      ),
    );
  } catch (error) {
    replaceChildren(
      chartHost,
      errorBox(`The chart could not be loaded: ${(error as Error).message}`),
    );
  }
  await cds;
}

// ---------------------------------------------------------------------------------------------
// Routing

async function route(): Promise<void> {
  const view = byId('view');
  delete document.body.dataset.cdsReady;
  const m = /^#\/patient\/([^/]+)$/.exec(location.hash);
  if (m) await showChart(view, decodeURIComponent(m[1] as string));
  else await showList(view);
  byId('main').focus({ preventScroll: true });
}

async function main(): Promise<void> {
  try {
    session = await api<Session>('session');
    byId('ehr-user-name').textContent = session.user.display;
  } catch {
    // The pages still work; the user's name is missing from the bar.
  }
  window.addEventListener('hashchange', () => void route());
  await route();
}

void main();
