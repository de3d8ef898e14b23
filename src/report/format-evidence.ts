import type { Evidence } from '../engine/types';

const UNIT_DISPLAY: Readonly<Record<string, string>> = {
  'mm[Hg]': 'mmHg',
  'cm[H2O]': 'cmH2O',
  '%': '%',
  '[pH]': '',
  a: 'years',
  d: 'days',
};

/** A UCUM unit as people write it (`mm[Hg]` -> `mmHg`; pH has none). */
export function displayUnit(unit: string | undefined): string {
  if (unit === undefined) return '';
  return UNIT_DISPLAY[unit] ?? unit;
}

/**
 * A number rounded for display only (the engine compares unrounded values): pH to two decimals,
 * days cut (not rounded) to one, other values under 10 to one, the rest whole.
 */
export function formatNumber(value: number, unit?: string): string {
  if (unit === '[pH]') return value.toFixed(2);
  // Days on the ventilator decide a 7-day criterion: never round 6.6 up to 7.
  if (unit === 'd') return (Math.floor(value * 10) / 10).toFixed(1);
  if (Math.abs(value) < 10 && !Number.isInteger(value)) return value.toFixed(1);
  return String(Math.round(value));
}

/** A value with its unit: "142 mmHg", "7.18", "Acute respiratory distress syndrome". */
export function formatValue(evidence: Pick<Evidence, 'value' | 'unit'>): string {
  const { value, unit } = evidence;
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  const shown = displayUnit(unit);
  return shown === '' ? formatNumber(value, unit) : `${formatNumber(value, unit)} ${shown}`;
}

/**
 * An instant as "2026-02-28 22:31 UTC" (the evidence is in UTC; sites read it beside the chart's
 * own times). A date without a time is shown as given.
 */
export function formatInstant(iso: string | undefined): string {
  if (iso === undefined) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  if (!m) return iso;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const utc = date.toISOString();
  return `${utc.slice(0, 10)} ${utc.slice(11, 16)} UTC`;
}

/** One line for an evidence item: label, value, time and notes (no reference). */
export function formatEvidence(evidence: Evidence): string {
  const parts = [evidence.label];
  const value = formatValue(evidence);
  if (value !== '' && value !== evidence.label) parts.push(value);
  let line = parts.join(' ');
  if (evidence.time !== undefined) line += ` at ${formatInstant(evidence.time)}`;
  if (evidence.notes && evidence.notes.length > 0) line += ` (${evidence.notes.join('; ')})`;
  return line;
}
