import fc from 'fast-check';
import type { FhirResource } from 'fhir/r4';
import { patientReference, usedDeviceReference } from '../../src/engine';
import { CodeFilter, readLineRoute } from '../../src/cli/sources/line-route';

/** A reference holder as records have them, and as they should not (but sometimes do). */
const holder = fc.oneof(
  fc.record(
    {
      reference: fc.oneof(
        fc.constantFrom(
          'Patient/p1',
          'https://ehr.example/fhir/Patient/p2',
          'urn:uuid:9b1d',
          'Device/v/1',
        ),
        fc.string(),
        fc.integer(),
        fc.constant(null),
      ),
      display: fc.string(),
      type: fc.constant('Patient'),
    },
    { requiredKeys: [] },
  ),
  fc.constant(null),
  fc.string(),
  fc.array(fc.jsonValue(), { maxLength: 2 }),
);

/** Resource-like objects: the fields the route reads, in any shape, among random others. */
const resource = fc.record(
  {
    resourceType: fc.oneof(
      fc.constantFrom('Patient', 'Observation', 'Device', 'DeviceUseStatement'),
      fc.integer(),
    ),
    id: fc.oneof(fc.string(), fc.integer()),
    subject: holder,
    patient: holder,
    device: holder,
    // Same names deeper down must not be taken for the resource's own.
    contained: fc.array(fc.record({ resourceType: fc.constant('Observation'), subject: holder }), {
      maxLength: 2,
    }),
    extra: fc.jsonValue({ maxDepth: 3 }),
    note: fc.constantFrom('"subject":{"reference":"Patient/x"}', '\\', '"}'),
  },
  { requiredKeys: [] },
);

/**
 * JSON text of a value with the liberties a server may take: spaces and line-free whitespace
 * between tokens, keys in any order, duplicate keys (the last wins), escaped characters in keys
 * and strings. Choices come from `pick`, so fast-check shrinks them too.
 */
function write(value: unknown, pick: () => number): string {
  const space = () => ['', ' ', '\t', '  ', '\r'][pick() % 5] as string;
  const str = (s: string) => {
    const plain = JSON.stringify(s);
    if (pick() % 3 !== 0) return plain;
    // Escape one character as \uXXXX, or slashes as \/.
    return pick() % 2 === 0
      ? plain.replace(/\//g, '\\/')
      : plain.replace(/[a-z]/, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  };
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' ? str(value) : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${space()}${value.map((v) => write(v, pick)).join(`${space()},${space()}`)}${space()}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 1 && pick() % 2 === 0) entries.push(entries.shift() as [string, unknown]);
  const parts = entries.map(([k, v]) => `${str(k)}${space()}:${space()}${write(v, pick)}`);
  // A decoy duplicate before the real key: JSON.parse keeps the last.
  if (entries.length > 0 && pick() % 4 === 0) parts.unshift(`${str(entries[0]![0])}:"decoy"`);
  return `{${space()}${parts.join(`${space()},${space()}`)}${space()}}`;
}

function expectedRoute(text: string) {
  const parsed = JSON.parse(text) as Record<string, unknown> | null;
  if (
    !parsed ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    typeof parsed.resourceType !== 'string'
  ) {
    return 'not-a-resource';
  }
  const r = parsed as unknown as FhirResource;
  const device = (parsed.device as { reference?: unknown } | null | undefined)?.reference;
  const patientRef = patientReference(r);
  return {
    resourceType: parsed.resourceType,
    ...(typeof parsed.id === 'string' ? { id: parsed.id } : {}),
    ...(patientRef !== undefined ? { patientRef } : {}),
    ...(typeof device === 'string' ? { deviceRef: device } : {}),
  };
}

const route = (text: string) => {
  const buf = Buffer.from(text, 'utf8');
  return readLineRoute(buf, 0, buf.length);
};

describe('readLineRoute', () => {
  it('reads the same type, id, patient and device reference as the engine does from the parsed line', () => {
    fc.assert(
      fc.property(resource, fc.infiniteStream(fc.nat()), (value, choices) => {
        const text = write(value, () => choices.next().value as number);
        expect(route(text)).toEqual(expectedRoute(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with usedDeviceReference on DeviceUseStatements', () => {
    const line = {
      resourceType: 'DeviceUseStatement',
      id: 'd',
      subject: { reference: 'Patient/p' },
      device: { reference: 'Device/v' },
    };
    const r = route(JSON.stringify(line));
    expect(r).toMatchObject({ deviceRef: usedDeviceReference(line as FhirResource) });
  });

  it('calls any cut-off line not JSON', () => {
    fc.assert(
      fc.property(
        resource,
        fc.infiniteStream(fc.nat()),
        fc.double({ min: 0, max: 1, maxExcluded: true }),
        (value, choices, at) => {
          const text = write(value, () => choices.next().value as number).trimEnd();
          const cut = text.slice(0, Math.floor(at * text.length));
          expect(route(cut)).toBe('not-json');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('tells JSON that is not a resource from text that is not JSON', () => {
    expect(route('[1, 2]')).toBe('not-a-resource');
    expect(route('{"id": "x"}')).toBe('not-a-resource');
    expect(route('{"resourceType": 7}')).toBe('not-a-resource');
    expect(route('{"resourceType": "Patient",}')).toBe('not-json');
    expect(route('{"resourceType": "Patient"} x')).toBe('not-json');
    expect(route('')).toBe('not-json');
  });
});

describe('CodeFilter', () => {
  const filter = new CodeFilter(['2703-7', '20077-4', '250854009']);
  const may = (line: unknown) => {
    const buf = Buffer.from(typeof line === 'string' ? line : JSON.stringify(line));
    return filter.mayMatch(buf, 0, buf.length);
  };
  const observation = (code: string, extra: object = {}) => ({
    resourceType: 'Observation',
    code: { coding: [{ system: 'http://loinc.org', code }] },
    ...extra,
  });

  it('keeps a line that carries a listed code anywhere: its code, a component, an answer', () => {
    expect(may(observation('2703-7'))).toBe(true);
    expect(
      may(observation('24336-0', { component: [{ code: { coding: [{ code: '20077-4' }] } }] })),
    ).toBe(true);
    expect(
      may(observation('x', { valueCodeableConcept: { coding: [{ code: '250854009' }] } })),
    ).toBe(true);
    expect(may('{"code" :\t"2703-7"}')).toBe(true);
  });

  it('drops a line none of whose codes is listed, however close', () => {
    expect(may(observation('8867-4', { valueQuantity: { value: 80, code: '/min' } }))).toBe(false);
    expect(may(observation('2703-70'))).toBe(false);
    expect(may(observation('2703-'))).toBe(false);
    expect(
      may({ resourceType: 'Observation', note: [{ text: '2703-7' }], code: { text: 'code' } }),
    ).toBe(false);
  });

  it('keeps a line with an escape, where a key or code may hide behind it', () => {
    expect(may('{"\\u0063ode": "2703-7"}')).toBe(true);
    expect(may(observation('8867-4', { note: [{ text: 'a \\ b' }] }))).toBe(true);
  });
});
