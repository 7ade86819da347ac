import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as core from '@actions/core';
import type { FailOn, FailReason, Inputs } from '../inputs.js';
import { countFindings, isTransport, transportPhrase, type FindingCounts } from '../report/counts.js';
import { renderJson } from '../report/json.js';
import { MAX_COMMENT_LENGTH } from '../report/limits.js';
import { MARKDOWN_LIMITS, renderMarkdown } from '../report/markdown.js';
import { withholdPrivateDetails } from '../report/disclosure.js';
import type { Report } from '../report/model.js';
import { renderSarif, type SarifRuleInfo } from '../report/sarif.js';
import { bySeverity } from '../report/sort.js';
import { secretOf } from '../scan/engine.js';
import type { Finding } from '../scan/types.js';
import type { CheckAnnotation } from '../github/checks.js';
import { publishCheckRun } from '../github/checks.js';
import type { Client } from '../github/client.js';
import type { RepoRef } from '../github/commits.js';
import { COMMENT_MARKER, findStickyComment, upsertStickyComment } from '../github/comments.js';
import { MAX_WORKFLOW_ANNOTATIONS_PER_LEVEL } from '../github/limits.js';
import { getTokenIdentity } from '../github/users.js';
import { escapeForLog, withCommandsStopped } from './log.js';

/** The check run's name, as it appears in the pull request's checks list. */
export const CHECK_RUN_NAME = 'Key hygiene';

/**
 * A hidden line at the end of the comment recording how many findings it reported, so that the next run,
 * finding none, can say "fixed" rather than "none found".
 */
const STATE_PREFIX = '<!-- key-hygiene:findings=';
const stateLine = (n: number): string => `${STATE_PREFIX}${n} -->`;

/**
 * Registers every found value with the runner's log masking. Must run before anything about the
 * findings is printed. A multi-line key (a PEM block) is masked line by line too, because the runner
 * matches masks within single log lines; the `-----BEGIN/END` armour lines are not secret and stay readable.
 */
export function maskFindings(findings: readonly Finding[]): void {
  for (const f of findings) {
    // A transport finding's value is a public API host: masking it would only blank that host out of every log line.
    if (isTransport(f)) continue;
    const secret = secretOf(f);
    if (secret === undefined || secret === '') continue;
    core.setSecret(secret);
    if (/[\r\n]/.test(secret)) {
      for (const line of secret.split(/\r?\n/)) {
        const part = line.trim();
        if (part.length >= 8 && !part.startsWith('-----')) core.setSecret(part);
      }
    }
  }
}

/** What `fail-on` judges: leaked keys, transport findings (counted apart) and overdue secrets. */
export interface FailCounts extends FindingCounts {
  overdue: number;
}

/** The reasons, among those `fail-on` names, that hold: the run fails when there is any. */
export function failReasons(failOn: FailOn, counts: FailCounts): FailReason[] {
  const out: FailReason[] = [];
  if (failOn.leaks && counts.keys > 0) out.push('leaks');
  if (failOn.transport && counts.transport > 0) out.push('transport');
  if (failOn.overdueSecrets && counts.overdue > 0) out.push('overdue-secrets');
  return out;
}

/** Whether the run fails, per the `fail-on` input. */
export function shouldFail(failOn: FailOn, counts: FailCounts): boolean {
  return failReasons(failOn, counts).length > 0;
}

export interface PublishTarget {
  client: Client;
  repo: RepoRef;
  inputs: Inputs;
  report: Report;
  rules: readonly SarifRuleInfo[];
  /** The pull request to comment on; undefined outside pull requests. */
  pullNumber?: number;
  /** The commit the check run goes on: a pull request's head commit, a push's pushed commit. */
  headSha: string;
  overdue: number;
  /** `fail-on` asks about overdue secrets and none could be read: the run fails, so the check does too. */
  rotationUnreadable?: boolean;
  workspace: string;
  runnerTemp: string;
  /**
   * Whether the job summary and check run may name secrets, repositories and ages (the repository is
   * private or internal, or `disclose-names` asks). The PR comment of a public repository never does.
   */
  discloseNames: boolean;
  /** Whether the repository is private or internal. */
  repositoryPrivate: boolean;
  /** Markdown put before the report in the job summary: the weekly work list on scheduled runs. */
  summaryPrefix?: string;
}

/**
 * Reports the result everywhere it is wanted: PR comment, check run, job summary, workflow annotations,
 * the JSON report and SARIF file. The comment and the check run are best effort: when the token may not
 * write them (403) or GitHub refuses (404/422), the run logs why and what to change, and the result is
 * still in the job summary, the annotations and the run's own outcome.
 */
export async function publish(target: PublishTarget): Promise<void> {
  const { report, inputs } = target;
  const failing = shouldFail(inputs.failOn, { ...countFindings(report.findings), overdue: target.overdue }) || target.rotationUnreadable === true;
  const configPath = inputs.config.path;

  logFindings(report);

  if (target.pullNumber !== undefined) await publishComment(target, configPath);
  if (inputs.checkRun) await publishCheck(target, failing, configPath);

  const prefixBytes = Buffer.byteLength(target.summaryPrefix ?? '', 'utf8');
  // The job summary's 1 MiB holds both: the report gives up what the work list takes.
  const summary = renderMarkdown(shownReport(target, 'summary'), { surface: 'summary', configPath, maxLength: MARKDOWN_LIMITS.summary - prefixBytes - 2 });
  await writeJobSummary(target.summaryPrefix === undefined || target.summaryPrefix === '' ? summary : `${target.summaryPrefix}\n\n${summary}`);
  annotateWorkflow(report.findings);

  const reportPath = await writeJsonReport(target.runnerTemp, report);
  core.setOutput('report', reportPath);
  core.info(`JSON report: ${escapeForLog(reportPath)}`);
  if (inputs.sarifFile !== '') {
    const sarifPath = resolve(target.workspace, inputs.sarifFile);
    await mkdir(dirname(sarifPath), { recursive: true });
    await writeFile(sarifPath, renderSarif(report, target.rules), 'utf8');
    core.setOutput('sarif-file', sarifPath);
    core.info(`SARIF: ${escapeForLog(sarifPath)}`);
  }
}

/** The notes and findings in the log: paths and notes quote the pull request, so commands are off meanwhile. */
function logFindings(report: Report): void {
  if (report.notes.length === 0 && report.findings.length === 0) {
    core.info('No leaked keys found.');
    return;
  }
  withCommandsStopped(core.info, () => {
    for (const note of report.notes) core.info(`Note: ${escapeForLog(note)}`);
    const sorted = [...report.findings].sort(bySeverity);
    const keys = sorted.filter((f) => !isTransport(f));
    const transport = sorted.filter(isTransport);
    if (keys.length === 0) core.info('No leaked keys found.');
    else core.info(`${keys.length} leaked key(s) found:`);
    for (const f of keys) logFinding(f);
    if (transport.length > 0) {
      core.info(`${transportPhrase(transport.length)} (no key leaked; requests would send the key unencrypted):`);
      for (const f of transport) logFinding(f);
    }
  });
}

function logFinding(f: Finding): void {
  const where = `${f.file}:${f.line}:${f.column}`;
  const history = f.source === 'history' ? ` (removed in a later commit but still in history, added in ${(f.commit ?? '').slice(0, 7)}: rotate it)` : '';
  core.info(`  ${f.severity} ${escapeForLog(where)} ${escapeForLog(f.title)} ${escapeForLog(f.redacted)}${history} fingerprint ${f.fingerprint}`);
}

async function publishComment(target: PublishTarget, configPath: string): Promise<void> {
  const { client, repo, inputs, report } = target;
  const issue = { ...repo, issue_number: target.pullNumber as number };
  await bestEffort('pull request comment', async () => {
    const existing = await findStickyComment(client, issue, await getTokenIdentity(client));
    const quiet = report.findings.length === 0 && (report.suppressedInChange ?? []).length === 0;
    if (existing === undefined && (inputs.comment === 'never' || (inputs.comment === 'on-findings' && quiet))) {
      core.debug('No pull request comment: none exists and the comment input does not ask for one.');
      return;
    }
    const previous = existing === undefined ? 0 : previousFindings(existing.body);
    // Keys only: "the earlier findings were fixed" speaks of keys to revoke.
    const state = stateLine(countFindings(report.findings).keys);
    const rendered = renderMarkdown(shownReport(target, 'comment'), {
      surface: 'comment',
      marker: COMMENT_MARKER,
      configPath,
      previouslyHadFindings: previous > 0,
      maxLength: MAX_COMMENT_LENGTH - state.length - 1,
    });
    const outcome = await upsertStickyComment(client, issue, existing, `${rendered}${state}\n`, inputs.comment !== 'never');
    core.info(`Pull request comment: ${outcome}.`);
  });
}

/** The report a surface may show: without secret and repository names where the repository is public. */
function shownReport(target: PublishTarget, surface: 'summary' | 'check' | 'comment'): Report {
  if (target.repositoryPrivate) return target.report;
  if (surface !== 'comment' && target.discloseNames) return target.report;
  return withholdPrivateDetails(target.report);
}

/** The finding count the previous run recorded; a comment from before the state line counts as findings. */
function previousFindings(body: string): number {
  const at = body.lastIndexOf(STATE_PREFIX);
  if (at === -1) return 1;
  const n = Number.parseInt(body.slice(at + STATE_PREFIX.length), 10);
  return Number.isFinite(n) ? n : 1;
}

/**
 * Check-run annotations per run, most severe first. GitHub takes 50 per request, so 5,000 findings would
 * cost 99 update calls; 1,000 (20 calls) is more than anyone reads, and the summary says how many were left out.
 */
export const MAX_CHECK_ANNOTATIONS = 1000;

async function publishCheck(target: PublishTarget, failing: boolean, configPath: string): Promise<void> {
  const { client, repo } = target;
  const { keys: n, transport } = countFindings(target.report.findings);
  const title = [n === 0 ? 'No leaked keys' : `${n} leaked ${n === 1 ? 'key' : 'keys'} found`, ...(transport > 0 ? [transportPhrase(transport)] : [])].join('; ');
  const all = target.report.findings.length;
  const annotated = [...target.report.findings].sort(bySeverity).slice(0, MAX_CHECK_ANNOTATIONS);
  const left = all - annotated.length;
  const report: Report =
    left === 0
      ? target.report
      : {
          ...target.report,
          notes: [...target.report.notes, `${left} less severe ${left === 1 ? 'finding has' : 'findings have'} no annotation: a check run carries the ${MAX_CHECK_ANNOTATIONS.toLocaleString('en-US')} most severe.`],
        };
  await bestEffort('check run', async () => {
    const id = await publishCheckRun(client, repo, {
      name: CHECK_RUN_NAME,
      headSha: target.headSha,
      conclusion: failing ? 'failure' : report.findings.length > 0 || target.overdue > 0 ? 'neutral' : 'success',
      title,
      summary: renderMarkdown(shownReport({ ...target, report }, 'check'), { surface: 'check', configPath }),
      annotations: annotated.map(toCheckAnnotation),
    });
    core.info(`Check run "${CHECK_RUN_NAME}" published (id ${id}) on ${target.headSha.slice(0, 7)}.`);
  });
}

/** Runs one optional publication; any failure is logged as a warning, never fatal. */
async function bestEffort(what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.warning(escapeForLog(`Could not publish the ${what}; the result is in the job summary and annotations. ${message}`));
  }
}

/** A leaked key of high or critical severity; a transport finding leaked nothing and is a warning at most. */
function isSevere(f: Finding): boolean {
  return !isTransport(f) && (f.severity === 'critical' || f.severity === 'high');
}

function annotationMessage(f: Finding): string {
  const history = f.source === 'history' ? `Removed in a later commit but still in history (added in ${(f.commit ?? '').slice(0, 7)}): rotate it. ` : '';
  const notes = (f.notes ?? []).map((n) => `${n} `).join('');
  return `${history}${f.title} (${f.redacted}). ${notes}${f.remediation.text} ${f.remediation.url}`;
}

function toCheckAnnotation(f: Finding): CheckAnnotation {
  const a: CheckAnnotation = {
    path: f.file,
    start_line: f.line,
    end_line: Math.max(f.line, f.endLine),
    annotation_level: isSevere(f) ? 'failure' : 'warning',
    title: f.title,
    message: annotationMessage(f),
  };
  // GitHub accepts columns only on single-line annotations.
  if (a.end_line === a.start_line) {
    a.start_column = f.column;
    a.end_column = f.column + Math.max(0, f.length - 1);
  }
  return a;
}

function annotateWorkflow(findings: readonly Finding[]): void {
  let errors = 0;
  let warnings = 0;
  for (const f of [...findings].sort(bySeverity)) {
    const severe = isSevere(f);
    if (severe ? errors >= MAX_WORKFLOW_ANNOTATIONS_PER_LEVEL : warnings >= MAX_WORKFLOW_ANNOTATIONS_PER_LEVEL) continue;
    // core escapes the message and properties of workflow commands itself.
    const props = { title: f.title, file: f.file, startLine: f.line, endLine: Math.max(f.line, f.endLine) };
    if (severe) {
      core.error(annotationMessage(f), props);
      errors++;
    } else {
      core.warning(annotationMessage(f), props);
      warnings++;
    }
  }
}

async function writeJobSummary(markdown: string): Promise<void> {
  if ((process.env['GITHUB_STEP_SUMMARY'] ?? '') === '') {
    core.debug('No job summary file (GITHUB_STEP_SUMMARY is not set).');
    return;
  }
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    core.warning(escapeForLog(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`));
  }
}

async function writeJsonReport(runnerTemp: string, report: Report): Promise<string> {
  const dir = join(runnerTemp !== '' ? runnerTemp : resolve('.'), 'key-hygiene');
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'report.json');
  await writeFile(path, renderJson(report), 'utf8');
  return path;
}
