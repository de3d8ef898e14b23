/** A patient the picker offers. */
export interface PickerPatient {
  id: string;
  name: string;
  details: string;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * The authorization server's patient picker for a standalone launch that asked for
 * `launch/patient`: a plain form (no script needed) that sends the choice, with the original
 * authorization request, back to `/authorize/pick`.
 */
export function renderPickerPage(options: {
  appName: string;
  userDisplay: string;
  patients: readonly PickerPatient[];
  /** The original /authorize query, carried through the form. */
  query: Readonly<Record<string, string>>;
}): string {
  const hidden = Object.entries(options.query)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n        ');
  const rows = options.patients
    .map(
      (p, i) => `
          <li>
            <input type="radio" name="patient" id="p-${i}" value="${escapeHtml(p.id)}"${i === 0 ? ' required' : ''}>
            <label for="p-${i}"><strong>${escapeHtml(p.name)}</strong> <span>${escapeHtml(p.details)}</span></label>
          </li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <title>Choose a patient – Demo EHR sign-in</title>
    <link rel="stylesheet" href="/assets/picker.css">
  </head>
  <body>
    <header class="ehr-bar"><span class="ehr-brand">Demo EHR sign-in</span><span>Signed in as ${escapeHtml(options.userDisplay)}</span></header>
    <main class="picker">
      <form method="get" action="/authorize/pick" class="picker-panel">
        <h1>Choose a patient for ${escapeHtml(options.appName)}</h1>
        <p>The app asked to open one patient’s record. It will see only this patient.</p>
        <fieldset>
          <legend>Patients on your unit</legend>
          <ul class="picker-list">${rows}
          </ul>
        </fieldset>
        ${hidden}
        <button type="submit" class="button primary">Open the record in ${escapeHtml(options.appName)}</button>
      </form>
    </main>
  </body>
</html>`;
}

/** A short HTML error page for requests that cannot be redirected back to the app. */
export function renderAuthErrorPage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" href="/assets/picker.css">
  </head>
  <body>
    <header class="ehr-bar"><span class="ehr-brand">Demo EHR sign-in</span></header>
    <main class="picker"><section class="picker-panel" role="alert"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></section></main>
  </body>
</html>`;
}
