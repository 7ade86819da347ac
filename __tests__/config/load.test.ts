import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { globMatcher, loadConfig, parseConfig } from '../../src/config/load.js';
import { rotationPolicy } from '../../src/config/rotation-policy.js';
import { DEFAULT_CONFIG, MAX_CONFIG_BYTES, defaultConfig } from '../../src/config/types.js';
import { DIGITS, LOWER } from '../../src/rules/alphabets.js';
import { assessSecret } from '../../src/rotation/policy.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';

const FILE = '.github/key-hygiene.yml';
const gen = seededGen(testSeed());
/** A fictional provider's prefix, assembled so that no literal key shape sits in this file. */
const ACME = ['ac', 'me', '_'].join('');
const acmeKey = () => ACME + gen.chars(LOWER + DIGITS, 32);

/** A custom rule block to splice into configs (YAML at list-item indentation under rules.custom). */
const ACME_RULE = `    - id: acme-token
      title: Acme API token
      provider: Acme
      severity: high
      keywords: [${ACME}]
      pattern: '${ACME}[a-z0-9]{32}(?![a-z0-9])'
`;

function errorOf(text: string): ConfigError {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected the config to be refused');
}

describe('parseConfig: refused configs', () => {
  // Each case: the YAML and the start of the one-line message: file:line: field: expected ...
  const cases: Array<{ name: string; yaml: string; message: string; got?: string }> = [
    { name: 'YAML syntax error, with its line', yaml: 'paths:\n  ignore: [a, b\nrules: {}\n', message: `${FILE}:3: expected valid YAML, got a syntax error` },
    { name: 'duplicate keys', yaml: 'version: 1\nversion: 1\n', message: `${FILE}:2: expected valid YAML, got a syntax error: Map keys must be unique` },
    { name: 'a list at the top level', yaml: '- rules\n- paths\n', message: `${FILE}:1: expected a mapping at the top level`, got: 'got a list' },
    { name: 'a scalar at the top level', yaml: 'hello\n', message: `${FILE}:1: expected a mapping at the top level`, got: 'got "hello"' },
    { name: 'unknown top-level key, listing the valid ones', yaml: 'version: 1\nrule:\n  disable: []\n', message: `${FILE}:2: expected only the keys version, paths, rules, allow, rotation, verify, got unknown key "rule" (did you mean "rules"?)` },
    { name: 'unknown nested key', yaml: 'rules:\n  custm: []\n', message: `${FILE}:2: rules: expected only the keys disable, custom, got unknown key "custm" (did you mean "custom"?)` },
    { name: 'unsupported version', yaml: 'version: 2\n', message: `${FILE}:1: version: expected 1, got 2` },
    { name: 'a string where a list is expected', yaml: 'rules:\n  disable: generic-credential\n', message: `${FILE}:2: rules.disable: expected a list, got "generic-credential"` },
    { name: 'yes is not a boolean in YAML 1.2', yaml: 'verify:\n  allow-forks: yes\n', message: `${FILE}:2: verify.allow-forks: expected true or false, got "yes"` },
    { name: 'negative age', yaml: 'rotation:\n  max-age-days: -30\n', message: `${FILE}:2: rotation.max-age-days: expected a whole number of days from 1 to 36500, got -30` },
    { name: 'non-integer age', yaml: 'rotation:\n  warn-days: 2.5\n', message: `${FILE}:2: rotation.warn-days: expected a whole number of days from 0 to 36500, got 2.5` },
    { name: 'age as a string', yaml: 'rotation:\n  scopes:\n    actions: "90"\n', message: `${FILE}:3: rotation.scopes.actions: expected a whole number of days from 1 to 36500, got "90"` },
    { name: 'unknown scope', yaml: 'rotation:\n  scopes:\n    repository: 30\n', message: `${FILE}:3: rotation.scopes: expected only the keys actions, environment, dependabot, codespaces, organization, got unknown key "repository"` },
    { name: 'exempt without a reason', yaml: 'rotation:\n  secrets:\n    LEGACY_TOKEN: { exempt: "" }\n', message: `${FILE}:3: rotation.secrets.LEGACY_TOKEN.exempt: expected a reason why the secret is exempt, got ""` },
    { name: 'exempt: true is not a reason', yaml: 'rotation:\n  secrets:\n    LEGACY_TOKEN: { exempt: true }\n', message: `${FILE}:3: rotation.secrets.LEGACY_TOKEN.exempt: expected a reason why the secret is exempt, got true` },
    { name: 'exempt and an age together', yaml: 'rotation:\n  secrets:\n    OLD: { exempt: vendor, max-age-days: 3 }\n', message: `${FILE}:3: rotation.secrets.OLD.exempt: expected either exempt or max-age-days, not both` },
    { name: 'a secret policy with neither age nor exemption', yaml: 'rotation:\n  secrets:\n    OLD: { scope: actions }\n', message: `${FILE}:3: rotation.secrets.OLD: expected a mapping with max-age-days or exempt, got neither` },
    { name: 'a secret glob with characters secret names never have', yaml: 'rotation:\n  secrets:\n    "DEPLOY-*": 30\n', message: `${FILE}:3: rotation.secrets["DEPLOY-*"]: expected a secret name glob without "-" outside brackets` },
    { name: 'a secret glob with a space', yaml: 'rotation:\n  secrets:\n    "MY TOKEN": 30\n', message: `${FILE}:3: rotation.secrets["MY TOKEN"]: expected a secret name or glob of letters, digits, underscores` },
    { name: 'unknown scope in a secret policy', yaml: 'rotation:\n  secrets:\n    "PROD_*": { max-age-days: 30, scope: prod }\n', message: `${FILE}:3: rotation.secrets["PROD_*"].scope: expected one of "actions", "environment", "dependabot", "codespaces", "organization", got "prod"` },
    { name: 'an owner without @', yaml: 'rotation:\n  owners:\n    "DEPLOY_*": platform-team\n', message: `${FILE}:3: rotation.owners["DEPLOY_*"]: expected a GitHub user or team such as "@octocat" or "@acme/platform"`, got: 'got "platform-team"' },
    { name: 'an owner glob with a space', yaml: 'rotation:\n  owners:\n    "MY TOKEN": "@acme/platform"\n', message: `${FILE}:3: rotation.owners["MY TOKEN"]: expected a secret name or glob of letters, digits, underscores` },
    { name: 'an unbalanced glob', yaml: 'paths:\n  ignore: ["src/[abc"]\n', message: `${FILE}:2: paths.ignore[0]: expected a valid glob (Missing closing: "]"`, got: 'got "src/[abc"' },
    { name: 'an empty glob', yaml: 'paths:\n  ignore: [""]\n', message: `${FILE}:2: paths.ignore[0]: expected a repository-relative glob such as "**/fixtures/**"`, got: 'got ""' },
    { name: 'an absolute glob', yaml: 'paths:\n  ignore: ["/src/fixtures/**"]\n', message: `${FILE}:2: paths.ignore[0]: expected a repository-relative glob` },
    { name: 'a negated glob', yaml: 'paths:\n  ignore: ["!src/**"]\n', message: `${FILE}:2: paths.ignore[0]: expected a repository-relative glob` },
    { name: 'a Windows path', yaml: "paths:\n  ignore: ['test\\fixtures\\*']\n", message: `${FILE}:2: paths.ignore[0]: expected a glob with forward slashes` },
    { name: 'a glob that matches nothing', yaml: 'paths:\n  ignore: ["[z-a]"]\n', message: `${FILE}:2: paths.ignore[0]: expected a glob that can match something` },
    { name: 'a bad fingerprint', yaml: 'allow:\n  fingerprints: ["abc123"]\n', message: `${FILE}:2: allow.fingerprints[0]: expected a fingerprint of 32 hexadecimal characters, got "abc123"` },
    { name: 'an invalid allow regex', yaml: "allow:\n  values: ['^test_(']\n", message: `${FILE}:2: allow.values[0]: expected a regular expression in RE2 syntax (no lookahead except one trailing (?!x), no backreferences, repeat counts up to 1000): missing closing )`, got: 'got "^test_("' },
    { name: 'an unknown rule id in disable', yaml: 'rules:\n  disable: [github-pta]\n', message: `${FILE}:2: rules.disable[0]: expected the id of a built-in or custom rule (did you mean "github-pat"?), got "github-pta"` },
    { name: 'duplicate ids in disable', yaml: 'rules:\n  disable: [github-pat, github-pat]\n', message: `${FILE}:2: rules.disable[1]: expected a value not listed before, got "github-pat"` },
    { name: 'a custom rule without a pattern', yaml: `rules:\n  custom:\n    - id: acme\n      keywords: [${ACME}]\n`, message: `${FILE}:3: rules.custom[0].pattern: expected a regular expression (required), got nothing` },
    { name: 'a custom id that is not kebab-case', yaml: `rules:\n  custom:\n    - id: Acme_Token\n      keywords: [${ACME}]\n      pattern: '${ACME}[a-z]{8}'\n`, message: `${FILE}:3: rules.custom[0].id: expected a kebab-case id such as "acme-token", got "Acme_Token"` },
    { name: 'a custom id clashing with a built-in', yaml: `rules:\n  custom:\n    - id: github-pat\n      keywords: [${ACME}]\n      pattern: '${ACME}[a-z]{8}'\n`, message: `${FILE}:3: rules.custom[0].id: expected an id that is not a built-in rule` },
    { name: 'duplicate custom ids', yaml: `rules:\n  custom:\n${ACME_RULE}${ACME_RULE}`, message: `${FILE}:9: rules.custom[1].id: expected an id not used by another custom rule (rules.custom[0] has it), got "acme-token"` },
    { name: 'a custom pattern with a backreference', yaml: `rules:\n  custom:\n    - id: a\n      keywords: [${ACME}]\n      pattern: '${ACME}([a-z])\\1{4}'\n`, message: `${FILE}:5: rules.custom[0].pattern: expected a regular expression in RE2 syntax (no lookahead except one trailing (?!x), no backreferences, repeat counts up to 1000): invalid escape sequence` },
    { name: 'a custom pattern with a huge bound', yaml: `rules:\n  custom:\n    - id: a\n      keywords: [${ACME}]\n      pattern: '${ACME}[a-z]{1,10000}'\n`, message: `${FILE}:5: rules.custom[0].pattern: expected a regular expression in RE2 syntax (no lookahead except one trailing (?!x), no backreferences, repeat counts up to 1000): invalid repeat count` },
    { name: 'a custom pattern that does not start with its keyword', yaml: `rules:\n  custom:\n    - id: a\n      keywords: [${ACME}]\n      pattern: 'token_[a-z]{8}'\n`, message: `${FILE}:4: rules.custom[0].keywords[0]: expected a prefix of what the pattern matches (the pattern cannot start with "${ACME}")` },
    { name: 'a custom pattern with text before its keyword', yaml: `rules:\n  custom:\n    - id: a\n      keywords: [${ACME}]\n      pattern: '[a-z]{2}${ACME}[a-z]{8}'\n`, message: `${FILE}:4: rules.custom[0].keywords[0]: expected a prefix of what the pattern matches` },
    { name: 'an uppercase keyword', yaml: `rules:\n  custom:\n    - id: a\n      keywords: [ACME_]\n      pattern: 'ACME_[a-z]{8}'\n`, message: `${FILE}:4: rules.custom[0].keywords[0]: expected a lowercase literal of 3 to 64 characters without spaces` },
    { name: 'no keywords', yaml: `rules:\n  custom:\n    - id: a\n      keywords: []\n      pattern: '${ACME}[a-z]{8}'\n`, message: `${FILE}:4: rules.custom[0].keywords: expected a list of at least 1 item(s), got an empty list` },
    { name: 'a secret group the pattern lacks', yaml: `rules:\n  custom:\n    - id: a\n      keywords: [${ACME}]\n      pattern: '${ACME}([a-z]{8})'\n      secret-group: 2\n`, message: `${FILE}:6: rules.custom[0].secret-group: expected a capture group of the pattern (it has 1), got 2` },
    { name: 'a secret group name the pattern lacks', yaml: `rules:\n  custom:\n    - id: a\n      keywords: [${ACME}]\n      pattern: '${ACME}(?<key>[a-z]{8})'\n      secret-group: secret\n`, message: `${FILE}:6: rules.custom[0].secret-group: expected one of the pattern's group names key, got "secret"` },
    { name: 'an unknown severity', yaml: `rules:\n  custom:\n    - id: a\n      keywords: [${ACME}]\n      pattern: '${ACME}[a-z]{8}'\n      severity: urgent\n`, message: `${FILE}:6: rules.custom[0].severity: expected one of "critical", "high", "medium", "low", got "urgent"` },
    { name: 'an http remediation link', yaml: `rules:\n  custom:\n    - id: a\n      keywords: [${ACME}]\n      pattern: '${ACME}[a-z]{8}'\n      remediation: { text: rotate, url: "http://example.com" }\n`, message: `${FILE}:6: rules.custom[0].remediation.url: expected an https:// URL, got "http://example.com"` },
    { name: 'an unknown provider id shape', yaml: 'verify:\n  providers: [OpenAI]\n', message: `${FILE}:2: verify.providers[0]: expected a lowercase provider id such as "openai", got "OpenAI"` },
    { name: 'a custom YAML tag', yaml: 'version: !int 1\n', message: `${FILE}:1: expected plain YAML without custom tags, got Unresolved tag: !int` },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const error = errorOf(c.yaml);
      expect(error.message).toContain(c.message);
      expect(error.message.startsWith(c.message)).toBe(true);
      if (c.got !== undefined) expect(error.message).toContain(c.got);
      expect(error.message).not.toMatch(/[\r\n]/);
    });
  }

  it('exposes file, line, field and expectation for annotations', () => {
    const error = errorOf('rotation:\n  max-age-days: 0\n');
    expect(error).toMatchObject({ file: FILE, line: 2, field: 'rotation.max-age-days', expected: 'a whole number of days from 1 to 36500', got: '0' });
  });

  it('refuses a positive sample the custom rule does not report, without echoing the sample', () => {
    const sample = `${ACME}${gen.chars(LOWER, 20)}`; // too short for the pattern
    const error = errorOf(`rules:\n  custom:\n${ACME_RULE}      samples:\n        positive: ["${sample}"]\n`);
    expect(error.message).toContain(`${FILE}:10: rules.custom[0].samples.positive[0]: expected a text in which the rule reports a secret, got no finding`);
    expect(error.message).not.toContain(sample);
  });

  it('refuses a negative sample the custom rule reports, showing only a redacted preview', () => {
    const key = acmeKey();
    const error = errorOf(`rules:\n  custom:\n${ACME_RULE}      samples:\n        negative: ["token = ${key}"]\n`);
    expect(error.message).toContain(`${FILE}:10: rules.custom[0].samples.negative[0]: expected a text in which the rule reports nothing, got a finding "`);
    expect(error.message).not.toContain(key);
    expect(error.message).not.toContain(key.slice(ACME.length));
  });

  it('refuses alias bombs', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const error = errorOf(levels.join('\n'));
    expect(error.message).toContain(`${FILE}: expected YAML whose anchors and aliases expand at most 50 times`);
  });

  it('refuses oversized text before parsing it', () => {
    const error = errorOf(`# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    expect(error.message).toContain(`${FILE}: expected a config file of at most ${MAX_CONFIG_BYTES} bytes`);
  });

  it('escapes control and bidi characters from user text so they cannot break or disguise the line', () => {
    const error = errorOf('rules:\n  disable: ["x\\n::error::y\\u202e"]\n');
    expect(error.message).toContain(String.raw`got "x\n::error::y\u202e"`);
    expect(error.message).not.toMatch(/[\n\u202e]/);
  });

  it('puts the line of an unknown key on the key, not on its parent', () => {
    expect(errorOf('verify:\n  providers: []\n  allow-fork: true\n').line).toBe(3);
  });
});

describe('parseConfig: accepted configs', () => {
  it('reads the full example from the documentation', () => {
    const config = parseConfig(
      `version: 1
paths:
  ignore: ["**/fixtures/**"]
  use-defaults: true
rules:
  disable: [github-pat, acme-token]
  custom:
${ACME_RULE}      secret-group: 0
      min-entropy: 3.0
      remediation: { text: "Revoke it in the Acme console.", url: "https://acme.invalid/keys" }
      samples:
        negative: ["${ACME}short"]
allow:
  values: ['^test_', '(?i)example$']
  fingerprints: ['0123456789ABCDEF0123456789abcdef']
rotation:
  max-age-days: 90
  warn-days: 7
  scopes: { actions: 90, environment: 60, dependabot: 180, codespaces: 90, organization: 90 }
  secrets:
    "DEPLOY_*": 30
    LEGACY_TOKEN: { exempt: "vendor cannot rotate it" }
    "PROD_*": { max-age-days: 30, scope: environment }
  codespaces: true
  provider-keys:
    max-age-days: 180
    openai: 90
    projects: { "prod-*": 30, wrkspc_legacy: 365 }
    unused-days: 45
    spike-factor: 2.5
verify:
  providers: [openai, github]
  allow-forks: false
`,
      FILE,
    );
    expect(config.file).toBe(FILE);
    expect(config.paths).toEqual({ ignore: ['**/fixtures/**'], useDefaults: true });
    expect(config.rules.disable).toEqual(['github-pat', 'acme-token']);
    expect(config.rules.custom).toHaveLength(1);
    expect(config.rules.custom[0]).toMatchObject({
      id: 'acme-token',
      title: 'Acme API token',
      provider: 'Acme',
      severity: 'high',
      keywords: [ACME],
      secretGroup: 0,
      minEntropy: 3,
      remediation: { text: 'Revoke it in the Acme console.', url: 'https://acme.invalid/keys' },
    });
    expect(config.allow.values.map(String)).toEqual(['/^test_/', '/example$/i']);
    expect(config.allow.fingerprints).toEqual(['0123456789abcdef0123456789abcdef']);
    expect(config.rotation).toEqual({
      maxAgeDays: 90,
      warnDays: 7,
      scopes: { actions: 90, environment: 60, dependabot: 180, codespaces: 90, organization: 90 },
      secrets: [
        { name: 'DEPLOY_*', maxAgeDays: 30 },
        { name: 'LEGACY_TOKEN', exempt: 'vendor cannot rotate it' },
        { name: 'PROD_*', maxAgeDays: 30, scope: 'environment' },
      ],
      codespaces: true,
      owners: [],
      providerKeys: {
        maxAgeDays: 180,
        providers: { openai: 90 },
        projects: [
          { pattern: 'prod-*', maxAgeDays: 30 },
          { pattern: 'wrkspc_legacy', maxAgeDays: 365 },
        ],
        unusedDays: 45,
        spikeFactor: 2.5,
      },
    });
    expect(config.verify).toEqual({ providers: ['openai', 'github'], allowForks: false });
  });

  it.each([
    ['an empty file', ''],
    ['only comments', '# nothing configured yet\n'],
    ['empty sections', 'paths:\nrules:\nallow:\nrotation:\nverify:\n'],
    ['a document marker', '---\n'],
  ])('gives the defaults for %s', (_, text) => {
    expect(parseConfig(text, FILE)).toEqual({ ...defaultConfig(), file: FILE });
  });

  it('reads rotation.owners as globs with one owner or a list, in file order', () => {
    const config = parseConfig('rotation:\n  owners:\n    "*": "@acme/security"\n    "STRIPE_*": ["@alice", "@acme/payments"]\n', FILE);
    expect(config.rotation.owners).toEqual([
      { pattern: '*', owners: ['@acme/security'] },
      { pattern: 'STRIPE_*', owners: ['@alice', '@acme/payments'] },
    ]);
  });

  it('fills defaults for what a partial file leaves out', () => {
    const config = parseConfig('rotation:\n  max-age-days: 30\n', FILE);
    expect(config.rotation).toEqual({ maxAgeDays: 30, warnDays: 14, scopes: {}, secrets: [], codespaces: false, owners: [], providerKeys: DEFAULT_CONFIG.rotation.providerKeys });
    expect(config.paths).toEqual(DEFAULT_CONFIG.paths);
    expect(config.verify).toEqual(DEFAULT_CONFIG.verify);
  });

  it('reads a leading (?i) as the i flag', () => {
    const config = parseConfig(`rules:\n  custom:\n    - id: acme\n      keywords: [${ACME}]\n      pattern: '(?i)${ACME}[a-z0-9]{32}'\n`, FILE);
    expect(config.rules.custom[0]?.pattern.flags).toBe('i');
    expect(config.rules.custom[0]?.pattern.source).toBe(`${ACME}[a-z0-9]{32}`);
  });

  it('accepts keywords that are a prefix of an alternation branch and patterns led by a lookbehind', () => {
    const other = ['ze', 'ta_'].join('');
    const config = parseConfig(
      `rules:\n  custom:\n    - id: acme\n      keywords: [${ACME}, ${other}]\n      pattern: '(?<![a-z0-9])(?:${ACME}|${other})[a-z0-9]{32}'\n`,
      FILE,
    );
    expect(config.rules.custom[0]?.keywords).toEqual([ACME, other]);
  });

  it('accepts a custom rule whose samples behave and keeps them for the catalogue', () => {
    const key = acmeKey();
    const config = parseConfig(`rules:\n  custom:\n${ACME_RULE}      samples:\n        positive: ["ACME_KEY=${key}"]\n        negative: ["${ACME}<your key>"]\n`, FILE);
    const samples = config.rules.custom[0]?.samples;
    expect(samples?.positives?.(gen)).toEqual([{ text: `ACME_KEY=${key}`, secret: key }]);
    expect(samples?.secret(gen)).toBe(key);
    expect(samples?.negatives(gen)).toEqual([`${ACME}<your key>`]);
  });

  it('may disable a custom rule by its id', () => {
    expect(parseConfig(`rules:\n  disable: [acme-token]\n  custom:\n${ACME_RULE}`, FILE).rules.disable).toEqual(['acme-token']);
  });
});

describe('globMatcher', () => {
  it('matches repository-relative paths with the options the loader validated', () => {
    const match = globMatcher(['**/fixtures/**', '*.pem', '.env.*']);
    expect(match('test/fixtures/a.json')).toBe(true);
    expect(match('deep/dir/server.pem')).toBe(true);
    expect(match('.github/fixtures/x.yml')).toBe(true);
    expect(match('config/.env.local')).toBe(true);
    expect(match('src/index.ts')).toBe(false);
    expect(globMatcher([])('anything')).toBe(false);
  });
});

describe('rotationPolicy', () => {
  const config = parseConfig(
    `rotation:
  max-age-days: 90
  scopes: { environment: 60 }
  secrets:
    "deploy_*": 30
    LEGACY_TOKEN: { exempt: "vendor cannot rotate it" }
    "PROD_*": { max-age-days: 20, scope: environment }
`,
    FILE,
  );
  const now = new Date('2025-06-01T12:00:00Z');
  const assess = (name: string, scope: 'actions' | 'environment', inputDays = 180) =>
    assessSecret({ name, scope, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-05-01T00:00:00Z' }, rotationPolicy(config.rotation, inputDays), now);

  it('applies the first matching secret entry, case-insensitively', () => {
    expect(assess('DEPLOY_KEY', 'actions').maxAgeDays).toBe(30);
  });
  it('honours an exemption and its reason', () => {
    expect(assess('LEGACY_TOKEN', 'actions')).toMatchObject({ status: 'exempt', reason: 'vendor cannot rotate it' });
  });
  it('limits a scoped entry to its scope, then falls back to the scope age and the config age', () => {
    expect(assess('PROD_DB', 'environment').maxAgeDays).toBe(20);
    expect(assess('OTHER', 'environment').maxAgeDays).toBe(60);
    expect(assess('PROD_DB', 'actions').maxAgeDays).toBe(90);
  });
  it("uses the action input only when the config sets no max-age-days", () => {
    expect(rotationPolicy(parseConfig('', FILE).rotation, 45).maxAgeDays).toBe(45);
    expect(rotationPolicy(config.rotation, 45).maxAgeDays).toBe(90);
  });
});

describe('loadConfig', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kh-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the defaults when the default file is missing', async () => {
    expect(await loadConfig(join(dir, 'missing.yml'), { explicit: false })).toEqual(defaultConfig());
  });

  it('refuses a missing file that was named explicitly', async () => {
    const path = join(dir, 'named.yml');
    await expect(loadConfig(path, { explicit: true })).rejects.toThrow(`${path}: expected an existing file (the config path was given explicitly), got no such file`);
  });

  it('reads and parses an existing file, naming it in errors', async () => {
    const path = join(dir, 'key-hygiene.yml');
    await writeFile(path, 'rotation:\n  warn-days: 3\n');
    expect((await loadConfig(path, { explicit: false })).rotation.warnDays).toBe(3);
    await writeFile(path, 'rotation:\n  warn-days: soon\n');
    await expect(loadConfig(path, { explicit: false })).rejects.toThrow(`${path}:2: rotation.warn-days: expected a whole number of days`);
  });

  it('refuses a directory where the file should be', async () => {
    const path = join(dir, 'a-directory.yml');
    await mkdir(path);
    await expect(loadConfig(path, { explicit: false })).rejects.toThrow(`${path}: expected a regular file, got a directory`);
  });

  it('refuses an oversized file without reading it', async () => {
    const path = join(dir, 'huge.yml');
    await writeFile(path, `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    await expect(loadConfig(path, { explicit: false })).rejects.toThrow(`${path}: expected a config file of at most ${MAX_CONFIG_BYTES} bytes`);
  });

  // Root reads any file whatever its mode, so this case only means something for other users.
  it.skipIf(process.getuid?.() === 0)('refuses an unreadable file', async () => {
    const path = join(dir, 'locked.yml');
    await writeFile(path, 'version: 1\n');
    await chmod(path, 0o000);
    await expect(loadConfig(path, { explicit: false })).rejects.toThrow(`${path}: expected a readable file, got EACCES`);
  });
});
