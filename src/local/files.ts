/**
 * Walks local files and directories for the CLI, one file in memory at a time so that scanning a large
 * tree keeps memory flat.
 */
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ScanStats } from '../report/model.js';
import type { Engine } from '../scan/engine.js';
import type { PathFilter } from '../scan/path-filter.js';
import { addStats, BINARY_SNIFF_BYTES, emptyStats, scanText } from '../scan/scanner.js';
import type { Finding } from '../scan/types.js';

/** Files larger than this are skipped by default: generated data, not code someone pastes a key into. */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Why a file was passed over. `outside`: a symlink pointing out of the tree; `unreadable`: an I/O error. */
export type SkipReason = 'ignored' | 'binary' | 'tooLarge' | 'outside' | 'unreadable';

export interface WalkOptions {
  /** Paths are reported relative to this directory. Default: the current directory. */
  root?: string;
  /** Return false to skip a path (see `PathFilter`; directories are asked with a trailing `/`). */
  filter?: PathFilter;
  /** Default DEFAULT_MAX_FILE_BYTES. */
  maxFileBytes?: number;
  /** Told about each file passed over (pruned ignored directories are not walked, so not reported). */
  onSkip?: (path: string, reason: SkipReason) => void;
}

export interface WalkedFile {
  /** Relative to the root, forward slashes (`../` when the file lies outside the root). */
  path: string;
  text: string;
  bytes: number;
}

/**
 * Yields the text files under the given files and directories, in name order: skips `.git`, ignored
 * paths, binary files (a NUL in the first 8 KiB; UTF-16 with a byte-order mark is decoded, not skipped)
 * and files over the size cap. Symlinks are followed only when their target stays inside the walked
 * tree, and each real file is yielded once.
 *
 * @throws Error naming the path when a given path does not exist.
 */
export async function* walkFiles(paths: readonly string[], options: WalkOptions = {}): AsyncGenerator<WalkedFile> {
  const root = path.resolve(options.root ?? process.cwd());
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  const skip = (abs: string, reason: SkipReason): void => options.onSkip?.(relative(root, abs), reason);
  const allowed = (abs: string, isDir: boolean): boolean => {
    if (options.filter === undefined) return true;
    const rel = relative(root, abs);
    return options.filter(isDir ? `${rel}/` : rel);
  };

  async function* visitFile(abs: string, real: string): AsyncGenerator<WalkedFile> {
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    if (!allowed(abs, false)) return skip(abs, 'ignored');
    const read = await readTextFile(real, maxBytes);
    if (typeof read === 'string') return skip(abs, read);
    yield { path: relative(root, abs), text: read.text, bytes: read.bytes };
  }

  async function* visitDir(abs: string, real: string, tree: string): AsyncGenerator<WalkedFile> {
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    let entries;
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch {
      return skip(abs, 'unreadable');
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const child = path.join(abs, entry.name);
      if (entry.isDirectory()) {
        if (allowed(child, true)) yield* visitDir(child, path.join(real, entry.name), tree);
      } else if (entry.isFile()) {
        yield* visitFile(child, path.join(real, entry.name));
      } else if (entry.isSymbolicLink()) {
        yield* visitLink(child, tree);
      }
    }
  }

  async function* visitLink(abs: string, tree: string): AsyncGenerator<WalkedFile> {
    let target: string;
    let isDir: boolean;
    try {
      target = await realpath(abs);
      isDir = (await stat(target)).isDirectory();
    } catch {
      return skip(abs, 'unreadable'); // a dangling link
    }
    if (!isInside(tree, target)) return skip(abs, 'outside');
    if (isDir) {
      if (allowed(abs, true)) yield* visitDir(abs, target, tree);
    } else {
      yield* visitFile(abs, target);
    }
  }

  for (const given of paths) {
    const abs = path.resolve(root, given);
    let info;
    try {
      info = await lstat(abs);
    } catch {
      throw new Error(`Path not found: ${given}`);
    }
    // A path named on the command line is followed even if it is a link: the user chose it.
    const real = await realpath(abs);
    const isDir = info.isSymbolicLink() ? (await stat(real)).isDirectory() : info.isDirectory();
    if (isDir) yield* visitDir(abs, real, real);
    else yield* visitFile(abs, real);
  }
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

/**
 * Scans local files and directories whole (source `file`) with the engine: the CLI's default mode.
 * Symlinks pointing out of the tree are counted as `ignored`.
 */
export async function scanFiles(engine: Engine, paths: readonly string[], options: FileScanOptions = {}): Promise<FileScanResult> {
  const started = performance.now();
  const stats = emptyStats();
  const skipped = stats.skipped as NonNullable<ScanStats['skipped']>;
  const unreadable: string[] = [];
  const findings: Finding[] = [];
  const onSkip = (p: string, reason: SkipReason): void => {
    if (reason === 'unreadable') unreadable.push(p);
    else if (reason === 'outside') skipped.ignored = (skipped.ignored ?? 0) + 1;
    else skipped[reason] = (skipped[reason] ?? 0) + 1;
    options.onSkip?.(p, reason);
  };
  for await (const file of walkFiles(paths, { ...options, onSkip })) {
    const result = scanText(engine, file.path, file.text);
    addStats(stats, result.stats);
    stats.bytes += file.bytes - result.stats.bytes; // count bytes on disk, not re-encoded text
    for (const f of result.findings) {
      findings.push(f);
      options.onFinding?.(f);
    }
  }
  stats.durationMs = performance.now() - started;
  const notes: string[] = [];
  if (unreadable.length > 0) {
    const shown = unreadable.slice(0, 5).join(', ');
    notes.push(`${unreadable.length} path(s) could not be read and were not scanned: ${shown}${unreadable.length > 5 ? ', …' : ''}.`);
  }
  return { findings, stats, notes };
}

/** Reads a file if it is a text file within the size cap; otherwise says why not. */
async function readTextFile(file: string, maxBytes: number): Promise<{ text: string; bytes: number } | SkipReason> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return 'unreadable';
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) return 'tooLarge';
    const buf = await handle.readFile();
    if (buf.length > maxBytes) return 'tooLarge'; // grew since the stat
    const text = decode(buf);
    return text === undefined ? 'binary' : { text, bytes: buf.length };
  } catch {
    return 'unreadable';
  } finally {
    await handle.close();
  }
}

/** UTF-8 text, UTF-16 text with a byte-order mark, or undefined for binary content. */
function decode(buf: Buffer): string | undefined {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  const sniff = buf.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) return undefined;
  return buf.toString('utf8');
}

function isInside(tree: string, target: string): boolean {
  const rel = path.relative(tree, target);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function relative(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  return (rel === '' ? path.basename(abs) : rel).split(path.sep).join('/');
}
