import { describe, expect, it } from 'vitest';
import { aiRules } from '../../src/rules/ai.js';
import { cloudRules } from '../../src/rules/cloud.js';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import type { Rule } from '../../src/scan/types.js';
import { seededGen } from '../helpers/sample-gen.js';

const engine = new Engine(BUILTIN_RULES);
const scan = (text: string, path = 'app.py') =>
  engine.scan({ path, text, source: 'file' }).map((f) => ({ ruleId: f.ruleId, secret: secretOf(f), line: f.line }));
const rule = (id: string): Rule => BUILTIN_RULES.find((r) => r.id === id) as Rule;
const sample = (id: string, seed: number): string => rule(id).samples.secret(seededGen(seed));

describe('the sk- family', () => {
  const ids = [
    'openai-project-key',
    'openai-service-account-key',
    'openai-admin-key',
    'openai-user-key',
    'anthropic-api-key',
    'anthropic-admin-key',
    'openrouter-api-key',
    'deepseek-api-key',
  ];

  it('reports each key once, by its own rule, even with "deepseek" next to all of them', () => {
    const keys = ids.map((id, i) => [id, sample(id, 100 + i)] as const);
    const text = `# keys for the deepseek migration\n${keys.map(([id, key]) => `${id.toUpperCase().replace(/-/g, '_')} = "${key}"`).join('\n')}\n`;
    const found = scan(text);
    expect(found.map((f) => f.ruleId)).toEqual(ids);
    found.forEach((f, i) => expect(f.secret === keys[i]?.[1], `${f.ruleId} reported the wrong value`).toBe(true));
  });

  it('leaves an OpenAI-looking key without the T3BlbkFJ marker to other rules', () => {
    const gen = seededGen(7);
    const noMarker = `sk-proj-${gen.chars('abcdefghijklmnopqrstuvwxyz0123456789', 120)}`;
    expect(scan(`OPENAI_API_KEY=${noMarker}\n`).filter((f) => f.ruleId.startsWith('openai-'))).toEqual([]);
  });

  it('still reports a project key whose random body happens to contain "xXxX" or a delimited "my"', () => {
    const key = sample('openai-project-key', 11);
    const at = 'sk-proj-'.length + 4;
    for (const filler of ['xXxX', '_my_']) {
      const odd = key.slice(0, at) + filler + key.slice(at + filler.length);
      const found = scan(`OPENAI_API_KEY=${odd}\n`);
      expect(found.map((f) => f.ruleId)).toEqual(['openai-project-key']);
      expect(found[0]?.secret === odd).toBe(true);
    }
  });
});

describe('DeepSeek keys, keyed on the provider named nearby', () => {
  const key = sample('deepseek-api-key', 21);

  it('finds a key passed to an OpenAI-compatible client pointed at DeepSeek', () => {
    const text = `from openai import OpenAI\n\nclient = OpenAI(api_key="${key}", base_url="https://api.DeepSeek.com/v1")\n`;
    const found = scan(text);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([['deepseek-api-key', 3]]);
  });

  it('does not report the same value when "deepseek" is only mentioned far away', () => {
    const text = `# deepseek settings live elsewhere\n${'#\n'.repeat(120)}API_KEY = "${key}"\n`;
    expect(scan(text).filter((f) => f.ruleId === 'deepseek-api-key')).toEqual([]);
  });
});

describe('context-keyed Mistral and Cohere keys', () => {
  const mistral = sample('mistral-api-key', 31);
  const cohere = sample('cohere-api-key', 32);

  it.each([
    ['Ruby hash rocket', `config = { :mistral_api_key => "${mistral}" }`],
    ['Go short declaration', `mistralAPIKey := "${mistral}"`],
    ['keyword argument', `client = Mistral(mistral_api_key='${mistral}')`],
    ['INI with spaces', `mistral_token   =   ${mistral}`],
  ])('finds a Mistral key assigned with %s syntax', (_label, text) => {
    const found = scan(`${text}\n`);
    expect(found.map((f) => f.ruleId)).toEqual(['mistral-api-key']);
    expect(found[0]?.secret === mistral).toBe(true);
  });

  it('finds a Cohere key under the CO_API_KEY name the SDKs read', () => {
    const found = scan(`CO_API_KEY="${cohere}"\n`, '.env');
    expect(found.map((f) => f.ruleId)).toEqual(['cohere-api-key']);
  });

  it('needs both the provider and a credential word in the name', () => {
    const texts = [`API_KEY=${mistral}`, `MISTRAL_MODEL_ID=${mistral}`, `checksum = "${cohere}"`, `cohere_dataset = "${cohere}"`];
    for (const text of texts) {
      expect(scan(`${text}\n`).filter((f) => f.ruleId === 'mistral-api-key' || f.ruleId === 'cohere-api-key'), text).toEqual([]);
    }
  });
});

describe('hostile input', () => {
  // Only this family's rules: the point is that none of them reports text that merely repeats their prefixes.
  const family = new Engine([...aiRules, ...cloudRules]);

  it('stays correct on long runs of repeated prefixes and names', () => {
    const text = [
      'sk-proj-'.repeat(20000),
      'sk-ant-api03-'.repeat(10000),
      `deepseek sk-${'a'.repeat(31)} `.repeat(5000),
      'MISTRAL_API_KEY='.repeat(10000),
      'hf_'.repeat(30000),
      'AKIA'.repeat(20000),
      `aws_secret_access_key=${'/'.repeat(39)} `.repeat(3000),
      `"private_key": "-----BEGIN PRIVATE KEY-----\\n${'MIIE'.repeat(3000)}`,
    ].join('\n');
    expect(family.scan({ path: 'hostile.txt', text, source: 'file' })).toEqual([]);
  });
});
