/**
 * The HTML report's only styles, inline so the page is one file with no external assets.
 * Status is always written in words; colour only repeats it. In print, candidates open up and
 * the collapsed "not eligible" list stays a list of one-line summaries.
 */
export const REPORT_CSS = `
:root { --ink: #1d232a; --muted: #5b6570; --line: #d5dbe1; --likely: #1b6e3a; --possible: #8a5a00;
  --insufficient: #4a5560; --not-eligible: #6b7280; --bg-likely: #e7f4ec; --bg-possible: #fdf3dc;
  --bg-insufficient: #eceff2; --bg-not-eligible: #f4f5f6; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 75rem; padding: 1.5rem; color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h1 small { font-weight: normal; color: var(--muted); font-size: 1rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; }
.notice { border: 2px solid #b45309; background: #fff7ed; padding: .6rem .9rem; border-radius: 6px; margin: .75rem 0; }
.meta { color: var(--muted); margin: .25rem 0 1rem; }
.counts { display: flex; flex-wrap: wrap; gap: .5rem; list-style: none; padding: 0; margin: 0; }
.counts li { padding: .35rem .8rem; border-radius: 999px; border: 1px solid var(--line); }
.counts b { font-size: 1.1rem; margin-left: .25rem; }
.c-likely { background: var(--bg-likely); color: var(--likely); }
.c-possible { background: var(--bg-possible); color: var(--possible); }
.c-insufficient-data { background: var(--bg-insufficient); color: var(--insufficient); }
.c-not-eligible { background: var(--bg-not-eligible); color: var(--not-eligible); }
details.patient { border: 1px solid var(--line); border-radius: 6px; margin: .4rem 0; background: #fff; }
details.patient > summary { cursor: pointer; padding: .5rem .75rem; display: flex; gap: .75rem; align-items: baseline; flex-wrap: wrap; }
details.patient > summary::-webkit-details-marker { display: none; }
details.patient > summary::before { content: "\\25B8"; color: var(--muted); width: .8rem; }
details.patient[open] > summary::before { content: "\\25BE"; }
details.patient[open] > summary { border-bottom: 1px solid var(--line); }
.badge { display: inline-block; min-width: 8.5rem; font-weight: 600; font-size: .8rem; text-transform: uppercase;
  letter-spacing: .03em; padding: .1rem .5rem; border-radius: 4px; text-align: center; }
.ref { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9rem; }
.why { color: var(--muted); }
.body { padding: .5rem .75rem .75rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
thead th { background: #f6f8fa; }
tr.kind th { background: #fafbfc; color: var(--muted); font-weight: 600; padding-top: .6rem; }
tr.member td:first-child { padding-left: 1.5rem; }
.status { font-weight: 600; white-space: nowrap; }
.s-met { color: #0b5cad; } .s-not-met { color: #374151; } .s-unknown { color: #8a5a00; }
.confirm { display: inline-block; margin-left: .3rem; font-size: .75rem; font-weight: 600; color: #8a5a00;
  border: 1px solid #e3c27a; border-radius: 3px; padding: 0 .25rem; }
.crit-id { display: block; color: var(--muted); font-size: .8rem; font-family: ui-monospace, Menlo, Consolas, monospace; }
ul.evidence { margin: 0; padding-left: 1rem; }
.src { color: var(--muted); font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .8rem; }
details.section > summary { cursor: pointer; font-size: 1.15rem; font-weight: 600; margin: 1.75rem 0 .5rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); padding-top: .75rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  details.patient { break-inside: avoid-page; }
  details.p-likely::details-content, details.p-possible::details-content { content-visibility: visible; display: block; }
  details.section::details-content { content-visibility: visible; display: block; }
  summary { list-style: none; }
  .notice { border-width: 1px; }
}
`;
