import { describe, expect, it } from 'vitest';
import { ALLOW_MARKER, Engine, secretOf } from '../../src/scan/engine.js';
import type { Rule } from '../../src/scan/types.js';

function rule(over: Partial<Rule>): Rule {
  return {
    id: 'test-rule',
    title: 'Test',
    provider: 'Test',
    severity: 'high',
    keywords: ['tok_'],
    pattern: /tok_[a-z0-9]{12}/,
    remediation: { text: 'Revoke it.', url: 'https://example.invalid/revoke' },
    samples: { secret: () => '', negatives: () => [] },
    ...over,
  };
}

describe('engine', () => {
  it('places a capture-group secret exactly, even when its text occurs earlier in the match', () => {
    const engine = new Engine([rule({ keywords: ['pw:'], pattern: /pw:(?<user>[a-z]{1,8}):(?<secret>[a-z]{2,8})@/ })]);
    const [f] = engine.scan({ path: 'a.txt', text: 'x = pw:rest:rest@host', source: 'file' });
    expect(f?.column).toBe(13);
    expect(secretOf(f!)).toBe('rest');
  });

  it('reports no secret shorter than four characters, whatever the rule', () => {
    const engine = new Engine([rule({ keywords: ['pw:'], pattern: /pw:(?<secret>[a-z0-9]{1,8})@/ })]);
    expect(engine.scan({ path: 'a.txt', text: 'pw:q7x@host', source: 'file' })).toEqual([]);
    expect(engine.scan({ path: 'a.txt', text: 'pw:q7xk@host', source: 'file' })).toHaveLength(1);
  });

  it('finds overlapping keywords, reports one finding per span, and honours the allow marker on its line only', () => {
    const engine = new Engine([rule({})]);
    const text = `a tok_q7x2m9k4p1z8\nb tok_w3r8t1y6u0i5 // ${ALLOW_MARKER}\n`;
    const found = engine.scan({ path: 'a.txt', text, source: 'file' });
    expect(found.map((f) => [f.line, f.column])).toEqual([[1, 3]]);
  });

  it('maps lines through the given new-file line numbers (diff hunks)', () => {
    const engine = new Engine([rule({})]);
    const [f] = engine.scan({ path: 'a.txt', text: 'one\ntok_q7x2m9k4p1z8', source: 'added', lineNumbers: [10, 42] });
    expect(f?.line).toBe(42);
  });

  it('never serializes the secret: JSON of a finding has only the redacted preview', () => {
    const engine = new Engine([rule({})]);
    const [f] = engine.scan({ path: 'a.txt', text: 'tok_q7x2m9k4p1z8', source: 'file' });
    expect(JSON.stringify(f)).not.toContain('q7x2m9k4p1z8');
    expect(f?.redacted).toBe('to\u2026 (16 chars)');
  });
});
