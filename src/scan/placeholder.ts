/**
 * Recognises values that only look like keys: documentation placeholders, template expressions and
 * environment lookups.
 *
 * Every check has to stay safe for random key bodies, which contain any short letter sequence sooner or
 * later: a base62 body spells "your" about once in 60,000 keys of length 40, and base64url bodies (JWTs)
 * split into chunks at `-`, `_` and `.` that can read "key" or "my". So word checks ask how much of the
 * value the placeholder words explain, never merely whether a word occurs; runs of `x` count only when
 * they are long; and template markers are characters that no key alphabet uses.
 */

/** Words that mark a value as written for a reader, not issued by a provider. */
const PLACEHOLDER_WORDS = new Set([
  'your', 'yours', 'my', 'example', 'examples', 'sample', 'placeholder', 'dummy', 'changeme', 'change',
  'replace', 'redacted', 'insert', 'here', 'todo', 'fixme', 'xxx', 'null', 'undefined', 'none', 'foo', 'bar',
  'secret', 'password', 'token', 'apikey', 'key', 'fake', 'mock', 'invalid', 'notreal', 'censored', 'hidden',
  'removed', 'omitted', 'enter', 'put', 'goes',
]);

/**
 * Words that commonly surround a placeholder word (`your-openai-api-key-here`). They count toward how
 * much of the value is explained, but never mark a value on their own: a key may well contain `live`.
 */
const FILLER_WORDS = new Set([
  'a', 'an', 'the', 'with', 'own', 'real', 'actual', 'value', 'string', 'api', 'access', 'client', 'app', 'auth',
  'id', 'sk', 'pk', 'rk', 'live', 'test', 'prod', 'dev', 'staging', 'private', 'public', 'service', 'account',
  'user', 'db', 'database', 'bot', 'webhook', 'personal', 'org', 'project', 'proj', 'new', 'old', 'this', 'to',
  'of', 'for', 'and', 'or', 'is', 'in', 'openai', 'anthropic', 'github', 'stripe', 'slack', 'aws', 'gcp', 'google',
  'azure', 'twilio', 'sendgrid', 'mailgun', 'huggingface', 'hf', 'gitlab', 'npm', 'pypi', 'docker',
]);

/** Substrings that only templates, elisions, masks and lookups contain; no key alphabet has them. */
const TEMPLATE_MARKERS = [
  '${', '{{', '}}', '{%', '#{', '%(', '<', '>', '...', '\u2026', '%s', '$(', 'process.env', 'os.environ', 'getenv',
  'env[', '****', '####',
];

/** AWS publishes its documentation keys with these endings. */
const DOC_SUFFIXES = ['EXAMPLE', 'EXAMPLEKEY'];

/** One pass over the value for every template marker, instead of one `includes` per marker. */
const TEMPLATE_RE = new RegExp(TEMPLATE_MARKERS.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));

/**
 * Every placeholder word as a substring: a value none of them occurs in cannot be made of them, which
 * spares the word split for almost every real key (the common case on a hot path).
 */
const PLACEHOLDER_WORD_RE = new RegExp([...PLACEHOLDER_WORDS].join('|'));

/** Share of a value's letters and digits that placeholder words must explain. */
const WORD_COVERAGE = 0.6;

/** True when `value` is a placeholder, a template or an environment lookup rather than a credential. */
export function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  if (TEMPLATE_RE.test(lower)) return true;
  for (const suffix of DOC_SUFFIXES) if (value.endsWith(suffix)) return true;
  if (isMostlyOneCharacter(value)) return true;
  if (hasLongXRun(lower)) return true;
  if (hasCountingRun(lower)) return true;
  return PLACEHOLDER_WORD_RE.test(lower) && isMadeOfPlaceholderWords(value);
}

/**
 * `your-api-key-here`, `YOUR_OPENAI_API_KEY`, `yourApiKeyHere`, `changeme`: at least one placeholder word,
 * and placeholder or filler words make up most of the value. Camel case is split too, which chops a
 * random mixed-case body into short pieces; the coverage threshold is what keeps those pieces from
 * counting.
 */
function isMadeOfPlaceholderWords(value: string): boolean {
  const words = value
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
  let total = 0;
  let explained = 0;
  let marked = false;
  for (const w of words) {
    total += w.length;
    if (PLACEHOLDER_WORDS.has(w)) {
      marked = true;
      explained += w.length;
    } else if (FILLER_WORDS.has(w) || /^[0-9]{1,4}$/.test(w)) {
      explained += w.length;
    }
  }
  return marked && explained >= total * WORD_COVERAGE;
}

/** A body of one repeated character (after any prefix) is a placeholder such as `sk-aaaaaaaa`. */
function isMostlyOneCharacter(value: string): boolean {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < value.length; i++) {
    run = i > 0 && value[i] === value[i - 1] ? run + 1 : 1;
    if (run > longest) longest = run;
  }
  return longest >= 6 && longest * 2 >= value.length;
}

/**
 * `sk-xxxxxxxxxxxxxxxx`, `AKIAXXXXXXXXXXXXXXXX`, `xxxx-xxxx`: a run of eight x's anywhere, or of four that
 * stands alone between delimiters. A random base62 body has four x's in a row about once in a million.
 */
function hasLongXRun(lower: string): boolean {
  if (lower.includes('xxxxxxxx')) return true;
  return /(?:^|[^a-z0-9])x{4,}(?:$|[^a-z0-9])/.test(lower);
}

/**
 * Typed by a person counting: one run of eight (`12345678`, `0123456789abcdef`), or a value made mostly of
 * runs of three or more (`abc123xyz456`). Random bodies have a run of three about once in 4,000 characters.
 */
function hasCountingRun(lower: string): boolean {
  let run = 1;
  let inRuns = 0;
  for (let i = 1; i <= lower.length; i++) {
    const prev = lower.charCodeAt(i - 1);
    const cur = i < lower.length ? lower.charCodeAt(i) : -1;
    const alnum = (cur >= 0x30 && cur <= 0x39) || (cur >= 0x61 && cur <= 0x7a);
    // `9` -> `a` continues a hexadecimal count.
    const counting = alnum && (cur - prev === 1 || (prev === 0x39 && cur === 0x61));
    if (counting) {
      run++;
      if (run >= 8) return true;
    } else {
      if (run >= 3) inRuns += run;
      run = 1;
    }
  }
  return lower.length >= 6 && inRuns >= lower.length * 0.75;
}
