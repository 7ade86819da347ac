import type { Rule, SampleGen, Severity } from '../scan/types.js';
import { ASSIGN, assignedValueGates, CREDENTIAL_WORD, NAME_TAIL, placeholderTexts, STRICT_FORMAT } from './ai.js';
import { ALNUM, HEX } from './alphabets.js';
import { looksMadeUp, readsAsWords, wordyTails } from './made-up.js';

/**
 * Two rule shapes shared by the provider families added for the field's most used services: a token
 * that starts with a fixed prefix the provider documents (`pul-`, `dckr_pat_`), and a value without
 * one that is only the provider's when a variable named after it holds it (`DATADOG_API_KEY=...`).
 * Each rule stays data; these factories only spare every family the same regex plumbing and the
 * same placeholder negatives.
 */

/** Keys are never glued to a word before or after them: `compul-...` is not Pulumi's `pul-`. */
/** Where a token starts after `after` (see PrefixedSpec): quotes, an assignment, blanks, a bracket. */
export const OPENERS = '"\'`=: \t\n\r(>';
const START = '(?<![A-Za-z0-9_-])';
const END = '(?![A-Za-z0-9_-])';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `auth0` -> `[Aa][Uu][Tt][Hh]0`: a name word in any case; digits and punctuation stay literal. */
function anyCase(word: string): string {
  return [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : escape(c))).join('');
}

/** A v4-looking UUID in lowercase hex: the shape of Heroku, Snyk, Postmark and HubSpot keys. */
export function uuid(gen: SampleGen, alphabet = HEX): string {
  return [8, 4, 4, 4, 12].map((n) => gen.chars(alphabet, n)).join('-');
}

/** Regex source of a UUID in either case. */
export const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

interface Common {
  id: string;
  title: string;
  provider: string;
  severity?: Severity;
  /** One line: what to do with this credential. */
  text: string;
  /** Where it is revoked or rotated. */
  url: string;
  /** The variable name the catalogue test assigns samples to. */
  name: string;
  minEntropy?: number;
  validate?(secret: string): boolean;
  /** Whole texts where the rule must report exactly the secret. */
  positives?(gen: SampleGen): Array<{ text: string; secret: string }>;
  /** Texts the rule must stay quiet on, beyond the placeholders every rule gets. */
  negatives?(gen: SampleGen): string[];
}

export interface PrefixedSpec extends Common {
  /** The literal start of every token; its lowercase form is the keyword. */
  prefix: string;
  /** More literal starts when the provider issues several (`fm1a_`, `fm2_`); each is a keyword. */
  alternatives?: string[];
  /** Regex source of what follows the prefix. Bounded quantifiers only. */
  body: string;
  /** Builds a whole token, prefix included. */
  sample(gen: SampleGen): string;
  /**
   * Characters the body starts with, at least `min` of them in a row right after the prefix: checked
   * before the pattern runs, so a short common prefix (`re_`, `sl.`) costs little on ordinary code.
   */
  gate?: { chars: string; min: number };
  /** Characters that may not come before the prefix (default: letters, digits, `_` and `-`). */
  before?: string;
  /**
   * For a prefix that ordinary text holds thousands of times a megabyte (`EAA` in base64 and source
   * maps): the characters one of which must come right before it. Each pairs with the prefix into a
   * keyword, so the engine stops only where such a pair occurs; the secret excludes that character.
   */
  after?: string;
  /**
   * The body encodes binary data (macaroons, protobuf), where runs of `A` are zero bytes, not filler:
   * `looksMadeUp` then checks only for counting runs.
   */
  binary?: boolean;
}

/** A token recognised by its documented prefix and body shape. */
export function prefixed(s: PrefixedSpec): Rule {
  const starts = [s.prefix, ...(s.alternatives ?? [])];
  const lead = starts.length === 1 ? escape(s.prefix) : `(?:${starts.map(escape).join('|')})`;
  const before = s.before === undefined ? START : `(?<![${s.before}])`;
  const openers = [...(s.after ?? '')];
  const keywords = starts.flatMap((p) => (openers.length === 0 ? [p] : openers.map((c) => c + p)));
  const pattern =
    openers.length === 0
      ? `${before}${lead}(?:${s.body})${END}`
      : `[${openers.map((c) => escape(c).replace(/\n/, '\\n').replace(/\r/, '\\r').replace(/\t/, '\\t')).join('')}](?<secret>${lead}(?:${s.body}))${END}`;
  return {
    id: s.id,
    title: s.title,
    provider: s.provider,
    severity: s.severity ?? 'high',
    keywords: [...new Set(keywords.map((k) => k.toLowerCase()))],
    owns: { prefixes: starts },
    // The engine refuses a prefix inside a word before the pattern runs (the pattern's lookbehind says the same).
    ...(openers.length === 0 && s.before === undefined ? { notAfter: `${ALNUM}_-` } : {}),
    ...(s.gate === undefined ? {} : { valueRun: { chars: s.gate.chars, min: s.gate.min, within: 0 } }),
    pattern: new RegExp(pattern),
    minEntropy: s.minEntropy ?? 3,
    ...STRICT_FORMAT,
    validate: (secret) => {
      const body = secret.slice(s.prefix.length);
      // The words check last: it may load the tokenizer and encode, where the others are a pass over the body.
      return !looksMadeUp(body, s.binary) && (s.validate?.(secret) ?? true) && !readsAsWords(body);
    },
    remediation: { text: s.text, url: s.url },
    samples: {
      secret: s.sample,
      name: s.name,
      ...(s.positives === undefined ? {} : { positives: s.positives }),
      negatives: (gen) => {
        const real = s.sample(gen);
        return [
          // A paste cut short after the prefix.
          real.slice(0, s.prefix.length + 4),
          `${s.name}=${s.prefix}${'x'.repeat(Math.max(8, real.length - s.prefix.length))}`,
          // The right length, typed by counting.
          `${s.name}=${s.prefix}${'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(40).slice(0, real.length - s.prefix.length)}`,
          ...placeholderTexts(s.name, s.prefix),
          ...wordyTails(s.prefix),
          ...(s.negatives?.(gen) ?? []),
        ];
      },
    },
  };
}

export interface NamedSpec extends Common {
  /**
   * Lowercase words that name the provider in a variable (`datadog`, `dd`): the name must go on to a
   * credential word (`_API_KEY`, `Token`, `secret`). Each is a keyword.
   */
  words: string[];
  /** Whole variable names that need no credential word (`hapikey`, `dd_api_key`). Each is a keyword. */
  names?: string[];
  /** Regex source of the value. */
  value: string;
  /** Characters of the value, and its shortest length: the engine's gate before the pattern. */
  chars: string;
  min: number;
  sample(gen: SampleGen): string;
}

/**
 * A value without a prefix of its own, reported only where a variable named after the provider
 * holds it. Medium severity by default: the name, not the value, says whose key it is.
 */
export function named(s: NamedSpec): Rule {
  // A short word (`dd_`, `cf_`) must start the name, or `add_key` would read as Datadog's.
  const word = (w: string): string => (w.length <= 3 ? `(?<![A-Za-z0-9])${anyCase(w)}` : anyCase(w));
  const words = s.words.map(word).join('|');
  // `DATADOG_API_KEY`, `datadogToken`, or prose and YAML keys such as `ngrok token: ...`.
  const alternatives = [`(?:${words})${NAME_TAIL} ?${CREDENTIAL_WORD}`, ...(s.names ?? []).map(anyCase)];
  return {
    id: s.id,
    title: s.title,
    provider: s.provider,
    severity: s.severity ?? 'medium',
    keywords: [...s.words, ...(s.names ?? [])],
    // Short words (`dd`) also start unrelated names; the long ones name the provider alone.
    owns: { names: [...s.words.filter((w) => w.length >= 4), ...(s.names ?? [])] },
    valueRun: assignedValueGates(s.chars, s.min),
    pattern: new RegExp(`(?:${alternatives.join('|')})${NAME_TAIL}${ASSIGN}(?<secret>${s.value})${END}`),
    // The name and the exact shape carry the precision here; entropy only turns away fillers. Random
    // values of 15 to 36 characters over hex or lowercase dip under 3 bits now and then (about 1 in 100
    // draws), and a real key must not be missed for that, so 2.5 at most.
    minEntropy: Math.min(s.minEntropy ?? 3, 2.5),
    validate: (secret) => !looksMadeUp(secret) && (s.validate?.(secret) ?? true) && !readsAsWords(secret),
    remediation: { text: s.text, url: s.url },
    samples: {
      secret: s.sample,
      name: s.name,
      ...(s.positives === undefined ? {} : { positives: s.positives }),
      negatives: (gen) => [
        // The same value under a name that does not say whose it is.
        `SERVICE_TOKEN=${s.sample(gen)}\n`,
        ...placeholderTexts(s.name),
        ...(s.negatives?.(gen) ?? []),
      ],
    },
  };
}
