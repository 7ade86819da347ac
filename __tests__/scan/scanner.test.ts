import { describe, expect, it } from 'vitest';
import { githubRules } from '../../src/rules/github.js';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { parseUnifiedDiff } from '../../src/scan/diff.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import { createPathFilter } from '../../src/scan/path-filter.js';
import { addStats, emptyStats, markHistoryOnly, scanDiffFiles, scanText } from '../../src/scan/scanner.js';
import type { Rule } from '../../src/scan/types.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';

const engine = new Engine(BUILTIN_RULES);
const gen = seededGen(testSeed());
const pat = githubRules.find((r) => r.id === 'github-pat') as Rule;
const token = (): string => pat.samples.secret(gen);

const newFile = (path: string, ...content: string[]): string =>
  [`diff --git a/${path} b/${path}`, 'new file mode 100644', '--- /dev/null', `+++ b/${path}`, `@@ -0,0 +1,${content.length} @@`, ...content.map((l) => `+${l}`), ''].join('\n');

describe('scanDiffFiles', () => {
  it('finds a key in added lines with its new-file line, source and commit', () => {
    const t = token();
    const diff = ['--- a/app.env', '+++ b/app.env', '@@ -3,0 +4,2 @@', '+DEBUG=1', `+GITHUB_TOKEN=${t}`, ''].join('\n');
    const { findings, stats } = scanDiffFiles(engine, parseUnifiedDiff(diff), { commit: 'c0ffee' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'github-pat', file: 'app.env', line: 5, column: 14, source: 'added', commit: 'c0ffee' });
    expect(secretOf(findings[0] as (typeof findings)[number]) === t).toBe(true);
    expect(stats).toMatchObject({ files: 1, bytes: `DEBUG=1\nGITHUB_TOKEN=${t}`.length });
  });

  it("uses each file's own commit from git log output", () => {
    const sha = 'a'.repeat(40);
    const diff = `commit ${sha}\n\n${newFile('x.txt', `token: ${token()}`)}`;
    expect(scanDiffFiles(engine, parseUnifiedDiff(diff)).findings[0]?.commit).toBe(sha);
  });

  it('does not report a key on a removed line', () => {
    const diff = ['--- a/app.env', '+++ b/app.env', '@@ -1 +1 @@', `-GITHUB_TOKEN=${token()}`, '+GITHUB_TOKEN=${{ secrets.TOKEN }}', ''].join('\n');
    expect(scanDiffFiles(engine, parseUnifiedDiff(diff)).findings).toEqual([]);
  });

  it('counts ignored and binary files instead of scanning them', () => {
    const diff = [
      newFile('node_modules/pkg/cfg.js', `k = "${token()}"`),
      ['diff --git a/logo.png b/logo.png', 'new file mode 100644', 'Binary files /dev/null and b/logo.png differ', ''].join('\n'),
      newFile('nul.dat', 'a\0b'),
      newFile('src/ok.ts', 'export const x = 1;'),
      ['diff --git a/old.png b/old.png', 'deleted file mode 100644', 'Binary files a/old.png and /dev/null differ', ''].join('\n'),
    ].join('');
    const { findings, stats } = scanDiffFiles(engine, parseUnifiedDiff(diff), { filter: createPathFilter({ ignore: [], useDefaults: true }) });
    expect(findings).toEqual([]);
    expect(stats.files).toBe(1);
    // logo.png is both binary and a default-ignored image: the filter decides first.
    expect(stats.skipped).toEqual({ binary: 1, ignored: 2, tooLarge: 0 });
  });

  it('reports a key in a lockfile', () => {
    const t = token();
    const diff = newFile('package-lock.json', `      "resolved": "https://x-access-token:${t}@github.example/org/pkg.tgz",`);
    const { findings } = scanDiffFiles(engine, parseUnifiedDiff(diff), { filter: createPathFilter({ ignore: [], useDefaults: true }) });
    expect(findings.map((f) => [f.ruleId, f.file])).toContainEqual(['github-pat', 'package-lock.json']);
  });
});

describe('scanText', () => {
  it('scans a whole file as source file', () => {
    const text = `# config\n\napi:\n  token: ${token()}\n`;
    const { findings, stats } = scanText(engine, 'config/app.yml', text);
    expect(findings.map((f) => [f.file, f.line, f.source])).toEqual([['config/app.yml', 4, 'file']]);
    expect(stats).toMatchObject({ files: 1, bytes: Buffer.byteLength(text) });
  });

  it('skips text with a NUL in its first 8 KiB as binary, but not one further on', () => {
    const key = `token = "${token()}"`;
    expect(scanText(engine, 'a.bin', `\0${key}`)).toMatchObject({ findings: [], stats: { files: 0, skipped: { binary: 1 } } });
    expect(scanText(engine, 'b.txt', `${key}\n${'x'.repeat(9000)}\0`).findings).toHaveLength(1);
  });

  it('skips an ignored path', () => {
    const f = createPathFilter({ ignore: ['*.env'], useDefaults: false });
    expect(scanText(engine, 'x.env', `T=${token()}`, { filter: f })).toMatchObject({ findings: [], stats: { skipped: { ignored: 1 } } });
  });
});

describe('markHistoryOnly', () => {
  it('marks keys absent from the final state as history and keeps present ones as added', () => {
    const removed = token();
    const kept = token();
    const perCommit = [
      ...engine.scan({ path: 'a.env', text: `T=${removed}`, source: 'added', commit: 'c1' }),
      ...engine.scan({ path: 'b.env', text: `T=${kept}`, source: 'added', commit: 'c1' }),
    ];
    const final = engine.scan({ path: 'b.env', text: `x\nT=${kept}`, source: 'file' });
    const out = markHistoryOnly(perCommit, final);
    expect(out.map((f) => [f.file, f.source])).toEqual([
      ['a.env', 'history'],
      ['b.env', 'added'],
    ]);
    // Same objects: the engine's link to the secret survives for masking.
    expect(secretOf(out[0] as (typeof out)[number]) === removed).toBe(true);
  });

  it('keeps a key moved to another file as added (matched by rule and value, not path)', () => {
    const t = token();
    const perCommit = engine.scan({ path: 'old/place.env', text: `T=${t}`, source: 'added' });
    const final = engine.scan({ path: 'new/place.env', text: `T=${t}`, source: 'file' });
    expect(markHistoryOnly(perCommit, final)[0]?.source).toBe('added');
  });

  it('does not confuse two different keys at the same path', () => {
    const perCommit = engine.scan({ path: 'a.env', text: `T=${token()}`, source: 'added' });
    const final = engine.scan({ path: 'a.env', text: `T=${token()}`, source: 'file' });
    expect(markHistoryOnly(perCommit, final)[0]?.source).toBe('history');
  });

  it('falls back to fingerprints for findings that carry no secret (e.g. read back from JSON)', () => {
    const t = token();
    const perCommit = engine.scan({ path: 'a.env', text: `T=${t}`, source: 'added' }).map((f) => ({ ...f }));
    const final = engine.scan({ path: 'a.env', text: `T=${t}`, source: 'file' }).map((f) => ({ ...f }));
    expect(markHistoryOnly(perCommit, final)[0]?.source).toBe('added');
    expect(markHistoryOnly(perCommit, [])[0]?.source).toBe('history');
  });
});

describe('stats', () => {
  it('adds up counters from several scans', () => {
    const total = addStats(emptyStats(), { files: 2, bytes: 10, durationMs: 1, skipped: { binary: 1 } });
    addStats(total, { files: 1, bytes: 5, durationMs: 2, apiCalls: 3 });
    expect(total).toEqual({ files: 3, bytes: 15, durationMs: 3, skipped: { binary: 1, ignored: 0, tooLarge: 0 }, apiCalls: 3 });
  });
});
