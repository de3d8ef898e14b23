/**
 * Time helpers for FHIR date/dateTime/instant strings. Pure: no clock and no local time zone
 * (a time without an offset would otherwise be read in the machine's zone, and the same patient
 * would get different verdicts on different servers).
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** A FHIR time read into an instant, with its precision. */
export interface ParsedTime {
  /** Milliseconds since the epoch of the earliest instant the value can mean. */
  start: number;
  /** Milliseconds since the epoch of the latest instant the value can mean. */
  end: number;
  /** True when the value has a time of day (not just a year, month or date). */
  hasTime: boolean;
  /** True when a time of day came without an offset and was read as UTC. */
  assumedUtc: boolean;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const two = (v: string, i: number) => (v.charCodeAt(i) - 48) * 10 + (v.charCodeAt(i + 1) - 48);

/**
 * The common case, a full instant with seconds and an offset ("2026-03-01T08:00:00Z",
 * "...:00.000+02:00"), checked by position and handed to Date.parse: four times faster than the
 * general path, which matters at 50,000 Observations a patient. Date.parse alone would accept
 * 30 February and 24:00, hence the range checks. Anything else returns undefined.
 */
function parseFullInstant(v: string): number | undefined {
  const n = v.length;
  if (n < 20 || n > 35 || v[4] !== '-' || v[7] !== '-' || v[10] !== 'T' || v[13] !== ':') {
    return undefined;
  }
  if (v[16] !== ':' || !(v[n - 1] === 'Z' || v[n - 3] === ':')) return undefined;
  for (const i of DIGIT_POSITIONS) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const month = two(v, 5);
  const day = two(v, 8);
  if (month < 1 || month > 12 || day < 1 || two(v, 11) > 23 || two(v, 14) > 59 || two(v, 17) > 59) {
    return undefined;
  }
  if (day > 28 && day > daysInMonth(Number(v.slice(0, 4)), month)) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Parses a FHIR date, dateTime or instant. Partial dates give a [start, end] span (1970-03 is
 * the whole of March). Returns undefined for anything that is not a valid FHIR time.
 */
export function parseFhirTime(value: unknown): ParsedTime | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const fast = parseFullInstant(value);
  if (fast !== undefined) return { start: fast, end: fast, hasTime: true, assumedUtc: false };
  const m = DATE_TIME.exec(value.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? undefined : Number(m[2]);
  const day = m[3] === undefined ? undefined : Number(m[3]);
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  // Every month has 28 days: the (slower) month length is only needed past that.
  if (day !== undefined && (day < 1 || (day > 28 && day > daysInMonth(year, month ?? 1)))) {
    return undefined;
  }

  if (m[4] === undefined) {
    const start = Date.UTC(year, (month ?? 1) - 1, day ?? 1);
    const end =
      day !== undefined
        ? start + DAY_MS - 1
        : month !== undefined
          ? Date.UTC(year, month, 1) - 1
          : Date.UTC(year + 1, 0, 1) - 1;
    return { start, end, hasTime: false, assumedUtc: false };
  }
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const millis = m[7] === undefined ? 0 : Math.round(Number(`0${m[7]}`) * 1000);
  let t = Date.UTC(year, (month ?? 1) - 1, day ?? 1, hour, minute, second, millis);
  const offset = m[8];
  if (offset !== undefined && offset !== 'Z') {
    const sign = offset.startsWith('-') ? -1 : 1;
    const [oh, om] = offset.slice(1).split(':').map(Number) as [number, number];
    t -= sign * (oh * 60 + om) * 60_000;
  }
  if (!Number.isFinite(t)) return undefined;
  return { start: t, end: t, hasTime: true, assumedUtc: offset === undefined };
}

/** ISO 8601 UTC string of an instant. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

// Building a DateTimeFormat costs far more than using one: keep one per zone.
const formats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (year, month 1-12, day) of an instant in an IANA time zone. */
export function calendarDateIn(ms: number, timeZone: string): [number, number, number] {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return [get('year'), get('month'), get('day')];
}
