/**
 * Seeded randomness for the learner simulator: the same seed text gives the same numbers on every
 * machine and every run, so a simulation can be repeated against a fresh server and give the same
 * answers. Pure arithmetic on 32-bit integers, nothing from the platform.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, from PractRand),
 * seeded with cyrb128 (a 128-bit string hash by bryc); both are public-domain and widely used for
 * exactly this: reproducible, well-distributed streams, not secrets.
 */

/** Four 32-bit words from a string, so any text (a seed, a learner's number, a question's id) names a stream. */
export function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** sfc32: uniform numbers in [0, 1) from four 32-bit words of state. */
export function sfc32(seedWords: readonly [number, number, number, number]): () => number {
  let [a, b, c, d] = seedWords;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // The first outputs still carry the seed's structure; discarding a few is the usual warm-up.
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** A stream of random draws named by text: the same name always gives the same draws. */
export interface RandomStream {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Standard normal N(0, 1) (Box–Muller). */
  normal(): number;
  /** An index drawn with probability proportional to its weight (weights ≥ 0, at least one > 0). */
  weighted(weights: readonly number[]): number;
}

export function randomStream(name: string): RandomStream {
  const next = sfc32(cyrb128(name));
  return {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    normal: () => {
      // 1 - u keeps the logarithm finite: next() may return 0 but never 1.
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    weighted: (weights) => {
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      if (!(total > 0)) throw new Error('weighted draw needs at least one positive weight');
      let target = next() * total;
      for (let index = 0; index < weights.length; index++) {
        target -= weights[index]!;
        if (target < 0 && weights[index]! > 0) return index;
      }
      // Rounding can leave a sliver past the last weight: it belongs to the last positive one.
      for (let index = weights.length - 1; index >= 0; index--) if (weights[index]! > 0) return index;
      return 0;
    },
  };
}
