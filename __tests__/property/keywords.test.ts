import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import { KeywordScanner } from '../../src/scan/keywords.js';
import type { Rule } from '../../src/scan/types.js';
import { fcParams } from './arbitraries.js';

/** Every (end offset, keyword) in `text`, by trying each keyword at each offset: the slow, obvious answer. */
function naive(text: string, keywords: readonly string[]): string[] {
  const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    for (const k of keywords) if (lower.startsWith(k, i)) out.push(`${i + k.length - 1}:${k}`);
  }
  return out.sort();
}

function found(scanner: KeywordScanner, keywords: readonly string[], text: string): string[] {
  const hits = scanner.scan(text);
  const out: string[] = [];
  for (let h = 0; h < hits.length; h += 2) {
    for (const k of scanner.table.outputs.get(hits.data[h + 1] as number) ?? []) out.push(`${hits.data[h] as number}:${keywords[k] as string}`);
  }
  return out.sort();
}

/** Text made of keyword pieces, their upper-case forms and characters whose low byte is a keyword letter. */
function textArb(keywords: readonly string[], maxPieces: number): fc.Arbitrary<string> {
  const pieces = fc.oneof(
    fc.constantFrom(...keywords),
    fc.constantFrom(...keywords).map((k) => k.toUpperCase()),
    fc.constantFrom(...keywords).map((k) => k.slice(0, Math.max(1, k.length - 1))),
    // U+0161 and U+212A truncate to 'a' and '*': they must not break a keyword or make one.
    fc.constantFrom(' ', '\n', '=', '\u0161', '\u212a', 'é', '😀', 'x'),
    fc.string({ maxLength: 6 }),
  );
  return fc.array(pieces, { maxLength: maxPieces }).map((p) => p.join(''));
}

describe('keyword scanner', () => {
  const keywords = [...new Set(BUILTIN_RULES.flatMap((r) => r.keywords.map((k) => k.toLowerCase())))];
  const scanner = new KeywordScanner(keywords);

  it('finds exactly the occurrences a naive search finds, on short texts (one lane)', () => {
    fc.assert(
      fc.property(textArb(keywords, 30), (text) => {
        expect(found(scanner, keywords, text)).toEqual(naive(text, keywords));
      }),
      fcParams(300),
    );
  });

  it('finds exactly the occurrences a naive search finds, on long texts (two lanes, keywords across the middle)', () => {
    fc.assert(
      fc.property(textArb(keywords, 400), fc.nat(40), (text, pad) => {
        // Shift the text so that the middle falls at every offset of some keyword.
        const shifted = `${'.'.repeat(pad)}${text}`;
        expect(found(scanner, keywords, shifted)).toEqual(naive(shifted, keywords));
      }),
      fcParams(100),
    );
  });

  it('reports a keyword that straddles the middle once', () => {
    for (let length = 300; length < 340; length++) {
      const kw = 'sk-ant-admin01-';
      const mid = length >> 1;
      for (let offset = 0; offset < kw.length; offset++) {
        const at = mid - offset;
        const text = `${'.'.repeat(at)}${kw}${'.'.repeat(length - at - kw.length)}`;
        expect(found(scanner, keywords, text).filter((h) => h.endsWith(`:${kw}`))).toEqual([`${at + kw.length - 1}:${kw}`]);
      }
    }
  });

  it('refuses keywords it cannot match as ASCII', () => {
    expect(() => new KeywordScanner(['ключ'])).toThrow(/ASCII/);
    expect(() => new KeywordScanner([''])).toThrow(/empty/);
  });
});

describe('value-run gate', () => {
  const generic = BUILTIN_RULES.find((r) => r.valueRun !== undefined) as Rule;
  const { valueRun, ...ungated } = generic;
  const gated = new Engine([generic]);
  const plain = new Engine([ungated as Rule]);

  const piece = fc.oneof(
    fc.constantFrom(...generic.keywords),
    fc.constantFrom('=', ': ', ' = ', ':=', '=>', '"', "'", ': string = ', '_url', '_ID', ' ', '\n', '\t'),
    fc.stringMatching(/^[A-Za-z0-9+/_-]{1,40}$/),
  );

  it('never drops a finding the pattern alone would make', () => {
    expect(valueRun).toBeDefined();
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        const a = gated.scan({ path: 'a.env', text, source: 'file' }).map((f) => [f.line, f.column, secretOf(f)]);
        const b = plain.scan({ path: 'a.env', text, source: 'file' }).map((f) => [f.line, f.column, secretOf(f)]);
        expect(a).toEqual(b);
      }),
      fcParams(1000),
    );
  });
});
