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

import { WasmKeywordLoops } from './keyword-wasm.js';

export interface KeywordTable {
  /** Character code -> column; 0 for characters no keyword contains. 65,536 entries, so no branch on the code. */
  readonly classOf: Uint8Array;
  /** Row-major transitions; every entry is already multiplied by `width`, so a row start is the state itself. */
  readonly next: Int32Array;
  readonly width: number;
  /** States at or past this (premultiplied) value end at least one keyword. */
  readonly firstOutput: number;
  /** Output state -> 0, 1, 2...: an index for per-state arrays. */
  outputIndex(state: number): number;
  /** Length of the longest keyword. */
  readonly longest: number;
  /** Premultiplied output state -> indexes (into the keyword list) of every keyword ending there, longest first. */
  readonly outputs: ReadonlyMap<number, readonly number[]>;
}

/** Builds the automaton for lowercase keywords (any case in the text matches). */
export function buildKeywordTable(keywords: readonly string[]): KeywordTable {
  const lower = keywords.map((k) => k.toLowerCase());
  for (const k of lower) {
    if (k.length === 0) throw new Error('a keyword must not be empty');
    if ([...k].some((c) => c.charCodeAt(0) > 0x7f)) throw new Error(`keyword ${JSON.stringify(k)}: keywords must be ASCII`);
  }
  const alphabet = [...new Set(lower.join(''))].sort();
  const width = alphabet.length + 1;
  const classOf = new Uint8Array(65536);
  alphabet.forEach((ch, i) => {
    classOf[ch.charCodeAt(0)] = i + 1;
    const upper = ch.toUpperCase();
    if (upper !== ch) classOf[upper.charCodeAt(0)] = i + 1;
  });

  // Trie, then failure links in breadth-first order; a node's outputs are its own keyword plus those of
  // its failure node (the keywords that end here as suffixes). Flat typed arrays, row per node: a
  // pre-commit run builds this table for a few lines of diff, and arrays of arrays took most of its start.
  const maxNodes = 1 + lower.reduce((n, k) => n + k.length, 0);
  const goto = new Int32Array(maxNodes * width).fill(-1);
  const own = new Int32Array(maxNodes).fill(-1);
  let count = 1;
  lower.forEach((kw, index) => {
    let node = 0;
    for (let i = 0; i < kw.length; i++) {
      const c = classOf[kw.charCodeAt(i)] as number;
      let child = goto[node * width + c] as number;
      if (child === -1) {
        child = count++;
        goto[node * width + c] = child;
      }
      node = child;
    }
    if (own[node] === -1) own[node] = index;
  });
  const none: readonly number[] = [];
  const fail = new Int32Array(count);
  const out: Array<readonly number[]> = new Array<readonly number[]>(count);
  for (let n = 0; n < count; n++) out[n] = own[n] === -1 ? none : [own[n] as number];
  const order = new Int32Array(count);
  let queued = 1;
  const delta = new Int32Array(count * width);
  for (let head = 0; head < queued; head++) {
    const node = order[head] as number;
    const row = node * width;
    const failRow = (fail[node] as number) * width;
    for (let c = 0; c < width; c++) {
      const child = goto[row + c] as number;
      if (child !== -1 && c !== 0) {
        const f = node === 0 ? 0 : (delta[failRow + c] as number);
        fail[child] = f;
        const inherited = out[f] as readonly number[];
        if (inherited.length > 0) out[child] = [...(out[child] as readonly number[]), ...inherited];
        delta[row + c] = child;
        order[queued++] = child;
      } else {
        delta[row + c] = node === 0 ? 0 : (delta[failRow + c] as number);
      }
    }
  }

  // Renumber so that states with outputs come last: the scan then tests one comparison per character.
  const renamed = new Int32Array(count);
  let plainCount = 0;
  for (let i = 0; i < count; i++) if ((out[order[i] as number] as readonly number[]).length === 0) renamed[order[i] as number] = plainCount++ * width;
  let endingCount = plainCount;
  for (let i = 0; i < count; i++) if ((out[order[i] as number] as readonly number[]).length > 0) renamed[order[i] as number] = endingCount++ * width;
  const next = new Int32Array(count * width);
  const outputs = new Map<number, number[]>();
  for (let n = 0; n < count; n++) {
    const row = renamed[n] as number;
    const from = n * width;
    for (let c = 0; c < width; c++) next[row + c] = renamed[delta[from + c] as number] as number;
    if ((out[n] as readonly number[]).length > 0) {
      outputs.set(
        row,
        [...(out[n] as readonly number[])].sort((a, b) => (lower[b] as string).length - (lower[a] as string).length),
      );
    }
  }
  const firstOutput = plainCount * width;
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
export class HitBuffer {
  data = new Int32Array(1024);
  length = 0;

  push(end: number, state: number): void {
    this.reserve(2);
    this.data[this.length++] = end;
    this.data[this.length++] = state;
  }

  /** Appends `from[start..end)`, which holds whole pairs. */
  appendRange(from: Int32Array, start: number, end: number): void {
    if (end <= start) return;
    this.reserve(end - start);
    this.data.set(from.subarray(start, end), this.length);
    this.length += end - start;
  }

  private reserve(more: number): void {
    if (this.length + more <= this.data.length) return;
    const grown = new Int32Array(Math.max(this.data.length * 2, this.length + more));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }
}

/**
 * Finds where keywords end in a text. Holds its buffers between texts, so it is not reentrant: one
 * per engine.
 */
export class KeywordScanner {
  readonly table: KeywordTable;
  private readonly hits = new HitBuffer();
  /** The WebAssembly loops; null where WebAssembly cannot run, and then a JavaScript loop does the work. */
  private readonly wasm: WasmKeywordLoops | null;
  private readonly oneLane: ReturnType<typeof scanLoop>;
  private bytes: Buffer | undefined;

  constructor(keywords: readonly string[], options: { webAssembly?: boolean } = {}) {
    this.table = buildKeywordTable(keywords);
    this.wasm = options.webAssembly === false ? null : WasmKeywordLoops.create(this.table);
    this.oneLane = scanLoop(this.table);
  }

  /**
   * The text of the last `scan`, one byte per UTF-16 code unit (truncated, as the scan read it); valid
   * until the next scan. Usually a view of what the scan already wrote, so it costs nothing.
   */
  textBytes(text: string): Uint8Array {
    if (this.wasm !== null) return this.wasm.textBytes() ?? Buffer.from(text, 'latin1');
    return (this.bytes as Buffer).subarray(0, text.length);
  }

  /** Whether the WebAssembly loops are in use. */
  get usesWebAssembly(): boolean {
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
  scan(text: string): HitBuffer {
    this.hits.length = 0;
    if (this.wasm !== null) {
      this.wasm.scan(text, this.hits);
      return this.hits;
    }
    const length = text.length;
    if (this.bytes === undefined || this.bytes.length < length) this.bytes = Buffer.allocUnsafe(Math.max(length, 2 * (this.bytes?.length ?? 0), 64 * 1024));
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
function scanLoop(table: KeywordTable): (bytes: Uint8Array, length: number, hits: HitBuffer) => void {
  const { classOf, next, firstOutput } = table;
  return (bytes, length, hits) => {
    let s = 0;
    for (let i = 0; i < length; i++) {
      s = next[s + (classOf[bytes[i] as number] as number)] as number;
      if (s >= firstOutput) hits.push(i, s);
    }
  };
}
