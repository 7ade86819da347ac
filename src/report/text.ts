import type { Finding, Severity } from '../scan/types.js';
import { isTransport, transportPhrase } from './counts.js';
import type { Report, RotationEntry } from './model.js';
import { byLocation, bySeverity } from './sort.js';

export interface TextOptions {
  /** ANSI colours, for a terminal that supports them. */
  color: boolean;
}

const SGR = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  green: '\u001b[32m',
} as const;

const SEVERITY_STYLE: Readonly<Record<Severity, string>> = {
  critical: SGR.bold + SGR.red,
  high: SGR.red,
  medium: SGR.yellow,
  low: SGR.cyan,
};

/**
 * The terminal report: one line per finding (`file:line:col  severity  rule  preview`), the keys still
 * in the tree first, those only in git history after, then plain-http API URLs (counted apart: no key
 * leaked), then what to do per rule and a summary.
 */
export function renderText(report: Report, options: TextOptions): string {
  const paint = (style: string, s: string): string => (options.color ? `${style}${s}${SGR.reset}` : s);
  const out: string[] = [];
  const keys = report.findings.filter((f) => !isTransport(f));
  const current = keys.filter((f) => f.source !== 'history').sort(bySeverity);
  const history = keys.filter((f) => f.source === 'history').sort(bySeverity);
  const transport = report.findings.filter(isTransport).sort(bySeverity);

  if (current.length > 0) out.push(...findingLines(current, paint), '');
  if (history.length > 0) {
    out.push(paint(SGR.bold, 'Removed in a later commit but still in git history (rotate them):'));
    out.push(...findingLines(history, paint), '');
  }
  if (transport.length > 0) {
    out.push(paint(SGR.bold, 'Keyed APIs reached over plain http:// (no key leaked here; the key would travel unencrypted):'));
    out.push(...findingLines(transport, paint), '');
  }
  if (report.findings.length > 0) {
    out.push(paint(SGR.bold, 'What to do:'));
    for (const line of remediationLines(report.findings)) out.push(`  ${line}`);
    out.push('');
  }
  if (report.rotation !== undefined) out.push(...rotationLines(report, paint), '');
  for (const note of report.notes) out.push(paint(SGR.dim, `note: ${clean(note)}`));
  out.push(summaryLine(report, paint));
  return `${out.join('\n')}\n`;
}

/** The notes and the summary line alone: what a run that wrote its report to a file shows. */
export function renderTextSummary(report: Report, options: TextOptions): string {
  const paint = (style: string, s: string): string => (options.color ? `${style}${s}${SGR.reset}` : s);
  const out = report.notes.map((note) => paint(SGR.dim, `note: ${clean(note)}`));
  out.push(summaryLine(report, paint));
  return `${out.join('\n')}\n`;
}

function findingLines(findings: Finding[], paint: (style: string, s: string) => string): string[] {
  const rows = findings.map((f) => {
    const where = `${clean(f.file)}:${f.line}:${f.column}`;
    const extra = f.commit !== undefined && f.source === 'history' ? `  (added in ${f.commit.slice(0, 12)})` : '';
    return { f, where, extra };
  });
  const whereWidth = Math.max(...rows.map((r) => r.where.length));
  const ruleWidth = Math.max(...rows.map((r) => r.f.ruleId.length));
  return rows.flatMap(({ f, where, extra }) => {
    const severity = paint(SEVERITY_STYLE[f.severity], f.severity.padEnd(8));
    const line = `${where.padEnd(whereWidth)}  ${severity}  ${clean(f.ruleId).padEnd(ruleWidth)}  ${clean(f.redacted)}${extra}`;
    return [line, ...(f.notes ?? []).map((n) => `${' '.repeat(whereWidth + 2)}${paint(SGR.bold, clean(n))}`)];
  });
}

/** One line per rule that fired: the provider's advice and where to revoke the key. */
function remediationLines(findings: Finding[]): string[] {
  const seen = new Map<string, Finding>();
  for (const f of [...findings].sort(byLocation)) if (!seen.has(f.ruleId)) seen.set(f.ruleId, f);
  return [...seen.values()]
    .sort((a, b) => (a.ruleId < b.ruleId ? -1 : 1))
    .map((f) => `${clean(f.ruleId)}: ${clean(f.remediation.text)} ${clean(f.remediation.url)}`);
}

function rotationLines(report: Report, paint: (style: string, s: string) => string): string[] {
  const rotation = report.rotation;
  if (rotation === undefined) return [];
  if (rotation.status === 'skipped') return ['Secret rotation: audit skipped (no secrets-token).'];
  const lines = [paint(SGR.bold, `Secret rotation${rotation.status === 'partial' ? ' (partial audit)' : ''}:`)];
  const urgent = rotation.entries.filter((e) => e.status === 'overdue' || e.status === 'due-soon');
  for (const e of urgent) lines.push(`  ${rotationLabel(e)}  ${e.status}  ${e.ageDays} days old${e.dueDate !== undefined ? `, due ${e.dueDate}` : ''}`);
  const rest = rotation.entries.length - urgent.length;
  if (urgent.length === 0) lines.push(`  All ${rest} ${rest === 1 ? 'secret is' : 'secrets are'} within policy or exempt.`);
  else if (rest > 0) lines.push(`  ${rest} more ${rest === 1 ? 'secret is' : 'secrets are'} within policy or exempt.`);
  for (const p of rotation.problems) lines.push(`  ${paint(SGR.yellow, clean(p))}`);
  return lines;
}

function rotationLabel(e: RotationEntry): string {
  const scope = e.environment !== undefined ? `environment ${e.environment}` : e.scope;
  return clean(`${e.name} (${e.repository !== undefined ? `${e.repository}, ` : ''}${scope})`);
}

function summaryLine(report: Report, paint: (style: string, s: string) => string): string {
  const { files, bytes, durationMs } = report.stats;
  const skipped = Object.entries(report.stats.skipped ?? {}).filter(([, n]) => n !== undefined && n > 0) as Array<[string, number]>;
  const total = skipped.reduce((sum, [, n]) => sum + n, 0);
  const skips = total === 0 ? '' : `, ${total} skipped (${skipped.map(([why, n]) => `${n} ${SKIP_LABEL[why] ?? why}`).join(', ')})`;
  const scanned = `${files} ${files === 1 ? 'file' : 'files'} scanned (${formatBytes(bytes)} in ${formatDuration(durationMs)})${skips}`;
  const keys = report.findings.filter((f) => !isTransport(f));
  const n = keys.length;
  const t = report.findings.length - n;
  // Transport findings are not leaked keys: they never make the line red or count as keys.
  const transport = t > 0 ? ` ${transportPhrase(t)} (not a leak).` : '';
  if (n === 0) return paint(t > 0 ? SGR.yellow : SGR.green, `No leaked keys found.${transport} ${scanned}.`);
  const counts = (['critical', 'high', 'medium', 'low'] as const)
    .map((s) => [s, keys.filter((f) => f.severity === s).length] as const)
    .filter(([, c]) => c > 0)
    .map(([s, c]) => `${c} ${s}`)
    .join(', ');
  return paint(SGR.bold + SGR.red, `${n} leaked ${n === 1 ? 'key' : 'keys'} found (${counts}).${transport} ${scanned}.`);
}

const SKIP_LABEL: Readonly<Record<string, string>> = { tooLarge: 'too large', binary: 'binary', ignored: 'ignored', unreadable: 'unreadable' };

/** Milliseconds under a second (a fast scan is not "0.0 s"), seconds with one decimal above. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Human-readable size, decimal units as `du --si` and most download tools show them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(2)} GB`;
}

/**
 * File names and config-provided titles are attacker-controlled (a PR can add any path): control
 * characters would let them rewrite the terminal (ESC sequences) or forge extra report lines, and
 * bidirectional overrides would display a name other than the real one.
 */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
