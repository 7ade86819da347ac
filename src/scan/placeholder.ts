/**
 * Recognises values that only look like keys: documentation placeholders, template expressions and
 * environment lookups. Word checks need a delimiter around the word so that a random key body that
 * happens to spell "your" is still reported.
 */

const PLACEHOLDER_WORDS = new Set([
  'your', 'yours', 'my', 'example', 'examples', 'sample', 'placeholder', 'dummy', 'changeme', 'change',
  'replace', 'redacted', 'insert', 'here', 'todo', 'fixme', 'xxx', 'null', 'undefined', 'none', 'foo', 'bar',
  'secret', 'password', 'token', 'apikey', 'key', 'fake', 'mock',
]);

/** Substrings that only templates, elisions and lookups contain. */
const TEMPLATE_MARKERS = ['${', '{{', '}}', '<', '>', '...', '\u2026', '%s', '$(', 'process.env', 'os.environ', 'getenv', 'env[', 'xxxx', '****', '####'];

/** AWS publishes these in its documentation; they end in EXAMPLE / EXAMPLEKEY. */
const DOC_SUFFIXES = ['EXAMPLE', 'EXAMPLEKEY'];

/** True when `value` is a placeholder, a template or an environment lookup rather than a credential. */
export function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  for (const marker of TEMPLATE_MARKERS) if (lower.includes(marker)) return true;
  for (const suffix of DOC_SUFFIXES) if (value.endsWith(suffix)) return true;
  if (isMostlyOneCharacter(value)) return true;
  const words = lower.split(/[^a-z0-9]+/).filter((w) => w.length > 0);
  // A delimited word like "your" or "example" marks prose; a single undelimited word is the whole value.
  if (words.length > 1 && words.some((w) => PLACEHOLDER_WORDS.has(w))) return true;
  if (words.length === 1 && PLACEHOLDER_WORDS.has(words[0] ?? '')) return true;
  return false;
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
