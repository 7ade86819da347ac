import fc from 'fast-check';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import type { Rule } from '../../src/scan/types.js';
import { seededGen } from '../helpers/sample-gen.js';
import { SYNTAXES, type Syntax } from '../helpers/syntaxes.js';

/**
 * fast-check settings shared by the property files: a fixed seed (pin another with KH_SEED) so CI runs
 * are reproducible, and the seed fast-check prints on failure replays the counterexample.
 */
export function fcParams(numRuns: number): fc.Parameters<unknown> {
  const fromEnv = process.env['KH_SEED'];
  const seed = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : 20261128;
  return { numRuns, seed };
}

/** A line of a file: ordinary text plus lines that look like diff syntax, which a parser must treat as content. */
export const contentLine: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '--- a/x',
    '+++ b/x',
    '-- ',
    '@@ -1,2 +1,2 @@',
    'diff --git a/x b/x',
    '\\ No newline at end of file',
    'commit 0123456789abcdef',
    'Binary files a/x and b/x differ',
    'rename from y',
    '\ttabbed',
    'mid\rcr',
  ),
).filter((s) => !s.includes('\n') && !s.endsWith('\r'));

/** One edit step of a file: keep the next old line, delete it, or insert a new line. */
export type EditOp = { op: 'keep' } | { op: 'del' } | { op: 'ins'; text: string };

export interface EditedFile {
  oldLines: string[];
  newLines: string[];
  ops: EditOp[];
}

/** A random old file and a random sequence of edits over it (no diff algorithm involved: the edits are the diff). */
export const editedFile: fc.Arbitrary<EditedFile> = fc
  .tuple(
    fc.array(contentLine, { maxLength: 25 }),
    fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant<EditOp>({ op: 'keep' }) }, { weight: 2, arbitrary: fc.constant<EditOp>({ op: 'del' }) }, { weight: 3, arbitrary: contentLine.map<EditOp>((text) => ({ op: 'ins', text })) }), { maxLength: 40 }),
  )
  .map(([oldLines, draft]) => {
    // Keep/delete steps consume old lines: drop those past the end, then keep the rest of the file.
    const ops: EditOp[] = [];
    let consumed = 0;
    for (const step of draft) {
      if (step.op === 'ins') ops.push(step);
      else if (consumed < oldLines.length) {
        ops.push(step);
        consumed++;
      }
    }
    while (consumed++ < oldLines.length) ops.push({ op: 'keep' });
    const newLines: string[] = [];
    let i = 0;
    for (const step of ops) {
      if (step.op === 'ins') newLines.push(step.text);
      else {
        if (step.op === 'keep') newLines.push(oldLines[i] as string);
        i++;
      }
    }
    return { oldLines, newLines, ops };
  });

export interface HunkStyle {
  /** Context lines around each change, as `git diff -U<n>`. */
  context: number;
  /** Write `-a +c` rather than `-a,1 +c,1` for one-line ranges, as git does. */
  omitOneCounts: boolean;
  /** Mark the last line of the new file as having no final newline. */
  noFinalNewline: boolean;
}

export const hunkStyle: fc.Arbitrary<HunkStyle> = fc.record({
  context: fc.integer({ min: 0, max: 3 }),
  omitOneCounts: fc.boolean(),
  noFinalNewline: fc.boolean(),
});

/**
 * The hunks (`@@` header and lines) of `file` in the given style, without file headers: GitHub's
 * `patch` field. Empty when the edits change nothing.
 */
export function hunksOf(file: EditedFile, style: HunkStyle): string[] {
  const { ops } = file;
  // Old and new line numbers (1-based) that each op sits at.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let n = 1;
  for (const step of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (step.op !== 'ins') o++;
    if (step.op !== 'del') n++;
  }
  const ranges: Array<[number, number]> = [];
  ops.forEach((step, k) => {
    if (step.op === 'keep') return;
    const from = Math.max(0, k - style.context);
    const to = Math.min(ops.length - 1, k + style.context);
    const last = ranges.at(-1);
    if (last !== undefined && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else ranges.push([from, to]);
  });
  const out: string[] = [];
  for (const [from, to] of ranges) {
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    for (let k = from; k <= to; k++) {
      const step = ops[k] as EditOp;
      if (step.op === 'keep') {
        body.push(` ${file.oldLines[(oldAt[k] as number) - 1]}`);
        oldCount++;
        newCount++;
      } else if (step.op === 'del') {
        body.push(`-${file.oldLines[(oldAt[k] as number) - 1]}`);
        oldCount++;
      } else {
        body.push(`+${step.text}`);
        newCount++;
      }
    }
    // Git writes an empty range as starting at the line before it.
    const oldStart = oldCount === 0 ? (oldAt[from] as number) - 1 : (oldAt[from] as number);
    const newStart = newCount === 0 ? (newAt[from] as number) - 1 : (newAt[from] as number);
    const range = (start: number, count: number): string => (count === 1 && style.omitOneCounts ? `${start}` : `${start},${count}`);
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`, ...body);
  }
  if (style.noFinalNewline && out.length > 0) out.push('\\ No newline at end of file');
  return out;
}

/** The added lines of `file` with their new-file line numbers, as a scanner must see them. */
export function expectedAdded(file: EditedFile): { lines: string[]; numbers: number[] } {
  const lines: string[] = [];
  const numbers: number[] = [];
  let n = 1;
  for (const step of file.ops) {
    if (step.op === 'ins') {
      lines.push(step.text);
      numbers.push(n);
    }
    if (step.op !== 'del') n++;
  }
  return { lines, numbers };
}

/** Every built-in rule, its syntax-wrapped form and a way to build its secrets from a fast-check-drawn seed. */
export const ruleArb: fc.Arbitrary<Rule> = fc.constantFrom(...BUILTIN_RULES);

export const syntaxArb: fc.Arbitrary<Syntax> = fc.constantFrom(...SYNTAXES);

/** A planted secret: the text holding it, and where the rule is expected to find it. */
export interface Planted {
  rule: Rule;
  secret: string;
  /** Text with the secret in it; the rule finds the secret there (the catalogue test holds rules to it). */
  text: string;
  path: string;
}

/**
 * Plants a fresh secret of `rule` (bodies from the seeded generator) in one of the file syntaxes, or in
 * one of the rule's own whole-text positives when it cannot be wrapped (PEM blocks, URLs).
 */
export function plant(rule: Rule, seed: number, syntax: Syntax): Planted {
  const gen = seededGen(seed);
  if (rule.samples.wrap === false) {
    const cases = rule.samples.positives?.(gen) ?? [];
    const pick = cases[seed % Math.max(1, cases.length)];
    if (pick === undefined) throw new Error(`rule ${rule.id} has wrap: false and no positives`);
    // A rule that does not read some paths (documentation, for the plain-http rule) is planted where it reads.
    const path = rule.ignorePaths?.test(syntax.path) === true ? `${syntax.path}.txt` : syntax.path;
    return { rule, secret: pick.secret, text: pick.text, path };
  }
  const secret = rule.samples.secret(gen);
  return { rule, secret, text: syntax.wrap(rule.samples.name ?? 'API_TOKEN', secret), path: syntax.path };
}

/**
 * The 8-character windows of `secret` that lie in its random body: after the prefix every secret of the
 * rule shares (such as `sk-ant-api03-`), absent from other secrets of the rule (fixed infixes, PEM
 * markers), mostly letters and digits (not indentation and dashes), and absent from `publicText` (what the
 * outputs say whatever was found: rule titles, links, host names a rule reports).
 */
export function secretWindows(rule: Rule, secret: string, seed: number, publicText: ReadonlySet<string> = new Set(), width = 8): string[] {
  const others: string[] = [];
  for (let k = 1; k <= 4; k++) {
    const gen = seededGen((seed ^ Math.imul(0x9e3779b9, k)) >>> 0);
    others.push(rule.samples.wrap === false ? (rule.samples.positives?.(gen)[0]?.secret ?? '') : rule.samples.secret(gen));
  }
  let prefix = 0;
  while (prefix < secret.length && others.every((o) => o[prefix] === secret[prefix])) prefix++;
  const out = new Set<string>();
  for (let i = prefix; i + width <= secret.length; i++) {
    const w = secret.slice(i, i + width);
    const alnum = w.replace(/[^A-Za-z0-9]/g, '').length;
    if (alnum >= width - 2 && !others.some((o) => o.includes(w)) && !publicText.has(w)) out.add(w);
  }
  return [...out];
}

/** Every `width`-character substring of `texts`: checking a window against it is one lookup, not a scan. */
export function windowSet(texts: Iterable<string>, width = 8): Set<string> {
  const out = new Set<string>();
  for (const t of texts) for (let i = 0; i + width <= t.length; i++) out.add(t.slice(i, i + width));
  return out;
}
