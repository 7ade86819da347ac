import { SEVERITY_RANK, type Finding } from '../scan/types.js';
import { isTransport } from './counts.js';

/** Location order: file, then line, then column, then rule; gives every renderer the same stable output. */
export function byLocation(a: Finding, b: Finding): number {
  return (
    compareStrings(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.fingerprint, b.fingerprint)
  );
}

/** The line every surface shows on a key its provider confirmed is still live. */
export const ACTIVE_KEY_LINE = 'Active key: revoke now';

/**
 * Keys confirmed live first (the most urgent thing a reviewer can act on), then leaked keys before
 * transport findings (no key leaked there), then most severe first, then by location: the order in
 * which reports are shown and trimmed.
 */
export function bySeverity(a: Finding, b: Finding): number {
  return (
    liveRank(b) - liveRank(a) ||
    Number(isTransport(a)) - Number(isTransport(b)) ||
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    byLocation(a, b)
  );
}

function liveRank(f: Finding): number {
  return f.verification?.status === 'live' ? 1 : 0;
}

/** Code-unit order rather than localeCompare, so output does not depend on the machine's locale. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
