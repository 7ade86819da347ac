/**
 * The shapes shared by the whole engine: rules (data), findings (results) and the sample
 * generators that let every rule prove itself without a literal key in the repository.
 */

import type { LinearPattern } from './linear-pattern.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

/**
 * What a finding is. `key`: a credential someone can use. `transport`: no credential, but code that
 * sends one over plain `http://`; it is counted, reported and (under `fail-on`) judged apart from keys.
 */
export type FindingCategory = 'key' | 'transport';

/** Higher is more severe; used to sort and to trim reports to the most severe findings. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 4, high: 3, medium: 2, low: 1 };

/** Random material for building sample secrets at test time. */
export interface SampleGen {
  /** `n` characters drawn uniformly from `alphabet`. */
  chars(alphabet: string, n: number): string;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T;
  /** `n` random bytes. */
  bytes(n: number): Uint8Array;
}

export interface RuleSamples {
  /**
   * Builds one fresh secret in this rule's format, with a valid checksum where the format has one.
   * The test suite wraps it in many file syntaxes (.env, JSON, YAML, code, Dockerfile, ...) and expects
   * the rule to report exactly this value.
   */
  secret(gen: SampleGen): string;
  /**
   * The variable name the test assigns the secret to when wrapping it. Context-keyed rules (whose format
   * alone is too weak) need their provider's keyword here, e.g. `MISTRAL_API_KEY`. Default `API_TOKEN`.
   */
  name?: string;
  /** Set to false when the secret cannot be wrapped in generic syntaxes (multi-line blocks, URLs). */
  wrap?: boolean;
  /**
   * Extra whole texts, built at test time, where this rule must report exactly `secret` (once); `path`
   * (default `sample.txt`) where the kind of file matters.
   */
  positives?(gen: SampleGen): Array<{ text: string; secret: string; path?: string }>;
  /**
   * Texts, possibly built at test time, where this rule must report nothing: plain text (scanned as
   * `sample.txt`), or a text with the path it would live at, where the kind of file matters.
   */
  negatives(gen: SampleGen): Array<string | SampleFile>;
}

/** A sample text and the path it would live at. */
export interface SampleFile {
  path: string;
  text: string;
}

/** What `Rule.acceptMatch` sees of one match. */
export interface MatchContext {
  /** The file's repository-relative path. */
  path: string;
  /** The text searched, and where in it the match starts (at the keyword, for rules without `lookback`). */
  text: string;
  index: number;
  /** The whole match and its named groups. */
  match: string;
  groups: Readonly<Record<string, string | undefined>>;
  secret: string;
}

/** See `Rule.valueRun`. */
export interface ValueRun {
  chars: string;
  min: number;
  within: number;
  /**
   * `chars` is one literal string (`://`) that must start within reach, rather than a class of
   * characters: found at memchr speed, and far rarer than any one of its characters.
   */
  literal?: boolean;
  /**
   * The run must also hold this many different characters: what a minimum entropy implies (3.5 bits
   * take 12 symbols). A key name standing where a value would (`"client_secret": "client_secret"…`)
   * is a long run of few letters, and is turned away here instead of by the pattern.
   */
  distinct?: number;
}

/**
 * A detection rule. Rules are data: the engine knows nothing about providers.
 *
 * Matching contract (what keeps the engine linear): the engine finds every occurrence of every
 * keyword (case-insensitively) and tries the rule's pattern *at* that occurrence, as a sticky match.
 * So the pattern must begin with text that a keyword matches, and its quantifiers must be bounded.
 * A rule whose match starts before its keyword (a Telegram token's digits before `:AA`) sets
 * `lookback`: the engine then searches a window from `lookback` characters before the keyword.
 */
export interface Rule {
  /** Stable kebab-case id, used in config files, SARIF and fingerprints. */
  id: string;
  title: string;
  provider: string;
  severity: Severity;
  /** Lowercase literals; every match starts with (or, with `lookback`, contains) one of them. */
  keywords: string[];
  /**
   * The pattern, without g/y flags (the engine adds its own). May use the `i` flag. Built-in rules use
   * V8's RegExp; user-supplied ones a `LinearPattern` (RE2), whose time is linear whatever the pattern.
   */
  pattern: RegExp | LinearPattern;
  /** Capture group (number or name) holding the secret; default: the group named `secret`, else the whole match. */
  secretGroup?: number | string;
  /** Characters before the keyword where a match may start. Default 0: the match starts at the keyword. */
  lookback?: number;
  /**
   * With `lookback`: the match starts exactly where the run of `chars` that ends at the keyword begins,
   * and that run is `min` to `max` long (the pattern requires the run and a lookbehind stops it from
   * starting mid-run). The engine then tries the pattern once, there, instead of searching the window
   * at every keyword: on text made of keywords that is the difference between reading each character
   * once and reading it once per keyword in reach.
   */
  startRun?: { chars: string; min: number; max: number };
  /**
   * With `lookback`: how far past the keyword the window searched reaches (the window runs from
   * `lookback` characters before the keyword to `maxLength` after it). Default 512.
   */
  maxLength?: number;
  /**
   * A cheap necessary condition, checked before the pattern: somewhere in the `within` characters that
   * follow the keyword (plus `min`), at least `min` characters in a row from `chars`. It must hold for
   * every match (the samples test that it does); it lets the engine skip the pattern where a keyword
   * is followed by nothing like a value, which on text made of keywords (`token=token=...`) is most of
   * them, at the cost of a forward scan shared by all attempts. Several conditions must all hold.
   */
  valueRun?: ValueRun | readonly ValueRun[];
  /**
   * Lowercase literals that may not follow a keyword for the pattern to match there (`.com` after
   * `github`: a host, not a name). Checked by the engine first, at the cost of a comparison, for a
   * keyword that ordinary text holds mostly in such a phrase. The pattern must refuse them too.
   */
  notFollowedBy?: readonly string[];
  /**
   * Characters that may not come right before the keyword (a token never starts inside a word: `pi_`
   * in `api_key`, `pat` in `dispatch`). Checked by the engine on one byte before the pattern runs; the
   * pattern must refuse them too (its lookbehind). Only for rules whose match starts at the keyword.
   */
  notAfter?: string;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  minEntropy?: number;
  /**
   * Offline structure or checksum check. A secret that fails it is dropped: a checksum that does not
   * hold means a typo, a truncated paste or a made-up value, never a key the provider issued.
   */
  validate?(secret: string): boolean;
  /**
   * A check that needs the match's surroundings: the kind of file, the name before the keyword, whether
   * the value is a quoted literal. Runs after every cheaper check, on the few matches that pass them.
   */
  acceptMatch?(context: MatchContext): boolean;
  /** A low-precision rule (the generic assignment rule): it yields to any specific rule on the same span. */
  generic?: boolean;
  /**
   * What marks a value as this provider's, whatever its shape: the literal starts (or ending markers) of its tokens
   * (`sbp_`), and the words that name the provider in a variable (`meraki`, `wandb`). The generic rule
   * leaves such values to this rule: where this rule turned one down, its structure is wrong (a typo, a
   * truncated paste, a made-up value), and reporting it as a generic credential would undo that judgment.
   * Only for providers whose formats the catalogue covers whole.
   */
  owns?: { prefixes?: readonly string[]; names?: readonly string[]; suffixes?: readonly string[] };
  /**
   * The secret is chosen by a person (a password), not issued at random by a provider, so it may be
   * guessable: its fingerprint goes through a slow hash.
   */
  userChosen?: boolean;
  /** The match may span lines (PEM blocks). */
  multiline?: boolean;
  /** Skip the placeholder filter for this rule (e.g. private keys, whose bodies are checked structurally). */
  skipPlaceholderCheck?: boolean;
  /** What the rule's findings are; default `key`. */
  category?: FindingCategory;
  /**
   * Report only the first occurrence of each value (compared case-insensitively) in one scanned text.
   * For findings about a place rather than a secret (a host reached over plain http://), where every
   * repeat in a file asks for the same one fix.
   */
  oncePerFile?: boolean;
  /** Paths (repository-relative, forward slashes) this rule does not read, e.g. documentation prose. */
  ignorePaths?: RegExp;
  remediation: {
    /** One line: what to do with this key. */
    text: string;
    /** The provider's page where the key is revoked or rotated. */
    url: string;
  };
  samples: RuleSamples;
}

/** Where a finding was seen. */
export type FindingSource =
  /** Added by the change under review (PR diff, pushed range, staged change). */
  | 'added'
  /** Added by one commit and removed by a later one: gone from the tree, still in git history. */
  | 'history'
  /** Present in a file's current content (whole-file scan). */
  | 'file'
  /** The value of a repository or environment variable. */
  | 'variable';

/**
 * One finding: a leaked credential, or (category `transport`) code that would send one unencrypted.
 * It carries what a reviewer needs to locate and judge it, and nothing that lets a reader use a key:
 * the raw value stays inside the engine (see `secretOf`).
 */
export interface Finding {
  ruleId: string;
  /** A leaked key, or a transport problem (a keyed API reached over plain http://). See `FindingCategory`. */
  category: FindingCategory;
  title: string;
  provider: string;
  severity: Severity;
  /** Repository-relative path with forward slashes (or a label such as `variables/NAME`). */
  file: string;
  /** 1-based line in the new file. */
  line: number;
  /** 1-based column of the secret's first character. */
  column: number;
  /** 1-based line where the secret ends (multi-line keys). */
  endLine: number;
  /** Stable id across runs: built from rule, path and secret, never from line numbers. Not reversible. */
  fingerprint: string;
  /** A preview that locates the key without revealing it, e.g. `ghp_ab…` with its length. */
  redacted: string;
  /** Length of the secret in characters. */
  length: number;
  source: FindingSource;
  /** The commit that added it, when known. */
  commit?: string;
  remediation: { text: string; url: string };
  /** Set by the opt-in live check. */
  verification?: { status: 'live' | 'revoked' | 'unknown'; reason?: string };
  /** Rule-specific notes, e.g. that an AWS key id was found next to its secret. */
  notes?: string[];
}
