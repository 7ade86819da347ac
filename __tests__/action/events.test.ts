import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../fake-github/server.js';
import { startFakeGitHub } from '../fake-github/server.js';
import { fakeSha } from '../fake-github/state.js';
import { loadWebhookPayload, runAction } from '../helpers/run-action.js';
import { addPatch, BASE, checkRuns, comments, FULL, HEAD, key, leakyFile, OWNER, REPO, runOnPull, startWith } from './scenario.js';

let api: FakeGitHub | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('events', () => {
  it('pull_request_target: scans through the API like pull_request and reads the config at the base commit', async () => {
    const secret = key(40);
    // The PR tries to silence its own finding by ignoring the path in the config; the base config does not.
    const prConfig = { filename: '.github/key-hygiene.yml', status: 'added' as const, patch: addPatch(['paths:', '  ignore: ["src/**"]']) };
    api = await startWith({
      files: [leakyFile('src/a.ts', secret), prConfig],
      extra: {
        snapshots: [
          { sha: BASE, ref: 'main', files: { '.github/key-hygiene.yml': 'paths:\n  ignore: ["docs/**"]\n' } },
          { sha: HEAD, files: { '.github/key-hygiene.yml': 'paths:\n  ignore: ["src/**"]\n' } },
        ],
      },
    });
    const run = await runOnPull(api, {}, { eventName: 'pull_request_target' });
    expect(run.code).toBe(1);
    expect(run.outputs['findings']).toBe('1');
    const configRead = run.requests.find((r) => r.path.endsWith('/contents/.github/key-hygiene.yml'));
    expect(configRead?.query['ref']).toBe(BASE);
    expect(checkRuns(api)[0]?.head_sha).toBe(HEAD);
    expect(comments(api)).toHaveLength(1);
  });

  it('applies the base config: an ignored path is not reported', async () => {
    api = await startWith({
      files: [leakyFile('docs/example.md', key(41))],
      extra: { snapshots: [{ sha: BASE, ref: 'main', files: { '.github/key-hygiene.yml': 'paths:\n  ignore: ["docs/**"]\n' } }] },
    });
    const run = await runOnPull(api);
    expect(run.code).toBe(0);
    expect(run.outputs['findings']).toBe('0');
  });

  it('fails when a config file named explicitly does not exist, naming it', async () => {
    api = await startWith({ files: [leakyFile('a.ts', key(42))] });
    const run = await runOnPull(api, { config: '.github/custom-hygiene.yml' });
    expect(run.code).toBe(1);
    expect(run.commands.find((c) => c.command === 'error')?.message).toContain('.github/custom-hygiene.yml');
    expect(comments(api)).toHaveLength(0);
  });

  it('push: scans the pushed range through compare, with history, and puts the check run on the pushed commit', async () => {
    const secret = key(43);
    const before = fakeSha('before');
    const c1 = fakeSha('push-1');
    const after = fakeSha('push-2');
    api = await startFakeGitHub({
      repos: [
        {
          owner: OWNER,
          name: REPO,
          commits: [
            { sha: before, message: 'base' },
            { sha: c1, message: 'add', parents: [before], files: [leakyFile('src/a.ts', secret)] },
            { sha: after, message: 'more', parents: [c1], files: [{ filename: 'src/b.ts', status: 'added', patch: addPatch(['x']) }] },
          ],
        },
      ],
    });
    const payload = loadWebhookPayload('push', { repository: FULL, before, after, ref: 'refs/heads/feature' });
    const run = await runAction({ api, eventName: 'push', payload });
    expect(run.code).toBe(1);
    expect(run.outputs['findings']).toBe('1');
    expect(run.requests.some((r) => r.path === `/repos/${FULL}/compare/${before}...${after}`)).toBe(true);
    expect(checkRuns(api)[0]?.head_sha).toBe(after);
    expect(run.requests.some((r) => r.path.includes('/issues/'))).toBe(false);
  });

  it('merge_group: scans base...head of the group', async () => {
    const base = fakeSha('mq-base');
    const head = fakeSha('mq-head');
    api = await startFakeGitHub({
      repos: [
        {
          owner: OWNER,
          name: REPO,
          commits: [
            { sha: base, message: 'base' },
            { sha: head, message: 'merge', parents: [base], files: [leakyFile('src/q.ts', key(44))] },
          ],
        },
      ],
    });
    const payload = loadWebhookPayload('merge_group', { repository: FULL, baseSha: base, headSha: head });
    const run = await runAction({ api, eventName: 'merge_group', payload });
    expect(run.code).toBe(1);
    expect(run.outputs['findings']).toBe('1');
  });

  it.each(['issues'])('%s: a notice and success, no API call', async (eventName) => {
    api = await startWith({ files: [] });
    const payload = eventName === 'issues' ? loadWebhookPayload('issues.opened', { repository: FULL }) : eventName === 'schedule' ? {} : loadWebhookPayload('workflow_dispatch', { repository: FULL });
    const run = await runAction({ api, eventName, payload, repository: FULL });
    expect(run.code).toBe(0);
    expect(run.commands.some((c) => c.command === 'notice')).toBe(true);
    expect(run.requests).toHaveLength(0);
    expect(run.outputs['findings']).toBe('0');
    expect(run.outputs['transport-findings']).toBe('0');
  });
});

describe('inputs', () => {
  it.each([
    ['fail-on', 'sometimes', 'leaks, transport, overdue-secrets, any, never'],
    ['comment', 'yes', 'on-findings, always, never'],
    ['check-run', 'maybe', 'true, false'],
    ['max-secret-age-days', '-3', 'a whole number of days'],
  ])('a bad %s fails the run naming the input, the value and the valid values', async (name, value, valid) => {
    api = await startWith({ files: [] });
    const run = await runOnPull(api, { [name]: value });
    expect(run.code).toBe(1);
    const message = run.commands.find((c) => c.command === 'error')?.message ?? '';
    expect(message).toContain(`"${name}"`);
    expect(message).toContain(`"${value}"`);
    expect(message).toContain(valid);
    expect(run.requests).toHaveLength(0);
  });

  it('comment: always posts a comment on a clean pull request', async () => {
    api = await startWith({ files: [{ filename: 'a.ts', status: 'added', patch: addPatch(['ok']) }] });
    const run = await runOnPull(api, { comment: 'always', 'check-run': false });
    expect(run.code).toBe(0);
    expect(comments(api)).toHaveLength(1);
    expect(checkRuns(api)).toHaveLength(0);
  });
});

describe('workflow_run (fork-safe pattern)', () => {
  it('audits the pull request named in the input and posts the comment and check run', async () => {
    const secret = key(77);
    api = await startWith({ files: [leakyFile('src/a.ts', secret)] });
    const payload = { action: 'completed', workflow_run: { id: 1, head_sha: HEAD, pull_requests: [] } };
    const run = await runAction({ api, eventName: 'workflow_run', payload, repository: FULL, inputs: { 'pull-request': '7' } });
    expect(run.code).toBe(1);
    expect(run.outputs['findings']).toBe('1');
    expect(comments(api)).toHaveLength(1);
    expect(checkRuns(api)[0]?.head_sha).toBe(HEAD);
  });

  it('says what to do when the payload names no pull request', async () => {
    api = await startWith({ files: [] });
    const run = await runAction({ api, eventName: 'workflow_run', payload: { workflow_run: { pull_requests: [] } }, repository: FULL });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/pass its number in the pull-request input/);
  });
});
