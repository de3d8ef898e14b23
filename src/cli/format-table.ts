import type { Classification, ScreeningResult } from '../engine';

const ORDER: Classification[] = ['likely', 'possible', 'insufficient-data', 'not-eligible'];

/** A plain-text summary for a person at a terminal: counts, then one line per patient. */
export function formatSummaryTable(results: readonly ScreeningResult[], now: string): string {
  const counts = ORDER.map((c) => `${c} ${results.filter((r) => r.classification === c).length}`);
  const sorted = [...results].sort(
    (a, b) =>
      ORDER.indexOf(a.classification) - ORDER.indexOf(b.classification) ||
      a.patient.localeCompare(b.patient),
  );
  const width = Math.max(7, ...sorted.map((r) => r.patient.length));
  const lines = [
    `STELLAR screen (NCT02112500) at ${now}: ${results.length} patient(s)`,
    `  ${counts.join(' | ')}`,
    '',
    `${'CLASSIFICATION'.padEnd(18)}${'PATIENT'.padEnd(width + 2)}WHY`,
    ...sorted.map(
      (r) => `${r.classification.padEnd(18)}${r.patient.padEnd(width + 2)}${r.summary}`,
    ),
    '',
    'Flags likely candidates for review by the study team; it never enrols anyone.',
  ];
  return `${lines.join('\n')}\n`;
}
