/**
 * Unit normalisation for the measurements the screen reads, as set out in the rules document
 * ("Reading observations"). Values are converted unrounded; rounding is for display only.
 */

/** What kind of quantity a measurement is, which decides the units it may come in. */
export type QuantityKind = 'blood-gas-pressure' | 'airway-pressure' | 'fio2' | 'ph' | 'pf-ratio';

export const CANONICAL_UNIT: Record<QuantityKind, string> = {
  'blood-gas-pressure': 'mm[Hg]',
  'airway-pressure': 'cm[H2O]',
  fio2: '%',
  ph: '[pH]',
  'pf-ratio': 'mm[Hg]',
};

export const KPA_TO_MMHG = 7.50064;
export const MBAR_TO_CMH2O = 1.019716;
export const KPA_TO_CMH2O = 10.19716;

/** Result of normalising one quantity: a canonical value, or why it was skipped. */
export type Normalized =
  | { ok: true; value: number }
  | { ok: false; reason: string; unitNotUnderstood?: true; otherQuantity?: true };

/** A unit string as one lower-case token without spaces, or undefined when empty. */
function token(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.trim().toLowerCase().replace(/\s+/g, '');
  return t === '' ? undefined : t;
}

const MMHG = new Set(['mm[hg]', 'mmhg', 'torr']);
const KPA = new Set(['kpa']);
const CMH2O = new Set(['cm[h2o]', 'cmh2o', 'cmofwater']);
const MBAR = new Set(['mbar', 'hpa']);
const PERCENT = new Set(['%', 'percent', 'pct']);
const FRACTION = new Set(['1', '{ratio}', 'ratio', 'fraction']);
const FLOW = new Set(['l/min', 'lpm', 'l/mn', 'liters/min', 'litres/min', 'l/minute']);
const PH = new Set(['[ph]', 'ph']);

const skip = (reason: string): Normalized => ({ ok: false, reason });
const ok = (value: number): Normalized => ({ ok: true, value });
// Not an FiO2 at all (the rules: "an oxygen flow, not an FiO2"), rather than an FiO2 misread.
const oxygenFlow = (reason: string): Normalized => ({ ok: false, reason, otherQuantity: true });
const unknownUnit = (u: string): Normalized => ({
  ok: false,
  reason: `unit "${u}" not understood`,
  unitNotUnderstood: true,
});

/**
 * Converts a charted value to the canonical unit of its kind. The UCUM `code` is read first; when
 * it is absent or not understood, the free-text `unit` ("mmHg", "cmH2O") is tried.
 * @param value the Quantity's value
 * @param code the Quantity's UCUM `code`
 * @param unit the Quantity's human-readable `unit`
 */
export function normalizeQuantity(
  kind: QuantityKind,
  value: number,
  code: unknown,
  unit: unknown,
): Normalized {
  if (!Number.isFinite(value)) return skip('value is not a number');
  const fromCode = token(code);
  const fromText = token(unit);
  if (fromCode === undefined && fromText === undefined) return convert(kind, value, undefined);
  const first = fromCode === undefined ? undefined : convert(kind, value, fromCode);
  if (first && first.ok) return first;
  if (first && !first.unitNotUnderstood) return first; // understood, and rejected
  return fromText === undefined || fromText === fromCode
    ? (first as Normalized)
    : convert(kind, value, fromText);
}

function convert(kind: QuantityKind, value: number, u: string | undefined): Normalized {
  switch (kind) {
    case 'blood-gas-pressure':
    case 'pf-ratio':
      if (u === undefined) {
        // A charted P/F with no unit is read as mmHg; any other pressure needs its unit.
        return kind === 'pf-ratio' ? ok(value) : skip('pressure without a unit skipped');
      }
      if (MMHG.has(u)) return ok(value);
      if (KPA.has(u)) return ok(value * KPA_TO_MMHG);
      return unknownUnit(u);
    case 'airway-pressure':
      if (u === undefined) return skip('pressure without a unit skipped');
      if (CMH2O.has(u)) return ok(value);
      if (MBAR.has(u)) return ok(value * MBAR_TO_CMH2O);
      if (KPA.has(u)) return ok(value * KPA_TO_CMH2O);
      // Ventilators do not report airway pressures in mmHg: such a label is almost always a
      // mislabelled cmH2O, and converting would move values up across the thresholds.
      if (MMHG.has(u)) return skip('airway pressure labelled mmHg: confirm the unit');
      return unknownUnit(u);
    case 'fio2':
      return normalizeFio2(value, u);
    case 'ph':
      if (u === undefined || PH.has(u)) return ok(value);
      return unknownUnit(u);
  }
}

function normalizeFio2(value: number, u: string | undefined): Normalized {
  if (u !== undefined && FLOW.has(u)) return oxygenFlow('oxygen flow, not an FiO2: skipped');
  if (u !== undefined && PERCENT.has(u)) return ok(value);
  if (u === undefined || FRACTION.has(u)) {
    if (value <= 1) return ok(value * 100);
    if (value < 20)
      return oxygenFlow('bare number between 1 and 20 is an oxygen flow, not an FiO2');
    return ok(value);
  }
  return unknownUnit(u);
}
