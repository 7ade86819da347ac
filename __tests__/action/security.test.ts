/**
 * The attacks of the security review (issue 13), each reproduced through the built action against the
 * fake GitHub API: what a pull request author, a fork or a hostile config can make the action do.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { scmRules } from '../../src/rules/scm.js';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { fakeSha, type FakeFile, type FakeUser } from '../fake-github/state.js';
import { hrefs, renderGfm, textOutsideCode } from '../helpers/gfm.js';
import { loadWebhookPayload, runAction } from '../helpers/run-action.js';
import { seededGen } from '../helpers/sample-gen.js';
import { BASE, FULL, HEAD, OWNER, PR, REPO, addPatch, checkRuns, cleanFile, comments, everythingVisible, key, leakyFile, repoSeed, runOnPull, startWith } from './scenario.js';

let api: FakeGitHub | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const MARKER = '<!-- key-hygiene:comment -->';
const CONFIG = '.github/key-hygiene.yml';
const BOT: FakeUser = { login: 'github-actions[bot]', type: 'Bot' };

interface JsonReport {
  findings: Array<{ file: string; line: number; ruleId: string; verification?: unknown }>;
  stats: { suppressedInChange?: number };
}

function report(text: string | undefined): JsonReport {
  return JSON.parse(text ?? '{}') as JsonReport;
}

/**
 * The commands the runner would act on, read the way it reads a log: `::name ...::message` at the start
 * of a line, the older `##[name ...]message` anywhere in one, and nothing but the resume token while
 * commands are stopped.
 */
function runnerCommands(stdout: string): { commands: Array<{ name: string; message: string }>; stoppedAtEnd: boolean } {
  const commands: Array<{ name: string; message: string }> = [];
  let stopToken: string | undefined;
  for (const line of stdout.split(/\r?\n/)) {
    const v2 = /^\s*::([^\s:]+)(?: [^:]*)?::(.*)$/.exec(line);
    const v1 = v2 === null ? /##\[([^\s\]]+)(?: [^\]]*)?\](.*)$/.exec(line) : null;
    const found = v2 ?? v1;
    if (found === null) continue;
    const name = found[1] ?? '';
    const message = found[2] ?? '';
    if (stopToken !== undefined) {
      if (name === stopToken) stopToken = undefined;
      continue;
    }
    if (name === 'stop-commands') stopToken = message;
    commands.push({ name, message });
  }
  return { commands, stoppedAtEnd: stopToken !== undefined };
}

describe('1. live checks never run for a fork, however the run was started', () => {
  it('workflow_run (the fork-safe pattern): fork status comes from the pull request read through the API', async () => {
    api = await startFakeGitHub({
      repos: [{ ...repoSeed({ files: [leakyFile('src/a.ts', key(1301))] }), pulls: [{ number: PR, head: { sha: HEAD, ref: 'feature', repo: 'mallory/app' }, base: { sha: BASE, ref: 'main' }, files: [leakyFile('src/a.ts', key(1301))] }] }],
    });
    const run = await runAction({ api, eventName: 'workflow_run', payload: { workflow_run: { pull_requests: [] }, repository: { full_name: FULL } }, inputs: { verify: true, 'pull-request': PR } });
    expect(run.stdout).toMatch(/Live checks: live checks skipped: workflow_run from a fork/);
    expect(run.requests.some((r) => r.method === 'GET' && r.path === `/repos/${FULL}/pulls/${PR}`)).toBe(true);
    expect(comments(api)[0]?.body ?? '').not.toMatch(/Active key|revoke now/i);
  });

  it('merge_group: whether a queued change comes from a fork is unknown, so no live check', async () => {
    const base = fakeSha('mq-base-1');
    const head = fakeSha('mq-head-1');
    api = await startFakeGitHub({
      repos: [{ owner: OWNER, name: REPO, commits: [{ sha: base }, { sha: head, parents: [base], files: [leakyFile('src/q.ts', key(1302))] }] }],
    });
    const payload = loadWebhookPayload('merge_group', { repository: FULL, baseSha: base, headSha: head });
    const run = await runAction({ api, eventName: 'merge_group', payload, inputs: { verify: true } });
    expect(run.outputs['findings']).toBe('1');
    expect(run.stdout).toMatch(/Live checks: live checks skipped: a merge_group run cannot tell whether the change comes from a fork/);
  });
});

describe("2. one pull request cannot spend the repository's API budget", () => {
  /** Files GitHub lists without a patch (binary), each with its content at the head. */
  function patchless(n: number, sha?: (i: number) => string): { files: FakeFile[]; contents: Record<string, string> } {
    const files: FakeFile[] = [];
    const contents: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
      const filename = `data/blob-${String(i).padStart(4, '0')}.dat`;
      files.push({ filename, status: 'added', ...(sha !== undefined ? { sha: sha(i) } : {}) });
      contents[filename] = `\u0000binary ${i % 7}`;
    }
    return { files, contents };
  }

  it('1,200 binary files: at most 100 whole-file reads, the rest listed as not scanned, within the budget', async () => {
    const { files, contents } = patchless(1200);
    api = await startWith({ files, commits: [{ sha: HEAD, files: files.slice(0, 5) }], extra: { snapshots: [{ sha: HEAD, files: contents }] } });
    const run = await runOnPull(api);
    const reads = run.requests.filter((r) => r.path.includes('/contents/data/'));
    expect(reads).toHaveLength(100);
    // ceil(F/100) + C + 6 + min(missing, cap), with C = 0 (scan-commits is off by default).
    expect(run.requests.length).toBeLessThanOrEqual(Math.ceil(1200 / 100) + 0 + 6 + 100);
    expect(comments(api)[0]?.body ?? run.summary).toMatch(/1100 files without a diff not scanned: a run fetches at most 100 whole files/);
    // Not everything was read: under fail-on: leaks that is not a success.
    expect(run.code).toBe(1);
  });

  it('fetches identical content once, by blob sha', async () => {
    const { files, contents } = patchless(300, () => fakeSha('same-blob'));
    api = await startWith({ files, commits: [{ sha: HEAD, files: files.slice(0, 5) }], extra: { snapshots: [{ sha: HEAD, files: contents }] } });
    const run = await runOnPull(api);
    expect(run.requests.filter((r) => r.path.includes('/contents/data/'))).toHaveLength(1);
  });

  it('stops reading a file past 10 MiB and reports it as not scanned', async () => {
    const big = `${'x'.repeat(1024)}\n`.repeat(11 * 1024);
    api = await startWith({
      files: [{ filename: 'dump/huge.sql', status: 'added' }],
      commits: [{ sha: HEAD, files: [cleanFile('x.ts')] }],
      extra: { snapshots: [{ sha: HEAD, files: { 'dump/huge.sql': big } }] },
    });
    const run = await runOnPull(api, { 'fail-on': 'never' });
    expect(run.code).toBe(0);
    expect(run.summary).toMatch(/larger than 10 MiB without a diff not scanned: dump\/huge\.sql/);
  });

  it('annotates the 1,000 most severe of 1,200 findings and says how many were left out', async () => {
    const lines = Array.from({ length: 1200 }, (_, i) => `t${i} = "${key(20000 + i)}"`);
    const file: FakeFile = { filename: 'leaks.py', status: 'added', patch: addPatch(lines) };
    api = await startWith({ files: [file] });
    const run = await runOnPull(api, { comment: 'never' });
    const check = checkRuns(api)[0];
    expect(check?.annotations).toHaveLength(1000);
    expect(run.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/check-runs/'))).toHaveLength(19);
    expect(check?.output.summary).toMatch(/200 less severe findings have no annotation/);
  });
});

describe('3. user patterns run in linear time', () => {
  it('a custom rule and allow.values that backtrack catastrophically on V8 finish in seconds', async () => {
    const x = '[x]{0,1000}';
    const config = [
      'rules:',
      '  custom:',
      '    - id: acme-token',
      '      keywords: [acmez]',
      `      pattern: 'acmez${x}acmez${x}acmez${x}acmez${x}!'`,
      'allow:',
      "  values: ['^.*.*.*.*.*.*_DUMMY$', '^(a|a)*$']",
      '',
    ].join('\n');
    const hostile = `acmez${'x'.repeat(4000)}`;
    const secret = key(1303);
    api = await startWith({
      files: [{ filename: 'src/hostile.txt', status: 'added', patch: addPatch([hostile, `token = "${secret}"`]) }],
      extra: { snapshots: [{ sha: BASE, files: { [CONFIG]: config } }] },
    });
    const started = Date.now();
    const run = await runOnPull(api);
    const elapsed = Date.now() - started;
    expect(run.stdout).toContain(`Config: ${CONFIG}@${BASE.slice(0, 7)}`);
    expect(report(run.jsonReport).findings.map((f) => f.ruleId)).toEqual(['github-pat']);
    expect(checkRuns(api)).toHaveLength(1);
    expect(comments(api)).toHaveLength(1);
    // Not a timing assertion on the engine: a guard that the run did not hang until the test's kill.
    expect(elapsed).toBeLessThan(50_000);
  });
});

describe('4. the sticky comment is only ever the action’s own', () => {
  it('ignores a look-alike comment posted by the pull request author, forged finding count included', async () => {
    const forged = `${MARKER}\nplaceholder\n<!-- key-hygiene:findings=3 -->\n`;
    api = await startWith({ files: [leakyFile('src/a.ts', key(1304))], extra: { comments: [{ issue_number: PR, body: forged, user: { login: 'mallory', type: 'User' } }] } });
    await runOnPull(api);
    const all = comments(api);
    expect(all).toHaveLength(2);
    expect(all[0]?.body).toBe(forged);
    expect((all[1] as { user?: FakeUser } | undefined)?.user?.login).toBe('github-actions[bot]');
    expect(all[1]?.body).toContain('src/a.ts:2');
  });

  it('a clean run does not believe a forged "findings=3" and says nothing was fixed', async () => {
    const forged = `${MARKER}\nplaceholder\n<!-- key-hygiene:findings=3 -->\n`;
    api = await startWith({ files: [cleanFile('src/ok.ts')], extra: { comments: [{ issue_number: PR, body: forged, user: { login: 'mallory', type: 'User' } }] } });
    await runOnPull(api);
    const all = comments(api);
    expect(all).toHaveLength(1);
    expect(all[0]?.body).toBe(forged);
  });

  it('with a personal token, finds its comment by its own login (GET /user)', async () => {
    const own = `${MARKER}\nan older report\n<!-- key-hygiene:findings=1 -->\n`;
    const forged = `${MARKER}\nfake\n`;
    api = await startFakeGitHub({
      viewer: { login: 'deploy-bot', type: 'User' },
      repos: [repoSeed({ files: [leakyFile('src/a.ts', key(1305))], extra: { comments: [{ issue_number: PR, body: forged, user: { login: 'mallory', type: 'User' } }, { issue_number: PR, body: own, user: { login: 'deploy-bot', type: 'User' } }] } })],
    });
    await runOnPull(api);
    const all = comments(api);
    expect(all).toHaveLength(2);
    expect(all[0]?.body).toBe(forged);
    expect(all[1]?.body).toContain('src/a.ts:2');
  });

  it('with the workflow token, recognises its earlier comment by the app that wrote it', async () => {
    api = await startWith({ files: [leakyFile('src/a.ts', key(1306))], extra: { comments: [{ issue_number: PR, body: `${MARKER}\nold\n`, user: BOT }] } });
    await runOnPull(api);
    expect(comments(api)).toHaveLength(1);
    expect(comments(api)[0]?.body).toContain('src/a.ts:2');
  });
});

describe('5. file names cannot inject workflow commands', () => {
  it('neither the ##[ form nor stop-commands in a path is acted on, and the run still fails', async () => {
    const names = ['a/##[set-output name=sarif-file]x.ts', 'b/##[error file=x.ts]Approved: no leaks.ts', 'assets/##[stop-commands]zz.ts'];
    api = await startWith({ files: names.map((n, i) => leakyFile(n, key(1310 + i))) });
    const run = await runOnPull(api);
    expect(run.code).toBe(1);
    const view = runnerCommands(run.stdout);
    expect(view.stoppedAtEnd).toBe(false);
    const names_ = view.commands.map((c) => c.name);
    expect(names_).not.toContain('set-output');
    expect(view.commands.filter((c) => c.name === 'stop-commands').every((c) => /^kh-[0-9a-f]{32}$/.test(c.message))).toBe(true);
    expect(view.commands.some((c) => c.name === 'error' && c.message.startsWith('Approved'))).toBe(false);
    // The final error is still seen by the runner.
    expect(view.commands.filter((c) => c.name === 'error').at(-1)?.message).toMatch(/3 leaked keys found/);
  });
});

describe('6. merge_group reads the config at the base', () => {
  it('a queued change cannot disable the rule that finds its own key', async () => {
    const base = fakeSha('mq-base-6');
    const head = fakeSha('mq-head-6');
    const weakening = 'rules:\n  disable: [github-pat]\n';
    api = await startFakeGitHub({
      repos: [
        {
          owner: OWNER,
          name: REPO,
          commits: [
            { sha: base },
            { sha: head, parents: [base], files: [leakyFile('src/q.ts', key(1320)), { filename: CONFIG, status: 'added', patch: addPatch(weakening.trimEnd().split('\n')) }] },
          ],
          snapshots: [
            { sha: base, files: { 'README.md': 'hi' } },
            { sha: head, files: { [CONFIG]: weakening } },
          ],
        },
      ],
    });
    const payload = loadWebhookPayload('merge_group', { repository: FULL, baseSha: base, headSha: head });
    const run = await runAction({ api, eventName: 'merge_group', payload });
    expect(run.outputs['findings']).toBe('1');
    expect(run.code).toBe(1);
  });
});

describe('7. a pull request cannot silence its own findings', () => {
  it('a marker 40,000 characters before a key on a minified line does not suppress it', async () => {
    const line = `/* key-hygiene:allow */${'var a=1;'.repeat(5000)}var t="${key(1330)}";`;
    api = await startWith({ files: [{ filename: 'dist/app.min.js', status: 'added', patch: addPatch([line]) }] });
    const run = await runOnPull(api);
    expect(report(run.jsonReport).findings).toHaveLength(1);
    expect(run.code).toBe(1);
  });

  it('a marker the pull request adds next to a key is listed as suppressed in this PR and counted', async () => {
    const secret = key(1331);
    api = await startWith({ files: [{ filename: 'src/a.ts', status: 'added', patch: addPatch([`const t = "${secret}"; // key-hygiene:allow`]) }] });
    const run = await runOnPull(api);
    expect(run.code).toBe(0);
    const json = report(run.jsonReport);
    expect(json.findings).toHaveLength(0);
    expect(json.stats.suppressedInChange).toBe(1);
    const body = comments(api)[0]?.body ?? '';
    expect(body).toMatch(/Suppressed in this change: 1 finding/);
    expect(body).toContain('src/a.ts#L1');
    expect(checkRuns(api)[0]?.output.summary).toMatch(/Suppressed in this change/);
    expect(everythingVisible(run, api)).not.toContain(secret);
  });

  it('a marker inside a string, not a comment, does not count', async () => {
    api = await startWith({ files: [{ filename: 'src/a.ts', status: 'added', patch: addPatch([`const t = "${key(1332)}", note = "key-hygiene:allow";`]) }] });
    const run = await runOnPull(api);
    expect(report(run.jsonReport).findings).toHaveLength(1);
  });

  it('allow-list entries the pull request adds to the config do not apply yet, and the report says so', async () => {
    const secret = key(1333);
    api = await startWith({ files: [leakyFile('src/a.ts', secret), { filename: CONFIG, status: 'added', patch: addPatch(['allow:', "  values: ['^ghp_']"]) }] });
    const run = await runOnPull(api);
    expect(report(run.jsonReport).findings).toHaveLength(1);
    expect(comments(api)[0]?.body).toMatch(/This change edits the config file \.github\/key-hygiene\.yml\. Its rules and allow-list entries/);
  });
});

describe('8. live checks send a key only to a server that may have issued it', () => {
  it('GitHub tokens off github.com and GitLab tokens not vouched for by the config are not sent anywhere', async () => {
    const gitlab = scmRules.find((r) => r.id === 'gitlab-pat');
    if (gitlab === undefined) throw new Error('no gitlab-pat rule');
    const glpat = gitlab.samples.secret(seededGen(1340));
    api = await startWith({ files: [leakyFile('src/a.ts', key(1341)), leakyFile('src/b.ts', glpat)] });
    // The fake's server URL is not github.com: the run is on a GitHub Enterprise Server as far as the action knows.
    const run = await runOnPull(api, { verify: true });
    expect(run.stdout).toMatch(/live check: github-pat ghp_\S+ \(40 chars\) unknown \(not checked: the action runs on 127\.0\.0\.1:\d+, which may have issued the token/);
    expect(run.stdout).toMatch(/live check: gitlab-pat \S+ \(\d+ chars\) unknown \(not checked: GitLab tokens may come from a self-managed GitLab/);
    const json = report(run.jsonReport);
    expect(json.findings.every((f) => (f.verification as { status?: string } | undefined)?.status === 'unknown')).toBe(true);
    expect(everythingVisible(run, api)).not.toMatch(/revoked/i);
  });
});

describe('9. repository text cannot make links, references or look-alikes in the report', () => {
  it('www. paths, GH-123 and zero-width or direction characters are neutralised everywhere the report goes', async () => {
    const odd = 'www.evil.example/GH-123/a\u2060b\ufeff\u061c.dat';
    const lookAlike = 'src/con\u200bfig.ts';
    api = await startWith({
      files: [{ filename: odd, status: 'added' }, leakyFile(lookAlike, key(1350))],
      commits: [{ sha: HEAD, files: [cleanFile('x.ts')] }],
      extra: { snapshots: [{ sha: HEAD, files: { [odd]: '\u0000binary' } }] },
    });
    const run = await runOnPull(api, { 'fail-on': 'never' });
    const surfaces = { comment: comments(api)[0]?.body ?? '', check: checkRuns(api)[0]?.output.summary ?? '', summary: run.summary };
    for (const [name, body] of Object.entries(surfaces)) {
      expect(body, name).toContain('binary file not scanned');
      // The name is shown, in a code span where GitHub makes no link or reference of it.
      const html = renderGfm(body);
      expect(hrefs(html).filter((h) => h.includes('evil')), name).toEqual([]);
      expect(textOutsideCode(html), name).not.toMatch(/www\.evil|GH-123/);
      expect(body, name).not.toMatch(/[\u2060\ufeff\u061c]/);
      // Shown as a visible escape (its backslash is an entity in prose, plain in a code span).
      expect(body, name).toMatch(/(\\|&#92;)u2060/);
      expect(body, name).not.toContain('con\u200bfig');
      expect(body, name).toMatch(/con(\\|&#92;)u200bfig/);
    }
  });
});

describe('10. a key that is part of a file name is not printed in full', () => {
  it('redacts it in the comment, check run, summary, SARIF and JSON report', async () => {
    const secret = key(1360);
    api = await startWith({ files: [leakyFile(`keys/${secret}.txt`, secret)] });
    const run = await runOnPull(api, { 'sarif-file': 'out/results.sarif' });
    expect(report(run.jsonReport).findings[0]?.file).toMatch(/^keys\/ghp_\S+ \(40 chars\)\.txt$/);
    const check = checkRuns(api)[0];
    const published = [comments(api)[0]?.body ?? '', check?.output.summary ?? '', JSON.stringify(check?.annotations ?? []), run.summary, run.sarif ?? '', run.jsonReport ?? ''];
    for (const text of published) expect(text).not.toContain(secret);
  });
});

describe('11. what was not scanned does not pass as clean', () => {
  it('decodes a UTF-16 file with a byte-order mark and finds the key in it', async () => {
    const secret = key(1370);
    api = await startWith({
      files: [{ filename: 'config/settings.reg', status: 'modified' }],
      commits: [{ sha: HEAD, files: [cleanFile('x.ts')] }],
      extra: { snapshots: [{ sha: HEAD, files: {}, bytes: { 'config/settings.reg': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`[HKEY]\r\n"Token"="${secret}"\r\n`, 'utf16le')]) } }] },
    });
    const run = await runOnPull(api);
    expect(report(run.jsonReport).findings.map((f) => f.file)).toEqual(['config/settings.reg']);
  });

  it('a file over the size cap fails the run under fail-on: leaks, and the check says so', async () => {
    const big = `${'y'.repeat(1023)}\n`.repeat(11 * 1024);
    api = await startWith({
      files: [{ filename: 'dump/huge.sql', status: 'added' }, cleanFile('src/ok.ts')],
      commits: [{ sha: HEAD, files: [cleanFile('x.ts')] }],
      extra: { snapshots: [{ sha: HEAD, files: { 'dump/huge.sql': big } }] },
    });
    const run = await runOnPull(api);
    expect(run.code).toBe(1);
    expect(run.commands.filter((c) => c.command === 'error').at(-1)?.message).toMatch(/The scan is incomplete \(fail-on: leaks\): 1 file without a diff larger than 10 MiB not scanned/);
    expect(checkRuns(api)[0]?.conclusion).toBe('failure');
  });
});

describe('12. small leaks of the token and of paths', () => {
  it('does not follow a Link header to another origin with the token', async () => {
    const seen: string[] = [];
    const elsewhere = createServer((req, res) => {
      seen.push(String(req.headers['authorization'] ?? ''));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[]');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      const files = Array.from({ length: 150 }, (_, i) => cleanFile(`src/f${i}.ts`));
      api = await startWith({ files });
      const { port } = elsewhere.address() as AddressInfo;
      api.faults.add({ method: 'GET', path: '/repos/{owner}/{repo}/pulls/{pull_number}/files', fault: 'link-elsewhere', origin: `http://127.0.0.1:${port}` });
      const run = await runOnPull(api);
      expect(seen).toEqual([]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/not following it with the token/);
    } finally {
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    }
  });
});
