/** A path into the config document: mapping keys and list indexes. */
export type FieldPath = ReadonlyArray<string | number>;

export interface ConfigErrorDetails {
  /** The config file as the user named it (or the default path). */
  file: string;
  /** Where in the document, e.g. `["rules", "custom", 0, "pattern"]`; empty for the document as a whole. */
  path: FieldPath;
  /** 1-based line of the offending node, when known. */
  line?: number;
  /** What the field must be, completing "expected ...". */
  expected: string;
  /** What was found, already quoted with `describe` / `quote`; omitted when echoing it would not help. */
  got?: string;
  cause?: unknown;
}

/**
 * A config problem a person can act on, in one line:
 * `<file>[:<line>]: <field>: expected <what>, got <value>`.
 * The parts stay available as properties so the action can annotate the file at the line.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly file: string;
  /** Dotted field path, e.g. `rules.custom[0].pattern`; empty for the whole document. */
  readonly field: string;
  readonly line: number | undefined;
  readonly expected: string;
  readonly got: string | undefined;

  constructor(details: ConfigErrorDetails) {
    const field = formatPath(details.path);
    const file = escapeText(details.file);
    const where = details.line === undefined ? file : `${file}:${details.line}`;
    const got = details.got === undefined ? '' : `, got ${details.got}`;
    super(oneLine(`${where}: ${field === '' ? '' : `${field}: `}expected ${details.expected}${got}`), { cause: details.cause });
    this.file = details.file;
    this.field = field;
    this.line = details.line;
    this.expected = details.expected;
    this.got = details.got;
  }
}

/** `["rules", "custom", 0, "pattern"]` -> `rules.custom[0].pattern`; odd keys are quoted: `secrets["DEPLOY_*"]`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${quote(seg)}]`;
  }
  return out;
}

const MAX_ECHO = 80;

/**
 * A user-supplied string, double-quoted, with control, format and line-separator characters escaped so
 * that it cannot break the line or start a workflow command, and cut to a readable length.
 */
export function quote(text: string): string {
  const cut = text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}\u2026` : text;
  return `"${escapeText(cut.replace(/\\/g, '\\\\')).replace(/"/g, '\\"')}"`;
}

/** Escapes every character that could alter how a log line is shown or parsed (newlines, bidi controls...). */
export function escapeText(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- these are exactly the characters being neutralised
    /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g,
    (c) => {
      const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
      return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    },
  );
}

/** How a parsed YAML value reads in "got ...": strings quoted, collections by kind. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Map || typeof value === 'object') return 'a mapping';
  return typeof value;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}
