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
  'of', 'for', 'and', 'or', 'is', 'in', 'only', 'cleartext', 'plaintext', 'plain', 'unit', 'tests', 'testing', 'some', 'kind', 'demo', 'openai', 'anthropic', 'github', 'stripe', 'slack', 'aws', 'gcp', 'google',
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
  if (isTypedPattern(value)) return true;
  if (hasLongXRun(lower)) return true;
  if (typedRuns(lower, value).typedShare) return true;
  return PLACEHOLDER_WORD_RE.test(lower) && isMadeOfPlaceholderWords(value);
}

/**
 * Patterns a person types and no random body holds: an alphabet, counting or keyboard run of eight
 * (six on a keyboard row), counting interleaved across letters and digits (`a1b2c3d4`), one character
 * repeated, AWS's documentation suffix. Safe for every rule, including the strict formats that skip the
 * word checks: a random base62 body of 40 holds such a run about once in ten million.
 */
export function isTypedPattern(value: string): boolean {
  for (const suffix of DOC_SUFFIXES) if (value.endsWith(suffix)) return true;
  // AWS's documentation marks every sample value so (`EXAMPLE1-90ab-…`); seven fixed capitals in a random body are a 1-in-3-trillion draw.
  if (value.includes('EXAMPLE')) return true;
  if (isMostlyOneCharacter(value)) return true;
  const lower = value.toLowerCase();
  if (lower.includes('xxxxxxxx')) return true;
  const runs = typedRuns(lower, value);
  if (runs.longestCount >= 8 || runs.longestKeyboard >= 6 || runs.mostlyRuns || runs.countAtEnd >= TRAILING_COUNT) return true;
  if (isInterleavedCount(lower)) return true;
  // A provider's prefix is not part of the count: `shpss_a1b2c3d4e5f6…` is typed after its `shpss_`.
  const body = lower.replace(PREFIX_WORDS, '');
  return body.length !== lower.length && body.length >= 8 && isInterleavedCount(body);
}

/**
 * A count that ends the value (`…GyFdHJ5abc123456`): made-up bodies are padded so, to the right length.
 * A random base62 body ends in a count of six about once in a billion keys, a hexadecimal one about once
 * in 500,000.
 */
const TRAILING_COUNT = 6;

/** One or two lowercase words and a separator that start a token: `sk_live_`, `shpss_`, `glpat-`. */
const PREFIX_WORDS = /^[a-z]{2,8}[_-](?:[a-z]{2,8}[_-])?/;

/**
 * `your-api-key-here`, `YOUR_OPENAI_API_KEY`, `yourApiKeyHere`, `changeme`: at least one placeholder word,
 * and placeholder or filler words make up most of the value. Camel case is split too, which chops a
 * random mixed-case body into short pieces; the coverage threshold is what keeps those pieces from
 * counting.
 */
function isMadeOfPlaceholderWords(value: string): boolean {
  const words = value
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    // `Password1`: a digit closing a word is a word and a number.
    .replace(/([a-zA-Z])([0-9])/g, '$1 $2')
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

/** Letter rows of a keyboard (the digit row is a count): `qwerty`, `asdfgh` and `zxcvbn` are typed, not drawn. */
const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** The next key along a row, left to right; read backwards for right to left. */
const KEY_RIGHT: ReadonlyMap<string, string> = new Map(KEYBOARD_ROWS.flatMap((row) => [...row.slice(0, -1)].map((c, i) => [c, row[i + 1] as string] as [string, string])));

interface TypedRuns {
  /** Longest run counting up or down (`12345678`, `0123456789abcdef`, `zyxwvuts`). */
  longestCount: number;
  /** Longest run along a keyboard row. */
  longestKeyboard: number;
  /** Length of the counting run that ends the value. */
  countAtEnd: number;
  /** Most of the value is made of counting runs of three or more (`abc123xyz456`). */
  mostlyRuns: boolean;
  /** Two typed runs of five or more, or typed runs of four or more covering 40% of the value (`zxcvb…12345…`). */
  typedShare: boolean;
}

/**
 * One pass over the value for every kind of typed run. A random base62 body has a counting run of
 * three about once in 4,000 characters, of five about once in 6 million, and a keyboard run of five
 * about once in 4 million.
 */
function typedRuns(lower: string, original: string = lower): TypedRuns {
  const n = lower.length;
  // Per kind of step, the length of the run ending at each character.
  const runs = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
  // 0 = not in a typed run of four or more; otherwise the id of the (merged) run it belongs to.
  const cover = new Int32Array(n);
  let longestCount = n > 0 ? 1 : 0;
  let longestKeyboard = n > 0 ? 1 : 0;
  let inRuns = 0;
  for (let i = 0; i < n; i++) {
    const cur = lower.charCodeAt(i);
    const prev = i > 0 ? lower.charCodeAt(i - 1) : -1;
    const alnum = (cur >= 0x30 && cur <= 0x39) || (cur >= 0x61 && cur <= 0x7a);
    // `9` -> `a` continues a hexadecimal count.
    const steps = [
      alnum && (cur - prev === 1 || (prev === 0x39 && cur === 0x61)),
      alnum && (prev - cur === 1 || (prev === 0x61 && cur === 0x39)),
      i > 0 && sameCase(original, i) && KEY_RIGHT.get(lower[i - 1] as string) === lower[i],
      i > 0 && sameCase(original, i) && KEY_RIGHT.get(lower[i] as string) === lower[i - 1],
    ];
    // One direction per run: `zxzx` goes back and forth and is no run.
    for (let k = 0; k < 4; k++) {
      const run = (runs[k] as Uint8Array);
      run[i] = steps[k] ? Math.min(255, (run[i - 1] ?? 0) + 1) : 1;
      const len = run[i] as number;
      if (k < 2) longestCount = Math.max(longestCount, len);
      else longestKeyboard = Math.max(longestKeyboard, len);
      if (len >= 4) for (let j = i - len + 1; j <= i; j++) cover[j] = 1;
    }
  }
  // Counting runs of three or more, for "mostly runs": a run ends where the next step does not continue it.
  for (let k = 0; k < 2; k++) {
    const run = runs[k] as Uint8Array;
    for (let i = 0; i < n; i++) if ((run[i] as number) >= 3 && (i + 1 === n || (run[i + 1] as number) === 1)) inRuns += run[i] as number;
  }
  let typed = 0;
  let long = 0;
  for (let i = 0, start = -1; i <= n; i++) {
    if (i < n && cover[i] === 1) {
      typed++;
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (i - start >= 5) long++;
      start = -1;
    }
  }
  const mostlyRuns = n >= 6 && inRuns >= n * 0.75;
  const countAtEnd = n === 0 ? 0 : Math.max(runs[0]?.[n - 1] ?? 0, runs[1]?.[n - 1] ?? 0);
  return { longestCount, longestKeyboard, countAtEnd, mostlyRuns, typedShare: long >= 2 || (n >= 10 && typed >= n * 0.4) };
}

/** A keyboard run is typed in one case (`qwerty`, `ASDFGH`); random bodies flip case, which makes a run of six 60 times rarer. */
function sameCase(value: string, i: number): boolean {
  const a = value.charCodeAt(i - 1);
  const b = value.charCodeAt(i);
  return (a >= 0x61) === (b >= 0x61);
}

/**
 * `a1b2c3d4e5f6`, `1a2b3C4d-5E6f`: its letters count up and so do its digits, each taken alone.
 * Random letters count up one step in 26, so four steps in a row of five letters happen once in 450,000.
 */
function isInterleavedCount(lower: string): boolean {
  const letters = lower.replace(/[^a-z]/g, '');
  const digits = lower.replace(/[^0-9]/g, '');
  if (letters.length < 4 || digits.length < 4) return false;
  return countsUp(letters, 26, 0x61) && countsUp(digits, 10, 0x30);
}

/** At least 80% of the steps go up by one (wrapping around the alphabet; `f` -> `a` ends a hex count). */
function countsUp(seq: string, size: number, base: number): boolean {
  let steps = 0;
  for (let i = 1; i < seq.length; i++) {
    const a = seq.charCodeAt(i - 1) - base;
    const b = seq.charCodeAt(i) - base;
    if (b === (a + 1) % size || (size === 26 && a === 5 && b === 0)) steps++;
  }
  return steps >= (seq.length - 1) * 0.8;
}

/**
 * Two blocks of one character repeated four times (`…AAAABBBB…`, `00001111-22223333`): typed, not drawn.
 * Not part of `isTypedPattern`: base64 of binary data (PEM bodies, macaroons, JWTs) holds `AAAA` for zero
 * bytes, so only rules whose values are text use it.
 */
export function hasRepeatedBlocks(value: string): boolean {
  return (value.match(/(.)\1{3}/g)?.length ?? 0) >= 2;
}
