import { EXCLUSION_IDS, INCLUSION_IDS, type CriterionId, type ScreeningResult } from '../../engine';
import { sortResults } from './result-order';

/** The criterion columns, in the engine's order: stable, so a spreadsheet's formulas keep working. */
const CRITERION_COLUMNS: readonly CriterionId[] = [...INCLUSION_IDS, ...EXCLUSION_IDS];

/**
 * One CSV cell. A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or
 * carriage return before one) as a formula, so such a cell gets a leading apostrophe; text from
 * the record must never run. Then RFC 4180 quoting: a cell with a quote, comma or line break is
 * quoted, its quotes doubled.
 * @see https://owasp.org/www-community/attacks/CSV_Injection
 * @see https://www.rfc-editor.org/rfc/rfc4180#section-2
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The results as CSV for a spreadsheet: a header row, then one row per patient (by
 * classification, likely first): patient, classification, summary, and the status of each
 * criterion under its id. Lines end with CRLF, as RFC 4180 asks.
 */
export function formatCsv(results: readonly ScreeningResult[]): string {
  const rows = [['patient', 'classification', 'summary', ...CRITERION_COLUMNS]];
  for (const r of sortResults(results)) {
    const status = new Map(r.criteria.map((c) => [c.id, c.status]));
    rows.push([
      r.patient,
      r.classification,
      r.summary,
      ...CRITERION_COLUMNS.map((id) => status.get(id) ?? ''),
    ]);
  }
  return rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
