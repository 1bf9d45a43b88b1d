/**
 * mulberry32: a small, fast seeded PRNG, uniform in [0, 1). The same seed always gives the
 * same sequence, so a simulated drive is repeatable and a failing generated test can be run
 * again. It lives here, in the one package that edge, cloud and the simulator all import.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
