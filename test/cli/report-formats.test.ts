import {
  ALL_SEARCHED,
  evaluatePatient,
  prepareScreening,
  type ScreeningResult,
} from '../../src/engine';
import { loadServiceDefinition } from '../../src/config/service-definition';
import { csvCell, formatCsv } from '../../src/cli/output/format-csv';
import { escapeHtml, formatHtmlReport } from '../../src/cli/output/format-html';
import { formatSummaryTable } from '../../src/cli/output/format-table';
import { createProgressBar } from '../../src/cli/output/progress-bar';
import { generateCensus } from '../../src/synthetic';
import { NOW } from './cli-fixtures';

const definition = loadServiceDefinition();
const prepared = prepareScreening(definition.screening);
const census = generateCensus({ seed: 4, now: NOW, count: 16 }).map((bundle) =>
  evaluatePatient(prepared, {
    resources: (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])),
    now: NOW,
    availability: ALL_SEARCHED,
  }),
);

/** A result carrying text a record could hold: markup, formulas, quotes, line breaks. */
function hostile(): ScreeningResult {
  const base = census.find((r) => r.classification === 'likely') as ScreeningResult;
  return {
    ...base,
    patient: 'Patient/=cmd|calc',
    summary: '=HYPERLINK("http://evil.example","click"), "quoted"\nnext line',
    criteria: base.criteria.map((c, i) =>
      i === 0
        ? {
            ...c,
            reason: '<script>alert(1)</script>',
            evidence: [
              {
                label: '<img src=x onerror=alert(2)>',
                value: '"><b>bold</b>',
                reference: 'Observation/<i>',
                notes: ["it's & <b>"],
              },
            ],
          }
        : c,
    ),
  };
}

describe('formatCsv', () => {
  it('writes a header and one row per patient with a status column per criterion id', () => {
    const lines = formatCsv(census).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'patient,classification,summary,age,respiratory-failure,invasive-ventilation-7d,physiology-or-weaning,' +
        'pf-ratio-on-peep,hypercapnia-on-plateau,acidosis-on-plateau,no-other-option,repeated-weaning-failure,' +
        'prolonged-weaning,severe-aplastic-anemia,hematologic-malignancy-or-stem-cell,solid-cancer,hiv,' +
        'life-expectancy-under-3-months,pregnancy-or-breastfeeding,hypersensitivity',
    );
    expect(lines).toHaveLength(17);
    expect(lines[1]).toMatch(/^Patient\/[^,]+,likely,/);
  });

  it('quotes as RFC 4180 asks and defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) {
      expect(csvCell(`${lead}SUM(A1)`).replace(/^"/, '')).toMatch(/^'/);
    }
    const row = formatCsv([hostile()]).split('\r\n')[1] as string;
    expect(
      row.startsWith(
        `Patient/=cmd|calc,likely,"'=HYPERLINK(""http://evil.example"",""click""), ""quoted""\nnext line",`,
      ),
    ).toBe(true);
  });
});

describe('formatHtmlReport', () => {
  const context = {
    now: NOW,
    trial: definition.trial,
    source: 'the synthetic demo census',
    notScreened: 0,
  };

  it('is one self-contained page that says it flags candidates for review and never enrols', () => {
    const html = formatHtmlReport(census, context);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('It never enrols anyone');
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
    expect(html).toContain("default-src 'none'");
  });

  it('puts likely candidates first, each row opening onto every criterion with its evidence', () => {
    const html = formatHtmlReport(census, context);
    const order = [...html.matchAll(/<details class="patient p-([a-z-]+)"/g)].map((m) => m[1]);
    expect(order).toHaveLength(16);
    expect(order).toEqual(
      [...order].sort(
        (a, b) =>
          ['likely', 'possible', 'insufficient-data', 'not-eligible'].indexOf(a as string) -
          ['likely', 'possible', 'insufficient-data', 'not-eligible'].indexOf(b as string),
      ),
    );
    const first = html.slice(html.indexOf('<details class="patient'), html.indexOf('</details>'));
    for (const id of ['age', 'pf-ratio-on-peep', 'hiv', 'hypersensitivity'])
      expect(first).toContain(`<span class="crit-id">${id}</span>`);
    expect(first).toMatch(/Observation\/stellar-[^<]+-obs-\d+/);
  });

  it('escapes every string from the record', () => {
    const html = formatHtmlReport([hostile()], context);
    expect(html).not.toMatch(/<script>alert|<img src|<b>bold|Observation\/<i>|it's & <b>/);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('&#34;&#62;&#60;b&#62;bold&#60;/b&#62;');
    expect(escapeHtml(`&<>"'`)).toBe('&#38;&#60;&#62;&#34;&#39;');
  });
});

describe('formatSummaryTable', () => {
  it('counts every classification, then lists only likely and possible patients with a short reason', () => {
    const table = formatSummaryTable(census, { now: NOW, notScreened: 1 });
    const counts = Object.fromEntries(
      ['likely', 'possible', 'insufficient-data', 'not-eligible'].map((c) => [
        c,
        census.filter((r) => r.classification === c).length,
      ]),
    );
    expect(table).toContain(
      `likely ${counts.likely} | possible ${counts.possible} | insufficient-data ${counts['insufficient-data']} | not-eligible ${counts['not-eligible']}`,
    );
    const rows = table
      .split('\n')
      .filter((l) => /^(likely|possible|insufficient-data|not-eligible)\s+Patient\//.test(l));
    expect(rows).toHaveLength((counts.likely ?? 0) + (counts.possible ?? 0));
    expect(table).toContain('1 patient(s) could not be screened');
  });

  it('says so plainly when no patient is a candidate', () => {
    const none = census.filter((r) => r.classification === 'not-eligible');
    expect(formatSummaryTable(none, { now: NOW, notScreened: 0 })).toContain(
      'No likely or possible candidates.',
    );
  });
});

describe('createProgressBar', () => {
  it('draws on a terminal, at most ten times a second, and erases itself', () => {
    let out = '';
    let t = 0;
    const bar = createProgressBar(
      (s) => (out += s),
      true,
      () => t,
    );
    bar.update({ phase: 'screening', done: 0, total: 10, unit: 'patients' });
    t = 50;
    bar.update({ phase: 'screening', done: 1, total: 10, unit: 'patients' }); // too soon: skipped
    t = 2000;
    bar.update({ phase: 'screening', done: 5, total: 10, unit: 'patients' });
    bar.clear();
    const frames = out.split('\r\x1b[2K').filter((f) => f !== '');
    expect(frames).toEqual([
      'screening [........................] 0% 0 of 10 patients',
      'screening [############............] 50% 5 of 10 patients, 2.5/s',
    ]);
    expect(out.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('writes nothing when stderr is not a terminal', () => {
    let out = '';
    const bar = createProgressBar(
      (s) => (out += s),
      false,
      () => 0,
    );
    bar.update({ phase: 'reading export', done: 1 << 20, total: 1 << 30, unit: 'bytes' });
    bar.clear();
    expect(out).toBe('');
  });
});
