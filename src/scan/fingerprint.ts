import { createHash, scryptSync } from 'node:crypto';
import { shannonEntropy } from './entropy.js';

/**
 * Below this many bits of estimated entropy a secret could be guessed offline from a fast hash of it
 * (passwords in connection strings, short generic values), so it gets a slow hash instead.
 */
const GUESSABLE_BITS = 64;

/**
 * Slow hashes already computed in this process: the same password found in several commits of one
 * pull request, or repeated through a generated file, costs one scrypt. Bounded so hostile input
 * cannot grow it without end; it lives only in memory, like the secrets themselves.
 */
const SLOW_CACHE = new Map<string, string>();
const SLOW_CACHE_LIMIT = 10_000;

/**
 * A stable, non-reversible id for a finding: rule, path and secret, never the line, so it survives the
 * line moving. Random tokens hash with SHA-256 (nobody can enumerate 64+ bits); guessable secrets go
 * through scrypt so that the fingerprint in a public comment is no shortcut to brute-forcing them.
 * The fixed salt keeps both stable across runs and machines.
 */
export function fingerprint(ruleId: string, path: string, secret: string): string {
  const material = `${ruleId}\0${path}\0${secret}`;
  if (shannonEntropy(secret) * secret.length >= GUESSABLE_BITS) {
    return createHash('sha256').update('key-hygiene/fingerprint/v1\0').update(material).digest('hex').slice(0, 32);
  }
  const cached = SLOW_CACHE.get(material);
  if (cached !== undefined) return cached;
  const slow = scryptSync(material, 'key-hygiene/fingerprint/v1', 16, { N: 4096, r: 8, p: 1 }).toString('hex');
  if (SLOW_CACHE.size >= SLOW_CACHE_LIMIT) SLOW_CACHE.clear();
  SLOW_CACHE.set(material, slow);
  return slow;
}
