import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { githubRules } from '../../src/rules/github.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';
import { runCli, tempDir, type CliRun } from './helpers.js';

// Generated at test time from the rule's format: no key-shaped literal sits in the repository.
const gen = seededGen(testSeed());
const KEY = githubRules[0]?.samples.secret(gen) ?? '';
const OTHER_KEY = githubRules[0]?.samples.secret(gen) ?? '';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

/** The planted keys must never be printed, whatever the format or stream. */
function expectNoKey(...texts: string[]): void {
  for (const text of texts) {
    expect(text.includes(KEY), 'output contains the planted key').toBe(false);
    expect(text.includes(OTHER_KEY), 'output contains the planted key').toBe(false);
  }
}

function expectUsageError(run: CliRun, message: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^key-hygiene: [^\n]+\n$/);
  expect(run.stderr).toMatch(message);
  expectNoKey(run.stderr);
}

function plant(): void {
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'settings.env'), `# deploy settings\nGITHUB_TOKEN=${KEY}\n`);
  writeFileSync(join(dir, 'README.md'), '# nothing to see\n');
}

describe('key-hygiene scan PATH', () => {
  it('sanity: the generated keys look like the rule expects', () => {
    expect(KEY).toMatch(/^ghp_[A-Za-z0-9]{36}$/);
    expect(OTHER_KEY).not.toBe(KEY);
  });

  it('exits 1 and prints one line per finding in text format (default path .)', async () => {
    plant();
    const run = await runCli(['scan'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^src\/settings\.env:2:14 {2}critical {2}github-pat {2}ghp_/m);
    expect(run.stdout).toMatch(/1 leaked key found \(1 critical\)\. 2 files scanned/);
    expect(run.stderr).toBe('');
    expectNoKey(run.stdout, run.stderr);
  });

  it('exits 0 on a clean tree', async () => {
    writeFileSync(join(dir, 'a.txt'), 'hello\n');
    const run = await runCli(['scan', '.'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^No leaked keys found\. 1 file scanned/);
  });

  it('exits 0 on plain-http API URLs alone, reporting them apart and never as leaked keys', async () => {
    // Concatenated so that this file does not trip the rule it tests.
    const http = 'http' + '://';
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'llm.py'), `client = OpenAI(base_url="${http}api.openai.com/v1")\nOPENAI_BASE_URL = "${http}api.openai.com/v1"\n`);
    writeFileSync(join(dir, 'README.md'), `Point \`OPENAI_BASE_URL=${http}api.openai.com/v1\` at your proxy.\n`);
    const run = await runCli(['scan'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Keyed APIs reached over plain http:\/\/ /m);
    expect(run.stdout.match(/^src\/llm\.py:\d+:\d+ +medium +insecure-api-base-url /gm)).toHaveLength(1);
    expect(run.stdout).toMatch(/^No leaked keys found\. 1 plain-http API URL \(not a leak\)\. 2 files scanned/m);
    const json = JSON.parse((await runCli(['scan', '--format', 'json'], { cwd: dir })).stdout) as { counts: unknown };
    expect(json.counts).toEqual({ keys: 0, transport: 1 });
    // Next to a key, the key alone decides the exit status and the count.
    writeFileSync(join(dir, 'src', 'settings.env'), `GITHUB_TOKEN=${KEY}\n`);
    const both = await runCli(['scan'], { cwd: dir });
    expect(both.code).toBe(1);
    expect(both.stdout).toMatch(/1 leaked key found \(1 critical\)\. 1 plain-http API URL \(not a leak\)\./);
    expectNoKey(both.stdout, both.stderr);
  });

  it('scans only the given paths', async () => {
    plant();
    const run = await runCli(['scan', 'README.md'], { cwd: dir });
    expect(run.code).toBe(0);
  });

  it('writes JSON with the finding and its fingerprint', async () => {
    plant();
    const run = await runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.version).toBe(1);
    expect(doc.findings).toHaveLength(1);
    expect(doc.findings[0]).toMatchObject({ ruleId: 'github-pat', file: 'src/settings.env', line: 2, column: 14, source: 'file' });
    expect(doc.findings[0].fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(doc.stats.files).toBe(2);
    expectNoKey(run.stdout, run.stderr);
  });

  it('writes SARIF with every rule of the engine', async () => {
    plant();
    const run = await runCli(['scan', '--format', 'sarif'], { cwd: dir });
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout);
    expect(sarif.version).toBe('2.1.0');
    const driver = sarif.runs[0].tool.driver;
    expect(driver.semanticVersion).toBe(packageJson.version);
    expect(driver.rules.length).toBeGreaterThan(10);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('src/settings.env');
    expectNoKey(run.stdout);
  });

  it('writes Markdown', async () => {
    plant();
    const run = await runCli(['scan', '--format', 'markdown'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('🔴 **1 leaked key found in the scanned files**');
    expectNoKey(run.stdout);
  });

  it('writes the report to --output instead of stdout', async () => {
    plant();
    const run = await runCli(['scan', '--format', 'sarif', '--output', 'out/report.sarif'], { cwd: dir }).catch(() => undefined);
    // The output directory does not exist: an input error, not a crash.
    expect(run?.code).toBe(2);
    mkdirSync(join(dir, 'out'));
    const ok = await runCli(['scan', 'src', '-o', 'out/report.sarif', '-f', 'sarif'], { cwd: dir });
    expect(ok.code).toBe(1);
    // The report goes to the file; the terminal gets the summary, never the findings.
    expect(ok.stdout).toMatch(/^1 leaked key found \(1 critical\)\. 1 file scanned \(\d+ B in \d+ ms\)\.\n$/);
    const written = readFileSync(join(dir, 'out', 'report.sarif'), 'utf8');
    expect(JSON.parse(written).runs[0].results).toHaveLength(1);
    expectNoKey(ok.stdout, ok.stderr, written);
  });

  it('shows progress on a terminal only, and clears it', async () => {
    plant();
    const quiet = await runCli(['scan'], { cwd: dir });
    expect(quiet.stderr).toBe('');
    const tty = await runCli(['scan'], { cwd: dir, tty: true, env: { NO_COLOR: '1' } });
    expect(tty.code).toBe(1);
    expect(tty.stderr).toMatch(/Scanned 1 file \(/);
    expect(tty.stderr.endsWith('\r\u001b[K')).toBe(true);
    expect(tty.stdout).not.toContain('\u001b');
    const colored = await runCli(['scan'], { cwd: dir, tty: true });
    expect(colored.stdout).toContain('\u001b[');
    expectNoKey(tty.stdout, tty.stderr, colored.stdout, colored.stderr);
  });
});

describe('key-hygiene scan --config', () => {
  it('reads .github/key-hygiene.yml by default', async () => {
    plant();
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github', 'key-hygiene.yml'), 'paths:\n  ignore:\n    - "**/*.env"\n');
    const run = await runCli(['scan'], { cwd: dir });
    expect(run.code).toBe(0);
  });

  it('accepts a finding whose fingerprint is allowed', async () => {
    plant();
    const first = await runCli(['scan', '--format', 'json'], { cwd: dir });
    const fingerprint = JSON.parse(first.stdout).findings[0].fingerprint as string;
    writeFileSync(join(dir, 'kh.yml'), `allow:\n  fingerprints:\n    - ${fingerprint}\n`);
    const run = await runCli(['scan', '--config', 'kh.yml'], { cwd: dir });
    expect(run.code).toBe(0);
  });

  it('turns off disabled rules', async () => {
    plant();
    writeFileSync(join(dir, 'kh.yml'), 'rules:\n  disable: [github-pat]\n');
    expect((await runCli(['scan', '--config', 'kh.yml'], { cwd: dir })).code).toBe(0);
  });

  it('fails with exit 2 on a missing explicit config', async () => {
    plant();
    expectUsageError(await runCli(['scan', '--config', 'nope.yml'], { cwd: dir }), /nope\.yml/);
  });

  it('fails with exit 2 on an invalid config, naming the field', async () => {
    plant();
    writeFileSync(join(dir, 'kh.yml'), 'rules:\n  disable: 12\n');
    expectUsageError(await runCli(['scan', '--config', 'kh.yml'], { cwd: dir }), /kh\.yml.*rules\.disable/);
  });
});

function diffAdding(file: string, lines: string[], removed: string[] = []): string {
  return [
    `diff --git a/${file} b/${file}`,
    'index 1111111..2222222 100644',
    `--- a/${file}`,
    `+++ b/${file}`,
    `@@ -10,${1 + removed.length} +10,${1 + lines.length} @@`,
    ' unchanged line',
    ...removed.map((l) => `-${l}`),
    ...lines.map((l) => `+${l}`),
    '',
  ].join('\n');
}

describe('key-hygiene scan --diff', () => {
  it('reports keys on added lines with their new-file line numbers', async () => {
    writeFileSync(join(dir, 'change.diff'), diffAdding('app/config.py', ['DEBUG = False', `TOKEN = "${KEY}"`], [`OLD = "${OTHER_KEY}"`]));
    const run = await runCli(['scan', '--diff', 'change.diff', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    // The removed line's key is not reported: the diff takes it out.
    expect(doc.findings.map((f: { file: string; line: number; source: string }) => [f.file, f.line, f.source])).toEqual([['app/config.py', 12, 'added']]);
    expectNoKey(run.stdout, run.stderr);
  });

  it('reads the diff from stdin with -', async () => {
    const run = await runCli(['scan', '--diff', '-'], { cwd: dir, stdin: diffAdding('a.ts', [`const t = '${KEY}';`]) });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^a\.ts:11:12 /m);
    expectNoKey(run.stdout, run.stderr);
  });

  it('exits 0 for a diff that adds no key', async () => {
    const run = await runCli(['scan', '--diff', '-'], { cwd: dir, stdin: diffAdding('a.ts', ['const t = 1;'], [`const old = '${KEY}';`]) });
    expect(run.code).toBe(0);
    expectNoKey(run.stdout);
  });

  it('fails with exit 2 on a malformed diff or a missing file', async () => {
    const broken = diffAdding('a.ts', [`x = '${KEY}'`]).replace('@@ -10,1 +10,2 @@', '@@ -10,1 +10,5 @@') + 'not a diff line\n';
    expectUsageError(await runCli(['scan', '--diff', '-'], { cwd: dir, stdin: broken }), /standard input: Malformed diff at line \d+/);
    expectUsageError(await runCli(['scan', '--diff', 'missing.diff'], { cwd: dir }), /cannot read the diff missing\.diff: no such file/);
  });
});

/** Runs git in the temp repository with a fixed identity, whatever the machine's config. */
function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();
}

describe('key-hygiene scan --git / --staged', () => {
  function commitAll(message: string): string {
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', message);
    return git('rev-parse', 'HEAD');
  }

  it('reports keys of a range, marking those a later commit removed as history', async () => {
    git('init', '-q');
    writeFileSync(join(dir, 'README.md'), 'project\n');
    const base = commitAll('base');
    writeFileSync(join(dir, 'leak.env'), `TOKEN=${KEY}\n`);
    const leakCommit = commitAll('add a key');
    rmSync(join(dir, 'leak.env'));
    commitAll('remove it');
    writeFileSync(join(dir, 'app.env'), `# app\nAPP_TOKEN=${OTHER_KEY}\n`);
    commitAll('add another key');

    const run = await runCli(['scan', '--git', `${base}..HEAD`, '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    const found = JSON.parse(run.stdout).findings.map((f: { file: string; line: number; source: string; commit?: string }) => [f.file, f.line, f.source, f.commit]);
    expect(found).toEqual([
      ['app.env', 2, 'added', git('rev-parse', 'HEAD')],
      ['leak.env', 1, 'history', leakCommit],
    ]);
    const text = await runCli(['scan', '--git', base], { cwd: dir });
    expect(text.stdout).toContain('Removed in a later commit but still in git history');
    const md = await runCli(['scan', '--git', base, '--format', 'markdown'], { cwd: dir });
    expect(md.stdout).toContain('#### Removed in a later commit but still in git history: rotate them');
    expectNoKey(run.stdout, run.stderr, text.stdout, text.stderr, md.stdout);
  });

  it('exits 0 for a clean range and 2 for a bad one', async () => {
    git('init', '-q');
    writeFileSync(join(dir, 'README.md'), 'project\n');
    const base = commitAll('base');
    writeFileSync(join(dir, 'README.md'), 'project, updated\n');
    commitAll('docs');
    expect((await runCli(['scan', '--git', `${base}..HEAD`], { cwd: dir })).code).toBe(0);
    expectUsageError(await runCli(['scan', '--git', 'no-such-branch..HEAD'], { cwd: dir }), /Unknown revision "no-such-branch"/);
    expectUsageError(await runCli(['scan', '--git=--output=x'], { cwd: dir }), /Invalid git range/);
  });

  it('scans the staged changes', async () => {
    git('init', '-q');
    writeFileSync(join(dir, 'staged.env'), `TOKEN=${KEY}\n`);
    writeFileSync(join(dir, 'unstaged.env'), `TOKEN=${OTHER_KEY}\n`);
    git('add', 'staged.env');
    const run = await runCli(['scan', '--staged'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^staged\.env:1:7 /m);
    expect(run.stdout).not.toContain('unstaged.env');
    expectNoKey(run.stdout, run.stderr);
  });

  it('fails with exit 2 outside a repository', async () => {
    expectUsageError(await runCli(['scan', '--staged'], { cwd: dir }), /is not inside a git repository/);
  });
});

describe('key-hygiene usage', () => {
  it('prints help and version with exit 0', async () => {
    const help = await runCli(['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: key-hygiene scan/);
    expect((await runCli(['scan', '-h'], { cwd: dir })).stdout).toBe(help.stdout);
    const version = await runCli(['--version'], { cwd: dir });
    expect(version).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });

  const cases: Array<[string, string[], RegExp]> = [
    ['no command', [], /missing command/],
    ['an unknown command', ['audit'], /unknown command "audit"/],
    ['an unknown option', ['scan', '--frobnicate'], /--frobnicate/],
    ['a missing option value', ['scan', '--format'], /--format/],
    ['an unknown format', ['scan', '--format', 'xml'], /--format must be one of text, json, sarif, markdown; got "xml"/],
    ['several modes', ['scan', 'src', '--diff', 'x.diff'], /either PATHs, --diff, --git, --history, --unpushed or --staged/],
    ['a missing path', ['scan', 'does-not-exist'], /Path not found: does-not-exist/],
  ];
  for (const [label, argv, message] of cases) {
    it(`exits 2 with one line on stderr for ${label}`, async () => {
      expectUsageError(await runCli(argv, { cwd: dir }), message);
    });
  }
});
