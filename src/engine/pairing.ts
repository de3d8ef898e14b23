import type { Measurement } from './observations';

/*
 * Time pairing of blood gases with FiO2 and ventilator settings (rules: "Pairing in time").
 * Lists are sorted by time; every lookup is a binary search.
 */

/** Index of the first item with time >= t in a time-sorted list. */
function lowerBound(list: readonly Measurement[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as Measurement).time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Latest item at or before t and no earlier than t - window. */
export function latestAtOrBefore(list: readonly Measurement[], t: number, windowMs: number) {
  const i = lowerBound(list, t + 1) - 1;
  const m = list[i];
  return m && m.time >= t - windowMs ? m : undefined;
}

/** Earliest item strictly after t and no later than t + window. */
export function earliestAfter(list: readonly Measurement[], t: number, windowMs: number) {
  const m = list[lowerBound(list, t + 1)];
  return m && m.time <= t + windowMs ? m : undefined;
}

/** Item closest in time to t within +/- window (inclusive); on a tie the earlier one. */
export function closestWithin(list: readonly Measurement[], t: number, windowMs: number) {
  const i = lowerBound(list, t);
  const after = list[i];
  // The latest item before t (several at the same instant: the first of them is as good).
  const before = list[i - 1];
  const dAfter = after && after.time - t <= windowMs ? after.time - t : Infinity;
  const dBefore = before && t - before.time <= windowMs ? t - before.time : Infinity;
  if (dAfter === Infinity && dBefore === Infinity) return undefined;
  return dBefore <= dAfter ? before : after;
}

/** Index of the first time >= t in a sorted list of times. */
function lowerBoundTime(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Is the charted value nearest to t (by the same rule that picked `chosen`) an unusable one?
 * Then the blood gas is unpaired: pairing it with an older or farther value would be a guess.
 */
export function unusableIsNearer(
  unusable: readonly number[],
  chosen: Measurement | undefined,
  t: number,
  rule: 'latest-before' | 'earliest-after' | 'closest',
  windowMs: number,
): boolean {
  if (unusable.length === 0) return false;
  const i = lowerBoundTime(unusable, t);
  if (rule === 'latest-before') {
    const u = unusable[lowerBoundTime(unusable, t + 1) - 1];
    return u !== undefined && u >= t - windowMs && (!chosen || u > chosen.time);
  }
  if (rule === 'earliest-after') {
    const u = unusable[lowerBoundTime(unusable, t + 1)];
    return u !== undefined && u <= t + windowMs && (!chosen || u < chosen.time);
  }
  const after = unusable[i];
  const before = unusable[i - 1];
  const d = Math.min(
    after !== undefined ? after - t : Infinity,
    before !== undefined ? t - before : Infinity,
  );
  if (d > windowMs) return false;
  if (!chosen) return true;
  const dc = Math.abs(chosen.time - t);
  // On a tie the earlier value wins, as in closestWithin.
  return d < dc || (d === dc && before !== undefined && t - before === d && chosen.time > t);
}

/** The items of a time-sorted list at or before t. */
export function notAfter(list: readonly Measurement[], t: number): readonly Measurement[] {
  return list.slice(0, lowerBound(list, t + 1));
}

export function inWindow(list: readonly Measurement[], from: number, to: number): Measurement[] {
  return list.slice(lowerBound(list, from), lowerBound(list, to + 1));
}
