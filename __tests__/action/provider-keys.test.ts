import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { fakeSha, type RepoSeed } from '../fake-github/state.js';
import { buildOrgs, nearMiss, type Orgs } from '../fake-providers/fixtures.js';
import { startFakeProviders, type FakeProviderApis } from '../fake-providers/server.js';
import { loadWebhookPayload, runAction, runScheduled } from '../helpers/run-action.js';
import { BASE, FULL, HEAD, OWNER, PR, REPO, comments, leakyFile, repoSeed } from './scenario.js';

/**
 * The provider key inventory through the built dist/index.js, against local fake OpenAI and Anthropic
 * admin APIs. The action builds the official URLs; reroute.mjs, preloaded with `node --import`, sends them
 * to the fakes, as a network would to the real hosts.
 */

const MAIN = fakeSha('main-tip');
const REROUTE = fileURLToPath(new URL('../fake-providers/reroute.mjs', import.meta.url));

let api: FakeGitHub | undefined;
let providers: FakeProviderApis | undefined;
afterEach(async () => {
  await api?.close();
  await providers?.close();
  api = undefined;
  providers = undefined;
});

function decodeEntities(markdown: string): string {
  return markdown.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/\u200b/g, '');
}

async function startProviders(): Promise<Orgs> {
  const orgs = buildOrgs(new Date(), 11);
  providers = await startFakeProviders(orgs.openai, orgs.anthropic);
  return orgs;
}

function providerEnv(): Record<string, string> {
  return { KH_FAKE_PROVIDERS_URL: providers!.url, NODE_OPTIONS: `--import=${REROUTE}` };
}

function scheduledSeed(opts: { private: boolean; fileText: string }): RepoSeed {
  return {
    owner: OWNER,
    name: REPO,
    default_branch: 'main',
    private: opts.private,
    snapshots: [{ sha: MAIN, ref: 'main', files: { 'README.md': '# app\n', 'src/settings.ts': opts.fileText } }],
  };
}

function runSchedule(inputs: Record<string, string>) {
  return runScheduled({ api: api!, repository: FULL, sha: MAIN, inputs, env: providerEnv() });
}

function trackingIssue(): string {
  const issue = (api!.state.repos.get(FULL)?.issues ?? []).find((i) => (i.body ?? '').includes('<!-- key-hygiene:tracking-issue -->'));
  return issue?.body ?? '';
}

describe('provider key inventory in the weekly audit (dist)', () => {
  it('adds a Provider keys section with every flag to the summary and the tracking issue, and names the leaked key', async () => {
    const orgs = await startProviders();
    api = await startFakeGitHub({ repos: [scheduledSeed({ private: true, fileText: `export const openai = "${orgs.leaked.openai}";\n` })] });
    const run = await runSchedule({ 'openai-admin-key': orgs.openai.adminKey, 'anthropic-admin-key': orgs.anthropic.adminKey, 'fail-on': 'never' });
    expect(run.code, run.stderr + run.stdout).toBe(0);

    for (const body of [decodeEntities(run.summary), decodeEntities(trackingIssue())]) {
      expect(body).toContain('#### Provider keys');
      expect(body).toMatch(/OpenAI: 11 keys; Anthropic: 4 keys\./);
      const row = (id: string): string => body.split('\n').find((l) => l.includes(`<code>${id}</code>`) || l.includes(`\`${id}\``)) ?? '';
      expect(row('key_old')).toMatch(/Older than the policy: 200 days \(max 90\)/);
      expect(row('key_idle')).toMatch(/Unused for 45 days \(threshold 30\): delete candidate/);
      expect(row('key_orphan')).toMatch(/Orphaned: its owner no longer has access/);
      expect(row('key_gone_sa')).toMatch(/Orphaned/);
      expect(row('key_spike')).toMatch(/Usage spike: 100 requests\/day over the last 7 days vs 10\/day over the 28 days before \(10\.0×, threshold 3×\)/);
      expect(row('apikey_old')).toMatch(/Production.*Older than the policy: 200 days/);
      expect(row('admin_key_1')).toMatch(/\| 400 days \|.*Older than the policy/);
      for (const quiet of ['key_fine', 'key_bot', 'key_leak', 'apikey_new', 'apikey_retired']) expect(row(quiet)).toBe('');
      // The leaked key in the tree is named from the inventory.
      expect(body).toContain('This is OpenAI key "ci deploy" (key_leak) in project "prod": owner `ci@example.com`');
    }
    expect(decodeEntities(trackingIssue())).toMatch(/provider keys flagged/);
    const json = JSON.parse(run.report) as { findings: Array<{ notes?: string[] }>; providerKeys?: { keys: Array<{ id: string; flags: Array<{ kind: string }> }> } };
    expect(json.findings[0]?.notes?.[0]).toMatch(/^This is OpenAI key "ci deploy"/);
    const flagged = Object.fromEntries((json.providerKeys?.keys ?? []).map((k) => [k.id, k.flags.map((f) => f.kind).join(',')]));
    expect(flagged).toEqual({
      key_spike: 'spike',
      key_orphan: 'orphaned',
      key_gone_sa: 'orphaned',
      key_old: 'overdue',
      apikey_old: 'overdue',
      key_idle: 'unused',
      admin_key_1: 'admin,overdue',
    });

    // The admin keys were masked and went nowhere but the providers (rerouted official hosts).
    const masks = run.commands.filter((c) => c.command === 'add-mask').map((c) => c.message);
    expect(masks).toEqual(expect.arrayContaining([orgs.openai.adminKey, orgs.anthropic.adminKey]));
    const visible = [run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n'), run.stderr, run.summary, run.report, trackingIssue(), JSON.stringify(api.requests)].join('\n');
    expect(visible).not.toContain(orgs.openai.adminKey);
    expect(visible).not.toContain(orgs.anthropic.adminKey);
    expect(visible).not.toContain(orgs.leaked.openai);
    expect(new Set(providers!.requests.map((r) => r.host))).toEqual(new Set(['api.openai.com', 'api.anthropic.com']));
    // Nothing was revoked on a scheduled run.
    expect(providers!.requests.some((r) => r.method !== 'GET')).toBe(false);
  });

  it('keeps the section out of a public repository unless asked, and says so in the log', async () => {
    const orgs = await startProviders();
    api = await startFakeGitHub({ repos: [scheduledSeed({ private: false, fileText: `export const openai = "${orgs.leaked.openai}";\n` })] });
    const hidden = await runSchedule({ 'openai-admin-key': orgs.openai.adminKey, 'fail-on': 'never' });
    expect(hidden.code).toBe(0);
    expect(hidden.summary).not.toContain('Provider keys');
    expect(hidden.summary).not.toContain('key_leak');
    expect(hidden.stdout).toMatch(/Provider keys: 6 flagged; not shown because this repository is public/);

    const shown = await runSchedule({ 'openai-admin-key': orgs.openai.adminKey, 'provider-keys-report': 'always', 'fail-on': 'never' });
    expect(shown.summary).toContain('#### Provider keys');
  });

  it('reports a refused admin key in one line naming the permission, and still audits the rest', async () => {
    const orgs = await startProviders();
    providers!.forbidden.add('api.openai.com/v1/organization/usage');
    api = await startFakeGitHub({ repos: [scheduledSeed({ private: true, fileText: 'export const x = 1;\n' })] });
    const run = await runSchedule({ 'openai-admin-key': orgs.openai.adminKey, 'anthropic-admin-key': 'not-an-admin-key', 'fail-on': 'never' });
    expect(run.code).toBe(0);
    const warnings = run.commands.filter((c) => c.command === 'warning').map((c) => c.message);
    expect(warnings).toContain('Provider keys: OpenAI refused the admin key (HTTP 403) on GET /v1/organization/usage/completions: it needs an admin key with read access to Usage.');
    expect(warnings.some((w) => /^Provider keys: Anthropic refused the admin key \(HTTP 401\).*Admin API key \(sk-ant-admin…\)/.test(w))).toBe(true);
    const summary = decodeEntities(run.summary);
    expect(summary).toMatch(/OpenAI: 11 keys \(usage not read\); Anthropic: 0 keys/);
    expect(summary).toContain('Older than the policy: 200 days');
  });
});

describe('leaked keys on a pull request (dist)', () => {
  async function runPull(inputs: Record<string, string>, opts: { fork?: boolean } = {}) {
    const temp = await mkdtemp(join(tmpdir(), 'kh-inv-pr-'));
    try {
      const payload = loadWebhookPayload(opts.fork === true ? 'pull_request_target.synchronize' : 'pull_request.synchronize', {
        repository: FULL,
        number: PR,
        headSha: HEAD,
        baseSha: BASE,
        private: true,
        ...(opts.fork === true ? { headRepository: 'mallory/app' } : {}),
      });
      return await runAction({
        api: api!,
        eventName: opts.fork === true ? 'pull_request_target' : 'pull_request',
        payload,
        inputs,
        workspace: join(temp, 'workspace'),
        env: { RUNNER_TEMP: join(temp, 'runner-temp'), ...providerEnv() },
      });
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }

  it('names the leaked key in the comment, revokes it with revoke-leaked, and leaves a near miss alone', async () => {
    const orgs = await startProviders();
    const miss = nearMiss(orgs.leaked.anthropic);
    api = await startFakeGitHub({
      repos: [repoSeed({ files: [leakyFile('src/a.ts', orgs.leaked.openai), leakyFile('src/b.ts', miss)] })],
      viewer: { login: 'github-actions[bot]', type: 'Bot' },
    });
    const run = await runPull({ 'openai-admin-key': orgs.openai.adminKey, 'anthropic-admin-key': orgs.anthropic.adminKey, 'revoke-leaked': 'true' });
    expect(run.code).toBe(1);
    const body = decodeEntities(comments(api)[0]?.body ?? '');
    expect(body).toContain('This is OpenAI key "ci deploy" (key_leak) in project "prod": owner `ci@example.com`, created');
    expect(body).toContain('Revoked by key-hygiene (revoke-leaked): OpenAI deleted key key_leak.');
    expect(body).not.toContain('apikey_leak');
    expect(orgs.openai.keys['proj_prod']?.some((k) => k.id === 'key_leak')).toBe(false);
    expect(orgs.anthropic.apiKeys.find((k) => k.id === 'apikey_leak')?.status).toBe('active');
    expect(run.stdout).toMatch(/revoke-leaked: 1 key revoked\./);
    // Both findings are still reported.
    expect(run.outputs['findings']).toBe('2');
  });

  it('never revokes on a pull request from a fork, and says so', async () => {
    const orgs = await startProviders();
    api = await startFakeGitHub({ repos: [repoSeed({ files: [leakyFile('src/a.ts', orgs.leaked.anthropic)] })], viewer: { login: 'github-actions[bot]', type: 'Bot' } });
    const run = await runPull({ 'anthropic-admin-key': orgs.anthropic.adminKey, 'revoke-leaked': 'true' }, { fork: true });
    expect(run.stdout).toMatch(/revoke-leaked: pull_request_target from a fork; nothing was revoked\./);
    expect(orgs.anthropic.apiKeys.find((k) => k.id === 'apikey_leak')?.status).toBe('active');
    expect(providers!.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('still reports the finding when revoking fails', async () => {
    const orgs = await startProviders();
    providers!.forbidden.add('api.anthropic.com/v1/organizations/api_keys/apikey_leak');
    api = await startFakeGitHub({ repos: [repoSeed({ files: [leakyFile('src/a.ts', orgs.leaked.anthropic)] })], viewer: { login: 'github-actions[bot]', type: 'Bot' } });
    const run = await runPull({ 'anthropic-admin-key': orgs.anthropic.adminKey, 'revoke-leaked': 'true' });
    expect(run.outputs['findings']).toBe('1');
    const body = decodeEntities(comments(api)[0]?.body ?? '');
    expect(body).toContain('This is Anthropic key "support bot" (apikey_leak) in workspace "Production"');
    expect(body).toMatch(/revoke-leaked failed, revoke it by hand: Anthropic refused the admin key \(HTTP 403\)/);
    expect(run.commands.some((c) => c.command === 'warning' && /could not revoke Anthropic key apikey_leak/.test(c.message))).toBe(true);
  });
});
