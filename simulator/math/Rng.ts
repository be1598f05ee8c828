/**
 * A small seeded pseudo-random generator (xoshiro128**, seeded through splitmix32) for everything
 * liqsim randomizes: price paths, agents, test vectors. The same seed gives the same sequence on
 * every machine; `fork(label)` derives an independent stream per agent or purpose, so adding one
 * agent does not shift the numbers another agent draws. Never use `Math.random` in recorded results.
 */
const MASK32 = 0xffffffffn;

function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [next, z >>> 0];
}

/** FNV-1a over the UTF-16 code units of `text`: a stable 32-bit label hash. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private readonly s = new Uint32Array(4);
  /** The seed this generator was built from, as given. */
  readonly seed: bigint;

  constructor(seed: bigint | number) {
    this.seed = BigInt(seed);
    if (this.seed < 0n) throw new RangeError(`seed must be >= 0, got ${this.seed}`);
    // Fold the seed into 32 bits a word at a time, then expand it with splitmix32.
    let folded = 0;
    for (let rest = this.seed; ; rest >>= 32n) {
      folded = (Math.imul(folded ^ Number(rest & MASK32), 0x01000193) + 0x7f4a7c15) | 0;
      if (rest <= MASK32) break;
    }
    let state = folded;
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(state);
      state = next;
      this.s[i] = out;
    }
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const s0 = s[0] ?? 0;
    const s1 = s[1] ?? 0;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s[2] = (s[2] ?? 0) ^ s0;
    s[3] = (s[3] ?? 0) ^ s1;
    s[1] = s1 ^ (s[2] ?? 0);
    s[0] = s0 ^ (s[3] ?? 0);
    s[2] = (s[2] ?? 0) ^ t;
    s[3] = rotl(s[3] ?? 0, 11);
    return result;
  }

  /** A uniform bigint in [0, bound), by rejection sampling (no modulo bias). */
  nextBigInt(bound: bigint): bigint {
    if (bound <= 0n) throw new RangeError(`bound must be > 0, got ${bound}`);
    const bits = bound.toString(2).length;
    const words = Math.ceil(bits / 32);
    const excess = BigInt(words * 32 - bits);
    for (;;) {
      let x = 0n;
      for (let i = 0; i < words; i++) x = (x << 32n) | BigInt(this.nextUint32());
      x >>= excess;
      if (x < bound) return x;
    }
  }

  /** A uniform integer in [min, max] (both inclusive). */
  nextInt(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new RangeError(`invalid integer range [${min}, ${max}]`);
    }
    return min + Number(this.nextBigInt(BigInt(max - min + 1)));
  }

  /** A uniform bigint in [min, max] (both inclusive). */
  bigIntBetween(min: bigint, max: bigint): bigint {
    if (max < min) throw new RangeError(`invalid range [${min}, ${max}]`);
    return min + this.nextBigInt(max - min + 1n);
  }

  /** True with probability numerator / denominator. */
  chance(numerator: number, denominator: number): boolean {
    return this.nextInt(0, denominator - 1) < numerator;
  }

  /** A uniformly chosen element. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("cannot pick from an empty list");
    return items[this.nextInt(0, items.length - 1)] as T;
  }

  /** An independent generator for `label`, derived from this one's seed (not from its position). */
  fork(label: string): Rng {
    return new Rng((this.seed << 32n) ^ BigInt(fnv1a(label)));
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
