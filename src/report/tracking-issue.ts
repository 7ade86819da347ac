import type { Report } from './model.js';

/** Hidden markers: the first finds the action's own issue, the other two fence the dated history. */
export const TRACKING_MARKER = '<!-- key-hygiene:tracking-issue -->';
const HISTORY_START = '<!-- key-hygiene:history:start -->';
const HISTORY_END = '<!-- key-hygiene:history:end -->';

/** A year of weekly runs; older lines drop off so the body stays far below GitHub's 65,536 characters. */
export const MAX_HISTORY_LINES = 52;

export const TRACKING_TITLE = 'Key hygiene: weekly audit';

/** An open secret-scanning alert as the issue shows it (never its value). */
export interface AlertSummary {
  number: number;
  secretType: string;
  createdAt: string;
  url: string;
  validity?: string;
}

export interface AuditCounts {
  leaks: number;
  history: number;
  variables: number;
  overdue: number;
  dueSoon: number;
  alerts: number;
  /** Listings the token could not read. */
  unreadable: number;
  /** Flagged OpenAI and Anthropic keys (the Provider keys section); undefined when the inventory was not shown. */
  providerKeys?: number;
}

/** What the weekly audit found, counted the way the issue and the log report it. */
export function countAudit(report: Report, alerts: readonly AlertSummary[]): AuditCounts {
  const rotation = report.rotation?.entries ?? [];
  return {
    leaks: report.findings.filter((f) => f.source === 'file' || f.source === 'added').length,
    history: report.findings.filter((f) => f.source === 'history').length,
    variables: report.findings.filter((f) => f.source === 'variable').length,
    overdue: rotation.filter((e) => e.status === 'overdue').length,
    dueSoon: rotation.filter((e) => e.status === 'due-soon').length,
    alerts: alerts.length,
    unreadable: report.rotation?.status === 'partial' ? report.rotation.problems.length : 0,
    ...(report.providerKeys !== undefined ? { providerKeys: flaggedProviderKeys(report.providerKeys) } : {}),
  };
}

/** Provider keys with a flag other than being an admin key: those need someone to act. */
export function flaggedProviderKeys(section: NonNullable<Report['providerKeys']>): number {
  return section.keys.filter((k) => k.flags.some((f) => f.kind !== 'admin')).length;
}

/** Something a person must act on: a leak anywhere, an overdue secret, an open secret-scanning alert or a flagged provider key. */
export function isActionable(c: AuditCounts): boolean {
  return c.leaks + c.history + c.variables + c.overdue + c.alerts + (c.providerKeys ?? 0) > 0;
}

/** One line for the history and the log, e.g. `2 leaked keys, 1 overdue secret, 0 open alerts`. */
export function describeCounts(c: AuditCounts): string {
  const parts = [
    plural(c.leaks + c.history + c.variables, 'leaked key'),
    plural(c.overdue, 'overdue secret'),
    plural(c.dueSoon, 'secret due soon', 'secrets due soon'),
    plural(c.alerts, 'open secret-scanning alert'),
  ];
  if (c.providerKeys !== undefined) parts.push(plural(c.providerKeys, 'provider key flagged', 'provider keys flagged'));
  if (c.unreadable > 0) parts.push(plural(c.unreadable, 'listing not readable', 'listings not readable'));
  return parts.join(', ');
}

export type IssueAction = 'create' | 'update' | 'close' | 'reopen' | 'none';

/**
 * What to do with the tracking issue. One issue for the life of the repository: created when there is
 * something to act on, kept current while there is, closed when all is clean, reopened when problems
 * return. A closed issue on a clean run is left alone, so quiet weeks cause no notifications.
 */
export function planIssue(existing: { state: 'open' | 'closed' } | undefined, actionable: boolean): IssueAction {
  if (existing === undefined) return actionable ? 'create' : 'none';
  if (existing.state === 'open') return actionable ? 'update' : 'close';
  return actionable ? 'reopen' : 'none';
}

/**
 * The issue body: marker, verdict, the report (rendered by the same Markdown renderer as the job
 * summary, passed in), open alerts, and the dated history carried over from the previous body.
 */
export function renderTrackingIssue(args: {
  report: Report;
  alerts: readonly AlertSummary[];
  previousBody?: string;
  now: Date;
  renderReport: (report: Report) => string;
}): string {
  const counts = countAudit(args.report, args.alerts);
  const date = args.now.toISOString().slice(0, 10);
  const history = [`- ${date}: ${describeCounts(counts)}`, ...previousHistory(args.previousBody)].slice(0, MAX_HISTORY_LINES);
  const verdict = isActionable(counts)
    ? `**Action needed** (audit of ${date}): ${describeCounts(counts)}.`
    : `**All clean** (audit of ${date}): ${describeCounts(counts)}.`;
  const parts = [TRACKING_MARKER, verdict, '', args.renderReport(args.report)];
  if (args.alerts.length > 0) {
    parts.push('', '### Open secret-scanning alerts', '', '| Alert | Type | Opened | Validity |', '| --- | --- | --- | --- |');
    for (const a of args.alerts) {
      parts.push(`| [#${a.number}](${a.url}) | ${escapeCell(a.secretType)} | ${a.createdAt.slice(0, 10)} | ${escapeCell(a.validity ?? 'unknown')} |`);
    }
  }
  parts.push('', '<details><summary>History</summary>', '', HISTORY_START, ...history, HISTORY_END, '', '</details>', '');
  return parts.join('\n');
}

function previousHistory(body: string | undefined): string[] {
  if (body === undefined) return [];
  const start = body.indexOf(HISTORY_START);
  const end = body.indexOf(HISTORY_END);
  if (start === -1 || end < start) return [];
  return body
    .slice(start + HISTORY_START.length, end)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^- \d{4}-\d{2}-\d{2}: /.test(l));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function escapeCell(text: string): string {
  return text.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}
