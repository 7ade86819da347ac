import { describe, expect, it } from 'vitest';
import {
  type PatternProblemKind,
  checkPatternStructure,
  isPatternProblem,
} from '../../src/config/safe-pattern.js';

function kindOf(source: string, flags = '', options = {}): PatternProblemKind | 'ok' {
  const result = checkPatternStructure(source, flags, options);
  return isPatternProblem(result) ? result.kind : 'ok';
}

describe('checkPatternStructure', () => {
  it.each<[string, PatternProblemKind | 'ok']>([
    ['(a+)+$', 'nested-quantifier'],
    ['(\\w+\\s?)+', 'nested-quantifier'],
    ['(x+x+)+y', 'nested-quantifier'],
    ['(.*a){1,20}', 'nested-quantifier'],
    ['(?:[a-z]{1,10}\\.){1,4}', 'nested-quantifier'],
    ['(?:a?){2,8}', 'nested-quantifier'],
    ['(a|a)*', 'ambiguous-alternation'],
    ['(?:a|ab){1,10}', 'ambiguous-alternation'],
    ['(?:a|){1,5}', 'ambiguous-alternation'],
    ['(?:[a-f]|\\d|[0-9a-z]){1,32}', 'ambiguous-alternation'],
    ['(?:A|a){1,8}', 'ok'],
    ['a{1,}b', 'unbounded-quantifier'],
    ['tok_[a-z]*', 'unbounded-quantifier'],
    ['tok_[a-z]+?', 'unbounded-quantifier'],
    ['x{1,5000}', 'large-bound'],
    ['x{5000}', 'large-bound'],
    ['(a)\\1', 'backreference'],
    ['(?<q>["\'])[a-z]{8}\\k<q>', 'backreference'],
    ['tok_\\z', 'unsupported'],
    ['\\p{L}{4}', 'unsupported'],
    ['tok_(', 'syntax'],
  ])('refuses or accepts %s (%s)', (source, expected) => {
    expect(kindOf(source)).toBe(expected);
  });

  it('folds case under the i flag, so repeated branches that differ only in case clash', () => {
    expect(kindOf('(?:A|a){1,8}', 'i')).toBe('ambiguous-alternation');
  });

  it.each([
    '(?<![A-Za-z0-9_])ghp_[A-Za-z0-9]{36}(?![A-Za-z0-9_])',
    '(?:[a-f0-9]{4}-){3}[a-f0-9]{4}',
    '(?:ab|cd){1,8}',
    'key[\\w-.]{1,8}',
    'tok_[a-z]{1,64}_[a-z]{1,64}',
    'x\\{1\\}y',
    'x{a}',
    '(?:-[A-Za-z0-9]{4}){0,3}',
    '[\\s\\S]{1,4096}',
    'AKIA[0-9A-Z]{16}',
  ])('accepts the bounded, unambiguous pattern %s', (source) => {
    expect(kindOf(source)).toBe('ok');
  });

  it('explains how to bound an unbounded quantifier, quoting the offending part', () => {
    const result = checkPatternStructure('tok_[a-z]+', '');
    expect(isPatternProblem(result) && result.expected).toBe(
      'a regular expression without unbounded quantifiers (write a bound such as {1,64} instead of "+" in "[a-z]+": the engine tries the pattern at every keyword and needs each attempt to stop)',
    );
  });

  it('lets allow-list patterns use unbounded quantifiers, but never exponential shapes', () => {
    expect(kindOf('^test_.*$', '', { allowUnbounded: true })).toBe('ok');
    expect(kindOf('(a+)+$', '', { allowUnbounded: true })).toBe('nested-quantifier');
  });

  it('reports the longest possible match of an accepted pattern', () => {
    const result = checkPatternStructure('(?<![a-z])tok_(?:[a-f0-9]{4}-){3}[a-z]{1,20}', '');
    expect(isPatternProblem(result) ? result.kind : result.maxLength).toBe(4 + 15 + 20);
  });
});

// Built-in rules are held to the same structural bar in __tests__/property/rule-patterns.test.ts, with each
// justified exception listed there.
