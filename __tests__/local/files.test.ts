import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTextFile, scanFiles, walkFiles, type SkipReason, type WalkOptions } from '../../src/local/files.js';
import { githubRules } from '../../src/rules/github.js';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { Engine } from '../../src/scan/engine.js';
import { createPathFilter } from '../../src/scan/path-filter.js';
import type { Rule } from '../../src/scan/types.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';

let base: string;
let root: string;

beforeEach(() => {
  base = mkdtempSync(path.join(tmpdir(), 'kh-files-'));
  root = path.join(base, 'tree');
  mkdirSync(root);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function write(rel: string, content: string | Uint8Array, at = root): void {
  const abs = path.join(at, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
}

async function walk(paths: string[], options: WalkOptions = {}): Promise<{ files: Array<[string, string]>; skips: Array<[string, SkipReason]> }> {
  const skips: Array<[string, SkipReason]> = [];
  const files: Array<[string, string]> = [];
  for await (const f of walkFiles(paths, { root, onSkip: (p, r) => skips.push([p, r]), ...options })) files.push([f.path, f.text]);
  return { files, skips };
}

describe('walkFiles', () => {
  it('yields text files in name order with forward-slash paths relative to the root, skipping .git', async () => {
    write('b.txt', 'b');
    write('a/z.txt', 'z');
    write('a/y/x.txt', 'x');
    write('.git/config', '[core]');
    write('.github/workflows/ci.yml', 'on: push');
    const { files } = await walk(['.']);
    expect(files.map(([p]) => p)).toEqual(['.github/workflows/ci.yml', 'a/y/x.txt', 'a/z.txt', 'b.txt']);
  });

  it('accepts files and directories as arguments', async () => {
    write('src/a.ts', 'a');
    write('src/b.ts', 'b');
    write('README.md', 'r');
    const { files } = await walk(['README.md', 'src']);
    expect(files.map(([p]) => p)).toEqual(['README.md', 'src/a.ts', 'src/b.ts']);
  });

  it('skips binary files (a NUL in the first 8 KiB) but reads UTF-16 text with a byte-order mark', async () => {
    write('img.dat', new Uint8Array([0x89, 0x50, 0x00, 0x01]));
    write('late-nul.txt', `${'a'.repeat(9000)}\0`);
    write('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hello', 'utf16le')]));
    const { files, skips } = await walk(['.']);
    expect(files.map(([p, t]) => [p, t.length])).toEqual([
      ['late-nul.txt', 9001],
      ['utf16.txt', 5],
    ]);
    expect(skips).toEqual([['img.dat', 'binary']]);
  });

  it('skips files over the size cap without reading them', async () => {
    write('big.txt', 'x'.repeat(2000));
    write('small.txt', 'x'.repeat(100));
    const { files, skips } = await walk(['.'], { maxFileBytes: 1000 });
    expect(files.map(([p]) => p)).toEqual(['small.txt']);
    expect(skips).toEqual([['big.txt', 'tooLarge']]);
  });

  it('applies the path filter to files, and skips ignored directories whole', async () => {
    write('node_modules/pkg/index.js', 'x');
    write('logo.png', 'not really a png');
    write('keep.txt', 'k');
    write('docs/a.md', 'a');
    const { files, skips } = await walk(['.'], { filter: createPathFilter({ ignore: ['docs/'], useDefaults: true }) });
    expect(files.map(([p]) => p)).toEqual(['keep.txt']);
    expect(skips).toEqual([['logo.png', 'ignored']]);
  });

  it('follows symlinks inside the tree once, and never out of it', async () => {
    write('real/a.txt', 'inside');
    write('secret.txt', 'outside', base);
    symlinkSync(path.join(root, 'real'), path.join(root, 'link-dir'));
    symlinkSync(path.join(root, 'real/a.txt'), path.join(root, 'z-link.txt'));
    symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'out.txt'));
    symlinkSync(base, path.join(root, 'out-dir'));
    symlinkSync(root, path.join(root, 'real/loop'));
    symlinkSync(path.join(root, 'missing'), path.join(root, 'dangling'));
    const { files, skips } = await walk(['.']);
    // link-dir sorts before real, yet the file is yielded once, under its own path rather than a link's.
    expect(files).toEqual([['real/a.txt', 'inside']]);
    expect(skips.sort()).toEqual([
      ['dangling', 'ignored'],
      ['out-dir', 'outside'],
      ['out.txt', 'outside'],
    ]);
  });

  it('throws a one-line error for a path that does not exist', async () => {
    await expect(walk(['nope'])).rejects.toThrow('Path not found: nope');
  });
});

describe('scanFiles', () => {
  it('reports keys in files with counts of what was passed over', async () => {
    const pat = githubRules.find((r) => r.id === 'github-pat') as Rule;
    const token = pat.samples.secret(seededGen(testSeed()));
    write('config/.env', `A=1\nGITHUB_TOKEN=${token}\n`);
    write('yarn.lock', `"https://${token}@registry.example/x.tgz"\n`);
    write('bin.dat', new Uint8Array([0, 1, 2]));
    write('big.log', `GITHUB_TOKEN=${token}\n${'x'.repeat(5000)}`);
    write('pic.jpg', `GITHUB_TOKEN=${token}`);
    const engine = new Engine(BUILTIN_RULES);
    const { findings, stats, notes } = await scanFiles(engine, ['.'], { root, maxFileBytes: 4096, filter: createPathFilter({ ignore: [], useDefaults: true }) });
    expect(findings.map((f) => [f.file, f.line, f.ruleId, f.source])).toEqual([
      ['config/.env', 2, 'github-pat', 'file'],
      ['yarn.lock', 1, 'github-pat', 'file'],
    ]);
    expect(stats).toMatchObject({ files: 2, skipped: { binary: 1, ignored: 1, tooLarge: 1 } });
    expect(stats.bytes).toBe(`A=1\nGITHUB_TOKEN=${token}\n`.length + `"https://${token}@registry.example/x.tgz"\n`.length);
    expect(notes).toEqual([]);
  });
});

describe('readTextFile', () => {
  const at = (rel: string, extra: { noFollow?: boolean; named?: boolean } = {}) => ({ path: rel, abs: path.join(root, rel), ...extra });

  it('reads each file whole, large or small, one after the other (no bytes of an earlier file leak into a later one)', () => {
    const large = 'line of text\n'.repeat(200_000); // over 2 MiB: beyond the buffer kept between files
    write('a-large.txt', large);
    write('b-mid.txt', 'm'.repeat(300_000));
    write('c-small.txt', 'short');
    write('d-empty.txt', '');
    expect(readTextFile(at('a-large.txt'), 10 * 1024 * 1024)).toEqual({ text: large, bytes: large.length });
    expect(readTextFile(at('b-mid.txt'), 10 * 1024 * 1024)).toEqual({ text: 'm'.repeat(300_000), bytes: 300_000 });
    expect(readTextFile(at('c-small.txt'), 10 * 1024 * 1024)).toEqual({ text: 'short', bytes: 5 });
    expect(readTextFile(at('d-empty.txt'), 10 * 1024 * 1024)).toEqual({ text: '', bytes: 0 });
  });

  it('says why a file is passed over: its size when too large, binary, unreadable when missing', () => {
    write('big.txt', 'x'.repeat(2000));
    write('bin.dat', new Uint8Array([0x7f, 0x45, 0x00, 0x46]));
    expect(readTextFile(at('big.txt', { named: true }), 1999)).toEqual({ skip: { path: 'big.txt', reason: 'tooLarge', size: 2000, named: true } });
    expect(readTextFile(at('big.txt'), 2000)).toEqual({ text: 'x'.repeat(2000), bytes: 2000 });
    expect(readTextFile(at('bin.dat'), 1000)).toEqual({ skip: { path: 'bin.dat', reason: 'binary' } });
    expect(readTextFile(at('gone.txt'), 1000)).toEqual({ skip: { path: 'gone.txt', reason: 'unreadable' } });
  });

  it('for files git lists: does not read a tracked symlink or a submodule directory, and passes over a deleted file silently', () => {
    write('target.txt', 'the target');
    symlinkSync(path.join(root, 'target.txt'), path.join(root, 'link.txt'));
    mkdirSync(path.join(root, 'submodule'));
    expect(readTextFile(at('link.txt', { noFollow: true }), 1000)).toEqual({ skip: { path: 'link.txt', reason: 'ignored' } });
    expect(readTextFile(at('submodule', { noFollow: true }), 1000)).toEqual({ skip: { path: 'submodule', reason: 'ignored', submodule: true } });
    expect(readTextFile(at('deleted.txt', { noFollow: true }), 1000)).toEqual({ skip: undefined });
    // Not listed by git: a link named or walked into is followed.
    expect(readTextFile(at('link.txt'), 1000)).toEqual({ text: 'the target', bytes: 10 });
  });
});
