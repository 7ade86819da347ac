import { describe, expect, it } from 'vitest';
import { buildEngine, parseConfig } from '../../src/config/load.js';
import { defaultConfig } from '../../src/config/types.js';
import { DIGITS, LOWER } from '../../src/rules/alphabets.js';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { secretOf } from '../../src/scan/engine.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';

const FILE = '.github/key-hygiene.yml';
const gen = seededGen(testSeed() ^ 0x5eed);
const ACME = ['ac', 'me', '_'].join('');
const acmeKey = () => ACME + gen.chars(LOWER + DIGITS, 32);

const pat = BUILTIN_RULES.find((r) => r.id === 'github-pat');
if (pat === undefined) throw new Error('the catalogue lost github-pat');
const patKey = () => pat.samples.secret(gen);

const ACME_RULE = `rules:
  custom:
    - id: acme-token
      title: Acme API token
      provider: Acme
      severity: medium
      keywords: [${ACME}]
      pattern: '${ACME}[a-z0-9]{32}(?![a-z0-9])'
      remediation: { text: "Revoke it in the Acme console.", url: "https://acme.invalid/keys" }
`;

function scan(config: ReturnType<typeof parseConfig>, text: string, path = 'src/settings.env') {
  return buildEngine(config)
    .scan({ path, text, source: 'file' })
    .map((f) => ({ ruleId: f.ruleId, secret: secretOf(f), fingerprint: f.fingerprint, severity: f.severity, remediation: f.remediation }));
}

describe('buildEngine', () => {
  it('runs the built-in rules with the default config', () => {
    const key = patKey();
    expect(scan(defaultConfig(), `TOKEN=${key}\n`).map((f) => [f.ruleId, f.secret === key])).toEqual([['github-pat', true]]);
  });

  it('adds custom rules, with their severity and remediation', () => {
    const key = acmeKey();
    const found = scan(parseConfig(ACME_RULE, FILE), `ACME_KEY=${key}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ ruleId: 'acme-token', severity: 'medium', remediation: { url: 'https://acme.invalid/keys' } });
    expect(found[0]?.secret === key).toBe(true);
  });

  it('finds custom keys in any letter case of the keyword only when the pattern allows it', () => {
    const body = gen.chars(LOWER + DIGITS, 32);
    const upper = `${ACME.toUpperCase()}${body}`;
    expect(scan(parseConfig(ACME_RULE, FILE), `K=${upper}\n`)).toEqual([]);
    const caseless = ACME_RULE.replace(`pattern: '`, `pattern: '(?i)`);
    expect(scan(parseConfig(caseless, FILE), `K=${upper}\n`).map((f) => f.ruleId)).toEqual(['acme-token']);
  });

  it('skips disabled built-in and custom rules', () => {
    const text = `A=${patKey()}\nB=${acmeKey()}\n`;
    const both = parseConfig(ACME_RULE, FILE);
    expect(scan(both, text).map((f) => f.ruleId)).toEqual(['github-pat', 'acme-token']);
    const disabled = parseConfig(ACME_RULE.replace('rules:\n', 'rules:\n  disable: [github-pat, acme-token]\n'), FILE);
    expect(scan(disabled, text)).toEqual([]);
  });

  it('accepts secrets matching an allowed value pattern, and only those', () => {
    const allowed = `${ACME}0000${gen.chars(LOWER + DIGITS, 28)}`;
    const other = `${ACME}1${gen.chars(LOWER + DIGITS, 31)}`;
    const config = parseConfig(`${ACME_RULE}allow:\n  values: ['^${ACME}0000']\n`, FILE);
    expect(scan(config, `A=${allowed}\nB=${other}\n`).map((f) => f.secret === other)).toEqual([true]);
  });

  it('drops findings whose fingerprints are accepted, and only those', () => {
    const accepted = patKey();
    const fresh = patKey();
    const text = `A=${accepted}\nB=${fresh}\n`;
    const before = scan(defaultConfig(), text);
    const fingerprint = before.find((f) => f.secret === accepted)?.fingerprint;
    expect(fingerprint).toMatch(/^[0-9a-f]{32}$/);
    // Fingerprints are pasted from reports, sometimes upper-cased; both spellings work.
    const config = parseConfig(`allow:\n  fingerprints: ['${fingerprint?.toUpperCase()}']\n`, FILE);
    expect(scan(config, text).map((f) => f.secret === fresh)).toEqual([true]);
    // The fingerprint binds the path too: the same key in another file is still reported.
    expect(scan(config, text, 'other/file.env')).toHaveLength(2);
  });
});
