import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundleToNdjson, generateCensus } from '../src/synthetic';

export interface NdjsonCensusOptions {
  dir: string;
  count: number;
  observationTarget: number;
  seed: number;
  now: string;
}

/** Patients generated and written per step: a census this size fits in memory, a unit may not. */
const CHUNK = 25;

/**
 * Writes a synthetic census as a Bulk Data export (`<Type>.ndjson`), a chunk of patients at a
 * time: `bundleToNdjson` of a whole 1,000-patient census would be one string longer than V8
 * allows. Each chunk is its own seeded census, so the export is the same on every run.
 * @returns the number of bytes written
 */
export function writeNdjsonCensus(options: NdjsonCensusOptions): number {
  mkdirSync(options.dir, { recursive: true });
  let bytes = 0;
  for (let start = 0; start < options.count; start += CHUNK) {
    const bundles = generateCensus({
      seed: options.seed * 10_000 + start / CHUNK,
      now: options.now,
      count: Math.min(CHUNK, options.count - start),
      observationTarget: options.observationTarget,
    });
    for (const [type, text] of bundleToNdjson(bundles)) {
      appendFileSync(join(options.dir, `${type}.ndjson`), text);
      bytes += Buffer.byteLength(text);
    }
  }
  return bytes;
}
