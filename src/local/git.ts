/**
 * Scans what a push or a commit would add, straight from git: a range of commits (`BASE..HEAD`) for
 * pre-push hooks and CI, or the staged changes for pre-commit hooks. Git runs without a shell, its
 * output is parsed as it streams, and each file's added lines are scanned as soon as they are read.
 */
import { isUtf8 } from 'node:buffer';
import { spawn } from 'node:child_process';
import { isTransport } from '../report/counts.js';
import type { ScanStats } from '../report/model.js';
import { DiffParser, type DiffFile } from '../scan/diff.js';
import type { Engine } from '../scan/engine.js';
import type { PathFilter } from '../scan/path-filter.js';
import { addStats, emptyStats, markHistoryOnly, scanDiffFiles, scanText } from '../scan/scanner.js';
import type { Finding } from '../scan/types.js';
import type { GitListing } from './files.js';

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
  /** The caller already found `cwd` inside a work tree (see `workTreeTop`): saves one git process per run. */
  inWorkTree?: boolean;
}

export interface GitScanResult {
  findings: Finding[];
  stats: ScanStats;
  /** Commits read, for range and history scans. */
  commits?: number;
  /** A history scan of a shallow clone: the commits before its oldest one are not in the clone to read. */
  shallow?: boolean;
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
 * `range` is `BASE..HEAD`, `BASE...HEAD`, or a single revision `REV` meaning `REV..HEAD`. A base that
 * lies before the root commit (`HEAD~1` in a one-commit repository) means the whole history up to the
 * tip. A range with no commit is an error: scanning it would report "clean" without looking at anything.
 *
 * A key that a later commit of the range removed again (absent from the range's tip) is reported with
 * source `history`: gone from the tree, still readable in git history, so still to be rotated. Keys still
 * present keep source `added` and take their line at the tip. A key found in several commits at the same
 * path is reported once, with the first commit. Merge commits are read as dense combined diffs, so a key
 * introduced by a merge itself (an "evil merge") is found.
 *
 * @throws GitError when git fails (bad range, not a repository, empty range); DiffParseError if git's output cannot be read.
 */
export async function scanGitRange(engine: Engine, range: string, options: GitScanOptions = {}): Promise<GitScanResult> {
  const { spec, tip, base } = normalizeRange(range);
  await requireRepository(options);
  let revs = [spec];
  if (base !== undefined && !(await revisionExists(base, options))) {
    const beforeRoot = /^(.+?)(?:~\d*|\^\d*)+$/.exec(base)?.[1];
    if (beforeRoot === undefined || !(await revisionExists(beforeRoot, options)) || !(await revisionExists(tip, options))) {
      throw new GitError(`Unknown revision ${JSON.stringify(base)} in the git range ${JSON.stringify(range)}.`);
    }
    // `HEAD~3` in a repository of two commits: the user asked for everything back to the start.
    revs = [tip];
  }
  const commits = await countCommits(revs, options);
  if (commits === 0) {
    throw new GitError(
      `The git range ${JSON.stringify(revs[0] ?? range)} contains no commits, so nothing would be scanned; use --git HEAD~1 for the last commit or --history for every commit.`,
    );
  }
  return scanCommits(engine, revs, tip, commits, options);
}

/**
 * Scans every commit reachable from HEAD, the root commit included: a whole-history audit.
 * @throws GitError when git fails (not a repository, no commit yet).
 */
export async function scanHistory(engine: Engine, options: GitScanOptions = {}): Promise<GitScanResult> {
  await requireRepository(options);
  if (!(await revisionExists('HEAD', options))) throw new GitError('The repository has no commits yet, so there is no history to scan.');
  const result = await scanCommits(engine, ['HEAD'], 'HEAD', await countCommits(['HEAD'], options), options);
  return (await isShallow(options)) ? { ...result, shallow: true } : result;
}

async function isShallow(options: GitScanOptions): Promise<boolean> {
  const out: Buffer[] = [];
  await runGit(['rev-parse', '--is-shallow-repository'], options, (c) => out.push(c), true);
  return Buffer.concat(out).toString('utf8').trim() === 'true';
}

/**
 * Scans the commits on HEAD that no remote-tracking branch contains: what a push would publish, for a
 * pre-push hook. Needs no upstream, so a new branch's first push is checked too. With no remote at
 * all, every commit is unpushed. No such commit is a clean result with `commits: 0`.
 * @throws GitError when git fails.
 */
export async function scanUnpushed(engine: Engine, options: GitScanOptions = {}): Promise<GitScanResult> {
  await requireRepository(options);
  if (!(await revisionExists('HEAD', options))) return { findings: [], stats: emptyStats(), commits: 0 };
  const revs = ['HEAD', '--not', '--remotes'];
  const commits = await countCommits(revs, options);
  if (commits === 0) return { findings: [], stats: emptyStats(), commits: 0 };
  return scanCommits(engine, revs, 'HEAD', commits, options);
}

/**
 * Scans every commit reachable from HEAD, or only those after `since` (a commit HEAD descends from), as
 * `scanGitRange` does a range: the weekly audit's history scan over a full checkout.
 *
 * @throws GitError when git fails (not a repository, `since` unknown).
 */
export async function scanGitHistory(engine: Engine, since: string | undefined, options: GitScanOptions = {}): Promise<GitScanResult> {
  if (since !== undefined && !/^[0-9a-f]{40}$/i.test(since)) throw new GitError(`Invalid commit ${JSON.stringify(since)}: expected a full SHA.`);
  const revs = [since === undefined ? 'HEAD' : `${since}..HEAD`];
  return scanCommits(engine, revs, 'HEAD', await countCommits(revs, options), options);
}

async function scanCommits(engine: Engine, revs: readonly string[], tip: string, commits: number, options: GitScanOptions): Promise<GitScanResult> {
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
  // log.showRoot: the root commit's diff is its whole tree, which a whole-history scan must read.
  const args = ['-c', 'log.showSignature=false', '-c', 'log.showRoot=true', 'log', '-p', '--reverse', '--cc', '--format=commit %H', ...DIFF_ARGS, ...revs, '--'];
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
  // A plain-http URL a later commit removed leaked nothing and is already fixed.
  return { findings: perCommit.filter((f) => !(f.source === 'history' && isTransport(f))), stats, commits };
}

/**
 * Scans the changes staged for the next commit (`git diff --cached`): the pre-commit hook's check.
 * Works before the first commit too.
 *
 * @throws GitError when git fails or the directory is not in a git work tree.
 */
export async function scanStaged(engine: Engine, options: GitScanOptions = {}): Promise<GitScanResult> {
  const started = performance.now();
  // Outside a repository `git diff --cached` falls back to comparing files and fails with "unknown option `cached'".
  await requireRepository(options);
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

/**
 * The top directory of the git work tree containing `dir`, or undefined when it is in none (or git is
 * not installed: then there is no ignore rule to honour either).
 */
export async function workTreeTop(dir: string, options: Pick<GitScanOptions, 'gitPath'> = {}): Promise<string | undefined> {
  const out: Buffer[] = [];
  try {
    const code = await runGit(['rev-parse', '--is-inside-work-tree', '--show-toplevel'], { ...options, cwd: dir }, (c) => out.push(c), true);
    if (code !== 0) return undefined;
  } catch {
    return undefined;
  }
  const [inside, top] = Buffer.concat(out).toString('utf8').split('\n');
  return inside === 'true' && top !== undefined && top !== '' ? top : undefined;
}

/** The files of a work tree git would consider: tracked, plus untracked files no ignore rule covers. */
export async function listWorkTree(top: string, options: Pick<GitScanOptions, 'gitPath'> = {}): Promise<GitListing> {
  const chunks: Buffer[] = [];
  await runGit(['-c', 'core.quotePath=false', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], { ...options, cwd: top }, (c) => chunks.push(c), false);
  // Split as bytes: a name that is not UTF-8 must be opened by its bytes, not by its decoded form.
  const all = Buffer.concat(chunks);
  const files: string[] = [];
  const rawNames = new Map<number, Buffer>();
  let previous: Buffer | undefined;
  for (let start = 0; start < all.length; ) {
    let end = all.indexOf(0, start);
    if (end === -1) end = all.length;
    const raw = all.subarray(start, end);
    start = end + 1;
    // An unmerged path is listed once per stage; git's order is kept (it is sorted).
    if (raw.length === 0 || (previous !== undefined && raw.equals(previous))) continue;
    previous = raw;
    const name = raw.toString('utf8');
    if (!isUtf8(raw)) rawNames.set(files.length, Buffer.from(raw));
    files.push(name);
  }
  return rawNames.size > 0 ? { top, files, rawNames } : { top, files };
}

/** The ignore rule that excludes a path (`.gitignore:3: .env`), or undefined when git does not ignore it. */
export async function ignoreRule(top: string, rel: string, options: Pick<GitScanOptions, 'gitPath'> = {}): Promise<string | undefined> {
  const out: Buffer[] = [];
  const code = await runGit(['check-ignore', '-v', '--', rel], { ...options, cwd: top }, (c) => out.push(c), true);
  if (code !== 0) return undefined;
  const line = Buffer.concat(out).toString('utf8');
  const match = /^(.*?):(\d+):(.*?)\t/.exec(line);
  return match === null ? 'a git ignore rule' : `${match[1]}:${match[2]}: ${match[3]}`;
}

async function requireRepository(options: GitScanOptions): Promise<void> {
  if (options.inWorkTree === true) return;
  const code = await runGit(['rev-parse', '--git-dir'], options, () => undefined, true);
  if (code !== 0) throw new GitError(`${options.cwd ?? process.cwd()} is not inside a git repository.`);
}

async function revisionExists(rev: string, options: GitScanOptions): Promise<boolean> {
  return (await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], options, () => undefined, true)) === 0;
}

async function countCommits(revs: readonly string[], options: GitScanOptions): Promise<number> {
  const out: Buffer[] = [];
  await runGit(['rev-list', '--count', ...revs, '--'], options, (c) => out.push(c), false);
  return Number.parseInt(Buffer.concat(out).toString('utf8').trim(), 10) || 0;
}

/** `REV` means `REV..HEAD`; the tip is the revision whose tree is the range's final state. */
function normalizeRange(range: string): { spec: string; tip: string; base?: string } {
  const r = range.trim();
  // Refuse what git would read as an option: the range comes from hook arguments and CI inputs.
  if (r === '' || r.startsWith('-') || /[\s\0]/.test(r)) {
    throw new GitError(`Invalid git range ${JSON.stringify(range)}: expected BASE..HEAD, BASE...HEAD or a single revision.`);
  }
  const three = r.indexOf('...');
  if (three !== -1) return { spec: r, tip: r.slice(three + 3) || 'HEAD', base: r.slice(0, three) || 'HEAD' };
  const two = r.indexOf('..');
  if (two !== -1) return { spec: r, tip: r.slice(two + 2) || 'HEAD', base: r.slice(0, two) || 'HEAD' };
  return { spec: `${r}..HEAD`, tip: 'HEAD', base: r };
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
