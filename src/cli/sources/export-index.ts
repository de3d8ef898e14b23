/** A run of adjacent lines of one export file that all go to one bucket. */
export interface LineRun {
  file: number;
  /** Byte offset of the first line. */
  start: number;
  /** Bytes from the start of the first line to the end of the last (its line break excluded). */
  length: number;
  firstLine: number;
  lines: number;
}

/** FNV-1a over the UTF-16 code units: fast, stable across runs and machines. */
function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** One bucket's runs, in growable typed arrays (about 22 bytes a run, no object per line). */
class RunList {
  file = new Uint16Array(16);
  start = new Float64Array(16);
  length = new Uint32Array(16);
  firstLine = new Uint32Array(16);
  lines = new Uint32Array(16);
  count = 0;
  totalLines = 0;

  add(file: number, start: number, end: number, line: number): void {
    this.totalLines++;
    const last = this.count - 1;
    if (
      last >= 0 &&
      this.file[last] === file &&
      (this.firstLine[last] as number) + (this.lines[last] as number) === line &&
      end - (this.start[last] as number) < 0xffffffff
    ) {
      this.length[last] = end - (this.start[last] as number);
      this.lines[last] = (this.lines[last] as number) + 1;
      return;
    }
    if (this.count === this.file.length) this.grow();
    const i = this.count++;
    this.file[i] = file;
    this.start[i] = start;
    this.length[i] = end - start;
    this.firstLine[i] = line;
    this.lines[i] = 1;
  }

  private grow(): void {
    const n = this.file.length * 2;
    const grown = <T extends Uint16Array | Uint32Array | Float64Array>(
      a: T,
      make: (n: number) => T,
    ) => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.file = grown(this.file, (k) => new Uint16Array(k));
    this.start = grown(this.start, (k) => new Float64Array(k));
    this.length = grown(this.length, (k) => new Uint32Array(k));
    this.firstLine = grown(this.firstLine, (k) => new Uint32Array(k));
    this.lines = grown(this.lines, (k) => new Uint32Array(k));
  }
}

/**
 * Where each bucket's lines lie in the export files: the export is split into buckets by a hash
 * of each line's patient, without copying a byte of it. Adjacent lines of one file that go to
 * one bucket form one run, so an export written patient by patient needs a few runs per patient
 * and is read back in large sequential reads; a shuffled export costs one run per line.
 */
export class ExportIndex {
  private readonly lists: RunList[];

  constructor(readonly buckets: number) {
    this.lists = Array.from({ length: buckets }, () => new RunList());
  }

  /** The bucket of a key (a `Patient/<id>` reference). */
  bucketOf(key: string): number {
    return hashKey(key) % this.buckets;
  }

  /** Records a line `[start, end)` of `file` (line number `line`) for the bucket of `key`. */
  add(key: string, file: number, start: number, end: number, line: number): void {
    (this.lists[this.bucketOf(key)] as RunList).add(file, start, end, line);
  }

  /** Lines recorded for a bucket. */
  linesIn(bucket: number): number {
    return (this.lists[bucket] as RunList).totalLines;
  }

  /** A bucket's runs, in the order their lines were recorded. */
  *runs(bucket: number): Generator<LineRun> {
    const list = this.lists[bucket] as RunList;
    for (let i = 0; i < list.count; i++) {
      yield {
        file: list.file[i] as number,
        start: list.start[i] as number,
        length: list.length[i] as number,
        firstLine: list.firstLine[i] as number,
        lines: list.lines[i] as number,
      };
    }
  }
}
