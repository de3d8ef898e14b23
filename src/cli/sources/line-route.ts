/**
 * What the first pass over an export needs from one NDJSON line, read from its bytes without
 * building the resource: its type, its id, the reference to its patient and, for a
 * DeviceUseStatement, to its device. Agrees with the engine's `patientReference` and
 * `usedDeviceReference` on every line that JSON.parse accepts (the tests check this on generated
 * lines). It checks structure only: a line it accepts may still be rejected by JSON.parse
 * (`tru`, a bad number), which the second pass reports.
 */
export interface LineRoute {
  resourceType: string;
  /** `id` when it is a string. */
  id?: string;
  /** What `patientReference` gives: `subject.reference`, else `patient.reference`, as a string. */
  patientRef?: string;
  /** `device.reference` when it is a string (read for every type; used for DeviceUseStatement). */
  deviceRef?: string;
}

/** Why a line has no route: not JSON (as far as its structure shows), or JSON but not a resource. */
export type NoRoute = 'not-json' | 'not-a-resource';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** The keys the scanner looks for; index 0 stands for any other key. */
const KEYS = ['', 'resourceType', 'id', 'subject', 'patient', 'device', 'reference'].map(
  (text) => ({
    text,
    bytes: Buffer.from(text, 'utf8'),
  }),
);
type Key = 0 | 1 | 2 | 3 | 4 | 5 | 6;
/** Key index by `length * 256 + first byte` (no two keys of interest share both). */
const KEY_BY_LENGTH_AND_FIRST = new Map<number, Key>(
  KEYS.slice(1).map((k, i) => [k.bytes.length * 256 + (k.bytes[0] as number), (i + 1) as Key]),
);
const OTHER = 0;
const RESOURCE_TYPE = 1;
const ID = 2;
const SUBJECT = 3;
const PATIENT = 4;
const DEVICE = 5;
const REFERENCE = 6;

/** Thrown inside the scanner; turned into a {@link NoRoute} at its edge. */
class Stop {
  constructor(readonly why: NoRoute) {}
}
const NOT_JSON = new Stop('not-json');

/** A scalar the scanner kept: a string's text, or what kind of other value it was. */
type Kept = { kind: 'string'; text: string } | { kind: 'null' } | { kind: 'other' };

class Scanner {
  pos: number;
  constructor(
    private readonly buf: Buffer,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  private peek(): number | undefined {
    return this.pos < this.end ? this.buf[this.pos] : undefined;
  }

  skipSpace(): void {
    while (this.pos < this.end && isSpace(this.buf[this.pos])) this.pos++;
  }

  expect(c: number): void {
    this.skipSpace();
    if (this.peek() !== c) throw NOT_JSON;
    this.pos++;
  }

  /** Skips a string whose opening quote is at `pos`; returns where its text starts and ends. */
  private skipString(): { from: number; to: number } {
    const from = this.pos + 1;
    let i = from;
    for (;;) {
      const q = this.buf.indexOf(QUOTE, i);
      if (q === -1 || q >= this.end) throw NOT_JSON;
      // The quote is escaped when an odd number of backslashes stands before it.
      let b = q - 1;
      while (b >= from && this.buf[b] === BACKSLASH) b--;
      if ((q - 1 - b) % 2 === 0) {
        this.pos = q + 1;
        return { from, to: q };
      }
      i = q + 1;
    }
  }

  /** True when a backslash escape occurs in `buf[from, to)` (kept strings are short). */
  private hasEscape(from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (this.buf[i] === BACKSLASH) return true;
    return false;
  }

  /** Reads a string at `pos` (after spaces) as text; escapes are decoded by JSON.parse. */
  readString(): string {
    this.skipSpace();
    if (this.peek() !== QUOTE) throw NOT_JSON;
    const s = this.skipString();
    if (!this.hasEscape(s.from, s.to)) return this.buf.toString('utf8', s.from, s.to);
    try {
      return JSON.parse(this.buf.toString('utf8', s.from - 1, s.to + 1)) as string;
    } catch {
      throw NOT_JSON;
    }
  }

  /**
   * Which of {@link KEYS} an object key is, compared as bytes: most keys of a line are of no
   * interest, and decoding each to a string would cost millions of allocations on a large export.
   * An escaped key (`"\\u0073ubject"` is `subject`) is decoded and compared as text.
   */
  readKey(): Key {
    this.skipSpace();
    if (this.peek() !== QUOTE) throw NOT_JSON;
    const s = this.skipString();
    if (this.hasEscape(s.from, s.to)) {
      let text: string;
      try {
        text = JSON.parse(this.buf.toString('utf8', s.from - 1, s.to + 1)) as string;
      } catch {
        throw NOT_JSON;
      }
      return Math.max(
        OTHER,
        KEYS.findIndex((k) => k.text === text),
      ) as Key;
    }
    const length = s.to - s.from;
    // Keys of interest differ in length or first letter: one candidate to compare at most.
    const candidate = KEY_BY_LENGTH_AND_FIRST.get(length * 256 + (this.buf[s.from] as number));
    if (candidate === undefined) return OTHER;
    const bytes = (KEYS[candidate] as { bytes: Buffer }).bytes;
    for (let i = 1; i < length; i++) {
      if (this.buf[s.from + i] !== bytes[i]) return OTHER;
    }
    return candidate;
    return OTHER;
  }

  /** Skips any value, checking only that brackets and strings balance. */
  skipValue(): void {
    this.skipSpace();
    const c = this.peek();
    if (c === undefined) throw NOT_JSON;
    if (c === QUOTE) {
      this.skipString();
      return;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const stack: number[] = [c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET];
      this.pos++;
      while (stack.length > 0) {
        if (this.pos >= this.end) throw NOT_JSON;
        const d = this.buf[this.pos] as number;
        if (d === QUOTE) {
          this.skipString();
          continue;
        }
        if (d === OPEN_BRACE) stack.push(CLOSE_BRACE);
        else if (d === OPEN_BRACKET) stack.push(CLOSE_BRACKET);
        else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
          if (stack.pop() !== d) throw NOT_JSON;
        }
        this.pos++;
      }
      return;
    }
    // A number, true, false or null: up to the next delimiter.
    const from = this.pos;
    while (this.pos < this.end) {
      const d = this.buf[this.pos];
      if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isSpace(d)) break;
      this.pos++;
    }
    if (this.pos === from) throw NOT_JSON;
  }

  /** A value kept as a scalar: a string's text, `null`, or "something else" (skipped). */
  readScalar(): Kept {
    this.skipSpace();
    const c = this.peek();
    if (c === QUOTE) return { kind: 'string', text: this.readString() };
    const from = this.pos;
    this.skipValue();
    return this.buf.toString('latin1', from, this.pos) === 'null'
      ? { kind: 'null' }
      : { kind: 'other' };
  }

  /**
   * Walks an object at `pos`, calling `onKey` for each key with the scanner placed at its value;
   * `onKey` must consume the value. The last of duplicate keys wins, as in JSON.parse.
   */
  readObject(onKey: (key: Key) => void): void {
    this.expect(OPEN_BRACE);
    this.skipSpace();
    if (this.peek() === CLOSE_BRACE) {
      this.pos++;
      return;
    }
    for (;;) {
      const key = this.readKey();
      this.expect(COLON);
      onKey(key);
      this.skipSpace();
      const c = this.peek();
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      if (c === CLOSE_BRACE) {
        this.pos++;
        return;
      }
      throw NOT_JSON;
    }
  }

  /** `reference` of an object value: kept; any other value: undefined (it has no reference). */
  readReferenceHolder(): Kept | undefined {
    this.skipSpace();
    if (this.peek() !== OPEN_BRACE) {
      this.skipValue();
      return undefined;
    }
    let reference: Kept | undefined;
    this.readObject((key) => {
      if (key === REFERENCE) reference = this.readScalar();
      else this.skipValue();
    });
    return reference;
  }
}

/** `a ?? b` on the JSON value kinds, then "a string or nothing", as `patientReference` reads it. */
function firstReference(subject: Kept | undefined, patient: Kept | undefined): string | undefined {
  const chosen = subject === undefined || subject.kind === 'null' ? patient : subject;
  return chosen?.kind === 'string' ? chosen.text : undefined;
}

/**
 * Reads the route of one NDJSON line (`buf[start, end)`, without its newline).
 * @returns the route, or why there is none
 */
export function readLineRoute(buf: Buffer, start: number, end: number): LineRoute | NoRoute {
  const s = new Scanner(buf, start, end);
  let resourceType: Kept | undefined;
  let id: Kept | undefined;
  let subject: Kept | undefined;
  let patient: Kept | undefined;
  let device: Kept | undefined;
  try {
    s.skipSpace();
    if (s.pos >= end) throw NOT_JSON;
    if (buf[s.pos] !== OPEN_BRACE) {
      // Valid JSON that is not an object (an array, a number) is not a resource.
      s.skipValue();
      s.skipSpace();
      if (s.pos !== end) throw NOT_JSON;
      return 'not-a-resource';
    }
    s.readObject((key) => {
      switch (key) {
        case RESOURCE_TYPE:
          resourceType = s.readScalar();
          return;
        case ID:
          id = s.readScalar();
          return;
        case SUBJECT:
          // `subject?.reference`: a missing reference, or a subject that is not an object, reads
          // as undefined and falls through to `patient`.
          subject = s.readReferenceHolder() ?? { kind: 'null' };
          return;
        case PATIENT:
          patient = s.readReferenceHolder() ?? { kind: 'null' };
          return;
        case DEVICE:
          device = s.readReferenceHolder() ?? { kind: 'null' };
          return;
        default:
          s.skipValue();
      }
    });
    s.skipSpace();
    if (s.pos !== end) throw NOT_JSON;
  } catch (error) {
    if (error instanceof Stop) return error.why;
    throw error;
  }
  if (resourceType?.kind !== 'string') return 'not-a-resource';
  const patientRef = firstReference(subject, patient);
  return {
    resourceType: resourceType.text,
    ...(id?.kind === 'string' ? { id: id.text } : {}),
    ...(patientRef !== undefined ? { patientRef } : {}),
    ...(device?.kind === 'string' ? { deviceRef: device.text } : {}),
  };
}

const CODE_KEY = Buffer.from('"code"', 'latin1');

/**
 * Tells, from a line's bytes, whether any `"code": "<value>"` in it, at any depth (a coding of
 * `code`, of a component, of an answer), has one of the given values. Used to skip resources the
 * engine would not read without parsing them. Errs on the side of keeping: a line with an
 * escape anywhere (a key could be written `"\u0063ode"`) is kept whatever its codes.
 */
export class CodeFilter {
  /** Codes by `length * 256 + first byte`, so most values are turned down without a compare. */
  private readonly byLengthAndFirst = new Map<number, Buffer[]>();

  constructor(codes: Iterable<string>) {
    for (const code of codes) {
      const bytes = Buffer.from(code, 'utf8');
      if (bytes.length === 0) continue;
      const key = bytes.length * 256 + (bytes[0] as number);
      this.byLengthAndFirst.set(key, [...(this.byLengthAndFirst.get(key) ?? []), bytes]);
    }
  }

  mayMatch(buf: Buffer, start: number, end: number): boolean {
    // A view bounds every search to the line (the buffer may be a whole chunk of the file).
    const line = buf.subarray(start, end);
    if (line.indexOf(BACKSLASH) !== -1) return true;
    const n = line.length;
    for (let at = line.indexOf(CODE_KEY); at !== -1; at = line.indexOf(CODE_KEY, at + 6)) {
      let i = at + CODE_KEY.length;
      while (i < n && isSpace(line[i])) i++;
      if (line[i] !== COLON) continue; // the string "code" as a value, not a key
      i++;
      while (i < n && isSpace(line[i])) i++;
      if (line[i] !== QUOTE) continue; // a CodeableConcept: its codings come later
      const from = i + 1;
      const to = line.indexOf(QUOTE, from);
      if (to === -1) return true;
      const candidates = this.byLengthAndFirst.get((to - from) * 256 + (line[from] as number));
      if (candidates === undefined) continue;
      for (const code of candidates) {
        let k = 1;
        while (k < code.length && line[from + k] === code[k]) k++;
        if (k === code.length) return true;
      }
    }
    return false;
  }
}
