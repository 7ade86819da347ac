import type { MatchContext, Rule, SampleFile, SampleGen } from '../scan/types.js';
import { hasRepeatedBlocks, isTypedPattern } from '../scan/placeholder.js';
import { tokensPerChar } from '../scan/wordiness.js';
import { ALNUM, BASE64URL, DIGITS, HEX, LOWER, UPPER } from './alphabets.js';

/*
 * Rules that do not belong to one provider: JSON Web Tokens, and the generic "credential-named key
 * assigned a random-looking value" rule, which runs last and yields to every specific rule on the same
 * span. (Plain-http API URLs are in transport.ts.)
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
  // NATS's decentralized auth hands operator, account and user JWTs to servers and clients by design
  // (ed25519-nkey signed, a `nats` claim): what proves who holds them is the nkey seed, not the token.
  if (/^ed25519/i.test(header['alg']) && typeof payload['nats'] === 'object') return false;
  return payload['role'] !== 'anon' && !isPublishedSample(payload) && !hasExampleParties(payload) && AUTH_CLAIMS.some((c) => c in payload) && payload['foo'] !== 'bar';
}

/** Issuer, subject and audience words that libraries' examples and tests write: nobody's real party. */
const EXAMPLE_PARTIES = new Set([
  'issuer', 'subject', 'audience', 'test', 'testing', 'foo', 'bar', 'baz', 'example', 'sample', 'value', 'joe', 'jane', 'john',
  'user', 'someone', 'the-appid', 'the-audience', 'the-issuer', 'the-subject',
]);

/** Hosts of the names RFC 2606 reserves (example.com, .example, .test, .invalid) and Jane Doe's. */
const EXAMPLE_HOST = /(?:^|[/@.])(?:example\.(?:com|net|org)|[a-z0-9-]+\.(?:example|test|invalid)|doe\.com)(?:$|[:/])/i;

/**
 * A token whose issuer, subject or audience is a placeholder (`"iss": "issuer"`, `urn:example:issuer`,
 * `https://doe.com`), or not a string at all (`"aud": 1`, a parser's test of wrong types), or that carries
 * RFC 7519's own `http://example.com/is_root` claim: an example or a test vector. A real issuer names a
 * real host or service, and real claims have the registered types.
 */
function hasExampleParties(payload: Record<string, unknown>): boolean {
  for (const claim of ['iss', 'sub', 'aud']) {
    const value = payload[claim];
    if (value === undefined) continue;
    const values = Array.isArray(value) ? (value as unknown[]) : [value];
    for (const v of values) {
      if (typeof v !== 'string') return true;
      const lower = v.toLowerCase();
      if (EXAMPLE_PARTIES.has(lower) || lower.startsWith('urn:example:') || EXAMPLE_HOST.test(lower)) return true;
    }
  }
  return Object.keys(payload).some((k) => EXAMPLE_HOST.test(k) || k.startsWith('urn:example:'));
}

/**
 * Claims that say who or what a token speaks for, or when it is good for. A token without any
 * (`{"a":1,"b":2}`, `{"confidence":0.8}`), or one carrying the canonical `"foo": "bar"`, demonstrates the
 * format; it authorizes nothing.
 */
const AUTH_CLAIMS = [
  'sub', 'iss', 'aud', 'exp', 'nbf', 'iat', 'jti', 'azp', 'scope', 'scp', 'role', 'roles', 'email', 'user_id', 'uid', 'username',
  'preferred_username', 'upn', 'oid', 'tid', 'client_id', 'cid', 'appid', 'app_id', 'ref', 'account', 'org', 'permissions',
];

/**
 * The token every JWT tutorial shows: jwt.io's debugger opens on it, signed with a secret printed next to
 * it. Recognised by its claims, which no issuer would mint.
 */
function isPublishedSample(payload: Record<string, unknown>): boolean {
  return payload['sub'] === '1234567890' && payload['name'] === 'John Doe';
}

const JWT_SIGNATURE_LENGTH: Record<string, number> = { HS256: 43, HS512: 86, ES256: 86, RS256: 342 };

function sampleJwt(gen: SampleGen): string {
  const alg = gen.pick(Object.keys(JWT_SIGNATURE_LENGTH));
  const header = { alg, typ: 'JWT', ...(alg === 'HS256' ? {} : { kid: gen.chars(HEX, 16) }) };
  const iat = 1_700_000_000 + gen.int(0, 50_000_000);
  const payload = {
    sub: gen.chars(ALNUM, gen.int(8, 24)),
    iss: gen.pick(['https://auth.orders-platform.io/', 'deploy-bot', 'https://login.billing-cloud.net']),
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
        // Claims that name nobody: a demonstration of the format.
        `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ foo: 'bar', iat: 1_700_000_000 })}.${sig}`,
        // jwt.io's sample token, shown in every tutorial.
        `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ sub: '1234567890', name: 'John Doe', iat: 1516239022 })}.${sig}`,
        // Parties that are placeholders, or claims of the wrong type: examples and parser tests.
        `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ iss: 'issuer', sub: 'subject', iat: 1_700_000_000 })}.${sig}`,
        `${enc({ alg: 'HS256' })}.${enc({ 'urn:example:claim': true, iat: 1_669_056_231, iss: 'urn:example:issuer', aud: 'urn:example:audience' })}.${sig}`,
        `${enc({ typ: 'JWT', alg: 'HS256' })}.${enc({ iss: 'joe', exp: 1_300_819_380, 'http://example.com/is_root': true })}.${sig}`,
        `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ sub: 'jane@doe.com', iss: 'https://doe.com', iat: 1_595_360_028 })}.${gen.chars(BASE64URL, 342)}`,
        `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ aud: ['test', 1] })}.${sig}`,
        `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ exp: 15_000, iss: 'test' })}.${sig}`,
        // A NATS account JWT: handed out by design; the nkey seed is the secret.
        `${enc({ typ: 'JWT', alg: 'ed25519-nkey' })}.${enc({ jti: gen.chars(UPPER, 52), iat: 1_700_000_000, iss: `O${gen.chars(UPPER, 55)}`, sub: `A${gen.chars(UPPER, 55)}`, nats: { type: 'account', version: 2 } })}.${gen.chars(BASE64URL, 86)}`,
        // A Supabase anon key is public by design.
        `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ iss: 'supabase', ref: gen.chars(LOWER_ALNUM, 20), role: 'anon' })}.${sig}`,
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
  // Ids and timestamps of a credential are public: `credentialId`, `SecretId`, `PasswordLastUsed`.
  'id', 'ids', 'identifier', 'date', 'time', 'timestamp', 'used', 'created', 'updated', 'changed',
  // Error and message labels: `CREDENTIAL_MISMATCH`, `token_invalid`.
  'mismatch', 'error', 'errors', 'invalid', 'missing', 'message', 'description', 'desc', 'title', 'help',
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

/** What a generic value is made of: printable ASCII without whitespace, quotes, brackets, separators or `=` (see VALUE). */
const VALUE_CLASS = String.raw`[!#$%*+\-./0-9:?@A-Z^_a-z~]`;

/** An element's content on a line of its own, up to its closing tag on the next line: `<password>`, then the value, then `</password>`. */
const ELEMENT_LINES = String.raw`[ \t]{0,16}${VALUE_CLASS}{8,256}={0,3}[ \t]{0,4}\r?\n[ \t]{0,16}<\/`;

/** Between the name and the value: a closing quote (possibly escaped), an index bracket, then the operator. */
const CLOSE = String.raw`(?:\\?["'\x60])?\]?`;
const OPERATOR = [
  '=>',
  // Makefile `:=`, `::=`, `:::=` and `?=`; PHP `.=`.
  ':{1,3}=',
  String.raw`[?.]=`,
  // Typed declarations: `token: str = "…"`, `val token: String = "…"`, `var token string = "…"`.
  String.raw`:[ \t]{0,4}(?:str|string|String)[ \t]{0,4}=`,
  String.raw`(?:string|String)[ \t]{1,4}=`,
  // XML settings: <add key="API_TOKEN" value="…"/>, `value` also on the next line.
  String.raw`(?:\r?\n(?<=["'][ \t]{0,4}\r?\n)[ \t]{0,16})?value[ \t]{0,4}=`,
  ':(?![:=])',
  '=(?!=)',
  // An element's content, <password>…</password>: only right after the name, never `token->x` or `a > b`.
  // On the next line only when the closing tag follows it there (see ELEMENT_LINES).
  String.raw`>(?<![\\"'\x60\] \t-]>)(?:[ \t]{0,4}\r?\n(?=${ELEMENT_LINES}))?`,
  // A call's second argument after its first, both string literals, the first one the whole name:
  // `System.setProperty("API_TOKEN", "…")`, `getEnvOrDefault("api_token", "…")`. Not in a list of
  // names (`["withCredentials", "withXSRFToken"]`).
  String.raw`,(?<=\([ \t]{0,4}\\?["'\x60][A-Za-z0-9_.-]{1,80}\\?["'\x60][ \t]{0,4},)(?=[ \t]{0,16}\\?["'\x60])`,
].join('|');
// Each alternative above that has a lookbehind tests its first character before it: the failing path at
// a credential name every few characters (`"client_secret": "…`) then costs one comparison per
// alternative instead of a backward scan.
/**
 * The value: printable ASCII without whitespace, quotes, brackets, separators or `=` except base64
 * padding, so that `token=api_key=…` cannot read as one value, nor translated prose as a key. Captured inside a lookahead and then consumed, which makes
 * it atomic: a too-long run fails once instead of being retried at every shorter length.
 */
const VALUE_CHARS = `!#$%*+-./0123456789:?@${UPPER}^_${LOWER}~`;
const VALUE = String.raw`(?=(?<secret>${VALUE_CLASS}{8,256}={0,3}))\k<secret>`;

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
  // Timestamps: `2024-05-01T12:00:00Z`, `2024-05-01 12:00:00+02:00`.
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$/,
  // An Ethereum address (`0x` and 20 bytes) is public; a 32-byte private key is not, so only 40 digits.
  /^0x[0-9a-fA-F]{40}$/,
  // A file name: `token-bucket.js`, `secret.yaml`, `password_reset.html`.
  /^[A-Za-z0-9_.@-]+\.(?:[cm]?[jt]sx?|json|ya?ml|toml|md|mdx|rst|txt|html?|css|scss|xml|py|rb|go|rs|java|kt|cs|php|sh|ps1|sql|lock|log|ini|cfg|conf|env|pem|crt|cer|key|pub|p12|pfx|jks|gpg|asc|zip|gz|tgz|tar|png|jpe?g|gif|svg|pdf|csv|proto|tf|hcl)$/i,
  // A version: Debian's (`5.4.53+dfsg-0+deb12u1`, `1:2.3~rc1-2`), semver with a build. Key alphabets have no dot.
  /^(?:[0-9]+:)?[0-9]+\.[0-9]+[0-9A-Za-z.+~-]*$/,
  // Words and a version: a package coordinate such as `jjwt-jackson-0.11.2`.
  /^[A-Za-z][A-Za-z0-9.:_-]*[-_:@]v?[0-9]+(?:\.[0-9]+){1,3}(?:[-+][A-Za-z0-9.]+)?$/,
  // A resource's name and number (`cmp2-qat-1208358310`, `prod-db-20240501`): short lowercase segments
  // and a numeric id, where a generated key mixes its characters throughout.
  /^[a-z][a-z0-9]{0,7}(?:-[a-z][a-z0-9]{0,7}){0,3}-[0-9]{6,}$/,
  // A label ending in a colon (`E-Mail-Adresse:` in a translation file).
  /:$/,
  // A record of colon-separated fields: cipher-suite tables (`ECCPWD:ECCPWD:AES:GCM:128:AEAD:…:ffff`),
  // OpenSSL cipher lists. Key alphabets have no colon; four fields are not a `user:password`.
  /^[A-Za-z0-9._-]+(?::[A-Za-z0-9._-]*){3,}$/,
  // A module or URL path without its scheme (`github.com/jcmturner/gokrb5/v8/ctxCredentials`).
  /^(?:[a-z0-9-]+\.)+[a-z]{2,}(?:\/[A-Za-z0-9._~-]+)+$/,
  // Code: a variable (`$wgDBpassword.`), a scope (`OpenSSL::PKey::RSA.new`).
  /^\$[A-Za-z_][A-Za-z0-9_]*\.?$/,
  /::/,
];

/**
 * Provider token formats (and JWTs) that a specific rule owns. When such a rule drops a value (its checksum fails:
 * a typo or a made-up token), reporting the same value here as a generic credential would undo that
 * judgment.
 */
const PROVIDER_PREFIX =
  /^(?:gh[pousr]_|github_pat_|gl[a-z]{1,7}-|xox[a-z][.-]|xapp-|[sr]k_(?:live|test)_|sk-|whsec_|hf_|npm_|pypi-|A(?:KIA|SIA|Iza)|SG\.|shp(?:at|ca|pa|ss)_|do[opr]_v1_|dapi[0-9a-f]|glc_|sntry[su]_|lin_api_|ntn_|cf(?:ut|at|k)_|AGE-SECRET-KEY-1|cmVmdGtu|ops_eyJ|eyJ[A-Za-z0-9_-]{0,2048}\.)/;

/** A host name (`4f2a9c.invoiceocean.com`): where a credential is used, not the credential. */
const HOST_NAME = /^(?:[A-Za-z0-9-]{1,63}\.)+(?:com|net|org|io|dev|app|cloud|co|ai|me|info|biz|us|uk|de|eu|local|internal|localhost)$/;

/** A prefix that says the key is the publishable half of a pair. */
const PUBLISHABLE = /^(?:[a-z]{2,8}_)?pub(?:lic|lishable)?_/i;

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
  // Segments are words with digits only at their end (`type2.declaration`), as names are; a key's
  // dot-separated parts (Discord's) have digits anywhere.
  /^[A-Za-z_$][A-Za-z_$]*[0-9]*(?:[?!]?\.[A-Za-z_$][A-Za-z_$]*[0-9]*)+$/,
];

/**
 * Below this many BPE tokens per character a value reads as words: identifiers, labels, i18n and error
 * codes (`auth/custom-token-mismatch`, 0.19), generated placeholders (`my_fieldName`, 0.25). Random base62
 * keys of 12 to 40 characters measured 0.50 at the least, hexadecimal 0.34; see wordiness.ts.
 */
const MAX_WORDY_TOKENS_PER_CHAR = 0.32;

function isCredentialValue(value: string): boolean {
  // Padding belongs to base64; without it `NAME=` at the end of a line is still a name.
  const v = value.replace(/=+$/, '');
  if (PROVIDER_PREFIX.test(v)) return false;
  if (isFilePath(v) || HOST_NAME.test(v)) return false;
  // A publishable key (`live_pub_…`, `pk_live_…` is Stripe's and has its own rule) is public by design.
  if (PUBLISHABLE.test(v)) return false;
  // Negations and generated suffixes around a name: `!!node.exclamationToken`, `OpeningParenToken$1`;
  // Python's private names (`"_RSAPrivateKey"`, a type written as a string) and Vim's scopes (`g:netrw_passwd`).
  const name = v.replace(/^!+/, '').replace(/\$[0-9]{1,3}$/, '').replace(/^_{1,2}(?=[A-Za-z])/, '').replace(/^[bwtglsav]:(?=[A-Za-z_])/, '');
  if (isCamelCaseName(name) || IDENTIFIER.some((re) => re.test(name))) return false;
  if (NOT_CREDENTIALS.some((re) => re.test(v))) return false;
  if (isPastedTwice(v)) return false;
  if (isEditedHex(v)) return false;
  if (isHomeRowMash(v)) return false;
  if (isStoredForm(v) || isNamespacedName(v) || isEncodedProse(v) || NAMED_FOR_CREDENTIAL.test(v)) return false;
  if (CAPITAL_PLACEHOLDER.test(v) || hasShortBody(v)) return false;
  // Last: it is the one check that costs a vocabulary lookup.
  return tokensPerChar(v) >= MAX_WORDY_TOKENS_PER_CHAR;
}

/**
 * Made up by hand: a run of eight characters that occurs twice (`…W5zbfUkzlXe…W5zbfUkzlXe`, a body pasted
 * twice), or two runs of four identical characters (`…AAAABBBBCCCC…`). A random body of 60 base62
 * characters repeats an eight-character run about once in 10^11 draws. Only for this rule: a JWT or a PEM
 * body legitimately repeats base64 of repeated JSON or zero bytes.
 */
function isPastedTwice(v: string): boolean {
  const seen = new Set<string>();
  for (let i = 0; i + 8 <= v.length; i++) {
    const run = v.slice(i, i + 8);
    if (seen.has(run)) return true;
    seen.add(run);
  }
  return hasRepeatedBlocks(v);
}

/**
 * Hex but for one letter (`…016rf34b…`, `…bfe2R21`): a hex key typed wrong, or broken on purpose as test
 * fixtures do to show a detector turning it down. Random base36 or base62 of 16 characters reads so about
 * once in 500,000 draws, of 32 practically never. A leading `0x` is hex notation, not an edit.
 */
function isEditedHex(v: string): boolean {
  return v.length >= 16 && /^[0-9a-f]*[g-z][0-9a-f]*$/i.test(v.replace(/^0x/i, ''));
}

/**
 * What a system stores instead of a password: a password hash (crypt's `$id$…`, bcrypt, Django's and
 * passlib's `algorithm$…`, MySQL's `*` and 40 hex) or OpenSSL's encrypted `Salted__` blob (base64
 * `U2FsdGVkX1…`), whose key lives elsewhere; Juniper's `$9$` is an encoding of the same kind. None of
 * them logs anyone in; hash formats open with characters no key alphabet starts a key with.
 */
const STORED_FORM = [
  // crypt's `$id$salt$hash`, alone or as an htpasswd line (`user:$2y$…`); any id, as passlib has dozens.
  /^(?:[A-Za-z0-9._-]{1,64}:)?\$(?:1|2[abxy]?|5|6|7|9|y|gy|sha1|md5|apr1|argon2(?:i|d|id)|pbkdf2(?:-sha(?:1|256|512))?|scrypt|bcrypt-sha256)\$/,
  /^\$[a-z0-9-]{1,16}\$(?:[./A-Za-z0-9,=+-]*\$){1,3}[./A-Za-z0-9=+-]{8,}/,
  /^\*[0-9A-F]{40}$/,
  /^(?:pbkdf2_sha(?:1|256)|bcrypt(?:_sha256)?|argon2|sha1|md5|crypt|unsalted_(?:md5|sha1))\$/,
  /^U2FsdGVkX1/,
];
const isStoredForm = (v: string): boolean => STORED_FORM.some((re) => re.test(v));

/**
 * Names in a namespace: a URN (`urn:oasis:names:tc:SAML:2.0:ac:classes:Password`), a Python entry
 * point (`keystoneauth1.loading._plugins.identity.v3:Password`), an Amazon id (`amzn1.account.…`).
 */
function isNamespacedName(v: string): boolean {
  if (/^urn:[a-z0-9][a-z0-9-]{0,31}:/i.test(v) || v.startsWith('amzn1.')) return true;
  // Three module segments at least: `svc.deploy:Xk29…` is a user and a password, not an entry point.
  return /^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*){2,}:[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(v);
}

/**
 * A name that ends in what it names (`V3ADFSPassword`, `ListEC2Token`): random base62 ends in one of these
 * words about once in 10^9 (`Key` alone would be once in 240,000, so it is left out).
 */
const NAMED_FOR_CREDENTIAL = /^[A-Za-z][A-Za-z0-9]{0,40}(?:Password|Passwd|Secret|Token|ApiKey|Credentials?)$/;

/**
 * Base64 of a sentence (`…` for "this is not a real value", as SDK tests write): printable text with
 * spaces between words. Random bytes decode so about never: 24 of them all printable is a 10^-10 draw.
 */
function isEncodedProse(v: string): boolean {
  if (v.length < 16 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) return false;
  const text = Buffer.from(v, v.includes('-') || v.includes('_') ? 'base64url' : 'base64').toString('latin1');
  if (!/^[\x20-\x7e]+$/.test(text)) return false;
  // A JWT's header alone (`{"alg":"HS256","typ":"JWT"}`), and an alphabet or a count typed and encoded.
  if (/^\{"(?:alg|typ|kid|cty)"/.test(text) && !/"(?:sub|iss|aud|exp|iat)"/.test(text)) return true;
  if (isTypedPattern(text)) return true;
  const letters = text.replace(/[^A-Za-z]/g, '').length;
  return (text.match(/ /g)?.length ?? 0) >= 2 && letters >= 0.7 * text.length;
}

const HOME_ROW = 'asdfghjkl';

/**
 * Fingers run along the keyboard's home row to make a value up (`lsdajfh923874`, `2kjshdfp92i34asdasd`
 * in an OAuth library's docstrings): lowercase, six home-row letters in a row, four in five letters from
 * that row, three of them outside hex. Random lowercase-and-digit values of 16 characters read so about
 * once in 7,000, of 24 once in a million; hex never (three letters outside a-f), mixed case never.
 */
function isHomeRowMash(v: string): boolean {
  if (/[A-Z]/.test(v)) return false;
  let letters = 0;
  let home = 0;
  let run = 0;
  let longest = 0;
  const outsideHex = new Set<string>();
  for (const c of v) {
    if (c < 'a' || c > 'z') {
      run = 0;
      continue;
    }
    letters++;
    if (!HOME_ROW.includes(c)) {
      run = 0;
      continue;
    }
    home++;
    longest = Math.max(longest, ++run);
    if (c > 'f') outsideHex.add(c);
  }
  return letters >= 7 && longest >= 6 && home >= 0.8 * letters && outsideHex.size >= 3;
}

/** A placeholder word in capitals inside a value (`VERYLONGSECRETeyJ…`): one in 10^10 random bodies spells one. */
const CAPITAL_PLACEHOLDER = /SECRET|TOKEN|PASSWORD|APIKEY|SAMPLE|DUMMY|PLACEHOLDER|CHANGEME|REDACTED|RANDOM|-----/;

/**
 * A typed prefix and then too little randomness to be a generated key: `preview_0b7f6x59a0` and
 * `sm_aat_robz1hoika` carry 10 random characters, about 50 bits; keys that providers issue carry 12 or
 * more after their prefix.
 */
function hasShortBody(v: string): boolean {
  const m = /^(?:[a-z]{2,16}[_-]){1,3}(?<body>.*)$/.exec(v);
  return m !== null && (m.groups?.['body']?.length ?? 0) < 12;
}

/** Characters that generated keys never use (printf formats, queries, templates); passwords may. */
const NOT_IN_KEYS = /[?%^!#*@$]/;

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd']);

/** Source files, where a value is a literal only between quotes: anything bare is code (`token = a.b`, `key: KeyType`). */
const CODE_FILE = /\.(?:[cm]?[jt]sx?|py|pyi|rb|go|java|kt|kts|scala|groovy|gradle|cs|fs|vb|swift|rs|c|cc|cpp|cxx|h|hh|hpp|m|mm|php|pl|pm|lua|dart|r|jl|ex|exs|erl|clj|cljs|hs|ml|vue|svelte|sol|zig|nim|cr|vim|json|jsonc|json5|map)$/i;

/** Words the credential word's own name puts before it when the value is public or not a credential. */
const PUBLIC_QUALIFIERS = new Set([
  'public', 'publishable', 'has', 'is', 'no', 'without', 'missing', 'invalid', 'fake', 'mock', 'dummy', 'example', 'sample', 'placeholder',
  // Test code's deliberately wrong values: `nonMatchingToken`, `wrongPassword`, `expiredToken`.
  'non', 'matching', 'nonmatching', 'wrong', 'bad', 'bogus', 'expired', 'revoked',
]);

/**
 * Tokens that are not credentials: pagination cursors (`NextToken`, `nextPageToken`, `ContinuationToken`),
 * idempotency keys (AWS `ClientToken`), anti-forgery tokens, which a server hands every visitor
 * (`csrf_token`, `authenticity_token`), and a parser's tokens (`lastSignificantToken`).
 */
const NOT_SECRET_TOKENS = new Set([
  'next', 'page', 'continuation', 'pagination', 'paging', 'cursor', 'resume', 'sync', 'delta', 'marker', 'start',
  'end', 'last', 'first', 'prev', 'previous', 'after', 'before', 'client', 'idempotency', 'cancellation', 'cancel',
  'csrf', 'xsrf', 'authenticity', 'antiforgery', 'forgery', 'significant', 'lexer', 'syntax', 'parser', 'jsx',
  'punctuation', 'operator', 'keyword', 'question', 'readonly', 'colon', 'comma', 'dot', 'paren', 'brace',
  // AWS `ClientRequestToken` (idempotency); Square's `versionToken` (optimistic concurrency).
  'request', 'version',
]);

const TEST_VECTORS = /(?:^|[/_.-])test[_-]?vectors?(?:[/_.-]|$)|(?:^|\/)vectors\.[a-z]{1,4}$/i;
const LOCALE_FILE = /(?:^|\/)(?:locales?|i18n|l10n|lang|translations)\/|\.po$/i;

/** Words after a credential word that name what it is stored as or mixed with, not the credential. */
const STORED_AS = new Set(['salt', 'hash', 'hashed', 'digest', 'iv', 'nonce', 'checksum']);

const CREDENTIAL_WORDS = new Set(['key', 'apikey', 'secret', 'secrets', 'token', 'tokens', 'password', 'passwd', 'pwd', 'credential', 'credentials']);

/** A credential word, alone or closing a name written in one piece (`pagerdutyapikey`, `dbpassword`). */
const isCredentialWord = (w: string): boolean => CREDENTIAL_WORDS.has(w) || /(?:apikey|token|secret|password|passwd)$/.test(w);

/** A password word, alone or closing a name: the one kind of credential a person chooses, in any characters. */
const isPasswordWord = (w: string): boolean => PASSWORD_WORDS.has(w) || /(?:password|passwd)$/.test(w);

/** The words of an identifier, lowercased: `nextPageToken`, `NEXT_PAGE_TOKEN` and `next-page-token` all give next, page, token. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** The variable name a match assigns to: the identifier characters before the keyword and the keyword's own. */
function nameAt(text: string, index: number, match: string): string {
  let from = index;
  while (from > 0 && /[A-Za-z0-9_$-]/.test(text[from - 1] as string)) from--;
  return text.slice(from, index) + (/^[A-Za-z0-9_.-]*/.exec(match)?.[0] ?? '');
}

/**
 * What only the surroundings tell: that the value is a literal (quoted in source code; bare values count
 * in .env, YAML, TOML, INI, properties, shell and docs), and that the name holds a secret and not a
 * public token, a cursor or an id.
 */
function isCredentialAssignment({ path, text, index, match, groups }: MatchContext): boolean {
  if (CODE_FILE.test(path) && groups['q'] === undefined && !/>\s*$/.test(match.slice(0, match.length - (groups['secret']?.length ?? 0)))) return false;
  // `:token:` is a Sphinx role; `arn:aws:secretsmanager:…:secret:NAME` names a secret, it does not hold one.
  if (text.charCodeAt(index - 1) === 0x3a) return false;
  // Published test vectors (NaCl's, libsodium's): keys printed so that implementations can check their output.
  if (TEST_VECTORS.test(path)) return false;
  // A translation: words in a locale file (`API-toegangssleutel` under `api_key` in a Dutch locale).
  if (LOCALE_FILE.test(path) && /^[A-Za-z][A-Za-z'-]*$/.test(groups['secret'] ?? '')) return false;
  const name = nameAt(text, index, match);
  // Laravel's and Rails' anti-forgery field, posted by every form: `_token`.
  if (name === '_token') return false;
  const parts = words(name);
  // The value spells the name: a header or scope label (`X_AWS_EC2_METADATA_TOKEN = "x-aws-ec2-metadata-token"`),
  // or starts with it, as examples made up from the field's name do (`termToken: "term-token-…"`).
  const valueWords = words(groups['secret'] ?? '');
  if (parts.length > 0 && parts.every((w, i) => valueWords[i] === w)) return false;
  let last = -1;
  for (let i = 0; i < parts.length; i++) if (isCredentialWord(parts[i] as string)) last = i;
  // A key (not a password a person chose) with a character no key alphabet has: a truncated or
  // corrupted paste, a format string (`%c^wz…`), a query (`?95ZU…`).
  if (last >= 0 && !isPasswordWord(parts[last] as string) && NOT_IN_KEYS.test(groups['secret'] ?? '')) return false;
  // What a secret is stored as or mixed with, named after it (`PasswordSalt`, `password_hash`, `tokenDigest`).
  if (last >= 0 && STORED_AS.has(parts[last + 1] ?? '')) return false;
  if (parts[0] === 'hashed') return false;
  if (last <= 0) return true;
  const before = parts[last - 1] as string;
  if (PUBLIC_QUALIFIERS.has(before)) return false;
  return !(parts[last]?.startsWith('token') === true && NOT_SECRET_TOKENS.has(before));
}

function sampleValue(gen: SampleGen): string {
  return gen.chars(ALNUM, gen.int(24, 40));
}

/**
 * What real code and docs put under credential names without holding a credential, one sample per class
 * seen on public packages: code rather than literals, names rather than values, public tokens, ids,
 * timestamps, labels and generated placeholders. Each at the path it was seen at, since a bare value is
 * a literal in config but an expression in source.
 */
function codeNegatives(gen: SampleGen): SampleFile[] {
  const random = (n: number): string => gen.chars(ALNUM, n);
  return [
    // Code: member access, constants, conditionals, type annotations, re-exports.
    { path: 'dist/index.js', text: 'const apiKeys = beta_1.BETA_CLIENT_TOOL_UNION_KEYS;\n' },
    { path: 'dist/index.js', text: 'Organization.APIKeys = api_keys_1.APIKeys;\n' },
    { path: 'lib/glob.js', text: 'token2.depth = token2.isGlobstar ? Infinity : 1;\n' },
    { path: 'src/types.d.ts', text: 'export import SecretListParams = AppsNamespace1.SecretListParams;\n' },
    { path: 'lib/dom.d.ts', text: '    credentialId: Base64URLString;\n' },
    { path: 'lib/lexer.js', text: 'nextLastSignificantToken = "?InterpolationInTemplate";\n' },
    // A type written as a string (Python's forward references) naming a private class; a Vim variable.
    { path: 'backends/openssl/dsa.py', text: '    backend: "Backend", private_key: "_DSAPrivateKey", data: bytes\n' },
    { path: 'autoload/netrw.vim', text: '    let s:netrw_passwd= g:netrw_passwd\n' },
    // Hashes and ciphertext stored in place of a password, names in a namespace, base64 of a sentence.
    { path: 'tests/test_handlers.py', text: `    password = "$pbkdf2-sha256$29000$${gen.chars(BASE64URL, 22)}$${gen.chars(BASE64URL, 43)}"\n` },
    { path: 'roles/htpasswd.yml', text: `password: "$2y$05$${gen.chars(`${ALNUM}./`, 53)}"\n` },
    { path: 'molecule/prepare.yml', text: `  htpasswd: "test:$2y$05$${gen.chars(`${ALNUM}./`, 53)}"\n` },
    { path: 'tests/test_handlers.py', text: `        ("password", "$p5k2$1$$${gen.chars(BASE64URL, 27)}="),\n` },
    { path: 'mysql_user.yml', text: `password: "*${gen.chars('0123456789ABCDEF', 40)}"\n` },
    { path: 'bgp_neighbors.yml', text: `password: U2FsdGVkX1${gen.chars(BASE64URL.replace(/[-_]/g, ''), 30)}=\n` },
    { path: 'saml/authn.py', text: 'password = "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"\n' },
    { path: 'entry_points.txt', text: 'password = keystoneauth1.loading._plugins.identity.v3:Password\n' },
    { path: 'entry_points.txt', text: 'v3samlpassword = keystoneauth1.extras._saml2._loading:Saml2Password\n' },
    { path: 'saml2/__init__.py', text: "__all__ = ('V3Saml2Password', 'V3ADFSPassword')\n" },
    { path: 'log/development.log', text: `  Parameters: {"_token"=>"${gen.chars(BASE64URL, 43)}=", "id"=>""}\n` },
    { path: 'testdata/token.json', text: `{"accessToken": "${Buffer.from('this is not a real value').toString('base64')}"}\n` },
    // Labels and translations, cipher lists, module paths, code, salts and hashes named after the secret.
    { path: 'languages/i18n/de.json', text: '  "passwordreset-email": "E-Mail-Adresse:",\n' },
    { path: 'config/locales/nl.yml', text: '    api_key: API-toegangssleutel\n' },
    { path: 'scripts/tls-ciphersuites.txt', text: 'password=ECCPWD:ECCPWD:AES:GCM:128:AEAD\n' },
    { path: 'bench/debian-packages.txt', text: 'php-symfony-password-hasher=5.4.53+dfsg-0+deb12u1\n' },
    { path: 'scripts/tls-ciphersuites.txt', text: 'c0b0:TLS_ECCPWD_WITH_AES_128_GCM_SHA256:ECCPWD:ECCPWD:AES:GCM:128:AEAD:128:SHA256:256:rfc8492:0:0300:ffff\n' },
    { path: 'spnego/http.go', text: '\tctxCredentials = "github.com/jcmturner/gokrb5/v8/ctxCredentials"\n' },
    { path: 'docs/config-schema.yaml', text: '    dbPassword: $wgDBpassword.\n' },
    { path: 'README.md', text: '    private_key = OpenSSL::PKey::RSA.new\n' },
    { path: 'core/core_test.go', text: `\t"PasswordSalt":"${gen.chars(BASE64URL.replace(/[-_]/g, ''), 22)}==",\n` },
    { path: 'lib/rbnacl/test_vectors.rb', text: `    secret_key: "${gen.chars(HEX, 64)}",\n` },
    { path: 'tests/hmac.rs', text: 'let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";\n' },
    { path: 'providers/rfc2136.toml', text: `TSIG_SECRET = "${Buffer.from('abcdefghijklmnopqrstuvwxyz12345').toString('base64')}"\n` },
    { path: 'get_oauth_token.php', text: `//$clientSecret = 'RANDOMCHARS-----${random(10)}';\n` },
    // Made up along the home row, as docstrings do.
    { path: 'oauth1_session.py', text: "        'oauth_token_secret': '2kjshdfp92i34asdasd',\n" },
    { path: 'oauth1_session.py', text: "        'oauth_token_secret': 'lsdajfh923874',\n" },
    { path: 'plugin/auth.conf', text: 'password = g:netrw_passwd\n' },
    // Error codes and labels.
    { path: 'dist/auth.js', text: 'CREDENTIAL_MISMATCH:"auth/custom-token-mismatch",\n' },
    { path: 'src/constants.js', text: 'export const X_AWS_EC2_METADATA_TOKEN = "x-aws-ec2-metadata-token";\n' },
    { path: 'types.d.ts', text: '    readonly ReadScimToken: "read:scim_token";\n' },
    // Public tokens: pagination cursors, idempotency keys, anti-forgery tokens, public ids.
    { path: 'fixtures/list.json', text: `{"Items": [], "NextToken": "${gen.chars(BASE64URL, 48)}"}\n` },
    { path: 'src/page.ts', text: `const res = await list({ nextPageToken: '${random(40)}' });\n` },
    { path: 'examples/run.py', text: `ec2.run_instances(ClientToken="${random(32)}")\n` },
    { path: 'examples/create.json', text: `{"ClientRequestToken": "${random(36)}"}\n` },
    { path: 'templates/form.html', text: `<input type="hidden" name="authenticity_token" value="${gen.chars(BASE64URL, 86)}" />\n` },
    { path: 'app/settings.yml', text: `csrf_token: ${random(40)}\n` },
    { path: 'fixtures/passkey.json', text: `{"credentialId": "${gen.chars(BASE64URL, 22)}"}\n` },
    { path: 'fixtures/secret.json', text: `{"SecretId": "${random(24)}"}\n` },
    { path: 'src/stripe.js', text: `const publicToken = "${random(43)}";\n` },
    { path: 'examples/pay.js', text: `versionToken: "${random(45)}",\n` },
    // Timestamps, addresses, ARNs, roles, file names, versions.
    { path: 'fixtures/user.json', text: '{"PasswordLastUsed": "2024-05-01T12:00:00Z"}\n' },
    { path: 'src/erc20.ts', text: `const tokenAddress = "0x${gen.chars(HEX, 40)}";\n` },
    { path: 'infra/app.yaml', text: `DbSecret: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-${random(6)}\n` },
    { path: 'docs/grammar.rst', text: `Use :token:\`${random(20)}\` in the grammar.\n` },
    { path: 'CHANGELOG.md', text: 'token: token-bucket-limiter.js\n' },
    { path: 'build.gradle', text: 'notes = "Maven - io.jsonwebtoken:jjwt-jackson-0.11.2"\n' },
    { path: 'deploy/values.yml', text: `keyVaultToStoreSecrets: ${gen.pick(['cmp2-qat', 'kv-prod', 'vault-eu1'])}-${gen.chars(DIGITS, 10)}\n` },
    // Generated and written placeholders.
    { path: 'docs/api.md', text: 'api_key: my_apiKey\n' },
    { path: 'tests/client.test.ts', text: 'const apiKey = "test-api-key-for-unit-tests-only";\n' },
    { path: 'README.md', text: 'API_TOKEN=SomeKindOfSecretValue\n' },
    { path: '.env.example', text: 'SECRET_KEY=qwertyuiopasdfghjkl\n' },
    { path: '.env.example', text: 'SECRET_KEY=abcdefghijklmnopqrstuvwxyz0123\n' },
    { path: '.env.example', text: `API_KEY=zxcvb${random(6)}12345${random(6)}\n` },
    // Placeholders in capitals, examples that start with their own name, a word and a short body.
    { path: 'types.d.ts', text: ` * clientSecret: "VERYLONGSECRET${gen.chars(BASE64URL, 50)}",\n` },
    { path: 'examples.json', text: `"termToken": "term-token-${random(24)}"\n` },
    { path: 'README.md', text: `  accessToken: 'preview_${gen.chars(LOWER_ALNUM, 10)}',\n` },
    { path: 'client_test.go', text: `token := "sm_aat_${gen.chars(LOWER_ALNUM, 10)}"\n` },
    // Pasted twice, blocks of one character, characters no key alphabet has.
    { path: 'config.yml', text: `api_token: ${((r: string) => `${r}${random(9)}${r}`)(random(12))}\n` },
    { path: 'config.yml', text: `refresh_token: ${random(20)}AAAABBBBCCCC${random(20)}\n` },
    { path: 'main.go', text: `bugsnagToken := "%c^${random(10)}-${random(4)}"\n` },
    { path: 'app.yml', text: `api_key: ?${random(23)}\n` },
    { path: 'settings.py', text: `vultrapikey = '${random(10)}?${random(25)}'\n` },
    // Host names, publishable keys, test code's deliberately wrong values.
    { path: 'config.env', text: `INVOICE_SECRET=${gen.chars(HEX, 6)}.invoices-corp.com\n` },
    { path: 'config.env', text: `LOB_TOKEN=live_pub_${gen.chars(HEX, 31)}\n` },
    { path: 'client_test.go', text: `nonMatchingToken := "${gen.chars(LOWER_ALNUM, 16)}"\n` },
    // Under a provider's name, a value of the wrong shape for it: that provider's rule judged it.
    { path: 'deploy.env', text: `TELEGRAM_BOT_TOKEN=${gen.chars(DIGITS, 4)}:A${gen.chars(LOWER_ALNUM, 35)}\n` },
    { path: 'deploy.env', text: `WANDB_API_KEY=${gen.chars(HEX, 34)}\n` },
    { path: '.env', text: `AWS_SECRET_ACCESS_KEY = ${gen.chars(ALNUM, 54)}==\n` },
    // A hex key with one letter changed, as fixtures break a key on purpose.
    { path: 'src/client.go', text: `req.Header.Set("X-Api-Key", "${gen.chars(HEX, 14)}${gen.pick(['q', 'r', 'w', 'z'])}${gen.chars(HEX, 17)}")\n` },
    // The operators of Makefiles, PHP, calls and XML across lines, followed by code, a reference or a label.
    { path: 'Makefile', text: 'API_TOKEN ::= $(shell cat .secrets/api-token)\n' },
    { path: 'src/config.php', text: '$apiToken .= $tokenSuffix;\n' },
    { path: 'src/main/java/App.java', text: 'System.setProperty("API_TOKEN", System.getenv("API_TOKEN"));\n' },
    { path: 'cmd/flags.go', text: 'flag.String("api_token", "the API token to use")\n' },
    { path: 'dist/index.js.map', text: `{"names":["withCredentials","${random(13)}","secretKey","${random(24)}"]}\n` },
    { path: 'src/main/java/Pager.java', text: `params.put("nextPageToken", "${random(32)}");\n` },
    { path: 'pom.xml', text: '<password>\n  ${env.DB_PASSWORD}\n</password>\n' },
    { path: 'conf/settings.xml', text: `<token>\n  ${random(32)}\n  <expires>3600</expires>\n` },
    { path: 'Web.config', text: '<add key="ApiToken"\n     value="%API_TOKEN%" />\n' },
  ];
}

const genericRule: Rule = {
  id: 'generic-credential',
  title: 'Credential assigned in code or configuration',
  provider: 'Generic',
  severity: 'medium',
  keywords: GENERIC_KEYWORDS,
  pattern: GENERIC_PATTERN,
  // The value starts at most 24 (name suffix) + 2 (closing quote, bracket) + 4 + 28 (a line break, 16
  // blanks and `value    =`) + 16 + 2 (opening quote) = 76 characters after the keyword. Its run of VALUE's class is at least 11
  // long although the pattern accepts 8: Shannon entropy is at most log2 of the number of distinct
  // symbols, so 3.5 bits takes 12 of them, and base64 padding can be only one (`=`, outside the class).
  // Shorter values would fail `minEntropy` anyway; the gate just turns them away before the pattern.
  valueRun: { chars: VALUE_CHARS, min: MIN_ENTROPY_RUN, within: 76, distinct: MIN_ENTROPY_RUN },
  generic: true,
  userChosen: true,
  minEntropy: MIN_ENTROPY,
  validate: isCredentialValue,
  acceptMatch: isCredentialAssignment,
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
      // Syntaxes that hold a value without `=` or `:` next to the name, each at the path it lives at.
      const placed: Array<[string, (v: string) => string]> = [
        ['Makefile', (v) => `API_TOKEN ::= ${v}\n`],
        ['src/config.php', (v) => `$apiToken .= '${v}';\n`],
        ['src/main/java/App.java', (v) => `System.setProperty("SERVICE_TOKEN", "${v}");\n`],
        ['cmd/env.go', (v) => `token := utils.GetEnvOrDefault("api_token", "${v}")\n`],
        ['conf/settings.xml', (v) => `<password>\n  ${v}\n</password>\n`],
        ['Web.config', (v) => `<add key="ApiToken"\n     value="${v}" />\n`],
      ];
      return [
        ...cases.map((c) => {
          const v = sampleValue(gen);
          return { text: c(v), secret: v };
        }),
        ...placed.map(([path, c]) => {
          const v = sampleValue(gen);
          return { path, text: c(v), secret: v };
        }),
      ];
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
      ...codeNegatives(gen),
    ],
  },
};

/** What the specific rules own (see `Rule.owns`), gathered once for the generic rule. */
interface Owned {
  prefixes: readonly string[];
  /** Markers a format ends with (New Relic's `-NRMA`). */
  suffixes: readonly string[];
  /** Lowercase provider words, each one word of a variable name. */
  names: ReadonlySet<string>;
  /** Whole variable names that say which credential they hold (`aws_secret_access_key`), compacted: `awssecretaccesskey`. */
  wholeNames: readonly string[];
}

/**
 * Starts and words that the specific rules claim but that other values and names carry too: a plain
 * word and a separator (`secret_`, `server_`), base64 of zero bytes, an Azure Key Vault (`KEY_VAULT_SECRET`).
 * The generic rule keeps judging these itself.
 */
const SHARED_STARTS = new Set(['secret_', 'server_', 'mobile_', 'web_', 'API-', 'pub-c-', 'sub-c-', 'EAA', 'AAAAAAAAAAAAAAAAAAAAA', 'NF-', 'na1.', 'eu1.', 'ext_', 'sc_', 'pk_', 'sk_', 'sl.', 're_', 'fw_', 'oy2']);
const SHARED_WORDS = new Set(['vault', 'sumo', 'xray', 'drone', 'circle', 'authtoken', 'iamtoken']);

function ownedBy(rules: readonly Rule[]): Owned {
  const prefixes = new Set<string>();
  const suffixes = new Set<string>();
  const names = new Set<string>();
  const wholeNames = new Set<string>();
  for (const rule of rules) {
    for (const p of rule.owns?.prefixes ?? []) if (p.length >= 3 && !SHARED_STARTS.has(p)) prefixes.add(p);
    for (const p of rule.owns?.suffixes ?? []) if (p.length >= 4) suffixes.add(p);
    for (const n of rule.owns?.names ?? []) {
      if (/^[a-z0-9]{4,}$/.test(n)) {
        if (!SHARED_WORDS.has(n)) names.add(n);
      } else if (/[_.-]/.test(n)) {
        // A whole name (`dd_api_key`) counts whole: its words (`api`, `key`) are everybody's.
        wholeNames.add(compact(n));
      }
    }
  }
  return { prefixes: [...prefixes], suffixes: [...suffixes], names, wholeNames: [...wholeNames] };
}

const compact = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The generic rule, deferring to the specific rules of `catalogue`: a value that starts with a prefix
 * (or ends with a marker) one of them owns, or that a variable named after such a provider holds, is
 * that rule's to judge.
 */
function genericRuleFor(catalogue: readonly Rule[]): Rule {
  const owned = ownedBy(catalogue);
  if (owned.prefixes.length === 0 && owned.suffixes.length === 0 && owned.names.size === 0 && owned.wholeNames.length === 0) return genericRule;
  const valueOwned = (v: string): boolean => owned.prefixes.some((p) => v.startsWith(p)) || owned.suffixes.some((p) => v.endsWith(p));
  const ownedNames = [...owned.names];
  const namesOwner = (name: string): boolean => {
    const parts = words(name);
    // A provider's formats are those of what it issues; a password (`TELEGRAM_DB_PASSWORD`) is chosen by a person.
    if (parts.some(isPasswordWord)) return false;
    // `WANDB_API_KEY`, and names written in one piece: `telegrambottoken`.
    if (parts.some((w) => owned.names.has(w)) || ownedNames.some((n) => parts[0]?.startsWith(n) === true)) return true;
    const whole = compact(name);
    return owned.wholeNames.some((n) => whole.endsWith(n));
  };
  return {
    ...genericRule,
    validate: (v) => isCredentialValue(v) && !valueOwned(v),
    acceptMatch: (c) => isCredentialAssignment(c) && !namesOwner(nameAt(c.text, c.index, c.match)),
  };
}

/** The JWT and generic rules, the latter leaving to `catalogue`'s rules what they own. */
export function genericRulesFor(catalogue: readonly Rule[]): Rule[] {
  return [jwtRule, genericRuleFor(catalogue)];
}

export const genericRules: Rule[] = genericRulesFor([]);
