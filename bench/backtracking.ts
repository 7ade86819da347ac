/**
 * The catastrophic-backtracking fuzz: for each built-in rule, about 1 MB of text built to make its pattern
 * work hard without matching (keywords followed by bodies one character short, a wrong last character,
 * the body alphabet running past the longest match, runs of separators and quotes, the keyword repeated,
 * all on ordinary and on very long lines). A rule whose near-miss text scans much slower per MB than
 * real code has a pattern (or keyword) that lets a crafted file stall a scan.
 *
 * The near-miss text goes through an engine holding the rule alone, so the figure is the rule's own
 * cost and not its neighbours' (their near-misses are theirs to measure), and the goal compares it with
 * real code through the engine with every rule: what a scan of ordinary code costs. A stricter ratio,
 * against real code through the rule alone too, is printed beside it. A near-miss is a text the rule
 * does not report: a generated piece the rule reports (a body one character short is still a key
 * where the format allows several lengths; a wrong last character is still one where there is no
 * checksum) is drawn again, and a family that only produces keys for a rule is left out for it and
 * counted. What reporting keys costs is measured apart, on text dense with
 * findings (`longLine`): it is per finding, linear, and does not depend on backtracking.
 */
import { performance } from 'node:perf_hooks';
import { seededGen } from '../__tests__/helpers/sample-gen.js';
import { checkPatternStructure, isPatternProblem } from '../src/config/safe-pattern.js';
import { Engine, StartRun } from '../src/scan/engine.js';
import type { Finding, Rule, SampleGen } from '../src/scan/types.js';

const MB = 1024 * 1024;

/** Ratios above this are reported: the goal for hostile input is at most 3x the per-MB time of real code. */
export const BACKTRACKING_GOAL = 3;

/** One way of almost matching a rule; `unit` builds one fresh occurrence. */
interface Family {
  name: string;
  unit(gen: SampleGen): string;
}

export interface NearMissText {
  path: string;
  text: string;
  family: string;
}

export interface BacktrackingRow {
  ruleId: string;
  /** Real code through an engine with this rule alone, in MB/s. */
  ruleAloneMBps: number;
  /** The near-miss text's per-MB time over that of real code through the engine with this rule alone: stricter than `ratio`. */
  strictRatio: number;
  /** Families that gave no near-miss for this rule (every piece they make is a key), with a reason. */
  skippedFamilies: string[];
  /** Per-MB scan time of the rule's near-miss text (the engine with this rule alone) over that of real code (every rule): the goal's measure. */
  ratio: number;
  /** The same for the rule's pattern alone, tried at each keyword: the part backtracking can blow up. */
  patternRatio: number;
  mbPerSecond: number;
  /** Near-misses the engine still reported (variable-length formats accept a key one character short). */
  findings: number;
  /** Of those, the ones fingerprinted with scrypt (about 0.7 ms each). */
  slowHashFindings: number;
  /** The family of near-misses that scanned slowest, with its own ratio: where to look first. */
  worstFamily: string;
  worstFamilyRatio: number;
}

export interface BacktrackingResult {
  /** Real code through the engine with every rule, in MB/s. */
  baselineMBps: number;
  bytesPerRule: number;
  rows: BacktrackingRow[];
  overGoal: BacktrackingRow[];
  worst: BacktrackingRow | undefined;
  worstPattern: BacktrackingRow | undefined;
  /** The same findings on one line and on one line each: per-finding work that grows with the line's length. */
  longLine: { findings: number; bytes: number; oneLineSeconds: number; linesSeconds: number; ratio: number };
}

/** A sample key of the rule and the text it is normally written in (`NAME=key` or the rule's own positive). */
function sample(rule: Rule, gen: SampleGen): { secret: string; lead: string } {
  if (rule.samples.wrap === false) {
    const pos = rule.samples.positives?.(gen)[0];
    if (pos !== undefined) {
      const at = pos.text.indexOf(pos.secret);
      return { secret: pos.secret, lead: pos.text.slice(Math.max(0, at - 200), at) };
    }
  }
  const secret = rule.samples.secret(gen);
  return { secret, lead: `${rule.samples.name ?? 'API_TOKEN'}=` };
}

/** The characters a rule's key bodies are drawn from, read off a few sample keys. */
function bodyAlphabet(rule: Rule, gen: SampleGen): string {
  const chars = new Set<string>();
  for (let i = 0; i < 4; i++) for (const c of sample(rule, gen).secret) if (c !== '\n') chars.add(c);
  return [...chars].join('');
}

function longestMatch(rule: Rule): number {
  const shape = checkPatternStructure(rule.pattern.source, rule.pattern.flags.replace(/[gyd]/g, ''), { allowUnbounded: true, maxBound: Infinity });
  return isPatternProblem(shape) || !Number.isFinite(shape.maxLength) ? 512 : Math.min(shape.maxLength, 20_000);
}

/** A character of `alphabet` other than `c` (the "wrong last character" of a near-miss). */
function other(alphabet: string, c: string, gen: SampleGen): string {
  const rest = alphabet.replace(c, '');
  return rest.length === 0 ? '#' : gen.chars(rest, 1);
}

function families(rule: Rule, gen: SampleGen): Family[] {
  const alphabet = bodyAlphabet(rule, gen);
  const past = longestMatch(rule) * 2;
  const kws = rule.keywords;
  const kw = (g: SampleGen): string => g.pick(kws);
  const run = (g: SampleGen, n: number): string => g.chars(alphabet, n);
  const out: Family[] = [
    {
      name: 'key one character short',
      unit: (g) => {
        const { secret, lead } = sample(rule, g);
        return `${lead}${secret.slice(0, -1)}`;
      },
    },
    {
      name: 'wrong last character',
      unit: (g) => {
        const { secret, lead } = sample(rule, g);
        return `${lead}${secret.slice(0, -1)}${other(alphabet, secret.at(-1) ?? '', g)}`;
      },
    },
    {
      name: 'body alphabet past the longest match',
      unit: (g) => {
        const { secret, lead } = sample(rule, g);
        return `${lead}${secret}${run(g, past)}`;
      },
    },
    { name: 'keyword + body alphabet run', unit: (g) => `${kw(g)}${run(g, past)}` },
    { name: 'keyword repeated', unit: (g) => kw(g).repeat(Math.max(4, Math.ceil(past / 8))) },
    { name: 'keyword + word characters', unit: (g) => `${kw(g)}${g.chars('abcdefghijklmnopqrstuvwxyz_.-0123456789', Math.min(past, 200))}` },
  ];
  for (const sep of ['=', ':', '"', "'", '`', ' ', '\\"', '-', '_', '.', '=>', ': "']) {
    out.push({ name: `keyword + ${JSON.stringify(sep)} repeated`, unit: (g) => `${kw(g)}${sep.repeat(Math.ceil(past / sep.length))}` });
  }
  out.push({
    name: 'keyword + separators + short body',
    unit: (g) => `${kw(g)}${g.pick(['_key', '_token', '_secret', ''])}${g.pick(['=', ': ', ' = "', '":"', '\\"'])}${run(g, g.int(1, 12))}`,
  });
  return out;
}

/** Draws of a family's piece before it counts as making only keys for the rule. */
const DRAWS = 20;

/**
 * About `bytes` of near-miss text for `rule`, split evenly between its families; each family's share is
 * half one very long line and half ordinary lines, in files of about 64 KiB. Pieces that `engine` (the
 * rule alone) reports are drawn again; families that make nothing else are returned in `skipped`.
 */
export function nearMissTexts(rule: Rule, seed: number, bytes = MB, engine = new Engine([rule])): { texts: NearMissText[]; skipped: string[] } {
  const gen = seededGen(seed);
  const reported = (unit: string): boolean => engine.scan({ path: 'unit.txt', text: unit, source: 'file' }).length > 0;
  const skipped: string[] = [];
  const fams = families(rule, gen).filter((family) => {
    for (let i = 0; i < DRAWS; i++) if (!reported(family.unit(gen))) return true;
    skipped.push(family.name);
    return false;
  });
  const share = Math.ceil(bytes / Math.max(1, fams.length));
  const texts: NearMissText[] = [];
  fams.forEach((family, f) => {
    for (const longLine of [true, false]) {
      let text = '';
      let n = 0;
      const flush = (): void => {
        if (text.length === 0) return;
        texts.push({ path: `near/${rule.id}/${f}-${longLine ? 'long' : 'lines'}-${n++}.txt`, text, family: family.name });
        text = '';
      };
      let left = share / 2;
      while (left > 0) {
        let unit: string | undefined;
        for (let i = 0; i < DRAWS && unit === undefined; i++) {
          const drawn = family.unit(gen);
          if (!reported(drawn)) unit = drawn;
        }
        // Near-misses this rare are not worth the wait; what was made still counts.
        if (unit === undefined) break;
        text += longLine ? `${unit} ` : `${unit}\n`;
        left -= unit.length + 1;
        if (!longLine && text.length >= 64 * 1024) flush();
      }
      flush();
    }
  });
  return { texts, skipped };
}

/** Best of `runs` timings of the full engine over `texts`; one run when a run is already slow. */
function timeTexts(engine: Engine, texts: readonly NearMissText[], runs: number): { seconds: number; findings: Finding[] } {
  let best = Infinity;
  let findings: Finding[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const found: Finding[] = [];
    for (const t of texts) found.push(...engine.scan({ path: t.path, text: t.text, source: 'file' }));
    const seconds = (performance.now() - t0) / 1000;
    best = Math.min(best, seconds);
    findings = found;
    if (seconds > 1) break;
  }
  return { seconds: best, findings };
}

/**
 * The rule's pattern alone, tried where the engine would try it (sticky at each keyword, or over the
 * lookback window): what backtracking costs, apart from keyword search and the work per finding.
 */
function timePattern(rule: Rule, texts: readonly NearMissText[], runs: number): number {
  const flags = rule.pattern.flags.replace(/[gyd]/g, '');
  const sticky = new RegExp(rule.pattern.source, `${flags}y`);
  const windowRe = new RegExp(rule.pattern.source, `${flags}g`);
  const lookback = rule.lookback ?? 0;
  const maxLength = rule.maxLength ?? 512;
  // A rule anchored at the start of a run is tried once there, as the engine does.
  const startRun = rule.startRun === undefined ? undefined : new StartRun(rule.startRun);
  const lowered = texts.map((t) => ({ text: t.text, lower: t.text.toLowerCase() }));
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (const { text, lower } of lowered) {
      for (const kw of rule.keywords) {
        startRun?.reset(text);
        for (let at = lower.indexOf(kw); at !== -1; at = lower.indexOf(kw, at + 1)) {
          if (lookback === 0) {
            sticky.lastIndex = at;
            sticky.exec(text);
          } else if (startRun !== undefined) {
            const start = startRun.startOf(at);
            if (start === -1) continue;
            sticky.lastIndex = start;
            sticky.exec(text);
          } else {
            const from = Math.max(0, at - lookback);
            const win = text.slice(from, at + maxLength);
            windowRe.lastIndex = 0;
            for (let m = windowRe.exec(win); m !== null && m.index <= at - from; m = windowRe.exec(win)) if (m[0].length === 0) windowRe.lastIndex++;
          }
        }
      }
    }
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

const bytesOf = (texts: readonly NearMissText[]): number => texts.reduce((n, t) => n + Buffer.byteLength(t.text), 0);

/** Best of `runs` timings, in seconds per MB, of `engine` over real code. */
function codeSecPerMb(engine: Engine, code: readonly NearMissText[], runs: number): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (const t of code) engine.scan({ path: t.path, text: t.text, source: 'file' });
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best / (bytesOf(code) / MB);
}

/**
 * Runs the fuzz for each of `rules`: its near-miss text and `code` (real code, a few MB), both through
 * an engine with that rule alone. `fullEngine` (every rule) scans the findings-dense text.
 */
export function runBacktracking(
  rules: readonly Rule[],
  code: ReadonlyArray<{ path: string; text: string }>,
  fullEngine: Engine,
  options: { bytesPerRule?: number; runs?: number; log?: (line: string) => void } = {},
): BacktrackingResult {
  const bytesPerRule = options.bytesPerRule ?? MB;
  const runs = options.runs ?? 3;
  const log = options.log ?? ((line: string) => console.log(line));
  const codeTexts = code.map((c) => ({ ...c, family: 'code' }));
  const baselineSecPerMb = codeSecPerMb(fullEngine, codeTexts, runs);
  const rows: BacktrackingRow[] = [];
  rules.forEach((rule, i) => {
    const engine = new Engine([rule]);
    const aloneSecPerMb = codeSecPerMb(engine, codeTexts, runs);
    const { texts, skipped } = nearMissTexts(rule, 0x5eed + i, bytesPerRule, engine);
    let seconds = 0;
    let patternSeconds = 0;
    let findings = 0;
    let slowHashFindings = 0;
    let worstFamily = '';
    let worstFamilyRatio = 0;
    for (const family of new Set(texts.map((t) => t.family))) {
      const part = texts.filter((t) => t.family === family);
      const timed = timeTexts(engine, part, runs);
      seconds += timed.seconds;
      patternSeconds += timePattern(rule, part, runs);
      // Pieces are near-misses one by one; side by side, a few can still make a key.
      findings += timed.findings.length;
      // The engine fingerprints the secrets of user-chosen rules (passwords) with scrypt.
      if (rule.userChosen === true) slowHashFindings += timed.findings.length;
      const ratio = timed.seconds / (bytesOf(part) / MB) / baselineSecPerMb;
      if (ratio > worstFamilyRatio) {
        worstFamilyRatio = ratio;
        worstFamily = family;
      }
    }
    const mb = bytesOf(texts) / MB;
    rows.push({
      ruleId: rule.id,
      ruleAloneMBps: 1 / aloneSecPerMb,
      strictRatio: seconds / mb / aloneSecPerMb,
      skippedFamilies: skipped,
      ratio: seconds / mb / baselineSecPerMb,
      patternRatio: patternSeconds / mb / baselineSecPerMb,
      mbPerSecond: mb / seconds,
      findings,
      slowHashFindings,
      worstFamily,
      worstFamilyRatio,
    });
  });
  const overGoal = rows.filter((r) => r.ratio > BACKTRACKING_GOAL).sort((a, b) => b.ratio - a.ratio);
  const worst = [...rows].sort((a, b) => b.ratio - a.ratio)[0];
  const worstPattern = [...rows].sort((a, b) => b.patternRatio - a.patternRatio)[0];
  const result: BacktrackingResult = { baselineMBps: 1 / baselineSecPerMb, bytesPerRule, rows, overGoal, worst, worstPattern, longLine: longLineFindings(fullEngine, runs) };
  printTable(result, log);
  return result;
}

/**
 * About 400 KB of high-entropy assignments (one finding each, SHA-256 fingerprints) scanned as one
 * minified line and as separate lines. Equal work per finding gives a ratio near 1.
 */
function longLineFindings(engine: Engine, runs: number): BacktrackingResult['longLine'] {
  const gen = seededGen(0x10e);
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const units = Array.from({ length: 8000 }, () => `api_token="${gen.chars(alnum, 40)}"`);
  const one = timeTexts(engine, [{ path: 'min.js', text: units.join(' '), family: 'one line' }], runs);
  const lines = timeTexts(engine, [{ path: 'lines.txt', text: units.join('\n'), family: 'lines' }], runs);
  return {
    findings: one.findings.length,
    bytes: units.join(' ').length,
    oneLineSeconds: one.seconds,
    linesSeconds: lines.seconds,
    ratio: one.seconds / lines.seconds,
  };
}

function printTable(result: BacktrackingResult, log: (line: string) => void): void {
  const { rows, overGoal, worst, worstPattern } = result;
  const skips = rows.reduce((n, r) => n + r.skippedFamilies.length, 0);
  log(
    `backtracking: ${rows.length} rules x ${(result.bytesPerRule / MB).toFixed(1)} MB of near-miss input each, through the rule alone, against real code at ${result.baselineMBps.toFixed(1)} MB/s` +
      ` (${skips} rule/family pairs left out because every piece they make is a key)`,
  );
  if (overGoal.length === 0) log(`backtracking: no rule over ${BACKTRACKING_GOAL}x the per-MB time of real code`);
  else {
    log(`backtracking: ${overGoal.length} rule(s) over ${BACKTRACKING_GOAL}x the per-MB time of real code:`);
    const w = Math.max(4, ...overGoal.map((r) => r.ruleId.length));
    log(`  ${'rule'.padEnd(w)}    ratio  strict  pattern     MB/s  findings  scrypt  slowest near-miss (its ratio)`);
    for (const r of overGoal) {
      log(
        `  ${r.ruleId.padEnd(w)}  ${r.ratio.toFixed(1).padStart(6)}x  ${r.strictRatio.toFixed(1).padStart(5)}x  ${r.patternRatio.toFixed(2).padStart(6)}x  ${r.mbPerSecond.toFixed(1).padStart(7)}  ${String(r.findings).padStart(8)}  ${String(r.slowHashFindings).padStart(6)}  ${r.worstFamily} (${r.worstFamilyRatio.toFixed(1)}x)`,
      );
    }
    log(
      "  (ratio: the rule alone on its near-misses, against every rule on real code; strict: against the rule alone on real code; pattern: the rule's regex alone at each keyword; scrypt: findings fingerprinted with scrypt)",
    );
  }
  if (worst !== undefined) {
    log(`backtracking: worst ratio ${worst.ratio.toFixed(2)}x (${worst.ruleId}, ${worst.mbPerSecond.toFixed(1)} MB/s; slowest near-miss: ${worst.worstFamily}, ${worst.worstFamilyRatio.toFixed(1)}x)`);
  }
  const strictest = [...rows].sort((a, b) => b.strictRatio - a.strictRatio)[0];
  if (strictest !== undefined) {
    const over = rows.filter((r) => r.strictRatio > BACKTRACKING_GOAL).length;
    log(`backtracking: strict ratios (real code through the rule alone): worst ${strictest.strictRatio.toFixed(2)}x (${strictest.ruleId}); ${over} rule(s) over ${BACKTRACKING_GOAL}x`);
  }
  if (worstPattern !== undefined) {
    log(`backtracking: worst pattern-only ratio ${worstPattern.patternRatio.toFixed(2)}x (${worstPattern.ruleId})`);
  }
  const ll = result.longLine;
  log(
    `backtracking: ${ll.findings} findings in ${(ll.bytes / 1024).toFixed(0)} KB: ${ll.oneLineSeconds.toFixed(2)} s on one line, ${ll.linesSeconds.toFixed(2)} s on separate lines (${ll.ratio.toFixed(1)}x)${ll.ratio > BACKTRACKING_GOAL ? '  <-- per-finding work grows with the line length' : ''}`,
  );
}
