import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../fake-github/server.js';
import { checkAgainstOpenApi } from '../fake-github/openapi-check.js';
import { loadWebhookPayload } from '../helpers/run-action.js';
import { fakeSha, type FakeFile } from '../fake-github/state.js';
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

describe('pull request with a plain-http API URL (a transport finding, not a leaked key)', () => {
  // Concatenated so that this file does not trip the rule it tests.
  const HTTP = 'http' + '://';
  /** A client pointed at plain http:// three times, one host: one finding for the file. */
  const transportFile = (path: string): FakeFile => ({
    filename: path,
    status: 'added',
    patch: addPatch([
      'import OpenAI from "openai";',
      `const client = new OpenAI({ baseURL: "${HTTP}api.openai.com/v1" });`,
      `export const OPENAI_BASE_URL = "${HTTP}api.openai.com/v1";`,
      `const models = await fetch("${HTTP}api.openai.com/v1/models");`,
    ]),
  });
  /** What must not be reported: a recorded API response, a doc comment, Markdown. */
  const quietFiles = (): FakeFile[] => [
    { filename: 'test/fixtures/user.json', status: 'added', patch: addPatch(['{', `  "url": "${HTTP}api.github.com/users/octocat",`, `  "html_url": "${HTTP}github.com/octocat"`, '}']) },
    { filename: 'src/doc.ts', status: 'added', patch: addPatch(['/**', ' * @example', ` * new Client({ baseURL: "${HTTP}api.openai.com/v1" })`, ' */', 'export {};']) },
    { filename: 'docs/proxy.md', status: 'added', patch: addPatch(['```bash', `export OPENAI_BASE_URL=${HTTP}api.openai.com/v1`, '```']) },
  ];

  it('under the default fail-on: reports it apart, counts no leaked key, and passes with a neutral check', async () => {
    api = await startWith({ files: [transportFile('src/llm.ts'), ...quietFiles()] });
    const run = await runOnPull(api, { 'sarif-file': 'k.sarif' });

    expect(run.code).toBe(0);
    expect(run.outputs['findings']).toBe('0');
    expect(run.outputs['transport-findings']).toBe('1');
    expect(run.commands.filter((c) => c.command === 'error')).toEqual([]);
    // A public host is no secret: masking it would blank it out of every log line.
    expect(run.stdout).not.toContain('::add-mask::api.openai.com');
    expect(run.commands).toContainEqual(expect.objectContaining({ command: 'warning', properties: expect.objectContaining({ file: 'src/llm.ts', line: '2' }) }));

    const posted = comments(api);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.body).toContain('✅ **No leaked keys found in this pull request** · ⚠️ 1 plain-http API URL (no key leaked)');
    expect(posted[0]?.body).toContain('#### Keyed APIs reached over plain http://');
    expect(posted[0]?.body).not.toMatch(/\d+ leaked keys? found/);

    const check = checkRuns(api)[0];
    expect(check).toMatchObject({ conclusion: 'neutral', output: expect.objectContaining({ title: 'No leaked keys; 1 plain-http API URL' }) });
    expect(check?.annotations).toEqual([expect.objectContaining({ path: 'src/llm.ts', start_line: 2, annotation_level: 'warning' })]);
    expect(run.summary).toContain('1 plain-http API URL');

    const report = JSON.parse(run.jsonReport ?? '{}') as { counts: unknown; findings: Array<{ file: string; category: string }> };
    expect(report.counts).toEqual({ keys: 0, transport: 1 });
    expect(report.findings.map((f) => [f.file, f.category])).toEqual([['src/llm.ts', 'transport']]);
    const sarif = JSON.parse(run.sarif ?? '{}') as { runs: Array<{ results: Array<{ level: string; properties: { category: string } }> }> };
    expect(sarif.runs[0]?.results.map((r) => [r.level, r.properties.category])).toEqual([['warning', 'transport']]);
  });

  it('fails the run when fail-on names transport, saying why', async () => {
    api = await startWith({ files: [transportFile('src/llm.ts')] });
    const run = await runOnPull(api, { 'fail-on': 'leaks, transport' });
    expect(run.code).toBe(1);
    expect(run.outputs['transport-findings']).toBe('1');
    expect(run.commands.some((c) => c.command === 'error' && /1 plain-http API URL found \(fail-on: leaks, transport\)/.test(c.message))).toBe(true);
    expect(run.commands.some((c) => c.command === 'error' && /leaked key/.test(c.message))).toBe(false);
    expect(checkRuns(api)[0]?.conclusion).toBe('failure');
  });

  it('next to a leaked key: fails for the key alone, and counts each in its own output', async () => {
    api = await startWith({ files: [transportFile('src/llm.ts'), transportFile('src/other.ts'), leakyFile('src/settings.ts', key(11))] });
    const run = await runOnPull(api);
    expect(run.code).toBe(1);
    expect(run.outputs['findings']).toBe('1');
    expect(run.outputs['transport-findings']).toBe('2');
    const failure = run.commands.find((c) => c.command === 'error' && c.properties['file'] === undefined);
    expect(failure?.message).toMatch(/^1 leaked key found \(fail-on: leaks\)/);
    expect(failure?.message).not.toMatch(/plain-http/);
    expect(comments(api)[0]?.body).toContain('🔴 **1 leaked key found in this pull request** · ⚠️ 2 plain-http API URLs (no key leaked)');
    expect(checkRuns(api)[0]?.output).toMatchObject({ title: '1 leaked key found; 2 plain-http API URLs' });
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

  it('drops a plain-http API URL that a later commit of the pull request fixed', async () => {
    const http = 'http' + '://';
    const c1 = fakeSha('t1');
    const c2 = fakeSha('t2');
    const fixed = 'const client = new OpenAI({ baseURL: "https://api.openai.com/v1" });';
    const finalFile = { filename: 'src/llm.ts', status: 'added' as const, patch: addPatch([fixed]) };
    api = await startWith({
      files: [finalFile],
      commits: [
        { sha: c1, message: 'client', files: [{ filename: 'src/llm.ts', status: 'added', patch: addPatch([`const client = new OpenAI({ baseURL: "${http}api.openai.com/v1" });`]) }] },
        { sha: c2, message: 'https', files: [{ filename: 'src/llm.ts', status: 'modified', patch: `@@ -1 +1 @@\n-x\n+${fixed}` }] },
      ],
    });
    const run = await runOnPull(api);
    expect(run.code).toBe(0);
    expect(run.outputs['transport-findings']).toBe('0');
    expect((JSON.parse(run.jsonReport ?? '{}') as { findings: unknown[] }).findings).toEqual([]);
    expect(comments(api)).toHaveLength(0);
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

describe('secret names in a pull request comment', () => {
  it('never lists secret names in the comment of a public repository, even with disclose-names', async () => {
    const secret = key(40);
    for (const [isPrivate, disclose, named] of [
      [false, 'true', false],
      [false, 'false', false],
      [true, 'false', true],
    ] as const) {
      api = await startWith({
        files: [leakyFile('src/a.ts', secret)],
        extra: { private: isPrivate, secrets: { actions: [{ name: 'STALE_DEPLOY_TOKEN', updated_at: '2020-01-01T00:00:00Z' }] } },
      });
      const payload = loadWebhookPayload('pull_request.synchronize', { repository: FULL, number: 7, headSha: HEAD, baseSha: BASE });
      (payload['repository'] as Record<string, unknown>)['private'] = isPrivate;
      const run = await runOnPull(api, { 'secrets-token': 'secrets-reader', 'disclose-names': disclose }, { payload });
      const where = `private=${isPrivate} disclose-names=${disclose}`;
      const body = (comments(api)[0]?.body ?? '').replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
      expect(body, where).toContain('1 overdue');
      expect(body.includes('STALE_DEPLOY_TOKEN'), where).toBe(named);
      expect(run.outputs['overdue-secrets'], where).toBe('1');
      await api.close();
      api = undefined;
    }
  });
});
