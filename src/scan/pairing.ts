import type { Finding, Severity } from './types.js';
import { SEVERITY_RANK } from './types.js';

/**
 * Two rules whose findings mean more together than apart: an AWS access key id is harmless alone, but
 * next to its secret access key the pair is a working credential.
 */
export interface FindingPair {
  /** Rule id of one half. */
  a: string;
  /** Rule id of the other half. */
  b: string;
  /** Largest distance, in lines, between the two halves' first lines. */
  maxLines: number;
  /** The note both halves get. */
  note: string;
  /** Severity both halves are raised to (never lowered). Default `critical`. */
  severity?: Severity;
}

/**
 * Marks findings whose partner (per `pairs`) was found in the same text within `maxLines` lines: both get
 * the pair's note once and their severity raised. Findings from different files, sources or commits never
 * pair. The findings are updated in place rather than copied, because the engine keeps each raw secret
 * against the finding object itself; the same array is returned. Runs in O(n log n) however many
 * halves a hostile file holds.
 */
export function pairFindings(findings: Finding[], pairs: readonly FindingPair[]): Finding[] {
  if (pairs.length === 0 || findings.length < 2) return findings;
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.source}\u0000${f.commit ?? ''}\u0000${f.file}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [f]);
    else group.push(f);
  }
  for (const group of groups.values()) {
    for (const pair of pairs) {
      const as = group.filter((f) => f.ruleId === pair.a);
      const bs = group.filter((f) => f.ruleId === pair.b);
      if (as.length === 0 || bs.length === 0) continue;
      const aLines = sortedLines(as);
      const bLines = sortedLines(bs);
      for (const f of as) if (hasLineWithin(bLines, f.line, pair.maxLines)) mark(f, pair);
      for (const f of bs) if (hasLineWithin(aLines, f.line, pair.maxLines)) mark(f, pair);
    }
  }
  return findings;
}

function sortedLines(findings: readonly Finding[]): number[] {
  return findings.map((f) => f.line).sort((x, y) => x - y);
}

/** True when sorted `lines` holds a value in [line - max, line + max]. */
function hasLineWithin(lines: readonly number[], line: number, max: number): boolean {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((lines[mid] as number) < line - max) lo = mid + 1;
    else hi = mid;
  }
  const first = lines[lo];
  return first !== undefined && first <= line + max;
}

function mark(finding: Finding, pair: FindingPair): void {
  const notes = finding.notes ?? [];
  if (!notes.includes(pair.note)) finding.notes = [...notes, pair.note];
  const severity = pair.severity ?? 'critical';
  if (SEVERITY_RANK[severity] > SEVERITY_RANK[finding.severity]) finding.severity = severity;
}
