import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import type { Rule } from '../../src/scan/types.js';
import { seededGen } from '../helpers/sample-gen.js';

const engine = new Engine(BUILTIN_RULES);
const scan = (text: string) => engine.scan({ path: 'jira.py', text, source: 'file' });
const sample = (id: string, seed: number): string => (BUILTIN_RULES.find((r) => r.id === id) as Rule).samples.secret(seededGen(seed));

describe('Atlassian API tokens', () => {
  it('reports a token whose CRC32 holds', () => {
    const token = sample('atlassian-api-token', 1);
    const found = scan(`auth = ("me@example.invalid", "${token}")\n`);
    expect(found.map((f) => f.ruleId)).toEqual(['atlassian-api-token']);
    expect(secretOf(found[0]!)).toBe(token);
  });

  it('drops a token with one body character changed', () => {
    const token = sample('atlassian-api-token', 2);
    const edited = token.slice(0, 20) + (token[20] === 'a' ? 'b' : 'a') + token.slice(21);
    expect(scan(`JIRA_TOKEN=${edited}\n`).filter((f) => f.ruleId === 'atlassian-api-token')).toEqual([]);
  });
});

describe('Doppler tokens', () => {
  it('reports a service token with its config name as one secret', () => {
    const token = sample('doppler-service-token', 3);
    const found = scan(`DOPPLER_TOKEN=${token}\n`);
    expect(found.map((f) => f.ruleId)).toEqual(['doppler-service-token']);
    expect(secretOf(found[0]!)).toBe(token);
  });

  it('tells the token types apart by prefix', () => {
    const text = ['doppler-personal-token', 'doppler-cli-token', 'doppler-audit-token'].map((id, i) => `t${i}=${sample(id, 10 + i)}`).join('\n');
    expect(scan(text).map((f) => [f.ruleId, f.severity])).toEqual([
      ['doppler-personal-token', 'high'],
      ['doppler-cli-token', 'high'],
      ['doppler-audit-token', 'medium'],
    ]);
  });
});
