import { createRng, deriveRng, hashString } from '../../src/synthetic/prng';

describe('prng', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const draws = Array.from({ length: 100 }, () => [a.next(), b.next()]);
    expect(draws.every(([x, y]) => x === y)).toBe(true);
  });

  it('keeps draws inside the requested ranges', () => {
    const rng = createRng(7);
    for (let i = 0; i < 10_000; i++) {
      const n = rng.int(-3, 3);
      expect(Number.isInteger(n) && n >= -3 && n <= 3).toBe(true);
      const f = rng.float(2, 5);
      expect(f >= 2 && f < 5).toBe(true);
    }
  });

  it('names independent streams by their parts', () => {
    expect(deriveRng('a', 1).next()).toBe(deriveRng('a', 1).next());
    expect(deriveRng('a', 1).next()).not.toBe(deriveRng('a', 2).next());
    expect(hashString('stellar')).toBe(hashString('stellar'));
    expect(hashString('stellar')).not.toBe(hashString('stellas'));
  });

  it('refuses to pick from an empty list', () => {
    expect(() => createRng(1).pick([])).toThrow(RangeError);
  });
});
