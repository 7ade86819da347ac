import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HISTORY_HOWTO, TRACKING_LABEL, runScheduledAudit, syncTrackingIssue, type ScheduledAuditDeps } from '../../src/action/scheduled-audit.js';
import { sameRepository } from '../../src/action/checkout.js';
import { buildEngine, defaultConfig } from '../../src/config/index.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { readHistoryState, TRACKING_MARKER } from '../../src/report/tracking-issue.js';
import { fakeSha, type FakeGitHub } from '../fake-github/index.js';
import { NOW, clientFor, fake, githubKey, quietLog, stopAll } from './setup.js';

const dirs: string[] = [];
afterEach(async () => {
  await stopAll();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const REPO = { owner: 'acme', repo: 'app' };
const SERVER = 'https://github.example.invalid';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' },
  }).trim();
}

/** A repository as actions/checkout leaves it: origin pointing at this repository, on the default branch. */
function checkoutRepo(origin = `${SERVER}/acme/app`): string {
  const dir = mkdtempSync(join(tmpdir(), 'kh-history-'));
  dirs.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'remote', 'add', 'origin', origin);
  return dir;
}

function commit(dir: string, files: Record<string, string | null>, message: string): string {
  for (const [path, content] of Object.entries(files)) {
    if (content === null) unlinkSync(join(dir, path));
    else writeFileSync(join(dir, path), content);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

function deps(gh: FakeGitHub, dir: string, over: Partial<ScheduledAuditDeps> = {}): ScheduledAuditDeps {
  const config = defaultConfig();
  return {
    github: clientFor(gh),
    repo: REPO,
    serverUrl: SERVER,
    config,
    engine: buildEngine(config),
    maxSecretAgeDays: 90,
    now: NOW,
    log: quietLog(),
    checkout: { workspace: dir, sha: git(dir, 'rev-parse', 'HEAD'), ref: 'refs/heads/main' },
    ...over,
  };
}

const render = (r: Parameters<typeof renderMarkdown>[0], maxLength: number): string => renderMarkdown(r, { surface: 'comment', maxLength });

describe('the weekly audit over a full checkout', () => {
  it('finds a key only in history with the commit that added it, then scans only new commits, and all again after a force-push', async () => {
    const [first, second] = [githubKey(), githubKey()];
    const dir = checkoutRepo();
    commit(dir, { 'README.md': '# app\n' }, 'start');
    const added = commit(dir, { 'config.env': `GITHUB_TOKEN=${first}\n` }, 'add config');
    commit(dir, { 'config.env': null }, 'remove the key');
    const gh = await fake({ repos: [{ owner: 'acme', name: 'app' }] });

    // Run 1: no tracking issue yet, so all history is read. The tree comes from the checkout: no archive.
    const log1 = quietLog();
    const run1 = await runScheduledAudit(deps(gh, dir, { log: log1 }));
    expect(run1.report.findings.map((f) => [f.source, f.file, f.commit])).toEqual([['history', 'config.env', added]]);
    expect(run1.report.notes).toEqual([]);
    expect(gh.requests.some((r) => r.path.includes('/tarball') || r.path.includes('/git/'))).toBe(false);
    expect(log1.lines.join('\n')).toMatch(/files read from the checkout in GITHUB_WORKSPACE \(no API call\)/);
    expect(log1.lines.join('\n')).toMatch(/Git history: 3 commit\(s\) scanned \(all history\); 1 key\(s\) only in history/);
    const synced = await syncTrackingIssue(clientFor(gh).client, REPO, run1, NOW, render);
    expect(synced.action).toBe('create');
    const issue = () => gh.state.mustRepo('acme/app').issues.find((i) => i.number === synced.number)!;
    expect(issue().body).toContain('still in git history: rotate');
    expect(issue().body).toContain(added.slice(0, 7));
    expect(issue().body!.includes(first)).toBe(false);
    expect(readHistoryState(issue().body!)?.sha).toBe(git(dir, 'rev-parse', 'HEAD'));

    // Run 2: two new commits add and remove another key. Only they are read; the first key is carried.
    const scannedUpTo = git(dir, 'rev-parse', 'HEAD');
    const added2 = commit(dir, { 'deploy.sh': `export GH=${second}\n` }, 'deploy');
    commit(dir, { 'deploy.sh': 'export GH="$GH_TOKEN"\n' }, 'use the secret');
    const log2 = quietLog();
    const run2 = await runScheduledAudit(deps(gh, dir, { log: log2 }));
    expect(log2.lines.join('\n')).toContain(`Git history: 2 commit(s) scanned since ${scannedUpTo.slice(0, 12)}; 2 key(s) only in history (1 carried from earlier audits)`);
    expect(run2.report.findings.map((f) => [f.source, f.file, f.commit])).toEqual([
      ['history', 'config.env', added],
      ['history', 'deploy.sh', added2],
    ]);
    await syncTrackingIssue(clientFor(gh).client, REPO, run2, NOW, render);
    expect(issue().state).toBe('open');

    // Run 3: a force-push rewrote the branch from before the first key: the recorded commit is gone.
    git(dir, 'reset', '-q', '--hard', 'HEAD~4');
    commit(dir, { 'notes.txt': 'rewritten\n' }, 'rewritten history');
    const log3 = quietLog();
    const run3 = await runScheduledAudit(deps(gh, dir, { log: log3 }));
    expect(run3.report.notes.join('\n')).toMatch(/is no longer in the history of main \(a force-push\?\), so all history was scanned again/);
    expect(log3.lines.join('\n')).toMatch(/Git history: 2 commit\(s\) scanned \(all history\); 0 key\(s\) only in history/);
    expect(run3.report.findings).toEqual([]);
    const synced3 = await syncTrackingIssue(clientFor(gh).client, REPO, run3, NOW, render);
    expect(synced3.action).toBe('close');
    expect(gh.state.mustRepo('acme/app').issues.filter((i) => i.labels.includes(TRACKING_LABEL))).toHaveLength(1);
  });

  it("takes as the tracking issue only one the token's own account opened: a look-alike's record could hide a key in history", async () => {
    const key = githubKey();
    const dir = checkoutRepo();
    commit(dir, { 'README.md': '# app\n' }, 'start');
    const added = commit(dir, { 'config.env': `GITHUB_TOKEN=${key}\n` }, 'add config');
    const head = commit(dir, { 'config.env': null }, 'remove the key');
    // A body with the action's marker and a history state saying everything up to HEAD was read and held no key.
    const forged = `${TRACKING_MARKER}\n<!-- key-hygiene:history-scan:${Buffer.from(JSON.stringify({ sha: head, findings: [] })).toString('base64')} -->\n`;
    expect(readHistoryState(forged)?.sha).toBe(head);

    const mona = { login: 'mona', type: 'User' as const };
    const cases = [
      // The workflow's token; the issue opened by a person (who can edit it), then by the token's bot.
      { viewer: undefined, opener: mona, trusted: false },
      { viewer: undefined, opener: undefined, trusted: true },
      // A personal token: its own login's issue is its own, a bot's is not.
      { viewer: mona, opener: mona, trusted: true },
      { viewer: mona, opener: { login: 'github-actions[bot]', type: 'Bot' as const }, trusted: false },
    ];
    for (const { viewer, opener, trusted } of cases) {
      const gh = await fake({ repos: [{ owner: 'acme', name: 'app' }], ...(viewer !== undefined ? { viewer } : {}) });
      gh.state.addIssue(gh.state.mustRepo('acme/app'), { title: 'Key hygiene: weekly audit', body: forged, labels: [TRACKING_LABEL], ...(opener !== undefined ? { user: opener } : {}) });
      const log = quietLog();
      const run = await runScheduledAudit(deps(gh, dir, { log }));
      const lines = log.lines.join('\n');
      if (trusted) {
        // The token's own issue: its record is used and nothing is read again (what a forgery would buy).
        expect(lines).toMatch(/Git history: 0 commit\(s\) scanned since/);
        expect(run.report.findings).toEqual([]);
      } else {
        // Someone else's look-alike is not the tracking issue: all history is read, and the report goes
        // to an issue of the token's own, leaving theirs as it was.
        expect(lines).toMatch(/Git history: 3 commit\(s\) scanned \(all history\); 1 key\(s\) only in history/);
        expect(run.report.findings.map((f) => [f.source, f.file, f.commit])).toEqual([['history', 'config.env', added]]);
        const synced = await syncTrackingIssue(clientFor(gh).client, REPO, run, NOW, render);
        expect(synced).toMatchObject({ action: 'create', number: 2 });
        expect(gh.state.mustRepo('acme/app').issues.find((i) => i.number === 1)?.body).toBe(forged);
      }
    }
  });

  it('does not trust a checkout of another repository, another commit, or edited files, and reads the archive', async () => {
    const key = githubKey();
    const gh = await fake({ repos: [{ owner: 'acme', name: 'app', snapshots: [{ sha: fakeSha('m'), ref: 'main', files: { 'a.env': `T=${key}\n` } }] }] });
    const cases: Array<[string, (dir: string) => Partial<ScheduledAuditDeps>, RegExp]> = [
      ['origin', () => ({}), /its origin is not acme\/app|origin is not acme\/app/],
      ['sha', (dir) => ({ checkout: { workspace: dir, sha: fakeSha('other'), ref: 'refs/heads/main' } }), /not at the run's commit/],
      ['ref', (dir) => ({ checkout: { workspace: dir, sha: git(dir, 'rev-parse', 'HEAD'), ref: 'refs/heads/feature' } }), /not the default branch main/],
      ['edited', (dir) => (writeFileSync(join(dir, 'README.md'), 'changed\n'), {}), /tracked files in the checkout were changed/],
    ];
    for (const [name, over, reason] of cases) {
      const dir = checkoutRepo(name === 'origin' ? `${SERVER}/acme/other-app.git` : `${SERVER}/acme/app.git`);
      commit(dir, { 'README.md': '# app\n' }, 'start');
      const log = quietLog();
      const before = gh.requests.length;
      const { report } = await runScheduledAudit(deps(gh, dir, { log, ...over(dir) }));
      expect(log.lines.join('\n'), name).toMatch(reason);
      expect(gh.requests.slice(before).some((r) => r.path === '/repos/acme/app/tarball/main'), name).toBe(true);
      expect(report.findings.map((f) => f.file), name).toEqual(['a.env']);
      expect(report.notes, name).toContain(HISTORY_HOWTO);
    }
  });

  it('says how to enable the history scan when the checkout is shallow', async () => {
    const origin = checkoutRepo();
    commit(origin, { 'a.txt': 'a\n' }, 'one');
    commit(origin, { 'b.txt': 'b\n' }, 'two');
    const dir = mkdtempSync(join(tmpdir(), 'kh-shallow-'));
    dirs.push(dir);
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin}`, dir]);
    git(dir, 'remote', 'set-url', 'origin', `${SERVER}/acme/app`);
    const gh = await fake({ repos: [{ owner: 'acme', name: 'app' }] });
    const { report } = await runScheduledAudit(deps(gh, dir));
    expect(report.notes).toEqual([HISTORY_HOWTO.replace('was not scanned:', 'was not scanned (the checkout is shallow):')]);
    expect(report.stats.files).toBe(2);
  });
});

describe('sameRepository', () => {
  it.each([
    ['https://github.com/acme/app', true],
    ['https://github.com/Acme/App.git', true],
    ['https://x-access-token:abc@github.com/acme/app.git', true],
    ['git@github.com:acme/app.git', true],
    ['ssh://git@github.com/acme/app', true],
    ['https://github.com/acme/app-fork', false],
    ['https://evil.example/acme/app', false],
    ['git@evil.example:acme/app.git', false],
    ['/tmp/acme/app', false],
    ['', false],
  ])('%s → %s', (remote, same) => {
    expect(sameRepository(remote, REPO, 'https://github.com')).toBe(same);
  });
});
