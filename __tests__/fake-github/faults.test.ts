import { afterEach, describe, expect, it } from 'vitest';
import { plainClient, resilientClient } from './octokit.js';
import { startFakeGitHub, type FakeGitHub } from './server.js';
import { fakeSha } from './state.js';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

const AUTH = { authorization: 'token test-token' };
const REPO_PATH = '/repos/{owner}/{repo}';
const FILES_PATH = '/repos/{owner}/{repo}/pulls/{pull_number}/files';

async function start(): Promise<FakeGitHub> {
  gh = await startFakeGitHub({
    repos: [
      {
        owner: 'acme',
        name: 'app',
        pulls: [
          {
            number: 1,
            head: { sha: fakeSha('h'), ref: 'feature' },
            base: { sha: fakeSha('b'), ref: 'main' },
            files: Array.from({ length: 250 }, (_, i) => ({ filename: `f${i}.txt`, patch: '@@ -1 +1 @@\n-a\n+b' })),
          },
        ],
      },
    ],
  });
  return gh;
}

const getRepo = (api: FakeGitHub) => fetch(`${api.url}/repos/acme/app`, { headers: AUTH });

describe('status faults', () => {
  it.each([401, 403, 404, 422] as const)('%i reaches a fetch client and is not retried by octokit', async (status) => {
    const api = await start();
    api.faults.add({ method: 'GET', path: REPO_PATH, fault: 'status', status, times: 'always' });
    const res = await getRepo(api);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ message: expect.any(String), documentation_url: expect.any(String) });
    // 403 without rate-limit headers is a permission problem, not a rate limit.
    expect(res.headers.get('retry-after')).toBeNull();

    const { client, calls } = resilientClient(api);
    await expect(client.rest.repos.get({ owner: 'acme', repo: 'app' })).rejects.toMatchObject({ status });
    expect(calls).toEqual([]);
    expect(api.requests.filter((r) => r.path === '/repos/acme/app')).toHaveLength(2);
  });

  it('409 is retried by the retry plugin (it is not on its do-not-retry list) and then fails', async () => {
    const api = await start();
    api.faults.add({ path: REPO_PATH, fault: 'status', status: 409, times: 'always' });
    const { client, calls } = resilientClient(api);
    await expect(client.rest.repos.get({ owner: 'acme', repo: 'app' })).rejects.toMatchObject({ status: 409 });
    expect(calls).toEqual([]);
    expect(api.requests.map((r) => r.status)).toEqual([409, 409, 409, 409]);
  });

  it.each([500, 502, 503] as const)('%i is retried by octokit and the retry succeeds', async (status) => {
    const api = await start();
    const fault = api.faults.add({ path: REPO_PATH, fault: 'status', status });
    expect((await getRepo(api)).status).toBe(status);
    expect((await getRepo(api)).status).toBe(200);

    api.faults.add({ path: REPO_PATH, fault: 'status', status, times: 2 });
    const { client } = resilientClient(api);
    const { data } = await client.rest.repos.get({ owner: 'acme', repo: 'app' });
    expect(data.full_name).toBe('acme/app');
    expect(api.requests.slice(2).map((r) => r.status)).toEqual([status, status, 200]);
    expect(fault.fired).toBe(1);
  });
});

describe('rate limits', () => {
  it.each([403, 429] as const)('secondary rate limit (%i) carries retry-after and octokit waits then retries', async (status) => {
    const api = await start();
    api.faults.add({ path: REPO_PATH, fault: 'secondary-rate-limit', status, retryAfter: 3 });
    const res = await getRepo(api);
    expect(res.status).toBe(status);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(((await res.json()) as { message: string }).message).toMatch(/secondary rate limit/);

    api.faults.add({ path: REPO_PATH, fault: 'secondary-rate-limit', status, retryAfter: 3 });
    const { client, calls } = resilientClient(api);
    await expect(client.rest.repos.get({ owner: 'acme', repo: 'app' })).resolves.toMatchObject({ status: 200 });
    expect(calls).toEqual([{ kind: 'secondary', retryAfter: 3, retryCount: 0 }]);
  });

  it('a 429 secondary limit goes to the retry plugin, not onSecondaryRateLimit, when retry is registered first', async () => {
    const api = await start();
    api.faults.add({ path: REPO_PATH, fault: 'secondary-rate-limit', status: 429, retryAfter: 3 });
    const { client, calls } = resilientClient(api, { order: 'retry-first' });
    await expect(client.rest.repos.get({ owner: 'acme', repo: 'app' })).resolves.toMatchObject({ status: 200 });
    expect(calls).toEqual([]);
    expect(api.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('primary rate limit sets x-ratelimit-remaining 0 and a reset octokit waits for', async () => {
    const api = await start();
    api.faults.add({ path: REPO_PATH, fault: 'primary-rate-limit', resetInSeconds: 30 });
    const res = await getRepo(api);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    expect(reset - Date.now() / 1000).toBeGreaterThan(25);

    api.faults.add({ path: REPO_PATH, fault: 'primary-rate-limit', resetInSeconds: 30 });
    const { client, calls } = resilientClient(api);
    await expect(client.rest.repos.get({ owner: 'acme', repo: 'app' })).resolves.toMatchObject({ status: 200 });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.kind).toBe('primary');
    // The plugin waits until the reset plus one second.
    expect(calls[0]?.retryAfter).toBeGreaterThanOrEqual(30);
    expect(calls[0]?.retryAfter).toBeLessThanOrEqual(32);
  });

  it('gives up when the client declines to retry', async () => {
    const api = await start();
    api.faults.add({ path: REPO_PATH, fault: 'secondary-rate-limit', retryAfter: 1, times: 'always' });
    const { client, calls } = resilientClient(api, { maxRetries: 1 });
    await expect(client.rest.repos.get({ owner: 'acme', repo: 'app' })).rejects.toMatchObject({ status: 403 });
    expect(calls.map((c) => c.retryCount)).toEqual([0, 1]);
  });

  it('sends the normal rate-limit headers on every response', async () => {
    const api = await start();
    const res = await getRepo(api);
    expect(res.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(5000);
  });
});

describe('broken responses', () => {
  it('socket reset mid-body: fetch cannot read the body; octokit returns an empty body', async () => {
    const api = await start();
    api.faults.add({ path: REPO_PATH, fault: 'socket-reset' });
    const res = await getRepo(api);
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();

    api.faults.add({ path: REPO_PATH, fault: 'socket-reset' });
    const { data } = await plainClient(api).rest.repos.get({ owner: 'acme', repo: 'app' });
    expect(data).toBe('');
  });

  it('socket reset before headers: fetch rejects; octokit retries it as a 500', async () => {
    const api = await start();
    api.faults.add({ path: REPO_PATH, fault: 'socket-reset', when: 'before-headers' });
    await expect(getRepo(api)).rejects.toThrow();

    api.faults.add({ path: REPO_PATH, fault: 'socket-reset', when: 'before-headers' });
    await expect(plainClient(api).rest.repos.get({ owner: 'acme', repo: 'app' })).rejects.toMatchObject({ status: 500 });

    api.faults.add({ path: REPO_PATH, fault: 'socket-reset', when: 'before-headers' });
    const { client } = resilientClient(api);
    await expect(client.rest.repos.get({ owner: 'acme', repo: 'app' })).resolves.toMatchObject({ status: 200 });
  });

  it('malformed JSON: fetch fails to parse; octokit hands back the raw text', async () => {
    const api = await start();
    api.faults.add({ path: REPO_PATH, fault: 'malformed-json', times: 2 });
    await expect((await getRepo(api)).json()).rejects.toThrow(SyntaxError);
    const { data } = await plainClient(api).rest.repos.get({ owner: 'acme', repo: 'app' });
    expect(typeof data).toBe('string');
  });

  it('a Link header that stops early ends pagination there', async () => {
    const api = await start();
    api.faults.add({ method: 'GET', path: FILES_PATH, fault: 'link-stops-early', nth: 2 });
    const client = plainClient(api);
    const files = await client.paginate(client.rest.pulls.listFiles, { owner: 'acme', repo: 'app', pull_number: 1, per_page: 100 });
    expect(files).toHaveLength(200);

    api.faults.add({ path: FILES_PATH, fault: 'link-stops-early' });
    const res = await fetch(`${api.url}/repos/acme/app/pulls/1/files?per_page=100&page=2`, { headers: AUTH });
    expect(res.headers.get('link')).toContain('rel="prev"');
    expect(res.headers.get('link')).not.toContain('rel="next"');
    expect(((await res.json()) as unknown[]).length).toBe(100);
  });

  it('a slow response still arrives, and trips a client timeout shorter than the delay', async () => {
    const api = await start();
    api.faults.add({ path: REPO_PATH, fault: 'delay', ms: 300 });
    const res = await getRepo(api);
    expect(res.status).toBe(200);
    expect(api.requests.at(-1)?.fault).toBe('delay');

    api.faults.add({ path: REPO_PATH, fault: 'delay', ms: 2000 });
    const slow = plainClient(api).rest.repos.get({ owner: 'acme', repo: 'app', request: { signal: AbortSignal.timeout(50) } });
    await expect(slow).rejects.toMatchObject({ status: 500 });
  });
});

describe('fault scheduling', () => {
  it('applies from the nth matching call for `times` calls, counting only matching method and path', async () => {
    const api = await start();
    const fault = api.faults.add({ method: 'GET', path: REPO_PATH, fault: 'status', status: 502, nth: 2, times: 2 });
    await fetch(`${api.url}/repos/acme/app/pulls/1`, { headers: AUTH });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await getRepo(api)).status);
    expect(statuses).toEqual([200, 502, 502, 200, 200]);
    expect(fault).toMatchObject({ seen: 5, fired: 2 });
  });

  it('matches RegExp paths and `always` faults until cleared', async () => {
    const api = await start();
    api.faults.add({ path: /^\/repos\/acme\//, fault: 'status', status: 503, times: 'always' });
    expect((await getRepo(api)).status).toBe(503);
    expect((await getRepo(api)).status).toBe(503);
    api.faults.clear();
    expect((await getRepo(api)).status).toBe(200);
    expect(api.requests.map((r) => r.fault ?? null)).toEqual(['status', 'status', null]);
  });
});
