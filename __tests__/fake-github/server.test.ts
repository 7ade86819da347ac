import { afterEach, describe, expect, it } from 'vitest';
import { plainClient } from './octokit.js';
import { startFakeGitHub, type FakeGitHub } from './server.js';
import { fakeSha, gitBlobSha, type FakeFile } from './state.js';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

const AUTH = { authorization: 'token test-token' };

function files(n: number): FakeFile[] {
  return Array.from({ length: n }, (_, i) => ({ filename: `src/file-${String(i).padStart(4, '0')}.ts`, patch: `@@ -0,0 +1 @@\n+line ${i}` }));
}

async function start(): Promise<FakeGitHub> {
  gh = await startFakeGitHub({
    repos: [
      {
        owner: 'acme',
        name: 'app',
        pulls: [
          {
            number: 7,
            head: { sha: fakeSha('head'), ref: 'feature' },
            base: { sha: fakeSha('base'), ref: 'main' },
            files: files(3050),
            commits: Array.from({ length: 300 }, (_, i) => ({ sha: fakeSha(`c${i}`), message: `commit ${i}` })),
          },
        ],
        snapshots: [{ sha: fakeSha('base'), ref: 'main', files: { 'README.md': 'hello\n', 'config/app.env': 'DEBUG=1\n' } }],
      },
    ],
  });
  return gh;
}

describe('pagination', () => {
  it('follows Link headers through 3,000 PR files and stops there, as GitHub does', async () => {
    const api = await start();
    const seen: string[] = [];
    let next: string | undefined = `${api.url}/repos/acme/app/pulls/7/files?per_page=100`;
    let pages = 0;
    let lastRel: string | undefined;
    while (next !== undefined) {
      const res: Response = await fetch(next, { headers: AUTH });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Array<{ filename: string; additions: number; patch?: string }>;
      seen.push(...body.map((f) => f.filename));
      const link = res.headers.get('link') ?? '';
      if (pages === 0) lastRel = /<([^>]+)>; rel="last"/.exec(link)?.[1];
      next = /<([^>]+)>; rel="next"/.exec(link)?.[1];
      if (next !== undefined) expect(next.startsWith(api.url)).toBe(true);
      pages++;
    }
    expect(seen).toHaveLength(3000);
    expect(new Set(seen).size).toBe(3000);
    expect(pages).toBe(30);
    expect(lastRel).toBe(`${api.url}/repos/acme/app/pulls/7/files?per_page=100&page=30`);
  });

  it('serves the same 3,000 files to octokit paginate, with per_page capped at 100', async () => {
    const api = await start();
    const client = plainClient(api);
    const all = await client.paginate(client.rest.pulls.listFiles, { owner: 'acme', repo: 'app', pull_number: 7, per_page: 500 });
    expect(all).toHaveLength(3000);
    expect(all[0]).toMatchObject({ filename: 'src/file-0000.ts', status: 'modified', additions: 1, deletions: 0, patch: '@@ -0,0 +1 @@\n+line 0' });
    expect(api.requests.filter((r) => r.path.endsWith('/files'))).toHaveLength(30);
  });

  it('lists at most 250 PR commits', async () => {
    const api = await start();
    const client = plainClient(api);
    const commits = await client.paginate(client.rest.pulls.listCommits, { owner: 'acme', repo: 'app', pull_number: 7, per_page: 100 });
    expect(commits).toHaveLength(250);
    expect(commits[249]?.commit.message).toBe('commit 249');
  });

  it('defaults to 30 per page and answers an empty page past the end', async () => {
    const api = await start();
    const first = await fetch(`${api.url}/repos/acme/app/pulls/7/files`, { headers: AUTH });
    expect(((await first.json()) as unknown[]).length).toBe(30);
    const beyond = await fetch(`${api.url}/repos/acme/app/pulls/7/files?page=200&per_page=100`, { headers: AUTH });
    expect(await beyond.json()).toEqual([]);
    expect(beyond.headers.get('link')).toContain('rel="first"');
    expect(beyond.headers.get('link')).not.toContain('rel="next"');
  });
});

describe('authentication', () => {
  it('rejects a request without Authorization with 401 and records the token getOctokit sends', async () => {
    const api = await start();
    const anonymous = await fetch(`${api.url}/repos/acme/app`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest' });

    const { data } = await plainClient(api, 'the-token').rest.repos.get({ owner: 'acme', repo: 'app' });
    expect(data).toMatchObject({ full_name: 'acme/app', default_branch: 'main', private: false });
    expect(api.requests.at(-1)?.headers['authorization']).toBe('token the-token');
    expect(api.requests.map((r) => r.status)).toEqual([401, 200]);
  });

  it('accepts only the configured tokens when given', async () => {
    gh = await startFakeGitHub({ tokens: ['good'], repos: [{ owner: 'acme', name: 'app' }] });
    await expect(plainClient(gh, 'bad').rest.repos.get({ owner: 'acme', repo: 'app' })).rejects.toMatchObject({ status: 401 });
    await expect(plainClient(gh, 'good').rest.repos.get({ owner: 'acme', repo: 'app' })).resolves.toMatchObject({ status: 200 });
  });
});

describe('errors', () => {
  it('answers unknown repos, PRs and routes with GitHub-shaped 404 bodies', async () => {
    const api = await start();
    for (const path of ['/repos/acme/nope', '/repos/acme/app/pulls/99', '/repos/acme/app/no-such-thing']) {
      const res = await fetch(`${api.url}${path}`, { headers: AUTH });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    }
  });

  it('answers an unknown commit with 422, as GitHub does', async () => {
    const api = await start();
    const res = await fetch(`${api.url}/repos/acme/app/commits/${fakeSha('missing')}`, { headers: AUTH });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toMatch(/^No commit found for SHA/);
  });
});

describe('issue comments', () => {
  it('creates, lists across pages, updates and deletes comments', async () => {
    const api = await start();
    const client = plainClient(api);
    const target = { owner: 'acme', repo: 'app', issue_number: 7 };
    const created = [];
    for (let i = 0; i < 3; i++) created.push((await client.rest.issues.createComment({ ...target, body: `comment ${i}` })).data);
    expect(created[0]).toMatchObject({ body: 'comment 0', user: { login: 'github-actions[bot]', type: 'Bot' } });

    const listed = await client.paginate(client.rest.issues.listComments, { ...target, per_page: 2 });
    expect(listed.map((c) => c.body)).toEqual(['comment 0', 'comment 1', 'comment 2']);
    expect(api.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/comments'))).toHaveLength(2);

    const id = created[1]?.id ?? 0;
    const updated = await client.rest.issues.updateComment({ owner: 'acme', repo: 'app', comment_id: id, body: 'edited' });
    expect(updated.data.body).toBe('edited');
    const removed = await client.rest.issues.deleteComment({ owner: 'acme', repo: 'app', comment_id: id });
    expect(removed.status).toBe(204);
    await expect(client.rest.issues.getComment({ owner: 'acme', repo: 'app', comment_id: id })).rejects.toMatchObject({ status: 404 });
    expect(api.state.commentsOn('acme/app', 7).map((c) => c.body)).toEqual(['comment 0', 'comment 2']);
  });

  it('rejects a comment body over 65,536 characters with 422', async () => {
    const api = await start();
    const client = plainClient(api);
    await expect(client.rest.issues.createComment({ owner: 'acme', repo: 'app', issue_number: 7, body: 'x'.repeat(65537) })).rejects.toMatchObject({ status: 422 });
    await expect(client.rest.issues.createComment({ owner: 'acme', repo: 'app', issue_number: 7, body: 'x'.repeat(65536) })).resolves.toMatchObject({ status: 201 });
  });
});

describe('check runs', () => {
  const annotations = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ path: 'src/a.ts', start_line: i + 1, end_line: i + 1, annotation_level: 'failure' as const, message: `finding ${i}` }));

  it('rejects more than 50 annotations in one request with 422 and appends batches on update', async () => {
    const api = await start();
    const client = plainClient(api);
    const base = { owner: 'acme', repo: 'app', name: 'key-hygiene', head_sha: fakeSha('head') };
    const tooMany = client.rest.checks.create({ ...base, output: { title: 't', summary: 's', annotations: annotations(51) } });
    await expect(tooMany).rejects.toMatchObject({ status: 422, message: expect.stringContaining('No more than 50 items are allowed; 51 were supplied.') });
    expect(api.state.mustRepo('acme/app').checkRuns).toHaveLength(0);

    const { data: run } = await client.rest.checks.create({ ...base, status: 'in_progress', output: { title: 't', summary: 's', annotations: annotations(50) } });
    const { data: done } = await client.rest.checks.update({
      owner: 'acme',
      repo: 'app',
      check_run_id: run.id,
      conclusion: 'failure',
      output: { title: 'done', summary: 'found 100', annotations: annotations(50) },
    });
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'done', summary: 'found 100', annotations_count: 100 } });
    const stored = api.state.mustRepo('acme/app').checkRuns[0];
    expect(stored?.annotationBatches.map((b) => b.length)).toEqual([50, 50]);
    const listed = await client.paginate(client.rest.checks.listAnnotations, { owner: 'acme', repo: 'app', check_run_id: run.id, per_page: 100 });
    expect(listed).toHaveLength(100);
  });
});

describe('contents, trees and blobs', () => {
  it('serves file contents as base64 JSON and as the raw media type', async () => {
    const api = await start();
    const client = plainClient(api);
    const { data } = await client.rest.repos.getContent({ owner: 'acme', repo: 'app', path: 'config/app.env', ref: 'main' });
    expect(data).toMatchObject({ type: 'file', encoding: 'base64', path: 'config/app.env', sha: gitBlobSha('DEBUG=1\n') });
    expect(Buffer.from((data as { content: string }).content, 'base64').toString('utf8')).toBe('DEBUG=1\n');
    const raw = await client.rest.repos.getContent({ owner: 'acme', repo: 'app', path: 'config/app.env', mediaType: { format: 'raw' } });
    expect(raw.data).toBe('DEBUG=1\n');
    await expect(client.rest.repos.getContent({ owner: 'acme', repo: 'app', path: 'missing.txt' })).rejects.toMatchObject({ status: 404 });
  });

  it('lists the recursive tree, can force truncated, and serves blobs', async () => {
    const api = await start();
    api.state.addSnapshot(api.state.mustRepo('acme/app'), { sha: fakeSha('big'), files: { 'a/b/c.txt': 'c', 'top.txt': 't' }, truncated: true });
    const client = plainClient(api);
    const { data } = await client.rest.git.getTree({ owner: 'acme', repo: 'app', tree_sha: fakeSha('big'), recursive: '1' });
    expect(data.truncated).toBe(true);
    expect(data.tree.map((e) => `${e.type}:${e.path}`)).toEqual(['tree:a', 'tree:a/b', 'blob:a/b/c.txt', 'blob:top.txt']);
    const top = await client.rest.git.getTree({ owner: 'acme', repo: 'app', tree_sha: 'main' });
    expect(top.data.truncated).toBe(false);
    expect(top.data.tree.map((e) => e.path)).toEqual(['config', 'README.md']);
    const blob = await client.rest.git.getBlob({ owner: 'acme', repo: 'app', file_sha: gitBlobSha('c') });
    expect(Buffer.from(blob.data.content, 'base64').toString('utf8')).toBe('c');
  });
});

describe('issues and labels', () => {
  it('creates, filters by label, state and creator, and closes issues', async () => {
    const api = await start();
    api.state.addIssue(api.state.mustRepo('acme/app'), { title: 'someone else', labels: ['key-hygiene'], user: { login: 'mona', type: 'User' } });
    const client = plainClient(api);
    const { data: created } = await client.rest.issues.create({ owner: 'acme', repo: 'app', title: 'Secrets to rotate', labels: ['key-hygiene'] });
    expect(created.number).toBe(9); // after PR 7 and the seeded issue 8: one number sequence
    const mine = await client.rest.issues.listForRepo({ owner: 'acme', repo: 'app', labels: 'key-hygiene', creator: 'github-actions[bot]' });
    expect(mine.data.map((i) => i.number)).toEqual([9]);
    await client.rest.issues.update({ owner: 'acme', repo: 'app', issue_number: 9, state: 'closed' });
    const open = await client.rest.issues.listForRepo({ owner: 'acme', repo: 'app', labels: 'key-hygiene' });
    expect(open.data.map((i) => i.number)).toEqual([8]);
    const all = await client.rest.issues.listForRepo({ owner: 'acme', repo: 'app', state: 'all' });
    expect(all.data.map((i) => [i.number, i.state, i.pull_request !== undefined])).toEqual([
      [9, 'closed', false],
      [8, 'open', false],
      [7, 'open', true],
    ]);
    const labels = await client.rest.issues.listLabelsForRepo({ owner: 'acme', repo: 'app' });
    expect(labels.data.map((l) => l.name)).toEqual(['key-hygiene']);
    await expect(client.rest.issues.createLabel({ owner: 'acme', repo: 'app', name: 'key-hygiene' })).rejects.toMatchObject({ status: 422 });
  });
});

describe('secrets, variables and alerts', () => {
  it('lists repo, environment and org secrets, with org visibility applied to the repo', async () => {
    gh = await startFakeGitHub({
      orgs: [
        {
          login: 'acme',
          secrets: {
            actions: [
              { name: 'EVERYWHERE', visibility: 'all' },
              { name: 'CHOSEN', visibility: 'selected', selected_repositories: ['app'] },
              { name: 'OTHERS', visibility: 'selected', selected_repositories: ['web'] },
            ],
          },
        },
      ],
      repos: [
        {
          owner: 'acme',
          name: 'app',
          secrets: { actions: [{ name: 'DEPLOY_KEY', created_at: '2024-01-01T00:00:00Z' }], dependabot: [{ name: 'NPM_AUTH' }], codespaces: [{ name: 'DEV_DB' }] },
          environments: [{ name: 'production', secrets: [{ name: 'PROD_DB' }], variables: [{ name: 'REGION', value: 'eu' }] }],
          variables: Array.from({ length: 35 }, (_, i) => ({ name: `V${i}`, value: String(i) })),
        },
        { owner: 'acme', name: 'web', private: true },
      ],
    });
    const client = plainClient(gh);
    const repo = { owner: 'acme', repo: 'app' };
    expect((await client.rest.actions.listRepoSecrets(repo)).data).toEqual({
      total_count: 1,
      secrets: [{ name: 'DEPLOY_KEY', created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' }],
    });
    expect((await client.rest.dependabot.listRepoSecrets(repo)).data.secrets.map((s) => s.name)).toEqual(['NPM_AUTH']);
    expect((await client.rest.codespaces.listRepoSecrets(repo)).data.secrets.map((s) => s.name)).toEqual(['DEV_DB']);
    expect((await client.rest.actions.listRepoOrganizationSecrets(repo)).data.secrets.map((s) => s.name)).toEqual(['EVERYWHERE', 'CHOSEN']);
    const envs = await client.rest.repos.getAllEnvironments(repo);
    expect(envs.data.environments?.map((e) => e.name)).toEqual(['production']);
    expect((await client.rest.actions.listEnvironmentSecrets({ ...repo, environment_name: 'production' })).data.secrets.map((s) => s.name)).toEqual(['PROD_DB']);
    expect((await client.rest.actions.listEnvironmentVariables({ ...repo, environment_name: 'production' })).data.variables).toMatchObject([{ name: 'REGION', value: 'eu' }]);
    // Variables pages hold at most 30.
    const vars = await client.rest.actions.listRepoVariables({ ...repo, per_page: 100 });
    expect(vars.data).toMatchObject({ total_count: 35 });
    expect(vars.data.variables).toHaveLength(30);
    const org = await client.rest.actions.listOrgSecrets({ org: 'acme' });
    expect(org.data.secrets.map((s) => [s.name, s.visibility])).toEqual([
      ['EVERYWHERE', 'all'],
      ['CHOSEN', 'selected'],
      ['OTHERS', 'selected'],
    ]);
    const selected = await client.rest.actions.listSelectedReposForOrgSecret({ org: 'acme', secret_name: 'OTHERS' });
    expect(selected.data.repositories.map((r) => r.full_name)).toEqual(['acme/web']);
    const orgRepos = await client.rest.repos.listForOrg({ org: 'acme', type: 'private' });
    expect(orgRepos.data.map((r) => r.name)).toEqual(['web']);
  });

  it('lists secret-scanning alerts by state, and answers 404 when scanning is disabled', async () => {
    gh = await startFakeGitHub({
      repos: [
        { owner: 'acme', name: 'app', secretScanningAlerts: [{ number: 1, state: 'open', secret_type: 'github_personal_access_token' }, { number: 2, state: 'resolved', secret_type: 'x', resolution: 'revoked' }] },
        { owner: 'acme', name: 'off', secretScanningAlerts: null },
      ],
    });
    const client = plainClient(gh);
    const open = await client.rest.secretScanning.listAlertsForRepo({ owner: 'acme', repo: 'app', state: 'open' });
    expect(open.data.map((a) => a.number)).toEqual([1]);
    await expect(client.rest.secretScanning.listAlertsForRepo({ owner: 'acme', repo: 'off' })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('Secret scanning is disabled on this repository.'),
    });
  });
});

describe('commits and comparisons', () => {
  it('derives a comparison from commit parents and pages a commit’s files by 300', async () => {
    const c = (i: number) => fakeSha(`push-${i}`);
    gh = await startFakeGitHub({
      repos: [
        {
          owner: 'acme',
          name: 'app',
          commits: [
            { sha: c(0) },
            { sha: c(1), parents: [c(0)], files: [{ filename: 'a.txt', status: 'added', patch: '@@ -0,0 +1 @@\n+one' }] },
            { sha: c(2), parents: [c(1)], files: files(650) },
          ],
        },
      ],
    });
    const client = plainClient(gh);
    const { data } = await client.rest.repos.compareCommitsWithBasehead({ owner: 'acme', repo: 'app', basehead: `${c(0)}...${c(2)}` });
    expect(data.commits.map((x) => x.sha)).toEqual([c(1), c(2)]);
    expect(data).toMatchObject({ status: 'ahead', ahead_by: 2, total_commits: 2 });
    expect(data.files).toHaveLength(300);
    const first = await client.rest.repos.getCommit({ owner: 'acme', repo: 'app', ref: c(2) });
    expect(first.data.files).toHaveLength(300);
    expect(first.headers.link).toContain('rel="next"');
    const third = await client.rest.repos.getCommit({ owner: 'acme', repo: 'app', ref: c(2), page: 3 });
    expect(third.data.files).toHaveLength(50);
  });
});
