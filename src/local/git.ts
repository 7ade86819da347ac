/**
 * Scans what a push or a commit would add, straight from git: a range of commits (`BASE..HEAD`) for
 * pre-push hooks and CI, or the staged changes for pre-commit hooks. Git runs without a shell, its
 * output is parsed as it streams, and each file's added lines are scanned as soon as they are read.
 */
import { spawn } from 'node:child_process';
import type { ScanStats } from '../report/model.js';
import { DiffParser, type DiffFile } from '../scan/diff.js';
import type { Engine } from '../scan/engine.js';
import type { PathFilter } from '../scan/path-filter.js';
import { addStats, emptyStats, markHistoryOnly, scanDiffFiles, scanText } from '../scan/scanner.js';
import type { Finding } from '../scan/types.js';

/** Git could not do what was asked (not a repository, unknown revision, git missing); the message is one line. */
export class GitError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GitError';
  }
}

export interface GitScanOptions {
  /** Directory inside the repository. Default: the current directory. */
  cwd?: string;
  /** Paths for which it returns false are counted as `ignored` and not scanned. */
  filter?: PathFilter;
  /** The git executable. Default `git` from PATH. */
  gitPath?: string;
}

export interface GitScanResult {
  findings: Finding[];
  stats: ScanStats;
}

/**
 * Options that make git's diff output the same whatever the user's configuration: no colour, no
 * external diff or textconv program, `a/`/`b/` prefixes (against `diff.noprefix`/`diff.mnemonicPrefix`),
 * repository-root paths (against `diff.relative`), rename detection on (against `diff.renames=false`,
 * which would make a renamed file look wholly added), and no context lines, which the scan does not need.
 */
const DIFF_ARGS = ['--no-color', '--no-ext-diff', '--no-textconv', '--no-relative', '-M', '-U0', '--src-prefix=a/', '--dst-prefix=b/'];

/**
 * Scans the commits of a range one by one, in order, and reports each key with the commit that added it.
 *
 * `range` is `BASE..HEAD`, `BASE...HEAD`, or a single revision `REV` meaning `REV..HEAD`. A key that a
 * later commit of the range removed again (absent from the range's tip) is reported with source
 * `history`: gone from the tree, still readable in git history, so still to be rotated. Keys still
 * present keep source `added` and take their line at the tip. A key found in several commits at the same
 * path is reported once, with the first commit. Merge commits are read as dense combined diffs, so a key
 * introduced by a merge itself (an "evil merge") is found.
 *
 * @throws GitError when git fails (bad range, not a repository); DiffParseError if git's output cannot be read.
 */
export async function scanGitRange(engine: Engine, range: string, options: GitScanOptions = {}): Promise<GitScanResult> {
  const { spec, tip } = normalizeRange(range);
  return scanCommits(engine, spec, tip, options);
}

/**
 * Scans every commit reachable from HEAD, or only those after `since` (a commit HEAD descends from), as
 * `scanGitRange` does a range: the weekly audit's history scan over a full checkout.
 *
 * @throws GitError when git fails (not a repository, `since` unknown).
 */
export async function scanGitHistory(engine: Engine, since: string | undefined, options: GitScanOptions = {}): Promise<GitScanResult> {
  if (since !== undefined && !/^[0-9a-f]{40}$/i.test(since)) throw new GitError(`Invalid commit ${JSON.stringify(since)}: expected a full SHA.`);
  return scanCommits(engine, since === undefined ? 'HEAD' : `${since}..HEAD`, 'HEAD', options);
}

async function scanCommits(engine: Engine, spec: string, tip: string, options: GitScanOptions): Promise<GitScanResult> {
  const started = performance.now();
  const stats = emptyStats();
  const perCommit: Finding[] = [];
  const seen = new Set<string>();
  const renames = new Map<string, string>();
  const onFile = (file: DiffFile): void => {
    if (file.status === 'renamed') renames.set(file.oldPath, file.path);
    const result = scanDiffFiles(engine, [file], { source: 'added', ...(options.filter ? { filter: options.filter } : {}) });
    addStats(stats, result.stats);
    for (const f of result.findings) {
      if (seen.has(f.fingerprint)) continue;
      seen.add(f.fingerprint);
      perCommit.push(f);
    }
  };
  const args = ['-c', 'log.showSignature=false', 'log', '-p', '--reverse', '--cc', '--format=commit %H', ...DIFF_ARGS, spec, '--'];
  await streamDiff(args, options, onFile);

  // The tip's version of each file that had a finding (and of where renames took it) decides what is still present.
  const finalFindings: Finding[] = [];
  const paths = new Set<string>();
  for (const f of perCommit) {
    paths.add(f.file);
    paths.add(followRenames(f.file, renames));
  }
  for (const p of paths) {
    const content = await readBlob(tip, p, options);
    if (content !== undefined) finalFindings.push(...scanText(engine, p, content, { source: 'file' }).findings);
  }
  markHistoryOnly(perCommit, finalFindings);
  relocateToTip(perCommit, finalFindings);
  stats.durationMs = performance.now() - started;
  return { findings: perCommit, stats };
}

/**
 * Scans the changes staged for the next commit (`git diff --cached`): the pre-commit hook's check.
 * Works before the first commit too.
 *
 * @throws GitError when git fails.
 */
export async function scanStaged(engine: Engine, options: GitScanOptions = {}): Promise<GitScanResult> {
  const started = performance.now();
  const stats = emptyStats();
  const findings: Finding[] = [];
  await streamDiff(['diff', '--cached', ...DIFF_ARGS], options, (file) => {
    const result = scanDiffFiles(engine, [file], { source: 'added', ...(options.filter ? { filter: options.filter } : {}) });
    addStats(stats, result.stats);
    findings.push(...result.findings);
  });
  stats.durationMs = performance.now() - started;
  return { findings, stats };
}

/** `REV` means `REV..HEAD`; the tip is the revision whose tree is the range's final state. */
function normalizeRange(range: string): { spec: string; tip: string } {
  const r = range.trim();
  // Refuse what git would read as an option: the range comes from hook arguments and CI inputs.
  if (r === '' || r.startsWith('-') || /[\s\0]/.test(r)) {
    throw new GitError(`Invalid git range ${JSON.stringify(range)}: expected BASE..HEAD, BASE...HEAD or a single revision.`);
  }
  const three = r.indexOf('...');
  if (three !== -1) return { spec: r, tip: r.slice(three + 3) || 'HEAD' };
  const two = r.indexOf('..');
  if (two !== -1) return { spec: r, tip: r.slice(two + 2) || 'HEAD' };
  return { spec: `${r}..HEAD`, tip: 'HEAD' };
}

function followRenames(path: string, renames: ReadonlyMap<string, string>): string {
  let current = path;
  // Bounded: a rename chain cannot be longer than the number of renames, and a cycle must not loop.
  for (let i = 0; i <= renames.size; i++) {
    const next = renames.get(current);
    if (next === undefined || next === path) break;
    current = next;
  }
  return current;
}

/** Gives findings still present at the same path their line at the tip, where a reader will look. */
function relocateToTip(findings: Finding[], atTip: readonly Finding[]): void {
  const byFingerprint = new Map<string, Finding>();
  for (const f of atTip) if (!byFingerprint.has(f.fingerprint)) byFingerprint.set(f.fingerprint, f);
  for (const f of findings) {
    const now = f.source === 'added' ? byFingerprint.get(f.fingerprint) : undefined;
    if (now === undefined) continue;
    f.line = now.line;
    f.column = now.column;
    f.endLine = now.endLine;
  }
}

/** A file's content at a revision, or undefined when it does not exist there. */
async function readBlob(rev: string, path: string, options: GitScanOptions): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  const code = await runGit(['cat-file', 'blob', `${rev}:${path}`], options, (chunk) => chunks.push(chunk), true);
  return code === 0 ? Buffer.concat(chunks).toString('utf8') : undefined;
}

/** Runs git and parses its stdout as a diff while it streams. */
async function streamDiff(args: string[], options: GitScanOptions, onFile: (file: DiffFile) => void): Promise<void> {
  const parser = new DiffParser(onFile);
  const lines = new LineSplitter((line) => parser.push(line));
  await runGit(args, options, (chunk) => lines.write(chunk), false);
  lines.end();
  parser.end();
}

/**
 * Spawns git (no shell) and feeds stdout to `onData`. A non-zero exit throws a one-line GitError unless
 * `allowFailure`, in which case the exit code is returned. An exception from `onData` stops git and is
 * rethrown.
 */
function runGit(args: string[], options: GitScanOptions, onData: (chunk: Buffer) => void, allowFailure: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.gitPath ?? 'git', args, {
      cwd: options.cwd ?? process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Git must not ask for credentials or open an editor from inside a hook.
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' },
    });
    let failure: unknown;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (failure !== undefined) return;
      try {
        onData(chunk);
      } catch (err) {
        failure = err;
        child.kill();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      failure ??= new GitError(err.code === 'ENOENT' ? 'git is not installed or not on PATH.' : `Could not run git: ${err.message}`, { cause: err });
    });
    child.on('close', (code) => {
      if (failure !== undefined) return reject(failure);
      if (code === 0 || allowFailure) return resolve(code ?? 1);
      reject(new GitError(`git ${subcommand(args)} failed: ${firstLine(stderr) || `exit code ${code}`}`));
    });
  });
}

/** The git subcommand, past any leading `-c name=value` settings. */
function subcommand(args: readonly string[]): string {
  let i = 0;
  while (args[i] === '-c') i += 2;
  return args[i] ?? '';
}

/** The first non-empty line of git's stderr, without control characters (it may echo user input). */
function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  // eslint-disable-next-line no-control-regex
  return line.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 300);
}

/**
 * Splits a byte stream into lines. Bytes are decoded with a streaming decoder so a multi-byte character
 * split across chunks survives, and each chunk is searched once, so a huge single line stays linear.
 */
class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: Buffer): void {
    const text = this.decoder.decode(chunk, { stream: true });
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl === -1) {
      this.pending += text;
      return;
    }
    this.onLine(this.pending + text.slice(0, nl));
    this.pending = '';
    start = nl + 1;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      this.onLine(text.slice(start, nl));
      start = nl + 1;
    }
    this.pending = text.slice(start);
  }

  end(): void {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    if (rest !== '') this.onLine(rest);
  }
}
