/**
 * The keyword prefilter: an Aho-Corasick automaton over the rules' keywords, flattened into one
 * transition table so that the scan costs two array loads per character whatever the number of
 * keywords. A single alternation regex of the same keywords runs at about a quarter of the speed in V8
 * (it restarts its search at each position and re-decides the first branch), and the prefilter is
 * nearly all of the engine's time on ordinary code.
 *
 * Matching is ASCII case-insensitive, like the `i` flag without `u`: no non-ASCII character folds to
 * an ASCII one there either, so every non-ASCII character is simply "not part of any keyword".
 */

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
  // its failure node (the keywords that end here as suffixes).
  const goto: number[][] = [new Array<number>(width).fill(-1)];
  const own: Array<number | undefined> = [undefined];
  lower.forEach((kw, index) => {
    let node = 0;
    for (const ch of kw) {
      const c = classOf[ch.charCodeAt(0)] as number;
      let child = (goto[node] as number[])[c] as number;
      if (child === -1) {
        child = goto.length;
        goto.push(new Array<number>(width).fill(-1));
        own.push(undefined);
        (goto[node] as number[])[c] = child;
      }
      node = child;
    }
    if (own[node] === undefined) own[node] = index;
  });
  const count = goto.length;
  const fail = new Array<number>(count).fill(0);
  const out: number[][] = Array.from({ length: count }, (_, n) => (own[n] === undefined ? [] : [own[n] as number]));
  const order: number[] = [0];
  const delta: number[][] = Array.from({ length: count }, () => new Array<number>(width).fill(0));
  for (let head = 0; head < order.length; head++) {
    const node = order[head] as number;
    for (let c = 0; c < width; c++) {
      const child = (goto[node] as number[])[c] as number;
      if (child !== -1 && c !== 0) {
        const f = node === 0 ? 0 : ((delta[fail[node] as number] as number[])[c] as number);
        fail[child] = f;
        out[child] = [...(out[child] as number[]), ...(out[f] as number[])];
        (delta[node] as number[])[c] = child;
        order.push(child);
      } else {
        (delta[node] as number[])[c] = node === 0 ? 0 : ((delta[fail[node] as number] as number[])[c] as number);
      }
    }
  }

  // Renumber so that states with outputs come last: the scan then tests one comparison per character.
  const plain = order.filter((n) => (out[n] as number[]).length === 0);
  const ending = order.filter((n) => (out[n] as number[]).length > 0);
  const renamed = new Array<number>(count);
  [...plain, ...ending].forEach((n, i) => (renamed[n] = i * width));
  const next = new Int32Array(count * width);
  const outputs = new Map<number, number[]>();
  for (let n = 0; n < count; n++) {
    const row = renamed[n] as number;
    for (let c = 0; c < width; c++) next[row + c] = renamed[(delta[n] as number[])[c] as number] as number;
    if ((out[n] as number[]).length > 0) {
      outputs.set(
        row,
        [...(out[n] as number[])].sort((a, b) => (lower[b] as string).length - (lower[a] as string).length),
      );
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
export class HitBuffer {
  data = new Int32Array(1024);
  length = 0;

  push(end: number, state: number): void {
    this.reserve(2);
    this.data[this.length++] = end;
    this.data[this.length++] = state;
  }

  append(other: HitBuffer): void {
    this.reserve(other.length);
    this.data.set(other.data.subarray(0, other.length), this.length);
    this.length += other.length;
  }

  private reserve(more: number): void {
    if (this.length + more <= this.data.length) return;
    const grown = new Int32Array(Math.max(this.data.length * 2, this.length + more));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }
}

/** Below this many characters a text is scanned in one lane; splitting it would not pay. */
const TWO_LANES_FROM = 256;

/**
 * Finds where keywords end in a text. Holds its buffers between texts, so it is not reentrant: one
 * per engine.
 */
export class KeywordScanner {
  readonly table: KeywordTable;
  private readonly loops: ReturnType<typeof scanLoops>;
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private readonly hits = new HitBuffer();
  /** The second lane's hits, held until the first lane's are all in. */
  private readonly later = new HitBuffer();

  constructor(keywords: readonly string[]) {
    this.table = buildKeywordTable(keywords);
    this.loops = scanLoops(this.table);
  }

  /**
   * Every position where a keyword ends, in order, with the automaton's state there (pairs in one
   * buffer, valid until the next call).
   *
   * The text's UTF-16 code units are first truncated to bytes: reading a typed array is faster than
   * `charCodeAt`, and offsets stay those of the string. Truncation can make a non-ASCII character look
   * like a keyword letter, which only costs a failed pattern attempt; it cannot hide a keyword, whose
   * characters are all ASCII and come through unchanged.
   *
   * Long texts are read in two halves at once: each step of an automaton waits on the load of the one
   * before, so a second, independent automaton uses the gaps. The second half starts reading one
   * keyword-length early, so a keyword that straddles the middle is found, and found once.
   */
  scan(text: string): HitBuffer {
    const length = text.length;
    this.hits.length = 0;
    this.later.length = 0;
    if (this.bytes.length < length) this.bytes = Buffer.allocUnsafe(Math.max(length, this.bytes.length * 2));
    this.bytes.write(text, 0, length, 'latin1');
    if (length < TWO_LANES_FROM) this.loops.oneLane(this.bytes, length, this.hits);
    else {
      this.loops.twoLanes(this.bytes, length, this.hits, this.later);
      this.hits.append(this.later);
    }
    return this.hits;
  }
}

/**
 * The scan loops, as closures over one table's arrays. V8 specializes a function to the one closure
 * made of it, so the arrays become constants in the machine code; passed as arguments instead, they
 * take registers the loop needs, and the loop runs at about 60% of the speed.
 */
function scanLoops(table: KeywordTable): { oneLane(bytes: Uint8Array, length: number, hits: HitBuffer): void; twoLanes(bytes: Uint8Array, length: number, hits: HitBuffer, later: HitBuffer): void } {
  const { classOf, next, firstOutput, longest } = table;
  return {
    oneLane(bytes, length, hits) {
      let s = 0;
      for (let i = 0; i < length; i++) {
        s = next[s + (classOf[bytes[i] as number] as number)] as number;
        if (s >= firstOutput) hits.push(i, s);
      }
    },
    twoLanes(bytes, length, hits, later) {
      const half = length >> 1;
      let b = 0;
      for (let i = Math.max(0, half - longest + 1); i < half; i++) b = next[b + (classOf[bytes[i] as number] as number)] as number;
      let a = 0;
      for (let i = 0; i < half; i++) {
        a = next[a + (classOf[bytes[i] as number] as number)] as number;
        b = next[b + (classOf[bytes[half + i] as number] as number)] as number;
        if (a >= firstOutput) hits.push(i, a);
        if (b >= firstOutput) later.push(half + i, b);
      }
      for (let i = 2 * half; i < length; i++) {
        b = next[b + (classOf[bytes[i] as number] as number)] as number;
        if (b >= firstOutput) later.push(i, b);
      }
    },
  };
}
