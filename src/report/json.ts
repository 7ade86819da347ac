import type { Finding } from '../scan/types.js';
import type { KeyFlag } from '../inventory/assess.js';
import type { InventoryKey } from '../inventory/types.js';
import { countFindings, type FindingCounts } from './counts.js';
import type { ProviderKeysReport, Report, RotationReport, ScanStats } from './model.js';
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
  /** The provider key inventory, when it was read and may be shown: every flagged key, ids and redacted forms only. */
  providerKeys?: JsonProviderKeys;
}

export interface JsonProviderKeys {
  providers: ProviderKeysReport['providers'];
  keys: Array<
    Pick<InventoryKey, 'provider' | 'kind' | 'id' | 'name' | 'project' | 'owner' | 'ownerType' | 'hint' | 'createdAt' | 'lastUsedAt' | 'status' | 'ownerAccess'> & {
      ageDays: number;
      maxAgeDays: number;
      flags: KeyFlag[];
    }
  >;
  unusedDays: number;
  spikeFactor: number;
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
  if (report.providerKeys !== undefined) doc.providerKeys = toJsonProviderKeys(report.providerKeys);
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

/** Copied field by field, like findings: the per-day usage stays out, its figures are in the spike flag. */
function toJsonProviderKeys(section: ProviderKeysReport): JsonProviderKeys {
  return {
    providers: section.providers.map((p) => ({ ...p, problems: [...p.problems] })),
    keys: section.keys.map(({ key: k, ageDays, maxAgeDays, flags }) => {
      const out: JsonProviderKeys['keys'][number] = { provider: k.provider, kind: k.kind, id: k.id, name: k.name, createdAt: k.createdAt, status: k.status, ageDays, maxAgeDays, flags: flags.map((f) => ({ ...f })) };
      if (k.project !== undefined) out.project = { id: k.project.id, name: k.project.name };
      if (k.owner !== undefined) out.owner = k.owner;
      if (k.ownerType !== undefined) out.ownerType = k.ownerType;
      if (k.hint !== undefined) out.hint = k.hint;
      if (k.lastUsedAt !== undefined) out.lastUsedAt = k.lastUsedAt;
      if (k.ownerAccess !== undefined) out.ownerAccess = k.ownerAccess;
      return out;
    }),
    unusedDays: section.unusedDays,
    spikeFactor: section.spikeFactor,
  };
}
