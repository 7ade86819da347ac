import { createHash, scryptSync } from 'node:crypto';
import { shannonEntropy } from './entropy.js';

/**
 * Below this many bits of estimated entropy a secret could be guessed offline from a fast hash of it
 * (passwords in connection strings, short generic values), so it gets a slow hash instead.
 */
const GUESSABLE_BITS = 100;

/**
 * A stable, non-reversible id for a finding: rule, path and secret, never the line, so it survives the
 * line moving. Random tokens hash with SHA-256 (nobody can enumerate 100+ bits); guessable secrets go
 * through scrypt so that the fingerprint in a public comment is no shortcut to brute-forcing them.
 * The fixed salt keeps both stable across runs and machines.
 */
export function fingerprint(ruleId: string, path: string, secret: string): string {
  const material = `${ruleId}\0${path}\0${secret}`;
  if (shannonEntropy(secret) * secret.length >= GUESSABLE_BITS) {
    return createHash('sha256').update('key-hygiene/fingerprint/v1\0').update(material).digest('hex').slice(0, 32);
  }
  return scryptSync(material, 'key-hygiene/fingerprint/v1', 16, { N: 4096, r: 8, p: 1 }).toString('hex');
}
