import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { validGitlabToken } from '../../src/rules/scm.js';
import { crc32Of, encodeBase } from '../../src/scan/checksum.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import { seededGen } from '../helpers/sample-gen.js';

const engine = new Engine(BUILTIN_RULES);
const scan = (text: string) => engine.scan({ path: '.gitlab-ci.yml', text, source: 'added' });
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Builds a routable token the way GitLab's RoutableToken generator does. */
function routable(prefix: string, seed: number): string {
  const gen = seededGen(seed);
  const routing = 'o:1\nu:2s';
  const payload = Buffer.concat([Buffer.from(gen.bytes(16)), Buffer.from(routing), Buffer.from([routing.length])]).toString('base64url');
  const head = `${prefix}${payload}.01.${encodeBase(payload.length, BASE36, 2)}`;
  return head + encodeBase(crc32Of(head), BASE36, 7);
}

describe('GitLab rules', () => {
  it('reports a routable personal access token as critical', () => {
    const token = routable('glpat-', 1);
    const found = scan(`variables:\n  GL_TOKEN: ${token}\n`);
    expect(found.map((f) => [f.ruleId, f.severity])).toEqual([['gitlab-pat', 'critical']]);
    expect(secretOf(found[0]!)).toBe(token);
    expect(found[0]!.redacted).not.toContain(token.slice(10, 30));
  });

  it('drops a routable token whose payload was edited after issue', () => {
    const token = routable('glpat-', 2);
    const edited = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
    expect(scan(`GL_TOKEN=${edited}\n`)).toEqual([]);
  });

  it('covers the prefix with the checksum, so a relabelled token is dropped', () => {
    const token = routable('glpat-', 3);
    expect(scan(`TOKEN=${token.replace('glpat-', 'gldt-')}\n`)).toEqual([]);
  });

  it('recognises routable runner tokens with their partition marker', () => {
    const token = routable('glrt-t3_', 4);
    expect(scan(`gitlab-runner run --token ${token}\n`).map((f) => f.ruleId)).toEqual(['gitlab-runner-token']);
  });

  it('rejects a routable token whose length field exceeds its payload', () => {
    const token = routable('glpat-', 5);
    const dot = token.indexOf('.');
    const head = `${token.slice(0, dot)}.01.zz`;
    expect(validGitlabToken(head + encodeBase(crc32Of(head), BASE36, 7))).toBe(false);
    expect(validGitlabToken(token)).toBe(true);
  });
});
