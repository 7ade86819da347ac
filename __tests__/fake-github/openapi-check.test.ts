import { afterEach, describe, expect, it } from 'vitest';
import { checkAgainstOpenApi } from './openapi-check.js';
import { plainClient } from './octokit.js';
import { startFakeGitHub, type FakeGitHub } from './server.js';
import { fakeSha } from './state.js';

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

describe('checkAgainstOpenApi', () => {
  it('finds nothing wrong with the requests octokit sends for the endpoints the fake serves', async () => {
    gh = await startFakeGitHub({
      repos: [
        {
          owner: 'acme',
          name: 'app',
          pulls: [{ number: 3, head: { sha: fakeSha('h'), ref: 'f' }, base: { sha: fakeSha('b'), ref: 'main' }, files: [{ filename: 'a.txt' }] }],
          snapshots: [{ sha: fakeSha('b'), ref: 'main', files: { 'dir/a.txt': 'a' } }],
          environments: [{ name: 'prod' }],
        },
      ],
      orgs: [{ login: 'acme' }],
    });
    const client = plainClient(gh);
    const repo = { owner: 'acme', repo: 'app' };
    await client.rest.repos.get(repo);
    await client.rest.pulls.get({ ...repo, pull_number: 3 });
    await client.paginate(client.rest.pulls.listFiles, { ...repo, pull_number: 3, per_page: 100 });
    await client.rest.repos.getContent({ ...repo, path: 'dir/a.txt', ref: 'main' });
    await client.rest.git.getTree({ ...repo, tree_sha: 'main', recursive: '1' });
    const { data: comment } = await client.rest.issues.createComment({ ...repo, issue_number: 3, body: 'hi' });
    await client.rest.issues.updateComment({ ...repo, comment_id: comment.id, body: 'edited' });
    await client.rest.issues.deleteComment({ ...repo, comment_id: comment.id });
    const { data: run } = await client.rest.checks.create({ ...repo, name: 'key-hygiene', head_sha: fakeSha('h'), status: 'in_progress' });
    await client.rest.checks.update({
      ...repo,
      check_run_id: run.id,
      conclusion: 'failure',
      output: { title: 't', summary: 's', annotations: [{ path: 'a.txt', start_line: 1, end_line: 1, annotation_level: 'failure', message: 'm' }] },
    });
    await client.rest.issues.create({ ...repo, title: 'Rotate', labels: ['key-hygiene'] });
    await client.rest.issues.listForRepo({ ...repo, labels: 'key-hygiene', state: 'all' });
    await client.rest.actions.listRepoSecrets(repo);
    await client.rest.actions.listEnvironmentSecrets({ ...repo, environment_name: 'prod' });
    await client.rest.actions.listOrgSecrets({ org: 'acme' });
    await client.rest.secretScanning.listAlertsForRepo({ ...repo, state: 'open' });
    expect(gh.requests.length).toBeGreaterThan(15);
    expect(checkAgainstOpenApi(gh.requests)).toEqual([]);
  });

  it('reports an unknown operation, a bad enum, a wrong type, a missing field and a misspelt field', () => {
    const violations = checkAgainstOpenApi([
      { method: 'GET', path: '/repos/acme/app/pull/3/files' },
      { method: 'GET', path: '/repos/acme/app/issues', query: { state: 'opened' } },
      { method: 'GET', path: '/repos/acme/app/pulls/three/files' },
      {
        method: 'POST',
        path: '/repos/acme/app/check-runs',
        body: { name: 'k', head_sha: 'abc', conclusion: 'failed', output: { title: 't', summary: 's', annotations: [{ path: 'a', start_line: '1', end_line: 1, annotation_level: 'failure', message: 'm' }] } },
      },
      { method: 'POST', path: '/repos/acme/app/issues/3/comments', body: { text: 'hi' } },
      { method: 'POST', path: '/repos/acme/app/issues' },
    ]);
    expect(violations.map((v) => [v.index, v.operationId ?? null, v.message])).toEqual([
      [0, null, 'no GitHub REST operation GET /repos/acme/app/pull/3/files'],
      [1, 'issues/list-for-repo', 'query parameter "state": "opened" is not one of open, closed, all'],
      [2, 'pulls/list-files', 'path parameter "pull_number": expected an integer, got "three"'],
      [3, 'checks/create', 'body.conclusion: "failed" is not one of "action_required", "cancelled", "failure", "neutral", "success", "skipped", "stale", "timed_out"'],
      [3, 'checks/create', 'body.output.annotations[0].start_line: expected integer, got string'],
      [4, 'issues/create-comment', 'body: missing required property "body"'],
      [4, 'issues/create-comment', 'body: unknown property "text"'],
      [5, 'issues/create', 'missing required request body'],
    ]);
  });

  it('flags more than 50 annotations, which the schema caps too', () => {
    const annotation = { path: 'a', start_line: 1, end_line: 1, annotation_level: 'warning', message: 'm' };
    const [violation] = checkAgainstOpenApi([
      { method: 'PATCH', path: '/repos/acme/app/check-runs/5', body: { output: { title: 't', summary: 's', annotations: Array(51).fill(annotation) } } },
    ]);
    expect(violation?.message).toBe('body.output.annotations: 51 items, more than the 50 allowed');
  });
});
