import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { ALLOW_MARKER, Engine, secretOf } from '../../src/scan/engine.js';
import type { Finding, Rule } from '../../src/scan/types.js';
import { fcParams, plant, syntaxArb } from './arbitraries.js';

const engine = new Engine(BUILTIN_RULES);

/** The finding for exactly `secret` in `text` at `path`; fails the property if there is none. */
function findingFor(path: string, text: string, secret: string, rule: Rule): Finding {
  const found = engine.scan({ path, text, source: 'file' }).filter((f) => secretOf(f) === secret);
  expect(found.map((f) => f.ruleId), `${rule.id} key not found`).toEqual([rule.id]);
  return found[0] as Finding;
}

/** Lines of unrelated code to shift a key around with; none of them holds a keyword next to a key. */
const filler = fc.array(
  fc.oneof(
    fc.constantFrom('', 'import os', '  return x;', '}', '# comment', 'DEBUG=true', 'const a = 1;', '\t- item'),
    fc.string({ maxLength: 20 }).filter((s) => !s.includes('\n') && !s.includes(ALLOW_MARKER)),
  ),
  { minLength: 1, maxLength: 8 },
);

const rules = fc.constantFrom(...BUILTIN_RULES);
const wrappable = fc.constantFrom(...BUILTIN_RULES.filter((r) => r.samples.wrap !== false));

describe('fingerprints', () => {
  it('stay the same when lines are inserted above the key', () => {
    fc.assert(
      fc.property(rules, fc.nat(), syntaxArb, filler, (rule, seed, syntax, above) => {
        const p = plant(rule, seed, syntax);
        const before = findingFor(p.path, p.text, p.secret, rule);
        const after = findingFor(p.path, `${above.join('\n')}\n${p.text}`, p.secret, rule);
        expect(after.line).toBe(before.line + above.length);
        expect(after.fingerprint).toBe(before.fingerprint);
      }),
      fcParams(150),
    );
  });

  it('stay the same when the key moves within its file', () => {
    fc.assert(
      fc.property(rules, fc.nat(), syntaxArb, filler, filler, (rule, seed, syntax, a, b) => {
        const p = plant(rule, seed, syntax);
        const first = findingFor(p.path, `${a.join('\n')}\n${p.text}\n${b.join('\n')}\n`, p.secret, rule);
        const moved = findingFor(p.path, `${b.join('\n')}\n${a.join('\n')}\n${b.join('\n')}\n${p.text}`, p.secret, rule);
        expect(moved.line).not.toBe(first.line);
        expect(moved.fingerprint).toBe(first.fingerprint);
      }),
      fcParams(150),
    );
  });

  it('stay the same when the whitespace around the key changes', () => {
    const ws = fc.array(fc.constantFrom(' ', '\t'), { maxLength: 3 }).map((a) => a.join(''));
    fc.assert(
      fc.property(wrappable, fc.nat(), ws, ws, ws, ws, (rule, seed, indent, left, right, trailing) => {
        const p = plant(rule, seed, { label: 'plain', path: 'settings.env', wrap: (n, v) => `${n}=${v}\n` });
        const name = rule.samples.name ?? 'API_TOKEN';
        const tight = findingFor(p.path, `${name}=${p.secret}\n`, p.secret, rule);
        const loose = findingFor(p.path, `${indent}${name}${left}=${right}${p.secret}${trailing}\n`, p.secret, rule);
        expect(loose.fingerprint).toBe(tight.fingerprint);
      }),
      fcParams(150),
    );
  });

  it('differ for different keys of the same rule in the same file', () => {
    fc.assert(
      fc.property(rules, fc.nat(), fc.nat(), syntaxArb, (rule, s1, s2, syntax) => {
        const a = plant(rule, s1, syntax);
        const b = plant(rule, s2, syntax);
        fc.pre(a.secret !== b.secret);
        expect(findingFor(a.path, a.text, a.secret, rule).fingerprint).not.toBe(findingFor(b.path, b.text, b.secret, rule).fingerprint);
      }),
      fcParams(150),
    );
  });

  it('differ for the same key in different files (the path is part of a fingerprint by design)', () => {
    fc.assert(
      fc.property(rules, fc.nat(), syntaxArb, fc.constantFrom('a/', 'b/', 'x/y/'), (rule, seed, syntax, dir) => {
        const p = plant(rule, seed, syntax);
        const here = findingFor(p.path, p.text, p.secret, rule);
        const there = findingFor(`${dir}${p.path}`, p.text, p.secret, rule);
        expect(there.fingerprint).not.toBe(here.fingerprint);
      }),
      fcParams(100),
    );
  });

  it('reveal no part of the key: a fixed-length hex digest', () => {
    fc.assert(
      fc.property(rules, fc.nat(), syntaxArb, (rule, seed, syntax) => {
        const p = plant(rule, seed, syntax);
        expect(findingFor(p.path, p.text, p.secret, rule).fingerprint).toMatch(/^[0-9a-f]{32}$/);
      }),
      fcParams(100),
    );
  });
});
