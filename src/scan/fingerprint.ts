import crypto, { scryptSync } from 'node:crypto';

/**
 * scrypt cost for secrets a person chose. N=512, r=8 takes about half a millisecond and half a megabyte
 * per guess: thousands of times slower to brute-force than a fast hash, yet cheap enough that a file
 * full of passwords does not slow a scan down.
 */
const SCRYPT = { N: 512, r: 8, p: 1 } as const;

/**
 * Slow hashes already computed in this process: the same password found in several commits of one
 * pull request, or repeated through a generated file, costs one scrypt. Bounded so hostile input
 * cannot grow it without end; it lives only in memory, like the secrets themselves.
 */
const SLOW_CACHE = new Map<string, string>();
const SLOW_CACHE_LIMIT = 10_000;

/** One-shot `crypto.hash` (Node 20.12+) where present: a third of the cost of a Hash object per finding. */
const sha256Hex: (data: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (data) => (crypto as unknown as { hash(alg: string, data: string, enc: 'hex'): string }).hash('sha256', data, 'hex')
    : (data) => crypto.createHash('sha256').update(data).digest('hex');

/**
 * A stable, non-reversible id for a finding: rule, path and secret, never the line, so it survives the
 * line moving. Keys a provider issued at random are hashed with SHA-256: nobody can enumerate them.
 * Secrets a person chose (`guessable`: passwords in connection strings, generic assignments) go through
 * scrypt, so that a fingerprint in a public report is no shortcut to guessing them. The fixed salt keeps
 * both stable across runs and machines.
 */
export function fingerprint(ruleId: string, path: string, secret: string, guessable = false): string {
  const material = `${ruleId}\0${path}\0${secret}`;
  if (!guessable) {
    return sha256Hex(`key-hygiene/fingerprint/v1\0${material}`).slice(0, 32);
  }
  const cached = SLOW_CACHE.get(material);
  if (cached !== undefined) return cached;
  const slow = scryptSync(material, 'key-hygiene/fingerprint/v1', 16, SCRYPT).toString('hex');
  if (SLOW_CACHE.size >= SLOW_CACHE_LIMIT) SLOW_CACHE.clear();
  SLOW_CACHE.set(material, slow);
  return slow;
}
