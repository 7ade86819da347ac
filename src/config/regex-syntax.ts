/**
 * A small parser for the JavaScript regular expressions that rules use, giving the structure that
 * `safe-pattern.ts` reasons about (quantifiers, alternations, first characters). It assumes the source
 * already compiled with `new RegExp`, so it only has to understand valid syntax, and it follows the
 * non-Unicode (Annex B) reading that the engine uses: a `{` that does not form a quantifier is a literal.
 */

/** A set of UTF-16 code units as sorted, disjoint, inclusive ranges. */
export type CharSet = ReadonlyArray<readonly [number, number]>;

const MAX_UNIT = 0xffff;

export const ANY: CharSet = [[0, MAX_UNIT]];
export const DIGIT: CharSet = [[0x30, 0x39]];
export const WORD: CharSet = normalize([[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]);
/** ECMAScript WhiteSpace and LineTerminator code points. */
export const SPACE: CharSet = normalize([
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a],
  [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
]);
const LINE_TERMINATORS: CharSet = normalize([[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]]);

export function charSet(...units: number[]): CharSet {
  return normalize(units.map((u) => [u, u] as const));
}

export function normalize(ranges: ReadonlyArray<readonly [number, number]>): CharSet {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out.at(-1);
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function union(a: CharSet, b: CharSet): CharSet {
  return normalize([...a, ...b]);
}

export function negate(a: CharSet): CharSet {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of a) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_UNIT) out.push([next, MAX_UNIT]);
  return out;
}

export function intersects(a: CharSet, b: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as readonly [number, number];
    const y = b[j] as readonly [number, number];
    if (x[1] < y[0]) i++;
    else if (y[1] < x[0]) j++;
    else return true;
  }
  return false;
}

export function contains(a: CharSet, unit: number): boolean {
  return a.some(([lo, hi]) => lo <= unit && unit <= hi);
}

/** Adds the other ASCII case of every letter: what the `i` flag does for the characters keys use. */
export function foldCase(a: CharSet): CharSet {
  const extra: Array<[number, number]> = [];
  for (const [lo, hi] of a) {
    for (const [from, to, delta] of [[0x41, 0x5a, 0x20], [0x61, 0x7a, -0x20]] as const) {
      const l = Math.max(lo, from);
      const h = Math.min(hi, to);
      if (l <= h) extra.push([l + delta, h + delta]);
    }
  }
  return union(a, extra);
}

export type GroupKind = 'capture' | 'plain' | 'lookahead' | 'negative-lookahead' | 'lookbehind' | 'negative-lookbehind';

export type RegexNode =
  | { type: 'seq'; items: RegexNode[] }
  | { type: 'alt'; branches: RegexNode[]; source: string }
  | { type: 'group'; kind: GroupKind; name?: string; body: RegexNode }
  | { type: 'quant'; min: number; max: number; body: RegexNode; source: string; quantifier: string }
  | { type: 'chars'; set: CharSet }
  | { type: 'assert' }
  | { type: 'backref'; source: string };

/** Syntax that compiles but that the analysis refuses rather than guesses at. */
export class UnsupportedSyntax extends Error {}

export interface ParsedPattern {
  root: RegexNode;
  /** Number of capturing groups, named ones included. */
  captureCount: number;
  groupNames: string[];
}

/**
 * Parses `source` as `new RegExp(source, flags)` would read it. Call only on sources that compile.
 * With the `i` flag, character sets come back case-folded.
 */
export function parseRegex(source: string, flags: string): ParsedPattern {
  return new Parser(source, flags).parse();
}

class Parser {
  private pos = 0;
  private captureCount = 0;
  private readonly groupNames: string[] = [];
  private readonly ignoreCase: boolean;
  private readonly dotAll: boolean;
  private readonly unicode: boolean;

  constructor(
    private readonly src: string,
    flags: string,
  ) {
    this.ignoreCase = flags.includes('i');
    this.dotAll = flags.includes('s');
    this.unicode = flags.includes('u') || flags.includes('v');
    if (flags.includes('v')) throw new UnsupportedSyntax('the v flag');
  }

  parse(): ParsedPattern {
    const root = this.alternation();
    if (this.pos < this.src.length) throw new UnsupportedSyntax(`"${this.src[this.pos]}" at offset ${this.pos}`);
    return { root, captureCount: this.captureCount, groupNames: this.groupNames };
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private alternation(): RegexNode {
    const start = this.pos;
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? (branches[0] as RegexNode) : { type: 'alt', branches, source: this.src.slice(start, this.pos) };
  }

  private sequence(): RegexNode {
    const items: RegexNode[] = [];
    while (this.pos < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const start = this.pos;
      const atom = this.atom();
      items.push(this.quantified(atom, start));
    }
    return items.length === 1 ? (items[0] as RegexNode) : { type: 'seq', items };
  }

  private quantified(atom: RegexNode, start: number): RegexNode {
    const qStart = this.pos;
    let min: number;
    let max: number;
    const c = this.peek();
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (m === null) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.pos += m[0].length - 1;
    } else return atom;
    this.pos++;
    if (this.peek() === '?') this.pos++;
    return { type: 'quant', min, max, body: atom, source: this.src.slice(start, this.pos), quantifier: this.src.slice(qStart, this.pos) };
  }

  private atom(): RegexNode {
    const c = this.peek() as string;
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

  private fold(set: CharSet): CharSet {
    return this.ignoreCase ? foldCase(set) : set;
  }

  private group(): RegexNode {
    let kind: GroupKind = 'capture';
    let name: string | undefined;
    if (this.peek() === '?') {
      const rest = this.src.slice(this.pos + 1);
      const prefixes: Array<[string, GroupKind]> = [[':', 'plain'], ['=', 'lookahead'], ['!', 'negative-lookahead'], ['<=', 'lookbehind'], ['<!', 'negative-lookbehind']];
      const found = prefixes.find(([p]) => rest.startsWith(p));
      if (found !== undefined) {
        kind = found[1];
        this.pos += 1 + found[0].length;
      } else {
        const named = /^<([^>]+)>/.exec(rest);
        if (named === null) throw new UnsupportedSyntax('inline modifiers such as (?i:...)');
        name = named[1] as string;
        this.groupNames.push(name);
        this.pos += 1 + named[0].length;
      }
    }
    if (kind === 'capture') this.captureCount++;
    const body = this.alternation();
    this.pos++; // the closing parenthesis; the source compiled, so it is there
    return name === undefined ? { type: 'group', kind, body } : { type: 'group', kind, name, body };
  }

  private escape(): RegexNode {
    const start = this.pos - 1;
    const c = this.peek() as string;
    if (c === 'b' || c === 'B') {
      this.pos++;
      return { type: 'assert' };
    }
    if (/[1-9]/.test(c)) {
      while (/[0-9]/.test(this.peek() ?? '')) this.pos++;
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
  private escapedSet(): CharSet {
    const c = this.peek() as string;
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
        if (hex === null) return charSet(0x78);
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
        if (braced === null) return charSet(0x75);
        this.pos += braced[0].length;
        const cp = parseInt(braced[1] as string, 16);
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
        if (/[A-Za-z]/.test(c)) throw new UnsupportedSyntax(`\\${c}, which JavaScript reads as the plain letter "${c}"`);
        return charSet(c.charCodeAt(0));
    }
  }

  private characterClass(): CharSet {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const ranges: Array<readonly [number, number]> = [];
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

  private classAtom(): CharSet {
    const c = this.peek() as string;
    this.pos++;
    if (c !== '\\') return charSet(c.charCodeAt(0));
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

function single(set: CharSet): number | undefined {
  const only = set.length === 1 ? set[0] : undefined;
  return only !== undefined && only[0] === only[1] ? only[0] : undefined;
}
