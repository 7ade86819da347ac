import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyTextFiles, installedPackages } from '../../bench/corpus.js';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-corpus-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(rel: string, text: string): void {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function listed(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

describe('copyTextFiles', () => {
  const extensions = new Set(['.js', '.md']);

  it('copies text files only, skips empty and oversized ones, and renames node_modules in paths', () => {
    write('src/a/index.js', 'x'.repeat(10));
    write('src/a/README.md', 'y'.repeat(10));
    write('src/a/logo.png', 'z'.repeat(10));
    write('src/a/empty.js', '');
    write('src/a/big.js', 'b'.repeat(101));
    write('src/a/node_modules/dep/lib.js', 'd'.repeat(10));
    const bytes = copyTextFiles(path.join(tmp, 'src'), path.join(tmp, 'out'), { extensions, maxFileBytes: 100, budget: 1000 });
    expect(listed(path.join(tmp, 'out'))).toEqual(['a/README.md', 'a/index.js', 'a/nm/dep/lib.js']);
    expect(bytes).toBe(30);
  });

  it('stops once the budget is spent, in name order', () => {
    for (const name of ['a', 'b', 'c', 'd']) write(`src/${name}.js`, name.repeat(40));
    const bytes = copyTextFiles(path.join(tmp, 'src'), path.join(tmp, 'out'), { extensions, maxFileBytes: 100, budget: 70 });
    // The file that crosses the budget is still copied; none after it.
    expect(listed(path.join(tmp, 'out'))).toEqual(['a.js', 'b.js']);
    expect(bytes).toBe(80);
  });

  it('does not descend into skipped directories', () => {
    write('src/lib.js', 'x');
    write('src/node_modules/dep/lib.js', 'x');
    copyTextFiles(path.join(tmp, 'src'), path.join(tmp, 'out'), { extensions, maxFileBytes: 100, budget: 100, skipDirs: new Set(['node_modules']) });
    expect(listed(path.join(tmp, 'out'))).toEqual(['lib.js']);
  });
});

describe('installedPackages', () => {
  it('lists plain, scoped and nested packages once per name and version, sorted', () => {
    const pkg = (rel: string, name: string, version: string): void => write(`${rel}/package.json`, JSON.stringify({ name, version }));
    pkg('node_modules/zeta', 'zeta', '1.0.0');
    pkg('node_modules/@scope/alpha', '@scope/alpha', '2.0.0');
    pkg('node_modules/zeta/node_modules/dep', 'dep', '1.0.0');
    pkg('node_modules/@scope/alpha/node_modules/dep', 'dep', '1.0.0');
    pkg('node_modules/@scope/alpha/node_modules/zeta', 'zeta', '0.9.0');
    fs.mkdirSync(path.join(tmp, 'node_modules/.bin'), { recursive: true });
    const found = installedPackages(path.join(tmp, 'node_modules')).map((p) => `${p.name}@${p.version}`);
    expect(found).toEqual(['@scope/alpha@2.0.0', 'dep@1.0.0', 'zeta@0.9.0', 'zeta@1.0.0']);
  });
});

describe('bench/precision-reviewed.json', () => {
  it('maps finding fingerprints to a short reason a reviewer can read', () => {
    const file = path.resolve(import.meta.dirname, '../../bench/precision-reviewed.json');
    const reviewed = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const [fingerprint, reason] of Object.entries(reviewed)) {
      expect(fingerprint).toMatch(/^[0-9a-f]{32}$/);
      expect(typeof reason).toBe('string');
      expect((reason as string).length).toBeGreaterThan(10);
      expect((reason as string).length).toBeLessThanOrEqual(140);
    }
  });
});
