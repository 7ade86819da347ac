/**
 * Reruns after a failure half-way: whatever the first run managed or lost, the rerun leaves exactly one
 * sticky comment and one tracking issue, up to date.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUEST_TIMEOUT_MS } from '../../src/github/client.js';
import { TRACKING_MARKER } from '../../src/report/tracking-issue.js';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { fakeSha, type RepoSeed } from '../fake-github/state.js';
import { runAction, type RunActionResult } from '../helpers/run-action.js';
import { FULL, OWNER, PR, REPO, cleanFile, comments, key, leakyFile, runOnPull, startWith } from '../action/scenario.js';

const COMMENTS = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
/** The retry plugin's attempts for a 5xx: the first call and its three retries. */
const ALL_ATTEMPTS = 4;

const warnings = (run: RunActionResult): string[] => run.commands.filter((c) => c.command === 'warning').map((c) => c.message);

describe.concurrent('the sticky comment after a failed run', () => {
  it('an update that failed with 500 is made by the rerun: one comment, with the new finding', async () => {
    const api = await startWith({ files: [cleanFile('a.ts')] });
    try {
      const first = await runOnPull(api, { comment: 'always' });
      expect(first.code).toBe(0);
      expect(comments(api)).toHaveLength(1);

      // A push adds a key: the comment must change, and GitHub fails every attempt at it.
      const pull = api.state.repos.get(FULL)?.pulls.get(PR);
      if (pull === undefined) throw new Error('no pull request');
      pull.files = [leakyFile('a.ts', key(3001))];
      pull.commits = [{ sha: pull.head.sha, files: pull.files }];
      const fault = api.faults.add({ method: 'PATCH', path: '/repos/{owner}/{repo}/issues/comments/{comment_id}', fault: 'status', status: 500, times: ALL_ATTEMPTS });
      const failed = await runOnPull(api, { comment: 'always' });
      expect(fault.fired).toBe(ALL_ATTEMPTS);
      expect(failed.code).toBe(1);
      expect(failed.summary).toContain('a.ts:2');
      expect(warnings(failed).some((w) => w.includes('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}') && /rerun/.test(w))).toBe(true);
      expect(comments(api)[0]?.body).not.toContain('a.ts');

      const rerun = await runOnPull(api, { comment: 'always' });
      expect(rerun.code).toBe(1);
      const after = comments(api);
      expect(after).toHaveLength(1);
      expect(after[0]?.body).toContain('a.ts');
    } finally {
      await api.close();
    }
  }, 90_000);

  it('a comment listing cut short on a full page still finds the comment on the next: one comment', async () => {
    const api = await startWith({ files: [leakyFile('a.ts', key(3004))] });
    try {
      // A busy pull request: a full first page of people's comments, then the action's own.
      const repo = api.state.repos.get(FULL);
      if (repo === undefined) throw new Error('no repo');
      for (let i = 0; i < 100; i++) {
        repo.comments.push({ id: api.state.id(), issue_number: PR, body: `Review note ${i}`, user: { login: 'reviewer', type: 'User' }, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' });
      }
      expect((await runOnPull(api)).code).toBe(1);
      expect(comments(api).filter((c) => c.body.startsWith('<!--'))).toHaveLength(1);

      // GitHub's Link header stops after the first page.
      const fault = api.faults.add({ method: 'GET', path: COMMENTS, fault: 'link-stops-early', times: 'always' });
      const rerun = await runOnPull(api);
      expect(fault.fired).toBeGreaterThan(0);
      expect(rerun.code).toBe(1);
      const mine = comments(api).filter((c) => c.body.startsWith('<!--'));
      expect(mine).toHaveLength(1);
      expect(mine[0]?.body).toContain('a.ts');
    } finally {
      await api.close();
    }
  }, 90_000);

  it('a create whose answer was lost (past the timeout) is not repeated; the rerun updates it: one comment', async () => {
    const api = await startWith({ files: [leakyFile('a.ts', key(3002))] });
    try {
      // GitHub creates the comment, but answers after the client has given up.
      api.faults.add({ method: 'POST', path: COMMENTS, fault: 'delay', ms: REQUEST_TIMEOUT_MS + 2_000 });
      const lost = await runOnPull(api);
      expect(lost.code).toBe(1);
      expect(warnings(lost).some((w) => w.includes(`POST ${COMMENTS}`))).toBe(true);
      expect(api.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/issues/${PR}/comments`))).toHaveLength(1);
      await waitFor(() => comments(api).length === 1);

      const rerun = await runOnPull(api);
      expect(rerun.code).toBe(1);
      expect(comments(api)).toHaveLength(1);
    } finally {
      await api.close();
    }
  }, 120_000);
});

const MAIN = fakeSha('idempotency-main');

function auditSeed(): RepoSeed {
  return {
    owner: OWNER,
    name: REPO,
    default_branch: 'main',
    snapshots: [{ sha: MAIN, ref: 'main', files: { 'src/settings.ts': `export const token = "${key(3003)}";\n` } }],
  };
}

async function runSchedule(api: FakeGitHub): Promise<RunActionResult> {
  const temp = await mkdtemp(join(tmpdir(), 'kh-idem-'));
  try {
    return await runAction({
      api,
      eventName: 'schedule',
      payload: {},
      repository: FULL,
      workspace: join(temp, 'workspace'),
      env: { RUNNER_TEMP: join(temp, 'runner-temp'), GITHUB_SHA: MAIN, GITHUB_REF: 'refs/heads/main' },
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

function trackingIssues(api: FakeGitHub) {
  return (api.state.repos.get(FULL)?.issues ?? []).filter((i) => (i.body ?? '').startsWith(TRACKING_MARKER));
}

describe.concurrent('the tracking issue after a failed run', () => {
  it('a failure creating the label leaves no issue; the rerun creates one, and only one', async () => {
    const api = await startFakeGitHub({ repos: [auditSeed()] });
    try {
      const fault = api.faults.add({ method: 'POST', path: '/repos/{owner}/{repo}/labels', fault: 'status', status: 500, times: ALL_ATTEMPTS });
      const failed = await runSchedule(api);
      expect(fault.fired).toBe(ALL_ATTEMPTS);
      expect(failed.code).toBe(1);
      expect(failed.summary).toContain('src/settings.ts');
      expect(warnings(failed).some((w) => w.includes('tracking issue') && w.includes('POST /repos/{owner}/{repo}/labels'))).toBe(true);
      expect(trackingIssues(api)).toHaveLength(0);

      const rerun = await runSchedule(api);
      expect(rerun.code).toBe(1);
      expect(trackingIssues(api)).toHaveLength(1);
      expect(trackingIssues(api)[0]?.labels).toContain('key-hygiene');

      await runSchedule(api);
      expect(trackingIssues(api)).toHaveLength(1);
    } finally {
      await api.close();
    }
  }, 90_000);

  it('a create whose answer was lost is not repeated; the rerun finds the issue and updates it', async () => {
    const api = await startFakeGitHub({ repos: [auditSeed()] });
    try {
      api.faults.add({ method: 'POST', path: '/repos/{owner}/{repo}/issues', fault: 'delay', ms: REQUEST_TIMEOUT_MS + 2_000 });
      const lost = await runSchedule(api);
      expect(lost.code).toBe(1);
      expect(api.requests.filter((r) => r.method === 'POST' && r.path === `/repos/${FULL}/issues`)).toHaveLength(1);
      await waitFor(() => trackingIssues(api).length === 1);

      const rerun = await runSchedule(api);
      expect(rerun.code).toBe(1);
      expect(trackingIssues(api)).toHaveLength(1);
    } finally {
      await api.close();
    }
  }, 120_000);
});

/** The fake finishes a delayed create after the client gave up; wait for it rather than for a fixed time. */
async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 100));
  expect(done()).toBe(true);
}
