import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { ALNUM, BASE64, HEX } from '../../src/rules/alphabets.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import { isPlaceholder } from '../../src/scan/placeholder.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';
import { SYNTAXES } from '../helpers/syntaxes.js';

/*
 * The whole catalogue over text that is full of key-shaped things and holds no key: documentation
 * placeholders, templates, lockfiles, hashes, ids and embedded images. Every finding here is a false
 * positive a user would have to dismiss.
 */

const engine = new Engine(BUILTIN_RULES);
const seed = testSeed();
const gen = seededGen(seed);

function findings(path: string, text: string): string[] {
  return engine.scan({ path, text, source: 'file' }).map((f) => `${f.ruleId} at ${f.line}:${f.column} (${f.redacted})`);
}

const uuid = (): string => `${gen.chars(HEX, 8)}-${gen.chars(HEX, 4)}-4${gen.chars(HEX, 3)}-${gen.pick(['8', '9', 'a', 'b'])}${gen.chars(HEX, 3)}-${gen.chars(HEX, 12)}`;
const sha1 = (): string => gen.chars(HEX, 40);
const sri = (): string => `sha512-${gen.chars(BASE64, 86)}==`;

/** Names under which keys get pasted, so that context-keyed rules are exercised too. */
const NAMES = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'STRIPE_SECRET_KEY', 'SLACK_BOT_TOKEN', 'API_KEY', 'DB_PASSWORD', 'CLIENT_SECRET', 'HF_TOKEN', 'MISTRAL_API_KEY'];

/** What documentation and templates put where a key goes. */
const PLACEHOLDERS = [
  'sk-...',
  'sk-proj-...',
  'sk-ant-...',
  'your-api-key-here',
  'YOUR_API_KEY',
  'yourApiKeyHere',
  'replace-with-your-own-key',
  'changeme',
  'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'sk-' + 'x'.repeat(48),
  'sk-proj-' + 'X'.repeat(40),
  'ghp_' + 'x'.repeat(36),
  'xoxb-' + 'x'.repeat(12) + '-' + 'x'.repeat(24),
  'AKIA' + 'X'.repeat(16),
  'hf_' + 'x'.repeat(34),
  '<API_KEY>',
  '<your-token>',
  '${{ secrets.API_KEY }}',
  '${API_KEY}',
  '{{ .Values.apiKey }}',
  'process.env.API_KEY',
  'os.environ["API_KEY"]',
  '********************************',
  'sk-' + 'a'.repeat(48),
  '0'.repeat(40),
  '1234567890abcdef1234567890abcdef',
];

describe(`precision: the full catalogue reports nothing on non-secrets (seed ${seed})`, () => {
  it('ignores placeholders and templates in every file syntax', () => {
    const noisy: string[] = [];
    for (const value of PLACEHOLDERS) {
      for (const name of NAMES) {
        for (const syntax of SYNTAXES) {
          const found = findings(syntax.path, syntax.wrap(name, value));
          if (found.length > 0) noisy.push(`${syntax.label} ${name}=${value}: ${found.join(', ')}`);
        }
      }
    }
    expect(noisy).toEqual([]);
  });

  it("ignores AWS's documented example keys", () => {
    // Concatenated so that this file does not hold them whole.
    const keyId = 'AKIAIOSFODNN7' + 'EXAMPLE';
    const signingValue = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY';
    const texts = [
      `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${signingValue}\nregion = us-east-1\n`,
      `export AWS_ACCESS_KEY_ID=${keyId}\nexport AWS_SECRET_ACCESS_KEY=${signingValue}\n`,
      `{"AccessKeyId": "${keyId}", "SecretAccessKey": "${signingValue}"}\n`,
    ];
    for (const text of texts) expect(findings('docs/aws.md', text)).toEqual([]);
  });

  it('ignores values of one repeated character', () => {
    for (const ch of ['a', 'A', 'x', '0', '1', 'z', '*']) {
      for (const name of NAMES) {
        const text = `${name}=${ch.repeat(40)}\n${name.toLowerCase()}: "${ch.repeat(64)}"\n`;
        expect(findings('.env.example', text), text).toEqual([]);
      }
    }
  });

  it('ignores a package-lock.json, including packages whose names contain credential words', () => {
    const names = ['js-tokens', '@octokit/auth-token', 'secretlint', '@secretlint/core', 'password-prompt', 'keygrip', 'csrf-tokens', 'tokenizer', 'jwt-decode', 'api-key-validator', 'left-pad', '@types/node'];
    const entries = names.map(
      (n, i) =>
        `    "node_modules/${n}": {\n      "version": "${i + 1}.${i % 4}.0",\n      "resolved": "https://registry.npmjs.org/${n}/-/${n.split('/').pop() ?? n}-${i + 1}.${i % 4}.0.tgz",\n      "integrity": "${sri()}",\n      "dev": true\n    }`,
    );
    const lock = `{\n  "name": "app",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {\n${entries.join(',\n')}\n  }\n}\n`;
    expect(findings('package-lock.json', lock)).toEqual([]);
    // lockfileVersion 1 wrote SHA-1 integrity in hex and base64.
    const v1 = `{\n  "dependencies": {\n    "js-tokens": {\n      "version": "4.0.0",\n      "integrity": "sha1-${gen.chars(BASE64, 27)}=",\n      "resolved": "https://registry.npmjs.org/js-tokens/-/js-tokens-4.0.0.tgz#${sha1()}"\n    }\n  }\n}\n`;
    expect(findings('package-lock.json', v1)).toEqual([]);
  });

  it('ignores yarn.lock (classic and berry) and pnpm-lock.yaml', () => {
    const yarnClassic = ['js-tokens', '@octokit/auth-token', 'secret-handshake']
      .map((n) => `"${n}@^1.0.0":\n  version "1.0.4"\n  resolved "https://registry.yarnpkg.com/${n}/-/${n.split('/').pop() ?? n}-1.0.4.tgz#${sha1()}"\n  integrity ${sri()}\n`)
      .join('\n');
    const yarnBerry = `"js-tokens@npm:^4.0.0":\n  version: 4.0.0\n  resolution: "js-tokens@npm:4.0.0"\n  checksum: 10c0/${gen.chars(HEX, 128)}\n  languageName: node\n  linkType: hard\n`;
    const pnpm = `lockfileVersion: '9.0'\npackages:\n  '@octokit/auth-token@5.1.1':\n    resolution: {integrity: ${sri()}}\n    engines: {node: '>= 18'}\n  js-tokens@4.0.0:\n    resolution: {integrity: ${sri()}}\n`;
    expect(findings('yarn.lock', `# yarn lockfile v1\n\n${yarnClassic}`)).toEqual([]);
    expect(findings('yarn.lock', yarnBerry)).toEqual([]);
    expect(findings('pnpm-lock.yaml', pnpm)).toEqual([]);
  });

  it('ignores go.sum and other checksum files', () => {
    const goSum = Array.from({ length: 20 }, (_, i) => `github.com/org/mod${i} v1.${i}.0 h1:${gen.chars(BASE64, 43)}=\ngithub.com/org/mod${i} v1.${i}.0/go.mod h1:${gen.chars(BASE64, 43)}=`).join('\n');
    expect(findings('go.sum', goSum)).toEqual([]);
    expect(findings('SHA256SUMS', `${gen.chars(HEX, 64)}  key-hygiene-linux-x64.tar.gz\n`)).toEqual([]);
  });

  it('ignores git SHAs and UUIDs, including under credential-like names', () => {
    const texts = [
      `- uses: actions/checkout@${sha1()} # v4\n- uses: actions/setup-node@${sha1()}\n`,
      `repos:\n  - repo: https://github.com/gitleaks/gitleaks\n    rev: ${sha1()}\n`,
      `{"commit": "${sha1()}", "tree": "${sha1()}", "parents": ["${sha1()}"]}`,
      `secret = "${sha1()}"\ntoken: ${sha1()}\n`,
      `{"id": "${uuid()}", "request_id": "${uuid()}", "token": "${uuid()}"}`,
      `api_key_id: ${uuid()}\nsecret_id = "${uuid()}"\n`,
    ];
    for (const text of texts) expect(findings('config/data.yml', text), text).toEqual([]);
  });

  it('ignores base64 image data', () => {
    const image = (bytes: number): string => gen.chars(BASE64, Math.ceil(bytes / 3) * 4);
    const texts: Array<[string, string]> = [
      ['src/logo.css', `.logo { background: url("data:image/png;base64,${image(4096)}"); }\n`],
      ['README.md', `![chart](data:image/jpeg;base64,${image(6000)})\n`],
      ['icons.json', `{"favicon": "data:image/x-icon;base64,${image(3000)}=="}\n`],
      // Notebook outputs wrap image data at 76 characters with escaped newlines.
      ['analysis.ipynb', `{"outputs": [{"data": {"image/png": "${(image(5000).match(/.{1,76}/g) ?? []).join('\\n')}\\n"}}]}\n`],
    ];
    for (const [path, text] of texts) expect(findings(path, text), path).toEqual([]);
  });

  it('ignores everyday code and configuration around credentials', () => {
    const texts: Array<[string, string]> = [
      ['README.md', 'Set `OPENAI_API_KEY=sk-...` and `ANTHROPIC_API_KEY=sk-ant-...` in `.env`, then run `npm start`.\n'],
      ['.env.example', 'STRIPE_SECRET_KEY=sk_test_your_key_here\nDATABASE_URL=postgres://user:password@localhost:5432/app\nREDIS_URL=redis://localhost:6379\n'],
      ['docker-compose.yml', 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n      POSTGRES_USER: app\n'],
      ['.github/workflows/ci.yml', 'env:\n  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\nsteps:\n  - run: npm publish --token "$NPM_TOKEN"\n'],
      ['k8s/deploy.yaml', 'env:\n  - name: API_KEY\n    valueFrom:\n      secretKeyRef:\n        name: api-credentials\n        key: api-key\n'],
      ['infra/main.tf', 'resource "aws_db_instance" "db" {\n  password = var.db_password\n  username = "app"\n}\n'],
      ['src/auth.ts', 'interface Login { password: string; token?: string }\nconst token = await getAccessToken(client);\nif (!apiKey) throw new Error("OPENAI_API_KEY is not set");\n'],
      ['app/auth.py', 'def authenticate(self, password: str) -> bool:\n    token = os.environ.get("API_TOKEN")\n    return check_password(password, self.password_hash)\n'],
      ['locales/en.json', '{"password": "Password", "forgot_password": "Forgot your password?", "token_expired": "Your session token has expired."}\n'],
      ['config/settings.py', 'SECRET_KEY = env("DJANGO_SECRET_KEY")\nPASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]\n'],
    ];
    for (const [path, text] of texts) expect(findings(path, text), path).toEqual([]);
  });

  it('still reports a credential inside a lockfile URL', () => {
    const password = gen.chars(ALNUM, 24);
    const lock = `{\n  "packages": {\n    "node_modules/internal-lib": {\n      "version": "2.0.0",\n      "resolved": "https://deploy:${password}@npm.corp-tools.io/internal-lib/-/internal-lib-2.0.0.tgz",\n      "integrity": "${sri()}"\n    }\n  }\n}\n`;
    const found = engine.scan({ path: 'package-lock.json', text: lock, source: 'file' });
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([['url-basic-auth', 5]]);
    expect(secretOf(found[0] as (typeof found)[number]) === password).toBe(true);
  });
});

describe('isPlaceholder', () => {
  it.each([
    'your-api-key-here',
    'YOUR_OPENAI_API_KEY',
    'yourApiKeyHere',
    'sk-...',
    'sk-xxxxxxxxxxxxxxxx',
    'AKIAXXXXXXXXXXXXXXXX',
    '<API_KEY>',
    'changeme',
    '${{ secrets.X }}',
    '${VAR}',
    'process.env.X',
    "os.environ['X']",
    'aaaaaaaaaaaaaaaa',
    '0123456789abcdef',
    'xxxx-xxxx-xxxx',
  ])('recognises %s', (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it('keeps random bodies that happen to contain a placeholder word, delimited or not', () => {
    const g = seededGen(seed ^ 0x5eed);
    const bodies = [
      `${g.chars(ALNUM, 14)}your${g.chars(ALNUM, 14)}`,
      `${g.chars(ALNUM, 20)}-my-${g.chars(ALNUM, 20)}`,
      `${g.chars(ALNUM, 20)}_key_${g.chars(ALNUM, 20)}`,
      `${g.chars(ALNUM, 12)}xxxx${g.chars(ALNUM, 12)}`,
      `sk-proj-${g.chars(ALNUM, 30)}-Your-${g.chars(ALNUM, 30)}`,
    ];
    for (const body of bodies) expect(isPlaceholder(body), body).toBe(false);
  });

  it("drops the body of AWS's documented example secret keys split from their EXAMPLEKEY, and keeps a random one of that shape", () => {
    // What this repository's own tests once held: the documented key split in two, its body alone in a string.
    const bodies = [['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCY'].join('/'), ['je7MtGbClwBF', '2Zp9Utk', 'h3yCo8nvb'].join('/')];
    const g = seededGen(seed ^ 0xa5d0c);
    const random = `${g.chars(ALNUM, 13)}/${g.chars(ALNUM, 7)}/${g.chars(ALNUM, 8)}`;
    const found = (value: string): string[] => engine.scan({ path: 'test/sign.test.ts', text: `const secret = '${value}';\n`, source: 'file' }).map((f) => f.ruleId);
    for (const body of bodies) expect(found(body), body).toEqual([]);
    expect(found(random)).toEqual(['generic-credential']);
  });

  it('drops values that AWS documentation marks with EXAMPLE anywhere, not only at the end', () => {
    const g = seededGen(seed ^ 0xe8a);
    expect(isPlaceholder(`EXAMPLE1-${g.chars(HEX, 4)}-cdef-${g.chars(HEX, 4)}-${g.chars(ALNUM, 12)}`)).toBe(true);
    expect(isPlaceholder(`${g.chars(ALNUM, 14)}EXAMPLE${g.chars(ALNUM, 14)}`)).toBe(true);
  });

  it('keeps thousands of random base62 and base64url bodies', () => {
    const g = seededGen(seed ^ 0xb0d1e5);
    const flagged: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const body = g.chars(g.pick([ALNUM, `${ALNUM}-_`]), g.int(20, 120));
      if (isPlaceholder(body)) flagged.push(body);
    }
    expect(flagged).toEqual([]);
  });
});
