import type {
  Classification,
  CriterionResult,
  CriterionStatus,
  Evidence,
  ScreeningResult,
} from '../../engine';
import { CRITERION_TITLES } from '../../report/criterion-titles';
import { formatEvidence, formatInstant } from '../../report/format-evidence';
import { candidateFindings } from '../../report/headline';
import { REPORT_CSS } from './report-styles';
import { countByClassification, sortResults } from './result-order';

/** What the report says about the run besides the results. */
export interface HtmlReportContext {
  now: string;
  trial: { name: string; nctId: string; title: string; registryUrl: string };
  /** Where the patients came from, in a few words ("FHIR server https://...", "NDJSON export"). */
  source: string;
  /** Patients that could not be screened at all. */
  notScreened: number;
}

/** Escapes text for HTML content and quoted attribute values. Every string from the record goes through it. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const HEADINGS: Readonly<Record<Classification, string>> = {
  likely: 'Likely candidates',
  possible: 'Possible candidates: confirm what is open',
  'insufficient-data': 'Insufficient data to decide',
  'not-eligible': 'Not eligible',
};

const STATUS_WORDS: Readonly<Record<CriterionStatus, string>> = {
  met: 'met',
  'not-met': 'not met',
  unknown: 'unknown',
};

const ROLE_WORDS: Readonly<Record<NonNullable<Evidence['role']>, string>> = {
  'worst-qualifying': 'worst qualifying',
  'worst-pair': 'worst pair',
  'most-recent': 'most recent',
  'unpaired-qualifying': 'would qualify, nothing charted near it',
  skipped: 'skipped',
};

function evidenceItem(e: Evidence): string {
  const source = e.reference ? ` <span class="src">${escapeHtml(e.reference)}</span>` : '';
  const role = e.role
    ? ` <span class="src">(${escapeHtml(ROLE_WORDS[e.role] ?? e.role)})</span>`
    : '';
  return `<li>${escapeHtml(formatEvidence(e))}${role}${source}</li>`;
}

function criterionRow(c: CriterionResult): string {
  const title = CRITERION_TITLES[c.id] ?? c.id;
  const confirm = c.confirmAtBedside ? '<span class="confirm">confirm</span>' : '';
  const evidence =
    c.evidence.length > 0
      ? `<ul class="evidence">${c.evidence.map(evidenceItem).join('')}</ul>`
      : '';
  return (
    `<tr${c.group ? ' class="member"' : ''}>` +
    `<td>${escapeHtml(title)}<span class="crit-id">${escapeHtml(c.id)}</span></td>` +
    `<td><span class="status s-${escapeHtml(c.status)}">${STATUS_WORDS[c.status] ?? escapeHtml(c.status)}</span>${confirm}</td>` +
    `<td>${escapeHtml(c.reason)}</td><td>${evidence}</td></tr>`
  );
}

function episodesLine(result: ScreeningResult): string {
  const episodes = result.ventilation.episodes;
  if (episodes.length === 0) return 'No invasive ventilation episode on record.';
  return episodes
    .map(
      (e) =>
        `${formatInstant(e.start)} to ${e.current ? 'now' : formatInstant(e.end)} ` +
        `(${e.days.toFixed(1)} days${e.failedExtubations.length > 0 ? `, ${e.failedExtubations.length} failed extubation(s)` : ''})`,
    )
    .join('; ');
}

function patientBlock(result: ScreeningResult): string {
  const c = result.classification;
  const why =
    c === 'likely' || c === 'possible'
      ? candidateFindings(result).join(', ') || result.summary
      : result.summary;
  const inclusions = result.criteria.filter((x) => x.kind === 'inclusion');
  const exclusions = result.criteria.filter((x) => x.kind === 'exclusion');
  const availability = Object.entries(result.dataAvailability)
    .map(([type, state]) => `${type} ${state}`)
    .join(', ');
  return [
    `<details class="patient p-${escapeHtml(c)}">`,
    `<summary><span class="badge c-${escapeHtml(c)}">${escapeHtml(c)}</span>`,
    `<span class="ref">${escapeHtml(result.patient)}</span><span class="why">${escapeHtml(why)}</span></summary>`,
    '<div class="body">',
    `<p>${escapeHtml(result.summary)}</p>`,
    '<table><thead><tr><th scope="col">Criterion</th><th scope="col">Status</th><th scope="col">Why</th><th scope="col">Evidence</th></tr></thead><tbody>',
    '<tr class="kind"><th colspan="4">Inclusion criteria</th></tr>',
    ...inclusions.map(criterionRow),
    '<tr class="kind"><th colspan="4">Exclusion criteria</th></tr>',
    ...exclusions.map(criterionRow),
    '</tbody></table>',
    `<p><strong>Ventilation:</strong> ${escapeHtml(episodesLine(result))}</p>`,
    `<p class="src">Data: ${escapeHtml(availability || 'none')} · rule set ${escapeHtml(result.ruleSet.id)} ${escapeHtml(result.ruleSet.version)}</p>`,
    '</div></details>',
  ].join('\n');
}

/**
 * A self-contained HTML report for the study team: counts, then one expandable row per patient
 * with every criterion and its evidence, candidates first. Inline CSS only, no script, no
 * external asset (a Content-Security-Policy forbids them, should a string ever slip through
 * unescaped); `<details>` opens without JavaScript. Every string from the record is escaped.
 */
export function formatHtmlReport(
  results: readonly ScreeningResult[],
  context: HtmlReportContext,
): string {
  const sorted = sortResults(results);
  const counts = countByClassification(results);
  const sections = counts
    .filter(([, n]) => n > 0)
    .map(([c, n]) => {
      const blocks = sorted
        .filter((r) => r.classification === c)
        .map(patientBlock)
        .join('\n');
      const heading = `${HEADINGS[c]} (${n})`;
      // The not-eligible list can be long and is the least urgent: collapsed by default.
      return c === 'not-eligible'
        ? `<details class="section"><summary>${heading}</summary>\n${blocks}\n</details>`
        : `<section><h2>${heading}</h2>\n${blocks}\n</section>`;
    });
  const { trial } = context;
  const title = `${trial.name} screening, ${formatInstant(context.now)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(trial.name)} trial screening <small>(${escapeHtml(trial.nctId)})</small></h1>
<p class="notice"><strong>For review by the study team.</strong> This report flags patients who may be candidates for the ${escapeHtml(trial.name)} trial. It never enrols anyone: confirm every criterion in the chart and at the bedside before approaching a patient.</p>
<p class="meta">Evaluated at ${escapeHtml(formatInstant(context.now))} · ${results.length} patient(s) from ${escapeHtml(context.source)}${context.notScreened > 0 ? ` · ${context.notScreened} could not be screened` : ''}</p>
<ul class="counts">${counts.map(([c, n]) => `<li class="c-${c}">${escapeHtml(c)} <b>${n}</b></li>`).join('')}</ul>
</header>
<main>
${sections.join('\n') || '<p>No patients were screened.</p>'}
</main>
<footer>${escapeHtml(trial.title)}. Registry: ${escapeHtml(trial.registryUrl)}. Generated by stellar-screen; times in UTC.</footer>
</body>
</html>
`;
}
