import type { SampleGen } from '../../src/scan/types.js';

/**
 * A seeded generator (mulberry32) so a failing sample can be reproduced: the seed is printed by the
 * catalogue test and can be pinned with KH_SEED.
 */
export function seededGen(seed: number): SampleGen {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gen: SampleGen = {
    chars(alphabet, n) {
      let out = '';
      for (let i = 0; i < n; i++) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    },
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1));
    },
    pick(items) {
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
  };
  return gen;
}

export function testSeed(): number {
  const fromEnv = process.env['KH_SEED'];
  return fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : 20261128;
}
