import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { githubRules } from '../../src/rules/github.js';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { DiffParseError, DiffParser, parsePatch, parseUnifiedDiff, type DiffFile } from '../../src/scan/diff.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';
import { tempRepo } from '../local/temp-repo.js';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;
const only = (files: DiffFile[]): DiffFile => {
  expect(files).toHaveLength(1);
  return files[0] as DiffFile;
};

describe('parseUnifiedDiff', () => {
  it('reads a modified file: added lines only, with new-file line numbers across hunks', () => {
    const diff = lines(
      'diff --git a/src/app.ts b/src/app.ts',
      'index 83db48f..bf269f4 100644',
      '--- a/src/app.ts',
      '+++ b/src/app.ts',
      '@@ -1,3 +1,4 @@ export function main() {',
      ' one',
      '-two',
      '+TWO',
      '+two and a half',
      ' three',
      '@@ -10,2 +11,2 @@',
      ' ten',
      '-eleven',
      '+ELEVEN',
    );
    expect(parseUnifiedDiff(diff)).toEqual([
      { path: 'src/app.ts', oldPath: 'src/app.ts', status: 'modified', binary: false, addedText: 'TWO\ntwo and a half\nELEVEN', lineNumbers: [2, 3, 12] },
    ]);
  });

  it('reads several files in order', () => {
    const diff = lines(
      'diff --git a/a.txt b/a.txt',
      '--- a/a.txt',
      '+++ b/a.txt',
      '@@ -1 +1 @@',
      '-x',
      '+y',
      'diff --git a/b.txt b/b.txt',
      '--- a/b.txt',
      '+++ b/b.txt',
      '@@ -5,0 +6,2 @@',
      '+p',
      '+q',
    );
    const files = parseUnifiedDiff(diff);
    expect(files.map((f) => [f.path, f.addedText, f.lineNumbers])).toEqual([
      ['a.txt', 'y', [1]],
      ['b.txt', 'p\nq', [6, 7]],
    ]);
  });

  it('reads a new file', () => {
    const diff = lines('diff --git a/new.env b/new.env', 'new file mode 100644', 'index 0000000..3b18e51', '--- /dev/null', '+++ b/new.env', '@@ -0,0 +1,2 @@', '+A=1', '+B=2');
    expect(only(parseUnifiedDiff(diff))).toMatchObject({ path: 'new.env', oldPath: 'new.env', status: 'added', addedText: 'A=1\nB=2', lineNumbers: [1, 2] });
  });

  it('reads a deleted file as nothing to scan, keeping its path', () => {
    const diff = lines('diff --git a/old.env b/old.env', 'deleted file mode 100644', 'index 3b18e51..0000000', '--- a/old.env', '+++ /dev/null', '@@ -1,2 +0,0 @@', '-A=1', '-B=2');
    expect(only(parseUnifiedDiff(diff))).toEqual({ path: 'old.env', oldPath: 'old.env', status: 'deleted', binary: false, addedText: '', lineNumbers: [] });
  });

  it('reads a pure rename and a rename with changes', () => {
    const diff = lines(
      'diff --git a/config/old.yml b/config/new.yml',
      'similarity index 100%',
      'rename from config/old.yml',
      'rename to config/new.yml',
      'diff --git a/x.js b/y.js',
      'similarity index 90%',
      'rename from x.js',
      'rename to y.js',
      'index 1111111..2222222 100644',
      '--- a/x.js',
      '+++ b/y.js',
      '@@ -3 +3 @@',
      '-old',
      '+new',
    );
    const [pure, changed] = parseUnifiedDiff(diff);
    expect(pure).toEqual({ path: 'config/new.yml', oldPath: 'config/old.yml', status: 'renamed', binary: false, addedText: '', lineNumbers: [] });
    expect(changed).toMatchObject({ path: 'y.js', oldPath: 'x.js', status: 'renamed', addedText: 'new', lineNumbers: [3] });
  });

  it('reads a copy as an added file naming its source', () => {
    const diff = lines('diff --git a/a.txt b/c.txt', 'similarity index 100%', 'copy from a.txt', 'copy to c.txt');
    expect(only(parseUnifiedDiff(diff))).toMatchObject({ path: 'c.txt', oldPath: 'a.txt', status: 'added' });
  });

  it.each([
    ['Binary files a/logo.png and b/logo.png differ', 'modified'],
    ['Binary files /dev/null and b/logo.png differ', 'added'],
    ['Binary files a/logo.png and /dev/null differ', 'deleted'],
  ])('marks a binary file: %s', (marker, status) => {
    const diff = lines('diff --git a/logo.png b/logo.png', 'index 1111111..2222222 100644', marker);
    expect(only(parseUnifiedDiff(diff))).toEqual({ path: 'logo.png', oldPath: 'logo.png', status, binary: true, addedText: '', lineNumbers: [] });
  });

  it('marks a GIT binary patch and skips its base85 data', () => {
    const diff = lines(
      'diff --git a/font.woff b/font.woff',
      'new file mode 100644',
      'index 0000000..1111111',
      'GIT binary patch',
      'literal 12',
      'zcmZ?wbhEHbRA5kG_{6~Q9|#y3+yA-',
      '',
      'literal 0',
      'HcmV?d00001',
      '',
      'diff --git a/b.txt b/b.txt',
      '--- a/b.txt',
      '+++ b/b.txt',
      '@@ -1 +1 @@',
      '-1',
      '+2',
    );
    const [bin, text] = parseUnifiedDiff(diff);
    expect(bin).toMatchObject({ path: 'font.woff', status: 'added', binary: true, lineNumbers: [] });
    expect(text).toMatchObject({ path: 'b.txt', addedText: '2', lineNumbers: [1] });
  });

  it('ignores "\\ No newline at end of file" on either side', () => {
    const diff = lines('--- a/f', '+++ b/f', '@@ -1,2 +1,2 @@', ' keep', '-last', '\\ No newline at end of file', '+LAST', '\\ No newline at end of file');
    expect(only(parseUnifiedDiff(diff))).toMatchObject({ addedText: 'LAST', lineNumbers: [2] });
  });

  it('strips the CR of CRLF lines, in headers and content', () => {
    const diff = ['diff --git a/w.bat b/w.bat', '--- a/w.bat', '+++ b/w.bat', '@@ -1 +1,2 @@', '-set A=1', '+set A=2', '+set B=3', ''].join('\r\n');
    expect(only(parseUnifiedDiff(diff))).toMatchObject({ path: 'w.bat', addedText: 'set A=2\nset B=3', lineNumbers: [1, 2] });
  });

  it('decodes quoted paths with C-style and octal UTF-8 escapes', () => {
    const diff = lines(
      'diff --git "a/dir/caf\\303\\251 \\"x\\"\\t.txt" "b/dir/caf\\303\\251 \\"x\\"\\t.txt"',
      'new file mode 100644',
      '--- /dev/null',
      '+++ "b/dir/caf\\303\\251 \\"x\\"\\t.txt"',
      '@@ -0,0 +1 @@',
      '+hello',
    );
    expect(only(parseUnifiedDiff(diff)).path).toBe('dir/caf\u00e9 "x"\t.txt');
  });

  it('reads unquoted paths with spaces (git adds a tab after them)', () => {
    const diff = lines('diff --git a/my dir/a b.txt b/my dir/a b.txt', '--- a/my dir/a b.txt\t', '+++ b/my dir/a b.txt\t', '@@ -1 +1 @@', '-1', '+2');
    expect(only(parseUnifiedDiff(diff)).path).toBe('my dir/a b.txt');
  });

  it('takes the path of a header-only file (mode change, empty file) from the diff --git line', () => {
    const diff = lines('diff --git a/with space/empty b/with space/empty', 'new file mode 100644', 'index 0000000..e69de29');
    expect(only(parseUnifiedDiff(diff))).toMatchObject({ path: 'with space/empty', status: 'added', lineNumbers: [] });
  });

  it('honours other prefixes and no prefix (diff.mnemonicPrefix, diff.noprefix)', () => {
    const mnemonic = lines('diff --git i/x.txt w/x.txt', '--- i/x.txt', '+++ w/x.txt', '@@ -1 +1 @@', '-1', '+2');
    expect(only(parseUnifiedDiff(mnemonic)).path).toBe('x.txt');
    const none = lines('diff --git a/x.txt a/x.txt', '--- a/x.txt', '+++ a/x.txt', '@@ -1 +1 @@', '-1', '+2');
    expect(only(parseUnifiedDiff(none)).path).toBe('a/x.txt');
  });

  it('reads hunk headers with omitted counts as one line', () => {
    const diff = lines('--- a/f', '+++ b/f', '@@ -1 +1 @@', '-a', '+b', '@@ -7,0 +8 @@', '+c');
    expect(only(parseUnifiedDiff(diff))).toMatchObject({ addedText: 'b\nc', lineNumbers: [1, 8] });
  });

  it('reads a plain diff -u with timestamps, and without a/ b/ prefixes', () => {
    const diff = lines('--- config.orig\t2024-01-01 10:00:00.000000000 +0000', '+++ config\t2024-01-02 10:00:00.000000000 +0000', '@@ -1,2 +1,2 @@', ' a', '-b', '+c');
    expect(only(parseUnifiedDiff(diff))).toEqual({ path: 'config', oldPath: 'config.orig', status: 'modified', binary: false, addedText: 'c', lineNumbers: [2] });
  });

  it('treats content that looks like headers inside a hunk as content', () => {
    const diff = lines('--- a/notes.md', '+++ b/notes.md', '@@ -0,0 +1,4 @@', '+--- a/fake', '++++ b/fake', '+@@ -1 +1 @@', '+diff --git a/x b/x');
    expect(only(parseUnifiedDiff(diff))).toMatchObject({ path: 'notes.md', addedText: '--- a/fake\n+++ b/fake\n@@ -1 +1 @@\ndiff --git a/x b/x', lineNumbers: [1, 2, 3, 4] });
  });

  it('tolerates a context line whose single space was stripped', () => {
    const diff = lines('--- a/f', '+++ b/f', '@@ -1,3 +1,3 @@', ' a', '', '-c', '+C');
    expect(only(parseUnifiedDiff(diff))).toMatchObject({ addedText: 'C', lineNumbers: [3] });
  });

  it('reads git log -p output with commit headers and messages, tagging each file with its commit', () => {
    const sha1 = '1'.repeat(40);
    const sha2 = 'abcdef0'.repeat(5) + 'abcde';
    const diff = lines(
      `commit ${sha1} (HEAD -> main)`,
      'Author: Someone <someone@example.invalid>',
      'Date:   Mon Jan 1 00:00:00 2024 +0000',
      '',
      '    add a thing',
      '    ',
      '    - a bullet that starts with a dash',
      '+ and one with a plus',
      '',
      'diff --git a/a b/a',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/a',
      '@@ -0,0 +1 @@',
      '+first',
      '',
      `commit ${sha2}`,
      'diff --git a/a b/a',
      '--- a/a',
      '+++ b/a',
      '@@ -1 +1 @@',
      '-first',
      '+second',
    );
    expect(parseUnifiedDiff(diff).map((f) => [f.commit, f.addedText])).toEqual([
      [sha1, 'first'],
      [sha2, 'second'],
    ]);
  });

  it('reads git format-patch output up to its signature', () => {
    const diff = lines('From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001', 'Subject: [PATCH] x', '---', ' a | 2 +-', '', 'diff --git a/a b/a', '--- a/a', '+++ b/a', '@@ -1 +1 @@', '-x', '+y', '-- ', '2.39.5');
    expect(only(parseUnifiedDiff(diff))).toMatchObject({ path: 'a', addedText: 'y' });
  });

  it('reads a combined diff of a merge: only lines new against every parent are added', () => {
    const diff = lines(
      'diff --cc conf.ini',
      'index 1111111,2222222..3333333',
      '--- a/conf.ini',
      '+++ b/conf.ini',
      '@@@ -1,3 -1,4 +1,4 @@@',
      '  top',
      '- from-ours',
      ' -from-theirs',
      '++resolved',
      '+ theirs-unchanged',
      '  bottom',
    );
    // Result: top(1) resolved(2) theirs-unchanged(3) bottom(4); only "resolved" was in neither parent.
    expect(only(parseUnifiedDiff(diff))).toMatchObject({ path: 'conf.ini', status: 'modified', addedText: 'resolved', lineNumbers: [2] });
  });

  it('returns nothing for empty input or text without a diff', () => {
    expect(parseUnifiedDiff('')).toEqual([]);
    expect(parseUnifiedDiff('just some words\nand more\n')).toEqual([]);
  });

  it('passes a multi-line private key added as consecutive lines to the engine as one block', () => {
    const gen = seededGen(testSeed());
    const begin = '-----BEGIN ' + 'RSA PRIVATE KEY-----';
    const end = '-----END ' + 'RSA PRIVATE KEY-----';
    const body = Array.from({ length: 6 }, () => gen.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 64));
    const block = [begin, ...body, end];
    const diff = lines('diff --git a/deploy/id_rsa b/deploy/id_rsa', 'new file mode 100600', '--- /dev/null', '+++ b/deploy/id_rsa', `@@ -0,0 +1,${block.length} @@`, ...block.map((l) => `+${l}`));
    const file = only(parseUnifiedDiff(diff.replace(/\n/g, '\r\n')));
    expect(file.addedText).toBe(block.join('\n'));
    expect(file.lineNumbers).toEqual(block.map((_, i) => i + 1));
    // Every multi-line rule of the catalogue sees such a block whole through the diff path.
    const engine = new Engine(BUILTIN_RULES);
    for (const rule of BUILTIN_RULES.filter((r) => r.multiline === true)) {
      for (const { text, secret } of rule.samples.positives?.(gen) ?? []) {
        const textLines = text.split('\n');
        const d = lines('--- /dev/null', '+++ b/key.pem', `@@ -0,0 +1,${textLines.length} @@`, ...textLines.map((l) => `+${l}`));
        const f = only(parseUnifiedDiff(d));
        const found = engine.scan({ path: f.path, text: f.addedText, lineNumbers: f.lineNumbers, source: 'added' });
        expect(found.some((x) => x.ruleId === rule.id && secretOf(x) === secret), rule.id).toBe(true);
      }
    }
  });

  it('locates a generated GitHub token at its new-file line through the engine', () => {
    const token = (githubRules[0] as (typeof githubRules)[number]).samples.secret(seededGen(testSeed()));
    const diff = lines('--- a/.env', '+++ b/.env', '@@ -1,2 +1,3 @@', ' A=1', '+GITHUB_TOKEN=' + token, ' B=2', '@@ -40 +41 @@', '-x', '+y');
    const f = only(parseUnifiedDiff(diff));
    const [finding] = new Engine(BUILTIN_RULES).scan({ path: f.path, text: f.addedText, lineNumbers: f.lineNumbers, source: 'added' });
    expect(finding).toMatchObject({ ruleId: 'github-pat', file: '.env', line: 2, column: 14 });
  });
});

describe('parseUnifiedDiff on malformed input', () => {
  it.each([
    ['a hunk cut short', lines('--- a/f', '+++ b/f', '@@ -1,2 +1,2 @@', ' a'), 4],
    ['more added lines than the header says', lines('--- a/f', '+++ b/f', '@@ -1 +1 @@', '-a', '+b', '+c'), 6],
    ['more removed lines than the header says', lines('--- a/f', '+++ b/f', '@@ -1 +1,2 @@', '-a', '-b'), 5],
    ['a bad hunk header', lines('--- a/f', '+++ b/f', '@@ -x +1 @@', '+a'), 3],
    ['a hunk header without the closing @@', lines('--- a/f', '+++ b/f', '@@ -1 +1', '+a'), 3],
    ['a hunk before any file', lines('@@ -1 +1 @@', '-a', '+b'), 1],
    ['--- without +++', lines('--- a/f', 'something else'), 2],
    ['an unknown marker inside a hunk', lines('--- a/f', '+++ b/f', '@@ -1,2 +1,2 @@', ' a', '*b'), 5],
    ['an unterminated quoted path', lines('diff --git "a/x b/x', '--- "a/x', '+++ b/x'), 1],
  ])('throws DiffParseError naming the line: %s', (_label, diff, line) => {
    let error: unknown;
    try {
      parseUnifiedDiff(diff);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DiffParseError);
    expect((error as DiffParseError).line).toBe(line);
    expect((error as DiffParseError).message).toContain(`line ${line}`);
    expect((error as DiffParseError).message).not.toContain('\n');
  });

  it('throws only DiffParseError, whatever the input', () => {
    const lineArb = fc.oneof(
      fc.string(),
      fc.constantFrom('@@ -1 +1 @@', '@@ -1,2 +1,2 @@', '@@@ -1 -1 +1 @@@', 'diff --git a/x b/x', 'diff --cc x', '--- a/x', '+++ b/x', '--- /dev/null', '+++ /dev/null', 'rename from "q\\', 'GIT binary patch', '\\ No newline', 'commit 1234567'),
      fc.tuple(fc.constantFrom('+', '-', ' ', '++', '  ', '"'), fc.string()).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 30 }), fc.boolean(), (ls, crlf) => {
        const text = ls.join(crlf ? '\r\n' : '\n');
        try {
          const files = parseUnifiedDiff(text);
          for (const f of files) expect(f.addedText.split('\n').length).toBe(Math.max(1, f.lineNumbers.length));
        } catch (e) {
          if (!(e instanceof DiffParseError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects a pathological hunk header line of a million characters', () => {
    const diff = `--- a/f\n+++ b/f\n@@ -${'1'.repeat(1_000_000)}\n`;
    expect(() => parseUnifiedDiff(diff)).toThrow(DiffParseError);
  });

  it('reads a million-character added line', () => {
    const long = 'x'.repeat(1_000_000);
    const f = only(parseUnifiedDiff(`--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+${long}\n`));
    expect(f.addedText.length).toBe(1_000_000);
  });
});

describe('parsePatch (GitHub pulls/files "patch")', () => {
  it('reads hunks without file headers', () => {
    const patch = ['@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c', '@@ -20,0 +21,2 @@ section', '+x', '+y', '\\ No newline at end of file'].join('\n');
    expect(parsePatch(patch)).toEqual({ addedText: 'B\nx\ny', lineNumbers: [2, 21, 22] });
  });

  it('reads an empty patch as nothing added', () => {
    expect(parsePatch('')).toEqual({ addedText: '', lineNumbers: [] });
  });

  it.each([
    ['text before the first hunk', 'hello\n@@ -1 +1 @@\n-a\n+b', 1],
    ['a hunk cut short', '@@ -1,3 +1,3 @@\n a', 2],
    ['a stray added line', '@@ -1 +1 @@\n-a\n+b\n+c', 4],
  ])('throws DiffParseError for %s', (_label, patch, line) => {
    expect(() => parsePatch(patch)).toThrow(expect.objectContaining({ name: 'DiffParseError', line }));
  });
});

describe('DiffParser (streaming)', () => {
  it('hands over each file as soon as the next one starts', () => {
    const got: string[] = [];
    const parser = new DiffParser((f) => got.push(f.path));
    for (const l of ['--- a/one', '+++ b/one', '@@ -0,0 +1 @@', '+1']) parser.push(l);
    expect(got).toEqual([]);
    parser.push('--- a/two');
    expect(got).toEqual(['one']);
    for (const l of ['+++ b/two', '@@ -0,0 +1 @@', '+2']) parser.push(l);
    parser.end();
    expect(got).toEqual(['one', 'two']);
  });
});

/** A minimal LCS diff producing unified hunks with `context` lines, so line numbers can be checked against the source. */
function unifiedDiff(oldLines: string[], newLines: string[], context: number): string {
  const n = oldLines.length;
  const m = newLines.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (lcs[i] as number[])[j] = oldLines[i] === newLines[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, lcs[i]?.[j + 1] ?? 0);
  const ops: Array<{ t: ' ' | '-' | '+'; s: string }> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && oldLines[i] === newLines[j]) {
      ops.push({ t: ' ', s: oldLines[i++] as string });
      j++;
    } else if (j < m && (i === n || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) ops.push({ t: '+', s: newLines[j++] as string });
    else ops.push({ t: '-', s: oldLines[i++] as string });
  }
  const out = ['--- a/f', '+++ b/f'];
  let k = 0;
  let oldNo = 1;
  let newNo = 1;
  const advance = (op: { t: string }): void => {
    if (op.t !== '+') oldNo++;
    if (op.t !== '-') newNo++;
  };
  while (k < ops.length) {
    const nextChange = ops.findIndex((op, idx) => idx >= k && op.t !== ' ');
    if (nextChange === -1) break;
    const start = Math.max(k, nextChange - context);
    for (; k < start; k++) advance(ops[k] as { t: string });
    let end = nextChange;
    let lastChange = nextChange;
    while (end < ops.length && end - lastChange <= 2 * context) {
      if ((ops[end] as { t: string }).t !== ' ') lastChange = end;
      end++;
    }
    end = Math.min(ops.length, lastChange + context + 1);
    const body = ops.slice(start, end);
    const oldCount = body.filter((o) => o.t !== '+').length;
    const newCount = body.filter((o) => o.t !== '-').length;
    out.push(`@@ -${oldCount === 0 ? oldNo - 1 : oldNo},${oldCount} +${newCount === 0 ? newNo - 1 : newNo},${newCount} @@`);
    for (const op of body) {
      out.push(op.t + op.s);
      advance(op);
    }
    k = end;
  }
  return `${out.join('\n')}\n`;
}

describe('line numbers always match the new file', () => {
  const fileArb = fc.array(fc.constantFrom('a', 'b', 'c', 'key = 1', '', ' x', '-y', '+z', '@@'), { maxLength: 25 });

  it('for generated diffs with any context size', () => {
    fc.assert(
      fc.property(fileArb, fileArb, fc.integer({ min: 0, max: 3 }), (oldLines, newLines, context) => {
        const files = parseUnifiedDiff(unifiedDiff(oldLines, newLines, context));
        const added = files[0] ?? { addedText: '', lineNumbers: [] };
        const addedLines = added.lineNumbers.length === 0 ? [] : added.addedText.split('\n');
        expect(addedLines.length).toBe(added.lineNumbers.length);
        added.lineNumbers.forEach((ln, idx) => expect(newLines[ln - 1]).toBe(addedLines[idx]));
        expect([...added.lineNumbers].sort((x, y) => x - y)).toEqual(added.lineNumbers);
        // Every new line that is not shared with the old file is reported.
        const ops = unifiedDiff(oldLines, newLines, 1000).split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++ '));
        expect(added.lineNumbers.length).toBe(ops.length);
      }),
      { numRuns: 500 },
    );
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'kh-diff-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('for real git diffs, with CRLF and missing final newlines', () => {
    const textArb = fc.record({ lines: fileArb, crlf: fc.boolean(), finalNewline: fc.boolean() });
    const render = (t: { lines: string[]; crlf: boolean; finalNewline: boolean }): string =>
      t.lines.join(t.crlf ? '\r\n' : '\n') + (t.finalNewline && t.lines.length > 0 ? (t.crlf ? '\r\n' : '\n') : '');
    fc.assert(
      fc.property(textArb, textArb, fc.integer({ min: 0, max: 3 }), (before, after, context) => {
        writeFileSync(path.join(dir, 'old'), render(before));
        writeFileSync(path.join(dir, 'new'), render(after));
        const res = spawnSync('git', ['diff', '--no-index', '--no-color', `-U${context}`, 'old', 'new'], { cwd: dir, encoding: 'utf8' });
        const files = parseUnifiedDiff(res.stdout);
        const newFileLines = render(after).split('\n').map((l) => l.replace(/\r$/, ''));
        for (const f of files) {
          const addedLines = f.lineNumbers.length === 0 ? [] : f.addedText.split('\n');
          f.lineNumbers.forEach((ln, idx) => expect(newFileLines[ln - 1]).toBe(addedLines[idx]));
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('git output end to end', () => {
  it('reads git show of a merge that resolved a conflict with a new line', () => {
    const repo = tempRepo();
    try {
      repo.write('conf.ini', 'top\nvalue=base\nbottom\n');
      repo.commit('base');
      repo.git('checkout', '-q', '-b', 'side');
      repo.write('conf.ini', 'top\nvalue=side\nbottom\nside-only\n');
      repo.commit('side');
      repo.git('checkout', '-q', 'main');
      repo.write('conf.ini', 'top\nvalue=main\nbottom\n');
      repo.commit('main');
      spawnSync('git', ['merge', '-q', 'side'], { cwd: repo.dir });
      repo.write('conf.ini', 'top\nvalue=resolved\nbottom\nside-only\n');
      repo.commit('merge');
      const show = execFileSync('git', ['show', '--no-color', 'HEAD'], { cwd: repo.dir, encoding: 'utf8' });
      expect(show).toContain('diff --cc conf.ini');
      expect(only(parseUnifiedDiff(show))).toMatchObject({ path: 'conf.ini', addedText: 'value=resolved', lineNumbers: [2] });
    } finally {
      repo.remove();
    }
  });
});
