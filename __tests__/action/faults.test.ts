import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../fake-github/server.js';
import { checkRuns, comments, everythingVisible, key, leakyFile, runOnPull, startWith } from './scenario.js';

let api: FakeGitHub | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const warnings = (run: { commands: Array<{ command: string; message: string }> }): string[] =>
  run.commands.filter((c) => c.command === 'warning').map((c) => c.message);

describe('a token without write permissions', () => {
  it('on the comment: still publishes the check run and summary, names pull-requests: write, and fails per fail-on', async () => {
    const secret = key(30);
    api = await startWith({ files: [leakyFile('a.ts', secret)] });
    api.faults.add({ method: 'POST', path: '/repos/{owner}/{repo}/issues/{issue_number}/comments', status: 403, fault: 'status', message: 'Resource not accessible by integration', times: 'always' });
    const run = await runOnPull(api);

    expect(run.code).toBe(1);
    expect(comments(api)).toHaveLength(0);
    expect(checkRuns(api)).toHaveLength(1);
    expect(run.summary).toContain('a.ts:2');
    expect(run.outputs['findings']).toBe('1');
    const warning = warnings(run).find((w) => w.includes('pull request comment'));
    expect(warning).toContain('"pull-requests: write"');
    expect(warning).toContain('permissions: { contents: read, pull-requests: write }');
    expect(warning).toContain('POST /repos/{owner}/{repo}/issues/{issue_number}/comments');
    expect(run.commands.some((c) => c.command === 'error' && /1 leaked key found/.test(c.message))).toBe(true);
    expect(everythingVisible(run, api).includes(secret)).toBe(false);
  });

  it('on the check run: still comments and summarizes, names checks: write, and fails per fail-on', async () => {
    api = await startWith({ files: [leakyFile('a.ts', key(31))] });
    api.faults.add({ method: 'POST', path: '/repos/{owner}/{repo}/check-runs', status: 403, fault: 'status', message: 'Resource not accessible by integration', times: 'always' });
    const run = await runOnPull(api);

    expect(run.code).toBe(1);
    expect(checkRuns(api)).toHaveLength(0);
    expect(comments(api)).toHaveLength(1);
    expect(run.summary).toContain('a.ts:2');
    const warning = warnings(run).find((w) => w.includes('check run'));
    expect(warning).toContain('"checks: write"');
    expect(warning).toContain('permissions: { contents: read, checks: write }');
    // The annotations still reach the pull request through workflow commands.
    expect(run.commands.some((c) => c.command === 'error' && c.properties['file'] === 'a.ts')).toBe(true);
  });

  it('on a clean run with fail-on: leaks, the refused check run does not fail the run', async () => {
    api = await startWith({ files: [{ filename: 'a.ts', status: 'added', patch: '@@ -0,0 +1 @@\n+ok' }] });
    api.faults.add({ method: 'POST', path: '/repos/{owner}/{repo}/check-runs', status: 403, fault: 'status', times: 'always' });
    const run = await runOnPull(api);
    expect(run.code).toBe(0);
  });

  it('a 404 reading the pull request fails with the endpoint and a plain explanation', async () => {
    api = await startWith({ files: [leakyFile('a.ts', key(32))] });
    api.faults.add({ method: 'GET', path: '/repos/{owner}/{repo}/pulls/{pull_number}/files', status: 404, fault: 'status', times: 'always' });
    const run = await runOnPull(api);
    expect(run.code).toBe(1);
    const failure = run.commands.find((c) => c.command === 'error');
    expect(failure?.message).toContain('GET /repos/{owner}/{repo}/pulls/{pull_number}/files answered 404');
    expect(failure?.message).toMatch(/not visible to this token/);
  });

  it('a 422 on the check run is reported with the endpoint and GitHub’s reason', async () => {
    api = await startWith({ files: [leakyFile('a.ts', key(33))] });
    api.faults.add({ method: 'POST', path: '/repos/{owner}/{repo}/check-runs', status: 422, fault: 'status', message: 'No commit found for SHA', times: 'always' });
    const run = await runOnPull(api);
    expect(run.code).toBe(1);
    expect(warnings(run).some((w) => w.includes('POST /repos/{owner}/{repo}/check-runs rejected the request as invalid (422: No commit found for SHA)'))).toBe(true);
    expect(comments(api)).toHaveLength(1);
  });
});

describe('rate limits and server errors', () => {
  it('waits out a secondary rate limit for the retry-after seconds, then carries on', async () => {
    api = await startWith({ files: [leakyFile('a.ts', key(34))] });
    const fault = api.faults.add({ method: 'GET', path: '/repos/{owner}/{repo}/pulls/{pull_number}/files', fault: 'secondary-rate-limit', retryAfter: 1 });
    const run = await runOnPull(api);
    expect(fault.fired).toBe(1);
    expect(run.code).toBe(1);
    expect(run.outputs['findings']).toBe('1');
    expect(warnings(run).some((w) => /secondary rate limit.*retrying in 1 s/.test(w))).toBe(true);
    expect(run.requests.filter((r) => r.path.endsWith('/pulls/7/files'))).toHaveLength(2);
  });

  it('gives up after a bounded number of secondary rate limits, with a message naming the limit', async () => {
    api = await startWith({ files: [leakyFile('a.ts', key(35))] });
    api.faults.add({ method: 'GET', path: '/repos/{owner}/{repo}/pulls/{pull_number}/files', fault: 'secondary-rate-limit', retryAfter: 1, times: 'always' });
    const run = await runOnPull(api);
    expect(run.code).toBe(1);
    expect(run.requests.filter((r) => r.path.endsWith('/pulls/7/files'))).toHaveLength(4);
    expect(run.commands.find((c) => c.command === 'error')?.message).toMatch(/rate limit/i);
  });

  it('retries a 5xx and succeeds', async () => {
    api = await startWith({ files: [leakyFile('a.ts', key(36))] });
    const fault = api.faults.add({ method: 'GET', path: '/repos/{owner}/{repo}/pulls/{pull_number}/files', status: 502, fault: 'status' });
    const run = await runOnPull(api);
    expect(fault.fired).toBe(1);
    expect(run.outputs['findings']).toBe('1');
    expect(comments(api)).toHaveLength(1);
  });
});
