import { createReadStream } from 'node:fs';

/** Receives the lines of a file as bytes, without decoding them. */
export interface LineVisitor {
  /**
   * One line: `buf[start, end)`, without its line break (LF, or CRLF) or a leading byte-order
   * mark; `offset` is where the line starts in the file (its BOM excluded), `number` counts
   * from 1. The buffer is only valid during the call.
   */
  line(buf: Buffer, start: number, end: number, offset: number, number: number): void;
  /** A line longer than the limit: skipped without being held in memory. */
  tooLong(number: number): void;
}

export interface ReadLinesOptions {
  /** Longest line accepted, in bytes; longer lines are reported and skipped. */
  maxLineBytes: number;
  /** Called with the size of each chunk read (progress by bytes). */
  onBytes?: (bytes: number) => void;
  signal?: AbortSignal;
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const CHUNK_BYTES = 1 << 20;

/**
 * Reads a file line by line in fixed-size chunks, so memory stays bounded by the chunk and the
 * longest line whatever the file's size. Lines are handed over as bytes: LF never occurs inside
 * a multi-byte UTF-8 sequence, so splitting on it is safe, and a caller that only needs a few
 * fields need not decode the rest. The visitor runs synchronously for each line: no promise per
 * line on a path that sees millions of them.
 */
export async function readLines(
  path: string,
  visitor: LineVisitor,
  options: ReadLinesOptions,
): Promise<void> {
  const stream = createReadStream(path, {
    highWaterMark: CHUNK_BYTES,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let number = 0;
  let fileOffset = 0; // of the first byte of the current chunk
  let lineOffset = 0; // of the first byte of the current line

  const emit = (buf: Buffer, start: number, end: number) => {
    number++;
    if (tooLong || end - start > options.maxLineBytes) {
      visitor.tooLong(number);
      return;
    }
    let from = start;
    let offset = lineOffset;
    if (offset === 0 && buf[from] === 0xef && buf[from + 1] === 0xbb && buf[from + 2] === 0xbf) {
      from += 3;
      offset = 3;
    }
    const to = end > from && buf[end - 1] === CR ? end - 1 : end;
    visitor.line(buf, from, to, offset, number);
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    options.onBytes?.(chunk.length);
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      if (pendingBytes === 0 && !tooLong) {
        emit(chunk, start, nl);
      } else if (tooLong) {
        emit(chunk, 0, 0);
      } else {
        const line = Buffer.concat([...pending, chunk.subarray(start, nl)]);
        emit(line, 0, line.length);
      }
      pending = [];
      pendingBytes = 0;
      tooLong = false;
      start = nl + 1;
      lineOffset = fileOffset + start;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      pendingBytes += rest.length;
      if (pendingBytes > options.maxLineBytes) {
        // Keep counting, stop holding: the line is reported, not kept.
        tooLong = true;
        pending = [];
      } else {
        pending.push(rest);
      }
    }
    fileOffset += chunk.length;
  }
  if (tooLong) {
    emit(Buffer.alloc(0), 0, 0);
  } else if (pendingBytes > 0) {
    const line = Buffer.concat(pending);
    emit(line, 0, line.length);
  }
}
