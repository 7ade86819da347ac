import * as core from '@actions/core';
import { buildEngine } from './config/load.js';
import { getInputs, type Inputs } from './inputs.js';
import type { Report, ReportTarget } from './report/model.js';
import { createPathFilter } from './scan/path-filter.js';
import { addStats, emptyStats, redactSecretsInPaths } from './scan/scanner.js';
import { createClient, type Client } from './github/client.js';
import { compareCommits, getCommitFiles, type RepoRef } from './github/commits.js';
import { getPullHeads, listPullCommits, listPullFiles, type ChangedFile } from './github/pulls.js';
import { MAX_PR_FILES } from './github/limits.js';
import { readConfig } from './action/config-source.js';
import { readRunContext, type RunContext } from './action/context.js';
import { escapeForLog } from './action/log.js';
import { failReasons, maskFindings, publish, type FailCounts } from './action/publish.js';
import { countFindings, transportPhrase } from './report/counts.js';
import { scanChangedFiles, scanCommitHistory, type ChangeScanContext } from './action/scan-change.js';
import { auditRepositorySecrets, type RotationAuditResult } from './action/rotation-audit.js';
import { runScheduledAudit, syncTrackingIssue } from './action/scheduled-audit.js';
import { rotationPolicy } from './config/rotation-policy.js';
import type { Config } from './config/types.js';
import { withholdPrivateDetails } from './report/disclosure.js';
import { renderMarkdown } from './report/markdown.js';
import type { Engine } from './scan/engine.js';
import type { Finding } from './scan/types.js';
import type { CountedClient } from './github/client.js';
import { fetchTransport, verifyFindings, verifyGate } from './verify/index.js';
import {
  inventoryProviderOf,
  linkLeaks,
  providerKeysReport,
  readInventories,
  revokeLinked,
  wantsInventory,
  type ProviderKeysDeps,
} from './action/provider-keys.js';
import { providerKeyPolicy } from './config/rotation-policy.js';
import { flaggedProviderKeys } from './report/tracking-issue.js';
import { parseCodeowners } from './report/owners.js';
import { checklistItems, ownersNamed, mergeChecklist, renderAgeChart, renderChecklist, renderDueNext, renderRepositoryLines, renderTrend, mayMention, type WeeklyOptions } from './report/weekly.js';
import { peopleNotified } from './github/teams.js';
import type { InventoryProvider } from './inventory/types.js';

/** Git's name for "no commit": the `before` of a branch's first push, the `after` of its deletion. */
const NULL_SHA = /^0+$/;

/** What one event asks the action to scan. */
interface ChangePlan {
  kind: ReportTarget['kind'];
  /** The commit the check run and file links point at. */
  headSha: string;
  pullNumber?: number;
  /** Set for pull requests: the config is read there (see `readConfig`). */
  configRef?: string;
  /**
   * Whether the change may come from a fork: true, false, or undefined when nobody can tell (a merge
   * queue mixes pull requests). Live checks run only on false, unless the config allows forks.
   */
  fromFork: boolean | undefined;
  /** Lists the changed files and the commits to check one by one. */
  collect(client: Client): Promise<{ files: ChangedFile[]; commits: string[]; notes: string[] }>;
}

/**
 * The action: reads its inputs and the event, scans what the event changed, and reports. Every error
 * ends here as one failed-run message.
 */
export async function run(): Promise<void> {
  try {
    await audit(getInputs(), readRunContext());
  } catch (error) {
    core.setFailed(escapeForLog(error instanceof Error ? error.message : String(error)));
  }
}

async function audit(inputs: Inputs, ctx: RunContext): Promise<void> {
  const repo: RepoRef = { owner: ctx.owner, repo: ctx.repo };
  if (ctx.eventName === 'schedule' || ctx.eventName === 'workflow_dispatch') {
    await scheduledAudit(inputs, ctx, repo);
    return;
  }
  const plan = ctx.eventName === 'workflow_run' ? await planForWorkflowRun(ctx, repo, inputs) : planFor(ctx, repo, inputs);
  if (plan === undefined) {
    core.setOutput('findings', 0);
    core.setOutput('transport-findings', 0);
    core.setOutput('overdue-secrets', 0);
    return;
  }
  const started = performance.now();
  const api = createClient(inputs.githubToken, { baseUrl: ctx.apiUrl, secondMs: ctx.apiSecondMs, log: { debug: core.debug, warning: core.warning } });
  const client = api.client;

  const loaded = await readConfig(client, repo, {
    path: inputs.config.path,
    explicit: inputs.config.explicit,
    workspace: ctx.workspace,
    ...(plan.configRef !== undefined ? { trustedRef: plan.configRef } : { fallbackRef: plan.headSha }),
  });
  core.info(`Config: ${escapeForLog(loaded.source)}`);
  const engine = buildEngine(loaded.config);
  const scan: ChangeScanContext = { client, repo, engine, filter: createPathFilter(loaded.config.paths) };

  const change = await plan.collect(client);
  if (plan.configRef !== undefined && changesConfig(change.files, inputs.config.path)) {
    change.notes.push(
      `This change edits the config file ${inputs.config.path}. Its rules and allow-list entries (allow.values, allow.fingerprints) do not apply to this run, ` +
        'which used the config at the base commit: they take effect once the change is merged, after review.',
    );
  }
  core.info(`Scanning ${change.files.length} changed file(s)${inputs.scanCommits ? ` and ${change.commits.length} commit(s)` : ''}.`);
  const final = await scanChangedFiles(scan, change.files, plan.headSha);
  const history = inputs.scanCommits && change.commits.length > 0 ? await scanCommitHistory(scan, change.commits, final.findings) : undefined;

  const secretsApi = secretsClient(inputs, ctx);
  const rotation = await auditRotation(secretsApi, repo, inputs, loaded.config, engine);

  const findings = [...final.findings, ...(history?.findings ?? []), ...rotation.variableFindings];
  // Masking comes before anything about a finding is printed: the runner masks only values it was told.
  maskFindings([...findings, ...final.suppressed]);
  await verifyIfAsked(findings, inputs, ctx, loaded.config, plan.fromFork);
  await nameLeakedKeys(findings, inputs, ctx);

  const notes = [...change.notes, ...final.notes, ...(history?.notes ?? [])];
  redactSecretsInPaths([...findings, ...final.suppressed], notes);
  const stats = addStats(emptyStats(), final.stats);
  stats.durationMs = performance.now() - started;
  if (final.suppressed.length > 0) stats.suppressedInChange = final.suppressed.length;
  const target: ReportTarget = { kind: plan.kind, serverUrl: ctx.serverUrl, owner: ctx.owner, repo: ctx.repo, headSha: plan.headSha };
  if (plan.pullNumber !== undefined) target.pullNumber = plan.pullNumber;
  const report: Report = {
    findings,
    stats,
    notes,
    rotation: rotation.report,
    target,
    ...(final.suppressed.length > 0 ? { suppressedInChange: final.suppressed } : {}),
  };
  const overdue = countOverdue(rotation);
  const unreadable = rotationUnreadable(inputs, rotation);
  const incomplete = [...final.incomplete, ...(history?.incomplete ?? [])];
  for (const reason of incomplete) core.warning(escapeForLog(`Part of the change was not scanned: ${reason}`));

  // The count so far is the scan's cost; publishing adds the comment and check-run calls, logged below.
  stats.apiCalls = api.calls();
  await publish({
    client,
    repo,
    inputs,
    report,
    rules: engine.rules,
    ...(plan.pullNumber !== undefined ? { pullNumber: plan.pullNumber } : {}),
    headSha: plan.headSha,
    overdue,
    rotationUnreadable: unreadable !== undefined || scanIncomplete(inputs, incomplete) !== undefined,
    workspace: ctx.workspace,
    runnerTemp: ctx.runnerTemp,
    discloseNames: inputs.discloseNames,
    // The payload says; without it, the cautious reading is that the repository is public.
    repositoryPrivate: (ctx.payload['repository'] as { private?: unknown } | undefined)?.private === true,
  });
  core.info(
    `GitHub API calls: ${api.calls()} (${stats.apiCalls} to scan, ${api.calls() - stats.apiCalls} to report)` +
      (secretsApi !== undefined ? `, plus ${secretsApi.calls()} with secrets-token for the rotation audit.` : '.'),
  );
  finish(inputs, { ...countFindings(findings), overdue }, unreadable, scanIncomplete(inputs, incomplete));
}

/** Why `fail-on` cannot be honoured: it asks about what the scan finds, and part of the change could not be read. */
function scanIncomplete(inputs: Inputs, incomplete: readonly string[]): string | undefined {
  if (incomplete.length === 0 || (!inputs.failOn.leaks && !inputs.failOn.transport)) return undefined;
  return `The scan is incomplete (fail-on: ${inputs.failOn.label}): ${incomplete[0]}`;
}

/**
 * The opt-in live check: asks each key's own provider whether it still works. Off unless `verify: true`,
 * and off on pull requests from forks unless the config allows it (a public report would tell whoever
 * opened the fork which stolen keys work). An empty `verify.providers` means every provider with a check.
 */
async function verifyIfAsked(findings: Finding[], inputs: Inputs, ctx: RunContext, config: Config, fromFork: boolean | undefined): Promise<void> {
  if (findings.length === 0) return;
  const gate = verifyGate({ enabled: inputs.verify, event: ctx.eventName, isFork: fromFork, allowForks: config.verify.allowForks });
  if (!gate.verify) {
    if (inputs.verify) core.info(`Live checks: ${gate.reason ?? 'skipped'}.`);
    return;
  }
  await verifyFindings(findings, {
    transport: fetchTransport,
    ...(config.verify.providers.length > 0 ? { providers: [...config.verify.providers] } : {}),
    skip: unverifiableIssuers(ctx, config),
    log: (line: string) => core.info(line),
  });
}

/**
 * Providers whose keys cannot be told apart from those of a private server of the same product, so a
 * live check would send them to a host that may not have issued them. GitHub tokens are checked only
 * when the action runs on github.com (on a GitHub Enterprise Server they are most likely its own, and
 * its API is not one the live checks may call). GitLab tokens go to gitlab.com only when the config
 * names `gitlab` in `verify.providers`, saying its tokens come from gitlab.com.
 */
function unverifiableIssuers(ctx: RunContext, config: Config): Record<string, string> {
  const skip: Record<string, string> = {};
  if (new URL(ctx.serverUrl).hostname !== 'github.com') {
    skip['github'] = `the action runs on ${new URL(ctx.serverUrl).host}, which may have issued the token; only github.com tokens are checked`;
  }
  if (!config.verify.providers.includes('gitlab')) {
    skip['gitlab'] = 'GitLab tokens may come from a self-managed GitLab; name gitlab in verify.providers to check them against gitlab.com';
  }
  return skip;
}

/** Whether a pull request event's head is in another repository, from the payload GitHub wrote. */
function isForkPull(ctx: RunContext): boolean {
  const pr = ctx.payload['pull_request'] as { head?: { repo?: { full_name?: string } | null } } | undefined;
  const head = pr?.head?.repo?.full_name;
  // A deleted fork leaves `head.repo` null: treat it as a fork, the cautious reading.
  return head === undefined || head.toLowerCase() !== `${ctx.owner}/${ctx.repo}`.toLowerCase();
}

function providerKeysDeps(inputs: Inputs): ProviderKeysDeps {
  return {
    openaiAdminKey: inputs.openaiAdminKey,
    anthropicAdminKey: inputs.anthropicAdminKey,
    transport: fetchTransport,
    log: { info: (m) => core.info(escapeForLog(m)), warning: (m) => core.warning(escapeForLog(m)) },
  };
}

/**
 * Whether the inventory's names, owners and dates may appear in this repository's reports: anyone can
 * read a public repository's issues and comments, and an organization's key list is not theirs to read.
 */
function mayShowProviderKeys(inputs: Inputs, repositoryPrivate: boolean | undefined): boolean {
  return inputs.providerKeysReport === 'always' || repositoryPrivate === true;
}

/**
 * The weekly audit's Provider keys section: every key of the organizations the admin keys open, judged
 * against the policy, plus the leaked keys of the tree named. Shown only where it may be.
 */
async function auditProviderKeys(result: Awaited<ReturnType<typeof runScheduledAudit>>, inputs: Inputs, config: Config, now: Date): Promise<void> {
  if (!wantsInventory(inputs)) return;
  // The inventory is the organization's, not a shard's: like the organization's own secrets, shard 1 reports it.
  if (inputs.auditOrg && inputs.shard !== undefined && inputs.shard.index !== 1) {
    core.info('Provider keys: read by shard 1 of the organization audit only.');
    return;
  }
  const deps = providerKeysDeps(inputs);
  const read = await readInventories(deps, { now, usage: true });
  const section = providerKeysReport(read, providerKeyPolicy(config.rotation, inputs.maxSecretAgeDays), now);
  const visible = mayShowProviderKeys(inputs, result.repositoryPrivate);
  linkLeaks(result.report.findings, read, visible);
  if (visible) {
    result.report.providerKeys = section;
  } else {
    const flagged = flaggedProviderKeys(section);
    core.info(
      `Provider keys: ${flagged} flagged; not shown because this repository is public (set provider-keys-report: always to show them, or run the audit from a private repository).`,
    );
  }
}

/**
 * On a change: names each leaked OpenAI or Anthropic key from the inventory and, with `revoke-leaked`,
 * revokes it. Nothing is read unless such a key was found and an admin key given.
 */
async function nameLeakedKeys(findings: Finding[], inputs: Inputs, ctx: RunContext): Promise<void> {
  if (!wantsInventory(inputs)) return;
  const providers = new Set(findings.map(inventoryProviderOf).filter((p): p is InventoryProvider => p !== undefined));
  if (providers.size === 0) return;
  const deps = providerKeysDeps(inputs);
  const read = await readInventories(deps, { now: new Date(), usage: false, only: providers });
  const repository = ctx.payload['repository'] as { private?: boolean } | undefined;
  const visible = mayShowProviderKeys(inputs, repository?.private);
  const linked = linkLeaks(findings, read, visible);
  core.info(`Provider keys: ${linked.size} leaked ${linked.size === 1 ? 'key' : 'keys'} identified in the inventory${visible || linked.size === 0 ? '' : ' (not named: this repository is public)'}.`);
  if (!inputs.revokeLeaked || linked.size === 0) return;
  const refused = revokeRefusal(ctx);
  if (refused !== undefined) {
    core.info(`revoke-leaked: ${refused}; nothing was revoked.`);
    return;
  }
  // Only keys the change itself adds (or adds and removes again): a key elsewhere is not this change's to revoke.
  const inChange = new Map([...linked].filter(([f]) => f.source === 'added' || f.source === 'history'));
  const revoked = await revokeLinked(inChange, deps.log);
  core.info(`revoke-leaked: ${revoked} ${revoked === 1 ? 'key' : 'keys'} revoked.`);
}

/** Why `revoke-leaked` may not act on this run: it never does on a fork's pull request. */
function revokeRefusal(ctx: RunContext): string | undefined {
  if (ctx.eventName === 'workflow_run') {
    const head = (ctx.payload['workflow_run'] as { head_repository?: { full_name?: string } | null } | undefined)?.head_repository?.full_name;
    if (head === undefined || head.toLowerCase() !== `${ctx.owner}/${ctx.repo}`.toLowerCase()) return 'the pull request comes from a fork';
    return undefined;
  }
  if (isForkPull(ctx)) return `${ctx.eventName} from a fork`;
  return undefined;
}

/** The `secrets-token` client, when one was given: the default token can never list secrets. */
function secretsClient(inputs: Inputs, ctx: RunContext): CountedClient | undefined {
  if (inputs.secretsToken === '') return undefined;
  return createClient(inputs.secretsToken, { baseUrl: ctx.apiUrl, secondMs: ctx.apiSecondMs, log: { debug: core.debug, warning: core.warning } });
}

async function auditRotation(secretsApi: CountedClient | undefined, repo: RepoRef, inputs: Inputs, config: Config, engine: Engine): Promise<RotationAuditResult> {
  const result = await auditRepositorySecrets(secretsApi?.client, repo, {
    policy: rotationPolicy(config.rotation, inputs.maxSecretAgeDays),
    now: new Date(),
    engine,
    codespaces: config.rotation.codespaces,
  });
  for (const problem of result.report.problems) {
    if (result.report.status === 'skipped') core.info(problem);
    else core.warning(escapeForLog(problem));
  }
  return result;
}

function countOverdue(rotation: { report: { entries: ReadonlyArray<{ status: string }> } }): number {
  return rotation.report.entries.filter((e) => e.status === 'overdue').length;
}

/** Why `fail-on` cannot be honoured: it asks about overdue secrets, and no secret listing could be read. */
function rotationUnreadable(inputs: Inputs, rotation: { readAnything: boolean; report: { status: string } }): string | undefined {
  if (!inputs.failOn.overdueSecrets) return undefined;
  if (rotation.readAnything) return undefined;
  return rotation.report.status === 'skipped'
    ? `fail-on: ${inputs.failOn.label} needs the rotation audit, but no secrets-token was given (the default token cannot list secrets).`
    : `fail-on: ${inputs.failOn.label} needs the rotation audit, but secrets-token could not read any secret listing (see the warnings above).`;
}

/**
 * Sets the count outputs and fails the run per `fail-on`, saying why. `findings` counts leaked keys
 * only; transport findings have their own output.
 */
function finish(inputs: Inputs, counts: FailCounts, unreadable: string | undefined, incomplete?: string): void {
  const { keys, transport, overdue } = counts;
  core.setOutput('findings', keys);
  core.setOutput('transport-findings', transport);
  core.setOutput('overdue-secrets', overdue);
  const label = inputs.failOn.label;
  const reasons = failReasons(inputs.failOn, counts).map((reason) => {
    switch (reason) {
      case 'leaks':
        return (
          `${keys} leaked ${keys === 1 ? 'key' : 'keys'} found (fail-on: ${label}). ` +
          'Revoke each key where it was issued, then remove it from the code; see the report for where and how.'
        );
      case 'transport':
        return `${transportPhrase(transport)} found (fail-on: ${label}): use https:// so the key is not sent unencrypted.`;
      case 'overdue-secrets':
        return `${overdue} ${overdue === 1 ? 'secret is' : 'secrets are'} overdue for rotation (fail-on: ${label}).`;
    }
  });
  if (unreadable !== undefined) reasons.push(unreadable);
  if (incomplete !== undefined) reasons.push(incomplete);
  if (reasons.length > 0) core.setFailed(reasons.join(' '));
}

/**
 * The scheduled audit (`schedule`, `workflow_dispatch`): the default branch's whole tree, secret ages,
 * variables and secret-scanning alerts, reported in the job summary, the JSON and SARIF files and one
 * tracking issue.
 */
async function scheduledAudit(inputs: Inputs, ctx: RunContext, repo: RepoRef): Promise<void> {
  const now = new Date();
  const api = createClient(inputs.githubToken, { baseUrl: ctx.apiUrl, secondMs: ctx.apiSecondMs, log: { debug: core.debug, warning: core.warning } });
  const secretsApi = secretsClient(inputs, ctx);
  if (inputs.auditOrg && secretsApi === undefined) {
    core.warning('audit-org needs a secrets-token that can read organization secrets; auditing this repository only.');
  }
  if (inputs.shard !== undefined && !inputs.auditOrg) core.warning('shard applies only with audit-org: true; ignoring it.');
  // The repository's own code is not under review here, so the workspace copy (or the file at the run's
  // commit on the default branch) is the config to trust.
  const loaded = await readConfig(api.client, repo, {
    path: inputs.config.path,
    explicit: inputs.config.explicit,
    workspace: ctx.workspace,
    fallbackRef: ctx.sha,
  });
  core.info(`Config: ${escapeForLog(loaded.source)}`);
  const engine = buildEngine(loaded.config);
  const result = await runScheduledAudit({
    github: api,
    ...(secretsApi !== undefined ? { secrets: secretsApi } : {}),
    repo,
    serverUrl: ctx.serverUrl,
    config: loaded.config,
    engine,
    maxSecretAgeDays: inputs.maxSecretAgeDays,
    ...(inputs.auditOrg && secretsApi !== undefined ? { org: { name: ctx.owner, ...(inputs.shard !== undefined ? { shard: inputs.shard } : {}) } } : {}),
    now,
    log: { info: core.info, warning: (m) => core.warning(escapeForLog(m)) },
    ...(ctx.workspace !== '' && ctx.sha !== '' ? { checkout: { workspace: ctx.workspace, sha: ctx.sha, ref: ctx.ref } } : {}),
  });
  const findings: Finding[] = result.report.findings;
  maskFindings(findings);
  redactSecretsInPaths(findings, result.report.notes);
  // The default branch's own tree: written by people with push access, not by a fork.
  await verifyIfAsked(findings, inputs, ctx, loaded.config, false);
  await auditProviderKeys(result, inputs, loaded.config, now);
  const rotation = { report: result.report.rotation ?? { status: 'skipped', entries: [], problems: [] }, readAnything: result.secretsReadable };
  for (const problem of rotation.report.problems) {
    if (rotation.report.status === 'skipped') core.info(problem);
    else core.warning(escapeForLog(problem));
  }
  const overdue = countOverdue(rotation);
  const unreadable = rotationUnreadable(inputs, rotation);
  for (const reason of result.incomplete) core.warning(escapeForLog(`Part of the tree was not scanned: ${reason}`));
  const incomplete = scanIncomplete(inputs, result.incomplete);

  const disclose = result.repositoryPrivate || inputs.discloseNames;
  const ownership = {
    codeowners: result.codeowners === undefined ? [] : parseCodeowners(result.codeowners.text),
    ...(result.codeowners !== undefined ? { codeownersPath: result.codeowners.path } : {}),
    secrets: loaded.config.rotation.owners,
  };
  const owners = ownersNamed(checklistItems(result.report, result.alerts, now, { ownership, disclose }));
  // Only counted when mentions are wanted: reading team sizes costs a call per team.
  const notified = inputs.mentionOwners && owners.length > 0 ? await peopleNotified((secretsApi ?? api).client, owners) : undefined;
  const weekly: WeeklyOptions = { ownership, mentions: inputs.mentionOwners, disclose, ...(notified !== undefined ? { notifiedPeople: notified } : {}) };
  if (result.codeowners !== undefined) core.info(`Owners: ${escapeForLog(result.codeowners.path)} (${ownership.codeowners.length} rules).`);
  if (inputs.mentionOwners && owners.length > 0 && !mayMention(weekly)) {
    core.info(
      `Owners are named without mentions: ${notified === undefined ? "a team's size could not be read (the token needs organization \"Members: read\")" : 'more than 10 people would be notified'}.`,
    );
  }
  let weeklyText: string | undefined;
  try {
    const shard = inputs.auditOrg && secretsApi !== undefined ? inputs.shard : undefined;
    const synced = await syncTrackingIssue(
      api.client,
      repo,
      result,
      now,
      (r, maxLength) =>
        renderMarkdown(result.repositoryPrivate || inputs.discloseNames ? r : withholdPrivateDetails(r), { surface: 'comment', configPath: inputs.config.path, maxLength }),
      shard !== undefined ? { index: shard.index, total: shard.total } : undefined,
      weekly,
    );
    weeklyText = synced.weeklyText;
    core.info(`Tracking issue: ${synced.action}${synced.number !== undefined ? ` (#${synced.number})` : ''}.`);
  } catch (error) {
    core.warning(
      escapeForLog(
        `Could not update the tracking issue; the result is in the job summary. ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }
  await publish({
    client: api.client,
    repo,
    // A scheduled run has no pull request and no commit under review: no comment, no check run.
    inputs: { ...inputs, checkRun: false },
    report: result.report,
    rules: engine.rules,
    headSha: result.report.target.headSha ?? ctx.sha,
    overdue,
    rotationUnreadable: unreadable !== undefined || incomplete !== undefined,
    workspace: ctx.workspace,
    runnerTemp: ctx.runnerTemp,
    discloseNames: inputs.discloseNames,
    repositoryPrivate: result.repositoryPrivate,
    summaryPrefix: weeklyText ?? weeklySummary(result, now, weekly),
  });
  core.info(`GitHub API calls: ${api.calls()}${secretsApi !== undefined ? `, plus ${secretsApi.calls()} with secrets-token` : ''}.`);
  finish(inputs, { ...countFindings(findings), overdue }, unreadable, incomplete);
}

/**
 * The weekly work list for the job summary when the tracking issue could not be written: this run's
 * items (nothing to tick without last week's issue), what is due next, the charts.
 */
function weeklySummary(result: Awaited<ReturnType<typeof runScheduledAudit>>, now: Date, weekly: WeeklyOptions): string {
  const items = mergeChecklist(checklistItems(result.report, result.alerts, now, weekly), [], now);
  const counts = {
    date: now.toISOString().slice(0, 10),
    leaks: result.report.findings.filter((f) => f.category !== 'transport').length,
    overdue: (result.report.rotation?.entries ?? []).filter((e) => e.status === 'overdue').length,
    alerts: result.alerts.length,
  };
  return [
    renderTrend([counts]),
    renderChecklist(items, now, false),
    renderDueNext(result.report, now, weekly),
    renderAgeChart(result.report, weekly),
    renderRepositoryLines(result.repositories ?? [], weekly),
  ]
    .filter((b) => b !== '')
    .join('\n\n');
}

/** Chooses what to scan for the event; undefined when there is nothing to scan (after saying so). */
function planFor(ctx: RunContext, repo: RepoRef, inputs: Inputs): ChangePlan | undefined {
  const p = ctx.payload;
  switch (ctx.eventName) {
    case 'pull_request':
    case 'pull_request_target': {
      // The action reads the pull request only through the API; it never checks out or runs its code.
      const pr = p['pull_request'] as { number: number; head: { sha: string }; base: { sha: string } } | undefined;
      if (pr === undefined) throw new Error(`The ${ctx.eventName} event payload has no pull_request.`);
      const ref = { ...repo, pull_number: pr.number };
      return {
        kind: 'pull_request',
        headSha: pr.head.sha,
        pullNumber: pr.number,
        configRef: pr.base.sha,
        fromFork: isForkPull(ctx),
        collect: async (client) => {
          const files = await listPullFiles(client, ref);
          const commits = inputs.scanCommits ? await listPullCommits(client, ref) : [];
          return { files, commits, notes: prCapNotes(p, files.length, commits.length) };
        },
      };
    }
    case 'push': {
      const before = String(p['before'] ?? '');
      const after = String(p['after'] ?? ctx.sha);
      if (p['deleted'] === true || NULL_SHA.test(after)) {
        core.notice('The push deleted a branch or tag: nothing to scan.');
        return undefined;
      }
      const defaultBranch = (p['repository'] as { default_branch?: string } | undefined)?.default_branch;
      const isDefault = defaultBranch !== undefined && String(p['ref'] ?? '') === `refs/heads/${defaultBranch}`;
      return {
        kind: 'push',
        headSha: after,
        // A push needs write access to this repository.
        fromFork: false,
        collect: async (client) => {
          // A new branch has no `before`: compare it with the default branch it most likely grew from.
          if (NULL_SHA.test(before) || before === '') {
            if (defaultBranch === undefined || isDefault) {
              const commit = await getCommitFiles(client, repo, after);
              return { files: commit.files, commits: [], notes: ['A first push: only its head commit was scanned.'] };
            }
            return rangeChange(client, repo, defaultBranch, after);
          }
          return rangeChange(client, repo, before, after);
        },
      };
    }
    case 'merge_group': {
      const group = p['merge_group'] as { base_sha: string; head_sha: string } | undefined;
      if (group === undefined) throw new Error('The merge_group event payload has no merge_group.');
      return {
        kind: 'merge_group',
        headSha: group.head_sha,
        // The group's head holds the queued pull requests' own edits, config included: read it at the base.
        configRef: group.base_sha,
        // A merge group mixes pull requests, any of them possibly from a fork; the payload does not say.
        fromFork: undefined,
        collect: (client) => rangeChange(client, repo, group.base_sha, group.head_sha),
      };
    }
    default:
      core.notice(`key-hygiene has nothing to do on the ${escapeForLog(ctx.eventName)} event; run it on pull_request, pull_request_target, push, merge_group, schedule or workflow_dispatch.`);
      return undefined;
  }
}

/**
 * `workflow_run`: the second half of the fork-safe pattern. The first workflow ran on `pull_request`
 * with a read-only token; this one runs in the base repository with a write token and audits the same
 * pull request through the API (never its code), then posts the comment and check run.
 */
async function planForWorkflowRun(ctx: RunContext, repo: RepoRef, inputs: Inputs): Promise<ChangePlan | undefined> {
  const run = ctx.payload['workflow_run'] as { pull_requests?: Array<{ number: number }> } | undefined;
  // GitHub leaves `pull_requests` empty when the pull request comes from a fork, hence the input.
  const number = inputs.pullRequest ?? run?.pull_requests?.[0]?.number;
  if (number === undefined) {
    core.notice('This workflow_run names no pull request: pass its number in the pull-request input (see the fork-safe workflow in docs/workflows.md).');
    return undefined;
  }
  const ref = { ...repo, pull_number: number };
  const api = createClient(inputs.githubToken, { baseUrl: ctx.apiUrl, secondMs: ctx.apiSecondMs, log: { debug: core.debug, warning: core.warning } });
  const heads = await getPullHeads(api.client, ref);
  const payload = { pull_request: { changed_files: heads.changedFiles, commits: heads.commits } };
  return {
    kind: 'pull_request',
    headSha: heads.headSha,
    pullNumber: number,
    configRef: heads.baseSha,
    // Read from the pull request itself: a workflow_run payload says nothing about forks.
    fromFork: heads.fromFork,
    collect: async (client) => {
      const files = await listPullFiles(client, ref);
      const commits = inputs.scanCommits ? await listPullCommits(client, ref) : [];
      return { files, commits, notes: prCapNotes(payload, files.length, commits.length) };
    },
  };
}

async function rangeChange(client: Client, repo: RepoRef, base: string, head: string): Promise<{ files: ChangedFile[]; commits: string[]; notes: string[] }> {
  const cmp = await compareCommits(client, repo, base, head);
  const notes = cmp.maybeTruncated
    ? ["The range is larger than GitHub's compare view (300 files, 250 commits): files or commits past those limits were not scanned."]
    : [];
  return { files: cmp.files, commits: cmp.commits, notes };
}

/** Whether the change touches the config file (its repository path, as the input names it). */
function changesConfig(files: readonly ChangedFile[], configPath: string): boolean {
  const path = configPath.replace(/^(\.\/)+/, '');
  return files.some((f) => f.status !== 'removed' && (f.filename === path || f.previous_filename === path));
}

/** Says when GitHub's listing caps left part of a large pull request out. */
function prCapNotes(payload: Record<string, unknown>, files: number, commits: number): string[] {
  const pr = payload['pull_request'] as { changed_files?: number; commits?: number };
  const notes: string[] = [];
  if (typeof pr.changed_files === 'number' && files < Math.min(pr.changed_files, MAX_PR_FILES)) {
    // Fewer than GitHub's cap: the listing itself stopped short (a page went missing).
    notes.push(`GitHub listed ${files} of the pull request's ${pr.changed_files} changed files; the others were not scanned.`);
  } else if (typeof pr.changed_files === 'number' && pr.changed_files > files) {
    notes.push(`GitHub lists at most 3,000 files of a pull request: ${pr.changed_files - files} of its ${pr.changed_files} changed files were not scanned.`);
  }
  if (commits > 0 && typeof pr.commits === 'number' && pr.commits > commits) {
    notes.push(`GitHub lists at most 250 commits of a pull request: ${pr.commits - commits} older commits were not checked for keys removed later.`);
  }
  return notes;
}
