import type { Rule, SampleGen } from '../scan/types.js';
import { DIGITS, LOWER } from './alphabets.js';

/*
 * Transport findings: no credential, but code or config that points a keyed API client at plain
 * `http://`, so the key in every request header would cross the network in clear text. They are
 * counted apart from leaked keys everywhere (category `transport`) and do not fail the run under the
 * default `fail-on: leaks`.
 *
 * What counts is a place that *sets* where requests go: a base-URL or endpoint name assigned a URL
 * (`OPENAI_BASE_URL=`, `base_url="…"`, `baseURL: '…'`, `endpoint = "…"`, `setEndpoint("…")`), or an
 * HTTP call made on the spot (`fetch('…')`, `requests.post("…")`, `curl … http://…`), which sends the
 * key as surely as a base URL does. A URL under any other name is data, not a client's destination:
 * recorded API responses are full of them (`"url": "http://api.github.com/users/…"`, `"html_url"`).
 * Comment lines (`//`, `/*`, `*` JSDoc and `@example` lines, `#`, `;`, `<!--`, `>>>` doctests) and
 * documentation, fixture and recording files are not read: there the URL is an example, and a red pull
 * request for a doc example or a recorded fixture is a false alarm.
 */

const LOWER_ALNUM = `${LOWER}${DIGITS}`;

/**
 * API hosts that authenticate every request with a key in a header. Over `http://` that header
 * crosses the network in clear text, whatever the server does with the request afterwards.
 */
const KEYED_API_HOSTS = [
  'api.openai.com',
  'api.anthropic.com',
  'generativelanguage.googleapis.com',
  'aiplatform.googleapis.com',
  'api.mistral.ai',
  'api.groq.com',
  'openrouter.ai',
  'api.cohere.ai',
  'api.cohere.com',
  'api.deepseek.com',
  'api.x.ai',
  'api.together.xyz',
  'api.fireworks.ai',
  'api.perplexity.ai',
  'api.replicate.com',
  'api.elevenlabs.io',
  'api-inference.huggingface.co',
  'router.huggingface.co',
  'api.stripe.com',
  'api.github.com',
  'hooks.slack.com',
  'slack.com',
  'api.sendgrid.com',
  'api.twilio.com',
  'api.mailgun.net',
  'api.cloudflare.com',
  'api.digitalocean.com',
  'api.heroku.com',
  'api.linear.app',
  'api.notion.com',
  'api.airtable.com',
  'gitlab.com',
];

const escapeHost = (h: string): string => h.replace(/[.-]/g, '\\$&');

/** Azure OpenAI resources live under per-resource subdomains. */
const HOST_PATTERN = [...KEYED_API_HOSTS.map(escapeHost), String.raw`[a-z0-9-]{1,63}\.openai\.azure\.com`].join('|');

const SEPARATORS = ['', '_', '-', '.'];
const join = (heads: readonly string[], tails: readonly string[]): string[] => heads.flatMap((h) => SEPARATORS.flatMap((s) => tails.map((t) => `${h}${s}${t}`)));

/** Names that say where a client sends its requests. Each is also a keyword, so a match starts at one. */
const NAME_KEYWORDS = [
  ...join(['base'], ['url', 'uri', 'path']),
  ...join(['api'], ['base', 'url', 'uri', 'host']),
  ...join(['server', 'webhook'], ['url', 'uri']),
  'endpoint',
];
const NAME = String.raw`(?:base[_.-]?(?:ur[li]|path)|api[_.-]?(?:base|ur[li]|host)|(?:server|webhook)[_.-]?ur[li]|endpoint)`;

/** HTTP calls that send their request where the literal URL says. */
const CALL_KEYWORDS = ['fetch', 'axios', 'requests.', 'httpx.', 'urlopen', 'curl', 'wget'];

/**
 * Up to four command-line options before the URL, each perhaps with one argument (`-s`,
 * `-H "Authorization: Bearer $KEY"`). Options start with `-` and arguments do not, so the tokens split
 * one way only; the bound keeps every match within `MAX_REACH` of its keyword.
 */
const CLI_OPTIONS = String.raw`(?:[ \t]{1,8}-{1,2}[\w-]{1,30}(?:[ \t]{1,8}(?:"[^"\n]{0,120}"|'[^'\n]{0,120}'|[^\s"'-]\S{0,60}))?){0,4}`;

/**
 * How far past its keyword a match can reach the `//` of its URL. The longest form is `curl` with four
 * options of at most 170 characters each, then up to 9 characters of blanks and quote and `http:`: 694.
 */
const MAX_REACH = 700;

/**
 * A name, perhaps longer (`endpointUrl`, `BASE_URL_V1`) and closing a quoted key (`"baseURL":`), then an
 * assignment (`=`, `:`, `:=`, `=>`), a call (`setEndpoint(`), an argument after the name (`getenv("…_BASE_URL",`)
 * or an XML element's end (`<BaseUrl>`), and the URL, perhaps wrapped once (`new Uri("…")`). `==` is a
 * comparison, not a setting.
 */
const ASSIGNED = String.raw`${NAME}[\w.-]{0,30}["'\x60\]]?[ \t]{0,8}(?::=|=>|[:=(,>])(?!=)[ \t]{0,8}(?:(?:new[ \t]{1,8})?[A-Za-z_][\w.]{0,40}\([ \t]{0,8})?["'\x60]?`;
const CALLED = String.raw`(?<![\w-])(?:(?:fetch|urlopen|axios(?:\.[a-z]{3,7})?|(?:requests|httpx)\.[a-z]{3,7})[ \t]{0,8}\([ \t]{0,8}["'\x60]|(?:curl|wget)${CLI_OPTIONS}[ \t]{1,8}["']?)`;

/**
 * Comment lines and trailing comments. Checked from the match's end (a lookbehind placed last runs only
 * on a match, and matches are rare), over the line's last 400 characters before it.
 */
const NOT_IN_COMMENT = String.raw`(?<!(?:^[ \t]*(?:\*|;|<!--|>>>|\.\.\.)|(?:^|[ \t])(?:\/\/|\/\*|#))[^\n]{0,400})`;

/** Documentation prose, test fixtures and recorded traffic: URLs there are examples and data, not settings. */
const NOT_SETTINGS = /(?:\.(?:md|mdx|markdown|rst|adoc|asciidoc|snap|har)$)|(?:^|\/)(?:__fixtures__|fixtures?|cassettes|__snapshots__|recordings|testdata)\//i;

const insecureApiBaseUrl: Rule = {
  id: 'insecure-api-base-url',
  title: 'Keyed API reached over plain http:// (not a credential: the key would travel unencrypted)',
  provider: 'Transport',
  // Nothing leaked yet: the fix is one letter, and a key already sent this way is rotated like any other.
  severity: 'medium',
  category: 'transport',
  oncePerFile: true,
  ignorePaths: NOT_SETTINGS,
  keywords: [...NAME_KEYWORDS, ...CALL_KEYWORDS],
  // Every match has the URL's `://` within reach: text made of these names (`base_url=base_url=`) is
  // passed over at memchr speed instead of trying the pattern at each one.
  valueRun: { chars: '://', min: 1, within: MAX_REACH, literal: true },
  // The host must end there: `http://api.openai.com.evil.example` is some other host.
  pattern: new RegExp(
    String.raw`(?:${ASSIGNED}|${CALLED})http://(?<secret>${HOST_PATTERN})(?![A-Za-z0-9-]|\.[A-Za-z0-9])${NOT_IN_COMMENT}`,
    'im',
  ),
  // The "secret" is a host name; the placeholder filter is for key bodies.
  skipPlaceholderCheck: true,
  remediation: {
    text: 'Use https:// for this API: over http:// the key in the request header can be read by anyone on the path. Rotate the key if requests were already sent.',
    url: 'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html',
  },
  samples: {
    secret: (gen) => gen.pick(KEYED_API_HOSTS),
    wrap: false,
    positives: (gen) => {
      const templates = [
        (h: string) => `OPENAI_BASE_URL=http://${h}/v1\n`,
        (h: string) => `export ANTHROPIC_BASE_URL="http://${h}"\n`,
        (h: string) => `client = OpenAI(base_url="http://${h}/v1", api_key=os.environ["OPENAI_API_KEY"])\n`,
        (h: string) => `const client = new OpenAI({ baseURL: 'http://${h}/v1', apiKey });\n`,
        (h: string) => `{\n  "baseUrl": "http://${h}"\n}\n`,
        (h: string) => `openai.api_base = "http://${h}/v1"\n`,
        (h: string) => `endpoint = "http://${h}"\n`,
        (h: string) => `llm:\n  endpoint: http://${h}/v1\n`,
        (h: string) => `cfg.Endpoint = new Uri("http://${h}/");\n`,
        (h: string) => `builder.setEndpoint("http://${h}");\n`,
        (h: string) => `base := os.Getenv("API_BASE_URL", "http://${h}")\n`,
        (h: string) => `<BaseUrl>http://${h}/v1</BaseUrl>\n`,
        (h: string) => `SLACK_WEBHOOK_URL=http://${h}/services/T0/B0/x\n`,
        (h: string) => `const res = await fetch('http://${h}/v1/messages', { headers });\n`,
        (h: string) => `r = requests.post("http://${h}/v1/chat/completions", headers=headers)\n`,
        (h: string) => `curl -s -H "Authorization: Bearer $KEY" http://${h}/v1/models\n`,
        (h: string) => `const url = "x"; // set below\nconst base_url = "http://${h}";\n`,
      ];
      const out = templates.map((t) => {
        const host = gen.pick(KEYED_API_HOSTS);
        return { text: t(host), secret: host };
      });
      const azure = `${gen.chars(LOWER_ALNUM, 10)}.openai.azure.com`;
      out.push({ text: `AZURE_OPENAI_ENDPOINT=http://${azure}/\n`, secret: azure });
      return out;
    },
    negatives: (gen: SampleGen) => {
      const host = gen.pick(KEYED_API_HOSTS);
      const user = gen.chars(LOWER_ALNUM, 8);
      return [
        `OPENAI_BASE_URL=https://${host}/v1\n`,
        `OPENAI_BASE_URL=http://localhost:11434/v1\n`,
        `proxy: http://${host}.internal.example:8080\n`,
        `base_url = "http://${host}-mirror.example/v1"\n`,
        // A recorded API response: URLs under data names, not a client's destination.
        `{\n  "login": "${user}",\n  "url": "http://${host}/users/${user}",\n  "html_url": "http://${host}/${user}",\n  "repos_url": "http://${host}/users/${user}/repos"\n}\n`,
        // A bare URL is no setting.
        `See http://${host}/v1 for details.\n`,
        // Doc comments, in each comment syntax.
        `// Defaults to base_url = "http://${host}"\nconst a = 1;\n`,
        `/* endpoint: http://${host} */\n`,
        `# OPENAI_BASE_URL=http://${host}/v1\n`,
        `timeout = 30  # endpoint = "http://${host}"\n`,
        `; endpoint=http://${host}\n`,
        `>>> client = Client(base_url="http://${host}")\n`,
        // A JSDoc @example block.
        `/**\n * Creates a client.\n * @example\n * const client = new Client({ baseURL: 'http://${host}/v1' });\n * await fetch('http://${host}/v1/models');\n */\nexport function create() {}\n`,
        // A comparison reads the setting; it does not set it.
        `if (endpoint === "http://${host}") warn();\n`,
      ];
    },
  },
};

export const transportRules: Rule[] = [insecureApiBaseUrl];
