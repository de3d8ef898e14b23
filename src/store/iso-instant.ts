import { ServiceError } from '../errors/service-error';

// A date-time with seconds optional and a zone required: without a zone `Date.parse` reads the
// time as the server's local time, so the same feedback would mean different instants on
// different machines.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch for an ISO 8601 date-time with a zone. Throws a
 * {@link ServiceError} with `status` naming `what` when the text is not one.
 */
export function parseIsoInstant(value: string, what: string, status: number): number {
  const match = typeof value === 'string' ? ISO_DATE_TIME.exec(value) : null;
  const ms = match && isCalendarDate(match) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ServiceError(
      status,
      `${what} "${String(value)}" is not an ISO 8601 date-time with a zone (e.g. 2024-05-01T09:30:00Z)`,
    );
  }
  return ms;
}

// Date.parse rolls 2024-02-30 over to 1 March instead of refusing it.
function isCalendarDate([, year, month, day]: RegExpExecArray): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}
