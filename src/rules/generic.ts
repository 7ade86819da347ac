import type { Rule, SampleGen } from '../scan/types.js';
import { ALNUM, BASE64URL, DIGITS, HEX, LOWER, UPPER } from './alphabets.js';

/*
 * Rules that do not belong to one provider: JSON Web Tokens, API base URLs that send a key over plain
 * HTTP, and the generic "credential-named key assigned a random-looking value" rule, which runs last
 * and yields to every specific rule on the same span.
 */

const LOWER_ALNUM = `${LOWER}${DIGITS}`;

// ---------------------------------------------------------------------------------------------------
// JSON Web Tokens

/** Decodes one base64url JWT segment as a JSON object; undefined when it is not one. */
function jsonSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A signed JWT (RFC 7519): the JOSE header names its algorithm, the payload is a JSON object. Unsigned
 * tokens (`alg: none`) grant nothing a server should accept. Supabase "anon" keys are JWTs published
 * to browsers by design (row-level security guards the data), so they are not leaks.
 */
function isSignedJwt(token: string): boolean {
  const [head, body] = token.split('.');
  if (head === undefined || body === undefined) return false;
  const header = jsonSegment(head);
  if (header === undefined || typeof header['alg'] !== 'string' || header['alg'].toLowerCase() === 'none') return false;
  const payload = jsonSegment(body);
  if (payload === undefined) return false;
  return payload['role'] !== 'anon';
}

const JWT_SIGNATURE_LENGTH: Record<string, number> = { HS256: 43, HS512: 86, ES256: 86, RS256: 342 };

function sampleJwt(gen: SampleGen): string {
  const alg = gen.pick(Object.keys(JWT_SIGNATURE_LENGTH));
  const header = { alg, typ: 'JWT', ...(alg === 'HS256' ? {} : { kid: gen.chars(HEX, 16) }) };
  const iat = 1_700_000_000 + gen.int(0, 50_000_000);
  const payload = {
    sub: gen.chars(ALNUM, gen.int(8, 24)),
    iss: gen.pick(['https://auth.example.com/', 'deploy-bot', 'https://login.example.org']),
    scope: gen.pick(['read:all write:all', 'admin', 'service']),
    iat,
    exp: iat + gen.int(3600, 31_536_000),
  };
  const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc(header)}.${enc(payload)}.${gen.chars(BASE64URL, JWT_SIGNATURE_LENGTH[alg] ?? 43)}`;
}

const jwtRule: Rule = {
  id: 'jwt',
  title: 'JSON Web Token',
  provider: 'JWT',
  severity: 'high',
  keywords: ['eyj'],
  // `eyJ` is base64url for `{"`. The lookbehind makes a run of `eyJeyJ…` cost one scan, not one per copy;
  // segments exclude `.`, so the three parts split in exactly one way.
  pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,2048}\.ey[A-Za-z0-9_-]{10,8192}\.[A-Za-z0-9_-]{16,1024}(?![A-Za-z0-9_-])/,
  validate: isSignedJwt,
  remediation: {
    text: 'A JWT stays valid until it expires: revoke the session or rotate the signing key, and load tokens at run time instead of committing them.',
    url: 'https://datatracker.ietf.org/doc/html/rfc8725',
  },
  samples: {
    secret: sampleJwt,
    positives: (gen) => {
      const token = sampleJwt(gen);
      return [{ text: `curl -H "Authorization: Bearer ${token}" https://api.example.com/v1/me\n`, secret: token }];
    },
    negatives: (gen) => {
      const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
      const payload = enc({ sub: gen.chars(ALNUM, 12), iat: 1_700_000_000 });
      const sig = gen.chars(BASE64URL, 43);
      return [
        // A header without `alg` is not a JOSE header.
        `${enc({ typ: 'JWT' })}.${payload}.${sig}`,
        // Unsigned.
        `${enc({ alg: 'none', typ: 'JWT' })}.${payload}.${sig}`,
        // Elided in documentation.
        `Authorization: Bearer ${enc({ alg: 'HS256', typ: 'JWT' })}.${payload.slice(0, 8)}...`,
        // Looks like a JWT but the header is not base64url JSON.
        `eyJ${gen.chars(ALNUM, 30)}.eyJ${gen.chars(ALNUM, 40)}.${sig}`,
        // A Supabase anon key is public by design.
        `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ iss: 'supabase', ref: gen.chars(LOWER_ALNUM, 20), role: 'anon' })}.${sig}`,
      ];
    },
  },
};

// ---------------------------------------------------------------------------------------------------
// API base URLs over plain HTTP

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

const insecureTransportRule: Rule = {
  id: 'insecure-api-base-url',
  title: 'Keyed API called over plain http:// (not a credential: the key would travel unencrypted)',
  provider: 'Transport',
  severity: 'high',
  keywords: ['http://'],
  // The host must end there: `http://api.openai.com.evil.example` is some other host.
  pattern: new RegExp(String.raw`http://(?<secret>${HOST_PATTERN})(?![A-Za-z0-9-]|\.[A-Za-z0-9])`, 'i'),
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
      const out: Array<{ text: string; secret: string }> = [];
      const templates = [
        (h: string) => `OPENAI_BASE_URL=http://${h}/v1\n`,
        (h: string) => `client = OpenAI(base_url="http://${h}/v1", api_key=os.environ["OPENAI_API_KEY"])\n`,
        (h: string) => `const res = await fetch('http://${h}/v1/messages', { headers });\n`,
        (h: string) => `baseURL: http://${h}\n`,
      ];
      for (const t of templates) {
        const host = gen.pick(KEYED_API_HOSTS);
        out.push({ text: t(host), secret: host });
      }
      const azure = `${gen.chars(LOWER_ALNUM, 10)}.openai.azure.com`;
      out.push({ text: `AZURE_OPENAI_ENDPOINT=http://${azure}/\n`, secret: azure });
      return out;
    },
    negatives: (gen) => {
      const host = gen.pick(KEYED_API_HOSTS);
      return [
        `OPENAI_BASE_URL=https://${host}/v1\n`,
        `proxy: http://${host}.internal.example:8080\n`,
        `http://localhost:11434/v1\n`,
        `http://${host}-mirror.example/v1\n`,
      ];
    },
  },
};

// ---------------------------------------------------------------------------------------------------
// Generic credential assignment

/** Names that hold a credential. The pattern starts here, so each alternative begins with a keyword. */
const NAME = String.raw`(?:api[_.-]?key|secret|token|passw(?:or)?d|pwd|private[_.-]?key|credentials?|access[_.-]?key|auth[_.-]?key)`;

const GENERIC_KEYWORDS = [
  'api_key', 'api-key', 'api.key', 'apikey',
  'secret', 'token', 'password', 'passwd', 'pwd',
  'private_key', 'private-key', 'private.key', 'privatekey',
  'credential',
  'access_key', 'access-key', 'access.key', 'accesskey',
  'auth_key', 'auth-key', 'auth.key', 'authkey',
];

/**
 * Name endings that describe a credential rather than hold one: `token_url`, `secretName`,
 * `password_file`, `max_tokens`' cousin `token_count`, `tokenizer`.
 */
const NOT_A_VALUE_SUFFIXES = [
  'url', 'uri', 'urls', 'endpoint', 'host', 'file', 'files', 'path', 'dir', 'name', 'names', 'type', 'types',
  'length', 'len', 'size', 'count', 'ttl', 'timeout', 'expiry', 'expires', 'expiration', 'lifetime', 'header',
  'prefix', 'format', 'hash', 'hashed', 'env', 'var', 'field', 'param', 'policy', 'regex', 'pattern',
  'placeholder', 'label', 'hint', 'min', 'max', 'limit', 'version', 'method', 'strategy', 'mode', 'provider',
  'source', 'ref', 'arn', 'kind', 'enabled', 'required', 'izer', 'ize', 'ized', 'index', 'position', 'offset',
  'location', 'manager', 'generator', 'validator', 'validation', 'rotation', 'encoding', 'algorithm', 'scheme',
];

/**
 * Words as one alternation factored by their common endings (`(?:l|...)r(?:u)` style, read right to
 * left), for use in a lookbehind, which V8 matches backwards: each position then costs a test of its
 * last character or two instead of one test per word. Written as a plain list it was 60% of the
 * generic rule's time at every credential name.
 */
function suffixAlternation(words: readonly string[]): string {
  const unique = [...new Set(words)];
  if (unique.includes('')) {
    const rest = unique.filter((w) => w !== '');
    return rest.length === 0 ? '' : `(?:${suffixAlternation(rest)})?`;
  }
  const byLast = new Map<string, string[]>();
  for (const w of unique) {
    const last = w.slice(-1);
    byLast.set(last, [...(byLast.get(last) ?? []), w.slice(0, -1)]);
  }
  const branches = [...byLast].map(([last, heads]) => `${suffixAlternation(heads)}${last.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}`);
  return branches.length === 1 ? (branches[0] as string) : `(?:${branches.join('|')})`;
}

/** Between the name and the value: a closing quote (possibly escaped), an index bracket, then the operator. */
const CLOSE = String.raw`(?:\\?["'\x60])?\]?`;
const OPERATOR = [
  '=>',
  ':=',
  String.raw`\?=`,
  // Typed declarations: `token: str = "…"`, `val token: String = "…"`, `var token string = "…"`.
  String.raw`:[ \t]{0,4}(?:str|string|String)[ \t]{0,4}=`,
  String.raw`(?:string|String)[ \t]{1,4}=`,
  // XML settings: <add key="API_TOKEN" value="…"/>
  String.raw`value[ \t]{0,4}=`,
  ':(?![:=])',
  '=(?!=)',
  // An element's content, <password>…</password>: only right after the name, never `token->x` or `a > b`.
  String.raw`(?<![\\"'\x60\] \t-])>`,
].join('|');
/**
 * The value: printable ASCII without whitespace, quotes, brackets, separators or `=` except base64
 * padding, so that `token=api_key=…` cannot read as one value, nor translated prose as a key. Captured inside a lookahead and then consumed, which makes
 * it atomic: a too-long run fails once instead of being retried at every shorter length.
 */
const VALUE_CHARS = `!#$%*+-./0123456789:?@${UPPER}^_${LOWER}~`;
const VALUE = String.raw`(?=(?<secret>[!#$%*+\-./0-9:?@A-Z^_a-z~]{8,256}={0,3}))\k<secret>`;

/** Bits per character a generic value needs: random keys of 16+ characters sit well above, words and names below. */
const MIN_ENTROPY = 3.5;
/** The fewest characters of VALUE's class with that entropy: 2^3.5 = 11.3 distinct symbols, one of which may be `=` padding. */
const MIN_ENTROPY_RUN = Math.ceil(2 ** MIN_ENTROPY) - 1;

const GENERIC_PATTERN = new RegExp(
  NAME +
    String.raw`[A-Za-z0-9_.-]{0,24}` +
    // Cheap gate before the suffix check: only where an operator could follow.
    String.raw`(?=[\\"'\x60\] \t=:>?sS])` +
    `(?<!${suffixAlternation(NOT_A_VALUE_SUFFIXES)})` +
    CLOSE +
    String.raw`[ \t]{0,4}(?:${OPERATOR})[ \t]{0,16}` +
    String.raw`(?<q>\\?["'\x60])?` +
    VALUE +
    // A quoted value ends at its closing quote; an element's content at its closing tag (so that
    // `<password>@host` in a URL template is no element); a bare one at a delimiter, so that a call,
    // an index or a chain of assignments (`A=B=C`) is never read as a value.
    String.raw`\k<q>(?:(?<=["'\x60])|(?<=>\k<secret>)(?=<\/)|(?<!>\k<secret>)(?=[\s"'\x60\\<>)}\];,&|]|$))`,
  'i',
);

/** Looks like a path on disk: a leading `/`, `./`, `../` or `~/`, and either a file extension or lowercase segments. */
function isFilePath(v: string): boolean {
  if (!/^(?:~|\.{1,2})?\//.test(v)) return false;
  const segments = v.split('/').filter((s) => s.length > 0);
  if (segments.length === 0) return true;
  if (/\.[A-Za-z0-9]{1,6}$/.test(v) && !/[+=]/.test(v)) return true;
  return segments.length >= 2 && segments.every((s) => /^[a-z0-9_.@-]+$/.test(s));
}

/** Values that sit in a credential slot without being a credential. */
const NOT_CREDENTIALS: RegExp[] = [
  /^(?:true|false|yes|no|on|off|null|nil|none|undefined|enabled|disabled)$/i,
  // Numbers, versions, dates and durations.
  /^[+-]?[0-9][0-9_.,:eE+-]*$/,
  // URLs; a password inside one is the connection-string rules' business.
  /^[a-z][a-z0-9+.-]{1,15}:\/\//i,
  // A git commit SHA.
  /^[0-9a-f]{40}$/,
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  // Subresource-integrity and digest strings (package-lock, yarn.lock, pnpm-lock, image digests).
  /^(?:sha1|sha256|sha384|sha512|md5)[-:]/i,
  // Shell, Windows and Make variable references.
  /^\$\(?\{?[A-Za-z_][A-Za-z0-9_]*\}?\)?$/,
  /^%[A-Za-z_][A-Za-z0-9_]*%$/,
  // YAML tags such as CloudFormation's !Ref / !Sub.
  /^![A-Za-z]/,
  // Secret-manager references.
  /^(?:arn:|vault:|projects\/|secretmanager:|azurekeyvault:)/i,
  // An AWS Signature V4 credential scope (key id, date, region, service): the key id is the AWS rule's.
  /\/aws4_request$/,
];

/**
 * Provider token formats (and JWTs) that a specific rule owns. When such a rule drops a value (its checksum fails:
 * a typo or a made-up token), reporting the same value here as a generic credential would undo that
 * judgment.
 */
const PROVIDER_PREFIX =
  /^(?:gh[pousr]_|github_pat_|gl[a-z]{1,7}-|xox[a-z][.-]|xapp-|[sr]k_(?:live|test)_|sk-|whsec_|hf_|npm_|pypi-|A(?:KIA|SIA|Iza)|SG\.|shp(?:at|ca|pa|ss)_|do[opr]_v1_|dapi[0-9a-f]|glc_|sntry[su]_|lin_api_|ntn_|cf(?:ut|at|k)_|AGE-SECRET-KEY-1|cmVmdGtu|ops_eyJ|eyJ[A-Za-z0-9_-]{0,2048}\.)/;

/** Camel or Pascal case made of words and short acronyms: `getPasswordFromVault`, `SigV4Credentials`. */
const CAMEL_WORDS = /^(?=.*[a-z]{3})(?:[a-z]{1,24}[0-9]?)?(?:[A-Z][a-z]{1,24}[0-9]?|[A-Z]{1,3}[0-9]?){1,8}$/;

/**
 * A name rather than a value: a function, variable or type (`credentials: SigV4Credentials`). Names are
 * mostly lowercase, and made of words, which carry vowels; uniformly random base62 of 20 characters
 * passes all of this about 0.25% of the time, of 24 about 0.06%, of 32 practically never.
 */
function isCamelCaseName(v: string): boolean {
  if (v.length > 64 || !CAMEL_WORDS.test(v)) return false;
  const letters = v.replace(/[^A-Za-z]/g, '');
  if (v.replace(/[^a-z]/g, '').length < v.length * 0.6) return false;
  if (letters.replace(/[^aeiouy]/gi, '').length < letters.length * 0.3) return false;
  return (v.match(/[A-Z]?[a-z]+/g) ?? []).every((w) => w.length < 3 || /[aeiouy]/i.test(w));
}

/** Identifiers: SCREAMING_SNAKE constants, snake_case names, member access (optional chaining too). */
const IDENTIFIER: RegExp[] = [
  /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/,
  /^[a-z]+(?:_[a-z]+)+$/,
  /^[A-Za-z_$][A-Za-z_$]*(?:[?!]?\.[A-Za-z_$][A-Za-z0-9_$]*)+$/,
];

function isCredentialValue(value: string): boolean {
  // Padding belongs to base64; without it `NAME=` at the end of a line is still a name.
  const v = value.replace(/=+$/, '');
  if (PROVIDER_PREFIX.test(v)) return false;
  if (isFilePath(v)) return false;
  // Negations and generated suffixes around a name: `!!node.exclamationToken`, `OpeningParenToken$1`.
  const name = v.replace(/^!+/, '').replace(/\$[0-9]{1,3}$/, '');
  if (isCamelCaseName(name) || IDENTIFIER.some((re) => re.test(name))) return false;
  return !NOT_CREDENTIALS.some((re) => re.test(v));
}

function sampleValue(gen: SampleGen): string {
  return gen.chars(ALNUM, gen.int(24, 40));
}

const genericRule: Rule = {
  id: 'generic-credential',
  title: 'Credential assigned in code or configuration',
  provider: 'Generic',
  severity: 'medium',
  keywords: GENERIC_KEYWORDS,
  pattern: GENERIC_PATTERN,
  // The value starts at most 24 (name suffix) + 2 (closing quote, bracket) + 4 + 16 (`: string =`) +
  // 16 + 2 (opening quote) = 64 characters after the keyword. Its run of VALUE's class is at least 11
  // long although the pattern accepts 8: Shannon entropy is at most log2 of the number of distinct
  // symbols, so 3.5 bits takes 12 of them, and base64 padding can be only one (`=`, outside the class).
  // Shorter values would fail `minEntropy` anyway; the gate just turns them away before the pattern.
  valueRun: { chars: VALUE_CHARS, min: MIN_ENTROPY_RUN, within: 64 },
  generic: true,
  userChosen: true,
  minEntropy: MIN_ENTROPY,
  validate: isCredentialValue,
  remediation: {
    text: 'Move the value to a secret store or an environment variable injected at run time, and rotate it with whoever issued it.',
    url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
  },
  samples: {
    secret: sampleValue,
    positives: (gen) => {
      const cases: Array<(v: string) => string> = [
        (v) => `"client_secret": "${v}",\n`,
        (v) => `db:\n  password: ${v}\n`,
        (v) => `mysqldump --user=app --password=${v} shop > dump.sql\n`,
        (v) => `PGPASSWORD=${v} psql -h db\n`,
        (v) => `spring.datasource.password=${v}\n`,
        (v) => `<settings><password>${v}</password></settings>\n`,
        (v) => `token := "${v}"\n`,
        (v) => `$config['api_key'] => '${v}',\n`,
        (v) => `val authToken: String = "${v}"\n`,
        (v) => `jdbc:postgresql://db/app?user=app&password=${v}&ssl=true\n`,
        (v) => `{"source": ["headers = {\\"x-api-key\\": \\"${v}\\"}\\n"]}\n`,
        (v) => `ACCESS_TOKEN='${v}'\n`,
        (v) => `credentials: ${v}  # rotated monthly\n`,
      ];
      return cases.map((c) => {
        const v = sampleValue(gen);
        return { text: c(v), secret: v };
      });
    },
    negatives: (gen) => [
      'api_key = "${{ secrets.OPENAI_API_KEY }}"',
      'API_TOKEN: ${{ secrets.API_TOKEN }}',
      'password: ${DB_PASSWORD}',
      'password: "{{ .Values.db.password }}"',
      'token = process.env.GITHUB_TOKEN',
      'api_key = os.environ["OPENAI_API_KEY"]',
      'api_key = os.getenv("OPENAI_API_KEY")',
      'password = getPassword()',
      'token = request.headers.token',
      'secret: !Ref DatabaseSecret',
      'client_secret = settings.OAUTH_CLIENT_SECRET',
      'password: true',
      'token_ttl = 86400',
      'private_key_path = "/etc/ssl/private/server-key.pem"',
      'password_file: /run/secrets/db_password',
      `token_url = "https://auth.example.com/oauth/${gen.chars(ALNUM, 20)}"`,
      `git_token_sha = "${gen.chars(HEX, 40)}"`,
      `secret = "${gen.chars(HEX, 40)}"`,
      `api_key = "${gen.chars(HEX, 8)}-${gen.chars(HEX, 4)}-${gen.chars(HEX, 4)}-${gen.chars(HEX, 4)}-${gen.chars(HEX, 12)}"`,
      `"integrity": "sha512-${gen.chars(ALNUM, 86)}=="`,
      'password = "hunter2"',
      'api_key = "your-api-key-here"',
      'token: <YOUR_TOKEN>',
      'secret = "xxxxxxxxxxxxxxxxxxxxxxxx"',
      'password = "********"',
      'client = Client(api_key=OPENAI_API_KEY)',
      'tokenizer = "bert-base-uncased-v2"',
      'if password == "correcthorsebattery":',
      'PWD=/home/runner/work/app',
      `token=api_key=api_key=api_key=${gen.chars(ALNUM, 4)}`,
    ],
  },
};

export const genericRules: Rule[] = [jwtRule, insecureTransportRule, genericRule];
