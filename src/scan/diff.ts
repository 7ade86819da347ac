/**
 * A unified-diff reader that keeps only what a secret scanner needs: for each file, the lines the change
 * ADDS, with their line numbers in the new file. It reads `git diff`, `git log -p`, `git show` (including
 * merge commits' combined diffs) and plain `diff -u` output, and GitHub's per-file `patch` field.
 *
 * Hunks are read by their header counts, never by guessing from a line's first character, so a content
 * line such as `--- a/x` or `diff --git` inside a hunk is content. Every line is looked at a bounded number
 * of times and no regular expression runs over a content line, which keeps hostile input linear.
 */

export type DiffFileStatus = 'added' | 'modified' | 'deleted' | 'renamed';

/** The added lines of one file: exactly what `engine.scan({ path, text: addedText, lineNumbers, source })` takes. */
export interface AddedLines {
  /** The added lines joined by `\n` (no trailing newline; CRs of CRLF files removed). */
  addedText: string;
  /** New-file line number (1-based) of each line of `addedText`, ascending. */
  lineNumbers: number[];
}

export interface DiffFile extends AddedLines {
  /** The file's path after the change, without `a/`/`b/` prefixes; for a deleted file, the path it had. */
  path: string;
  /** The path before the change: differs from `path` for renames and copies. */
  oldPath: string;
  /** A copy (`copy from`/`copy to`) is reported as `added`, with `oldPath` naming its source. */
  status: DiffFileStatus;
  /** Git said `Binary files … differ` or sent a `GIT binary patch`: there are no lines to scan. */
  binary: boolean;
  /** The commit whose diff this is, when the input is `git log -p`/`git show` output. */
  commit?: string;
}

/** The input is not a diff this parser understands; `line` is the 1-based input line it stopped at. */
export class DiffParseError extends Error {
  readonly line: number;
  constructor(line: number, problem: string) {
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
export function parseUnifiedDiff(text: string): DiffFile[] {
  const files: DiffFile[] = [];
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
export function parsePatch(patch: string): AddedLines {
  const added = new AddedCollector();
  const hunk = new HunkReader();
  let lineNo = 0;
  forEachLine(patch, (raw) => {
    lineNo++;
    const line = stripCr(raw);
    if (hunk.active) {
      hunk.read(line, lineNo, added);
    } else if (line.startsWith('@@')) {
      hunk.start(line, lineNo);
    } else if (line.startsWith('\\') || line === '') {
      // "\ No newline at end of file" after a hunk's last line; blank lines between hunks carry nothing.
    } else {
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
export class DiffParser {
  private lineNo = 0;
  private file: FileBuilder | undefined;
  private commit: string | undefined;
  private readonly hunk = new HunkReader();
  /** Set after `---` until the `+++` that must follow it. */
  private pendingOld: { name: string; line: number } | undefined;

  constructor(private readonly onFile: (file: DiffFile) => void) {}

  /** Feeds one line. @throws DiffParseError */
  push(raw: string): void {
    this.lineNo++;
    const line = stripCr(raw);
    const file = this.file;
    if (this.hunk.active && file !== undefined) {
      this.hunk.read(line, this.lineNo, file.added);
      return;
    }
    if (this.pendingOld !== undefined) {
      if (!line.startsWith('+++ ')) throw new DiffParseError(this.lineNo, 'expected a "+++ " line after the "--- " line');
      this.filePaths(this.pendingOld.name, parsePathField(line.slice(4), this.lineNo));
      this.pendingOld = undefined;
      return;
    }
    if (line.startsWith('@@')) {
      if (file === undefined) throw new DiffParseError(this.lineNo, 'hunk header before any file header');
      if (file.binary) throw new DiffParseError(this.lineNo, 'hunk in a binary file');
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
      (this.file as FileBuilder).setBoth(name);
      return;
    }
    if (line.startsWith('--- ')) {
      const name = parsePathField(line.slice(4), this.lineNo);
      // In a git block the ---/+++ pair follows the extended headers; anywhere else it opens a plain diff.
      if (file === undefined || !file.git || file.sawHunk || file.sawOldNew) this.startFile(false);
      this.pendingOld = { name, line: this.lineNo };
      return;
    }
    if (file !== undefined && file.git && !file.sawHunk && this.gitExtendedHeader(line, file)) return;
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
  end(): void {
    if (this.pendingOld !== undefined) throw new DiffParseError(this.pendingOld.line, 'the input ends after a "--- " line');
    this.hunk.finish(this.lineNo);
    this.flush();
  }

  private startFile(git: boolean): void {
    this.flush();
    this.file = new FileBuilder(git);
  }

  private flush(): void {
    if (this.file === undefined) return;
    const built = this.file.build();
    this.file = undefined;
    if (built !== undefined) {
      if (this.commit !== undefined) built.commit = this.commit;
      this.onFile(built);
    }
  }

  private headerNames(names: [string, string] | undefined): void {
    if (names !== undefined) (this.file as FileBuilder).setHeader(names[0], names[1]);
  }

  private filePaths(oldName: string, newName: string): void {
    (this.file as FileBuilder).setOldNew(oldName, newName);
  }

  /** Reads git's extended header lines; false when the line is not one of them. */
  private gitExtendedHeader(line: string, file: FileBuilder): boolean {
    const field = (prefix: string): string | undefined =>
      line.startsWith(prefix) ? parsePathField(line.slice(prefix.length), this.lineNo) : undefined;
    if (line.startsWith('new file mode ')) file.status = 'added';
    else if (line.startsWith('deleted file mode ')) file.status = 'deleted';
    else if (line.startsWith('rename from ')) file.renameFrom = field('rename from ');
    else if (line.startsWith('rename to ')) file.renameTo = field('rename to ');
    else if (line.startsWith('copy from ')) file.copyFrom = field('copy from ');
    else if (line.startsWith('copy to ')) file.copyTo = field('copy to ');
    else if (line === 'GIT binary patch') file.binary = true;
    else if (line.startsWith('Binary files ') && line.endsWith(' differ')) {
      file.binary = true;
      if (line.startsWith('Binary files /dev/null ')) file.status = 'added';
      if (line.endsWith(' and /dev/null differ')) file.status = 'deleted';
    } else return false;
    return true;
  }
}

class FileBuilder {
  status: DiffFileStatus = 'modified';
  binary = false;
  sawHunk = false;
  sawOldNew = false;
  renameFrom: string | undefined;
  renameTo: string | undefined;
  copyFrom: string | undefined;
  copyTo: string | undefined;
  readonly added = new AddedCollector();
  private headerOld: string | undefined;
  private headerNew: string | undefined;
  private oldName: string | undefined;
  private newName: string | undefined;

  constructor(readonly git: boolean) {}

  setHeader(oldName: string, newName: string): void {
    this.headerOld = oldName;
    this.headerNew = newName;
  }

  setBoth(name: string): void {
    // Combined diffs name the file once, without a prefix.
    this.renameFrom = name;
    this.renameTo = name;
  }

  setOldNew(oldName: string, newName: string): void {
    this.sawOldNew = true;
    this.oldName = oldName;
    this.newName = newName;
    if (oldName === DEV_NULL) this.status = 'added';
    if (newName === DEV_NULL) this.status = 'deleted';
  }

  build(): DiffFile | undefined {
    const [srcPrefix, dstPrefix] = this.prefixes();
    const strip = (name: string | undefined, prefix: string): string | undefined =>
      name === undefined || name === DEV_NULL ? undefined : name.startsWith(prefix) ? name.slice(prefix.length) : name;
    const oldFromLines = strip(this.oldName, srcPrefix) ?? strip(this.headerOld, srcPrefix);
    const newFromLines = strip(this.newName, dstPrefix) ?? strip(this.headerNew, dstPrefix);
    const newPath = this.renameTo ?? this.copyTo ?? newFromLines ?? oldFromLines;
    const oldPath = this.renameFrom ?? this.copyFrom ?? oldFromLines ?? newPath;
    if (newPath === undefined || oldPath === undefined) return undefined;
    let status = this.status;
    if (this.copyFrom !== undefined) status = 'added';
    else if (status === 'modified' && oldPath !== newPath && this.git) status = 'renamed';
    const path = status === 'deleted' ? oldPath : newPath;
    return { path, oldPath, status, binary: this.binary, ...this.added.result() };
  }

  /**
   * The prefixes to strip. Git writes `a/` and `b/` unless configured otherwise (`diff.noprefix`,
   * `diff.mnemonicPrefix`); the `diff --git` line shows which, since both names there are the same path
   * behind its prefix. A plain diff has prefixes only when both sides show them.
   */
  private prefixes(): [string, string] {
    const o = this.headerOld ?? this.oldName;
    const n = this.headerNew ?? this.newName;
    if (o === undefined || n === undefined) return ['', ''];
    if (this.git && this.headerOld !== undefined && this.headerNew !== undefined) {
      if (o === n) return ['', ''];
      if (isLetterPrefixed(o) && isLetterPrefixed(n)) return [o.slice(0, 2), n.slice(0, 2)];
      return ['', ''];
    }
    const hasA = o === DEV_NULL || o.startsWith('a/');
    const hasB = n === DEV_NULL || n.startsWith('b/');
    return hasA && hasB ? ['a/', 'b/'] : ['', ''];
  }
}

const DEV_NULL = '/dev/null';

function isLetterPrefixed(name: string): boolean {
  const c = name.charCodeAt(0);
  return name.length > 2 && name[1] === '/' && c >= 97 && c <= 122;
}

class AddedCollector {
  private readonly lines: string[] = [];
  private readonly numbers: number[] = [];
  add(text: string, lineNumber: number): void {
    this.lines.push(text);
    this.numbers.push(lineNumber);
  }
  result(): AddedLines {
    return { addedText: this.lines.join('\n'), lineNumbers: this.numbers };
  }
}

/**
 * Reads one hunk by its header counts. Plain hunks (`@@ -a,b +c,d @@`) have one marker column; combined
 * hunks of merge commits (`@@@ -a,b -c,d +e,f @@@`) have one per parent.
 */
class HunkReader {
  active = false;
  private parents = 1;
  private oldRemaining: number[] = [];
  private newRemaining = 0;
  private newLine = 0;
  private startLine = 0;

  start(header: string, lineNo: number): void {
    const parsed = parseHunkHeader(header, lineNo);
    this.parents = parsed.oldCounts.length;
    this.oldRemaining = parsed.oldCounts;
    this.newRemaining = parsed.newCount;
    this.newLine = parsed.newStart;
    this.startLine = lineNo;
    this.active = !this.done();
  }

  read(line: string, lineNo: number, added: AddedCollector): void {
    if (line.startsWith('\\')) return; // "\ No newline at end of file": not a line of either file
    const n = this.parents;
    // Some tools strip the single space of an empty context line; git apply accepts that too.
    const marks = line.length === 0 ? ' '.repeat(n) : line.slice(0, n);
    if (marks.length < n) throw new DiffParseError(lineNo, `hunk line shorter than its ${n} marker columns`);
    let minus = false;
    let allPlus = true;
    for (let i = 0; i < n; i++) {
      const m = marks[i];
      if (m === '-') minus = true;
      else if (m !== '+' && m !== ' ') throw new DiffParseError(lineNo, `unexpected line in a hunk (expected " ", "+", "-" or "\\" in column ${i + 1})`);
      if (m !== '+') allPlus = false;
    }
    if (minus) {
      // A line absent from the result: it counts for each parent that has it.
      for (let i = 0; i < n; i++) {
        const m = marks[i];
        if (m === '+') throw new DiffParseError(lineNo, 'hunk line marked both added and removed');
        if (m === '-') this.take(i, lineNo);
      }
    } else {
      if (this.newRemaining <= 0) throw new DiffParseError(lineNo, `hunk has more new-file lines than its header (line ${this.startLine}) says`);
      this.newRemaining--;
      // In a merge, a line is new only if no parent had it; lines taken from one side were added by that side's commits.
      if (allPlus) added.add(line.slice(n), this.newLine);
      this.newLine++;
      for (let i = 0; i < n; i++) if (marks[i] === ' ') this.take(i, lineNo);
    }
    if (this.done()) this.active = false;
  }

  /** @throws DiffParseError when the input ends inside this hunk. */
  finish(lastLine: number): void {
    if (!this.active) return;
    this.active = false;
    throw new DiffParseError(lastLine, `hunk started at line ${this.startLine} ends early: ${this.newRemaining} new-file line(s) and ${this.oldRemaining.reduce((a, b) => a + b, 0)} old-file line(s) missing`);
  }

  private take(parent: number, lineNo: number): void {
    const left = this.oldRemaining[parent] ?? 0;
    if (left <= 0) throw new DiffParseError(lineNo, `hunk has more old-file lines than its header (line ${this.startLine}) says`);
    this.oldRemaining[parent] = left - 1;
  }

  private done(): boolean {
    return this.newRemaining === 0 && this.oldRemaining.every((c) => c === 0);
  }
}

/** Parses `@@ -a[,b] +c[,d] @@` (or its combined form with more `@` and more `-` ranges) by hand. */
function parseHunkHeader(header: string, lineNo: number): { oldCounts: number[]; newStart: number; newCount: number } {
  const bad = (): DiffParseError => new DiffParseError(lineNo, 'bad hunk header (expected "@@ -a,b +c,d @@")');
  let at = 0;
  while (at < header.length && header[at] === '@') at++;
  const ats = at;
  if (ats < 2 || ats > 32 || header[at] !== ' ') throw bad();
  const oldCounts: number[] = [];
  let next: { start: number; count: number } | undefined;
  for (;;) {
    at++; // the space
    const sign = header[at];
    if (sign !== '-' && sign !== '+') throw bad();
    const range = readRange(header, at + 1);
    if (range === undefined) throw bad();
    at = range.end;
    if (sign === '-') oldCounts.push(range.count);
    else next = range;
    if (header[at] !== ' ') throw bad();
    if (sign === '+') break;
  }
  for (let i = 0; i < ats; i++) if (header[at + 1 + i] !== '@') throw bad();
  if (next === undefined || oldCounts.length !== ats - 1) throw bad();
  return { oldCounts, newStart: next.start, newCount: next.count };
}

/** Reads `start[,count]` at `from`; a missing count means 1. */
function readRange(s: string, from: number): { start: number; count: number; end: number } | undefined {
  const start = readNumber(s, from);
  if (start === undefined) return undefined;
  if (s[start.end] !== ',') return { start: start.value, count: 1, end: start.end };
  const count = readNumber(s, start.end + 1);
  if (count === undefined) return undefined;
  return { start: start.value, count: count.value, end: count.end };
}

function readNumber(s: string, from: number): { value: number; end: number } | undefined {
  let at = from;
  let value = 0;
  while (at < s.length && at - from < 10) {
    const c = s.charCodeAt(at);
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
    at++;
  }
  return at === from ? undefined : { value, end: at };
}

/** `commit <hex sha>` as git log and git show print it (optionally followed by decorations). */
function isCommitLine(line: string): boolean {
  let at = 7;
  while (at < line.length && at < 7 + 64 && isHex(line.charCodeAt(at))) at++;
  return at - 7 >= 7 && (at === line.length || line[at] === ' ');
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
}

/**
 * The path in a `---`/`+++`/`rename from` line: a C-quoted string, or the text up to the first tab (git
 * adds a tab after names with spaces; plain diffs put a timestamp there).
 */
function parsePathField(field: string, lineNo: number): string {
  if (field.startsWith('"')) return parseQuoted(field, 0, lineNo).value;
  const tab = field.indexOf('\t');
  return tab === -1 ? field : field.slice(0, tab);
}

/** The two names of a `diff --git` line, or undefined when they cannot be told apart (renames then name them). */
function parseGitHeaderNames(rest: string, lineNo: number): [string, string] | undefined {
  if (rest.startsWith('"')) {
    const first = parseQuoted(rest, 0, lineNo);
    const second = rest.slice(first.end + 1);
    return [first.value, parsePathField(second, lineNo)];
  }
  if (rest.endsWith('"')) {
    const open = rest.lastIndexOf(' "');
    if (open === -1) return undefined;
    return [rest.slice(0, open), parseQuoted(rest, open + 1, lineNo).value];
  }
  // Unquoted names may hold spaces; without a rename both are the same path behind same-length prefixes.
  if (rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2;
    const a = rest.slice(0, half);
    const b = rest.slice(half + 1);
    if (rest[half] === ' ' && (a === b || a.slice(2) === b.slice(2))) return [a, b];
  }
  const split = rest.indexOf(' b/');
  return split === -1 ? undefined : [rest.slice(0, split), rest.slice(split + 1)];
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Decodes a C-style quoted name as git writes it: octal escapes are UTF-8 bytes. */
function parseQuoted(s: string, from: number, lineNo: number): { value: string; end: number } {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  let at = from + 1;
  while (at < s.length) {
    const c = s[at] as string;
    if (c === '"') return { value: new TextDecoder().decode(new Uint8Array(bytes)), end: at + 1 };
    if (c !== '\\') {
      const code = s.codePointAt(at) as number;
      const ch = String.fromCodePoint(code);
      for (const b of encoder.encode(ch)) bytes.push(b);
      at += ch.length;
      continue;
    }
    const e = s[at + 1];
    if (e === undefined) break;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      bytes.push(simple);
      at += 2;
    } else if (e >= '0' && e <= '7') {
      let value = 0;
      let n = 0;
      while (n < 3 && (s[at + 1 + n] ?? '') >= '0' && (s[at + 1 + n] ?? '') <= '7') {
        value = value * 8 + Number(s[at + 1 + n]);
        n++;
      }
      bytes.push(value & 0xff);
      at += 1 + n;
    } else {
      throw new DiffParseError(lineNo, `unknown escape "\\${e}" in a quoted path`);
    }
  }
  throw new DiffParseError(lineNo, 'unterminated quoted path');
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Calls `fn` for each line; a final newline does not make an extra empty line. */
function forEachLine(text: string, fn: (line: string) => void): void {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    fn(text.slice(start, end));
    start = end + 1;
  }
}
