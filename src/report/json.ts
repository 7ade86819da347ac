import type { Finding } from '../scan/types.js';
import { countFindings, type FindingCounts } from './counts.js';
import type { Report, RotationReport, ScanStats } from './model.js';
import { bySeverity } from './sort.js';

/** The version of the JSON document's shape; bumped on any incompatible change. */
export const JSON_REPORT_VERSION = 1;

export interface JsonFinding {
  ruleId: string;
  /** `key`: a leaked credential; `transport`: a keyed API reached over plain http:// (no key leaked). */
  category: Finding['category'];
  title: string;
  severity: Finding['severity'];
  file: string;
  line: number;
  column: number;
  fingerprint: string;
  redacted: string;
  provider: string;
  endLine: number;
  length: number;
  source: Finding['source'];
  commit?: string;
  remediation: { text: string; url: string };
  verification?: { status: 'live' | 'revoked' | 'unknown'; reason?: string };
  notes?: string[];
}

export interface JsonReport {
  version: typeof JSON_REPORT_VERSION;
  findings: JsonFinding[];
  /** Findings by category: `keys` is what "leaked keys" and `fail-on: leaks` count; `transport` is counted apart. */
  counts: FindingCounts;
  stats: ScanStats;
  rotation?: RotationReport;
}

/**
 * The machine-readable report: findings in the order every format shows them (live, then most severe, then by location) with their redacted previews and fingerprints
 * (to paste into `allow.fingerprints`), their counts by category, scan statistics and, when audited, the rotation report.
 * Fields are copied one by one so that nothing added to a finding later reaches the output unreviewed.
 */
export function renderJson(report: Report): string {
  const doc: JsonReport = {
    version: JSON_REPORT_VERSION,
    findings: [...report.findings].sort(bySeverity).map(toJsonFinding),
    counts: countFindings(report.findings),
    stats: report.stats,
  };
  if (report.rotation !== undefined) doc.rotation = report.rotation;
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function toJsonFinding(f: Finding): JsonFinding {
  const out: JsonFinding = {
    ruleId: f.ruleId,
    category: f.category,
    title: f.title,
    severity: f.severity,
    file: f.file,
    line: f.line,
    column: f.column,
    fingerprint: f.fingerprint,
    redacted: f.redacted,
    provider: f.provider,
    endLine: f.endLine,
    length: f.length,
    source: f.source,
    remediation: { text: f.remediation.text, url: f.remediation.url },
  };
  if (f.commit !== undefined) out.commit = f.commit;
  if (f.verification !== undefined) {
    out.verification = { status: f.verification.status };
    if (f.verification.reason !== undefined) out.verification.reason = f.verification.reason;
  }
  if (f.notes !== undefined && f.notes.length > 0) out.notes = [...f.notes];
  return out;
}
