import fc from 'fast-check';

/**
 * Strings that have broken FHIR and JSON handling elsewhere: prototype keys (a lookup table keyed
 * by a unit or code returns a function), dates outside what `Date` holds, unit garbage beside real
 * UCUM, control characters and lone surrogates, numbers written as strings.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e400',
  '-0',
  'null',
  'undefined',
  // dates and instants out of range, malformed or ambiguous
  '0000-00-00',
  '9999-99-99',
  '2026-02-30',
  '2026-13-45T25:61:61Z',
  '2026-03-01T08:00:00',
  '2026-03-01T08:00:00+25:00',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '275761-01-01',
  '1970',
  '2026-03',
  'T08:00:00Z',
  // units: real UCUM, mislabelled, and garbage
  'mm[Hg]',
  'cm[H2O]',
  'kPa',
  '%',
  '1',
  '{ratio}',
  '[pH]',
  'mmHg',
  'cmH2O',
  'L/min',
  '10*3/uL',
  'mm[Hg]/%',
  '[',
  ']]',
  '/',
  '%%%',
  // codes and systems beside real ones
  'http://loinc.org',
  'http://snomed.info/sct',
  'http://hl7.org/fhir/sid/icd-10-cm',
  '2703-7',
  '3150-0',
  '20077-4',
  'J80',
  'B20',
  'Patient/',
  '#',
  '#self',
  'urn:uuid:',
  'Observation/../../etc/passwd',
  // text that has broken parsers and log lines
  '\u0000',
  '\n{"level":60,"msg":"forged"}\n',
  '\uD800',
  '\uDFFF',
  '\u202E',
  '\uFEFF',
  '💥',
  "' OR '1'='1",
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{context.patientId}}',
];

/** Numbers at the edges of what JSON and doubles carry. */
export const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  1,
  0.1,
  7.4,
  100,
  1e21,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  8.64e15,
  8.64e15 + 1,
];

/** Nested arrays and objects `depth` levels deep, built without recursion. */
export function deeplyNested(depth: number, kind: 'array' | 'object' = 'array'): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** A string of `length` characters made of a short repeated pattern. */
function hugeString(length: number, pattern: string): string {
  return pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length);
}

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1_000, max: 300_000 }), fc.constantFrom('x', '9', '\u00e9', '["'))
      .map(([n, p]) => hugeString(n, p)),
  },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Objects as JSON.parse makes them: any key may be missing, the prototype is Object's. */
const JSON_RECORD = { requiredKeys: [] as never[], noNullPrototype: true };

/** Something in the shape FHIR puts in a quantity, a coding, a period or a reference, with junk. */
const fhirishValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    { value: fc.oneof(hostileNumber, hostileString), unit: hostileString, code: hostileString },
    JSON_RECORD,
  ),
  fc.record({ system: hostileString, code: hostileString, display: hostileString }, JSON_RECORD),
  fc.record(
    { coding: fc.array(fc.record({ system: hostileString, code: hostileString }, JSON_RECORD)) },
    JSON_RECORD,
  ),
  fc.record({ start: hostileString, end: hostileString }, JSON_RECORD),
  fc.record({ reference: hostileString }, JSON_RECORD),
);

/**
 * A value a hostile or broken client could put anywhere in a JSON document: junk strings and
 * numbers, booleans, null, FHIR-shaped objects full of junk, arrays of junk, deep nesting, and
 * arbitrary JSON.
 */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fhirishValue },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.constant([]) },
  { weight: 1, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 50, max: 1_500 }),
        fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>,
      )
      .map(([d, k]) => deeplyNested(d, k)),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Values only an in-process caller can pass: what JSON cannot carry but JavaScript can. */
export const hostileInProcess: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileJson },
  { weight: 1, arbitrary: fc.constantFrom(undefined, NaN, Infinity, -Infinity) },
  { weight: 1, arbitrary: fc.constant(Object.create(null) as unknown) },
  { weight: 1, arbitrary: fc.sparseArray(hostileString, { maxLength: 5 }) },
);
