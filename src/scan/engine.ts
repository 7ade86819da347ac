import { ENCODED_MARKERS, encodedValues, type MarkersSeen } from './containers.js';
import { shannonEntropy } from './entropy.js';
import { fingerprint } from './fingerprint.js';
import { pairFindings, type FindingPair } from './pairing.js';
import { KeywordScanner } from './keywords.js';
import { isKnownPublic } from './known-public.js';
import { LinearPattern, type StickyMatcher } from './linear-pattern.js';
import { isPlaceholder, isTypedPattern } from './placeholder.js';
import { redact } from './redact.js';
import type { Finding, FindingSource, Rule, ValueRun } from './types.js';

/** The marker that suppresses a finding: in a comment on the finding's line, close to it. */
export const ALLOW_MARKER = 'key-hygiene:allow';

/**
 * How far the allow marker may be from the finding it suppresses, before its start or after its end.
 * A marker anywhere on a line once silenced every key of a minified line 40,000 characters long.
 */
export const ALLOW_MARKER_REACH = 100;

/**
 * A comment opener right before the marker (spaces between allowed): `//`, `/*`, `#`, `--`, `;`, `%`,
 * `'`, `<!--`, `{{/*`, `REM`. The marker inside a string or an identifier does not count.
 */
const COMMENT_BEFORE_MARKER = /(?:\/\/|\/\*|#|--|;|%|'|<!--|\bREM)[ \t]*$/i;

/** Characters of text before a `lookback` window that its lookbehinds can see. */
const WINDOW_CONTEXT = 32;

/**
 * No credential is this short: a three-character "password" in a URL (`user:abc@`) is a placeholder, and
 * a guessable one at that, which no rotation fixes.
 */
const MIN_SECRET_LENGTH = 4;

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
  allowValues?: Array<RegExp | LinearPattern>;
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
  /** Receives the findings an allow marker suppressed, so a report can show what a change silenced. */
  suppressed?: Finding[];
}

interface Candidate {
  rule: CompiledRule;
  start: number;
  end: number;
  secret: string;
  /** Set when the secret was found base64-encoded: what held it (`Kubernetes Secret data`). */
  inside?: string;
}

interface CompiledRule {
  rule: Rule;
  /** The rule's `valueRun`, as a forward scan shared by all of the rule's attempts in one text. */
  gate: Gate | undefined;
  /** The gates under `gate` that read the text, reset per scan by the engine. */
  leaves: LeafGate[];
  /** `notFollowedBy` as character codes. */
  notFollowedBy: readonly Uint8Array[];
  /** `notAfter` as a byte -> 1 table; undefined when the rule has none. */
  notAfter: Uint8Array | undefined;
  /** The rule's `startRun`: where its one attempt at a keyword starts. */
  startRun: StartRun | undefined;
  sticky: StickyMatcher;
  /** The pattern with match indices (`d`), run again only on a match, to place a capture group exactly. */
  indexed: StickyMatcher;
  /** Only for built-in rules with a `lookback`: user patterns must start with their keyword. */
  window: RegExp;
  lookback: number;
  maxLength: number;
  order: number;
  /** The text its gate and start run were last reset for; '' between scans. */
  text: string;
}

/**
 * The detection engine: a keyword prefilter finds the few places worth a closer look, and each rule's
 * pattern is tried only there, anchored at the keyword. Work per byte is bounded by the keyword scan
 * plus bounded pattern attempts, which is what keeps hostile input (huge lines, repeated prefixes) linear.
 */
export class Engine {
  private readonly keywords: KeywordScanner;
  /**
   * What to try where a keyword ends, flattened into typed arrays because this is the per-hit path
   * (text made of keywords has a hit every few characters): output index `o` of the automaton owns
   * attempts `attemptsFrom[o]` to `attemptsFrom[o + 1]`, each a rule (`attemptRule`, its order) and how
   * far back its keyword starts (`attemptBack`).
   */
  private readonly attemptsFrom: Int32Array;
  /** Automaton state -> its output index: an integer load where `(state - first) / width` would be a division on every hit. */
  private readonly outputOf: Int32Array;
  private readonly attemptRule: Int32Array;
  private readonly attemptBack: Int32Array;
  /**
   * Per rule, where its last attempt started and where its last match ended. An attempt at the same
   * start again (two keywords of one rule starting together) is skipped, and so is one that starts
   * inside the rule's previous match: like a global regex search, one match consumes its text. Text
   * made of keywords (`password: password: ...`) would otherwise cost one match per keyword.
   */
  private readonly lastTried: Int32Array;
  private readonly matchedUntil: Int32Array;
  private readonly allowValues: Array<RegExp | LinearPattern>;
  private readonly ignored: Set<string>;
  private readonly pairs: readonly FindingPair[];
  readonly rules: readonly Rule[];
  private readonly compiled: CompiledRule[] = [];
  /** The rules that had a keyword in the text being collected, to release after it. */
  private readonly touched: CompiledRule[] = [];
  private readonly sharedGates: SharedGates = { gates: new Map() };
  /** Numbers the scans, so that a gate shared by several rules is reset once per text. */
  private scanNo = 0;
  /** Output index -> the container markers (MANIFEST, JWT) that end there; few outputs have any. */
  private readonly markerOf = new Map<number, number>();
  private markerFlags = new Int8Array(0);
  /** The markers the last `collect` saw. */
  private seen: MarkersSeen = { manifest: false, jwt: false };
  /** The path of the text being scanned, for rules that judge a match by the kind of file. */
  private path = '';

  constructor(rules: readonly Rule[], options: EngineOptions = {}) {
    const disabled = new Set(options.disabledRules ?? []);
    this.rules = rules.filter((r) => !disabled.has(r.id));
    this.allowValues = options.allowValues ?? [];
    this.ignored = new Set(options.ignoreFingerprints ?? []);
    this.pairs = options.pairs ?? [];

    const direct = new Map<string, CompiledRule[]>();
    this.rules.forEach((rule, order) => {
      const flags = rule.pattern.flags.replace(/[gyd]/g, '');
      const maxLength = rule.maxLength ?? DEFAULT_MAX_LENGTH;
      const linear = rule.pattern instanceof LinearPattern ? rule.pattern : undefined;
      if (linear !== undefined && (rule.lookback ?? 0) > 0) throw new Error(`rule ${rule.id}: a user pattern must start with its keyword (no lookback)`);
      const gate = rule.valueRun === undefined ? undefined : gateFor(rule.valueRun, this.sharedGates);
      const compiled: CompiledRule = {
        rule,
        sticky: linear?.sticky(maxLength) ?? new RegExp(rule.pattern.source, `${flags}y`),
        indexed: linear?.sticky(maxLength) ?? new RegExp(rule.pattern.source, `${flags}dy`),
        window: linear === undefined ? new RegExp(rule.pattern.source, `${flags}g`) : NEVER,
        gate,
        leaves: gate === undefined ? [] : leavesOf(gate),
        notFollowedBy: (rule.notFollowedBy ?? []).map((lit) => Uint8Array.from(lit.toLowerCase(), (c) => c.charCodeAt(0))),
        notAfter: rule.notAfter === undefined || (rule.lookback ?? 0) > 0 ? undefined : byteSet(rule.notAfter),
        startRun: rule.startRun === undefined || (rule.lookback ?? 0) === 0 ? undefined : new StartRun(rule.startRun),
        lookback: rule.lookback ?? 0,
        maxLength,
        order,
        text: '',
      };
      this.compiled.push(compiled);
      for (const kw of rule.keywords) {
        const key = kw.toLowerCase();
        const list = direct.get(key) ?? [];
        list.push(compiled);
        direct.set(key, list);
      }
    });
    // The containers' markers ride along in the same automaton, attached to no rule.
    for (const marker of Object.values(ENCODED_MARKERS)) if (!direct.has(marker)) direct.set(marker, []);
    const keywords = [...direct.keys()];
    this.keywords = new KeywordScanner(keywords);
    const { table } = this.keywords;
    const perOutput: Array<Array<[number, number]>> = [];
    for (const [state, ending] of table.outputs) {
      const attempts: Array<[number, number]> = [];
      // Earliest start first, then rule order: the order a left-to-right search would try them in.
      for (const k of ending) for (const rule of direct.get(keywords[k] as string) ?? []) attempts.push([rule.order, (keywords[k] as string).length]);
      perOutput[table.outputIndex(state)] = attempts;
      for (const k of ending) {
        if (keywords[k] === ENCODED_MARKERS.manifest) this.markerOf.set(table.outputIndex(state), (this.markerOf.get(table.outputIndex(state)) ?? 0) | MANIFEST);
        if (keywords[k] === ENCODED_MARKERS.jwt) this.markerOf.set(table.outputIndex(state), (this.markerOf.get(table.outputIndex(state)) ?? 0) | JWT);
      }
    }
    this.outputOf = new Int32Array(table.next.length);
    for (const state of table.outputs.keys()) this.outputOf[state] = table.outputIndex(state);
    this.attemptsFrom = new Int32Array(table.outputs.size + 1);
    const flat = perOutput.flatMap((attempts, o) => {
      this.attemptsFrom[o + 1] = (this.attemptsFrom[o] as number) + attempts.length;
      return attempts;
    });
    this.markerFlags = new Int8Array(table.outputs.size);
    for (const [o, flags] of this.markerOf) this.markerFlags[o] = flags;
    this.attemptRule = Int32Array.from(flat, ([order]) => order);
    this.attemptBack = Int32Array.from(flat, ([, back]) => back);
    this.lastTried = new Int32Array(this.rules.length);
    this.matchedUntil = new Int32Array(this.rules.length);
  }

  /** Scans one text (a file, or the added lines of one file in a diff) and returns its findings. */
  scan(input: TextInput): Finding[] {
    this.path = input.path;
    const applies = (c: Candidate): boolean => c.rule.rule.ignorePaths?.test(input.path) !== true;
    const candidates = this.collect(input.text).filter(applies);
    // Decoded values are scanned once, with the same rules, and reported where they are written. Their
    // decoded text is not searched for encoded values again, so the work stays linear in the input.
    for (const encoded of encodedValues(input.text, this.seen)) {
      for (const c of this.collect(encoded.inner)) {
        if (applies(c)) candidates.push({ rule: c.rule, start: encoded.start, end: encoded.end, secret: c.secret, inside: encoded.kind });
      }
    }
    if (candidates.length === 0) return [];
    const kept = resolveOverlaps(candidates);
    /** `oncePerFile` rules: the values already reported in this text, by rule. */
    const reported = new Map<CompiledRule, Set<string>>();
    const cursor = new LineCursor(input.text, input.lineNumbers);
    const findings: Finding[] = [];
    for (const c of kept) {
      const startLoc = cursor.at(c.start);
      const allowed = cursor.allowMarkerNear(c.start, c.end);
      if (allowed && input.suppressed === undefined) continue;
      const fp = fingerprint(c.rule.rule.id, input.path, c.secret, c.rule.rule.userChosen === true);
      if (this.ignored.has(fp)) continue;
      const endLoc = cursor.at(Math.max(c.start, c.end - 1));
      const rule = c.rule.rule;
      if (rule.oncePerFile === true) {
        const seen = reported.get(c.rule) ?? new Set<string>();
        reported.set(c.rule, seen);
        const value = c.secret.toLowerCase();
        if (seen.has(value)) continue;
        seen.add(value);
      }
      const finding: Finding = {
        ruleId: rule.id,
        category: rule.category ?? 'key',
        title: c.inside === undefined ? rule.title : `${rule.title} (base64-encoded in ${c.inside})`,
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
      if (c.inside !== undefined) finding.notes = [`Found base64-encoded (${c.inside}): the value at this position decodes to the credential.`];
      SECRETS.set(finding, c.secret);
      (allowed ? (input.suppressed as Finding[]) : findings).push(finding);
    }
    return pairFindings(findings, this.pairs);
  }

  private collect(text: string): Candidate[] {
    const out: Candidate[] = [];
    const hits = this.keywords.scan(text);
    const lastTried = this.lastTried.fill(-1);
    const matchedUntil = this.matchedUntil.fill(0);
    const { attemptsFrom, attemptRule, attemptBack, compiled, outputOf } = this;
    const data = hits.data;
    const bytes = this.keywords.textBytes(text);
    // Gates and start runs are reset when their rule first has a keyword in this text: most of the
    // catalogue has none in a given file, and resetting all of it would cost per file, not per hit.
    const touched = this.touched;
    touched.length = 0;
    const scanNo = ++this.scanNo;
    const markerFlags = this.markerFlags;
    let markers = 0;
    for (let h = 0; h < hits.length; h += 2) {
      const end = (data[h] as number) + 1;
      const o = outputOf[data[h + 1] as number] as number;
      markers |= markerFlags[o] as number;
      for (let a = attemptsFrom[o] as number, last = attemptsFrom[o + 1] as number; a < last; a++) {
        const order = attemptRule[a] as number;
        const at = end - (attemptBack[a] as number);
        if (lastTried[order] === at || at < (matchedUntil[order] as number)) continue;
        lastTried[order] = at;
        const cr = compiled[order] as CompiledRule;
        if (cr.notAfter !== undefined && at > 0 && cr.notAfter[bytes[at - 1] as number] === 1) continue;
        if (cr.notFollowedBy.length > 0 && followedByAny(bytes, end, cr.notFollowedBy)) continue;
        if (cr.text !== text) {
          cr.text = text;
          for (const leaf of cr.leaves) {
            if (leaf.scan !== scanNo) {
              leaf.scan = scanNo;
              leaf.reset(text, bytes);
            }
          }
          cr.startRun?.reset(text);
          touched.push(cr);
        }
        if (cr.gate !== undefined && !cr.gate.passes(end)) continue;
        const start = cr.lookback === 0 ? at : cr.startRun === undefined ? -1 : cr.startRun.startOf(at);
        if (cr.lookback === 0 || start !== -1) {
          cr.sticky.lastIndex = start;
          const m = cr.sticky.exec(text);
          if (m !== null) {
            matchedUntil[cr.order] = m.index + m[0].length;
            this.accept(cr, m, text, m.index, m.index, out);
          }
        } else if (cr.startRun === undefined) {
          // The window keeps a few characters before its first possible start, so that a lookbehind
          // there sees the text and not the window's edge.
          const from = Math.max(0, at - cr.lookback);
          const sliced = Math.max(0, from - WINDOW_CONTEXT);
          const windowText = text.slice(sliced, at + cr.maxLength);
          cr.window.lastIndex = from - sliced;
          let m: RegExpExecArray | null;
          while ((m = cr.window.exec(windowText)) !== null) {
            if (m.index > at - sliced) break;
            this.accept(cr, m, windowText, m.index, sliced + m.index, out);
            if (m[0].length === 0) cr.window.lastIndex++;
          }
        }
      }
    }
    // Let go of the text: a gate would otherwise keep the last file scanned alive.
    for (const cr of touched) {
      cr.text = '';
      for (const leaf of cr.leaves) {
        leaf.scan = -1;
        leaf.reset('', NO_BYTES);
      }
      cr.startRun?.reset('');
    }
    touched.length = 0;
    this.seen = { manifest: (markers & MANIFEST) !== 0, jwt: (markers & JWT) !== 0 };
    return out;
  }

  private accept(cr: CompiledRule, m: RegExpExecArray, searched: string, at: number, matchStart: number, out: Candidate[]): void {
    const rule = cr.rule;
    const group = rule.secretGroup ?? (m.groups?.['secret'] !== undefined ? 'secret' : 0);
    const secret = typeof group === 'number' ? m[group] : m.groups?.[group];
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) return;
    // Cheapest first: entropy is one pass; a checksum rejects a near-miss in a fraction of the time the
    // placeholder word checks take.
    if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy) return;
    if (rule.validate !== undefined && !rule.validate(secret)) return;
    // Strict formats skip the word checks, which a long random body can trip, but not the typed
    // patterns (alphabet, keyboard and counting runs), which no random body holds.
    if (rule.skipPlaceholderCheck ? isTypedPattern(secret) : isPlaceholder(secret)) return;
    if (rule.acceptMatch !== undefined) {
      const context = { path: this.path, text: searched, index: at, match: m[0], groups: m.groups ?? {}, secret };
      if (!rule.acceptMatch(context)) return;
    }
    if (isKnownPublic(secret)) return;
    for (const allow of this.allowValues) {
      if (allow instanceof RegExp) allow.lastIndex = 0;
      if (allow.test(secret)) return;
    }
    // Placed last: it runs the pattern again, and most matches on hostile text fail a check above.
    const start = group === 0 ? matchStart : matchStart + groupOffset(cr, searched, at, group, m[0], secret);
    out.push({ rule: cr, start, end: start + secret.length, secret });
  }
}

/** A rule's `valueRun` check, asked with increasing offsets through one text. */
export interface Gate {
  /** `bytes`: the text truncated to one byte per UTF-16 code unit (the keyword scan's copy). */
  reset(text: string, bytes: Uint8Array): void;
  passes(from: number): boolean;
}

const NO_BYTES = new Uint8Array(0);

/** A byte -> 1 table of ASCII `chars`. */
function byteSet(chars: string): Uint8Array {
  const set = new Uint8Array(256);
  for (const c of chars) set[c.charCodeAt(0) & 0xff] = 1;
  return set;
}

/** Whether the text's bytes at `at` spell one of `literals` (lowercase; ASCII letters in either case). */
function followedByAny(bytes: Uint8Array, at: number, literals: readonly Uint8Array[]): boolean {
  for (const lit of literals) {
    if (at + lit.length > bytes.length) continue;
    let i = 0;
    while (i < lit.length) {
      const b = bytes[at + i] as number;
      if ((b >= 0x41 && b <= 0x5a ? b | 0x20 : b) !== lit[i]) break;
      i++;
    }
    if (i === lit.length) return true;
  }
  return false;
}

/** Container marker flags (see ENCODED_MARKERS). */
const MANIFEST = 1;
const JWT = 2;

/** The window search of a rule that has none (user patterns, which start at their keyword). */
const NEVER = /(?!)/g;

/**
 * The gate for a rule's `valueRun`. With `shared`, a condition that several rules state alike (the
 * `=` or `:` of an assignment within reach, a run of 40 hex digits) is one gate: the checks of all
 * those rules arrive in the order of their keywords in the text, so one cursor serves them all and
 * each character is read once per condition instead of once per rule.
 */
export function gateFor(spec: ValueRun | readonly ValueRun[], shared?: SharedGates): Gate {
  if (isList(spec)) return spec.length === 1 ? gateFor(spec[0] as ValueRun, shared) : new AllGates(spec.map((one) => gateFor(one, shared)));
  const make = (): Gate => {
    if (spec.literal === true || (spec.min === 1 && spec.chars.length === 1)) return new CharGate(spec.chars, spec.within);
    // One of a few characters (an assignment's `=` or `:`): the nearest of their memchr searches.
    if (spec.min === 1 && spec.chars.length <= MAX_SEARCHED_CHARS) return new AnyOfGate([...spec.chars].map((c) => new CharGate(c, spec.within)));
    return new RunGate(spec);
  };
  if (shared === undefined) return make();
  const key = spec.literal === true ? `literal/${spec.within}/${spec.chars}` : `${spec.min}/${spec.within}/${spec.distinct ?? 0}/${[...new Set(spec.chars)].sort().join('')}`;
  let gate = shared.gates.get(key);
  if (gate === undefined) {
    gate = make();
    shared.gates.set(key, gate);
  }
  return gate;
}

/** The gates an engine's rules share. */
export interface SharedGates {
  gates: Map<string, Gate>;
}

/**
 * The gates that read the text (CharGate, RunGate) under a rule's gate. The engine resets each once
 * per scan, when the first rule that holds it meets its keyword: a second rule starting on the same
 * text must not rewind a cursor the first one advanced.
 */
function leavesOf(gate: Gate): LeafGate[] {
  if (gate instanceof AllGates || gate instanceof AnyOfGate) return gate.gates.flatMap((g) => leavesOf(g));
  return [gate as LeafGate];
}

/** A gate that reads the text, with the number of the scan it was last reset for (-1: none). */
type LeafGate = CharGate | RunGate;

function isList(spec: ValueRun | readonly ValueRun[]): spec is readonly ValueRun[] {
  return Array.isArray(spec);
}

/** Several conditions, cheapest first as the rule lists them; each keeps its own cursor. */
class AllGates implements Gate {
  constructor(readonly gates: readonly Gate[]) {}

  reset(text: string, bytes: Uint8Array): void {
    for (const g of this.gates) g.reset(text, bytes);
  }

  passes(from: number): boolean {
    for (const g of this.gates) if (!g.passes(from)) return false;
    return true;
  }
}

/**
 * `valueRun` for one required character (the `@` of a URL's userinfo) or literal (`://`). `indexOf` finds it at memchr
 * speed, where a class lookup per character would cost more than the pattern attempts it saves; the
 * position found serves every later check up to it, so each character is searched once per text.
 */
class CharGate implements Gate {
  /** The engine's scan this gate was last reset for (see leavesOf). */
  scan = -1;
  private text = '';
  /** The first occurrence at or after the last search's start; the text's length when there is none. */
  private found = -1;

  constructor(
    private readonly char: string,
    private readonly within: number,
  ) {}

  reset(text: string): void {
    this.text = text;
    this.found = -1;
  }

  passes(from: number): boolean {
    if (this.found < from) {
      const at = this.text.indexOf(this.char, from);
      this.found = at === -1 ? this.text.length : at;
    }
    return this.found < from + this.within + 1 && this.found < this.text.length;
  }
}

/** Up to this many alternative characters, a search for each beats reading every character through a class table. */
const MAX_SEARCHED_CHARS = 3;

/** Passes where any one of its gates passes: `=` or `:` within reach, each found by its own search. */
class AnyOfGate implements Gate {
  constructor(readonly gates: readonly Gate[]) {}

  reset(text: string, bytes: Uint8Array): void {
    for (const g of this.gates) g.reset(text, bytes);
  }

  passes(from: number): boolean {
    for (const g of this.gates) if (g.passes(from)) return true;
    return false;
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
class RunGate implements Gate {
  /** The engine's scan this gate was last reset for (see leavesOf). */
  scan = -1;
  /** Byte -> 1 for the class. The gate reads the keyword scan's bytes: a non-ASCII character truncated into the class only makes it pass more, never less. */
  private readonly inClass = new Uint8Array(256);
  private readonly min: number;
  private readonly within: number;
  /** ValueRun.distinct, 0 for none. */
  private readonly distinct: number;
  private bytes: Uint8Array = NO_BYTES;
  /** No run starts between the last check's offset and `start`; characters [start, verified) are in the class. */
  private start = 0;
  private verified = 0;
  /** A run with enough different characters was seen to reach this far: any start before it passes. */
  private diverseUntil = 0;

  constructor(spec: ValueRun) {
    for (const ch of spec.chars) {
      const code = ch.charCodeAt(0);
      if (code > 0x7f) throw new Error(`valueRun characters must be ASCII; got ${JSON.stringify(ch)}`);
      this.inClass[code] = 1;
    }
    this.min = spec.min;
    this.within = spec.within;
    this.distinct = spec.distinct ?? 0;
  }

  reset(_text: string, bytes: Uint8Array): void {
    this.bytes = bytes;
    this.start = 0;
    this.verified = 0;
    this.diverseUntil = 0;
  }

  /** Whether `min` class characters in a row lie within [from, from + within + min). */
  passes(from: number): boolean {
    const { inClass, bytes, min } = this;
    let { start, verified } = this;
    if (start < from) {
      start = from;
      if (verified < from) verified = from;
    }
    const lastStart = Math.min(from + this.within, bytes.length - min);
    let found = false;
    while (start <= lastStart) {
      if (verified - start >= min) {
        if (this.distinct === 0 || start < this.diverseUntil) {
          found = true;
          break;
        }
        // Read the run from `start` until it shows enough different characters or ends. A run
        // that ends first holds no value of enough entropy anywhere in it: skip it whole. One that
        // passes passes for every later start inside it too, which can only let more through.
        const end = this.diverseEnd(start);
        if (end > 0) {
          this.diverseUntil = end;
          found = true;
          break;
        }
        start = -end + 1;
        verified = start;
        continue;
      }
      const probe = start + min - 1;
      if (inClass[bytes[probe] as number] !== 1) {
        start = probe + 1;
        verified = start;
        continue;
      }
      let k = probe - 1;
      while (k >= verified && inClass[bytes[k] as number] === 1) k--;
      if (k >= verified) start = k + 1;
      verified = probe + 1;
    }
    this.start = start;
    this.verified = verified;
    return found;
  }

  /**
   * Where the run at `start` has shown `distinct` different characters (a positive offset), or minus
   * the offset where it ended without them.
   */
  private diverseEnd(start: number): number {
    const { inClass, bytes, distinct } = this;
    // The characters seen, as bits of three words: classes are ASCII, and codes below 32 are never in one.
    let w1 = 0;
    let w2 = 0;
    let w3 = 0;
    let different = 0;
    let i = start;
    for (; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (inClass[b] !== 1) break;
      const bit = 1 << (b & 31);
      const word = b >> 5;
      if (word === 1) {
        if ((w1 & bit) !== 0) continue;
        w1 |= bit;
      } else if (word === 2) {
        if ((w2 & bit) !== 0) continue;
        w2 |= bit;
      } else {
        if ((w3 & bit) !== 0) continue;
        w3 |= bit;
      }
      if (++different >= distinct) return i + 1;
    }
    return -i;
  }

}

/**
 * A rule's `startRun`: the start of the run of class characters that ends at a keyword, when the run
 * is as long as the rule allows. Keyword starts mostly arrive in increasing order, so a cursor reads
 * forward and each character once per text; an earlier start (a shorter keyword of the same rule ending
 * later) is answered by reading back.
 */
export class StartRun {
  private readonly inClass = new Uint8Array(65536);
  private readonly min: number;
  private readonly max: number;
  private text = '';
  /** Characters [runStart, pos) are in the class. Where it matters, runStart is the run's real start or lies more than `max` back. */
  private pos = 0;
  private runStart = 0;

  constructor(spec: { chars: string; min: number; max: number }) {
    for (const ch of spec.chars) this.inClass[ch.charCodeAt(0)] = 1;
    this.min = spec.min;
    this.max = spec.max;
  }

  reset(text: string): void {
    this.text = text;
    this.pos = 0;
    this.runStart = 0;
  }

  /** Where the match must start for a keyword at `at`, or -1 when the run before it is too short or too long. */
  startOf(at: number): number {
    const { inClass, text } = this;
    let runStart: number;
    if (at < this.pos) {
      runStart = at;
      const stop = Math.max(0, at - this.max - 1);
      while (runStart > stop && inClass[text.charCodeAt(runStart - 1)] === 1) runStart--;
    } else {
      // Only the last max + 1 characters can matter; a run that fills them is too long anyway.
      if (at - this.pos > this.max + 1) {
        this.pos = at - this.max - 1;
        this.runStart = this.pos;
      }
      let { pos, runStart: start } = this;
      for (; pos < at; pos++) if (inClass[text.charCodeAt(pos)] !== 1) start = pos + 1;
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
function groupOffset(cr: CompiledRule, searched: string, at: number, group: number | string, match: string, secret: string): number {
  // The secret occurs once in the match: that occurrence is the group. Only a repeat needs the rerun.
  const first = match.indexOf(secret);
  if (first !== -1 && match.indexOf(secret, first + 1) === -1) return first;
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

/**
 * Line and column of offsets asked in increasing order (the kept candidates' starts and ends, which do
 * not overlap). Newlines are counted only as far as the last offset asked, each once, and so is the
 * allow marker: a 2 MB file with one finding near its top costs that far, and many findings on one
 * huge line cost the line once, not once each.
 */
class LineCursor {
  /** 0-based index of the line the cursor is on, and where that line starts and ends (its newline, or the text's end). */
  private index = 0;
  private lineStart = 0;
  private lineEnd: number;

  constructor(
    private readonly text: string,
    private readonly lineNumbers?: readonly number[],
  ) {
    this.lineEnd = this.newlineFrom(0);
  }

  private newlineFrom(from: number): number {
    const nl = this.text.indexOf('\n', from);
    return nl === -1 ? this.text.length : nl;
  }

  /** 1-based line (the new file's, for diff hunks) and column of `offset`. */
  at(offset: number): { line: number; column: number } {
    while (this.lineEnd < offset && this.lineEnd < this.text.length) {
      this.lineStart = this.lineEnd + 1;
      this.index++;
      this.lineEnd = this.newlineFrom(this.lineStart);
    }
    return { line: this.lineNumbers?.[this.index] ?? this.index + 1, column: offset - this.lineStart + 1 };
  }

  /**
   * Whether an allow marker in a comment lies on the line of the last offset asked, within
   * `ALLOW_MARKER_REACH` of [start, end). Reads a bounded window per finding, never the whole line.
   */
  allowMarkerNear(start: number, end: number): boolean {
    const from = Math.max(this.lineStart, start - ALLOW_MARKER_REACH - ALLOW_MARKER.length);
    const to = Math.min(this.lineEnd, end + ALLOW_MARKER_REACH + ALLOW_MARKER.length);
    const window = this.text.slice(from, to);
    for (let at = window.indexOf(ALLOW_MARKER); at !== -1; at = window.indexOf(ALLOW_MARKER, at + 1)) {
      const markerStart = from + at;
      const markerEnd = markerStart + ALLOW_MARKER.length;
      const near = markerEnd <= start ? start - markerEnd <= ALLOW_MARKER_REACH : markerStart - end <= ALLOW_MARKER_REACH;
      // The opener is looked for in the few characters before the marker: enough for `// ` or `<!-- `.
      if (near && COMMENT_BEFORE_MARKER.test(this.text.slice(Math.max(this.lineStart, markerStart - 8), markerStart))) return true;
    }
    return false;
  }
}
