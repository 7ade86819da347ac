import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { fakeSha, type RepoSeed } from '../fake-github/state.js';
import { runScheduled } from '../helpers/run-action.js';
import { FULL, OWNER, REPO, key } from './scenario.js';

const MAIN = fakeSha('main-tip');
const DAY = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString();

let api: FakeGitHub | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function seed(opts: { fileKey?: string; variableKey?: string; secretAgeDays: number; alertSecret?: string }): RepoSeed {
  return {
    owner: OWNER,
    name: REPO,
    default_branch: 'main',
    snapshots: [
      {
        sha: MAIN,
        ref: 'main',
        files: {
          'README.md': '# app\n',
          'src/settings.ts': opts.fileKey === undefined ? 'export const x = 1;\n' : `export const token = "${opts.fileKey}";\n`,
          'assets/logo.png': '\u0089PNG\u0000binary',
        },
      },
    ],
    secrets: { actions: [{ name: 'DEPLOY_TOKEN', created_at: daysAgo(400), updated_at: daysAgo(opts.secretAgeDays) }] },
    variables: opts.variableKey === undefined ? [] : [{ name: 'API_TOKEN', value: opts.variableKey }],
    secretScanningAlerts:
      opts.alertSecret === undefined ? [] : [{ number: 3, state: 'open', secret_type: 'github_personal_access_token', secret_type_display_name: 'GitHub PAT', secret: opts.alertSecret }],
  };
}

function runSchedule(fake: FakeGitHub, inputs: Record<string, string>) {
  return runScheduled({ api: fake, repository: FULL, sha: MAIN, inputs });
}

/** The renderer writes punctuation from the repository as HTML entities; read it back as a person would. */
function decodeEntities(markdown: string): string {
  return markdown.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

function trackingIssues(fake: FakeGitHub) {
  return (fake.state.repos.get(FULL)?.issues ?? []).filter((i) => (i.body ?? '').includes('<!-- key-hygiene:tracking-issue -->'));
}

describe('scheduled audit', () => {
  it('audits the tree, secret ages, variables and alerts, and keeps one tracking issue through its lifecycle', async () => {
    const fileKey = key(501);
    const variableKey = key(502);
    const alertSecret = key(503);
    api = await startFakeGitHub({ repos: [seed({ fileKey, variableKey, secretAgeDays: 120, alertSecret })] });

    const first = await runSchedule(api, { 'secrets-token': 'secrets-reader', 'fail-on': 'any' });
    expect(first.code).toBe(1);
    expect(first.outputs['findings']).toBe('2');
    expect(first.outputs['overdue-secrets']).toBe('1');
    const report = JSON.parse(first.report) as { findings: Array<{ file: string; source: string }>; rotation: { entries: Array<{ name: string; status: string }> } };
    expect(report.findings.map((f) => `${f.source}:${f.file}`).sort()).toEqual(['file:src/settings.ts', 'variable:variables/API_TOKEN']);
    expect(report.rotation.entries).toEqual([expect.objectContaining({ name: 'DEPLOY_TOKEN', status: 'overdue' })]);
    // A public repository: the summary and the issue give counts, never which secrets exist or how stale they are.
    expect(decodeEntities(first.summary)).not.toContain('DEPLOY_TOKEN');
    expect(decodeEntities(first.summary)).toContain('1 secret audited: 1 overdue, 0 due soon, 0 within the policy.');
    let issues = trackingIssues(api);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.labels).toContain('key-hygiene');
    expect(issues[0]?.body).toContain('GitHub PAT');
    expect(decodeEntities(issues[0]?.body ?? '')).not.toContain('DEPLOY_TOKEN');
    expect(decodeEntities(issues[0]?.body ?? '')).toContain('because this repository is public');
    expect(first.stdout).toMatch(/GitHub API calls: \d+/);
    expect(first.stdout).toMatch(/files read from the repository archive .* in 1 API call/);

    // Nothing printed, written or sent anywhere holds a value: not the keys, not the alert's secret.
    const visible = [
      first.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n'),
      first.stderr,
      first.summary,
      first.report,
      JSON.stringify(api.requests.map((r) => r.body)),
      JSON.stringify(trackingIssues(api)),
    ].join('\n');
    for (const secret of [fileKey, variableKey, alertSecret]) expect(visible.includes(secret)).toBe(false);
    // The alerts listing asked GitHub to leave the values out.
    expect(api.requests.some((r) => r.path.endsWith('/secret-scanning/alerts') && r.query['hide_secret'] === 'true')).toBe(true);

    // Still a problem a week later: the same issue, updated, with two dated history lines.
    const second = await runSchedule(api, { 'secrets-token': 'secrets-reader' });
    expect(second.code).toBe(1);
    issues = trackingIssues(api);
    expect(issues).toHaveLength(1);
    expect((issues[0]?.body ?? '').match(/^- \d{4}-\d{2}-\d{2}: /gm)).toHaveLength(2);

    // Everything fixed: the issue is closed with a comment, and a clean run after that leaves it alone.
    const repo = api.state.repos.get(FULL)!;
    api.state.addSnapshot(repo, { sha: fakeSha('main-fixed'), ref: 'main', files: { 'README.md': '# app\n' } });
    repo.variables = [];
    repo.secretScanningAlerts = [];
    repo.secrets.actions = [{ name: 'DEPLOY_TOKEN', created_at: daysAgo(400), updated_at: daysAgo(1) }];
    const third = await runSchedule(api, { 'secrets-token': 'secrets-reader', 'fail-on': 'any' });
    expect(third.code).toBe(0);
    issues = trackingIssues(api);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.state).toBe('closed');
    const before = api.requests.length;
    await runSchedule(api, { 'secrets-token': 'secrets-reader' });
    expect(api.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);

    // A leak returns: the same issue is reopened, never a second one.
    api.state.addSnapshot(repo, { sha: fakeSha('main-again'), ref: 'main', files: { 'src/new.ts': `const k = "${key(504)}";\n` } });
    const fifth = await runSchedule(api, { 'secrets-token': 'secrets-reader' });
    expect(fifth.code).toBe(1);
    issues = trackingIssues(api);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.state).toBe('open');
  });

  it('names secrets in the summary and issue only where the repository is private, or where disclose-names asks', async () => {
    for (const [isPrivate, disclose, shown] of [
      [true, 'false', true],
      [false, 'true', true],
      [false, 'false', false],
    ] as const) {
      api = await startFakeGitHub({ repos: [{ ...seed({ secretAgeDays: 120 }), private: isPrivate }] });
      const run = await runSchedule(api, { 'secrets-token': 'secrets-reader', 'disclose-names': disclose });
      const issue = decodeEntities(trackingIssues(api)[0]?.body ?? '');
      const where = `private=${isPrivate} disclose-names=${disclose}`;
      expect(decodeEntities(run.summary).includes('DEPLOY_TOKEN'), where).toBe(shown);
      expect(issue.includes('DEPLOY_TOKEN'), where).toBe(shown);
      expect(issue, where).toContain('1 overdue secret');
      // The JSON report stays on the runner: it keeps the names for the workflow's own steps.
      expect(run.report, where).toContain('DEPLOY_TOKEN');
      await api.close();
      api = undefined;
    }
  });

  it('without a secrets-token, says the rotation audit was skipped, and fails only when fail-on needs it', async () => {
    api = await startFakeGitHub({ repos: [seed({ secretAgeDays: 10 })] });
    const leaks = await runSchedule(api, {});
    expect(leaks.code).toBe(0);
    expect(leaks.summary).toMatch(/skipped/i);
    expect(leaks.summary).toContain('secrets-token');

    const overdue = await runSchedule(api, { 'fail-on': 'overdue-secrets' });
    expect(overdue.code).toBe(1);
    expect(overdue.stdout).toMatch(/fail-on: overdue-secrets needs the rotation audit, but no secrets-token was given/);
  });
});
