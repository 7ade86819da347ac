import type { Finding, Severity } from '../scan/types.js';
import { isTransport, transportPhrase } from './counts.js';
import { MAX_CHECK_SUMMARY_LENGTH, MAX_COMMENT_LENGTH, MAX_JOB_SUMMARY_BYTES } from './limits.js';
import type { AssessedKey, KeyFlag } from '../inventory/assess.js';
import type { ProviderKeysReport, Report, ReportTarget, RotationEntry, RotationReport } from './model.js';
import { ACTIVE_KEY_LINE, bySeverity } from './sort.js';
import { formatBytes } from './text.js';

/** Where the Markdown goes: each has its own size limit and a slightly different layout. */
export type MarkdownSurface = 'comment' | 'check' | 'summary';

export interface MarkdownOptions {
  surface: MarkdownSurface;
  /** Hidden HTML comment by which the action finds its own PR comment again; first line of the body. */
  marker?: string;
  /** Overrides the surface's GitHub limit (characters, or bytes for the job summary). */
  maxLength?: number;
  /** The previous run reported findings: a clean run then says they were fixed. */
  previouslyHadFindings?: boolean;
  /** The config file named in the suppression hint. */
  configPath?: string;
}

/** The GitHub limit for each surface. The job summary is limited in bytes, the others in characters. */
export const MARKDOWN_LIMITS: Readonly<Record<MarkdownSurface, number>> = {
  comment: MAX_COMMENT_LENGTH,
  check: MAX_CHECK_SUMMARY_LENGTH,
  summary: MAX_JOB_SUMMARY_BYTES,
};

const DEFAULT_CONFIG_PATH = '.github/key-hygiene.yml';
/** Enough fingerprints to copy for a typical false positive without turning the hint into a second report. */
const MAX_FINGERPRINT_EXAMPLES = 20;
const MAX_NOTES = 20;
const MAX_NOTE_LENGTH = 1000;
/** Flagged provider keys listed; a large organization's inventory belongs in the JSON report, not a table. */
export const MAX_PROVIDER_KEY_ROWS = 50;

/** A no-break space between the dot and the word, so a narrow Severity column never wraps the label. */
const SEVERITY_LABEL: Readonly<Record<Severity, string>> = {
  critical: '🔴\u00a0Critical',
  high: '🟠\u00a0High',
  medium: '🟡\u00a0Medium',
  low: '🔵\u00a0Low',
};

const ROTATION_ORDER: Readonly<Record<RotationEntry['status'], number>> = { overdue: 0, 'due-soon': 1, ok: 2, exempt: 3 };

/**
 * The Markdown report for a PR comment, a check run summary or the job summary. Everything that comes
 * from a repository (paths, rule titles from the config, environment names) is escaped, so a hostile
 * file name can neither break the tables nor inject HTML, mentions or links.
 *
 * The result stays within the surface's GitHub limit: when the full report is too long, the most severe
 * findings are kept and the rest counted; rows are dropped whole, so no table row or code fence is cut.
 */
export function renderMarkdown(report: Report, options: MarkdownOptions): string {
  const max = options.maxLength ?? MARKDOWN_LIMITS[options.surface];
  const measure = options.surface === 'summary' ? (s: string) => Buffer.byteLength(s, 'utf8') : (s: string) => s.length;
  const fits = (s: string): boolean => measure(s) <= max;

  const findings = [...report.findings].sort(bySeverity);
  const rotation = report.rotation === undefined ? [] : [...report.rotation.entries].sort(byUrgency);
  const render = (shownFindings: number, shownRotation: number): string =>
    compose(report, options, findings.slice(0, shownFindings), findings.length, rotation.slice(0, shownRotation), rotation.length);

  const full = render(findings.length, rotation.length);
  if (fits(full)) return full;

  // Findings matter more than rotation rows: first drop the least severe findings.
  const k = largestFitting(findings.length, (n) => fits(render(n, rotation.length)));
  if (k !== undefined) return render(k, rotation.length);
  // The rotation table alone is too long (a large organization): trim it, then fit what findings remain room.
  const r = largestFitting(rotation.length, (n) => fits(render(0, n)));
  if (r !== undefined) {
    const k2 = largestFitting(findings.length, (n) => fits(render(n, r))) ?? 0;
    return render(k2, r);
  }
  return minimal(report, options);
}

/** The largest n in [0, total] for which `ok(n)` holds, assuming it holds for every smaller n; undefined if not even for 0. */
function largestFitting(total: number, ok: (n: number) => boolean): number | undefined {
  if (!ok(0)) return undefined;
  let lo = 0;
  let hi = total;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function compose(
  report: Report,
  options: MarkdownOptions,
  shown: Finding[],
  totalFindings: number,
  rotationShown: RotationEntry[],
  totalRotation: number,
): string {
  const blocks: string[] = [];
  const head: string[] = [];
  if (options.marker !== undefined && options.surface === 'comment') head.push(options.marker);
  if (options.surface !== 'check') head.push('### 🔑 key-hygiene');
  blocks.push([...head, '', verdict(report, options)].join('\n').replace(/^\n/, ''));
  if (report.findings.some((f) => !isTransport(f))) {
    blocks.push(
      "**First** revoke each key at its provider (the key's name below links there), **then** remove it from the branch: the key was pushed, so deleting it alone does not stop anyone who saw it.",
    );
  }

  const keys = shown.filter((f) => !isTransport(f));
  const current = keys.filter((f) => f.source !== 'history');
  const history = keys.filter((f) => f.source === 'history');
  const transport = shown.filter(isTransport);
  if (current.length > 0) blocks.push(findingsTable(current, report.target, false));
  if (history.length > 0) {
    blocks.push(
      [
        '#### Removed in a later commit but still in git history: rotate them',
        '',
        'Deleting a key in a later commit does not unpublish it: anyone who can read the history can still use it until it is revoked.',
        '',
        findingsTable(history, report.target, true),
      ].join('\n'),
    );
  }
  if (transport.length > 0) {
    blocks.push(
      [
        '#### Keyed APIs reached over plain http://',
        '',
        'No key leaked here, but these lines point an API client at `http://`: every request would carry its key unencrypted. Use `https://`.',
        '',
        transportTable(transport, report.target),
      ].join('\n'),
    );
  }
  const left = totalFindings - shown.length;
  if (left > 0) {
    blocks.push(
      `_${left} less severe ${left === 1 ? 'finding is' : 'findings are'} not listed, to stay within GitHub's size limit for this ${surfaceName(options.surface)}. ` +
        'Run `npx key-hygiene scan` locally or use the SARIF or JSON output for the full list._',
    );
  }
  const suppressed = report.suppressedInChange ?? [];
  if (suppressed.length > 0) blocks.push(suppressedSection(suppressed, report.target));
  if (shown.length > 0) blocks.push(suppressionHint([...current, ...history, ...transport], options.configPath ?? DEFAULT_CONFIG_PATH));
  if (report.rotation !== undefined) blocks.push(rotationSection(report.rotation, rotationShown, totalRotation, options.surface));
  if (report.providerKeys !== undefined) blocks.push(providerKeysSection(report.providerKeys));
  if (report.notes.length > 0) blocks.push(notesSection(report.notes));
  blocks.push(footer(report, options.surface));
  return `${blocks.join('\n\n')}\n`;
}

/** Rows of the "suppressed in this change" table; the count says how many more there are. */
const MAX_SUPPRESSED_ROWS = 20;

/** Findings the change silenced itself with an allow marker: listed for reviewers to accept or refuse. */
function suppressedSection(suppressed: readonly Finding[], target: ReportTarget): string {
  const shown = [...suppressed].sort(bySeverity).slice(0, MAX_SUPPRESSED_ROWS);
  const more = suppressed.length - shown.length;
  return [
    `#### Suppressed in this change: ${suppressed.length} ${suppressed.length === 1 ? 'finding' : 'findings'}`,
    '',
    'This change adds `key-hygiene:allow` next to these keys. A change cannot approve its own keys: a reviewer should confirm each is not a real key, or ask for it to be removed and revoked.',
    '',
    findingsTable(shown, target, false),
    ...(more > 0 ? ['', `_${more} more not listed; see the JSON report._`] : []),
  ].join('\n');
}

/** Used when even the verdict with no table does not fit: only with an absurd maxLength or marker. */
function minimal(report: Report, options: MarkdownOptions): string {
  const lines: string[] = [];
  if (options.marker !== undefined && options.surface === 'comment') lines.push(options.marker);
  lines.push(verdict(report, options), '', '_The full report is too long for this view; see the SARIF or JSON output._');
  return `${lines.join('\n')}\n`;
}

function verdict(report: Report, options: MarkdownOptions): string {
  const keys = report.findings.filter((f) => !isTransport(f));
  const n = keys.length;
  const where = scopeOf(report.target);
  let line: string;
  if (n > 0) {
    const inHistory = keys.filter((f) => f.source === 'history').length;
    const historyNote = inHistory > 0 && inHistory < n ? ` (${inHistory} only in git history)` : '';
    line = `🔴 **${n} leaked ${n === 1 ? 'key' : 'keys'} found ${where}**${historyNote}`;
  } else if (options.previouslyHadFindings === true) {
    line = '✅ **No leaked keys: the earlier findings were fixed.** Keys that were pushed stay in git history, so make sure they were revoked.';
  } else {
    line = `✅ **No leaked keys found ${where}**`;
  }
  // Counted apart and never as a key: a plain-http URL alone leaves the verdict green.
  const transport = report.findings.length - n;
  if (transport > 0) line += ` · ⚠️ ${transportPhrase(transport)} (no key leaked)`;
  const overdue = report.rotation?.entries.filter((e) => e.status === 'overdue').length ?? 0;
  if (overdue > 0) line += ` · ⚠️ ${overdue} ${overdue === 1 ? 'secret is' : 'secrets are'} overdue for rotation`;
  return line;
}

function scopeOf(target: ReportTarget): string {
  switch (target.kind) {
    case 'pull_request':
      return 'in this pull request';
    case 'push':
      return 'in this push';
    case 'merge_group':
      return 'in this merge group';
    case 'schedule':
      return 'in the repository';
    case 'local':
      return 'in the scanned files';
  }
}

function surfaceName(surface: MarkdownSurface): string {
  return surface === 'comment' ? 'comment' : surface === 'check' ? 'check run' : 'job summary';
}

/**
 * The key's name links to the provider's page where it is revoked. A note shared by several rows (the two
 * halves of an AWS key pair) is said in full once; the later rows point back to it.
 */
function findingsTable(findings: Finding[], target: ReportTarget, history: boolean): string {
  const header = history
    ? ['| Severity | Key | Location | Added in | Preview | What to do |', '| --- | --- | --- | --- | --- | --- |']
    : ['| Severity | Key | Location | Preview | What to do |', '| --- | --- | --- | --- | --- |'];
  const saidAt = new Map<string, string>();
  const rows = findings.map((f) => {
    const cells = [SEVERITY_LABEL[f.severity], keyName(f), location(f, target)];
    if (history) cells.push(commitCell(f, target));
    cells.push(preview(f), remedy(f, saidAt));
    return `| ${cells.join(' | ')} |`;
  });
  return [...header, ...rows].join('\n');
}

function keyName(f: Finding): string {
  const url = safeUrl(f.remediation.url);
  return url === undefined ? text(f.title) : `[${text(f.title)}](${url} "Revoke or rotate it here")`;
}

function transportTable(findings: Finding[], target: ReportTarget): string {
  const rows = findings.map((f) => {
    const url = safeUrl(f.remediation.url);
    return `| ${location(f, target)} | ${code(f.redacted)} | ${text(f.remediation.text)}${url !== undefined ? ` [Why](${url})` : ''} |`;
  });
  return ['| Location | API host | What to do |', '| --- | --- | --- |', ...rows].join('\n');
}

function location(f: Finding, target: ReportTarget): string {
  const label = code(`${f.file}:${f.line}`);
  // A history finding is gone from the head; it is visible at the commit that added it.
  const sha = f.source === 'history' ? f.commit : f.source === 'variable' ? undefined : target.headSha;
  const base = repoUrl(target);
  if (base === undefined || sha === undefined || !/^[0-9a-f]{7,64}$/i.test(sha)) return label;
  const lines = f.endLine > f.line ? `#L${f.line}-L${f.endLine}` : `#L${f.line}`;
  return `[${label}](${base}/blob/${sha}/${encodePath(f.file)}${lines})`;
}

function commitCell(f: Finding, target: ReportTarget): string {
  if (f.commit === undefined || !/^[0-9a-f]{7,64}$/i.test(f.commit)) return '—';
  const label = code(f.commit.slice(0, 7));
  const base = repoUrl(target);
  return base === undefined ? label : `[${label}](${base}/commit/${f.commit})`;
}

function preview(f: Finding): string {
  const live = f.verification?.status === 'live' ? ` **${ACTIVE_KEY_LINE}**` : f.verification?.status === 'revoked' ? ' (revoked)' : '';
  return code(f.redacted) + live;
}

/** `saidAt`: notes already shown in this table, by the location of the row that said them. */
function remedy(f: Finding, saidAt: Map<string, string>): string {
  // A finding's own notes (a key id next to its secret: a working pair) come first: they change the urgency.
  const notes = (f.notes ?? [])
    .map((n) => {
      const at = saidAt.get(n);
      if (at !== undefined) return `**Paired with ${at}: see that row.** `;
      saidAt.set(n, code(`${f.file}:${f.line}`));
      return `**${text(n)}** `;
    })
    .join('');
  return notes + text(f.remediation.text);
}

function suppressionHint(shown: Finding[], configPath: string): string {
  const examples = shown.slice(0, MAX_FINGERPRINT_EXAMPLES).map((f) => `    - ${f.fingerprint}  # ${oneLine(`${f.file}:${f.line}`)}`);
  const body = ['allow:', '  fingerprints:', ...examples].join('\n');
  const fence = fenceFor(body);
  return [
    '<details><summary>How to suppress a false positive</summary>',
    '',
    'If a finding is not a real key (a test fixture, a documented example), either:',
    '',
    `- add \`key-hygiene:allow\` in a comment on the same line, or`,
    `- add its fingerprint to \`allow.fingerprints\` in ${code(configPath, 'prose')}:`,
    '',
    `${fence}yaml`,
    body,
    fence,
    '',
    'A real key stays usable by whoever saw it: revoke it rather than suppressing the finding.',
    '',
    '</details>',
  ].join('\n');
}

/**
 * On the pull request comment the table is folded under `<details>`, and left out when nothing is overdue:
 * a reviewer of a change needs to act only on overdue secrets; the job summary and the weekly audit list all.
 */
function rotationSection(rotation: RotationReport, shown: RotationEntry[], total: number, surface: MarkdownSurface): string {
  const heading = '#### Secret rotation';
  if (rotation.status === 'skipped') {
    return [
      heading,
      '',
      'The rotation audit was skipped: it needs a token that can list this repository\'s secrets. To enable it, add this to the key-hygiene step:',
      '',
      '```yaml',
      'with:',
      '  secrets-token: ${{ secrets.KEY_HYGIENE_TOKEN }}',
      '```',
    ].join('\n');
  }
  const parts: string[] = [];
  if (rotation.withheld !== undefined) return [heading, '', withheldRotation(rotation)].join('\n');
  if (rotation.status === 'partial') parts.push('_Partial audit: some secret listings could not be read._');
  if (rotation.problems.length > 0) parts.push(rotation.problems.map((p) => `- ${text(p, 'prose')}`).join('\n'));
  const table = rotationTable(shown);
  const left = total - shown.length;
  const leftLine = left > 0 ? `_${left} more ${left === 1 ? 'secret is' : 'secrets are'} not listed, to stay within GitHub's size limit._` : undefined;
  const allOk = rotation.entries.every((e) => e.status === 'ok' || e.status === 'exempt');
  if (total === 0) {
    parts.unshift('No secrets found to audit.');
    return [heading, '', parts.join('\n\n')].join('\n');
  }
  if (allOk && surface === 'comment') {
    parts.unshift(`${total === 1 ? 'The secret is' : `All ${total} secrets are`} within the rotation policy. The job summary and the weekly audit list them.`);
    return [heading, '', parts.join('\n\n')].join('\n');
  }
  if (allOk) {
    const details = [
      `<details><summary>${total === 1 ? 'The secret is' : `All ${total} secrets are`} within the rotation policy</summary>`,
      '',
      table,
      ...(leftLine !== undefined ? ['', leftLine] : []),
      '',
      '</details>',
    ].join('\n');
    return [heading, '', [...parts, details].join('\n\n')].join('\n');
  }
  const overdue = rotation.entries.filter((e) => e.status === 'overdue').length;
  const soon = rotation.entries.filter((e) => e.status === 'due-soon').length;
  const counts = [overdue > 0 ? `${overdue} overdue` : undefined, soon > 0 ? `${soon} due soon` : undefined].filter((s) => s !== undefined);
  const of = `${counts.join(', ')} of ${total} ${total === 1 ? 'secret' : 'secrets'}`;
  const how = 'Rotate a secret by issuing a new value at its provider and updating it here; the old value stops working only when you revoke it.';
  if (surface === 'comment' && overdue === 0) {
    parts.unshift(`No secret is overdue for rotation (${of}). The job summary and the weekly audit list them.`);
    return [heading, '', parts.join('\n\n')].join('\n');
  }
  if (surface === 'comment') {
    parts.unshift(how);
    parts.push([`<details><summary>${of}</summary>`, '', table, ...(leftLine !== undefined ? ['', leftLine] : []), '', '</details>'].join('\n'));
    return [heading, '', parts.join('\n\n')].join('\n');
  }
  parts.unshift(`${of}. ${how}`);
  parts.push(table);
  if (leftLine !== undefined) parts.push(leftLine);
  return [heading, '', parts.join('\n\n')].join('\n');
}

/** Counts only: on a public surface the names, repositories and ages stay out (see `withholdPrivateDetails`). */
function withheldRotation(rotation: RotationReport): string {
  const n = (status: RotationEntry['status']): number => rotation.entries.filter((e) => e.status === status).length;
  const total = rotation.entries.length;
  const lines = [
    `${total} ${total === 1 ? 'secret' : 'secrets'} audited: ${n('overdue')} overdue, ${n('due-soon')} due soon, ${n('ok') + n('exempt')} within the policy.`,
  ];
  if (rotation.problems.length > 0) {
    lines.push(`${rotation.problems.length} ${rotation.problems.length === 1 ? 'listing' : 'listings'} could not be read (the run's warnings name each one and the permission it needs).`);
  }
  lines.push(rotation.withheld ?? '');
  return lines.join('\n\n');
}

function rotationTable(entries: RotationEntry[]): string {
  const rows = entries.map((e) => {
    const lastRotated = e.neverRotated ? `never (created ${day(e.createdAt)})` : day(e.updatedAt);
    return `| ${scopeCell(e)} | ${code(e.name)} | ${text(lastRotated)} | ${e.ageDays} ${e.ageDays === 1 ? 'day' : 'days'} | ${e.dueDate !== undefined ? text(e.dueDate) : '—'} | ${statusCell(e)} |`;
  });
  return ['| Scope | Name | Last rotated | Age | Due | Status |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function scopeCell(e: RotationEntry): string {
  const names: Record<RotationEntry['scope'], string> = {
    actions: 'Actions',
    environment: 'Environment',
    dependabot: 'Dependabot',
    codespaces: 'Codespaces',
    organization: 'Organization',
  };
  let cell = names[e.scope];
  if (e.environment !== undefined) cell += ` ${code(e.environment)}`;
  if (e.repository !== undefined) cell = `${code(e.repository)} · ${cell}`;
  return cell;
}

function statusCell(e: RotationEntry): string {
  switch (e.status) {
    case 'overdue':
      return '🔴 Overdue';
    case 'due-soon':
      return '🟡 Due soon';
    case 'ok':
      return '✅ OK';
    case 'exempt':
      return `⚪ Exempt${e.reason !== undefined ? `: ${text(oneLine(e.reason))}` : ''}`;
  }
}

function byUrgency(a: RotationEntry, b: RotationEntry): number {
  return (
    ROTATION_ORDER[a.status] - ROTATION_ORDER[b.status] ||
    b.ageDays - a.ageDays ||
    (a.repository ?? '').localeCompare(b.repository ?? '', 'en') ||
    a.name.localeCompare(b.name, 'en') ||
    (a.environment ?? '').localeCompare(b.environment ?? '', 'en')
  );
}

const PROVIDER_NAME = { openai: 'OpenAI', anthropic: 'Anthropic' } as const;

/**
 * The provider key inventory: flagged API keys, then admin keys with their age. Only ids, names and the
 * provider's own redacted form appear; the action never holds the keys' values.
 */
function providerKeysSection(section: ProviderKeysReport): string {
  const parts: string[] = [];
  const read = section.providers.map((p) => `${PROVIDER_NAME[p.provider]}: ${p.keys} ${p.keys === 1 ? 'key' : 'keys'}${p.provider === 'openai' && !p.usageRead ? ' (usage not read)' : ''}`);
  const apiKeys = section.keys.filter((k) => k.key.kind === 'api');
  const admins = section.keys.filter((k) => k.key.kind === 'admin');
  parts.push(
    `${read.length > 0 ? `Read from the providers' admin APIs: ${read.join('; ')}.` : 'No provider inventory could be read.'} ` +
      `${apiKeys.length === 0 ? 'No API key is flagged.' : `${apiKeys.length} API ${apiKeys.length === 1 ? 'key is' : 'keys are'} flagged.`}`,
  );
  const problems = section.providers.flatMap((p) => p.problems);
  if (problems.length > 0) parts.push(problems.map((p) => `- ⚠️ ${text(p, 'prose')}`).join('\n'));
  if (apiKeys.length > 0) {
    const shown = apiKeys.slice(0, MAX_PROVIDER_KEY_ROWS);
    const rows = shown.map((a) => `| ${PROVIDER_NAME[a.key.provider]} | ${a.key.project !== undefined ? code(a.key.project.name) : '—'} | ${keyCell(a)} | ${ownerCell(a)} | ${day(a.key.createdAt)} (${a.ageDays} d) | ${lastUsedCell(a)} | ${a.flags.map(flagText).join('<br>')} |`);
    parts.push(['| Provider | Project | Key | Owner | Created | Last used | Why listed |', '| --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n'));
    if (apiKeys.length > shown.length) parts.push(`_${apiKeys.length - shown.length} more flagged keys are in the JSON report._`);
  }
  if (admins.length > 0) {
    const rows = admins.map((a) => {
      const extra = a.flags.filter((f) => f.kind !== 'admin').map(flagText);
      return `| ${PROVIDER_NAME[a.key.provider]} | ${keyCell(a)} | ${ownerCell(a)} | ${day(a.key.createdAt)} | ${a.ageDays} ${a.ageDays === 1 ? 'day' : 'days'} | ${lastUsedCell(a)} | ${extra.length > 0 ? extra.join('<br>') : '—'} |`;
    });
    parts.push(
      [
        'Admin keys can create, read and delete every other key: keep them few, in environment secrets, and rotate them first.',
        '',
        '| Provider | Admin key | Owner | Created | Age | Last used | Flags |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        ...rows,
      ].join('\n'),
    );
  }
  return ['#### Provider keys', '', parts.join('\n\n')].join('\n');
}

function keyCell(a: AssessedKey): string {
  const hint = a.key.hint !== undefined ? ` ${code(a.key.hint)}` : '';
  return `${text(a.key.name)}<br>${code(a.key.id)}${hint}`;
}

function ownerCell(a: AssessedKey): string {
  if (a.key.owner === undefined) return '—';
  return `${text(a.key.owner)}${a.key.ownerType === 'service_account' ? ' (service account)' : ''}`;
}

function lastUsedCell(a: AssessedKey): string {
  if (a.key.lastUsedAt === undefined) return 'not reported';
  return a.key.lastUsedAt === null ? 'never' : day(a.key.lastUsedAt);
}

function flagText(flag: KeyFlag): string {
  switch (flag.kind) {
    case 'overdue':
      return `🔴 Older than the policy: ${flag.ageDays} days (max ${flag.maxAgeDays})`;
    case 'unused':
      return `🟡 Unused ${flag.days === null ? 'since it was created' : `for ${flag.days} days`} (threshold ${flag.threshold}): delete candidate`;
    case 'orphaned':
      return '🟠 Orphaned: its owner no longer has access to the project';
    case 'spike':
      return `🔴 Usage spike: ${perDay(flag.lastWeekPerDay)} requests/day over the last 7 days vs ${perDay(flag.baselinePerDay)}/day over the 28 days before (${Number.isFinite(flag.factor) ? `${flag.factor.toFixed(1)}×` : 'from zero'}, threshold ${flag.threshold}×): possible abuse`;
    case 'admin':
      return 'Admin key';
  }
}

function perDay(n: number): string {
  return n >= 10 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
}

function notesSection(notes: string[]): string {
  const shown = notes.slice(0, MAX_NOTES).map((n) => {
    const line = oneLine(n);
    return `- ${text(line.length > MAX_NOTE_LENGTH ? `${line.slice(0, MAX_NOTE_LENGTH)}…` : line, 'prose')}`;
  });
  if (notes.length > MAX_NOTES) shown.push(`- …and ${notes.length - MAX_NOTES} more notes.`);
  return ['#### Coverage', '', ...shown].join('\n');
}

function footer(report: Report, surface: MarkdownSurface): string {
  const { files, bytes, durationMs } = report.stats;
  const scanned = `Scanned ${files} ${files === 1 ? 'file' : 'files'}`;
  // The PR comment is updated only when its body changes, so it leaves out the run-to-run duration.
  if (surface === 'comment') return `<sub>${scanned} · key-hygiene</sub>`;
  return `<sub>${scanned} (${formatBytes(bytes)}) in ${(durationMs / 1000).toFixed(1)} s · key-hygiene</sub>`;
}

function repoUrl(target: ReportTarget): string | undefined {
  if (target.serverUrl === undefined || target.owner === undefined || target.repo === undefined) return undefined;
  const server = safeUrl(target.serverUrl.replace(/\/+$/, ''));
  if (server === undefined) return undefined;
  return `${server}/${encodeSegment(target.owner)}/${encodeSegment(target.repo)}`;
}

/** Only plain http(s) URLs become links; anything else (javascript:, spaces, parentheses) is dropped. */
function safeUrl(url: string): string | undefined {
  return /^https?:\/\/[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+$/.test(url) && !/[()]/.test(url) ? url : undefined;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeSegment).join('/');
}

/** encodeURIComponent leaves parentheses, which would end a Markdown link destination early. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Where a piece of Markdown goes: a GFM table cell must also escape `|`, which would otherwise end the cell. */
type Context = 'cell' | 'prose';

/**
 * Repository-controlled text as a Markdown code span. Inside a code span GitHub renders no HTML, emphasis,
 * link, autolink, emoji, mention (`@org/team`) or issue reference, so the text reads and greps as it is.
 * The fence is longer than any backtick run in the text, so the text cannot close it. In a table cell
 * every `|` is written `\|`: GFM splits cells before it parses code spans, and unescapes `\|` inside them.
 */
function code(s: string, context: Context = 'cell'): string {
  const body = oneLine(s);
  // A backslash right before a pipe makes `\\|`, which parsers disagree on (escaped pipe or escaped
  // backslash then a cell break); such a name, never seen in practice, falls back to entities in HTML.
  if (context === 'cell' && /\\\|/.test(body)) return `<code>${body.replace(/[^A-Za-z0-9 /\-.,:]/g, (c) => `&#${c.charCodeAt(0)};`)}</code>`;
  const inner = context === 'cell' ? body.replace(/\|/g, '\\|') : body;
  const fence = '`'.repeat(Math.max(0, ...(inner.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  // CommonMark strips one space from each end when both ends have one; pad so an edge backtick or space survives.
  const pad = inner === '' || /^[` ]|[` ]$/.test(inner) ? ' ' : '';
  return `${fence}${pad}${inner}${pad}${fence}`;
}

/**
 * What GitHub would turn into something else in plain text: a mention or team (`@acme/ops`), an e-mail
 * autolink, an issue or pull request reference (`#12`, `GH-12`, `acme/shop#12`), a bare URL (`www.`,
 * `https://`), an emoji shortcode (`:rocket:`) or math (`$`). A word holding one is shown as a code span.
 */
const LINKS_IN_PLAIN_TEXT = /@|(?:^|[^A-Za-z0-9])#\d|\bGH-\d|\bwww\.|:\/\/|:[\w+-]+:|\$/i;

/**
 * Repository-controlled prose. Markdown and HTML syntax is backslash-escaped where it would act (`<`, `[`,
 * `*`, `` ` ``, `~`, `_` at a word edge, `&` before an entity name, `|` in a table cell, a block marker at the
 * start); a word that GitHub would link, mention or turn into an emoji becomes a code span. The raw text
 * stays legible: no character references, no invisible characters.
 */
function text(s: string, context: Context = 'cell'): string {
  const escaped = oneLine(s)
    .split(/( +)/)
    .map((word) => {
      if (word.trim() === '') return word;
      if (LINKS_IN_PLAIN_TEXT.test(word)) {
        // Sentence punctuation after the word stays outside the code span.
        const [, core = word, tail = ''] = /^(.*?)([.,;!?)]*)$/.exec(word) ?? [];
        return core === '' ? code(word, context) : code(core, context) + tail;
      }
      return word
        .replace(/[\\`*[\]<~]/g, '\\$&')
        .replace(/(^|[^A-Za-z0-9])_|_(?=[^A-Za-z0-9]|$)/g, (m) => m.replace('_', '\\_'))
        .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
        .replace(/\|/g, context === 'cell' ? '\\|' : '|');
    })
    .join('');
  // Block markers only act at the start of a line or a list item.
  return escaped.replace(/^([#>+=-]|\d+[.)])/, (m) => `${m.slice(0, -1)}\\${m.slice(-1)}`);
}

/**
 * One physical line with visible escapes for control, bidirectional and invisible characters (zero-width
 * spaces and joiners, word joiner, byte-order mark, Arabic letter mark, fillers), so a name cannot end a
 * table row or display as something other than what it is: `a\u200bb.ts` is not `ab.ts`.
 */
function oneLine(s: string): string {
  return s.replace(INVISIBLE_OR_CONTROL, (c) => {
    if (c === '\r\n' || c === '\n' || c === '\r') return ' ';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// eslint-disable-next-line no-control-regex, no-misleading-character-class
const INVISIBLE_OR_CONTROL = /\r\n|[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]/g;

/** A code fence longer than any backtick run in the body, so the body cannot close it. */
function fenceFor(body: string): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** The UTC date of an ISO timestamp. */
function day(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : iso;
}
