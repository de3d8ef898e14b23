import type { ScreeningResult } from '../../engine';
import { candidateFindings } from '../../report/headline';
import { countByClassification, sortResults } from './result-order';

/** What the table says about the run besides the results. */
export interface TableContext {
  now: string;
  /** Patients that could not be screened at all (reported on stderr). */
  notScreened: number;
}

/**
 * The summary a coordinator reads at a terminal: counts by classification, then the likely and
 * possible candidates with the reason in a few words. Other patients are counted, not listed
 * (the CSV and HTML reports list everyone).
 */
export function formatSummaryTable(
  results: readonly ScreeningResult[],
  context: TableContext,
): string {
  const counts = countByClassification(results);
  const candidates = sortResults(results).filter(
    (r) => r.classification === 'likely' || r.classification === 'possible',
  );
  const width = Math.max(7, ...candidates.map((r) => r.patient.length));
  const lines = [
    `STELLAR screen (NCT02112500) at ${context.now}: ${results.length} patient(s)`,
    `  ${counts.map(([c, n]) => `${c} ${n}`).join(' | ')}`,
    '',
  ];
  if (candidates.length === 0) {
    lines.push('No likely or possible candidates.');
  } else {
    lines.push(`${'CLASSIFICATION'.padEnd(16)}${'PATIENT'.padEnd(width + 2)}WHY`);
    for (const r of candidates) {
      const why = candidateFindings(r).join(', ') || r.summary;
      lines.push(`${r.classification.padEnd(16)}${r.patient.padEnd(width + 2)}${why}`);
    }
  }
  const others = results.length - candidates.length;
  lines.push('');
  if (others > 0) {
    lines.push(`${others} other patient(s) not listed: --csv or --html lists every patient.`);
  }
  if (context.notScreened > 0) {
    lines.push(`${context.notScreened} patient(s) could not be screened: see the messages above.`);
  }
  lines.push('Flags likely candidates for review by the study team; it never enrols anyone.');
  return `${lines.join('\n')}\n`;
}
