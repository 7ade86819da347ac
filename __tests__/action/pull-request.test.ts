import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../fake-github/server.js';
import { checkAgainstOpenApi } from '../fake-github/openapi-check.js';
import { fakeSha } from '../fake-github/state.js';
import { addPatch, BASE, checkRuns, cleanFile, comments, everythingVisible, FULL, HEAD, key, leakyFile, runOnPull, startWith } from './scenario.js';

let api: FakeGitHub | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const MARKER = '<!-- key-hygiene:comment -->';

describe('pull request with a leaked key', () => {
  it('comments once, publishes a failing check run on the head commit, sets outputs and fails the run', async () => {
    const secret = key(1);
    api = await startWith({ files: [leakyFile('src/settings.ts', secret), cleanFile('src/answer.ts')] });
    const run = await runOnPull(api);

    expect(run.code).toBe(1);
    expect(run.outputs['findings']).toBe('1');
    expect(run.outputs['overdue-secrets']).toBe('0');
    expect(run.commands.some((c) => c.command === 'error' && /1 leaked key found/.test(c.message) && c.properties['file'] === undefined)).toBe(true);

    const posted = comments(api);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.body.startsWith(MARKER)).toBe(true);
    expect(posted[0]?.body).toContain('src/settings.ts:2');

    const checks = checkRuns(api);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ name: 'Key hygiene', head_sha: HEAD, status: 'completed', conclusion: 'failure' });
    expect(checks[0]?.annotations).toEqual([expect.objectContaining({ path: 'src/settings.ts', start_line: 2, end_line: 2, annotation_level: 'failure' })]);

    // A workflow-command annotation on the file and line, the job summary, and the JSON report.
    expect(run.commands).toContainEqual(expect.objectContaining({ command: 'error', properties: expect.objectContaining({ file: 'src/settings.ts', line: '2' }) }));
    expect(run.summary).toContain('src/settings.ts:2');
    const report = JSON.parse(run.jsonReport ?? '{}') as { findings: Array<{ file: string; line: number; source: string }>; stats: { apiCalls?: number } };
    expect(report.findings).toEqual([expect.objectContaining({ file: 'src/settings.ts', line: 2, source: 'added' })]);
    expect(report.stats.apiCalls).toBeGreaterThan(0);
  });

  it('masks the key before printing and never lets it out: logs, summary, outputs, reports, API bodies', async () => {
    const secret = key(2);
    api = await startWith({ files: [leakyFile('config/prod.env.ts', secret)] });
    const run = await runOnPull(api, { 'sarif-file': 'out/key-hygiene.sarif' });

    expect(run.code).toBe(1);
    expect(run.sarif).toBeDefined();
    expect(run.jsonReport).toBeDefined();
    const masks = run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'));
    expect(masks).toContain(`::add-mask::${secret}`);
    // The mask is registered before the first line that talks about the finding.
    const firstMask = run.stdout.indexOf('::add-mask::');
    const firstMention = run.stdout.indexOf('config/prod.env.ts');
    expect(firstMask).toBeGreaterThanOrEqual(0);
    expect(firstMask).toBeLessThan(firstMention);
    expect(everythingVisible(run, api).includes(secret)).toBe(false);
  });

  it('passes with no comment when the pull request is clean, and still publishes a green check run', async () => {
    api = await startWith({ files: [cleanFile('src/answer.ts')] });
    const run = await runOnPull(api);
    expect(run.code).toBe(0);
    expect(run.outputs['findings']).toBe('0');
    expect(comments(api)).toHaveLength(0);
    expect(checkRuns(api)[0]).toMatchObject({ conclusion: 'success', head_sha: HEAD });
  });

  it('with fail-on: never, reports the key but succeeds, and the check run is neutral', async () => {
    api = await startWith({ files: [leakyFile('a.ts', key(3))] });
    const run = await runOnPull(api, { 'fail-on': 'never' });
    expect(run.code).toBe(0);
    expect(run.outputs['findings']).toBe('1');
    expect(checkRuns(api)[0]?.conclusion).toBe('neutral');
    expect(comments(api)).toHaveLength(1);
  });

  it('sends only requests that GitHub’s OpenAPI description accepts', async () => {
    api = await startWith({ files: [leakyFile('a.ts', key(4)), cleanFile('b.ts')] });
    const run = await runOnPull(api, { 'sarif-file': 'k.sarif' });
    expect(run.requests.length).toBeGreaterThan(0);
    expect(checkAgainstOpenApi(run.requests)).toEqual([]);
  });
});

describe('sticky comment', () => {
  it('is updated in place on a rerun, never duplicated, and skipped when the body is unchanged', async () => {
    api = await startWith({ files: [leakyFile('a.ts', key(5))] });
    await runOnPull(api);
    const first = comments(api);
    expect(first).toHaveLength(1);

    const rerun = await runOnPull(api);
    expect(comments(api)).toHaveLength(1);
    expect(rerun.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/comments'))).toHaveLength(0);
    // Same findings, same body: no PATCH either.
    expect(rerun.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/issues/comments/'))).toHaveLength(0);
  });

  it('is updated to say the findings were fixed once a later push removes the key', async () => {
    const secret = key(6);
    api = await startWith({ files: [leakyFile('a.ts', secret)] });
    await runOnPull(api);
    const id = comments(api)[0]?.id;

    // The author force-pushes the file without the key.
    const pull = api.state.repos.get(FULL)?.pulls.get(7);
    if (pull === undefined) throw new Error('no pull');
    const fixedHead = fakeSha('fixed-head');
    pull.head.sha = fixedHead;
    pull.files = [{ filename: 'a.ts', status: 'added', patch: addPatch(['// settings', 'const token = process.env.TOKEN;']) }];
    pull.commits = [{ sha: fixedHead, message: 'no key', files: pull.files }];
    api.state.repos.get(FULL)?.commits.set(fixedHead, pull.commits[0] as never);

    const { loadWebhookPayload } = await import('../helpers/run-action.js');
    const payload = loadWebhookPayload('pull_request.synchronize', { repository: FULL, number: 7, headSha: fixedHead, baseSha: BASE });
    const run = await runOnPull(api, {}, { payload });
    expect(run.code).toBe(0);
    const after = comments(api);
    expect(after).toHaveLength(1);
    expect(after[0]?.id).toBe(id);
    expect(after[0]?.body).toMatch(/fixed/i);
  });

  it('with comment: never, creates none but keeps an existing one up to date', async () => {
    api = await startWith({ files: [leakyFile('a.ts', key(7))] });
    await runOnPull(api, { comment: 'never' });
    expect(comments(api)).toHaveLength(0);

    await api.close();
    api = await startWith({
      files: [leakyFile('a.ts', key(7))],
      extra: { comments: [{ issue_number: 7, body: `${MARKER}\nan older report`, user: { login: 'github-actions[bot]', type: 'Bot' } }] },
    });
    await runOnPull(api, { comment: 'never' });
    const kept = comments(api);
    expect(kept).toHaveLength(1);
    expect(kept[0]?.body).toContain('a.ts:2');
  });

  it('never edits a comment that only quotes the marker', async () => {
    api = await startWith({
      files: [leakyFile('a.ts', key(11))],
      extra: { comments: [{ issue_number: 7, body: `> ${MARKER}\n> quoted report\n\nIs this real?` }] },
    });
    await runOnPull(api);
    const all = comments(api);
    expect(all).toHaveLength(2);
    expect(all[0]?.body).toContain('Is this real?');
    expect(all[1]?.body.startsWith(MARKER)).toBe(true);
  });

  it('finds its comment past the first page of a busy pull request', async () => {
    const secret = key(8);
    api = await startWith({
      files: [leakyFile('a.ts', secret)],
      extra: {
        comments: Array.from({ length: 130 }, (_, i) =>
          i === 120 ? { issue_number: 7, body: `${MARKER}\nold report`, user: { login: 'github-actions[bot]', type: 'Bot' as const } } : { issue_number: 7, body: `review note ${i}` },
        ),
      },
    });
    const run = await runOnPull(api);
    const mine = comments(api).filter((c) => c.body.startsWith(MARKER));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.body).toContain('a.ts:2');
    expect(run.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/comments'))).toHaveLength(0);
  });
});

describe('history', () => {
  it('reports a key added in one commit and removed in a later one as still in history', async () => {
    const secret = key(9);
    const c1 = fakeSha('c1');
    const c2 = fakeSha('c2');
    const finalFile = { filename: 'src/client.ts', status: 'added' as const, patch: addPatch(['const token = process.env.TOKEN;']) };
    api = await startWith({
      files: [finalFile],
      commits: [
        { sha: c1, message: 'add client', files: [leakyFile('src/client.ts', secret)] },
        { sha: c2, message: 'use env', files: [{ filename: 'src/client.ts', status: 'modified', patch: '@@ -2 +2 @@\n-const token = "x";\n+const token = process.env.TOKEN;' }] },
      ],
    });
    const run = await runOnPull(api);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.jsonReport ?? '{}') as { findings: Array<{ file: string; source: string; commit?: string }> };
    expect(report.findings).toEqual([expect.objectContaining({ file: 'src/client.ts', source: 'history', commit: c1 })]);
    expect(comments(api)[0]?.body).toMatch(/still in git history/i);
    expect(everythingVisible(run, api).includes(secret)).toBe(false);
  });

  it('does not read commits with scan-commits: false', async () => {
    api = await startWith({ files: [cleanFile('a.ts')] });
    const run = await runOnPull(api, { 'scan-commits': false });
    expect(run.requests.some((r) => r.path.includes('/commits'))).toBe(false);
  });
});

describe('API budget', () => {
  it('costs at most ceil(F/100) + C + 6 calls, and reports the count', async () => {
    const files = Array.from({ length: 150 }, (_, i) => cleanFile(`src/f${i}.ts`));
    files.push(leakyFile('src/leak.ts', key(10)));
    const commits = Array.from({ length: 4 }, (_, i) => ({ sha: fakeSha(`b${i}`), message: `c${i}`, files: files.slice(i * 40, (i + 1) * 40) }));
    api = await startWith({ files, commits });
    const run = await runOnPull(api);
    const F = files.length;
    const C = commits.length;
    expect(run.requests.length).toBeLessThanOrEqual(Math.ceil(F / 100) + C + 6);
    expect(run.stdout).toMatch(new RegExp(`GitHub API calls: ${run.requests.length}\\b`));
  });
});
