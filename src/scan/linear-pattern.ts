/**
 * User-supplied patterns (custom rules, `allow.values`) run on RE2 (the `re2js` port), whose matching
 * time is linear in the text whatever the pattern: a config file cannot make the scan backtrack for
 * hours. Built-in rules stay on V8's engine, which is faster on the patterns we write and review.
 *
 * RE2 has no lookahead and no backreferences. One lookahead is too common in key patterns to refuse,
 * a trailing `(?!x)` of one character or class (`[a-z0-9]{32}(?![a-z0-9])`): it is checked here on the
 * one character after the match, which keeps it linear.
 */
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';

/**
 * The RE2 port, from `re2js.cjs` beside this module (the sources' copy, or the one the build puts beside
 * the bundle) on first use. A computed path, so that the bundler leaves the require to run time.
 */
let loaded: typeof RE2JS | undefined;
function re2(): typeof RE2JS {
  const chunk = './re2js.cjs';
  return (loaded ??= (createRequire(import.meta.url)(chunk) as { RE2JS: typeof RE2JS }).RE2JS);
}

/** What a key pattern is asked: its source and flags as written, for messages and SARIF. */
export interface LinearPatternInfo {
  readonly source: string;
  /** `i` when the pattern ignores case. */
  readonly flags: string;
  /** Number of capture groups. */
  readonly captureCount: number;
  readonly groupNames: readonly string[];
}

/** A trailing negative lookahead of one character, class or escape: `(?![a-z0-9])`, `(?!\w)`, `(?!=)`. */
const TRAILING_LOOKAHEAD = /\(\?!(\[(?:\\.|[^\]\\])+\]|\\[a-zA-Z]|[^()[\]\\|*+?{}.^$])\)$/;

/** Thrown for a pattern RE2 cannot compile; the message is RE2's, meant for a config error. */
export class LinearPatternError extends Error {}

/** A user pattern compiled for RE2, with the sticky adapter the engine tries at each keyword. */
export class LinearPattern implements LinearPatternInfo {
  readonly source: string;
  readonly flags: string;
  readonly captureCount: number;
  readonly groupNames: readonly string[];
  /** The pattern (without the trailing lookahead) for a match at the very start of the text. */
  private readonly atStart: RE2JS;
  /** The same, after one character of context, so `\b` and lookbehinds see what precedes the keyword. */
  private readonly afterOne: RE2JS;
  /** The trailing lookahead's character test, if any. */
  private readonly notFollowedBy: RE2JS | undefined;

  constructor(source: string, flags = '') {
    this.source = source;
    this.flags = flags.includes('i') ? 'i' : '';
    const RE2 = re2();
    const reFlags = RE2.LOOKBEHINDS | (this.flags === 'i' ? RE2.CASE_INSENSITIVE : 0);
    const ahead = TRAILING_LOOKAHEAD.exec(source);
    const body = ahead === null ? source : source.slice(0, ahead.index);
    try {
      this.atStart = RE2.compile(body, reFlags);
      this.afterOne = RE2.compile(`(?s:.)(?:${body})`, reFlags);
      this.notFollowedBy = ahead === null ? undefined : RE2.compile(`^(?:${ahead[1] as string})`, reFlags);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new LinearPatternError(message.replace(/^error parsing regexp: /, ''), { cause: error });
    }
    this.captureCount = this.atStart.groupCount();
    this.groupNames = Object.keys(this.atStart.namedGroups());
  }

  /**
   * Whether the pattern matches anywhere in `text` (the `allow.values` test on one secret). With a
   * trailing lookahead, each match end is checked in turn.
   */
  test(text: string): boolean {
    if (this.notFollowedBy === undefined) return this.atStart.test(text);
    const m = this.atStart.matcher(text);
    let from = 0;
    while (from <= text.length && m.find(from)) {
      if (this.followOk(text, m.end())) return true;
      from = m.start() + 1;
    }
    return false;
  }

  /**
   * A RegExp-shaped sticky matcher for the engine: `exec` tries a match starting exactly at `lastIndex`
   * and at most `maxLength` characters long, and returns it with group indices (as the `d` flag would).
   */
  sticky(maxLength: number): StickyMatcher {
    return new LinearSticky(this, maxLength);
  }

  /** One anchored attempt at `at`; exported to the sticky adapter only. */
  matchAt(text: string, at: number, maxLength: number): RegExpExecArray | null {
    const withContext = at > 0;
    const from = withContext ? at - 1 : at;
    // One character past the longest match, so that `\b` or `$` at the match's end sees what follows.
    const slice = text.slice(from, at + maxLength + 1);
    const m = (withContext ? this.afterOne : this.atStart).matcher(slice);
    if (!m.lookingAt()) return null;
    const offset = withContext ? 1 : 0;
    if (m.end() - offset > maxLength) return null;
    if (!this.followOk(text, from + m.end())) return null;
    const groups: Array<string | undefined> = [];
    const spans: Array<[number, number] | undefined> = [];
    for (let g = 0; g <= this.captureCount; g++) {
      const start = g === 0 ? m.start() + offset : m.start(g);
      const value = m.group(g);
      groups.push(value ?? undefined);
      spans.push(value === null || start < 0 ? undefined : [from + start, from + start + value.length]);
    }
    const result = groups as unknown as RegExpExecArray & { indices: Array<[number, number] | undefined> & { groups?: Record<string, [number, number] | undefined> } };
    result[0] = slice.slice(offset, m.end());
    spans[0] = [at, from + m.end()];
    result.index = at;
    result.input = text;
    result.indices = spans as typeof result.indices;
    if (this.groupNames.length > 0) {
      const named: Record<string, string | undefined> = {};
      const namedSpans: Record<string, [number, number] | undefined> = {};
      for (const [name, g] of Object.entries(this.atStart.namedGroups())) {
        named[name] = groups[g];
        namedSpans[name] = spans[g];
      }
      result.groups = named as Record<string, string>;
      result.indices.groups = namedSpans as Record<string, [number, number]>;
    }
    return result;
  }

  /** `/source/flags`, as a RegExp prints. */
  toString(): string {
    return `/${this.source}/${this.flags}`;
  }

  private followOk(text: string, end: number): boolean {
    if (this.notFollowedBy === undefined || end >= text.length) return true;
    const next = String.fromCodePoint(text.codePointAt(end) as number);
    return !this.notFollowedBy.test(next);
  }
}

/** The part of RegExp the engine's sticky attempts use. */
export interface StickyMatcher {
  lastIndex: number;
  exec(text: string): RegExpExecArray | null;
}

class LinearSticky implements StickyMatcher {
  lastIndex = 0;

  constructor(
    private readonly pattern: LinearPattern,
    private readonly maxLength: number,
  ) {}

  exec(text: string): RegExpExecArray | null {
    const m = this.pattern.matchAt(text, this.lastIndex, this.maxLength);
    this.lastIndex = m === null ? 0 : m.index + m[0].length;
    return m;
  }
}
