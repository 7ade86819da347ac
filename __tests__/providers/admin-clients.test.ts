import { afterEach, describe, expect, it } from 'vitest';
import { AdminApiError, adminRequest } from '../../src/providers/admin-http.js';
import { anthropicAdmin, deactivateAnthropicKey, readAnthropicInventory } from '../../src/providers/anthropic-admin.js';
import { deleteOpenAiKey, openAiAdmin, readOpenAiInventory } from '../../src/providers/openai-admin.js';
import type { Transport } from '../../src/verify/types.js';
import { buildOrgs } from '../fake-providers/fixtures.js';
import { ANTHROPIC_HOST, OPENAI_HOST, startFakeProviders, type FakeProviderApis } from '../fake-providers/server.js';

const NOW = new Date();
let fake: FakeProviderApis | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start() {
  const orgs = buildOrgs(NOW);
  fake = await startFakeProviders(orgs.openai, orgs.anthropic);
  const waits: number[] = [];
  const opts = { transport: fake.transport, sleep: async (ms: number) => void waits.push(ms) };
  return { orgs, fake, waits, openai: openAiAdmin(orgs.openai.adminKey, opts), anthropic: anthropicAdmin(orgs.anthropic.adminKey, opts) };
}

describe('OpenAI admin client', () => {
  it('reads every project, key, service account and admin key to the last page, and usage per key', async () => {
    const { openai, fake } = await start();
    const inv = await readOpenAiInventory(openai, { now: NOW, usage: true });
    expect(inv.problems).toEqual([]);
    expect(inv.usageRead).toBe(true);
    expect(inv.keys.filter((k) => k.kind === 'api').map((k) => k.id).sort()).toEqual(
      ['key_bot', 'key_fine', 'key_fine2', 'key_fine3', 'key_gone_sa', 'key_idle', 'key_leak', 'key_old', 'key_orphan', 'key_spike'].sort(),
    );
    expect(inv.keys.filter((k) => k.kind === 'admin').map((k) => k.id)).toEqual(['admin_key_1']);
    // Two items per page: the 7 prod keys take 4 pages, each asked with the previous page's last id.
    const prodPages = fake.requests.filter((r) => r.path === '/v1/organization/projects/proj_prod/api_keys');
    expect(prodPages.map((r) => r.query.get('after'))).toEqual([null, 'key_idle', 'key_gone_sa', 'key_leak']);
    // 35 daily buckets at two per page.
    expect(fake.requests.filter((r) => r.path === '/v1/organization/usage/completions')).toHaveLength(18);
    const spike = inv.keys.find((k) => k.id === 'key_spike');
    expect(Object.values(spike?.requestsByDay ?? {}).reduce((a, b) => a + b, 0)).toBe(7 * 100 + 28 * 10);
    const gone = inv.keys.find((k) => k.id === 'key_gone_sa');
    expect(gone).toMatchObject({ ownerType: 'service_account', owner: 'old-bot', ownerAccess: 'inactive' });
    expect(inv.keys.find((k) => k.id === 'key_bot')).toMatchObject({ ownerAccess: 'active' });
    expect(inv.keys.find((k) => k.id === 'key_leak')).toMatchObject({ project: { id: 'proj_prod', name: 'prod' }, owner: 'ci@example.com', name: 'ci deploy' });
    // Every request went to the official host with the admin key as a bearer token.
    expect(new Set(fake.requests.map((r) => r.host))).toEqual(new Set([OPENAI_HOST]));
  });

  it('says which permission is missing on a 403, in one line, and keeps what it could read', async () => {
    const { openai, fake } = await start();
    fake.forbidden.add(`${OPENAI_HOST}/v1/organization/usage`);
    const inv = await readOpenAiInventory(openai, { now: NOW, usage: true });
    expect(inv.usageRead).toBe(false);
    expect(inv.keys.length).toBe(11);
    expect(inv.problems).toEqual(['OpenAI refused the admin key (HTTP 403) on GET /v1/organization/usage/completions: it needs an admin key with read access to Usage.']);
  });

  it('fails with a one-line 401 message when the key is not an admin key', async () => {
    const { orgs, fake } = await start();
    const wrong = openAiAdmin('not-the-admin-key', { transport: fake.transport });
    const error = await readOpenAiInventory(wrong, { now: NOW, usage: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect((error as Error).message).toBe('OpenAI refused the admin key (HTTP 401) on GET /v1/organization/projects: it needs an admin key with read access to Projects.');
    expect((error as Error).message).not.toContain(orgs.openai.adminKey);
  });

  it('retries 429 and 5xx with backoff, honouring retry-after', async () => {
    const { openai, fake, waits } = await start();
    fake.faults.push({ host: OPENAI_HOST, path: '/v1/organization/projects', status: 429, headers: { 'retry-after': '2' } });
    fake.faults.push({ host: OPENAI_HOST, path: '/v1/organization/projects', status: 502 });
    fake.faults.push({ host: OPENAI_HOST, path: '/v1/organization/projects', status: 503 });
    const inv = await readOpenAiInventory(openai, { now: NOW, usage: false });
    expect(inv.keys.length).toBe(11);
    expect(waits).toEqual([2000, 2000, 4000]);
  });

  it('gives up after its retries with a message naming the endpoint', async () => {
    const { openai, fake } = await start();
    for (let i = 0; i < 5; i++) fake.faults.push({ host: OPENAI_HOST, path: '/v1/organization/admin_api_keys', status: 500 });
    const inv = await readOpenAiInventory(openai, { now: NOW, usage: false });
    expect(inv.problems).toEqual(['OpenAI server error (HTTP 500) on GET /v1/organization/admin_api_keys, 5 attempt(s).']);
    expect(inv.keys.some((k) => k.kind === 'admin')).toBe(false);
  });

  it('times out a provider that does not answer', async () => {
    const { orgs, fake } = await start();
    fake.faults.push({ host: OPENAI_HOST, path: '/v1/organization/projects', status: 200, delayMs: 500 });
    const api = openAiAdmin(orgs.openai.adminKey, { transport: fake.transport, timeoutMs: 50, retries: 0 });
    await expect(readOpenAiInventory(api, { now: NOW, usage: false })).rejects.toThrow(/no answer within 0.05 s on GET \/v1\/organization\/projects/);
  });

  it('deletes a project key', async () => {
    const { openai, orgs } = await start();
    await deleteOpenAiKey(openai, 'proj_prod', 'key_leak');
    expect(orgs.openai.keys['proj_prod']?.some((k) => k.id === 'key_leak')).toBe(false);
    await expect(deleteOpenAiKey(openai, 'proj_prod', 'key_leak')).rejects.toThrow(/HTTP 404/);
  });
});

describe('Anthropic admin client', () => {
  it('reads every key to the last page with its workspace name', async () => {
    const { anthropic, fake } = await start();
    const inv = await readAnthropicInventory(anthropic);
    expect(inv.problems).toEqual([]);
    expect(inv.keys.map((k) => k.id)).toEqual(['apikey_old', 'apikey_retired', 'apikey_new', 'apikey_leak']);
    expect(inv.keys.find((k) => k.id === 'apikey_new')?.project).toEqual({ id: 'wrkspc_dev', name: 'Dev' });
    expect(inv.keys.find((k) => k.id === 'apikey_retired')?.status).toBe('inactive');
    expect(inv.keys.every((k) => k.lastUsedAt === undefined)).toBe(true);
    const pages = fake.requests.filter((r) => r.path === '/v1/organizations/api_keys');
    expect(pages.map((r) => r.query.get('after_id'))).toEqual([null, 'apikey_retired']);
    expect(pages.every((r) => r.headers['anthropic-version'] === '2023-06-01')).toBe(true);
  });

  it('names the key it needs on a 401', async () => {
    const { fake } = await start();
    const wrong = anthropicAdmin('a-regular-key', { transport: fake.transport });
    await expect(readAnthropicInventory(wrong)).rejects.toThrow(
      /^Anthropic refused the admin key \(HTTP 401\) on GET \/v1\/organizations\/workspaces: it needs an Admin API key \(sk-ant-admin…\) created by an organization admin; a regular API key cannot call the Admin API\.$/,
    );
  });

  it('keeps the keys when workspaces are forbidden, with a problem line', async () => {
    const { anthropic, fake } = await start();
    fake.forbidden.add(`${ANTHROPIC_HOST}/v1/organizations/workspaces`);
    const inv = await readAnthropicInventory(anthropic);
    expect(inv.keys).toHaveLength(4);
    expect(inv.problems[0]).toMatch(/HTTP 403.*Keys are shown with workspace ids\.$/);
    expect(inv.keys[0]?.project).toEqual({ id: 'wrkspc_prod', name: 'wrkspc_prod' });
  });

  it('deactivates a key', async () => {
    const { anthropic, orgs } = await start();
    await deactivateAnthropicKey(anthropic, 'apikey_leak');
    expect(orgs.anthropic.apiKeys.find((k) => k.id === 'apikey_leak')?.status).toBe('inactive');
  });
});

describe('host guard', () => {
  it('never sends the admin key anywhere but the official host', async () => {
    const sent: string[] = [];
    const transport: Transport = async (url) => {
      sent.push(url);
      throw new Error('unreachable');
    };
    for (const host of ['api.openai.com.evil.test', 'api.openai.com:8443', 'evil.test', '127.0.0.1']) {
      const bad = { ...openAiAdmin('k', { transport, retries: 0 }), host };
      await expect(adminRequest(bad, { method: 'GET', path: '/v1/x', endpoint: { label: 'GET /v1/x', needs: 'n' } })).rejects.toThrow(/^OpenAI admin API: refused/);
    }
    // Only a URL built for the declared host passes; a path cannot change the host.
    const api = openAiAdmin('k', { transport, retries: 0 });
    await expect(adminRequest(api, { method: 'GET', path: '@evil.test/v1', endpoint: { label: 'GET', needs: 'n' } })).rejects.toThrow(/refused/);
    await expect(adminRequest(api, { method: 'GET', path: '/v1/organization/projects', endpoint: { label: 'GET', needs: 'n' } })).rejects.toThrow(/network error/);
    expect(sent.map((u) => new URL(u).host)).toEqual(['api.openai.com']);
  });
});
