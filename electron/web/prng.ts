/**
 * A small seeded pseudo-random generator for the scripts that must replay a run from its
 * seed (the crash test's kill moments, the benchmark's generated library).
 */

/**
 * Mulberry32 (Tommy Ettinger, public domain): a 32-bit state PRNG, uniform floats in
 * [0, 1). The same seed gives the same sequence on every machine. Not for cryptography.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
