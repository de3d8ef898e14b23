/**
 * Fuzzing and soak run short by default, so `npm test` stays quick and reproducible (fixed seed);
 * `STELLAR_LONG_TESTS=1` runs them long, with a fresh seed unless `STELLAR_FUZZ_SEED` is set
 * (fast-check prints the seed of any failure, so a long-run failure can be replayed).
 */
export const LONG_TESTS = process.env.STELLAR_LONG_TESTS === '1';

/** The seed of the default (short) fuzz runs: the same inputs on every machine. */
const DEFAULT_SEED = 20260301;

/** fast-check parameters: `short` runs with the fixed seed, or `long` runs with the long flag. */
export function fuzzParameters(short: number, long: number): { seed: number; numRuns: number } {
  const given = process.env.STELLAR_FUZZ_SEED;
  const fromEnv = given ? Number(given) : NaN;
  const seed = Number.isSafeInteger(fromEnv)
    ? fromEnv
    : LONG_TESTS
      ? Date.now() % 2_147_483_647
      : DEFAULT_SEED;
  // A long run's seed is fresh: print it, so a run that passed can be repeated too.
  if (LONG_TESTS) process.stdout.write(`fuzz seed ${seed}, ${long} runs\n`);
  return { seed, numRuns: LONG_TESTS ? long : short };
}

/** Jest timeout for a test that runs `shortMs` normally and `longMs` with the long flag. */
export function longTimeout(shortMs: number, longMs: number): number {
  return LONG_TESTS ? longMs : shortMs;
}
