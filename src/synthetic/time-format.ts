/**
 * Instants for the synthetic generator: parsing the caller's `now` and writing FHIR instants at a
 * fixed UTC offset. All arithmetic is in epoch milliseconds; the clock is never read.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads an ISO 8601 instant with `Z` or an offset ("2026-03-01T08:00:00Z").
 * @throws RangeError when the text is not such an instant
 */
export function parseInstant(text: string): number {
  const ms = INSTANT.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new RangeError(
      `now must be an ISO 8601 instant with Z or an offset (2026-03-01T08:00:00Z), got "${text}"`,
    );
  }
  return ms;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Rounds an instant down to the whole minute (charting times carry no seconds). */
export function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** The next whole hour at or after `ms` (UTC hours; local hours too for whole-hour offsets). */
export function ceilToHour(ms: number): number {
  return Math.ceil(ms / HOUR_MS) * HOUR_MS;
}

/**
 * A FHIR instant at a fixed offset from UTC, to the second: `Z` for offset 0, else `+hh:mm` or
 * `-hh:mm` ("2026-02-27T09:15:00+01:00" is 08:15 UTC).
 */
export function formatInstant(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * MINUTE_MS).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The UTC calendar date of an instant, `YYYY-MM-DD`. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
