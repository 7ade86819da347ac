import { isTransport } from './counts.js';
import type { Report, RotationEntry, SecretScope } from './model.js';
import { ownersOf, secretOwnersOf, type OwnerRule } from './owners.js';
import type { Finding } from '../scan/types.js';

/**
 * The part of the weekly issue a security owner works from: a checklist of what to do with owners and due
 * dates, what falls due next, and charts of secret ages and of the trend. Pure: the action hands in what
 * it read (CODEOWNERS, the config's owners, how many people a mention would reach).
 */

/** Resolved items stay ticked this long before they drop off, so a person sees what was done last month. */
export const RESOLVED_KEPT_DAYS = 28;

/** GitHub notifies every member of a mentioned team; above this many people the issue names owners without mentioning them. */
export const MAX_NOTIFIED_PEOPLE = 10;

/** Items shown and carried: the issue shares GitHub's 65,536 characters with the full report and the history. */
export const MAX_CHECKLIST_ITEMS = 25;

/** Bars in the secret-age chart: more are unreadable at GitHub's width; the table lists them all up to the cap. */
export const MAX_CHART_SECRETS = 20;

/** Rows of the secret-age table. */
export const MAX_AGE_ROWS = 30;

/** Audits the trend chart covers. */
export const TREND_AUDITS = 12;

/** How far ahead "due next" looks. */
export const DUE_NEXT_DAYS = 30;

const DAY_MS = 86_400_000;

/** Who owns what: the CODEOWNERS rules GitHub would use, and `rotation.owners` from the config. */
export interface Ownership {
  codeowners: readonly OwnerRule[];
  /** Where the CODEOWNERS rules came from, e.g. `.github/CODEOWNERS`; undefined when there is none. */
  codeownersPath?: string;
  secrets: ReadonlyArray<{ pattern: string; owners: readonly string[] }>;
}

/** A thing to do, as the checklist shows it and carries it from week to week. */
export interface ChecklistItem {
  /** Stable across runs: a finding's fingerprint, a secret's scope and name, an alert's number. */
  id: string;
  /** Markdown, already escaped: what to do and where. */
  text: string;
  /** YYYY-MM-DD. */
  due: string;
  owners: string[];
  /** YYYY-MM-DD the audit first saw it gone. */
  resolved?: string;
}

/** An open secret-scanning alert (the tracking issue's `AlertSummary`). */
export interface WeeklyAlert {
  number: number;
  secretType: string;
  createdAt: string;
  url: string;
}

/** One audit's totals, as the trend plots them. */
export interface TrendPoint {
  date: string;
  leaks: number;
  overdue: number;
  alerts: number;
}

export interface WeeklyOptions {
  ownership: Ownership;
  /** The `mention-owners` input. */
  mentions: boolean;
  /** People a mention of every owner would notify; undefined when a team's size could not be read. */
  notifiedPeople?: number;
  /** Secret and repository names may be shown (private repository, or `disclose-names`). */
  disclose: boolean;
}

/** What to do this week, one item per leaked key, credential in a variable, overdue or due-soon secret, and open alert. */
export function checklistItems(report: Report, alerts: readonly WeeklyAlert[], now: Date, options: Pick<WeeklyOptions, 'ownership' | 'disclose'>): ChecklistItem[] {
  const today = isoDay(now);
  const items: ChecklistItem[] = [];
  const { ownership } = options;
  for (const f of report.findings) {
    if (isTransport(f)) continue;
    if (f.source === 'variable') {
      const name = f.file.split('/').pop() ?? f.file;
      items.push({
        id: `variable:${f.fingerprint}`,
        text: `**Rotate** the ${plainText(f.title)} stored in variable ${linked(code(f.file), variablesUrl(report, f.file))} and move it to a secret`,
        due: today,
        owners: secretOwnersOf(name, ownership.secrets),
      });
      continue;
    }
    const where = linked(code(`${f.file}:${f.line}`), findingUrl(report, f));
    const history = f.source === 'history' ? ' (deleted, still in git history)' : '';
    items.push({ id: `key:${f.fingerprint}`, text: `**Revoke** the ${plainText(f.title)} at ${where}${history}`, due: today, owners: ownersOf(f.file, ownership.codeowners) });
  }
  const entries = (report.rotation?.entries ?? []).filter((e) => e.status === 'overdue' || e.status === 'due-soon');
  if (!options.disclose || report.rotation?.withheld !== undefined) {
    const overdue = entries.filter((e) => e.status === 'overdue');
    if (overdue.length > 0) {
      const earliest = overdue.map((e) => e.dueDate ?? today).sort()[0] ?? today;
      items.push({
        id: 'secrets:withheld',
        text: `**Rotate** ${overdue.length} overdue secret${overdue.length === 1 ? '' : 's'} (names are not shown in a public repository: see Settings → Secrets and variables)`,
        due: earliest,
        owners: [],
      });
    }
  } else {
    for (const e of entries) {
      items.push({
        id: `secret:${e.scope}:${e.repository ?? ''}:${e.environment ?? ''}:${e.name}`,
        text: `**Rotate** ${scopeLabel(e)} secret ${linked(code(e.name), settingsUrl(report, e))}${e.repository !== undefined && e.scope !== 'organization' ? ` of ${code(e.repository)}` : ''} (${e.ageDays} days old, policy ${e.maxAgeDays ?? '?'})`,
        due: e.dueDate ?? today,
        owners: secretOwnersOf(e.name, ownership.secrets),
      });
    }
  }
  for (const a of alerts) {
    items.push({
      id: `alert:${a.number}`,
      text: `**Close** secret-scanning alert ${linked(`#${a.number}`, safeUrl(a.url))} (${plainText(a.secretType)}) once the secret is revoked`,
      due: isoDay(new Date(a.createdAt)) || today,
      owners: [],
    });
  }
  return items;
}

/**
 * This week's items against last week's: an item still found stays open (a leaked key keeps the due date
 * it got when first seen); one no longer found is ticked with today's date, and drops off once it has
 * been resolved for four weeks; one that comes back is open again.
 */
export function mergeChecklist(current: readonly ChecklistItem[], previous: readonly ChecklistItem[], now: Date): ChecklistItem[] {
  const today = isoDay(now);
  const before = new Map(previous.map((p) => [p.id, p]));
  const seen = new Set<string>();
  const open: ChecklistItem[] = current.map((c) => {
    seen.add(c.id);
    const p = before.get(c.id);
    // Keys and variables are due the day they were found; keeping that date shows how long they have waited.
    const keepsDue = p !== undefined && p.resolved === undefined && !c.id.startsWith('secret');
    return { ...c, due: keepsDue ? p.due : c.due };
  });
  const resolved: ChecklistItem[] = [];
  for (const p of previous) {
    if (seen.has(p.id)) continue;
    const when = p.resolved ?? today;
    if (daysBetween(when, today) >= RESOLVED_KEPT_DAYS) continue;
    resolved.push({ ...p, resolved: when });
  }
  open.sort((a, b) => a.due.localeCompare(b.due) || a.id.localeCompare(b.id));
  resolved.sort((a, b) => (b.resolved ?? '').localeCompare(a.resolved ?? '') || a.id.localeCompare(b.id));
  return [...open, ...resolved].slice(0, MAX_CHECKLIST_ITEMS);
}

/** The checklist as a GitHub task list. Owners are mentions only where that notifies few enough people. */
export function renderChecklist(items: readonly ChecklistItem[], now: Date, mention: boolean, more = 0): string {
  const today = isoDay(now);
  if (items.length === 0) return '#### Checklist\n\nNothing to do this week.';
  const lines = items.map((i) => {
    if (i.resolved !== undefined) return `- [x] ~~${i.text.replace(/~/g, '\\~')}~~ · resolved ${i.resolved}`;
    const late = i.due < today ? ' **(overdue)**' : '';
    const owners = i.owners.length === 0 ? '' : ` · owners ${i.owners.map((o) => (mention ? o : code(o))).join(' ')}`;
    return `- [ ] ${i.text} · due ${i.due}${late}${owners}`;
  });
  const open = items.filter((i) => i.resolved === undefined).length;
  const head = `#### Checklist\n\n${open} open, ${items.length - open} resolved in the last ${RESOLVED_KEPT_DAYS / 7} weeks.`;
  const tail = more > 0 ? [`- ${more} more, not carried here: see the full report below.`] : [];
  return [head, '', ...lines, ...tail].join('\n');
}

/** Whether the owners may be mentioned: the input allows it and the mentions reach at most 10 people. */
export function mayMention(options: Pick<WeeklyOptions, 'mentions' | 'notifiedPeople'>): boolean {
  return options.mentions && options.notifiedPeople !== undefined && options.notifiedPeople <= MAX_NOTIFIED_PEOPLE;
}

/** Every distinct owner the checklist names (teams and users), for counting who a mention would notify. */
export function ownersNamed(items: readonly ChecklistItem[]): string[] {
  return [...new Set(items.filter((i) => i.resolved === undefined).flatMap((i) => i.owners))].sort();
}

/** Secrets due in the next 30 days, by date, so rotation can be planned. */
export function renderDueNext(report: Report, now: Date, options: Pick<WeeklyOptions, 'ownership' | 'disclose'>): string {
  const today = isoDay(now);
  const limit = isoDay(new Date(now.getTime() + DUE_NEXT_DAYS * DAY_MS));
  const due = (report.rotation?.entries ?? [])
    .filter((e) => e.dueDate !== undefined && e.status !== 'overdue' && e.status !== 'exempt' && e.dueDate >= today && e.dueDate <= limit)
    .sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? '') || a.name.localeCompare(b.name));
  const head = `#### Due in the next ${DUE_NEXT_DAYS} days`;
  if (report.rotation === undefined || report.rotation.status === 'skipped') return `${head}\n\nSecrets were not audited (no \`secrets-token\`).`;
  if (due.length === 0) return `${head}\n\nNo secret falls due before ${limit}.`;
  if (!options.disclose || report.rotation.withheld !== undefined) {
    return `${head}\n\n${due.length} secret${due.length === 1 ? '' : 's'} fall${due.length === 1 ? 's' : ''} due by ${limit} (names are not shown in a public repository).`;
  }
  const lines = due.slice(0, MAX_AGE_ROWS).map((e) => {
    const owners = secretOwnersOf(e.name, options.ownership.secrets);
    const repo = e.repository !== undefined && e.scope !== 'organization' ? ` of ${code(e.repository)}` : '';
    return `- ${e.dueDate}: ${scopeLabel(e)} secret ${code(e.name)}${repo}${owners.length > 0 ? ` · owners ${owners.map(code).join(' ')}` : ''}`;
  });
  const more = due.length > MAX_AGE_ROWS ? [`- and ${due.length - MAX_AGE_ROWS} more: see the rotation table of the full report.`] : [];
  return [head, '', ...lines, ...more].join('\n');
}

/**
 * Secret ages against the policy as a Mermaid bar chart (each secret a bar, its maximum age a line), with
 * the same figures as a table for readers without Mermaid. Empty when no secret may be named.
 */
export function renderAgeChart(report: Report, options: Pick<WeeklyOptions, 'disclose'>): string {
  const entries = (report.rotation?.entries ?? []).filter((e) => e.status !== 'exempt' && e.maxAgeDays !== undefined);
  if (entries.length === 0 || !options.disclose || report.rotation?.withheld !== undefined) return '';
  const sorted = [...entries].sort((a, b) => b.ageDays / (b.maxAgeDays ?? 1) - a.ageDays / (a.maxAgeDays ?? 1) || a.name.localeCompare(b.name));
  const charted = sorted.slice(0, MAX_CHART_SECRETS);
  const top = niceMax(Math.max(...charted.map((e) => Math.max(e.ageDays, e.maxAgeDays ?? 0))));
  const chart = [
    '```mermaid',
    'xychart-beta',
    '  title "Days since last rotation (bars) against the policy (line)"',
    `  x-axis [${charted.map((e) => chartLabel(entryLabel(e))).join(', ')}]`,
    `  y-axis "Days" 0 --> ${top}`,
    `  bar [${charted.map((e) => e.ageDays).join(', ')}]`,
    `  line [${charted.map((e) => e.maxAgeDays).join(', ')}]`,
    '```',
  ];
  const rows = sorted.slice(0, MAX_AGE_ROWS).map((e) => `| ${cellCode(entryLabel(e))} | ${e.ageDays} | ${e.maxAgeDays} | ${e.dueDate ?? '—'} | ${STATUS[e.status]} |`);
  const more = sorted.length > MAX_AGE_ROWS ? [``, `${sorted.length - MAX_AGE_ROWS} more secrets are in the rotation table of the full report.`] : [];
  const note = sorted.length > MAX_CHART_SECRETS ? ` The chart shows the ${MAX_CHART_SECRETS} nearest their limit.` : '';
  return [
    '#### Secret ages against the policy',
    '',
    ...chart,
    '',
    `The same as a table.${note}`,
    '',
    '| Secret | Age (days) | Policy (days) | Due | Status |',
    '| --- | ---: | ---: | --- | --- |',
    ...rows,
    ...more,
  ].join('\n');
}

/** Leaked keys, overdue secrets and open alerts over the last 12 audits, as a Mermaid line chart and a table. */
export function renderTrend(points: readonly TrendPoint[]): string {
  if (points.length === 0) return '';
  const shown = points.slice(-TREND_AUDITS);
  const top = niceMax(Math.max(1, ...shown.flatMap((p) => [p.leaks, p.overdue, p.alerts])));
  const chart = [
    '```mermaid',
    // Mermaid's xychart has no legend: fixed colours, named in the title, tell the lines apart.
    '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#cf222e, #bc4c00, #0969da"}}}}%%',
    'xychart-beta',
    '  title "Leaked keys (red), overdue secrets (orange), open alerts (blue)"',
    `  x-axis [${shown.map((p) => chartLabel(p.date)).join(', ')}]`,
    `  y-axis "Open" 0 --> ${top}`,
    `  line [${shown.map((p) => p.leaks).join(', ')}]`,
    `  line [${shown.map((p) => p.overdue).join(', ')}]`,
    `  line [${shown.map((p) => p.alerts).join(', ')}]`,
    '```',
  ];
  const rows = shown.map((p) => `| ${p.date} | ${p.leaks} | ${p.overdue} | ${p.alerts} |`);
  return [
    `#### Trend over the last ${shown.length === 1 ? 'audit' : `${shown.length} audits`}`,
    '',
    ...chart,
    '',
    '| Audit | Leaked keys | Overdue secrets | Open alerts |',
    '| --- | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

/**
 * The trend from the issue's dated history lines (newest first, as the issue keeps them). Lines of the
 * shards of one audit share a date and are added up; a second run on the same day counts once (its latest line).
 */
export function trendFromHistory(lines: readonly string[]): TrendPoint[] {
  const byDate = new Map<string, Map<string, TrendPoint>>();
  for (const line of lines) {
    const m = /^- (\d{4}-\d{2}-\d{2})( \(shard \d+\/\d+\))?: (.*)$/.exec(line);
    if (m === null) continue;
    const [, date = '', shard = '', text = ''] = m;
    const shards = byDate.get(date) ?? new Map<string, TrendPoint>();
    byDate.set(date, shards);
    if (shards.has(shard)) continue;
    const n = (what: RegExp): number => Number(what.exec(text)?.[1] ?? 0);
    shards.set(shard, { date, leaks: n(/(\d+) leaked key/), overdue: n(/(\d+) overdue secret/), alerts: n(/(\d+) open secret-scanning alert/) });
  }
  return [...byDate.entries()]
    .map(([date, shards]) => [...shards.values()].reduce((sum, p) => ({ date, leaks: sum.leaks + p.leaks, overdue: sum.overdue + p.overdue, alerts: sum.alerts + p.alerts }), { date, leaks: 0, overdue: 0, alerts: 0 }))
    .sort((a, b) => a.date.localeCompare(b.date))
    .slice(-TREND_AUDITS);
}

/** One line per repository of an organization audit: its counts and the team that owns it. */
export interface RepositoryLine {
  repository: string;
  overdue: number;
  dueSoon: number;
  variables: number;
  /** Default owners from the repository's CODEOWNERS (its catch-all rule); empty when it has none. */
  owners: string[];
}

/** Rows of the repositories table; the org audit reads owner teams for these only, so their cost is bounded. */
export const MAX_REPOSITORY_ROWS = 30;

/** Repositories most in need first: overdue secrets, then credentials in variables, then secrets due soon. */
export function rankRepositoryLines<T extends Omit<RepositoryLine, 'owners'>>(lines: readonly T[]): T[] {
  return [...lines].sort((a, b) => b.overdue - a.overdue || b.variables - a.variables || b.dueSoon - a.dueSoon || a.repository.localeCompare(b.repository));
}

/** The organization audit's repositories, most overdue first. Empty when names may not be shown. */
export function renderRepositoryLines(lines: readonly RepositoryLine[], options: Pick<WeeklyOptions, 'disclose'>): string {
  if (lines.length === 0 || !options.disclose) return '';
  const sorted = rankRepositoryLines(lines);
  const rows = sorted.slice(0, MAX_REPOSITORY_ROWS).map(
    (l) => `| ${cellCode(l.repository)} | ${l.overdue} | ${l.dueSoon} | ${l.variables} | ${l.owners.length === 0 ? '—' : l.owners.map(cellCode).join(' ')} |`,
  );
  const more = sorted.length > MAX_REPOSITORY_ROWS ? ['', `${sorted.length - MAX_REPOSITORY_ROWS} more repositories, with nothing more urgent, are in the full report.`] : [];
  return ['#### Repositories', '', '| Repository | Overdue | Due soon | Credentials in variables | Owner team |', '| --- | ---: | ---: | ---: | --- |', ...rows, ...more].join('\n');
}

const STATUS: Record<RotationEntry['status'], string> = { overdue: 'overdue', 'due-soon': 'due soon', ok: 'ok', exempt: 'exempt' };

const SCOPES: Record<SecretScope, string> = {
  actions: 'Actions',
  environment: 'environment',
  dependabot: 'Dependabot',
  codespaces: 'Codespaces',
  organization: 'organization',
};

function scopeLabel(e: RotationEntry): string {
  return e.scope === 'environment' && e.environment !== undefined ? `environment ${code(e.environment)}` : SCOPES[e.scope];
}

function entryLabel(e: RotationEntry): string {
  const env = e.environment !== undefined ? `${e.environment}/` : '';
  const repo = e.repository !== undefined && e.scope !== 'organization' ? `${e.repository.split('/').pop()}:` : '';
  return `${repo}${env}${e.name}`;
}

/** A quoted Mermaid label: only characters that cannot end the string or the directive. */
function chartLabel(s: string): string {
  const clean = s.replace(/[^A-Za-z0-9_ ./:-]/g, '_');
  return `"${clean.length > 28 ? `${clean.slice(0, 27)}…` : clean}"`;
}

/** A round upper bound for the y axis, a little above the largest value. */
function niceMax(n: number): number {
  const target = Math.max(1, Math.ceil(n * 1.1));
  const step = 10 ** Math.max(0, Math.floor(Math.log10(target)) - 1);
  return Math.ceil(target / step) * step;
}

function findingUrl(report: Report, f: Finding): string | undefined {
  const base = repoUrl(report);
  const sha = f.source === 'history' ? f.commit : report.target.headSha;
  if (base === undefined || sha === undefined || !/^[\w.-]+$/.test(sha)) return undefined;
  const lines = f.endLine > f.line ? `#L${f.line}-L${f.endLine}` : `#L${f.line}`;
  return `${base}/blob/${encodeSegment(sha)}/${f.file.split('/').map(encodeSegment).join('/')}${lines}`;
}

function variablesUrl(report: Report, file: string): string | undefined {
  const base = repoUrl(report);
  if (base === undefined) return undefined;
  if (file.startsWith('variables/')) return `${base}/settings/variables/actions`;
  if (file.startsWith('environments/')) return `${base}/settings/environments`;
  return undefined;
}

/** The settings page where the secret is replaced. */
function settingsUrl(report: Report, e: RotationEntry): string | undefined {
  const server = report.target.serverUrl === undefined ? undefined : safeUrl(report.target.serverUrl.replace(/\/+$/, ''));
  if (server === undefined || report.target.owner === undefined) return undefined;
  if (e.scope === 'organization') return `${server}/organizations/${encodeSegment(report.target.owner)}/settings/secrets/actions`;
  const repo =
    e.repository !== undefined && /^[\w.-]+\/[\w.-]+$/.test(e.repository)
      ? e.repository.split('/').map(encodeSegment).join('/')
      : report.target.repo === undefined
        ? undefined
        : `${encodeSegment(report.target.owner)}/${encodeSegment(report.target.repo)}`;
  if (repo === undefined) return undefined;
  const page = e.scope === 'environment' ? 'environments' : e.scope === 'actions' ? 'secrets/actions' : `secrets/${e.scope}`;
  return `${server}/${repo}/settings/${page}`;
}

function repoUrl(report: Report): string | undefined {
  const { serverUrl, owner, repo } = report.target;
  if (serverUrl === undefined || owner === undefined || repo === undefined) return undefined;
  const server = safeUrl(serverUrl.replace(/\/+$/, ''));
  return server === undefined ? undefined : `${server}/${encodeSegment(owner)}/${encodeSegment(repo)}`;
}

/** Only plain http(s) URLs become links; anything else (javascript:, spaces, parentheses) is dropped. */
function safeUrl(url: string): string | undefined {
  return /^https?:\/\/[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+$/.test(url) && !/[()]/.test(url) ? url : undefined;
}

/** encodeURIComponent leaves parentheses, which would end a Markdown link destination early. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function linked(label: string, url: string | undefined): string {
  return url === undefined ? label : `[${label}](${url})`;
}

// eslint-disable-next-line no-control-regex
const UNSEEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/**
 * Repository-controlled text as a Markdown code span: GitHub renders nothing inside it as markup, a
 * mention or a reference, and the raw text stays readable. Invisible and control characters are shown as escapes.
 */
function code(s: string): string {
  const visible = s.replace(UNSEEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const longest = Math.max(0, ...(visible.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = visible.startsWith('`') || visible.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${visible}${pad}${fence}`;
}

/** A code span inside a table cell: GitHub splits cells on `|` even inside code unless it is escaped. */
function cellCode(s: string): string {
  return code(s).replace(/\|/g, '\\|');
}

/** A short name (a rule title, an alert type) as prose: a code span when it holds anything Markdown could read. */
function plainText(s: string): string {
  return /^[A-Za-z0-9 ,.'()/-]+$/.test(s) && !/\.\w/.test(s) ? s : code(s);
}

function isoDay(d: Date): string {
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
