/** One slice of an organization's repositories, as the `shard` input writes it: `3/8` is the third of eight. */
export interface Shard {
  index: number;
  total: number;
}

/** The largest matrix GitHub Actions runs from one job definition. */
export const MAX_SHARDS = 256;

/**
 * Parses `i/n` (1 <= i <= n <= 256). Throws one line naming the input, the value and the form expected.
 */
export function parseShard(value: string): Shard {
  const m = /^\s*(\d{1,3})\s*\/\s*(\d{1,3})\s*$/.exec(value);
  const index = m === null ? NaN : Number(m[1]);
  const total = m === null ? NaN : Number(m[2]);
  if (!(index >= 1 && total >= 1 && index <= total && total <= MAX_SHARDS)) {
    throw new Error(`Input "shard" has value ${JSON.stringify(value)}; expected "i/n" with 1 <= i <= n <= ${MAX_SHARDS}, e.g. "1/8".`);
  }
  return { index, total };
}

/**
 * The shard a repository belongs to, from a hash of its full name rather than its position in the list:
 * a repository created or archived between two jobs of one matrix run moves no other repository, so
 * the shards still cover every repository exactly once.
 */
export function shardOf(fullName: string, total: number): number {
  let h = 2166136261;
  const name = fullName.toLowerCase();
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return ((h >>> 0) % total) + 1;
}

/** The repositories of `shard`, in their original order. */
export function selectShard<T extends { fullName: string }>(repos: readonly T[], shard: Shard | undefined): T[] {
  if (shard === undefined || shard.total === 1) return [...repos];
  return repos.filter((r) => shardOf(r.fullName, shard.total) === shard.index);
}
