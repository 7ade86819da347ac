import { describe, expect, it } from 'vitest';
import { buildEngine, defaultConfig } from '../../src/config/index.js';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { seededGen } from '../helpers/sample-gen.js';

const rule = (id: string) => {
  const r = BUILTIN_RULES.find((x) => x.id === id);
  if (r === undefined) throw new Error(`no rule ${id}`);
  return r;
};

describe('the configured engine pairs halves of one credential', () => {
  it('marks an AWS key id next to its secret as one critical credential', () => {
    const gen = seededGen(7);
    const id = rule('aws-access-key-id').samples.secret(gen);
    const secretRule = rule('aws-secret-access-key');
    const secret = secretRule.samples.secret(gen);
    const text = `[default]\naws_access_key_id = ${id}\n${secretRule.samples.name ?? 'aws_secret_access_key'} = ${secret}\n`;
    const findings = buildEngine(defaultConfig()).scan({ path: '.aws/credentials', text, source: 'file' });
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['aws-access-key-id', 'aws-secret-access-key']);
    for (const f of findings) {
      expect(f.severity).toBe('critical');
      expect(f.notes?.length).toBe(1);
    }
  });

  it('leaves a lone key id at its own severity', () => {
    const id = rule('aws-access-key-id').samples.secret(seededGen(8));
    const [finding] = buildEngine(defaultConfig()).scan({ path: 'a.env', text: `AWS_ACCESS_KEY_ID=${id}\n`, source: 'file' });
    expect(finding?.severity).toBe(rule('aws-access-key-id').severity);
    expect(finding?.notes).toBeUndefined();
  });
});
