import { isTransport } from '../report/counts.js';
import type { ScanStats } from '../report/model.js';
import { parsePatch, type DiffFile } from '../scan/diff.js';
import type { Engine } from '../scan/engine.js';
import type { PathFilter } from '../scan/path-filter.js';
import { addStats, emptyStats, markHistoryOnly, scanDiffFiles, scanText } from '../scan/scanner.js';
import type { Finding } from '../scan/types.js';
import type { Client } from '../github/client.js';
import { getCommitFiles, type RepoRef } from '../github/commits.js';
import { getFileCapped } from '../github/contents.js';
import type { ChangedFile } from '../github/pulls.js';

/**
 * A file GitHub sent without a patch is fetched and scanned whole, up to this size. Past it the file is
 * almost surely generated or data, and reading it would cost more job time than it is worth.
 */
export const MAX_WHOLE_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Files without a patch fetched whole per run. Each costs one API call and up to 10 MiB; a pull request
 * of thousands of binary or generated files would otherwise spend the repository's hourly API budget
 * (and the runner's memory) on one run. Past the cap, files are listed as not scanned.
 */
export const MAX_WHOLE_FILE_FETCHES = 100;

/** How many paths a note lists before it just counts the rest. */
const MAX_PATHS_IN_NOTE = 10;

export interface ChangeScanContext {
  client: Client;
  repo: RepoRef;
  engine: Engine;
  filter: PathFilter;
}

export interface ChangeScanResult {
  findings: Finding[];
  /** Findings silenced by an allow marker on a line the change adds. */
  suppressed: Finding[];
  stats: ScanStats;
  notes: string[];
  /**
   * Why part of the change could not be scanned (an API call failed after its retries), one line each,
   * naming the endpoint. What was found is still reported; the run then fails, since a clean result
   * would vouch for files nobody read.
   */
  incomplete: string[];
}

/**
 * Scans the net change (a PR's files, a compared range): the added lines of each file's patch; a file
 * whose patch GitHub left out (too large, or binary) is fetched at `headSha` and scanned whole.
 * Removed files and pure renames add nothing and are passed over; a rename is scanned at its new path.
 */
export async function scanChangedFiles(ctx: ChangeScanContext, files: readonly ChangedFile[], headSha: string): Promise<ChangeScanResult> {
  const diffFiles: DiffFile[] = [];
  const wholeFiles: ChangedFile[] = [];
  for (const file of files) {
    if (file.status === 'removed' || file.status === 'unchanged') continue;
    const parsed = file.patch === undefined ? undefined : tryParsePatch(file.patch);
    if (parsed !== undefined) diffFiles.push(toDiffFile(file, parsed));
    else if (!(file.status === 'renamed' && file.changes === 0)) wholeFiles.push(file);
  }
  const result = scanDiffFiles(ctx.engine, diffFiles, { filter: ctx.filter, collectSuppressed: true });
  const findings = [...result.findings];
  const stats = result.stats;
  const notes: string[] = [];

  const scannedWhole: string[] = [];
  const binary: string[] = [];
  const tooLarge: string[] = [];
  const missing: string[] = [];
  const incomplete: string[] = [];
  const unfetched: string[] = [];
  const overCap: string[] = [];
  // One fetch per distinct content: a PR that copies one file a thousand times costs one call.
  const bySha = new Map<string, Promise<WholeRead>>();
  let fetches = 0;
  for (const file of wholeFiles) {
    // After one call failed past its retries, the API is not answering: the rest is listed, not fetched.
    if (incomplete.length > 0) {
      unfetched.push(file.filename);
      continue;
    }
    // An ignored path costs no API call: images and archives are the usual patchless files.
    if (!ctx.filter(file.filename)) {
      addStats(stats, { ...emptyStats(), skipped: { ignored: 1 } });
      continue;
    }
    let pending = file.sha === undefined ? undefined : bySha.get(file.sha);
    if (pending === undefined) {
      if (fetches >= MAX_WHOLE_FILE_FETCHES) {
        overCap.push(file.filename);
        continue;
      }
      fetches++;
      pending = readWhole(ctx, file.filename, headSha);
      if (file.sha !== undefined) bySha.set(file.sha, pending);
    }
    const read = await pending;
    if (read.kind === 'failed') {
      unfetched.push(file.filename);
      incomplete.push(read.error);
      continue;
    }
    if (read.kind === 'missing') {
      missing.push(file.filename);
      continue;
    }
    if (read.kind === 'too-large') {
      addStats(stats, { ...emptyStats(), skipped: { tooLarge: 1 } });
      tooLarge.push(file.filename);
      continue;
    }
    const whole = scanText(ctx.engine, file.filename, read.text, { filter: ctx.filter, source: 'file' });
    addStats(stats, whole.stats);
    if ((whole.stats.skipped?.binary ?? 0) > 0) binary.push(file.filename);
    else scannedWhole.push(file.filename);
    findings.push(...whole.findings);
  }
  // What could not be read makes the run incomplete: a clean verdict would vouch for files nobody read.
  if (tooLarge.length > 0) incomplete.push(`${count(tooLarge.length, 'file')} without a diff larger than ${MAX_WHOLE_FILE_BYTES / (1024 * 1024)} MiB not scanned`);
  if (missing.length > 0) incomplete.push(`${count(missing.length, 'file')} without a diff could not be read at the head commit`);
  if (overCap.length > 0) {
    incomplete.push(`${count(overCap.length, 'file')} without a diff past the cap of ${MAX_WHOLE_FILE_FETCHES} fetched per run`);
    notes.push(
      `${count(overCap.length, 'file')} without a diff not scanned: a run fetches at most ${MAX_WHOLE_FILE_FETCHES} whole files, to keep within the API budget: ${listPaths(overCap)}.`,
    );
  }
  if (scannedWhole.length > 0) {
    notes.push(
      `${count(scannedWhole.length, 'file')} had no diff in GitHub's answer (too large to show), so ${scannedWhole.length === 1 ? 'it was' : 'they were'} ` +
        `scanned whole at the head commit; findings there may predate this change: ${listPaths(scannedWhole)}.`,
    );
  }
  if (binary.length > 0) notes.push(`${count(binary.length, 'binary file')} not scanned: ${listPaths(binary)}.`);
  if (tooLarge.length > 0) {
    notes.push(`${count(tooLarge.length, 'file')} larger than ${MAX_WHOLE_FILE_BYTES / (1024 * 1024)} MiB without a diff not scanned: ${listPaths(tooLarge)}.`);
  }
  if (missing.length > 0) notes.push(`${count(missing.length, 'file')} could not be read at the head commit: ${listPaths(missing)}.`);
  if (unfetched.length > 0) notes.push(`${count(unfetched.length, 'file')} without a diff could not be fetched, so ${unfetched.length === 1 ? 'it was' : 'they were'} not scanned: ${listPaths(unfetched)}.`);
  return { findings, suppressed: result.suppressed ?? [], stats, notes, incomplete };
}

/**
 * Scans each commit's own patches and returns the keys that some commit added but that the final change
 * no longer contains, as `source: 'history'`: deleting a key in a later commit does not unpublish it.
 * One key is reported once, at the first commit that added it. One API call per commit.
 */
export async function scanCommitHistory(
  ctx: ChangeScanContext,
  commits: readonly string[],
  finalFindings: readonly Finding[],
): Promise<ChangeScanResult> {
  const history: Finding[] = [];
  const seen = new Set<string>();
  const notes: string[] = [];
  const partial: string[] = [];
  const incomplete: string[] = [];
  for (const [index, sha] of commits.entries()) {
    let commit: Awaited<ReturnType<typeof getCommitFiles>>;
    try {
      commit = await getCommitFiles(ctx.client, ctx.repo, sha);
    } catch (error) {
      // The API is not answering: the remaining commits would each wait out the same retries.
      incomplete.push(errorMessage(error));
      notes.push(`${count(commits.length - index, 'commit')} from ${sha.slice(0, 7)} on could not be read, so ${commits.length - index === 1 ? 'it was' : 'they were'} not checked for keys removed later.`);
      break;
    }
    const diffFiles: DiffFile[] = [];
    let unreadable = 0;
    for (const file of commit.files) {
      if (file.status === 'removed') continue;
      const parsed = file.patch === undefined ? undefined : tryParsePatch(file.patch);
      if (parsed !== undefined) diffFiles.push(toDiffFile(file, parsed));
      else if (!(file.status === 'renamed' && file.changes === 0)) unreadable++;
    }
    if (unreadable > 0 || commit.maybeTruncated) partial.push(sha.slice(0, 7));
    const found = scanDiffFiles(ctx.engine, diffFiles, { filter: ctx.filter, commit: commit.sha });
    for (const f of markHistoryOnly(found.findings, finalFindings)) {
      // A plain-http URL a later commit removed leaked nothing and is already fixed.
      if (f.source !== 'history' || isTransport(f) || seen.has(f.fingerprint)) continue;
      seen.add(f.fingerprint);
      history.push(f);
    }
  }
  if (partial.length > 0) {
    notes.push(
      `${count(partial.length, 'commit')} had files without a diff (too large, binary, or past GitHub's 300 files per commit), ` +
        `not checked for keys removed later: ${partial.slice(0, MAX_PATHS_IN_NOTE).join(', ')}${partial.length > MAX_PATHS_IN_NOTE ? ', …' : ''}.`,
    );
  }
  return { findings: history, suppressed: [], stats: emptyStats(), notes, incomplete };
}

type WholeRead = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'too-large' } | { kind: 'failed'; error: string };

/** One whole file at the head, read up to the size cap and decoded. */
async function readWhole(ctx: ChangeScanContext, path: string, headSha: string): Promise<WholeRead> {
  try {
    const read = await getFileCapped(ctx.client, ctx.repo, path, headSha, MAX_WHOLE_FILE_BYTES);
    if (read === undefined) return { kind: 'missing' };
    if ('tooLarge' in read) return { kind: 'too-large' };
    return { kind: 'text', text: decodeText(read.bytes) };
  } catch (error) {
    return { kind: 'failed', error: errorMessage(error) };
  }
}

/**
 * Text by its byte-order mark: UTF-16 files (common for Windows tools' config and .reg exports) are full
 * of NUL bytes as UTF-8, and would be skipped as binary. Without a BOM, UTF-8.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function tryParsePatch(patch: string): ReturnType<typeof parsePatch> | undefined {
  try {
    return parsePatch(patch);
  } catch {
    // GitHub sometimes cuts a long patch mid-hunk; the whole file at the head is then the safe reading.
    return undefined;
  }
}

function toDiffFile(file: ChangedFile, added: ReturnType<typeof parsePatch>): DiffFile {
  return {
    path: file.filename,
    oldPath: file.previous_filename ?? file.filename,
    status: file.status === 'added' || file.status === 'copied' ? 'added' : file.status === 'renamed' ? 'renamed' : 'modified',
    binary: false,
    ...added,
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Notes are plain text: the renderers escape them, the log escapes them. */
function listPaths(paths: readonly string[]): string {
  const shown = paths.slice(0, MAX_PATHS_IN_NOTE);
  const more = paths.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}
