import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { encodedValues } from '../../src/scan/containers.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import type { Rule } from '../../src/scan/types.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';

const engine = new Engine(BUILTIN_RULES);
const scan = (text: string, path = 'k8s/secret.yaml') =>
  engine.scan({ path, text, source: 'file' }).map((f) => ({ ruleId: f.ruleId, title: f.title, secret: secretOf(f), line: f.line, column: f.column, notes: f.notes }));
const sample = (id: string): string => (BUILTIN_RULES.find((r) => r.id === id) as Rule).samples.secret(seededGen(testSeed() ^ id.length));
const b64 = (s: string): string => Buffer.from(s).toString('base64');

function manifest(entries: Record<string, string>, kind = 'Secret'): string {
  const data = Object.entries(entries).map(([k, v]) => `  ${k}: ${b64(v)}`);
  return ['apiVersion: v1', `kind: ${kind}`, 'metadata:', '  name: app-secrets', 'type: Opaque', 'data:', ...data, ''].join('\n');
}

describe('secrets inside base64 containers', () => {
  it("reports a key in a Kubernetes Secret's data at the encoded value, with the kind of key and where it hid", () => {
    const key = sample('github-pat');
    const text = manifest({ 'config.yaml': 'log: debug\n', GITHUB_TOKEN: key });
    const found = scan(text);
    expect(found.map((f) => f.ruleId)).toEqual(['github-pat']);
    expect(found[0]?.secret === key).toBe(true);
    const line = text.split('\n').findIndex((l) => l.includes('GITHUB_TOKEN'));
    expect(found[0]).toMatchObject({ line: line + 1, column: '  GITHUB_TOKEN: '.length + 1 });
    expect(found[0]?.title).toContain('base64-encoded in Kubernetes Secret data');
    expect(found[0]?.notes?.[0]).toContain('base64');
  });

  it("gives a context-keyed rule the entry's name", () => {
    const key = sample('wandb-api-key');
    expect(scan(manifest({ WANDB_API_KEY: key })).map((f) => f.ruleId)).toEqual(['wandb-api-key']);
    // The same bytes under a neutral name are not a W&B key.
    expect(scan(manifest({ RUN_ID: key })).filter((f) => f.ruleId === 'wandb-api-key')).toEqual([]);
  });

  it('finds the manifest by a line that starts with kind:, first line and CRLF included', () => {
    const key = sample('github-pat');
    const first = `kind: Secret\napiVersion: v1\ndata:\n  GITHUB_TOKEN: ${b64(key)}\n`;
    expect(scan(first).map((f) => f.ruleId)).toEqual(['github-pat']);
    expect(scan(manifest({ GITHUB_TOKEN: key }).replace(/\n/g, '\r\n')).map((f) => f.ruleId)).toEqual(['github-pat']);
  });

  it('reads a whole file stored in one entry', () => {
    const key = sample('slack-bot-token');
    const found = scan(manifest({ '.env': `DEBUG=false\nSLACK_BOT_TOKEN=${key}\n` }));
    expect(found.map((f) => [f.ruleId, f.secret === key])).toEqual([['slack-bot-token', true]]);
  });

  it('leaves data alone outside a Secret, and binary or empty values', () => {
    const key = sample('github-pat');
    // (The generic rule may still report the encoded text as an assigned value; nothing is decoded.)
    expect(scan(manifest({ GITHUB_TOKEN: key }, 'ConfigMap')).filter((f) => f.notes !== undefined)).toEqual([]);
    const binary = Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00]).toString('base64');
    expect(encodedValues(`kind: Secret\ndata:\n  keystore.p12: ${binary}\n`)).toEqual([]);
  });

  it('stops reading data entries where the data mapping ends', () => {
    const key = sample('github-pat');
    const text = `kind: Secret\ndata:\n  a: ${b64('plain words')}\nmetadata:\n  token: ${b64(key)}\n`;
    expect(encodedValues(text).map((v) => v.inner)).toEqual(['a=plain words']);
  });

  it('reports a base64-encoded JWT as a JWT', () => {
    const jwt = (BUILTIN_RULES.find((r) => r.id === 'jwt') as Rule).samples.secret(seededGen(testSeed()));
    const found = scan(`AUTH_BLOB=${b64(jwt)}\n`, 'settings.env');
    expect(found.map((f) => f.ruleId)).toEqual(['jwt']);
    expect(found[0]?.secret === jwt).toBe(true);
    expect(found[0]?.column).toBe('AUTH_BLOB='.length + 1);
  });

  it('finds nothing new in text with no encoded values', () => {
    expect(encodedValues('kind: Secret\nstringData:\n  password: hunter2\n')).toEqual([]);
    expect(encodedValues(`const logo = "ZXlK${'A'.repeat(10)}";`)).toEqual([]);
  });
});
