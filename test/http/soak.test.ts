import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSoak } from '../../bench/soak-bench';
import { LONG_TESTS, longTimeout } from '../support/long-tests';

/** Seconds of steady load: short in `npm test`, minutes with STELLAR_LONG_TESTS=1. */
const SECONDS = LONG_TESTS ? 300 : 20;

describe('soak: steady load on the service in its own process', () => {
  it(
    'holds its memory flat after warm-up (RSS and the heap after a full GC), with no 5xx and no dropped connection',
    async () => {
      const result = await runSoak({ seconds: SECONDS, connections: 4 });
      const series = result.samples.map((s) => `${s.second}s:${s.rssMb.toFixed(0)}`).join(' ');
      process.stdout.write(
        `soak ${SECONDS} s, ${result.requests} answers (${result.requestsPerSecond.toFixed(0)}/s), ` +
          `statuses ${JSON.stringify(result.statuses)}\n` +
          `RSS MB over time: ${series}\n` +
          `RSS warm ${result.rssMb.warm.toFixed(0)} -> end ${result.rssMb.end.toFixed(0)} MB; heap after GC ` +
          `warm ${result.heapAfterGcMb.warm.toFixed(1)} -> end ${result.heapAfterGcMb.end.toFixed(1)} MB\n`,
      );
      mkdirSync('test-output', { recursive: true });
      writeFileSync(join('test-output', 'soak.json'), JSON.stringify(result, null, 2));

      expect(result.errors).toBe(0);
      expect(Object.keys(result.statuses).sort()).toEqual(['200', '400', '412']);
      expect(result.requests).toBeGreaterThan(SECONDS * 10);
      // Generous bounds: they catch a leak (a record kept per call grows by megabytes a
      // second), not the allocator's ups and downs.
      expect(result.heapAfterGcMb.end).toBeLessThan(result.heapAfterGcMb.warm + 25);
      expect(result.rssMb.end).toBeLessThan(result.rssMb.warm * 1.5 + 50);
    },
    longTimeout(90_000, 600_000),
  );
});
