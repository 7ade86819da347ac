#!/usr/bin/env node
/**
 * The local CLI: the same engine, config and renderers as the action, over files, a diff or a git range.
 * `main` takes its streams and working directory as arguments so tests run it in-process.
 */
import { createReadStream, realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import packageJson from '../package.json' with { type: 'json' };
import { buildEngine, loadConfig } from './config/load.js';
import { DEFAULT_CONFIG_PATH } from './config/types.js';
import { walkFiles } from './local/files.js';
import { GitError, scanGitRange, scanStaged } from './local/git.js';
import { countFindings } from './report/counts.js';
import type { Report, ScanStats } from './report/model.js';
import { renderJson } from './report/json.js';
import { renderMarkdown } from './report/markdown.js';
import { renderSarif } from './report/sarif.js';
import { formatBytes, renderText } from './report/text.js';
import { DiffParseError, DiffParser } from './scan/diff.js';
import type { Engine } from './scan/engine.js';
import { createPathFilter, type PathFilter } from './scan/path-filter.js';
import { addStats, emptyStats, scanDiffFiles, scanText } from './scan/scanner.js';
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

const USAGE = `Usage: key-hygiene scan [PATH...] [options]

Finds leaked API keys in files, in the lines a diff adds, or in git commits.

Arguments:
  PATH...          files or directories to scan whole (default: .)

Options:
  --diff FILE      scan the lines added by a unified diff (git diff, git log -p); - reads stdin
  --git RANGE      scan the commits of a git range, e.g. origin/main..HEAD (REV means REV..HEAD);
                   keys a later commit removed are reported as still in git history
  --staged         scan the changes staged for the next commit (for a pre-commit hook)
  --config FILE    config file (default: ${DEFAULT_CONFIG_PATH}, if it exists)
  --format FORMAT  text, json, sarif or markdown (default: text)
  --output FILE    write the report to FILE instead of standard output
  -h, --help       show this help
  -v, --version    print the version

Exit status: 0 when no leaked key is found, 1 when leaked keys are found,
2 for a usage, config or input error. A keyed API reached over plain http://
is reported but leaks no key: alone it exits 0.
`;

/** A problem the user can fix (arguments, config, input): one line on stderr and exit status 2. */
class UsageError extends Error {}

interface ScanOutcome {
  findings: Finding[];
  stats: ScanStats;
  notes: string[];
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
  const modes = [paths.length > 0, values.diff !== undefined, values.git !== undefined, values.staged === true].filter(Boolean).length;
  if (modes > 1) throw new UsageError('give either PATHs, --diff, --git or --staged, not several');

  const configPath = values.config ?? DEFAULT_CONFIG_PATH;
  const config = await loadConfig(path.resolve(io.cwd, configPath), { explicit: values.config !== undefined });
  const engine = buildEngine(config);
  const filter = createPathFilter({ ignore: config.paths.ignore, useDefaults: config.paths.useDefaults });
  const progress = new Progress(io.stderr);

  let outcome: ScanOutcome;
  try {
    if (values.diff !== undefined) outcome = await scanDiff(engine, values.diff, filter, io, progress);
    else if (values.git !== undefined || values.staged === true) outcome = await scanGit(engine, values.git, filter, io);
    else outcome = await scanPaths(engine, paths.length > 0 ? paths : ['.'], filter, io, progress);
  } finally {
    progress.done();
  }

  const report: Report = { findings: outcome.findings, stats: outcome.stats, notes: outcome.notes, target: { kind: 'local' } };
  const toFile = values.output !== undefined;
  const color = !toFile && io.stdout.isTTY === true && io.env['NO_COLOR'] === undefined;
  const rendered = render(report, format, engine, color);
  if (values.output !== undefined) {
    const target = path.resolve(io.cwd, values.output);
    try {
      await writeFile(target, rendered);
    } catch (error) {
      throw new UsageError(`cannot write the report to ${values.output}: ${errorMessage(error)}`);
    }
  } else {
    io.stdout.write(rendered);
  }
  return countFindings(report.findings).keys > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        diff: { type: 'string' },
        git: { type: 'string' },
        staged: { type: 'boolean' },
        config: { type: 'string' },
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    // parseArgs explains the problem but its text ends with advice about "--" that does not apply here.
    throw new UsageError(`${errorMessage(error).replace(/\. To specify a positional argument.*$/s, '')} (see --help)`);
  }
}

function isFormat(s: string): s is Format {
  return (FORMATS as readonly string[]).includes(s);
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

/** Files and directories, whole, one file in memory at a time. */
async function scanPaths(engine: Engine, paths: readonly string[], filter: PathFilter, io: CliIo, progress: Progress): Promise<ScanOutcome> {
  const started = performance.now();
  const stats = emptyStats();
  const skipped = stats.skipped ?? {};
  const findings: Finding[] = [];
  const unreadable: string[] = [];
  const walk = walkFiles(paths, {
    root: io.cwd,
    filter,
    onSkip: (p, reason) => {
      if (reason === 'unreadable') unreadable.push(p);
      else if (reason === 'outside') skipped.ignored = (skipped.ignored ?? 0) + 1;
      else skipped[reason] = (skipped[reason] ?? 0) + 1;
    },
  });
  try {
    for await (const file of walk) {
      const result = scanText(engine, file.path, file.text);
      addStats(stats, result.stats);
      findings.push(...result.findings);
      progress.update(stats.files, file.bytes);
    }
  } catch (error) {
    // walkFiles throws for a PATH that does not exist: the user's input, not a crash.
    if (error instanceof Error && error.message.startsWith('Path not found')) throw new UsageError(error.message);
    throw error;
  }
  stats.durationMs = performance.now() - started;
  const notes = skipNotes(stats);
  if (unreadable.length > 0) {
    notes.push(`${unreadable.length} ${unreadable.length === 1 ? 'path' : 'paths'} could not be read and ${unreadable.length === 1 ? 'was' : 'were'} not scanned: ${unreadable.slice(0, 5).join(', ')}${unreadable.length > 5 ? ', …' : ''}.`);
  }
  return { findings, stats, notes };
}

/** The lines a unified diff adds, read as a stream so that `git log -p` over a long range fits in memory. */
async function scanDiff(engine: Engine, source: string, filter: PathFilter, io: CliIo, progress: Progress): Promise<ScanOutcome> {
  const started = performance.now();
  const stats = emptyStats();
  const findings: Finding[] = [];
  const parser = new DiffParser((file) => {
    const result = scanDiffFiles(engine, [file], { filter });
    addStats(stats, result.stats);
    findings.push(...result.findings);
    progress.update(stats.files, result.stats.bytes);
  });
  const input = source === '-' ? io.stdin : createReadStream(path.resolve(io.cwd, source));
  try {
    for await (const line of lines(input)) parser.push(line);
    parser.end();
  } catch (error) {
    if (error instanceof DiffParseError) throw new UsageError(`${source === '-' ? 'standard input' : source}: ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new UsageError(`cannot read the diff ${source}: ${code === 'ENOENT' ? 'no such file' : errorMessage(error)}`);
    throw error;
  }
  stats.durationMs = performance.now() - started;
  return { findings, stats, notes: skipNotes(stats) };
}

/** The commits of a range (or the staged changes), straight from git; keys removed again are marked `history`. */
async function scanGit(engine: Engine, range: string | undefined, filter: PathFilter, io: CliIo): Promise<ScanOutcome> {
  const options = { cwd: io.cwd, filter };
  try {
    const result = range === undefined ? await scanStaged(engine, options) : await scanGitRange(engine, range, options);
    return { findings: result.findings, stats: result.stats, notes: skipNotes(result.stats) };
  } catch (error) {
    if (error instanceof GitError) throw new UsageError(error.message);
    if (error instanceof DiffParseError) throw new UsageError(`git output: ${error.message}`);
    throw error;
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

function skipNotes(stats: ScanStats): string[] {
  const tooLarge = stats.skipped?.tooLarge ?? 0;
  return tooLarge > 0 ? [`${tooLarge} ${tooLarge === 1 ? 'file was' : 'files were'} skipped for being larger than the size limit.`] : [];
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

  update(files: number, moreBytes: number): void {
    this.bytes += moreBytes;
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

if (isEntryPoint()) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
