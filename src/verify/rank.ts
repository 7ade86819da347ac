import { ACTIVE_KEY_LINE, bySeverity } from '../report/sort.js';
import type { Finding } from '../scan/types.js';

export { ACTIVE_KEY_LINE };

/** Live keys first, revoked ones last; unchecked and undecided keys in between. */
function urgency(finding: Finding): number {
  switch (finding.verification?.status) {
    case 'live':
      return 0;
    case 'revoked':
      return 2;
    default:
      return 1;
  }
}

/** Orders findings by what needs doing first: live keys, then by severity and location. */
export function byVerification(a: Finding, b: Finding): number {
  return urgency(a) - urgency(b) || bySeverity(a, b);
}

/** A sorted copy of `findings`, live keys first. */
export function rankFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(byVerification);
}

/** A short label for a verdict, for tables and annotations; undefined when the key was not checked. */
export function verificationLabel(finding: Finding): string | undefined {
  const v = finding.verification;
  if (v === undefined) return undefined;
  if (v.status === 'live') return ACTIVE_KEY_LINE;
  if (v.status === 'revoked') return 'Revoked: the provider no longer accepts it';
  return v.reason === undefined ? 'Live check inconclusive' : `Live check inconclusive: ${v.reason}`;
}
