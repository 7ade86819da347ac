/**
 * The CLI as a developer runs it every day, through the built bundle (`dist/cli/index.js`, run
 * `npm run build` first): exit statuses that never say "clean" without looking, git-aware defaults,
 * hooks, and output that survives pipes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import type { Rule } from '../../src/scan/types.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';
import { tempRepo, type TempRepo } from '../local/temp-repo.js';
import { BUILT_CLI, runBuiltCli, tempDir, type CliRun } from './helpers.js';

const gen = seededGen(testSeed());
const rule = (id: string): Rule => BUILTIN_RULES.find((r) => r.id === id) as Rule;
/** A fresh critical key (GitHub PAT) each call, built from the format at test time. */
const key = (): string => rule('github-pat').samples.secret(gen);
const KEY = key();

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

function write(file: string, content: string | Uint8Array, at = dir): void {
  const abs = join(at, file);
  mkdirSync(join(abs, '..'), { recursive: true });
  writeFileSync(abs, content);
}

const cli = (argv: string[], options: { cwd?: string; stdin?: string | Buffer; env?: Record<string, string> } = {}): CliRun =>
  runBuiltCli(argv, { cwd: options.cwd ?? dir, ...(options.stdin !== undefined ? { stdin: options.stdin } : {}), ...(options.env ? { env: options.env } : {}) });

function expectRefused(run: CliRun, message: RegExp): void {
  expect(run.stderr).toMatch(/^key-hygiene: [^\n]+\n$/);
  expect(run.stderr).toMatch(message);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(2);
}

function expectNoKeyIn(...texts: string[]): void {
  for (const t of texts) expect(t.includes(KEY), 'output contains the planted key').toBe(false);
}

describe('a path named on the command line is scanned, or the run exits 2 saying why', () => {
  it('a file over the size limit names its size, the limit and --max-file-size; raising the limit finds the key', () => {
    write('big.js', `${'// generated\n'.repeat(200)}const token = "${KEY}";\n`);
    expectRefused(cli(['scan', 'big.js', '--max-file-size', '1k']), /big\.js is not scanned: it is 2\.\d KiB, over the 1 KiB limit; raise it with --max-file-size/);
    const raised = cli(['scan', 'big.js', '--max-file-size', '4KiB']);
    expect(raised.code).toBe(1);
    expect(raised.stdout).toMatch(/^big\.js:201:16 +critical +github-pat/m);
    expectRefused(cli(['scan', 'big.js', '--max-file-size', 'huge']), /--max-file-size must be a size such as 50MiB/);
  });

  it('a file over the default 10 MiB limit is refused by name', () => {
    write('data.js', `${'x'.repeat(11 * 1024 * 1024)}\nconst t = "${KEY}";\n`);
    expectRefused(cli(['scan', 'data.js']), /data\.js is not scanned: it is 11 MiB, over the 10 MiB limit; raise it with --max-file-size/);
    expect(cli(['scan', 'data.js', '--max-file-size', '20MiB']).code).toBe(1);
  });

  it('in a directory, a file over the limit is named in the report, counted in JSON and in the summary', () => {
    write('src/big.js', `${'x'.repeat(3000)}\nconst t = "${KEY}";\n`);
    write('src/ok.js', 'const a = 1;\n');
    const text = cli(['scan', 'src', '--max-file-size', '2k']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('note: 1 file over the 2 KiB limit not scanned (--max-file-size raises it): src/big.js (3 KiB).');
    expect(text.stdout).toMatch(/^No leaked keys found\. 1 file scanned \(\d+ B in \d+ ms\), 1 skipped \(1 too large\)\.$/m);
    const json = JSON.parse(cli(['scan', 'src', '--max-file-size', '2k', '-f', 'json']).stdout);
    expect(json.stats.skipped.tooLarge).toBe(1);
    expect(json.stats.notScanned).toEqual([{ path: 'src/big.js', reason: 'tooLarge', size: 3015 + KEY.length }]);
    expect(Number.isInteger(json.stats.durationMs)).toBe(true);
  });

  it('a binary file (a NUL, then a key) is refused by name, and named in a directory scan', () => {
    write('blob.bin', Buffer.concat([Buffer.from([0x7f, 0x45, 0x00, 0x01]), Buffer.from(`\nTOKEN=${KEY}\n`)]));
    expectRefused(cli(['scan', 'blob.bin']), /blob\.bin is not scanned: it is binary \(a NUL byte in its first 8 KiB\)/);
    const run = cli(['scan', '.', '-f', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).stats.skipped.binary).toBe(1);
    expect(JSON.parse(run.stdout).stats.notScanned).toEqual([{ path: 'blob.bin', reason: 'binary' }]);
    expect(cli(['scan', '.']).stdout).toContain('note: 1 binary file not scanned: blob.bin.');
  });

  it('a path on the default ignore list is refused, naming the pattern and how to scan it', () => {
    write('node_modules/pkg/index.js', `module.exports = "${KEY}";\n`);
    expectRefused(
      cli(['scan', 'node_modules']),
      /node_modules is not scanned: it matches the ignore pattern "node_modules\/" \(a default ignore pattern; set paths\.use-defaults: false/,
    );
    expectRefused(cli(['scan', 'node_modules/pkg/index.js']), /matches the ignore pattern "node_modules\/"/);
    write('.github/key-hygiene.yml', 'paths:\n  use-defaults: false\n');
    expect(cli(['scan', 'node_modules']).code).toBe(1);
  });

  it('a path ignored by paths.ignore names the config', () => {
    write('.github/key-hygiene.yml', 'paths:\n  ignore: ["fixtures/"]\n');
    write('fixtures/a.env', `T=${KEY}\n`);
    expectRefused(cli(['scan', 'fixtures']), /fixtures is not scanned: it matches the ignore pattern "fixtures\/" \(paths\.ignore in .*key-hygiene\.yml\)/);
  });

  describe('unreadable paths', () => {
    let server: Server | undefined;
    afterEach(() => server?.close());

    it('a named path that cannot be read exits 2', async () => {
      // A socket: stat says it exists, opening it fails, whoever runs the test (root reads any file).
      server = createServer();
      await new Promise<void>((resolve) => server?.listen(join(dir, 'app.sock'), resolve));
      expectRefused(cli(['scan', 'app.sock']), /app\.sock could not be read, so it was not scanned/);
    });

    it('an unreadable file in a directory is reported, and the run exits 2', async () => {
      write('a.env', `T=${KEY}\n`);
      // A link to a socket: the walker takes it for a file, and opening it fails.
      server = createServer();
      await new Promise<void>((resolve) => server?.listen(join(dir, 'app.sock'), resolve));
      symlinkSync(join(dir, 'app.sock'), join(dir, 'sock-link'));
      const run = cli(['scan', '.']);
      expect(run.code).toBe(2);
      expect(run.stdout).toMatch(/^a\.env:1:3 +critical +github-pat/m);
      expect(run.stdout).toContain('note: 1 path could not be read: sock-link.');
      expect(run.stderr).toBe('key-hygiene: 1 file could not be read, so the scan is incomplete: sock-link\n');
      expectNoKeyIn(run.stdout, run.stderr);
    });

    it('a symbolic link to nothing is named in a note, and leaves the scan complete', () => {
      write('a.env', `T=${KEY}\n`);
      symlinkSync(join(dir, 'gone.txt'), join(dir, 'dangling'));
      symlinkSync(join(dir, 'self'), join(dir, 'self'));
      const run = cli(['scan', '.']);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^a\.env:1:3 +critical +github-pat/m);
      expect(run.stdout).toContain('note: 2 symbolic links to nothing not followed: dangling, self.');
      expect(run.stderr).toBe('');
      expect(JSON.parse(cli(['scan', '.', '-f', 'json']).stdout).stats.skipped).toMatchObject({ ignored: 2 });
    });
  });

  it('a path that does not exist exits 2', () => {
    expectRefused(cli(['scan', 'nope.txt']), /Path not found: nope\.txt/);
  });
});

describe('standard input', () => {
  it('scan - reads standard input whole', () => {
    const run = cli(['scan', '-'], { stdin: `line one\nTOKEN=${KEY}\n` });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^-:2:7 +critical +github-pat/m);
    expect(cli(['scan', '-'], { stdin: 'nothing here\n' }).code).toBe(0);
    expectRefused(cli(['scan', '-'], { stdin: Buffer.from([0, 1, 2]) }), /standard input is not scanned: it is binary/);
    expectRefused(cli(['scan', '-', 'src']), /"-" reads standard input and must be the only PATH/);
    expectNoKeyIn(run.stdout);
  });

  it('a pipe named on the command line (scan <(cmd)) is read like a file, not "Path not found"', () => {
    // Process substitution names /dev/fd/N, a link to "pipe:[…]" that has no real path but reads to its end.
    const run = (text: string): { code: number | null; stdout: string; stderr: string } => {
      const r = spawnSync('bash', ['-c', 'exec "$KH_NODE_BIN" "$KH_CLI" scan <(printf "%s" "$KH_TEXT")'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, KH_NODE_BIN: process.env['KH_NODE'] ?? process.execPath, KH_CLI: BUILT_CLI, KH_TEXT: text },
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const found = run(`line one\nTOKEN=${KEY}\n`);
    expect(found.stderr).toBe('');
    expect(found.code).toBe(1);
    expect(found.stdout).toMatch(/dev\/fd\/\d+:2:7 +critical +github-pat/);
    expectNoKeyIn(found.stdout);
    const clean = run('nothing here\n');
    expect([clean.code, clean.stderr]).toEqual([0, '']);
    expect(clean.stdout).toMatch(/1 file scanned/);
  });

  it('--diff on input that is not a diff exits 2; an empty diff is clean', () => {
    expectRefused(cli(['scan', '--diff', '-'], { stdin: `TOKEN=${KEY}\n` }), /standard input is not a unified diff .*use "key-hygiene scan -"/);
    write('notes.txt', `TOKEN=${KEY}\n`);
    expectRefused(cli(['scan', '--diff', 'notes.txt']), /notes\.txt is not a unified diff/);
    expect(cli(['scan', '--diff', '-'], { stdin: '' }).code).toBe(0);
  });
});

describe('git ranges and history', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempRepo();
  });
  afterEach(() => repo.remove());
  const inRepo = (argv: string[]): CliRun => cli(argv, { cwd: repo.dir });

  it('--git HEAD (HEAD..HEAD, no commits) exits 2 and says what to use instead', () => {
    repo.write('a.txt', 'a\n');
    repo.commit('one');
    expectRefused(inRepo(['scan', '--git', 'HEAD']), /"HEAD\.\.HEAD" contains no commits, so nothing would be scanned; use --git HEAD~1 for the last commit or --history/);
  });

  it('on a one-commit repository, --git HEAD~1 and --history scan the root commit', () => {
    repo.write('leak.env', `TOKEN=${KEY}\n`);
    const root = repo.commit('root');
    for (const argv of [['--git', 'HEAD~1'], ['--history']]) {
      const run = inRepo(['scan', ...argv, '-f', 'json']);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).findings.map((f: { file: string; commit: string }) => [f.file, f.commit])).toEqual([['leak.env', root]]);
    }
    expectRefused(inRepo(['scan', '--git', 'HEAD~1x']), /Unknown revision "HEAD~1x"/);
  });

  it('--history scans every commit, the root included, and reports removed keys as history', () => {
    repo.write('first.env', `TOKEN=${KEY}\n`);
    const root = repo.commit('root with a key');
    repo.git('rm', '-q', 'first.env');
    repo.commit('remove it');
    repo.write('b.txt', 'b\n');
    repo.commit('more');
    const run = inRepo(['scan', '--history']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Removed in a later commit but still in git history');
    expect(run.stdout).toContain(`(added in ${root.slice(0, 12)})`);
    expect(run.stdout).toContain('note: 3 commits read.');
    // The explicit range root..HEAD keeps git's meaning: the root itself is not in it.
    expect(inRepo(['scan', '--git', `${root}..HEAD`]).code).toBe(0);
  });

  it('--history in a shallow clone says which history it could not read', () => {
    repo.write('first.env', `TOKEN=${KEY}\n`);
    repo.commit('root with a key');
    repo.git('rm', '-q', 'first.env');
    repo.commit('remove it');
    repo.write('b.txt', 'b\n');
    repo.commit('more');
    const shallowNote = /note: This clone is shallow: commits before its oldest one were not read/;
    expect(inRepo(['scan', '--history']).stdout).not.toMatch(shallowNote);
    const clone = `${repo.dir}-shallow`;
    spawnSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, clone]);
    try {
      const run = cli(['scan', '--history'], { cwd: clone });
      // The key was added and removed before the clone's oldest commit: not found, and the note says why.
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(shallowNote);
      expect(run.stdout).toContain('note: 1 commit read.');
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('--history before the first commit exits 2', () => {
    expectRefused(inRepo(['scan', '--history']), /no commits yet/);
  });

  it('--staged outside a repository exits 2 saying so', () => {
    expectRefused(cli(['scan', '--staged']), /is not inside a git repository/);
  });

  it('--unpushed works on a branch with no upstream (a first push), and is clean once pushed', () => {
    const remote = tempRepo();
    try {
      repo.write('a.txt', 'a\n');
      repo.commit('base');
      remote.git('config', 'receive.denyCurrentBranch', 'ignore');
      repo.git('remote', 'add', 'origin', remote.dir);
      repo.git('push', '-q', 'origin', 'main');
      repo.git('checkout', '-q', '-b', 'feature');
      repo.write('app.env', `TOKEN=${KEY}\n`);
      repo.commit('feature work');
      // The README's old "@{upstream}..HEAD" fails here, which blocked the push.
      expect(inRepo(['scan', '--git', '@{upstream}..HEAD']).code).toBe(2);
      const run = inRepo(['scan', '--unpushed']);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^app\.env:1:7 +critical/m);
      expect(run.stdout).toContain('note: 1 commit read.');
      repo.git('push', '-q', 'origin', 'feature');
      const after = inRepo(['scan', '--unpushed']);
      expect(after.code).toBe(0);
      expect(after.stdout).toContain('note: No unpushed commits');
    } finally {
      remote.remove();
    }
  });
  it('--unpushed reads every commit of the current branch that no remote has, however many remotes there are', () => {
    const origin = tempRepo();
    const fork = tempRepo();
    try {
      repo.write('a.txt', 'a\n');
      repo.commit('base');
      for (const [name, remote] of [['origin', origin], ['fork', fork]] as const) {
        remote.git('config', 'receive.denyCurrentBranch', 'ignore');
        repo.git('remote', 'add', name, remote.dir);
      }
      repo.git('push', '-q', 'origin', 'main');
      repo.git('checkout', '-q', '-b', 'feature');
      repo.write('first.env', `TOKEN=${key()}\n`);
      repo.commit('on the fork already');
      repo.git('push', '-q', 'fork', 'feature');
      repo.write('second.env', `TOKEN=${key()}\n`);
      repo.commit('second');
      repo.write('third.env', `TOKEN=${KEY}\n`);
      repo.commit('third');
      const run = inRepo(['scan', '--unpushed', '-f', 'json']);
      expect(run.code).toBe(1);
      // Not only HEAD's own commit: both commits the fork lacks, and not the one it has.
      expect(JSON.parse(run.stdout).findings.map((f: { file: string }) => f.file).sort()).toEqual(['second.env', 'third.env']);
      expect(inRepo(['scan', '--unpushed']).stdout).toContain('note: 2 commits read.');
    } finally {
      origin.remove();
      fork.remove();
    }
  });
});

describe('git-aware by default', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempRepo();
    repo.write('.gitignore', '.env\n.venv/\n');
    repo.write('.env', `TOKEN=${key()}\n`);
    repo.write('.venv/lib/site.py', `TOKEN = "${key()}"\n`);
    repo.write('src/app.ts', 'export const a = 1;\n');
    repo.commit('base');
    repo.write('src/new.ts', `export const t = "${KEY}";\n`); // untracked, not ignored
  });
  afterEach(() => repo.remove());

  it('scans tracked files and untracked ones git does not ignore', () => {
    const run = cli(['scan', '-f', 'json'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.findings.map((f: { file: string }) => f.file)).toEqual(['src/new.ts']);
    expect(doc.stats.files).toBe(3); // .gitignore, src/app.ts, src/new.ts
  });

  it('a file whose name is not UTF-8 is read by its bytes, tracked or not, git or --no-git; never passed over in silence', () => {
    // Latin-1 names from an old checkout: the readable form (with U+FFFD) opens nothing.
    const latin1 = (name: string): Buffer => Buffer.from(name, 'latin1');
    const inRepo = (...parts: Buffer[]): Buffer => Buffer.concat([Buffer.from(`${repo.dir}/`), ...parts]);
    writeFileSync(inRepo(latin1('caf\u00e9.env')), `TOKEN=${key()}\n`);
    mkdirSync(inRepo(latin1('d\u00e9p\u00f4t')));
    writeFileSync(inRepo(latin1('d\u00e9p\u00f4t'), Buffer.from('/app.env')), `TOKEN=${key()}\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'latin-1 names');
    writeFileSync(inRepo(latin1('na\u00efve.env')), `TOKEN=${key()}\n`); // untracked, not ignored

    const files = (argv: string[]): string[] => JSON.parse(cli(['scan', ...argv, '-f', 'json'], { cwd: repo.dir }).stdout).findings.map((f: { file: string }) => f.file).sort();
    // git lists every path as bytes: all three, the one in a Latin-1 directory too.
    expect(files([])).toEqual(['caf\uFFFD.env', 'd\uFFFDp\uFFFDt/app.env', 'na\uFFFDve.env', 'src/new.ts']);
    // The walker opens Latin-1 file names by their bytes; a Latin-1 directory is reported, and the run is incomplete.
    const walked = cli(['scan', '--no-git'], { cwd: repo.dir });
    expect(walked.code).toBe(2);
    expect(walked.stdout).toMatch(/^caf\uFFFD\.env:1:7 +critical +github-pat/m);
    expect(walked.stdout).toMatch(/^na\uFFFDve\.env:1:7 +critical +github-pat/m);
    expect(walked.stderr).toMatch(/^key-hygiene: 1 file could not be read, so the scan is incomplete: d\uFFFDp\uFFFDt\n$/);
  });

  it('a git submodule is named in a note, not only counted as ignored', () => {
    // A repository inside the work tree, added as a gitlink (what `git submodule add` records).
    repo.write('vendor/lib/index.js', `const token = "${key()}";\n`);
    const inner = (...args: string[]): void => {
      spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', ...args], { cwd: join(repo.dir, 'vendor/lib') });
    };
    inner('init', '-q');
    inner('add', '-A');
    inner('commit', '-q', '-m', 'lib');
    repo.git('add', 'vendor/lib');
    const run = cli(['scan'], { cwd: repo.dir });
    expect(run.code).toBe(1); // src/new.ts
    expect(run.stdout).toContain('note: 1 git submodule not scanned, each a repository of its own (run key-hygiene inside it, or scan with --no-git): vendor/lib.');
    expect(run.stdout).not.toMatch(/vendor\/lib\/index\.js:1/);
    expect(cli(['scan', '--no-git', '-f', 'json'], { cwd: repo.dir }).stdout).toMatch(/"file": "vendor\/lib\/index\.js"/);
  });

  it('--no-git scans everything, ignored files included', () => {
    const run = cli(['scan', '--no-git', '-f', 'json'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: { file: string }) => f.file).sort()).toEqual(['.env', '.venv/lib/site.py', 'src/new.ts']);
  });

  it('`git ls-files | xargs key-hygiene scan`: an image named among the files is a binary-file note, not an error', () => {
    // The first bytes of a PNG: its signature, then a chunk length with NUL bytes.
    repo.write('docs/images/pr-comment.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR')]));
    repo.git('add', 'docs/images/pr-comment.png');
    repo.git('commit', '-q', '-m', 'an image');
    const names = repo.git('ls-files').trim().split('\n');
    expect(names).toContain('docs/images/pr-comment.png');
    const clean = cli(['scan', ...names], { cwd: repo.dir });
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('note: 1 binary file not scanned: docs/images/pr-comment.png.');
    const doc = JSON.parse(cli(['scan', ...names, '-f', 'json'], { cwd: repo.dir }).stdout);
    expect(doc.stats.skipped.binary).toBe(1);
    // The other files named with it are still scanned, and their keys still fail the run.
    expect(cli(['scan', ...names, 'src/new.ts'], { cwd: repo.dir }).code).toBe(1);
  });

  it('a file named with a binary extension whose content is text is scanned', () => {
    repo.write('notes.png', `TOKEN=${KEY}\n`);
    const run = cli(['scan', 'notes.png'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^notes\.png:1:7 +critical +github-pat/m);
  });

  it('a git-ignored path named on the command line exits 2 naming the ignore rule', () => {
    expectRefused(cli(['scan', '.env'], { cwd: repo.dir }), /\.env is not scanned: git ignores it \(\.gitignore:1: \.env\); --no-git scans ignored files too/);
    expectRefused(cli(['scan', '.venv'], { cwd: repo.dir }), /\.venv is not scanned: git ignores it \(\.gitignore:2: \.venv\/\)/);
    expect(cli(['scan', '.env', '--no-git'], { cwd: repo.dir }).code).toBe(1);
  });

  it('finds the config at the repository root from a subdirectory', () => {
    repo.write('.github/key-hygiene.yml', 'rules:\n  disable: [github-pat]\n');
    const src = join(repo.dir, 'src');
    expect(cli(['scan', '..'], { cwd: src }).code).toBe(0);
    expect(cli(['scan'], { cwd: src }).code).toBe(0);
    repo.write('src/empty.yml', '');
    expect(cli(['scan', '--config', 'empty.yml'], { cwd: src }).code).toBe(1);
  });

  it('paths of files found from a subdirectory are relative to it', () => {
    const run = cli(['scan', '..'], { cwd: join(repo.dir, 'src') });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^new\.ts:1:19 +critical/m);
  });
});

describe('output', () => {
  it('a reader that closes the pipe early gets no stack trace, and the status follows the findings', () => {
    write('many.env', Array.from({ length: 400 }, () => `T=${key()}`).join('\n'));
    const run = spawnSync('bash', ['-c', `"$KH_NODE_BIN" "$KH_CLI" scan --format sarif | head -c 100 >/dev/null; echo "status=\${PIPESTATUS[0]}"`], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, KH_NODE_BIN: process.env['KH_NODE'] ?? process.execPath, KH_CLI: BUILT_CLI },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('status=1\n');
  });

  it('every format lists findings in one order: most severe first, then by location', () => {
    const high = rule('openai-project-key');
    write('a.env', `${high.samples.name ?? 'API_TOKEN'}=${high.samples.secret(gen)}\n`);
    write('z.env', `T=${KEY}\n`);
    const text = cli(['scan']).stdout.split('\n').filter((l) => /^\S+:\d+:\d+ /.test(l)).map((l) => l.split(':')[0]);
    const json = JSON.parse(cli(['scan', '-f', 'json']).stdout).findings.map((f: { file: string }) => f.file);
    const sarif = JSON.parse(cli(['scan', '-f', 'sarif']).stdout).runs[0].results.map(
      (r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.locations[0]?.physicalLocation.artifactLocation.uri,
    );
    const md = cli(['scan', '-f', 'markdown']).stdout;
    expect(text).toEqual(['z.env', 'a.env']);
    expect(json).toEqual(text);
    expect(sarif).toEqual(text);
    expect(md.indexOf('z.env')).toBeLessThan(md.indexOf('a.env'));
  });

  it('shows durations under a second in ms, and durationMs as a whole number', () => {
    write('a.txt', 'hello\n');
    expect(cli(['scan']).stdout).toMatch(/^No leaked keys found\. 1 file scanned \(6 B in \d{1,3} ms\)\.\n$/);
    expect(Number.isInteger(JSON.parse(cli(['scan', '-f', 'json']).stdout).stats.durationMs)).toBe(true);
  });

  it('FORCE_COLOR colours a pipe; FORCE_COLOR=0 and NO_COLOR do not', () => {
    write('a.txt', 'hello\n');
    expect(cli(['scan']).stdout).not.toContain('\u001b[');
    expect(cli(['scan'], { env: { FORCE_COLOR: '1' } }).stdout).toContain('\u001b[32m');
    expect(cli(['scan'], { env: { FORCE_COLOR: '0' } }).stdout).not.toContain('\u001b[');
    expect(cli(['scan'], { env: { NO_COLOR: '1' } }).stdout).not.toContain('\u001b[');
  });

  it('--output writes the report and prints the summary', () => {
    write('a.env', `T=${KEY}\n`);
    const run = cli(['scan', '-o', 'report.json', '-f', 'json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^1 leaked key found \(1 critical\)\. 1 file scanned \(\d+ B in \d+ ms\)\.\n$/);
    expectNoKeyIn(run.stdout);
  });

  it('--help lists -o and -f; a mistyped flag gets a suggestion', () => {
    const help = cli(['--help']).stdout;
    expect(help).toMatch(/^ {2}-o, --output FILE$/m);
    expect(help).toMatch(/^ {2}-f, --format FORMAT$/m);
    expectRefused(cli(['scan', '--histroy']), /Unknown option '--histroy'; did you mean --history\? \(see --help\)/);
    expectRefused(cli(['scan', '--max-filesize', '1k']), /did you mean --max-file-size\?/);
  });
});

describe('worker threads', () => {
  it('a tree large enough for workers gives the same findings as one thread', () => {
    const keys = new Map<string, string>();
    for (let i = 0; i < 500; i++) {
      const file = `pkg${i % 7}/f${String(i).padStart(3, '0')}.js`;
      const body = i % 97 === 0 ? `const token = "${key()}";\n` : `export const v${i} = ${i};\n`.repeat(20);
      keys.set(file, body);
      write(file, body);
    }
    const findings = (argv: string[]): string[] =>
      JSON.parse(cli(['scan', ...argv, '--max-file-size', '100k', '-f', 'json']).stdout).findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`);
    // Files passed over, early and late in the list: the workers are sent the list while it is walked.
    write('aaa/early.bin', `\0${key()}`);
    write('zzz/late.bin', `\0${key()}`);
    write('zzz/late-big.env', `T=${key()}\n`.repeat(4000));
    const one = findings(['-j', '1']);
    expect(one).toHaveLength(6);
    expect(findings([])).toEqual(one); // default: workers, 503 files
    expect(findings(['-j', '2'])).toEqual(one);
    expect(findings(['-j', '4'])).toEqual(one);
    const stats = (argv: string[]): unknown => JSON.parse(cli(['scan', ...argv, '--max-file-size', '100k', '-f', 'json']).stdout).stats.skipped;
    expect(stats(['-j', '4'])).toEqual({ binary: 2, ignored: 0, tooLarge: 1 });
    expect(stats(['-j', '1'])).toEqual(stats(['-j', '4']));
    expect(JSON.parse(cli(['scan', '-j', '2', '--max-file-size', '100k', '-f', 'json']).stdout).stats.files).toBe(500);
    expectRefused(cli(['scan', '-j', '0']), /--jobs must be a whole number from 1 to 64/);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  it('runs each hook entry with the built CLI: clean on a clean change, exit 1 on a staged key', () => {
    const hooks = parseYaml(readFileSync(join(import.meta.dirname, '..', '..', '.pre-commit-hooks.yaml'), 'utf8')) as Array<{ id: string; entry: string; pass_filenames: boolean }>;
    expect(hooks.map((h) => h.id)).toEqual(['key-hygiene', 'key-hygiene-pre-push']);
    const repo = tempRepo();
    try {
      repo.write('a.txt', 'a\n');
      repo.commit('base');
      for (const hook of hooks) {
        expect(hook.pass_filenames).toBe(false);
        const [program, ...args] = hook.entry.split(' ');
        expect(program).toBe('key-hygiene');
        expect(cli(args, { cwd: repo.dir }).code).toBe(0);
      }
      repo.write('b.env', `T=${KEY}\n`);
      repo.git('add', 'b.env');
      expect(cli((hooks[0]?.entry ?? '').split(' ').slice(1), { cwd: repo.dir }).code).toBe(1);
      repo.git('commit', '-q', '-m', 'key');
      expect(cli((hooks[1]?.entry ?? '').split(' ').slice(1), { cwd: repo.dir }).code).toBe(1);
    } finally {
      repo.remove();
    }
  });
});

describe('the installed command (package.json bin)', () => {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
  const bin = join(import.meta.dirname, '..', '..', pkg.bin['key-hygiene'] as string);
  const node = process.env['KH_NODE'] ?? process.execPath;
  const run = (argv: string[], cwd: string, env: Record<string, string> = {}): CliRun => {
    // Without NODE_COMPILE_CACHE from outside: it would turn the cache on whatever the launcher does.
    const { NODE_COMPILE_CACHE: _outside, ...inherited } = process.env;
    const r = spawnSync(node, [bin, ...argv], { cwd, env: { ...inherited, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env }, encoding: 'utf8' });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  it('runs the bundle with the same output and exit status: version, a staged key, a usage error', () => {
    expect(run(['--version'], dir)).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const repo = tempRepo();
    try {
      repo.write('a.txt', 'a\n');
      repo.commit('base');
      expect(run(['scan', '--staged'], repo.dir).code).toBe(0);
      repo.write('b.env', `T=${KEY}\n`);
      repo.git('add', 'b.env');
      const found = run(['scan', '--staged', '-f', 'json'], repo.dir);
      expect(found.code).toBe(1);
      expect((JSON.parse(found.stdout) as { findings: Array<{ file: string }> }).findings.map((f) => f.file)).toEqual(['b.env']);
      expectNoKeyIn(found.stdout, found.stderr);
    } finally {
      repo.remove();
    }
    expectRefused(run(['scan', '--formt', 'json'], dir), /did you mean --format\?/);
  });

  it("keeps the compiled bundle in node's compile cache where node has one (22.1+)", () => {
    const hasCache = spawnSync(node, ['-p', "typeof require('node:module').enableCompileCache"], { encoding: 'utf8' }).stdout.trim() === 'function';
    // The launcher asks for node's default place, under the temporary directory.
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const cache = join(tmp, 'node-compile-cache');
    write('clean.txt', 'nothing here\n');
    const env: Record<string, string> = { TMPDIR: tmp };
    for (let i = 0; i < 2; i++) expect(run(['scan', 'clean.txt', '--no-git'], dir, env).code).toBe(0);
    let entries: string[] = [];
    try {
      entries = readdirSync(cache, { recursive: true }) as string[];
    } catch {
      entries = [];
    }
    if (hasCache) expect(entries.length).toBeGreaterThan(0);
    else expect(entries).toEqual([]);
  });
});
