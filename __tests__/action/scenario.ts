/**
 * Shared set-up for the action's integration tests: a fake repository with one pull request whose
 * files carry keys generated at test time, and a runner for the built action against it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { githubRules } from '../../src/rules/github.js';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { fakeSha, type FakeCommit, type FakeFile, type RepoSeed } from '../fake-github/state.js';
import { loadWebhookPayload, runAction, type RunActionResult } from '../helpers/run-action.js';
import { seededGen } from '../helpers/sample-gen.js';

export const OWNER = 'acme';
export const REPO = 'app';
export const FULL = `${OWNER}/${REPO}`;
export const PR = 7;
export const HEAD = fakeSha('pr-head');
export const BASE = fakeSha('pr-base');

/** A fresh classic GitHub token (valid checksum), different for each seed. */
export function key(seed: number): string {
  const rule = githubRules[0];
  if (rule === undefined) throw new Error('no GitHub rule');
  return rule.samples.secret(seededGen(seed));
}

/** A one-hunk patch adding `lines` at the top of a new file. */
export function addPatch(lines: string[]): string {
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
}

/** A file that adds one line assigning `secret`, at line 2. */
export function leakyFile(path: string, secret: string): FakeFile {
  return { filename: path, status: 'added', patch: addPatch(['// settings', `const token = "${secret}";`]) };
}

export function cleanFile(path: string): FakeFile {
  return { filename: path, status: 'modified', patch: addPatch(['export const answer = 42;']) };
}

export interface PullSeed {
  files: FakeFile[];
  /** Default: one commit adding the PR's files. */
  commits?: FakeCommit[];
  extra?: Partial<RepoSeed>;
}

export function repoSeed(pull: PullSeed): RepoSeed {
  return {
    owner: OWNER,
    name: REPO,
    pulls: [
      {
        number: PR,
        head: { sha: HEAD, ref: 'feature' },
        base: { sha: BASE, ref: 'main' },
        files: pull.files,
        commits: pull.commits ?? [{ sha: HEAD, message: 'change', files: pull.files }],
      },
    ],
    ...pull.extra,
  };
}

export async function startWith(pull: PullSeed): Promise<FakeGitHub> {
  return startFakeGitHub({ repos: [repoSeed(pull)], viewer: { login: 'github-actions[bot]', type: 'Bot' } });
}

export interface ActionRun extends RunActionResult {
  /** The JSON report's text (read before the temp directory goes). */
  jsonReport: string | undefined;
  sarif: string | undefined;
}

/** Runs the built action on a `pull_request` event for PR #7, keeping the report files for inspection. */
export async function runOnPull(
  api: FakeGitHub,
  inputs: Record<string, string | number | boolean> = {},
  opts: { eventName?: string; payload?: Record<string, unknown> } = {},
): Promise<ActionRun> {
  const temp = await mkdtemp(join(tmpdir(), 'kh-action-'));
  try {
    const eventName = opts.eventName ?? 'pull_request';
    const payload =
      opts.payload ?? loadWebhookPayload(`${eventName}.synchronize`, { repository: FULL, number: PR, headSha: HEAD, baseSha: BASE });
    const result = await runAction({
      api,
      eventName,
      payload,
      inputs,
      workspace: join(temp, 'workspace'),
      env: { RUNNER_TEMP: join(temp, 'runner-temp') },
    });
    const read = async (path: string | undefined): Promise<string | undefined> => (path === undefined ? undefined : readFile(path, 'utf8').catch(() => undefined));
    return { ...result, jsonReport: await read(result.outputs['report']), sarif: await read(result.outputs['sarif-file']) };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** Everything the action printed or wrote, except the mask registrations the runner consumes. */
export function everythingVisible(run: ActionRun, api: FakeGitHub): string {
  const stdout = run.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  return [stdout, run.stderr, run.summary, JSON.stringify(run.outputs), run.jsonReport ?? '', run.sarif ?? '', JSON.stringify(run.requests.map((r) => r.body)), JSON.stringify(api.requests.map((r) => r.body))].join('\n');
}

/** Comments on the PR in the fake's state. */
export function comments(api: FakeGitHub): Array<{ id: number; body: string }> {
  return api.state.repos.get(FULL)?.comments.filter((c) => c.issue_number === PR) ?? [];
}

export function checkRuns(api: FakeGitHub) {
  return api.state.repos.get(FULL)?.checkRuns ?? [];
}
