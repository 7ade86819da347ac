#!/usr/bin/env node
/**
 * The local CLI: the same engine, config and renderers as the action, over files, a diff or a git range.
 * `main` takes its streams and working directory as arguments so tests run it in-process.
 */
import { closeSync, createReadStream, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import packageJson from '../package.json' with { type: 'json' };
import { buildEngine, loadConfig } from './config/load.js';
import { closest } from './config/spec.js';
import { DEFAULT_CONFIG_PATH } from './config/types.js';
import { countSkips, decodeText, DEFAULT_MAX_FILE_BYTES, listFiles, resolveNamedPath, scanListed, type GitListing, type ListedFile, type Skip } from './local/files.js';
import { GitError, ignoreRule, listWorkTree, scanGitRange, scanHistory, scanStaged, scanUnpushed, workTreeTop, type GitScanResult } from './local/git.js';
import { defaultJobs, MIN_FILES_FOR_WORKERS, runScanWorker, ScanPool, scanWorkerContext } from './local/pool.js';
import { countFindings } from './report/counts.js';
import type { Report, ScanStats } from './report/model.js';
import { renderJson } from './report/json.js';
import { renderMarkdown } from './report/markdown.js';
import { renderSarif } from './report/sarif.js';
import { formatBytes, renderText, renderTextSummary } from './report/text.js';
import { DiffParseError, DiffParser } from './scan/diff.js';
import type { Engine } from './scan/engine.js';
import { createPathFilter, skippingPattern, type PathFilter, type PathFilterOptions } from './scan/path-filter.js';
import { addStats, BINARY_SNIFF_BYTES, emptyStats, scanDiffFiles, scanText } from './scan/scanner.js';
import type { Finding } from './scan/types.js';

/** What the CLI reads and writes; the real process's streams by default. */
export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

/** Progress is redrawn at most this often, so a fast scan is not slowed by terminal writes. */
const PROGRESS_INTERVAL_MS = 200;

/** Skipped files named one by one in the report, per reason; the rest are counted. */
const NAMED_SKIPS = 5;

/** This module as a worker script: only the built JavaScript can be started as a worker (not the TypeScript source). */
const WORKER_SCRIPT = import.meta.url.endsWith('.js') ? new URL(import.meta.url) : undefined;

const USAGE = `Usage: key-hygiene scan [PATH...] [options]

Finds leaked API keys in files, in the lines a diff adds, or in git commits.

Arguments:
  PATH...          files or directories to scan whole (default: .); - reads standard input.
                   Inside a git work tree only files git tracks or would track are scanned
                   (.gitignore is honoured); a path named here must be scannable, or the run exits 2

Options:
  --no-git         scan every file under the PATHs, including git-ignored ones
  --max-file-size SIZE
                   skip files larger than SIZE (default 10MiB), e.g. 50MiB, 200k, 1048576
  -j, --jobs N     scan on N threads (default: one per core, for trees of ${MIN_FILES_FOR_WORKERS}+ files)
  --diff FILE      scan the lines added by a unified diff (git diff, git log -p); - reads stdin
  --git RANGE      scan the commits of a git range, e.g. origin/main..HEAD; REV means REV..HEAD, so
                   --git HEAD~1 is the last commit. Keys a later commit removed are reported as
                   still in git history
  --history        scan every commit reachable from HEAD, the root commit included
  --unpushed       scan the commits on HEAD that no remote branch has (a pre-push hook; needs no upstream)
  --staged         scan the changes staged for the next commit (a pre-commit hook)
  --config FILE    config file (default: ${DEFAULT_CONFIG_PATH} at the repository root, if it exists)
  -f, --format FORMAT
                   text, json, sarif or markdown (default: text)
  -o, --output FILE
                   write the report to FILE and print only the summary
  -h, --help       show this help
  -v, --version    print the version

Exit status: 0 when no leaked key is found, 1 when leaked keys are found,
2 for a usage, config or input error, or when a file could not be scanned.
A keyed API reached over plain http:// is reported but leaks no key: alone it exits 0.
`;

const OPTIONS = {
  diff: { type: 'string' },
  git: { type: 'string' },
  staged: { type: 'boolean' },
  history: { type: 'boolean' },
  unpushed: { type: 'boolean' },
  'no-git': { type: 'boolean' },
  'max-file-size': { type: 'string' },
  jobs: { type: 'string', short: 'j' },
  config: { type: 'string' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** A problem the user can fix (arguments, config, input): one line on stderr and exit status 2. */
class UsageError extends Error {}

interface ScanOutcome {
  findings: Finding[];
  stats: ScanStats;
  notes: string[];
  /** Files that could not be read: the report is shown, but the run exits 2. */
  unreadable?: string[];
}

/**
 * Runs the CLI with `argv` (the arguments after the program name) and returns the exit status:
 * 0 no leaked key found (transport findings alone included), 1 leaked keys found, 2 usage, config or input error (one line on stderr).
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    io.stderr.write(`key-hygiene: ${oneLine(errorMessage(error))}\n`);
    return EXIT_ERROR;
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parse(argv);
  const { values, positionals } = args;
  if (values.version === true) {
    io.stdout.write(`${packageJson.version}\n`);
    return EXIT_CLEAN;
  }
  const [command, ...paths] = positionals;
  if (values.help === true || command === 'help') {
    io.stdout.write(USAGE);
    return EXIT_CLEAN;
  }
  if (command === undefined) throw new UsageError('missing command; run "key-hygiene scan [PATH...]" or see --help');
  if (command !== 'scan') throw new UsageError(`unknown command ${JSON.stringify(command)}; the command is "scan" (see --help)`);

  const format = values.format ?? 'text';
  if (!isFormat(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got ${JSON.stringify(format)}`);
  const modes = [paths.length > 0, values.diff !== undefined, values.git !== undefined, values.staged === true, values.history === true, values.unpushed === true];
  if (modes.filter(Boolean).length > 1) throw new UsageError('give either PATHs, --diff, --git, --history, --unpushed or --staged, not several');
  if (paths.includes('-') && paths.length > 1) throw new UsageError('"-" reads standard input and must be the only PATH');
  const maxBytes = values['max-file-size'] === undefined ? DEFAULT_MAX_FILE_BYTES : parseSize(values['max-file-size']);
  const jobs = values.jobs === undefined ? undefined : parseJobs(values.jobs);
  const useGit = values['no-git'] !== true;

  // The config belongs to the repository: found at its root wherever in the tree the scan starts.
  const anchor = paths.length > 0 && paths[0] !== '-' ? existingDir(path.resolve(io.cwd, paths[0] as string)) : io.cwd;
  // One `git rev-parse` per directory: a hook may name many files in the same few directories.
  const tops = new Map<string, Promise<string | undefined>>();
  const topOf = (dir: string): Promise<string | undefined> => {
    let top = tops.get(dir);
    if (top === undefined) tops.set(dir, (top = workTreeTop(dir)));
    return top;
  };
  const top = await topOf(anchor);
  const configPath = values.config !== undefined ? path.resolve(io.cwd, values.config) : path.join(top ?? io.cwd, DEFAULT_CONFIG_PATH);
  const config = await loadConfig(configPath, { explicit: values.config !== undefined });
  const engine = buildEngine(config);
  const filterOptions: PathFilterOptions = { ignore: config.paths.ignore, useDefaults: config.paths.useDefaults };
  const filter = createPathFilter(filterOptions);
  const progress = new Progress(io.stderr);

  let outcome: ScanOutcome;
  try {
    if (values.diff !== undefined) outcome = await scanDiff(engine, values.diff, filter, io, progress);
    else if (values.git !== undefined || values.staged === true || values.history === true || values.unpushed === true) {
      const mode = values.git !== undefined ? { range: values.git } : values.history === true ? 'history' : values.unpushed === true ? 'unpushed' : 'staged';
      outcome = await scanGit(engine, mode, filter, io, top !== undefined);
    } else if (paths[0] === '-') outcome = await scanStdin(engine, io, maxBytes);
    else {
      const scope: PathScope = { filter, filterOptions, configFile: config.file, useGit, maxBytes, jobs, topOf };
      outcome = await scanPaths(engine, paths.length > 0 ? paths : ['.'], scope, io, progress);
    }
  } finally {
    progress.done();
  }
  outcome.stats.durationMs = Math.round(outcome.stats.durationMs);

  const report: Report = { findings: outcome.findings, stats: outcome.stats, notes: outcome.notes, target: { kind: 'local' } };
  const color = useColor(io.env, io.stdout.isTTY === true);
  if (values.output !== undefined) {
    const target = path.resolve(io.cwd, values.output);
    try {
      await writeFile(target, render(report, format, engine, false));
    } catch (error) {
      throw new UsageError(`cannot write the report to ${values.output}: ${errorMessage(error)}`);
    }
    io.stdout.write(renderTextSummary(report, { color }));
  } else {
    io.stdout.write(render(report, format, engine, color));
  }
  const unreadable = outcome.unreadable ?? [];
  if (unreadable.length > 0) {
    io.stderr.write(`key-hygiene: ${unreadable.length} ${unreadable.length === 1 ? 'file' : 'files'} could not be read, so the scan is incomplete: ${oneLine(listSome(unreadable))}\n`);
    return EXIT_ERROR;
  }
  return countFindings(report.findings).keys > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    // parseArgs explains the problem but its text ends with advice about "--" that does not apply here.
    const message = errorMessage(error).replace(/\. To specify a positional argument.*$/s, '');
    const unknown = /^Unknown option '(--?[^'=]+)/.exec(message)?.[1];
    const known = Object.entries(OPTIONS).flatMap(([name, o]) => [`--${name}`, ...('short' in o ? [`-${o.short}`] : [])]);
    const guess = unknown === undefined ? undefined : closest(unknown, known.filter((k) => k.startsWith('--')));
    throw new UsageError(`${message}${guess !== undefined ? `; did you mean ${guess}?` : ''} (see --help)`);
  }
}

function isFormat(s: string): s is Format {
  return (FORMATS as readonly string[]).includes(s);
}

/** `10MiB`, `200k`, `1048576`: binary units, as file sizes on disk are usually given. */
function parseSize(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:(k|m|g)(?:i?b)?|b)?\s*$/i.exec(raw);
  if (m === null) throw new UsageError(`--max-file-size must be a size such as 50MiB, 200k or 1048576; got ${JSON.stringify(raw)}`);
  const unit = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Math.floor(Number(m[1]) * unit);
}

function parseJobs(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--jobs must be a whole number from 1 to 64; got ${JSON.stringify(raw)}`);
  return n;
}

/** `FORCE_COLOR` (except 0/false) turns colour on even in a pipe; `NO_COLOR` turns it off; else only on a terminal. */
function useColor(env: CliIo['env'], isTTY: boolean): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return isTTY;
}

function render(report: Report, format: Format, engine: Engine, color: boolean): string {
  switch (format) {
    case 'text':
      return renderText(report, { color });
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, engine.rules);
    case 'markdown':
      return renderMarkdown(report, { surface: 'summary' });
  }
}

interface PathScope {
  filter: PathFilter;
  filterOptions: PathFilterOptions;
  configFile: string | undefined;
  useGit: boolean;
  maxBytes: number;
  jobs: number | undefined;
  topOf: (dir: string) => Promise<string | undefined>;
}

/**
 * Files and directories, whole. Inside a git work tree only the files git lists (tracked, and untracked
 * but not ignored). A path the user named that would not be scanned is an error naming why.
 */
async function scanPaths(engine: Engine, paths: readonly string[], scope: PathScope, io: CliIo, progress: Progress): Promise<ScanOutcome> {
  const started = performance.now();
  // Workers load the bundle and build their engine while the tree is still being listed: started at once
  // for an explicit --jobs, else as soon as the list is long enough to be worth them.
  let pool: ScanPool | undefined;
  const startPool = (threads: number): void => {
    if (pool === undefined && threads > 1 && WORKER_SCRIPT !== undefined) {
      pool = ScanPool.start(WORKER_SCRIPT, threads - 1, scope.configFile !== undefined ? { configPath: scope.configFile } : {}, scope.maxBytes);
    }
  };
  if (scope.jobs !== undefined) startPool(scope.jobs);
  const onListed = scope.jobs !== undefined ? undefined : (count: number): void => {
    if (count === MIN_FILES_FOR_WORKERS) startPool(defaultJobs());
  };
  try {
    return await listAndScan(engine, paths, scope, io, progress, started, startPool, () => pool, onListed);
  } finally {
    // Not needed after all (an error while listing): the workers are stopped, not left to keep the process alive.
    if (pool !== undefined) void pool.close();
  }
}

async function listAndScan(
  engine: Engine,
  paths: readonly string[],
  scope: PathScope,
  io: CliIo,
  progress: Progress,
  started: number,
  startPool: (threads: number) => void,
  getPool: () => ScanPool | undefined,
  onListed: ((count: number) => void) | undefined,
): Promise<ScanOutcome> {
  const listings = new Map<string, GitListing>();
  const listSkips: Skip[] = [];
  const files: ListedFile[] = [];
  for (const given of paths) {
    const abs = path.resolve(io.cwd, given);
    const resolved = resolveNamedPath(abs);
    if (resolved === undefined) throw new UsageError(`Path not found: ${given}`);
    const { real, isDir } = resolved;
    const top = scope.useGit ? await scope.topOf(isDir ? real : path.dirname(real)) : undefined;
    const filterRoot = top ?? io.cwd;
    const rel = path.relative(filterRoot, real).split(path.sep).join('/');
    let filter: PathFilter | undefined = scope.filter;
    if (rel !== '' && !rel.startsWith('../')) {
      const skipping = skippingPattern(scope.filterOptions, isDir ? `${rel}/` : rel);
      // A file named with a binary extension (`git ls-files | xargs key-hygiene scan` names every image):
      // its bytes decide. Binary, as an image is, it cannot hold a key a text scanner reads: a note, and
      // the run goes on. Text after all (an `.a` that is a text file): the user named it, so it is scanned.
      if (skipping !== undefined && skipping.isDefault && !isDir && BINARY_EXTENSION_DEFAULT.test(skipping.pattern)) {
        if (startsBinary(real)) {
          listSkips.push({ path: path.relative(io.cwd, abs).split(path.sep).join('/'), reason: 'binary' });
          continue;
        }
        filter = undefined;
      } else if (skipping !== undefined) {
        const how = skipping.isDefault
          ? 'a default ignore pattern; set paths.use-defaults: false in the config to scan it'
          : `paths.ignore in ${scope.configFile ?? 'the config'}`;
        throw new UsageError(`${given} is not scanned: it matches the ignore pattern "${skipping.pattern}" (${how})`);
      }
    }
    let git: GitListing | undefined;
    if (top !== undefined) {
      git = listings.get(top) ?? (await listWorkTree(top));
      listings.set(top, git);
      const listed = isDir ? rel === '' || git.files.some((f) => f.startsWith(`${rel}/`)) : git.files.includes(rel);
      if (!listed) {
        const rule = await ignoreRule(top, rel);
        if (rule !== undefined) throw new UsageError(`${given} is not scanned: git ignores it (${rule}); --no-git scans ignored files too`);
        if (!isDir) throw new UsageError(`${given} is not scanned: git does not list it (a submodule or the .git directory)`);
      }
    }
    const listed = listFiles([abs], {
      root: io.cwd,
      filterRoot,
      ...(filter !== undefined ? { filter } : {}),
      ...(git !== undefined ? { git } : {}),
      onSkip: (s) => listSkips.push(s),
      // Counted across the PATHs: many small ones add up to a long list too.
      ...(onListed !== undefined ? { onListed: (n: number) => onListed(files.length + n) } : {}),
    });
    for (const f of listed) files.push(f);
  }

  if (scope.jobs === undefined && files.length >= MIN_FILES_FOR_WORKERS) startPool(defaultJobs());
  const pool = getPool();
  const result =
    pool !== undefined
      ? await pool.run(engine, files, scope.maxBytes, (n, bytes) => progress.update(n, bytes))
      : scanListed(engine, files, scope.maxBytes, (bytes) => progress.update(1, bytes));

  const skips = [...listSkips, ...result.skips];
  const named = skips.find((s) => s.named === true);
  if (named !== undefined) throw new UsageError(namedSkipMessage(named, scope.maxBytes));
  const stats = result.stats;
  countSkips(stats, skips);
  const notScanned = skips
    .filter((s): s is Skip & { reason: 'binary' | 'tooLarge' | 'unreadable' } => s.reason === 'binary' || s.reason === 'tooLarge' || s.reason === 'unreadable')
    .map((s) => ({ path: s.path, reason: s.reason, ...(s.size !== undefined ? { size: s.size } : {}) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (notScanned.length > 0) stats.notScanned = notScanned;
  stats.durationMs = performance.now() - started;
  const unreadable = skips.filter((s) => s.reason === 'unreadable').map((s) => s.path);
  return { findings: result.findings, stats, notes: skipNotes(skips, scope.maxBytes), unreadable };
}

/** The default ignore patterns that name binary file types by extension (`*.{png,jpg,...}`), not directories. */
const BINARY_EXTENSION_DEFAULT = /^\*\.\{/;

/** A NUL byte in the first 8 KiB, as files are judged binary when read; an unreadable file is left to the read to report. */
function startsBinary(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(BINARY_SNIFF_BYTES);
    const n = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n).includes(0);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function namedSkipMessage(s: Skip, maxBytes: number): string {
  switch (s.reason) {
    case 'tooLarge':
      return `${s.path} is not scanned: it is ${formatSize(s.size ?? 0)}, over the ${formatSize(maxBytes)} limit; raise it with --max-file-size`;
    case 'binary':
      return `${s.path} is not scanned: it is binary (a NUL byte in its first 8 KiB)`;
    case 'unreadable':
      return `${s.path} could not be read, so it was not scanned`;
    default:
      return `${s.path} is not scanned: it is ignored`;
  }
}

/** Standard input, whole, as one file named `-`. */
async function scanStdin(engine: Engine, io: CliIo, maxBytes: number): Promise<ScanOutcome> {
  const started = performance.now();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > maxBytes) throw new UsageError(`standard input is not scanned: it is over the ${formatSize(maxBytes)} limit; raise it with --max-file-size`);
    chunks.push(buf);
  }
  const text = decodeText(Buffer.concat(chunks));
  if (text === undefined) throw new UsageError('standard input is not scanned: it is binary (a NUL byte in its first 8 KiB)');
  const result = scanText(engine, '-', text);
  result.stats.bytes = size;
  result.stats.durationMs = performance.now() - started;
  return { findings: result.findings, stats: result.stats, notes: [] };
}

/** Lines that only a diff has; input with none of them is not a diff, whatever else it holds. */
const DIFF_HEADER = /^(?:diff --git |diff --cc |diff --combined |--- |\+\+\+ |@@ )/;

/** The lines a unified diff adds, read as a stream so that `git log -p` over a long range fits in memory. */
async function scanDiff(engine: Engine, source: string, filter: PathFilter, io: CliIo, progress: Progress): Promise<ScanOutcome> {
  const started = performance.now();
  const stats = emptyStats();
  const findings: Finding[] = [];
  const name = source === '-' ? 'standard input' : source;
  const parser = new DiffParser((file) => {
    const result = scanDiffFiles(engine, [file], { filter });
    addStats(stats, result.stats);
    findings.push(...result.findings);
    progress.update(1, result.stats.bytes);
  });
  const input = source === '-' ? io.stdin : createReadStream(path.resolve(io.cwd, source));
  let sawHeader = false;
  let sawText = false;
  try {
    for await (const line of lines(input)) {
      if (!sawHeader) {
        if (DIFF_HEADER.test(line)) sawHeader = true;
        else if (line.trim() !== '') sawText = true;
      }
      parser.push(line);
    }
    parser.end();
  } catch (error) {
    if (error instanceof DiffParseError) throw new UsageError(`${name}: ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new UsageError(`cannot read the diff ${source}: ${code === 'ENOENT' ? 'no such file' : errorMessage(error)}`);
    throw error;
  }
  // Empty input is an empty diff (`git diff` with no change); text without any diff line is a mistake.
  if (sawText && !sawHeader) {
    throw new UsageError(`${name} is not a unified diff (no "diff --git", "---" or "@@" line); to scan text whole use "key-hygiene scan ${source === '-' ? '-' : 'FILE'}"`);
  }
  stats.durationMs = performance.now() - started;
  return { findings, stats, notes: [] };
}

type GitMode = { range: string } | 'history' | 'unpushed' | 'staged';

/** The commits of a range, the history, unpushed commits or the staged changes, straight from git. */
async function scanGit(engine: Engine, mode: GitMode, filter: PathFilter, io: CliIo, inWorkTree: boolean): Promise<ScanOutcome> {
  const options = { cwd: io.cwd, filter, inWorkTree };
  let result: GitScanResult;
  try {
    if (mode === 'staged') result = await scanStaged(engine, options);
    else if (mode === 'history') result = await scanHistory(engine, options);
    else if (mode === 'unpushed') result = await scanUnpushed(engine, options);
    else result = await scanGitRange(engine, mode.range, options);
  } catch (error) {
    if (error instanceof GitError) throw new UsageError(error.message);
    if (error instanceof DiffParseError) throw new UsageError(`git output: ${error.message}`);
    throw error;
  }
  const notes: string[] = [];
  if (result.commits !== undefined) {
    notes.push(
      mode === 'unpushed' && result.commits === 0
        ? 'No unpushed commits: HEAD is on a remote branch already.'
        : `${result.commits} ${result.commits === 1 ? 'commit' : 'commits'} read.`,
    );
  }
  if (result.shallow === true) {
    notes.push('This clone is shallow: commits before its oldest one were not read, so a key added and removed before then would not be found (git fetch --unshallow reads the whole history).');
  }
  return { findings: result.findings, stats: result.stats, notes };
}

/** Names the files passed over: too large (with their size), binary, unreadable. Ignored files are only counted. */
function skipNotes(skips: readonly Skip[], maxBytes: number): string[] {
  const notes: string[] = [];
  const of = (reason: Skip['reason']): Skip[] => skips.filter((s) => s.reason === reason);
  const tooLarge = of('tooLarge');
  if (tooLarge.length > 0) {
    const shown = listSome(tooLarge.map((s) => `${s.path} (${formatSize(s.size ?? 0)})`));
    notes.push(`${count(tooLarge.length, 'file')} over the ${formatSize(maxBytes)} limit not scanned (--max-file-size raises it): ${shown}.`);
  }
  const binary = of('binary');
  if (binary.length > 0) notes.push(`${count(binary.length, 'binary file')} not scanned: ${listSome(binary.map((s) => s.path))}.`);
  const unreadable = of('unreadable');
  if (unreadable.length > 0) notes.push(`${count(unreadable.length, 'path')} could not be read: ${listSome(unreadable.map((s) => s.path))}.`);
  const broken = skips.filter((s) => s.brokenLink === true);
  if (broken.length > 0) notes.push(`${count(broken.length, 'symbolic link')} to nothing not followed: ${listSome(broken.map((s) => s.path))}.`);
  const submodules = skips.filter((s) => s.submodule === true);
  if (submodules.length > 0) {
    notes.push(`${count(submodules.length, 'git submodule')} not scanned, each a repository of its own (run key-hygiene inside it, or scan with --no-git): ${listSome(submodules.map((s) => s.path))}.`);
  }
  return notes;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function listSome(items: readonly string[]): string {
  return `${items.slice(0, NAMED_SKIPS).join(', ')}${items.length > NAMED_SKIPS ? ` and ${items.length - NAMED_SKIPS} more` : ''}`;
}

/** Sizes as the user gives them to --max-file-size (binary units). */
function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} B`;
}

function existingDir(abs: string): string {
  try {
    return lstatSync(abs).isDirectory() ? abs : path.dirname(abs);
  } catch {
    return path.dirname(abs);
  }
}

/**
 * Splits a byte stream into lines on `\n` only: a lone `\r` inside a diff line is content, not a line
 * end. Each chunk is searched once, so a huge single line stays linear.
 */
async function* lines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      yield pending + text.slice(start, nl);
      pending = '';
      start = nl + 1;
    }
    pending += text.slice(start);
  }
  pending += decoder.end();
  if (pending !== '') yield pending;
}

/** "Scanned N files (X MB, Y MB/s)" on one redrawn stderr line, only when a person is watching it. */
class Progress {
  private readonly enabled: boolean;
  private readonly started = performance.now();
  private last = -Infinity;
  private bytes = 0;
  private shown = false;

  constructor(private readonly out: OutStream) {
    this.enabled = out.isTTY === true;
  }

  private files = 0;

  update(moreFiles: number, moreBytes: number): void {
    this.bytes += moreBytes;
    this.files += moreFiles;
    const files = this.files;
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    this.out.write(`\r\u001b[KScanned ${files} ${files === 1 ? 'file' : 'files'} (${formatBytes(this.bytes)}, ${formatBytes(this.bytes / seconds)}/s)`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.out.write('\r\u001b[K');
    this.shown = false;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One line, with control characters shown as escapes: the message may quote a file name. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\r?\n/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function processIo(): CliIo {
  // A reader that stops early (`| head`) closes the pipe: the report is not wanted any more, which is no
  // crash. The exit status still follows the findings.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env };
}

/** True when this file is the program node was started with (also through the npm bin symlink). */
function isEntryPoint(): boolean {
  const invoked = process.argv[1];
  if (invoked === undefined) return false;
  try {
    return realpathSync(invoked) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

const worker = scanWorkerContext();
if (worker !== undefined) {
  runScanWorker(worker.setup, worker.port);
} else if (isEntryPoint()) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
