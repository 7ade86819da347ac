import { hasRepeatedBlocks } from '../scan/placeholder.js';
import { tokensPerChar } from '../scan/wordiness.js';

// What turns a strict-format match down although its shape fits: a body somebody typed, or a body made
// of words. Apart from the rule factories so that each of them (shapes.ts, ai.ts) can use it.

/**
 * Bodies people type rather than providers issue: a counting run (`abcdefgh`, `12345678`) or two runs
 * of one character (`AAAA...BBBB`). A random body of these lengths holds either with odds well under
 * one in a million, so this drops only fillers that the shape and entropy checks let through.
 */
export function looksMadeUp(value: string, binary = false): boolean {
  let ascending = 1;
  for (let i = 1; i < value.length; i++) {
    ascending = value.charCodeAt(i) === value.charCodeAt(i - 1) + 1 ? ascending + 1 : 1;
    if (ascending >= 8) return true;
  }
  return !binary && hasRepeatedBlocks(value);
}

/**
 * Below this many BPE tokens a character a body reads as words: a path or an identifier that happens to
 * start with a prefix (`libs/ptr_container/include/boost/ptr_container/detail` for Portainer's `ptr_`,
 * `vcp_get_the_default_value`), 0.18 to 0.29. Random bodies of 20 characters or more, in every alphabet
 * the rules use, never went under 0.37 in 20,000 draws each (lowercase with `_`, the most word-like);
 * see wordiness.ts.
 */
const MAX_WORDY_BODY_TOKENS_PER_CHAR = 0.3;
const MIN_WORDY_BODY = 20;

/** A body made of words, as names and paths are; shorter bodies are left to the shape checks. */
export function readsAsWords(body: string): boolean {
  return body.length >= MIN_WORDY_BODY && tokensPerChar(body) < MAX_WORDY_BODY_TOKENS_PER_CHAR;
}

/**
 * A path, a snake_case and a camelCase name after `prefix`: what the words check must turn down. For a
 * body of fixed `length`, the camelCase name (letters only) is cut to it, so that the shape fits.
 */
export function wordyTails(prefix: string, length?: number): string[] {
  const camel = 'SomeVeryLongIdentifierNameForAMemberFunctionCallHereAndThereAgainOnceMoreWithFeeling';
  return [
    `libs/${prefix}container/include/boost/${prefix}container/detail/move.hpp\n`,
    `  value = ${prefix}get_the_name_of_the_current_user_and_more_words_here;\n`,
    `  call(${prefix}${camel.slice(0, length ?? 52)});\n`,
  ];
}
