import { afterEach, describe, expect, it } from 'vitest';
import { HISTORY_HOWTO, MAX_AUDIT_FILE_BYTES, runScheduledAudit, type ScheduledAuditDeps } from '../../src/action/scheduled-audit.js';
import { buildEngine, defaultConfig, type Config } from '../../src/config/index.js';
import { listOpenSecretScanningAlerts } from '../../src/github/alerts.js';
import { listTreeFiles } from '../../src/github/git.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { secretOf } from '../../src/scan/engine.js';
import { fakeSha, gitBlobSha, type FakeGitHub, type RepoSeed } from '../fake-github/index.js';
import { NOW, clientFor, daysAgo, fake, githubKey, quietLog, stopAll } from './setup.js';

afterEach(stopAll);

const REPO = { owner: 'acme', repo: 'app' };

function configWith(ignore: string[]): Config {
  const config = defaultConfig();
  config.paths = { ignore, useDefaults: true };
  return config;
}

/** A default branch with one planted key (in two identical files), and files the audit must not fetch. */
function treeSeed(key: string, opts: { truncated?: boolean } = {}): { seed: RepoSeed; files: Record<string, string> } {
  const planted = `import { client } from './client';\n\nconst token = "${key}";\nexport default client(token);\n`;
  const files: Record<string, string> = {
    'README.md': '# app\n',
    'src/config.ts': planted,
    'src/copy-of-config.ts': planted,
    'src/deep/er/still/clean.ts': 'export const x = 1;\n',
    'assets/blob.bin': `GIF89a\0\0\0${key}\0`,
    'assets/logo.png': `PNG${key}`,
    'vendor/lib.js': `var k = "${key}";\n`,
    'node_modules/pkg/index.js': `module.exports = "${key}";\n`,
    'data/dump.sql': `-- ${key}\n${'x'.repeat(MAX_AUDIT_FILE_BYTES)}\n`,
  };
  return {
    files,
    seed: {
      owner: 'acme',
      name: 'app',
      default_branch: 'trunk',
      snapshots: [{ sha: fakeSha('trunk'), ref: 'trunk', files, ...(opts.truncated === true ? { truncated: true } : {}) }],
    },
  };
}

function deps(gh: FakeGitHub, over: Partial<ScheduledAuditDeps> = {}): ScheduledAuditDeps {
  const config = over.config ?? configWith(['vendor/']);
  return {
    github: clientFor(gh),
    repo: REPO,
    serverUrl: 'https://github.example.invalid',
    config,
    engine: buildEngine(config),
    maxSecretAgeDays: 90,
    now: NOW,
    log: quietLog(),
    ...over,
  };
}

function blobRequests(gh: FakeGitHub): string[] {
  return gh.requests.filter((r) => r.path.startsWith('/repos/acme/app/git/blobs/')).map((r) => r.path.split('/').pop() ?? '');
}

describe('scheduled audit of the default branch', () => {
  it('finds the planted key, skips binary, oversized and ignored files, and says so', async () => {
    const key = githubKey();
    const { seed } = treeSeed(key);
    const gh = await fake({ repos: [seed] });
    const { report, alerts, secretsReadable } = await runScheduledAudit(deps(gh));

    expect(report.findings.map((f) => [f.file, f.line, f.ruleId, f.source])).toEqual([
      ['src/config.ts', 3, 'github-pat', 'file'],
      ['src/copy-of-config.ts', 3, 'github-pat', 'file'],
    ]);
    expect(report.findings.every((f) => secretOf(f) === key)).toBe(true);
    // README, the two config copies, the deep file: scanned. The GIF-like blob: fetched, then binary.
    expect(report.stats.files).toBe(4);
    expect(report.stats.skipped).toEqual({ binary: 1, ignored: 3, tooLarge: 1 });
    // No checkout here, so the history scan could not run, and the report says how to turn it on.
    expect(report.notes).toEqual([HISTORY_HOWTO, `1 file(s) over 2 MiB were not scanned.`]);

    // The whole tree came from the archive: one API call for its link, no tree listing, no blob.
    expect(blobRequests(gh)).toEqual([]);
    expect(gh.requests.filter((r) => r.path.includes('/git/trees/'))).toEqual([]);
    expect(gh.requests.filter((r) => r.path.startsWith('/repos/acme/app/tarball/')).map((r) => [r.path, r.status])).toEqual([['/repos/acme/app/tarball/trunk', 302]]);
    const downloads = gh.requests.filter((r) => r.path.startsWith('/_codeload/'));
    expect(downloads.map((r) => r.status)).toEqual([200]);
    // The archive link is not the API: the token is not sent there.
    expect(downloads[0]?.headers['authorization']).toBeUndefined();
    // Links go to the commit the archive holds (its top directory names it), not to the moving branch.
    expect(report.target).toMatchObject({ kind: 'schedule', owner: 'acme', repo: 'app', headSha: fakeSha('trunk').slice(0, 7) });
    expect(report.rotation?.status).toBe('skipped');
    expect(secretsReadable).toBe(false);
    expect(alerts).toEqual([]);
    expect(report.stats.apiCalls).toBe(gh.requests.length - downloads.length);
    for (const out of [renderJson(report), renderMarkdown(report, { surface: 'summary' })]) expect(out.includes(key)).toBe(false);
  });

  it('falls back to the blobs API when the archive cannot be downloaded, and says so', async () => {
    const key = githubKey();
    const { seed, files } = treeSeed(key);
    const gh = await fake({ repos: [seed] });
    gh.faults.add({ fault: 'status', status: 503, path: /^\/_codeload\//, times: 'always' });
    const log = quietLog();
    const { report } = await runScheduledAudit(deps(gh, { log }));
    expect(report.findings.map((f) => [f.file, f.line])).toEqual([
      ['src/config.ts', 3],
      ['src/copy-of-config.ts', 3],
    ]);
    expect(report.stats.files).toBe(4);
    expect(report.stats.skipped).toEqual({ binary: 1, ignored: 3, tooLarge: 1 });
    expect(report.notes[0]).toBe(
      'Could not read the repository archive: the archive download answered 503, so the files were fetched one by one through the blobs API (6 API calls instead of 1).',
    );
    // Ignored and oversized files never cost a call; identical files share one blob fetch.
    const fetched = blobRequests(gh);
    for (const path of ['assets/logo.png', 'vendor/lib.js', 'node_modules/pkg/index.js', 'data/dump.sql']) {
      expect(fetched, path).not.toContain(gitBlobSha(files[path]!));
    }
    expect(fetched.filter((sha) => sha === gitBlobSha(files['src/config.ts']!))).toHaveLength(1);
    expect(fetched).toHaveLength(4);
    const trees = gh.requests.filter((r) => r.path.includes('/git/trees/'));
    expect(trees.map((r) => [r.path, r.query['recursive']])).toEqual([['/repos/acme/app/git/trees/trunk', '1']]);
    expect(log.lines.join('\n')).toMatch(/archive download answered 503; reading the files one by one through the blobs API instead/);
  });

  it('still sees every file when GitHub truncates the recursive tree', async () => {
    const key = githubKey();
    const whole = await fake({ repos: [treeSeed(key).seed] });
    const cut = await fake({ repos: [treeSeed(key, { truncated: true }).seed] });
    for (const gh of [whole, cut]) gh.faults.add({ fault: 'status', status: 503, path: /^\/_codeload\//, times: 'always' });
    const a = await runScheduledAudit(deps(whole));
    const b = await runScheduledAudit(deps(cut));
    expect(b.report.findings.map((f) => `${f.file}:${f.line}`)).toEqual(a.report.findings.map((f) => `${f.file}:${f.line}`));
    expect(b.report.stats.files).toBe(a.report.stats.files);
    expect(b.report.stats.skipped).toEqual(a.report.stats.skipped);
    expect(b.report.notes.join('\n')).toMatch(/truncated by GitHub 1 time\(s\).*every file was still seen/);
    expect(a.report.notes.join('\n')).not.toMatch(/truncated/);
  });

  it('lists a truncated tree subtree by subtree, with full paths', async () => {
    const files: Record<string, string> = { 'a.txt': 'a', 'd1/b.txt': 'b', 'd1/d2/c.txt': 'c', 'd1/d2/d3/d.txt': 'd', 'e/f.txt': 'f' };
    const gh = await fake({ repos: [{ owner: 'acme', name: 'app', snapshots: [{ sha: fakeSha('t'), ref: 'main', files, truncated: true }] }] });
    const { files: listed, truncatedTrees } = await listTreeFiles(clientFor(gh).client, REPO, 'main');
    expect(truncatedTrees).toBe(1);
    expect(listed.map((f) => f.path).sort()).toEqual(Object.keys(files).sort());
    for (const f of listed) expect(f.sha).toBe(gitBlobSha(files[f.path]!));
  });

  it('notes a default branch without a tree and still audits the secrets', async () => {
    const gh = await fake({ repos: [{ owner: 'acme', name: 'app', secrets: { actions: [{ name: 'OLD', updated_at: daysAgo(100) }] } }] });
    const { report, secretsReadable } = await runScheduledAudit(deps(gh, { secrets: clientFor(gh) }));
    expect(report.notes).toEqual(['The default branch main could not be listed (404: the trees API found no tree for it), so no file was scanned.', HISTORY_HOWTO]);
    expect(report.stats.files).toBe(0);
    expect(report.rotation?.entries.map((e) => `${e.name}:${e.status}`)).toEqual(['OLD:overdue']);
    expect(secretsReadable).toBe(true);
  });

  it('fails the run on any other tree error, with the endpoint named', async () => {
    const gh = await fake({ repos: [{ owner: 'acme', name: 'app', snapshots: [{ sha: fakeSha('m'), ref: 'main', files: { 'a.txt': 'a' } }] }] });
    gh.faults.add({ fault: 'status', status: 403, path: '/repos/acme/app/tarball/{ref}' });
    gh.faults.add({ fault: 'status', status: 403, path: '/repos/acme/app/git/trees/{sha}' });
    await expect(runScheduledAudit(deps(gh))).rejects.toThrow(/GET \/repos\/\{owner\}\/\{repo\}\/git\/trees\/\{tree_sha\} was refused \(403: .*"contents: read"/);
  });

  it('audits secrets and variables with secrets-token and counts the calls of both tokens', async () => {
    const key = githubKey();
    const gh = await fake({
      repos: [
        {
          owner: 'acme',
          name: 'app',
          snapshots: [{ sha: fakeSha('m'), ref: 'main', files: { 'README.md': 'hi\n' } }],
          secrets: { actions: [{ name: 'DEPLOY', updated_at: daysAgo(91) }] },
          variables: [{ name: 'SLACK_TOKEN', value: key }],
        },
      ],
    });
    const github = clientFor(gh);
    const secrets = clientFor(gh);
    const { report, secretsReadable } = await runScheduledAudit(deps(gh, { github, secrets }));
    expect(secretsReadable).toBe(true);
    expect(report.rotation?.entries.map((e) => `${e.name}:${e.status}`)).toEqual(['DEPLOY:overdue']);
    expect(report.findings.map((f) => `${f.source}:${f.file}`)).toEqual(['variable:variables/SLACK_TOKEN']);
    expect(secrets.calls()).toBeGreaterThan(0);
    expect(report.stats.apiCalls).toBe(github.calls() + secrets.calls());
    expect(report.stats.apiCalls).toBe(gh.requests.filter((r) => !r.path.startsWith('/_codeload/')).length);
  });
});

describe('secret-scanning alerts', () => {
  it('lists open alerts without their values', async () => {
    const leaked = githubKey();
    const resolved = githubKey();
    const gh = await fake({
      repos: [
        {
          owner: 'acme',
          name: 'app',
          snapshots: [{ sha: fakeSha('m'), ref: 'main', files: { 'README.md': 'hi\n' } }],
          secretScanningAlerts: [
            { number: 3, state: 'open', secret_type: 'github_personal_access_token', secret_type_display_name: 'GitHub Personal Access Token', secret: leaked, validity: 'active', created_at: daysAgo(3) },
            { number: 2, state: 'resolved', resolution: 'revoked', secret_type: 'github_personal_access_token', secret: resolved },
          ],
        },
      ],
    });
    const result = await runScheduledAudit(deps(gh));
    expect(result.alerts).toEqual([
      { number: 3, secretType: 'GitHub Personal Access Token', createdAt: daysAgo(3), url: `${gh.url}/acme/app/security/secret-scanning/3`, validity: 'active' },
    ]);
    const request = gh.requests.find((r) => r.path === '/repos/acme/app/secret-scanning/alerts');
    expect(request?.query).toMatchObject({ state: 'open', hide_secret: 'true' });
    const everything = JSON.stringify(result) + renderJson(result.report) + renderMarkdown(result.report, { surface: 'summary' });
    expect(everything.includes(leaked)).toBe(false);
    expect(everything.includes(resolved)).toBe(false);
  });

  it('keeps the value out even when the server sends it anyway', async () => {
    const leaked = githubKey();
    const gh = await fake({
      repos: [{ owner: 'acme', name: 'app', secretScanningAlerts: [{ number: 1, state: 'open', secret_type: 'slack_api_token', secret: leaked }] }],
    });
    const { client } = clientFor(gh);
    // A server that ignores hide_secret: drop the flag before the request leaves.
    client.hook.before('request', (options) => {
      delete (options as Record<string, unknown>)['hide_secret'];
    });
    const raw = await client.request('GET /repos/{owner}/{repo}/secret-scanning/alerts', { ...REPO });
    expect(JSON.stringify(raw.data)).toContain(leaked); // the server did send it
    const alerts = await listOpenSecretScanningAlerts(client, REPO);
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(alerts).includes(leaked)).toBe(false);
  });

  it('notes, and carries on, when secret scanning is off', async () => {
    const gh = await fake({ repos: [{ owner: 'acme', name: 'app', snapshots: [{ sha: fakeSha('m'), ref: 'main', files: { 'a.txt': 'a' } }], secretScanningAlerts: null }] });
    const { report, alerts } = await runScheduledAudit(deps(gh));
    expect(alerts).toEqual([]);
    expect(report.notes.join('\n')).toMatch(/secret-scanning alerts could not be read \(404\).*"Secret scanning alerts: read"/);
    expect(report.stats.files).toBe(1);
  });
});
