#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 4006:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const pico = __nccwpck_require__(8016);
const utils = __nccwpck_require__(4059);

function picomatch(glob, options, returnState = false) {
  // default to os.platform()
  if (options && (options.windows === null || options.windows === undefined)) {
    // don't mutate the original options object
    options = { ...options, windows: utils.isWindows() };
  }

  return pico(glob, options, returnState);
}

Object.assign(picomatch, pico);
module.exports = picomatch;


/***/ }),

/***/ 5595:
/***/ ((module) => {



const WIN_SLASH = '\\\\/';
const WIN_NO_SLASH = `[^${WIN_SLASH}]`;

const DEFAULT_MAX_EXTGLOB_RECURSION = 0;

/**
 * Posix glob regex
 */

const DOT_LITERAL = '\\.';
const PLUS_LITERAL = '\\+';
const QMARK_LITERAL = '\\?';
const SLASH_LITERAL = '\\/';
const ONE_CHAR = '(?=.)';
const QMARK = '[^/]';
const END_ANCHOR = `(?:${SLASH_LITERAL}|$)`;
const START_ANCHOR = `(?:^|${SLASH_LITERAL})`;
const DOTS_SLASH = `${DOT_LITERAL}{1,2}${END_ANCHOR}`;
const NO_DOT = `(?!${DOT_LITERAL})`;
const NO_DOTS = `(?!${START_ANCHOR}${DOTS_SLASH})`;
const NO_DOT_SLASH = `(?!${DOT_LITERAL}{0,1}${END_ANCHOR})`;
const NO_DOTS_SLASH = `(?!${DOTS_SLASH})`;
const QMARK_NO_DOT = `[^.${SLASH_LITERAL}]`;
const STAR = `${QMARK}*?`;
const SEP = '/';

const POSIX_CHARS = {
  DOT_LITERAL,
  PLUS_LITERAL,
  QMARK_LITERAL,
  SLASH_LITERAL,
  ONE_CHAR,
  QMARK,
  END_ANCHOR,
  DOTS_SLASH,
  NO_DOT,
  NO_DOTS,
  NO_DOT_SLASH,
  NO_DOTS_SLASH,
  QMARK_NO_DOT,
  STAR,
  START_ANCHOR,
  SEP
};

/**
 * Windows glob regex
 */

const WINDOWS_CHARS = {
  ...POSIX_CHARS,

  SLASH_LITERAL: `[${WIN_SLASH}]`,
  QMARK: WIN_NO_SLASH,
  STAR: `${WIN_NO_SLASH}*?`,
  DOTS_SLASH: `${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$)`,
  NO_DOT: `(?!${DOT_LITERAL})`,
  NO_DOTS: `(?!(?:^|[${WIN_SLASH}])${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
  NO_DOT_SLASH: `(?!${DOT_LITERAL}{0,1}(?:[${WIN_SLASH}]|$))`,
  NO_DOTS_SLASH: `(?!${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
  QMARK_NO_DOT: `[^.${WIN_SLASH}]`,
  START_ANCHOR: `(?:^|[${WIN_SLASH}])`,
  END_ANCHOR: `(?:[${WIN_SLASH}]|$)`,
  SEP: '\\'
};

/**
 * POSIX Bracket Regex
 */

const POSIX_REGEX_SOURCE = {
  __proto__: null,
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  ascii: '\\x00-\\x7F',
  blank: ' \\t',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '\\x21-\\x7E',
  lower: 'a-z',
  print: '\\x20-\\x7E ',
  punct: '\\-!"#$%&\'()\\*+,./:;<=>?@[\\]^_`{|}~',
  space: ' \\t\\r\\n\\v\\f',
  upper: 'A-Z',
  word: 'A-Za-z0-9_',
  xdigit: 'A-Fa-f0-9'
};

module.exports = {
  DEFAULT_MAX_EXTGLOB_RECURSION,
  MAX_LENGTH: 1024 * 64,
  POSIX_REGEX_SOURCE,

  // regular expressions
  REGEX_BACKSLASH: /\\(?![*+?^${}(|)[\]])/g,
  REGEX_NON_SPECIAL_CHARS: /^[^@![\].,$*+?^{}()|\\/]+/,
  REGEX_SPECIAL_CHARS: /[-*+?.^${}(|)[\]]/,
  REGEX_SPECIAL_CHARS_BACKREF: /(\\?)((\W)(\3*))/g,
  REGEX_SPECIAL_CHARS_GLOBAL: /([-*+?.^${}(|)[\]])/g,
  REGEX_REMOVE_BACKSLASH: /(?:\[.*?[^\\]\]|\\(?=.))/g,

  // Replace globs with equivalent patterns to reduce parsing time.
  REPLACEMENTS: {
    __proto__: null,
    '***': '*',
    '**/**': '**',
    '**/**/**': '**'
  },

  // Digits
  CHAR_0: 48, /* 0 */
  CHAR_9: 57, /* 9 */

  // Alphabet chars.
  CHAR_UPPERCASE_A: 65, /* A */
  CHAR_LOWERCASE_A: 97, /* a */
  CHAR_UPPERCASE_Z: 90, /* Z */
  CHAR_LOWERCASE_Z: 122, /* z */

  CHAR_LEFT_PARENTHESES: 40, /* ( */
  CHAR_RIGHT_PARENTHESES: 41, /* ) */

  CHAR_ASTERISK: 42, /* * */

  // Non-alphabetic chars.
  CHAR_AMPERSAND: 38, /* & */
  CHAR_AT: 64, /* @ */
  CHAR_BACKWARD_SLASH: 92, /* \ */
  CHAR_CARRIAGE_RETURN: 13, /* \r */
  CHAR_CIRCUMFLEX_ACCENT: 94, /* ^ */
  CHAR_COLON: 58, /* : */
  CHAR_COMMA: 44, /* , */
  CHAR_DOT: 46, /* . */
  CHAR_DOUBLE_QUOTE: 34, /* " */
  CHAR_EQUAL: 61, /* = */
  CHAR_EXCLAMATION_MARK: 33, /* ! */
  CHAR_FORM_FEED: 12, /* \f */
  CHAR_FORWARD_SLASH: 47, /* / */
  CHAR_GRAVE_ACCENT: 96, /* ` */
  CHAR_HASH: 35, /* # */
  CHAR_HYPHEN_MINUS: 45, /* - */
  CHAR_LEFT_ANGLE_BRACKET: 60, /* < */
  CHAR_LEFT_CURLY_BRACE: 123, /* { */
  CHAR_LEFT_SQUARE_BRACKET: 91, /* [ */
  CHAR_LINE_FEED: 10, /* \n */
  CHAR_NO_BREAK_SPACE: 160, /* \u00A0 */
  CHAR_PERCENT: 37, /* % */
  CHAR_PLUS: 43, /* + */
  CHAR_QUESTION_MARK: 63, /* ? */
  CHAR_RIGHT_ANGLE_BRACKET: 62, /* > */
  CHAR_RIGHT_CURLY_BRACE: 125, /* } */
  CHAR_RIGHT_SQUARE_BRACKET: 93, /* ] */
  CHAR_SEMICOLON: 59, /* ; */
  CHAR_SINGLE_QUOTE: 39, /* ' */
  CHAR_SPACE: 32, /*   */
  CHAR_TAB: 9, /* \t */
  CHAR_UNDERSCORE: 95, /* _ */
  CHAR_VERTICAL_LINE: 124, /* | */
  CHAR_ZERO_WIDTH_NOBREAK_SPACE: 65279, /* \uFEFF */

  /**
   * Create EXTGLOB_CHARS
   */

  extglobChars(chars) {
    return {
      '!': { type: 'negate', open: '(?:(?!(?:', close: `))${chars.STAR})` },
      '?': { type: 'qmark', open: '(?:', close: ')?' },
      '+': { type: 'plus', open: '(?:', close: ')+' },
      '*': { type: 'star', open: '(?:', close: ')*' },
      '@': { type: 'at', open: '(?:', close: ')' }
    };
  },

  /**
   * Create GLOB_CHARS
   */

  globChars(win32) {
    return win32 === true ? WINDOWS_CHARS : POSIX_CHARS;
  }
};


/***/ }),

/***/ 8265:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const constants = __nccwpck_require__(5595);
const utils = __nccwpck_require__(4059);

/**
 * Constants
 */

const {
  MAX_LENGTH,
  POSIX_REGEX_SOURCE,
  REGEX_NON_SPECIAL_CHARS,
  REGEX_SPECIAL_CHARS_BACKREF,
  REPLACEMENTS
} = constants;

/**
 * Helpers
 */

const expandRange = (args, options) => {
  if (typeof options.expandRange === 'function') {
    return options.expandRange(...args, options);
  }

  args.sort();
  const value = `[${args.join('-')}]`;

  try {
    /* eslint-disable-next-line no-new */
    new RegExp(value);
  } catch (ex) {
    return args.map(v => utils.escapeRegex(v)).join('..');
  }

  return value;
};

/**
 * Create the message for a syntax error
 */

const syntaxError = (type, char) => {
  return `Missing ${type}: "${char}" - use "\\\\${char}" to match literal characters`;
};

const splitTopLevel = input => {
  const parts = [];
  let bracket = 0;
  let paren = 0;
  let quote = 0;
  let value = '';
  let escaped = false;

  for (const ch of input) {
    if (escaped === true) {
      value += ch;
      escaped = false;
      continue;
    }

    if (ch === '\\') {
      value += ch;
      escaped = true;
      continue;
    }

    if (ch === '"') {
      quote = quote === 1 ? 0 : 1;
      value += ch;
      continue;
    }

    if (quote === 0) {
      if (ch === '[') {
        bracket++;
      } else if (ch === ']' && bracket > 0) {
        bracket--;
      } else if (bracket === 0) {
        if (ch === '(') {
          paren++;
        } else if (ch === ')' && paren > 0) {
          paren--;
        } else if (ch === '|' && paren === 0) {
          parts.push(value);
          value = '';
          continue;
        }
      }
    }

    value += ch;
  }

  parts.push(value);
  return parts;
};

const isPlainBranch = branch => {
  let escaped = false;

  for (const ch of branch) {
    if (escaped === true) {
      escaped = false;
      continue;
    }

    if (ch === '\\') {
      escaped = true;
      continue;
    }

    if (/[?*+@!()[\]{}]/.test(ch)) {
      return false;
    }
  }

  return true;
};

const normalizeSimpleBranch = branch => {
  let value = branch.trim();
  let changed = true;

  while (changed === true) {
    changed = false;

    if (/^@\([^\\()[\]{}|]+\)$/.test(value)) {
      value = value.slice(2, -1);
      changed = true;
    }
  }

  if (!isPlainBranch(value)) {
    return;
  }

  return value.replace(/\\(.)/g, '$1');
};

const hasRepeatedCharPrefixOverlap = branches => {
  const values = branches.map(normalizeSimpleBranch).filter(Boolean);

  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const a = values[i];
      const b = values[j];
      const char = a[0];

      if (!char || a !== char.repeat(a.length) || b !== char.repeat(b.length)) {
        continue;
      }

      if (a === b || a.startsWith(b) || b.startsWith(a)) {
        return true;
      }
    }
  }

  return false;
};

const parseRepeatedExtglob = (pattern, requireEnd = true) => {
  if ((pattern[0] !== '+' && pattern[0] !== '*') || pattern[1] !== '(') {
    return;
  }

  let bracket = 0;
  let paren = 0;
  let quote = 0;
  let escaped = false;

  for (let i = 1; i < pattern.length; i++) {
    const ch = pattern[i];

    if (escaped === true) {
      escaped = false;
      continue;
    }

    if (ch === '\\') {
      escaped = true;
      continue;
    }

    if (ch === '"') {
      quote = quote === 1 ? 0 : 1;
      continue;
    }

    if (quote === 1) {
      continue;
    }

    if (ch === '[') {
      bracket++;
      continue;
    }

    if (ch === ']' && bracket > 0) {
      bracket--;
      continue;
    }

    if (bracket > 0) {
      continue;
    }

    if (ch === '(') {
      paren++;
      continue;
    }

    if (ch === ')') {
      paren--;

      if (paren === 0) {
        if (requireEnd === true && i !== pattern.length - 1) {
          return;
        }

        return {
          type: pattern[0],
          body: pattern.slice(2, i),
          end: i
        };
      }
    }
  }
};

const buildCharClassStar = chars => {
  const source = chars.length === 1
    ? utils.escapeRegex(chars[0])
    : `[${chars.map(ch => utils.escapeRegex(ch)).join('')}]`;

  return `${source}*`;
};

const getStarExtglobSequenceChars = pattern => {
  let index = 0;
  const chars = [];

  while (index < pattern.length) {
    const match = parseRepeatedExtglob(pattern.slice(index), false);

    if (!match || match.type !== '*') {
      return;
    }

    const branches = splitTopLevel(match.body).map(branch => branch.trim());
    if (branches.length !== 1) {
      return;
    }

    const branch = normalizeSimpleBranch(branches[0]);
    if (!branch || branch.length !== 1) {
      return;
    }

    chars.push(branch);
    index += match.end + 1;
  }

  if (chars.length < 1) {
    return;
  }

  return chars;
};

const repeatedExtglobRecursion = pattern => {
  let depth = 0;
  let value = pattern.trim();
  let match = parseRepeatedExtglob(value);

  while (match) {
    depth++;
    value = match.body.trim();
    match = parseRepeatedExtglob(value);
  }

  return depth;
};

const analyzeRepeatedExtglob = (body, options) => {
  if (options.maxExtglobRecursion === false) {
    return { risky: false };
  }

  const max =
    typeof options.maxExtglobRecursion === 'number'
      ? options.maxExtglobRecursion
      : constants.DEFAULT_MAX_EXTGLOB_RECURSION;

  const branches = splitTopLevel(body).map(branch => branch.trim());

  if (branches.length > 1) {
    if (
      branches.some(branch => branch === '') ||
      branches.some(branch => /^[*?]+$/.test(branch)) ||
      hasRepeatedCharPrefixOverlap(branches)
    ) {
      return { risky: true };
    }
  }

  // A repeated extglob is "risky" (prone to catastrophic backtracking) when a
  // branch is itself a `*(...)` sequence, since that nests an unbounded quantifier
  // inside the outer `+(...)`/`*(...)`. When *every* branch reduces to single
  // characters we can emit one flat, ReDoS-safe character class that preserves the
  // meaning of ALL branches (e.g. `+(*(a)|*(b))` -> `[ab]*`), rather than dropping
  // every branch but the first.
  const safeChars = [];
  let sawStarSequence = false;
  let combinable = true;

  for (const branch of branches) {
    const chars = getStarExtglobSequenceChars(branch);
    if (chars) {
      sawStarSequence = true;
      safeChars.push(...chars);
      continue;
    }

    const literal = normalizeSimpleBranch(branch);
    if (literal && literal.length === 1) {
      safeChars.push(literal);
      continue;
    }

    combinable = false;

    if (repeatedExtglobRecursion(branch) > max) {
      return { risky: true };
    }
  }

  if (sawStarSequence) {
    return combinable
      ? { risky: true, safeOutput: buildCharClassStar([...new Set(safeChars)]) }
      : { risky: true };
  }

  return { risky: false };
};

/**
 * Parse the given input string.
 * @param {String} input
 * @param {Object} options
 * @return {Object}
 */

const parse = (input, options) => {
  if (typeof input !== 'string') {
    throw new TypeError('Expected a string');
  }

  input = REPLACEMENTS[input] || input;

  const opts = { ...options };
  const max = typeof opts.maxLength === 'number' ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;

  let len = input.length;
  if (len > max) {
    throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
  }

  const bos = { type: 'bos', value: '', output: opts.prepend || '' };
  const tokens = [bos];

  const capture = opts.capture ? '' : '?:';

  // create constants based on platform, for windows or posix
  const PLATFORM_CHARS = constants.globChars(opts.windows);
  const EXTGLOB_CHARS = constants.extglobChars(PLATFORM_CHARS);

  const {
    DOT_LITERAL,
    PLUS_LITERAL,
    SLASH_LITERAL,
    ONE_CHAR,
    DOTS_SLASH,
    NO_DOT,
    NO_DOT_SLASH,
    NO_DOTS_SLASH,
    QMARK,
    QMARK_NO_DOT,
    STAR,
    START_ANCHOR
  } = PLATFORM_CHARS;

  const globstar = opts => {
    return `(${capture}(?:(?!${START_ANCHOR}${opts.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
  };

  const nodot = opts.dot ? '' : NO_DOT;
  const qmarkNoDot = opts.dot ? QMARK : QMARK_NO_DOT;
  let star = opts.bash === true ? globstar(opts) : STAR;

  if (opts.capture) {
    star = `(${star})`;
  }

  // minimatch options support
  if (typeof opts.noext === 'boolean') {
    opts.noextglob = opts.noext;
  }

  const state = {
    input,
    index: -1,
    start: 0,
    dot: opts.dot === true,
    consumed: '',
    output: '',
    prefix: '',
    backtrack: false,
    negated: false,
    brackets: 0,
    braces: 0,
    parens: 0,
    quotes: 0,
    globstar: false,
    tokens
  };

  input = utils.removePrefix(input, state);
  len = input.length;

  const extglobs = [];
  const braces = [];
  const stack = [];
  let prev = bos;
  let value;

  /**
   * Tokenizing helpers
   */

  const eos = () => state.index === len - 1;
  const peek = state.peek = (n = 1) => input[state.index + n];
  const advance = state.advance = () => input[++state.index] || '';
  const remaining = () => input.slice(state.index + 1);
  const consume = (value = '', num = 0) => {
    state.consumed += value;
    state.index += num;
  };

  const append = token => {
    state.output += token.output != null ? token.output : token.value;
    consume(token.value);
  };

  const negate = () => {
    let count = 1;

    while (peek() === '!' && (peek(2) !== '(' || peek(3) === '?')) {
      advance();
      state.start++;
      count++;
    }

    if (count % 2 === 0) {
      return false;
    }

    state.negated = true;
    state.start++;
    return true;
  };

  const increment = type => {
    state[type]++;
    stack.push(type);
  };

  const decrement = type => {
    state[type]--;
    stack.pop();
  };

  /**
   * Push tokens onto the tokens array. This helper speeds up
   * tokenizing by 1) helping us avoid backtracking as much as possible,
   * and 2) helping us avoid creating extra tokens when consecutive
   * characters are plain text. This improves performance and simplifies
   * lookbehinds.
   */

  const push = tok => {
    if (prev.type === 'globstar') {
      const isBrace = state.braces > 0 && (tok.type === 'comma' || tok.type === 'brace');
      const isExtglob = tok.extglob === true || (extglobs.length && (tok.type === 'pipe' || tok.type === 'paren'));

      if (tok.type !== 'slash' && tok.type !== 'paren' && !isBrace && !isExtglob) {
        state.output = state.output.slice(0, -prev.output.length);
        prev.type = 'star';
        prev.value = '*';
        prev.output = star;
        state.output += prev.output;
      }
    }

    if (extglobs.length && tok.type !== 'paren') {
      extglobs[extglobs.length - 1].inner += tok.value;
    }

    if (tok.value || tok.output) append(tok);
    if (prev && prev.type === 'text' && tok.type === 'text') {
      prev.output = (prev.output || prev.value) + tok.value;
      prev.value += tok.value;
      return;
    }

    tok.prev = prev;
    tokens.push(tok);
    prev = tok;
  };

  const extglobOpen = (type, value) => {
    const token = { ...EXTGLOB_CHARS[value], conditions: 1, inner: '' };

    token.prev = prev;
    token.parens = state.parens;
    token.output = state.output;
    token.startIndex = state.index;
    token.tokensIndex = tokens.length;
    const output = (opts.capture ? '(' : '') + token.open;

    increment('parens');
    push({ type, value, output: state.output ? '' : ONE_CHAR });
    push({ type: 'paren', extglob: true, value: advance(), output });
    extglobs.push(token);
  };

  const extglobClose = token => {
    const literal = input.slice(token.startIndex, state.index + 1);
    const body = input.slice(token.startIndex + 2, state.index);
    const analysis = analyzeRepeatedExtglob(body, opts);

    if ((token.type === 'plus' || token.type === 'star') && analysis.risky) {
      const safeOutput = analysis.safeOutput
        ? (token.output ? '' : ONE_CHAR) + (opts.capture ? `(${analysis.safeOutput})` : analysis.safeOutput)
        : undefined;
      const open = tokens[token.tokensIndex];

      open.type = 'text';
      open.value = literal;
      open.output = safeOutput || utils.escapeRegex(literal);

      for (let i = token.tokensIndex + 1; i < tokens.length; i++) {
        tokens[i].value = '';
        tokens[i].output = '';
        delete tokens[i].suffix;
      }

      state.output = token.output + open.output;
      state.backtrack = true;

      push({ type: 'paren', extglob: true, value, output: '' });
      decrement('parens');
      return;
    }

    let output = token.close + (opts.capture ? ')' : '');
    let rest;

    if (token.type === 'negate') {
      let extglobStar = star;

      if (token.inner && token.inner.length > 1 && token.inner.includes('/')) {
        extglobStar = globstar(opts);
      }

      if (extglobStar !== star || eos() || /^\)+$/.test(remaining())) {
        output = token.close = `)$))${extglobStar}`;
      }

      if (token.inner.includes('*') && (rest = remaining()) && /^\.[^\\/.]+$/.test(rest)) {
        // Any non-magical string (`.ts`) or even nested expression (`.{ts,tsx}`) can follow after the closing parenthesis.
        // In this case, we need to parse the string and use it in the output of the original pattern.
        // Suitable patterns: `/!(*.d).ts`, `/!(*.d).{ts,tsx}`, `**/!(*-dbg).@(js)`.
        //
        // Disabling the `fastpaths` option due to a problem with parsing strings as `.ts` in the pattern like `**/!(*.d).ts`.
        const expression = parse(rest, { ...options, fastpaths: false }).output;

        output = token.close = `)${expression})${extglobStar})`;
      }

      if (token.prev.type === 'bos') {
        state.negatedExtglob = true;
      }
    }

    push({ type: 'paren', extglob: true, value, output });
    decrement('parens');
  };

  /**
   * Fast paths
   */

  if (opts.fastpaths !== false && !/(^[*!]|[/()[\]{}"])/.test(input)) {
    let backslashes = false;

    let output = input.replace(REGEX_SPECIAL_CHARS_BACKREF, (m, esc, chars, first, rest, index) => {
      if (first === '\\') {
        backslashes = true;
        return m;
      }

      if (first === '?') {
        if (esc) {
          return esc + first + (rest ? QMARK.repeat(rest.length) : '');
        }
        if (index === 0) {
          return qmarkNoDot + (rest ? QMARK.repeat(rest.length) : '');
        }
        return QMARK.repeat(chars.length);
      }

      if (first === '.') {
        return DOT_LITERAL.repeat(chars.length);
      }

      if (first === '*') {
        if (esc) {
          return esc + first + (rest ? star : '');
        }
        return star;
      }
      return esc ? m : `\\${m}`;
    });

    if (backslashes === true) {
      if (opts.unescape === true) {
        output = output.replace(/\\/g, '');
      } else {
        output = output.replace(/\\+/g, m => {
          return m.length % 2 === 0 ? '\\\\' : (m ? '\\' : '');
        });
      }
    }

    if (output === input && opts.contains === true) {
      state.output = input;
      return state;
    }

    state.output = utils.wrapOutput(output, state, options);
    return state;
  }

  /**
   * Tokenize input until we reach end-of-string
   */

  while (!eos()) {
    value = advance();

    if (value === '\u0000') {
      continue;
    }

    /**
     * Escaped characters
     */

    if (value === '\\') {
      const next = peek();

      if (next === '/' && opts.bash !== true) {
        continue;
      }

      if (next === '.' || next === ';') {
        continue;
      }

      if (!next) {
        value += '\\';
        push({ type: 'text', value });
        continue;
      }

      // collapse slashes to reduce potential for exploits
      const match = /^\\+/.exec(remaining());
      let slashes = 0;

      if (match && match[0].length > 2) {
        slashes = match[0].length;
        state.index += slashes;
        if (slashes % 2 !== 0) {
          value += '\\';
        }
      }

      if (opts.unescape === true) {
        value = advance();
      } else {
        value += advance();
      }

      if (state.brackets === 0) {
        push({ type: 'text', value });
        continue;
      }
    }

    /**
     * If we're inside a regex character class, continue
     * until we reach the closing bracket.
     */

    if (state.brackets > 0 && (value !== ']' || prev.value === '[' || prev.value === '[^')) {
      if (opts.posix !== false && value === ':') {
        const inner = prev.value.slice(1);
        if (inner.includes('[')) {
          prev.posix = true;

          if (inner.includes(':')) {
            const idx = prev.value.lastIndexOf('[');
            const pre = prev.value.slice(0, idx);
            const rest = prev.value.slice(idx + 2);
            const posix = POSIX_REGEX_SOURCE[rest];
            if (posix) {
              prev.value = pre + posix;
              state.backtrack = true;
              advance();

              if (!bos.output && tokens.indexOf(prev) === 1) {
                bos.output = ONE_CHAR;
              }
              continue;
            }
          }
        }
      }

      if ((value === '[' && peek() !== ':') || (value === '-' && peek() === ']')) {
        value = `\\${value}`;
      }

      if (value === ']' && (prev.value === '[' || prev.value === '[^')) {
        value = `\\${value}`;
      }

      if (opts.posix === true && value === '!' && prev.value === '[') {
        value = '^';
      }

      prev.value += value;
      append({ value });
      continue;
    }

    /**
     * If we're inside a quoted string, continue
     * until we reach the closing double quote.
     */

    if (state.quotes === 1 && value !== '"') {
      value = utils.escapeRegex(value);
      prev.value += value;
      append({ value });
      continue;
    }

    /**
     * Double quotes
     */

    if (value === '"') {
      state.quotes = state.quotes === 1 ? 0 : 1;
      if (opts.keepQuotes === true) {
        push({ type: 'text', value });
      }
      continue;
    }

    /**
     * Parentheses
     */

    if (value === '(') {
      increment('parens');
      push({ type: 'paren', value });
      continue;
    }

    if (value === ')') {
      if (state.parens === 0 && opts.strictBrackets === true) {
        throw new SyntaxError(syntaxError('opening', '('));
      }

      const extglob = extglobs[extglobs.length - 1];
      if (extglob && state.parens === extglob.parens + 1) {
        extglobClose(extglobs.pop());
        continue;
      }

      push({ type: 'paren', value, output: state.parens ? ')' : '\\)' });
      decrement('parens');
      continue;
    }

    /**
     * Square brackets
     */

    if (value === '[') {
      if (opts.nobracket === true || !remaining().includes(']')) {
        if (opts.nobracket !== true && opts.strictBrackets === true) {
          throw new SyntaxError(syntaxError('closing', ']'));
        }

        value = `\\${value}`;
      } else {
        increment('brackets');
      }

      push({ type: 'bracket', value });
      continue;
    }

    if (value === ']') {
      if (opts.nobracket === true || (prev && prev.type === 'bracket' && prev.value.length === 1)) {
        push({ type: 'text', value, output: `\\${value}` });
        continue;
      }

      if (state.brackets === 0) {
        if (opts.strictBrackets === true) {
          throw new SyntaxError(syntaxError('opening', '['));
        }

        push({ type: 'text', value, output: `\\${value}` });
        continue;
      }

      decrement('brackets');

      const prevValue = prev.value.slice(1);
      if (prev.posix !== true && prevValue[0] === '^' && !prevValue.includes('/')) {
        value = `/${value}`;
      }

      prev.value += value;
      append({ value });

      // when literal brackets are explicitly disabled
      // assume we should match with a regex character class
      if (opts.literalBrackets === false || utils.hasRegexChars(prevValue)) {
        continue;
      }

      const escaped = utils.escapeRegex(prev.value);
      state.output = state.output.slice(0, -prev.value.length);

      // when literal brackets are explicitly enabled
      // assume we should escape the brackets to match literal characters
      if (opts.literalBrackets === true) {
        state.output += escaped;
        prev.value = escaped;
        continue;
      }

      // when the user specifies nothing, try to match both
      prev.value = `(${capture}${escaped}|${prev.value})`;
      state.output += prev.value;
      continue;
    }

    /**
     * Braces
     */

    if (value === '{' && opts.nobrace !== true) {
      increment('braces');

      const open = {
        type: 'brace',
        value,
        output: '(',
        outputIndex: state.output.length,
        tokensIndex: state.tokens.length
      };

      braces.push(open);
      push(open);
      continue;
    }

    if (value === '}') {
      const brace = braces[braces.length - 1];

      if (opts.nobrace === true || !brace) {
        push({ type: 'text', value, output: value });
        continue;
      }

      let output = ')';

      if (brace.dots === true) {
        const arr = tokens.slice();
        const range = [];

        for (let i = arr.length - 1; i >= 0; i--) {
          tokens.pop();
          if (arr[i].type === 'brace') {
            break;
          }
          if (arr[i].type !== 'dots') {
            range.unshift(arr[i].value);
          }
        }

        output = expandRange(range, opts);
        state.backtrack = true;
      }

      if (brace.comma !== true && brace.dots !== true) {
        const out = state.output.slice(0, brace.outputIndex);
        const toks = state.tokens.slice(brace.tokensIndex);
        brace.value = brace.output = '\\{';
        value = output = '\\}';
        state.output = out;
        for (const t of toks) {
          state.output += (t.output || t.value);
        }
      }

      push({ type: 'brace', value, output });
      decrement('braces');
      braces.pop();
      continue;
    }

    /**
     * Pipes
     */

    if (value === '|') {
      if (extglobs.length > 0) {
        extglobs[extglobs.length - 1].conditions++;
      }
      push({ type: 'text', value });
      continue;
    }

    /**
     * Commas
     */

    if (value === ',') {
      let output = value;

      const brace = braces[braces.length - 1];
      if (brace && stack[stack.length - 1] === 'braces') {
        brace.comma = true;
        output = '|';
      }

      push({ type: 'comma', value, output });
      continue;
    }

    /**
     * Slashes
     */

    if (value === '/') {
      // if the beginning of the glob is "./", advance the start
      // to the current index, and don't add the "./" characters
      // to the state. This greatly simplifies lookbehinds when
      // checking for BOS characters like "!" and "." (not "./")
      if (prev.type === 'dot' && state.index === state.start + 1) {
        state.start = state.index + 1;
        state.consumed = '';
        state.output = '';
        tokens.pop();
        prev = bos; // reset "prev" to the first token
        continue;
      }

      push({ type: 'slash', value, output: SLASH_LITERAL });
      continue;
    }

    /**
     * Dots
     */

    if (value === '.') {
      if (state.braces > 0 && prev.type === 'dot') {
        if (prev.value === '.') prev.output = DOT_LITERAL;
        const brace = braces[braces.length - 1];
        prev.type = 'dots';
        prev.output += value;
        prev.value += value;
        brace.dots = true;
        continue;
      }

      if ((state.braces + state.parens) === 0 && prev.type !== 'bos' && prev.type !== 'slash') {
        push({ type: 'text', value, output: DOT_LITERAL });
        continue;
      }

      push({ type: 'dot', value, output: DOT_LITERAL });
      continue;
    }

    /**
     * Question marks
     */

    if (value === '?') {
      const isGroup = prev && prev.value === '(';
      if (!isGroup && opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
        extglobOpen('qmark', value);
        continue;
      }

      if (prev && prev.type === 'paren') {
        const next = peek();
        let output = value;

        if ((prev.value === '(' && !/[!=<:]/.test(next)) || (next === '<' && !/<([!=]|\w+>)/.test(remaining()))) {
          output = `\\${value}`;
        }

        push({ type: 'text', value, output });
        continue;
      }

      if (opts.dot !== true && (prev.type === 'slash' || prev.type === 'bos')) {
        push({ type: 'qmark', value, output: QMARK_NO_DOT });
        continue;
      }

      push({ type: 'qmark', value, output: QMARK });
      continue;
    }

    /**
     * Exclamation
     */

    if (value === '!') {
      if (opts.noextglob !== true && peek() === '(') {
        if (peek(2) !== '?' || !/[!=<:]/.test(peek(3))) {
          extglobOpen('negate', value);
          continue;
        }
      }

      if (opts.nonegate !== true && state.index === 0) {
        negate();
        continue;
      }
    }

    /**
     * Plus
     */

    if (value === '+') {
      if (opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
        extglobOpen('plus', value);
        continue;
      }

      if ((prev && prev.value === '(') || opts.regex === false) {
        push({ type: 'plus', value, output: PLUS_LITERAL });
        continue;
      }

      if ((prev && (prev.type === 'bracket' || prev.type === 'paren' || prev.type === 'brace')) || state.parens > 0) {
        push({ type: 'plus', value });
        continue;
      }

      push({ type: 'plus', value: PLUS_LITERAL });
      continue;
    }

    /**
     * Plain text
     */

    if (value === '@') {
      if (opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
        push({ type: 'at', extglob: true, value, output: '' });
        continue;
      }

      push({ type: 'text', value });
      continue;
    }

    /**
     * Plain text
     */

    if (value !== '*') {
      if (value === '$' || value === '^') {
        value = `\\${value}`;
      }

      const match = REGEX_NON_SPECIAL_CHARS.exec(remaining());
      if (match) {
        value += match[0];
        state.index += match[0].length;
      }

      push({ type: 'text', value });
      continue;
    }

    /**
     * Stars
     */

    if (prev && (prev.type === 'globstar' || prev.star === true)) {
      prev.type = 'star';
      prev.star = true;
      prev.value += value;
      prev.output = star;
      state.backtrack = true;
      state.globstar = true;
      consume(value);
      continue;
    }

    let rest = remaining();
    if (opts.noextglob !== true && /^\([^?]/.test(rest)) {
      extglobOpen('star', value);
      continue;
    }

    if (prev.type === 'star') {
      if (opts.noglobstar === true) {
        consume(value);
        continue;
      }

      const prior = prev.prev;
      const before = prior.prev;
      const isStart = prior.type === 'slash' || prior.type === 'bos';
      const afterStar = before && (before.type === 'star' || before.type === 'globstar');

      if (opts.bash === true && (!isStart || (rest[0] && rest[0] !== '/'))) {
        push({ type: 'star', value, output: '' });
        continue;
      }

      const isBrace = state.braces > 0 && (prior.type === 'comma' || prior.type === 'brace');
      const isExtglob = extglobs.length && (prior.type === 'pipe' || prior.type === 'paren');
      if (!isStart && prior.type !== 'paren' && !isBrace && !isExtglob) {
        push({ type: 'star', value, output: '' });
        continue;
      }

      // strip consecutive `/**/`
      while (rest.slice(0, 3) === '/**') {
        const after = input[state.index + 4];
        if (after && after !== '/') {
          break;
        }
        rest = rest.slice(3);
        consume('/**', 3);
      }

      // A globstar followed only by balanced closing parens is at the logical end of patterns like
      // `test(/utils/**)` and `test?(/utils/**)`. Treat it as EOS so the trailing `/**` can match its
      // parent path, except in negated extglobs where that would change the exclusion semantics.
      const isEnd = eos() || (
        state.parens > 0
        && rest === ')'.repeat(state.parens)
        && !extglobs.some(extglob => extglob.type === 'negate')
      );

      if (prior.type === 'bos' && eos()) {
        prev.type = 'globstar';
        prev.value += value;
        prev.output = globstar(opts);
        state.output = prev.output;
        state.globstar = true;
        consume(value);
        continue;
      }

      if (prior.type === 'slash' && prior.prev.type !== 'bos' && !afterStar && isEnd) {
        state.output = state.output.slice(0, -(prior.output + prev.output).length);
        prior.output = `(?:${prior.output}`;

        prev.type = 'globstar';
        prev.output = globstar(opts) + (opts.strictSlashes ? ')' : '|$)');
        prev.value += value;
        state.globstar = true;
        state.output += prior.output + prev.output;
        consume(value);
        continue;
      }

      if (prior.type === 'slash' && prior.prev.type !== 'bos' && rest[0] === '/') {
        const end = rest[1] !== void 0 ? '|$' : '';

        state.output = state.output.slice(0, -(prior.output + prev.output).length);
        prior.output = `(?:${prior.output}`;

        prev.type = 'globstar';
        prev.output = `${globstar(opts)}${SLASH_LITERAL}|${SLASH_LITERAL}${end})`;
        prev.value += value;

        state.output += prior.output + prev.output;
        state.globstar = true;

        consume(value + advance());

        push({ type: 'slash', value: '/', output: '' });
        continue;
      }

      if (prior.type === 'bos' && rest[0] === '/') {
        prev.type = 'globstar';
        prev.value += value;
        prev.output = `(?:^|${SLASH_LITERAL}|${globstar(opts)}${SLASH_LITERAL})`;
        state.output = prev.output;
        state.globstar = true;
        consume(value + advance());
        push({ type: 'slash', value: '/', output: '' });
        continue;
      }

      // remove single star from output
      state.output = state.output.slice(0, -prev.output.length);

      // reset previous token to globstar
      prev.type = 'globstar';
      prev.output = globstar(opts);
      prev.value += value;

      // reset output with globstar
      state.output += prev.output;
      state.globstar = true;
      consume(value);
      continue;
    }

    const token = { type: 'star', value, output: star };

    if (opts.bash === true) {
      token.output = '.*?';
      if (prev.type === 'bos' || prev.type === 'slash') {
        token.output = nodot + token.output;
      }
      push(token);
      continue;
    }

    if (prev && (prev.type === 'bracket' || prev.type === 'paren') && opts.regex === true) {
      token.output = value;
      push(token);
      continue;
    }

    if (state.index === state.start || prev.type === 'slash' || prev.type === 'dot') {
      if (prev.type === 'dot') {
        state.output += NO_DOT_SLASH;
        prev.output += NO_DOT_SLASH;

      } else if (opts.dot === true) {
        state.output += NO_DOTS_SLASH;
        prev.output += NO_DOTS_SLASH;

      } else {
        state.output += nodot;
        prev.output += nodot;
      }

      if (peek() !== '*') {
        state.output += ONE_CHAR;
        prev.output += ONE_CHAR;
      }
    }

    push(token);
  }

  while (state.brackets > 0) {
    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', ']'));
    state.output = utils.escapeLast(state.output, '[');
    decrement('brackets');
  }

  while (state.parens > 0) {
    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', ')'));
    state.output = utils.escapeLast(state.output, '(');
    decrement('parens');
  }

  while (state.braces > 0) {
    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', '}'));
    state.output = utils.escapeLast(state.output, '{');
    decrement('braces');
  }

  if (opts.strictSlashes !== true && (prev.type === 'star' || prev.type === 'bracket')) {
    push({ type: 'maybe_slash', value: '', output: `${SLASH_LITERAL}?` });
  }

  // rebuild the output if we had to backtrack at any point
  if (state.backtrack === true) {
    state.output = '';

    for (const token of state.tokens) {
      state.output += token.output != null ? token.output : token.value;

      if (token.suffix) {
        state.output += token.suffix;
      }
    }
  }

  return state;
};

/**
 * Fast paths for creating regular expressions for common glob patterns.
 * This can significantly speed up processing and has very little downside
 * impact when none of the fast paths match.
 */

parse.fastpaths = (input, options) => {
  const opts = { ...options };
  const max = typeof opts.maxLength === 'number' ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
  const len = input.length;
  if (len > max) {
    throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
  }

  input = REPLACEMENTS[input] || input;

  // create constants based on platform, for windows or posix
  const {
    DOT_LITERAL,
    SLASH_LITERAL,
    ONE_CHAR,
    DOTS_SLASH,
    NO_DOT,
    NO_DOTS,
    NO_DOTS_SLASH,
    STAR,
    START_ANCHOR
  } = constants.globChars(opts.windows);

  const nodot = opts.dot ? NO_DOTS : NO_DOT;
  const slashDot = opts.dot ? NO_DOTS_SLASH : NO_DOT;
  const capture = opts.capture ? '' : '?:';
  const state = { negated: false, prefix: '' };
  let star = opts.bash === true ? '.*?' : STAR;

  if (opts.capture) {
    star = `(${star})`;
  }

  const globstar = opts => {
    if (opts.noglobstar === true) return star;
    return `(${capture}(?:(?!${START_ANCHOR}${opts.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
  };

  const create = str => {
    switch (str) {
      case '*':
        return `${nodot}${ONE_CHAR}${star}`;

      case '.*':
        return `${DOT_LITERAL}${ONE_CHAR}${star}`;

      case '*.*':
        return `${nodot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;

      case '*/*':
        return `${nodot}${star}${SLASH_LITERAL}${ONE_CHAR}${slashDot}${star}`;

      case '**':
        return nodot + globstar(opts);

      case '**/*':
        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${ONE_CHAR}${star}`;

      case '**/*.*':
        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;

      case '**/.*':
        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${DOT_LITERAL}${ONE_CHAR}${star}`;

      default: {
        const match = /^(.*?)\.(\w+)$/.exec(str);
        if (!match) return;

        const source = create(match[1]);
        if (!source) return;

        return source + DOT_LITERAL + match[2];
      }
    }
  };

  const output = utils.removePrefix(input, state);
  let source = create(output);

  if (source && opts.strictSlashes !== true) {
    source += `${SLASH_LITERAL}?`;
  }

  return source;
};

module.exports = parse;


/***/ }),

/***/ 8016:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const scan = __nccwpck_require__(1781);
const parse = __nccwpck_require__(8265);
const utils = __nccwpck_require__(4059);
const constants = __nccwpck_require__(5595);
const isObject = val => val && typeof val === 'object' && !Array.isArray(val);

/**
 * Creates a matcher function from one or more glob patterns. The
 * returned function takes a string to match as its first argument,
 * and returns true if the string is a match. The returned matcher
 * function also takes a boolean as the second argument that, when true,
 * returns an object with additional information.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch(glob[, options]);
 *
 * const isMatch = picomatch('*.!(*a)');
 * console.log(isMatch('a.a')); //=> false
 * console.log(isMatch('a.b')); //=> true
 *
 * // For environments without `node.js`, `picomatch/posix` provides you a dependency-free matcher, without automatic OS detection.
 * const picomatch = require('picomatch/posix');
 * // the same API, defaulting to posix paths
 * const isMatch = picomatch('a/*');
 * console.log(isMatch('a\\b')); //=> false
 * console.log(isMatch('a/b')); //=> true
 *
 * // you can still configure the matcher function to accept windows paths
 * const isMatch = picomatch('a/*', { options: windows });
 * console.log(isMatch('a\\b')); //=> true
 * console.log(isMatch('a/b')); //=> true
 * ```
 * @name picomatch
 * @param {String|Array} `globs` One or more glob patterns.
 * @param {Object=} `options`
 * @return {Function=} Returns a matcher function.
 * @api public
 */

const picomatch = (glob, options, returnState = false) => {
  if (Array.isArray(glob)) {
    const fns = glob.map(input => picomatch(input, options, returnState));
    const arrayMatcher = str => {
      for (const isMatch of fns) {
        const state = isMatch(str);
        if (state) return state;
      }
      return false;
    };
    return arrayMatcher;
  }

  const isState = isObject(glob) && glob.tokens && glob.input;

  if (glob === '' || (typeof glob !== 'string' && !isState)) {
    throw new TypeError('Expected pattern to be a non-empty string');
  }

  const opts = options || {};
  const posix = opts.windows;
  const regex = isState
    ? picomatch.compileRe(glob, options)
    : picomatch.makeRe(glob, options, false, true);

  const state = regex.state;
  delete regex.state;

  let isIgnored = () => false;
  if (opts.ignore) {
    const ignoreOpts = { ...options, ignore: null, onMatch: null, onResult: null };
    isIgnored = picomatch(opts.ignore, ignoreOpts, returnState);
  }

  const matcher = (input, returnObject = false) => {
    const { isMatch, match, output } = picomatch.test(input, regex, options, { glob, posix });
    const result = { glob, state, regex, posix, input, output, match, isMatch };

    if (typeof opts.onResult === 'function') {
      opts.onResult(result);
    }

    if (isMatch === false) {
      result.isMatch = false;
      return returnObject ? result : false;
    }

    if (isIgnored(input)) {
      if (typeof opts.onIgnore === 'function') {
        opts.onIgnore(result);
      }
      result.isMatch = false;
      return returnObject ? result : false;
    }

    if (typeof opts.onMatch === 'function') {
      opts.onMatch(result);
    }
    return returnObject ? result : true;
  };

  if (returnState) {
    matcher.state = state;
  }

  return matcher;
};

/**
 * Test `input` with the given `regex`. This is used by the main
 * `picomatch()` function to test the input string.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.test(input, regex[, options]);
 *
 * console.log(picomatch.test('foo/bar', /^(?:([^/]*?)\/([^/]*?))$/));
 * // { isMatch: true, match: [ 'foo/', 'foo', 'bar' ], output: 'foo/bar' }
 * ```
 * @param {String} `input` String to test.
 * @param {RegExp} `regex`
 * @return {Object} Returns an object with matching info.
 * @api public
 */

picomatch.test = (input, regex, options, { glob, posix } = {}) => {
  if (typeof input !== 'string') {
    throw new TypeError('Expected input to be a string');
  }

  if (input === '') {
    return { isMatch: false, output: '' };
  }

  const opts = options || {};
  const format = opts.format || (posix ? utils.toPosixSlashes : null);
  let match = input === glob;
  let output = (match && format) ? format(input) : input;

  if (match === false) {
    output = format ? format(input) : input;
    match = output === glob;
  }

  if (match === false || opts.capture === true) {
    if (opts.matchBase === true || opts.basename === true) {
      match = picomatch.matchBase(input, regex, options, posix);
    } else {
      match = regex.exec(output);
    }
  }

  return { isMatch: Boolean(match), match, output };
};

/**
 * Match the basename of a filepath.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.matchBase(input, glob[, options]);
 * console.log(picomatch.matchBase('foo/bar.js', '*.js'); // true
 * ```
 * @param {String} `input` String to test.
 * @param {RegExp|String} `glob` Glob pattern or regex created by [.makeRe](#makeRe).
 * @return {Boolean}
 * @api public
 */

picomatch.matchBase = (input, glob, options, posix = options && options.windows) => {
  const regex = glob instanceof RegExp ? glob : picomatch.makeRe(glob, options);
  return regex.test(utils.basename(input, { windows: posix }));
};

/**
 * Returns true if **any** of the given glob `patterns` match the specified `string`.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.isMatch(string, patterns[, options]);
 *
 * console.log(picomatch.isMatch('a.a', ['b.*', '*.a'])); //=> true
 * console.log(picomatch.isMatch('a.a', 'b.*')); //=> false
 * ```
 * @param {String|Array} str The string to test.
 * @param {String|Array} patterns One or more glob patterns to use for matching.
 * @param {Object} [options] See available [options](#options).
 * @return {Boolean} Returns true if any patterns match `str`
 * @api public
 */

picomatch.isMatch = (str, patterns, options) => picomatch(patterns, options)(str);

/**
 * Parse a glob pattern to create the source string for a regular
 * expression.
 *
 * ```js
 * const picomatch = require('picomatch');
 * const result = picomatch.parse(pattern[, options]);
 * ```
 * @param {String} `pattern`
 * @param {Object} `options`
 * @return {Object} Returns an object with useful properties and output to be used as a regex source string.
 * @api public
 */

picomatch.parse = (pattern, options) => {
  if (Array.isArray(pattern)) return pattern.map(p => picomatch.parse(p, options));
  return parse(pattern, { ...options, fastpaths: false });
};

/**
 * Scan a glob pattern to separate the pattern into segments.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.scan(input[, options]);
 *
 * const result = picomatch.scan('!./foo/*.js');
 * console.log(result);
 * { prefix: '!./',
 *   input: '!./foo/*.js',
 *   start: 3,
 *   base: 'foo',
 *   glob: '*.js',
 *   isBrace: false,
 *   isBracket: false,
 *   isGlob: true,
 *   isExtglob: false,
 *   isGlobstar: false,
 *   negated: true }
 * ```
 * @param {String} `input` Glob pattern to scan.
 * @param {Object} `options`
 * @return {Object} Returns an object with
 * @api public
 */

picomatch.scan = (input, options) => scan(input, options);

/**
 * Compile a regular expression from the `state` object returned by the
 * [parse()](#parse) method.
 *
 * ```js
 * const picomatch = require('picomatch');
 * const state = picomatch.parse('*.js');
 * // picomatch.compileRe(state[, options]);
 *
 * console.log(picomatch.compileRe(state));
 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
 * ```
 * @param {Object} `state`
 * @param {Object} `options`
 * @param {Boolean} `returnOutput` Intended for implementors, this argument allows you to return the raw output from the parser.
 * @param {Boolean} `returnState` Adds the state to a `state` property on the returned regex. Useful for implementors and debugging.
 * @return {RegExp}
 * @api public
 */

picomatch.compileRe = (state, options, returnOutput = false, returnState = false) => {
  if (returnOutput === true) {
    return state.output;
  }

  const opts = options || {};
  const prepend = opts.contains ? '' : '^';
  const append = opts.contains ? '' : '$';

  let source = `${prepend}(?:${state.output})${append}`;
  if (state && state.negated === true) {
    source = `^(?!${source}).*$`;
  }

  const regex = picomatch.toRegex(source, options);
  if (returnState === true) {
    regex.state = state;
  }

  return regex;
};

/**
 * Create a regular expression from a parsed glob pattern.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.makeRe(state[, options]);
 *
 * const result = picomatch.makeRe('*.js');
 * console.log(result);
 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
 * ```
 * @param {String} `state` The object returned from the `.parse` method.
 * @param {Object} `options`
 * @param {Boolean} `returnOutput` Implementors may use this argument to return the compiled output, instead of a regular expression. This is not exposed on the options to prevent end-users from mutating the result.
 * @param {Boolean} `returnState` Implementors may use this argument to return the state from the parsed glob with the returned regular expression.
 * @return {RegExp} Returns a regex created from the given pattern.
 * @api public
 */

picomatch.makeRe = (input, options = {}, returnOutput = false, returnState = false) => {
  if (!input || typeof input !== 'string') {
    throw new TypeError('Expected a non-empty string');
  }

  let parsed = { negated: false, fastpaths: true };

  if (options.fastpaths !== false && (input[0] === '.' || input[0] === '*')) {
    parsed.output = parse.fastpaths(input, options);
  }

  if (!parsed.output) {
    parsed = parse(input, options);
  }

  return picomatch.compileRe(parsed, options, returnOutput, returnState);
};

/**
 * Create a regular expression from the given regex source string.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.toRegex(source[, options]);
 *
 * const { output } = picomatch.parse('*.js');
 * console.log(picomatch.toRegex(output));
 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
 * ```
 * @param {String} `source` Regular expression source string.
 * @param {Object} `options`
 * @return {RegExp}
 * @api public
 */

picomatch.toRegex = (source, options) => {
  try {
    const opts = options || {};
    return new RegExp(source, opts.flags || (opts.nocase ? 'i' : ''));
  } catch (err) {
    if (options && options.debug === true) throw err;
    return /$^/;
  }
};

/**
 * Picomatch constants.
 * @return {Object}
 */

picomatch.constants = constants;

/**
 * Expose "picomatch"
 */

module.exports = picomatch;


/***/ }),

/***/ 1781:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const utils = __nccwpck_require__(4059);
const {
  CHAR_ASTERISK,             /* * */
  CHAR_AT,                   /* @ */
  CHAR_BACKWARD_SLASH,       /* \ */
  CHAR_COMMA,                /* , */
  CHAR_DOT,                  /* . */
  CHAR_EXCLAMATION_MARK,     /* ! */
  CHAR_FORWARD_SLASH,        /* / */
  CHAR_LEFT_CURLY_BRACE,     /* { */
  CHAR_LEFT_PARENTHESES,     /* ( */
  CHAR_LEFT_SQUARE_BRACKET,  /* [ */
  CHAR_PLUS,                 /* + */
  CHAR_QUESTION_MARK,        /* ? */
  CHAR_RIGHT_CURLY_BRACE,    /* } */
  CHAR_RIGHT_PARENTHESES,    /* ) */
  CHAR_RIGHT_SQUARE_BRACKET  /* ] */
} = __nccwpck_require__(5595);

const isPathSeparator = code => {
  return code === CHAR_FORWARD_SLASH || code === CHAR_BACKWARD_SLASH;
};

const depth = token => {
  if (token.isPrefix !== true) {
    token.depth = token.isGlobstar ? Infinity : 1;
  }
};

/**
 * Quickly scans a glob pattern and returns an object with a handful of
 * useful properties, like `isGlob`, `path` (the leading non-glob, if it exists),
 * `glob` (the actual pattern), `negated` (true if the path starts with `!` but not
 * with `!(`) and `negatedExtglob` (true if the path starts with `!(`).
 *
 * ```js
 * const pm = require('picomatch');
 * console.log(pm.scan('foo/bar/*.js'));
 * { isGlob: true, input: 'foo/bar/*.js', base: 'foo/bar', glob: '*.js' }
 * ```
 * @param {String} `str`
 * @param {Object} `options`
 * @return {Object} Returns an object with tokens and regex source string.
 * @api public
 */

const scan = (input, options) => {
  const opts = options || {};

  const length = input.length - 1;
  const scanToEnd = opts.parts === true || opts.tokens === true || opts.scanToEnd === true;
  const slashes = [];
  const tokens = [];
  const parts = [];

  let str = input;
  let index = -1;
  let start = 0;
  let lastIndex = 0;
  let isBrace = false;
  let isBracket = false;
  let isGlob = false;
  let isExtglob = false;
  let isGlobstar = false;
  let braceEscaped = false;
  let backslashes = false;
  let negated = false;
  let negatedExtglob = false;
  let finished = false;
  let braces = 0;
  let prev;
  let code;
  let token = { value: '', depth: 0, isGlob: false };

  const eos = () => index >= length;
  const peek = () => str.charCodeAt(index + 1);
  const advance = () => {
    prev = code;
    return str.charCodeAt(++index);
  };

  while (index < length) {
    code = advance();
    let next;

    if (code === CHAR_BACKWARD_SLASH) {
      backslashes = token.backslashes = true;
      code = advance();

      if (code === CHAR_LEFT_CURLY_BRACE) {
        braceEscaped = true;
      }
      continue;
    }

    if (braceEscaped === true || code === CHAR_LEFT_CURLY_BRACE) {
      braces++;

      while (eos() !== true && (code = advance())) {
        if (code === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          advance();
          continue;
        }

        if (code === CHAR_LEFT_CURLY_BRACE) {
          braces++;
          continue;
        }

        if (braceEscaped !== true && code === CHAR_DOT && (code = advance()) === CHAR_DOT) {
          isBrace = token.isBrace = true;
          isGlob = token.isGlob = true;
          finished = true;

          if (scanToEnd === true) {
            continue;
          }

          break;
        }

        if (braceEscaped !== true && code === CHAR_COMMA) {
          isBrace = token.isBrace = true;
          isGlob = token.isGlob = true;
          finished = true;

          if (scanToEnd === true) {
            continue;
          }

          break;
        }

        if (code === CHAR_RIGHT_CURLY_BRACE) {
          braces--;

          if (braces === 0) {
            braceEscaped = false;
            isBrace = token.isBrace = true;
            finished = true;
            break;
          }
        }
      }

      if (scanToEnd === true) {
        continue;
      }

      break;
    }

    if (code === CHAR_FORWARD_SLASH) {
      slashes.push(index);
      tokens.push(token);
      token = { value: '', depth: 0, isGlob: false };

      if (finished === true) continue;
      if (prev === CHAR_DOT && index === (start + 1)) {
        start += 2;
        continue;
      }

      lastIndex = index + 1;
      continue;
    }

    if (opts.noext !== true) {
      const isExtglobChar = code === CHAR_PLUS
        || code === CHAR_AT
        || code === CHAR_ASTERISK
        || code === CHAR_QUESTION_MARK
        || code === CHAR_EXCLAMATION_MARK;

      if (isExtglobChar === true && peek() === CHAR_LEFT_PARENTHESES) {
        isGlob = token.isGlob = true;
        isExtglob = token.isExtglob = true;
        finished = true;
        if (code === CHAR_EXCLAMATION_MARK && index === start) {
          negatedExtglob = true;
        }

        if (scanToEnd === true) {
          let parens = 0;

          while (eos() !== true && (code = advance())) {
            if (code === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }

            if (code === CHAR_LEFT_PARENTHESES) {
              parens++;
              continue;
            }

            if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
              finished = true;
              break;
            }
          }
          continue;
        }
        break;
      }
    }

    if (code === CHAR_ASTERISK) {
      if (prev === CHAR_ASTERISK) isGlobstar = token.isGlobstar = true;
      isGlob = token.isGlob = true;
      finished = true;

      if (scanToEnd === true) {
        continue;
      }
      break;
    }

    if (code === CHAR_QUESTION_MARK) {
      isGlob = token.isGlob = true;
      finished = true;

      if (scanToEnd === true) {
        continue;
      }
      break;
    }

    if (code === CHAR_LEFT_SQUARE_BRACKET) {
      while (eos() !== true && (next = advance())) {
        if (next === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          advance();
          continue;
        }

        if (next === CHAR_RIGHT_SQUARE_BRACKET) {
          isBracket = token.isBracket = true;
          isGlob = token.isGlob = true;
          finished = true;
          break;
        }
      }

      if (scanToEnd === true) {
        continue;
      }

      break;
    }

    if (opts.nonegate !== true && code === CHAR_EXCLAMATION_MARK && index === start) {
      negated = token.negated = true;
      start++;
      continue;
    }

    if (opts.noparen !== true && code === CHAR_LEFT_PARENTHESES) {
      isGlob = token.isGlob = true;

      if (scanToEnd === true) {
        let parens = 1;

        while (eos() !== true && (code = advance())) {
          if (code === CHAR_BACKWARD_SLASH) {
            backslashes = token.backslashes = true;
            advance();
            continue;
          }

          if (code === CHAR_LEFT_PARENTHESES) {
            parens++;
            continue;
          }

          if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
            finished = true;
            break;
          }
        }
        continue;
      }
      break;
    }

    if (isGlob === true) {
      finished = true;

      if (scanToEnd === true) {
        continue;
      }

      break;
    }
  }

  if (opts.noext === true) {
    isExtglob = false;
    isGlob = false;
  }

  let base = str;
  let prefix = '';
  let glob = '';

  if (start > 0) {
    prefix = str.slice(0, start);
    str = str.slice(start);
    lastIndex -= start;
  }

  if (base && isGlob === true && lastIndex > 0) {
    base = str.slice(0, lastIndex);
    glob = str.slice(lastIndex);
  } else if (isGlob === true) {
    base = '';
    glob = str;
  } else {
    base = str;
  }

  if (base && base !== '' && base !== '/' && base !== str) {
    if (isPathSeparator(base.charCodeAt(base.length - 1))) {
      base = base.slice(0, -1);
    }
  }

  if (opts.unescape === true) {
    if (glob) glob = utils.removeBackslashes(glob);

    if (base && backslashes === true) {
      base = utils.removeBackslashes(base);
    }
  }

  const state = {
    prefix,
    input,
    start,
    base,
    glob,
    isBrace,
    isBracket,
    isGlob,
    isExtglob,
    isGlobstar,
    negated,
    negatedExtglob
  };

  if (opts.tokens === true) {
    state.maxDepth = 0;
    if (!isPathSeparator(code)) {
      tokens.push(token);
    }
    state.tokens = tokens;
  }

  if (opts.parts === true || opts.tokens === true) {
    let prevIndex;

    for (let idx = 0; idx < slashes.length; idx++) {
      const n = prevIndex !== undefined ? prevIndex + 1 : start;
      const i = slashes[idx];
      const value = input.slice(n, i);
      if (opts.tokens) {
        if (idx === 0 && start !== 0) {
          tokens[idx].isPrefix = true;
          tokens[idx].value = prefix;
        } else {
          tokens[idx].value = value;
        }
        depth(tokens[idx]);
        state.maxDepth += tokens[idx].depth;
      }
      if (i >= start) {
        parts.push(value);
        prevIndex = i;
      }
    }

    const n = prevIndex !== undefined ? prevIndex + 1 : start;
    const value = input.slice(n);
    parts.push(value);

    if (opts.tokens && prevIndex && prevIndex + 1 < input.length) {
      tokens[tokens.length - 1].value = value;
      depth(tokens[tokens.length - 1]);
      state.maxDepth += tokens[tokens.length - 1].depth;
    }

    state.slashes = slashes;
    state.parts = parts;
  }

  return state;
};

module.exports = scan;


/***/ }),

/***/ 4059:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

/*global navigator*/


const {
  REGEX_BACKSLASH,
  REGEX_REMOVE_BACKSLASH,
  REGEX_SPECIAL_CHARS,
  REGEX_SPECIAL_CHARS_GLOBAL
} = __nccwpck_require__(5595);

exports.isObject = val => val !== null && typeof val === 'object' && !Array.isArray(val);
exports.hasRegexChars = str => REGEX_SPECIAL_CHARS.test(str);
exports.isRegexChar = str => str.length === 1 && exports.hasRegexChars(str);
exports.escapeRegex = str => str.replace(REGEX_SPECIAL_CHARS_GLOBAL, '\\$1');
exports.toPosixSlashes = str => str.replace(REGEX_BACKSLASH, '/');

exports.isWindows = () => {
  if (typeof navigator !== 'undefined' && navigator.platform) {
    const platform = navigator.platform.toLowerCase();
    return platform === 'win32' || platform === 'windows';
  }

  if (typeof process !== 'undefined' && process.platform) {
    return process.platform === 'win32';
  }

  return false;
};

exports.removeBackslashes = str => {
  return str.replace(REGEX_REMOVE_BACKSLASH, match => {
    return match === '\\' ? '' : match;
  });
};

exports.escapeLast = (input, char, lastIdx) => {
  const idx = input.lastIndexOf(char, lastIdx);
  if (idx === -1) return input;
  if (input[idx - 1] === '\\') return exports.escapeLast(input, char, idx - 1);
  return `${input.slice(0, idx)}\\${input.slice(idx)}`;
};

exports.removePrefix = (input, state = {}) => {
  let output = input;
  if (output.startsWith('./')) {
    output = output.slice(2);
    state.prefix = './';
  }
  return output;
};

exports.wrapOutput = (input, state = {}, options = {}) => {
  const prepend = options.contains ? '' : '^';
  const append = options.contains ? '' : '$';

  let output = `${prepend}(?:${input})${append}`;
  if (state.negated === true) {
    output = `(?:^(?!${output}).*$)`;
  }
  return output;
};

exports.basename = (path, { windows } = {}) => {
  const segs = path.split(windows ? /[\\/]/ : '/');
  const last = segs[segs.length - 1];

  if (last === '') {
    return segs[segs.length - 2];
  }

  return last;
};


/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 7349:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveBlockMap = __nccwpck_require__(7103);
var resolveBlockSeq = __nccwpck_require__(334);
var resolveFlowCollection = __nccwpck_require__(3142);

function resolveCollection(CN, ctx, token, onError, tagName, tag) {
    const coll = token.type === 'block-map'
        ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag)
        : token.type === 'block-seq'
            ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag)
            : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
    const Coll = coll.constructor;
    // If we got a tagName matching the class, or the tag name is '!',
    // then use the tagName from the node class used to create it.
    if (tagName === '!' || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
    }
    if (tagName)
        coll.tag = tagName;
    return coll;
}
function composeCollection(CN, ctx, token, props, onError) {
    const tagToken = props.tag;
    const tagName = !tagToken
        ? null
        : ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg));
    if (token.type === 'block-seq') {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken
            ? anchor.offset > tagToken.offset
                ? anchor
                : tagToken
            : (anchor ?? tagToken);
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
            const message = 'Missing newline after block sequence props';
            onError(lastProp, 'MISSING_CHAR', message);
        }
    }
    const expType = token.type === 'block-map'
        ? 'map'
        : token.type === 'block-seq'
            ? 'seq'
            : token.start.source === '{'
                ? 'map'
                : 'seq';
    // shortcut: check if it's a generic YAMLMap or YAMLSeq
    // before jumping into the custom tag logic.
    if (!tagToken ||
        !tagName ||
        tagName === '!' ||
        (tagName === YAMLMap.YAMLMap.tagName && expType === 'map') ||
        (tagName === YAMLSeq.YAMLSeq.tagName && expType === 'seq')) {
        return resolveCollection(CN, ctx, token, onError, tagName);
    }
    let tag = ctx.schema.tags.find(t => t.tag === tagName && t.collection === expType);
    if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
            ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
            tag = kt;
        }
        else {
            if (kt) {
                onError(tagToken, 'BAD_COLLECTION_TYPE', `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? 'scalar'}`, true);
            }
            else {
                onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, true);
            }
            return resolveCollection(CN, ctx, token, onError, tagName);
        }
    }
    const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
    const res = tag.resolve?.(coll, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg), ctx.options) ?? coll;
    const node = identity.isNode(res)
        ? res
        : new Scalar.Scalar(res);
    node.range = coll.range;
    node.tag = tagName;
    if (tag?.format)
        node.format = tag.format;
    return node;
}

exports.composeCollection = composeCollection;


/***/ }),

/***/ 3683:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Document = __nccwpck_require__(3021);
var composeNode = __nccwpck_require__(5937);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);

function composeDoc(options, directives, { offset, start, value, end }, onError) {
    const opts = Object.assign({ _directives: directives }, options);
    const doc = new Document.Document(undefined, opts);
    const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
    };
    const props = resolveProps.resolveProps(start, {
        indicator: 'doc-start',
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
    });
    if (props.found) {
        doc.directives.docStart = true;
        if (value &&
            (value.type === 'block-map' || value.type === 'block-seq') &&
            !props.hasNewline)
            onError(props.end, 'MISSING_CHAR', 'Block collection cannot start on same line with directives-end marker');
    }
    // @ts-expect-error If Contents is set, let's trust the user
    doc.contents = value
        ? composeNode.composeNode(ctx, value, props, onError)
        : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
    const contentEnd = doc.contents.range[2];
    const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
    if (re.comment)
        doc.comment = re.comment;
    doc.range = [offset, contentEnd, re.offset];
    return doc;
}

exports.composeDoc = composeDoc;


/***/ }),

/***/ 5937:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var composeCollection = __nccwpck_require__(7349);
var composeScalar = __nccwpck_require__(5413);
var resolveEnd = __nccwpck_require__(7788);
var utilEmptyScalarPosition = __nccwpck_require__(2599);

const CN = { composeNode, composeEmptyNode };
function composeNode(ctx, token, props, onError) {
    const atKey = ctx.atKey;
    const { spaceBefore, comment, anchor, tag } = props;
    let node;
    let isSrcToken = true;
    switch (token.type) {
        case 'alias':
            node = composeAlias(ctx, token, onError);
            if (anchor || tag)
                onError(token, 'ALIAS_PROPS', 'An alias node must not specify any properties');
            break;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'block-scalar':
            node = composeScalar.composeScalar(ctx, token, tag, onError);
            if (anchor)
                node.anchor = anchor.source.substring(1);
            break;
        case 'block-map':
        case 'block-seq':
        case 'flow-collection':
            try {
                node = composeCollection.composeCollection(CN, ctx, token, props, onError);
                if (anchor)
                    node.anchor = anchor.source.substring(1);
            }
            catch (error) {
                // Almost certainly here due to a stack overflow
                const message = error instanceof Error ? error.message : String(error);
                onError(token, 'RESOURCE_EXHAUSTION', message);
            }
            break;
        default: {
            const message = token.type === 'error'
                ? token.message
                : `Unsupported token (type: ${token.type})`;
            onError(token, 'UNEXPECTED_TOKEN', message);
            isSrcToken = false;
        }
    }
    node ?? (node = composeEmptyNode(ctx, token.offset, undefined, null, props, onError));
    if (anchor && node.anchor === '')
        onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    if (atKey &&
        ctx.options.stringKeys &&
        (!identity.isScalar(node) ||
            typeof node.value !== 'string' ||
            (node.tag && node.tag !== 'tag:yaml.org,2002:str'))) {
        const msg = 'With stringKeys, all keys must be strings';
        onError(tag ?? token, 'NON_STRING_KEY', msg);
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        if (token.type === 'scalar' && token.source === '')
            node.comment = comment;
        else
            node.commentBefore = comment;
    }
    // @ts-expect-error Type checking misses meaning of isSrcToken
    if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
    return node;
}
function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
    const token = {
        type: 'scalar',
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ''
    };
    const node = composeScalar.composeScalar(ctx, token, tag, onError);
    if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === '')
            onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        node.comment = comment;
        node.range[2] = end;
    }
    return node;
}
function composeAlias({ options }, { offset, source, end }, onError) {
    const alias = new Alias.Alias(source.substring(1));
    if (alias.source === '')
        onError(offset, 'BAD_ALIAS', 'Alias cannot be an empty string');
    if (alias.source.endsWith(':'))
        onError(offset + source.length - 1, 'BAD_ALIAS', 'Alias ending in : is ambiguous', true);
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
    alias.range = [offset, valueEnd, re.offset];
    if (re.comment)
        alias.comment = re.comment;
    return alias;
}

exports.composeEmptyNode = composeEmptyNode;
exports.composeNode = composeNode;


/***/ }),

/***/ 5413:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);

function composeScalar(ctx, token, tagToken, onError) {
    const { value, type, comment, range } = token.type === 'block-scalar'
        ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError)
        : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
    const tagName = tagToken
        ? ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg))
        : null;
    let tag;
    if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
    }
    else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
    else if (token.type === 'scalar')
        tag = findScalarTagByTest(ctx, value, token, onError);
    else
        tag = ctx.schema[identity.SCALAR];
    let scalar;
    try {
        const res = tag.resolve(value, msg => onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg), ctx.options);
        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
    }
    catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg);
        scalar = new Scalar.Scalar(value);
    }
    scalar.range = range;
    scalar.source = value;
    if (type)
        scalar.type = type;
    if (tagName)
        scalar.tag = tagName;
    if (tag.format)
        scalar.format = tag.format;
    if (comment)
        scalar.comment = comment;
    return scalar;
}
function findScalarTagByName(schema, value, tagName, tagToken, onError) {
    if (tagName === '!')
        return schema[identity.SCALAR]; // non-specific tag
    const matchWithTest = [];
    for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
            if (tag.default && tag.test)
                matchWithTest.push(tag);
            else
                return tag;
        }
    }
    for (const tag of matchWithTest)
        if (tag.test?.test(value))
            return tag;
    const kt = schema.knownTags[tagName];
    if (kt && !kt.collection) {
        // Ensure that the known tag is available for stringifying,
        // but does not get used by default.
        schema.tags.push(Object.assign({}, kt, { default: false, test: undefined }));
        return kt;
    }
    onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, tagName !== 'tag:yaml.org,2002:str');
    return schema[identity.SCALAR];
}
function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
    const tag = schema.tags.find(tag => (tag.default === true || (atKey && tag.default === 'key')) &&
        tag.test?.test(value)) || schema[identity.SCALAR];
    if (schema.compat) {
        const compat = schema.compat.find(tag => tag.default && tag.test?.test(value)) ??
            schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
            const ts = directives.tagString(tag.tag);
            const cs = directives.tagString(compat.tag);
            const msg = `Value may be parsed as either ${ts} or ${cs}`;
            onError(token, 'TAG_RESOLVE_FAILED', msg, true);
        }
    }
    return tag;
}

exports.composeScalar = composeScalar;


/***/ }),

/***/ 9984:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var directives = __nccwpck_require__(1342);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var identity = __nccwpck_require__(1127);
var composeDoc = __nccwpck_require__(3683);
var resolveEnd = __nccwpck_require__(7788);

function getErrorPos(src) {
    if (typeof src === 'number')
        return [src, src + 1];
    if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
    const { offset, source } = src;
    return [offset, offset + (typeof source === 'string' ? source.length : 1)];
}
function parsePrelude(prelude) {
    let comment = '';
    let atComment = false;
    let afterEmptyLine = false;
    for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
            case '#':
                comment +=
                    (comment === '' ? '' : afterEmptyLine ? '\n\n' : '\n') +
                        (source.substring(1) || ' ');
                atComment = true;
                afterEmptyLine = false;
                break;
            case '%':
                if (prelude[i + 1]?.[0] !== '#')
                    i += 1;
                atComment = false;
                break;
            default:
                // This may be wrong after doc-end, but in that case it doesn't matter
                if (!atComment)
                    afterEmptyLine = true;
                atComment = false;
        }
    }
    return { comment, afterEmptyLine };
}
/**
 * Compose a stream of CST nodes into a stream of YAML Documents.
 *
 * ```ts
 * import { Composer, Parser } from 'yaml'
 *
 * const src: string = ...
 * const tokens = new Parser().parse(src)
 * const docs = new Composer().compose(tokens)
 * ```
 */
class Composer {
    constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code, message, warning) => {
            const pos = getErrorPos(source);
            if (warning)
                this.warnings.push(new errors.YAMLWarning(pos, code, message));
            else
                this.errors.push(new errors.YAMLParseError(pos, code, message));
        };
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        this.directives = new directives.Directives({ version: options.version || '1.2' });
        this.options = options;
    }
    decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        //console.log({ dc: doc.comment, prelude, comment })
        if (comment) {
            const dc = doc.contents;
            if (afterDoc) {
                doc.comment = doc.comment ? `${doc.comment}\n${comment}` : comment;
            }
            else if (afterEmptyLine || doc.directives.docStart || !dc) {
                doc.commentBefore = comment;
            }
            else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
                let it = dc.items[0];
                if (identity.isPair(it))
                    it = it.key;
                const cb = it.commentBefore;
                it.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
            else {
                const cb = dc.commentBefore;
                dc.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
        }
        if (afterDoc) {
            for (let i = 0; i < this.errors.length; ++i)
                doc.errors.push(this.errors[i]);
            for (let i = 0; i < this.warnings.length; ++i)
                doc.warnings.push(this.warnings[i]);
        }
        else {
            doc.errors = this.errors;
            doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
    }
    /**
     * Current stream status information.
     *
     * Mostly useful at the end of input for an empty stream.
     */
    streamInfo() {
        return {
            comment: parsePrelude(this.prelude).comment,
            directives: this.directives,
            errors: this.errors,
            warnings: this.warnings
        };
    }
    /**
     * Compose tokens into documents.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
            yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
    }
    /** Advance the composer by one CST token. */
    *next(token) {
        if (node_process.env.LOG_STREAM)
            console.dir(token, { depth: null });
        switch (token.type) {
            case 'directive':
                this.directives.add(token.source, (offset, message, warning) => {
                    const pos = getErrorPos(token);
                    pos[0] += offset;
                    this.onError(pos, 'BAD_DIRECTIVE', message, warning);
                });
                this.prelude.push(token.source);
                this.atDirectives = true;
                break;
            case 'document': {
                const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
                if (this.atDirectives && !doc.directives.docStart)
                    this.onError(token, 'MISSING_CHAR', 'Missing directives-end/doc-start indicator line');
                this.decorate(doc, false);
                if (this.doc)
                    yield this.doc;
                this.doc = doc;
                this.atDirectives = false;
                break;
            }
            case 'byte-order-mark':
            case 'space':
                break;
            case 'comment':
            case 'newline':
                this.prelude.push(token.source);
                break;
            case 'error': {
                const msg = token.source
                    ? `${token.message}: ${JSON.stringify(token.source)}`
                    : token.message;
                const error = new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg);
                if (this.atDirectives || !this.doc)
                    this.errors.push(error);
                else
                    this.doc.errors.push(error);
                break;
            }
            case 'doc-end': {
                if (!this.doc) {
                    const msg = 'Unexpected doc-end without preceding document';
                    this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg));
                    break;
                }
                this.doc.directives.docEnd = true;
                const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
                this.decorate(this.doc, true);
                if (end.comment) {
                    const dc = this.doc.comment;
                    this.doc.comment = dc ? `${dc}\n${end.comment}` : end.comment;
                }
                this.doc.range[2] = end.offset;
                break;
            }
            default:
                this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', `Unsupported token ${token.type}`));
        }
    }
    /**
     * Call at end of input to yield any remaining document.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
            this.decorate(this.doc, true);
            yield this.doc;
            this.doc = null;
        }
        else if (forceDoc) {
            const opts = Object.assign({ _directives: this.directives }, this.options);
            const doc = new Document.Document(undefined, opts);
            if (this.atDirectives)
                this.onError(endOffset, 'MISSING_CHAR', 'Missing directives-end indicator line');
            doc.range = [0, endOffset, endOffset];
            this.decorate(doc, false);
            yield doc;
        }
    }
}

exports.Composer = Composer;


/***/ }),

/***/ 7103:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilFlowIndentCheck = __nccwpck_require__(4051);
var utilMapIncludes = __nccwpck_require__(1187);

const startColMsg = 'All mapping items must start at the same column';
function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
    const map = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    let offset = bm.offset;
    let commentEnd = null;
    for (const collItem of bm.items) {
        const { start, key, sep, value } = collItem;
        // key properties
        const keyProps = resolveProps.resolveProps(start, {
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: bm.indent,
            startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
            if (key) {
                if (key.type === 'block-seq')
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'A block sequence may not be used as an implicit map key');
                else if ('indent' in key && key.indent !== bm.indent)
                    onError(offset, 'BAD_INDENT', startColMsg);
            }
            if (!keyProps.anchor && !keyProps.tag && !sep) {
                commentEnd = keyProps.end;
                if (keyProps.comment) {
                    if (map.comment)
                        map.comment += '\n' + keyProps.comment;
                    else
                        map.comment = keyProps.comment;
                }
                continue;
            }
            if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
                onError(key ?? start[start.length - 1], 'MULTILINE_IMPLICIT_KEY', 'Implicit keys need to be on a single line');
            }
        }
        else if (keyProps.found?.indent !== bm.indent) {
            onError(offset, 'BAD_INDENT', startColMsg);
        }
        // key value
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key
            ? composeNode(ctx, key, keyProps, onError)
            : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
            onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
        // value properties
        const valueProps = resolveProps.resolveProps(sep ?? [], {
            indicator: 'map-value-ind',
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: bm.indent,
            startOnNewline: !key || key.type === 'block-scalar'
        });
        offset = valueProps.end;
        if (valueProps.found) {
            if (implicitKey) {
                if (value?.type === 'block-map' && !valueProps.hasNewline)
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'Nested mappings are not allowed in compact mappings');
                if (ctx.options.strict &&
                    keyProps.start < valueProps.found.offset - 1024)
                    onError(keyNode.range, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit block mapping key');
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : composeEmptyNode(ctx, offset, sep, null, valueProps, onError);
            if (ctx.schema.compat)
                utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
            offset = valueNode.range[2];
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
        else {
            // key with no value
            if (implicitKey)
                onError(keyNode.range, 'MISSING_CHAR', 'Implicit map keys need to be followed by map values');
            if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
    }
    if (commentEnd && commentEnd < offset)
        onError(commentEnd, 'IMPOSSIBLE', 'Map comment with trailing content');
    map.range = [bm.offset, offset, commentEnd ?? offset];
    return map;
}

exports.resolveBlockMap = resolveBlockMap;


/***/ }),

/***/ 8913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function resolveBlockScalar(ctx, scalar, onError) {
    const start = scalar.offset;
    const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
    if (!header)
        return { value: '', type: null, comment: '', range: [start, start, start] };
    const type = header.mode === '>' ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
    const lines = scalar.source ? splitLines(scalar.source) : [];
    // determine the end of content & start of chomping
    let chompStart = lines.length;
    for (let i = lines.length - 1; i >= 0; --i) {
        const content = lines[i][1];
        if (content === '' || content === '\r')
            chompStart = i;
        else
            break;
    }
    // shortcut for empty contents
    if (chompStart === 0) {
        const value = header.chomp === '+' && lines.length > 0
            ? '\n'.repeat(Math.max(1, lines.length - 1))
            : '';
        let end = start + header.length;
        if (scalar.source)
            end += scalar.source.length;
        return { value, type, comment: header.comment, range: [start, end, end] };
    }
    // find the indentation level to trim from start
    let trimIndent = scalar.indent + header.indent;
    let offset = scalar.offset + header.length;
    let contentStart = 0;
    for (let i = 0; i < chompStart; ++i) {
        const [indent, content] = lines[i];
        if (content === '' || content === '\r') {
            if (header.indent === 0 && indent.length > trimIndent)
                trimIndent = indent.length;
        }
        else {
            if (indent.length < trimIndent) {
                const message = 'Block scalars with more-indented leading empty lines must use an explicit indentation indicator';
                onError(offset + indent.length, 'MISSING_CHAR', message);
            }
            if (header.indent === 0)
                trimIndent = indent.length;
            contentStart = i;
            if (trimIndent === 0 && !ctx.atRoot) {
                const message = 'Block scalar values in collections must be indented';
                onError(offset, 'BAD_INDENT', message);
            }
            break;
        }
        offset += indent.length + content.length + 1;
    }
    // include trailing more-indented empty lines in content
    for (let i = lines.length - 1; i >= chompStart; --i) {
        if (lines[i][0].length > trimIndent)
            chompStart = i + 1;
    }
    let value = '';
    let sep = '';
    let prevMoreIndented = false;
    // leading whitespace is kept intact
    for (let i = 0; i < contentStart; ++i)
        value += lines[i][0].slice(trimIndent) + '\n';
    for (let i = contentStart; i < chompStart; ++i) {
        let [indent, content] = lines[i];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === '\r';
        if (crlf)
            content = content.slice(0, -1);
        /* istanbul ignore if already caught in lexer */
        if (content && indent.length < trimIndent) {
            const src = header.indent
                ? 'explicit indentation indicator'
                : 'first line';
            const message = `Block scalar lines must not be less indented than their ${src}`;
            onError(offset - content.length - (crlf ? 2 : 1), 'BAD_INDENT', message);
            indent = '';
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
        }
        else if (indent.length > trimIndent || content[0] === '\t') {
            // more-indented content within a folded block
            if (sep === ' ')
                sep = '\n';
            else if (!prevMoreIndented && sep === '\n')
                sep = '\n\n';
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
            prevMoreIndented = true;
        }
        else if (content === '') {
            // empty line
            if (sep === '\n')
                value += '\n';
            else
                sep = '\n';
        }
        else {
            value += sep + content;
            sep = ' ';
            prevMoreIndented = false;
        }
    }
    switch (header.chomp) {
        case '-':
            break;
        case '+':
            for (let i = chompStart; i < lines.length; ++i)
                value += '\n' + lines[i][0].slice(trimIndent);
            if (value[value.length - 1] !== '\n')
                value += '\n';
            break;
        default:
            value += '\n';
    }
    const end = start + header.length + scalar.source.length;
    return { value, type, comment: header.comment, range: [start, end, end] };
}
function parseBlockScalarHeader({ offset, props }, strict, onError) {
    /* istanbul ignore if should not happen */
    if (props[0].type !== 'block-scalar-header') {
        onError(props[0], 'IMPOSSIBLE', 'Block scalar header not found');
        return null;
    }
    const { source } = props[0];
    const mode = source[0];
    let indent = 0;
    let chomp = '';
    let error = -1;
    for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === '-' || ch === '+'))
            chomp = ch;
        else {
            const n = Number(ch);
            if (!indent && n)
                indent = n;
            else if (error === -1)
                error = offset + i;
        }
    }
    if (error !== -1)
        onError(error, 'UNEXPECTED_TOKEN', `Block scalar header includes extra characters: ${source}`);
    let hasSpace = false;
    let comment = '';
    let length = source.length;
    for (let i = 1; i < props.length; ++i) {
        const token = props[i];
        switch (token.type) {
            case 'space':
                hasSpace = true;
            // fallthrough
            case 'newline':
                length += token.source.length;
                break;
            case 'comment':
                if (strict && !hasSpace) {
                    const message = 'Comments must be separated from other tokens by white space characters';
                    onError(token, 'MISSING_CHAR', message);
                }
                length += token.source.length;
                comment = token.source.substring(1);
                break;
            case 'error':
                onError(token, 'UNEXPECTED_TOKEN', token.message);
                length += token.source.length;
                break;
            /* istanbul ignore next should not happen */
            default: {
                const message = `Unexpected token in block scalar header: ${token.type}`;
                onError(token, 'UNEXPECTED_TOKEN', message);
                const ts = token.source;
                if (ts && typeof ts === 'string')
                    length += ts.length;
            }
        }
    }
    return { mode, indent, chomp, comment, length };
}
/** @returns Array of lines split up as `[indent, content]` */
function splitLines(source) {
    const split = source.split(/\n( *)/);
    const first = split[0];
    const m = first.match(/^( *)/);
    const line0 = m?.[1]
        ? [m[1], first.slice(m[1].length)]
        : ['', first];
    const lines = [line0];
    for (let i = 1; i < split.length; i += 2)
        lines.push([split[i], split[i + 1]]);
    return lines;
}

exports.resolveBlockScalar = resolveBlockScalar;


/***/ }),

/***/ 334:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var YAMLSeq = __nccwpck_require__(2223);
var resolveProps = __nccwpck_require__(4631);
var utilFlowIndentCheck = __nccwpck_require__(4051);

function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
    const seq = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = bs.offset;
    let commentEnd = null;
    for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
            indicator: 'seq-item-ind',
            next: value,
            offset,
            onError,
            parentIndent: bs.indent,
            startOnNewline: true
        });
        if (!props.found) {
            if (props.anchor || props.tag || value) {
                if (value?.type === 'block-seq')
                    onError(props.end, 'BAD_INDENT', 'All sequence items must start at the same column');
                else
                    onError(offset, 'MISSING_CHAR', 'Sequence item without - indicator');
            }
            else {
                commentEnd = props.end;
                if (props.comment)
                    seq.comment = props.comment;
                continue;
            }
        }
        const node = value
            ? composeNode(ctx, value, props, onError)
            : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
    }
    seq.range = [bs.offset, offset, commentEnd ?? offset];
    return seq;
}

exports.resolveBlockSeq = resolveBlockSeq;


/***/ }),

/***/ 7788:
/***/ ((__unused_webpack_module, exports) => {



function resolveEnd(end, offset, reqSpace, onError) {
    let comment = '';
    if (end) {
        let hasSpace = false;
        let sep = '';
        for (const token of end) {
            const { source, type } = token;
            switch (type) {
                case 'space':
                    hasSpace = true;
                    break;
                case 'comment': {
                    if (reqSpace && !hasSpace)
                        onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                    const cb = source.substring(1) || ' ';
                    if (!comment)
                        comment = cb;
                    else
                        comment += sep + cb;
                    sep = '';
                    break;
                }
                case 'newline':
                    if (comment)
                        sep += source;
                    hasSpace = true;
                    break;
                default:
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${type} at node end`);
            }
            offset += source.length;
        }
    }
    return { comment, offset };
}

exports.resolveEnd = resolveEnd;


/***/ }),

/***/ 3142:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilMapIncludes = __nccwpck_require__(1187);

const blockMsg = 'Block collections are not allowed within flow collections';
const isBlock = (token) => token && (token.type === 'block-map' || token.type === 'block-seq');
function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
    const isMap = fc.start.source === '{';
    const fcName = isMap ? 'flow map' : 'flow sequence';
    const NodeClass = (tag?.nodeClass ?? (isMap ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq));
    const coll = new NodeClass(ctx.schema);
    coll.flow = true;
    const atRoot = ctx.atRoot;
    if (atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = fc.offset + fc.start.source.length;
    for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start, key, sep, value } = collItem;
        const props = resolveProps.resolveProps(start, {
            flow: fcName,
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
        });
        if (!props.found) {
            if (!props.anchor && !props.tag && !sep && !value) {
                if (i === 0 && props.comma)
                    onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
                else if (i < fc.items.length - 1)
                    onError(props.start, 'UNEXPECTED_TOKEN', `Unexpected empty item in ${fcName}`);
                if (props.comment) {
                    if (coll.comment)
                        coll.comment += '\n' + props.comment;
                    else
                        coll.comment = props.comment;
                }
                offset = props.end;
                continue;
            }
            if (!isMap && ctx.options.strict && utilContainsNewline.containsNewline(key))
                onError(key, // checked by containsNewline()
                'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
        }
        if (i === 0) {
            if (props.comma)
                onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
        }
        else {
            if (!props.comma)
                onError(props.start, 'MISSING_CHAR', `Missing , between ${fcName} items`);
            if (props.comment) {
                let prevItemComment = '';
                loop: for (const st of start) {
                    switch (st.type) {
                        case 'comma':
                        case 'space':
                            break;
                        case 'comment':
                            prevItemComment = st.source.substring(1);
                            break loop;
                        default:
                            break loop;
                    }
                }
                if (prevItemComment) {
                    let prev = coll.items[coll.items.length - 1];
                    if (identity.isPair(prev))
                        prev = prev.value ?? prev.key;
                    if (prev.comment)
                        prev.comment += '\n' + prevItemComment;
                    else
                        prev.comment = prevItemComment;
                    props.comment = props.comment.substring(prevItemComment.length + 1);
                }
            }
        }
        if (!isMap && !sep && !props.found) {
            // item is a value in a seq
            // → key & sep are empty, start does not include ? or :
            const valueNode = value
                ? composeNode(ctx, value, props, onError)
                : composeEmptyNode(ctx, props.end, sep, null, props, onError);
            coll.items.push(valueNode);
            offset = valueNode.range[2];
            if (isBlock(value))
                onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
        }
        else {
            // item is a key+value pair
            // key value
            ctx.atKey = true;
            const keyStart = props.end;
            const keyNode = key
                ? composeNode(ctx, key, props, onError)
                : composeEmptyNode(ctx, keyStart, start, null, props, onError);
            if (isBlock(key))
                onError(keyNode.range, 'BLOCK_IN_FLOW', blockMsg);
            ctx.atKey = false;
            // value properties
            const valueProps = resolveProps.resolveProps(sep ?? [], {
                flow: fcName,
                indicator: 'map-value-ind',
                next: value,
                offset: keyNode.range[2],
                onError,
                parentIndent: fc.indent,
                startOnNewline: false
            });
            if (valueProps.found) {
                if (!isMap && !props.found && ctx.options.strict) {
                    if (sep)
                        for (const st of sep) {
                            if (st === valueProps.found)
                                break;
                            if (st.type === 'newline') {
                                onError(st, 'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
                                break;
                            }
                        }
                    if (props.start < valueProps.found.offset - 1024)
                        onError(valueProps.found, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit flow sequence key');
                }
            }
            else if (value) {
                if ('source' in value && value.source?.[0] === ':')
                    onError(value, 'MISSING_CHAR', `Missing space after : in ${fcName}`);
                else
                    onError(valueProps.start, 'MISSING_CHAR', `Missing , or : between ${fcName} items`);
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : valueProps.found
                    ? composeEmptyNode(ctx, valueProps.end, sep, null, valueProps, onError)
                    : null;
            if (valueNode) {
                if (isBlock(value))
                    onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
            }
            else if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            if (isMap) {
                const map = coll;
                if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
                    onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
                map.items.push(pair);
            }
            else {
                const map = new YAMLMap.YAMLMap(ctx.schema);
                map.flow = true;
                map.items.push(pair);
                const endRange = (valueNode ?? keyNode).range;
                map.range = [keyNode.range[0], endRange[1], endRange[2]];
                coll.items.push(map);
            }
            offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
    }
    const expectedEnd = isMap ? '}' : ']';
    const [ce, ...ee] = fc.end;
    let cePos = offset;
    if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
    else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot
            ? `${name} must end with a ${expectedEnd}`
            : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? 'MISSING_CHAR' : 'BAD_INDENT', msg);
        if (ce && ce.source.length !== 1)
            ee.unshift(ce);
    }
    if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
            if (coll.comment)
                coll.comment += '\n' + end.comment;
            else
                coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
    }
    else {
        coll.range = [fc.offset, cePos, cePos];
    }
    return coll;
}

exports.resolveFlowCollection = resolveFlowCollection;


/***/ }),

/***/ 6842:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var resolveEnd = __nccwpck_require__(7788);

function resolveFlowScalar(scalar, strict, onError) {
    const { offset, type, source, end } = scalar;
    let _type;
    let value;
    const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
    switch (type) {
        case 'scalar':
            _type = Scalar.Scalar.PLAIN;
            value = plainValue(source, _onError);
            break;
        case 'single-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_SINGLE;
            value = singleQuotedValue(source, _onError);
            break;
        case 'double-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_DOUBLE;
            value = doubleQuotedValue(source, _onError);
            break;
        /* istanbul ignore next should not happen */
        default:
            onError(scalar, 'UNEXPECTED_TOKEN', `Expected a flow scalar value, but found: ${type}`);
            return {
                value: '',
                type: null,
                comment: '',
                range: [offset, offset + source.length, offset + source.length]
            };
    }
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
    return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
    };
}
function plainValue(source, onError) {
    let badChar = '';
    switch (source[0]) {
        /* istanbul ignore next should not happen */
        case '\t':
            badChar = 'a tab character';
            break;
        case ',':
            badChar = 'flow indicator character ,';
            break;
        case '%':
            badChar = 'directive indicator character %';
            break;
        case '|':
        case '>': {
            badChar = `block scalar indicator ${source[0]}`;
            break;
        }
        case '@':
        case '`': {
            badChar = `reserved character ${source[0]}`;
            break;
        }
    }
    if (badChar)
        onError(0, 'BAD_SCALAR_START', `Plain value cannot start with ${badChar}`);
    return unfoldLines(source);
}
function singleQuotedValue(source, onError) {
    if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, 'MISSING_CHAR', "Missing closing 'quote");
    return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
}
function unfoldLines(source) {
    const line = /(.*?)\r?\n/sy;
    let match = line.exec(source);
    if (!match)
        return source;
    /**
     * The negative lookbehinds in these RegExps are to
     * prevent causing a polynomial search time in certain cases.
     *
     * The try-catch is for Safari < 16.4 and other old browsers:
     * https://caniuse.com/js-regexp-lookbehind
     */
    let trimEnd, trimBoth;
    try {
        trimEnd = new RegExp('(?<![ \t])[ \t]+$');
        trimBoth = new RegExp('^[ \t]+|(?<![ \t])[ \t]+$', 'g');
    }
    catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
    }
    let res = match[1].replace(trimEnd, '');
    let sep = ' ';
    let pos = line.lastIndex;
    while ((match = line.exec(source))) {
        const lm = match[1].replace(trimBoth, '');
        if (lm === '') {
            if (sep === '\n')
                res += sep;
            else
                sep = '\n';
        }
        else {
            res += sep + lm;
            sep = ' ';
        }
        pos = line.lastIndex;
    }
    const last = /[ \t]*(.*)/sy;
    last.lastIndex = pos;
    match = last.exec(source);
    return res + sep + (match?.[1] ?? '');
}
function doubleQuotedValue(source, onError) {
    let res = '';
    for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === '\r' && source[i + 1] === '\n')
            continue;
        if (ch === '\n') {
            const { fold, offset } = foldNewline(source, i);
            res += fold;
            i = offset;
        }
        else if (ch === '\\') {
            let next = source[++i];
            const cc = escapeCodes[next];
            if (cc)
                res += cc;
            else if (next === '\n') {
                // skip escaped newlines, but still trim the following line
                next = source[i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === '\r' && source[i + 1] === '\n') {
                // skip escaped CRLF newlines, but still trim the following line
                next = source[++i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === 'x' || next === 'u' || next === 'U') {
                const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
                res += parseCharCode(source, i + 1, length, onError);
                i += length;
            }
            else {
                const raw = source.substr(i - 1, 2);
                onError(i - 1, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
                res += raw;
            }
        }
        else if (ch === ' ' || ch === '\t') {
            // trim trailing whitespace
            const wsStart = i;
            let next = source[i + 1];
            while (next === ' ' || next === '\t')
                next = source[++i + 1];
            if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n'))
                res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        }
        else {
            res += ch;
        }
    }
    if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, 'MISSING_CHAR', 'Missing closing "quote');
    return res;
}
/**
 * Fold a single newline into a space, multiple newlines to N - 1 newlines.
 * Presumes `source[offset] === '\n'`
 */
function foldNewline(source, offset) {
    let fold = '';
    let ch = source[offset + 1];
    while (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        if (ch === '\r' && source[offset + 2] !== '\n')
            break;
        if (ch === '\n')
            fold += '\n';
        offset += 1;
        ch = source[offset + 1];
    }
    if (!fold)
        fold = ' ';
    return { fold, offset };
}
const escapeCodes = {
    '0': '\0', // null character
    a: '\x07', // bell character
    b: '\b', // backspace
    e: '\x1b', // escape character
    f: '\f', // form feed
    n: '\n', // line feed
    r: '\r', // carriage return
    t: '\t', // horizontal tab
    v: '\v', // vertical tab
    N: '\u0085', // Unicode next line
    _: '\u00a0', // Unicode non-breaking space
    L: '\u2028', // Unicode line separator
    P: '\u2029', // Unicode paragraph separator
    ' ': ' ',
    '"': '"',
    '/': '/',
    '\\': '\\',
    '\t': '\t'
};
function parseCharCode(source, offset, length, onError) {
    const cc = source.substr(offset, length);
    const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
    const code = ok ? parseInt(cc, 16) : NaN;
    try {
        return String.fromCodePoint(code);
    }
    catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
        return raw;
    }
}

exports.resolveFlowScalar = resolveFlowScalar;


/***/ }),

/***/ 4631:
/***/ ((__unused_webpack_module, exports) => {



function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
    let spaceBefore = false;
    let atNewline = startOnNewline;
    let hasSpace = startOnNewline;
    let comment = '';
    let commentSep = '';
    let hasNewline = false;
    let reqSpace = false;
    let tab = null;
    let anchor = null;
    let tag = null;
    let newlineAfterProp = null;
    let comma = null;
    let found = null;
    let start = null;
    for (const token of tokens) {
        if (reqSpace) {
            if (token.type !== 'space' &&
                token.type !== 'newline' &&
                token.type !== 'comma')
                onError(token.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
            reqSpace = false;
        }
        if (tab) {
            if (atNewline && token.type !== 'comment' && token.type !== 'newline') {
                onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
            }
            tab = null;
        }
        switch (token.type) {
            case 'space':
                // At the doc level, tabs at line start may be parsed
                // as leading white space rather than indentation.
                // In a flow collection, only the parser handles indent.
                if (!flow &&
                    (indicator !== 'doc-start' || next?.type !== 'flow-collection') &&
                    token.source.includes('\t')) {
                    tab = token;
                }
                hasSpace = true;
                break;
            case 'comment': {
                if (!hasSpace)
                    onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                const cb = token.source.substring(1) || ' ';
                if (!comment)
                    comment = cb;
                else
                    comment += commentSep + cb;
                commentSep = '';
                atNewline = false;
                break;
            }
            case 'newline':
                if (atNewline) {
                    if (comment)
                        comment += token.source;
                    else if (!found || indicator !== 'seq-item-ind')
                        spaceBefore = true;
                }
                else
                    commentSep += token.source;
                atNewline = true;
                hasNewline = true;
                if (anchor || tag)
                    newlineAfterProp = token;
                hasSpace = true;
                break;
            case 'anchor':
                if (anchor)
                    onError(token, 'MULTIPLE_ANCHORS', 'A node can have at most one anchor');
                if (token.source.endsWith(':'))
                    onError(token.offset + token.source.length - 1, 'BAD_ALIAS', 'Anchor ending in : is ambiguous', true);
                anchor = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            case 'tag': {
                if (tag)
                    onError(token, 'MULTIPLE_TAGS', 'A node can have at most one tag');
                tag = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            }
            case indicator:
                // Could here handle preceding comments differently
                if (anchor || tag)
                    onError(token, 'BAD_PROP_ORDER', `Anchors and tags must be after the ${token.source} indicator`);
                if (found)
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.source} in ${flow ?? 'collection'}`);
                found = token;
                atNewline =
                    indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
                hasSpace = false;
                break;
            case 'comma':
                if (flow) {
                    if (comma)
                        onError(token, 'UNEXPECTED_TOKEN', `Unexpected , in ${flow}`);
                    comma = token;
                    atNewline = false;
                    hasSpace = false;
                    break;
                }
            // else fallthrough
            default:
                onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.type} token`);
                atNewline = false;
                hasSpace = false;
        }
    }
    const last = tokens[tokens.length - 1];
    const end = last ? last.offset + last.source.length : offset;
    if (reqSpace &&
        next &&
        next.type !== 'space' &&
        next.type !== 'newline' &&
        next.type !== 'comma' &&
        (next.type !== 'scalar' || next.source !== '')) {
        onError(next.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
    }
    if (tab &&
        ((atNewline && tab.indent <= parentIndent) ||
            next?.type === 'block-map' ||
            next?.type === 'block-seq'))
        onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
    return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
    };
}

exports.resolveProps = resolveProps;


/***/ }),

/***/ 9499:
/***/ ((__unused_webpack_module, exports) => {



function containsNewline(key) {
    if (!key)
        return null;
    switch (key.type) {
        case 'alias':
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            if (key.source.includes('\n'))
                return true;
            if (key.end)
                for (const st of key.end)
                    if (st.type === 'newline')
                        return true;
            return false;
        case 'flow-collection':
            for (const it of key.items) {
                for (const st of it.start)
                    if (st.type === 'newline')
                        return true;
                if (it.sep)
                    for (const st of it.sep)
                        if (st.type === 'newline')
                            return true;
                if (containsNewline(it.key) || containsNewline(it.value))
                    return true;
            }
            return false;
        default:
            return true;
    }
}

exports.containsNewline = containsNewline;


/***/ }),

/***/ 2599:
/***/ ((__unused_webpack_module, exports) => {



function emptyScalarPosition(offset, before, pos) {
    if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
            let st = before[i];
            switch (st.type) {
                case 'space':
                case 'comment':
                case 'newline':
                    offset -= st.source.length;
                    continue;
            }
            // Technically, an empty scalar is immediately after the last non-empty
            // node, but it's more useful to place it after any whitespace.
            st = before[++i];
            while (st?.type === 'space') {
                offset += st.source.length;
                st = before[++i];
            }
            break;
        }
    }
    return offset;
}

exports.emptyScalarPosition = emptyScalarPosition;


/***/ }),

/***/ 4051:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var utilContainsNewline = __nccwpck_require__(9499);

function flowIndentCheck(indent, fc, onError) {
    if (fc?.type === 'flow-collection') {
        const end = fc.end[0];
        if (end.indent === indent &&
            (end.source === ']' || end.source === '}') &&
            utilContainsNewline.containsNewline(fc)) {
            const msg = 'Flow end indicator should be more indented than parent';
            onError(end, 'BAD_INDENT', msg, true);
        }
    }
}

exports.flowIndentCheck = flowIndentCheck;


/***/ }),

/***/ 1187:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

function mapIncludes(ctx, items, search) {
    const { uniqueKeys } = ctx.options;
    if (uniqueKeys === false)
        return false;
    const isEqual = typeof uniqueKeys === 'function'
        ? uniqueKeys
        : (a, b) => a === b || (identity.isScalar(a) && identity.isScalar(b) && a.value === b.value);
    return items.some(pair => isEqual(pair.key, search));
}

exports.mapIncludes = mapIncludes;


/***/ }),

/***/ 3021:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var toJS = __nccwpck_require__(4043);
var Schema = __nccwpck_require__(5840);
var stringifyDocument = __nccwpck_require__(6829);
var anchors = __nccwpck_require__(1596);
var applyReviver = __nccwpck_require__(3661);
var createNode = __nccwpck_require__(2404);
var directives = __nccwpck_require__(1342);

class Document {
    constructor(value, replacer, options) {
        /** A comment before this Document */
        this.commentBefore = null;
        /** A comment immediately after this Document */
        this.comment = null;
        /** Errors encountered during parsing. */
        this.errors = [];
        /** Warnings encountered during parsing. */
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === 'function' || Array.isArray(replacer)) {
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const opt = Object.assign({
            intAsBigInt: false,
            keepSourceTokens: false,
            logLevel: 'warn',
            prettyErrors: true,
            strict: true,
            stringKeys: false,
            uniqueKeys: true,
            version: '1.2'
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
            this.directives = options._directives.atDocument();
            if (this.directives.yaml.explicit)
                version = this.directives.yaml.version;
        }
        else
            this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        // @ts-expect-error We can't really know that this matches Contents.
        this.contents =
            value === undefined ? null : this.createNode(value, _replacer, options);
    }
    /**
     * Create a deep copy of this Document and its contents.
     *
     * Custom Node values that inherit from `Object` still refer to their original instances.
     */
    clone() {
        const copy = Object.create(Document.prototype, {
            [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
            copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        // @ts-expect-error We can't really know that this matches Contents.
        copy.contents = identity.isNode(this.contents)
            ? this.contents.clone(copy.schema)
            : this.contents;
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** Adds a value to the document. */
    add(value) {
        if (assertCollection(this.contents))
            this.contents.add(value);
    }
    /** Adds a value to the document. */
    addIn(path, value) {
        if (assertCollection(this.contents))
            this.contents.addIn(path, value);
    }
    /**
     * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
     *
     * If `node` already has an anchor, `name` is ignored.
     * Otherwise, the `node.anchor` value will be set to `name`,
     * or if an anchor with that name is already present in the document,
     * `name` will be used as a prefix for a new unique anchor.
     * If `name` is undefined, the generated anchor will use 'a' as a prefix.
     */
    createAlias(node, name) {
        if (!node.anchor) {
            const prev = anchors.anchorNames(this);
            node.anchor =
                // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
                !name || prev.has(name) ? anchors.findNewAnchor(name || 'a', prev) : name;
        }
        return new Alias.Alias(node.anchor);
    }
    createNode(value, replacer, options) {
        let _replacer = undefined;
        if (typeof replacer === 'function') {
            value = replacer.call({ '': value }, '', value);
            _replacer = replacer;
        }
        else if (Array.isArray(replacer)) {
            const keyToStr = (v) => typeof v === 'number' || v instanceof String || v instanceof Number;
            const asStr = replacer.filter(keyToStr).map(String);
            if (asStr.length > 0)
                replacer = replacer.concat(asStr);
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(this, 
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        anchorPrefix || 'a');
        const ctx = {
            aliasDuplicateObjects: aliasDuplicateObjects ?? true,
            keepUndefined: keepUndefined ?? false,
            onAnchor,
            onTagObj,
            replacer: _replacer,
            schema: this.schema,
            sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
            node.flow = true;
        setAnchors();
        return node;
    }
    /**
     * Convert a key and a value into a `Pair` using the current schema,
     * recursively wrapping all values as `Scalar` or `Collection` nodes.
     */
    createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        if (Collection.isEmptyPath(path)) {
            if (this.contents == null)
                return false;
            // @ts-expect-error Presumed impossible if Strict extends false
            this.contents = null;
            return true;
        }
        return assertCollection(this.contents)
            ? this.contents.deleteIn(path)
            : false;
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    get(key, keepScalar) {
        return identity.isCollection(this.contents)
            ? this.contents.get(key, keepScalar)
            : undefined;
    }
    /**
     * Returns item at `path`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        if (Collection.isEmptyPath(path))
            return !keepScalar && identity.isScalar(this.contents)
                ? this.contents.value
                : this.contents;
        return identity.isCollection(this.contents)
            ? this.contents.getIn(path, keepScalar)
            : undefined;
    }
    /**
     * Checks if the document includes a value with the key `key`.
     */
    has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
    }
    /**
     * Checks if the document includes a value at `path`.
     */
    hasIn(path) {
        if (Collection.isEmptyPath(path))
            return this.contents !== undefined;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path) : false;
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    set(key, value) {
        if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, [key], value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.set(key, value);
        }
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        if (Collection.isEmptyPath(path)) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = value;
        }
        else if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, Array.from(path), value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.setIn(path, value);
        }
    }
    /**
     * Change the YAML version and schema used by the document.
     * A `null` version disables support for directives, explicit tags, anchors, and aliases.
     * It also requires the `schema` option to be given as a `Schema` instance value.
     *
     * Overrides all previously set schema options.
     */
    setSchema(version, options = {}) {
        if (typeof version === 'number')
            version = String(version);
        let opt;
        switch (version) {
            case '1.1':
                if (this.directives)
                    this.directives.yaml.version = '1.1';
                else
                    this.directives = new directives.Directives({ version: '1.1' });
                opt = { resolveKnownTags: false, schema: 'yaml-1.1' };
                break;
            case '1.2':
            case 'next':
                if (this.directives)
                    this.directives.yaml.version = version;
                else
                    this.directives = new directives.Directives({ version });
                opt = { resolveKnownTags: true, schema: 'core' };
                break;
            case null:
                if (this.directives)
                    delete this.directives;
                opt = null;
                break;
            default: {
                const sv = JSON.stringify(version);
                throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
            }
        }
        // Not using `instanceof Schema` to allow for duck typing
        if (options.schema instanceof Object)
            this.schema = options.schema;
        else if (opt)
            this.schema = new Schema.Schema(Object.assign(opt, options));
        else
            throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
    }
    // json & jsonArg are only used from toJSON()
    toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
            anchors: new Map(),
            doc: this,
            keep: !json,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
    /**
     * A JSON representation of the document `contents`.
     *
     * @param jsonArg Used by `JSON.stringify` to indicate the array index or
     *   property name.
     */
    toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
    }
    /** A YAML representation of the document. */
    toString(options = {}) {
        if (this.errors.length > 0)
            throw new Error('Document with errors cannot be stringified');
        if ('indent' in options &&
            (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
            const s = JSON.stringify(options.indent);
            throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
    }
}
function assertCollection(contents) {
    if (identity.isCollection(contents))
        return true;
    throw new Error('Expected a YAML collection as document contents');
}

exports.Document = Document;


/***/ }),

/***/ 1596:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

/**
 * Verify that the input string is a valid anchor.
 *
 * Will throw on errors.
 */
function anchorIsValid(anchor) {
    if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
    }
    return true;
}
function anchorNames(root) {
    const anchors = new Set();
    visit.visit(root, {
        Value(_key, node) {
            if (node.anchor)
                anchors.add(node.anchor);
        }
    });
    return anchors;
}
/** Find a new anchor name with the given `prefix` and a one-indexed suffix. */
function findNewAnchor(prefix, exclude) {
    for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
            return name;
    }
}
function createNodeAnchors(doc, prefix) {
    const aliasObjects = [];
    const sourceObjects = new Map();
    let prevAnchors = null;
    return {
        onAnchor: (source) => {
            aliasObjects.push(source);
            prevAnchors ?? (prevAnchors = anchorNames(doc));
            const anchor = findNewAnchor(prefix, prevAnchors);
            prevAnchors.add(anchor);
            return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
            for (const source of aliasObjects) {
                const ref = sourceObjects.get(source);
                if (typeof ref === 'object' &&
                    ref.anchor &&
                    (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
                    ref.node.anchor = ref.anchor;
                }
                else {
                    const error = new Error('Failed to resolve repeated object (this should not happen)');
                    error.source = source;
                    throw error;
                }
            }
        },
        sourceObjects
    };
}

exports.anchorIsValid = anchorIsValid;
exports.anchorNames = anchorNames;
exports.createNodeAnchors = createNodeAnchors;
exports.findNewAnchor = findNewAnchor;


/***/ }),

/***/ 3661:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Applies the JSON.parse reviver algorithm as defined in the ECMA-262 spec,
 * in section 24.5.1.1 "Runtime Semantics: InternalizeJSONProperty" of the
 * 2021 edition: https://tc39.es/ecma262/#sec-json.parse
 *
 * Includes extensions for handling Map and Set objects.
 */
function applyReviver(reviver, obj, key, val) {
    if (val && typeof val === 'object') {
        if (Array.isArray(val)) {
            for (let i = 0, len = val.length; i < len; ++i) {
                const v0 = val[i];
                const v1 = applyReviver(reviver, val, String(i), v0);
                // eslint-disable-next-line @typescript-eslint/no-array-delete
                if (v1 === undefined)
                    delete val[i];
                else if (v1 !== v0)
                    val[i] = v1;
            }
        }
        else if (val instanceof Map) {
            for (const k of Array.from(val.keys())) {
                const v0 = val.get(k);
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    val.delete(k);
                else if (v1 !== v0)
                    val.set(k, v1);
            }
        }
        else if (val instanceof Set) {
            for (const v0 of Array.from(val)) {
                const v1 = applyReviver(reviver, val, v0, v0);
                if (v1 === undefined)
                    val.delete(v0);
                else if (v1 !== v0) {
                    val.delete(v0);
                    val.add(v1);
                }
            }
        }
        else {
            for (const [k, v0] of Object.entries(val)) {
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    delete val[k];
                else if (v1 !== v0)
                    val[k] = v1;
            }
        }
    }
    return reviver.call(obj, key, val);
}

exports.applyReviver = applyReviver;


/***/ }),

/***/ 2404:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

const defaultTagPrefix = 'tag:yaml.org,2002:';
function findTagObject(value, tagName, tags) {
    if (tagName) {
        const match = tags.filter(t => t.tag === tagName);
        const tagObj = match.find(t => !t.format) ?? match[0];
        if (!tagObj)
            throw new Error(`Tag ${tagName} not found`);
        return tagObj;
    }
    return tags.find(t => t.identify?.(value) && !t.format);
}
function createNode(value, tagName, ctx) {
    if (identity.isDocument(value))
        value = value.contents;
    if (identity.isNode(value))
        return value;
    if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
    }
    if (value instanceof String ||
        value instanceof Number ||
        value instanceof Boolean ||
        (typeof BigInt !== 'undefined' && value instanceof BigInt) // not supported everywhere
    ) {
        // https://tc39.es/ecma262/#sec-serializejsonproperty
        value = value.valueOf();
    }
    const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
    // Detect duplicate references to the same object & use Alias nodes for all
    // after first. The `ref` wrapper allows for circular references to resolve.
    let ref = undefined;
    if (aliasDuplicateObjects && value && typeof value === 'object') {
        ref = sourceObjects.get(value);
        if (ref) {
            ref.anchor ?? (ref.anchor = onAnchor(value));
            return new Alias.Alias(ref.anchor);
        }
        else {
            ref = { anchor: null, node: null };
            sourceObjects.set(value, ref);
        }
    }
    if (tagName?.startsWith('!!'))
        tagName = defaultTagPrefix + tagName.slice(2);
    let tagObj = findTagObject(value, tagName, schema.tags);
    if (!tagObj) {
        if (value && typeof value.toJSON === 'function') {
            // eslint-disable-next-line @typescript-eslint/no-unsafe-call
            value = value.toJSON();
        }
        if (!value || typeof value !== 'object') {
            const node = new Scalar.Scalar(value);
            if (ref)
                ref.node = node;
            return node;
        }
        tagObj =
            value instanceof Map
                ? schema[identity.MAP]
                : Symbol.iterator in Object(value)
                    ? schema[identity.SEQ]
                    : schema[identity.MAP];
    }
    if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
    }
    const node = tagObj?.createNode
        ? tagObj.createNode(ctx.schema, value, ctx)
        : typeof tagObj?.nodeClass?.from === 'function'
            ? tagObj.nodeClass.from(ctx.schema, value, ctx)
            : new Scalar.Scalar(value);
    if (tagName)
        node.tag = tagName;
    else if (!tagObj.default)
        node.tag = tagObj.tag;
    if (ref)
        ref.node = node;
    return node;
}

exports.createNode = createNode;


/***/ }),

/***/ 1342:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

const escapeChars = {
    '!': '%21',
    ',': '%2C',
    '[': '%5B',
    ']': '%5D',
    '{': '%7B',
    '}': '%7D'
};
const escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, ch => escapeChars[ch]);
class Directives {
    constructor(yaml, tags) {
        /**
         * The directives-end/doc-start marker `---`. If `null`, a marker may still be
         * included in the document's stringified representation.
         */
        this.docStart = null;
        /** The doc-end marker `...`.  */
        this.docEnd = false;
        this.yaml = Object.assign({}, Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, Directives.defaultTags, tags);
    }
    clone() {
        const copy = new Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
    }
    /**
     * During parsing, get a Directives instance for the current document and
     * update the stream state according to the current version's spec.
     */
    atDocument() {
        const res = new Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
            case '1.1':
                this.atNextDocument = true;
                break;
            case '1.2':
                this.atNextDocument = false;
                this.yaml = {
                    explicit: Directives.defaultYaml.explicit,
                    version: '1.2'
                };
                this.tags = Object.assign({}, Directives.defaultTags);
                break;
        }
        return res;
    }
    /**
     * @param onError - May be called even if the action was successful
     * @returns `true` on success
     */
    add(line, onError) {
        if (this.atNextDocument) {
            this.yaml = { explicit: Directives.defaultYaml.explicit, version: '1.1' };
            this.tags = Object.assign({}, Directives.defaultTags);
            this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
            case '%TAG': {
                if (parts.length !== 2) {
                    onError(0, '%TAG directive should contain exactly two parts');
                    if (parts.length < 2)
                        return false;
                }
                const [handle, prefix] = parts;
                this.tags[handle] = prefix;
                return true;
            }
            case '%YAML': {
                this.yaml.explicit = true;
                if (parts.length !== 1) {
                    onError(0, '%YAML directive should contain exactly one part');
                    return false;
                }
                const [version] = parts;
                if (version === '1.1' || version === '1.2') {
                    this.yaml.version = version;
                    return true;
                }
                else {
                    const isValid = /^\d+\.\d+$/.test(version);
                    onError(6, `Unsupported YAML version ${version}`, isValid);
                    return false;
                }
            }
            default:
                onError(0, `Unknown directive ${name}`, true);
                return false;
        }
    }
    /**
     * Resolves a tag, matching handles to those defined in %TAG directives.
     *
     * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
     *   `'!local'` tag, or `null` if unresolvable.
     */
    tagName(source, onError) {
        if (source === '!')
            return '!'; // non-specific tag
        if (source[0] !== '!') {
            onError(`Not a valid tag: ${source}`);
            return null;
        }
        if (source[1] === '<') {
            const verbatim = source.slice(2, -1);
            if (verbatim === '!' || verbatim === '!!') {
                onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
                return null;
            }
            if (source[source.length - 1] !== '>')
                onError('Verbatim tags must end with a >');
            return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
            onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
            try {
                return prefix + decodeURIComponent(suffix);
            }
            catch (error) {
                onError(String(error));
                return null;
            }
        }
        if (handle === '!')
            return source; // local tag
        onError(`Could not resolve tag: ${source}`);
        return null;
    }
    /**
     * Given a fully resolved tag, returns its printable string form,
     * taking into account current tag prefixes and defaults.
     */
    tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
            if (tag.startsWith(prefix))
                return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === '!' ? tag : `!<${tag}>`;
    }
    toString(doc) {
        const lines = this.yaml.explicit
            ? [`%YAML ${this.yaml.version || '1.2'}`]
            : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
            const tags = {};
            visit.visit(doc.contents, (_key, node) => {
                if (identity.isNode(node) && node.tag)
                    tags[node.tag] = true;
            });
            tagNames = Object.keys(tags);
        }
        else
            tagNames = [];
        for (const [handle, prefix] of tagEntries) {
            if (handle === '!!' && prefix === 'tag:yaml.org,2002:')
                continue;
            if (!doc || tagNames.some(tn => tn.startsWith(prefix)))
                lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join('\n');
    }
}
Directives.defaultYaml = { explicit: false, version: '1.2' };
Directives.defaultTags = { '!!': 'tag:yaml.org,2002:' };

exports.Directives = Directives;


/***/ }),

/***/ 1464:
/***/ ((__unused_webpack_module, exports) => {



class YAMLError extends Error {
    constructor(name, pos, code, message) {
        super();
        this.name = name;
        this.code = code;
        this.message = message;
        this.pos = pos;
    }
}
class YAMLParseError extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLParseError', pos, code, message);
    }
}
class YAMLWarning extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLWarning', pos, code, message);
    }
}
const prettifyError = (src, lc) => (error) => {
    if (error.pos[0] === -1)
        return;
    error.linePos = error.pos.map(pos => lc.linePos(pos));
    const { line, col } = error.linePos[0];
    error.message += ` at line ${line}, column ${col}`;
    let ci = col - 1;
    let lineStr = src
        .substring(lc.lineStarts[line - 1], lc.lineStarts[line])
        .replace(/[\n\r]+$/, '');
    // Trim to max 80 chars, keeping col position near the middle
    if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = '…' + lineStr.substring(trimStart);
        ci -= trimStart - 1;
    }
    if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + '…';
    // Include previous line in context if pointing at line start
    if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        // Regexp won't match if start is trimmed
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
            prev = prev.substring(0, 79) + '…\n';
        lineStr = prev + lineStr;
    }
    if (/[^ ]/.test(lineStr)) {
        let count = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
            count = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = ' '.repeat(ci) + '^'.repeat(count);
        error.message += `:\n\n${lineStr}\n${pointer}\n`;
    }
};

exports.YAMLError = YAMLError;
exports.YAMLParseError = YAMLParseError;
exports.YAMLWarning = YAMLWarning;
exports.prettifyError = prettifyError;


/***/ }),

/***/ 8815:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var __webpack_unused_export__;


var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var Schema = __nccwpck_require__(5840);
var errors = __nccwpck_require__(1464);
var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);
var publicApi = __nccwpck_require__(4047);
var visit = __nccwpck_require__(204);



__webpack_unused_export__ = composer.Composer;
__webpack_unused_export__ = Document.Document;
__webpack_unused_export__ = Schema.Schema;
__webpack_unused_export__ = errors.YAMLError;
__webpack_unused_export__ = errors.YAMLParseError;
__webpack_unused_export__ = errors.YAMLWarning;
__webpack_unused_export__ = Alias.Alias;
exports.Vj = identity.isAlias;
__webpack_unused_export__ = identity.isCollection;
__webpack_unused_export__ = identity.isDocument;
exports.jh = identity.isMap;
__webpack_unused_export__ = identity.isNode;
__webpack_unused_export__ = identity.isPair;
exports.jn = identity.isScalar;
exports.oP = identity.isSeq;
__webpack_unused_export__ = Pair.Pair;
__webpack_unused_export__ = Scalar.Scalar;
__webpack_unused_export__ = YAMLMap.YAMLMap;
__webpack_unused_export__ = YAMLSeq.YAMLSeq;
__webpack_unused_export__ = cst;
__webpack_unused_export__ = lexer.Lexer;
exports.HN = lineCounter.LineCounter;
__webpack_unused_export__ = parser.Parser;
__webpack_unused_export__ = publicApi.parse;
__webpack_unused_export__ = publicApi.parseAllDocuments;
exports.Tp = publicApi.parseDocument;
__webpack_unused_export__ = publicApi.stringify;
__webpack_unused_export__ = visit.visit;
__webpack_unused_export__ = visit.visitAsync;


/***/ }),

/***/ 7249:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);

function debug(logLevel, ...messages) {
    if (logLevel === 'debug')
        console.log(...messages);
}
function warn(logLevel, warning) {
    if (logLevel === 'debug' || logLevel === 'warn') {
        if (typeof node_process.emitWarning === 'function')
            node_process.emitWarning(warning);
        else
            console.warn(warning);
    }
}

exports.debug = debug;
exports.warn = warn;


/***/ }),

/***/ 4065:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var visit = __nccwpck_require__(204);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

class Alias extends Node.NodeBase {
    constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, 'tag', {
            set() {
                throw new Error('Alias nodes cannot have tags');
            }
        });
    }
    /**
     * Resolve the value of this alias within `doc`, finding the last
     * instance of the `source` anchor before this node.
     */
    resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
            throw new ReferenceError('Alias resolution is disabled');
        let nodes;
        if (ctx?.aliasResolveCache) {
            nodes = ctx.aliasResolveCache;
        }
        else {
            nodes = [];
            visit.visit(doc, {
                Node: (_key, node) => {
                    if (identity.isAlias(node) || identity.hasAnchor(node))
                        nodes.push(node);
                }
            });
            if (ctx)
                ctx.aliasResolveCache = nodes;
        }
        let found = undefined;
        for (const node of nodes) {
            if (node === this)
                break;
            if (node.anchor === this.source)
                found = node;
        }
        if (found && ctx) {
            const { anchors, doc, maxAliasCount } = ctx;
            let data = anchors.get(found);
            if (!data) {
                // Resolve anchors for Node.prototype.toJS()
                toJS.toJS(found, null, ctx);
                data = anchors.get(found);
            }
            /* istanbul ignore if */
            if (data?.res === undefined) {
                const msg = 'This should not happen: Alias anchor was not resolved?';
                throw new ReferenceError(msg);
            }
            if (maxAliasCount >= 0) {
                data.count += 1;
                if (data.aliasCount === 0)
                    data.aliasCount = getAliasCount(doc, found, anchors);
                if (data.count * data.aliasCount > maxAliasCount) {
                    const msg = 'Excessive alias count indicates a resource exhaustion attack';
                    throw new ReferenceError(msg);
                }
            }
        }
        return found;
    }
    toJSON(_arg, ctx) {
        if (!ctx)
            return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
    }
    toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
            anchors.anchorIsValid(this.source);
            if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
                const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
                throw new Error(msg);
            }
            if (ctx.implicitKey)
                return `${src} `;
        }
        return src;
    }
}
function getAliasCount(doc, node, anchors) {
    if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors && source && anchors.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
    }
    else if (identity.isCollection(node)) {
        let count = 0;
        for (const item of node.items) {
            const c = getAliasCount(doc, item, anchors);
            if (c > count)
                count = c;
        }
        return count;
    }
    else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors);
        const vc = getAliasCount(doc, node.value, anchors);
        return Math.max(kc, vc);
    }
    return 1;
}

exports.Alias = Alias;


/***/ }),

/***/ 101:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);

function collectionFromPath(schema, path, value) {
    let v = value;
    for (let i = path.length - 1; i >= 0; --i) {
        const k = path[i];
        if (typeof k === 'number' && Number.isInteger(k) && k >= 0) {
            const a = [];
            a[k] = v;
            v = a;
        }
        else {
            v = new Map([[k, v]]);
        }
    }
    return createNode.createNode(v, undefined, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
            throw new Error('This should not happen, please report a bug.');
        },
        schema,
        sourceObjects: new Map()
    });
}
// Type guard is intentionally a little wrong so as to be more useful,
// as it does not cover untypable empty non-string iterables (e.g. []).
const isEmptyPath = (path) => path == null ||
    (typeof path === 'object' && !!path[Symbol.iterator]().next().done);
class Collection extends Node.NodeBase {
    constructor(type, schema) {
        super(type);
        Object.defineProperty(this, 'schema', {
            value: schema,
            configurable: true,
            enumerable: false,
            writable: true
        });
    }
    /**
     * Create a copy of this collection.
     *
     * @param schema - If defined, overwrites the original's schema
     */
    clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
            copy.schema = schema;
        copy.items = copy.items.map(it => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /**
     * Adds a value to the collection. For `!!map` and `!!omap` the value must
     * be a Pair instance or a `{ key, value }` object, which may not have a key
     * that already exists in the map.
     */
    addIn(path, value) {
        if (isEmptyPath(path))
            this.add(value);
        else {
            const [key, ...rest] = path;
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.addIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
    /**
     * Removes a value from the collection.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
            return node.deleteIn(rest);
        else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        const [key, ...rest] = path;
        const node = this.get(key, true);
        if (rest.length === 0)
            return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
            return identity.isCollection(node) ? node.getIn(rest, keepScalar) : undefined;
    }
    hasAllNullValues(allowScalar) {
        return this.items.every(node => {
            if (!identity.isPair(node))
                return false;
            const n = node.value;
            return (n == null ||
                (allowScalar &&
                    identity.isScalar(n) &&
                    n.value == null &&
                    !n.commentBefore &&
                    !n.comment &&
                    !n.tag));
        });
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     */
    hasIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        const [key, ...rest] = path;
        if (rest.length === 0) {
            this.set(key, value);
        }
        else {
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.setIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
}

exports.Collection = Collection;
exports.collectionFromPath = collectionFromPath;
exports.isEmptyPath = isEmptyPath;


/***/ }),

/***/ 6673:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var applyReviver = __nccwpck_require__(3661);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

class NodeBase {
    constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
    }
    /** Create a copy of this node.  */
    clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** A plain JavaScript representation of this node. */
    toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
            throw new TypeError('A document argument is required');
        const ctx = {
            anchors: new Map(),
            doc,
            keep: true,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
}

exports.NodeBase = NodeBase;


/***/ }),

/***/ 7165:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyPair = __nccwpck_require__(9748);
var addPairToJSMap = __nccwpck_require__(7104);
var identity = __nccwpck_require__(1127);

function createPair(key, value, ctx) {
    const k = createNode.createNode(key, undefined, ctx);
    const v = createNode.createNode(value, undefined, ctx);
    return new Pair(k, v);
}
class Pair {
    constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
    }
    clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
            key = key.clone(schema);
        if (identity.isNode(value))
            value = value.clone(schema);
        return new Pair(key, value);
    }
    toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
    }
    toString(ctx, onComment, onChompKeep) {
        return ctx?.doc
            ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep)
            : JSON.stringify(this);
    }
}

exports.Pair = Pair;
exports.createPair = createPair;


/***/ }),

/***/ 3301:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

const isScalarValue = (value) => !value || (typeof value !== 'function' && typeof value !== 'object');
class Scalar extends Node.NodeBase {
    constructor(value) {
        super(identity.SCALAR);
        this.value = value;
    }
    toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
    }
    toString() {
        return String(this.value);
    }
}
Scalar.BLOCK_FOLDED = 'BLOCK_FOLDED';
Scalar.BLOCK_LITERAL = 'BLOCK_LITERAL';
Scalar.PLAIN = 'PLAIN';
Scalar.QUOTE_DOUBLE = 'QUOTE_DOUBLE';
Scalar.QUOTE_SINGLE = 'QUOTE_SINGLE';

exports.Scalar = Scalar;
exports.isScalarValue = isScalarValue;


/***/ }),

/***/ 4454:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyCollection = __nccwpck_require__(1212);
var addPairToJSMap = __nccwpck_require__(7104);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);

function findPair(items, key) {
    const k = identity.isScalar(key) ? key.value : key;
    for (const it of items) {
        if (identity.isPair(it)) {
            if (it.key === key || it.key === k)
                return it;
            if (identity.isScalar(it.key) && it.key.value === k)
                return it;
        }
    }
    return undefined;
}
class YAMLMap extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:map';
    }
    constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
    }
    /**
     * A generic collection parsing method that can be extended
     * to other node classes that inherit from YAMLMap
     */
    static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
            if (typeof replacer === 'function')
                value = replacer.call(obj, key, value);
            else if (Array.isArray(replacer) && !replacer.includes(key))
                return;
            if (value !== undefined || keepUndefined)
                map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
            for (const [key, value] of obj)
                add(key, value);
        }
        else if (obj && typeof obj === 'object') {
            for (const key of Object.keys(obj))
                add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === 'function') {
            map.items.sort(schema.sortMapEntries);
        }
        return map;
    }
    /**
     * Adds a value to the collection.
     *
     * @param overwrite - If not set `true`, using a key that is already in the
     *   collection will throw. Otherwise, overwrites the previous value.
     */
    add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
            _pair = pair;
        else if (!pair || typeof pair !== 'object' || !('key' in pair)) {
            // In TypeScript, this never happens.
            _pair = new Pair.Pair(pair, pair?.value);
        }
        else
            _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
            if (!overwrite)
                throw new Error(`Key ${_pair.key} already set`);
            // For scalars, keep the old node & its comments and anchors
            if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
                prev.value.value = _pair.value;
            else
                prev.value = _pair.value;
        }
        else if (sortEntries) {
            const i = this.items.findIndex(item => sortEntries(_pair, item) < 0);
            if (i === -1)
                this.items.push(_pair);
            else
                this.items.splice(i, 0, _pair);
        }
        else {
            this.items.push(_pair);
        }
    }
    delete(key) {
        const it = findPair(this.items, key);
        if (!it)
            return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const it = findPair(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? undefined;
    }
    has(key) {
        return !!findPair(this.items, key);
    }
    set(key, value) {
        this.add(new Pair.Pair(key, value), true);
    }
    /**
     * @param ctx - Conversion context, originally set in Document#toJS()
     * @param {Class} Type - If set, forces the returned collection type
     * @returns Instance of Type, Map, or Object
     */
    toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? new Map() : {};
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const item of this.items)
            addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        for (const item of this.items) {
            if (!identity.isPair(item))
                throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
            ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '',
            flowChars: { start: '{', end: '}' },
            itemIndent: ctx.indent || '',
            onChompKeep,
            onComment
        });
    }
}

exports.YAMLMap = YAMLMap;
exports.findPair = findPair;


/***/ }),

/***/ 2223:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyCollection = __nccwpck_require__(1212);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var toJS = __nccwpck_require__(4043);

class YAMLSeq extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:seq';
    }
    constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
    }
    add(value) {
        this.items.push(value);
    }
    /**
     * Removes a value from the collection.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     *
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return undefined;
        const it = this.items[idx];
        return !keepScalar && identity.isScalar(it) ? it.value : it;
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     */
    has(key) {
        const idx = asItemIndex(key);
        return typeof idx === 'number' && idx < this.items.length;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     *
     * If `key` does not contain a representation of an integer, this will throw.
     * It may be wrapped in a `Scalar`.
     */
    set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
            prev.value = value;
        else
            this.items[idx] = value;
    }
    toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
            ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
            seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '- ',
            flowChars: { start: '[', end: ']' },
            itemIndent: (ctx.indent || '') + '  ',
            onChompKeep,
            onComment
        });
    }
    static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
            let i = 0;
            for (let it of obj) {
                if (typeof replacer === 'function') {
                    const key = obj instanceof Set ? it : String(i++);
                    it = replacer.call(obj, key, it);
                }
                seq.items.push(createNode.createNode(it, undefined, ctx));
            }
        }
        return seq;
    }
}
function asItemIndex(key) {
    let idx = identity.isScalar(key) ? key.value : key;
    if (idx && typeof idx === 'string')
        idx = Number(idx);
    return typeof idx === 'number' && Number.isInteger(idx) && idx >= 0
        ? idx
        : null;
}

exports.YAMLSeq = YAMLSeq;


/***/ }),

/***/ 7104:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var log = __nccwpck_require__(7249);
var merge = __nccwpck_require__(452);
var stringify = __nccwpck_require__(2148);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

function addPairToJSMap(ctx, map, { key, value }) {
    if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
    // TODO: Should drop this special case for bare << handling
    else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
    else {
        const jsKey = toJS.toJS(key, '', ctx);
        if (map instanceof Map) {
            map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        }
        else if (map instanceof Set) {
            map.add(jsKey);
        }
        else {
            const stringKey = stringifyKey(key, jsKey, ctx);
            const jsValue = toJS.toJS(value, stringKey, ctx);
            if (stringKey in map)
                Object.defineProperty(map, stringKey, {
                    value: jsValue,
                    writable: true,
                    enumerable: true,
                    configurable: true
                });
            else
                map[stringKey] = jsValue;
        }
    }
    return map;
}
function stringifyKey(key, jsKey, ctx) {
    if (jsKey === null)
        return '';
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    if (typeof jsKey !== 'object')
        return String(jsKey);
    if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = new Set();
        for (const node of ctx.anchors.keys())
            strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
            let jsonStr = JSON.stringify(strKey);
            if (jsonStr.length > 40)
                jsonStr = jsonStr.substring(0, 36) + '..."';
            log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
            ctx.mapKeyWarned = true;
        }
        return strKey;
    }
    return JSON.stringify(jsKey);
}

exports.addPairToJSMap = addPairToJSMap;


/***/ }),

/***/ 1127:
/***/ ((__unused_webpack_module, exports) => {



const ALIAS = Symbol.for('yaml.alias');
const DOC = Symbol.for('yaml.document');
const MAP = Symbol.for('yaml.map');
const PAIR = Symbol.for('yaml.pair');
const SCALAR = Symbol.for('yaml.scalar');
const SEQ = Symbol.for('yaml.seq');
const NODE_TYPE = Symbol.for('yaml.node.type');
const isAlias = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === ALIAS;
const isDocument = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === DOC;
const isMap = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === MAP;
const isPair = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === PAIR;
const isScalar = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SCALAR;
const isSeq = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SEQ;
function isCollection(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case MAP:
            case SEQ:
                return true;
        }
    return false;
}
function isNode(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case ALIAS:
            case MAP:
            case SCALAR:
            case SEQ:
                return true;
        }
    return false;
}
const hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;

exports.ALIAS = ALIAS;
exports.DOC = DOC;
exports.MAP = MAP;
exports.NODE_TYPE = NODE_TYPE;
exports.PAIR = PAIR;
exports.SCALAR = SCALAR;
exports.SEQ = SEQ;
exports.hasAnchor = hasAnchor;
exports.isAlias = isAlias;
exports.isCollection = isCollection;
exports.isDocument = isDocument;
exports.isMap = isMap;
exports.isNode = isNode;
exports.isPair = isPair;
exports.isScalar = isScalar;
exports.isSeq = isSeq;


/***/ }),

/***/ 4043:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

/**
 * Recursively convert any node or its contents to native JavaScript
 *
 * @param value - The input value
 * @param arg - If `value` defines a `toJSON()` method, use this
 *   as its first argument
 * @param ctx - Conversion context, originally set in Document#toJS(). If
 *   `{ keep: true }` is not set, output should be suitable for JSON
 *   stringification.
 */
function toJS(value, arg, ctx) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return
    if (Array.isArray(value))
        return value.map((v, i) => toJS(v, String(i), ctx));
    if (value && typeof value.toJSON === 'function') {
        // eslint-disable-next-line @typescript-eslint/no-unsafe-call
        if (!ctx || !identity.hasAnchor(value))
            return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: undefined };
        ctx.anchors.set(value, data);
        ctx.onCreate = res => {
            data.res = res;
            delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
            ctx.onCreate(res);
        return res;
    }
    if (typeof value === 'bigint' && !ctx?.keep)
        return Number(value);
    return value;
}

exports.toJS = toJS;


/***/ }),

/***/ 110:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);
var errors = __nccwpck_require__(1464);
var stringifyString = __nccwpck_require__(3069);

function resolveAsScalar(token, strict = true, onError) {
    if (token) {
        const _onError = (pos, code, message) => {
            const offset = typeof pos === 'number' ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
            if (onError)
                onError(offset, code, message);
            else
                throw new errors.YAMLParseError([offset, offset + 1], code, message);
        };
        switch (token.type) {
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
            case 'block-scalar':
                return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
    }
    return null;
}
/**
 * Create a new scalar token with `value`
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.end Comments and whitespace after the end of the value, or after the block scalar header. If undefined, a newline will be added.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.indent The indent level of the token.
 * @param context.inFlow Is this scalar within a flow collection? This may affect the resolved type of the token's value.
 * @param context.offset The offset position of the token.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function createScalarToken(value, context) {
    const { implicitKey = false, indent, inFlow = false, offset = -1, type = 'PLAIN' } = context;
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    const end = context.end ?? [
        { type: 'newline', offset: -1, indent, source: '\n' }
    ];
    switch (source[0]) {
        case '|':
        case '>': {
            const he = source.indexOf('\n');
            const head = source.substring(0, he);
            const body = source.substring(he + 1) + '\n';
            const props = [
                { type: 'block-scalar-header', offset, indent, source: head }
            ];
            if (!addEndtoBlockProps(props, end))
                props.push({ type: 'newline', offset: -1, indent, source: '\n' });
            return { type: 'block-scalar', offset, indent, props, source: body };
        }
        case '"':
            return { type: 'double-quoted-scalar', offset, indent, source, end };
        case "'":
            return { type: 'single-quoted-scalar', offset, indent, source, end };
        default:
            return { type: 'scalar', offset, indent, source, end };
    }
}
/**
 * Set the value of `token` to the given string `value`, overwriting any previous contents and type that it may have.
 *
 * Best efforts are made to retain any comments previously associated with the `token`,
 * though all contents within a collection's `items` will be overwritten.
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param token Any token. If it does not include an `indent` value, the value will be stringified as if it were an implicit key.
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.afterKey In most cases, values after a key should have an additional level of indentation.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.inFlow Being within a flow collection may affect the resolved type of the token's value.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function setScalarValue(token, value, context = {}) {
    let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
    let indent = 'indent' in token ? token.indent : null;
    if (afterKey && typeof indent === 'number')
        indent += 2;
    if (!type)
        switch (token.type) {
            case 'single-quoted-scalar':
                type = 'QUOTE_SINGLE';
                break;
            case 'double-quoted-scalar':
                type = 'QUOTE_DOUBLE';
                break;
            case 'block-scalar': {
                const header = token.props[0];
                if (header.type !== 'block-scalar-header')
                    throw new Error('Invalid block scalar header');
                type = header.source[0] === '>' ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL';
                break;
            }
            default:
                type = 'PLAIN';
        }
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    switch (source[0]) {
        case '|':
        case '>':
            setBlockScalarValue(token, source);
            break;
        case '"':
            setFlowScalarValue(token, source, 'double-quoted-scalar');
            break;
        case "'":
            setFlowScalarValue(token, source, 'single-quoted-scalar');
            break;
        default:
            setFlowScalarValue(token, source, 'scalar');
    }
}
function setBlockScalarValue(token, source) {
    const he = source.indexOf('\n');
    const head = source.substring(0, he);
    const body = source.substring(he + 1) + '\n';
    if (token.type === 'block-scalar') {
        const header = token.props[0];
        if (header.type !== 'block-scalar-header')
            throw new Error('Invalid block scalar header');
        header.source = head;
        token.source = body;
    }
    else {
        const { offset } = token;
        const indent = 'indent' in token ? token.indent : -1;
        const props = [
            { type: 'block-scalar-header', offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, 'end' in token ? token.end : undefined))
            props.push({ type: 'newline', offset: -1, indent, source: '\n' });
        for (const key of Object.keys(token))
            if (key !== 'type' && key !== 'offset')
                delete token[key];
        Object.assign(token, { type: 'block-scalar', indent, props, source: body });
    }
}
/** @returns `true` if last token is a newline */
function addEndtoBlockProps(props, end) {
    if (end)
        for (const st of end)
            switch (st.type) {
                case 'space':
                case 'comment':
                    props.push(st);
                    break;
                case 'newline':
                    props.push(st);
                    return true;
            }
    return false;
}
function setFlowScalarValue(token, source, type) {
    switch (token.type) {
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            token.type = type;
            token.source = source;
            break;
        case 'block-scalar': {
            const end = token.props.slice(1);
            let oa = source.length;
            if (token.props[0].type === 'block-scalar-header')
                oa -= token.props[0].source.length;
            for (const tok of end)
                tok.offset += oa;
            delete token.props;
            Object.assign(token, { type, source, end });
            break;
        }
        case 'block-map':
        case 'block-seq': {
            const offset = token.offset + source.length;
            const nl = { type: 'newline', offset, indent: token.indent, source: '\n' };
            delete token.items;
            Object.assign(token, { type, source, end: [nl] });
            break;
        }
        default: {
            const indent = 'indent' in token ? token.indent : -1;
            const end = 'end' in token && Array.isArray(token.end)
                ? token.end.filter(st => st.type === 'space' ||
                    st.type === 'comment' ||
                    st.type === 'newline')
                : [];
            for (const key of Object.keys(token))
                if (key !== 'type' && key !== 'offset')
                    delete token[key];
            Object.assign(token, { type, indent, source, end });
        }
    }
}

exports.createScalarToken = createScalarToken;
exports.resolveAsScalar = resolveAsScalar;
exports.setScalarValue = setScalarValue;


/***/ }),

/***/ 1733:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringify a CST document, token, or collection item
 *
 * Fair warning: This applies no validation whatsoever, and
 * simply concatenates the sources in their logical order.
 */
const stringify = (cst) => 'type' in cst ? stringifyToken(cst) : stringifyItem(cst);
function stringifyToken(token) {
    switch (token.type) {
        case 'block-scalar': {
            let res = '';
            for (const tok of token.props)
                res += stringifyToken(tok);
            return res + token.source;
        }
        case 'block-map':
        case 'block-seq': {
            let res = '';
            for (const item of token.items)
                res += stringifyItem(item);
            return res;
        }
        case 'flow-collection': {
            let res = token.start.source;
            for (const item of token.items)
                res += stringifyItem(item);
            for (const st of token.end)
                res += st.source;
            return res;
        }
        case 'document': {
            let res = stringifyItem(token);
            if (token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
        default: {
            let res = token.source;
            if ('end' in token && token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
    }
}
function stringifyItem({ start, key, sep, value }) {
    let res = '';
    for (const st of start)
        res += st.source;
    if (key)
        res += stringifyToken(key);
    if (sep)
        for (const st of sep)
            res += st.source;
    if (value)
        res += stringifyToken(value);
    return res;
}

exports.stringify = stringify;


/***/ }),

/***/ 7715:
/***/ ((__unused_webpack_module, exports) => {



const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove item');
/**
 * Apply a visitor to a CST document or item.
 *
 * Walks through the tree (depth-first) starting from the root, calling a
 * `visitor` function with two arguments when entering each item:
 *   - `item`: The current item, which included the following members:
 *     - `start: SourceToken[]` – Source tokens before the key or value,
 *       possibly including its anchor or tag.
 *     - `key?: Token | null` – Set for pair values. May then be `null`, if
 *       the key before the `:` separator is empty.
 *     - `sep?: SourceToken[]` – Source tokens between the key and the value,
 *       which should include the `:` map value indicator if `value` is set.
 *     - `value?: Token` – The value of a sequence item, or of a map pair.
 *   - `path`: The steps from the root to the current node, as an array of
 *     `['key' | 'value', number]` tuples.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this token, continue with
 *      next sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current item, then continue with the next one
 *   - `number`: Set the index of the next step. This is useful especially if
 *     the index of the current token has changed.
 *   - `function`: Define the next visitor for this item. After the original
 *     visitor is called on item entry, next visitors are called after handling
 *     a non-empty `key` and when exiting the item.
 */
function visit(cst, visitor) {
    if ('type' in cst && cst.type === 'document')
        cst = { start: cst.start, value: cst.value };
    _visit(Object.freeze([]), cst, visitor);
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current item */
visit.SKIP = SKIP;
/** Remove the current item */
visit.REMOVE = REMOVE;
/** Find the item at `path` from `cst` as the root */
visit.itemAtPath = (cst, path) => {
    let item = cst;
    for (const [field, index] of path) {
        const tok = item?.[field];
        if (tok && 'items' in tok) {
            item = tok.items[index];
        }
        else
            return undefined;
    }
    return item;
};
/**
 * Get the immediate parent collection of the item at `path` from `cst` as the root.
 *
 * Throws an error if the collection is not found, which should never happen if the item itself exists.
 */
visit.parentCollection = (cst, path) => {
    const parent = visit.itemAtPath(cst, path.slice(0, -1));
    const field = path[path.length - 1][0];
    const coll = parent?.[field];
    if (coll && 'items' in coll)
        return coll;
    throw new Error('Parent collection not found');
};
function _visit(path, item, visitor) {
    let ctrl = visitor(item, path);
    if (typeof ctrl === 'symbol')
        return ctrl;
    for (const field of ['key', 'value']) {
        const token = item[field];
        if (token && 'items' in token) {
            for (let i = 0; i < token.items.length; ++i) {
                const ci = _visit(Object.freeze(path.concat([[field, i]])), token.items[i], visitor);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    token.items.splice(i, 1);
                    i -= 1;
                }
            }
            if (typeof ctrl === 'function' && field === 'key')
                ctrl = ctrl(item, path);
        }
    }
    return typeof ctrl === 'function' ? ctrl(item, path) : ctrl;
}

exports.visit = visit;


/***/ }),

/***/ 3461:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cstScalar = __nccwpck_require__(110);
var cstStringify = __nccwpck_require__(1733);
var cstVisit = __nccwpck_require__(7715);

/** The byte order mark */
const BOM = '\u{FEFF}';
/** Start of doc-mode */
const DOCUMENT = '\x02'; // C0: Start of Text
/** Unexpected end of flow-mode */
const FLOW_END = '\x18'; // C0: Cancel
/** Next token is a scalar value */
const SCALAR = '\x1f'; // C0: Unit Separator
/** @returns `true` if `token` is a flow or block collection */
const isCollection = (token) => !!token && 'items' in token;
/** @returns `true` if `token` is a flow or block scalar; not an alias */
const isScalar = (token) => !!token &&
    (token.type === 'scalar' ||
        token.type === 'single-quoted-scalar' ||
        token.type === 'double-quoted-scalar' ||
        token.type === 'block-scalar');
/* istanbul ignore next */
/** Get a printable representation of a lexer token */
function prettyToken(token) {
    switch (token) {
        case BOM:
            return '<BOM>';
        case DOCUMENT:
            return '<DOC>';
        case FLOW_END:
            return '<FLOW_END>';
        case SCALAR:
            return '<SCALAR>';
        default:
            return JSON.stringify(token);
    }
}
/** Identify the type of a lexer token. May return `null` for unknown tokens. */
function tokenType(source) {
    switch (source) {
        case BOM:
            return 'byte-order-mark';
        case DOCUMENT:
            return 'doc-mode';
        case FLOW_END:
            return 'flow-error-end';
        case SCALAR:
            return 'scalar';
        case '---':
            return 'doc-start';
        case '...':
            return 'doc-end';
        case '':
        case '\n':
        case '\r\n':
            return 'newline';
        case '-':
            return 'seq-item-ind';
        case '?':
            return 'explicit-key-ind';
        case ':':
            return 'map-value-ind';
        case '{':
            return 'flow-map-start';
        case '}':
            return 'flow-map-end';
        case '[':
            return 'flow-seq-start';
        case ']':
            return 'flow-seq-end';
        case ',':
            return 'comma';
    }
    switch (source[0]) {
        case ' ':
        case '\t':
            return 'space';
        case '#':
            return 'comment';
        case '%':
            return 'directive-line';
        case '*':
            return 'alias';
        case '&':
            return 'anchor';
        case '!':
            return 'tag';
        case "'":
            return 'single-quoted-scalar';
        case '"':
            return 'double-quoted-scalar';
        case '|':
        case '>':
            return 'block-scalar-header';
    }
    return null;
}

exports.createScalarToken = cstScalar.createScalarToken;
exports.resolveAsScalar = cstScalar.resolveAsScalar;
exports.setScalarValue = cstScalar.setScalarValue;
exports.stringify = cstStringify.stringify;
exports.visit = cstVisit.visit;
exports.BOM = BOM;
exports.DOCUMENT = DOCUMENT;
exports.FLOW_END = FLOW_END;
exports.SCALAR = SCALAR;
exports.isCollection = isCollection;
exports.isScalar = isScalar;
exports.prettyToken = prettyToken;
exports.tokenType = tokenType;


/***/ }),

/***/ 361:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cst = __nccwpck_require__(3461);

/*
START -> stream

stream
  directive -> line-end -> stream
  indent + line-end -> stream
  [else] -> line-start

line-end
  comment -> line-end
  newline -> .
  input-end -> END

line-start
  doc-start -> doc
  doc-end -> stream
  [else] -> indent -> block-start

block-start
  seq-item-start -> block-start
  explicit-key-start -> block-start
  map-value-start -> block-start
  [else] -> doc

doc
  line-end -> line-start
  spaces -> doc
  anchor -> doc
  tag -> doc
  flow-start -> flow -> doc
  flow-end -> error -> doc
  seq-item-start -> error -> doc
  explicit-key-start -> error -> doc
  map-value-start -> doc
  alias -> doc
  quote-start -> quoted-scalar -> doc
  block-scalar-header -> line-end -> block-scalar(min) -> line-start
  [else] -> plain-scalar(false, min) -> doc

flow
  line-end -> flow
  spaces -> flow
  anchor -> flow
  tag -> flow
  flow-start -> flow -> flow
  flow-end -> .
  seq-item-start -> error -> flow
  explicit-key-start -> flow
  map-value-start -> flow
  alias -> flow
  quote-start -> quoted-scalar -> flow
  comma -> flow
  [else] -> plain-scalar(true, 0) -> flow

quoted-scalar
  quote-end -> .
  [else] -> quoted-scalar

block-scalar(min)
  newline + peek(indent < min) -> .
  [else] -> block-scalar(min)

plain-scalar(is-flow, min)
  scalar-end(is-flow) -> .
  peek(newline + (indent < min)) -> .
  [else] -> plain-scalar(min)
*/
function isEmpty(ch) {
    switch (ch) {
        case undefined:
        case ' ':
        case '\n':
        case '\r':
        case '\t':
            return true;
        default:
            return false;
    }
}
const hexDigits = new Set('0123456789ABCDEFabcdef');
const tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
const flowIndicatorChars = new Set(',[]{}');
const invalidAnchorChars = new Set(' ,[]{}\n\r\t');
const isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
/**
 * Splits an input string into lexical tokens, i.e. smaller strings that are
 * easily identifiable by `tokens.tokenType()`.
 *
 * Lexing starts always in a "stream" context. Incomplete input may be buffered
 * until a complete token can be emitted.
 *
 * In addition to slices of the original input, the following control characters
 * may also be emitted:
 *
 * - `\x02` (Start of Text): A document starts with the next token
 * - `\x18` (Cancel): Unexpected end of flow-mode (indicates an error)
 * - `\x1f` (Unit Separator): Next token is a scalar value
 * - `\u{FEFF}` (Byte order mark): Emitted separately outside documents
 */
class Lexer {
    constructor() {
        /**
         * Flag indicating whether the end of the current buffer marks the end of
         * all input
         */
        this.atEnd = false;
        /**
         * Explicit indent set in block scalar header, as an offset from the current
         * minimum indent, so e.g. set to 1 from a header `|2+`. Set to -1 if not
         * explicitly set.
         */
        this.blockScalarIndent = -1;
        /**
         * Block scalars that include a + (keep) chomping indicator in their header
         * include trailing empty lines, which are otherwise excluded from the
         * scalar's contents.
         */
        this.blockScalarKeep = false;
        /** Current input */
        this.buffer = '';
        /**
         * Flag noting whether the map value indicator : can immediately follow this
         * node within a flow context.
         */
        this.flowKey = false;
        /** Count of surrounding flow collection levels. */
        this.flowLevel = 0;
        /**
         * Minimum level of indentation required for next lines to be parsed as a
         * part of the current scalar value.
         */
        this.indentNext = 0;
        /** Indentation level of the current line. */
        this.indentValue = 0;
        /** Position of the next \n character. */
        this.lineEndPos = null;
        /** Stores the state of the lexer if reaching the end of incpomplete input */
        this.next = null;
        /** A pointer to `buffer`; the current position of the lexer. */
        this.pos = 0;
    }
    /**
     * Generate YAML tokens from the `source` string. If `incomplete`,
     * a part of the last line may be left as a buffer for the next call.
     *
     * @returns A generator of lexical tokens
     */
    *lex(source, incomplete = false) {
        if (source) {
            if (typeof source !== 'string')
                throw TypeError('source is not a string');
            this.buffer = this.buffer ? this.buffer + source : source;
            this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? 'stream';
        while (next && (incomplete || this.hasChars(1)))
            next = yield* this.parseNext(next);
    }
    atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === ' ' || ch === '\t')
            ch = this.buffer[++i];
        if (!ch || ch === '#' || ch === '\n')
            return true;
        if (ch === '\r')
            return this.buffer[i + 1] === '\n';
        return false;
    }
    charAt(n) {
        return this.buffer[this.pos + n];
    }
    continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
            let indent = 0;
            while (ch === ' ')
                ch = this.buffer[++indent + offset];
            if (ch === '\r') {
                const next = this.buffer[indent + offset + 1];
                if (next === '\n' || (!next && !this.atEnd))
                    return offset + indent + 1;
            }
            return ch === '\n' || indent >= this.indentNext || (!ch && !this.atEnd)
                ? offset + indent
                : -1;
        }
        if (ch === '-' || ch === '.') {
            const dt = this.buffer.substr(offset, 3);
            if ((dt === '---' || dt === '...') && isEmpty(this.buffer[offset + 3]))
                return -1;
        }
        return offset;
    }
    getLine() {
        let end = this.lineEndPos;
        if (typeof end !== 'number' || (end !== -1 && end < this.pos)) {
            end = this.buffer.indexOf('\n', this.pos);
            this.lineEndPos = end;
        }
        if (end === -1)
            return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === '\r')
            end -= 1;
        return this.buffer.substring(this.pos, end);
    }
    hasChars(n) {
        return this.pos + n <= this.buffer.length;
    }
    setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
    }
    peek(n) {
        return this.buffer.substr(this.pos, n);
    }
    *parseNext(next) {
        switch (next) {
            case 'stream':
                return yield* this.parseStream();
            case 'line-start':
                return yield* this.parseLineStart();
            case 'block-start':
                return yield* this.parseBlockStart();
            case 'doc':
                return yield* this.parseDocument();
            case 'flow':
                return yield* this.parseFlowCollection();
            case 'quoted-scalar':
                return yield* this.parseQuotedScalar();
            case 'block-scalar':
                return yield* this.parseBlockScalar();
            case 'plain-scalar':
                return yield* this.parsePlainScalar();
        }
    }
    *parseStream() {
        let line = this.getLine();
        if (line === null)
            return this.setNext('stream');
        if (line[0] === cst.BOM) {
            yield* this.pushCount(1);
            line = line.substring(1);
        }
        if (line[0] === '%') {
            let dirEnd = line.length;
            let cs = line.indexOf('#');
            while (cs !== -1) {
                const ch = line[cs - 1];
                if (ch === ' ' || ch === '\t') {
                    dirEnd = cs - 1;
                    break;
                }
                else {
                    cs = line.indexOf('#', cs + 1);
                }
            }
            while (true) {
                const ch = line[dirEnd - 1];
                if (ch === ' ' || ch === '\t')
                    dirEnd -= 1;
                else
                    break;
            }
            const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
            yield* this.pushCount(line.length - n); // possible comment
            this.pushNewline();
            return 'stream';
        }
        if (this.atLineEnd()) {
            const sp = yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - sp);
            yield* this.pushNewline();
            return 'stream';
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
    }
    *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
            return this.setNext('line-start');
        if (ch === '-' || ch === '.') {
            if (!this.atEnd && !this.hasChars(4))
                return this.setNext('line-start');
            const s = this.peek(3);
            if ((s === '---' || s === '...') && isEmpty(this.charAt(3))) {
                yield* this.pushCount(3);
                this.indentValue = 0;
                this.indentNext = 0;
                return s === '---' ? 'doc' : 'stream';
            }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
            this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
    }
    *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
            return this.setNext('block-start');
        if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(ch1)) {
            const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
            this.indentNext = this.indentValue + 1;
            this.indentValue += n;
            return 'block-start';
        }
        return 'doc';
    }
    *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
            return this.setNext('doc');
        let n = yield* this.pushIndicators();
        switch (line[n]) {
            case '#':
                yield* this.pushCount(line.length - n);
            // fallthrough
            case undefined:
                yield* this.pushNewline();
                return yield* this.parseLineStart();
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel = 1;
                return 'flow';
            case '}':
            case ']':
                // this is an error
                yield* this.pushCount(1);
                return 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'doc';
            case '"':
            case "'":
                return yield* this.parseQuotedScalar();
            case '|':
            case '>':
                n += yield* this.parseBlockScalarHeader();
                n += yield* this.pushSpaces(true);
                yield* this.pushCount(line.length - n);
                yield* this.pushNewline();
                return yield* this.parseBlockScalar();
            default:
                return yield* this.parsePlainScalar();
        }
    }
    *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
            nl = yield* this.pushNewline();
            if (nl > 0) {
                sp = yield* this.pushSpaces(false);
                this.indentValue = indent = sp;
            }
            else {
                sp = 0;
            }
            sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
            return this.setNext('flow');
        if ((indent !== -1 && indent < this.indentNext && line[0] !== '#') ||
            (indent === 0 &&
                (line.startsWith('---') || line.startsWith('...')) &&
                isEmpty(line[3]))) {
            // Allowing for the terminal ] or } at the same (rather than greater)
            // indent level as the initial [ or { is technically invalid, but
            // failing here would be surprising to users.
            const atFlowEndMarker = indent === this.indentNext - 1 &&
                this.flowLevel === 1 &&
                (line[0] === ']' || line[0] === '}');
            if (!atFlowEndMarker) {
                // this is an error
                this.flowLevel = 0;
                yield cst.FLOW_END;
                return yield* this.parseLineStart();
            }
        }
        let n = 0;
        while (line[n] === ',') {
            n += yield* this.pushCount(1);
            n += yield* this.pushSpaces(true);
            this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
            case undefined:
                return 'flow';
            case '#':
                yield* this.pushCount(line.length - n);
                return 'flow';
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel += 1;
                return 'flow';
            case '}':
            case ']':
                yield* this.pushCount(1);
                this.flowKey = true;
                this.flowLevel -= 1;
                return this.flowLevel ? 'flow' : 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'flow';
            case '"':
            case "'":
                this.flowKey = true;
                return yield* this.parseQuotedScalar();
            case ':': {
                const next = this.charAt(1);
                if (this.flowKey || isEmpty(next) || next === ',') {
                    this.flowKey = false;
                    yield* this.pushCount(1);
                    yield* this.pushSpaces(true);
                    return 'flow';
                }
            }
            // fallthrough
            default:
                this.flowKey = false;
                return yield* this.parsePlainScalar();
        }
    }
    *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
            while (end !== -1 && this.buffer[end + 1] === "'")
                end = this.buffer.indexOf("'", end + 2);
        }
        else {
            // double-quote
            while (end !== -1) {
                let n = 0;
                while (this.buffer[end - 1 - n] === '\\')
                    n += 1;
                if (n % 2 === 0)
                    break;
                end = this.buffer.indexOf('"', end + 1);
            }
        }
        // Only looking for newlines within the quotes
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf('\n', this.pos);
        if (nl !== -1) {
            while (nl !== -1) {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = qb.indexOf('\n', cs);
            }
            if (nl !== -1) {
                // this is an error caused by an unexpected unindent
                end = nl - (qb[nl - 1] === '\r' ? 2 : 1);
            }
        }
        if (end === -1) {
            if (!this.atEnd)
                return this.setNext('quoted-scalar');
            end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? 'flow' : 'doc';
    }
    *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
            const ch = this.buffer[++i];
            if (ch === '+')
                this.blockScalarKeep = true;
            else if (ch > '0' && ch <= '9')
                this.blockScalarIndent = Number(ch) - 1;
            else if (ch !== '-')
                break;
        }
        return yield* this.pushUntil(ch => isEmpty(ch) || ch === '#');
    }
    *parseBlockScalar() {
        let nl = this.pos - 1; // may be -1 if this.pos === 0
        let indent = 0;
        let ch;
        loop: for (let i = this.pos; (ch = this.buffer[i]); ++i) {
            switch (ch) {
                case ' ':
                    indent += 1;
                    break;
                case '\n':
                    nl = i;
                    indent = 0;
                    break;
                case '\r': {
                    const next = this.buffer[i + 1];
                    if (!next && !this.atEnd)
                        return this.setNext('block-scalar');
                    if (next === '\n')
                        break;
                } // fallthrough
                default:
                    break loop;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('block-scalar');
        if (indent >= this.indentNext) {
            if (this.blockScalarIndent === -1)
                this.indentNext = indent;
            else {
                this.indentNext =
                    this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
            }
            do {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = this.buffer.indexOf('\n', cs);
            } while (nl !== -1);
            if (nl === -1) {
                if (!this.atEnd)
                    return this.setNext('block-scalar');
                nl = this.buffer.length;
            }
        }
        // Trailing insufficiently indented tabs are invalid.
        // To catch that during parsing, we include them in the block scalar value.
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === ' ')
            ch = this.buffer[++i];
        if (ch === '\t') {
            while (ch === '\t' || ch === ' ' || ch === '\r' || ch === '\n')
                ch = this.buffer[++i];
            nl = i - 1;
        }
        else if (!this.blockScalarKeep) {
            do {
                let i = nl - 1;
                let ch = this.buffer[i];
                if (ch === '\r')
                    ch = this.buffer[--i];
                const lastChar = i; // Drop the line if last char not more indented
                while (ch === ' ')
                    ch = this.buffer[--i];
                if (ch === '\n' && i >= this.pos && i + 1 + indent > lastChar)
                    nl = i;
                else
                    break;
            } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
    }
    *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while ((ch = this.buffer[++i])) {
            if (ch === ':') {
                const next = this.buffer[i + 1];
                if (isEmpty(next) || (inFlow && flowIndicatorChars.has(next)))
                    break;
                end = i;
            }
            else if (isEmpty(ch)) {
                let next = this.buffer[i + 1];
                if (ch === '\r') {
                    if (next === '\n') {
                        i += 1;
                        ch = '\n';
                        next = this.buffer[i + 1];
                    }
                    else
                        end = i;
                }
                if (next === '#' || (inFlow && flowIndicatorChars.has(next)))
                    break;
                if (ch === '\n') {
                    const cs = this.continueScalar(i + 1);
                    if (cs === -1)
                        break;
                    i = Math.max(i, cs - 2); // to advance, but still account for ' #'
                }
            }
            else {
                if (inFlow && flowIndicatorChars.has(ch))
                    break;
                end = i;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('plain-scalar');
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? 'flow' : 'doc';
    }
    *pushCount(n) {
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos += n;
            return n;
        }
        return 0;
    }
    *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
            yield s;
            this.pos += s.length;
            return s.length;
        }
        else if (allowEmpty)
            yield '';
        return 0;
    }
    *pushIndicators() {
        let n = 0;
        loop: while (true) {
            switch (this.charAt(0)) {
                case '!':
                    n += yield* this.pushTag();
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '&':
                    n += yield* this.pushUntil(isNotAnchorChar);
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '-': // this is an error
                case '?': // this is an error outside flow collections
                case ':': {
                    const inFlow = this.flowLevel > 0;
                    const ch1 = this.charAt(1);
                    if (isEmpty(ch1) || (inFlow && flowIndicatorChars.has(ch1))) {
                        if (!inFlow)
                            this.indentNext = this.indentValue + 1;
                        else if (this.flowKey)
                            this.flowKey = false;
                        n += yield* this.pushCount(1);
                        n += yield* this.pushSpaces(true);
                        continue loop;
                    }
                }
            }
            break loop;
        }
        return n;
    }
    *pushTag() {
        if (this.charAt(1) === '<') {
            let i = this.pos + 2;
            let ch = this.buffer[i];
            while (!isEmpty(ch) && ch !== '>')
                ch = this.buffer[++i];
            return yield* this.pushToIndex(ch === '>' ? i + 1 : i, false);
        }
        else {
            let i = this.pos + 1;
            let ch = this.buffer[i];
            while (ch) {
                if (tagChars.has(ch))
                    ch = this.buffer[++i];
                else if (ch === '%' &&
                    hexDigits.has(this.buffer[i + 1]) &&
                    hexDigits.has(this.buffer[i + 2])) {
                    ch = this.buffer[(i += 3)];
                }
                else
                    break;
            }
            return yield* this.pushToIndex(i, false);
        }
    }
    *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === '\n')
            return yield* this.pushCount(1);
        else if (ch === '\r' && this.charAt(1) === '\n')
            return yield* this.pushCount(2);
        else
            return 0;
    }
    *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
            ch = this.buffer[++i];
        } while (ch === ' ' || (allowTabs && ch === '\t'));
        const n = i - this.pos;
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos = i;
        }
        return n;
    }
    *pushUntil(test) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test(ch))
            ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
    }
}

exports.Lexer = Lexer;


/***/ }),

/***/ 6628:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Tracks newlines during parsing in order to provide an efficient API for
 * determining the one-indexed `{ line, col }` position for any offset
 * within the input.
 */
class LineCounter {
    constructor() {
        this.lineStarts = [];
        /**
         * Should be called in ascending order. Otherwise, call
         * `lineCounter.lineStarts.sort()` before calling `linePos()`.
         */
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        /**
         * Performs a binary search and returns the 1-indexed { line, col }
         * position of `offset`. If `line === 0`, `addNewLine` has never been
         * called or `offset` is before the first known newline.
         */
        this.linePos = (offset) => {
            let low = 0;
            let high = this.lineStarts.length;
            while (low < high) {
                const mid = (low + high) >> 1; // Math.floor((low + high) / 2)
                if (this.lineStarts[mid] < offset)
                    low = mid + 1;
                else
                    high = mid;
            }
            if (this.lineStarts[low] === offset)
                return { line: low + 1, col: 1 };
            if (low === 0)
                return { line: 0, col: offset };
            const start = this.lineStarts[low - 1];
            return { line: low, col: offset - start + 1 };
        };
    }
}

exports.LineCounter = LineCounter;


/***/ }),

/***/ 3456:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);

function includesToken(list, type) {
    for (let i = 0; i < list.length; ++i)
        if (list[i].type === type)
            return true;
    return false;
}
function findNonEmptyIndex(list) {
    for (let i = 0; i < list.length; ++i) {
        switch (list[i].type) {
            case 'space':
            case 'comment':
            case 'newline':
                break;
            default:
                return i;
        }
    }
    return -1;
}
function isFlowToken(token) {
    switch (token?.type) {
        case 'alias':
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'flow-collection':
            return true;
        default:
            return false;
    }
}
function getPrevProps(parent) {
    switch (parent.type) {
        case 'document':
            return parent.start;
        case 'block-map': {
            const it = parent.items[parent.items.length - 1];
            return it.sep ?? it.start;
        }
        case 'block-seq':
            return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
            return [];
    }
}
/** Note: May modify input array */
function getFirstKeyStartProps(prev) {
    if (prev.length === 0)
        return [];
    let i = prev.length;
    loop: while (--i >= 0) {
        switch (prev[i].type) {
            case 'doc-start':
            case 'explicit-key-ind':
            case 'map-value-ind':
            case 'seq-item-ind':
            case 'newline':
                break loop;
        }
    }
    while (prev[++i]?.type === 'space') {
        /* loop */
    }
    return prev.splice(i, prev.length);
}
function arrayPushArray(target, source) {
    // May exhaust call stack with large `source` array
    if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
    else
        for (let i = 0; i < source.length; ++i)
            target.push(source[i]);
}
function fixFlowSeqItems(fc) {
    if (fc.start.type === 'flow-seq-start') {
        for (const it of fc.items) {
            if (it.sep &&
                !it.value &&
                !includesToken(it.start, 'explicit-key-ind') &&
                !includesToken(it.sep, 'map-value-ind')) {
                if (it.key)
                    it.value = it.key;
                delete it.key;
                if (isFlowToken(it.value)) {
                    if (it.value.end)
                        arrayPushArray(it.value.end, it.sep);
                    else
                        it.value.end = it.sep;
                }
                else
                    arrayPushArray(it.start, it.sep);
                delete it.sep;
            }
        }
    }
}
/**
 * A YAML concrete syntax tree (CST) parser
 *
 * ```ts
 * const src: string = ...
 * for (const token of new Parser().parse(src)) {
 *   // token: Token
 * }
 * ```
 *
 * To use the parser with a user-provided lexer:
 *
 * ```ts
 * function* parse(source: string, lexer: Lexer) {
 *   const parser = new Parser()
 *   for (const lexeme of lexer.lex(source))
 *     yield* parser.next(lexeme)
 *   yield* parser.end()
 * }
 *
 * const src: string = ...
 * const lexer = new Lexer()
 * for (const token of parse(src, lexer)) {
 *   // token: Token
 * }
 * ```
 */
class Parser {
    /**
     * @param onNewLine - If defined, called separately with the start position of
     *   each new line (in `parse()`, including the start of input).
     */
    constructor(onNewLine) {
        /** If true, space and sequence indicators count as indentation */
        this.atNewLine = true;
        /** If true, next token is a scalar value */
        this.atScalar = false;
        /** Current indentation level */
        this.indent = 0;
        /** Current offset since the start of parsing */
        this.offset = 0;
        /** On the same line with a block map key */
        this.onKeyLine = false;
        /** Top indicates the node that's currently being built */
        this.stack = [];
        /** The source of the current token, set in parse() */
        this.source = '';
        /** The type of the current token, set in parse() */
        this.type = '';
        // Must be defined after `next()`
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
    }
    /**
     * Parse `source` as a YAML stream.
     * If `incomplete`, a part of the last line may be left as a buffer for the next call.
     *
     * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
     *
     * @returns A generator of tokens representing each directive, document, and other structure.
     */
    *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
            this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
            yield* this.next(lexeme);
        if (!incomplete)
            yield* this.end();
    }
    /**
     * Advance the parser by the `source` of one lexical token.
     */
    *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
            console.log('|', cst.prettyToken(source));
        if (this.atScalar) {
            this.atScalar = false;
            yield* this.step();
            this.offset += source.length;
            return;
        }
        const type = cst.tokenType(source);
        if (!type) {
            const message = `Not a YAML token: ${source}`;
            yield* this.pop({ type: 'error', offset: this.offset, message, source });
            this.offset += source.length;
        }
        else if (type === 'scalar') {
            this.atNewLine = false;
            this.atScalar = true;
            this.type = 'scalar';
        }
        else {
            this.type = type;
            yield* this.step();
            switch (type) {
                case 'newline':
                    this.atNewLine = true;
                    this.indent = 0;
                    if (this.onNewLine)
                        this.onNewLine(this.offset + source.length);
                    break;
                case 'space':
                    if (this.atNewLine && source[0] === ' ')
                        this.indent += source.length;
                    break;
                case 'explicit-key-ind':
                case 'map-value-ind':
                case 'seq-item-ind':
                    if (this.atNewLine)
                        this.indent += source.length;
                    break;
                case 'doc-mode':
                case 'flow-error-end':
                    return;
                default:
                    this.atNewLine = false;
            }
            this.offset += source.length;
        }
    }
    /** Call at end of input to push out any remaining constructions */
    *end() {
        while (this.stack.length > 0)
            yield* this.pop();
    }
    get sourceToken() {
        const st = {
            type: this.type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
        return st;
    }
    *step() {
        const top = this.peek(1);
        if (this.type === 'doc-end' && top?.type !== 'doc-end') {
            while (this.stack.length > 0)
                yield* this.pop();
            this.stack.push({
                type: 'doc-end',
                offset: this.offset,
                source: this.source
            });
            return;
        }
        if (!top)
            return yield* this.stream();
        switch (top.type) {
            case 'document':
                return yield* this.document(top);
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return yield* this.scalar(top);
            case 'block-scalar':
                return yield* this.blockScalar(top);
            case 'block-map':
                return yield* this.blockMap(top);
            case 'block-seq':
                return yield* this.blockSequence(top);
            case 'flow-collection':
                return yield* this.flowCollection(top);
            case 'doc-end':
                return yield* this.documentEnd(top);
        }
        /* istanbul ignore next should not happen */
        yield* this.pop();
    }
    peek(n) {
        return this.stack[this.stack.length - n];
    }
    *pop(error) {
        const token = error ?? this.stack.pop();
        /* istanbul ignore if should not happen */
        if (!token) {
            const message = 'Tried to pop an empty stack';
            yield { type: 'error', offset: this.offset, source: '', message };
        }
        else if (this.stack.length === 0) {
            yield token;
        }
        else {
            const top = this.peek(1);
            if (token.type === 'block-scalar') {
                // Block scalars use their parent rather than header indent
                token.indent = 'indent' in top ? top.indent : 0;
            }
            else if (token.type === 'flow-collection' && top.type === 'document') {
                // Ignore all indent for top-level flow collections
                token.indent = 0;
            }
            if (token.type === 'flow-collection')
                fixFlowSeqItems(token);
            switch (top.type) {
                case 'document':
                    top.value = token;
                    break;
                case 'block-scalar':
                    top.props.push(token); // error
                    break;
                case 'block-map': {
                    const it = top.items[top.items.length - 1];
                    if (it.value) {
                        top.items.push({ start: [], key: token, sep: [] });
                        this.onKeyLine = true;
                        return;
                    }
                    else if (it.sep) {
                        it.value = token;
                    }
                    else {
                        Object.assign(it, { key: token, sep: [] });
                        this.onKeyLine = !it.explicitKey;
                        return;
                    }
                    break;
                }
                case 'block-seq': {
                    const it = top.items[top.items.length - 1];
                    if (it.value)
                        top.items.push({ start: [], value: token });
                    else
                        it.value = token;
                    break;
                }
                case 'flow-collection': {
                    const it = top.items[top.items.length - 1];
                    if (!it || it.value)
                        top.items.push({ start: [], key: token, sep: [] });
                    else if (it.sep)
                        it.value = token;
                    else
                        Object.assign(it, { key: token, sep: [] });
                    return;
                }
                /* istanbul ignore next should not happen */
                default:
                    yield* this.pop();
                    yield* this.pop(token);
            }
            if ((top.type === 'document' ||
                top.type === 'block-map' ||
                top.type === 'block-seq') &&
                (token.type === 'block-map' || token.type === 'block-seq')) {
                const last = token.items[token.items.length - 1];
                if (last &&
                    !last.sep &&
                    !last.value &&
                    last.start.length > 0 &&
                    findNonEmptyIndex(last.start) === -1 &&
                    (token.indent === 0 ||
                        last.start.every(st => st.type !== 'comment' || st.indent < token.indent))) {
                    if (top.type === 'document')
                        top.end = last.start;
                    else
                        top.items.push({ start: last.start });
                    token.items.splice(-1, 1);
                }
            }
        }
    }
    *stream() {
        switch (this.type) {
            case 'directive-line':
                yield { type: 'directive', offset: this.offset, source: this.source };
                return;
            case 'byte-order-mark':
            case 'space':
            case 'comment':
            case 'newline':
                yield this.sourceToken;
                return;
            case 'doc-mode':
            case 'doc-start': {
                const doc = {
                    type: 'document',
                    offset: this.offset,
                    start: []
                };
                if (this.type === 'doc-start')
                    doc.start.push(this.sourceToken);
                this.stack.push(doc);
                return;
            }
        }
        yield {
            type: 'error',
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML stream`,
            source: this.source
        };
    }
    *document(doc) {
        if (doc.value)
            return yield* this.lineEnd(doc);
        switch (this.type) {
            case 'doc-start': {
                if (findNonEmptyIndex(doc.start) !== -1) {
                    yield* this.pop();
                    yield* this.step();
                }
                else
                    doc.start.push(this.sourceToken);
                return;
            }
            case 'anchor':
            case 'tag':
            case 'space':
            case 'comment':
            case 'newline':
                doc.start.push(this.sourceToken);
                return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
            this.stack.push(bv);
        else {
            yield {
                type: 'error',
                offset: this.offset,
                message: `Unexpected ${this.type} token in YAML document`,
                source: this.source
            };
        }
    }
    *scalar(scalar) {
        if (this.type === 'map-value-ind') {
            const prev = getPrevProps(this.peek(2));
            const start = getFirstKeyStartProps(prev);
            let sep;
            if (scalar.end) {
                sep = scalar.end;
                sep.push(this.sourceToken);
                delete scalar.end;
            }
            else
                sep = [this.sourceToken];
            const map = {
                type: 'block-map',
                offset: scalar.offset,
                indent: scalar.indent,
                items: [{ start, key: scalar, sep }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
        }
        else
            yield* this.lineEnd(scalar);
    }
    *blockScalar(scalar) {
        switch (this.type) {
            case 'space':
            case 'comment':
            case 'newline':
                scalar.props.push(this.sourceToken);
                return;
            case 'scalar':
                scalar.source = this.source;
                // block-scalar source includes trailing newline
                this.atNewLine = true;
                this.indent = 0;
                if (this.onNewLine) {
                    let nl = this.source.indexOf('\n') + 1;
                    while (nl !== 0) {
                        this.onNewLine(this.offset + nl);
                        nl = this.source.indexOf('\n', nl) + 1;
                    }
                }
                yield* this.pop();
                break;
            /* istanbul ignore next should not happen */
            default:
                yield* this.pop();
                yield* this.step();
        }
    }
    *blockMap(map) {
        const it = map.items[map.items.length - 1];
        // it.sep is true-ish if pair already has key or : separator
        switch (this.type) {
            case 'newline':
                this.onKeyLine = false;
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    it.start.push(this.sourceToken);
                }
                return;
            case 'space':
            case 'comment':
                if (it.value) {
                    map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    if (this.atIndentedComment(it.start, map.indent)) {
                        const prev = map.items[map.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            map.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
        }
        if (this.indent >= map.indent) {
            const atMapIndent = !this.onKeyLine && this.indent === map.indent;
            const atNextItem = atMapIndent &&
                (it.sep || it.explicitKey) &&
                this.type !== 'seq-item-ind';
            // For empty nodes, assign newline-separated not indented empty tokens to following node
            let start = [];
            if (atNextItem && it.sep && !it.value) {
                const nl = [];
                for (let i = 0; i < it.sep.length; ++i) {
                    const st = it.sep[i];
                    switch (st.type) {
                        case 'newline':
                            nl.push(i);
                            break;
                        case 'space':
                            break;
                        case 'comment':
                            if (st.indent > map.indent)
                                nl.length = 0;
                            break;
                        default:
                            nl.length = 0;
                    }
                }
                if (nl.length >= 2)
                    start = it.sep.splice(nl[1]);
            }
            switch (this.type) {
                case 'anchor':
                case 'tag':
                    if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        it.sep.push(this.sourceToken);
                    }
                    else {
                        it.start.push(this.sourceToken);
                    }
                    return;
                case 'explicit-key-ind':
                    if (!it.sep && !it.explicitKey) {
                        it.start.push(this.sourceToken);
                        it.explicitKey = true;
                    }
                    else if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start, explicitKey: true });
                    }
                    else {
                        this.stack.push({
                            type: 'block-map',
                            offset: this.offset,
                            indent: this.indent,
                            items: [{ start: [this.sourceToken], explicitKey: true }]
                        });
                    }
                    this.onKeyLine = true;
                    return;
                case 'map-value-ind':
                    if (it.explicitKey) {
                        if (!it.sep) {
                            if (includesToken(it.start, 'newline')) {
                                Object.assign(it, { key: null, sep: [this.sourceToken] });
                            }
                            else {
                                const start = getFirstKeyStartProps(it.start);
                                this.stack.push({
                                    type: 'block-map',
                                    offset: this.offset,
                                    indent: this.indent,
                                    items: [{ start, key: null, sep: [this.sourceToken] }]
                                });
                            }
                        }
                        else if (it.value) {
                            map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else if (isFlowToken(it.key) &&
                            !includesToken(it.sep, 'newline')) {
                            const start = getFirstKeyStartProps(it.start);
                            const key = it.key;
                            const sep = it.sep;
                            sep.push(this.sourceToken);
                            // @ts-expect-error type guard is wrong here
                            delete it.key;
                            // @ts-expect-error type guard is wrong here
                            delete it.sep;
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key, sep }]
                            });
                        }
                        else if (start.length > 0) {
                            // Not actually at next item
                            it.sep = it.sep.concat(start, this.sourceToken);
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    else {
                        if (!it.sep) {
                            Object.assign(it, { key: null, sep: [this.sourceToken] });
                        }
                        else if (it.value || atNextItem) {
                            map.items.push({ start, key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start: [], key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    this.onKeyLine = true;
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (atNextItem || it.value) {
                        map.items.push({ start, key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        this.stack.push(fs);
                    }
                    else {
                        Object.assign(it, { key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    return;
                }
                default: {
                    const bv = this.startBlockValue(map);
                    if (bv) {
                        if (bv.type === 'block-seq') {
                            if (!it.explicitKey &&
                                it.sep &&
                                !includesToken(it.sep, 'newline')) {
                                yield* this.pop({
                                    type: 'error',
                                    offset: this.offset,
                                    message: 'Unexpected block-seq-ind on same line with key',
                                    source: this.source
                                });
                                return;
                            }
                        }
                        else if (atMapIndent) {
                            map.items.push({ start });
                        }
                        this.stack.push(bv);
                        return;
                    }
                }
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
            case 'newline':
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        seq.items.push({ start: [this.sourceToken] });
                }
                else
                    it.start.push(this.sourceToken);
                return;
            case 'space':
            case 'comment':
                if (it.value)
                    seq.items.push({ start: [this.sourceToken] });
                else {
                    if (this.atIndentedComment(it.start, seq.indent)) {
                        const prev = seq.items[seq.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            seq.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
            case 'anchor':
            case 'tag':
                if (it.value || this.indent <= seq.indent)
                    break;
                it.start.push(this.sourceToken);
                return;
            case 'seq-item-ind':
                if (this.indent !== seq.indent)
                    break;
                if (it.value || includesToken(it.start, 'seq-item-ind'))
                    seq.items.push({ start: [this.sourceToken] });
                else
                    it.start.push(this.sourceToken);
                return;
        }
        if (this.indent > seq.indent) {
            const bv = this.startBlockValue(seq);
            if (bv) {
                this.stack.push(bv);
                return;
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === 'flow-error-end') {
            let top;
            do {
                yield* this.pop();
                top = this.peek(1);
            } while (top?.type === 'flow-collection');
        }
        else if (fc.end.length === 0) {
            switch (this.type) {
                case 'comma':
                case 'explicit-key-ind':
                    if (!it || it.sep)
                        fc.items.push({ start: [this.sourceToken] });
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'map-value-ind':
                    if (!it || it.value)
                        fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        Object.assign(it, { key: null, sep: [this.sourceToken] });
                    return;
                case 'space':
                case 'comment':
                case 'newline':
                case 'anchor':
                case 'tag':
                    if (!it || it.value)
                        fc.items.push({ start: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (!it || it.value)
                        fc.items.push({ start: [], key: fs, sep: [] });
                    else if (it.sep)
                        this.stack.push(fs);
                    else
                        Object.assign(it, { key: fs, sep: [] });
                    return;
                }
                case 'flow-map-end':
                case 'flow-seq-end':
                    fc.end.push(this.sourceToken);
                    return;
            }
            const bv = this.startBlockValue(fc);
            /* istanbul ignore else should not happen */
            if (bv)
                this.stack.push(bv);
            else {
                yield* this.pop();
                yield* this.step();
            }
        }
        else {
            const parent = this.peek(2);
            if (parent.type === 'block-map' &&
                ((this.type === 'map-value-ind' && parent.indent === fc.indent) ||
                    (this.type === 'newline' &&
                        !parent.items[parent.items.length - 1].sep))) {
                yield* this.pop();
                yield* this.step();
            }
            else if (this.type === 'map-value-ind' &&
                parent.type !== 'flow-collection') {
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                fixFlowSeqItems(fc);
                const sep = fc.end.splice(1, fc.end.length);
                sep.push(this.sourceToken);
                const map = {
                    type: 'block-map',
                    offset: fc.offset,
                    indent: fc.indent,
                    items: [{ start, key: fc, sep }]
                };
                this.onKeyLine = true;
                this.stack[this.stack.length - 1] = map;
            }
            else {
                yield* this.lineEnd(fc);
            }
        }
    }
    flowScalar(type) {
        if (this.onNewLine) {
            let nl = this.source.indexOf('\n') + 1;
            while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf('\n', nl) + 1;
            }
        }
        return {
            type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
    }
    startBlockValue(parent) {
        switch (this.type) {
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return this.flowScalar(this.type);
            case 'block-scalar-header':
                return {
                    type: 'block-scalar',
                    offset: this.offset,
                    indent: this.indent,
                    props: [this.sourceToken],
                    source: ''
                };
            case 'flow-map-start':
            case 'flow-seq-start':
                return {
                    type: 'flow-collection',
                    offset: this.offset,
                    indent: this.indent,
                    start: this.sourceToken,
                    items: [],
                    end: []
                };
            case 'seq-item-ind':
                return {
                    type: 'block-seq',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [this.sourceToken] }]
                };
            case 'explicit-key-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                start.push(this.sourceToken);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, explicitKey: true }]
                };
            }
            case 'map-value-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                };
            }
        }
        return null;
    }
    atIndentedComment(start, indent) {
        if (this.type !== 'comment')
            return false;
        if (this.indent <= indent)
            return false;
        return start.every(st => st.type === 'newline' || st.type === 'space');
    }
    *documentEnd(docEnd) {
        if (this.type !== 'doc-mode') {
            if (docEnd.end)
                docEnd.end.push(this.sourceToken);
            else
                docEnd.end = [this.sourceToken];
            if (this.type === 'newline')
                yield* this.pop();
        }
    }
    *lineEnd(token) {
        switch (this.type) {
            case 'comma':
            case 'doc-start':
            case 'doc-end':
            case 'flow-seq-end':
            case 'flow-map-end':
            case 'map-value-ind':
                yield* this.pop();
                yield* this.step();
                break;
            case 'newline':
                this.onKeyLine = false;
            // fallthrough
            case 'space':
            case 'comment':
            default:
                // all other values are errors
                if (token.end)
                    token.end.push(this.sourceToken);
                else
                    token.end = [this.sourceToken];
                if (this.type === 'newline')
                    yield* this.pop();
        }
    }
}

exports.Parser = Parser;


/***/ }),

/***/ 4047:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var log = __nccwpck_require__(7249);
var identity = __nccwpck_require__(1127);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);

function parseOptions(options) {
    const prettyErrors = options.prettyErrors !== false;
    const lineCounter$1 = options.lineCounter || (prettyErrors && new lineCounter.LineCounter()) || null;
    return { lineCounter: lineCounter$1, prettyErrors };
}
/**
 * Parse the input as a stream of YAML documents.
 *
 * Documents should be separated from each other by `...` or `---` marker lines.
 *
 * @returns If an empty `docs` array is returned, it will be of type
 *   EmptyStream and contain additional stream information. In
 *   TypeScript, you should use `'empty' in docs` as a type guard for it.
 */
function parseAllDocuments(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    const docs = Array.from(composer$1.compose(parser$1.parse(source)));
    if (prettyErrors && lineCounter)
        for (const doc of docs) {
            doc.errors.forEach(errors.prettifyError(source, lineCounter));
            doc.warnings.forEach(errors.prettifyError(source, lineCounter));
        }
    if (docs.length > 0)
        return docs;
    return Object.assign([], { empty: true }, composer$1.streamInfo());
}
/** Parse an input string into a single YAML.Document */
function parseDocument(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    // `doc` is always set by compose.end(true) at the very latest
    let doc = null;
    for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
            doc = _doc;
        else if (doc.options.logLevel !== 'silent') {
            doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
            break;
        }
    }
    if (prettyErrors && lineCounter) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter));
    }
    return doc;
}
function parse(src, reviver, options) {
    let _reviver = undefined;
    if (typeof reviver === 'function') {
        _reviver = reviver;
    }
    else if (options === undefined && reviver && typeof reviver === 'object') {
        options = reviver;
    }
    const doc = parseDocument(src, options);
    if (!doc)
        return null;
    doc.warnings.forEach(warning => log.warn(doc.options.logLevel, warning));
    if (doc.errors.length > 0) {
        if (doc.options.logLevel !== 'silent')
            throw doc.errors[0];
        else
            doc.errors = [];
    }
    return doc.toJS(Object.assign({ reviver: _reviver }, options));
}
function stringify(value, replacer, options) {
    let _replacer = null;
    if (typeof replacer === 'function' || Array.isArray(replacer)) {
        _replacer = replacer;
    }
    else if (options === undefined && replacer) {
        options = replacer;
    }
    if (typeof options === 'string')
        options = options.length;
    if (typeof options === 'number') {
        const indent = Math.round(options);
        options = indent < 1 ? undefined : indent > 8 ? { indent: 8 } : { indent };
    }
    if (value === undefined) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
            return undefined;
    }
    if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
    return new Document.Document(value, _replacer, options).toString(options);
}

exports.parse = parse;
exports.parseAllDocuments = parseAllDocuments;
exports.parseDocument = parseDocument;
exports.stringify = stringify;


/***/ }),

/***/ 5840:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var tags = __nccwpck_require__(18);

const sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
class Schema {
    constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat)
            ? tags.getTags(compat, 'compat')
            : compat
                ? tags.getTags(null, compat)
                : null;
        this.name = (typeof schema === 'string' && schema) || 'core';
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        // Used by createMap()
        this.sortMapEntries =
            typeof sortMapEntries === 'function'
                ? sortMapEntries
                : sortMapEntries === true
                    ? sortMapEntriesByKey
                    : null;
    }
    clone() {
        const copy = Object.create(Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
    }
}

exports.Schema = Schema;


/***/ }),

/***/ 7451:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLMap = __nccwpck_require__(4454);

const map = {
    collection: 'map',
    default: true,
    nodeClass: YAMLMap.YAMLMap,
    tag: 'tag:yaml.org,2002:map',
    resolve(map, onError) {
        if (!identity.isMap(map))
            onError('Expected a mapping for this tag');
        return map;
    },
    createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
};

exports.map = map;


/***/ }),

/***/ 3632:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const nullTag = {
    identify: value => value == null,
    createNode: () => new Scalar.Scalar(null),
    default: true,
    tag: 'tag:yaml.org,2002:null',
    test: /^(?:~|[Nn]ull|NULL)?$/,
    resolve: () => new Scalar.Scalar(null),
    stringify: ({ source }, ctx) => typeof source === 'string' && nullTag.test.test(source)
        ? source
        : ctx.options.nullStr
};

exports.nullTag = nullTag;


/***/ }),

/***/ 1706:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLSeq = __nccwpck_require__(2223);

const seq = {
    collection: 'seq',
    default: true,
    nodeClass: YAMLSeq.YAMLSeq,
    tag: 'tag:yaml.org,2002:seq',
    resolve(seq, onError) {
        if (!identity.isSeq(seq))
            onError('Expected a sequence for this tag');
        return seq;
    },
    createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
};

exports.seq = seq;


/***/ }),

/***/ 6464:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyString = __nccwpck_require__(3069);

const string = {
    identify: value => typeof value === 'string',
    default: true,
    tag: 'tag:yaml.org,2002:str',
    resolve: str => str,
    stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
    }
};

exports.string = string;


/***/ }),

/***/ 3959:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const boolTag = {
    identify: value => typeof value === 'boolean',
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
    resolve: str => new Scalar.Scalar(str[0] === 't' || str[0] === 'T'),
    stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
            const sv = source[0] === 't' || source[0] === 'T';
            if (value === sv)
                return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
};

exports.boolTag = boolTag;


/***/ }),

/***/ 8405:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(8689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: str => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
    resolve: str => parseFloat(str),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str));
        const dot = str.indexOf('.');
        if (dot !== -1 && str[str.length - 1] === '0')
            node.minFractionDigits = str.length - dot - 1;
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 9874:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
const intResolve = (str, offset, radix, { intAsBigInt }) => (intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix));
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
    return stringifyNumber.stringifyNumber(node);
}
const intOct = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^0o[0-7]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
    stringify: node => intStringify(node, 8, '0o')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^0x[0-9a-fA-F]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 896:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.boolTag,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float
];

exports.schema = schema;


/***/ }),

/***/ 3559:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);

function intIdentify(value) {
    return typeof value === 'bigint' || Number.isInteger(value);
}
const stringifyJSON = ({ value }) => JSON.stringify(value);
const jsonScalars = [
    {
        identify: value => typeof value === 'string',
        default: true,
        tag: 'tag:yaml.org,2002:str',
        resolve: str => str,
        stringify: stringifyJSON
    },
    {
        identify: value => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: 'tag:yaml.org,2002:null',
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
    },
    {
        identify: value => typeof value === 'boolean',
        default: true,
        tag: 'tag:yaml.org,2002:bool',
        test: /^true$|^false$/,
        resolve: str => str === 'true',
        stringify: stringifyJSON
    },
    {
        identify: intIdentify,
        default: true,
        tag: 'tag:yaml.org,2002:int',
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
    },
    {
        identify: value => typeof value === 'number',
        default: true,
        tag: 'tag:yaml.org,2002:float',
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: str => parseFloat(str),
        stringify: stringifyJSON
    }
];
const jsonError = {
    default: true,
    tag: '',
    test: /^/,
    resolve(str, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
        return str;
    }
};
const schema = [map.map, seq.seq].concat(jsonScalars, jsonError);

exports.schema = schema;


/***/ }),

/***/ 18:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);
var schema = __nccwpck_require__(896);
var schema$1 = __nccwpck_require__(3559);
var binary = __nccwpck_require__(6083);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var schema$2 = __nccwpck_require__(5913);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schemas = new Map([
    ['core', schema.schema],
    ['failsafe', [map.map, seq.seq, string.string]],
    ['json', schema$1.schema],
    ['yaml11', schema$2.schema],
    ['yaml-1.1', schema$2.schema]
]);
const tagsByName = {
    binary: binary.binary,
    bool: bool.boolTag,
    float: float.float,
    floatExp: float.floatExp,
    floatNaN: float.floatNaN,
    floatTime: timestamp.floatTime,
    int: int.int,
    intHex: int.intHex,
    intOct: int.intOct,
    intTime: timestamp.intTime,
    map: map.map,
    merge: merge.merge,
    null: _null.nullTag,
    omap: omap.omap,
    pairs: pairs.pairs,
    seq: seq.seq,
    set: set.set,
    timestamp: timestamp.timestamp
};
const coreKnownTags = {
    'tag:yaml.org,2002:binary': binary.binary,
    'tag:yaml.org,2002:merge': merge.merge,
    'tag:yaml.org,2002:omap': omap.omap,
    'tag:yaml.org,2002:pairs': pairs.pairs,
    'tag:yaml.org,2002:set': set.set,
    'tag:yaml.org,2002:timestamp': timestamp.timestamp
};
function getTags(customTags, schemaName, addMergeTag) {
    const schemaTags = schemas.get(schemaName);
    if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge)
            ? schemaTags.concat(merge.merge)
            : schemaTags.slice();
    }
    let tags = schemaTags;
    if (!tags) {
        if (Array.isArray(customTags))
            tags = [];
        else {
            const keys = Array.from(schemas.keys())
                .filter(key => key !== 'yaml11')
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
    }
    if (Array.isArray(customTags)) {
        for (const tag of customTags)
            tags = tags.concat(tag);
    }
    else if (typeof customTags === 'function') {
        tags = customTags(tags.slice());
    }
    if (addMergeTag)
        tags = tags.concat(merge.merge);
    return tags.reduce((tags, tag) => {
        const tagObj = typeof tag === 'string' ? tagsByName[tag] : tag;
        if (!tagObj) {
            const tagName = JSON.stringify(tag);
            const keys = Object.keys(tagsByName)
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags.includes(tagObj))
            tags.push(tagObj);
        return tags;
    }, []);
}

exports.coreKnownTags = coreKnownTags;
exports.getTags = getTags;


/***/ }),

/***/ 6083:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_buffer = __nccwpck_require__(181);
var Scalar = __nccwpck_require__(3301);
var stringifyString = __nccwpck_require__(3069);

const binary = {
    identify: value => value instanceof Uint8Array, // Buffer inherits from Uint8Array
    default: false,
    tag: 'tag:yaml.org,2002:binary',
    /**
     * Returns a Buffer in node and an Uint8Array in browsers
     *
     * To use the resulting buffer as an image, you'll want to do something like:
     *
     *   const blob = new Blob([buffer], { type: 'image/jpeg' })
     *   document.querySelector('#photo').src = URL.createObjectURL(blob)
     */
    resolve(src, onError) {
        if (typeof node_buffer.Buffer === 'function') {
            return node_buffer.Buffer.from(src, 'base64');
        }
        else if (typeof atob === 'function') {
            // On IE 11, atob() can't handle newlines
            const str = atob(src.replace(/[\n\r]/g, ''));
            const buffer = new Uint8Array(str.length);
            for (let i = 0; i < str.length; ++i)
                buffer[i] = str.charCodeAt(i);
            return buffer;
        }
        else {
            onError('This environment does not support reading binary tags; either Buffer or atob is required');
            return src;
        }
    },
    stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
            return '';
        const buf = value; // checked earlier by binary.identify()
        let str;
        if (typeof node_buffer.Buffer === 'function') {
            str =
                buf instanceof node_buffer.Buffer
                    ? buf.toString('base64')
                    : node_buffer.Buffer.from(buf.buffer).toString('base64');
        }
        else if (typeof btoa === 'function') {
            let s = '';
            for (let i = 0; i < buf.length; ++i)
                s += String.fromCharCode(buf[i]);
            str = btoa(s);
        }
        else {
            throw new Error('This environment does not support writing binary tags; either Buffer or btoa is required');
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
            const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
            const n = Math.ceil(str.length / lineWidth);
            const lines = new Array(n);
            for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
                lines[i] = str.substr(o, lineWidth);
            }
            str = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? '\n' : ' ');
        }
        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
    }
};

exports.binary = binary;


/***/ }),

/***/ 8398:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function boolStringify({ value, source }, ctx) {
    const boolObj = value ? trueTag : falseTag;
    if (source && boolObj.test.test(source))
        return source;
    return value ? ctx.options.trueStr : ctx.options.falseStr;
}
const trueTag = {
    identify: value => value === true,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
    resolve: () => new Scalar.Scalar(true),
    stringify: boolStringify
};
const falseTag = {
    identify: value => value === false,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    resolve: () => new Scalar.Scalar(false),
    stringify: boolStringify
};

exports.falseTag = falseTag;
exports.trueTag = trueTag;


/***/ }),

/***/ 5782:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(8689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: (str) => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
    resolve: (str) => parseFloat(str.replace(/_/g, '')),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str.replace(/_/g, '')));
        const dot = str.indexOf('.');
        if (dot !== -1) {
            const f = str.substring(dot + 1).replace(/_/g, '');
            if (f[f.length - 1] === '0')
                node.minFractionDigits = f.length;
        }
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 873:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
function intResolve(str, offset, radix, { intAsBigInt }) {
    const sign = str[0];
    if (sign === '-' || sign === '+')
        offset += 1;
    str = str.substring(offset).replace(/_/g, '');
    if (intAsBigInt) {
        switch (radix) {
            case 2:
                str = `0b${str}`;
                break;
            case 8:
                str = `0o${str}`;
                break;
            case 16:
                str = `0x${str}`;
                break;
        }
        const n = BigInt(str);
        return sign === '-' ? BigInt(-1) * n : n;
    }
    const n = parseInt(str, radix);
    return sign === '-' ? -1 * n : n;
}
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value)) {
        const str = value.toString(radix);
        return value < 0 ? '-' + prefix + str.substr(1) : prefix + str;
    }
    return stringifyNumber.stringifyNumber(node);
}
const intBin = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'BIN',
    test: /^[-+]?0b[0-1_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
    stringify: node => intStringify(node, 2, '0b')
};
const intOct = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^[-+]?0[0-7_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
    stringify: node => intStringify(node, 8, '0')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9][0-9_]*$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^[-+]?0x[0-9a-fA-F_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intBin = intBin;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 452:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

// If the value associated with a merge key is a single mapping node, each of
// its key/value pairs is inserted into the current mapping, unless the key
// already exists in it. If the value associated with the merge key is a
// sequence, then this sequence is expected to contain mapping nodes and each
// of these nodes is merged in turn according to its order in the sequence.
// Keys in mapping nodes earlier in the sequence override keys specified in
// later mapping nodes. -- http://yaml.org/type/merge.html
const MERGE_KEY = '<<';
const merge = {
    identify: value => value === MERGE_KEY ||
        (typeof value === 'symbol' && value.description === MERGE_KEY),
    default: 'key',
    tag: 'tag:yaml.org,2002:merge',
    test: /^<<$/,
    resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
    }),
    stringify: () => MERGE_KEY
};
const isMergeKey = (ctx, key) => (merge.identify(key) ||
    (identity.isScalar(key) &&
        (!key.type || key.type === Scalar.Scalar.PLAIN) &&
        merge.identify(key.value))) &&
    ctx?.doc.schema.tags.some(tag => tag.tag === merge.tag && tag.default);
function addMergeToJSMap(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (identity.isSeq(source))
        for (const it of source.items)
            mergeValue(ctx, map, it);
    else if (Array.isArray(source))
        for (const it of source)
            mergeValue(ctx, map, it);
    else
        mergeValue(ctx, map, source);
}
function mergeValue(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (!identity.isMap(source))
        throw new Error('Merge sources must be maps or map aliases');
    const srcMap = source.toJSON(null, ctx, Map);
    for (const [key, value] of srcMap) {
        if (map instanceof Map) {
            if (!map.has(key))
                map.set(key, value);
        }
        else if (map instanceof Set) {
            map.add(key);
        }
        else if (!Object.prototype.hasOwnProperty.call(map, key)) {
            Object.defineProperty(map, key, {
                value,
                writable: true,
                enumerable: true,
                configurable: true
            });
        }
    }
    return map;
}
function resolveAliasValue(ctx, value) {
    return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
}

exports.addMergeToJSMap = addMergeToJSMap;
exports.isMergeKey = isMergeKey;
exports.merge = merge;


/***/ }),

/***/ 303:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var pairs = __nccwpck_require__(8385);

class YAMLOMap extends YAMLSeq.YAMLSeq {
    constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = YAMLOMap.tag;
    }
    /**
     * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
     * but TypeScript won't allow widening the signature of a child method.
     */
    toJSON(_, ctx) {
        if (!ctx)
            return super.toJSON(_);
        const map = new Map();
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const pair of this.items) {
            let key, value;
            if (identity.isPair(pair)) {
                key = toJS.toJS(pair.key, '', ctx);
                value = toJS.toJS(pair.value, key, ctx);
            }
            else {
                key = toJS.toJS(pair, '', ctx);
            }
            if (map.has(key))
                throw new Error('Ordered maps must not include duplicate keys');
            map.set(key, value);
        }
        return map;
    }
    static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap = new this();
        omap.items = pairs$1.items;
        return omap;
    }
}
YAMLOMap.tag = 'tag:yaml.org,2002:omap';
const omap = {
    collection: 'seq',
    identify: value => value instanceof Map,
    nodeClass: YAMLOMap,
    default: false,
    tag: 'tag:yaml.org,2002:omap',
    resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
            if (identity.isScalar(key)) {
                if (seenKeys.includes(key.value)) {
                    onError(`Ordered maps must not include duplicate keys: ${key.value}`);
                }
                else {
                    seenKeys.push(key.value);
                }
            }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
    },
    createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
};

exports.YAMLOMap = YAMLOMap;
exports.omap = omap;


/***/ }),

/***/ 8385:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLSeq = __nccwpck_require__(2223);

function resolvePairs(seq, onError) {
    if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
            let item = seq.items[i];
            if (identity.isPair(item))
                continue;
            else if (identity.isMap(item)) {
                if (item.items.length > 1)
                    onError('Each pair must have its own sequence indicator');
                const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
                if (item.commentBefore)
                    pair.key.commentBefore = pair.key.commentBefore
                        ? `${item.commentBefore}\n${pair.key.commentBefore}`
                        : item.commentBefore;
                if (item.comment) {
                    const cn = pair.value ?? pair.key;
                    cn.comment = cn.comment
                        ? `${item.comment}\n${cn.comment}`
                        : item.comment;
                }
                item = pair;
            }
            seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
    }
    else
        onError('Expected a sequence for this tag');
    return seq;
}
function createPairs(schema, iterable, ctx) {
    const { replacer } = ctx;
    const pairs = new YAMLSeq.YAMLSeq(schema);
    pairs.tag = 'tag:yaml.org,2002:pairs';
    let i = 0;
    if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
            if (typeof replacer === 'function')
                it = replacer.call(iterable, String(i++), it);
            let key, value;
            if (Array.isArray(it)) {
                if (it.length === 2) {
                    key = it[0];
                    value = it[1];
                }
                else
                    throw new TypeError(`Expected [key, value] tuple: ${it}`);
            }
            else if (it && it instanceof Object) {
                const keys = Object.keys(it);
                if (keys.length === 1) {
                    key = keys[0];
                    value = it[key];
                }
                else {
                    throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
                }
            }
            else {
                key = it;
            }
            pairs.items.push(Pair.createPair(key, value, ctx));
        }
    return pairs;
}
const pairs = {
    collection: 'seq',
    default: false,
    tag: 'tag:yaml.org,2002:pairs',
    resolve: resolvePairs,
    createNode: createPairs
};

exports.createPairs = createPairs;
exports.pairs = pairs;
exports.resolvePairs = resolvePairs;


/***/ }),

/***/ 5913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var binary = __nccwpck_require__(6083);
var bool = __nccwpck_require__(8398);
var float = __nccwpck_require__(5782);
var int = __nccwpck_require__(873);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.trueTag,
    bool.falseTag,
    int.intBin,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float,
    binary.binary,
    merge.merge,
    omap.omap,
    pairs.pairs,
    set.set,
    timestamp.intTime,
    timestamp.floatTime,
    timestamp.timestamp
];

exports.schema = schema;


/***/ }),

/***/ 1528:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);

class YAMLSet extends YAMLMap.YAMLMap {
    constructor(schema) {
        super(schema);
        this.tag = YAMLSet.tag;
    }
    add(key) {
        let pair;
        if (identity.isPair(key))
            pair = key;
        else if (key &&
            typeof key === 'object' &&
            'key' in key &&
            'value' in key &&
            key.value === null)
            pair = new Pair.Pair(key.key, null);
        else
            pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
            this.items.push(pair);
    }
    /**
     * If `keepPair` is `true`, returns the Pair matching `key`.
     * Otherwise, returns the value of that Pair's key.
     */
    get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair)
            ? identity.isScalar(pair.key)
                ? pair.key.value
                : pair.key
            : pair;
    }
    set(key, value) {
        if (typeof value !== 'boolean')
            throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
            this.items.splice(this.items.indexOf(prev), 1);
        }
        else if (!prev && value) {
            this.items.push(new Pair.Pair(key));
        }
    }
    toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        if (this.hasAllNullValues(true))
            return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
            throw new Error('Set items must all have null values');
    }
    static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
            for (let value of iterable) {
                if (typeof replacer === 'function')
                    value = replacer.call(iterable, value, value);
                set.items.push(Pair.createPair(value, null, ctx));
            }
        return set;
    }
}
YAMLSet.tag = 'tag:yaml.org,2002:set';
const set = {
    collection: 'map',
    identify: value => value instanceof Set,
    nodeClass: YAMLSet,
    default: false,
    tag: 'tag:yaml.org,2002:set',
    createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
    resolve(map, onError) {
        if (identity.isMap(map)) {
            if (map.hasAllNullValues(true))
                return Object.assign(new YAMLSet(), map);
            else
                onError('Set items must all have null values');
        }
        else
            onError('Expected a mapping for this tag');
        return map;
    }
};

exports.YAMLSet = YAMLSet;
exports.set = set;


/***/ }),

/***/ 6752:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

/** Internal types handle bigint as number, because TS can't figure it out. */
function parseSexagesimal(str, asBigInt) {
    const sign = str[0];
    const parts = sign === '-' || sign === '+' ? str.substring(1) : str;
    const num = (n) => asBigInt ? BigInt(n) : Number(n);
    const res = parts
        .replace(/_/g, '')
        .split(':')
        .reduce((res, p) => res * num(60) + num(p), num(0));
    return (sign === '-' ? num(-1) * res : res);
}
/**
 * hhhh:mm:ss.sss
 *
 * Internal types handle bigint as number, because TS can't figure it out.
 */
function stringifySexagesimal(node) {
    let { value } = node;
    let num = (n) => n;
    if (typeof value === 'bigint')
        num = n => BigInt(n);
    else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
    let sign = '';
    if (value < 0) {
        sign = '-';
        value *= num(-1);
    }
    const _60 = num(60);
    const parts = [value % _60]; // seconds, including ms
    if (value < 60) {
        parts.unshift(0); // at least one : is required
    }
    else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60); // minutes
        if (value >= 60) {
            value = (value - parts[0]) / _60;
            parts.unshift(value); // hours
        }
    }
    return (sign +
        parts
            .map(n => String(n).padStart(2, '0'))
            .join(':')
            .replace(/000000\d*$/, '') // % 60 may introduce error
    );
}
const intTime = {
    identify: value => typeof value === 'bigint' || Number.isInteger(value),
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
    resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
    stringify: stringifySexagesimal
};
const floatTime = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
    resolve: str => parseSexagesimal(str, false),
    stringify: stringifySexagesimal
};
const timestamp = {
    identify: value => value instanceof Date,
    default: true,
    tag: 'tag:yaml.org,2002:timestamp',
    // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
    // may be omitted altogether, resulting in a date format. In such a case, the time part is
    // assumed to be 00:00:00Z (start of day, UTC).
    test: RegExp('^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})' + // YYYY-Mm-Dd
        '(?:' + // time is optional
        '(?:t|T|[ \\t]+)' + // t | T | whitespace
        '([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)' + // Hh:Mm:Ss(.ss)?
        '(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?' + // Z | +5 | -03:30
        ')?$'),
    resolve(str) {
        const match = str.match(timestamp.test);
        if (!match)
            throw new Error('!!timestamp expects a date, starting with yyyy-mm-dd');
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + '00').substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== 'Z') {
            let d = parseSexagesimal(tz, false);
            if (Math.abs(d) < 30)
                d *= 60;
            date -= 60000 * d;
        }
        return new Date(date);
    },
    stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, '') ?? ''
};

exports.floatTime = floatTime;
exports.intTime = intTime;
exports.timestamp = timestamp;


/***/ }),

/***/ 4475:
/***/ ((__unused_webpack_module, exports) => {



const FOLD_FLOW = 'flow';
const FOLD_BLOCK = 'block';
const FOLD_QUOTED = 'quoted';
/**
 * Tries to keep input at up to `lineWidth` characters, splitting only on spaces
 * not followed by newlines or spaces unless `mode` is `'quoted'`. Lines are
 * terminated with `\n` and started with `indent`.
 */
function foldFlowLines(text, indent, mode = 'flow', { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
    if (!lineWidth || lineWidth < 0)
        return text;
    if (lineWidth < minContentWidth)
        minContentWidth = 0;
    const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
    if (text.length <= endStep)
        return text;
    const folds = [];
    const escapedFolds = {};
    let end = lineWidth - indent.length;
    if (typeof indentAtStart === 'number') {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
            folds.push(0);
        else
            end = lineWidth - indentAtStart;
    }
    let split = undefined;
    let prev = undefined;
    let overflow = false;
    let i = -1;
    let escStart = -1;
    let escEnd = -1;
    if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text, i, indent.length);
        if (i !== -1)
            end = i + endStep;
    }
    for (let ch; (ch = text[(i += 1)]);) {
        if (mode === FOLD_QUOTED && ch === '\\') {
            escStart = i;
            switch (text[i + 1]) {
                case 'x':
                    i += 3;
                    break;
                case 'u':
                    i += 5;
                    break;
                case 'U':
                    i += 9;
                    break;
                default:
                    i += 1;
            }
            escEnd = i;
        }
        if (ch === '\n') {
            if (mode === FOLD_BLOCK)
                i = consumeMoreIndentedLines(text, i, indent.length);
            end = i + indent.length + endStep;
            split = undefined;
        }
        else {
            if (ch === ' ' &&
                prev &&
                prev !== ' ' &&
                prev !== '\n' &&
                prev !== '\t') {
                // space surrounded by non-space can be replaced with newline + indent
                const next = text[i + 1];
                if (next && next !== ' ' && next !== '\n' && next !== '\t')
                    split = i;
            }
            if (i >= end) {
                if (split) {
                    folds.push(split);
                    end = split + endStep;
                    split = undefined;
                }
                else if (mode === FOLD_QUOTED) {
                    // white-space collected at end may stretch past lineWidth
                    while (prev === ' ' || prev === '\t') {
                        prev = ch;
                        ch = text[(i += 1)];
                        overflow = true;
                    }
                    // Account for newline escape, but don't break preceding escape
                    const j = i > escEnd + 1 ? i - 2 : escStart - 1;
                    // Bail out if lineWidth & minContentWidth are shorter than an escape string
                    if (escapedFolds[j])
                        return text;
                    folds.push(j);
                    escapedFolds[j] = true;
                    end = j + endStep;
                    split = undefined;
                }
                else {
                    overflow = true;
                }
            }
        }
        prev = ch;
    }
    if (overflow && onOverflow)
        onOverflow();
    if (folds.length === 0)
        return text;
    if (onFold)
        onFold();
    let res = text.slice(0, folds[0]);
    for (let i = 0; i < folds.length; ++i) {
        const fold = folds[i];
        const end = folds[i + 1] || text.length;
        if (fold === 0)
            res = `\n${indent}${text.slice(0, end)}`;
        else {
            if (mode === FOLD_QUOTED && escapedFolds[fold])
                res += `${text[fold]}\\`;
            res += `\n${indent}${text.slice(fold + 1, end)}`;
        }
    }
    return res;
}
/**
 * Presumes `i + 1` is at the start of a line
 * @returns index of last newline in more-indented block
 */
function consumeMoreIndentedLines(text, i, indent) {
    let end = i;
    let start = i + 1;
    let ch = text[start];
    while (ch === ' ' || ch === '\t') {
        if (i < start + indent) {
            ch = text[++i];
        }
        else {
            do {
                ch = text[++i];
            } while (ch && ch !== '\n');
            end = i;
            start = i + 1;
            ch = text[start];
        }
    }
    return end;
}

exports.FOLD_BLOCK = FOLD_BLOCK;
exports.FOLD_FLOW = FOLD_FLOW;
exports.FOLD_QUOTED = FOLD_QUOTED;
exports.foldFlowLines = foldFlowLines;


/***/ }),

/***/ 2148:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var identity = __nccwpck_require__(1127);
var stringifyComment = __nccwpck_require__(9799);
var stringifyString = __nccwpck_require__(3069);

function createStringifyContext(doc, options) {
    const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: 'PLAIN',
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: 'false',
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: 'null',
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: 'true',
        verifyAliasOrder: true
    }, doc.schema.toStringOptions, options);
    let inFlow;
    switch (opt.collectionStyle) {
        case 'block':
            inFlow = false;
            break;
        case 'flow':
            inFlow = true;
            break;
        default:
            inFlow = null;
    }
    return {
        anchors: new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? ' ' : '',
        indent: '',
        indentStep: typeof opt.indent === 'number' ? ' '.repeat(opt.indent) : '  ',
        inFlow,
        options: opt
    };
}
function getTagObject(tags, item) {
    if (item.tag) {
        const match = tags.filter(t => t.tag === item.tag);
        if (match.length > 0)
            return match.find(t => t.format === item.format) ?? match[0];
    }
    let tagObj = undefined;
    let obj;
    if (identity.isScalar(item)) {
        obj = item.value;
        let match = tags.filter(t => t.identify?.(obj));
        if (match.length > 1) {
            const testMatch = match.filter(t => t.test);
            if (testMatch.length > 0)
                match = testMatch;
        }
        tagObj =
            match.find(t => t.format === item.format) ?? match.find(t => !t.format);
    }
    else {
        obj = item;
        tagObj = tags.find(t => t.nodeClass && obj instanceof t.nodeClass);
    }
    if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? 'null' : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
    }
    return tagObj;
}
// needs to be called before value stringifier to allow for circular anchor refs
function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
    if (!doc.directives)
        return '';
    const props = [];
    const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
    if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
    }
    const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
    if (tag)
        props.push(doc.directives.tagString(tag));
    return props.join(' ');
}
function stringify(item, ctx, onComment, onChompKeep) {
    if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
    if (identity.isAlias(item)) {
        if (ctx.doc.directives)
            return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
            throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        }
        else {
            if (ctx.resolvedAliases)
                ctx.resolvedAliases.add(item);
            else
                ctx.resolvedAliases = new Set([item]);
            item = item.resolve(ctx.doc);
        }
    }
    let tagObj = undefined;
    const node = identity.isNode(item)
        ? item
        : ctx.doc.createNode(item, { onTagObj: o => (tagObj = o) });
    tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
    const props = stringifyProps(node, tagObj, ctx);
    if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
    const str = typeof tagObj.stringify === 'function'
        ? tagObj.stringify(node, ctx, onComment, onChompKeep)
        : identity.isScalar(node)
            ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep)
            : node.toString(ctx, onComment, onChompKeep);
    if (!props)
        return str;
    return identity.isScalar(node) || str[0] === '{' || str[0] === '['
        ? `${props} ${str}`
        : `${props}\n${ctx.indent}${str}`;
}

exports.createStringifyContext = createStringifyContext;
exports.stringify = stringify;


/***/ }),

/***/ 1212:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyCollection(collection, ctx, options) {
    const flow = ctx.inFlow ?? collection.flow;
    const stringify = flow ? stringifyFlowCollection : stringifyBlockCollection;
    return stringify(collection, ctx, options);
}
function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
    const { indent, options: { commentString } } = ctx;
    const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
    let chompKeep = false; // flag for the preceding node's status
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (!chompKeep && item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (!chompKeep && ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
            }
        }
        chompKeep = false;
        let str = stringify.stringify(item, itemCtx, () => (comment = null), () => (chompKeep = true));
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        if (chompKeep && comment)
            chompKeep = false;
        lines.push(blockItemPrefix + str);
    }
    let str;
    if (lines.length === 0) {
        str = flowChars.start + flowChars.end;
    }
    else {
        str = lines[0];
        for (let i = 1; i < lines.length; ++i) {
            const line = lines[i];
            str += line ? `\n${indent}${line}` : '\n';
        }
    }
    if (comment) {
        str += '\n' + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
            onComment();
    }
    else if (chompKeep && onChompKeep)
        onChompKeep();
    return str;
}
function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
    const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
    itemIndent += indentStep;
    const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
    });
    let reqNewline = false;
    let linesAtValue = 0;
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, false);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, false);
                if (ik.comment)
                    reqNewline = true;
            }
            const iv = identity.isNode(item.value) ? item.value : null;
            if (iv) {
                if (iv.comment)
                    comment = iv.comment;
                if (iv.commentBefore)
                    reqNewline = true;
            }
            else if (item.value == null && ik?.comment) {
                comment = ik.comment;
            }
        }
        if (comment)
            reqNewline = true;
        let str = stringify.stringify(item, itemCtx, () => (comment = null));
        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes('\n'));
        if (i < items.length - 1) {
            str += ',';
        }
        else if (ctx.options.trailingComma) {
            if (ctx.options.lineWidth > 0) {
                reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) +
                    (str.length + 2) >
                    ctx.options.lineWidth);
            }
            if (reqNewline) {
                str += ',';
            }
        }
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        lines.push(str);
        linesAtValue = lines.length;
    }
    const { start, end } = flowChars;
    if (lines.length === 0) {
        return start + end;
    }
    else {
        if (!reqNewline) {
            const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
            reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
            let str = start;
            for (const line of lines)
                str += line ? `\n${indentStep}${indent}${line}` : '\n';
            return `${str}\n${indent}${end}`;
        }
        else {
            return `${start}${fcPadding}${lines.join(' ')}${fcPadding}${end}`;
        }
    }
}
function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
    if (comment && chompKeep)
        comment = comment.replace(/^\n+/, '');
    if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines.push(ic.trimStart()); // Avoid double indent on first line
    }
}

exports.stringifyCollection = stringifyCollection;


/***/ }),

/***/ 9799:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringifies a comment.
 *
 * Empty comment lines are left empty,
 * lines consisting of a single space are replaced by `#`,
 * and all other lines are prefixed with a `#`.
 */
const stringifyComment = (str) => str.replace(/^(?!$)(?: $)?/gm, '#');
function indentComment(comment, indent) {
    if (/^\n+$/.test(comment))
        return comment.substring(1);
    return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
}
const lineComment = (str, indent, comment) => str.endsWith('\n')
    ? indentComment(comment, indent)
    : comment.includes('\n')
        ? '\n' + indentComment(comment, indent)
        : (str.endsWith(' ') ? '' : ' ') + comment;

exports.indentComment = indentComment;
exports.lineComment = lineComment;
exports.stringifyComment = stringifyComment;


/***/ }),

/***/ 6829:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyDocument(doc, options) {
    const lines = [];
    let hasDirectives = options.directives === true;
    if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
            lines.push(dir);
            hasDirectives = true;
        }
        else if (doc.directives.docStart)
            hasDirectives = true;
    }
    if (hasDirectives)
        lines.push('---');
    const ctx = stringify.createStringifyContext(doc, options);
    const { commentString } = ctx.options;
    if (doc.commentBefore) {
        if (lines.length !== 1)
            lines.unshift('');
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ''));
    }
    let chompKeep = false;
    let contentComment = null;
    if (doc.contents) {
        if (identity.isNode(doc.contents)) {
            if (doc.contents.spaceBefore && hasDirectives)
                lines.push('');
            if (doc.contents.commentBefore) {
                const cs = commentString(doc.contents.commentBefore);
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            // top-level block scalars need to be indented if followed by a comment
            ctx.forceBlockIndent = !!doc.comment;
            contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? undefined : () => (chompKeep = true);
        let body = stringify.stringify(doc.contents, ctx, () => (contentComment = null), onChompKeep);
        if (contentComment)
            body += stringifyComment.lineComment(body, '', commentString(contentComment));
        if ((body[0] === '|' || body[0] === '>') &&
            lines[lines.length - 1] === '---') {
            // Top-level block scalars with a preceding doc marker ought to use the
            // same line for their header.
            lines[lines.length - 1] = `--- ${body}`;
        }
        else
            lines.push(body);
    }
    else {
        lines.push(stringify.stringify(doc.contents, ctx));
    }
    if (doc.directives?.docEnd) {
        if (doc.comment) {
            const cs = commentString(doc.comment);
            if (cs.includes('\n')) {
                lines.push('...');
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            else {
                lines.push(`... ${cs}`);
            }
        }
        else {
            lines.push('...');
        }
    }
    else {
        let dc = doc.comment;
        if (dc && chompKeep)
            dc = dc.replace(/^\n+/, '');
        if (dc) {
            if ((!chompKeep || contentComment) && lines[lines.length - 1] !== '')
                lines.push('');
            lines.push(stringifyComment.indentComment(commentString(dc), ''));
        }
    }
    return lines.join('\n') + '\n';
}

exports.stringifyDocument = stringifyDocument;


/***/ }),

/***/ 8689:
/***/ ((__unused_webpack_module, exports) => {



function stringifyNumber({ format, minFractionDigits, tag, value }) {
    if (typeof value === 'bigint')
        return String(value);
    const num = typeof value === 'number' ? value : Number(value);
    if (!isFinite(num))
        return isNaN(num) ? '.nan' : num < 0 ? '-.inf' : '.inf';
    let n = Object.is(value, -0) ? '-0' : JSON.stringify(value);
    if (!format &&
        minFractionDigits &&
        (!tag || tag === 'tag:yaml.org,2002:float') &&
        /^-?\d/.test(n) &&
        !n.includes('e')) {
        let i = n.indexOf('.');
        if (i < 0) {
            i = n.length;
            n += '.';
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
            n += '0';
    }
    return n;
}

exports.stringifyNumber = stringifyNumber;


/***/ }),

/***/ 9748:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
    const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
    let keyComment = (identity.isNode(key) && key.comment) || null;
    if (simpleKeys) {
        if (keyComment) {
            throw new Error('With simple keys, key nodes cannot have comments');
        }
        if (identity.isCollection(key) || (!identity.isNode(key) && typeof key === 'object')) {
            const msg = 'With simple keys, collection cannot be used as a key value';
            throw new Error(msg);
        }
    }
    let explicitKey = !simpleKeys &&
        (!key ||
            (keyComment && value == null && !ctx.inFlow) ||
            identity.isCollection(key) ||
            (identity.isScalar(key)
                ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL
                : typeof key === 'object'));
    ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
    });
    let keyCommentDone = false;
    let chompKeep = false;
    let str = stringify.stringify(key, ctx, () => (keyCommentDone = true), () => (chompKeep = true));
    if (!explicitKey && !ctx.inFlow && str.length > 1024) {
        if (simpleKeys)
            throw new Error('With simple keys, single line scalar must not span more than 1024 characters');
        explicitKey = true;
    }
    if (ctx.inFlow) {
        if (allNullValues || value == null) {
            if (keyCommentDone && onComment)
                onComment();
            return str === '' ? '?' : explicitKey ? `? ${str}` : str;
        }
    }
    else if ((allNullValues && !simpleKeys) || (value == null && explicitKey)) {
        str = `? ${str}`;
        if (keyComment && !keyCommentDone) {
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        }
        else if (chompKeep && onChompKeep)
            onChompKeep();
        return str;
    }
    if (keyCommentDone)
        keyComment = null;
    if (explicitKey) {
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        str = `? ${str}\n${indent}:`;
    }
    else {
        str = `${str}:`;
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
    }
    let vsb, vcb, valueComment;
    if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
    }
    else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === 'object')
            value = doc.createNode(value);
    }
    ctx.implicitKey = false;
    if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str.length + 1;
    chompKeep = false;
    if (!indentSeq &&
        indentStep.length >= 2 &&
        !ctx.inFlow &&
        !explicitKey &&
        identity.isSeq(value) &&
        !value.flow &&
        !value.tag &&
        !value.anchor) {
        // If indentSeq === false, consider '- ' as part of indentation where possible
        ctx.indent = ctx.indent.substring(2);
    }
    let valueCommentDone = false;
    const valueStr = stringify.stringify(value, ctx, () => (valueCommentDone = true), () => (chompKeep = true));
    let ws = ' ';
    if (keyComment || vsb || vcb) {
        ws = vsb ? '\n' : '';
        if (vcb) {
            const cs = commentString(vcb);
            ws += `\n${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === '' && !ctx.inFlow) {
            if (ws === '\n' && valueComment)
                ws = '\n\n';
        }
        else {
            ws += `\n${ctx.indent}`;
        }
    }
    else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf('\n');
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
            let hasPropsLine = false;
            if (hasNewline && (vs0 === '&' || vs0 === '!')) {
                let sp0 = valueStr.indexOf(' ');
                if (vs0 === '&' &&
                    sp0 !== -1 &&
                    sp0 < nl0 &&
                    valueStr[sp0 + 1] === '!') {
                    sp0 = valueStr.indexOf(' ', sp0 + 1);
                }
                if (sp0 === -1 || nl0 < sp0)
                    hasPropsLine = true;
            }
            if (!hasPropsLine)
                ws = `\n${ctx.indent}`;
        }
    }
    else if (valueStr === '' || valueStr[0] === '\n') {
        ws = '';
    }
    str += ws + valueStr;
    if (ctx.inFlow) {
        if (valueCommentDone && onComment)
            onComment();
    }
    else if (valueComment && !valueCommentDone) {
        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
    }
    else if (chompKeep && onChompKeep) {
        onChompKeep();
    }
    return str;
}

exports.stringifyPair = stringifyPair;


/***/ }),

/***/ 3069:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var foldFlowLines = __nccwpck_require__(4475);

const getFoldOptions = (ctx, isBlock) => ({
    indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
    lineWidth: ctx.options.lineWidth,
    minContentWidth: ctx.options.minContentWidth
});
// Also checks for lines starting with %, as parsing the output as YAML 1.1 will
// presume that's starting a new document.
const containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
function lineLengthOverLimit(str, lineWidth, indentLength) {
    if (!lineWidth || lineWidth < 0)
        return false;
    const limit = lineWidth - indentLength;
    const strLen = str.length;
    if (strLen <= limit)
        return false;
    for (let i = 0, start = 0; i < strLen; ++i) {
        if (str[i] === '\n') {
            if (i - start > limit)
                return true;
            start = i + 1;
            if (strLen - start <= limit)
                return false;
        }
    }
    return true;
}
function doubleQuotedString(value, ctx) {
    const json = JSON.stringify(value);
    if (ctx.options.doubleQuotedAsJSON)
        return json;
    const { implicitKey } = ctx;
    const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    let str = '';
    let start = 0;
    for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
            // space before newline needs to be escaped to not be folded
            str += json.slice(start, i) + '\\ ';
            i += 1;
            start = i;
            ch = '\\';
        }
        if (ch === '\\')
            switch (json[i + 1]) {
                case 'u':
                    {
                        str += json.slice(start, i);
                        const code = json.substr(i + 2, 4);
                        switch (code) {
                            case '0000':
                                str += '\\0';
                                break;
                            case '0007':
                                str += '\\a';
                                break;
                            case '000b':
                                str += '\\v';
                                break;
                            case '001b':
                                str += '\\e';
                                break;
                            case '0085':
                                str += '\\N';
                                break;
                            case '00a0':
                                str += '\\_';
                                break;
                            case '2028':
                                str += '\\L';
                                break;
                            case '2029':
                                str += '\\P';
                                break;
                            default:
                                if (code.substr(0, 2) === '00')
                                    str += '\\x' + code.substr(2);
                                else
                                    str += json.substr(i, 6);
                        }
                        i += 5;
                        start = i + 1;
                    }
                    break;
                case 'n':
                    if (implicitKey ||
                        json[i + 2] === '"' ||
                        json.length < minMultiLineLength) {
                        i += 1;
                    }
                    else {
                        // folding will eat first newline
                        str += json.slice(start, i) + '\n\n';
                        while (json[i + 2] === '\\' &&
                            json[i + 3] === 'n' &&
                            json[i + 4] !== '"') {
                            str += '\n';
                            i += 2;
                        }
                        str += indent;
                        // space after newline needs to be escaped to not be folded
                        if (json[i + 2] === ' ')
                            str += '\\';
                        i += 1;
                        start = i + 1;
                    }
                    break;
                default:
                    i += 1;
            }
    }
    str = start ? str + json.slice(start) : json;
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
}
function singleQuotedString(value, ctx) {
    if (ctx.options.singleQuote === false ||
        (ctx.implicitKey && value.includes('\n')) ||
        /[ \t]\n|\n[ \t]/.test(value) // single quoted string can't have leading or trailing whitespace around newline
    )
        return doubleQuotedString(value, ctx);
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`) + "'";
    return ctx.implicitKey
        ? res
        : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function quotedString(value, ctx) {
    const { singleQuote } = ctx.options;
    let qs;
    if (singleQuote === false)
        qs = doubleQuotedString;
    else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
            qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
            qs = doubleQuotedString;
        else
            qs = singleQuote ? singleQuotedString : doubleQuotedString;
    }
    return qs(value, ctx);
}
// The negative lookbehind avoids a polynomial search,
// but isn't supported yet on Safari: https://caniuse.com/js-regexp-lookbehind
let blockEndNewlines;
try {
    blockEndNewlines = new RegExp('(^|(?<!\n))\n+(?!\n|$)', 'g');
}
catch {
    blockEndNewlines = /\n+(?!\n|$)/g;
}
function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
    const { blockQuote, commentString, lineWidth } = ctx.options;
    // 1. Block can't end in whitespace unless the last line is non-empty.
    // 2. Strings consisting of only whitespace are best rendered explicitly.
    if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
    }
    const indent = ctx.indent ||
        (ctx.forceBlockIndent || containsDocumentMarker(value) ? '  ' : '');
    const literal = blockQuote === 'literal'
        ? true
        : blockQuote === 'folded' || type === Scalar.Scalar.BLOCK_FOLDED
            ? false
            : type === Scalar.Scalar.BLOCK_LITERAL
                ? true
                : !lineLengthOverLimit(value, lineWidth, indent.length);
    if (!value)
        return literal ? '|\n' : '>\n';
    // determine chomping from whitespace at value end
    let chomp;
    let endStart;
    for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== '\n' && ch !== '\t' && ch !== ' ')
            break;
    }
    let end = value.substring(endStart);
    const endNlPos = end.indexOf('\n');
    if (endNlPos === -1) {
        chomp = '-'; // strip
    }
    else if (value === end || endNlPos !== end.length - 1) {
        chomp = '+'; // keep
        if (onChompKeep)
            onChompKeep();
    }
    else {
        chomp = ''; // clip
    }
    if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === '\n')
            end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
    }
    // determine indent indicator from whitespace at value start
    let startWithSpace = false;
    let startEnd;
    let startNlPos = -1;
    for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === ' ')
            startWithSpace = true;
        else if (ch === '\n')
            startNlPos = startEnd;
        else
            break;
    }
    let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
    if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
    }
    const indentSize = indent ? '2' : '1'; // root is at -1
    // Leading | or > is added later
    let header = (startWithSpace ? indentSize : '') + chomp;
    if (comment) {
        header += ' ' + commentString(comment.replace(/ ?[\r\n]+/g, ' '));
        if (onComment)
            onComment();
    }
    if (!literal) {
        const foldedValue = value
            .replace(/\n+/g, '\n$&')
            .replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, '$1$2') // more-indented lines aren't folded
            //                ^ more-ind. ^ empty     ^ capture next empty lines only at end of indent
            .replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== 'folded' && type !== Scalar.Scalar.BLOCK_FOLDED) {
            foldOptions.onOverflow = () => {
                literalFallback = true;
            };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
            return `>${header}\n${indent}${body}`;
    }
    value = value.replace(/\n+/g, `$&${indent}`);
    return `|${header}\n${indent}${start}${value}${end}`;
}
function plainString(item, ctx, onComment, onChompKeep) {
    const { type, value } = item;
    const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
    if ((implicitKey && value.includes('\n')) ||
        (inFlow && /[[\]{},]/.test(value))) {
        return quotedString(value, ctx);
    }
    if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        // not allowed:
        // - '-' or '?'
        // - start with an indicator character (except [?:-]) or /[?-] /
        // - '\n ', ': ' or ' \n' anywhere
        // - '#' not preceded by a non-space char
        // - end with ' ' or ':'
        return implicitKey || inFlow || !value.includes('\n')
            ? quotedString(value, ctx)
            : blockString(item, ctx, onComment, onChompKeep);
    }
    if (!implicitKey &&
        !inFlow &&
        type !== Scalar.Scalar.PLAIN &&
        value.includes('\n')) {
        // Where allowed & type not set explicitly, prefer block style for multiline strings
        return blockString(item, ctx, onComment, onChompKeep);
    }
    if (containsDocumentMarker(value)) {
        if (indent === '') {
            ctx.forceBlockIndent = true;
            return blockString(item, ctx, onComment, onChompKeep);
        }
        else if (implicitKey && indent === indentStep) {
            return quotedString(value, ctx);
        }
    }
    const str = value.replace(/\n+/g, `$&\n${indent}`);
    // Verify that output will be parsed as a string, as e.g. plain numbers and
    // booleans get parsed with those types in v1.2 (e.g. '42', 'true' & '0.9e-3'),
    // and others in v1.1.
    if (actualString) {
        const test = (tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test?.test(str);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
            return quotedString(value, ctx);
    }
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function stringifyString(item, ctx, onComment, onChompKeep) {
    const { implicitKey, inFlow } = ctx;
    const ss = typeof item.value === 'string'
        ? item
        : Object.assign({}, item, { value: String(item.value) });
    let { type } = item;
    if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        // force double quotes on control characters & unpaired surrogates
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
            type = Scalar.Scalar.QUOTE_DOUBLE;
    }
    const _stringify = (_type) => {
        switch (_type) {
            case Scalar.Scalar.BLOCK_FOLDED:
            case Scalar.Scalar.BLOCK_LITERAL:
                return implicitKey || inFlow
                    ? quotedString(ss.value, ctx) // blocks are not valid inside flow containers
                    : blockString(ss, ctx, onComment, onChompKeep);
            case Scalar.Scalar.QUOTE_DOUBLE:
                return doubleQuotedString(ss.value, ctx);
            case Scalar.Scalar.QUOTE_SINGLE:
                return singleQuotedString(ss.value, ctx);
            case Scalar.Scalar.PLAIN:
                return plainString(ss, ctx, onComment, onChompKeep);
            default:
                return null;
        }
    };
    let res = _stringify(type);
    if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = (implicitKey && defaultKeyType) || defaultStringType;
        res = _stringify(t);
        if (res === null)
            throw new Error(`Unsupported default string type ${t}`);
    }
    return res;
}

exports.stringifyString = stringifyString;


/***/ }),

/***/ 204:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove node');
/**
 * Apply a visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
function visit(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        visit_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current node */
visit.SKIP = SKIP;
/** Remove the current node */
visit.REMOVE = REMOVE;
function visit_(key, node, visitor, path) {
    const ctrl = callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visit_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = visit_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = visit_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = visit_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
/**
 * Apply an async visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `Promise`: Must resolve to one of the following values
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
async function visitAsync(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visitAsync.BREAK = BREAK;
/** Do not visit the children of the current node */
visitAsync.SKIP = SKIP;
/** Remove the current node */
visitAsync.REMOVE = REMOVE;
async function visitAsync_(key, node, visitor, path) {
    const ctrl = await callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visitAsync_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = await visitAsync_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = await visitAsync_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = await visitAsync_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
function initVisitor(visitor) {
    if (typeof visitor === 'object' &&
        (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
            Alias: visitor.Node,
            Map: visitor.Node,
            Scalar: visitor.Node,
            Seq: visitor.Node
        }, visitor.Value && {
            Map: visitor.Value,
            Scalar: visitor.Value,
            Seq: visitor.Value
        }, visitor.Collection && {
            Map: visitor.Collection,
            Seq: visitor.Collection
        }, visitor);
    }
    return visitor;
}
function callVisitor(key, node, visitor, path) {
    if (typeof visitor === 'function')
        return visitor(key, node, path);
    if (identity.isMap(node))
        return visitor.Map?.(key, node, path);
    if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path);
    if (identity.isPair(node))
        return visitor.Pair?.(key, node, path);
    if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path);
    if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path);
    return undefined;
}
function replaceNode(key, path, node) {
    const parent = path[path.length - 1];
    if (identity.isCollection(parent)) {
        parent.items[key] = node;
    }
    else if (identity.isPair(parent)) {
        if (key === 'key')
            parent.key = node;
        else
            parent.value = node;
    }
    else if (identity.isDocument(parent)) {
        parent.contents = node;
    }
    else {
        const pt = identity.isAlias(parent) ? 'alias' : 'scalar';
        throw new Error(`Cannot replace node with ${pt} parent`);
    }
}

exports.visit = visit;
exports.visitAsync = visitAsync;


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  XW: () => (/* binding */ EXIT_CLEAN),
  SI: () => (/* binding */ EXIT_ERROR),
  cB: () => (/* binding */ EXIT_FINDINGS),
  iW: () => (/* binding */ main)
});

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_namespaceObject);
;// CONCATENATED MODULE: external "node:string_decoder"
const external_node_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:string_decoder");
;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"0.1.0"};
// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var node_modules_picomatch = __nccwpck_require__(4006);
var picomatch_default = /*#__PURE__*/__nccwpck_require__.n(node_modules_picomatch);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __nccwpck_require__(8815);
;// CONCATENATED MODULE: ./src/rules/alphabets.ts
/** Character sets shared by rule patterns and sample generators. */
const DIGITS = '0123456789';
const HEX = '0123456789abcdef';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = `${DIGITS}${UPPER}${LOWER}`;
const BASE64URL = `${ALNUM}-_`;
const BASE64 = `${ALNUM}+/`;

;// CONCATENATED MODULE: ./src/rules/ai.ts

// ---------------------------------------------------------------------------------------------------
// Assignment context, shared with cloud.ts. Some keys have no prefix (Mistral, Cohere, Azure) or a prefix
// other providers share (DeepSeek's `sk-`), so their rules fire only where a name that mentions the
// provider is assigned. The pattern starts at the provider's word (the keyword), runs through the rest of
// the name and an assignment in any common syntax, and captures the value as `secret`.
// ---------------------------------------------------------------------------------------------------
/** The rest of a variable name after the provider's word, e.g. `_API_KEY`, `.api.key` or `ApiKey`. */
const NAME_TAIL = String.raw `[\w.-]{0,40}?`;
/**
 * Closing quotes or brackets, an assignment, opening quotes: `=`, `:`, `=>`, `:=`, JSON `": "`,
 * XML `" value="`, notebook `\"] = \"`, shell `export NAME=`.
 */
const ASSIGN = String.raw `(?:\\?["'\`]|\]){0,3}[ \t]{0,4}(?:=>|:=|=|:|value[ \t]{0,2}=)[ \t]{0,4}(?:\\?["'\`]){0,2}`;
/**
 * `valueRun` for rules keyed by a variable name: the assignment's `=` or `:` lies at most 103
 * characters past the keyword, the rest of the longest name a rule here writes (a word, 40
 * characters, a credential word of up to 6 and 40 more: 86) and what ASSIGN, or messaging's own, allows
 * before its operator (quotes or brackets, blanks, `value` and blanks: 17). Text made of provider
 * names (`twiliotwilio...`) has no operator near, and the pattern is not run at each name.
 */
const ASSIGNMENT_GATE = { chars: '=:', min: 1, within: 86 + 17 };
/**
 * `valueRun` for a value of at least `min` characters of `chars` assigned to a provider-named variable:
 * the assignment's operator, then the value, which starts at most 112 characters past the keyword (the
 * name's rest, 86, and a whole ASSIGN here, 26, or messaging's, 20). A name assigned something short
 * (`TWILIO_TOKEN="abc"`) does not reach the pattern either.
 */
function assignedValueGates(chars, min) {
    return [ASSIGNMENT_GATE, { chars, min, within: 86 + 26 }];
}
/** `deepseek` -> `[Dd][Ee]...`, so a name matches in any case while the value's alphabet stays exact. */
function anyCase(word) {
    return [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : `\\${c}`)).join('');
}
/**
 * A pattern for `<name> <assign> <value>`: `name` is a regex source that starts with the rule's keyword
 * (write words with `anyCase`), `value` the key's own format. The value is captured as `secret` and must
 * not run on into more key characters.
 */
function assigned(name, value, valueEnd = '(?![A-Za-z0-9_-])') {
    return new RegExp(`(?:${name})${NAME_TAIL}${ASSIGN}(?<secret>${value})${valueEnd}`);
}
/** A name word that says the value is a credential: `..._API_KEY`, `...Token`, `...SECRET`. */
const CREDENTIAL_WORD = `(?:${['key', 'token', 'secret'].map(anyCase).join('|')})`;
/**
 * Values that only stand for a key: templates, lookups, elisions and prose, assigned to `name`.
 * Every rule uses them as negatives.
 */
function placeholderTexts(name, prefix = '') {
    return [
        `${name}=${prefix}...`,
        `${name}="${prefix}your-api-key-here"`,
        `${name}=<${name}>`,
        `${name}=\${${name}}`,
        `const key = process.env.${name};`,
        `${name.toLowerCase()} = os.environ["${name}"]`,
        `${name}: \${{ secrets.${name} }}`,
    ];
}
// ---------------------------------------------------------------------------------------------------
// OpenAI. Every key OpenAI issues carries `T3BlbkFJ` (base64 of "OpenAI") in its body; project,
// service-account and admin keys add a typed prefix and longer, base64url bodies either side of it.
// ---------------------------------------------------------------------------------------------------
/**
 * Long random bodies of these formats now and then hold `xXxX` or a delimited `my`, which the shared
 * placeholder filter reads as filler. Their shape (prefix, marker, exact length) already rules out
 * template text, so they skip that filter and rely on `minEntropy` against fillers such as `hf_xxxx...`.
 */
const STRICT_FORMAT = { skipPlaceholderCheck: true };
/** Keys are never glued to a word before them: `task-...` or `disk-...` is not `sk-...`. */
const START = '(?<![A-Za-z0-9_-])';
const END = '(?![A-Za-z0-9_-])';
const OPENAI_MARKER = 'T3BlbkFJ';
/** Body lengths seen either side of the marker: 20 in 2024's keys, 58 or 74 in current ones. */
function openaiTyped(prefix, gen) {
    const side = gen.pick([20, 58, 74]);
    return `${prefix}${gen.chars(BASE64URL, side)}${OPENAI_MARKER}${gen.chars(BASE64URL, side)}`;
}
const openaiTypedRule = (id, kind, title, severity, text, url) => {
    const prefix = `sk-${kind}-`;
    return {
        id,
        title,
        provider: 'OpenAI',
        severity,
        keywords: [prefix],
        pattern: new RegExp(`${START}${prefix}[A-Za-z0-9_-]{20,80}${OPENAI_MARKER}[A-Za-z0-9_-]{20,80}${END}`),
        minEntropy: 4,
        ...STRICT_FORMAT,
        remediation: { text, url },
        samples: {
            secret: (gen) => openaiTyped(prefix, gen),
            name: kind === 'admin' ? 'OPENAI_ADMIN_KEY' : 'OPENAI_API_KEY',
            negatives: (gen) => {
                const key = openaiTyped(prefix, gen);
                return [
                    // Cut before the marker: a truncated paste, not a key.
                    key.slice(0, key.indexOf(OPENAI_MARKER)),
                    // No marker at all.
                    `${prefix}${gen.chars(ALNUM, 48)}`,
                    ...placeholderTexts('OPENAI_API_KEY', prefix),
                ];
            },
        },
    };
};
// ---------------------------------------------------------------------------------------------------
// Anthropic: `sk-ant-api03-` or `sk-ant-admin01-`, 93 base64url characters, then `AA`.
// ---------------------------------------------------------------------------------------------------
const anthropicKey = (prefix, gen) => `${prefix}${gen.chars(BASE64URL, 93)}AA`;
const anthropicRule = (id, prefix, title, severity, text, url) => ({
    id,
    title,
    provider: 'Anthropic',
    severity,
    keywords: [prefix],
    pattern: new RegExp(`${START}${prefix}[A-Za-z0-9_-]{93}AA${END}`),
    minEntropy: 4,
    ...STRICT_FORMAT,
    remediation: { text, url },
    samples: {
        secret: (gen) => anthropicKey(prefix, gen),
        name: 'ANTHROPIC_API_KEY',
        negatives: (gen) => {
            const key = anthropicKey(prefix, gen);
            return [
                key.slice(0, -10),
                // Wrong tail: every issued key ends in AA.
                `${key.slice(0, -2)}BB`,
                ...placeholderTexts('ANTHROPIC_API_KEY', prefix),
            ];
        },
    },
});
const prefixedRule = (s) => {
    const make = (gen, n = s.length) => `${s.prefix}${gen.chars(s.alphabet, n)}`;
    return {
        id: s.id,
        title: s.title,
        provider: s.provider,
        severity: 'high',
        keywords: [s.prefix.toLowerCase()],
        pattern: new RegExp(`${START}${s.prefix}${s.bodyClass}{${s.length}}${END}`),
        minEntropy: 3,
        ...STRICT_FORMAT,
        remediation: { text: s.text, url: s.url },
        samples: {
            secret: (gen) => make(gen),
            name: s.name,
            negatives: (gen) => [
                make(gen, s.length - 4),
                make(gen, s.length + 3),
                `${s.name}=${s.prefix}${'x'.repeat(s.length)}`,
                ...placeholderTexts(s.name, s.prefix),
            ],
        },
    };
};
// ---------------------------------------------------------------------------------------------------
// Context-keyed AI keys.
// ---------------------------------------------------------------------------------------------------
const DEEPSEEK_WORD = anyCase('deepseek');
/** How far from the key the word "deepseek" may sit: a few lines of code, e.g. a `base_url` argument. */
const DEEPSEEK_REACH = 200;
function deepseekKey(gen) {
    return `sk-${gen.chars(HEX, 32)}`;
}
function mistralKey(gen) {
    return gen.chars(ALNUM, 32);
}
function cohereKey(gen) {
    return gen.chars(ALNUM, 40);
}
/** A text where the key is assigned to a neutral name, so only the format speaks for it. */
const unnamed = (value) => `API_TOKEN=${value}\n`;
const aiRules = [
    openaiTypedRule('openai-project-key', 'proj', 'OpenAI project API key', 'high', 'Delete the key in the project\'s API keys page and create a new one.', 'https://platform.openai.com/api-keys'),
    openaiTypedRule('openai-service-account-key', 'svcacct', 'OpenAI service account key', 'high', 'Delete the service account key in the project settings and issue a new one.', 'https://platform.openai.com/settings/organization/projects'),
    openaiTypedRule('openai-admin-key', 'admin', 'OpenAI admin API key', 'critical', 'Delete the admin key at once: it manages the whole organization (members, projects, keys).', 'https://platform.openai.com/settings/organization/admin-keys'),
    {
        id: 'openai-user-key',
        title: 'OpenAI API key (legacy user key)',
        provider: 'OpenAI',
        severity: 'high',
        keywords: ['sk-'],
        pattern: new RegExp(`${START}sk-[A-Za-z0-9]{20}${OPENAI_MARKER}[A-Za-z0-9]{20}${END}`),
        minEntropy: 4,
        ...STRICT_FORMAT,
        remediation: { text: 'Delete the key in the API keys page and create a project key instead.', url: 'https://platform.openai.com/api-keys' },
        samples: {
            secret: (gen) => `sk-${gen.chars(ALNUM, 20)}${OPENAI_MARKER}${gen.chars(ALNUM, 20)}`,
            name: 'OPENAI_API_KEY',
            negatives: (gen) => [
                `sk-${gen.chars(ALNUM, 48)}`,
                `sk-${gen.chars(ALNUM, 20)}${OPENAI_MARKER}${gen.chars(ALNUM, 12)}`,
                ...placeholderTexts('OPENAI_API_KEY', 'sk-'),
            ],
        },
    },
    anthropicRule('anthropic-api-key', 'sk-ant-api03-', 'Anthropic API key', 'high', 'Delete the key in the Console and create a new one.', 'https://console.anthropic.com/settings/keys'),
    anthropicRule('anthropic-admin-key', 'sk-ant-admin01-', 'Anthropic Admin API key', 'critical', 'Delete the admin key at once: it manages the organization\'s members, workspaces and API keys.', 'https://console.anthropic.com/settings/admin-keys'),
    {
        id: 'openrouter-api-key',
        title: 'OpenRouter API key',
        provider: 'OpenRouter',
        severity: 'high',
        keywords: ['sk-or-v1-'],
        pattern: new RegExp(`${START}sk-or-v1-[a-f0-9]{64}${END}`),
        minEntropy: 3,
        remediation: { text: 'Delete the key in OpenRouter\'s key settings and create a new one.', url: 'https://openrouter.ai/settings/keys' },
        samples: {
            secret: (gen) => `sk-or-v1-${gen.chars(HEX, 64)}`,
            name: 'OPENROUTER_API_KEY',
            negatives: (gen) => [`sk-or-v1-${gen.chars(HEX, 60)}`, `sk-or-v1-${gen.chars(UPPER, 64)}`, ...placeholderTexts('OPENROUTER_API_KEY', 'sk-or-v1-')],
        },
    },
    {
        id: 'deepseek-api-key',
        title: 'DeepSeek API key',
        provider: 'DeepSeek',
        // The shape (sk- and 32 hex digits) is only DeepSeek's when the provider is named nearby.
        severity: 'high',
        keywords: ['sk-'],
        pattern: new RegExp(`${START}sk-[a-f0-9]{32}${END}(?:(?<=${DEEPSEEK_WORD}[\\s\\S]{0,${DEEPSEEK_REACH}})|(?=[\\s\\S]{0,${DEEPSEEK_REACH}}${DEEPSEEK_WORD}))`),
        minEntropy: 2.5,
        remediation: { text: 'Delete the key in the DeepSeek platform and create a new one.', url: 'https://platform.deepseek.com/api_keys' },
        samples: {
            secret: deepseekKey,
            name: 'DEEPSEEK_API_KEY',
            positives: (gen) => {
                const key = deepseekKey(gen);
                return [
                    {
                        text: `client = OpenAI(\n    api_key="${key}",\n    base_url="https://api.deepseek.com",\n)\n`,
                        secret: key,
                    },
                ];
            },
            negatives: (gen) => [
                unnamed(deepseekKey(gen)),
                `DEEPSEEK_API_KEY=sk-${gen.chars(HEX, 28)}`,
                `DEEPSEEK_API_KEY=sk-${gen.chars(HEX, 40)}`,
                ...placeholderTexts('DEEPSEEK_API_KEY', 'sk-'),
            ],
        },
    },
    prefixedRule({
        id: 'huggingface-token',
        title: 'Hugging Face access token',
        provider: 'Hugging Face',
        prefix: 'hf_',
        bodyClass: '[A-Za-z]',
        alphabet: UPPER + LOWER,
        length: 34,
        name: 'HF_TOKEN',
        text: 'Invalidate the token in Access Tokens and create a fine-grained one.',
        url: 'https://huggingface.co/settings/tokens',
    }),
    prefixedRule({
        id: 'groq-api-key',
        title: 'Groq API key',
        provider: 'Groq',
        prefix: 'gsk_',
        bodyClass: '[A-Za-z0-9]',
        alphabet: ALNUM,
        length: 52,
        name: 'GROQ_API_KEY',
        text: 'Delete the key in the GroqCloud console and create a new one.',
        url: 'https://console.groq.com/keys',
    }),
    prefixedRule({
        id: 'replicate-api-token',
        title: 'Replicate API token',
        provider: 'Replicate',
        prefix: 'r8_',
        bodyClass: '[A-Za-z0-9]',
        alphabet: ALNUM,
        length: 37,
        name: 'REPLICATE_API_TOKEN',
        text: 'Disable the token in your Replicate account and create a new one.',
        url: 'https://replicate.com/account/api-tokens',
    }),
    prefixedRule({
        id: 'perplexity-api-key',
        title: 'Perplexity API key',
        provider: 'Perplexity',
        prefix: 'pplx-',
        bodyClass: '[A-Za-z0-9]',
        alphabet: ALNUM,
        length: 48,
        name: 'PERPLEXITY_API_KEY',
        text: 'Revoke the key in the API settings and generate a new one.',
        url: 'https://www.perplexity.ai/account/api/keys',
    }),
    prefixedRule({
        id: 'xai-api-key',
        title: 'xAI (Grok) API key',
        provider: 'xAI',
        prefix: 'xai-',
        bodyClass: '[A-Za-z0-9]',
        alphabet: ALNUM,
        length: 80,
        name: 'XAI_API_KEY',
        text: 'Delete the key in the xAI console (API Keys) and create a new one.',
        url: 'https://console.x.ai',
    }),
    {
        id: 'mistral-api-key',
        title: 'Mistral AI API key',
        provider: 'Mistral AI',
        // 32 letters and digits with no prefix: only the variable's name says whose key it is.
        severity: 'medium',
        keywords: ['mistral'],
        valueRun: assignedValueGates(ALNUM, 32),
        pattern: assigned(`${anyCase('mistral')}${NAME_TAIL}${CREDENTIAL_WORD}`, '[A-Za-z0-9]{32}'),
        minEntropy: 3.5,
        remediation: { text: 'Delete the key in La Plateforme\'s API keys page and create a new one.', url: 'https://console.mistral.ai/api-keys' },
        samples: {
            secret: mistralKey,
            name: 'MISTRAL_API_KEY',
            negatives: (gen) => [
                unnamed(mistralKey(gen)),
                `MISTRAL_API_KEY=${gen.chars(ALNUM, 28)}`,
                `MISTRAL_API_KEY=${gen.chars(ALNUM, 40)}`,
                `MISTRAL_MODEL=${mistralKey(gen)}`,
                ...placeholderTexts('MISTRAL_API_KEY'),
            ],
        },
    },
    {
        id: 'cohere-api-key',
        title: 'Cohere API key',
        provider: 'Cohere',
        severity: 'medium',
        // CO_API_KEY is the variable Cohere's SDKs read.
        keywords: ['cohere', 'co_api_key'],
        valueRun: assignedValueGates(ALNUM, 40),
        pattern: assigned(`${anyCase('cohere')}${NAME_TAIL}${CREDENTIAL_WORD}|${anyCase('co_api_key')}`, '[A-Za-z0-9]{40}'),
        minEntropy: 3.5,
        remediation: { text: 'Delete the key in the Cohere dashboard and create a new one.', url: 'https://dashboard.cohere.com/api-keys' },
        samples: {
            secret: cohereKey,
            name: 'COHERE_API_KEY',
            positives: (gen) => {
                const key = cohereKey(gen);
                return [{ text: `export CO_API_KEY=${key}\n`, secret: key }];
            },
            negatives: (gen) => [
                unnamed(cohereKey(gen)),
                `COHERE_API_KEY=${gen.chars(ALNUM, 32)}`,
                `cohere_model = "${cohereKey(gen)}"`,
                ...placeholderTexts('COHERE_API_KEY'),
            ],
        },
    },
];

;// CONCATENATED MODULE: ./src/scan/entropy.ts
/** Counts per character code, reused across calls: entropy runs once or twice per candidate on a hot path. */
const COUNTS = new Uint32Array(65536);
/** c * log2(c) for the counts that candidates (at most a few hundred characters) reach. */
const C_LOG_C = Float64Array.from({ length: 1024 }, (_, c) => (c === 0 ? 0 : c * Math.log2(c)));
/** Shannon entropy of `s` in bits per character: ~0 for repeated characters, ~5.95 for uniform base62. */
function shannonEntropy(s) {
    const n = s.length;
    if (n === 0)
        return 0;
    for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        COUNTS[c] = COUNTS[c] + 1;
    }
    // H = log2(n) - (1/n) * sum(c * log2 c): one logarithm per call, the rest from a table.
    let sum = 0;
    // Second pass: each character's count is used at its first occurrence and cleared, leaving COUNTS zeroed.
    for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        const count = COUNTS[c];
        if (count === 0)
            continue;
        sum += count < C_LOG_C.length ? C_LOG_C[count] : count * Math.log2(count);
        COUNTS[c] = 0;
    }
    return Math.max(0, Math.log2(n) - sum / n);
}

;// CONCATENATED MODULE: ./src/rules/cloud.ts



const cloud_START = '(?<![A-Za-z0-9_-])';
const cloud_END = '(?![A-Za-z0-9_-])';
/** A text where the value is assigned to a neutral name, so only the format speaks for it. */
const cloud_unnamed = (value) => `API_TOKEN=${value}\n`;
// ---------------------------------------------------------------------------------------------------
// Google API keys (Maps, Firebase, and Gemini keys from Google AI Studio): `AIza` + 35 base64url.
// ---------------------------------------------------------------------------------------------------
const googleApiKey = (gen, n = 35) => `AIza${gen.chars(BASE64URL, n)}`;
// ---------------------------------------------------------------------------------------------------
// Azure AI services (Azure OpenAI, Cognitive Services). Keys issued before 2024 are 32 hex digits, which
// only a name can tell apart from a hash. Newer keys are Microsoft's 84-character "common annotated
// security key": 52 random characters, the fixed signature JQQJ99 (JQQJ9D derived, JQQJ9H hashed), a
// creation year and month (A-L), 12 platform characters, 4 provider characters (AAA + a service letter
// for Cognitive Services), the provider signature ACOG and a 4-character checksum.
// ---------------------------------------------------------------------------------------------------
const AZURE_SIGNATURE = 'JQQJ9';
const AZURE_URL = 'https://learn.microsoft.com/en-us/azure/ai-services/rotate-keys';
function azureAnnotatedKey(gen, provider = 'ACOG') {
    return (gen.chars(ALNUM, 52) +
        AZURE_SIGNATURE +
        gen.pick(['9', 'D']) +
        gen.chars(UPPER, 1) +
        gen.chars('ABCDEFGHIJKL', 1) +
        gen.chars(ALNUM, 12) +
        'AAA' +
        gen.chars(UPPER, 1) +
        provider +
        gen.chars(ALNUM, 4));
}
const azureHexKey = (gen, n = 32) => gen.chars(HEX, n);
// ---------------------------------------------------------------------------------------------------
// AWS. Access key ids are a 4-letter type prefix and 16 base32 characters (A-Z, 2-7): AKIA long-term,
// ASIA temporary (STS), ABIA STS service bearer, ACCA context-specific. A secret access key is 40 base64
// characters with no marker, so it is keyed on the variable's name.
// ---------------------------------------------------------------------------------------------------
const BASE32 = `${UPPER}234567`;
const AWS_ID_PREFIXES = ['AKIA', 'ASIA', 'ABIA', 'ACCA'];
const AWS_URL = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console';
const awsKeyId = (gen) => gen.pick(AWS_ID_PREFIXES) + gen.chars(BASE32, 16);
const awsSecret = (gen, n = 40) => gen.chars(BASE64, n);
/** AWS documentation's sample credentials, assembled so that the literal values never sit in this file. */
const AWS_DOC_KEY_ID = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
const AWS_DOC_SECRET = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCY'].join('/') + ['EXAMPLE', 'KEY'].join('');
/** How close an access key id and its secret must be to count as one credential. */
const AWS_PAIR_LINES = 5;
/**
 * An access key id next to a secret access key is a working credential, not two half-leaks: both
 * findings say so and become critical. The engine applies it with `pairFindings`.
 */
const AWS_KEY_PAIR = {
    a: 'aws-access-key-id',
    b: 'aws-secret-access-key',
    maxLines: AWS_PAIR_LINES,
    note: `AWS access key id and secret access key found within ${AWS_PAIR_LINES} lines of each other: together they sign requests as the IAM identity. Deactivate the access key now.`,
    severity: 'critical',
};
/** Pairs of cloud rules that must be judged together. */
const CLOUD_PAIRS = [AWS_KEY_PAIR];
// ---------------------------------------------------------------------------------------------------
// GCP service-account key files: JSON whose "private_key" holds a PKCS#8 PEM with its newlines escaped.
// The rule reports the "private_key" string value, which covers the PEM block the private-key rule also
// sees: the longer span wins, so one leaked file makes one finding, labelled as the service account.
// ---------------------------------------------------------------------------------------------------
const PEM_BODY = String.raw `(?:\\n|[A-Za-z0-9+/=]){64,8192}`;
/** Where "service_account" may sit: before the key (the usual order) or after it. */
const SA_BEFORE = 12000;
const SA_AFTER = 2000;
/**
 * A real key body is a DER SEQUENCE long enough to need a two-byte length, which base64 writes as `MII`,
 * and random enough that a run of one letter or a made-up filler fails.
 */
function validServiceAccountKey(value) {
    const body = value
        .replace(/-----(?:BEGIN|END) (?:RSA )?PRIVATE KEY-----/g, '')
        .replace(/\\n/g, '');
    return body.length >= 600 && body.startsWith('MII') && shannonEntropy(body) >= 5;
}
/** A PKCS#8 PEM with a random body, newlines escaped as in a key file's JSON. */
function escapedPem(gen, bodyLength = 1620) {
    const body = `MIIE${gen.chars(BASE64, bodyLength - 6)}==`;
    const lines = [];
    for (let i = 0; i < body.length; i += 64)
        lines.push(body.slice(i, i + 64));
    return `-----BEGIN PRIVATE KEY-----\\n${lines.join('\\n')}\\n-----END PRIVATE KEY-----\\n`;
}
function serviceAccountJson(gen, privateKey, options = {}) {
    const project = `${gen.chars(LOWER, 6)}-${gen.chars(DIGITS, 6)}`;
    const email = `deployer@${project}.iam.gserviceaccount.com`;
    const fields = [
        `  "project_id": "${project}"`,
        `  "private_key_id": "${gen.chars(HEX, 40)}"`,
        `  "private_key": "${privateKey}"`,
        `  "client_email": "${email}"`,
        `  "client_id": "${gen.chars(DIGITS, 21)}"`,
        '  "auth_uri": "https://accounts.google.com/o/oauth2/auth"',
        '  "token_uri": "https://oauth2.googleapis.com/token"',
        '  "universe_domain": "googleapis.com"',
    ];
    const type = '  "type": "service_account"';
    if (options.withType !== false) {
        if (options.typeLast === true)
            fields.push(type);
        else
            fields.unshift(type);
    }
    return `{\n${fields.join(',\n')}\n}\n`;
}
// ---------------------------------------------------------------------------------------------------
// Databricks and DigitalOcean: prefixed tokens.
// ---------------------------------------------------------------------------------------------------
const databricksToken = (gen) => `dapi${gen.chars(HEX, 32)}${gen.pick(['', '', '-2', '-3'])}`;
const DO_URL = 'https://cloud.digitalocean.com/account/api/tokens';
const digitalOceanRule = (id, prefix, title, text) => ({
    id,
    title,
    provider: 'DigitalOcean',
    severity: 'critical',
    keywords: [prefix],
    pattern: new RegExp(`${cloud_START}${prefix}[a-f0-9]{64}${cloud_END}`),
    minEntropy: 3,
    remediation: { text, url: DO_URL },
    samples: {
        secret: (gen) => `${prefix}${gen.chars(HEX, 64)}`,
        name: 'DIGITALOCEAN_TOKEN',
        negatives: (gen) => [`${prefix}${gen.chars(HEX, 60)}`, `${prefix}${gen.chars(UPPER, 64)}`, ...placeholderTexts('DIGITALOCEAN_TOKEN', prefix)],
    },
});
const cloudRules = [
    {
        id: 'google-api-key',
        title: 'Google API key (also Gemini / AI Studio keys)',
        provider: 'Google',
        severity: 'high',
        keywords: ['aiza'],
        pattern: new RegExp(`${cloud_START}AIza[A-Za-z0-9_-]{35}${cloud_END}`),
        minEntropy: 3.5,
        ...STRICT_FORMAT,
        remediation: {
            text: 'Delete or regenerate the key under APIs & Services > Credentials (Gemini keys: AI Studio > API keys), then restrict the new one.',
            url: 'https://console.cloud.google.com/apis/credentials',
        },
        samples: {
            secret: (gen) => googleApiKey(gen),
            name: 'GEMINI_API_KEY',
            negatives: (gen) => [
                googleApiKey(gen, 30),
                googleApiKey(gen, 40),
                `GOOGLE_API_KEY=AIzaSy${'X'.repeat(33)}`,
                `AIZA${gen.chars(BASE64URL, 35)}`,
                ...placeholderTexts('GOOGLE_API_KEY', 'AIza'),
            ],
        },
    },
    {
        id: 'azure-ai-services-key',
        title: 'Azure AI services / Azure OpenAI key',
        provider: 'Microsoft Azure',
        severity: 'high',
        keywords: [AZURE_SIGNATURE.toLowerCase()],
        // The signature sits 52 characters into the key.
        lookback: 52,
        maxLength: 40,
        // The lookbehind lets the key start only where its run of letters and digits starts.
        startRun: { chars: ALNUM, min: 52, max: 52 },
        pattern: new RegExp(`(?<![A-Za-z0-9+/])[A-Za-z0-9]{52}${AZURE_SIGNATURE}[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{12}AAA[A-Za-z0-9]ACOG[A-Za-z0-9]{4}(?![A-Za-z0-9+/=])`),
        minEntropy: 4,
        ...STRICT_FORMAT,
        remediation: { text: 'Regenerate the key (Keys and Endpoint) after moving clients to the other key; prefer Entra ID auth.', url: AZURE_URL },
        samples: {
            secret: (gen) => azureAnnotatedKey(gen),
            name: 'AZURE_OPENAI_API_KEY',
            negatives: (gen) => {
                const key = azureAnnotatedKey(gen);
                return [
                    key.slice(0, 80),
                    // Another Azure service's signature (Event Grid) is not an AI services key.
                    azureAnnotatedKey(gen, 'AZEG'),
                    // 85 characters in a run are not an 84-character key, even where the last 84 would be one.
                    `AZURE_OPENAI_API_KEY=${gen.chars(ALNUM, 1)}${azureAnnotatedKey(gen)}`,
                    ...placeholderTexts('AZURE_OPENAI_API_KEY'),
                ];
            },
        },
    },
    {
        id: 'azure-ai-services-legacy-key',
        title: 'Azure AI services / Azure OpenAI key (32 hex digits)',
        provider: 'Microsoft Azure',
        // 32 hex digits look like any hash: the rule needs azure, openai or cognitive in the key's name.
        severity: 'medium',
        keywords: ['azure', 'openai', 'cognitive', 'ocp-apim-subscription-key'],
        valueRun: assignedValueGates(ALNUM, 32),
        pattern: assigned(`(?:${['azure', 'openai', 'cognitive'].map(anyCase).join('|')})[\\w.-]{0,40}?${CREDENTIAL_WORD}|${anyCase('ocp-apim-subscription-key')}`, '[0-9a-fA-F]{32}'),
        // 32 random hex digits can score as low as about 2.8 bits per character.
        minEntropy: 2.5,
        remediation: { text: 'Regenerate the key (Keys and Endpoint) after moving clients to the other key; prefer Entra ID auth.', url: AZURE_URL },
        samples: {
            secret: (gen) => azureHexKey(gen),
            name: 'AZURE_OPENAI_API_KEY',
            positives: (gen) => {
                const key = azureHexKey(gen);
                return [{ text: `curl -s "$ENDPOINT" -H "Ocp-Apim-Subscription-Key: ${key}"\n`, secret: key }];
            },
            negatives: (gen) => [
                cloud_unnamed(azureHexKey(gen)),
                `AZURE_OPENAI_API_KEY=${azureHexKey(gen, 31)}`,
                `AZURE_OPENAI_API_KEY=${azureHexKey(gen, 40)}`,
                `AZURE_OPENAI_DEPLOYMENT=${azureHexKey(gen)}`,
                ...placeholderTexts('AZURE_OPENAI_API_KEY'),
            ],
        },
    },
    {
        id: 'aws-access-key-id',
        title: 'AWS access key ID',
        provider: 'AWS',
        // An id alone signs nothing; next to its secret (see AWS_KEY_PAIR) it becomes critical.
        severity: 'high',
        keywords: AWS_ID_PREFIXES.map((p) => p.toLowerCase()),
        pattern: new RegExp(`(?<![A-Za-z0-9])(?:${AWS_ID_PREFIXES.join('|')})[A-Z2-7]{16}(?![A-Za-z0-9])`),
        // Random 20-character ids from a 32-letter alphabet dip to about 2.7 bits per character.
        minEntropy: 2.5,
        remediation: { text: 'Deactivate and delete the access key in IAM, then check CloudTrail for its use.', url: AWS_URL },
        samples: {
            secret: awsKeyId,
            name: 'AWS_ACCESS_KEY_ID',
            negatives: (gen) => [
                `AWS_ACCESS_KEY_ID=${AWS_DOC_KEY_ID}`,
                `AWS_ACCESS_KEY_ID=${awsKeyId(gen).slice(0, 18)}`,
                `AWS_ACCESS_KEY_ID=${awsKeyId(gen)}${gen.chars(UPPER, 2)}`,
                // Base32 has no 0, 1, 8 or 9.
                `AWS_ACCESS_KEY_ID=AKIA${gen.chars(BASE32, 15)}8`,
                `aws_access_key_id = akia${gen.chars(LOWER, 16)}`,
                ...placeholderTexts('AWS_ACCESS_KEY_ID', 'AKIA'),
            ],
        },
    },
    {
        id: 'aws-secret-access-key',
        title: 'AWS secret access key',
        provider: 'AWS',
        severity: 'high',
        keywords: ['aws', 'secret_access_key', 'secretaccesskey', 'secret.access.key', 'secret-access-key'],
        valueRun: assignedValueGates(`${ALNUM}/+`, 40),
        pattern: assigned(`${anyCase('aws')}[\\w.-]{0,20}?${anyCase('secret')}|${anyCase('secret')}[_.-]?${anyCase('access')}[_.-]?${anyCase('key')}`, '[A-Za-z0-9/+]{40}', '(?![A-Za-z0-9/+=_-])'),
        minEntropy: 3.5,
        remediation: { text: 'Deactivate and delete the access key in IAM, then check CloudTrail for its use.', url: AWS_URL },
        samples: {
            secret: (gen) => awsSecret(gen),
            name: 'AWS_SECRET_ACCESS_KEY',
            positives: (gen) => {
                const secret = awsSecret(gen);
                // The shape `aws iam create-access-key` prints.
                return [{ text: `{\n  "AccessKey": {\n    "Status": "Active",\n    "SecretAccessKey": "${secret}"\n  }\n}\n`, secret }];
            },
            negatives: (gen) => [
                `aws_secret_access_key = ${AWS_DOC_SECRET}`,
                cloud_unnamed(awsSecret(gen)),
                `SECRET_KEY=${awsSecret(gen)}`,
                `AWS_SECRET_ACCESS_KEY=${awsSecret(gen, 39)}`,
                `AWS_SECRET_ACCESS_KEY=${awsSecret(gen, 41)}`,
                ...placeholderTexts('AWS_SECRET_ACCESS_KEY'),
            ],
        },
    },
    {
        id: 'gcp-service-account-key',
        title: 'Google Cloud service account key file',
        provider: 'Google Cloud',
        severity: 'critical',
        keywords: ['"private_key"'],
        pattern: new RegExp(String.raw `"private_key"[ \t]{0,4}:[ \t]{0,4}"(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----${PEM_BODY}-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)"` +
            `(?:(?<="service_account"[\\s\\S]{0,${SA_BEFORE}})|(?=[\\s\\S]{0,${SA_AFTER}}"service_account"))`),
        // "PRIVATE KEY" reads as placeholder words; the body is checked structurally instead.
        skipPlaceholderCheck: true,
        validate: validServiceAccountKey,
        remediation: {
            text: 'Delete the key from the service account (IAM > Service accounts > Keys); prefer workload identity federation to key files.',
            url: 'https://console.cloud.google.com/iam-admin/serviceaccounts',
        },
        samples: {
            secret: (gen) => escapedPem(gen),
            wrap: false,
            positives: (gen) => {
                const first = escapedPem(gen);
                const second = escapedPem(gen, 3240);
                return [
                    { text: serviceAccountJson(gen, first), secret: first },
                    { text: serviceAccountJson(gen, second, { typeLast: true }), secret: second },
                ];
            },
            negatives: (gen) => [
                // Not a service account file.
                serviceAccountJson(gen, escapedPem(gen), { withType: false }),
                // A filler body, not a key.
                serviceAccountJson(gen, `-----BEGIN PRIVATE KEY-----\\n${'MIIE'.padEnd(1600, 'A')}\\n-----END PRIVATE KEY-----\\n`),
                // Truncated: no END line.
                serviceAccountJson(gen, escapedPem(gen).slice(0, 900)),
                serviceAccountJson(gen, '-----BEGIN PRIVATE KEY-----\\n<your key>\\n-----END PRIVATE KEY-----\\n'),
            ],
        },
    },
    {
        id: 'databricks-token',
        title: 'Databricks personal access token',
        provider: 'Databricks',
        severity: 'high',
        keywords: ['dapi'],
        // 32 hex digits, sometimes followed by a one-digit suffix (`-2`) in tokens from Azure Databricks.
        pattern: new RegExp(`${cloud_START}dapi[a-h0-9]{32}(?:-[0-9])?${cloud_END}`),
        minEntropy: 2.5,
        remediation: { text: 'Revoke the token in User Settings > Developer > Access tokens (or through the Token API).', url: 'https://docs.databricks.com/en/dev-tools/auth/pat.html' },
        samples: {
            secret: databricksToken,
            name: 'DATABRICKS_TOKEN',
            negatives: (gen) => [`dapi${gen.chars(HEX, 28)}`, `dapi${gen.chars(HEX, 36)}`, ...placeholderTexts('DATABRICKS_TOKEN', 'dapi')],
        },
    },
    digitalOceanRule('digitalocean-pat', 'dop_v1_', 'DigitalOcean personal access token', 'Delete the token under API > Tokens and create a scoped one.'),
    digitalOceanRule('digitalocean-oauth-token', 'doo_v1_', 'DigitalOcean OAuth access token', 'Revoke the OAuth application\'s access, or the token through the OAuth revoke endpoint.'),
    digitalOceanRule('digitalocean-refresh-token', 'dor_v1_', 'DigitalOcean OAuth refresh token', 'Revoke the OAuth application\'s access so the refresh token can no longer mint access tokens.'),
];

;// CONCATENATED MODULE: ./src/rules/connection-strings.ts

/*
 * URLs that carry a password in their userinfo (`scheme://user:password@host`). The secret is the
 * password alone: the user name and host locate the account, and reporting only the password keeps
 * fingerprints stable when the same password moves to another host.
 */
/** Longest user name and password the patterns accept. */
const MAX_USER = 128;
const MAX_PASSWORD = 128;
/** User name: anything up to the colon, but not a template, an elision or a path. */
const USER = String.raw `(?<user>[^\s:@/'"\x60<>{}\\]{0,${MAX_USER}})`;
/**
 * Password: up to the first `@` (a literal `@` in a password must be percent-encoded), never a
 * quote, angle bracket or whitespace. `(?!\k<user>@)` drops `postgres:postgres@`-style defaults,
 * where the password is the user name.
 */
const PASSWORD = String.raw `(?!\k<user>@)(?<secret>[^\s@/'"\x60<>\\]{1,${MAX_PASSWORD}})`;
/**
 * Where the `@` can be, counted from the end of a keyword: the rest of the scheme and `://` (at most
 * `ql+` and a 16-character driver, as in `postgresql+psycopg2://`: 22), then user, colon and password.
 * Most `http` in code starts a URL with no userinfo, and nine in ten of those have no `@` this close
 * (measured on the benchmark corpus), so the gate spares the pattern nearly all of its attempts.
 */
const AT_WITHIN = 22 + MAX_USER + 1 + MAX_PASSWORD;
/**
 * The host must follow: a name, an IPv4/IPv6 literal or the first of a MongoDB host list. Hosts under
 * the names RFC 2606 reserves for documentation (example.com/.net/.org, .example, .invalid) serve no
 * account, so a password for them is an example.
 */
const HOST = String.raw `@(?=[A-Za-z0-9\[_])(?!(?:[A-Za-z0-9-]{1,63}\.){0,8}(?:example\.(?:com|net|org)|[A-Za-z0-9-]{1,63}\.(?:example|invalid))(?![A-Za-z0-9.-]))`;
/** Passwords that documentation writes in place of a real one. */
const PLACEHOLDER_PASSWORDS = new Set([
    'pass', 'passwd', 'password', 'pwd', 'secret', 'changeme', 'change_me', 'example', 'xxx', 'xxxx',
    'user', 'username', 'admin', 'root', 'guest', 'test', 'mypassword', 'yourpassword', 'pw', 'p', 'x',
]);
/**
 * A password that is really a substitution: `$DB_PASS`, `%(password)s`, `:password` (a bind
 * parameter), `***` (already masked), or a documentation word.
 */
function isRealPassword(password) {
    if (PLACEHOLDER_PASSWORDS.has(password.toLowerCase()))
        return false;
    if (/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(password))
        return false;
    if (/^%\(?[A-Za-z_]+\)?s?$/.test(password) || /^%[A-Za-z_]+%$/.test(password))
        return false;
    if (/^:[A-Za-z_]+$/.test(password))
        return false;
    if (/^(.)\1*$/.test(password))
        return false;
    return true;
}
function passwordOf(gen) {
    // Unreserved URL characters only, so the sample needs no percent-encoding.
    return gen.chars(`${ALNUM}-_~`, gen.int(16, 32));
}
function urlRule(s) {
    const build = (gen, password) => `${gen.pick(s.samples)}://${gen.pick(['app', 'svc_user', 'deploy', 'reader'])}:${password}@${gen.pick(s.hosts)}`;
    return {
        id: s.id,
        title: s.title,
        provider: s.provider,
        severity: s.severity,
        keywords: s.keywords,
        // The lookbehind keeps `xpostgres://` and similar from matching mid-word; schemes are case-insensitive.
        pattern: new RegExp(`(?<![A-Za-z0-9+.-])(?:${s.scheme})://${USER}:${PASSWORD}${HOST}`, 'i'),
        valueRun: { chars: '@', min: 1, within: AT_WITHIN },
        validate: isRealPassword,
        userChosen: true,
        remediation: { text: s.text, url: s.url },
        samples: {
            secret: passwordOf,
            wrap: false,
            positives: (gen) => {
                const out = [];
                for (const template of [
                    (u) => `DATABASE_URL=${u}\n`,
                    (u) => `{\n  "connection": "${u}"\n}\n`,
                    (u) => `services:\n  app:\n    environment:\n      - BROKER_URL=${u}\n`,
                    (u) => `engine = create_engine('${u}')\n`,
                    (u) => `See <${u}> for the data.\n`,
                ]) {
                    const secret = passwordOf(gen);
                    out.push({ text: template(build(gen, secret)), secret });
                }
                return out;
            },
            negatives: (gen) => {
                const scheme = gen.pick(s.samples);
                const host = gen.pick(s.hosts);
                return [
                    `${scheme}://app:\${DB_PASSWORD}@${host}`,
                    `${scheme}://app:$DB_PASSWORD@${host}`,
                    `${scheme}://app:<password>@${host}`,
                    `${scheme}://app:password@${host}`,
                    `${scheme}://app:***@${host}`,
                    `${scheme}://app:@${host}`,
                    `${scheme}://app@${host}`,
                    `${scheme}://${host}`,
                    `${scheme}://app:app@${host}`,
                    `${scheme}://app:%(password)s@${host}`,
                    `${scheme}://localhost:8080/path?next=a@b`,
                    // Documentation hosts (RFC 2606).
                    `${scheme}://app:${passwordOf(gen)}@example.com/app`,
                    `${scheme}://app:${passwordOf(gen)}@db.staging.example:5432/app`,
                ];
            },
        },
    };
}
const SCHEMES = [
    {
        id: 'postgres-connection-string',
        title: 'PostgreSQL connection string with password',
        provider: 'PostgreSQL',
        keywords: ['postgres'],
        // SQLAlchemy adds a driver: postgresql+psycopg2://
        scheme: String.raw `postgres(?:ql)?(?:\+[a-z0-9]{1,16})?`,
        samples: ['postgres', 'postgresql', 'postgresql+psycopg2', 'jdbc:postgresql'],
        hosts: ['db.internal:5432/app', 'localhost/app?sslmode=disable', '10.0.3.7:5432/orders'],
        severity: 'critical',
        text: 'Change the role password (ALTER ROLE ... PASSWORD) and read the connection string from a secret store.',
        url: 'https://www.postgresql.org/docs/current/sql-alterrole.html',
    },
    {
        id: 'mysql-connection-string',
        title: 'MySQL / MariaDB connection string with password',
        provider: 'MySQL',
        keywords: ['mysql', 'mariadb'],
        scheme: String.raw `(?:mysql|mariadb)(?:x)?(?:\+[a-z0-9]{1,16})?`,
        samples: ['mysql', 'mariadb', 'mysql+pymysql', 'jdbc:mysql'],
        hosts: ['db.internal:3306/shop', 'localhost/app', '[::1]:3306/app'],
        severity: 'critical',
        text: 'Change the account password (ALTER USER ... IDENTIFIED BY) and read the connection string from a secret store.',
        url: 'https://dev.mysql.com/doc/refman/8.4/en/alter-user.html',
    },
    {
        id: 'mongodb-connection-string',
        title: 'MongoDB connection string with password',
        provider: 'MongoDB',
        keywords: ['mongodb'],
        scheme: String.raw `mongodb(?:\+srv)?`,
        samples: ['mongodb', 'mongodb+srv'],
        hosts: ['cluster0.ab1cd.mongodb.net/?retryWrites=true', 'mongo-0.mongo,mongo-1.mongo:27017/app?replicaSet=rs0', 'localhost:27017'],
        severity: 'critical',
        text: 'Change the database user password (Atlas: Database Access; self-hosted: db.changeUserPassword) and read the URI from a secret store.',
        url: 'https://www.mongodb.com/docs/manual/reference/method/db.changeUserPassword/',
    },
    {
        id: 'redis-connection-string',
        title: 'Redis connection string with password',
        provider: 'Redis',
        keywords: ['redis'],
        scheme: 'rediss?',
        samples: ['redis', 'rediss'],
        hosts: ['cache.internal:6379/0', 'localhost:6379', 'redis-12345.c1.us-east-1.ec2.redns.redis-cloud.com:12345'],
        severity: 'high',
        text: 'Rotate the password (ACL SETUSER, or requirepass) and read the URL from a secret store.',
        url: 'https://redis.io/docs/latest/operate/oss_and_stack/management/security/acl/',
    },
    {
        id: 'amqp-connection-string',
        title: 'AMQP (RabbitMQ) connection string with password',
        provider: 'RabbitMQ',
        keywords: ['amqp'],
        scheme: 'amqps?',
        samples: ['amqp', 'amqps'],
        hosts: ['rabbit.internal:5672/%2f', 'localhost', 'b-1234.mq.eu-west-1.amazonaws.com:5671'],
        severity: 'high',
        text: 'Change the user password (rabbitmqctl change_password) and read the URL from a secret store.',
        url: 'https://www.rabbitmq.com/docs/passwords',
    },
    {
        id: 'url-basic-auth',
        title: 'URL with an embedded password (HTTP basic auth)',
        provider: 'URL credentials',
        keywords: ['http', 'ftp', 'sftp', 'smtp', 'ldap'],
        scheme: 'https?|s?ftps?|smtps?|ldaps?',
        samples: ['https', 'http', 'ftp', 'smtps'],
        hosts: ['nexus.corp-tools.io/repository/npm/', 'files.buildhost.dev/releases', 'smtp.mailrelay.net:465'],
        severity: 'high',
        text: 'Change the password of that account or token, and pass credentials through a credential helper or secret instead of the URL.',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
    },
];
const connectionStringRules = SCHEMES.map(urlRule);

;// CONCATENATED MODULE: ./src/rules/generic.ts

/*
 * Rules that do not belong to one provider: JSON Web Tokens, API base URLs that send a key over plain
 * HTTP, and the generic "credential-named key assigned a random-looking value" rule, which runs last
 * and yields to every specific rule on the same span.
 */
const LOWER_ALNUM = `${LOWER}${DIGITS}`;
// ---------------------------------------------------------------------------------------------------
// JSON Web Tokens
/** Decodes one base64url JWT segment as a JSON object; undefined when it is not one. */
function jsonSegment(segment) {
    try {
        const parsed = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
        return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * A signed JWT (RFC 7519): the JOSE header names its algorithm, the payload is a JSON object. Unsigned
 * tokens (`alg: none`) grant nothing a server should accept. Supabase "anon" keys are JWTs published
 * to browsers by design (row-level security guards the data), so they are not leaks.
 */
function isSignedJwt(token) {
    const [head, body] = token.split('.');
    if (head === undefined || body === undefined)
        return false;
    const header = jsonSegment(head);
    if (header === undefined || typeof header['alg'] !== 'string' || header['alg'].toLowerCase() === 'none')
        return false;
    const payload = jsonSegment(body);
    if (payload === undefined)
        return false;
    return payload['role'] !== 'anon';
}
const JWT_SIGNATURE_LENGTH = { HS256: 43, HS512: 86, ES256: 86, RS256: 342 };
function sampleJwt(gen) {
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
    const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${enc(header)}.${enc(payload)}.${gen.chars(BASE64URL, JWT_SIGNATURE_LENGTH[alg] ?? 43)}`;
}
const jwtRule = {
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
            const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
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
const escapeHost = (h) => h.replace(/[.-]/g, '\\$&');
/** Azure OpenAI resources live under per-resource subdomains. */
const HOST_PATTERN = [...KEYED_API_HOSTS.map(escapeHost), String.raw `[a-z0-9-]{1,63}\.openai\.azure\.com`].join('|');
const insecureTransportRule = {
    id: 'insecure-api-base-url',
    title: 'Keyed API called over plain http:// (not a credential: the key would travel unencrypted)',
    provider: 'Transport',
    severity: 'high',
    keywords: ['http://'],
    // The host must end there: `http://api.openai.com.evil.example` is some other host.
    pattern: new RegExp(String.raw `http://(?<secret>${HOST_PATTERN})(?![A-Za-z0-9-]|\.[A-Za-z0-9])`, 'i'),
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
            const out = [];
            const templates = [
                (h) => `OPENAI_BASE_URL=http://${h}/v1\n`,
                (h) => `client = OpenAI(base_url="http://${h}/v1", api_key=os.environ["OPENAI_API_KEY"])\n`,
                (h) => `const res = await fetch('http://${h}/v1/messages', { headers });\n`,
                (h) => `baseURL: http://${h}\n`,
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
const NAME = String.raw `(?:api[_.-]?key|secret|token|passw(?:or)?d|pwd|private[_.-]?key|credentials?|access[_.-]?key|auth[_.-]?key)`;
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
function suffixAlternation(words) {
    const unique = [...new Set(words)];
    if (unique.includes('')) {
        const rest = unique.filter((w) => w !== '');
        return rest.length === 0 ? '' : `(?:${suffixAlternation(rest)})?`;
    }
    const byLast = new Map();
    for (const w of unique) {
        const last = w.slice(-1);
        byLast.set(last, [...(byLast.get(last) ?? []), w.slice(0, -1)]);
    }
    const branches = [...byLast].map(([last, heads]) => `${suffixAlternation(heads)}${last.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}`);
    return branches.length === 1 ? branches[0] : `(?:${branches.join('|')})`;
}
/** Between the name and the value: a closing quote (possibly escaped), an index bracket, then the operator. */
const CLOSE = String.raw `(?:\\?["'\x60])?\]?`;
const OPERATOR = [
    '=>',
    ':=',
    String.raw `\?=`,
    // Typed declarations: `token: str = "…"`, `val token: String = "…"`, `var token string = "…"`.
    String.raw `:[ \t]{0,4}(?:str|string|String)[ \t]{0,4}=`,
    String.raw `(?:string|String)[ \t]{1,4}=`,
    // XML settings: <add key="API_TOKEN" value="…"/>
    String.raw `value[ \t]{0,4}=`,
    ':(?![:=])',
    '=(?!=)',
    // An element's content, <password>…</password>: only right after the name, never `token->x` or `a > b`.
    String.raw `(?<![\\"'\x60\] \t-])>`,
].join('|');
/**
 * The value: printable ASCII without whitespace, quotes, brackets, separators or `=` except base64
 * padding, so that `token=api_key=…` cannot read as one value, nor translated prose as a key. Captured inside a lookahead and then consumed, which makes
 * it atomic: a too-long run fails once instead of being retried at every shorter length.
 */
const VALUE_CHARS = `!#$%*+-./0123456789:?@${UPPER}^_${LOWER}~`;
const VALUE = String.raw `(?=(?<secret>[!#$%*+\-./0-9:?@A-Z^_a-z~]{8,256}={0,3}))\k<secret>`;
/** Bits per character a generic value needs: random keys of 16+ characters sit well above, words and names below. */
const MIN_ENTROPY = 3.5;
/** The fewest characters of VALUE's class with that entropy: 2^3.5 = 11.3 distinct symbols, one of which may be `=` padding. */
const MIN_ENTROPY_RUN = Math.ceil(2 ** MIN_ENTROPY) - 1;
const GENERIC_PATTERN = new RegExp(NAME +
    String.raw `[A-Za-z0-9_.-]{0,24}` +
    // Cheap gate before the suffix check: only where an operator could follow.
    String.raw `(?=[\\"'\x60\] \t=:>?sS])` +
    `(?<!${suffixAlternation(NOT_A_VALUE_SUFFIXES)})` +
    CLOSE +
    String.raw `[ \t]{0,4}(?:${OPERATOR})[ \t]{0,16}` +
    String.raw `(?<q>\\?["'\x60])?` +
    VALUE +
    // A quoted value ends at its closing quote; an element's content at its closing tag (so that
    // `<password>@host` in a URL template is no element); a bare one at a delimiter, so that a call,
    // an index or a chain of assignments (`A=B=C`) is never read as a value.
    String.raw `\k<q>(?:(?<=["'\x60])|(?<=>\k<secret>)(?=<\/)|(?<!>\k<secret>)(?=[\s"'\x60\\<>)}\];,&|]|$))`, 'i');
/** Looks like a path on disk: a leading `/`, `./`, `../` or `~/`, and either a file extension or lowercase segments. */
function isFilePath(v) {
    if (!/^(?:~|\.{1,2})?\//.test(v))
        return false;
    const segments = v.split('/').filter((s) => s.length > 0);
    if (segments.length === 0)
        return true;
    if (/\.[A-Za-z0-9]{1,6}$/.test(v) && !/[+=]/.test(v))
        return true;
    return segments.length >= 2 && segments.every((s) => /^[a-z0-9_.@-]+$/.test(s));
}
/** Values that sit in a credential slot without being a credential. */
const NOT_CREDENTIALS = [
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
const PROVIDER_PREFIX = /^(?:gh[pousr]_|github_pat_|gl[a-z]{1,7}-|xox[a-z][.-]|xapp-|[sr]k_(?:live|test)_|sk-|whsec_|hf_|npm_|pypi-|A(?:KIA|SIA|Iza)|SG\.|shp(?:at|ca|pa|ss)_|do[opr]_v1_|dapi[0-9a-f]|glc_|sntry[su]_|lin_api_|ntn_|eyJ[A-Za-z0-9_-]{0,2048}\.)/;
/** Camel or Pascal case made of words and short acronyms: `getPasswordFromVault`, `SigV4Credentials`. */
const CAMEL_WORDS = /^(?=.*[a-z]{3})(?:[a-z]{1,24}[0-9]?)?(?:[A-Z][a-z]{1,24}[0-9]?|[A-Z]{1,3}[0-9]?){1,8}$/;
/**
 * A name rather than a value: a function, variable or type (`credentials: SigV4Credentials`). Names are
 * mostly lowercase, and made of words, which carry vowels; uniformly random base62 of 20 characters
 * passes all of this about 0.25% of the time, of 24 about 0.06%, of 32 practically never.
 */
function isCamelCaseName(v) {
    if (v.length > 64 || !CAMEL_WORDS.test(v))
        return false;
    const letters = v.replace(/[^A-Za-z]/g, '');
    if (v.replace(/[^a-z]/g, '').length < v.length * 0.6)
        return false;
    if (letters.replace(/[^aeiouy]/gi, '').length < letters.length * 0.3)
        return false;
    return (v.match(/[A-Z]?[a-z]+/g) ?? []).every((w) => w.length < 3 || /[aeiouy]/i.test(w));
}
/** Identifiers: SCREAMING_SNAKE constants, snake_case names, member access (optional chaining too). */
const IDENTIFIER = [
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/,
    /^[a-z]+(?:_[a-z]+)+$/,
    /^[A-Za-z_$][A-Za-z_$]*(?:[?!]?\.[A-Za-z_$][A-Za-z0-9_$]*)+$/,
];
function isCredentialValue(value) {
    // Padding belongs to base64; without it `NAME=` at the end of a line is still a name.
    const v = value.replace(/=+$/, '');
    if (PROVIDER_PREFIX.test(v))
        return false;
    if (isFilePath(v))
        return false;
    // Negations and generated suffixes around a name: `!!node.exclamationToken`, `OpeningParenToken$1`.
    const name = v.replace(/^!+/, '').replace(/\$[0-9]{1,3}$/, '');
    if (isCamelCaseName(name) || IDENTIFIER.some((re) => re.test(name)))
        return false;
    return !NOT_CREDENTIALS.some((re) => re.test(v));
}
function sampleValue(gen) {
    return gen.chars(ALNUM, gen.int(24, 40));
}
const genericRule = {
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
            const cases = [
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
const genericRules = [jwtRule, insecureTransportRule, genericRule];

;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
;// CONCATENATED MODULE: ./src/scan/checksum.ts

/** The digits GitHub and npm use to write a token's CRC32: 0-9, then A-Z, then a-z. */
const BASE62_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** CRC-32 (IEEE 802.3, the one zlib computes) of a string's UTF-8 bytes, as an unsigned integer. */
function crc32Of(text) {
    // zlib encodes a string as UTF-8 itself, without the Buffer a near-miss would otherwise cost.
    return (0,external_node_zlib_namespaceObject.crc32)(text) >>> 0;
}
/** `value` written in `digits`' base, left-padded with the zero digit to `width`. */
function encodeBase(value, digits, width) {
    const base = digits.length;
    let out = '';
    let v = value;
    do {
        out = digits[v % base] + out;
        v = Math.floor(v / base);
    } while (v > 0);
    return out.padStart(width, digits[0]);
}
/**
 * GitHub's and npm's token checksum: the last 6 characters are the CRC32 of the random part (not the
 * prefix), in base62, left-padded with zeros.
 */
function base62Crc32(body) {
    return encodeBase(crc32Of(body), BASE62_DIGITS, 6);
}

;// CONCATENATED MODULE: ./src/rules/github.ts


const REVOKE = 'https://github.com/settings/tokens';
/** A GitHub token of the 40-character family: prefix, 30 random base62 characters, 6-character CRC32. */
function githubToken(prefix, gen) {
    const body = gen.chars(ALNUM, 30);
    return `${prefix}${body}${base62Crc32(body)}`;
}
/** The checksum covers the 30 random characters only, not the prefix. */
function validGithubChecksum(token) {
    const rest = token.slice(4);
    return base62Crc32(rest.slice(0, 30)) === rest.slice(30);
}
/** A same-format token whose checksum does not hold: a typo or a made-up value. */
function brokenChecksum(prefix, gen) {
    const token = githubToken(prefix, gen);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    return token.slice(0, -1) + last;
}
const classic = (id, prefix, title, text, url) => ({
    id,
    title,
    provider: 'GitHub',
    severity: 'critical',
    keywords: [prefix],
    // The body follows the prefix at once: text made of prefixes (`ghp_ghp_...`) never reaches the pattern.
    valueRun: { chars: ALNUM, min: 36, within: 0 },
    pattern: new RegExp(`(?<![A-Za-z0-9_])${prefix}[A-Za-z0-9]{36}(?![A-Za-z0-9_])`),
    validate: validGithubChecksum,
    remediation: { text, url },
    samples: {
        secret: (gen) => githubToken(prefix, gen),
        negatives: (gen) => [
            brokenChecksum(prefix, gen),
            `${prefix}${gen.chars(ALNUM, 20)}`,
            `${prefix}...`,
        ],
    },
});
const githubRules = [
    classic('github-pat', 'ghp_', 'GitHub personal access token (classic)', 'Revoke the token in Settings > Developer settings and create a fine-grained one.', REVOKE),
    classic('github-oauth', 'gho_', 'GitHub OAuth access token', 'Revoke the OAuth app authorization, then rotate the app secret if it leaked too.', 'https://github.com/settings/applications'),
    classic('github-user-to-server', 'ghu_', 'GitHub App user-to-server token', 'Revoke the user authorization of the GitHub App.', 'https://github.com/settings/apps/authorizations'),
    classic('github-server-to-server', 'ghs_', 'GitHub App installation token', 'Installation tokens expire within an hour; rotate the App private key that minted it if that leaked.', 'https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/managing-private-keys-for-github-apps'),
    classic('github-refresh', 'ghr_', 'GitHub App refresh token', 'Revoke the user authorization of the GitHub App.', 'https://github.com/settings/apps/authorizations'),
    {
        id: 'github-fine-grained-pat',
        title: 'GitHub fine-grained personal access token',
        provider: 'GitHub',
        severity: 'critical',
        keywords: ['github_pat_'],
        pattern: /github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/,
        remediation: { text: 'Revoke the token in Settings > Developer settings > Fine-grained tokens.', url: 'https://github.com/settings/personal-access-tokens' },
        samples: {
            secret: (gen) => `github_pat_${gen.chars(ALNUM, 22)}_${gen.chars(ALNUM, 59)}`,
            negatives: (gen) => [`github_pat_${gen.chars(ALNUM, 22)}`, 'github_pat_<YOUR_TOKEN>'],
        },
    },
];

;// CONCATENATED MODULE: ./src/scan/placeholder.ts
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
function isPlaceholder(value) {
    const lower = value.toLowerCase();
    if (TEMPLATE_RE.test(lower))
        return true;
    for (const suffix of DOC_SUFFIXES)
        if (value.endsWith(suffix))
            return true;
    if (isMostlyOneCharacter(value))
        return true;
    if (hasLongXRun(lower))
        return true;
    if (hasCountingRun(lower))
        return true;
    return PLACEHOLDER_WORD_RE.test(lower) && isMadeOfPlaceholderWords(value);
}
/**
 * `your-api-key-here`, `YOUR_OPENAI_API_KEY`, `yourApiKeyHere`, `changeme`: at least one placeholder word,
 * and placeholder or filler words make up most of the value. Camel case is split too, which chops a
 * random mixed-case body into short pieces; the coverage threshold is what keeps those pieces from
 * counting.
 */
function isMadeOfPlaceholderWords(value) {
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
        }
        else if (FILLER_WORDS.has(w) || /^[0-9]{1,4}$/.test(w)) {
            explained += w.length;
        }
    }
    return marked && explained >= total * WORD_COVERAGE;
}
/** A body of one repeated character (after any prefix) is a placeholder such as `sk-aaaaaaaa`. */
function isMostlyOneCharacter(value) {
    let longest = 0;
    let run = 0;
    for (let i = 0; i < value.length; i++) {
        run = i > 0 && value[i] === value[i - 1] ? run + 1 : 1;
        if (run > longest)
            longest = run;
    }
    return longest >= 6 && longest * 2 >= value.length;
}
/**
 * `sk-xxxxxxxxxxxxxxxx`, `AKIAXXXXXXXXXXXXXXXX`, `xxxx-xxxx`: a run of eight x's anywhere, or of four that
 * stands alone between delimiters. A random base62 body has four x's in a row about once in a million.
 */
function hasLongXRun(lower) {
    if (lower.includes('xxxxxxxx'))
        return true;
    return /(?:^|[^a-z0-9])x{4,}(?:$|[^a-z0-9])/.test(lower);
}
/**
 * Typed by a person counting: one run of eight (`12345678`, `0123456789abcdef`), or a value made mostly of
 * runs of three or more (`abc123xyz456`). Random bodies have a run of three about once in 4,000 characters.
 */
function hasCountingRun(lower) {
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
            if (run >= 8)
                return true;
        }
        else {
            if (run >= 3)
                inRuns += run;
            run = 1;
        }
    }
    return lower.length >= 6 && inRuns >= lower.length * 0.75;
}

;// CONCATENATED MODULE: ./src/rules/messaging.ts



// ---------------------------------------------------------------------------------------------------
// Context-keyed rules. Some formats (a Twilio auth token is 32 hex digits) look like any hash, so these
// rules fire only where a variable named after the provider is assigned. The pattern starts at the
// provider's name (the keyword) and runs through the rest of the variable name and an assignment in any
// common syntax: `=`, `:`, `=>`, `:=`, JSON `": "`, XML `" value="`, escaped notebook quotes `\"] = \"`.
// ---------------------------------------------------------------------------------------------------
/** Closing quotes or brackets, an assignment operator, opening quotes. */
const messaging_ASSIGN = String.raw `[\\"'\`\]]{0,4}\s{0,3}(?:=>|:=|=|:|value\s{0,2}=)\s{0,3}[\\"'\`]{0,2}`;
const messaging_END = '(?![A-Za-z0-9_-])';
/** A pattern for `<provider><name tail>[<word><name tail>] <assign> <value>`, capturing the value as `secret`. */
function contextual(provider, value, alsoInName) {
    const name = anyCase(provider) + NAME_TAIL + (alsoInName === undefined ? '' : anyCase(alsoInName) + NAME_TAIL);
    return new RegExp(`${name}${messaging_ASSIGN}(?<secret>${value})${messaging_END}`);
}
// ---------------------------------------------------------------------------------------------------
// Slack
// ---------------------------------------------------------------------------------------------------
const digits = (gen, min, max) => gen.chars('123456789', 1) + gen.chars(DIGITS, gen.int(min, max) - 1);
const SLACK_PLACEHOLDERS = [
    'SLACK_TOKEN=<SLACK_TOKEN>',
    'SLACK_TOKEN=${{ secrets.SLACK_TOKEN }}',
    'const token = process.env.SLACK_BOT_TOKEN;',
];
const slackToken = (id, title, keywords, pattern, secret, placeholder, text) => ({
    id,
    title,
    provider: 'Slack',
    severity: 'high',
    keywords,
    pattern,
    minEntropy: 3,
    remediation: { text, url: 'https://api.slack.com/apps' },
    samples: {
        secret,
        negatives: (gen) => {
            const real = secret(gen);
            return [real.slice(0, real.lastIndexOf('-') + 6), placeholder, ...SLACK_PLACEHOLDERS];
        },
    },
});
function slackWebhook(gen) {
    return `https://hooks.slack.com/services/T${gen.chars(UPPER + DIGITS, 10)}/B${gen.chars(UPPER + DIGITS, 10)}/${gen.chars(ALNUM, 24)}`;
}
// ---------------------------------------------------------------------------------------------------
// Discord
// ---------------------------------------------------------------------------------------------------
/**
 * A Discord bot token is `<base64 of the bot's user id>.<timestamp>.<HMAC>`. The first part must decode
 * to a snowflake (17 to 20 decimal digits); a token whose first part does not is dropped.
 */
function validDiscordBotToken(token) {
    const first = token.slice(0, token.indexOf('.'));
    return /^[1-9][0-9]{16,19}$/.test(Buffer.from(first, 'base64').toString('latin1'));
}
function discordBotToken(gen) {
    const userId = Buffer.from(digits(gen, 18, 19)).toString('base64').replace(/=+$/, '');
    return `${userId}.${gen.chars(BASE64URL, 6)}.${gen.chars(BASE64URL, gen.pick([27, 38]))}`;
}
function discordWebhook(gen, host = 'discord.com') {
    return `https://${host}/api/webhooks/${digits(gen, 18, 19)}/${gen.chars(BASE64URL, 68)}`;
}
// ---------------------------------------------------------------------------------------------------
// Telegram, Twilio, SendGrid, Mailgun
// ---------------------------------------------------------------------------------------------------
/** `<bot id>:AA<33 base64url>`: the part after the colon is 35 characters and starts with `AA`. */
function telegramToken(gen) {
    return `${digits(gen, 8, 10)}:AA${gen.chars(BASE64URL, 33)}`;
}
function sendgridKey(gen) {
    return `SG.${gen.chars(BASE64URL, 22)}.${gen.chars(BASE64URL, 43)}`;
}
function mailgunKey(gen) {
    return gen.int(0, 1) === 0 ? `key-${gen.chars(HEX, 32)}` : `${gen.chars(HEX, 32)}-${gen.chars(HEX, 8)}-${gen.chars(HEX, 8)}`;
}
const messagingRules = [
    slackToken('slack-bot-token', 'Slack bot token', ['xoxb-'], 
    // Current bot tokens have two numeric parts; legacy bot tokens have one.
    /(?<![A-Za-z0-9_-])xoxb-[0-9]{8,14}-(?:[0-9]{8,14}-)?[A-Za-z0-9]{18,34}(?![A-Za-z0-9_-])/, (gen) => `xoxb-${digits(gen, 10, 13)}-${digits(gen, 10, 13)}-${gen.chars(ALNUM, 24)}`, 'SLACK_BOT_TOKEN=xoxb-your-token', 'Revoke the token (auth.revoke) or reinstall the app to rotate it, from the app settings on api.slack.com.'),
    slackToken('slack-user-token', 'Slack user token', ['xoxp-'], /(?<![A-Za-z0-9_.-])xoxp-[0-9]{7,14}-[0-9]{7,14}-[0-9]{7,14}-[A-Za-z0-9]{28,34}(?![A-Za-z0-9_-])/, (gen) => `xoxp-${digits(gen, 10, 13)}-${digits(gen, 10, 13)}-${digits(gen, 10, 13)}-${gen.chars(HEX, 32)}`, 'SLACK_USER_TOKEN=xoxp-your-user-token', 'Revoke the token (auth.revoke) or remove the app authorization; it acts as the user who installed it.'),
    slackToken('slack-app-token', 'Slack app-level token', ['xapp-'], /(?<![A-Za-z0-9_-])xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,14}-[a-f0-9]{64}(?![A-Za-z0-9_-])/, (gen) => `xapp-1-A${gen.chars(UPPER + DIGITS, 10)}-${digits(gen, 13, 13)}-${gen.chars(HEX, 64)}`, 'SLACK_APP_TOKEN=xapp-1-your-app-token', 'Revoke the app-level token under Basic Information > App-Level Tokens and generate a new one.'),
    slackToken('slack-configuration-token', 'Slack app configuration token', ['xoxe.xoxp-', 'xoxe.xoxb-', 'xoxe-'], 
    // Configuration access tokens (`xoxe.xoxp-`) and their refresh tokens (`xoxe-`).
    /(?<![A-Za-z0-9_-])xoxe(?:\.xox[bp])?-[0-9]-[A-Za-z0-9]{140,180}(?![A-Za-z0-9_-])/, (gen) => (gen.int(0, 1) === 0 ? `xoxe.xoxp-1-${gen.chars(ALNUM, 163)}` : `xoxe-1-${gen.chars(ALNUM, 146)}`), 'SLACK_CONFIG_TOKEN=xoxe.xoxp-1-your-config-token', 'Revoke the configuration token with tooling.tokens.rotate or from Your Apps; it can create and change apps.'),
    {
        id: 'slack-webhook-url',
        title: 'Slack incoming webhook URL',
        provider: 'Slack',
        severity: 'medium',
        keywords: ['https://hooks.slack.com/'],
        pattern: /https:\/\/hooks\.slack\.com\/(?:services\/T[A-Z0-9]{8,12}\/B[A-Z0-9]{8,12}\/[A-Za-z0-9]{24}|(?:workflows|triggers)\/T[A-Z0-9]{8,12}\/A[A-Z0-9]{8,12}\/[0-9]{15,20}\/[A-Za-z0-9]{32})(?![A-Za-z0-9_-])/,
        remediation: { text: 'Anyone with the URL can post to the channel: remove the webhook from the app and add a new one.', url: 'https://api.slack.com/messaging/webhooks' },
        samples: {
            secret: slackWebhook,
            name: 'SLACK_WEBHOOK_URL',
            positives: (gen) => {
                const url = slackWebhook(gen);
                return [{ text: `curl -X POST -H 'Content-type: application/json' --data '{"text":"hi"}' ${url}\n`, secret: url }];
            },
            negatives: () => [
                'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
                'https://hooks.slack.com/services/TXXXX/BXXXX/your-webhook',
                'SLACK_WEBHOOK_URL=${{ secrets.SLACK_WEBHOOK_URL }}',
            ],
        },
    },
    {
        id: 'discord-bot-token',
        title: 'Discord bot token',
        provider: 'Discord',
        severity: 'high',
        // The format has no literal prefix, so the rule needs a `discord...` name or an `Authorization: Bot` header.
        keywords: ['discord', 'bot '],
        // The token's first dot comes within a name's tail (40), an assignment (14) and the token's first
        // part (28) of either keyword; text made of the keywords alone never reaches the pattern.
        valueRun: { chars: '.', min: 1, within: 40 + 14 + 28 },
        pattern: new RegExp(`(?:${anyCase('discord')}${NAME_TAIL}${messaging_ASSIGN}|(?<![A-Za-z])Bot\\s{1,2})(?<secret>[MNO][A-Za-z0-9_-]{22,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38})${messaging_END}`),
        validate: validDiscordBotToken,
        remediation: { text: 'Reset the token on the Bot page of the application in the Discord Developer Portal.', url: 'https://discord.com/developers/applications' },
        samples: {
            secret: discordBotToken,
            name: 'DISCORD_BOT_TOKEN',
            positives: (gen) => {
                const token = discordBotToken(gen);
                return [{ text: `headers = {"Authorization": "Bot ${token}"}\n`, secret: token }];
            },
            negatives: (gen) => [
                `BOT_TOKEN=${discordBotToken(gen)}`,
                `DISCORD_TOKEN=${Buffer.from('not-a-snowflake-id').toString('base64')}.${gen.chars(BASE64URL, 6)}.${gen.chars(BASE64URL, 27)}`,
                'DISCORD_TOKEN=${{ secrets.DISCORD_TOKEN }}',
                'DISCORD_TOKEN=<your-bot-token>',
            ],
        },
    },
    {
        id: 'discord-webhook-url',
        title: 'Discord webhook URL',
        provider: 'Discord',
        severity: 'medium',
        keywords: ['https://discord.com/api/', 'https://discordapp.com/api/', 'https://ptb.discord.com/api/', 'https://canary.discord.com/api/'],
        pattern: /https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/(?:v[0-9]{1,2}\/)?webhooks\/[0-9]{17,20}\/[A-Za-z0-9_-]{60,80}(?![A-Za-z0-9_-])/,
        remediation: { text: 'Anyone with the URL can post as the webhook: delete it under Server Settings > Integrations > Webhooks.', url: 'https://support.discord.com/hc/en-us/articles/228383668-Intro-to-Webhooks' },
        samples: {
            secret: (gen) => discordWebhook(gen, gen.pick(['discord.com', 'discordapp.com'])),
            name: 'DISCORD_WEBHOOK_URL',
            positives: (gen) => {
                const legacy = discordWebhook(gen, 'discordapp.com');
                return [{ text: `requests.post("${legacy}", json={"content": "deployed"})\n`, secret: legacy }];
            },
            negatives: (gen) => [
                `https://discord.com/api/webhooks/${digits(gen, 18, 18)}/${gen.chars(BASE64URL, 20)}`,
                'https://discord.com/api/webhooks/<id>/<token>',
                'DISCORD_WEBHOOK_URL=${{ secrets.DISCORD_WEBHOOK_URL }}',
            ],
        },
    },
    {
        id: 'telegram-bot-token',
        title: 'Telegram bot token',
        provider: 'Telegram',
        severity: 'high',
        keywords: [':aa'],
        // The bot id comes before the keyword. Bot API URLs write the token right after `/bot`.
        pattern: /(?:(?<=bot)|(?<![A-Za-z0-9_]))[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/,
        lookback: 14,
        maxLength: 60,
        // The lookbehind lets the bot id start only where its run of digits starts.
        startRun: { chars: DIGITS, min: 8, max: 10 },
        remediation: { text: 'Send /revoke to @BotFather for this bot to invalidate the token and get a new one.', url: 'https://core.telegram.org/bots/features#botfather' },
        samples: {
            secret: telegramToken,
            positives: (gen) => {
                const token = telegramToken(gen);
                return [{ text: `curl https://api.telegram.org/bot${token}/getMe\n`, secret: token }];
            },
            negatives: (gen) => [
                `${digits(gen, 9, 9)}:AA${gen.chars(BASE64URL, 20)}`,
                `${digits(gen, 9, 9)}:BB${gen.chars(BASE64URL, 33)}`,
                'TELEGRAM_BOT_TOKEN=123456789:AAyour-telegram-bot-token-goes-here',
                'TELEGRAM_BOT_TOKEN=${{ secrets.TELEGRAM_BOT_TOKEN }}',
            ],
        },
    },
    {
        id: 'twilio-api-key-sid',
        title: 'Twilio API key SID',
        provider: 'Twilio',
        // The SID names the key; its secret is usually a line away. Reported so both get rotated together.
        severity: 'medium',
        keywords: ['twilio'],
        valueRun: assignedValueGates(ALNUM, 34),
        pattern: contextual('twilio', 'SK[0-9a-fA-F]{32}'),
        remediation: { text: 'Delete the API key in the Twilio Console (Account > API keys) and create a new one.', url: 'https://console.twilio.com/us1/account/keys-credentials/api-keys' },
        samples: {
            secret: (gen) => `SK${gen.chars(HEX, 32)}`,
            name: 'TWILIO_API_KEY',
            negatives: (gen) => [`API_KEY=SK${gen.chars(HEX, 32)}`, `TWILIO_API_KEY=SK${gen.chars(HEX, 20)}`, 'TWILIO_API_KEY=${{ secrets.TWILIO_API_KEY }}'],
        },
    },
    {
        id: 'twilio-api-key-secret',
        title: 'Twilio API key secret',
        provider: 'Twilio',
        severity: 'high',
        keywords: ['twilio'],
        valueRun: assignedValueGates(ALNUM, 32),
        pattern: contextual('twilio', '[A-Za-z0-9]{32}', 'secret'),
        minEntropy: 3.5,
        remediation: { text: 'Delete the API key in the Twilio Console (Account > API keys) and create a new one.', url: 'https://console.twilio.com/us1/account/keys-credentials/api-keys' },
        samples: {
            secret: (gen) => gen.chars(ALNUM, 32),
            name: 'TWILIO_API_SECRET',
            negatives: (gen) => [`API_SECRET=${gen.chars(ALNUM, 32)}`, `TWILIO_API_SECRET=${gen.chars(ALNUM, 20)}`, 'TWILIO_API_SECRET=<your-api-secret>'],
        },
    },
    {
        id: 'twilio-auth-token',
        title: 'Twilio auth token',
        provider: 'Twilio',
        severity: 'high',
        keywords: ['twilio'],
        valueRun: assignedValueGates(ALNUM, 32),
        pattern: contextual('twilio', '[0-9a-f]{32}'),
        minEntropy: 3,
        remediation: { text: 'Rotate the auth token in the Twilio Console (promote the secondary token), then update every client.', url: 'https://help.twilio.com/articles/223136027-Auth-Tokens-and-How-to-Change-Them' },
        samples: {
            secret: (gen) => gen.chars(HEX, 32),
            name: 'TWILIO_AUTH_TOKEN',
            negatives: (gen) => [
                `AUTH_TOKEN=${gen.chars(HEX, 32)}`,
                `TWILIO_AUTH_TOKEN=${gen.chars(HEX, 40)}`,
                'TWILIO_AUTH_TOKEN=${{ secrets.TWILIO_AUTH_TOKEN }}',
                'TWILIO_AUTH_TOKEN=process.env.TWILIO_AUTH_TOKEN',
            ],
        },
    },
    {
        id: 'sendgrid-api-key',
        title: 'SendGrid API key',
        provider: 'SendGrid',
        severity: 'high',
        keywords: ['sg.'],
        pattern: /(?<![A-Za-z0-9_.-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/,
        minEntropy: 3.5,
        remediation: { text: 'Delete the key under Settings > API Keys in SendGrid and create one with only the scopes needed.', url: 'https://app.sendgrid.com/settings/api_keys' },
        samples: {
            secret: sendgridKey,
            negatives: (gen) => [`SG.${gen.chars(BASE64URL, 22)}.${gen.chars(BASE64URL, 20)}`, 'SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'SENDGRID_API_KEY=${{ secrets.SENDGRID_API_KEY }}'],
        },
    },
    {
        id: 'mailgun-api-key',
        title: 'Mailgun API key',
        provider: 'Mailgun',
        severity: 'high',
        keywords: ['mailgun'],
        // Legacy keys are `key-` and 32 hex digits; current ones are 32-8-8 hex groups.
        valueRun: assignedValueGates(`${ALNUM}-`, 36),
        pattern: contextual('mailgun', 'key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}'),
        minEntropy: 3,
        // The generic placeholder filter reads the `key-` prefix as the placeholder word "key"; check the body instead.
        skipPlaceholderCheck: true,
        validate: (secret) => !isPlaceholder(secret.replace(/^key-/, '')),
        remediation: { text: 'Delete the key under API Security in the Mailgun control panel and create a new one.', url: 'https://app.mailgun.com/settings/api_security' },
        samples: {
            secret: mailgunKey,
            name: 'MAILGUN_API_KEY',
            negatives: (gen) => [`API_KEY=${mailgunKey(gen)}`, `MAILGUN_API_KEY=key-${gen.chars(HEX, 20)}`, `MAILGUN_API_KEY=key-${'0'.repeat(32)}`, 'MAILGUN_API_KEY=${{ secrets.MAILGUN_API_KEY }}'],
        },
    },
];

;// CONCATENATED MODULE: ./src/rules/packages.ts


/** npm tokens copy GitHub's design: `npm_`, 30 random base62 characters, then their CRC32 in 6 base62 digits. */
function npmToken(gen) {
    const body = gen.chars(ALNUM, 30);
    return `npm_${body}${base62Crc32(body)}`;
}
// Macaroon v2 binary serialization (libmacaroons / pymacaroons): a version byte 2, then packets of
// (field type varint, length varint, data). Field 1 is the location, 2 an identifier, 4 a verification
// id, 6 the 32-byte signature; type 0 ends a section.
const MACAROON_V2 = 2;
const FIELD_EOS = 0;
const FIELD_LOCATION = 1;
const FIELD_IDENTIFIER = 2;
const FIELD_VID = 4;
const FIELD_SIGNATURE = 6;
const SIGNATURE_BYTES = 32;
/** Reads unsigned LEB128 varints and packets from a buffer; `undefined` on truncation. */
class MacaroonReader {
    buf;
    at = 0;
    constructor(buf) {
        this.buf = buf;
    }
    get done() {
        return this.at === this.buf.length;
    }
    varint() {
        let value = 0;
        for (let shift = 0; shift < 28; shift += 7) {
            const byte = this.buf[this.at++];
            if (byte === undefined)
                return undefined;
            value += (byte & 0x7f) * 2 ** shift;
            if ((byte & 0x80) === 0)
                return value;
        }
        return undefined;
    }
    packet() {
        const type = this.varint();
        if (type === undefined)
            return undefined;
        if (type === FIELD_EOS)
            return { type, data: Buffer.alloc(0) };
        const length = this.varint();
        if (length === undefined || this.at + length > this.buf.length)
            return undefined;
        const data = this.buf.subarray(this.at, this.at + length);
        this.at += length;
        return { type, data };
    }
}
/**
 * True when `serialized` (base64url, no padding) is a well-formed v2 macaroon issued for `location`:
 * location, identifier, zero or more caveats, then a 32-byte signature and nothing after it. The HMAC
 * itself cannot be checked offline, but random or truncated text never has this structure.
 */
function isMacaroonFor(serialized, location) {
    if (serialized.length % 4 === 1)
        return false;
    const reader = new MacaroonReader(Buffer.from(serialized, 'base64url'));
    if (reader.varint() !== MACAROON_V2)
        return false;
    const loc = reader.packet();
    if (loc?.type !== FIELD_LOCATION || loc.data.toString('latin1') !== location)
        return false;
    const id = reader.packet();
    if (id?.type !== FIELD_IDENTIFIER || id.data.length === 0)
        return false;
    if (reader.packet()?.type !== FIELD_EOS)
        return false;
    // Caveats: each is [location] identifier [vid] EOS; an empty section (a bare EOS) ends the list.
    for (;;) {
        const first = reader.packet();
        if (first === undefined)
            return false;
        if (first.type === FIELD_EOS)
            break;
        let packet = first;
        let seenId = false;
        while (packet !== undefined && packet.type !== FIELD_EOS) {
            if (packet.type === FIELD_IDENTIFIER)
                seenId = true;
            else if (packet.type !== FIELD_LOCATION && packet.type !== FIELD_VID)
                return false;
            packet = reader.packet();
        }
        if (packet === undefined || !seenId)
            return false;
    }
    const sig = reader.packet();
    return sig?.type === FIELD_SIGNATURE && sig.data.length === SIGNATURE_BYTES && reader.done;
}
function varint(n) {
    const out = [];
    let v = n;
    while (v >= 0x80) {
        out.push((v & 0x7f) | 0x80);
        v = Math.floor(v / 128);
    }
    out.push(v);
    return out;
}
function field(type, data) {
    return Buffer.concat([Buffer.from([...varint(type), ...varint(data.length)]), data]);
}
function uuid(gen) {
    return [8, 4, 4, 4, 12].map((n) => gen.chars(HEX, n)).join('-');
}
/** A macaroon shaped like the ones PyPI mints: a UUID identifier, one project-scope caveat, a signature. */
function pypiToken(location, gen) {
    const caveat = gen.pick([`[1,["${gen.chars('abcdefghijklmnopqrstuvwxyz-', gen.int(4, 30))}"]]`, `{"permissions": "user", "version": 1}`]);
    const bytes = Buffer.concat([
        Buffer.from([MACAROON_V2]),
        field(FIELD_LOCATION, Buffer.from(location)),
        field(FIELD_IDENTIFIER, Buffer.from(uuid(gen))),
        Buffer.from([FIELD_EOS]),
        field(FIELD_IDENTIFIER, Buffer.from(caveat)),
        Buffer.from([FIELD_EOS, FIELD_EOS]),
        field(FIELD_SIGNATURE, Buffer.from(gen.bytes(SIGNATURE_BYTES))),
    ]);
    return `pypi-${bytes.toString('base64url')}`;
}
/**
 * `encoded` is the fixed start of the base64url serialization: version 2, the location field and the
 * first bits of the identifier field type. Real tokens run from about 170 to a few hundred characters.
 */
const pypiRule = (id, title, location, encoded, severity, url) => ({
    id,
    title,
    provider: 'PyPI',
    severity,
    keywords: [`pypi-${encoded}`.toLowerCase()],
    pattern: new RegExp(`(?<![A-Za-z0-9_-])pypi-${encoded}[A-Za-z0-9_-]{60,1000}(?![A-Za-z0-9_-])`),
    // A token that is not a complete macaroon for this index is dropped: a truncated paste or a made-up value.
    validate: (secret) => isMacaroonFor(secret.slice('pypi-'.length), location),
    remediation: { text: 'Remove the API token in Account settings > API tokens and publish with Trusted Publishing instead.', url },
    samples: {
        secret: (gen) => pypiToken(location, gen),
        positives: (gen) => {
            const token = pypiToken(location, gen);
            return [{ text: `[pypi]\nusername = __token__\npassword = ${token}\n`, secret: token }];
        },
        negatives: (gen) => [
            pypiToken(location, gen).slice(0, -8),
            `pypi-${encoded}${gen.chars(ALNUM, 120)}`,
            `TWINE_PASSWORD=pypi-${encoded}...`,
            'TWINE_PASSWORD=${{ secrets.PYPI_API_TOKEN }}',
        ],
    },
});
const packageRules = [
    {
        id: 'npm-access-token',
        title: 'npm access token',
        provider: 'npm',
        severity: 'critical',
        keywords: ['npm_'],
        valueRun: { chars: ALNUM, min: 36, within: 0 },
        pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/,
        // A token whose CRC32 does not hold is dropped: npm never issued it.
        validate: (secret) => base62Crc32(secret.slice(4, 34)) === secret.slice(34),
        remediation: { text: 'Delete the token on npmjs.com (Access Tokens) and publish from CI with trusted publishing.', url: 'https://docs.npmjs.com/revoking-access-tokens' },
        samples: {
            secret: npmToken,
            positives: (gen) => {
                const token = npmToken(gen);
                return [{ text: `//registry.npmjs.org/:_authToken=${token}\n`, secret: token }];
            },
            negatives: (gen) => {
                const token = npmToken(gen);
                return [
                    token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'),
                    `npm_${gen.chars(ALNUM, 30)}`,
                    '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
                    'NPM_TOKEN=npm_...',
                    'NODE_AUTH_TOKEN=process.env.NPM_TOKEN',
                ];
            },
        },
    },
    // "AgEIcHlwaS5vcmc" decodes to 02 01 08 "pypi.org"; "AgENdGVzdC5weXBpLm9yZw" to 02 01 0d "test.pypi.org".
    pypiRule('pypi-upload-token', 'PyPI API token', 'pypi.org', 'AgEIcHlwaS5vcmc', 'critical', 'https://pypi.org/manage/account/token/'),
    pypiRule('pypi-test-upload-token', 'TestPyPI API token', 'test.pypi.org', 'AgENdGVzdC5weXBpLm9yZw', 'low', 'https://test.pypi.org/manage/account/token/'),
];

;// CONCATENATED MODULE: ./src/rules/payment.ts

/**
 * Stripe keys are `<sk|rk>_<live|test>_` and an opaque alphanumeric body: 24 characters for older keys,
 * 99 for current ones. Stripe reserves the right to lengthen them (up to 255 characters in all).
 */
function stripeKey(prefix, gen) {
    return prefix + gen.chars(ALNUM, gen.pick([24, 99]));
}
const stripe = (id, prefix, title, severity, text, url) => ({
    id,
    title,
    provider: 'Stripe',
    severity,
    keywords: [prefix],
    pattern: new RegExp(`(?<![A-Za-z0-9_])${prefix}[A-Za-z0-9]{20,247}(?![A-Za-z0-9_])`),
    minEntropy: 3,
    remediation: { text, url },
    samples: {
        secret: (gen) => stripeKey(prefix, gen),
        positives: (gen) => {
            const key = stripeKey(prefix, gen);
            return [{ text: `curl https://api.stripe.com/v1/charges -u ${key}:\n`, secret: key }];
        },
        negatives: (gen) => [
            `${prefix}${gen.chars(ALNUM, 12)}`,
            `${prefix}...`,
            `STRIPE_KEY=${prefix}${'x'.repeat(24)}`,
            `STRIPE_KEY=${prefix}YOUR_STRIPE_KEY_GOES_HERE_1234`,
            'STRIPE_SECRET_KEY=${{ secrets.STRIPE_SECRET_KEY }}',
        ],
    },
});
/** Shopify tokens: a 5-letter type prefix, an underscore and 32 hex digits. */
const shopify = (id, prefix, title, text) => ({
    id,
    title,
    provider: 'Shopify',
    severity: 'high',
    keywords: [prefix],
    pattern: new RegExp(`(?<![A-Za-z0-9_])${prefix}[a-fA-F0-9]{32}(?![A-Za-z0-9_])`),
    minEntropy: 2.5,
    remediation: { text, url: 'https://help.shopify.com/en/manual/apps/app-types/custom-apps' },
    samples: {
        secret: (gen) => prefix + gen.chars(HEX, 32),
        negatives: (gen) => [`${prefix}${gen.chars(HEX, 20)}`, `${prefix}${'0'.repeat(32)}`, `${prefix}<token>`],
    },
});
const STRIPE_LIVE_KEYS = 'https://dashboard.stripe.com/apikeys';
const STRIPE_TEST_KEYS = 'https://dashboard.stripe.com/test/apikeys';
const paymentRules = [
    stripe('stripe-live-secret-key', 'sk_live_', 'Stripe live secret key', 'critical', 'Roll the key in the Stripe Dashboard (Developers > API keys) and review recent charges and payouts.', STRIPE_LIVE_KEYS),
    stripe('stripe-live-restricted-key', 'rk_live_', 'Stripe live restricted key', 'high', 'Roll or delete the restricted key in the Stripe Dashboard; its permissions decide the damage.', STRIPE_LIVE_KEYS),
    stripe('stripe-test-secret-key', 'sk_test_', 'Stripe test-mode secret key', 'low', 'Test keys move no money, but roll it: it exposes test data and account details.', STRIPE_TEST_KEYS),
    stripe('stripe-test-restricted-key', 'rk_test_', 'Stripe test-mode restricted key', 'low', 'Roll the test-mode restricted key in the Stripe Dashboard.', STRIPE_TEST_KEYS),
    shopify('shopify-access-token', 'shpat_', 'Shopify Admin API access token', 'Uninstall or rotate the custom app in the Shopify admin to invalidate its Admin API token.'),
    shopify('shopify-custom-app-token', 'shpca_', 'Shopify custom app access token', 'Uninstall or rotate the custom app in the Shopify admin to invalidate its token.'),
    shopify('shopify-private-app-token', 'shppa_', 'Shopify private app password', 'Delete the private app or regenerate its password in the Shopify admin.'),
    shopify('shopify-shared-secret', 'shpss_', 'Shopify app shared secret', 'Rotate the app client secret in the Partner Dashboard or the app settings.'),
];

;// CONCATENATED MODULE: ./src/rules/private-keys.ts


/*
 * PEM-armoured private keys. A key is pasted in three shapes, and one pattern covers them all:
 * a plain block (real newlines), a JSON or .env string (newlines escaped as `\n`), and a YAML block
 * scalar (real newlines followed by indentation). The secret is the whole BEGIN..END block, exactly
 * as it stands in the text, so that a rule that sees the same block inside a larger structure (a GCP
 * service-account file) lands on the same span.
 */
/** A line break as it appears in each shape, plus the indentation of a YAML block scalar. */
const SEP = String.raw `(?:\r?\n|\\r\\n|\\n)[ \t]{0,16}`;
/**
 * One body line: base64, a PGP checksum (`=abcd`) or an RFC 1421 header (`Proc-Type: 4,ENCRYPTED`,
 * `Version: GnuPG`). It never starts with `-`, so it cannot swallow the END line, and it excludes
 * backslashes and quotes, so an escaped key inside a JSON string ends where the string does.
 * Up to 4096 characters: some tools write the whole body on one line.
 */
const LINE = String.raw `(?:[A-Za-z0-9+/=][A-Za-z0-9+/=:,. _()@<>-]{0,4095})?`;
/** Enough lines for a 4096-bit RSA key at 64 per line, or a PGP key block with subkeys. */
const MAX_LINES = 400;
/** The body must carry at least this much base64: a BEGIN/END pair around prose is documentation. */
const MIN_BODY = 64;
/** Random DER in base64 sits near 6 bits per character; a filler body (`AAAA…`, `XXXX…`) is far below. */
const MIN_BODY_ENTROPY = 4.5;
/** Splits a matched block into its RFC 1421 headers and its base64 body; undefined if a line is neither. */
function parseBody(block) {
    const lines = block.split(/\r?\n|\\r\\n|\\n/).map((l) => l.trim());
    const headers = new Map();
    let base64 = '';
    for (const line of lines) {
        if (line.length === 0 || line.startsWith('-----'))
            continue;
        const header = /^([A-Za-z][A-Za-z0-9-]{0,63}):\s?(.*)$/.exec(line);
        if (header !== null) {
            headers.set(header[1].toLowerCase(), header[2]);
            continue;
        }
        // The CRC-24 line that closes an OpenPGP armour.
        if (/^=[A-Za-z0-9+/]{4}$/.test(line))
            continue;
        // Padding may wrap onto a line of its own.
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(line))
            return undefined;
        base64 += line;
    }
    return { headers, base64 };
}
/** A body that is real key material: long enough, all base64, and as varied as encoded DER is. */
function hasKeyMaterial(body) {
    return body !== undefined && body.base64.length >= MIN_BODY && shannonEntropy(body.base64) >= MIN_BODY_ENTROPY;
}
/** RFC 1421 encryption, written by `openssl rsa -aes256` and older OpenSSL: the key needs its passphrase. */
function hasPemEncryption(body) {
    return /ENCRYPTED/i.test(body.headers.get('proc-type') ?? '') || body.headers.has('dek-info');
}
const OPENSSH_MAGIC = 'openssh-key-v1\0';
/**
 * The cipher an OpenSSH key is sealed with (`none` when unencrypted), read from the binary header
 * (PROTOCOL.key: magic, then the cipher name as a length-prefixed string). Undefined when the body
 * is not an openssh-key-v1 structure.
 */
function opensshCipher(base64) {
    const bytes = Buffer.from(base64.slice(0, 128), 'base64');
    if (bytes.subarray(0, OPENSSH_MAGIC.length).toString('latin1') !== OPENSSH_MAGIC)
        return undefined;
    if (bytes.length < OPENSSH_MAGIC.length + 4)
        return undefined;
    const len = bytes.readUInt32BE(OPENSSH_MAGIC.length);
    const start = OPENSSH_MAGIC.length + 4;
    if (len === 0 || len > 64 || start + len > bytes.length)
        return undefined;
    return bytes.subarray(start, start + len).toString('latin1');
}
const REGENERATE = 'Treat the key as compromised: generate a new key pair, replace the public half wherever it is trusted, and delete the old one.';
function pattern(label) {
    // The label is a fixed string; the body is at most MAX_LINES bounded lines, so a BEGIN without an
    // END costs one linear pass over the lines that follow it and nothing more.
    return new RegExp(`-----BEGIN ${label}-----(?:${SEP}${LINE}){1,${MAX_LINES}}${SEP}-----END ${label}-----`);
}
function pemRule(kind) {
    const accept = kind.accept ?? (() => true);
    const width = kind.width ?? 64;
    const bodyOf = kind.body ?? ((gen) => randomBase64(gen, gen.int(12, 24) * 48));
    /** The sample's lines, without BEGIN/END: headers, a blank line after them, then the wrapped body. */
    const lines = (gen) => {
        const head = kind.headers?.(gen) ?? [];
        return [...head, ...(head.length > 0 ? [''] : []), ...wrapLines(bodyOf(gen), width), ...(kind.trailer?.(gen) ?? [])];
    };
    const block = (gen, join, indent = '') => [`-----BEGIN ${kind.label}-----`, ...lines(gen), `-----END ${kind.label}-----`]
        .map((l, i) => (i === 0 || l === '' ? l : indent + l))
        .join(join);
    return {
        id: kind.id,
        title: kind.title,
        provider: 'Private key',
        severity: kind.severity,
        keywords: [`-----begin ${kind.label.toLowerCase()}-----`],
        pattern: pattern(kind.label),
        multiline: true,
        // The body is checked structurally below; a random base64 body may well spell "xxxx" or "your".
        skipPlaceholderCheck: true,
        validate: (block) => {
            const body = parseBody(block);
            return hasKeyMaterial(body) && accept(body);
        },
        remediation: { text: kind.text, url: kind.url },
        samples: {
            secret: (gen) => block(gen, '\n'),
            wrap: false,
            positives: (gen) => {
                const plain = block(gen, '\n');
                const escaped = block(gen, '\\n');
                const yamlKey = block(gen, '\n', '    ');
                return [
                    { text: `${plain}\n`, secret: plain },
                    { text: `{\n  "name": "deploy",\n  "signing_pem": "${escaped}\\n"\n}\n`, secret: escaped },
                    { text: `SIGNING_PEM="${escaped}"\n`, secret: escaped },
                    // A YAML block scalar: every line after BEGIN carries the scalar's indentation.
                    { text: `deploy:\n  signing_pem: |\n    ${yamlKey}\n  user: ci\n`, secret: yamlKey },
                ];
            },
            negatives: (gen) => [
                // Documentation: the armour lines with nothing (or an elision) between them.
                `-----BEGIN ${kind.label}-----\n-----END ${kind.label}-----\n`,
                `-----BEGIN ${kind.label}-----\n...\n-----END ${kind.label}-----\n`,
                `-----BEGIN ${kind.label}-----\n<your key here>\n-----END ${kind.label}-----\n`,
                `const header = "-----BEGIN ${kind.label}-----";\n`,
                // A filler body of one repeated character.
                `-----BEGIN ${kind.label}-----\n${wrapLines('A'.repeat(640), 64).join('\n')}\n-----END ${kind.label}-----\n`,
                // A truncated paste: no END line.
                `-----BEGIN ${kind.label}-----\n${wrapLines(randomBase64(gen, 640), 64).join('\n')}\n`,
                // Public keys and certificates are meant to be shared.
                `-----BEGIN PUBLIC KEY-----\n${wrapLines(randomBase64(gen, 384), 64).join('\n')}\n-----END PUBLIC KEY-----\n`,
                `-----BEGIN CERTIFICATE-----\n${wrapLines(randomBase64(gen, 1024), 64).join('\n')}\n-----END CERTIFICATE-----\n`,
            ],
        },
    };
}
/** Random bytes in standard base64, `n` characters long (a multiple of 4). */
function randomBase64(gen, n) {
    return gen.chars(BASE64, n);
}
function wrapLines(s, width) {
    const out = [];
    for (let i = 0; i < s.length; i += width)
        out.push(s.slice(i, i + width));
    return out;
}
/** An openssh-key-v1 header with the given cipher and KDF, followed by random key bytes. */
function opensshBody(gen, cipher, kdf) {
    const str = (s) => {
        const len = Buffer.alloc(4);
        len.writeUInt32BE(s.length);
        return Buffer.concat([len, Buffer.from(s, 'latin1')]);
    };
    const count = Buffer.alloc(4);
    count.writeUInt32BE(1);
    const kdfOptions = kdf === 'none' ? str('') : str(Buffer.from(gen.bytes(24)).toString('latin1'));
    const rest = Buffer.from(gen.bytes(gen.int(300, 600)));
    return Buffer.concat([Buffer.from(OPENSSH_MAGIC, 'latin1'), str(cipher), str(kdf), kdfOptions, count, rest]).toString('base64');
}
const OPENSSL_REVOKE = 'https://docs.openssl.org/master/man1/openssl-genpkey/';
const SSH_KEYS = 'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/reviewing-your-ssh-keys';
const PEM_KINDS = [
    {
        id: 'private-key-rsa',
        title: 'RSA private key (PKCS#1)',
        label: 'RSA PRIVATE KEY',
        severity: 'critical',
        text: REGENERATE,
        url: OPENSSL_REVOKE,
        accept: (body) => !hasPemEncryption(body),
    },
    {
        id: 'private-key-ec',
        title: 'EC private key',
        label: 'EC PRIVATE KEY',
        severity: 'critical',
        text: REGENERATE,
        url: OPENSSL_REVOKE,
        accept: (body) => !hasPemEncryption(body),
    },
    {
        id: 'private-key-dsa',
        title: 'DSA private key',
        label: 'DSA PRIVATE KEY',
        severity: 'critical',
        text: REGENERATE,
        url: OPENSSL_REVOKE,
        accept: (body) => !hasPemEncryption(body),
    },
    {
        id: 'private-key-pkcs8',
        title: 'Private key (PKCS#8)',
        label: 'PRIVATE KEY',
        severity: 'critical',
        text: REGENERATE,
        url: OPENSSL_REVOKE,
    },
    {
        id: 'private-key-pkcs8-encrypted',
        title: 'Encrypted private key (PKCS#8; still needs its passphrase)',
        label: 'ENCRYPTED PRIVATE KEY',
        severity: 'medium',
        text: 'The key is sealed with a passphrase, which can be brute-forced offline: rotate it, and rotate sooner if the passphrase is weak or stored nearby.',
        url: OPENSSL_REVOKE,
    },
    {
        id: 'private-key-openssh',
        title: 'OpenSSH private key',
        label: 'OPENSSH PRIVATE KEY',
        severity: 'critical',
        text: 'Remove the public key from every authorized_keys file, deploy key and account it was added to, then generate a new one.',
        url: SSH_KEYS,
        width: 70,
        // A body without the openssh-key-v1 magic is still reported, as an unencrypted key: the safe side.
        accept: (body) => (opensshCipher(body.base64) ?? 'none') === 'none',
        body: (gen) => opensshBody(gen, 'none', 'none'),
    },
    {
        id: 'private-key-openssh-encrypted',
        title: 'Encrypted OpenSSH private key (still needs its passphrase)',
        label: 'OPENSSH PRIVATE KEY',
        severity: 'medium',
        text: 'The key is sealed with a passphrase, which can be brute-forced offline: remove its public half from authorized_keys and deploy keys, then generate a new one.',
        url: SSH_KEYS,
        width: 70,
        accept: (body) => {
            const cipher = opensshCipher(body.base64);
            return cipher !== undefined && cipher !== 'none';
        },
        body: (gen) => opensshBody(gen, gen.pick(['aes256-ctr', 'aes256-gcm@openssh.com', 'chacha20-poly1305@openssh.com']), 'bcrypt'),
    },
    {
        id: 'private-key-pgp',
        title: 'PGP private key block',
        label: 'PGP PRIVATE KEY BLOCK',
        severity: 'critical',
        text: 'Publish a revocation certificate for the key, then generate a new key and distribute its public half.',
        url: 'https://www.gnupg.org/gph/en/manual/c14.html',
        headers: () => ['Version: GnuPG v2', 'Comment: exported for CI'],
        body: (gen) => randomBase64(gen, gen.int(20, 40) * 64),
        // The armour's CRC-24 line.
        trailer: (gen) => [`=${randomBase64(gen, 4)}`],
    },
];
/** Legacy OpenSSL encryption (RFC 1421 headers) on a PKCS#1, EC or DSA key. */
const PEM_ENCRYPTED = ['RSA', 'EC', 'DSA'].map((algo) => ({
    id: `private-key-${algo.toLowerCase()}-encrypted`,
    title: `Encrypted ${algo} private key (still needs its passphrase)`,
    label: `${algo} PRIVATE KEY`,
    severity: 'medium',
    text: 'The key is sealed with a passphrase, which can be brute-forced offline: rotate it, and rotate sooner if the passphrase is weak or stored nearby.',
    url: OPENSSL_REVOKE,
    accept: hasPemEncryption,
    headers: (gen) => ['Proc-Type: 4,ENCRYPTED', `DEK-Info: AES-256-CBC,${gen.chars('0123456789ABCDEF', 32)}`],
}));
const privateKeyRules = [...PEM_KINDS, ...PEM_ENCRYPTED].map(pemRule);

;// CONCATENATED MODULE: ./src/rules/saas.ts


// ---------------------------------------------------------------------------------------------------
// Doppler: `dp.<type>.` and 40 to 44 alphanumerics; service tokens may name their config in between
// (`dp.st.prd.…`).
// ---------------------------------------------------------------------------------------------------
const doppler = (id, type, title, severity, text, url, config = false) => {
    const prefix = `dp.${type}.`;
    const escaped = prefix.replace(/\./g, '\\.');
    const body = (gen) => gen.chars(ALNUM, gen.pick([40, 43]));
    return {
        id,
        title,
        provider: 'Doppler',
        severity,
        keywords: [prefix],
        pattern: new RegExp(`(?<![A-Za-z0-9_.-])${escaped}${config ? '(?:[a-z0-9_-]{1,60}\\.)?' : ''}[A-Za-z0-9]{40,44}(?![A-Za-z0-9_-])`),
        minEntropy: 3.5,
        remediation: { text, url },
        samples: {
            secret: (gen) => (config ? `${prefix}${gen.pick(['dev', 'stg', 'prd', 'ci_build'])}.${body(gen)}` : prefix + body(gen)),
            name: 'DOPPLER_TOKEN',
            negatives: (gen) => [`${prefix}${gen.chars(ALNUM, 24)}`, `DOPPLER_TOKEN=${prefix}xxxx`, 'DOPPLER_TOKEN=${{ secrets.DOPPLER_TOKEN }}'],
        },
    };
};
const DOPPLER_TOKENS = 'https://docs.doppler.com/reference/api';
// ---------------------------------------------------------------------------------------------------
// Atlassian API tokens (created since 2023): `ATATT3` + base64url body + `=` + CRC32 in 8 uppercase hex
// digits. The CRC32 covers every character before it, the `=` included.
// ---------------------------------------------------------------------------------------------------
const UPPER_HEX = '0123456789ABCDEF';
function atlassianChecksum(head) {
    return encodeBase(crc32Of(head), UPPER_HEX, 8);
}
/** A token whose checksum does not hold is dropped by the engine: Atlassian never issued it. */
function validAtlassianToken(token) {
    return atlassianChecksum(token.slice(0, -8)) === token.slice(-8);
}
function atlassianToken(gen) {
    // Every token seen so far starts `ATATT3xFfGF0` and has 171 more characters before the `=`.
    const head = `ATATT3xFfGF0${gen.chars(BASE64URL, 171)}=`;
    return head + atlassianChecksum(head);
}
const saasRules = [
    {
        id: 'linear-api-key',
        title: 'Linear personal API key',
        provider: 'Linear',
        severity: 'high',
        keywords: ['lin_api_'],
        pattern: /(?<![A-Za-z0-9_])lin_api_[A-Za-z0-9]{40}(?![A-Za-z0-9_])/,
        minEntropy: 3.5,
        remediation: { text: 'Revoke the key under Settings > Account > Security & access > Personal API keys.', url: 'https://linear.app/settings/account/security' },
        samples: {
            secret: (gen) => `lin_api_${gen.chars(ALNUM, 40)}`,
            negatives: (gen) => [`lin_api_${gen.chars(ALNUM, 30)}`, 'LINEAR_API_KEY=lin_api_...', 'LINEAR_API_KEY=${{ secrets.LINEAR_API_KEY }}'],
        },
    },
    doppler('doppler-personal-token', 'pt', 'Doppler personal token', 'high', 'Revoke the token under Tokens > Personal in the Doppler dashboard; it has your full access.', DOPPLER_TOKENS),
    doppler('doppler-cli-token', 'ct', 'Doppler CLI token', 'high', 'Revoke the CLI token (`doppler logout --yes` or Tokens > CLI); it has your full access.', DOPPLER_TOKENS),
    doppler('doppler-service-token', 'st', 'Doppler service token', 'high', "Revoke the service token on the config's Access tab and issue a new one.", 'https://docs.doppler.com/docs/service-tokens', true),
    doppler('doppler-service-account-token', 'sa', 'Doppler service account token', 'high', 'Revoke the token on the service account page in the Doppler dashboard.', 'https://docs.doppler.com/docs/service-accounts'),
    doppler('doppler-scim-token', 'scim', 'Doppler SCIM token', 'high', 'Regenerate the SCIM token in the workplace security settings; it can provision users.', DOPPLER_TOKENS),
    doppler('doppler-audit-token', 'audit', 'Doppler audit API token', 'medium', 'Regenerate the audit token under Tokens > Audit; it reads the workplace activity log.', 'https://docs.doppler.com/reference/audit-api-reference'),
    {
        id: 'atlassian-api-token',
        title: 'Atlassian API token',
        provider: 'Atlassian',
        severity: 'high',
        keywords: ['atatt3'],
        pattern: /(?<![A-Za-z0-9_-])ATATT3[A-Za-z0-9_-]{100,300}=[0-9A-F]{8}(?![A-Za-z0-9_=-])/,
        validate: validAtlassianToken,
        remediation: { text: 'Revoke the token on your Atlassian account security page; it acts as you in Jira, Confluence and Bitbucket.', url: 'https://id.atlassian.com/manage-profile/security/api-tokens' },
        samples: {
            secret: atlassianToken,
            positives: (gen) => {
                const token = atlassianToken(gen);
                return [{ text: `jira = JIRA(server=url, basic_auth=("ops@example.invalid", "${token}"))\n`, secret: token }];
            },
            negatives: (gen) => {
                const token = atlassianToken(gen);
                return [
                    token.slice(0, -1) + (token.endsWith('0') ? '1' : '0'),
                    token.slice(0, 60),
                    'JIRA_API_TOKEN=ATATT3xFfGF0...',
                    'JIRA_API_TOKEN=${{ secrets.JIRA_API_TOKEN }}',
                ];
            },
        },
    },
];

;// CONCATENATED MODULE: ./src/rules/scm.ts


/** Ruby's `Integer#to_s(36)` digits, which GitLab uses for the length field and the checksum. */
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
/**
 * A routable GitLab token (GitLab 17.x+, `Authn::TokenField::Generator::RoutableToken`) is
 * `<prefix><base64url payload>.<version, 2 base36>.<payload length, 2 base36><CRC32, 7 base36>`.
 * The payload is 16 random bytes, the routing fields (`o:<org>\nu:<user>`, ids in base36) and one byte
 * holding the routing fields' length. The CRC32 covers everything before it, prefix included.
 */
const ROUTABLE_BODY = String.raw `[A-Za-z0-9_-]{27,300}\.[0-9a-z]{2}\.[0-9a-z]{9}`;
/** CRC32 of the token head in base36, zero-padded to 7, as GitLab appends it. */
function routableCrc(head) {
    return encodeBase(crc32Of(head), BASE36, 7);
}
/**
 * Checks a routable token's checksum and length field. A token whose checksum fails is dropped by the
 * engine: GitLab never issued it (a typo, a truncated paste or a made-up value). Legacy tokens (no dot)
 * carry no checksum and pass.
 */
function validGitlabToken(token) {
    const firstDot = token.indexOf('.');
    if (firstDot === -1)
        return true;
    const head = token.slice(0, -7);
    if (routableCrc(head) !== token.slice(-7))
        return false;
    const lengthField = Number.parseInt(token.slice(-9, -7), 36);
    return lengthField > 0 && lengthField <= firstDot;
}
/** A routable token built the way GitLab builds one, with a valid checksum. */
function routableToken(prefix, gen) {
    const routing = `o:${gen.int(1, 5000).toString(36)}\nu:${gen.int(1, 50_000_000).toString(36)}`;
    const raw = Buffer.concat([Buffer.from(gen.bytes(16)), Buffer.from(routing), Buffer.from([routing.length])]);
    const payload = raw.toString('base64url');
    const head = `${prefix}${payload}.01.${encodeBase(payload.length, BASE36, 2)}`;
    return head + routableCrc(head);
}
/** The same token with its last checksum digit changed. */
function brokenRoutable(prefix, gen) {
    const token = routableToken(prefix, gen);
    return token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
}
function gitlabRule(spec) {
    const routablePrefix = spec.routablePrefix ?? (() => spec.prefix);
    const escaped = spec.prefix.replace(/[.-]/g, '\\$&');
    return {
        id: spec.id,
        title: spec.title,
        provider: 'GitLab',
        severity: spec.severity,
        keywords: [spec.prefix],
        // Every body form starts with 20 or more of these right after the prefix (legacy, `t1_` and hex ones too).
        valueRun: { chars: BASE64URL, min: 20, within: 0 },
        pattern: new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?:${ROUTABLE_BODY}|${spec.legacy})(?![A-Za-z0-9_-])`),
        minEntropy: 3,
        validate: validGitlabToken,
        remediation: spec.remediation,
        samples: {
            secret: (gen) => (gen.int(0, 1) === 0 ? spec.prefix + spec.legacySample(gen) : routableToken(routablePrefix(gen), gen)),
            positives: (gen) => {
                const legacy = spec.prefix + spec.legacySample(gen);
                const routable = routableToken(routablePrefix(gen), gen);
                return [
                    { text: `token: ${legacy}\n`, secret: legacy },
                    { text: `curl -H "PRIVATE-TOKEN: ${routable}" https://gitlab.example.invalid/api/v4/user\n`, secret: routable },
                ];
            },
            negatives: (gen) => [
                brokenRoutable(routablePrefix(gen), gen),
                `${spec.prefix}${gen.chars(BASE64URL.replace(/[-_]/g, ''), 12)}`,
                `${spec.prefix}${'x'.repeat(20)}`,
                `${spec.prefix}<your-token>`,
                `GITLAB_TOKEN=${spec.prefix}\${{ secrets.GITLAB_TOKEN }}`,
            ],
        },
    };
}
/** Devise's friendly token: 20 URL-safe base64 characters, the body of every pre-routable GitLab token. */
const FRIENDLY = '[A-Za-z0-9_-]{20}';
const friendly = (gen) => gen.chars(BASE64URL, 20);
const TOKENS_DOC = 'https://docs.gitlab.com/security/tokens/';
const scmRules = [
    gitlabRule({
        id: 'gitlab-pat',
        title: 'GitLab personal, project or group access token',
        prefix: 'glpat-',
        severity: 'critical',
        legacy: FRIENDLY,
        legacySample: friendly,
        remediation: {
            text: 'Revoke the token under Access tokens (personal, project or group settings) and issue a narrower one.',
            url: 'https://gitlab.com/-/user_settings/personal_access_tokens',
        },
    }),
    gitlabRule({
        id: 'gitlab-runner-token',
        title: 'GitLab runner authentication token',
        prefix: 'glrt-',
        severity: 'high',
        // Since GitLab 17.x, runner tokens may carry a partition marker (`t1_` instance, `t2_` group, `t3_` project).
        legacy: `(?:t[1-3]_)?${FRIENDLY}`,
        legacySample: (gen) => (gen.int(0, 1) === 0 ? '' : `t${gen.int(1, 3)}_`) + friendly(gen),
        routablePrefix: (gen) => `glrt-t${gen.int(2, 3)}_`,
        remediation: {
            text: "Reset the runner's authentication token in the runner settings, then re-register the runner.",
            url: 'https://docs.gitlab.com/ci/runners/runners_scope/',
        },
    }),
    gitlabRule({
        id: 'gitlab-deploy-token',
        title: 'GitLab deploy token',
        prefix: 'gldt-',
        severity: 'high',
        legacy: FRIENDLY,
        legacySample: friendly,
        remediation: {
            text: 'Revoke the deploy token under Settings > Repository > Deploy tokens.',
            url: 'https://docs.gitlab.com/user/project/deploy_tokens/',
        },
    }),
    gitlabRule({
        id: 'gitlab-pipeline-trigger-token',
        title: 'GitLab pipeline trigger token',
        prefix: 'glptt-',
        severity: 'high',
        legacy: '[0-9a-f]{40}',
        legacySample: (gen) => gen.chars(HEX, 40),
        remediation: {
            text: 'Revoke the trigger under Settings > CI/CD > Pipeline trigger tokens and create a new one.',
            url: 'https://docs.gitlab.com/ci/triggers/',
        },
    }),
    gitlabRule({
        id: 'gitlab-feed-token',
        title: 'GitLab feed token',
        prefix: 'glft-',
        severity: 'medium',
        legacy: FRIENDLY,
        legacySample: friendly,
        remediation: {
            text: 'Reset the feed token on the Access tokens page; it exposes RSS and calendar feeds of private projects.',
            url: TOKENS_DOC,
        },
    }),
];

;// CONCATENATED MODULE: ./src/rules/index.ts











/**
 * The built-in catalogue, one module per provider family. Order matters only for ties between two
 * specific rules on the same span (earlier wins); the generic rules go last and yield to all others.
 */
const BUILTIN_RULES = [
    ...githubRules,
    ...scmRules,
    ...aiRules,
    ...cloudRules,
    ...paymentRules,
    ...messagingRules,
    ...packageRules,
    ...saasRules,
    ...privateKeyRules,
    ...connectionStringRules,
    ...genericRules,
];
/** Rules whose findings near each other make one working credential; the engine notes and raises both. */
const BUILTIN_PAIRS = [...CLOUD_PAIRS];

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
var external_node_crypto_default = /*#__PURE__*/__nccwpck_require__.n(external_node_crypto_namespaceObject);
;// CONCATENATED MODULE: ./src/scan/fingerprint.ts

/**
 * scrypt cost for secrets a person chose. N=512, r=8 takes about half a millisecond and half a megabyte
 * per guess: thousands of times slower to brute-force than a fast hash, yet cheap enough that a file
 * full of passwords does not slow a scan down.
 */
const SCRYPT = { N: 512, r: 8, p: 1 };
/**
 * Slow hashes already computed in this process: the same password found in several commits of one
 * pull request, or repeated through a generated file, costs one scrypt. Bounded so hostile input
 * cannot grow it without end; it lives only in memory, like the secrets themselves.
 */
const SLOW_CACHE = new Map();
const SLOW_CACHE_LIMIT = 10_000;
/** One-shot `crypto.hash` (Node 20.12+) where present: a third of the cost of a Hash object per finding. */
const sha256Hex = typeof (external_node_crypto_default()).hash === 'function'
    ? (data) => external_node_crypto_default().hash('sha256', data, 'hex')
    : (data) => external_node_crypto_default().createHash('sha256').update(data).digest('hex');
/**
 * A stable, non-reversible id for a finding: rule, path and secret, never the line, so it survives the
 * line moving. Keys a provider issued at random are hashed with SHA-256: nobody can enumerate them.
 * Secrets a person chose (`guessable`: passwords in connection strings, generic assignments) go through
 * scrypt, so that a fingerprint in a public report is no shortcut to guessing them. The fixed salt keeps
 * both stable across runs and machines.
 */
function fingerprint(ruleId, path, secret, guessable = false) {
    const material = `${ruleId}\0${path}\0${secret}`;
    if (!guessable) {
        return sha256Hex(`key-hygiene/fingerprint/v1\0${material}`).slice(0, 32);
    }
    const cached = SLOW_CACHE.get(material);
    if (cached !== undefined)
        return cached;
    const slow = (0,external_node_crypto_namespaceObject.scryptSync)(material, 'key-hygiene/fingerprint/v1', 16, SCRYPT).toString('hex');
    if (SLOW_CACHE.size >= SLOW_CACHE_LIMIT)
        SLOW_CACHE.clear();
    SLOW_CACHE.set(material, slow);
    return slow;
}

;// CONCATENATED MODULE: ./src/scan/types.ts
/**
 * The shapes shared by the whole engine: rules (data), findings (results) and the sample
 * generators that let every rule prove itself without a literal key in the repository.
 */
/** Higher is more severe; used to sort and to trim reports to the most severe findings. */
const SEVERITY_RANK = { critical: 4, high: 3, medium: 2, low: 1 };

;// CONCATENATED MODULE: ./src/scan/pairing.ts

/**
 * Marks findings whose partner (per `pairs`) was found in the same text within `maxLines` lines: both get
 * the pair's note once and their severity raised. Findings from different files, sources or commits never
 * pair. The findings are updated in place rather than copied, because the engine keeps each raw secret
 * against the finding object itself; the same array is returned. Runs in O(n log n) however many
 * halves a hostile file holds.
 */
function pairFindings(findings, pairs) {
    if (pairs.length === 0 || findings.length < 2)
        return findings;
    const groups = new Map();
    for (const f of findings) {
        const key = `${f.source}\u0000${f.commit ?? ''}\u0000${f.file}`;
        const group = groups.get(key);
        if (group === undefined)
            groups.set(key, [f]);
        else
            group.push(f);
    }
    for (const group of groups.values()) {
        for (const pair of pairs) {
            const as = group.filter((f) => f.ruleId === pair.a);
            const bs = group.filter((f) => f.ruleId === pair.b);
            if (as.length === 0 || bs.length === 0)
                continue;
            const aLines = sortedLines(as);
            const bLines = sortedLines(bs);
            for (const f of as)
                if (hasLineWithin(bLines, f.line, pair.maxLines))
                    mark(f, pair);
            for (const f of bs)
                if (hasLineWithin(aLines, f.line, pair.maxLines))
                    mark(f, pair);
        }
    }
    return findings;
}
function sortedLines(findings) {
    return findings.map((f) => f.line).sort((x, y) => x - y);
}
/** True when sorted `lines` holds a value in [line - max, line + max]. */
function hasLineWithin(lines, line, max) {
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (lines[mid] < line - max)
            lo = mid + 1;
        else
            hi = mid;
    }
    const first = lines[lo];
    return first !== undefined && first <= line + max;
}
function mark(finding, pair) {
    const notes = finding.notes ?? [];
    if (!notes.includes(pair.note))
        finding.notes = [...notes, pair.note];
    const severity = pair.severity ?? 'critical';
    if (SEVERITY_RANK[severity] > SEVERITY_RANK[finding.severity])
        finding.severity = severity;
}

;// CONCATENATED MODULE: ./src/scan/keyword-wasm.ts
/**
 * The keyword automaton's inner loops in WebAssembly. They run the same transition table as the
 * JavaScript loop at about 1.7x its speed (no bounds check per load, and four independent automata
 * interleaved without register pressure), and that loop is most of the engine's time on ordinary code.
 *
 * The module is tiny and fixed, so it is assembled here from its instructions rather than shipped as
 * an opaque binary: what runs is what this file says. Memory layout, in bytes:
 *
 *   0     CLASS      256 x u8: byte -> column x 4 (a byte offset into a row); u16 when a row is
 *                    wider than 255 bytes (more than 63 distinct keyword characters, custom rules)
 *   1024  HIT_ENDS   4 x i32: where each lane's hit list ended, written by `lane1` and `lane4`
 *   1088  NEXT       the transition table; entries are byte offsets of rows, relative to NEXT
 *   ...   HITS       four lists of (position, state) pairs, one per lane, for one chunk
 *   ...   TEXT       the text (or one chunk of it), one byte per UTF-16 code unit; grows
 */
const CLASS = 0;
const HIT_ENDS = 1024;
const NEXT = 1088;
// Instruction bytes (WebAssembly core spec, section 5.4).
const BLOCK = 0x02;
const LOOP = 0x03;
const IF = 0x04;
const VOID = 0x40;
const keyword_wasm_END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_LOAD = 0x28;
const I32_LOAD8_U = 0x2d;
const I32_LOAD16_U = 0x2f;
const I32_STORE = 0x36;
const I32_CONST = 0x41;
const I32_GE_U = 0x4f;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const I32_SHR_U = 0x76;
const I32 = 0x7f;
function uleb(n) {
    const out = [];
    do {
        let byte = n & 0x7f;
        n >>>= 7;
        if (n !== 0)
            byte |= 0x80;
        out.push(byte);
    } while (n !== 0);
    return out;
}
function sleb(n) {
    const out = [];
    for (;;) {
        const byte = n & 0x7f;
        n >>= 7;
        if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0))
            return [...out, byte];
        out.push(byte | 0x80);
    }
}
const get = (local) => [LOCAL_GET, ...uleb(local)];
const set = (local) => [LOCAL_SET, ...uleb(local)];
const i32 = (n) => [I32_CONST, ...sleb(n)];
/** `i32.load` / `i32.store` with 4-byte alignment at a constant offset. */
const load = (offset) => [I32_LOAD, 2, ...uleb(offset)];
const store = (offset) => [I32_STORE, 2, ...uleb(offset)];
const addTo = (local, n) => [...get(local), ...i32(n), I32_ADD, ...set(local)];
/** `CLASS[byte at ptr]`, from a table of bytes or, when `wide`, of 16-bit entries. */
const classAt = (ptr, wide) => wide
    ? [...get(ptr), I32_LOAD8_U, 0, 0, ...i32(1), I32_SHL, I32_LOAD16_U, 1, ...uleb(CLASS)]
    : [...get(ptr), I32_LOAD8_U, 0, 0, I32_LOAD8_U, 0, ...uleb(CLASS)];
/** `state = NEXT[state + CLASS[byte at ptr]]`: one automaton step. */
const step = (state, ptr, wide) => [...get(state), ...classAt(ptr, wide), I32_ADD, ...load(NEXT), ...set(state)];
/** If `state` ends a keyword, append (ptr + delta, state / 4) at `hits` and advance it. */
const record = (state, ptr, hits, delta, first) => [
    ...get(state), ...get(first), I32_GE_U, IF, VOID,
    ...get(hits), ...get(ptr), ...get(delta), I32_ADD, ...store(0),
    ...get(hits), ...get(state), ...i32(2), I32_SHR_U, ...store(4),
    ...addTo(hits, 8),
    keyword_wasm_END,
];
/** `while (ptr < end) { body; ptr++ }` */
const loopUntil = (ptr, end, body) => [
    BLOCK, VOID, LOOP, VOID,
    ...get(ptr), ...get(end), I32_GE_U, BR_IF, 1,
    ...body,
    ...addTo(ptr, 1),
    BR, 0, keyword_wasm_END, keyword_wasm_END,
];
function functions(wide) {
    // walk(ptr, end, state) -> state: run the automaton without recording (a lane's warm-up).
    const walk = { name: 'walk', params: 3, locals: 0, body: [...loopUntil(0, 1, step(2, 0, wide)), ...get(2)] };
    // lane1(ptr, end, state, hits, delta, first) -> state; the hit list's end goes to HIT_ENDS[0].
    const lane1 = {
        name: 'lane1',
        params: 6,
        locals: 0,
        body: [...loopUntil(0, 1, [...step(2, 0, wide), ...record(2, 0, 3, 4, 5)]), ...i32(HIT_ENDS), ...get(3), ...store(0), ...get(2)],
    };
    // lane4(ptr, quarter, a, b, c, d, h0, h1, h2, h3, delta, first) -> d: four automata over the four
    // quarters that start at ptr, each recording into its own list; list ends go to HIT_ENDS[0..3].
    const [P, Q, A, B, C, D, H0, H1, H2, H3, DELTA, FIRST] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const [END_PTR, PB, PC, PD] = [12, 13, 14, 15];
    const lane4 = {
        name: 'lane4',
        params: 12,
        locals: 4,
        body: [
            ...get(P), ...get(Q), I32_ADD, ...set(END_PTR),
            ...loopUntil(P, END_PTR, [
                ...get(P), ...get(Q), I32_ADD, ...set(PB),
                ...get(PB), ...get(Q), I32_ADD, ...set(PC),
                ...get(PC), ...get(Q), I32_ADD, ...set(PD),
                ...step(A, P, wide), ...step(B, PB, wide), ...step(C, PC, wide), ...step(D, PD, wide),
                ...record(A, P, H0, DELTA, FIRST),
                ...record(B, PB, H1, DELTA, FIRST),
                ...record(C, PC, H2, DELTA, FIRST),
                ...record(D, PD, H3, DELTA, FIRST),
            ]),
            ...[H0, H1, H2, H3].flatMap((h, k) => [...i32(HIT_ENDS + 4 * k), ...get(h), ...store(0)]),
            ...get(D),
        ],
    };
    return [walk, lane1, lane4];
}
function section(id, body) {
    return [id, ...uleb(body.length), ...body];
}
function vector(items) {
    return [...uleb(items.length), ...items.flat()];
}
const utf8 = (s) => [...uleb(s.length), ...Buffer.from(s, 'utf8')];
/** The module's bytes: types, an imported memory (`env.memory`), three functions, their exports and code. */
function moduleBytes(wide) {
    const FUNCS = functions(wide);
    const types = FUNCS.map((f) => [0x60, ...uleb(f.params), ...new Array(f.params).fill(I32), 1, I32]);
    const bytes = [
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        ...section(1, vector(types)),
        ...section(2, vector([[...utf8('env'), ...utf8('memory'), 0x02, 0x00, 1]])),
        ...section(3, vector(FUNCS.map((_, i) => uleb(i)))),
        ...section(7, vector(FUNCS.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)]))),
        ...section(10, vector(FUNCS.map((f) => {
            const body = [...(f.locals > 0 ? vector([[...uleb(f.locals), I32]]) : [0]), ...f.body, keyword_wasm_END];
            return [...uleb(body.length), ...body];
        }))),
    ];
    return new Uint8Array(bytes);
}
const compiled = new Map();
/** The compiled module, or null where WebAssembly is unavailable (`node --jitless`). */
function wasmModule(wide) {
    let module = compiled.get(wide);
    if (module === undefined) {
        try {
            module = new WebAssembly.Module(moduleBytes(wide));
        }
        catch {
            module = null;
        }
        compiled.set(wide, module);
    }
    return module;
}
/**
 * Characters the loops read per call: hit lists are sized to it, so they stay a few megabytes however
 * long the text.
 */
const CHUNK = 64 * 1024;
/**
 * Texts up to this long are written into the module's memory whole, once, and stay there until the
 * next text: the engine's gates then read their bytes without another copy. Longer ones go through a
 * chunk at a time.
 */
const RESIDENT_MAX = 16 * 1024 * 1024;
const PAGE = 64 * 1024;
/**
 * One instance of the loops with its own memory, holding one table. Not reentrant, like the scanner
 * that owns it.
 */
class WasmKeywordLoops {
    walk;
    lane1;
    lane4;
    memory;
    bytes;
    words;
    /** The lanes' hit lists, after the text; they move when the text's room grows. */
    hits = [0, 0, 0, 0];
    /** Where text goes, right after the table. */
    text;
    /** Room for text before the hit lists. */
    room = 0;
    first;
    longest;
    /** Below this many characters a chunk runs in one lane: each lane needs `longest - 1` characters of warm-up. */
    lanesFrom;
    /** Length of the text held whole in memory since the last scan, or -1. */
    resident = -1;
    constructor(module, table, wide) {
        this.text = NEXT + table.next.length * 4 + 64;
        this.memory = new WebAssembly.Memory({ initial: 1 });
        const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
        const exports = instance.exports;
        this.walk = exports['walk'];
        this.lane1 = exports['lane1'];
        this.lane4 = exports['lane4'];
        this.bytes = Buffer.from(this.memory.buffer);
        this.words = new Int32Array(this.memory.buffer);
        this.ensure(CHUNK);
        const classes = wide ? new Uint16Array(this.memory.buffer, CLASS, 256) : new Uint8Array(this.memory.buffer, CLASS, 256);
        for (let b = 0; b < 256; b++)
            classes[b] = table.classOf[b] * 4;
        // JavaScript states are row offsets in entries; here they are in bytes.
        for (let k = 0; k < table.next.length; k++)
            this.words[(NEXT >> 2) + k] = table.next[k] * 4;
        this.first = table.firstOutput * 4;
        this.longest = table.longest;
        this.lanesFrom = Math.max(256, 4 * table.longest);
    }
    /**
     * A lane's state at `ptr` after reading only the `longest - 1` characters before it (inside the
     * chunk: a chunk long enough for lanes has quarters longer than that): the same as after all of
     * them, for any keyword that ends at or after `ptr`.
     */
    warm(ptr) {
        return this.walk(ptr - this.longest + 1, ptr, 0);
    }
    /** Loops for `table`, or null where WebAssembly cannot run. */
    static create(table) {
        const wide = table.width * 4 > 0xff;
        const module = wasmModule(wide);
        return module === null ? null : new WasmKeywordLoops(module, table, wide);
    }
    /**
     * Makes room for `textBytes` of text, moving the hit lists past it and growing the memory; views
     * made before a growth are stale, so they are made again.
     */
    ensure(textBytes) {
        if (textBytes <= this.room)
            return;
        // Hit lists are read as 32-bit words: they start on a 64-byte boundary.
        this.room = Math.ceil(Math.max(textBytes, 2 * this.room) / 64) * 64;
        const laneBytes = 8 * (CHUNK + 4);
        const hitsStart = this.text + this.room + 64;
        this.hits = [hitsStart, hitsStart + laneBytes, hitsStart + 2 * laneBytes, hitsStart + 3 * laneBytes];
        const needed = hitsStart + 4 * laneBytes;
        if (needed > this.memory.buffer.byteLength) {
            this.memory.grow(Math.ceil((needed - this.memory.buffer.byteLength) / PAGE));
            this.bytes = Buffer.from(this.memory.buffer);
            this.words = new Int32Array(this.memory.buffer);
        }
    }
    /**
     * The last text scanned, one byte per UTF-16 code unit (truncated), while it is held in memory:
     * valid until the next scan. Null for a text too long to hold.
     */
    textBytes() {
        return this.resident === -1 ? null : new Uint8Array(this.memory.buffer, this.text, this.resident);
    }
    /**
     * Every keyword end in `text`, in order, into `sink`. The loops run over chunks, the automaton's state
     * carried across; within a chunk, four lanes each start `longest - 1` characters early, which is
     * enough context to be in the same state as one lane reading from the start.
     */
    scan(text, sink) {
        const { first } = this;
        const whole = text.length <= RESIDENT_MAX;
        this.ensure(whole ? text.length : CHUNK);
        const { bytes } = this;
        this.resident = whole ? text.length : -1;
        let state = 0;
        for (let base = 0; base < text.length; base += CHUNK) {
            const length = Math.min(CHUNK, text.length - base);
            // Each chunk is written just before it is read, while it is still in cache; a text held whole
            // keeps its chunks side by side.
            const at = whole ? this.text + base : this.text;
            bytes.write(length === text.length ? text : text.slice(base, base + length), at, length, 'latin1');
            const delta = base - at;
            const [h0, h1, h2, h3] = this.hits;
            if (length < this.lanesFrom) {
                state = this.lane1(at, at + length, state, h0, delta, first);
                sink.appendRange(this.words, h0 >> 2, this.words[HIT_ENDS >> 2] >> 2);
                continue;
            }
            const q = length >> 2;
            const d = this.lane4(at, q, state, this.warm(at + q), this.warm(at + 2 * q), this.warm(at + 3 * q), h0, h1, h2, h3, delta, first);
            const { words } = this;
            const e0 = words[HIT_ENDS >> 2];
            const e1 = words[(HIT_ENDS >> 2) + 1];
            const e2 = words[(HIT_ENDS >> 2) + 2];
            // The last lane runs on over the chunk's remainder (fewer than four characters), into its own list.
            state = this.lane1(at + 4 * q, at + length, d, words[(HIT_ENDS >> 2) + 3], delta, first);
            sink.appendRange(words, h0 >> 2, e0 >> 2);
            sink.appendRange(words, h1 >> 2, e1 >> 2);
            sink.appendRange(words, h2 >> 2, e2 >> 2);
            sink.appendRange(words, h3 >> 2, words[HIT_ENDS >> 2] >> 2);
        }
    }
}

;// CONCATENATED MODULE: ./src/scan/keywords.ts
/**
 * The keyword prefilter: an Aho-Corasick automaton over the rules' keywords, flattened into one
 * transition table so that the scan costs two array loads per character whatever the number of
 * keywords. A single alternation regex of the same keywords runs at about a quarter of the speed in V8
 * (it restarts its search at each position and re-decides the first branch), and the prefilter is
 * most of the engine's time on ordinary code. The loops over the table run in WebAssembly
 * (`keyword-wasm.ts`), with a JavaScript loop where WebAssembly cannot run.
 *
 * Matching is ASCII case-insensitive, like the `i` flag without `u`: no non-ASCII character folds to
 * an ASCII one there either, so every non-ASCII character is simply "not part of any keyword".
 */

/** Builds the automaton for lowercase keywords (any case in the text matches). */
function buildKeywordTable(keywords) {
    const lower = keywords.map((k) => k.toLowerCase());
    for (const k of lower) {
        if (k.length === 0)
            throw new Error('a keyword must not be empty');
        if ([...k].some((c) => c.charCodeAt(0) > 0x7f))
            throw new Error(`keyword ${JSON.stringify(k)}: keywords must be ASCII`);
    }
    const alphabet = [...new Set(lower.join(''))].sort();
    const width = alphabet.length + 1;
    const classOf = new Uint8Array(65536);
    alphabet.forEach((ch, i) => {
        classOf[ch.charCodeAt(0)] = i + 1;
        const upper = ch.toUpperCase();
        if (upper !== ch)
            classOf[upper.charCodeAt(0)] = i + 1;
    });
    // Trie, then failure links in breadth-first order; a node's outputs are its own keyword plus those of
    // its failure node (the keywords that end here as suffixes).
    const goto = [new Array(width).fill(-1)];
    const own = [undefined];
    lower.forEach((kw, index) => {
        let node = 0;
        for (const ch of kw) {
            const c = classOf[ch.charCodeAt(0)];
            let child = goto[node][c];
            if (child === -1) {
                child = goto.length;
                goto.push(new Array(width).fill(-1));
                own.push(undefined);
                goto[node][c] = child;
            }
            node = child;
        }
        if (own[node] === undefined)
            own[node] = index;
    });
    const count = goto.length;
    const fail = new Array(count).fill(0);
    const out = Array.from({ length: count }, (_, n) => (own[n] === undefined ? [] : [own[n]]));
    const order = [0];
    const delta = Array.from({ length: count }, () => new Array(width).fill(0));
    for (let head = 0; head < order.length; head++) {
        const node = order[head];
        for (let c = 0; c < width; c++) {
            const child = goto[node][c];
            if (child !== -1 && c !== 0) {
                const f = node === 0 ? 0 : delta[fail[node]][c];
                fail[child] = f;
                out[child] = [...out[child], ...out[f]];
                delta[node][c] = child;
                order.push(child);
            }
            else {
                delta[node][c] = node === 0 ? 0 : delta[fail[node]][c];
            }
        }
    }
    // Renumber so that states with outputs come last: the scan then tests one comparison per character.
    const plain = order.filter((n) => out[n].length === 0);
    const ending = order.filter((n) => out[n].length > 0);
    const renamed = new Array(count);
    [...plain, ...ending].forEach((n, i) => (renamed[n] = i * width));
    const next = new Int32Array(count * width);
    const outputs = new Map();
    for (let n = 0; n < count; n++) {
        const row = renamed[n];
        for (let c = 0; c < width; c++)
            next[row + c] = renamed[delta[n][c]];
        if (out[n].length > 0) {
            outputs.set(row, [...out[n]].sort((a, b) => lower[b].length - lower[a].length));
        }
    }
    const firstOutput = plain.length * width;
    return {
        classOf,
        next,
        width,
        firstOutput,
        outputs,
        outputIndex: (state) => (state - firstOutput) / width,
        longest: Math.max(0, ...lower.map((k) => k.length)),
    };
}
/** A growable list of (end offset, output state) pairs, reused from one text to the next. */
class HitBuffer {
    data = new Int32Array(1024);
    length = 0;
    push(end, state) {
        this.reserve(2);
        this.data[this.length++] = end;
        this.data[this.length++] = state;
    }
    /** Appends `from[start..end)`, which holds whole pairs. */
    appendRange(from, start, end) {
        if (end <= start)
            return;
        this.reserve(end - start);
        this.data.set(from.subarray(start, end), this.length);
        this.length += end - start;
    }
    reserve(more) {
        if (this.length + more <= this.data.length)
            return;
        const grown = new Int32Array(Math.max(this.data.length * 2, this.length + more));
        grown.set(this.data.subarray(0, this.length));
        this.data = grown;
    }
}
/**
 * Finds where keywords end in a text. Holds its buffers between texts, so it is not reentrant: one
 * per engine.
 */
class KeywordScanner {
    table;
    hits = new HitBuffer();
    /** The WebAssembly loops; null where WebAssembly cannot run, and then a JavaScript loop does the work. */
    wasm;
    oneLane;
    bytes;
    constructor(keywords, options = {}) {
        this.table = buildKeywordTable(keywords);
        this.wasm = options.webAssembly === false ? null : WasmKeywordLoops.create(this.table);
        this.oneLane = scanLoop(this.table);
    }
    /**
     * The text of the last `scan`, one byte per UTF-16 code unit (truncated, as the scan read it); valid
     * until the next scan. Usually a view of what the scan already wrote, so it costs nothing.
     */
    textBytes(text) {
        if (this.wasm !== null)
            return this.wasm.textBytes() ?? Buffer.from(text, 'latin1');
        return this.bytes.subarray(0, text.length);
    }
    /** Whether the WebAssembly loops are in use. */
    get usesWebAssembly() {
        return this.wasm !== null;
    }
    /**
     * Every position where a keyword ends, in order, with the automaton's state there (pairs in one
     * buffer, valid until the next call).
     *
     * The text's UTF-16 code units are first truncated to bytes: reading bytes is faster than
     * `charCodeAt`, and offsets stay those of the string. Truncation can make a non-ASCII character look
     * like a keyword letter, which only costs a failed pattern attempt; it cannot hide a keyword, whose
     * characters are all ASCII and come through unchanged.
     */
    scan(text) {
        this.hits.length = 0;
        if (this.wasm !== null) {
            this.wasm.scan(text, this.hits);
            return this.hits;
        }
        const length = text.length;
        if (this.bytes === undefined || this.bytes.length < length)
            this.bytes = Buffer.allocUnsafe(Math.max(length, 2 * (this.bytes?.length ?? 0), 64 * 1024));
        this.bytes.write(text, 0, length, 'latin1');
        this.oneLane(this.bytes, length, this.hits);
        return this.hits;
    }
}
/**
 * The JavaScript loop, as a closure over one table's arrays. V8 specializes a function to the one
 * closure made of it, so the arrays become constants in the machine code; passed as arguments
 * instead, they take registers the loop needs, and the loop runs at about 60% of the speed.
 */
function scanLoop(table) {
    const { classOf, next, firstOutput } = table;
    return (bytes, length, hits) => {
        let s = 0;
        for (let i = 0; i < length; i++) {
            s = next[s + classOf[bytes[i]]];
            if (s >= firstOutput)
                hits.push(i, s);
        }
    };
}

;// CONCATENATED MODULE: ./src/scan/redact.ts
/**
 * The only view of a secret that leaves the engine: enough leading characters to tell a reviewer which
 * key it is (prefixes such as `ghp_` carry no secret), never enough to use it.
 */
function redact(secret) {
    const shown = Math.min(6, Math.floor(secret.length / 6));
    return `${secret.slice(0, shown)}\u2026 (${secret.length} chars)`;
}

;// CONCATENATED MODULE: ./src/scan/engine.ts






/** The marker that suppresses findings on its line, in any comment syntax. */
const ALLOW_MARKER = 'key-hygiene:allow';
/** Characters of text before a `lookback` window that its lookbehinds can see. */
const WINDOW_CONTEXT = 32;
/** Default bound on a match when the rule does not give one. */
const DEFAULT_MAX_LENGTH = 512;
/**
 * Secret values by finding. A WeakMap rather than a property so that no serializer, spread or logger
 * can reach the value by accident: only code that calls `secretOf` (masking, live checks) sees it.
 */
const SECRETS = new WeakMap();
/** The raw secret of a finding made by this engine. Only for masking (`core.setSecret`) and live checks. */
function secretOf(finding) {
    return SECRETS.get(finding);
}
/**
 * The detection engine: a keyword prefilter finds the few places worth a closer look, and each rule's
 * pattern is tried only there, anchored at the keyword. Work per byte is bounded by the keyword scan
 * plus bounded pattern attempts, which is what keeps hostile input (huge lines, repeated prefixes) linear.
 */
class Engine {
    keywords;
    /**
     * What to try where a keyword ends, flattened into typed arrays because this is the per-hit path
     * (text made of keywords has a hit every few characters): output index `o` of the automaton owns
     * attempts `attemptsFrom[o]` to `attemptsFrom[o + 1]`, each a rule (`attemptRule`, its order) and how
     * far back its keyword starts (`attemptBack`).
     */
    attemptsFrom;
    /** Automaton state -> its output index: an integer load where `(state - first) / width` would be a division on every hit. */
    outputOf;
    attemptRule;
    attemptBack;
    /**
     * Per rule, where its last attempt started and where its last match ended. An attempt at the same
     * start again (two keywords of one rule starting together) is skipped, and so is one that starts
     * inside the rule's previous match: like a global regex search, one match consumes its text. Text
     * made of keywords (`password: password: ...`) would otherwise cost one match per keyword.
     */
    lastTried;
    matchedUntil;
    allowValues;
    ignored;
    pairs;
    rules;
    compiled = [];
    constructor(rules, options = {}) {
        const disabled = new Set(options.disabledRules ?? []);
        this.rules = rules.filter((r) => !disabled.has(r.id));
        this.allowValues = options.allowValues ?? [];
        this.ignored = new Set(options.ignoreFingerprints ?? []);
        this.pairs = options.pairs ?? [];
        const direct = new Map();
        this.rules.forEach((rule, order) => {
            const flags = rule.pattern.flags.replace(/[gyd]/g, '');
            const compiled = {
                rule,
                sticky: new RegExp(rule.pattern.source, `${flags}y`),
                indexed: new RegExp(rule.pattern.source, `${flags}dy`),
                window: new RegExp(rule.pattern.source, `${flags}g`),
                gate: rule.valueRun === undefined ? undefined : gateFor(rule.valueRun),
                startRun: rule.startRun === undefined || (rule.lookback ?? 0) === 0 ? undefined : new StartRun(rule.startRun),
                lookback: rule.lookback ?? 0,
                maxLength: rule.maxLength ?? DEFAULT_MAX_LENGTH,
                order,
            };
            this.compiled.push(compiled);
            for (const kw of rule.keywords) {
                const key = kw.toLowerCase();
                const list = direct.get(key) ?? [];
                list.push(compiled);
                direct.set(key, list);
            }
        });
        const keywords = [...direct.keys()];
        this.keywords = new KeywordScanner(keywords);
        const { table } = this.keywords;
        const perOutput = [];
        for (const [state, ending] of table.outputs) {
            const attempts = [];
            // Earliest start first, then rule order: the order a left-to-right search would try them in.
            for (const k of ending)
                for (const rule of direct.get(keywords[k]) ?? [])
                    attempts.push([rule.order, keywords[k].length]);
            perOutput[table.outputIndex(state)] = attempts;
        }
        this.outputOf = new Int32Array(table.next.length);
        for (const state of table.outputs.keys())
            this.outputOf[state] = table.outputIndex(state);
        this.attemptsFrom = new Int32Array(table.outputs.size + 1);
        const flat = perOutput.flatMap((attempts, o) => {
            this.attemptsFrom[o + 1] = this.attemptsFrom[o] + attempts.length;
            return attempts;
        });
        this.attemptRule = Int32Array.from(flat, ([order]) => order);
        this.attemptBack = Int32Array.from(flat, ([, back]) => back);
        this.lastTried = new Int32Array(this.rules.length);
        this.matchedUntil = new Int32Array(this.rules.length);
    }
    /** Scans one text (a file, or the added lines of one file in a diff) and returns its findings. */
    scan(input) {
        const candidates = this.collect(input.text);
        if (candidates.length === 0)
            return [];
        const kept = resolveOverlaps(candidates);
        const cursor = new LineCursor(input.text, input.lineNumbers);
        const findings = [];
        for (const c of kept) {
            const startLoc = cursor.at(c.start);
            if (cursor.lineHasAllowMarker())
                continue;
            const fp = fingerprint(c.rule.rule.id, input.path, c.secret, c.rule.rule.userChosen === true);
            if (this.ignored.has(fp))
                continue;
            const endLoc = cursor.at(Math.max(c.start, c.end - 1));
            const rule = c.rule.rule;
            const finding = {
                ruleId: rule.id,
                title: rule.title,
                provider: rule.provider,
                severity: rule.severity,
                file: input.path,
                line: startLoc.line,
                column: startLoc.column,
                endLine: endLoc.line,
                fingerprint: fp,
                redacted: redact(c.secret),
                length: c.secret.length,
                source: input.source,
                remediation: rule.remediation,
            };
            if (input.commit !== undefined)
                finding.commit = input.commit;
            SECRETS.set(finding, c.secret);
            findings.push(finding);
        }
        return pairFindings(findings, this.pairs);
    }
    collect(text) {
        const out = [];
        const hits = this.keywords.scan(text);
        const lastTried = this.lastTried.fill(-1);
        const matchedUntil = this.matchedUntil.fill(0);
        const { attemptsFrom, attemptRule, attemptBack, compiled, outputOf } = this;
        const data = hits.data;
        const bytes = this.keywords.textBytes(text);
        for (const cr of compiled) {
            cr.gate?.reset(text, bytes);
            cr.startRun?.reset(text);
        }
        for (let h = 0; h < hits.length; h += 2) {
            const end = data[h] + 1;
            const o = outputOf[data[h + 1]];
            for (let a = attemptsFrom[o], last = attemptsFrom[o + 1]; a < last; a++) {
                const order = attemptRule[a];
                const at = end - attemptBack[a];
                if (lastTried[order] === at || at < matchedUntil[order])
                    continue;
                lastTried[order] = at;
                const cr = compiled[order];
                if (cr.gate !== undefined && !cr.gate.passes(end))
                    continue;
                const start = cr.lookback === 0 ? at : cr.startRun === undefined ? -1 : cr.startRun.startOf(at);
                if (cr.lookback === 0 || start !== -1) {
                    cr.sticky.lastIndex = start;
                    const m = cr.sticky.exec(text);
                    if (m !== null) {
                        matchedUntil[cr.order] = m.index + m[0].length;
                        this.accept(cr, m, text, m.index, m.index, out);
                    }
                }
                else if (cr.startRun === undefined) {
                    // The window keeps a few characters before its first possible start, so that a lookbehind
                    // there sees the text and not the window's edge.
                    const from = Math.max(0, at - cr.lookback);
                    const sliced = Math.max(0, from - WINDOW_CONTEXT);
                    const windowText = text.slice(sliced, at + cr.maxLength);
                    cr.window.lastIndex = from - sliced;
                    let m;
                    while ((m = cr.window.exec(windowText)) !== null) {
                        if (m.index > at - sliced)
                            break;
                        this.accept(cr, m, windowText, m.index, sliced + m.index, out);
                        if (m[0].length === 0)
                            cr.window.lastIndex++;
                    }
                }
            }
        }
        // Let go of the text: a gate would otherwise keep the last file scanned alive.
        for (const cr of this.compiled) {
            cr.gate?.reset('', NO_BYTES);
            cr.startRun?.reset('');
        }
        return out;
    }
    accept(cr, m, searched, at, matchStart, out) {
        const rule = cr.rule;
        const group = rule.secretGroup ?? (m.groups?.['secret'] !== undefined ? 'secret' : 0);
        const secret = typeof group === 'number' ? m[group] : m.groups?.[group];
        if (secret === undefined || secret.length === 0)
            return;
        // Cheapest first: entropy is one pass; a checksum rejects a near-miss in a fraction of the time the
        // placeholder word checks take.
        if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy)
            return;
        if (rule.validate !== undefined && !rule.validate(secret))
            return;
        if (!rule.skipPlaceholderCheck && isPlaceholder(secret))
            return;
        for (const allow of this.allowValues) {
            allow.lastIndex = 0;
            if (allow.test(secret))
                return;
        }
        // Placed last: it runs the pattern again, and most matches on hostile text fail a check above.
        const start = group === 0 ? matchStart : matchStart + groupOffset(cr, searched, at, group, m[0], secret);
        out.push({ rule: cr, start, end: start + secret.length, secret });
    }
}
const NO_BYTES = new Uint8Array(0);
function gateFor(spec) {
    if (isList(spec))
        return spec.length === 1 ? gateFor(spec[0]) : new AllGates(spec.map((one) => gateFor(one)));
    return spec.min === 1 && spec.chars.length === 1 ? new CharGate(spec.chars, spec.within) : new RunGate(spec);
}
function isList(spec) {
    return Array.isArray(spec);
}
/** Several conditions, cheapest first as the rule lists them; each keeps its own cursor. */
class AllGates {
    gates;
    constructor(gates) {
        this.gates = gates;
    }
    reset(text, bytes) {
        for (const g of this.gates)
            g.reset(text, bytes);
    }
    passes(from) {
        for (const g of this.gates)
            if (!g.passes(from))
                return false;
        return true;
    }
}
/**
 * `valueRun` for one required character (the `@` of a URL's userinfo). `indexOf` finds it at memchr
 * speed, where a class lookup per character would cost more than the pattern attempts it saves; the
 * position found serves every later check up to it, so each character is searched once per text.
 */
class CharGate {
    char;
    within;
    text = '';
    /** The first occurrence at or after the last search's start; the text's length when there is none. */
    found = -1;
    constructor(char, within) {
        this.char = char;
        this.within = within;
    }
    reset(text) {
        this.text = text;
        this.found = -1;
    }
    passes(from) {
        if (this.found < from) {
            const at = this.text.indexOf(this.char, from);
            this.found = at === -1 ? this.text.length : at;
        }
        return this.found < from + this.within + 1 && this.found < this.text.length;
    }
}
/**
 * A rule's `valueRun` check. Checks arrive with increasing offsets, and what one learns (where no run
 * can start, which characters are already known to be in the class) serves the next, so each
 * character is read at most about twice per text however many keywords there are.
 *
 * It looks for a run the way Boyer-Moore looks for a string: a run of `min` starting at `start` must
 * include the character `min - 1` further on, so that one is read first, and when it is outside the
 * class no run starts anywhere up to it. On text made of keywords and separators (`api_key=api_key=`)
 * that reads one character in eight instead of each one.
 */
class RunGate {
    /** Byte -> 1 for the class. The gate reads the keyword scan's bytes: a non-ASCII character truncated into the class only makes it pass more, never less. */
    inClass = new Uint8Array(256);
    min;
    within;
    bytes = NO_BYTES;
    /** No run starts between the last check's offset and `start`; characters [start, verified) are in the class. */
    start = 0;
    verified = 0;
    constructor(spec) {
        for (const ch of spec.chars) {
            const code = ch.charCodeAt(0);
            if (code > 0x7f)
                throw new Error(`valueRun characters must be ASCII; got ${JSON.stringify(ch)}`);
            this.inClass[code] = 1;
        }
        this.min = spec.min;
        this.within = spec.within;
    }
    reset(_text, bytes) {
        this.bytes = bytes;
        this.start = 0;
        this.verified = 0;
    }
    /** Whether `min` class characters in a row lie within [from, from + within + min). */
    passes(from) {
        const { inClass, bytes, min } = this;
        let { start, verified } = this;
        if (start < from) {
            start = from;
            if (verified < from)
                verified = from;
        }
        const lastStart = Math.min(from + this.within, bytes.length - min);
        let found = false;
        while (start <= lastStart) {
            if (verified - start >= min) {
                found = true;
                break;
            }
            const probe = start + min - 1;
            if (inClass[bytes[probe]] !== 1) {
                start = probe + 1;
                verified = start;
                continue;
            }
            let k = probe - 1;
            while (k >= verified && inClass[bytes[k]] === 1)
                k--;
            if (k >= verified)
                start = k + 1;
            verified = probe + 1;
        }
        this.start = start;
        this.verified = verified;
        return found;
    }
}
/**
 * A rule's `startRun`: the start of the run of class characters that ends at a keyword, when the run
 * is as long as the rule allows. Keyword starts mostly arrive in increasing order, so a cursor reads
 * forward and each character once per text; an earlier start (a shorter keyword of the same rule ending
 * later) is answered by reading back.
 */
class StartRun {
    inClass = new Uint8Array(65536);
    min;
    max;
    text = '';
    /** Characters [runStart, pos) are in the class. Where it matters, runStart is the run's real start or lies more than `max` back. */
    pos = 0;
    runStart = 0;
    constructor(spec) {
        for (const ch of spec.chars)
            this.inClass[ch.charCodeAt(0)] = 1;
        this.min = spec.min;
        this.max = spec.max;
    }
    reset(text) {
        this.text = text;
        this.pos = 0;
        this.runStart = 0;
    }
    /** Where the match must start for a keyword at `at`, or -1 when the run before it is too short or too long. */
    startOf(at) {
        const { inClass, text } = this;
        let runStart;
        if (at < this.pos) {
            runStart = at;
            const stop = Math.max(0, at - this.max - 1);
            while (runStart > stop && inClass[text.charCodeAt(runStart - 1)] === 1)
                runStart--;
        }
        else {
            // Only the last max + 1 characters can matter; a run that fills them is too long anyway.
            if (at - this.pos > this.max + 1) {
                this.pos = at - this.max - 1;
                this.runStart = this.pos;
            }
            let { pos, runStart: start } = this;
            for (; pos < at; pos++)
                if (inClass[text.charCodeAt(pos)] !== 1)
                    start = pos + 1;
            this.pos = pos;
            this.runStart = start;
            runStart = start;
        }
        const run = at - runStart;
        return run >= this.min && run <= this.max ? runStart : -1;
    }
}
/**
 * Where the secret's group starts within the match. Searching the match for the secret's text would be
 * wrong when the same text occurs twice in the match (a two-letter password after a user name), so
 * then the match is repeated with indices; that costs one more attempt.
 */
function groupOffset(cr, searched, at, group, match, secret) {
    // The secret occurs once in the match: that occurrence is the group. Only a repeat needs the rerun.
    const first = match.indexOf(secret);
    if (first !== -1 && match.indexOf(secret, first + 1) === -1)
        return first;
    cr.indexed.lastIndex = at;
    const again = cr.indexed.exec(searched);
    const span = typeof group === 'number' ? again?.indices?.[group] : again?.indices?.groups?.[group];
    if (again === null || span === undefined)
        return Math.max(0, match.indexOf(secret));
    return span[0] - at;
}
/**
 * Keeps one finding per span of text. A specific rule beats the generic one; otherwise the longer
 * secret wins, then the rule listed first. Same-rule repeats (two keywords leading to one match) collapse.
 */
function resolveOverlaps(candidates) {
    const ranked = [...candidates].sort((a, b) => Number(a.rule.rule.generic ?? false) - Number(b.rule.rule.generic ?? false) ||
        b.end - b.start - (a.end - a.start) ||
        a.rule.order - b.rule.order ||
        a.start - b.start);
    const taken = []; // sorted, non-overlapping [start, end)
    const kept = [];
    for (const c of ranked) {
        let lo = 0;
        let hi = taken.length;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (taken[mid][1] <= c.start)
                lo = mid + 1;
            else
                hi = mid;
        }
        const next = taken[lo];
        if (next !== undefined && next[0] < c.end)
            continue;
        taken.splice(lo, 0, [c.start, c.end]);
        kept.push(c);
    }
    return kept.sort((a, b) => a.start - b.start);
}
/**
 * Line and column of offsets asked in increasing order (the kept candidates' starts and ends, which do
 * not overlap). Newlines are counted only as far as the last offset asked, each once, and so is the
 * allow marker: a 2 MB file with one finding near its top costs that far, and many findings on one
 * huge line cost the line once, not once each.
 */
class LineCursor {
    text;
    lineNumbers;
    /** 0-based index of the line the cursor is on, and where that line starts and ends (its newline, or the text's end). */
    index = 0;
    lineStart = 0;
    lineEnd;
    /** The first allow marker at or after `lineStart` when last looked for; the text's length when there is none. */
    marker = -1;
    constructor(text, lineNumbers) {
        this.text = text;
        this.lineNumbers = lineNumbers;
        this.lineEnd = this.newlineFrom(0);
    }
    newlineFrom(from) {
        const nl = this.text.indexOf('\n', from);
        return nl === -1 ? this.text.length : nl;
    }
    /** 1-based line (the new file's, for diff hunks) and column of `offset`. */
    at(offset) {
        while (this.lineEnd < offset && this.lineEnd < this.text.length) {
            this.lineStart = this.lineEnd + 1;
            this.index++;
            this.lineEnd = this.newlineFrom(this.lineStart);
        }
        return { line: this.lineNumbers?.[this.index] ?? this.index + 1, column: offset - this.lineStart + 1 };
    }
    /** Whether the line of the last offset asked carries `key-hygiene:allow`. */
    lineHasAllowMarker() {
        if (this.marker < this.lineStart) {
            const at = this.text.indexOf(ALLOW_MARKER, this.lineStart);
            this.marker = at === -1 ? this.text.length : at;
        }
        return this.marker < this.lineEnd;
    }
}

;// CONCATENATED MODULE: ./src/config/errors.ts
/**
 * A config problem a person can act on, in one line:
 * `<file>[:<line>]: <field>: expected <what>, got <value>`.
 * The parts stay available as properties so the action can annotate the file at the line.
 */
class ConfigError extends Error {
    name = 'ConfigError';
    file;
    /** Dotted field path, e.g. `rules.custom[0].pattern`; empty for the whole document. */
    field;
    line;
    expected;
    got;
    constructor(details) {
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
function formatPath(path) {
    let out = '';
    for (const seg of path) {
        if (typeof seg === 'number')
            out += `[${seg}]`;
        else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg))
            out += out === '' ? seg : `.${seg}`;
        else
            out += `[${quote(seg)}]`;
    }
    return out;
}
const MAX_ECHO = 80;
/**
 * A user-supplied string, double-quoted, with control, format and line-separator characters escaped so
 * that it cannot break the line or start a workflow command, and cut to a readable length.
 */
function quote(text) {
    const cut = text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}\u2026` : text;
    return `"${escapeText(cut.replace(/\\/g, '\\\\')).replace(/"/g, '\\"')}"`;
}
/** Escapes every character that could alter how a log line is shown or parsed (newlines, bidi controls...). */
function escapeText(text) {
    return text.replace(
    // eslint-disable-next-line no-control-regex -- these are exactly the characters being neutralised
    /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => {
        const named = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
        return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    });
}
/** How a parsed YAML value reads in "got ...": strings quoted, collections by kind. */
function describe(value) {
    if (value === null || value === undefined)
        return 'nothing';
    if (typeof value === 'string')
        return quote(value);
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
        return String(value);
    if (Array.isArray(value))
        return 'a list';
    if (value instanceof Map || typeof value === 'object')
        return 'a mapping';
    return typeof value;
}
function oneLine(text) {
    return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

;// CONCATENATED MODULE: ./src/config/spec.ts

function object(description, fields, required = []) {
    return { kind: 'object', description, fields, required };
}
function array(description, items, limits) {
    return { kind: 'array', description, items, ...limits };
}
function string(description, constraints) {
    return { kind: 'string', description, ...constraints };
}
function integer(description, constraints) {
    return { kind: 'integer', description, ...constraints };
}
function number(description, constraints) {
    return { kind: 'number', description, ...constraints };
}
function spec_boolean(description, defaultValue) {
    return { kind: 'boolean', description, default: defaultValue };
}
function map(description, values, keys) {
    return { kind: 'map', description, values, ...keys };
}
function oneOf(description, expect, options) {
    return { kind: 'union', description, expect, options };
}
/** What a value of this spec must be, phrased to follow "expected". */
function expectation(spec) {
    switch (spec.kind) {
        case 'string':
            if (spec.expect !== undefined)
                return spec.expect;
            if (spec.enum !== undefined)
                return `one of ${spec.enum.map((e) => `"${e}"`).join(', ')}`;
            return 'a non-empty string';
        case 'integer':
            if (spec.expect !== undefined)
                return spec.expect;
            return spec.minimum === spec.maximum ? `${spec.minimum}` : `a whole number from ${spec.minimum} to ${spec.maximum}`;
        case 'number':
            return `a number from ${spec.minimum} to ${spec.maximum}`;
        case 'boolean':
            return 'true or false';
        case 'array':
            return `a list of ${plural(expectation(spec.items))}`;
        case 'object':
            return `a mapping with the keys ${Object.keys(spec.fields).join(', ')}`;
        case 'map':
            return `a mapping of ${spec.keyExpect} to ${expectation(spec.values)}`;
        case 'union':
            return spec.expect;
    }
}
function plural(phrase) {
    return phrase.replace(/^(a|an) /, 'items like: ');
}
/**
 * Checks `value` (from YAML parsed with `mapAsMap`) against `spec` and returns it in plain form:
 * objects for object specs, ordered entries for map specs. A `null` field (a key with no value) counts
 * as absent, so commenting out every item of a section is not an error.
 */
function conform(spec, value, path, ctx) {
    return conformAny(spec, value, path, ctx);
}
function conformAny(spec, value, path, ctx) {
    switch (spec.kind) {
        case 'string': {
            if (typeof value !== 'string')
                return ctx.fail(path, expectation(spec), describe(value));
            const tooShort = value.length < (spec.minLength ?? 1);
            const tooLong = value.length > spec.maxLength;
            if (spec.enum !== undefined && !spec.enum.includes(value))
                return ctx.fail(path, expectation(spec), describe(value));
            if (tooShort || (spec.pattern !== undefined && !new RegExp(spec.pattern, 'u').test(value))) {
                return ctx.fail(path, expectation(spec), describe(value));
            }
            if (tooLong)
                return ctx.fail(path, `at most ${spec.maxLength} characters`, `${value.length}`);
            return value;
        }
        case 'integer':
            if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.minimum || value > spec.maximum) {
                return ctx.fail(path, expectation(spec), describe(value));
            }
            return value;
        case 'number':
            if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.minimum || value > spec.maximum) {
                return ctx.fail(path, expectation(spec), describe(value));
            }
            return value;
        case 'boolean':
            if (typeof value !== 'boolean')
                return ctx.fail(path, expectation(spec), describe(value));
            return value;
        case 'array': {
            if (!Array.isArray(value))
                return ctx.fail(path, 'a list', describe(value));
            if (value.length > spec.maxItems)
                return ctx.fail(path, `a list of at most ${spec.maxItems} items`, `${value.length}`);
            if (value.length < (spec.minItems ?? 0))
                return ctx.fail(path, `a list of at least ${spec.minItems} item(s)`, value.length === 0 ? 'an empty list' : `${value.length}`);
            const out = value.map((item, i) => conformAny(spec.items, item, [...path, i], ctx));
            if (spec.uniqueItems === true) {
                const seen = new Set();
                out.forEach((item, i) => {
                    const key = JSON.stringify(item);
                    if (seen.has(key))
                        ctx.fail([...path, i], 'a value not listed before', describe(item));
                    seen.add(key);
                });
            }
            return out;
        }
        case 'object': {
            if (!(value instanceof Map))
                return ctx.fail(path, 'a mapping', describe(value));
            const valid = Object.keys(spec.fields);
            const out = {};
            for (const [rawKey, item] of value) {
                const key = String(rawKey);
                const field = Object.hasOwn(spec.fields, key) ? spec.fields[key] : undefined;
                if (field === undefined) {
                    const hint = closest(key, valid);
                    ctx.fail(path, `only the keys ${valid.join(', ')}`, `unknown key ${quote(key)}${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`, {
                        path: [...path, key],
                        key: true,
                    });
                }
                if (item === null || item === undefined)
                    continue;
                out[key] = conformAny(field, item, [...path, key], ctx);
            }
            for (const key of spec.required) {
                const field = spec.fields[key];
                if (!(key in out))
                    ctx.fail([...path, key], `${expectation(field)} (required)`, 'nothing');
            }
            return out;
        }
        case 'map': {
            if (!(value instanceof Map))
                return ctx.fail(path, 'a mapping', describe(value));
            if (value.size > spec.maxEntries)
                return ctx.fail(path, `a mapping of at most ${spec.maxEntries} entries`, `${value.size}`);
            const keyRe = new RegExp(spec.keyPattern, 'u');
            const out = [];
            for (const [rawKey, item] of value) {
                const key = String(rawKey);
                if (!keyRe.test(key))
                    ctx.fail([...path, key], spec.keyExpect, `the key ${quote(key)}`, { path: [...path, key], key: true });
                out.push([key, conformAny(spec.values, item, [...path, key], ctx)]);
            }
            return out;
        }
        case 'union': {
            const option = spec.options.find((o) => accepts(o, value));
            if (option === undefined)
                return ctx.fail(path, spec.expect, describe(value));
            return conformAny(option, value, path, ctx);
        }
    }
}
/** Whether a union option is meant for this kind of YAML value. */
function accepts(spec, value) {
    switch (spec.kind) {
        case 'string':
            return typeof value === 'string';
        case 'integer':
        case 'number':
            return typeof value === 'number';
        case 'boolean':
            return typeof value === 'boolean';
        case 'array':
            return Array.isArray(value);
        case 'object':
        case 'map':
            return value instanceof Map;
        case 'union':
            return spec.options.some((o) => accepts(o, value));
    }
}
/** The valid name nearest to a misspelt one, when it is near enough to be a likely typo. */
function closest(word, candidates) {
    let best;
    let bestDistance = Infinity;
    for (const c of candidates) {
        const d = editDistance(word.toLowerCase(), c.toLowerCase());
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}
function editDistance(a, b) {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) {
            row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = row;
    }
    return prev[b.length];
}
/** JSON Schema (draft-07, which editors' YAML plugins support best) for a spec. */
function toJsonSchema(spec) {
    switch (spec.kind) {
        case 'string':
            return clean({
                description: spec.description,
                type: 'string',
                enum: spec.enum,
                pattern: spec.pattern,
                minLength: spec.minLength ?? 1,
                maxLength: spec.maxLength,
            });
        case 'integer':
            return clean({ description: spec.description, type: 'integer', minimum: spec.minimum, maximum: spec.maximum, default: spec.default });
        case 'number':
            return { description: spec.description, type: 'number', minimum: spec.minimum, maximum: spec.maximum };
        case 'boolean':
            return { description: spec.description, type: 'boolean', default: spec.default };
        case 'array':
            return clean({
                description: spec.description,
                type: 'array',
                items: toJsonSchema(spec.items),
                minItems: spec.minItems,
                maxItems: spec.maxItems,
                uniqueItems: spec.uniqueItems,
            });
        case 'object':
            return clean({
                description: spec.description,
                type: 'object',
                properties: Object.fromEntries(Object.entries(spec.fields).map(([k, v]) => [k, spec.required.includes(k) ? toJsonSchema(v) : nullable(toJsonSchema(v))])),
                required: spec.required.length > 0 ? [...spec.required] : undefined,
                additionalProperties: false,
            });
        case 'map':
            return {
                description: spec.description,
                type: 'object',
                propertyNames: { pattern: spec.keyPattern },
                maxProperties: spec.maxEntries,
                additionalProperties: toJsonSchema(spec.values),
            };
        case 'union':
            return { description: spec.description, oneOf: spec.options.map((o) => { const { description: _d, ...rest } = toJsonSchema(o); return rest; }) };
    }
}
/** A key written with no value parses as null and counts as absent; the schema must allow it too. */
function nullable(schema) {
    if (Array.isArray(schema['type']))
        return schema;
    if (Array.isArray(schema['enum']))
        return { ...schema, type: [schema['type'], 'null'], enum: [...schema['enum'], null] };
    if (typeof schema['type'] === 'string')
        return { ...schema, type: [schema['type'], 'null'] };
    return { ...schema, oneOf: [...schema['oneOf'], { type: 'null' }] };
}
function clean(o) {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

;// CONCATENATED MODULE: ./src/config/config-spec.ts

/**
 * The shape of `.github/key-hygiene.yml`, the single source for the loader's structural checks and for
 * schema/key-hygiene.schema.json (see __tests__/config/schema.test.ts).
 */
/** A century: long enough for any policy, short enough that date arithmetic stays exact. */
const MAX_DAYS = 36500;
const KEBAB_ID = '^[a-z0-9]+(-[a-z0-9]+)*$';
const days = (description) => integer(description, { minimum: 1, maximum: MAX_DAYS, expect: `a whole number of days from 1 to ${MAX_DAYS}` });
const ruleId = (description) => string(description, { pattern: KEBAB_ID, maxLength: 64, expect: 'a kebab-case rule id such as "generic-credential"' });
const sampleList = (description) => array(description, string('A literal text.', { maxLength: 4096, minLength: 1 }), { maxItems: 50 });
const customRule = object('A rule of your own, checked when the file loads: its pattern must be safe to run, its keywords must start its matches and its samples must behave.', {
    id: string('Stable id used in `rules.disable`, SARIF and fingerprints. Must not clash with a built-in rule.', {
        pattern: KEBAB_ID,
        maxLength: 64,
        expect: 'a kebab-case id such as "acme-token"',
    }),
    title: string('What the finding is called in reports. Default: the id.', { maxLength: 200 }),
    provider: string('Who issues the key. Default: "Custom".', { maxLength: 100 }),
    severity: string('Default: high.', { enum: ['critical', 'high', 'medium', 'low'], maxLength: 8 }),
    keywords: array('Lowercase literals, each a prefix of what the pattern matches. The engine looks for them (case-insensitively) and tries the pattern only where one occurs.', string('A keyword.', {
        pattern: '^[!-@\\[-~]{3,64}$',
        maxLength: 64,
        expect: 'a lowercase literal of 3 to 64 characters without spaces, such as "acme_"',
    }), { minItems: 1, maxItems: 20, uniqueItems: true }),
    pattern: string('JavaScript regular expression for the key, starting at a keyword. Quantifiers must be bounded ({1,64}, not + or *), not nested, and at most 4096; no backreferences. A leading (?i) makes it case-insensitive.', { maxLength: 2000, expect: 'a regular expression' }),
    'secret-group': oneOf('Capture group holding the secret (number or name). Default: the group named "secret", else the whole match.', 'a capture group number or name', [
        integer('Group number.', { minimum: 0, maximum: 99 }),
        string('Group name.', { pattern: '^[A-Za-z_$][A-Za-z0-9_$]*$', maxLength: 64, expect: 'a capture group name' }),
    ]),
    'min-entropy': number('Minimum Shannon entropy of the secret in bits per character; lower values are dropped as placeholders.', {
        minimum: 0,
        maximum: 8,
    }),
    remediation: object('What to do when this key leaks.', {
        text: string('One line: how to revoke or rotate the key.', { maxLength: 500 }),
        url: string('The page where the key is revoked or rotated.', {
            pattern: '^https://[^\\s]+$',
            maxLength: 2000,
            expect: 'an https:// URL',
        }),
    }, ['text']),
    samples: object('Literal texts checked at load time. Mark lines holding real-looking samples with "key-hygiene:allow" so the scan skips them.', {
        positive: sampleList('Texts in which the rule must report a secret.'),
        negative: sampleList('Texts in which the rule must report nothing.'),
    }),
}, ['id', 'keywords', 'pattern']);
const scopeDays = (scope) => days(`Maximum age in days of ${scope} secrets.`);
const secretPolicy = oneOf('A number of days, or a mapping with max-age-days (and optionally scope), or exempt with a reason.', 'a number of days or a mapping with max-age-days, scope or exempt', [
    days('Maximum age in days.'),
    object('A policy for the secrets this name matches.', {
        'max-age-days': days('Maximum age in days.'),
        scope: string('Only secrets of this kind match.', {
            enum: ['actions', 'environment', 'dependabot', 'codespaces', 'organization'],
            maxLength: 16,
        }),
        exempt: string('Why this secret is never due (required to exempt it).', {
            pattern: '\\S',
            maxLength: 500,
            expect: 'a reason why the secret is exempt',
        }),
    }),
]);
const CONFIG_SPEC = object('key-hygiene configuration (.github/key-hygiene.yml).', {
    version: integer('Config format version.', { minimum: 1, maximum: 1, default: 1 }),
    paths: object('Which files the scan skips.', {
        ignore: array('Globs (picomatch) of repository-relative paths to skip, added to the built-in allowlist. A glob without a slash matches the file name at any depth.', string('A glob.', {
            pattern: '^(?![!/]|\\./)[^\\s](.*[^\\s])?$',
            maxLength: 1024,
            expect: 'a repository-relative glob such as "**/fixtures/**" (no leading "/", "./" or "!", no surrounding spaces)',
        }), { maxItems: 1000 }),
        'use-defaults': spec_boolean('Keep the built-in path allowlist (lock files, vendored code, minified bundles...). false drops it.', true),
    }),
    rules: object('Which rules run.', {
        disable: array('Ids of rules to turn off (built-in or custom).', ruleId('A rule id.'), { maxItems: 500, uniqueItems: true }),
        custom: array('Rules of your own.', customRule, { maxItems: 200 }),
    }),
    allow: object('Values and findings that are accepted.', {
        values: array('Regular expressions; a secret matching one is accepted (test keys, documented examples). Searched anywhere in the secret: anchor with ^ and $. A leading (?i) ignores case.', string('A regular expression.', { maxLength: 1000, expect: 'a regular expression' }), { maxItems: 200 }),
        fingerprints: array('Fingerprints of findings someone judged and accepted, as printed in the report.', string('A fingerprint.', { pattern: '^[0-9a-fA-F]{32}$', maxLength: 32, expect: 'a fingerprint of 32 hexadecimal characters' }), { maxItems: 10000 }),
    }),
    rotation: object('How old secrets may get before they are due for rotation.', {
        'max-age-days': days("Default maximum age in days. Overrides the action's max-age-days input when set."),
        'warn-days': integer('How many days before the due date a secret is reported as due soon.', {
            minimum: 0,
            maximum: MAX_DAYS,
            default: 14,
            expect: `a whole number of days from 0 to ${MAX_DAYS}`,
        }),
        scopes: object('Maximum age per kind of secret; overrides max-age-days.', {
            actions: scopeDays('repository Actions'),
            environment: scopeDays('environment'),
            dependabot: scopeDays('Dependabot'),
            codespaces: scopeDays('Codespaces'),
            organization: scopeDays('organization'),
        }),
        secrets: map('Policies by secret name glob (case-insensitive); the first match wins and overrides scopes.', secretPolicy, {
            keyPattern: '^[A-Za-z0-9_*?\\[\\]{},!-]{1,255}$',
            keyExpect: 'a secret name or glob of letters, digits, underscores and * ? [ ] { } , ! - (secret names hold only letters, digits and underscores)',
            maxEntries: 1000,
        }),
        codespaces: spec_boolean('Audit Codespaces secrets too. Listing them needs a token with write access, so it is off by default.', false),
    }),
    verify: object('Opt-in live verification of found keys against their provider.', {
        providers: array('Provider ids whose keys may be checked live; nothing is checked unless listed.', string('A provider id.', { pattern: KEBAB_ID, maxLength: 64, expect: 'a lowercase provider id such as "openai"' }), { maxItems: 100, uniqueItems: true }),
        'allow-forks': spec_boolean('Also verify on pull requests from forks.', false),
    }),
});

;// CONCATENATED MODULE: external "node:vm"
const external_node_vm_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:vm");
var external_node_vm_default = /*#__PURE__*/__nccwpck_require__.n(external_node_vm_namespaceObject);
;// CONCATENATED MODULE: ./src/config/regex-syntax.ts
/**
 * A small parser for the JavaScript regular expressions that rules use, giving the structure that
 * `safe-pattern.ts` reasons about (quantifiers, alternations, first characters). It assumes the source
 * already compiled with `new RegExp`, so it only has to understand valid syntax, and it follows the
 * non-Unicode (Annex B) reading that the engine uses: a `{` that does not form a quantifier is a literal.
 */
const MAX_UNIT = 0xffff;
const ANY = [[0, MAX_UNIT]];
const DIGIT = [[0x30, 0x39]];
const WORD = normalize([[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]);
/** ECMAScript WhiteSpace and LineTerminator code points. */
const SPACE = normalize([
    [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a],
    [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
]);
const LINE_TERMINATORS = normalize([[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]]);
function charSet(...units) {
    return normalize(units.map((u) => [u, u]));
}
function normalize(ranges) {
    const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
    const out = [];
    for (const [lo, hi] of sorted) {
        const last = out.at(-1);
        if (last !== undefined && lo <= last[1] + 1)
            last[1] = Math.max(last[1], hi);
        else
            out.push([lo, hi]);
    }
    return out;
}
function union(a, b) {
    return normalize([...a, ...b]);
}
function negate(a) {
    const out = [];
    let next = 0;
    for (const [lo, hi] of a) {
        if (lo > next)
            out.push([next, lo - 1]);
        next = hi + 1;
    }
    if (next <= MAX_UNIT)
        out.push([next, MAX_UNIT]);
    return out;
}
function intersects(a, b) {
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
        const x = a[i];
        const y = b[j];
        if (x[1] < y[0])
            i++;
        else if (y[1] < x[0])
            j++;
        else
            return true;
    }
    return false;
}
function contains(a, unit) {
    return a.some(([lo, hi]) => lo <= unit && unit <= hi);
}
/** Adds the other ASCII case of every letter: what the `i` flag does for the characters keys use. */
function foldCase(a) {
    const extra = [];
    for (const [lo, hi] of a) {
        for (const [from, to, delta] of [[0x41, 0x5a, 0x20], [0x61, 0x7a, -0x20]]) {
            const l = Math.max(lo, from);
            const h = Math.min(hi, to);
            if (l <= h)
                extra.push([l + delta, h + delta]);
        }
    }
    return union(a, extra);
}
/** Syntax that compiles but that the analysis refuses rather than guesses at. */
class UnsupportedSyntax extends Error {
}
/**
 * Parses `source` as `new RegExp(source, flags)` would read it. Call only on sources that compile.
 * With the `i` flag, character sets come back case-folded.
 */
function parseRegex(source, flags) {
    return new Parser(source, flags).parse();
}
class Parser {
    src;
    pos = 0;
    captureCount = 0;
    groupNames = [];
    ignoreCase;
    dotAll;
    unicode;
    constructor(src, flags) {
        this.src = src;
        this.ignoreCase = flags.includes('i');
        this.dotAll = flags.includes('s');
        this.unicode = flags.includes('u') || flags.includes('v');
        if (flags.includes('v'))
            throw new UnsupportedSyntax('the v flag');
    }
    parse() {
        const root = this.alternation();
        if (this.pos < this.src.length)
            throw new UnsupportedSyntax(`"${this.src[this.pos]}" at offset ${this.pos}`);
        return { root, captureCount: this.captureCount, groupNames: this.groupNames };
    }
    peek(offset = 0) {
        return this.src[this.pos + offset];
    }
    alternation() {
        const start = this.pos;
        const branches = [this.sequence()];
        while (this.peek() === '|') {
            this.pos++;
            branches.push(this.sequence());
        }
        return branches.length === 1 ? branches[0] : { type: 'alt', branches, source: this.src.slice(start, this.pos) };
    }
    sequence() {
        const items = [];
        while (this.pos < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
            const start = this.pos;
            const atom = this.atom();
            items.push(this.quantified(atom, start));
        }
        return items.length === 1 ? items[0] : { type: 'seq', items };
    }
    quantified(atom, start) {
        const qStart = this.pos;
        let min;
        let max;
        const c = this.peek();
        if (c === '*')
            [min, max] = [0, Infinity];
        else if (c === '+')
            [min, max] = [1, Infinity];
        else if (c === '?')
            [min, max] = [0, 1];
        else if (c === '{') {
            const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
            if (m === null)
                return atom;
            min = Number(m[1]);
            max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
            this.pos += m[0].length - 1;
        }
        else
            return atom;
        this.pos++;
        if (this.peek() === '?')
            this.pos++;
        return { type: 'quant', min, max, body: atom, source: this.src.slice(start, this.pos), quantifier: this.src.slice(qStart, this.pos) };
    }
    atom() {
        const c = this.peek();
        this.pos++;
        switch (c) {
            case '^':
            case '$':
                return { type: 'assert' };
            case '.':
                return { type: 'chars', set: this.dotAll ? ANY : negate(LINE_TERMINATORS) };
            case '[':
                return { type: 'chars', set: this.fold(this.characterClass()) };
            case '(':
                return this.group();
            case '\\':
                return this.escape();
            default:
                return { type: 'chars', set: this.fold(charSet(c.charCodeAt(0))) };
        }
    }
    fold(set) {
        return this.ignoreCase ? foldCase(set) : set;
    }
    group() {
        let kind = 'capture';
        let name;
        if (this.peek() === '?') {
            const rest = this.src.slice(this.pos + 1);
            const prefixes = [[':', 'plain'], ['=', 'lookahead'], ['!', 'negative-lookahead'], ['<=', 'lookbehind'], ['<!', 'negative-lookbehind']];
            const found = prefixes.find(([p]) => rest.startsWith(p));
            if (found !== undefined) {
                kind = found[1];
                this.pos += 1 + found[0].length;
            }
            else {
                const named = /^<([^>]+)>/.exec(rest);
                if (named === null)
                    throw new UnsupportedSyntax('inline modifiers such as (?i:...)');
                name = named[1];
                this.groupNames.push(name);
                this.pos += 1 + named[0].length;
            }
        }
        if (kind === 'capture')
            this.captureCount++;
        const body = this.alternation();
        this.pos++; // the closing parenthesis; the source compiled, so it is there
        return name === undefined ? { type: 'group', kind, body } : { type: 'group', kind, name, body };
    }
    escape() {
        const start = this.pos - 1;
        const c = this.peek();
        if (c === 'b' || c === 'B') {
            this.pos++;
            return { type: 'assert' };
        }
        if (/[1-9]/.test(c)) {
            while (/[0-9]/.test(this.peek() ?? ''))
                this.pos++;
            return { type: 'backref', source: this.src.slice(start, this.pos) };
        }
        if (c === 'k' && this.peek(1) === '<') {
            const end = this.src.indexOf('>', this.pos);
            if (end !== -1) {
                this.pos = end + 1;
                return { type: 'backref', source: this.src.slice(start, this.pos) };
            }
        }
        return { type: 'chars', set: this.fold(this.escapedSet()) };
    }
    /** The set of one escape after the backslash (outside or inside a class). */
    escapedSet() {
        const c = this.peek();
        this.pos++;
        switch (c) {
            case 'd':
                return DIGIT;
            case 'D':
                return negate(DIGIT);
            case 'w':
                return WORD;
            case 'W':
                return negate(WORD);
            case 's':
                return SPACE;
            case 'S':
                return negate(SPACE);
            case 't':
                return charSet(0x09);
            case 'n':
                return charSet(0x0a);
            case 'v':
                return charSet(0x0b);
            case 'f':
                return charSet(0x0c);
            case 'r':
                return charSet(0x0d);
            case '0':
                return charSet(0);
            case 'c': {
                const letter = this.peek();
                if (letter !== undefined && /[A-Za-z]/.test(letter)) {
                    this.pos++;
                    return charSet(letter.charCodeAt(0) % 32);
                }
                return charSet(0x5c);
            }
            case 'x': {
                const hex = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.pos));
                if (hex === null)
                    return charSet(0x78);
                this.pos += 2;
                return charSet(parseInt(hex[0], 16));
            }
            case 'u': {
                const hex = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.pos));
                if (hex !== null) {
                    this.pos += 4;
                    return charSet(parseInt(hex[0], 16));
                }
                const braced = this.unicode ? /^\{([0-9a-fA-F]+)\}/.exec(this.src.slice(this.pos)) : null;
                if (braced === null)
                    return charSet(0x75);
                this.pos += braced[0].length;
                const cp = parseInt(braced[1], 16);
                return cp > MAX_UNIT ? ANY : charSet(cp);
            }
            case 'p':
            case 'P':
                if (this.unicode) {
                    this.pos = this.src.indexOf('}', this.pos) + 1;
                    return ANY;
                }
                throw new UnsupportedSyntax(`\\${c} without the u flag (it would match the letter "${c}")`);
            default:
                if (/[A-Za-z]/.test(c))
                    throw new UnsupportedSyntax(`\\${c}, which JavaScript reads as the plain letter "${c}"`);
                return charSet(c.charCodeAt(0));
        }
    }
    characterClass() {
        let negated = false;
        if (this.peek() === '^') {
            negated = true;
            this.pos++;
        }
        const ranges = [];
        while (this.peek() !== ']') {
            const from = this.classAtom();
            if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
                const save = this.pos;
                this.pos++;
                const to = this.classAtom();
                const lo = single(from);
                const hi = single(to);
                if (lo !== undefined && hi !== undefined) {
                    ranges.push([lo, hi]);
                    continue;
                }
                // A class escape on either side makes the dash a literal (Annex B), e.g. [\w-.].
                this.pos = save;
            }
            ranges.push(...from);
        }
        this.pos++;
        const set = normalize(ranges);
        return negated ? negate(set) : set;
    }
    classAtom() {
        const c = this.peek();
        this.pos++;
        if (c !== '\\')
            return charSet(c.charCodeAt(0));
        if (this.peek() === 'b') {
            this.pos++;
            return charSet(0x08);
        }
        if (this.peek() === '-') {
            this.pos++;
            return charSet(0x2d);
        }
        return this.escapedSet();
    }
}
function single(set) {
    const only = set.length === 1 ? set[0] : undefined;
    return only !== undefined && only[0] === only[1] ? only[0] : undefined;
}

;// CONCATENATED MODULE: ./src/config/safe-pattern.ts



/**
 * Refuses patterns that could make a scan slow. The engine's linear-time promise rests on each rule's
 * pattern doing bounded work at each keyword hit; a pattern that backtracks catastrophically would let
 * one crafted file stall a run (ReDoS). Two checks, because neither is enough alone:
 * - a structural one that refuses the shapes known to backtrack badly, with a message saying what to write;
 * - an empirical one that runs the pattern the way the engine does over adversarial texts and refuses it
 *   when the time per character grows with the length of the text.
 */
/** Largest quantifier bound accepted: beyond this a single keyword hit can scan kilobytes. */
const MAX_QUANTIFIER_BOUND = 4096;
/**
 * The structural check. Refuses, in this order of seriousness: syntax errors, backreferences, nested
 * quantifiers, repeated alternations whose branches can start alike, unbounded quantifiers and bounds
 * above `maxBound`. Returns the shape of an accepted pattern.
 */
function checkPatternStructure(source, flags, options = {}) {
    try {
        new RegExp(source, flags);
    }
    catch (error) {
        const reason = error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
        return { kind: 'syntax', expected: `a valid JavaScript regular expression (${reason})` };
    }
    let parsed;
    try {
        parsed = parseRegex(source, flags);
    }
    catch (error) {
        if (!(error instanceof UnsupportedSyntax))
            throw error;
        return { kind: 'unsupported', expected: `a regular expression without ${error.message}` };
    }
    const problems = [];
    const maxBound = options.maxBound ?? MAX_QUANTIFIER_BOUND;
    walk(parsed.root, 0, (node, repeatedDepth) => {
        if (node.type === 'backref') {
            problems.push({
                kind: 'backreference',
                expected: `a regular expression without backreferences such as ${quote(node.source)} (they defeat linear-time matching; repeat the group's pattern instead)`,
            });
        }
        else if (node.type === 'quant') {
            const repeats = node.max > 1;
            if (repeats) {
                const inner = findVariableQuantifier(node.body);
                if (inner !== undefined) {
                    problems.push({
                        kind: 'nested-quantifier',
                        expected: `a regular expression without nested quantifiers (${quote(inner.source)} inside ${quote(node.source)} can split the same text in exponentially many ways; give the inner part a fixed count such as {4} or flatten the group)`,
                    });
                }
            }
            if (node.max === Infinity && options.allowUnbounded !== true) {
                problems.push({
                    kind: 'unbounded-quantifier',
                    expected: `a regular expression without unbounded quantifiers (write a bound such as {1,64} instead of ${quote(node.quantifier)} in ${quote(node.source)}: the engine tries the pattern at every keyword and needs each attempt to stop)`,
                });
            }
            else if (node.max !== Infinity && node.max > maxBound) {
                problems.push({
                    kind: 'large-bound',
                    expected: `a regular expression without quantifier bounds above ${maxBound} (found ${quote(node.quantifier)} in ${quote(node.source)})`,
                });
            }
        }
        else if (node.type === 'alt' && repeatedDepth > 0) {
            const clash = overlappingBranches(node);
            if (clash !== undefined) {
                problems.push({
                    kind: 'ambiguous-alternation',
                    expected: `a regular expression without repeated alternations whose branches can match the same text (${quote(node.source)} is repeated and ${clash}; make the branches start with different characters, e.g. a(?:b|c) rather than ab|ac)`,
                });
            }
        }
    });
    const order = ['backreference', 'nested-quantifier', 'ambiguous-alternation', 'unbounded-quantifier', 'large-bound'];
    problems.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
    const first = problems[0];
    if (first !== undefined)
        return first;
    return { parsed, maxLength: maxLength(parsed.root) };
}
/** True when `checkPatternStructure` (or `checkPatternSafety`) refused the pattern. */
function isPatternProblem(result) {
    return result !== undefined && 'kind' in result;
}
/** Visits every node; `repeated` counts the enclosing quantifiers that may repeat their body. */
function walk(node, repeated, visit) {
    visit(node, repeated);
    switch (node.type) {
        case 'seq':
            for (const item of node.items)
                walk(item, repeated, visit);
            break;
        case 'alt':
            for (const branch of node.branches)
                walk(branch, repeated, visit);
            break;
        case 'group':
            walk(node.body, repeated, visit);
            break;
        case 'quant':
            walk(node.body, repeated + (node.max > 1 ? 1 : 0), visit);
            break;
        default:
            break;
    }
}
/** A quantifier of variable count (min != max) inside `node`: what makes an enclosing repetition ambiguous. */
function findVariableQuantifier(node) {
    let found;
    walk(node, 0, (n) => {
        if (found === undefined && n.type === 'quant' && n.min !== n.max)
            found = n;
    });
    return found;
}
/** The characters a match of `node` can start with, and whether it can match the empty string. */
function first(node) {
    switch (node.type) {
        case 'chars':
            return { set: node.set, nullable: false };
        case 'assert':
            return { set: [], nullable: true };
        case 'backref':
            return { set: [[0, 0xffff]], nullable: true };
        case 'group':
            return node.kind === 'capture' || node.kind === 'plain' ? first(node.body) : { set: [], nullable: true };
        case 'alt':
            return node.branches.map(first).reduce((a, b) => ({ set: union(a.set, b.set), nullable: a.nullable || b.nullable }));
        case 'quant': {
            const f = first(node.body);
            return { set: f.set, nullable: f.nullable || node.min === 0 };
        }
        case 'seq': {
            let set = [];
            for (const item of node.items) {
                const f = first(item);
                set = union(set, f.set);
                if (!f.nullable)
                    return { set, nullable: false };
            }
            return { set, nullable: true };
        }
    }
}
/** Describes why two branches of a repeated alternation can match the same text, or undefined. */
function overlappingBranches(node) {
    const firsts = node.branches.map(first);
    for (let i = 0; i < firsts.length; i++) {
        const a = firsts[i];
        if (a.nullable)
            return `a branch can match the empty string`;
        for (let j = i + 1; j < firsts.length; j++) {
            const b = firsts[j];
            if (intersects(a.set, b.set))
                return `two branches can start with the same character`;
        }
    }
    return undefined;
}
function maxLength(node) {
    switch (node.type) {
        case 'chars':
            return 1;
        case 'assert':
            return 0;
        case 'backref':
            return Infinity;
        case 'group':
            return node.kind === 'capture' || node.kind === 'plain' ? maxLength(node.body) : 0;
        case 'alt':
            return Math.max(...node.branches.map(maxLength));
        case 'quant':
            return node.max === 0 ? 0 : node.max * maxLength(node.body);
        case 'seq':
            return node.items.reduce((sum, item) => sum + maxLength(item), 0);
    }
}
/**
 * The leading single-character sets of each way a match can begin (up to `limit` characters), for
 * checking that a rule's keywords are prefixes of what its pattern matches. An empty list means the
 * pattern's start could not be read (it starts with an optional or variable part).
 */
function leadingSets(node, limit = 64) {
    return lead(node, limit)
        .map((l) => l.sets)
        .filter((s) => s.length > 0);
}
const MAX_LEADS = 32;
function lead(node, limit) {
    switch (node.type) {
        case 'chars':
            return [{ sets: [node.set], open: true }];
        case 'assert':
            return [{ sets: [], open: true }];
        case 'backref':
            return [{ sets: [], open: false }];
        case 'group':
            return node.kind === 'capture' || node.kind === 'plain' ? lead(node.body, limit) : [{ sets: [], open: true }];
        case 'alt':
            return cap(node.branches.flatMap((b) => lead(b, limit)));
        case 'quant': {
            if (node.min === 0)
                return cap([{ sets: [], open: true }, ...lead(node.body, limit).map((l) => ({ sets: l.sets, open: false }))]);
            let acc = [{ sets: [], open: true }];
            for (let i = 0; i < node.min && acc.some((l) => l.open && l.sets.length < limit); i++)
                acc = extend(acc, lead(node.body, limit), limit);
            return acc.map((l) => ({ sets: l.sets, open: l.open && node.max === node.min }));
        }
        case 'seq': {
            let acc = [{ sets: [], open: true }];
            for (const item of node.items) {
                if (!acc.some((l) => l.open && l.sets.length < limit))
                    break;
                acc = extend(acc, lead(item, limit), limit);
            }
            return acc;
        }
    }
}
function extend(prefixes, next, limit) {
    const out = [];
    for (const p of prefixes) {
        if (!p.open || p.sets.length >= limit) {
            out.push(p);
            continue;
        }
        for (const n of next)
            out.push({ sets: [...p.sets, ...n.sets].slice(0, limit), open: n.open });
    }
    return cap(out);
}
/**
 * Keeps the list of leads bounded without losing any way a match can begin: past MAX_LEADS the rest are
 * merged into one lead whose sets are their position-wise union (over their shortest length), which
 * may accept a keyword a pattern cannot start with, but never refuses one it can.
 */
function cap(leads) {
    if (leads.length <= MAX_LEADS)
        return leads;
    const rest = leads.slice(MAX_LEADS - 1);
    const length = Math.min(...rest.map((l) => l.sets.length));
    const sets = [];
    for (let i = 0; i < length; i++)
        sets.push(rest.reduce((acc, l) => union(acc, l.sets[i]), []));
    return [...leads.slice(0, MAX_LEADS - 1), { sets, open: false }];
}
/** True when some way the pattern begins accepts `keyword` (in any ASCII case) character by character. */
function keywordFits(leads, keyword) {
    return leads.some((sets) => {
        const n = Math.min(sets.length, keyword.length);
        for (let i = 0; i < n; i++) {
            const set = sets[i];
            const lower = keyword.charCodeAt(i);
            const upper = keyword[i]?.toUpperCase().charCodeAt(0) ?? lower;
            if (!contains(set, lower) && !contains(set, upper))
                return false;
        }
        return true;
    });
}
/** The scan loop, compiled in its own context so that a runaway match is interrupted by the timeout. */
const SCAN_SCRIPT = new (external_node_vm_default()).Script(`
(() => {
  const lower = text.toLowerCase();
  const scan = () => {
    for (const kw of keywords) {
      for (let at = lower.indexOf(kw); at !== -1; at = lower.indexOf(kw, at + 1)) {
        re.lastIndex = at;
        re.exec(text);
      }
    }
  };
  let best = Infinity;
  for (let trial = 0; trial < 2; trial++) {
    const start = now();
    let runs = 0;
    let end = start;
    do {
      scan();
      runs++;
      end = now();
    } while (end - start < 0.25 && runs < 1000);
    best = Math.min(best, (end - start) / runs);
  }
  return best;
})()
`);
/**
 * The empirical check: runs `pattern` sticky at every keyword occurrence, as the engine does, over long
 * near-miss texts (keyword followed by runs of the characters the pattern accepts, alternating pairs,
 * repeated keywords) at two lengths, and refuses it when the time per character grows super-linearly
 * or one text takes longer than the timeout.
 */
function checkPatternTiming(pattern, keywords, options = {}) {
    const shortLength = options.shortLength ?? 256;
    const longLength = options.longLength ?? shortLength * 16;
    const growthFactor = options.growthFactor ?? 4;
    const timeoutMs = options.timeoutMs ?? 500;
    const flags = pattern.flags.replace(/[gyd]/g, '');
    const sticky = new RegExp(pattern.source, `${flags}y`);
    let parsed;
    try {
        parsed = parseRegex(pattern.source, flags);
    }
    catch {
        parsed = undefined;
    }
    const reps = representatives(parsed?.root);
    const kws = keywords.length > 0 ? [...new Set(keywords.map((k) => k.toLowerCase()))] : [''];
    const families = adversarialFamilies(kws.slice(0, 2), reps);
    const context = external_node_vm_default().createContext({ re: sticky, text: '', keywords: kws, now: () => performance.now() });
    const time = (text) => {
        context['text'] = text;
        try {
            return SCAN_SCRIPT.runInContext(context, { timeout: timeoutMs });
        }
        catch (error) {
            if (error.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
                return 'timeout';
            throw error;
        }
    };
    for (const family of families) {
        let confirmations = 0;
        let worst = 0;
        // A slow long run can be a garbage-collection pause; refuse only when three measurements agree.
        for (let attempt = 0; attempt < 3; attempt++) {
            const shortText = family.build(shortLength);
            const longText = family.build(longLength);
            const short = time(shortText);
            const long = time(longText);
            if (short === 'timeout' || long === 'timeout') {
                return {
                    kind: 'too-slow',
                    expected: `a regular expression that scans quickly (matching it over ${family.label} ran past ${timeoutMs} ms; tighten its quantifier bounds)`,
                };
            }
            const growth = long / longText.length / (Math.max(short, 1e-6) / shortText.length);
            // Below a millisecond for a whole long text, any growth is too small to matter or to measure.
            if (long < 1 || growth <= growthFactor)
                break;
            worst = Math.max(worst, growth);
            confirmations++;
        }
        if (confirmations === 3) {
            return {
                kind: 'superlinear',
                expected: `a regular expression whose matching time grows linearly with the text (over ${family.label}, ${Math.round(worst)} times longer per character at ${longLength} characters than at ${shortLength}; use tighter bounds such as {1,64} and avoid adjacent quantifiers that can match the same characters)`,
            };
        }
    }
    return undefined;
}
/**
 * Both checks. `keywords` are the rule's keywords (where the engine anchors the pattern). Returns the
 * shape when the pattern is accepted. Exported for the test that holds built-in rules to the same bar.
 */
function checkPatternSafety(pattern, keywords, options = {}) {
    const flags = pattern.flags.replace(/[gyd]/g, '');
    const shape = checkPatternStructure(pattern.source, flags, options);
    if (isPatternProblem(shape))
        return shape;
    return checkPatternTiming(pattern, keywords, options) ?? shape;
}
function adversarialFamilies(keywords, reps) {
    const families = [];
    const show = quote;
    for (const kw of keywords) {
        for (const c of reps) {
            families.push({ label: `${show(kw)} followed by a long run of ${show(c)}`, build: (n) => kw + c.repeat(n) });
        }
        for (let i = 0; i + 1 < reps.length && i < 3; i++) {
            const pair = reps[i] + reps[i + 1];
            families.push({ label: `${show(kw)} followed by a long run of ${show(pair)}`, build: (n) => kw + pair.repeat(n / 2) });
        }
        for (const c of reps.slice(0, 2)) {
            const unit = kw + c.repeat(7);
            families.push({ label: `${show(unit)} repeated`, build: (n) => unit.repeat(Math.max(1, Math.round(n / unit.length))) });
        }
    }
    return families;
}
/** Characters worth repeating: one from each character set the pattern uses, preferring common ones. */
function representatives(root) {
    const preferred = 'a0A_-./+= :"\'';
    const sets = [];
    const collect = (node) => {
        switch (node.type) {
            case 'chars':
                sets.push(node.set);
                break;
            case 'seq':
                node.items.forEach(collect);
                break;
            case 'alt':
                node.branches.forEach(collect);
                break;
            case 'group':
            case 'quant':
                collect(node.body);
                break;
            default:
                break;
        }
    };
    if (root !== undefined)
        collect(root);
    // Classes first: the keyword's own literal characters rarely make a long near-miss body.
    const width = (set) => set.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
    sets.sort((a, b) => Number(width(a) === 1) - Number(width(b) === 1));
    const out = new Set();
    for (const set of sets) {
        const pick = [...preferred].find((c) => contains(set, c.charCodeAt(0)));
        const lo = set[0]?.[0];
        if (pick !== undefined)
            out.add(pick);
        else if (lo !== undefined)
            out.add(String.fromCharCode(lo));
        if (out.size >= 5)
            break;
    }
    if (out.size === 0)
        out.add('a');
    return [...out];
}

;// CONCATENATED MODULE: ./src/config/types.ts
/** Where the action and the CLI look when no config path is given. */
const DEFAULT_CONFIG_PATH = '.github/key-hygiene.yml';
/** Larger config files are refused before parsing: nobody writes a megabyte of settings by hand. */
const MAX_CONFIG_BYTES = 1024 * 1024;
/**
 * Anchors and aliases may be expanded this many times at most: enough for any hand-written file, far
 * too few for a "billion laughs" document to exhaust memory.
 */
const MAX_ALIAS_COUNT = 50;
/** A fresh copy of the configuration used when there is no config file. */
function defaultConfig() {
    return {
        version: 1,
        paths: { ignore: [], useDefaults: true },
        rules: { disable: [], custom: [] },
        allow: { values: [], fingerprints: [] },
        rotation: { warnDays: 14, scopes: {}, secrets: [], codespaces: false },
        verify: { providers: [], allowForks: false },
    };
}
/** The defaults, frozen: read them, or call `defaultConfig()` for a copy to change. */
const DEFAULT_CONFIG = deepFreeze(defaultConfig());
function deepFreeze(value) {
    if (typeof value === 'object' && value !== null) {
        for (const v of Object.values(value))
            deepFreeze(v);
        Object.freeze(value);
    }
    return value;
}

;// CONCATENATED MODULE: ./src/config/load.ts










/** Shown for custom rules that give no remediation of their own. */
const DEFAULT_REMEDIATION = {
    text: 'Revoke the key where it was issued, issue a new one and keep it in a secret store, not in the repository.',
    url: 'https://docs.github.com/actions/security-guides/using-secrets-in-github-actions',
};
/**
 * Parses and validates a config file's text. Pure: `file` only names the file in error messages.
 * An empty document (or only comments) gives the defaults.
 * @throws ConfigError, with a one-line message naming the file, line, field and what was expected.
 */
function parseConfig(text, file, options = {}) {
    const fail = (path, expected, got, line, cause) => {
        throw new ConfigError({ file, path, expected, ...(got === undefined ? {} : { got }), ...(line === undefined ? {} : { line }), cause });
    };
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_CONFIG_BYTES)
        fail([], `a config file of at most ${MAX_CONFIG_BYTES} bytes`, `${bytes} bytes`);
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter, prettyErrors: false, uniqueKeys: true, version: '1.2', schema: 'core' });
    const lineAt = (offset) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
    const syntax = doc.errors[0];
    if (syntax !== undefined)
        fail([], 'valid YAML', `a syntax error: ${escapeText(syntax.message)}`, lineAt(syntax.pos[0]), syntax);
    const warning = doc.warnings[0];
    if (warning !== undefined)
        fail([], 'plain YAML without custom tags', escapeText(warning.message), lineAt(warning.pos[0]), warning);
    let value;
    try {
        value = doc.toJS({ mapAsMap: true, maxAliasCount: MAX_ALIAS_COUNT });
    }
    catch (error) {
        fail([], `YAML whose anchors and aliases expand at most ${MAX_ALIAS_COUNT} times`, 'more (a document that expands exponentially)', undefined, error);
    }
    if (value === null || value === undefined)
        return { ...defaultConfig(), file };
    if (!(value instanceof Map)) {
        fail([], 'a mapping at the top level, with keys such as version, paths, rules, allow, rotation, verify', describe(value), lineAt(doc.contents?.range[0]));
    }
    const ctx = {
        fail: (path, expected, got, at = { path, key: false }) => fail(path, expected, got, lineAt(locate(doc, at.path, at.key))),
    };
    const raw = conform(CONFIG_SPEC, value, [], ctx);
    return build(raw, file, options, ctx);
}
/** Turns the structurally valid file into a Config, running the checks JSON Schema cannot express. */
function build(raw, file, options, ctx) {
    const config = defaultConfig();
    config.file = file;
    const builtins = options.builtinRules ?? BUILTIN_RULES;
    const ignore = raw.paths?.ignore ?? [];
    ignore.forEach((glob, i) => checkGlob(glob, ['paths', 'ignore', i], ctx));
    config.paths = { ignore, useDefaults: raw.paths?.['use-defaults'] ?? true };
    const custom = (raw.rules?.custom ?? []).map((r, i) => compileCustomRule(r, ['rules', 'custom', i], builtins, options, ctx));
    const seen = new Map();
    custom.forEach((rule, i) => {
        const earlier = seen.get(rule.id);
        if (earlier !== undefined)
            ctx.fail(['rules', 'custom', i, 'id'], `an id not used by another custom rule (rules.custom[${earlier}] has it)`, quote(rule.id));
        seen.set(rule.id, i);
    });
    const known = [...builtins.map((r) => r.id), ...custom.map((r) => r.id)];
    const disable = raw.rules?.disable ?? [];
    disable.forEach((id, i) => {
        if (known.includes(id))
            return;
        const hint = closest(id, known);
        ctx.fail(['rules', 'disable', i], `the id of a built-in or custom rule${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`, quote(id));
    });
    config.rules = { disable, custom };
    const values = (raw.allow?.values ?? []).map((source, i) => compileAllowValue(source, ['allow', 'values', i], ctx));
    config.allow = { values, fingerprints: (raw.allow?.fingerprints ?? []).map((f) => f.toLowerCase()) };
    const rotation = raw.rotation ?? {};
    const secrets = (rotation.secrets ?? []).map(([name, policy]) => {
        const path = ['rotation', 'secrets', name];
        checkGlob(name, path, ctx, true);
        if (typeof policy === 'number')
            return { name, maxAgeDays: policy };
        const scope = policy.scope;
        const base = scope === undefined ? { name } : { name, scope };
        if (policy.exempt !== undefined && policy['max-age-days'] !== undefined) {
            ctx.fail([...path, 'exempt'], 'either exempt or max-age-days, not both', 'both');
        }
        if (policy.exempt !== undefined)
            return { ...base, exempt: policy.exempt.trim() };
        if (policy['max-age-days'] !== undefined)
            return { ...base, maxAgeDays: policy['max-age-days'] };
        return ctx.fail(path, 'a mapping with max-age-days or exempt', 'neither');
    });
    const maxAgeDays = rotation['max-age-days'];
    config.rotation = {
        ...(maxAgeDays === undefined ? {} : { maxAgeDays }),
        warnDays: rotation['warn-days'] ?? 14,
        scopes: { ...rotation.scopes },
        secrets,
        codespaces: rotation.codespaces ?? false,
    };
    config.verify = { providers: raw.verify?.providers ?? [], allowForks: raw.verify?.['allow-forks'] ?? false };
    return config;
}
function compileCustomRule(raw, path, builtins, options, ctx) {
    if (builtins.some((r) => r.id === raw.id)) {
        ctx.fail([...path, 'id'], 'an id that is not a built-in rule (to replace a built-in rule, disable it and give yours another id)', quote(raw.id));
    }
    const patternPath = [...path, 'pattern'];
    const { source, flags } = splitInlineFlags(raw.pattern);
    const shape = checkPatternStructure(source, flags);
    if (isPatternProblem(shape))
        return ctx.fail(patternPath, shape.expected, quote(raw.pattern));
    const leads = leadingSets(shape.parsed.root);
    if (leads.length === 0) {
        ctx.fail(patternPath, 'a regular expression that begins with one of its keywords (the engine tries it where a keyword occurs)', quote(raw.pattern));
    }
    raw.keywords.forEach((keyword, k) => {
        if (!keywordFits(leads, keyword)) {
            ctx.fail([...path, 'keywords', k], `a prefix of what the pattern matches (the pattern cannot start with ${quote(keyword)})`, quote(keyword));
        }
    });
    const group = raw['secret-group'];
    if (typeof group === 'number' && group > shape.parsed.captureCount) {
        ctx.fail([...path, 'secret-group'], `a capture group of the pattern (it has ${shape.parsed.captureCount})`, String(group));
    }
    if (typeof group === 'string' && !shape.parsed.groupNames.includes(group)) {
        const names = shape.parsed.groupNames;
        ctx.fail([...path, 'secret-group'], names.length === 0 ? 'a group name, but the pattern has no named groups' : `one of the pattern's group names ${names.join(', ')}`, quote(group));
    }
    const pattern = new RegExp(source, flags);
    if (options.checkTiming !== false) {
        const slow = checkPatternTiming(pattern, raw.keywords);
        if (slow !== undefined)
            ctx.fail(patternPath, slow.expected, quote(raw.pattern));
    }
    const positives = [];
    const negatives = raw.samples?.negative ?? [];
    const rule = {
        id: raw.id,
        title: raw.title ?? raw.id,
        provider: raw.provider ?? 'Custom',
        severity: (raw.severity ?? 'high'),
        keywords: raw.keywords,
        pattern,
        maxLength: shape.maxLength,
        remediation: { text: raw.remediation?.text ?? DEFAULT_REMEDIATION.text, url: raw.remediation?.url ?? DEFAULT_REMEDIATION.url },
        samples: {
            // Literal samples have fixed values: the catalogue's wrapping test does not apply to them.
            wrap: false,
            secret: () => positives[0]?.secret ?? '',
            positives: () => positives,
            negatives: () => negatives,
        },
    };
    if (group !== undefined)
        rule.secretGroup = group;
    if (raw['min-entropy'] !== undefined)
        rule.minEntropy = raw['min-entropy'];
    const engine = new Engine([rule]);
    (raw.samples?.positive ?? []).forEach((text, i) => {
        const found = engine.scan({ path: 'sample', text, source: 'file' })[0];
        const secret = found === undefined ? undefined : secretOf(found);
        if (secret === undefined) {
            // The sample is not echoed: it is shaped like a real key.
            ctx.fail([...path, 'samples', 'positive', i], 'a text in which the rule reports a secret', `no finding in this sample of ${text.length} characters (check the keywords, pattern, min-entropy, and that the value is not a placeholder)`);
        }
        positives.push({ text, secret });
    });
    negatives.forEach((text, i) => {
        const found = engine.scan({ path: 'sample', text, source: 'file' })[0];
        if (found !== undefined)
            ctx.fail([...path, 'samples', 'negative', i], 'a text in which the rule reports nothing', `a finding ${quote(found.redacted)} at line ${found.line}, column ${found.column}`);
    });
    return rule;
}
function compileAllowValue(text, path, ctx) {
    const { source, flags } = splitInlineFlags(text);
    // Allow patterns only ever see one secret of bounded length, so unbounded quantifiers are fine;
    // exponential shapes are not.
    const shape = checkPatternStructure(source, flags, { allowUnbounded: true });
    if (isPatternProblem(shape))
        return ctx.fail(path, shape.expected, quote(text));
    return new RegExp(source, flags);
}
/** Patterns written for Go or PCRE tools often start with (?i); JavaScript spells that as the i flag. */
function splitInlineFlags(pattern) {
    return pattern.startsWith('(?i)') ? { source: pattern.slice(4), flags: 'i' } : { source: pattern, flags: '' };
}
/**
 * Options each path glob is matched with, so that what the loader accepts is what runs. `basename` only
 * for globs without a slash: picomatch 4 stops matching slashed globs with a slash in them when it is set.
 */
function globOptions(glob) {
    return { dot: true, strictBrackets: true, basename: !glob.includes('/') };
}
const SECRET_GLOB_OPTIONS = { nocase: true, strictBrackets: true };
function checkGlob(glob, path, ctx, secretName = false) {
    let re;
    try {
        re = picomatch_default().makeRe(glob, secretName ? SECRET_GLOB_OPTIONS : globOptions(glob));
    }
    catch (error) {
        return ctx.fail(path, `a valid glob (${escapeText(error.message)})`, quote(glob), { path, key: secretName });
    }
    // picomatch compiles some broken globs (a trailing backslash, a reversed range) to a pattern that matches nothing.
    if (re.source === '$^')
        ctx.fail(path, 'a glob that can match something', quote(glob), { path, key: secretName });
    if (secretName && glob.replace(/\[[^\]]*\]/g, '').includes('-')) {
        ctx.fail(path, 'a secret name glob without "-" outside brackets (secret names hold only letters, digits and underscores)', quote(glob), { path, key: true });
    }
    if (!secretName && /\\(?![*?[\]{}()!+@,\\])/.test(glob)) {
        ctx.fail(path, 'a glob with forward slashes (a backslash escapes the next character)', quote(glob));
    }
}
/**
 * A matcher for config globs, with the options the loader validated them with: dot files match, and a
 * glob without a slash matches the file name at any depth.
 */
function globMatcher(globs) {
    const matchers = globs.map((glob) => picomatch(glob, globOptions(glob)));
    return (path) => matchers.some((match) => match(path));
}
/** A matcher for a secret-name glob of `rotation.secrets` (case-insensitive, as GitHub secret names are). */
function secretNameMatcher(glob) {
    return picomatch(glob, SECRET_GLOB_OPTIONS);
}
/**
 * Reads and parses the config file. A missing file gives the defaults unless the path was named
 * explicitly (an input or a CLI flag), in which case it is an error, as is any unreadable file.
 */
async function loadConfig(path, opts, options = {}) {
    const fail = (expected, got, cause) => {
        throw new ConfigError({ file: path, path: [], expected, got, cause });
    };
    let text = '';
    try {
        const handle = await (0,promises_namespaceObject.open)(path, 'r');
        try {
            const stat = await handle.stat();
            if (!stat.isFile())
                fail('a regular file', stat.isDirectory() ? 'a directory' : 'something else');
            if (stat.size > MAX_CONFIG_BYTES)
                fail(`a config file of at most ${MAX_CONFIG_BYTES} bytes`, `${stat.size} bytes`);
            text = await handle.readFile('utf8');
        }
        finally {
            await handle.close();
        }
    }
    catch (error) {
        if (error instanceof ConfigError)
            throw error;
        const code = error.code;
        if (code === 'ENOENT' || code === 'ENOTDIR') {
            if (!opts.explicit)
                return defaultConfig();
            fail('an existing file (the config path was given explicitly)', 'no such file', error);
        }
        fail('a readable file', `${code ?? 'an error'}: ${escapeText(error.message)}`, error);
    }
    return parseConfig(text, path, options);
}
/**
 * The engine a config asks for: built-in rules plus custom ones (after the specific built-ins, before
 * the generic ones, so custom rules win ties against generic matches), minus disabled rules, with the
 * allowed values and accepted fingerprints.
 */
function buildEngine(config, builtinRules = BUILTIN_RULES) {
    const specific = builtinRules.filter((r) => r.generic !== true);
    const generic = builtinRules.filter((r) => r.generic === true);
    return new Engine([...specific, ...config.rules.custom, ...generic], {
        disabledRules: config.rules.disable,
        allowValues: [...config.allow.values],
        ignoreFingerprints: config.allow.fingerprints,
        pairs: BUILTIN_PAIRS,
    });
}
/** Offset of the node at `path` (its key with `atKey`), or of the nearest ancestor that exists. */
function locate(doc, path, atKey) {
    let node = doc.contents;
    let offset = rangeStart(node);
    for (let i = 0; i < path.length; i++) {
        const seg = path[i];
        if ((0,dist/* isAlias */.Vj)(node))
            node = node.resolve(doc);
        if ((0,dist/* isMap */.jh)(node)) {
            const pair = node.items.find((p) => String((0,dist/* isScalar */.jn)(p.key) ? p.key.value : p.key) === String(seg));
            if (pair === undefined)
                return offset;
            const last = i === path.length - 1;
            node = pair.value;
            offset = (last && atKey) || rangeStart(node) === undefined ? (rangeStart(pair.key) ?? offset) : rangeStart(node);
        }
        else if ((0,dist/* isSeq */.oP)(node) && typeof seg === 'number') {
            node = node.items[seg];
            offset = rangeStart(node) ?? offset;
        }
        else
            return offset;
    }
    return offset;
}
function rangeStart(node) {
    const range = node?.range;
    return range?.[0];
}

;// CONCATENATED MODULE: ./src/scan/scanner.ts

/** Bytes inspected for a NUL when deciding a file is binary: git's own heuristic looks at the first 8000. */
const BINARY_SNIFF_BYTES = 8192;
/** Zeroed counters, with every skip reason present so that merged totals read naturally. */
function scanner_emptyStats() {
    return { files: 0, bytes: 0, durationMs: 0, skipped: { binary: 0, ignored: 0, tooLarge: 0 } };
}
/** Adds `more` into `into` (mutating it) and returns it, for runs made of several scans. */
function scanner_addStats(into, more) {
    into.files += more.files;
    into.bytes += more.bytes;
    into.durationMs += more.durationMs;
    const skipped = (into.skipped ??= {});
    for (const key of ['binary', 'ignored', 'tooLarge']) {
        const n = more.skipped?.[key] ?? 0;
        if (n > 0 || skipped[key] !== undefined)
            skipped[key] = (skipped[key] ?? 0) + n;
    }
    if (more.apiCalls !== undefined)
        into.apiCalls = (into.apiCalls ?? 0) + more.apiCalls;
    return into;
}
/**
 * Scans the added lines of parsed diff files. Binary files and filtered-out paths are counted, not
 * scanned; a deleted file, or one with no added line (a pure rename), is neither scanned nor counted.
 * `stats.files` counts the files whose added lines reached the engine; `stats.bytes` their UTF-8 size.
 */
function scanDiffFiles(engine, files, options = {}) {
    const started = performance.now();
    const stats = scanner_emptyStats();
    const findings = [];
    for (const file of files) {
        // A deletion adds nothing; counting it as skipped would only blur the figures.
        if (file.status === 'deleted')
            continue;
        if (options.filter !== undefined && !options.filter(file.path)) {
            bump(stats, 'ignored');
            continue;
        }
        if (file.binary || hasNul(file.addedText)) {
            bump(stats, 'binary');
            continue;
        }
        if (file.lineNumbers.length === 0)
            continue;
        stats.files++;
        stats.bytes += Buffer.byteLength(file.addedText, 'utf8');
        const commit = options.commit ?? file.commit;
        findings.push(...engine.scan({
            path: file.path,
            text: file.addedText,
            lineNumbers: file.lineNumbers,
            source: options.source ?? 'added',
            ...(commit !== undefined ? { commit } : {}),
        }));
    }
    stats.durationMs = performance.now() - started;
    return { findings, stats };
}
/**
 * Scans one whole file's text. A text with a NUL in its first 8 KiB is binary and skipped, as git
 * judges it; a filtered-out path is skipped as `ignored`.
 */
function scanner_scanText(engine, path, text, options = {}) {
    const started = performance.now();
    const stats = scanner_emptyStats();
    let findings = [];
    if (options.filter !== undefined && !options.filter(path))
        bump(stats, 'ignored');
    else if (hasNul(text))
        bump(stats, 'binary');
    else {
        stats.files = 1;
        stats.bytes = Buffer.byteLength(text, 'utf8');
        findings = engine.scan({
            path,
            text,
            source: options.source ?? 'file',
            ...(options.commit !== undefined ? { commit: options.commit } : {}),
        });
    }
    stats.durationMs = performance.now() - started;
    return { findings, stats };
}
/**
 * Marks as `history` each finding of a commit-by-commit scan whose key is absent from the final state
 * (the net diff of the range, or the files at its tip), and returns the same array.
 *
 * Matching is by rule and secret value, not by fingerprint: fingerprints include the path, and a key
 * moved to another file is still in the tree, so it stays `added`. The comparison happens in memory
 * through `secretOf`; no value is stored or printed. A finding the engine did not make (no secret
 * attached) falls back to its fingerprint.
 *
 * The findings are updated in place rather than copied: a copy would lose the engine's link to the
 * secret, which masking and live checks need.
 */
function markHistoryOnly(perCommitFindings, finalFindings) {
    const present = new Set();
    for (const f of finalFindings)
        present.add(presenceKey(f));
    for (const f of perCommitFindings) {
        if (!present.has(presenceKey(f)))
            f.source = 'history';
    }
    return perCommitFindings;
}
function presenceKey(f) {
    const secret = secretOf(f);
    return secret === undefined ? `fp\0${f.fingerprint}` : `rs\0${f.ruleId}\0${secret}`;
}
function hasNul(text) {
    const nul = text.indexOf('\0');
    return nul !== -1 && nul < BINARY_SNIFF_BYTES;
}
function bump(stats, reason) {
    const skipped = (stats.skipped ??= {});
    skipped[reason] = (skipped[reason] ?? 0) + 1;
}

;// CONCATENATED MODULE: ./src/local/files.ts
/**
 * Walks local files and directories for the CLI, one file in memory at a time so that scanning a large
 * tree keeps memory flat.
 */



/** Files larger than this are skipped by default: generated data, not code someone pastes a key into. */
const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
/**
 * Yields the text files under the given files and directories, in name order: skips `.git`, ignored
 * paths, binary files (a NUL in the first 8 KiB; UTF-16 with a byte-order mark is decoded, not skipped)
 * and files over the size cap. Symlinks are followed only when their target stays inside the walked
 * tree, and each real file is yielded once.
 *
 * @throws Error naming the path when a given path does not exist.
 */
async function* walkFiles(paths, options = {}) {
    const root = external_node_path_default().resolve(options.root ?? process.cwd());
    const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const seenFiles = new Set();
    const seenDirs = new Set();
    const skip = (abs, reason) => options.onSkip?.(relative(root, abs), reason);
    const allowed = (abs, isDir) => {
        if (options.filter === undefined)
            return true;
        const rel = relative(root, abs);
        return options.filter(isDir ? `${rel}/` : rel);
    };
    async function* visitFile(abs, real) {
        if (seenFiles.has(real))
            return;
        seenFiles.add(real);
        if (!allowed(abs, false))
            return skip(abs, 'ignored');
        const read = await readTextFile(real, maxBytes);
        if (typeof read === 'string')
            return skip(abs, read);
        yield { path: relative(root, abs), text: read.text, bytes: read.bytes };
    }
    async function* visitDir(abs, real, tree) {
        if (seenDirs.has(real))
            return;
        seenDirs.add(real);
        let entries;
        try {
            entries = await (0,promises_namespaceObject.readdir)(abs, { withFileTypes: true });
        }
        catch {
            return skip(abs, 'unreadable');
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of entries) {
            if (entry.name === '.git')
                continue;
            const child = external_node_path_default().join(abs, entry.name);
            if (entry.isDirectory()) {
                if (allowed(child, true))
                    yield* visitDir(child, external_node_path_default().join(real, entry.name), tree);
            }
            else if (entry.isFile()) {
                yield* visitFile(child, external_node_path_default().join(real, entry.name));
            }
            else if (entry.isSymbolicLink()) {
                yield* visitLink(child, tree);
            }
        }
    }
    async function* visitLink(abs, tree) {
        let target;
        let isDir;
        try {
            target = await (0,promises_namespaceObject.realpath)(abs);
            isDir = (await (0,promises_namespaceObject.stat)(target)).isDirectory();
        }
        catch {
            return skip(abs, 'unreadable'); // a dangling link
        }
        if (!isInside(tree, target))
            return skip(abs, 'outside');
        if (isDir) {
            if (allowed(abs, true))
                yield* visitDir(abs, target, tree);
        }
        else {
            yield* visitFile(abs, target);
        }
    }
    for (const given of paths) {
        const abs = external_node_path_default().resolve(root, given);
        let info;
        try {
            info = await (0,promises_namespaceObject.lstat)(abs);
        }
        catch {
            throw new Error(`Path not found: ${given}`);
        }
        // A path named on the command line is followed even if it is a link: the user chose it.
        const real = await (0,promises_namespaceObject.realpath)(abs);
        const isDir = info.isSymbolicLink() ? (await (0,promises_namespaceObject.stat)(real)).isDirectory() : info.isDirectory();
        if (isDir)
            yield* visitDir(abs, real, real);
        else
            yield* visitFile(abs, real);
    }
}
/**
 * Scans local files and directories whole (source `file`) with the engine: the CLI's default mode.
 * Symlinks pointing out of the tree are counted as `ignored`.
 */
async function scanFiles(engine, paths, options = {}) {
    const started = performance.now();
    const stats = emptyStats();
    const skipped = stats.skipped;
    const unreadable = [];
    const findings = [];
    const onSkip = (p, reason) => {
        if (reason === 'unreadable')
            unreadable.push(p);
        else if (reason === 'outside')
            skipped.ignored = (skipped.ignored ?? 0) + 1;
        else
            skipped[reason] = (skipped[reason] ?? 0) + 1;
        options.onSkip?.(p, reason);
    };
    for await (const file of walkFiles(paths, { ...options, onSkip })) {
        const result = scanText(engine, file.path, file.text);
        addStats(stats, result.stats);
        stats.bytes += file.bytes - result.stats.bytes; // count bytes on disk, not re-encoded text
        for (const f of result.findings) {
            findings.push(f);
            options.onFinding?.(f);
        }
    }
    stats.durationMs = performance.now() - started;
    const notes = [];
    if (unreadable.length > 0) {
        const shown = unreadable.slice(0, 5).join(', ');
        notes.push(`${unreadable.length} path(s) could not be read and were not scanned: ${shown}${unreadable.length > 5 ? ', …' : ''}.`);
    }
    return { findings, stats, notes };
}
/** Reads a file if it is a text file within the size cap; otherwise says why not. */
async function readTextFile(file, maxBytes) {
    let handle;
    try {
        handle = await (0,promises_namespaceObject.open)(file, 'r');
    }
    catch {
        return 'unreadable';
    }
    try {
        const { size } = await handle.stat();
        if (size > maxBytes)
            return 'tooLarge';
        const buf = await handle.readFile();
        if (buf.length > maxBytes)
            return 'tooLarge'; // grew since the stat
        const text = decode(buf);
        return text === undefined ? 'binary' : { text, bytes: buf.length };
    }
    catch {
        return 'unreadable';
    }
    finally {
        await handle.close();
    }
}
/** UTF-8 text, UTF-16 text with a byte-order mark, or undefined for binary content. */
function decode(buf) {
    if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe)
        return new TextDecoder('utf-16le').decode(buf.subarray(2));
    if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff)
        return new TextDecoder('utf-16be').decode(buf.subarray(2));
    const sniff = buf.subarray(0, BINARY_SNIFF_BYTES);
    if (sniff.includes(0))
        return undefined;
    return buf.toString('utf8');
}
function isInside(tree, target) {
    const rel = external_node_path_default().relative(tree, target);
    return rel !== '..' && !rel.startsWith(`..${(external_node_path_default()).sep}`) && !external_node_path_default().isAbsolute(rel);
}
function relative(root, abs) {
    const rel = external_node_path_default().relative(root, abs);
    return (rel === '' ? external_node_path_default().basename(abs) : rel).split((external_node_path_default()).sep).join('/');
}

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: ./src/scan/diff.ts
/**
 * A unified-diff reader that keeps only what a secret scanner needs: for each file, the lines the change
 * ADDS, with their line numbers in the new file. It reads `git diff`, `git log -p`, `git show` (including
 * merge commits' combined diffs) and plain `diff -u` output, and GitHub's per-file `patch` field.
 *
 * Hunks are read by their header counts, never by guessing from a line's first character, so a content
 * line such as `--- a/x` or `diff --git` inside a hunk is content. Every line is looked at a bounded number
 * of times and no regular expression runs over a content line, which keeps hostile input linear.
 */
/** The input is not a diff this parser understands; `line` is the 1-based input line it stopped at. */
class DiffParseError extends Error {
    line;
    constructor(line, problem) {
        super(`Malformed diff at line ${line}: ${problem}`);
        this.name = 'DiffParseError';
        this.line = line;
    }
}
/**
 * Parses a whole diff held in memory.
 *
 * @throws DiffParseError when a hunk is malformed or its line counts do not match its lines.
 */
function parseUnifiedDiff(text) {
    const files = [];
    const parser = new DiffParser((file) => files.push(file));
    forEachLine(text, (line) => parser.push(line));
    parser.end();
    return files;
}
/**
 * Parses GitHub's per-file `patch` field (hunks only, no file headers), as the pulls/files and
 * commits APIs return it.
 *
 * @throws DiffParseError when the text holds anything but well-formed hunks.
 */
function parsePatch(patch) {
    const added = new AddedCollector();
    const hunk = new HunkReader();
    let lineNo = 0;
    forEachLine(patch, (raw) => {
        lineNo++;
        const line = stripCr(raw);
        if (hunk.active) {
            hunk.read(line, lineNo, added);
        }
        else if (line.startsWith('@@')) {
            hunk.start(line, lineNo);
        }
        else if (line.startsWith('\\') || line === '') {
            // "\ No newline at end of file" after a hunk's last line; blank lines between hunks carry nothing.
        }
        else {
            throw new DiffParseError(lineNo, lineNo === 1 ? 'a patch must start with a hunk header ("@@ -a,b +c,d @@")' : 'text outside a hunk (the hunk header counts do not match its lines)');
        }
    });
    hunk.finish(lineNo);
    return added.result();
}
/**
 * The streaming form of `parseUnifiedDiff`, for diffs too large to hold (the output of `git log -p` over
 * a long range): feed it one line at a time (without the `\n`) and it hands over each file as soon as the
 * next file starts. Call `end()` after the last line to receive the last file.
 */
class DiffParser {
    onFile;
    lineNo = 0;
    file;
    commit;
    hunk = new HunkReader();
    /** Set after `---` until the `+++` that must follow it. */
    pendingOld;
    constructor(onFile) {
        this.onFile = onFile;
    }
    /** Feeds one line. @throws DiffParseError */
    push(raw) {
        this.lineNo++;
        const line = stripCr(raw);
        const file = this.file;
        if (this.hunk.active && file !== undefined) {
            this.hunk.read(line, this.lineNo, file.added);
            return;
        }
        if (this.pendingOld !== undefined) {
            if (!line.startsWith('+++ '))
                throw new DiffParseError(this.lineNo, 'expected a "+++ " line after the "--- " line');
            this.filePaths(this.pendingOld.name, parsePathField(line.slice(4), this.lineNo));
            this.pendingOld = undefined;
            return;
        }
        if (line.startsWith('@@')) {
            if (file === undefined)
                throw new DiffParseError(this.lineNo, 'hunk header before any file header');
            if (file.binary)
                throw new DiffParseError(this.lineNo, 'hunk in a binary file');
            file.sawHunk = true;
            this.hunk.start(line, this.lineNo);
            return;
        }
        if (line.startsWith('diff --git ')) {
            this.startFile(true);
            this.headerNames(parseGitHeaderNames(line.slice('diff --git '.length), this.lineNo));
            return;
        }
        if (line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
            this.startFile(true);
            const name = parsePathField(line.slice(line.indexOf(' ', 5) + 1), this.lineNo);
            this.file.setBoth(name);
            return;
        }
        if (line.startsWith('--- ')) {
            const name = parsePathField(line.slice(4), this.lineNo);
            // In a git block the ---/+++ pair follows the extended headers; anywhere else it opens a plain diff.
            if (file === undefined || !file.git || file.sawHunk || file.sawOldNew)
                this.startFile(false);
            this.pendingOld = { name, line: this.lineNo };
            return;
        }
        if (file !== undefined && file.git && !file.sawHunk && this.gitExtendedHeader(line, file))
            return;
        if (line.startsWith('commit ') && isCommitLine(line)) {
            this.flush();
            this.commit = line.slice(7, line.indexOf(' ', 7) === -1 ? undefined : line.indexOf(' ', 7));
            return;
        }
        if (file !== undefined && file.sawHunk && line !== '-- ' && (line.startsWith('+') || line.startsWith('-') || line.startsWith(' '))) {
            throw new DiffParseError(this.lineNo, 'diff line outside a hunk (the hunk header counts do not match its lines)');
        }
        // Anything else (commit messages, `index` lines, `Only in …`, a format-patch signature, base85 data of a
        // binary patch) carries no added line.
    }
    /** Signals the end of input and hands over the last file. @throws DiffParseError if a hunk is cut short. */
    end() {
        if (this.pendingOld !== undefined)
            throw new DiffParseError(this.pendingOld.line, 'the input ends after a "--- " line');
        this.hunk.finish(this.lineNo);
        this.flush();
    }
    startFile(git) {
        this.flush();
        this.file = new FileBuilder(git);
    }
    flush() {
        if (this.file === undefined)
            return;
        const built = this.file.build();
        this.file = undefined;
        if (built !== undefined) {
            if (this.commit !== undefined)
                built.commit = this.commit;
            this.onFile(built);
        }
    }
    headerNames(names) {
        if (names !== undefined)
            this.file.setHeader(names[0], names[1]);
    }
    filePaths(oldName, newName) {
        this.file.setOldNew(oldName, newName);
    }
    /** Reads git's extended header lines; false when the line is not one of them. */
    gitExtendedHeader(line, file) {
        const field = (prefix) => line.startsWith(prefix) ? parsePathField(line.slice(prefix.length), this.lineNo) : undefined;
        if (line.startsWith('new file mode '))
            file.status = 'added';
        else if (line.startsWith('deleted file mode '))
            file.status = 'deleted';
        else if (line.startsWith('rename from '))
            file.renameFrom = field('rename from ');
        else if (line.startsWith('rename to '))
            file.renameTo = field('rename to ');
        else if (line.startsWith('copy from '))
            file.copyFrom = field('copy from ');
        else if (line.startsWith('copy to '))
            file.copyTo = field('copy to ');
        else if (line === 'GIT binary patch')
            file.binary = true;
        else if (line.startsWith('Binary files ') && line.endsWith(' differ')) {
            file.binary = true;
            if (line.startsWith('Binary files /dev/null '))
                file.status = 'added';
            if (line.endsWith(' and /dev/null differ'))
                file.status = 'deleted';
        }
        else
            return false;
        return true;
    }
}
class FileBuilder {
    git;
    status = 'modified';
    binary = false;
    sawHunk = false;
    sawOldNew = false;
    renameFrom;
    renameTo;
    copyFrom;
    copyTo;
    added = new AddedCollector();
    headerOld;
    headerNew;
    oldName;
    newName;
    constructor(git) {
        this.git = git;
    }
    setHeader(oldName, newName) {
        this.headerOld = oldName;
        this.headerNew = newName;
    }
    setBoth(name) {
        // Combined diffs name the file once, without a prefix.
        this.renameFrom = name;
        this.renameTo = name;
    }
    setOldNew(oldName, newName) {
        this.sawOldNew = true;
        this.oldName = oldName;
        this.newName = newName;
        if (oldName === DEV_NULL)
            this.status = 'added';
        if (newName === DEV_NULL)
            this.status = 'deleted';
    }
    build() {
        const [srcPrefix, dstPrefix] = this.prefixes();
        const strip = (name, prefix) => name === undefined || name === DEV_NULL ? undefined : name.startsWith(prefix) ? name.slice(prefix.length) : name;
        const oldFromLines = strip(this.oldName, srcPrefix) ?? strip(this.headerOld, srcPrefix);
        const newFromLines = strip(this.newName, dstPrefix) ?? strip(this.headerNew, dstPrefix);
        const newPath = this.renameTo ?? this.copyTo ?? newFromLines ?? oldFromLines;
        const oldPath = this.renameFrom ?? this.copyFrom ?? oldFromLines ?? newPath;
        if (newPath === undefined || oldPath === undefined)
            return undefined;
        let status = this.status;
        if (this.copyFrom !== undefined)
            status = 'added';
        else if (status === 'modified' && oldPath !== newPath && this.git)
            status = 'renamed';
        const path = status === 'deleted' ? oldPath : newPath;
        return { path, oldPath, status, binary: this.binary, ...this.added.result() };
    }
    /**
     * The prefixes to strip. Git writes `a/` and `b/` unless configured otherwise (`diff.noprefix`,
     * `diff.mnemonicPrefix`); the `diff --git` line shows which, since both names there are the same path
     * behind its prefix. A plain diff has prefixes only when both sides show them.
     */
    prefixes() {
        const o = this.headerOld ?? this.oldName;
        const n = this.headerNew ?? this.newName;
        if (o === undefined || n === undefined)
            return ['', ''];
        if (this.git && this.headerOld !== undefined && this.headerNew !== undefined) {
            if (o === n)
                return ['', ''];
            if (isLetterPrefixed(o) && isLetterPrefixed(n))
                return [o.slice(0, 2), n.slice(0, 2)];
            return ['', ''];
        }
        const hasA = o === DEV_NULL || o.startsWith('a/');
        const hasB = n === DEV_NULL || n.startsWith('b/');
        return hasA && hasB ? ['a/', 'b/'] : ['', ''];
    }
}
const DEV_NULL = '/dev/null';
function isLetterPrefixed(name) {
    const c = name.charCodeAt(0);
    return name.length > 2 && name[1] === '/' && c >= 97 && c <= 122;
}
class AddedCollector {
    lines = [];
    numbers = [];
    add(text, lineNumber) {
        this.lines.push(text);
        this.numbers.push(lineNumber);
    }
    result() {
        return { addedText: this.lines.join('\n'), lineNumbers: this.numbers };
    }
}
/**
 * Reads one hunk by its header counts. Plain hunks (`@@ -a,b +c,d @@`) have one marker column; combined
 * hunks of merge commits (`@@@ -a,b -c,d +e,f @@@`) have one per parent.
 */
class HunkReader {
    active = false;
    parents = 1;
    oldRemaining = [];
    newRemaining = 0;
    newLine = 0;
    startLine = 0;
    start(header, lineNo) {
        const parsed = parseHunkHeader(header, lineNo);
        this.parents = parsed.oldCounts.length;
        this.oldRemaining = parsed.oldCounts;
        this.newRemaining = parsed.newCount;
        this.newLine = parsed.newStart;
        this.startLine = lineNo;
        this.active = !this.done();
    }
    read(line, lineNo, added) {
        if (line.startsWith('\\'))
            return; // "\ No newline at end of file": not a line of either file
        const n = this.parents;
        // Some tools strip the single space of an empty context line; git apply accepts that too.
        const marks = line.length === 0 ? ' '.repeat(n) : line.slice(0, n);
        if (marks.length < n)
            throw new DiffParseError(lineNo, `hunk line shorter than its ${n} marker columns`);
        let minus = false;
        let allPlus = true;
        for (let i = 0; i < n; i++) {
            const m = marks[i];
            if (m === '-')
                minus = true;
            else if (m !== '+' && m !== ' ')
                throw new DiffParseError(lineNo, `unexpected line in a hunk (expected " ", "+", "-" or "\\" in column ${i + 1})`);
            if (m !== '+')
                allPlus = false;
        }
        if (minus) {
            // A line absent from the result: it counts for each parent that has it.
            for (let i = 0; i < n; i++) {
                const m = marks[i];
                if (m === '+')
                    throw new DiffParseError(lineNo, 'hunk line marked both added and removed');
                if (m === '-')
                    this.take(i, lineNo);
            }
        }
        else {
            if (this.newRemaining <= 0)
                throw new DiffParseError(lineNo, `hunk has more new-file lines than its header (line ${this.startLine}) says`);
            this.newRemaining--;
            // In a merge, a line is new only if no parent had it; lines taken from one side were added by that side's commits.
            if (allPlus)
                added.add(line.slice(n), this.newLine);
            this.newLine++;
            for (let i = 0; i < n; i++)
                if (marks[i] === ' ')
                    this.take(i, lineNo);
        }
        if (this.done())
            this.active = false;
    }
    /** @throws DiffParseError when the input ends inside this hunk. */
    finish(lastLine) {
        if (!this.active)
            return;
        this.active = false;
        throw new DiffParseError(lastLine, `hunk started at line ${this.startLine} ends early: ${this.newRemaining} new-file line(s) and ${this.oldRemaining.reduce((a, b) => a + b, 0)} old-file line(s) missing`);
    }
    take(parent, lineNo) {
        const left = this.oldRemaining[parent] ?? 0;
        if (left <= 0)
            throw new DiffParseError(lineNo, `hunk has more old-file lines than its header (line ${this.startLine}) says`);
        this.oldRemaining[parent] = left - 1;
    }
    done() {
        return this.newRemaining === 0 && this.oldRemaining.every((c) => c === 0);
    }
}
/** Parses `@@ -a[,b] +c[,d] @@` (or its combined form with more `@` and more `-` ranges) by hand. */
function parseHunkHeader(header, lineNo) {
    const bad = () => new DiffParseError(lineNo, 'bad hunk header (expected "@@ -a,b +c,d @@")');
    let at = 0;
    while (at < header.length && header[at] === '@')
        at++;
    const ats = at;
    if (ats < 2 || ats > 32 || header[at] !== ' ')
        throw bad();
    const oldCounts = [];
    let next;
    for (;;) {
        at++; // the space
        const sign = header[at];
        if (sign !== '-' && sign !== '+')
            throw bad();
        const range = readRange(header, at + 1);
        if (range === undefined)
            throw bad();
        at = range.end;
        if (sign === '-')
            oldCounts.push(range.count);
        else
            next = range;
        if (header[at] !== ' ')
            throw bad();
        if (sign === '+')
            break;
    }
    for (let i = 0; i < ats; i++)
        if (header[at + 1 + i] !== '@')
            throw bad();
    if (next === undefined || oldCounts.length !== ats - 1)
        throw bad();
    return { oldCounts, newStart: next.start, newCount: next.count };
}
/** Reads `start[,count]` at `from`; a missing count means 1. */
function readRange(s, from) {
    const start = readNumber(s, from);
    if (start === undefined)
        return undefined;
    if (s[start.end] !== ',')
        return { start: start.value, count: 1, end: start.end };
    const count = readNumber(s, start.end + 1);
    if (count === undefined)
        return undefined;
    return { start: start.value, count: count.value, end: count.end };
}
function readNumber(s, from) {
    let at = from;
    let value = 0;
    while (at < s.length && at - from < 10) {
        const c = s.charCodeAt(at);
        if (c < 48 || c > 57)
            break;
        value = value * 10 + (c - 48);
        at++;
    }
    return at === from ? undefined : { value, end: at };
}
/** `commit <hex sha>` as git log and git show print it (optionally followed by decorations). */
function isCommitLine(line) {
    let at = 7;
    while (at < line.length && at < 7 + 64 && isHex(line.charCodeAt(at)))
        at++;
    return at - 7 >= 7 && (at === line.length || line[at] === ' ');
}
function isHex(c) {
    return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
}
/**
 * The path in a `---`/`+++`/`rename from` line: a C-quoted string, or the text up to the first tab (git
 * adds a tab after names with spaces; plain diffs put a timestamp there).
 */
function parsePathField(field, lineNo) {
    if (field.startsWith('"'))
        return parseQuoted(field, 0, lineNo).value;
    const tab = field.indexOf('\t');
    return tab === -1 ? field : field.slice(0, tab);
}
/** The two names of a `diff --git` line, or undefined when they cannot be told apart (renames then name them). */
function parseGitHeaderNames(rest, lineNo) {
    if (rest.startsWith('"')) {
        const first = parseQuoted(rest, 0, lineNo);
        const second = rest.slice(first.end + 1);
        return [first.value, parsePathField(second, lineNo)];
    }
    if (rest.endsWith('"')) {
        const open = rest.lastIndexOf(' "');
        if (open === -1)
            return undefined;
        return [rest.slice(0, open), parseQuoted(rest, open + 1, lineNo).value];
    }
    // Unquoted names may hold spaces; without a rename both are the same path behind same-length prefixes.
    if (rest.length % 2 === 1) {
        const half = (rest.length - 1) / 2;
        const a = rest.slice(0, half);
        const b = rest.slice(half + 1);
        if (rest[half] === ' ' && (a === b || a.slice(2) === b.slice(2)))
            return [a, b];
    }
    const split = rest.indexOf(' b/');
    return split === -1 ? undefined : [rest.slice(0, split), rest.slice(split + 1)];
}
const SIMPLE_ESCAPES = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
/** Decodes a C-style quoted name as git writes it: octal escapes are UTF-8 bytes. */
function parseQuoted(s, from, lineNo) {
    const bytes = [];
    const encoder = new TextEncoder();
    let at = from + 1;
    while (at < s.length) {
        const c = s[at];
        if (c === '"')
            return { value: new TextDecoder().decode(new Uint8Array(bytes)), end: at + 1 };
        if (c !== '\\') {
            const code = s.codePointAt(at);
            const ch = String.fromCodePoint(code);
            for (const b of encoder.encode(ch))
                bytes.push(b);
            at += ch.length;
            continue;
        }
        const e = s[at + 1];
        if (e === undefined)
            break;
        const simple = SIMPLE_ESCAPES[e];
        if (simple !== undefined) {
            bytes.push(simple);
            at += 2;
        }
        else if (e >= '0' && e <= '7') {
            let value = 0;
            let n = 0;
            while (n < 3 && (s[at + 1 + n] ?? '') >= '0' && (s[at + 1 + n] ?? '') <= '7') {
                value = value * 8 + Number(s[at + 1 + n]);
                n++;
            }
            bytes.push(value & 0xff);
            at += 1 + n;
        }
        else {
            throw new DiffParseError(lineNo, `unknown escape "\\${e}" in a quoted path`);
        }
    }
    throw new DiffParseError(lineNo, 'unterminated quoted path');
}
function stripCr(line) {
    return line.endsWith('\r') ? line.slice(0, -1) : line;
}
/** Calls `fn` for each line; a final newline does not make an extra empty line. */
function forEachLine(text, fn) {
    let start = 0;
    while (start < text.length) {
        let end = text.indexOf('\n', start);
        if (end === -1)
            end = text.length;
        fn(text.slice(start, end));
        start = end + 1;
    }
}

;// CONCATENATED MODULE: ./src/local/git.ts
/**
 * Scans what a push or a commit would add, straight from git: a range of commits (`BASE..HEAD`) for
 * pre-push hooks and CI, or the staged changes for pre-commit hooks. Git runs without a shell, its
 * output is parsed as it streams, and each file's added lines are scanned as soon as they are read.
 */



/** Git could not do what was asked (not a repository, unknown revision, git missing); the message is one line. */
class GitError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'GitError';
    }
}
/**
 * Options that make git's diff output the same whatever the user's configuration: no colour, no
 * external diff or textconv program, `a/`/`b/` prefixes (against `diff.noprefix`/`diff.mnemonicPrefix`),
 * repository-root paths (against `diff.relative`), rename detection on (against `diff.renames=false`,
 * which would make a renamed file look wholly added), and no context lines, which the scan does not need.
 */
const DIFF_ARGS = ['--no-color', '--no-ext-diff', '--no-textconv', '--no-relative', '-M', '-U0', '--src-prefix=a/', '--dst-prefix=b/'];
/**
 * Scans the commits of a range one by one, in order, and reports each key with the commit that added it.
 *
 * `range` is `BASE..HEAD`, `BASE...HEAD`, or a single revision `REV` meaning `REV..HEAD`. A key that a
 * later commit of the range removed again (absent from the range's tip) is reported with source
 * `history`: gone from the tree, still readable in git history, so still to be rotated. Keys still
 * present keep source `added` and take their line at the tip. A key found in several commits at the same
 * path is reported once, with the first commit. Merge commits are read as dense combined diffs, so a key
 * introduced by a merge itself (an "evil merge") is found.
 *
 * @throws GitError when git fails (bad range, not a repository); DiffParseError if git's output cannot be read.
 */
async function scanGitRange(engine, range, options = {}) {
    const { spec, tip } = normalizeRange(range);
    const started = performance.now();
    const stats = scanner_emptyStats();
    const perCommit = [];
    const seen = new Set();
    const renames = new Map();
    const onFile = (file) => {
        if (file.status === 'renamed')
            renames.set(file.oldPath, file.path);
        const result = scanDiffFiles(engine, [file], { source: 'added', ...(options.filter ? { filter: options.filter } : {}) });
        scanner_addStats(stats, result.stats);
        for (const f of result.findings) {
            if (seen.has(f.fingerprint))
                continue;
            seen.add(f.fingerprint);
            perCommit.push(f);
        }
    };
    const args = ['-c', 'log.showSignature=false', 'log', '-p', '--reverse', '--cc', '--format=commit %H', ...DIFF_ARGS, spec, '--'];
    await streamDiff(args, options, onFile);
    // The tip's version of each file that had a finding (and of where renames took it) decides what is still present.
    const finalFindings = [];
    const paths = new Set();
    for (const f of perCommit) {
        paths.add(f.file);
        paths.add(followRenames(f.file, renames));
    }
    for (const p of paths) {
        const content = await readBlob(tip, p, options);
        if (content !== undefined)
            finalFindings.push(...scanner_scanText(engine, p, content, { source: 'file' }).findings);
    }
    markHistoryOnly(perCommit, finalFindings);
    relocateToTip(perCommit, finalFindings);
    stats.durationMs = performance.now() - started;
    return { findings: perCommit, stats };
}
/**
 * Scans the changes staged for the next commit (`git diff --cached`): the pre-commit hook's check.
 * Works before the first commit too.
 *
 * @throws GitError when git fails.
 */
async function scanStaged(engine, options = {}) {
    const started = performance.now();
    const stats = scanner_emptyStats();
    const findings = [];
    await streamDiff(['diff', '--cached', ...DIFF_ARGS], options, (file) => {
        const result = scanDiffFiles(engine, [file], { source: 'added', ...(options.filter ? { filter: options.filter } : {}) });
        scanner_addStats(stats, result.stats);
        findings.push(...result.findings);
    });
    stats.durationMs = performance.now() - started;
    return { findings, stats };
}
/** `REV` means `REV..HEAD`; the tip is the revision whose tree is the range's final state. */
function normalizeRange(range) {
    const r = range.trim();
    // Refuse what git would read as an option: the range comes from hook arguments and CI inputs.
    if (r === '' || r.startsWith('-') || /[\s\0]/.test(r)) {
        throw new GitError(`Invalid git range ${JSON.stringify(range)}: expected BASE..HEAD, BASE...HEAD or a single revision.`);
    }
    const three = r.indexOf('...');
    if (three !== -1)
        return { spec: r, tip: r.slice(three + 3) || 'HEAD' };
    const two = r.indexOf('..');
    if (two !== -1)
        return { spec: r, tip: r.slice(two + 2) || 'HEAD' };
    return { spec: `${r}..HEAD`, tip: 'HEAD' };
}
function followRenames(path, renames) {
    let current = path;
    // Bounded: a rename chain cannot be longer than the number of renames, and a cycle must not loop.
    for (let i = 0; i <= renames.size; i++) {
        const next = renames.get(current);
        if (next === undefined || next === path)
            break;
        current = next;
    }
    return current;
}
/** Gives findings still present at the same path their line at the tip, where a reader will look. */
function relocateToTip(findings, atTip) {
    const byFingerprint = new Map();
    for (const f of atTip)
        if (!byFingerprint.has(f.fingerprint))
            byFingerprint.set(f.fingerprint, f);
    for (const f of findings) {
        const now = f.source === 'added' ? byFingerprint.get(f.fingerprint) : undefined;
        if (now === undefined)
            continue;
        f.line = now.line;
        f.column = now.column;
        f.endLine = now.endLine;
    }
}
/** A file's content at a revision, or undefined when it does not exist there. */
async function readBlob(rev, path, options) {
    const chunks = [];
    const code = await runGit(['cat-file', 'blob', `${rev}:${path}`], options, (chunk) => chunks.push(chunk), true);
    return code === 0 ? Buffer.concat(chunks).toString('utf8') : undefined;
}
/** Runs git and parses its stdout as a diff while it streams. */
async function streamDiff(args, options, onFile) {
    const parser = new DiffParser(onFile);
    const lines = new LineSplitter((line) => parser.push(line));
    await runGit(args, options, (chunk) => lines.write(chunk), false);
    lines.end();
    parser.end();
}
/**
 * Spawns git (no shell) and feeds stdout to `onData`. A non-zero exit throws a one-line GitError unless
 * `allowFailure`, in which case the exit code is returned. An exception from `onData` stops git and is
 * rethrown.
 */
function runGit(args, options, onData, allowFailure) {
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_namespaceObject.spawn)(options.gitPath ?? 'git', args, {
            cwd: options.cwd ?? process.cwd(),
            stdio: ['ignore', 'pipe', 'pipe'],
            // Git must not ask for credentials or open an editor from inside a hook.
            env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' },
        });
        let failure;
        let stderr = '';
        child.stdout.on('data', (chunk) => {
            if (failure !== undefined)
                return;
            try {
                onData(chunk);
            }
            catch (err) {
                failure = err;
                child.kill();
            }
        });
        child.stderr.on('data', (chunk) => {
            if (stderr.length < 4096)
                stderr += chunk.toString('utf8');
        });
        child.on('error', (err) => {
            failure ??= new GitError(err.code === 'ENOENT' ? 'git is not installed or not on PATH.' : `Could not run git: ${err.message}`, { cause: err });
        });
        child.on('close', (code) => {
            if (failure !== undefined)
                return reject(failure);
            if (code === 0 || allowFailure)
                return resolve(code ?? 1);
            reject(new GitError(`git ${subcommand(args)} failed: ${firstLine(stderr) || `exit code ${code}`}`));
        });
    });
}
/** The git subcommand, past any leading `-c name=value` settings. */
function subcommand(args) {
    let i = 0;
    while (args[i] === '-c')
        i += 2;
    return args[i] ?? '';
}
/** The first non-empty line of git's stderr, without control characters (it may echo user input). */
function firstLine(text) {
    const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
    // eslint-disable-next-line no-control-regex
    return line.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 300);
}
/**
 * Splits a byte stream into lines. Bytes are decoded with a streaming decoder so a multi-byte character
 * split across chunks survives, and each chunk is searched once, so a huge single line stays linear.
 */
class LineSplitter {
    onLine;
    decoder = new TextDecoder('utf-8');
    pending = '';
    constructor(onLine) {
        this.onLine = onLine;
    }
    write(chunk) {
        const text = this.decoder.decode(chunk, { stream: true });
        let start = 0;
        let nl = text.indexOf('\n');
        if (nl === -1) {
            this.pending += text;
            return;
        }
        this.onLine(this.pending + text.slice(0, nl));
        this.pending = '';
        start = nl + 1;
        while ((nl = text.indexOf('\n', start)) !== -1) {
            this.onLine(text.slice(start, nl));
            start = nl + 1;
        }
        this.pending = text.slice(start);
    }
    end() {
        const rest = this.pending + this.decoder.decode();
        this.pending = '';
        if (rest !== '')
            this.onLine(rest);
    }
}

;// CONCATENATED MODULE: ./src/report/sort.ts

/** Location order: file, then line, then column, then rule; gives every renderer the same stable output. */
function byLocation(a, b) {
    return (compareStrings(a.file, b.file) ||
        a.line - b.line ||
        a.column - b.column ||
        compareStrings(a.ruleId, b.ruleId) ||
        compareStrings(a.fingerprint, b.fingerprint));
}
/** The line every surface shows on a key its provider confirmed is still live. */
const ACTIVE_KEY_LINE = 'Active key: revoke now';
/**
 * Keys confirmed live first (the most urgent thing a reviewer can act on), then most severe first,
 * then by location: the order in which reports are shown and trimmed.
 */
function bySeverity(a, b) {
    return liveRank(b) - liveRank(a) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || byLocation(a, b);
}
function liveRank(f) {
    return f.verification?.status === 'live' ? 1 : 0;
}
/** Code-unit order rather than localeCompare, so output does not depend on the machine's locale. */
function compareStrings(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}

;// CONCATENATED MODULE: ./src/report/json.ts

/** The version of the JSON document's shape; bumped on any incompatible change. */
const JSON_REPORT_VERSION = 1;
/**
 * The machine-readable report: findings in location order with their redacted previews and fingerprints
 * (to paste into `allow.fingerprints`), scan statistics and, when audited, the rotation report.
 * Fields are copied one by one so that nothing added to a finding later reaches the output unreviewed.
 */
function renderJson(report) {
    const doc = {
        version: JSON_REPORT_VERSION,
        findings: [...report.findings].sort(byLocation).map(toJsonFinding),
        stats: report.stats,
    };
    if (report.rotation !== undefined)
        doc.rotation = report.rotation;
    return `${JSON.stringify(doc, null, 2)}\n`;
}
function toJsonFinding(f) {
    const out = {
        ruleId: f.ruleId,
        title: f.title,
        severity: f.severity,
        file: f.file,
        line: f.line,
        column: f.column,
        fingerprint: f.fingerprint,
        redacted: f.redacted,
        provider: f.provider,
        endLine: f.endLine,
        length: f.length,
        source: f.source,
        remediation: { text: f.remediation.text, url: f.remediation.url },
    };
    if (f.commit !== undefined)
        out.commit = f.commit;
    if (f.verification !== undefined) {
        out.verification = { status: f.verification.status };
        if (f.verification.reason !== undefined)
            out.verification.reason = f.verification.reason;
    }
    if (f.notes !== undefined && f.notes.length > 0)
        out.notes = [...f.notes];
    return out;
}

;// CONCATENATED MODULE: ./src/report/limits.ts
/**
 * GitHub's size limits on what the renderers produce. Counts of items per API request (annotations,
 * PR files) live in src/github/limits.ts; these are the sizes of text and SARIF documents.
 */
/** GitHub rejects an issue or pull request comment body longer than 65,536 characters. */
const MAX_COMMENT_LENGTH = 65_536;
/** GitHub rejects a check run `output.summary` longer than 65,535 characters. */
const MAX_CHECK_SUMMARY_LENGTH = 65_535;
/** The runner refuses to upload a step's job summary larger than 1 MiB (measured in bytes). */
const MAX_JOB_SUMMARY_BYTES = 1024 * 1024;
/** Code scanning rejects a SARIF file with more than 20 runs. */
const SARIF_MAX_RUNS = 20;
/** Code scanning rejects a SARIF run with more than 25,000 results. */
const SARIF_MAX_RESULTS_PER_RUN = 25_000;
/** Of a run's results, code scanning keeps only the 5,000 most severe. */
const SARIF_DISPLAYED_RESULTS_PER_RUN = 5_000;
/** Code scanning rejects a SARIF run with more than 25,000 rules. */
const SARIF_MAX_RULES_PER_RUN = 25_000;
/** Code scanning rejects a rule with more than 20 tags, and shows only the first 10. */
const SARIF_MAX_TAGS_PER_RULE = 20;
/** Code scanning rejects a SARIF upload larger than 10 MB once gzip-compressed. */
const SARIF_MAX_UPLOAD_BYTES = (/* unused pure expression or super */ null && (10 * 1024 * 1024));

;// CONCATENATED MODULE: ./src/report/text.ts

const SGR = {
    reset: '\u001b[0m',
    bold: '\u001b[1m',
    dim: '\u001b[2m',
    red: '\u001b[31m',
    yellow: '\u001b[33m',
    cyan: '\u001b[36m',
    green: '\u001b[32m',
};
const SEVERITY_STYLE = {
    critical: SGR.bold + SGR.red,
    high: SGR.red,
    medium: SGR.yellow,
    low: SGR.cyan,
};
/**
 * The terminal report: one line per finding (`file:line:col  severity  rule  preview`), the findings
 * still in the tree first and those only in git history after, then what to do per rule and a summary.
 */
function renderText(report, options) {
    const paint = (style, s) => (options.color ? `${style}${s}${SGR.reset}` : s);
    const out = [];
    const current = report.findings.filter((f) => f.source !== 'history').sort(byLocation);
    const history = report.findings.filter((f) => f.source === 'history').sort(byLocation);
    if (current.length > 0)
        out.push(...findingLines(current, paint), '');
    if (history.length > 0) {
        out.push(paint(SGR.bold, 'Removed in a later commit but still in git history (rotate them):'));
        out.push(...findingLines(history, paint), '');
    }
    if (report.findings.length > 0) {
        out.push(paint(SGR.bold, 'What to do:'));
        for (const line of remediationLines(report.findings))
            out.push(`  ${line}`);
        out.push('');
    }
    if (report.rotation !== undefined)
        out.push(...rotationLines(report, paint), '');
    for (const note of report.notes)
        out.push(paint(SGR.dim, `note: ${text_clean(note)}`));
    out.push(summaryLine(report, paint));
    return `${out.join('\n')}\n`;
}
function findingLines(findings, paint) {
    const rows = findings.map((f) => {
        const where = `${text_clean(f.file)}:${f.line}:${f.column}`;
        const extra = f.commit !== undefined && f.source === 'history' ? `  (added in ${f.commit.slice(0, 12)})` : '';
        return { f, where, extra };
    });
    const whereWidth = Math.max(...rows.map((r) => r.where.length));
    const ruleWidth = Math.max(...rows.map((r) => r.f.ruleId.length));
    return rows.flatMap(({ f, where, extra }) => {
        const severity = paint(SEVERITY_STYLE[f.severity], f.severity.padEnd(8));
        const line = `${where.padEnd(whereWidth)}  ${severity}  ${text_clean(f.ruleId).padEnd(ruleWidth)}  ${text_clean(f.redacted)}${extra}`;
        return [line, ...(f.notes ?? []).map((n) => `${' '.repeat(whereWidth + 2)}${paint(SGR.bold, text_clean(n))}`)];
    });
}
/** One line per rule that fired: the provider's advice and where to revoke the key. */
function remediationLines(findings) {
    const seen = new Map();
    for (const f of [...findings].sort(byLocation))
        if (!seen.has(f.ruleId))
            seen.set(f.ruleId, f);
    return [...seen.values()]
        .sort((a, b) => (a.ruleId < b.ruleId ? -1 : 1))
        .map((f) => `${text_clean(f.ruleId)}: ${text_clean(f.remediation.text)} ${text_clean(f.remediation.url)}`);
}
function rotationLines(report, paint) {
    const rotation = report.rotation;
    if (rotation === undefined)
        return [];
    if (rotation.status === 'skipped')
        return ['Secret rotation: audit skipped (no secrets-token).'];
    const lines = [paint(SGR.bold, `Secret rotation${rotation.status === 'partial' ? ' (partial audit)' : ''}:`)];
    const urgent = rotation.entries.filter((e) => e.status === 'overdue' || e.status === 'due-soon');
    for (const e of urgent)
        lines.push(`  ${rotationLabel(e)}  ${e.status}  ${e.ageDays} days old${e.dueDate !== undefined ? `, due ${e.dueDate}` : ''}`);
    const rest = rotation.entries.length - urgent.length;
    if (urgent.length === 0)
        lines.push(`  All ${rest} ${rest === 1 ? 'secret is' : 'secrets are'} within policy or exempt.`);
    else if (rest > 0)
        lines.push(`  ${rest} more ${rest === 1 ? 'secret is' : 'secrets are'} within policy or exempt.`);
    for (const p of rotation.problems)
        lines.push(`  ${paint(SGR.yellow, text_clean(p))}`);
    return lines;
}
function rotationLabel(e) {
    const scope = e.environment !== undefined ? `environment ${e.environment}` : e.scope;
    return text_clean(`${e.name} (${e.repository !== undefined ? `${e.repository}, ` : ''}${scope})`);
}
function summaryLine(report, paint) {
    const { files, bytes, durationMs } = report.stats;
    const scanned = `${files} ${files === 1 ? 'file' : 'files'} scanned (${formatBytes(bytes)} in ${(durationMs / 1000).toFixed(1)} s)`;
    const n = report.findings.length;
    if (n === 0)
        return paint(SGR.green, `No leaked keys found. ${scanned}.`);
    const counts = ['critical', 'high', 'medium', 'low']
        .map((s) => [s, report.findings.filter((f) => f.severity === s).length])
        .filter(([, c]) => c > 0)
        .map(([s, c]) => `${c} ${s}`)
        .join(', ');
    return paint(SGR.bold + SGR.red, `${n} leaked ${n === 1 ? 'key' : 'keys'} found (${counts}). ${scanned}.`);
}
/** Human-readable size, decimal units as `du --si` and most download tools show them. */
function formatBytes(bytes) {
    if (bytes < 1000)
        return `${bytes} B`;
    if (bytes < 1_000_000)
        return `${(bytes / 1000).toFixed(1)} kB`;
    if (bytes < 1_000_000_000)
        return `${(bytes / 1_000_000).toFixed(1)} MB`;
    return `${(bytes / 1_000_000_000).toFixed(2)} GB`;
}
/**
 * File names and config-provided titles are attacker-controlled (a PR can add any path): control
 * characters would let them rewrite the terminal (ESC sequences) or forge extra report lines, and
 * bidirectional overrides would display a name other than the real one.
 */
function text_clean(s) {
    // eslint-disable-next-line no-control-regex
    return s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
        const code = c.charCodeAt(0);
        return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    });
}

;// CONCATENATED MODULE: ./src/report/markdown.ts



/** The GitHub limit for each surface. The job summary is limited in bytes, the others in characters. */
const MARKDOWN_LIMITS = {
    comment: MAX_COMMENT_LENGTH,
    check: MAX_CHECK_SUMMARY_LENGTH,
    summary: MAX_JOB_SUMMARY_BYTES,
};
const markdown_DEFAULT_CONFIG_PATH = '.github/key-hygiene.yml';
/** Enough fingerprints to copy for a typical false positive without turning the hint into a second report. */
const MAX_FINGERPRINT_EXAMPLES = 20;
const MAX_NOTES = 20;
const MAX_NOTE_LENGTH = 1000;
const SEVERITY_LABEL = {
    critical: '🔴 Critical',
    high: '🟠 High',
    medium: '🟡 Medium',
    low: '🔵 Low',
};
const ROTATION_ORDER = { overdue: 0, 'due-soon': 1, ok: 2, exempt: 3 };
/**
 * The Markdown report for a PR comment, a check run summary or the job summary. Everything that comes
 * from a repository (paths, rule titles from the config, environment names) is escaped, so a hostile
 * file name can neither break the tables nor inject HTML, mentions or links.
 *
 * The result stays within the surface's GitHub limit: when the full report is too long, the most severe
 * findings are kept and the rest counted; rows are dropped whole, so no table row or code fence is cut.
 */
function renderMarkdown(report, options) {
    const max = options.maxLength ?? MARKDOWN_LIMITS[options.surface];
    const measure = options.surface === 'summary' ? (s) => Buffer.byteLength(s, 'utf8') : (s) => s.length;
    const fits = (s) => measure(s) <= max;
    const findings = [...report.findings].sort(bySeverity);
    const rotation = report.rotation === undefined ? [] : [...report.rotation.entries].sort(byUrgency);
    const render = (shownFindings, shownRotation) => compose(report, options, findings.slice(0, shownFindings), findings.length, rotation.slice(0, shownRotation), rotation.length);
    const full = render(findings.length, rotation.length);
    if (fits(full))
        return full;
    // Findings matter more than rotation rows: first drop the least severe findings.
    const k = largestFitting(findings.length, (n) => fits(render(n, rotation.length)));
    if (k !== undefined)
        return render(k, rotation.length);
    // The rotation table alone is too long (a large organization): trim it, then fit what findings remain room.
    const r = largestFitting(rotation.length, (n) => fits(render(0, n)));
    if (r !== undefined) {
        const k2 = largestFitting(findings.length, (n) => fits(render(n, r))) ?? 0;
        return render(k2, r);
    }
    return minimal(report, options);
}
/** The largest n in [0, total] for which `ok(n)` holds, assuming it holds for every smaller n; undefined if not even for 0. */
function largestFitting(total, ok) {
    if (!ok(0))
        return undefined;
    let lo = 0;
    let hi = total;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (ok(mid))
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}
function compose(report, options, shown, totalFindings, rotationShown, totalRotation) {
    const blocks = [];
    const head = [];
    if (options.marker !== undefined && options.surface === 'comment')
        head.push(options.marker);
    if (options.surface !== 'check')
        head.push('### 🔑 key-hygiene');
    blocks.push([...head, '', verdict(report, options)].join('\n').replace(/^\n/, ''));
    const current = shown.filter((f) => f.source !== 'history');
    const history = shown.filter((f) => f.source === 'history');
    if (current.length > 0)
        blocks.push(findingsTable(current, report.target, false));
    if (history.length > 0) {
        blocks.push([
            '#### Removed in a later commit but still in git history: rotate them',
            '',
            'Deleting a key in a later commit does not unpublish it: anyone who can read the history can still use it until it is revoked.',
            '',
            findingsTable(history, report.target, true),
        ].join('\n'));
    }
    const left = totalFindings - shown.length;
    if (left > 0) {
        blocks.push(`_${left} less severe ${left === 1 ? 'finding is' : 'findings are'} not listed, to stay within GitHub's size limit for this ${surfaceName(options.surface)}. ` +
            'Run `npx key-hygiene scan` locally or use the SARIF or JSON output for the full list._');
    }
    if (shown.length > 0)
        blocks.push(suppressionHint([...current, ...history], options.configPath ?? markdown_DEFAULT_CONFIG_PATH));
    if (report.rotation !== undefined)
        blocks.push(rotationSection(report.rotation, rotationShown, totalRotation));
    if (report.notes.length > 0)
        blocks.push(notesSection(report.notes));
    blocks.push(footer(report, options.surface));
    return `${blocks.join('\n\n')}\n`;
}
/** Used when even the verdict with no table does not fit: only with an absurd maxLength or marker. */
function minimal(report, options) {
    const lines = [];
    if (options.marker !== undefined && options.surface === 'comment')
        lines.push(options.marker);
    lines.push(verdict(report, options), '', '_The full report is too long for this view; see the SARIF or JSON output._');
    return `${lines.join('\n')}\n`;
}
function verdict(report, options) {
    const n = report.findings.length;
    const where = scopeOf(report.target);
    let line;
    if (n > 0) {
        const inHistory = report.findings.filter((f) => f.source === 'history').length;
        const historyNote = inHistory > 0 && inHistory < n ? ` (${inHistory} only in git history)` : '';
        line = `🔴 **${n} leaked ${n === 1 ? 'key' : 'keys'} found ${where}**${historyNote}`;
    }
    else if (options.previouslyHadFindings === true) {
        line = '✅ **No leaked keys: the earlier findings were fixed.** Keys that were pushed stay in git history, so make sure they were revoked.';
    }
    else {
        line = `✅ **No leaked keys found ${where}**`;
    }
    const overdue = report.rotation?.entries.filter((e) => e.status === 'overdue').length ?? 0;
    if (overdue > 0)
        line += ` · ⚠️ ${overdue} ${overdue === 1 ? 'secret is' : 'secrets are'} overdue for rotation`;
    return line;
}
function scopeOf(target) {
    switch (target.kind) {
        case 'pull_request':
            return 'in this pull request';
        case 'push':
            return 'in this push';
        case 'merge_group':
            return 'in this merge group';
        case 'schedule':
            return 'in the repository';
        case 'local':
            return 'in the scanned files';
    }
}
function surfaceName(surface) {
    return surface === 'comment' ? 'comment' : surface === 'check' ? 'check run' : 'job summary';
}
function findingsTable(findings, target, history) {
    const header = history
        ? ['| Severity | Location | Added in | Key | Preview | What to do |', '| --- | --- | --- | --- | --- | --- |']
        : ['| Severity | Location | Key | Preview | What to do |', '| --- | --- | --- | --- | --- |'];
    const rows = findings.map((f) => {
        const cells = [SEVERITY_LABEL[f.severity], markdown_location(f, target)];
        if (history)
            cells.push(commitCell(f, target));
        cells.push(markdown_text(f.title), preview(f), remedy(f));
        return `| ${cells.join(' | ')} |`;
    });
    return [...header, ...rows].join('\n');
}
function markdown_location(f, target) {
    const label = code(`${f.file}:${f.line}`);
    // A history finding is gone from the head; it is visible at the commit that added it.
    const sha = f.source === 'history' ? f.commit : f.source === 'variable' ? undefined : target.headSha;
    const base = repoUrl(target);
    if (base === undefined || sha === undefined || !/^[0-9a-f]{7,64}$/i.test(sha))
        return label;
    const lines = f.endLine > f.line ? `#L${f.line}-L${f.endLine}` : `#L${f.line}`;
    return `[${label}](${base}/blob/${sha}/${encodePath(f.file)}${lines})`;
}
function commitCell(f, target) {
    if (f.commit === undefined || !/^[0-9a-f]{7,64}$/i.test(f.commit))
        return '—';
    const label = code(f.commit.slice(0, 7));
    const base = repoUrl(target);
    return base === undefined ? label : `[${label}](${base}/commit/${f.commit})`;
}
function preview(f) {
    const live = f.verification?.status === 'live' ? ` **${ACTIVE_KEY_LINE}**` : f.verification?.status === 'revoked' ? ' (revoked)' : '';
    return code(f.redacted) + live;
}
function remedy(f) {
    const url = safeUrl(f.remediation.url);
    // A finding's own notes (a key id next to its secret: a working pair) come first: they change the urgency.
    const notes = (f.notes ?? []).map((n) => `**${markdown_text(n)}** `).join('');
    return notes + markdown_text(f.remediation.text) + (url !== undefined ? ` [Revoke or rotate](${url})` : '');
}
function suppressionHint(shown, configPath) {
    const examples = shown.slice(0, MAX_FINGERPRINT_EXAMPLES).map((f) => `    - ${f.fingerprint}  # ${markdown_oneLine(`${f.file}:${f.line}`)}`);
    const body = ['allow:', '  fingerprints:', ...examples].join('\n');
    const fence = fenceFor(body);
    return [
        '<details><summary>How to suppress a false positive</summary>',
        '',
        'If a finding is not a real key (a test fixture, a documented example), either:',
        '',
        `- add \`key-hygiene:allow\` in a comment on the same line, or`,
        `- add its fingerprint to \`allow.fingerprints\` in ${code(configPath)}:`,
        '',
        `${fence}yaml`,
        body,
        fence,
        '',
        'A real key stays usable by whoever saw it: revoke it rather than suppressing the finding.',
        '',
        '</details>',
    ].join('\n');
}
function rotationSection(rotation, shown, total) {
    const heading = '#### Secret rotation';
    if (rotation.status === 'skipped') {
        return [
            heading,
            '',
            'The rotation audit was skipped: it needs a token that can list this repository\'s secrets. To enable it, add this to the key-hygiene step:',
            '',
            '```yaml',
            'with:',
            '  secrets-token: ${{ secrets.KEY_HYGIENE_TOKEN }}',
            '```',
        ].join('\n');
    }
    const parts = [];
    if (rotation.status === 'partial')
        parts.push('_Partial audit: some secret listings could not be read._');
    if (rotation.problems.length > 0)
        parts.push(rotation.problems.map((p) => `- ${markdown_text(markdown_oneLine(p))}`).join('\n'));
    const table = rotationTable(shown);
    const left = total - shown.length;
    const leftLine = left > 0 ? `_${left} more ${left === 1 ? 'secret is' : 'secrets are'} not listed, to stay within GitHub's size limit._` : undefined;
    const allOk = rotation.entries.every((e) => e.status === 'ok' || e.status === 'exempt');
    if (total === 0) {
        parts.unshift('No secrets found to audit.');
        return [heading, '', parts.join('\n\n')].join('\n');
    }
    if (allOk) {
        const details = [
            `<details><summary>${total === 1 ? 'The secret is' : `All ${total} secrets are`} within the rotation policy</summary>`,
            '',
            table,
            ...(leftLine !== undefined ? ['', leftLine] : []),
            '',
            '</details>',
        ].join('\n');
        return [heading, '', [...parts, details].join('\n\n')].join('\n');
    }
    const overdue = rotation.entries.filter((e) => e.status === 'overdue').length;
    const soon = rotation.entries.filter((e) => e.status === 'due-soon').length;
    const counts = [overdue > 0 ? `${overdue} overdue` : undefined, soon > 0 ? `${soon} due soon` : undefined].filter((s) => s !== undefined);
    parts.unshift(`${counts.join(', ')} of ${total} ${total === 1 ? 'secret' : 'secrets'}. Rotate a secret by issuing a new value at its provider and updating it here; the old value stops working only when you revoke it.`);
    parts.push(table);
    if (leftLine !== undefined)
        parts.push(leftLine);
    return [heading, '', parts.join('\n\n')].join('\n');
}
function rotationTable(entries) {
    const rows = entries.map((e) => {
        const lastRotated = e.neverRotated ? `never (created ${day(e.createdAt)})` : day(e.updatedAt);
        return `| ${scopeCell(e)} | ${code(e.name)} | ${markdown_text(lastRotated)} | ${e.ageDays} ${e.ageDays === 1 ? 'day' : 'days'} | ${e.dueDate !== undefined ? markdown_text(e.dueDate) : '—'} | ${statusCell(e)} |`;
    });
    return ['| Scope | Name | Last rotated | Age | Due | Status |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}
function scopeCell(e) {
    const names = {
        actions: 'Actions',
        environment: 'Environment',
        dependabot: 'Dependabot',
        codespaces: 'Codespaces',
        organization: 'Organization',
    };
    let cell = names[e.scope];
    if (e.environment !== undefined)
        cell += ` ${code(e.environment)}`;
    if (e.repository !== undefined)
        cell = `${code(e.repository)} · ${cell}`;
    return cell;
}
function statusCell(e) {
    switch (e.status) {
        case 'overdue':
            return '🔴 Overdue';
        case 'due-soon':
            return '🟡 Due soon';
        case 'ok':
            return '✅ OK';
        case 'exempt':
            return `⚪ Exempt${e.reason !== undefined ? `: ${markdown_text(markdown_oneLine(e.reason))}` : ''}`;
    }
}
function byUrgency(a, b) {
    return (ROTATION_ORDER[a.status] - ROTATION_ORDER[b.status] ||
        b.ageDays - a.ageDays ||
        (a.repository ?? '').localeCompare(b.repository ?? '', 'en') ||
        a.name.localeCompare(b.name, 'en') ||
        (a.environment ?? '').localeCompare(b.environment ?? '', 'en'));
}
function notesSection(notes) {
    const shown = notes.slice(0, MAX_NOTES).map((n) => {
        const line = markdown_oneLine(n);
        return `- ${markdown_text(line.length > MAX_NOTE_LENGTH ? `${line.slice(0, MAX_NOTE_LENGTH)}…` : line)}`;
    });
    if (notes.length > MAX_NOTES)
        shown.push(`- …and ${notes.length - MAX_NOTES} more notes.`);
    return ['#### Coverage', '', ...shown].join('\n');
}
function footer(report, surface) {
    const { files, bytes, durationMs } = report.stats;
    const scanned = `Scanned ${files} ${files === 1 ? 'file' : 'files'}`;
    // The PR comment is updated only when its body changes, so it leaves out the run-to-run duration.
    if (surface === 'comment')
        return `<sub>${scanned} · key-hygiene</sub>`;
    return `<sub>${scanned} (${formatBytes(bytes)}) in ${(durationMs / 1000).toFixed(1)} s · key-hygiene</sub>`;
}
function repoUrl(target) {
    if (target.serverUrl === undefined || target.owner === undefined || target.repo === undefined)
        return undefined;
    const server = safeUrl(target.serverUrl.replace(/\/+$/, ''));
    if (server === undefined)
        return undefined;
    return `${server}/${encodeSegment(target.owner)}/${encodeSegment(target.repo)}`;
}
/** Only plain http(s) URLs become links; anything else (javascript:, spaces, parentheses) is dropped. */
function safeUrl(url) {
    return /^https?:\/\/[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+$/.test(url) && !/[()]/.test(url) ? url : undefined;
}
function encodePath(path) {
    return path.split('/').map(encodeSegment).join('/');
}
/** encodeURIComponent leaves parentheses, which would end a Markdown link destination early. */
function encodeSegment(s) {
    return encodeURIComponent(s).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
/**
 * Repository-controlled text inside HTML `<code>`, with every ASCII punctuation character as a numeric
 * entity: nothing in it can close the tag, split a table cell (`|`), start emphasis, a link or an
 * autolink. GitHub does not turn `@name` or `#123` inside code into mentions or references.
 */
function code(s) {
    return `<code>${entities(markdown_oneLine(s), /[^A-Za-z0-9 /\-,\u0080-\uffff]/g)}</code>`;
}
/**
 * Repository-controlled prose: Markdown and HTML syntax characters become entities; `@` and `#` get a
 * zero-width space after them so that a file name cannot mention a team or cross-reference an issue.
 */
function markdown_text(s) {
    return entities(markdown_oneLine(s).replace(/([@#])/g, '$1\u200b'), /[\\`*_{}[\]<>|&~!$"]/g);
}
function entities(s, pattern) {
    return s.replace(pattern, (c) => `&#${c.charCodeAt(0)};`);
}
/**
 * One physical line with visible escapes for control and bidirectional-override characters, so a
 * name cannot end a table row or display as something other than what it is.
 */
function markdown_oneLine(s) {
    // eslint-disable-next-line no-control-regex
    return s.replace(/\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
        if (c === '\r\n' || c === '\n' || c === '\r')
            return ' ';
        const code = c.charCodeAt(0);
        return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    });
}
/** A code fence longer than any backtick run in the body, so the body cannot close it. */
function fenceFor(body) {
    const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
    return '`'.repeat(Math.max(3, longest + 1));
}
/** The UTC date of an ISO timestamp. */
function day(iso) {
    return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : iso;
}

;// CONCATENATED MODULE: ./src/report/sarif.ts



const TOOL_NAME = 'key-hygiene';
/** Where code scanning's "tool" link points. */
const TOOL_INFORMATION_URI = 'https://github.com/key-hygiene/key-hygiene';
/** The partialFingerprints key: code scanning matches alerts across runs by it. Versioned so a new scheme can coexist. */
const FINGERPRINT_KEY = 'keyHygiene/v1';
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/**
 * Code scanning orders and filters alerts by `security-severity`: above 9.0 is critical, 7.0 to 8.9 high,
 * 4.0 to 6.9 medium, below 4.0 low. Mid-band values keep each severity clear of the band edges.
 */
const SECURITY_SEVERITY = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };
/** SARIF levels: a leaked live credential is an error; weaker signals are warnings and notes. */
const LEVEL = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
/**
 * A SARIF 2.1.0 log for github/codeql-action/upload-sarif: one run, every rule the engine ran (so rule
 * indexes are stable across runs), one result per finding. Messages carry only the redacted preview.
 * Locations are repository-relative under `%SRCROOT%`; findings only in git history say so in the message,
 * since code scanning shows them against a file where the key no longer is.
 */
function renderSarif(report, rules, options = {}) {
    const sarifRules = [];
    const indexOf = new Map();
    const addRule = (rule) => {
        if (indexOf.has(rule.id))
            return;
        indexOf.set(rule.id, sarifRules.length);
        sarifRules.push(toSarifRule(rule));
    };
    for (const rule of rules)
        addRule(rule);
    // A finding from a rule the caller did not list (a custom rule) still needs a descriptor.
    for (const f of report.findings)
        addRule({ id: f.ruleId, title: f.title, provider: f.provider, severity: f.severity, remediation: f.remediation });
    const sorted = [...report.findings].sort(bySeverity);
    const kept = sorted.slice(0, SARIF_MAX_RESULTS_PER_RUN);
    const results = kept.map((f) => toResult(f, indexOf.get(f.ruleId) ?? 0));
    const run = {
        tool: {
            driver: {
                name: TOOL_NAME,
                informationUri: TOOL_INFORMATION_URI,
                semanticVersion: options.version ?? package_namespaceObject.rE,
                rules: sarifRules,
            },
        },
        columnKind: 'utf16CodeUnits',
        results,
    };
    if (kept.length < sorted.length) {
        run['invocations'] = [
            {
                executionSuccessful: true,
                toolExecutionNotifications: [
                    {
                        level: 'warning',
                        message: {
                            text: `${sorted.length - kept.length} less severe findings were left out: code scanning accepts at most ${SARIF_MAX_RESULTS_PER_RUN} results per run.`,
                        },
                    },
                ],
            },
        ];
    }
    return `${JSON.stringify({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] }, null, 2)}\n`;
}
function toSarifRule(rule) {
    const { text, url } = rule.remediation;
    const link = isWebUrl(url) ? url : undefined;
    const helpText = [
        `${rule.title} (${rule.provider}).`,
        text,
        link !== undefined ? `Revoke or rotate it: ${link}` : undefined,
        'A key that reached a commit stays in git history: rotate it even after deleting it from the file.',
        `False positive? Add "key-hygiene:allow" in a comment on the line, or add the alert's fingerprint to allow.fingerprints in .github/key-hygiene.yml.`,
    ].filter((s) => s !== undefined);
    const helpMarkdown = [
        `**${escapeMarkdownText(rule.title)}** (${escapeMarkdownText(rule.provider)})`,
        '',
        escapeMarkdownText(text) + (link !== undefined ? ` [Revoke or rotate it](${link}).` : ''),
        '',
        'A key that reached a commit stays in git history: rotate it even after deleting it from the file.',
        '',
        'False positive? Add `key-hygiene:allow` in a comment on the line, or add the fingerprint to `allow.fingerprints` in `.github/key-hygiene.yml`.',
    ].join('\n');
    const tags = ['security', 'secret', 'credential', slug(rule.provider)].filter((t) => t.length > 0).slice(0, SARIF_MAX_TAGS_PER_RULE);
    const out = {
        id: rule.id,
        name: pascalCase(rule.id),
        shortDescription: { text: rule.title },
        fullDescription: { text: `${rule.title} (${rule.provider}). ${text}` },
        help: { text: helpText.join('\n'), markdown: helpMarkdown },
        defaultConfiguration: { level: LEVEL[rule.severity] },
        properties: { 'security-severity': SECURITY_SEVERITY[rule.severity], tags: [...new Set(tags)], precision: 'high' },
    };
    if (link !== undefined)
        out.helpUri = link;
    return out;
}
function toResult(f, ruleIndex) {
    const region = { startLine: f.line, startColumn: f.column, endLine: f.endLine };
    if (f.endLine === f.line)
        region['endColumn'] = f.column + f.length;
    const notes = (f.notes ?? []).map((n) => `${n} `).join('');
    let message = `${f.title} found: ${f.redacted}. ${notes}${f.remediation.text}`;
    if (f.source === 'history') {
        const commit = f.commit !== undefined ? ` (added in commit ${f.commit.slice(0, 12)})` : '';
        message = `Removed in a later commit but still in git history${commit}: rotate it. ${message}`;
    }
    else if (f.source === 'variable') {
        message = `In a repository variable, which anyone with read access can see. ${message}`;
    }
    if (f.verification?.status === 'live')
        message = `${ACTIVE_KEY_LINE}: its provider still accepts it. ${message}`;
    else if (f.verification !== undefined)
        message += ` Live check: ${f.verification.status}${f.verification.reason !== undefined ? ` (${f.verification.reason})` : ''}.`;
    const properties = { provider: f.provider, source: f.source };
    if (f.commit !== undefined)
        properties['commit'] = f.commit;
    return {
        ruleId: f.ruleId,
        ruleIndex,
        level: LEVEL[f.severity],
        message: { text: message },
        locations: [{ physicalLocation: { artifactLocation: { uri: toUri(f.file), uriBaseId: '%SRCROOT%' }, region } }],
        partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
        properties,
    };
}
/** A relative URI reference: each path segment percent-encoded, so spaces, `#` and `?` stay part of the name. */
function toUri(path) {
    return path.split('/').map((segment) => encodeURIComponent(segment)).join('/');
}
function pascalCase(id) {
    return id
        .split(/[^A-Za-z0-9]+/)
        .filter((p) => p.length > 0)
        .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
        .join('');
}
function slug(s) {
    return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
function isWebUrl(url) {
    return /^https?:\/\/[^\s<>()]+$/.test(url);
}
/** Rule text comes from rule modules or the user's config; keep it from turning into markup in code scanning. */
function escapeMarkdownText(s) {
    return s.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

;// CONCATENATED MODULE: ./src/scan/path-filter.ts

/**
 * Paths passed over unless the config turns the defaults off. Only files that cannot hold a readable key
 * or that belong to tooling rather than the repository are here. Lockfiles, tests, fixtures, examples,
 * minified bundles and docs are all scanned on purpose: a token in a lockfile's registry URL, a "test" key
 * that is live, or an API key baked into a bundle are all real leaks.
 */
const DEFAULT_IGNORE_GLOBS = [
    // Version-control metadata: object storage and hooks, not the project's files.
    '.git/',
    '.hg/',
    '.svn/',
    // Installed third-party packages: not this repository's secrets, full of sample keys, normally gitignored.
    'node_modules/',
    // Raster images and icons: binary, and a key drawn into a picture is beyond a text scanner.
    '*.{png,jpg,jpeg,gif,bmp,ico,icns,webp,avif,tif,tiff,psd,heic}',
    // Fonts: binary glyph tables.
    '*.{woff,woff2,ttf,otf,eot}',
    // Audio and video: binary media.
    '*.{mp3,mp4,m4a,mov,avi,mkv,webm,wav,flac,ogg}',
    // Archives and compressed files: their contents are not readable without unpacking.
    '*.{zip,gz,tgz,bz2,xz,zst,7z,rar,tar,jar,war,ear,whl,nupkg}',
    // PDFs and office documents: compressed containers.
    '*.{pdf,docx,xlsx,pptx,odt,ods}',
    // Compiled code and native libraries: machine code, not source.
    '*.{exe,dll,so,dylib,o,a,lib,class,pyc,pyo,wasm}',
];
/**
 * Builds the path allowlist. Patterns read like .gitignore:
 * - a pattern without a slash matches a file or directory name at any depth (`*.png`, `node_modules`);
 * - a pattern with a slash matches from the repository root (`docs/*.md`; a leading `/` is allowed);
 * - a trailing slash matches directories only (`build/`), and everything under them;
 * - a pattern matching a directory skips everything under it;
 * - `!pattern` scans matching paths again; the last matching pattern wins.
 * Globs are picomatch globs with dotfiles included.
 */
function createPathFilter(options) {
    // Default extensions match in any case (LOGO.PNG); the user's own patterns are case-sensitive, as in .gitignore.
    const patterns = [
        ...(options.useDefaults ? DEFAULT_IGNORE_GLOBS.map((g) => compilePattern(g, true)) : []),
        ...options.ignore.map((g) => compilePattern(g, false)),
    ].filter((p) => p !== undefined);
    if (patterns.length === 0)
        return () => true;
    // A `!` pattern may re-include a file under an ignored directory, so then no directory is skipped whole.
    const canSkipDirectories = !patterns.some((p) => p.negate);
    return (rawPath) => {
        const isDirectory = rawPath.endsWith('/') || rawPath.endsWith('\\');
        if (isDirectory && !canSkipDirectories)
            return true;
        const path = trimTrailingSlashes(normalizePath(rawPath));
        const parts = path.split('/');
        let scan = true;
        for (const p of patterns) {
            if (matchesPathOrAncestor(p, parts, isDirectory))
                scan = p.negate;
        }
        return scan;
    };
}
/** Forward slashes, no leading `./` or `/`. */
function normalizePath(path) {
    let p = path.replace(/\\/g, '/');
    while (p.startsWith('./'))
        p = p.slice(2);
    while (p.startsWith('/'))
        p = p.slice(1);
    return p;
}
function trimTrailingSlashes(p) {
    let end = p.length;
    while (end > 0 && p[end - 1] === '/')
        end--;
    return p.slice(0, end);
}
function compilePattern(raw, nocase) {
    let p = raw.trim();
    if (p === '' || p.startsWith('#'))
        return undefined;
    const negate = p.startsWith('!');
    if (negate)
        p = p.slice(1);
    const dirOnly = p.endsWith('/');
    if (dirOnly)
        p = trimTrailingSlashes(p);
    const anchored = p.includes('/');
    p = normalizePath(p);
    if (p === '')
        return undefined;
    const glob = anchored ? p : `**/${p}`;
    return { negate, dirOnly, match: picomatch_default()(glob, { dot: true, nocase }) };
}
/** Tries the path and each directory above it, so a pattern naming a directory covers its contents. */
function matchesPathOrAncestor(p, parts, lastIsDirectory) {
    let prefix = '';
    for (let i = 0; i < parts.length; i++) {
        prefix = i === 0 ? parts[0] : `${prefix}/${parts[i]}`;
        const isDir = lastIsDirectory || i < parts.length - 1;
        if ((isDir || !p.dirOnly) && p.match(prefix))
            return true;
    }
    return false;
}

;// CONCATENATED MODULE: ./src/cli.ts
/**
 * The local CLI: the same engine, config and renderers as the action, over files, a diff or a git range.
 * `main` takes its streams and working directory as arguments so tests run it in-process.
 */


















const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;
const EXIT_ERROR = 2;
const FORMATS = ['text', 'json', 'sarif', 'markdown'];
/** Progress is redrawn at most this often, so a fast scan is not slowed by terminal writes. */
const PROGRESS_INTERVAL_MS = 200;
const USAGE = `Usage: key-hygiene scan [PATH...] [options]

Finds leaked API keys in files, in the lines a diff adds, or in git commits.

Arguments:
  PATH...          files or directories to scan whole (default: .)

Options:
  --diff FILE      scan the lines added by a unified diff (git diff, git log -p); - reads stdin
  --git RANGE      scan the commits of a git range, e.g. origin/main..HEAD (REV means REV..HEAD);
                   keys a later commit removed are reported as still in git history
  --staged         scan the changes staged for the next commit (for a pre-commit hook)
  --config FILE    config file (default: ${DEFAULT_CONFIG_PATH}, if it exists)
  --format FORMAT  text, json, sarif or markdown (default: text)
  --output FILE    write the report to FILE instead of standard output
  -h, --help       show this help
  -v, --version    print the version

Exit status: 0 when nothing is found, 1 when leaked keys are found,
2 for a usage, config or input error.
`;
/** A problem the user can fix (arguments, config, input): one line on stderr and exit status 2. */
class UsageError extends Error {
}
/**
 * Runs the CLI with `argv` (the arguments after the program name) and returns the exit status:
 * 0 nothing found, 1 leaked keys found, 2 usage, config or input error (one line on stderr).
 */
async function main(argv, io = processIo()) {
    try {
        return await run(argv, io);
    }
    catch (error) {
        io.stderr.write(`key-hygiene: ${cli_oneLine(errorMessage(error))}\n`);
        return EXIT_ERROR;
    }
}
async function run(argv, io) {
    const args = parse(argv);
    const { values, positionals } = args;
    if (values.version === true) {
        io.stdout.write(`${package_namespaceObject.rE}\n`);
        return EXIT_CLEAN;
    }
    const [command, ...paths] = positionals;
    if (values.help === true || command === 'help') {
        io.stdout.write(USAGE);
        return EXIT_CLEAN;
    }
    if (command === undefined)
        throw new UsageError('missing command; run "key-hygiene scan [PATH...]" or see --help');
    if (command !== 'scan')
        throw new UsageError(`unknown command ${JSON.stringify(command)}; the command is "scan" (see --help)`);
    const format = values.format ?? 'text';
    if (!isFormat(format))
        throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got ${JSON.stringify(format)}`);
    const modes = [paths.length > 0, values.diff !== undefined, values.git !== undefined, values.staged === true].filter(Boolean).length;
    if (modes > 1)
        throw new UsageError('give either PATHs, --diff, --git or --staged, not several');
    const configPath = values.config ?? DEFAULT_CONFIG_PATH;
    const config = await loadConfig(external_node_path_default().resolve(io.cwd, configPath), { explicit: values.config !== undefined });
    const engine = buildEngine(config);
    const filter = createPathFilter({ ignore: config.paths.ignore, useDefaults: config.paths.useDefaults });
    const progress = new Progress(io.stderr);
    let outcome;
    try {
        if (values.diff !== undefined)
            outcome = await scanDiff(engine, values.diff, filter, io, progress);
        else if (values.git !== undefined || values.staged === true)
            outcome = await scanGit(engine, values.git, filter, io);
        else
            outcome = await scanPaths(engine, paths.length > 0 ? paths : ['.'], filter, io, progress);
    }
    finally {
        progress.done();
    }
    const report = { findings: outcome.findings, stats: outcome.stats, notes: outcome.notes, target: { kind: 'local' } };
    const toFile = values.output !== undefined;
    const color = !toFile && io.stdout.isTTY === true && io.env['NO_COLOR'] === undefined;
    const rendered = render(report, format, engine, color);
    if (values.output !== undefined) {
        const target = external_node_path_default().resolve(io.cwd, values.output);
        try {
            await (0,promises_namespaceObject.writeFile)(target, rendered);
        }
        catch (error) {
            throw new UsageError(`cannot write the report to ${values.output}: ${errorMessage(error)}`);
        }
    }
    else {
        io.stdout.write(rendered);
    }
    return report.findings.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}
function parse(argv) {
    try {
        return (0,external_node_util_namespaceObject.parseArgs)({
            args: [...argv],
            allowPositionals: true,
            strict: true,
            options: {
                diff: { type: 'string' },
                git: { type: 'string' },
                staged: { type: 'boolean' },
                config: { type: 'string' },
                format: { type: 'string', short: 'f' },
                output: { type: 'string', short: 'o' },
                help: { type: 'boolean', short: 'h' },
                version: { type: 'boolean', short: 'v' },
            },
        });
    }
    catch (error) {
        // parseArgs explains the problem but its text ends with advice about "--" that does not apply here.
        throw new UsageError(`${errorMessage(error).replace(/\. To specify a positional argument.*$/s, '')} (see --help)`);
    }
}
function isFormat(s) {
    return FORMATS.includes(s);
}
function render(report, format, engine, color) {
    switch (format) {
        case 'text':
            return renderText(report, { color });
        case 'json':
            return renderJson(report);
        case 'sarif':
            return renderSarif(report, engine.rules);
        case 'markdown':
            return renderMarkdown(report, { surface: 'summary' });
    }
}
/** Files and directories, whole, one file in memory at a time. */
async function scanPaths(engine, paths, filter, io, progress) {
    const started = performance.now();
    const stats = scanner_emptyStats();
    const skipped = stats.skipped ?? {};
    const findings = [];
    const unreadable = [];
    const walk = walkFiles(paths, {
        root: io.cwd,
        filter,
        onSkip: (p, reason) => {
            if (reason === 'unreadable')
                unreadable.push(p);
            else if (reason === 'outside')
                skipped.ignored = (skipped.ignored ?? 0) + 1;
            else
                skipped[reason] = (skipped[reason] ?? 0) + 1;
        },
    });
    try {
        for await (const file of walk) {
            const result = scanner_scanText(engine, file.path, file.text);
            scanner_addStats(stats, result.stats);
            findings.push(...result.findings);
            progress.update(stats.files, file.bytes);
        }
    }
    catch (error) {
        // walkFiles throws for a PATH that does not exist: the user's input, not a crash.
        if (error instanceof Error && error.message.startsWith('Path not found'))
            throw new UsageError(error.message);
        throw error;
    }
    stats.durationMs = performance.now() - started;
    const notes = skipNotes(stats);
    if (unreadable.length > 0) {
        notes.push(`${unreadable.length} ${unreadable.length === 1 ? 'path' : 'paths'} could not be read and ${unreadable.length === 1 ? 'was' : 'were'} not scanned: ${unreadable.slice(0, 5).join(', ')}${unreadable.length > 5 ? ', …' : ''}.`);
    }
    return { findings, stats, notes };
}
/** The lines a unified diff adds, read as a stream so that `git log -p` over a long range fits in memory. */
async function scanDiff(engine, source, filter, io, progress) {
    const started = performance.now();
    const stats = scanner_emptyStats();
    const findings = [];
    const parser = new DiffParser((file) => {
        const result = scanDiffFiles(engine, [file], { filter });
        scanner_addStats(stats, result.stats);
        findings.push(...result.findings);
        progress.update(stats.files, result.stats.bytes);
    });
    const input = source === '-' ? io.stdin : (0,external_node_fs_namespaceObject.createReadStream)(external_node_path_default().resolve(io.cwd, source));
    try {
        for await (const line of lines(input))
            parser.push(line);
        parser.end();
    }
    catch (error) {
        if (error instanceof DiffParseError)
            throw new UsageError(`${source === '-' ? 'standard input' : source}: ${error.message}`);
        const code = error.code;
        if (code !== undefined)
            throw new UsageError(`cannot read the diff ${source}: ${code === 'ENOENT' ? 'no such file' : errorMessage(error)}`);
        throw error;
    }
    stats.durationMs = performance.now() - started;
    return { findings, stats, notes: skipNotes(stats) };
}
/** The commits of a range (or the staged changes), straight from git; keys removed again are marked `history`. */
async function scanGit(engine, range, filter, io) {
    const options = { cwd: io.cwd, filter };
    try {
        const result = range === undefined ? await scanStaged(engine, options) : await scanGitRange(engine, range, options);
        return { findings: result.findings, stats: result.stats, notes: skipNotes(result.stats) };
    }
    catch (error) {
        if (error instanceof GitError)
            throw new UsageError(error.message);
        if (error instanceof DiffParseError)
            throw new UsageError(`git output: ${error.message}`);
        throw error;
    }
}
/**
 * Splits a byte stream into lines on `\n` only: a lone `\r` inside a diff line is content, not a line
 * end. Each chunk is searched once, so a huge single line stays linear.
 */
async function* lines(input) {
    const decoder = new external_node_string_decoder_namespaceObject.StringDecoder('utf8');
    let pending = '';
    for await (const chunk of input) {
        const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
        let start = 0;
        let nl;
        while ((nl = text.indexOf('\n', start)) !== -1) {
            yield pending + text.slice(start, nl);
            pending = '';
            start = nl + 1;
        }
        pending += text.slice(start);
    }
    pending += decoder.end();
    if (pending !== '')
        yield pending;
}
function skipNotes(stats) {
    const tooLarge = stats.skipped?.tooLarge ?? 0;
    return tooLarge > 0 ? [`${tooLarge} ${tooLarge === 1 ? 'file was' : 'files were'} skipped for being larger than the size limit.`] : [];
}
/** "Scanned N files (X MB, Y MB/s)" on one redrawn stderr line, only when a person is watching it. */
class Progress {
    out;
    enabled;
    started = performance.now();
    last = -Infinity;
    bytes = 0;
    shown = false;
    constructor(out) {
        this.out = out;
        this.enabled = out.isTTY === true;
    }
    update(files, moreBytes) {
        this.bytes += moreBytes;
        if (!this.enabled)
            return;
        const now = performance.now();
        if (now - this.last < PROGRESS_INTERVAL_MS)
            return;
        this.last = now;
        const seconds = Math.max((now - this.started) / 1000, 0.001);
        this.out.write(`\r\u001b[KScanned ${files} ${files === 1 ? 'file' : 'files'} (${formatBytes(this.bytes)}, ${formatBytes(this.bytes / seconds)}/s)`);
        this.shown = true;
    }
    done() {
        if (this.shown)
            this.out.write('\r\u001b[K');
        this.shown = false;
    }
}
function errorMessage(error) {
    return error instanceof Error ? error.message : String(error);
}
/** One line, with control characters shown as escapes: the message may quote a file name. */
function cli_oneLine(s) {
    // eslint-disable-next-line no-control-regex
    return s.replace(/\r?\n/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
function processIo() {
    return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env };
}
/** True when this file is the program node was started with (also through the npm bin symlink). */
function isEntryPoint() {
    const invoked = process.argv[1];
    if (invoked === undefined)
        return false;
    try {
        return (0,external_node_fs_namespaceObject.realpathSync)(invoked) === (0,external_node_fs_namespaceObject.realpathSync)((0,external_node_url_namespaceObject.fileURLToPath)(import.meta.url));
    }
    catch {
        return false;
    }
}
if (isEntryPoint()) {
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}

var __webpack_exports__EXIT_CLEAN = __webpack_exports__.XW;
var __webpack_exports__EXIT_ERROR = __webpack_exports__.SI;
var __webpack_exports__EXIT_FINDINGS = __webpack_exports__.cB;
var __webpack_exports__main = __webpack_exports__.iW;
export { __webpack_exports__EXIT_CLEAN as EXIT_CLEAN, __webpack_exports__EXIT_ERROR as EXIT_ERROR, __webpack_exports__EXIT_FINDINGS as EXIT_FINDINGS, __webpack_exports__main as main };
