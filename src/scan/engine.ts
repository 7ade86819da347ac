import { shannonEntropy } from './entropy.js';
import { fingerprint } from './fingerprint.js';
import { pairFindings, type FindingPair } from './pairing.js';
import { isPlaceholder } from './placeholder.js';
import { redact } from './redact.js';
import type { Finding, FindingSource, Rule } from './types.js';

/** The marker that suppresses findings on its line, in any comment syntax. */
export const ALLOW_MARKER = 'key-hygiene:allow';

/** Default bound on a match when the rule does not give one. */
const DEFAULT_MAX_LENGTH = 512;

/**
 * Secret values by finding. A WeakMap rather than a property so that no serializer, spread or logger
 * can reach the value by accident: only code that calls `secretOf` (masking, live checks) sees it.
 */
const SECRETS = new WeakMap<Finding, string>();

/** The raw secret of a finding made by this engine. Only for masking (`core.setSecret`) and live checks. */
export function secretOf(finding: Finding): string | undefined {
  return SECRETS.get(finding);
}

export interface EngineOptions {
  /** Rule ids to skip. */
  disabledRules?: Iterable<string>;
  /** A secret matching any of these is an accepted value, not a finding. */
  allowValues?: RegExp[];
  /** Fingerprints of findings someone has judged and accepted. */
  ignoreFingerprints?: Iterable<string>;
  /** Rules whose findings, near each other in one text, make one working credential (an AWS key id and its secret). */
  pairs?: readonly FindingPair[];
}

export interface TextInput {
  /** Repository-relative path, forward slashes. */
  path: string;
  text: string;
  source: FindingSource;
  commit?: string;
  /** New-file line number of each line of `text` (diff hunks); default: line i is i + 1. */
  lineNumbers?: readonly number[];
}

interface Candidate {
  rule: CompiledRule;
  start: number;
  end: number;
  secret: string;
}

/**
 * What the engine does where a keyword occurs. The keyword scan reports the longest keyword at a
 * position and then steps past it, so the plan also tries the rules of every keyword found inside it
 * (`key` inside `api_key`, at offset 4), and steps only as far as no keyword could start inside it and
 * run past its end. On text made of keywords (`api_key=api_key=...`) that halves the regex work
 * compared with stepping one character at a time.
 */
interface KeywordPlan {
  attempts: Array<{ offset: number; rule: CompiledRule }>;
  step: number;
}

function planKeyword(kw: string, keywords: readonly string[], direct: ReadonlyMap<string, CompiledRule[]>): KeywordPlan {
  const attempts: Array<{ offset: number; rule: CompiledRule }> = [];
  const seen = new Set<string>();
  for (let offset = 0; offset < kw.length; offset++) {
    const rest = kw.slice(offset);
    for (const other of keywords) {
      if (!rest.startsWith(other)) continue;
      for (const rule of direct.get(other) ?? []) {
        const key = `${offset}\u0000${rule.order}`;
        if (seen.has(key)) continue;
        seen.add(key);
        attempts.push({ offset, rule });
      }
    }
  }
  attempts.sort((a, b) => a.offset - b.offset || a.rule.order - b.rule.order);
  let step = kw.length;
  for (let offset = 1; offset < kw.length; offset++) {
    const rest = kw.slice(offset);
    if (keywords.some((other) => other.length > rest.length && other.startsWith(rest))) {
      step = offset;
      break;
    }
  }
  return { attempts, step };
}

interface CompiledRule {
  rule: Rule;
  sticky: RegExp;
  /** The pattern with match indices (`d`), run again only on a match, to place a capture group exactly. */
  indexed: RegExp;
  window: RegExp;
  lookback: number;
  maxLength: number;
  order: number;
}

/**
 * The detection engine: a keyword prefilter finds the few places worth a closer look, and each rule's
 * pattern is tried only there, anchored at the keyword. Work per byte is bounded by the keyword scan
 * plus bounded pattern attempts, which is what keeps hostile input (huge lines, repeated prefixes) linear.
 */
export class Engine {
  private readonly keywordRe: RegExp;
  /** Lowercase keyword -> what to try where it occurs, and how far the keyword scan may then step. */
  private readonly byKeyword = new Map<string, KeywordPlan>();
  private readonly allowValues: RegExp[];
  private readonly ignored: Set<string>;
  private readonly pairs: readonly FindingPair[];
  readonly rules: readonly Rule[];

  constructor(rules: readonly Rule[], options: EngineOptions = {}) {
    const disabled = new Set(options.disabledRules ?? []);
    this.rules = rules.filter((r) => !disabled.has(r.id));
    this.allowValues = options.allowValues ?? [];
    this.ignored = new Set(options.ignoreFingerprints ?? []);
    this.pairs = options.pairs ?? [];

    const direct = new Map<string, CompiledRule[]>();
    this.rules.forEach((rule, order) => {
      const flags = rule.pattern.flags.replace(/[gyd]/g, '');
      const compiled: CompiledRule = {
        rule,
        sticky: new RegExp(rule.pattern.source, `${flags}y`),
        indexed: new RegExp(rule.pattern.source, `${flags}dy`),
        window: new RegExp(rule.pattern.source, `${flags}g`),
        lookback: rule.lookback ?? 0,
        maxLength: rule.maxLength ?? DEFAULT_MAX_LENGTH,
        order,
      };
      for (const kw of rule.keywords) {
        const key = kw.toLowerCase();
        const list = direct.get(key) ?? [];
        list.push(compiled);
        direct.set(key, list);
      }
    });
    const keywords = [...direct.keys()].sort((a, b) => b.length - a.length);
    for (const kw of keywords) this.byKeyword.set(kw, planKeyword(kw, keywords, direct));
    this.keywordRe = new RegExp(keywords.length > 0 ? trieAlternation(keywords) : '(?!)', 'gi');
  }

  /** Scans one text (a file, or the added lines of one file in a diff) and returns its findings. */
  scan(input: TextInput): Finding[] {
    const candidates = this.collect(input.text);
    if (candidates.length === 0) return [];
    const kept = resolveOverlaps(candidates);
    const lines = lineIndex(input.text);
    const locate = lineLocator(lines, input.lineNumbers);
    const allowed = allowMarkerLines(input.text, lines);
    const findings: Finding[] = [];
    for (const c of kept) {
      const startLoc = locate(c.start);
      if (allowed.has(startLoc.index)) continue;
      const fp = fingerprint(c.rule.rule.id, input.path, c.secret, c.rule.rule.userChosen === true);
      if (this.ignored.has(fp)) continue;
      const endLoc = locate(Math.max(c.start, c.end - 1));
      const rule = c.rule.rule;
      const finding: Finding = {
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
      if (input.commit !== undefined) finding.commit = input.commit;
      SECRETS.set(finding, c.secret);
      findings.push(finding);
    }
    return pairFindings(findings, this.pairs);
  }

  private collect(text: string): Candidate[] {
    const out: Candidate[] = [];
    const re = this.keywordRe;
    re.lastIndex = 0;
    let hit: RegExpExecArray | null;
    while ((hit = re.exec(text)) !== null) {
      const hitAt = hit.index;
      const plan = this.byKeyword.get(hit[0].toLowerCase());
      if (plan === undefined) {
        re.lastIndex = hitAt + 1;
        continue;
      }
      re.lastIndex = hitAt + plan.step;
      for (const { offset, rule: cr } of plan.attempts) {
        const at = hitAt + offset;
        if (cr.lookback === 0) {
          cr.sticky.lastIndex = at;
          const m = cr.sticky.exec(text);
          if (m !== null) this.accept(cr, m, text, m.index, m.index, out);
        } else {
          const from = Math.max(0, at - cr.lookback);
          const windowText = text.slice(from, at + cr.maxLength);
          cr.window.lastIndex = 0;
          let m: RegExpExecArray | null;
          while ((m = cr.window.exec(windowText)) !== null) {
            if (m.index > at - from) break;
            this.accept(cr, m, windowText, m.index, from + m.index, out);
            if (m[0].length === 0) cr.window.lastIndex++;
          }
        }
      }
    }
    return out;
  }

  private accept(cr: CompiledRule, m: RegExpExecArray, searched: string, at: number, matchStart: number, out: Candidate[]): void {
    const rule = cr.rule;
    const group = rule.secretGroup ?? (m.groups?.['secret'] !== undefined ? 'secret' : 0);
    const secret = typeof group === 'number' ? m[group] : m.groups?.[group];
    if (secret === undefined || secret.length === 0) return;
    const start = group === 0 ? matchStart : matchStart + groupOffset(cr, searched, at, group, m[0], secret);
    if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy) return;
    if (!rule.skipPlaceholderCheck && isPlaceholder(secret)) return;
    if (rule.validate !== undefined && !rule.validate(secret)) return;
    for (const allow of this.allowValues) {
      allow.lastIndex = 0;
      if (allow.test(secret)) return;
    }
    out.push({ rule: cr, start, end: start + secret.length, secret });
  }
}

/**
 * Where the secret's group starts within the match. Searching the match for the secret's text would be
 * wrong when the same text occurs earlier in the match (a two-letter password after a user name), so
 * the match is repeated with indices; that costs one more attempt, and only for matches.
 */
function groupOffset(cr: CompiledRule, searched: string, at: number, group: number | string, match: string, secret: string): number {
  cr.indexed.lastIndex = at;
  const again = cr.indexed.exec(searched);
  const span = typeof group === 'number' ? again?.indices?.[group] : again?.indices?.groups?.[group];
  if (again === null || span === undefined) return Math.max(0, match.indexOf(secret));
  return span[0] - at;
}

/**
 * Keeps one finding per span of text. A specific rule beats the generic one; otherwise the longer
 * secret wins, then the rule listed first. Same-rule repeats (two keywords leading to one match) collapse.
 */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  const ranked = [...candidates].sort(
    (a, b) =>
      Number(a.rule.rule.generic ?? false) - Number(b.rule.rule.generic ?? false) ||
      b.end - b.start - (a.end - a.start) ||
      a.rule.order - b.rule.order ||
      a.start - b.start,
  );
  const taken: Array<[number, number]> = []; // sorted, non-overlapping [start, end)
  const kept: Candidate[] = [];
  for (const c of ranked) {
    let lo = 0;
    let hi = taken.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((taken[mid] as [number, number])[1] <= c.start) lo = mid + 1;
      else hi = mid;
    }
    const next = taken[lo];
    if (next !== undefined && next[0] < c.end) continue;
    taken.splice(lo, 0, [c.start, c.end]);
    kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** Offsets where each line starts; built only for texts that have candidates. */
function lineIndex(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Maps offsets to 1-based (line, column), and the 0-based line index within the text. */
function lineLocator(starts: readonly number[], lineNumbers?: readonly number[]): (offset: number) => { line: number; column: number; index: number } {
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const line = lineNumbers?.[lo] ?? lo + 1;
    return { line, column: offset - (starts[lo] as number) + 1, index: lo };
  };
}

/**
 * Indexes of the lines that carry the allow marker, found in one pass: checking each finding's line
 * separately would cost a line's length per finding, which on one huge line is quadratic.
 */
function allowMarkerLines(text: string, starts: readonly number[]): Set<number> {
  const lines = new Set<number>();
  for (let i = text.indexOf(ALLOW_MARKER); i !== -1; i = text.indexOf(ALLOW_MARKER, i + ALLOW_MARKER.length)) {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    lines.add(lo);
  }
  return lines;
}

/**
 * One alternation of every keyword, factored as a trie (`s(?:k-|ecret)` rather than `sk-|secret`):
 * the regex engine then decides on each character once instead of trying every keyword in turn.
 * Longer keywords come first at each branch, so the match at a position is the longest keyword there.
 */
function trieAlternation(keywords: readonly string[]): string {
  interface Node {
    end: boolean;
    next: Map<string, Node>;
  }
  const root: Node = { end: false, next: new Map() };
  for (const kw of keywords) {
    let node = root;
    for (const ch of kw) {
      let child = node.next.get(ch);
      if (child === undefined) {
        child = { end: false, next: new Map() };
        node.next.set(ch, child);
      }
      node = child;
    }
    node.end = true;
  }
  const emit = (node: Node): string => {
    const branches = [...node.next.entries()].map(([ch, child]) => escapeRegExp(ch) + emit(child));
    if (branches.length === 0) return '';
    const body = branches.length === 1 ? (branches[0] as string) : `(?:${branches.join('|')})`;
    // A keyword that ends here and continues into longer ones: try the longer first, then stop here.
    return node.end ? (branches.length === 1 ? `(?:${body})?` : `${body}?`) : body;
  };
  return emit(root);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
