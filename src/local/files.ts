/**
 * Lists and reads local files for the CLI. Listing and reading are synchronous on purpose: a tree is
 * many small files, and each promise-based read costs four thread-pool round trips (open, stat, read,
 * close), which made the walk, not the engine, the bottleneck. Reading blocks only the thread that
 * scans, and the CLI scans on worker threads for large trees (see pool.ts).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import type { ScanStats } from '../report/model.js';
import type { Engine } from '../scan/engine.js';
import type { PathFilter } from '../scan/path-filter.js';
import { BINARY_SNIFF_BYTES, emptyStats } from '../scan/scanner.js';
import type { Finding } from '../scan/types.js';

/** Files larger than this are skipped by default: generated data, not code someone pastes a key into. */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Why a file was passed over. `outside`: a symlink pointing out of the tree; `unreadable`: an I/O error. */
export type SkipReason = 'ignored' | 'binary' | 'tooLarge' | 'outside' | 'unreadable';

/** A file passed over; `named` when the user gave its path on the command line, `size` when too large. */
export interface Skip {
  path: string;
  reason: SkipReason;
  size?: number;
  named?: boolean;
  /** A git submodule (counted as ignored): a repository of its own, scanned from inside it. */
  submodule?: boolean;
  /** A symbolic link to nothing (counted as ignored): a path with no text behind it, not a file left unread. */
  brokenLink?: boolean;
}

/** The files git would list in a work tree (tracked, plus untracked ones no ignore rule covers). */
export interface GitListing {
  /** The work tree's top directory, real path. */
  top: string;
  /** Paths relative to `top`, forward slashes, in git's (byte) order. */
  files: readonly string[];
  /**
   * For a path whose bytes are not UTF-8 (a Latin-1 name from an old checkout), its bytes, at the same
   * index as in `files`: the string there is only its readable form and opens nothing.
   */
  rawNames?: ReadonlyMap<number, Buffer>;
}

export interface WalkOptions {
  /** Paths are reported relative to this directory. Default: the current directory. */
  root?: string;
  /** Filter paths are relative to this directory (the repository root). Default: `root`. */
  filterRoot?: string;
  /** Return false to skip a path (see `PathFilter`; directories are asked with a trailing `/`). */
  filter?: PathFilter;
  /** Default DEFAULT_MAX_FILE_BYTES. */
  maxFileBytes?: number;
  /** When given, only these files are candidates (git-aware listing) and symlinks are not followed. */
  git?: GitListing;
  /** Told about each file passed over (pruned ignored directories are not walked, so not reported). */
  onSkip?: (path: string, reason: SkipReason) => void;
}

/** A file to read: `path` as reported, `abs` as opened. */
export interface ListedFile {
  path: string;
  abs: string;
  /** Given on the command line: a skip is the user's error, not a note. */
  named?: boolean;
  /** Open without following a final symlink (git tracks the link, not its target). */
  noFollow?: boolean;
  /** The bytes to open when the name is not UTF-8 (`abs` is then only its readable form). */
  absBytes?: Uint8Array;
}

export interface WalkedFile {
  /** Relative to the root, forward slashes (`../` when the file lies outside the root). */
  path: string;
  text: string;
  bytes: number;
}

/**
 * The text files under the given files and directories, in name order: skips `.git`, ignored paths,
 * binary files (a NUL in the first 8 KiB; UTF-16 with a byte-order mark is decoded, not skipped) and
 * files over the size cap. Symlinks are followed only when their target stays inside the walked tree,
 * and each real file is yielded once.
 *
 * @throws Error naming the path when a given path does not exist.
 */
export async function* walkFiles(paths: readonly string[], options: WalkOptions = {}): AsyncGenerator<WalkedFile> {
  const onSkip = (s: Skip): void => options.onSkip?.(s.path, s.reason);
  const files = listFiles(paths, { ...options, onSkip });
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  for (const file of files) {
    const read = readTextFile(file, maxBytes);
    if ('skip' in read) {
      if (read.skip !== undefined) onSkip(read.skip);
      continue;
    }
    yield { path: file.path, text: read.text, bytes: read.bytes };
  }
}

export interface ListOptions extends Omit<WalkOptions, 'onSkip' | 'maxFileBytes'> {
  onSkip?: (skip: Skip) => void;
  /** Told the count each time a file is added to the list: a caller may get ready for a long list early. */
  onListed?: (count: number) => void;
}

/**
 * Lists the files to read under the given paths, synchronously, in name order, applying the filter
 * (whole directories are pruned) and, with `git`, keeping only the files git lists.
 *
 * @throws Error naming the path when a given path does not exist.
 */
export function listFiles(paths: readonly string[], options: ListOptions = {}): ListedFile[] {
  const root = path.resolve(options.root ?? process.cwd());
  const filterRoot = path.resolve(options.filterRoot ?? root);
  const out: ListedFile[] = [];
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  const skip = (abs: string, reason: SkipReason, more?: Pick<Skip, 'brokenLink'>): void => options.onSkip?.({ path: relative(root, abs), reason, ...more });
  const allowed = (abs: string, isDir: boolean): boolean => {
    if (options.filter === undefined) return true;
    const rel = relative(filterRoot, abs);
    return options.filter(isDir ? `${rel}/` : rel);
  };

  const addFile = (abs: string, real: string, named: boolean, rel?: Rel, realBytes?: Buffer): void => {
    const key = seenKey(real, realBytes);
    if (seenFiles.has(key)) return;
    seenFiles.add(key);
    const shown = rel?.shown ?? relative(root, abs);
    if (options.filter !== undefined && !options.filter(rel?.filtered ?? relative(filterRoot, abs))) return options.onSkip?.({ path: shown, reason: 'ignored' });
    const file: ListedFile = named ? { path: shown, abs: real, named } : { path: shown, abs: real };
    if (realBytes !== undefined) file.absBytes = realBytes;
    out.push(file);
    options.onListed?.(out.length);
  };

  // Names that are not UTF-8 read back with U+FFFD in them and open nothing: such files are opened by
  // their bytes; a directory or link so named is reported unreadable rather than passed over in silence.
  const visitRawNames = (abs: string, real: string, tree: string, shownPrefix: string, filteredPrefix: string): void => {
    let raw;
    try {
      raw = readdirSync(abs, { withFileTypes: true, encoding: 'buffer' });
    } catch {
      return skip(abs, 'unreadable');
    }
    for (const entry of raw) {
      const bytes = entry.name as unknown as Buffer;
      const name = bytes.toString('utf8');
      if (!name.includes('\uFFFD')) continue; // seen by the caller
      const child = `${abs}${path.sep}${name}`;
      if (isUtf8(bytes)) {
        visitEntry(entry, name, abs, real, tree, shownPrefix, filteredPrefix); // a real U+FFFD in a UTF-8 name
        continue;
      }
      if (!entry.isFile()) {
        skip(child, 'unreadable');
        continue;
      }
      addFile(child, `${real}${path.sep}${name}`, false, { shown: shownPrefix + name, filtered: filteredPrefix + name }, childBytes(real, bytes));
    }
  };

  const visitDir = (abs: string, real: string, tree: string): void => {
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return skip(abs, 'unreadable');
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // Relative paths are built by joining names: path.relative per file cost more than reading small files.
    const shownDir = relative(root, abs);
    const filteredDir = relative(filterRoot, abs);
    const shownPrefix = abs === root ? '' : `${shownDir}/`;
    const filteredPrefix = abs === filterRoot ? '' : `${filteredDir}/`;
    let rawNames = false;
    for (const entry of entries) {
      if (entry.name.includes('\uFFFD')) rawNames = true;
      else visitEntry(entry, entry.name, abs, real, tree, shownPrefix, filteredPrefix);
    }
    if (rawNames) visitRawNames(abs, real, tree, shownPrefix, filteredPrefix);
  };

  // Links are followed once the real tree is walked: a file reachable both ways is then reported under
  // its own path (`golang.org/x/crypto/…`), not under a link's (`code.google.com/p/go.crypto/…`).
  const links: Array<{ abs: string; tree: string }> = [];

  const visitEntry = (entry: EntryKind, name: string, dir: string, real: string, tree: string, shownPrefix: string, filteredPrefix: string): void => {
    if (name === '.git') return;
    const child = `${dir}${path.sep}${name}`;
    if (entry.isDirectory()) {
      if (allowed(child, true)) visitDir(child, `${real}${path.sep}${name}`, tree);
    } else if (entry.isFile()) {
      addFile(child, `${real}${path.sep}${name}`, false, { shown: shownPrefix + name, filtered: filteredPrefix + name });
    } else if (entry.isSymbolicLink()) {
      links.push({ abs: child, tree });
    }
  };
  const visitLink = (abs: string, tree: string): void => {
    let target: string;
    let isDir: boolean;
    try {
      target = realpathSync(abs);
      isDir = statSync(target).isDirectory();
    } catch (error) {
      // A link to a path that does not exist (Debian's links to /usr/share/javascript, once unpacked
      // elsewhere) or to itself holds no text: a note, not a hole in the scan. Anything else is.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP') return skip(abs, 'ignored', { brokenLink: true });
      return skip(abs, 'unreadable');
    }
    if (!isInside(tree, target)) return skip(abs, 'outside');
    if (isDir) {
      if (allowed(abs, true)) visitDir(abs, target, tree);
    } else {
      addFile(abs, target, false);
    }
  };

  // Git-aware: the listing already left out ignored files; the filter still applies (config and defaults).
  const fromGit = (git: GitListing, abs: string, isDir: boolean): void => {
    const rel = path.relative(git.top, abs).split(path.sep).join('/');
    if (!isDir) {
      // A named file git ignores was refused by the CLI before listing; here it is simply one file.
      const file = path.join(git.top, rel);
      if (!seenFiles.has(file)) {
        seenFiles.add(file);
        out.push({ path: relative(root, file), abs: file, named: true, noFollow: true });
      }
      return;
    }
    const prefix = rel === '' ? '' : `${rel}/`;
    // Shown paths are relative to the root; when the root is the top or above it, joining is enough.
    const topFromRoot = relative(root, git.top);
    const shownPrefix = git.top === root ? '' : topFromRoot.startsWith('..') ? undefined : `${topFromRoot}/`;
    const filterFromTop = filterRoot === git.top;
    for (let i = 0; i < git.files.length; i++) {
      const f = git.files[i] as string;
      if (!f.startsWith(prefix)) continue;
      const file = `${git.top}${path.sep}${f.split('/').join(path.sep)}`;
      const raw = git.rawNames?.get(i);
      const key = seenKey(file, raw);
      if (seenFiles.has(key)) continue;
      seenFiles.add(key);
      const shown = shownPrefix !== undefined ? shownPrefix + f : relative(root, file);
      if (options.filter !== undefined && !options.filter(filterFromTop ? f : relative(filterRoot, file))) {
        options.onSkip?.({ path: shown, reason: 'ignored' });
        continue;
      }
      const absBytes = raw === undefined ? undefined : childBytes(git.top, raw);
      out.push(absBytes === undefined ? { path: shown, abs: file, noFollow: true } : { path: shown, abs: file, noFollow: true, absBytes });
      options.onListed?.(out.length);
    }
  };

  for (const given of paths) {
    const abs = path.resolve(root, given);
    // A path named on the command line is followed even if it is a link: the user chose it.
    const resolved = resolveNamedPath(abs);
    if (resolved === undefined) throw new Error(`Path not found: ${given}`);
    const { real, isDir } = resolved;
    if (options.git !== undefined) fromGit(options.git, real, isDir);
    else if (isDir) visitDir(abs, real, real);
    else addFile(abs, real, true);
  }
  // A linked directory may hold more links: the loop takes those too, as they are appended.
  for (const link of links) visitLink(link.abs, link.tree);
  return out;
}

/**
 * Where a path named on the command line leads, links followed, or undefined when nothing is there. A
 * pipe named through a link has no real path (`scan <(cmd)` names `/dev/fd/63`, a link to `pipe:[…]`)
 * but opens and reads like a file, so it is taken as it was named.
 */
export function resolveNamedPath(abs: string): { real: string; isDir: boolean } | undefined {
  let info;
  try {
    info = lstatSync(abs);
  } catch {
    return undefined;
  }
  try {
    const real = realpathSync(abs);
    return { real, isDir: info.isSymbolicLink() ? statSync(real).isDirectory() : info.isDirectory() };
  } catch {
    try {
      const target = statSync(abs);
      return target.isFIFO() || target.isCharacterDevice() ? { real: abs, isDir: false } : undefined;
    } catch {
      return undefined;
    }
  }
}

/** A file's key among those listed: its path, and its bytes when its name is not UTF-8 (two such names can read alike). */
function seenKey(file: string, bytes: Uint8Array | undefined): string {
  return bytes === undefined ? file : `${file}\0${Buffer.from(bytes).toString('hex')}`;
}

/** The bytes of `dir`/`name` for a name that is not UTF-8 (relative or whole, as `name` is). */
function childBytes(dir: string, name: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${dir}${path.sep}`), name]);
}

/** What a directory entry is (a `Dirent`, whichever encoding its name was read in). */
interface EntryKind {
  isDirectory(): boolean;
  isFile(): boolean;
  isSymbolicLink(): boolean;
}

/** A file's path as shown and as the filter sees it. */
interface Rel {
  shown: string;
  filtered: string;
}

// Not every platform has O_NOFOLLOW; without it a tracked symlink is found by an lstat first.
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const OPEN_NOFOLLOW = constants.O_RDONLY | O_NOFOLLOW;

/**
 * Files up to this size are read into one buffer kept from file to file; larger ones get a buffer of
 * their own, so a single big file does not stay in memory after it is scanned.
 */
const SHARED_BUFFER_MAX = 1024 * 1024;
let shared = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads a listed file if it is a text file within the size cap; otherwise says why not. A file git
 * listed but the work tree no longer has (deleted, not yet committed) gives `{ skip: undefined }`: there
 * is nothing to scan and nothing to report.
 *
 * open, fstat, read into a reused buffer, close, then decode: a stat by path before the read walked the
 * path a second time and cost a third of the read, and `readFileSync` allocates a new buffer per file.
 */
export function readTextFile(file: ListedFile, maxBytes: number): { text: string; bytes: number } | { skip: Skip | undefined } {
  const skipped = (reason: SkipReason, size?: number): { skip: Skip } => ({
    skip: { path: file.path, reason, ...(size !== undefined ? { size } : {}), ...(file.named === true ? { named: true } : {}) },
  });
  // Only a path git listed (opened without following links) can be a submodule; else a file that became a directory.
  const submodule = (): { skip: Skip } => ({ skip: { ...skipped('ignored').skip, submodule: true } });
  const noFollow = file.noFollow === true;
  // A worker receives the bytes as a plain Uint8Array (structured clone): viewed as a Buffer again to open.
  const where = file.absBytes === undefined ? file.abs : Buffer.from(file.absBytes.buffer, file.absBytes.byteOffset, file.absBytes.byteLength);
  let fd: number;
  try {
    if (noFollow && O_NOFOLLOW === 0 && lstatSync(where).isSymbolicLink()) return skipped('ignored');
    fd = openSync(where, noFollow ? OPEN_NOFOLLOW : constants.O_RDONLY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && noFollow) return { skip: undefined };
    if (code === 'ELOOP' && noFollow) return skipped('ignored'); // a tracked symlink: its text is a path
    if (code === 'EISDIR') return noFollow ? submodule() : skipped('ignored'); // where opening a directory fails
    return skipped('unreadable');
  }
  let bytes: Buffer;
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) return noFollow ? submodule() : skipped('ignored'); // git lists a submodule as one path, its directory
    if (info.size > maxBytes) return skipped('tooLarge', info.size);
    const read = readAll(fd, info.size, maxBytes);
    if (read === undefined) return skipped('tooLarge', info.size); // grew past the cap since the fstat
    bytes = read;
  } catch {
    return skipped('unreadable');
  } finally {
    closeSync(fd);
  }
  const text = decode(bytes);
  return text === undefined ? skipped('binary') : { text, bytes: bytes.length };
}

/**
 * The file's bytes to its end (its size may have changed since the fstat, and some files report none),
 * or undefined past `maxBytes`. A view of the shared buffer when they fit: valid until the next read.
 */
function readAll(fd: number, size: number, maxBytes: number): Buffer | undefined {
  // One byte more than the size, so that a file that has not grown is read to its end in one call.
  let buf = size < SHARED_BUFFER_MAX ? shared : Buffer.allocUnsafe(size + 1);
  if (buf.length < size + 1) buf = shared = Buffer.allocUnsafe(Math.min(SHARED_BUFFER_MAX, Math.max(size + 1, 2 * shared.length)));
  let length = 0;
  for (;;) {
    if (length === buf.length) {
      if (length > maxBytes) return undefined;
      const grown = Buffer.allocUnsafe(Math.min(2 * buf.length, maxBytes + 1));
      buf.copy(grown, 0, 0, length);
      buf = grown;
    }
    const n = readSync(fd, buf, length, buf.length - length, null);
    if (n === 0) break;
    length += n;
  }
  return length > maxBytes ? undefined : buf.subarray(0, length);
}

export interface FileScanOptions extends WalkOptions {
  /** Called for every finding as soon as it is made (e.g. to print progress). */
  onFinding?: (finding: Finding) => void;
}

export interface FileScanResult {
  findings: Finding[];
  stats: ScanStats;
  /** Plain sentences for the report, e.g. files that could not be read. */
  notes: string[];
}

/** What scanning a list of files gave: findings, counters and every file passed over. */
export interface ListScanResult {
  findings: Finding[];
  stats: ScanStats;
  skips: Skip[];
}

/** Reads and scans listed files one after the other in this thread (source `file`). */
export function scanListed(engine: Engine, files: readonly ListedFile[], maxBytes: number, onFile?: (bytes: number) => void): ListScanResult {
  const stats = emptyStats();
  const skips: Skip[] = [];
  const findings: Finding[] = [];
  for (const file of files) {
    const read = readTextFile(file, maxBytes);
    if ('skip' in read) {
      if (read.skip !== undefined) skips.push(read.skip);
      continue;
    }
    // The engine directly, not scanText: the text was checked for NULs when read, and its size is known.
    stats.files++;
    stats.bytes += read.bytes; // bytes on disk, not re-encoded text
    for (const f of engine.scan({ path: file.path, text: read.text, source: 'file' })) findings.push(f);
    onFile?.(read.bytes);
  }
  return { findings, stats, skips };
}

/** Adds skips to the counters of `stats` (`outside` counts as ignored; unreadable files are counted apart). */
export function countSkips(stats: ScanStats, skips: readonly Skip[]): void {
  const skipped = (stats.skipped ??= {});
  for (const s of skips) {
    if (s.reason === 'unreadable') skipped.unreadable = (skipped.unreadable ?? 0) + 1;
    else if (s.reason === 'outside') skipped.ignored = (skipped.ignored ?? 0) + 1;
    else skipped[s.reason] = (skipped[s.reason] ?? 0) + 1;
  }
}

/**
 * Scans local files and directories whole (source `file`) with the engine, in this thread.
 * Symlinks pointing out of the tree are counted as `ignored`.
 */
export async function scanFiles(engine: Engine, paths: readonly string[], options: FileScanOptions = {}): Promise<FileScanResult> {
  const started = performance.now();
  const listSkips: Skip[] = [];
  const files = listFiles(paths, { ...options, onSkip: (s) => listSkips.push(s) });
  const result = scanListed(engine, files, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const skips = [...listSkips, ...result.skips];
  for (const s of skips) options.onSkip?.(s.path, s.reason);
  for (const f of result.findings) options.onFinding?.(f);
  const stats = result.stats;
  countSkips(stats, skips.filter((s) => s.reason !== 'unreadable'));
  stats.durationMs = performance.now() - started;
  const unreadable = skips.filter((s) => s.reason === 'unreadable').map((s) => s.path);
  const notes: string[] = [];
  if (unreadable.length > 0) {
    const shown = unreadable.slice(0, 5).join(', ');
    notes.push(`${unreadable.length} path(s) could not be read and were not scanned: ${shown}${unreadable.length > 5 ? ', …' : ''}.`);
  }
  return { findings: result.findings, stats, notes };
}

/** UTF-8 text, UTF-16 text with a byte-order mark, or undefined for binary content. */
function decode(buf: Buffer): string | undefined {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  if (buf.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return undefined;
  return buf.toString('utf8');
}

/** Decodes bytes given whole (standard input) as a file would be: undefined when binary. */
export function decodeText(buf: Buffer): string | undefined {
  return decode(buf);
}

function isInside(tree: string, target: string): boolean {
  const rel = path.relative(tree, target);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function relative(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  return (rel === '' ? path.basename(abs) : rel).split(path.sep).join('/');
}
