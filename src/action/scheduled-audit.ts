import type { Config } from '../config/types.js';
import { listOpenSecretScanningAlerts } from '../github/alerts.js';
import type { Client, CountedClient } from '../github/client.js';
import type { RepoRef } from '../github/commits.js';
import { getBlob, getRepository, listTreeFiles, type TreeFile } from '../github/git.js';
import { commentOnIssue, createIssue, ensureLabel, findTrackingIssue, updateIssue } from '../github/issues.js';
import type { Report, RotationReport } from '../report/model.js';
import {
  TRACKING_MARKER,
  TRACKING_TITLE,
  countAudit,
  describeCounts,
  isActionable,
  planIssue,
  renderTrackingIssue,
  type AlertSummary,
  type IssueAction,
} from '../report/tracking-issue.js';
import { rotationPolicy } from '../config/rotation-policy.js';
import type { Shard } from '../rotation/shard.js';
import type { Engine } from '../scan/engine.js';
import { createPathFilter } from '../scan/path-filter.js';
import { addStats, emptyStats, scanText } from '../scan/scanner.js';
import type { Finding } from '../scan/types.js';
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
}

export interface ScheduledAuditResult {
  report: Report;
  alerts: AlertSummary[];
  /** Whether any secret listing could be read (fail-on overdue-secrets fails when none could). */
  secretsReadable: boolean;
  /** Why some files could not be scanned (a blob fetch failed past its retries), naming the endpoint. */
  incomplete: string[];
  /** Private or internal: decides whether the Provider keys section may be shown (see main.ts). */
  repositoryPrivate: boolean;
}

/**
 * The weekly audit: every file on the default branch (through the trees and blobs API, no checkout),
 * the age of every secret, credentials in variables, and open secret-scanning alerts.
 */
export async function runScheduledAudit(deps: ScheduledAuditDeps): Promise<ScheduledAuditResult> {
  const started = Date.now();
  const { client } = deps.github;
  const notes: string[] = [];

  const info = await getRepository(client, deps.repo);
  // The trees API takes a branch name where it takes a tree SHA, which saves resolving the branch first;
  // links then point at the branch, which is what a weekly report about the branch should show.
  const branch = info.defaultBranch;
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
  const { findings, stats, incomplete } = await scanTree(client, deps.repo, tree.files, deps.engine, deps.config);
  if (incomplete.unread > 0) notes.push(`${incomplete.unread} file(s) could not be fetched, so they were not scanned.`);
  if ((stats.skipped?.tooLarge ?? 0) > 0) {
    notes.push(`${stats.skipped?.tooLarge} file(s) over ${MAX_AUDIT_FILE_BYTES / 1024 / 1024} MiB were not fetched.`);
  }

  const policy = rotationPolicy(deps.config.rotation, deps.maxSecretAgeDays);
  const auditOptions = { policy, now: deps.now, engine: deps.engine, codespaces: deps.config.rotation.codespaces };
  let rotation: RotationReport;
  let secretsReadable = false;
  if (deps.org !== undefined && deps.secrets !== undefined) {
    const result = await auditOrganization(deps.secrets, deps.org.name, deps.org.shard, auditOptions, deps.log);
    rotation = result.report;
    secretsReadable = result.readAnything;
    findings.push(...result.variableFindings);
  } else {
    const result = await auditRepositorySecrets(deps.secrets?.client, deps.repo, auditOptions);
    rotation = result.report;
    secretsReadable = result.readAnything;
    findings.push(...result.variableFindings);
  }

  let alerts: AlertSummary[] = [];
  try {
    alerts = await listOpenSecretScanningAlerts(deps.secrets?.client ?? client, deps.repo);
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
    target: { kind: 'schedule', serverUrl: deps.serverUrl, owner: deps.repo.owner, repo: deps.repo.repo, headSha: branch },
  };
  return { report, alerts, secretsReadable, incomplete: incomplete.reasons, repositoryPrivate: info.private };
}

/**
 * Fetches and scans the tree's files, a few at a time, skipping ignored and oversized ones before any call.
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
 * Brings the one tracking issue up to date: create, update, close with a comment, or reopen, per
 * `planIssue`. Returns what it did and the issue number.
 */
export async function syncTrackingIssue(
  client: Client,
  repo: RepoRef,
  result: ScheduledAuditResult,
  now: Date,
  renderReport: (report: Report) => string,
): Promise<{ action: IssueAction; number?: number }> {
  const existing = await findTrackingIssue(client, repo, TRACKING_LABEL, TRACKING_MARKER);
  const counts = countAudit(result.report, result.alerts);
  const action = planIssue(existing, isActionable(counts));
  if (action === 'none') return existing === undefined ? { action } : { action, number: existing.number };
  const body = renderTrackingIssue({ report: result.report, alerts: result.alerts, previousBody: existing?.body, now, renderReport });
  const date = now.toISOString().slice(0, 10);
  switch (action) {
    case 'create': {
      await ensureLabel(client, repo, TRACKING_LABEL, 'b60205', 'Tracking issue of the key-hygiene weekly audit');
      return { action, number: await createIssue(client, repo, TRACKING_TITLE, body, TRACKING_LABEL) };
    }
    case 'update':
      await updateIssue(client, repo, existing!.number, { body });
      return { action, number: existing!.number };
    case 'close':
      // The comment comes first so that it is the last word before "closed" in the timeline; the final
      // body goes with the state change, in one call.
      await commentOnIssue(client, repo, existing!.number, `The audit of ${date} found nothing to act on (${describeCounts(counts)}). Closing.`);
      await updateIssue(client, repo, existing!.number, { body, state: 'closed' });
      return { action, number: existing!.number };
    case 'reopen':
      await updateIssue(client, repo, existing!.number, { body, state: 'open' });
      await commentOnIssue(client, repo, existing!.number, `Problems are back as of the audit of ${date}: ${describeCounts(counts)}.`);
      return { action, number: existing!.number };
  }
}
