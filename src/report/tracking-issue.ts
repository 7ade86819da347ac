import { isTransport, transportPhrase } from './counts.js';
import type { Finding } from '../scan/types.js';
import type { Report } from './model.js';
import {
  checklistItems,
  mayMention,
  mergeChecklist,
  renderAgeChart,
  renderChecklist,
  renderDueNext,
  renderRepositoryLines,
  renderTrend,
  trendFromHistory,
  MAX_CHECKLIST_ITEMS,
  type ChecklistItem,
  type RepositoryLine,
  type WeeklyOptions,
} from './weekly.js';

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
  /** Keyed APIs reached over plain http://: reported, but no leak and alone nothing the issue opens for. */
  transport: number;
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
  const keys = report.findings.filter((f) => !isTransport(f));
  return {
    leaks: keys.filter((f) => f.source === 'file' || f.source === 'added').length,
    transport: report.findings.length - keys.length,
    history: keys.filter((f) => f.source === 'history').length,
    variables: keys.filter((f) => f.source === 'variable').length,
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

/**
 * Something a person must act on: a leak anywhere, an overdue secret, an open secret-scanning alert or a
 * flagged provider key. A plain-http API URL alone is not: like `fail-on: leaks`, the issue does not open for one.
 */
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
  if (c.transport > 0) parts.push(transportPhrase(c.transport));
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

/** The last audited commit and the keys found only in git history since the first audit (no values). */
export interface HistoryState {
  sha: string;
  findings: Finding[];
}

/** One shard's part of the issue; an unsharded run owns the single section `all`. */
export interface IssueSection {
  index: number;
  total: number;
}

/** History findings the marker carries; more are reported but not carried, to keep the body within GitHub's limit. */
export const MAX_CARRIED_HISTORY_FINDINGS = 100;

const HISTORY_STATE = /<!-- key-hygiene:history-scan:([A-Za-z0-9+/=]*) -->/;
const SECTION = /<!-- key-hygiene:section:([a-z0-9-]+):start:([A-Za-z0-9+/=]*) -->\n([\s\S]*?)\n<!-- key-hygiene:section:\1:end -->/g;

/**
 * The issue body: marker, the combined verdict, one section per shard (this run's replaces its own, the
 * others' are kept as the previous body had them), and the dated history. Each section carries its counts
 * in a hidden marker, so the verdict, and whether the issue should be open, is the sum over all shards
 * whatever order they finished in.
 */
export function mergeTrackingIssue(args: {
  report: Report;
  alerts: readonly AlertSummary[];
  previousBody?: string;
  now: Date;
  renderReport: (report: Report) => string;
  section?: IssueSection;
  history?: HistoryState;
  /** The work list, owners and charts; without it the issue is the report alone. */
  weekly?: WeeklyOptions & { repositories?: readonly RepositoryLine[] };
}): { body: string; counts: AuditCounts; sectionText: string; weeklyText: string } {
  const own = countAudit(args.report, args.alerts);
  const date = args.now.toISOString().slice(0, 10);
  const id = sectionId(args.section);
  const label = args.section === undefined ? '' : ` (shard ${args.section.index}/${args.section.total})`;
  const historyLines = [`- ${date}${label}: ${describeCounts(own)}`, ...previousHistory(args.previousBody)].slice(0, MAX_HISTORY_LINES);

  const ownParts: string[] = [];
  if (args.section !== undefined) ownParts.push(`### Shard ${args.section.index}/${args.section.total} (audit of ${date})`, '');
  const weeklyParts = args.weekly === undefined ? [] : renderWeeklySection(args.report, args.alerts, args.now, args.weekly, readChecklist(sectionOf(args.previousBody, args.section)));
  ownParts.push(...weeklyParts);
  ownParts.push(args.renderReport(args.report));
  if (args.alerts.length > 0) {
    ownParts.push('', '### Open secret-scanning alerts', '', '| Alert | Type | Opened | Validity |', '| --- | --- | --- | --- |');
    for (const a of args.alerts) {
      ownParts.push(`| [#${a.number}](${a.url}) | ${escapeCell(a.secretType)} | ${a.createdAt.slice(0, 10)} | ${escapeCell(a.validity ?? 'unknown')} |`);
    }
  }
  const sectionText = `<!-- key-hygiene:section:${id}:start:${encode(own)} -->\n${ownParts.join('\n')}\n<!-- key-hygiene:section:${id}:end -->`;

  // Sections of other shards of the same matrix are kept; an unsharded run, or a matrix of another size, starts over.
  const sections = new Map<string, { text: string; counts: AuditCounts }>();
  if (args.section !== undefined) {
    for (const s of previousSections(args.previousBody)) {
      const m = /^shard-(\d+)-of-(\d+)$/.exec(s.id);
      if (m !== null && Number(m[2]) === args.section.total && s.id !== id) sections.set(s.id, s);
    }
  }
  sections.set(id, { text: sectionText, counts: own });
  const ordered = [...sections.entries()].sort(([a], [b]) => sectionOrder(a) - sectionOrder(b));
  const counts = ordered.reduce((sum, [, s]) => addCounts(sum, s.counts), zeroCounts());

  const state = args.history ?? readHistoryState(args.previousBody);
  const verdict = isActionable(counts)
    ? `**Action needed** (audit of ${date}): ${describeCounts(counts)}.`
    : `**All clean** (audit of ${date}): ${describeCounts(counts)}.`;
  const trend = args.weekly === undefined ? '' : renderTrend(trendFromHistory(historyLines));
  const parts = [TRACKING_MARKER];
  if (state !== undefined) parts.push(renderHistoryState(state));
  parts.push(verdict, '');
  if (trend !== '') parts.push(trend, '');
  for (const [, s] of ordered) parts.push(s.text, '');
  parts.push('<details><summary>History</summary>', '', HISTORY_START, ...historyLines, HISTORY_END, '', '</details>', '');
  const weeklyText = [trend, ...weeklyParts.filter((p) => !p.startsWith(CHECKLIST_PREFIX))].filter((p) => p !== '').join('\n');
  return { body: parts.join('\n'), counts, sectionText, weeklyText };
}

const CHECKLIST_PREFIX = '<!-- key-hygiene:checklist:';
const CHECKLIST_STATE = /<!-- key-hygiene:checklist:([A-Za-z0-9+/=]*) -->/;

/** The checklist a previous audit left in its section, or none (a person edited the marker away). */
function readChecklist(sectionText: string | undefined): ChecklistItem[] {
  const m = sectionText === undefined ? null : CHECKLIST_STATE.exec(sectionText);
  if (m === null) return [];
  try {
    const value = JSON.parse(Buffer.from(m[1] ?? '', 'base64').toString('utf8')) as unknown;
    if (!Array.isArray(value)) return [];
    return value.filter(
      (i): i is ChecklistItem =>
        typeof i === 'object' && i !== null && typeof i.id === 'string' && typeof i.text === 'string' && typeof i.due === 'string' && Array.isArray(i.owners) && (i.resolved === undefined || typeof i.resolved === 'string'),
    );
  } catch {
    return [];
  }
}

/**
 * The parts of a section a security owner works from: the checklist (its state in a hidden marker, base64
 * so no `-->` in a path can end the comment), what falls due next, the secret-age chart and, in an
 * organization audit, a line per repository. Blank-line separated blocks.
 */
function renderWeeklySection(
  report: Report,
  alerts: readonly AlertSummary[],
  now: Date,
  weekly: WeeklyOptions & { repositories?: readonly RepositoryLine[] },
  previous: ChecklistItem[],
): string[] {
  const current = checklistItems(report, alerts, now, weekly);
  const items = mergeChecklist(current, previous, now);
  const more = Math.max(0, current.length - MAX_CHECKLIST_ITEMS);
  const blocks = [
    `${CHECKLIST_PREFIX}${Buffer.from(JSON.stringify(items), 'utf8').toString('base64')} -->`,
    renderChecklist(items, now, mayMention(weekly), more),
    renderDueNext(report, now, weekly),
    renderAgeChart(report, weekly),
    renderRepositoryLines(weekly.repositories ?? [], weekly),
  ].filter((b) => b !== '');
  return blocks.flatMap((b, i) => (i === 0 ? [b] : [b, '']));
}

/** The issue body for an unsharded run (see `mergeTrackingIssue`). */
export function renderTrackingIssue(args: {
  report: Report;
  alerts: readonly AlertSummary[];
  previousBody?: string;
  now: Date;
  renderReport: (report: Report) => string;
}): string {
  return mergeTrackingIssue(args).body;
}

/** The section a shard owns in the body, exactly as written, or undefined. */
export function sectionOf(body: string | undefined, section: IssueSection | undefined): string | undefined {
  const id = sectionId(section);
  const found = previousSections(body).find((s) => s.id === id);
  return found?.text;
}

/** The counts summed over the sections of a body that belong to the same matrix as `section`. */
export function countSections(body: string | undefined, section: IssueSection | undefined): AuditCounts {
  const id = sectionId(section);
  return previousSections(body)
    .filter((s) => (section === undefined ? s.id === id : new RegExp(`^shard-\\d+-of-${section.total}$`).test(s.id)))
    .reduce((sum, s) => addCounts(sum, s.counts), zeroCounts());
}

/** The history-scan state a previous audit left in the body, if any. */
export function readHistoryState(body: string | undefined): HistoryState | undefined {
  const m = body === undefined ? null : HISTORY_STATE.exec(body);
  if (m === null) return undefined;
  try {
    const value = JSON.parse(Buffer.from(m[1] ?? '', 'base64').toString('utf8')) as Partial<HistoryState>;
    if (typeof value.sha !== 'string' || !/^[0-9a-f]{40}$/i.test(value.sha) || !Array.isArray(value.findings)) return undefined;
    const findings = value.findings.filter(
      (f): f is Finding => typeof f === 'object' && f !== null && typeof f.fingerprint === 'string' && typeof f.file === 'string' && typeof f.ruleId === 'string',
    );
    return { sha: value.sha, findings: findings.map((f) => ({ ...f, source: 'history' as const })) };
  } catch {
    // A person edited the marker: treat it as absent, which costs one full history scan.
    return undefined;
  }
}

/** Base64 inside an HTML comment: JSON could contain `-->` and end the comment early. */
function renderHistoryState(state: HistoryState): string {
  const findings = state.findings.slice(0, MAX_CARRIED_HISTORY_FINDINGS).map((f) => {
    // Only what the report already shows: the secret itself never leaves the engine.
    const { verification: _verification, ...kept } = f;
    return kept;
  });
  return `<!-- key-hygiene:history-scan:${Buffer.from(JSON.stringify({ sha: state.sha, findings }), 'utf8').toString('base64')} -->`;
}

function sectionId(section: IssueSection | undefined): string {
  return section === undefined ? 'all' : `shard-${section.index}-of-${section.total}`;
}

function sectionOrder(id: string): number {
  const m = /^shard-(\d+)-of-\d+$/.exec(id);
  return m === null ? 0 : Number(m[1]);
}

function previousSections(body: string | undefined): Array<{ id: string; text: string; counts: AuditCounts }> {
  if (body === undefined) return [];
  const found: Array<{ id: string; text: string; counts: AuditCounts }> = [];
  for (const m of body.matchAll(SECTION)) {
    let counts: AuditCounts;
    try {
      counts = { ...zeroCounts(), ...(JSON.parse(Buffer.from(m[2] ?? '', 'base64').toString('utf8')) as Partial<AuditCounts>) };
    } catch {
      continue;
    }
    found.push({ id: m[1] ?? '', text: m[0], counts });
  }
  return found;
}

function encode(counts: AuditCounts): string {
  return Buffer.from(JSON.stringify(counts), 'utf8').toString('base64');
}

function zeroCounts(): AuditCounts {
  return { leaks: 0, transport: 0, history: 0, variables: 0, overdue: 0, dueSoon: 0, alerts: 0, unreadable: 0 };
}

function addCounts(a: AuditCounts, b: AuditCounts): AuditCounts {
  const out = zeroCounts();
  for (const k of Object.keys(out) as Array<keyof AuditCounts>) out[k] = (a[k] ?? 0) + (Number(b[k]) || 0);
  return out;
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
    .filter((l) => /^- \d{4}-\d{2}-\d{2}(?: \(shard \d+\/\d+\))?: /.test(l));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function escapeCell(text: string): string {
  return text.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}
