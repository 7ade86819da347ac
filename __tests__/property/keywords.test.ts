import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { Engine, gateFor, secretOf } from '../../src/scan/engine.js';
import { KeywordScanner } from '../../src/scan/keywords.js';
import type { Rule } from '../../src/scan/types.js';
import { seededGen } from '../helpers/sample-gen.js';
import { fcParams } from './arbitraries.js';

/**
 * Every (end offset, keyword) in `text`, by trying each keyword at each offset: the slow, obvious answer.
 * The scanner reads each UTF-16 unit's low byte (see `KeywordScanner.scan`), so `š` (U+0161) reads as
 * `a`: that may add a hit, whose pattern then fails on the real text, but never removes one.
 */
function naive(text: string, keywords: readonly string[]): string[] {
  const bytes = text.replace(/[\u0100-\uffff]/g, (c) => String.fromCharCode(c.charCodeAt(0) & 0xff));
  const lower = bytes.replace(/[A-Z]/g, (c) => c.toLowerCase());
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
    // U+0161 and U+212A truncate to 'a' and '*': they must not break a keyword (they may make one, see naive).
    fc.constantFrom(' ', '\n', '=', '\u0161', '\u212a', 'é', '😀', 'x'),
    fc.string({ maxLength: 6 }),
  );
  return fc.array(pieces, { maxLength: maxPieces }).map((p) => p.join(''));
}

/** Puts `keyword` so that it ends at `end` in a text of `length` dots. */
function placed(keyword: string, end: number, length: number): string {
  const at = end - keyword.length + 1;
  return `${'.'.repeat(at)}${keyword}${'.'.repeat(length - at - keyword.length)}`;
}

describe.each([
  ['WebAssembly', true],
  ['JavaScript fallback', false],
])('keyword scanner (%s)', (_name, webAssembly) => {
  const keywords = [...new Set(BUILTIN_RULES.flatMap((r) => r.keywords.map((k) => k.toLowerCase())))];
  const scanner = new KeywordScanner(keywords, { webAssembly });

  it('runs the loops it was asked for', () => {
    expect(scanner.usesWebAssembly).toBe(webAssembly);
  });

  it('finds exactly the occurrences a naive search finds, on short texts (one lane)', () => {
    fc.assert(
      fc.property(textArb(keywords, 30), (text) => {
        expect(found(scanner, keywords, text)).toEqual(naive(text, keywords));
      }),
      fcParams(300),
    );
  });

  it('finds exactly the occurrences a naive search finds, on long texts (four lanes, keywords across their boundaries)', () => {
    fc.assert(
      fc.property(textArb(keywords, 400), fc.nat(40), (text, pad) => {
        // Shift the text so that lane boundaries fall at every offset of some keyword.
        const shifted = `${'.'.repeat(pad)}${text}`;
        expect(found(scanner, keywords, shifted)).toEqual(naive(shifted, keywords));
      }),
      fcParams(100),
    );
  });

  it('reports a keyword that straddles a lane boundary once', () => {
    const kw = 'sk-ant-admin01-';
    for (let length = 300; length < 340; length++) {
      // The lane boundaries, and the last lane's run-on past four quarters.
      for (const boundary of [length >> 2, 2 * (length >> 2), 3 * (length >> 2), 4 * (length >> 2) - kw.length + 2]) {
        for (let offset = 0; offset < kw.length && boundary + offset < length; offset++) {
          const end = boundary + offset;
          expect(found(scanner, keywords, placed(kw, end, length)).filter((h) => h.endsWith(`:${kw}`))).toEqual([`${end}:${kw}`]);
        }
      }
    }
  });

  it('reports a keyword that straddles a chunk boundary once, and every keyword of a multi-chunk text', () => {
    // Texts are handed to WebAssembly 64 KiB at a time.
    const chunk = 64 * 1024;
    const kw = '-----begin openssh private key-----';
    for (const length of [chunk + 40, chunk + 300, 3 * chunk + 7]) {
      for (let offset = 0; offset < kw.length; offset++) {
        const end = chunk - 1 + offset;
        expect(found(scanner, keywords, placed(kw, end, length)).filter((h) => h.endsWith(`:${kw}`))).toEqual([`${end}:${kw}`]);
      }
    }
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3 * chunk), fc.constantFrom(...keywords)), { maxLength: 30 }), (spots) => {
        const chars = new Array<string>(3 * chunk + 100).fill('.');
        for (const [at, k] of spots) for (let i = 0; i < k.length; i++) chars[at + i] = k[i] as string;
        const text = chars.join('');
        expect(found(scanner, keywords, text)).toEqual(naive(text, keywords));
      }),
      fcParams(20),
    );
  });

  it('stays exact from one text to the next, whatever their lengths', () => {
    // Longer texts make the scanner grow its memory and move its buffers; odd lengths misalign them.
    const short = `x${keywords[0] as string}y`;
    for (const length of [70_001, 201, 200_003, 1_000_001, 67, 65_537]) {
      const text = placed(keywords[1] as string, length - 2, length);
      expect(found(scanner, keywords, text)).toEqual(naive(text, keywords));
      expect(found(scanner, keywords, short)).toEqual(naive(short, keywords));
    }
  });

  it('handles keywords with more distinct characters than a byte-wide class table holds', () => {
    // 94 printable characters: the class of the last ones no longer fits in a byte once scaled to a row offset.
    const wide = Array.from({ length: 47 }, (_, i) => String.fromCharCode(33 + 2 * i, 34 + 2 * i)).filter((k) => k.toLowerCase() === k);
    const wideScanner = new KeywordScanner(wide, { webAssembly });
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...wide, 'x', ' ', '~'), { maxLength: 400 }), (pieces) => {
        const text = pieces.join('');
        expect(found(wideScanner, wide, text)).toEqual(naive(text, wide));
      }),
      fcParams(100),
    );
  });

  it('refuses keywords it cannot match as ASCII', () => {
    expect(() => new KeywordScanner(['ключ'], { webAssembly })).toThrow(/ASCII/);
    expect(() => new KeywordScanner([''], { webAssembly })).toThrow(/empty/);
  });
});

describe.each(BUILTIN_RULES.filter((r) => r.valueRun !== undefined || r.startRun !== undefined || r.notFollowedBy !== undefined || r.notAfter !== undefined).map((r) => [r.id, r] as const))('shortcuts of %s', (_id, rule) => {
  // Without `valueRun` the pattern is tried at every keyword; without `startRun`, over the whole lookback
  // window; without `notFollowedBy` and `notAfter`, also where the keyword goes on into a phrase, or
  // follows a character, that the rule excludes.
  const { valueRun, startRun, notFollowedBy, notAfter, ...ungated } = rule;
  const gated = new Engine([rule]);
  const plain = new Engine([ungated as Rule]);

  // The rule's own positive samples, whole and in pieces, so that generated texts reach its matches.
  const gen = seededGen(7);
  const samples = [
    ...(rule.samples.positives?.(gen) ?? []).map((p) => p.text),
    ...(rule.samples.wrap === false ? [] : [1, 2, 3].map(() => `${rule.samples.name ?? 'API_TOKEN'}=${rule.samples.secret(gen)}\n`)),
  ];
  const piece = fc.oneof(
    fc.constantFrom(...rule.keywords),
    fc.constantFrom('=', ': ', ' = ', ':=', '=>', '"', "'", ': string = ', '_url', '_ID', ' ', '\n', '\t', '://', ':', '@', '/', 's', 'db.internal', 'a', '_', '-', '.', ...(notFollowedBy ?? [])),
    fc.stringMatching(/^[A-Za-z0-9+/_-]{1,40}$/),
    ...(samples.length > 0
      ? [fc.constantFrom(...samples), fc.tuple(fc.constantFrom(...samples), fc.nat(), fc.nat()).map(([t, a, b]) => t.slice(Math.min(a, b) % t.length, Math.max(a, b) % (t.length + 1)))]
      : []),
  );

  it('never drop a finding the pattern alone would make', () => {
    expect(valueRun ?? startRun ?? notFollowedBy ?? notAfter).toBeDefined();
    let findings = 0;
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        const a = gated.scan({ path: 'a.env', text, source: 'file' }).map((f) => [f.line, f.column, secretOf(f)]);
        const b = plain.scan({ path: 'a.env', text, source: 'file' }).map((f) => [f.line, f.column, secretOf(f)]);
        expect(a).toEqual(b);
        findings += b.length;
      }),
      fcParams(1000),
    );
    // The texts must reach the pattern's matches, or the comparison proves nothing.
    expect(findings).toBeGreaterThan(0);
  });

  it('never drop a finding where the name runs long before the value', () => {
    // A sample with the text after its keyword lengthened, as far as a name tail may run and beyond:
    // the conditions' reach must cover the longest name the pattern accepts.
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.integer({ min: 0, max: 90 }), fc.constantFrom('_', 'a', 'X_'), (text, n, filler) => {
        const lower = text.toLowerCase();
        const at = Math.min(...rule.keywords.map((k) => (lower.includes(k) ? lower.indexOf(k) + k.length : Infinity)));
        if (!Number.isFinite(at)) return;
        const longer = `${text.slice(0, at)}${filler.repeat(n).slice(0, n)}${text.slice(at)}`;
        const a = gated.scan({ path: 'a.env', text: longer, source: 'file' }).map((f) => [f.line, f.column, secretOf(f)]);
        const b = plain.scan({ path: 'a.env', text: longer, source: 'file' }).map((f) => [f.line, f.column, secretOf(f)]);
        expect(a).toEqual(b);
      }),
      fcParams(300),
    );
  });
});

describe('value-run gates', () => {
  /** The definition, checked directly: `min` class characters in a row within [from, from + within + min). */
  function naivePasses(text: string, chars: string, min: number, within: number, from: number): boolean {
    let run = 0;
    for (let i = from; i < Math.min(text.length, from + within + min); i++) {
      run = chars.includes(text[i] as string) ? run + 1 : 0;
      if (run >= min) return true;
    }
    return false;
  }

  it('answer as the definition does, for any text and any increasing offsets', () => {
    const chars = 'ab';
    fc.assert(
      fc.property(
        fc.stringMatching(/^[ab=]{0,200}$/),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.nat(220), { maxLength: 40 }),
        (text, min, within, offsets) => {
          const gate = gateFor({ chars: min === 1 ? 'a' : chars, min, within });
          gate.reset(text, Buffer.from(text, 'latin1'));
          for (const from of [...offsets].sort((x, y) => x - y)) {
            expect(gate.passes(from)).toBe(naivePasses(text, min === 1 ? 'a' : chars, min, within, from));
          }
        },
      ),
      fcParams(2000),
    );
  });
});

describe('value-run gates with a number of different characters', () => {
  /** Some value of at least `min` class characters, starting within reach, holds `distinct` different ones. */
  function naiveDiverse(text: string, chars: string, min: number, within: number, distinct: number, from: number): boolean {
    for (let p = from; p <= Math.min(text.length - 1, from + within); p++) {
      const seen = new Set<string>();
      let i = p;
      while (i < text.length && chars.includes(text[i] as string)) seen.add(text[i++] as string);
      if (i - p >= min && seen.size >= distinct) return true;
    }
    return false;
  }

  it('never turn away a value the definition lets through', () => {
    const chars = 'abcdef';
    fc.assert(
      fc.property(
        fc.stringMatching(/^[abcdef=]{0,200}$/),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.nat(220), { maxLength: 40 }),
        (text, min, distinct, within, offsets) => {
          const gate = gateFor({ chars, min, within, distinct });
          gate.reset(text, Buffer.from(text, 'latin1'));
          for (const from of [...offsets].sort((x, y) => x - y)) {
            if (naiveDiverse(text, chars, min, within, distinct, from)) expect(gate.passes(from)).toBe(true);
          }
        },
      ),
      fcParams(2000),
    );
  });

  it('turn away key names standing where values would, which a plain run lets through', () => {
    const text = '"client_secret": "'.repeat(50);
    const bytes = Buffer.from(text, 'latin1');
    const chars = '!#$%*+-./0123456789:?@ABCDEFGHIJKLMNOPQRSTUVWXYZ^_abcdefghijklmnopqrstuvwxyz~';
    const diverse = gateFor({ chars, min: 11, within: 76, distinct: 11 });
    const plain = gateFor({ chars, min: 11, within: 76 });
    diverse.reset(text, bytes);
    plain.reset(text, bytes);
    // Each `secret` but the last, which has no key name after it.
    const ends = [...text.matchAll(/secret/g)].map((m) => (m.index as number) + 6).slice(0, -1);
    expect(ends.filter((e) => plain.passes(e))).toEqual(ends);
    expect(ends.filter((e) => diverse.passes(e))).toEqual([]);
    // One random value among them is let through, from each key name within reach before it.
    const withValue = `${text}"${'aB3dE5gH7jK9mN1pQ'}"`;
    diverse.reset(withValue, Buffer.from(withValue, 'latin1'));
    expect(diverse.passes(withValue.length - 30)).toBe(true);
  });
});

describe('texts too long to hold whole', () => {
  it('still give gated rules their findings, past the first chunk and past 16 MiB', () => {
    const engine = new Engine(BUILTIN_RULES);
    const gen = seededGen(11);
    const value = gen.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 32);
    const line = `api_token = "${value}"\n`;
    for (const filler of [70_000, 17 * 1024 * 1024]) {
      const text = `${'.'.repeat(filler)}\n${line}`;
      const found = engine.scan({ path: 'big.txt', text, source: 'file' }).map((f) => [f.ruleId, f.line, secretOf(f)]);
      expect(found).toEqual([['generic-credential', 2, value]]);
    }
  });
});
