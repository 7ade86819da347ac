import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanFiles, walkFiles, type SkipReason, type WalkOptions } from '../../src/local/files.js';
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
    // link-dir sorts before real: the file is yielded once, under the first path that reaches it.
    expect(files).toEqual([['link-dir/a.txt', 'inside']]);
    expect(skips.sort()).toEqual([
      ['dangling', 'unreadable'],
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
