import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLines } from '../../src/cli/sources/read-lines';

type Seen = { text: string; offset: number; number: number } | { tooLong: number };

async function linesOf(content: string | Buffer, maxLineBytes = 1 << 20): Promise<Seen[]> {
  const dir = mkdtempSync(join(tmpdir(), 'stellar-lines-'));
  try {
    const file = join(dir, 'f.ndjson');
    writeFileSync(file, content);
    const seen: Seen[] = [];
    await readLines(
      file,
      {
        line: (buf, start, end, offset, number) =>
          seen.push({ text: buf.toString('utf8', start, end), offset, number }),
        tooLong: (number) => seen.push({ tooLong: number }),
      },
      { maxLineBytes },
    );
    return seen;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('readLines', () => {
  it('numbers lines from 1 with their byte offsets, dropping CR before LF and a leading byte-order mark', async () => {
    expect(await linesOf('\ufeffa\r\nbé\n\nc')).toEqual([
      { text: 'a', offset: 3, number: 1 },
      { text: 'bé', offset: 6, number: 2 },
      { text: '', offset: 10, number: 3 },
      { text: 'c', offset: 11, number: 4 },
    ]);
  });

  it('hands over lines that straddle a chunk boundary whole, multi-byte characters included', async () => {
    const line = `${'x'.repeat((1 << 20) - 1)}é€😀`;
    const seen = await linesOf(`${line}\nnext\n`, 4 << 20);
    expect(seen).toEqual([
      { text: line, offset: 0, number: 1 },
      { text: 'next', offset: Buffer.byteLength(line) + 1, number: 2 },
    ]);
  });

  it('reports a line longer than the limit without holding it, and goes on with the next', async () => {
    const long = 'y'.repeat(3 << 20);
    expect(await linesOf(`ok\n${long}\nafter\n${'z'.repeat(10)}`, 1 << 20)).toEqual([
      { text: 'ok', offset: 0, number: 1 },
      { tooLong: 2 },
      { text: 'after', offset: 3 + long.length + 1, number: 3 },
      { text: 'z'.repeat(10), offset: 3 + long.length + 7, number: 4 },
    ]);
  });

  it('reports a last line without a line break that is too long', async () => {
    expect(await linesOf(`ok\n${'y'.repeat(3 << 20)}`, 1 << 20)).toEqual([
      { text: 'ok', offset: 0, number: 1 },
      { tooLong: 2 },
    ]);
  });

  it('gives no line for an empty file', async () => {
    expect(await linesOf('')).toEqual([]);
  });
});
