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
const END = 0x0b;
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

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const get = (local: number): number[] => [LOCAL_GET, ...uleb(local)];
const set = (local: number): number[] => [LOCAL_SET, ...uleb(local)];
const i32 = (n: number): number[] => [I32_CONST, ...sleb(n)];
/** `i32.load` / `i32.store` with 4-byte alignment at a constant offset. */
const load = (offset: number): number[] => [I32_LOAD, 2, ...uleb(offset)];
const store = (offset: number): number[] => [I32_STORE, 2, ...uleb(offset)];
const addTo = (local: number, n: number): number[] => [...get(local), ...i32(n), I32_ADD, ...set(local)];

/** `CLASS[byte at ptr]`, from a table of bytes or, when `wide`, of 16-bit entries. */
const classAt = (ptr: number, wide: boolean): number[] =>
  wide
    ? [...get(ptr), I32_LOAD8_U, 0, 0, ...i32(1), I32_SHL, I32_LOAD16_U, 1, ...uleb(CLASS)]
    : [...get(ptr), I32_LOAD8_U, 0, 0, I32_LOAD8_U, 0, ...uleb(CLASS)];

/** `state = NEXT[state + CLASS[byte at ptr]]`: one automaton step. */
const step = (state: number, ptr: number, wide: boolean): number[] => [...get(state), ...classAt(ptr, wide), I32_ADD, ...load(NEXT), ...set(state)];

/** If `state` ends a keyword, append (ptr + delta, state / 4) at `hits` and advance it. */
const record = (state: number, ptr: number, hits: number, delta: number, first: number): number[] => [
  ...get(state), ...get(first), I32_GE_U, IF, VOID,
  ...get(hits), ...get(ptr), ...get(delta), I32_ADD, ...store(0),
  ...get(hits), ...get(state), ...i32(2), I32_SHR_U, ...store(4),
  ...addTo(hits, 8),
  END,
];

/** `while (ptr < end) { body; ptr++ }` */
const loopUntil = (ptr: number, end: number, body: number[]): number[] => [
  BLOCK, VOID, LOOP, VOID,
  ...get(ptr), ...get(end), I32_GE_U, BR_IF, 1,
  ...body,
  ...addTo(ptr, 1),
  BR, 0, END, END,
];

interface Func {
  name: string;
  params: number;
  locals: number;
  body: number[];
}

function functions(wide: boolean): Func[] {
  // walk(ptr, end, state) -> state: run the automaton without recording (a lane's warm-up).
  const walk: Func = { name: 'walk', params: 3, locals: 0, body: [...loopUntil(0, 1, step(2, 0, wide)), ...get(2)] };

  // lane1(ptr, end, state, hits, delta, first) -> state; the hit list's end goes to HIT_ENDS[0].
  const lane1: Func = {
    name: 'lane1',
    params: 6,
    locals: 0,
    body: [...loopUntil(0, 1, [...step(2, 0, wide), ...record(2, 0, 3, 4, 5)]), ...i32(HIT_ENDS), ...get(3), ...store(0), ...get(2)],
  };

  // lane4(ptr, quarter, a, b, c, d, h0, h1, h2, h3, delta, first) -> d: four automata over the four
  // quarters that start at ptr, each recording into its own list; list ends go to HIT_ENDS[0..3].
  const [P, Q, A, B, C, D, H0, H1, H2, H3, DELTA, FIRST] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [END_PTR, PB, PC, PD] = [12, 13, 14, 15];
  const lane4: Func = {
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

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

const utf8 = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'utf8')];

/** The module's bytes: types, an imported memory (`env.memory`), three functions, their exports and code. */
function moduleBytes(wide: boolean): Uint8Array<ArrayBuffer> {
  const FUNCS = functions(wide);
  const types = FUNCS.map((f) => [0x60, ...uleb(f.params), ...new Array<number>(f.params).fill(I32), 1, I32]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector([[...utf8('env'), ...utf8('memory'), 0x02, 0x00, 1]])),
    ...section(3, vector(FUNCS.map((_, i) => uleb(i)))),
    ...section(7, vector(FUNCS.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)]))),
    ...section(
      10,
      vector(
        FUNCS.map((f) => {
          const body = [...(f.locals > 0 ? vector([[...uleb(f.locals), I32]]) : [0]), ...f.body, END];
          return [...uleb(body.length), ...body];
        }),
      ),
    ),
  ];
  return new Uint8Array(bytes);
}

const compiled = new Map<boolean, WebAssembly.Module | null>();

/** The compiled module, or null where WebAssembly is unavailable (`node --jitless`). */
function wasmModule(wide: boolean): WebAssembly.Module | null {
  let module = compiled.get(wide);
  if (module === undefined) {
    try {
      module = new WebAssembly.Module(moduleBytes(wide));
    } catch {
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

/** A keyword table as the WebAssembly loops read it. */
export interface WasmTable {
  /** Character code (0-255) -> column. */
  classOf: Uint8Array;
  /** Row-major transitions, premultiplied by `width`. */
  next: Int32Array;
  width: number;
  firstOutput: number;
  longest: number;
}

/** Receives (position, state) pairs as the loops produce them, in text order. */
export interface HitSink {
  appendRange(from: Int32Array, start: number, end: number): void;
}

/**
 * One instance of the loops with its own memory, holding one table. Not reentrant, like the scanner
 * that owns it.
 */
export class WasmKeywordLoops {
  private readonly walk: (ptr: number, end: number, state: number) => number;
  private readonly lane1: (ptr: number, end: number, state: number, hits: number, delta: number, first: number) => number;
  private readonly lane4: (...args: number[]) => number;
  private readonly memory: WebAssembly.Memory;
  private bytes: Buffer;
  private words: Int32Array;
  /** The lanes' hit lists, after the text; they move when the text's room grows. */
  private hits: [number, number, number, number] = [0, 0, 0, 0];
  /** Where text goes, right after the table. */
  private readonly text: number;
  /** Room for text before the hit lists. */
  private room = 0;
  private readonly first: number;
  private readonly longest: number;
  /** Below this many characters a chunk runs in one lane: each lane needs `longest - 1` characters of warm-up. */
  private readonly lanesFrom: number;
  /** Length of the text held whole in memory since the last scan, or -1. */
  private resident = -1;

  private constructor(module: WebAssembly.Module, table: WasmTable, wide: boolean) {
    this.text = NEXT + table.next.length * 4 + 64;
    this.memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    const exports = instance.exports as Record<string, (...args: number[]) => number>;
    this.walk = exports['walk'] as WasmKeywordLoops['walk'];
    this.lane1 = exports['lane1'] as WasmKeywordLoops['lane1'];
    this.lane4 = exports['lane4'] as WasmKeywordLoops['lane4'];
    this.bytes = Buffer.from(this.memory.buffer);
    this.words = new Int32Array(this.memory.buffer);
    this.ensure(CHUNK);
    const classes = wide ? new Uint16Array(this.memory.buffer, CLASS, 256) : new Uint8Array(this.memory.buffer, CLASS, 256);
    for (let b = 0; b < 256; b++) classes[b] = (table.classOf[b] as number) * 4;
    // JavaScript states are row offsets in entries; here they are in bytes.
    for (let k = 0; k < table.next.length; k++) this.words[(NEXT >> 2) + k] = (table.next[k] as number) * 4;
    this.first = table.firstOutput * 4;
    this.longest = table.longest;
    this.lanesFrom = Math.max(256, 4 * table.longest);
  }

  /**
   * A lane's state at `ptr` after reading only the `longest - 1` characters before it (inside the
   * chunk: a chunk long enough for lanes has quarters longer than that): the same as after all of
   * them, for any keyword that ends at or after `ptr`.
   */
  private warm(ptr: number): number {
    return this.walk(ptr - this.longest + 1, ptr, 0);
  }

  /** Loops for `table`, or null where WebAssembly cannot run. */
  static create(table: WasmTable): WasmKeywordLoops | null {
    const wide = table.width * 4 > 0xff;
    const module = wasmModule(wide);
    return module === null ? null : new WasmKeywordLoops(module, table, wide);
  }

  /**
   * Makes room for `textBytes` of text, moving the hit lists past it and growing the memory; views
   * made before a growth are stale, so they are made again.
   */
  private ensure(textBytes: number): void {
    if (textBytes <= this.room) return;
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
  textBytes(): Uint8Array | null {
    return this.resident === -1 ? null : new Uint8Array(this.memory.buffer, this.text, this.resident);
  }

  /**
   * Every keyword end in `text`, in order, into `sink`. The loops run over chunks, the automaton's state
   * carried across; within a chunk, four lanes each start `longest - 1` characters early, which is
   * enough context to be in the same state as one lane reading from the start.
   */
  scan(text: string, sink: HitSink): void {
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
        sink.appendRange(this.words, h0 >> 2, (this.words[HIT_ENDS >> 2] as number) >> 2);
        continue;
      }
      const q = length >> 2;
      const d = this.lane4(at, q, state, this.warm(at + q), this.warm(at + 2 * q), this.warm(at + 3 * q), h0, h1, h2, h3, delta, first);
      const { words } = this;
      const e0 = words[HIT_ENDS >> 2] as number;
      const e1 = words[(HIT_ENDS >> 2) + 1] as number;
      const e2 = words[(HIT_ENDS >> 2) + 2] as number;
      // The last lane runs on over the chunk's remainder (fewer than four characters), into its own list.
      state = this.lane1(at + 4 * q, at + length, d, words[(HIT_ENDS >> 2) + 3] as number, delta, first);
      sink.appendRange(words, h0 >> 2, e0 >> 2);
      sink.appendRange(words, h1 >> 2, e1 >> 2);
      sink.appendRange(words, h2 >> 2, e2 >> 2);
      sink.appendRange(words, h3 >> 2, (words[HIT_ENDS >> 2] as number) >> 2);
    }
  }
}
