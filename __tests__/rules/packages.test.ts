import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { isMacaroonFor } from '../../src/rules/packages.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import type { Rule } from '../../src/scan/types.js';
import { seededGen } from '../helpers/sample-gen.js';

const engine = new Engine(BUILTIN_RULES);
const scan = (text: string) => engine.scan({ path: '.npmrc', text, source: 'file' });
const rule = (id: string): Rule => BUILTIN_RULES.find((r) => r.id === id)!;

describe('npm tokens', () => {
  it('reports a token in .npmrc as critical', () => {
    const token = rule('npm-access-token').samples.secret(seededGen(1));
    const found = scan(`//registry.npmjs.org/:_authToken=${token}\n`);
    expect(found.map((f) => [f.ruleId, f.severity])).toEqual([['npm-access-token', 'critical']]);
  });

  it('drops a token with one random character mistyped (its CRC32 no longer holds)', () => {
    const token = rule('npm-access-token').samples.secret(seededGen(2));
    const typo = token.slice(0, 8) + (token[8] === 'a' ? 'b' : 'a') + token.slice(9);
    expect(scan(`NPM_TOKEN=${typo}\n`).filter((f) => f.ruleId === 'npm-access-token')).toEqual([]);
  });
});

describe('PyPI tokens', () => {
  it('reports a TestPyPI token apart from a PyPI token, at low severity', () => {
    const test = rule('pypi-test-upload-token').samples.secret(seededGen(3));
    const prod = rule('pypi-upload-token').samples.secret(seededGen(4));
    const found = scan(`[testpypi]\npassword = ${test}\n[pypi]\npassword = ${prod}\n`);
    expect(found.map((f) => [f.ruleId, f.severity])).toEqual([
      ['pypi-test-upload-token', 'low'],
      ['pypi-upload-token', 'critical'],
    ]);
    expect(secretOf(found[1]!)).toBe(prod);
  });

  it('accepts only a complete macaroon for the expected index', () => {
    const body = rule('pypi-upload-token').samples.secret(seededGen(5)).slice('pypi-'.length);
    expect(isMacaroonFor(body, 'pypi.org')).toBe(true);
    expect(isMacaroonFor(body, 'test.pypi.org')).toBe(false);
    expect(isMacaroonFor(`${body}AAAA`, 'pypi.org')).toBe(false);
    expect(isMacaroonFor(body.slice(0, -4), 'pypi.org')).toBe(false);
  });
});
