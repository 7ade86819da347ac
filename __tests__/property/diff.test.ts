import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiffParseError, DiffParser, parsePatch, parseUnifiedDiff } from '../../src/scan/diff.js';
import { contentLine, editedFile, expectedAdded, fcParams, hunksOf, hunkStyle, type EditedFile, type HunkStyle } from './arbitraries.js';

/** Runs `parse` and classifies the outcome; any exception other than a DiffParseError fails the property. */
function parsesOrRefuses(parse: () => unknown): 'parsed' | 'refused' {
  try {
    parse();
    return 'parsed';
  } catch (error) {
    if (error instanceof DiffParseError) {
      // A refusal names the line it stopped at, for the one-line error the CLI prints.
      expect(error.line).toBeGreaterThanOrEqual(1);
      expect(error.message).toMatch(/^Malformed diff at line \d+: /);
      return 'refused';
    }
    throw error;
  }
}

function both(text: string): void {
  parsesOrRefuses(() => parseUnifiedDiff(text));
  parsesOrRefuses(() => parsePatch(text));
}

/** Lines a hostile or broken diff is made of: real header shapes with wrong numbers, quoting and markers. */
const diffishLine: fc.Arbitrary<string> = fc.oneof(
  contentLine,
  contentLine.map((s) => `+${s}`),
  contentLine.map((s) => `-${s}`),
  contentLine.map((s) => ` ${s}`),
  fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.nat(12), fc.nat(4), fc.nat(12), fc.nat(4), fc.boolean())
    .map(([extra, a, b, c, d, bare]) => {
      const ats = '@'.repeat(2 + extra);
      const olds = Array.from({ length: 1 + extra }, () => (bare ? `-${a}` : `-${a},${b}`)).join(' ');
      return `${ats} ${olds} +${c},${d} ${ats}`;
    }),
  fc.constantFrom(
    '@@ -1 +1 @@',
    '@@ -0,0 +1,99999999999 @@',
    '@@ -4294967296,1 +4294967296,1 @@',
    '@@',
    '@@ -a,b +c,d @@',
    '@@@ -1 -1 +1 @@@',
    'diff --git a/x b/x',
    'diff --git "a/\\303\\251" "b/\\303\\251"',
    'diff --git "a/unterminated',
    'diff --git "a/bad\\q" b/x',
    'diff --cc merged.txt',
    'diff --combined',
    '--- a/x',
    '--- /dev/null',
    '--- "a/\\777"',
    '+++ b/x',
    '+++ /dev/null',
    '+++ "b/tab\\there"\t2024-01-01',
    'new file mode 100644',
    'deleted file mode 100644',
    'rename from old name',
    'rename to "new\\"name"',
    'copy from a',
    'copy to b',
    'GIT binary patch',
    'Binary files /dev/null and b/x differ',
    'index 0000000..1111111 100644',
    'commit 0123456789abcdef0123456789abcdef01234567 (HEAD -> main)',
    'commit xyz',
    '\\ No newline at end of file',
    '-- ',
    '',
    '\r',
  ),
);

const nearDiff: fc.Arbitrary<string> = fc
  .tuple(fc.array(diffishLine, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, eol, finalEol]) => lines.join(eol) + (finalEol ? eol : ''));

describe('diff parser on arbitrary input: a parse or a DiffParseError, nothing else', () => {
  it('any string (UTF-16 code units, lone surrogates included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => both(s)),
      fcParams(300),
    );
  });

  it('any bytes, decoded as latin1 and as UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const buf = Buffer.from(bytes);
        both(buf.toString('latin1'));
        both(buf.toString('utf8'));
      }),
      fcParams(300),
    );
  });

  it('near-diffs: real header and hunk shapes with wrong counts, in any order', () => {
    let parsed = 0;
    let refused = 0;
    fc.assert(
      fc.property(nearDiff, (text) => {
        const outcome = parsesOrRefuses(() => parseUnifiedDiff(text));
        if (outcome === 'parsed') parsed++;
        else refused++;
        parsesOrRefuses(() => parsePatch(text));
      }),
      fcParams(1000),
    );
    // Both branches must be exercised, or the generator tests nothing interesting.
    expect(parsed).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
  });

  it('a well-formed diff with one hunk count off by one is refused, never misread', () => {
    fc.assert(
      fc.property(editedFile, hunkStyle, fc.integer({ min: 0, max: 3 }), (file, style, which) => {
        const hunks = hunksOf(file, { ...style, noFinalNewline: false });
        fc.pre(hunks.length > 0);
        const header = hunks[0] as string;
        const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(header);
        if (m === null) throw new Error(`generator wrote an unexpected header ${header}`);
        const counts = [Number(m[2] ?? 1), Number(m[4] ?? 1)];
        const side = which % 2;
        const delta = which < 2 ? 1 : -1;
        fc.pre((counts[side] as number) + delta >= 0);
        counts[side] = (counts[side] as number) + delta;
        const broken = [`@@ -${m[1]},${counts[0]} +${m[3]},${counts[1]} @@`, ...hunks.slice(1)].join('\n');
        // A count one too high runs out of lines (or swallows the next header); one too low leaves a line over.
        // The only safe reading of a lie is a refusal.
        expect(() => parsePatch(broken)).toThrow(DiffParseError);
      }),
      fcParams(300),
    );
  });
});

function fileDiff(path: string, file: EditedFile, style: HunkStyle): string[] {
  const hunks = hunksOf(file, style);
  const created = file.oldLines.length === 0;
  return [
    `diff --git a/${path} b/${path}`,
    ...(created ? ['new file mode 100644'] : []),
    'index 1234567..89abcde 100644',
    created ? '--- /dev/null' : `--- a/${path}`,
    `+++ b/${path}`,
    ...hunks,
  ];
}

describe('diff parser on generated valid diffs', () => {
  it("GitHub's patch field: the added lines and their numbers are exactly the new file's inserted lines", () => {
    fc.assert(
      fc.property(editedFile, hunkStyle, (file, style) => {
        const result = parsePatch(hunksOf(file, style).join('\n'));
        const want = expectedAdded(file);
        expect(result.lineNumbers).toEqual(want.numbers);
        expect(result.addedText).toBe(want.lines.join('\n'));
        const got = result.addedText.split('\n');
        result.lineNumbers.forEach((n, i) => expect(file.newLines[n - 1]).toBe(got[i]));
      }),
      fcParams(500),
    );
  });

  it('multi-file git diffs, LF or CRLF: each file gets its own added lines at new-file line numbers', () => {
    const paths = ['src/a.ts', 'config/.env', 'docs/read me.md', 'deep/x/y/z.json'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(editedFile, hunkStyle), { minLength: 1, maxLength: paths.length }),
        fc.constantFrom('\n', '\r\n'),
        (files, eol) => {
          const lines = files.flatMap(([file, style], i) => fileDiff(paths[i] as string, file, style));
          const parsed = parseUnifiedDiff(lines.join(eol) + eol);
          // Files whose edits change nothing have no hunks; git still prints their header (a mode change).
          expect(parsed.map((f) => f.path)).toEqual(files.map((_, i) => paths[i]));
          parsed.forEach((got, i) => {
            const [file] = files[i] as [EditedFile, HunkStyle];
            const want = expectedAdded(file);
            expect(got.lineNumbers).toEqual(want.numbers);
            expect(got.addedText).toBe(want.lines.join('\n'));
            expect(got.status).toBe(file.oldLines.length === 0 ? 'added' : 'modified');
          });
        },
      ),
      fcParams(300),
    );
  });

  it('feeding the streaming parser line by line gives the same files as parsing the whole text', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(editedFile, hunkStyle), { minLength: 1, maxLength: 3 }), (files) => {
        const lines = files.flatMap(([file, style], i) => fileDiff(`f${i}.txt`, file, style));
        const streamed: unknown[] = [];
        const parser = new DiffParser((f) => streamed.push(f));
        for (const line of lines) parser.push(line);
        parser.end();
        expect(streamed).toEqual(parseUnifiedDiff(lines.join('\n')));
      }),
      fcParams(200),
    );
  });
});
