import { describe, expect, it } from 'vitest';
import { type PatternProblemKind, checkPatternStructure, isPatternProblem, keywordFits, leadingSets } from '../../src/config/safe-pattern.js';
import { parseConfig } from '../../src/config/load.js';
import { parseRegex } from '../../src/config/regex-syntax.js';
import { BUILTIN_RULES } from '../../src/rules/index.js';

/**
 * Built-in rules are held to the structural bar the config loader sets for custom rules (no nested or
 * unbounded quantifiers, no ambiguous repeated alternations, bounds within reach), and to the engine's
 * matching contract: each keyword is a prefix of what the pattern matches, so the sticky match at the
 * keyword can succeed. How fast the patterns run on near-miss input is measured by `npm run bench`.
 */
// Why each refused built-in pattern is nonetheless linear (the checker is deliberately conservative for custom rules).
const PEM_LINES =
  'each repeated line must begin with a line break that neither the indent nor the body class can match, so lines split one way.';
const USER_BACKREF = 'the back-reference compares the password with the user name inside a lookahead: at most 128 characters, once per match.';
const ATOMIC = 'a lookahead capture followed by its back-reference is the JavaScript idiom for an atomic group: it stops backtracking into the value.';
const LONG_BODY = 'one character class between fixed delimiters, bounded above 4096 because real values are that long; matching is linear in it.';

/**
 * Built-in rules the structural check refuses, with the kind of refusal expected and why the pattern is
 * nonetheless linear (or how to change it). The checker is deliberately conservative for custom rules.
 * A rule listed here must still fail with exactly that kind, so a new problem is not hidden, and once it
 * passes its entry must go.
 */
const STRUCTURE_EXCEPTIONS: Readonly<Record<string, { kind: PatternProblemKind; why: string }>> = {
  // A 4096-bit RSA PKCS#8 body with escaped newlines is about 3,300 repetitions: {64,4096} would cover every
  // key size, and GCP issues 2048-bit keys.
  'gcp-service-account-key': { kind: 'large-bound', why: LONG_BODY },
  jwt: { kind: 'large-bound', why: LONG_BODY },
  ...Object.fromEntries(
    ['rsa', 'ec', 'dsa', 'pkcs8', 'pkcs8-encrypted', 'openssh', 'openssh-encrypted', 'pgp', 'rsa-encrypted', 'ec-encrypted', 'dsa-encrypted'].map((k) => [
      `private-key-${k}`,
      { kind: 'nested-quantifier' as const, why: PEM_LINES },
    ]),
  ),
  ...Object.fromEntries(
    ['postgres', 'mysql', 'mongodb', 'redis', 'amqp', 'sqlserver', 'ldap'].map((k) => [`${k}-connection-string`, { kind: 'backreference' as const, why: USER_BACKREF }]),
  ),
  'url-basic-auth': { kind: 'backreference', why: USER_BACKREF },
  'generic-credential': { kind: 'backreference', why: ATOMIC },
  // Each repetition of a curl/wget option starts with blanks and then `-`; an option's value never starts
  // with `-`, and blanks end every token, so the text splits into repetitions in one way only.
  'insecure-api-base-url': { kind: 'nested-quantifier', why: 'options split at blanks, and only options begin with -' },
};


describe('the config loader on a custom rule with many ways to begin', () => {
  // 64 openings in the first branch once pushed the second branch's `zzz` out of the 32 leads the checker
  // keeps, so the loader refused the keyword `zzz` although `zzzq` matches.
  it('accepts a keyword that begins a later alternative', () => {
    const pattern = '(?:a(?:b|c)(?:d|e)(?:f|g)(?:h|i)(?:j|k)(?:l|m)|zzz)q[a-z]{8}';
    expect(new RegExp(pattern).test(`zzzq${'x'.repeat(8)}`)).toBe(true);
    const yaml = `rules:\n  custom:\n    - id: many-starts\n      keywords: [zzz]\n      pattern: '${pattern}'\n`;
    expect(() => parseConfig(yaml, 'key-hygiene.yml')).not.toThrow();
  });
});

describe('built-in rule patterns pass the safe-pattern structure check', () => {
  for (const rule of BUILTIN_RULES) {
    describe(rule.id, () => {
      const flags = rule.pattern.flags.replace(/[gyd]/g, '');
      const shape = checkPatternStructure(rule.pattern.source, flags);

      const exception = STRUCTURE_EXCEPTIONS[rule.id];
      if (exception === undefined) {
        it('has no shape known to backtrack', () => {
          expect(isPatternProblem(shape) ? shape.expected : 'accepted').toBe('accepted');
        });
      } else {
        it(`is refused only as the ${exception.kind} listed as linear`, () => {
          expect(isPatternProblem(shape) ? shape.kind : 'accepted: remove its STRUCTURE_EXCEPTIONS entry').toBe(exception.kind);
        });
      }

      if (rule.lookback === undefined) {
        it('begins with each of its keywords, as the engine anchors it there', () => {
          const leads = leadingSets(parseRegex(rule.pattern.source, flags).root);
          expect(leads.length, 'the pattern starts with an optional or variable part').toBeGreaterThan(0);
          for (const kw of rule.keywords) expect(keywordFits(leads, kw), `keyword ${JSON.stringify(kw)}`).toBe(true);
        });
      } else {
        it('searches a window long enough for its longest match', () => {
          if (isPatternProblem(shape)) throw new Error(`${rule.id}: ${shape.expected}`);
          // With lookback the engine searches from `lookback` before the keyword to `maxLength` after it;
          // a window shorter than the longest match would cut keys short.
          expect((rule.lookback ?? 0) + (rule.maxLength ?? 512)).toBeGreaterThanOrEqual(shape.maxLength);
          expect(rule.lookback).toBeLessThanOrEqual(shape.maxLength);
        });
      }
    });
  }
});
