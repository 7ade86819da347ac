import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/types.js';
import { listOpenSecretScanningAlerts } from '../github/alerts.js';
import { getArchiveLink, readArchive } from '../github/archive.js';
import { downloadFetch, type Client, type CountedClient } from '../github/client.js';
import type { RepoRef } from '../github/commits.js';
import { getBlob, getRepository, listTreeFiles, type TreeFile } from '../github/git.js';
import { commentOnIssue, createIssue, ensureLabel, findTrackingIssue, updateIssue } from '../github/issues.js';
import { getTokenIdentity } from '../github/users.js';
import type { Report, RotationReport, ScanStats } from '../report/model.js';
import type { RepositoryLine, WeeklyOptions } from '../report/weekly.js';
import {
  TRACKING_MARKER,
  TRACKING_TITLE,
  readHistoryState,
  type HistoryState,
  describeCounts,
  isActionable,
  countSections,
  mergeTrackingIssue,
  planIssue,
  sectionOf,
  type IssueSection,
  type AlertSummary,
  type IssueAction,
} from '../report/tracking-issue.js';
import { rotationPolicy } from '../config/rotation-policy.js';
import { CODEOWNERS_PATHS, isCodeownersPath, pickCodeowners } from '../report/owners.js';
import type { Shard } from '../rotation/shard.js';
import type { Engine } from '../scan/engine.js';
import { createPathFilter } from '../scan/path-filter.js';
import { addStats, emptyStats, scanText } from '../scan/scanner.js';
import type { Finding } from '../scan/types.js';
import { scanGitHistory } from '../local/git.js';
import { scanFiles } from '../local/files.js';
import { countCommits, inspectCheckout, isAncestorOfHead, listTrackedFiles, type CheckoutState } from './checkout.js';
import { auditOrganization } from './org-audit.js';
import { auditRepositorySecrets } from './rotation-audit.js';

/** Files above this size are not fetched: generated data and dumps, where a hand-pasted key is unlikely. */
export const MAX_AUDIT_FILE_BYTES = 2 * 1024 * 1024;

/**
 * Blobs fetched at once. GitHub asks integrators not to hammer the API with concurrent requests;
 * a few in flight hide latency without tripping the secondary rate limit.
 */
const BLOB_CONCURRENCY = 4;

/** The label that, with the hidden marker, identifies the tracking issue. */
export const TRACKING_LABEL = 'key-hygiene';

export interface AuditLog {
  info(message: string): void;
  warning(message: string): void;
}

export interface ScheduledAuditDeps {
  /** The `github-token` client (contents, issues). */
  github: CountedClient;
  /** The `secrets-token` client, when one was given. */
  secrets?: CountedClient;
  repo: RepoRef;
  serverUrl: string;
  config: Config;
  engine: Engine;
  maxSecretAgeDays: number;
  /** Audit the whole organization's secrets (`audit-org`), optionally one shard of it. */
  org?: { name: string; shard?: Shard };
  now: Date;
  log: AuditLog;
  /** The job's workspace and the run's commit and ref: a checkout there that matches is read instead of the archive. */
  checkout?: { workspace: string; sha: string; ref: string };
  /** Fetch for the archive download (outside the API); default: the runner's, proxy-aware. */
  fetch?: typeof fetch;
}

export interface ScheduledAuditResult {
  report: Report;
  alerts: AlertSummary[];
  /** Whether any secret listing could be read (fail-on overdue-secrets fails when none could). */
  secretsReadable: boolean;
  /** Why some files could not be scanned (a blob fetch failed past its retries), naming the endpoint. */
  incomplete: string[];
  /** The last audited commit and the keys only in history, for the tracking issue's hidden marker. */
  history?: HistoryState;
  /** Private or internal (GitHub reports both as private): names may be shown in the issue and summary. */
  repositoryPrivate: boolean;
  /** The CODEOWNERS file GitHub would use, read at the audited commit with the rest of the files. */
  codeowners?: { path: string; text: string };
  /** In an organization audit: each repository's counts and default owners. */
  repositories?: RepositoryLine[];
}

/**
 * The weekly audit: every file on the default branch (from the repository archive, no checkout needed),
 * the age of every secret, credentials in variables, and open secret-scanning alerts.
 */
export async function runScheduledAudit(deps: ScheduledAuditDeps): Promise<ScheduledAuditResult> {
  const started = Date.now();
  const { client } = deps.github;
  const notes: string[] = [];

  const info = await getRepository(client, deps.repo);
  // The archive and trees APIs take a branch name, which saves resolving the branch first; the archive
  // names the commit it holds, which the links then use.
  const branch = info.defaultBranch;
  // In a sharded organization audit the hosting repository's files, history and alerts are shard 1's:
  // every shard reading them would audit the repository n times and report its keys n times.
  const ownsRepository = deps.org?.shard === undefined || deps.org.shard.index === 1;
  let findings: Finding[] = [];
  let stats = emptyStats();
  let incomplete = { reasons: [] as string[], unread: 0 };
  let history: Awaited<ReturnType<typeof auditHistory>> = { findings: [], notes: [] };
  let codeowners: { path: string; text: string } | undefined;
  let auditedCommit: string | undefined;
  if (ownsRepository) {
    const checkout: CheckoutState =
      deps.checkout === undefined ? { trusted: false } : await inspectCheckout({ ...deps.checkout, repo: deps.repo, serverUrl: deps.serverUrl, defaultBranch: branch });
    if (!checkout.trusted && checkout.reason !== undefined) deps.log.info(`The checkout in GITHUB_WORKSPACE is not used: ${checkout.reason}.`);
    const content = checkout.trusted ? await scanCheckout(checkout.dir, deps.engine, deps.config) : await readDefaultBranch(deps, branch);
    ({ findings, stats, incomplete } = content);
    auditedCommit = checkout.trusted ? checkout.sha : content.commit;
    codeowners = pickCodeowners(content.codeowners);
    notes.push(...content.notes);
    deps.log.info(`Default branch ${branch}: ${content.summary} (${deps.github.calls()} API calls so far).`);
    history = await auditHistory(deps, checkout, branch);
    findings.push(...history.findings);
    notes.push(...history.notes);
    if ((stats.skipped?.tooLarge ?? 0) > 0) {
      notes.push(`${stats.skipped?.tooLarge} file(s) over ${MAX_AUDIT_FILE_BYTES / 1024 / 1024} MiB were not scanned.`);
    }
  } else {
    notes.push(`This shard (${deps.org?.shard?.index}/${deps.org?.shard?.total}) audits its share of the organization's repositories; shard 1 scans ${deps.repo.owner}/${deps.repo.repo} itself (files, history, alerts).`);
  }

  const policy = rotationPolicy(deps.config.rotation, deps.maxSecretAgeDays);
  const auditOptions = { policy, now: deps.now, engine: deps.engine, codespaces: deps.config.rotation.codespaces };
  let rotation: RotationReport;
  let secretsReadable = false;
  let repositories: RepositoryLine[] | undefined;
  if (deps.org !== undefined && deps.secrets !== undefined) {
    const result = await auditOrganization(deps.secrets, deps.org.name, deps.org.shard, auditOptions, deps.log);
    rotation = result.report;
    secretsReadable = result.readAnything;
    repositories = result.lines;
    findings.push(...result.variableFindings);
  } else {
    const result = await auditRepositorySecrets(deps.secrets?.client, deps.repo, auditOptions);
    rotation = result.report;
    secretsReadable = result.readAnything;
    findings.push(...result.variableFindings);
  }

  let alerts: AlertSummary[] = [];
  try {
    if (ownsRepository) alerts = await listOpenSecretScanningAlerts(deps.secrets?.client ?? client, deps.repo);
  } catch (error) {
    const status = (error as { status?: number }).status;
    notes.push(
      `Open secret-scanning alerts could not be read (${status ?? 'error'}): secret scanning may be off, or the token lacks "Secret scanning alerts: read".`,
    );
  }

  const apiCalls = deps.github.calls() + (deps.secrets?.calls() ?? 0);
  const report: Report = {
    findings,
    stats: { ...stats, durationMs: Date.now() - started, apiCalls },
    notes,
    rotation,
    // Links go to the audited commit where it is known (the archive names it; a checkout is at it), so a
    // push after the audit does not move what a line link shows; else to the branch.
    target: { kind: 'schedule', serverUrl: deps.serverUrl, owner: deps.repo.owner, repo: deps.repo.repo, headSha: auditedCommit ?? branch },
  };
  return {
    report,
    alerts,
    secretsReadable,
    incomplete: incomplete.reasons,
    repositoryPrivate: info.private === true,
    ...(history.state !== undefined ? { history: history.state } : {}),
    ...(codeowners !== undefined ? { codeowners } : {}),
    ...(repositories !== undefined ? { repositories } : {}),
  };
}

/** The files of a trusted checkout, as committed (git's list of tracked files at HEAD, read from disk). */
async function scanCheckout(dir: string, engine: Engine, config: Config): Promise<ContentScan> {
  const filter = createPathFilter({ ignore: config.paths.ignore, useDefaults: config.paths.useDefaults });
  const paths = await listTrackedFiles(dir);
  const result = await scanFiles(
    engine,
    paths.map((p) => join(dir, p)),
    { root: dir, filter, maxFileBytes: MAX_AUDIT_FILE_BYTES },
  );
  result.findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  const tracked = new Set(paths);
  const codeowners = new Map<string, string>();
  for (const path of CODEOWNERS_PATHS) {
    if (tracked.has(path)) codeowners.set(path, await readFile(join(dir, path), 'utf8'));
  }
  return {
    findings: result.findings,
    stats: result.stats,
    notes: result.notes,
    codeowners,
    incomplete: { reasons: [], unread: 0 },
    summary: `${paths.length} files read from the checkout in GITHUB_WORKSPACE (no API call)`,
  };
}

/** How to turn the history scan on, for the report when it could not run. */
export const HISTORY_HOWTO =
  'Git history was not scanned: it needs this repository checked out with its full history before this step (`actions/checkout` with `fetch-depth: 0`). A key deleted from the branch stays usable from history until it is rotated.';

/**
 * Keys in git history that are no longer on the branch. The first audit reads every commit; later ones
 * read only the commits since the last audited one (kept in the tracking issue's hidden marker) and carry
 * the earlier history findings forward; a force-push that dropped that commit means reading everything again.
 */
async function auditHistory(
  deps: ScheduledAuditDeps,
  checkout: CheckoutState,
  branch: string,
): Promise<{ findings: Finding[]; notes: string[]; state?: HistoryState }> {
  if (!checkout.trusted || !checkout.fullHistory) {
    const why = checkout.trusted ? ' (the checkout is shallow)' : '';
    return { findings: [], notes: [HISTORY_HOWTO.replace('was not scanned:', `was not scanned${why}:`)] };
  }
  const notes: string[] = [];
  const filter = createPathFilter({ ignore: deps.config.paths.ignore, useDefaults: deps.config.paths.useDefaults });
  let previous: HistoryState | undefined;
  try {
    // Only the token's own issue: a record someone else could edit (the last audited commit moved to
    // HEAD, the carried keys dropped) would hide keys in history.
    const issue = await findTrackingIssue(deps.github.client, deps.repo, TRACKING_LABEL, TRACKING_MARKER, await getTokenIdentity(deps.github.client));
    previous = readHistoryState(issue?.body);
  } catch (error) {
    deps.log.warning(`Could not read the tracking issue for the last audited commit, so all history is scanned: ${error instanceof Error ? error.message : String(error)}`);
  }
  let since = previous?.sha;
  let carried = previous?.findings ?? [];
  if (since !== undefined && !(await isAncestorOfHead(checkout.dir, since))) {
    notes.push(`The last audited commit ${since.slice(0, 12)} is no longer in the history of ${branch} (a force-push?), so all history was scanned again.`);
    since = undefined;
    carried = [];
  }
  const commits = await countCommits(checkout.dir, since);
  const scanned = since === checkout.sha ? [] : (await scanGitHistory(deps.engine, since, { cwd: checkout.dir, filter })).findings;
  const allowed = new Set(deps.config.allow.fingerprints.map((f) => f.toLowerCase()));
  const merged = new Map<string, Finding>();
  for (const f of [...carried, ...scanned.filter((f) => f.source === 'history')]) {
    if (allowed.has(f.fingerprint.toLowerCase()) || !filter(f.file) || merged.has(f.fingerprint)) continue;
    merged.set(f.fingerprint, f);
  }
  const findings = [...merged.values()];
  deps.log.info(
    `Git history: ${commits} commit(s) ${since === undefined ? 'scanned (all history)' : `scanned since ${since.slice(0, 12)}`}; ` +
      `${findings.length} key(s) only in history${carried.length > 0 ? ` (${carried.length} carried from earlier audits)` : ''}.`,
  );
  return { findings, notes, state: { sha: checkout.sha, findings } };
}

interface ContentScan {
  findings: Finding[];
  stats: ScanStats;
  notes: string[];
  incomplete: { reasons: string[]; unread: number };
  /** CODEOWNERS files found among the files read, by path. */
  codeowners: Map<string, string>;
  /** One line for the log: where the files came from and what it cost. */
  summary: string;
  /** The commit whose files were read, where known: findings link to it rather than to the moving branch. */
  commit?: string;
}

/**
 * The default branch's files: from the repository archive (one API call, however many files), or, when
 * the archive cannot be had, file by file through the trees and blobs API, said in the report.
 */
async function readDefaultBranch(deps: ScheduledAuditDeps, branch: string): Promise<ContentScan> {
  const { client } = deps.github;
  const before = deps.github.calls();
  let archiveFailure: string;
  try {
    return await scanArchive(client, deps.repo, branch, deps.engine, deps.config, deps.fetch ?? downloadFetch());
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
    // The link call's own errors name the endpoint; the download's already say "repository archive".
    archiveFailure = message.startsWith('Could not read the repository archive') ? message : `Could not read the repository archive: ${message}`;
  }
  deps.log.warning(`${archiveFailure}; reading the files one by one through the blobs API instead.`);
  const notes: string[] = [];
  let tree: Awaited<ReturnType<typeof listTreeFiles>>;
  try {
    tree = await listTreeFiles(client, deps.repo, branch);
  } catch (error) {
    // The repository itself was readable just above, so 409 means it is empty (GitHub's "Git Repository
    // is empty") and 404 that the branch has no tree; either way the secrets can still be audited.
    const status = (error as { status?: number }).status;
    if (status !== 404 && status !== 409) throw error;
    const why = status === 409 ? 'the repository is empty' : 'the trees API found no tree for it';
    notes.push(`The default branch ${branch} could not be listed (${status}: ${why}), so no file was scanned.`);
    tree = { files: [], truncatedTrees: 0 };
  }
  if (tree.truncatedTrees > 0) {
    notes.push(`The tree listing was truncated by GitHub ${tree.truncatedTrees} time(s); the audit listed those subtrees one by one, so every file was still seen.`);
  }
  const scanned = await scanTree(client, deps.repo, tree.files, deps.engine, deps.config);
  const codeowners = new Map<string, string>();
  for (const f of tree.files.filter((t) => isCodeownersPath(t.path) && t.size <= MAX_AUDIT_FILE_BYTES)) {
    try {
      codeowners.set(f.path, (await getBlob(client, deps.repo, f.sha)).toString('utf8'));
    } catch (error) {
      notes.push(`${f.path} could not be read (${error instanceof Error ? error.message : String(error)}), so findings are listed without owners.`);
    }
  }
  if (scanned.incomplete.unread > 0) notes.push(`${scanned.incomplete.unread} file(s) could not be fetched, so they were not scanned.`);
  const calls = deps.github.calls() - before;
  if (tree.files.length > 0) {
    notes.unshift(`${archiveFailure}, so the files were fetched one by one through the blobs API (${calls} API calls instead of 1).`);
  }
  return { ...scanned, notes, codeowners, summary: `${tree.files.length} files read through the blobs API in ${calls} API calls` };
}

/** Scans every file of the branch's archive as it streams; ignored, oversized and binary files are only drained. */
async function scanArchive(client: Client, repo: RepoRef, branch: string, engine: Engine, config: Config, fetchImpl: typeof fetch): Promise<ContentScan> {
  const filter = createPathFilter({ ignore: config.paths.ignore, useDefaults: config.paths.useDefaults });
  const stats = emptyStats();
  const findings: Finding[] = [];
  const codeowners = new Map<string, string>();
  const link = await getArchiveLink(client, repo, branch);
  const read = await readArchive(
    link,
    {
      // CODEOWNERS is read even where the config ignores it: it says who owns the findings, it is not scanned then.
      skip: (path, size) => (!filter(path) && !isCodeownersPath(path) ? 'ignored' : size > MAX_AUDIT_FILE_BYTES ? 'tooLarge' : undefined),
      skipped: (_path, reason) => {
        stats.skipped![reason] = (stats.skipped![reason] ?? 0) + 1;
      },
      file: (path, text) => {
        if (isCodeownersPath(path)) {
          codeowners.set(path, text);
          if (!filter(path)) return;
        }
        const result = scanText(engine, path, text, { source: 'file' });
        findings.push(...result.findings);
        addStats(stats, result.stats);
      },
    },
    fetchImpl,
  );
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  const mb = (read.downloadedBytes / 1024 / 1024).toFixed(1);
  return {
    ...(read.commit === undefined ? {} : { commit: read.commit }),
    findings,
    stats,
    notes: [],
    codeowners,
    incomplete: { reasons: [], unread: 0 },
    summary: `${read.files} files read from the repository archive (${mb} MB compressed) in 1 API call`,
  };
}

/**
 * The fallback: fetches and scans the tree's files, a few at a time, skipping ignored and oversized ones before any call.
 * Identical files share a blob: each blob is fetched once, scanned under every path it appears at, and
 * dropped before the next, so memory holds a few blobs at a time however large the tree.
 */
async function scanTree(client: Client, repo: RepoRef, files: readonly TreeFile[], engine: Engine, config: Config) {
  const filter = createPathFilter({ ignore: config.paths.ignore, useDefaults: config.paths.useDefaults });
  const stats = emptyStats();
  const findings: Finding[] = [];
  const pathsByBlob = new Map<string, string[]>();
  for (const f of files) {
    if (!filter(f.path)) stats.skipped!.ignored = (stats.skipped!.ignored ?? 0) + 1;
    else if (f.size > MAX_AUDIT_FILE_BYTES) stats.skipped!.tooLarge = (stats.skipped!.tooLarge ?? 0) + 1;
    else {
      const paths = pathsByBlob.get(f.sha);
      if (paths === undefined) pathsByBlob.set(f.sha, [f.path]);
      else paths.push(f.path);
    }
  }
  const queue = [...pathsByBlob];
  let next = 0;
  const incomplete = { reasons: [] as string[], unread: 0 };
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const [sha, paths] = queue[next++] as [string, string[]];
      // After one fetch failed past its retries the API is not answering: the rest are counted, not fetched.
      if (incomplete.reasons.length > 0) {
        incomplete.unread += paths.length;
        continue;
      }
      let text: string;
      try {
        text = (await getBlob(client, repo, sha)).toString('utf8');
      } catch (error) {
        incomplete.unread += paths.length;
        incomplete.reasons.push(error instanceof Error ? error.message : String(error));
        continue;
      }
      for (const path of paths) {
        const result = scanText(engine, path, text, { source: 'file' });
        findings.push(...result.findings);
        addStats(stats, result.stats);
      }
    }
  };
  await Promise.all(Array.from({ length: BLOB_CONCURRENCY }, worker));
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { findings, stats, incomplete };
}

/**
 * Room left for the reports in the tracking issue body (65,536 characters) after the verdict, alerts,
 * history and the weekly work list (checklist, due next, charts: about 30,000 at their caps); shards share it.
 */
export const TRACKING_ISSUE_REPORT_LENGTH = 25_000;

/** Times a shard rewrites the issue when another shard's write, landing in between, dropped its section. */
const MAX_SECTION_WRITES = 5;

/**
 * Brings the one tracking issue up to date: create, update, close with a comment, or reopen, per
 * `planIssue` over the counts of every shard's section. The issue is read again right before each write,
 * and a shard checks afterwards that its section survived (GitHub has no conditional update of an issue,
 * so another shard's write can land in between); it writes again if not. When two shards each created
 * the issue, the higher-numbered one is closed as a duplicate and the section moved to the other.
 * Returns what it did and the issue number.
 */
export async function syncTrackingIssue(
  client: Client,
  repo: RepoRef,
  result: ScheduledAuditResult,
  now: Date,
  renderReport: (report: Report, maxLength: number) => string,
  section?: IssueSection,
  weekly?: WeeklyOptions,
): Promise<{ action: IssueAction; number?: number; weeklyText?: string }> {
  const date = now.toISOString().slice(0, 10);
  const maxLength = Math.floor(TRACKING_ISSUE_REPORT_LENGTH / (section?.total ?? 1));
  let outcome: { action: IssueAction; number?: number; weeklyText?: string } = { action: 'none' };
  const identity = await getTokenIdentity(client);
  for (let attempt = 0; attempt < MAX_SECTION_WRITES; attempt++) {
    const existing = await findTrackingIssue(client, repo, TRACKING_LABEL, TRACKING_MARKER, identity);
    const merged = mergeTrackingIssue({
      report: result.report,
      alerts: result.alerts,
      ...(existing !== undefined ? { previousBody: existing.body } : {}),
      now,
      renderReport: (r) => renderReport(r, maxLength),
      ...(section !== undefined ? { section } : {}),
      ...(result.history !== undefined ? { history: result.history } : {}),
      ...(weekly !== undefined ? { weekly: { ...weekly, ...(result.repositories !== undefined ? { repositories: result.repositories } : {}) } } : {}),
    });
    const { body, counts, weeklyText } = merged;
    const action = planIssue(existing, isActionable(counts));
    // A first write this run, or a retry after our section was lost: the retry does not repeat comments.
    const first = attempt === 0;
    switch (action) {
      case 'none': {
        const extra = weekly === undefined ? {} : { weeklyText };
        return existing === undefined ? { action, ...extra } : { action, number: existing.number, ...extra };
      }
      case 'create': {
        await ensureLabel(client, repo, TRACKING_LABEL, 'b60205', 'Tracking issue of the key-hygiene weekly audit');
        outcome = { action, number: await createIssue(client, repo, TRACKING_TITLE, body, TRACKING_LABEL) };
        break;
      }
      case 'update':
        await updateIssue(client, repo, existing!.number, { body });
        outcome = first || outcome.action === 'none' ? { action, number: existing!.number } : outcome;
        break;
      case 'close':
        // The comment comes first so that it is the last word before "closed" in the timeline; the final
        // body goes with the state change, in one call.
        await commentOnIssue(client, repo, existing!.number, `The audit of ${date} found nothing to act on (${describeCounts(counts)}). Closing.`);
        await updateIssue(client, repo, existing!.number, { body, state: 'closed' });
        outcome = { action, number: existing!.number };
        break;
      case 'reopen':
        await updateIssue(client, repo, existing!.number, { body, state: 'open' });
        await commentOnIssue(client, repo, existing!.number, `Problems are back as of the audit of ${date}: ${describeCounts(counts)}.`);
        outcome = { action, number: existing!.number };
        break;
    }
    if (weekly !== undefined) outcome.weeklyText = weeklyText;
    if (section === undefined) return outcome;
    const after = await findTrackingIssue(client, repo, TRACKING_LABEL, TRACKING_MARKER, identity);
    if (after !== undefined && outcome.number !== undefined && after.number !== outcome.number) {
      // Another shard created the issue at the same time, and its is the one every later run will find.
      await commentOnIssue(client, repo, outcome.number, `Duplicate of #${after.number}, which another shard of the same audit opened at the same time.`);
      await updateIssue(client, repo, outcome.number, { state: 'closed', body: `${TRACKING_MARKER.replace('tracking-issue', 'duplicate')}\nDuplicate of #${after.number}.` });
      continue;
    }
    // Settled when our section is there and the state matches what all sections say; otherwise a write
    // of another shard landed in between (it kept an older copy of our section, or closed on stale counts).
    if (after !== undefined && sectionOf(after.body, section) === merged.sectionText && (after.state === 'open') === isActionable(countSections(after.body, section))) {
      return outcome;
    }
  }
  return outcome;
}
