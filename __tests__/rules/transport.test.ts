import { describe, expect, it } from 'vitest';
import { LOWER } from '../../src/rules/alphabets.js';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { parseUnifiedDiff } from '../../src/scan/diff.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import { scanDiffFiles } from '../../src/scan/scanner.js';
import type { Rule } from '../../src/scan/types.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';

const engine = new Engine(BUILTIN_RULES);
const scan = (text: string, path = 'src/client.ts') =>
  engine
    .scan({ path, text, source: 'file' })
    .map((f) => ({ ruleId: f.ruleId, category: f.category, severity: f.severity, secret: secretOf(f), line: f.line, title: f.title }));
const rule = BUILTIN_RULES.find((r) => r.id === 'insecure-api-base-url') as Rule;
const gen = seededGen(testSeed());
// Concatenated so that this file itself does not trip the rule it tests.
const HTTP = 'http' + '://';
const user = (): string => gen.chars(LOWER, 8);

describe('insecure-api-base-url: where code or config sets a client destination', () => {
  it.each([
    ['.env', `OPENAI_BASE_URL=${HTTP}api.openai.com/v1`, 'api.openai.com'],
    ['Python keyword argument', `client = Anthropic(base_url="${HTTP}api.anthropic.com")`, 'api.anthropic.com'],
    ['JS option', `new OpenAI({ baseURL: '${HTTP}api.openai.com/v1' })`, 'api.openai.com'],
    ['JSON config', `{"apiBase": "${HTTP}api.mistral.ai/v1"}`, 'api.mistral.ai'],
    ['YAML', `STRIPE_API_BASE: ${HTTP}api.stripe.com`, 'api.stripe.com'],
    ['TOML endpoint', `endpoint = "${HTTP}api.groq.com/openai/v1"`, 'api.groq.com'],
    ['upper case', `base_url = "${HTTP.toUpperCase()}API.GROQ.COM/openai/v1"`, 'API.GROQ.COM'],
    ['Azure resource', `endpoint: ${HTTP}myres.openai.azure.com/`, 'myres.openai.azure.com'],
    ['Java setter', `builder.setEndpoint("${HTTP}api.cohere.com");`, 'api.cohere.com'],
    ['C# Uri', `options.Endpoint = new Uri("${HTTP}api.openai.com/");`, 'api.openai.com'],
    ['fetch call', `await fetch("${HTTP}generativelanguage.googleapis.com/v1beta/models")`, 'generativelanguage.googleapis.com'],
    ['requests call', `requests.get("${HTTP}api.github.com/user", headers=auth)`, 'api.github.com'],
    ['curl in a script', `curl -H "Authorization: Bearer $T" ${HTTP}hooks.slack.com/services/T0/B0/x`, 'hooks.slack.com'],
  ])('reports %s as a transport finding, not a key', (_label, text, host) => {
    const found = scan(text);
    expect(found.map((f) => [f.ruleId, f.category, f.severity])).toEqual([['insecure-api-base-url', 'transport', 'medium']]);
    expect(found[0]?.secret).toBe(host);
    expect(found[0]?.title).toMatch(/not a credential/);
    expect(rule.remediation.text).toMatch(/https:\/\//);
  });

  it('leaves https, local proxies and look-alike hosts alone', () => {
    for (const text of [
      'OPENAI_BASE_URL=https://api.openai.com/v1',
      `OPENAI_BASE_URL=${HTTP}localhost:4000/v1`,
      `base_url = "${HTTP}api.openai.com.proxy.internal/v1"`,
      `base_url = "${HTTP}api.openai.community/"`,
      `base_url = "${HTTP}my-api.openai.com-mirror.example/"`,
    ]) {
      expect(scan(text), text).toEqual([]);
    }
  });
});

describe('insecure-api-base-url: what it does not read', () => {
  const login = user();

  it('a recorded API response (URLs under data names) is not a setting, wherever it is', () => {
    const recorded = JSON.stringify(
      {
        login,
        url: `${HTTP}api.github.com/users/${login}`,
        html_url: `${HTTP}github.com/${login}`,
        repos_url: `${HTTP}api.github.com/users/${login}/repos`,
        events_url: `${HTTP}api.github.com/users/${login}/events{/privacy}`,
      },
      null,
      2,
    );
    for (const path of ['test/fixtures/user.json', 'src/data/user.json', 'recordings/github.har']) expect(scan(recorded, path), path).toEqual([]);
  });

  it('a VCR cassette records the request URI, not a client setting', () => {
    const cassette = `interactions:\n- request:\n    method: POST\n    uri: ${HTTP}api.openai.com/v1/chat/completions\n  response:\n    status: {code: 200}\n`;
    expect(scan(cassette, 'tests/cassettes/chat.yaml')).toEqual([]);
    expect(scan(cassette, 'tests/chat.yaml')).toEqual([]);
  });

  it('settings inside fixture and snapshot directories are test data', () => {
    const text = `OPENAI_BASE_URL=${HTTP}api.openai.com/v1\n`;
    expect(scan(text, 'config/.env')).toHaveLength(1);
    for (const path of ['test/fixtures/.env', 'src/__fixtures__/a.env', 'pkg/testdata/conf.env', 'src/__snapshots__/client.test.ts.snap']) {
      expect(scan(text, path), path).toEqual([]);
    }
  });

  it.each([
    ['line comment', `// Point base_url = "${HTTP}api.openai.com" at a proxy if needed.\nconst a = 1;\n`],
    ['block comment', `/* endpoint: ${HTTP}api.anthropic.com */\n`],
    ['block comment, inner line', `/*\n * The default: OPENAI_BASE_URL=${HTTP}api.openai.com/v1\n */\n`],
    ['Rust doc comment', `/// endpoint = "${HTTP}api.openai.com"\nfn f() {}\n`],
    ['shell or YAML comment', `# export OPENAI_BASE_URL=${HTTP}api.openai.com/v1\n`],
    ['trailing comment', `timeout: 30  # endpoint: ${HTTP}api.groq.com\n`],
    ['ini comment', `; endpoint=${HTTP}api.openai.com\n`],
    ['HTML comment', `<!-- baseUrl: ${HTTP}api.openai.com -->\n`],
    ['Python doctest', `>>> client = OpenAI(base_url="${HTTP}api.openai.com/v1")\n`],
  ])('a %s', (_label, text) => {
    expect(scan(text)).toEqual([]);
  });

  it('an @example block in JSDoc', () => {
    const text = [
      '/**',
      ' * Creates a client for the API.',
      ' *',
      ' * @example',
      ' * ```ts',
      ` * const client = createClient({ baseURL: '${HTTP}api.openai.com/v1' });`,
      ` * const models = await fetch('${HTTP}api.openai.com/v1/models');`,
      ' * ```',
      ' */',
      'export function createClient(options: Options): Client {',
      '  return new Client(options);',
      '}',
    ].join('\n');
    expect(scan(text, 'src/client.ts')).toEqual([]);
  });

  it('Markdown and other documentation prose, code blocks included', () => {
    const doc = [
      '# Using a proxy',
      '',
      `Set the base URL to your proxy, never to ${HTTP}api.openai.com directly:`,
      '',
      '```bash',
      `export OPENAI_BASE_URL=${HTTP}api.openai.com/v1`,
      '```',
      '',
    ].join('\n');
    for (const path of ['README.md', 'docs/proxy.mdx', 'docs/proxy.rst', 'doc/guide.adoc']) expect(scan(doc, path), path).toEqual([]);
    // The same line in a script is a setting.
    expect(scan(`export OPENAI_BASE_URL=${HTTP}api.openai.com/v1\n`, 'scripts/env.sh')).toHaveLength(1);
  });

  it('a comparison reads the setting; it does not set it', () => {
    expect(scan(`if (endpoint == "${HTTP}api.openai.com") { warn(); }`)).toEqual([]);
    expect(scan(`assert base_url != "${HTTP}api.openai.com"`)).toEqual([]);
  });
});

describe('insecure-api-base-url: once per file and host', () => {
  const text = [
    `const OPENAI = "${HTTP}api.openai.com/v1";`,
    `export const baseURL = "${HTTP}api.openai.com/v1";`,
    `const other = { endpoint: "${HTTP}API.OPENAI.COM/v1/chat" };`,
    `await fetch("${HTTP}api.openai.com/v1/models");`,
    `const anthropic = new Anthropic({ baseURL: "${HTTP}api.anthropic.com" });`,
    `const again = { baseURL: "${HTTP}api.anthropic.com" };`,
  ].join('\n');

  it('reports the first place each host is set in a file, whatever the case', () => {
    expect(scan(text).map((f) => [f.secret, f.line])).toEqual([
      ['api.openai.com', 2],
      ['api.anthropic.com', 5],
    ]);
  });

  it('each file on its own, in the lines a diff adds too', () => {
    const added = text.split('\n').map((l) => `+${l}`);
    const diff = ['a.ts', 'b.ts']
      .map((file) => [`diff --git a/${file} b/${file}`, 'new file mode 100644', '--- /dev/null', `+++ b/${file}`, `@@ -0,0 +1,${added.length} @@`, ...added].join('\n'))
      .join('\n');
    const { findings } = scanDiffFiles(engine, parseUnifiedDiff(diff));
    expect(findings.map((f) => [f.file, secretOf(f), f.line])).toEqual([
      ['a.ts', 'api.openai.com', 2],
      ['a.ts', 'api.anthropic.com', 5],
      ['b.ts', 'api.openai.com', 2],
      ['b.ts', 'api.anthropic.com', 5],
    ]);
  });
});

describe('insecure-api-base-url: how far a command line reaches', () => {
  const option = (): string => `-H "${gen.chars(LOWER, 118)}"`;
  it('finds the URL after four options of the longest kind, the bound its value-run shortcut relies on', () => {
    const options = Array.from({ length: 4 }, option).join(' ');
    expect(scan(`curl ${options} ${HTTP}api.openai.com/v1/models`, 'run.sh').map((f) => f.secret)).toEqual(['api.openai.com']);
    // A fifth option is past the rule's reach.
    expect(scan(`curl ${options} ${option()} ${HTTP}api.openai.com/v1/models`, 'run.sh')).toEqual([]);
  });
});

describe('insecure-api-base-url: hostile input', () => {
  it('stays linear on text made of its keywords', () => {
    expect(scan('base_url='.repeat(200_000))).toEqual([]);
    expect(scan('curl '.repeat(200_000))).toEqual([]);
    expect(scan(`endpoint: ${HTTP}`.repeat(100_000))).toEqual([]);
  });
});
