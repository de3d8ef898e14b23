/**
 * `npm run bench`: measures, never asserts. Prints a table and writes bench/results/*.json.
 * Options: --runs N (default 15), --sizes 500,5000,50000.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchEngine } from './engine-bench';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    sizes: { type: 'string', default: '500,5000,50000' },
  },
});
const runs = Number(values.runs);
const sizes = String(values.sizes).split(',').map(Number);
if (!Number.isInteger(runs) || runs < 1 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
  process.stderr.write('bench: --runs must be a positive integer and --sizes a list of them\n');
  process.exit(2);
}

const rows = benchEngine(sizes, runs);
process.stdout.write(`Engine: one patient, median of ${runs} runs (node ${process.version})\n`);
process.stdout.write(
  'observations   median ms   min ms   max ms   ms per 1,000 obs   classification\n',
);
for (const r of rows) {
  process.stdout.write(
    `${String(r.observations).padStart(12)}   ${r.medianMs.toFixed(2).padStart(9)}   ${r.minMs
      .toFixed(2)
      .padStart(6)}   ${r.maxMs.toFixed(2).padStart(6)}   ${r.msPerThousandObservations
      .toFixed(3)
      .padStart(16)}   ${r.classification}\n`,
  );
}
const dir = join(process.cwd(), 'bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, 'engine.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, runs, rows }, null, 2),
);
process.stdout.write(`Written ${join('bench', 'results', 'engine.json')}\n`);
