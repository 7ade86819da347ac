import { scryptSync } from 'node:crypto';

/**
 * A stable, non-reversible id for a finding: rule, path and secret, never the line, so it survives the
 * line moving. scrypt rather than a plain hash because some secrets (passwords) are short enough to
 * brute-force from a fast hash; the fixed salt keeps it stable across runs and machines.
 */
export function fingerprint(ruleId: string, path: string, secret: string): string {
  const digest = scryptSync(`${ruleId}\0${path}\0${secret}`, 'key-hygiene/fingerprint/v1', 16, { N: 4096, r: 8, p: 1 });
  return digest.toString('hex');
}
