/**
 * A FHIR string element as text, or undefined when the input holds something else there (JSON
 * allows any value; a number, list or object must never reach a card or a reason as text).
 */
export function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
