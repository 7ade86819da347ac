import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_GITHUB_TOKEN, inputEnvName, loadWebhookPayload, parseOutputFile, runAction } from '../helpers/run-action.js';
import { startFakeGitHub, type FakeGitHub } from './server.js';
import { fakeSha } from './state.js';

const entry = fileURLToPath(new URL('./fixtures/stub-action.mjs', import.meta.url));
const actionYml = fileURLToPath(new URL('./fixtures/action.yml', import.meta.url));

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

async function start(): Promise<FakeGitHub> {
  gh = await startFakeGitHub({
    repos: [{ owner: 'acme', name: 'app', default_branch: 'trunk', pulls: [{ number: 12, head: { sha: fakeSha('h'), ref: 'feature' }, base: { sha: fakeSha('b'), ref: 'trunk' } }] }],
  });
  return gh;
}

describe('runAction', () => {
  it('runs the entry with runner-style inputs, event and API variables, and reads back what it wrote', async () => {
    const api = await start();
    const payload = loadWebhookPayload('pull_request.opened', { repository: 'acme/app', number: 12, headSha: fakeSha('h'), defaultBranch: 'trunk', baseRef: 'trunk' });
    const result = await runAction({ entry, actionYml, api, eventName: 'pull_request', payload, inputs: { 'fail-on': 'critical' } });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      'default-branch': 'trunk',
      report: 'line one\nline two for PR 12',
      'fail-on': 'critical',
      'scan commits': 'true',
      event: `pull_request ${fakeSha('merge:acme/app#12')} refs/pull/12/merge`,
    });
    expect(result.env).toMatchObject({ 'INPUT_GITHUB-TOKEN': FAKE_GITHUB_TOKEN, INPUT_SCAN_COMMITS: 'true', GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'acme/app' });
    expect(result.env).not.toHaveProperty('INPUT_SARIF-FILE');
    expect(result.summary).toContain('<h1>Stub report</h1>');
    expect(result.commands).toContainEqual({ command: 'warning', properties: { file: 'src/a.ts', line: '3' }, message: 'two\nlines' });
    expect(result.requests.map((r) => [r.method, r.path, r.headers['authorization']])).toEqual([['GET', '/repos/acme/app', `token ${FAKE_GITHUB_TOKEN}`]]);
  });

  it('reports a failed run through the exit code and an error command', async () => {
    const api = await start();
    const payload = loadWebhookPayload('push', { repository: 'acme/app', defaultBranch: 'trunk' });
    const result = await runAction({ entry, actionYml, api, eventName: 'push', payload, inputs: { 'fail-on': 'always' } });
    expect(result.code).toBe(1);
    expect(result.commands).toContainEqual({ command: 'error', properties: {}, message: 'failing as asked' });
  });

  it('passes none of the parent environment but PATH and HOME, so a developer token cannot leak in', async () => {
    const api = await start();
    process.env['GITHUB_TOKEN_FROM_PARENT'] = 'parent-value';
    try {
      const result = await runAction({ entry, actionYml, api, eventName: 'workflow_dispatch', payload: loadWebhookPayload('workflow_dispatch', { repository: 'acme/app' }) });
      expect(result.env).not.toHaveProperty('GITHUB_TOKEN_FROM_PARENT');
      expect(result.code).toBe(0);
    } finally {
      delete process.env['GITHUB_TOKEN_FROM_PARENT'];
    }
  });

  it('refuses an input that action.yml does not declare', async () => {
    const api = await start();
    await expect(runAction({ entry, actionYml, api, inputs: { 'fail-om': 'high' } })).rejects.toThrow(/"fail-om" is not declared/);
  });
});

describe('runner conventions', () => {
  it('names input variables as the runner does: upper case, spaces to underscores, hyphens kept', () => {
    expect(inputEnvName('github-token')).toBe('INPUT_GITHUB-TOKEN');
    expect(inputEnvName('max secret age')).toBe('INPUT_MAX_SECRET_AGE');
  });

  it('parses both GITHUB_OUTPUT forms', () => {
    const text = 'plain=value=with=equals\nmulti<<ghadelimiter_1\nfirst\n\nthird\nghadelimiter_1\nempty=\n';
    expect(parseOutputFile(text)).toEqual({ plain: 'value=with=equals', multi: 'first\n\nthird', empty: '' });
  });
});

describe('loadWebhookPayload', () => {
  it('rewrites a pull_request example to the seeded repository, PR and shas', () => {
    const p = loadWebhookPayload('pull_request.synchronize', { repository: 'acme/app', number: 12, headSha: fakeSha('h'), baseSha: fakeSha('b'), headRef: 'feature' }) as {
      action: string;
      number: number;
      repository: { full_name: string; owner: { login: string } };
      pull_request: { number: number; url: string; head: { sha: string; ref: string; repo: { full_name: string } }; base: { sha: string; ref: string } };
    };
    expect(p.action).toBe('synchronize');
    expect(p.number).toBe(12);
    expect(p.repository).toMatchObject({ full_name: 'acme/app', owner: { login: 'acme' } });
    expect(p.pull_request).toMatchObject({ number: 12, head: { sha: fakeSha('h'), ref: 'feature', repo: { full_name: 'acme/app' } }, base: { sha: fakeSha('b'), ref: 'main' } });
    expect(p.pull_request.url).toContain('/repos/acme/app/');
  });

  it('makes a fork PR for pull_request_target', () => {
    const p = loadWebhookPayload('pull_request_target.opened', { repository: 'acme/app', headRepository: 'mallory/app' }) as {
      pull_request: { head: { label: string; repo: { full_name: string; fork: boolean } }; base: { repo: { full_name: string } } };
    };
    expect(p.pull_request.head).toMatchObject({ label: 'mallory:feature', repo: { full_name: 'mallory/app', fork: true } });
    expect(p.pull_request.base.repo.full_name).toBe('acme/app');
  });

  it('builds push, merge_group, workflow_dispatch and schedule payloads', () => {
    const push = loadWebhookPayload('push', { repository: 'acme/app', before: '0'.repeat(40), after: fakeSha('a') });
    expect(push).toMatchObject({ ref: 'refs/heads/main', before: '0'.repeat(40), after: fakeSha('a'), created: true, head_commit: { id: fakeSha('a') } });
    const group = loadWebhookPayload('merge_group', { repository: 'acme/app', headSha: fakeSha('q') });
    expect(group).toMatchObject({ merge_group: { head_sha: fakeSha('q'), base_ref: 'refs/heads/main' }, repository: { full_name: 'acme/app' } });
    const dispatch = loadWebhookPayload('workflow_dispatch', { repository: 'acme/app', defaultBranch: 'trunk' });
    expect(dispatch).toMatchObject({ ref: 'refs/heads/trunk', organization: { login: 'acme' } });
    expect(loadWebhookPayload('schedule', { repository: 'acme/app' })).toEqual({});
  });
});
