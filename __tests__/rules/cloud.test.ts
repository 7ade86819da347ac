import { describe, expect, it } from 'vitest';
import { CLOUD_PAIRS, cloudRules } from '../../src/rules/cloud.js';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import { pairFindings } from '../../src/scan/pairing.js';
import type { Finding, Rule } from '../../src/scan/types.js';
import { seededGen } from '../helpers/sample-gen.js';

const engine = new Engine(BUILTIN_RULES);
const scan = (text: string, path = 'config/app.env', commit?: string): Finding[] =>
  engine.scan({ path, text, source: commit === undefined ? 'file' : 'added', ...(commit === undefined ? {} : { commit }) });
const rule = (id: string): Rule => BUILTIN_RULES.find((r) => r.id === id) as Rule;
const sample = (id: string, seed: number): string => rule(id).samples.secret(seededGen(seed));

describe('AWS key id and secret pairing', () => {
  const id = sample('aws-access-key-id', 1);
  const secret = sample('aws-secret-access-key', 2);
  const note = CLOUD_PAIRS[0]?.note;

  it('marks both halves of a credentials file as one critical credential', () => {
    const text = `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\nregion = eu-west-1\n`;
    const found = pairFindings(scan(text, '.aws/credentials'), CLOUD_PAIRS);
    expect(found.map((f) => [f.ruleId, f.severity, f.notes])).toEqual([
      ['aws-access-key-id', 'critical', [note]],
      ['aws-secret-access-key', 'critical', [note]],
    ]);
  });

  it('leaves halves that are far apart, or in different files, unpaired', () => {
    const apart = scan(`AWS_ACCESS_KEY_ID=${id}\n${'\n'.repeat(10)}AWS_SECRET_ACCESS_KEY=${secret}\n`);
    const split = [...scan(`AWS_ACCESS_KEY_ID=${id}\n`, 'a.env'), ...scan(`AWS_SECRET_ACCESS_KEY=${secret}\n`, 'b.env')];
    for (const found of [apart, split]) {
      pairFindings(found, CLOUD_PAIRS);
      expect(found.map((f) => [f.ruleId, f.severity, f.notes])).toEqual([
        ['aws-access-key-id', 'high', undefined],
        ['aws-secret-access-key', 'high', undefined],
      ]);
    }
  });

  it('does not pair halves added by different commits, even at the same lines of one file', () => {
    const found = [...scan(`AWS_ACCESS_KEY_ID=${id}\n`, 'app.env', 'c1'), ...scan(`AWS_SECRET_ACCESS_KEY=${secret}\n`, 'app.env', 'c2')];
    pairFindings(found, CLOUD_PAIRS);
    expect(found.every((f) => f.notes === undefined)).toBe(true);
  });

  it('adds the note once however often it runs or however many partners a half has, and keeps the raw values reachable', () => {
    const other = sample('aws-secret-access-key', 3);
    const found = scan(`AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\naws_secret_key_old=${other}\n`);
    pairFindings(pairFindings(found, CLOUD_PAIRS), CLOUD_PAIRS);
    expect(found.map((f) => f.notes?.length)).toEqual([1, 1, 1]);
    expect(secretOf(found[0] as Finding) === id).toBe(true);
  });

  it('never lowers a severity', () => {
    const found = scan(`AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\n`);
    pairFindings(found, [{ a: 'aws-access-key-id', b: 'aws-secret-access-key', maxLines: 2, note: 'n', severity: 'low' }]);
    expect(found.map((f) => [f.severity, f.notes])).toEqual([
      ['high', ['n']],
      ['high', ['n']],
    ]);
  });
});

describe('GCP service-account key files', () => {
  const gcp = rule('gcp-service-account-key');
  const [file] = gcp.samples.positives?.(seededGen(4)) ?? [];

  it('makes one finding per leaked file even when a PEM rule sees the key inside it', () => {
    // A stand-in for the private-key rule: it reports the PEM block alone, newlines escaped as in JSON.
    const pem: Rule = {
      id: 'stand-in-pem',
      title: 'PEM private key',
      provider: 'Generic',
      severity: 'critical',
      keywords: ['-----begin'],
      pattern: /-----BEGIN PRIVATE KEY-----(?:\\n|[A-Za-z0-9+/=]){64,8192}-----END PRIVATE KEY-----/,
      skipPlaceholderCheck: true,
      remediation: { text: 'Rotate.', url: 'https://example.invalid' },
      samples: { secret: () => '', negatives: () => [] },
    };
    expect(file).toBeDefined();
    const withPem = new Engine([...cloudRules, pem]).scan({ path: 'sa.json', text: file?.text ?? '', source: 'file' });
    expect(withPem.map((f) => [f.ruleId, f.line])).toEqual([['gcp-service-account-key', 5]]);
    expect(secretOf(withPem[0] as Finding) === file?.secret).toBe(true);
  });
});

describe('Azure AI services keys', () => {
  it('finds a current (84-character) key under any name, and a 32-hex key only under an Azure or OpenAI name', () => {
    const annotated = sample('azure-ai-services-key', 5);
    const hex = sample('azure-ai-services-legacy-key', 6);
    const text = `settings = {"endpoint_secret": "${annotated}", "digest": "${hex}"}\nAZURE_OPENAI_KEY: ${hex}\n`;
    expect(scan(text, 'settings.yml').map((f) => [f.ruleId, f.line])).toEqual([
      ['azure-ai-services-key', 1],
      ['azure-ai-services-legacy-key', 2],
    ]);
  });
});

describe('Google API keys', () => {
  it('names Gemini in the title, since AI Studio keys share the AIza format', () => {
    const found = scan(`genai.configure(api_key="${sample('google-api-key', 7)}")\n`, 'main.py');
    expect(found.map((f) => f.ruleId)).toEqual(['google-api-key']);
    expect(found[0]?.title).toMatch(/Gemini/);
  });
});
