import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitError, scanGitRange, scanStaged } from '../../src/local/git.js';
import { githubRules } from '../../src/rules/github.js';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import { createPathFilter } from '../../src/scan/path-filter.js';
import type { Finding, Rule } from '../../src/scan/types.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';
import { tempRepo, type TempRepo } from './temp-repo.js';

const engine = new Engine(BUILTIN_RULES);
const gen = seededGen(testSeed());
const pat = githubRules.find((r) => r.id === 'github-pat') as Rule;
const token = (): string => pat.samples.secret(gen);
const summary = (fs: Finding[]) => fs.map((f) => ({ file: f.file, line: f.line, source: f.source, commit: f.commit }));

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo();
});
afterEach(() => repo.remove());

describe('scanGitRange', () => {
  it('reports keys added in the range with the commit that added them, and nothing from before it', async () => {
    repo.write('old.env', `T=${token()}\n`);
    const base = repo.commit('base, with a key already there');
    repo.write('README.md', 'hello\n');
    repo.commit('docs');
    const t = token();
    repo.write('config/app.env', `A=1\nGITHUB_TOKEN=${t}\n`);
    const adding = repo.commit('add config');
    const { findings, stats } = await scanGitRange(engine, `${base}..HEAD`, { cwd: repo.dir });
    expect(summary(findings)).toEqual([{ file: 'config/app.env', line: 2, source: 'added', commit: adding }]);
    expect(secretOf(findings[0] as Finding) === t).toBe(true);
    expect(stats.files).toBe(2);
  });

  it('reports a key a later commit removed as history', async () => {
    const base = repo.commit('root');
    const t = token();
    repo.write('deploy.sh', `#!/bin/sh\nexport GITHUB_TOKEN=${t}\n`);
    const leaked = repo.commit('oops');
    repo.write('deploy.sh', '#!/bin/sh\nexport GITHUB_TOKEN="$1"\n');
    repo.commit('remove the token');
    const { findings } = await scanGitRange(engine, `${base}..HEAD`, { cwd: repo.dir });
    expect(summary(findings)).toEqual([{ file: 'deploy.sh', line: 2, source: 'history', commit: leaked }]);
  });

  it('drops a plain-http API URL a later commit fixed: it leaked no key, and nothing is left to do', async () => {
    // Concatenated so that this file does not trip the rule it tests.
    const http = 'http' + '://';
    const base = repo.commit('root');
    repo.write('llm.py', `client = OpenAI(base_url="${http}api.openai.com/v1")\n`);
    repo.write('other.py', `client = OpenAI(base_url="${http}api.anthropic.com")\n`);
    const added = repo.commit('clients over http');
    repo.write('llm.py', 'client = OpenAI(base_url="https://api.openai.com/v1")\n');
    repo.commit('https');
    const { findings } = await scanGitRange(engine, `${base}..HEAD`, { cwd: repo.dir });
    expect(findings.map((f) => [f.ruleId, f.category, f.file, f.source, f.commit])).toEqual([['insecure-api-base-url', 'transport', 'other.py', 'added', added]]);
  });

  it('keeps a key moved or renamed to another file as added, at its line at the tip', async () => {
    const base = repo.commit('root');
    const moved = token();
    const renamed = token();
    repo.write('a.env', `MOVED=${moved}\n`);
    repo.write('b.env', `RENAMED=${renamed}\n${'filler line\n'.repeat(20)}`);
    const first = repo.commit('add');
    repo.write('a.env', 'MOVED=\n');
    repo.write('c.env', `# moved here\n\nMOVED=${moved}\n`);
    repo.git('mv', 'b.env', 'renamed.env');
    repo.commit('move and rename');
    repo.write('renamed.env', `# header\nRENAMED=${renamed}\n${'filler line\n'.repeat(20)}`);
    repo.commit('edit renamed');
    const { findings } = await scanGitRange(engine, `${base}..HEAD`, { cwd: repo.dir });
    const bySecret = (s: string) => findings.filter((f) => secretOf(f) === s).map((f) => [f.file, f.source, f.line, f.commit === first]);
    // Reported where each commit added it (a.env, c.env), all still present: none is history.
    expect(bySecret(moved)).toEqual([
      ['a.env', 'added', 1, true],
      ['c.env', 'added', 3, false],
    ]);
    expect(bySecret(renamed)).toEqual([['b.env', 'added', 1, true]]);
  });

  it('accepts a single revision as REV..HEAD, and three-dot ranges', async () => {
    repo.commit('root');
    repo.write('x.env', `T=${token()}\n`);
    repo.commit('key');
    expect((await scanGitRange(engine, 'HEAD~1', { cwd: repo.dir })).findings).toHaveLength(1);
    expect((await scanGitRange(engine, 'HEAD~1...HEAD', { cwd: repo.dir })).findings).toHaveLength(1);
    // HEAD..HEAD holds no commit: scanning it would say "clean" without looking at anything.
    await expect(scanGitRange(engine, 'HEAD', { cwd: repo.dir })).rejects.toThrow(/"HEAD\.\.HEAD" contains no commits/);
  });

  it('finds a key that a merge commit itself introduced', async () => {
    repo.write('conf.ini', 'top\nvalue=base\nbottom\n');
    const base = repo.commit('base');
    repo.git('checkout', '-q', '-b', 'side');
    repo.write('conf.ini', 'top\nvalue=side\nbottom\n');
    repo.commit('side');
    repo.git('checkout', '-q', 'main');
    repo.write('conf.ini', 'top\nvalue=main\nbottom\n');
    repo.commit('main');
    try {
      repo.git('merge', '-q', 'side');
    } catch {
      // the conflict is the point
    }
    repo.write('conf.ini', `top\nvalue=${token()}\nbottom\n`);
    const merge = repo.commit('merge');
    const { findings } = await scanGitRange(engine, `${base}..HEAD`, { cwd: repo.dir });
    expect(summary(findings)).toEqual([{ file: 'conf.ini', line: 2, source: 'added', commit: merge }]);
  });

  it('skips ignored and binary files, counting them', async () => {
    const base = repo.commit('root');
    repo.write('node_modules/x/index.js', `t = "${token()}"\n`);
    repo.write('blob.bin', new Uint8Array([0, 1, 2, 3, 0]));
    repo.write('ok.txt', 'fine\n');
    repo.commit('stuff');
    const { findings, stats } = await scanGitRange(engine, `${base}..HEAD`, { cwd: repo.dir, filter: createPathFilter({ ignore: [], useDefaults: true }) });
    expect(findings).toEqual([]);
    expect(stats).toMatchObject({ files: 1, skipped: { binary: 1, ignored: 1 } });
  });

  it('reads paths with spaces and non-ASCII names whatever the user config', async () => {
    const base = repo.commit('root');
    repo.git('config', 'diff.noprefix', 'true');
    repo.git('config', 'diff.renames', 'false');
    repo.write('dir with space/caf\u00e9.env', `T=${token()}\n`);
    repo.commit('add');
    const { findings } = await scanGitRange(engine, `${base}..HEAD`, { cwd: `${repo.dir}` });
    expect(findings.map((f) => f.file)).toEqual(['dir with space/caf\u00e9.env']);
  });

  it.each([
    ['an unknown revision', 'nope..HEAD', /Unknown revision "nope"/],
    ['an option-like range', '--output=/tmp/x', /Invalid git range/],
    ['an empty range', '  ', /Invalid git range/],
  ])('turns %s into a one-line GitError', async (_label, range, message) => {
    repo.commit('root');
    const err = await scanGitRange(engine, range, { cwd: repo.dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });

  it('says so when the directory is not a repository', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'kh-not-a-repo-'));
    const err = await scanGitRange(engine, 'HEAD~1', { cwd: outside }).catch((e: unknown) => e);
    rmSync(outside, { recursive: true, force: true });
    expect(err).toBeInstanceOf(GitError);
    expect((err as Error).message).toMatch(/is not inside a git repository/);
  });

  it('says so when git is missing', async () => {
    const err = await scanGitRange(engine, 'HEAD~1', { cwd: repo.dir, gitPath: '/nonexistent/git' }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('git is not installed or not on PATH.');
  });
});

describe('scanStaged', () => {
  it('scans staged changes, even before the first commit', async () => {
    repo.write('a.env', `A=1\nT=${token()}\n`);
    repo.git('add', 'a.env');
    repo.write('unstaged.env', `T=${token()}\n`);
    const { findings } = await scanStaged(engine, { cwd: repo.dir });
    expect(summary(findings)).toEqual([{ file: 'a.env', line: 2, source: 'added', commit: undefined }]);
  });

  it('scans only the added lines of a staged edit', async () => {
    repo.write('a.env', `OLD=${token()}\n`);
    repo.commit('old key');
    repo.write('a.env', `OLD=${token()}\nNEW=1\n`);
    repo.git('add', 'a.env');
    const { findings } = await scanStaged(engine, { cwd: repo.dir });
    expect(summary(findings)).toEqual([{ file: 'a.env', line: 1, source: 'added', commit: undefined }]);
  });
});
