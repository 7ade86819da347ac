import { quote } from './errors.js';
import {
  type CharSet,
  type ParsedPattern,
  type RegexNode,
  UnsupportedSyntax,
  contains,
  intersects,
  parseRegex,
  union,
} from './regex-syntax.js';

/**
 * The structural bar the built-in rules are held to (they run on V8's backtracking engine): it refuses
 * the shapes known to backtrack badly. User-supplied patterns no longer rely on it: they run on RE2
 * (`src/scan/linear-pattern.ts`), whose time is linear whatever the pattern, since a hand-written checker
 * was beaten by patterns it accepted. What remains here also gives the keyword check (`leadingSets`).
 */

/** Largest quantifier bound accepted: beyond this a single keyword hit can scan kilobytes. */
export const MAX_QUANTIFIER_BOUND = 4096;

export type PatternProblemKind =
  | 'syntax'
  | 'unsupported'
  | 'backreference'
  | 'nested-quantifier'
  | 'ambiguous-alternation'
  | 'unbounded-quantifier'
  | 'large-bound'
  | 'superlinear'
  | 'too-slow';

export interface PatternProblem {
  kind: PatternProblemKind;
  /** Completes "expected ...": what the pattern must be, and what to write instead. */
  expected: string;
}

export interface StructureOptions {
  /** Accept `*`, `+` and `{n,}` (for allow-list patterns, which only ever see one bounded secret). */
  allowUnbounded?: boolean;
  /** Largest accepted quantifier bound. Default `MAX_QUANTIFIER_BOUND`. */
  maxBound?: number;
}

/** What the loader needs to know about a pattern that passed the structural check. */
export interface PatternShape {
  parsed: ParsedPattern;
  /** Longest possible match in characters (Infinity when unbounded quantifiers were allowed). */
  maxLength: number;
}

/**
 * The structural check. Refuses, in this order of seriousness: syntax errors, backreferences, nested
 * quantifiers, repeated alternations whose branches can start alike, unbounded quantifiers and bounds
 * above `maxBound`. Returns the shape of an accepted pattern.
 */
export function checkPatternStructure(source: string, flags: string, options: StructureOptions = {}): PatternProblem | PatternShape {
  try {
    new RegExp(source, flags);
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    return { kind: 'syntax', expected: `a valid JavaScript regular expression (${reason})` };
  }
  let parsed: ParsedPattern;
  try {
    parsed = parseRegex(source, flags);
  } catch (error) {
    if (!(error instanceof UnsupportedSyntax)) throw error;
    return { kind: 'unsupported', expected: `a regular expression without ${error.message}` };
  }
  const problems: PatternProblem[] = [];
  const maxBound = options.maxBound ?? MAX_QUANTIFIER_BOUND;
  walk(parsed.root, 0, (node, repeatedDepth) => {
    if (node.type === 'backref') {
      problems.push({
        kind: 'backreference',
        expected: `a regular expression without backreferences such as ${quote(node.source)} (they defeat linear-time matching; repeat the group's pattern instead)`,
      });
    } else if (node.type === 'quant') {
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
      } else if (node.max !== Infinity && node.max > maxBound) {
        problems.push({
          kind: 'large-bound',
          expected: `a regular expression without quantifier bounds above ${maxBound} (found ${quote(node.quantifier)} in ${quote(node.source)})`,
        });
      }
    } else if (node.type === 'alt' && repeatedDepth > 0) {
      const clash = overlappingBranches(node);
      if (clash !== undefined) {
        problems.push({
          kind: 'ambiguous-alternation',
          expected: `a regular expression without repeated alternations whose branches can match the same text (${quote(node.source)} is repeated and ${clash}; make the branches start with different characters, e.g. a(?:b|c) rather than ab|ac)`,
        });
      }
    }
  });
  const order: PatternProblemKind[] = ['backreference', 'nested-quantifier', 'ambiguous-alternation', 'unbounded-quantifier', 'large-bound'];
  problems.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  const first = problems[0];
  if (first !== undefined) return first;
  return { parsed, maxLength: maxLength(parsed.root) };
}

/** True when `checkPatternStructure` (or `checkPatternSafety`) refused the pattern. */
export function isPatternProblem(result: PatternProblem | PatternShape | undefined): result is PatternProblem {
  return result !== undefined && 'kind' in result;
}

/** Visits every node; `repeated` counts the enclosing quantifiers that may repeat their body. */
function walk(node: RegexNode, repeated: number, visit: (node: RegexNode, repeated: number) => void): void {
  visit(node, repeated);
  switch (node.type) {
    case 'seq':
      for (const item of node.items) walk(item, repeated, visit);
      break;
    case 'alt':
      for (const branch of node.branches) walk(branch, repeated, visit);
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
function findVariableQuantifier(node: RegexNode): Extract<RegexNode, { type: 'quant' }> | undefined {
  let found: Extract<RegexNode, { type: 'quant' }> | undefined;
  walk(node, 0, (n) => {
    if (found === undefined && n.type === 'quant' && n.min !== n.max) found = n;
  });
  return found;
}

interface First {
  set: CharSet;
  nullable: boolean;
}

/** The characters a match of `node` can start with, and whether it can match the empty string. */
function first(node: RegexNode): First {
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
      let set: CharSet = [];
      for (const item of node.items) {
        const f = first(item);
        set = union(set, f.set);
        if (!f.nullable) return { set, nullable: false };
      }
      return { set, nullable: true };
    }
  }
}

/** Describes why two branches of a repeated alternation can match the same text, or undefined. */
function overlappingBranches(node: Extract<RegexNode, { type: 'alt' }>): string | undefined {
  const firsts = node.branches.map(first);
  for (let i = 0; i < firsts.length; i++) {
    const a = firsts[i] as First;
    if (a.nullable) return `a branch can match the empty string`;
    for (let j = i + 1; j < firsts.length; j++) {
      const b = firsts[j] as First;
      if (intersects(a.set, b.set)) return `two branches can start with the same character`;
    }
  }
  return undefined;
}

function maxLength(node: RegexNode): number {
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
export function leadingSets(node: RegexNode, limit = 64): CharSet[][] {
  return lead(node, limit)
    .map((l) => l.sets)
    .filter((s) => s.length > 0);
}

interface Lead {
  sets: CharSet[];
  /** Whether later items still extend this prefix. */
  open: boolean;
}

const MAX_LEADS = 32;

function lead(node: RegexNode, limit: number): Lead[] {
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
      if (node.min === 0) return cap([{ sets: [], open: true }, ...lead(node.body, limit).map((l) => ({ sets: l.sets, open: false }))]);
      let acc: Lead[] = [{ sets: [], open: true }];
      for (let i = 0; i < node.min && acc.some((l) => l.open && l.sets.length < limit); i++) acc = extend(acc, lead(node.body, limit), limit);
      return acc.map((l) => ({ sets: l.sets, open: l.open && node.max === node.min }));
    }
    case 'seq': {
      let acc: Lead[] = [{ sets: [], open: true }];
      for (const item of node.items) {
        if (!acc.some((l) => l.open && l.sets.length < limit)) break;
        acc = extend(acc, lead(item, limit), limit);
      }
      return acc;
    }
  }
}

function extend(prefixes: Lead[], next: Lead[], limit: number): Lead[] {
  const out: Lead[] = [];
  for (const p of prefixes) {
    if (!p.open || p.sets.length >= limit) {
      out.push(p);
      continue;
    }
    for (const n of next) out.push({ sets: [...p.sets, ...n.sets].slice(0, limit), open: n.open });
  }
  return cap(out);
}

/**
 * Keeps the list of leads bounded without losing any way a match can begin: past MAX_LEADS the rest are
 * merged into one lead whose sets are their position-wise union (over their shortest length), which
 * may accept a keyword a pattern cannot start with, but never refuses one it can.
 */
function cap(leads: Lead[]): Lead[] {
  if (leads.length <= MAX_LEADS) return leads;
  const rest = leads.slice(MAX_LEADS - 1);
  const length = Math.min(...rest.map((l) => l.sets.length));
  const sets: CharSet[] = [];
  for (let i = 0; i < length; i++) sets.push(rest.reduce<CharSet>((acc, l) => union(acc, l.sets[i] as CharSet), []));
  return [...leads.slice(0, MAX_LEADS - 1), { sets, open: false }];
}

/** True when some way the pattern begins accepts `keyword` (in any ASCII case) character by character. */
export function keywordFits(leads: CharSet[][], keyword: string): boolean {
  return leads.some((sets) => {
    const n = Math.min(sets.length, keyword.length);
    for (let i = 0; i < n; i++) {
      const set = sets[i] as CharSet;
      const lower = keyword.charCodeAt(i);
      const upper = keyword[i]?.toUpperCase().charCodeAt(0) ?? lower;
      if (!contains(set, lower) && !contains(set, upper)) return false;
    }
    return true;
  });
}
