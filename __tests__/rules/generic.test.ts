import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { ALNUM, BASE64, BASE64URL, HEX } from '../../src/rules/alphabets.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import type { Rule } from '../../src/scan/types.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';

const engine = new Engine(BUILTIN_RULES);
const scan = (text: string, path = 'src/app.py') =>
  engine
    .scan({ path, text, source: 'file' })
    .map((f) => ({ ruleId: f.ruleId, secret: secretOf(f), line: f.line, column: f.column, severity: f.severity, title: f.title }));
const rule = (id: string): Rule => BUILTIN_RULES.find((r) => r.id === id) as Rule;
const gen = seededGen(testSeed());
const value = (): string => gen.chars(ALNUM, 32);

describe('generic credential assignment', () => {
  // Each text at a path where that syntax lives: bare values are literals only outside source code.
  const syntaxes: Array<[string, (v: string) => string, string?]> = [
    ['Python', (v) => `api_key = "${v}"`],
    ['JSON', (v) => `{"client_secret": "${v}"}`],
    ['YAML', (v) => `database:\n  password: ${v}`, 'deploy/values.yaml'],
    ['YAML quoted', (v) => `auth_token: '${v}'`, 'deploy/app.yml'],
    ['CLI flag', (v) => `psql --host db --password=${v} app`, 'scripts/backup.sh'],
    ['.env', (v) => `PASSWORD=${v}`, '.env'],
    ['.env export', (v) => `export ACCESS_TOKEN=${v}`, '.env.local'],
    ['XML appSettings', (v) => `<add key="API_TOKEN" value="${v}"/>`, 'app.config'],
    ['XML element', (v) => `<password>${v}</password>`, 'settings.xml'],
    ['Java properties', (v) => `api.token=${v}`, 'application.properties'],
    ['notebook (escaped quotes)', (v) => `{"source": ["client = Client(api_key=\\"${v}\\")\\n"]}`],
    ['Go', (v) => `const apiToken = "${v}"`],
    ['Go :=', (v) => `secret := "${v}"`],
    ['PHP array', (v) => `'passwd' => '${v}',`],
    ['Kotlin typed', (v) => `val clientSecret: String = "${v}"`],
    ['Python typed', (v) => `PRIVATE_KEY: str = "${v}"`],
    ['TOML', (v) => `[auth]\ncredentials = "${v}"`, 'config.toml'],
    ['query string', (v) => `https://db.example/app?user=app&pwd=${v}&ssl=1`, 'docs/connect.md'],
    ['Terraform', (v) => `  access_key = "${v}"`, 'infra/main.tf'],
    ['shell in Markdown', (v) => '```sh\nexport API_KEY=' + v + '\n```', 'README.md'],
    ['Ruby', (v) => `TOKEN = '${v}'.freeze`],
    ['camelCase JS', (v) => `const config = { authKey: \`${v}\` };`],
    ['Makefile ::=', (v) => `API_TOKEN ::= ${v}`, 'Makefile'],
    ['Makefile :::= quoted', (v) => `API_TOKEN :::= "${v}"`, 'build/rules.mk'],
    ['PHP .=', (v) => `$apiToken .= "${v}";`, 'src/config.php'],
    ['Java system property', (v) => `System.setProperty("SERVICE_TOKEN", "${v}");`, 'src/main/java/App.java'],
    ['Go call arguments', (v) => `token := utils.GetEnvOrDefault("api_token", "${v}")`, 'cmd/env.go'],
    ['escaped call arguments', (v) => `{"source": ["os.environ.setdefault(\\"API_KEY\\", \\"${v}\\")\\n"]}`, 'notebooks/run.ipynb'],
    ['XML element across lines', (v) => `<settings>\n  <password>\n    ${v}\n  </password>\n</settings>`, 'conf/settings.xml'],
    ['XML attributes across lines', (v) => `<add key="ApiToken"\n     value="${v}" />`, 'Web.config'],
  ];

  it.each(syntaxes)('reports the value alone in %s', (_label, wrap, path) => {
    const v = value();
    const text = wrap(v);
    const found = scan(text, path);
    expect(found.map((f) => f.ruleId), text).toEqual(['generic-credential']);
    expect(found[0]?.secret === v).toBe(true);
    const lineIdx = text.split('\n').findIndex((l) => l.includes(v));
    expect(found[0]?.line).toBe(lineIdx + 1);
  });

  it('reports a value after the longest name, closing, blanks and typed operator the pattern allows', () => {
    // Each part at its longest: a 24-character name suffix, an escaped closing quote and bracket (an
    // attribute on the next line: the quote alone), four blanks, a typed operator, sixteen blanks, a quote.
    const v = value();
    for (const op of ['string    =', 'value    =', ':    string    =', `\r\n${'\t'.repeat(16)}value    =`]) {
      const close = op.startsWith('\r') ? '\\"' : '\\"]';
      const text = `credentials${'x'.repeat(24)}${close}    ${op}${' '.repeat(16)}"${v}"\n`;
      expect(scan(text).map((f) => [f.ruleId, f.secret]), op).toEqual([['generic-credential', v]]);
    }
  });

  it('reports hex keys written with 0x, and values with letters beyond hex', () => {
    const key = `0x${gen.chars(HEX, 64)}`;
    const mixed = `${gen.chars(HEX, 10)}qz${gen.chars(HEX, 20)}`;
    expect(scan(`private_key = "${key}"\nsecret = "${mixed}"`).map((f) => f.secret === key || f.secret === mixed)).toEqual([true, true]);
  });

  it('reports a password with symbols, and base64 with its padding', () => {
    const symbols = `${gen.chars(ALNUM, 10)}!@#%^*${gen.chars(ALNUM, 8)}`;
    const padded = `${gen.chars(ALNUM, 42)}==`;
    expect(scan(`DB_PASSWORD=${symbols}`, '.env').map((f) => f.secret === symbols)).toEqual([true]);
    expect(scan(`secret: ${padded}`, 'config.yml').map((f) => f.secret === padded)).toEqual([true]);
  });

  const nonSecrets: Array<[string, string]> = [
    ['Actions expression', 'api_key: ${{ secrets.OPENAI_API_KEY }}'],
    ['shell expansion', 'PASSWORD=${DB_PASSWORD}'],
    ['shell variable', 'PASSWORD=$DB_PASSWORD_FROM_VAULT'],
    ['Helm template', 'password: "{{ .Values.postgresql.auth.password }}"'],
    ['Jinja', "secret_key = '{{ secret_key_from_vault }}'"],
    ['Spring placeholder', 'spring.datasource.password=${DB_PASSWORD:changeme}'],
    ['process.env', 'const token = process.env.GITHUB_TOKEN;'],
    ['os.environ', 'api_key = os.environ["OPENAI_API_KEY"]'],
    ['os.getenv', 'api_key = os.getenv("OPENAI_API_KEY", "")'],
    ['function call', 'password = getPasswordFromVault()'],
    ['member access', 'token = request.headers.authorizationToken'],
    ['settings constant', 'client_secret = settings.OAUTH_CLIENT_SECRET'],
    ['CloudFormation tag', 'MasterUserPassword: !Ref DatabasePasswordParameter'],
    ['boolean', 'require_password: true'],
    ['number', 'token_expiry_seconds = 86400000'],
    ['file path', 'private_key = "/etc/ssl/private/server-key.pem"'],
    ['secret mount', 'password_file: /run/secrets/postgres_password'],
    ['URL', `token_endpoint = "https://auth.example.com/oauth2/${gen.chars(ALNUM, 16)}/token"`],
    ['git SHA', `secret = "${gen.chars(HEX, 40)}"`],
    ['UUID', `api_key: ${gen.chars(HEX, 8)}-${gen.chars(HEX, 4)}-4${gen.chars(HEX, 3)}-a${gen.chars(HEX, 3)}-${gen.chars(HEX, 12)}`],
    ['integrity hash', `"secret-integrity": "sha512-${gen.chars(ALNUM, 86)}=="`],
    ['short value', 'password = "hunter2"'],
    ['placeholder words', 'api_key = "your-api-key-here"'],
    ['angle placeholder', 'token: <YOUR_TOKEN>'],
    ['x mask', 'secret = "xxxxxxxxxxxxxxxxxxxxxxxx"'],
    ['star mask', 'password = "****************"'],
    ['counting', 'api_key = "1234567890abcdef"'],
    ['name of a constant', 'client = Client(api_key=OPENAI_API_KEY)'],
    ['describes a token, does not hold one', 'tokenizer_name = "bert-base-multilingual-cased"'],
    ['comparison', 'if password == "correct-horse-battery-staple-42":'],
    ['working directory', 'PWD=/home/runner/work/repo/repo'],
    ['chain of names', `token=api_key=api_key=api_key=${gen.chars(ALNUM, 4)}`],
    ['sops / vault reference', 'db_password: vault:secret/data/prod/db#password'],
    ['AWS ARN', 'secret_arn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf'],
    ['prose', '"password_hint": "Use at least twelve characters"'],
    ['quoted with spaces', 'secret = "not a real secret value"'],
    ['HTML input', '<input type="password" name="password" autocomplete="current-password">'],
    ['type annotation', 'export function sign(request: SignRequest, credentials: SigV4Credentials, scope: Scope) {'],
    ['SigV4 credential scope', 'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host'],
    ['negated member', 'const hasToken = !!node.exclamationToken;'],
    ['optional chaining', 'const password = result.groups?.password;'],
    ['generated type alias', 'type ClosingBraceToken = ClosingBraceToken$1;'],
    ['long type name', 'export type SecretStoreOptions = SecretStoreOptionsFromConfigFilePath;'],
    ['Hungarian-style constant', '  credentials: kEnumerableProperty,'],
    ['counting placeholder', 'const apiToken = "abc123xyz456";'],
    ['hex with one letter changed', `api_key = "${gen.chars(HEX, 20)}r${gen.chars(HEX, 11)}"`],
    ['hex with a letter appended', `meraki_token = ${gen.chars(HEX, 64)}R21`],
    ['translated message', '"Unexpected_token_1012": "\u4e88\u671f\u3057\u306a\u3044\u30c8\u30fc\u30af\u30f3\u3067\u3059\u3002"'],
    ['XML-like placeholder in a URL', 'MONGO_URI=mongodb+srv://<username>:<password>@cluster0.example.mongodb.net/'],
  ];

  it.each(nonSecrets)('reports nothing for %s', (_label, text) => {
    expect(scan(text)).toEqual([]);
  });

  // The operators of Makefiles, PHP, calls and XML across lines, where what follows them is code, a
  // reference or a label rather than a literal.
  const nonSecretsAt: Array<[string, string, string]> = [
    ['Makefile shell call', 'API_TOKEN ::= $(shell cat .secrets/api-token)', 'Makefile'],
    ['Makefile reference', 'API_TOKEN :::= $(DEPLOY_API_TOKEN)', 'Makefile'],
    ['PHP concatenation of a variable', '$apiToken .= $tokenSuffix;', 'src/config.php'],
    ['PHP concatenation of a call', '$apiToken .= bin2hex(random_bytes(16));', 'src/config.php'],
    ['system property from the environment', 'System.setProperty("API_TOKEN", System.getenv("API_TOKEN"));', 'src/main/java/App.java'],
    ['system property from a variable', 'System.setProperty("API_TOKEN", apiToken);', 'src/main/java/App.java'],
    ['call with an empty default', 'token := utils.GetEnvOrDefault("api_token", "")', 'cmd/env.go'],
    ['call with a label', 'flag.String("api_token", "the API token to use")', 'cmd/flags.go'],
    ['name not a whole literal', `log.Printf("token %s", "${value()}")`, 'cmd/log.go'],
    ['pagination argument', `params.put("nextPageToken", "${value()}");`, 'src/main/java/Pager.java'],
    ['list of names', `{"names":["withCredentials","${value()}","secretKey","${value()}"]}`, 'dist/index.js.map'],
    ['second item of an array', `const keys = ["api_token", "${value()}"];`, 'src/keys.js'],
    ['XML element holding a reference', '<password>\n    ${env.DB_PASSWORD}\n</password>', 'pom.xml'],
    ['XML element holding elements', `<secret>\n  <value>\n    ${value()}`, 'conf/settings.xml'],
    ['XML element not closed after its line', `<token>\n  ${value()}\n  <expires>3600</expires>`, 'conf/settings.xml'],
    ['XML attribute holding a reference', '<add key="ApiToken"\n     value="%API_TOKEN%" />', 'Web.config'],
    ['comparison across lines', `if (tokens >\n    limit) {`, 'src/app.ts'],
  ];

  it.each(nonSecretsAt)('reports nothing for %s', (_label, text, path) => {
    expect(scan(text, path)).toEqual([]);
  });

  it('yields to a specific rule on the same value', () => {
    const token = rule('github-pat').samples.secret(gen);
    expect(scan(`GITHUB_TOKEN=${token}`).map((f) => f.ruleId)).toEqual(['github-pat']);
  });

  it('does not report a provider-format token that its own rule dropped (bad checksum)', () => {
    const token = rule('github-pat').samples.secret(gen);
    const edited = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(scan(`GITHUB_TOKEN=${edited}`)).toEqual([]);
  });

  it('leaves a value ending in a marker a specific rule owns to that rule (New Relic -NRMA, one character short)', () => {
    const short = `${gen.chars(HEX, 41)}-NRMA`;
    expect(scan(`mobile_app_token = "${short}"`)).toEqual([]);
    expect(scan(`mobile_app_token = "${gen.chars(HEX, 42)}-NRMA"`).map((f) => f.ruleId)).toEqual(['new-relic-mobile-token']);
  });

  it('leaves values under jira and confluence token names to the Atlassian rules: one that fits no Atlassian format is not reported', () => {
    expect(scan(`jira_token: ${gen.chars(BASE64, 40)}`, 'deploy/values.yaml')).toEqual([]);
    const legacy = gen.chars(ALNUM, 24);
    expect(scan(`JIRA_API_TOKEN=${legacy}`, '.env').map((f) => f.ruleId)).toEqual(['atlassian-legacy-api-token']);
    // A password is chosen by a person, in any shape: the generic rule still judges it.
    expect(scan(`JIRA_PASSWORD=${gen.chars(ALNUM, 32)}`, '.env').map((f) => f.ruleId)).toEqual(['generic-credential']);
  });

  it('still reports a random value that happens to spell a placeholder word inside', () => {
    const v = `${gen.chars(ALNUM, 12)}your${gen.chars(ALNUM, 12)}`;
    const w = `${gen.chars(ALNUM, 14)}-key-${gen.chars(ALNUM, 14)}`;
    expect(scan(`api_key = "${v}"\nsecret = "${w}"`).map((f) => f.secret === v || f.secret === w)).toEqual([true, true]);
  });

  it('stays linear on repeated names and values', () => {
    expect(scan('api_key='.repeat(20_000))).toEqual([]);
    expect(scan('MISTRAL_API_KEY='.repeat(10_000))).toEqual([]);
    expect(scan('password: '.repeat(20_000))).toEqual([]);
    expect(scan('"token": "'.repeat(20_000))).toEqual([]);
    expect(scan('secret'.repeat(50_000))).toEqual([]);
    expect(scan('"token", '.repeat(20_000))).toEqual([]);
    expect(scan('<token>\n'.repeat(20_000))).toEqual([]);
    expect(scan('token ::= '.repeat(20_000))).toEqual([]);
    expect(scan('"token"\n value='.repeat(20_000))).toEqual([]);
    // A value far longer than any credential: the bounded value fails once, not once per shorter length.
    expect(scan(`token=${gen.chars(ALNUM, 2_000_000)}`)).toEqual([]);
  });
});

describe('JSON Web Tokens', () => {
  const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const jwt = (header: object, payload: object, sigLength = 43): string => `${enc(header)}.${enc(payload)}.${gen.chars(BASE64URL, sigLength)}`;

  it('reports a signed token wherever it sits, and ahead of the generic rule', () => {
    const token = jwt({ alg: 'RS256', typ: 'JWT', kid: gen.chars(HEX, 8) }, { sub: 'svc-deploy', exp: 1_900_000_000 }, 342);
    for (const text of [`Authorization: Bearer ${token}`, `ACCESS_TOKEN=${token}`, `{"id_token":"${token}"}`]) {
      const found = scan(text);
      expect(found.map((f) => f.ruleId), text).toEqual(['jwt']);
      expect(found[0]?.secret === token).toBe(true);
    }
  });

  it('reports nothing for a header without alg, an unsigned token, bad base64 or a Supabase anon key', () => {
    const payload = { sub: gen.chars(ALNUM, 10) };
    const texts = [
      jwt({ typ: 'JWT' }, payload),
      jwt({ alg: 'none' }, payload),
      `eyJ${gen.chars(ALNUM, 30)}.eyJ${gen.chars(ALNUM, 40)}.${gen.chars(BASE64URL, 43)}`,
      `${enc({ alg: 'HS256' })}.${enc(payload)}`,
      jwt({ alg: 'HS256', typ: 'JWT' }, { iss: 'supabase', role: 'anon', ref: gen.chars(ALNUM, 20) }),
    ];
    for (const text of texts) expect(scan(`token: ${text}`), text).toEqual([]);
  });

  it('stays linear on a run of token openings', () => {
    expect(scan('eyJ'.repeat(200_000))).toEqual([]);
    expect(scan(`eyJ${'a'.repeat(20)}.`.repeat(20_000))).toEqual([]);
  });
});
