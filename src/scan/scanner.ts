/**
 * The scan steps shared by the CLI and the action: which texts reach the engine, with which source and
 * line numbers, and what the run counts. No I/O here; callers read diffs, files and git themselves.
 */
import type { ScanStats } from '../report/model.js';
import type { DiffFile } from './diff.js';
import { secretOf, type Engine } from './engine.js';
import { redact } from './redact.js';
import type { PathFilter } from './path-filter.js';
import type { Finding, FindingSource } from './types.js';

/** Bytes inspected for a NUL when deciding a file is binary: git's own heuristic looks at the first 8000. */
export const BINARY_SNIFF_BYTES = 8192;

export interface ScanResult {
  findings: Finding[];
  stats: ScanStats;
  /** Findings an allow marker on the same added line suppressed: the change silenced them itself. */
  suppressed?: Finding[];
}

export interface DiffScanOptions {
  /** Paths for which it returns false are counted as `ignored` and not scanned. Default: scan all. */
  filter?: PathFilter;
  /** Default `added`. */
  source?: FindingSource;
  /** Put on every finding; default: each file's own `commit`, if any. */
  commit?: string;
  /**
   * Collect the findings that an allow marker suppressed into `suppressed`. On a diff the marker sits on
   * an added line (it must share the finding's line), so the change itself added it.
   */
  collectSuppressed?: boolean;
}

export interface TextScanOptions {
  filter?: PathFilter;
  /** Default `file`. */
  source?: FindingSource;
  commit?: string;
}

/** Zeroed counters, with every skip reason present so that merged totals read naturally. */
export function emptyStats(): ScanStats {
  return { files: 0, bytes: 0, durationMs: 0, skipped: { binary: 0, ignored: 0, tooLarge: 0 } };
}

/** Adds `more` into `into` (mutating it) and returns it, for runs made of several scans. */
export function addStats(into: ScanStats, more: ScanStats): ScanStats {
  into.files += more.files;
  into.bytes += more.bytes;
  into.durationMs += more.durationMs;
  const skipped = (into.skipped ??= {});
  for (const key of ['binary', 'ignored', 'tooLarge'] as const) {
    const n = more.skipped?.[key] ?? 0;
    if (n > 0 || skipped[key] !== undefined) skipped[key] = (skipped[key] ?? 0) + n;
  }
  if (more.apiCalls !== undefined) into.apiCalls = (into.apiCalls ?? 0) + more.apiCalls;
  return into;
}

/**
 * Scans the added lines of parsed diff files. Binary files and filtered-out paths are counted, not
 * scanned; a deleted file, or one with no added line (a pure rename), is neither scanned nor counted.
 * `stats.files` counts the files whose added lines reached the engine; `stats.bytes` their UTF-8 size.
 */
export function scanDiffFiles(engine: Engine, files: readonly DiffFile[], options: DiffScanOptions = {}): ScanResult {
  const started = performance.now();
  const stats = emptyStats();
  const findings: Finding[] = [];
  const suppressed: Finding[] | undefined = options.collectSuppressed === true ? [] : undefined;
  for (const file of files) {
    // A deletion adds nothing; counting it as skipped would only blur the figures.
    if (file.status === 'deleted') continue;
    if (options.filter !== undefined && !options.filter(file.path)) {
      bump(stats, 'ignored');
      continue;
    }
    if (file.binary || hasNul(file.addedText)) {
      bump(stats, 'binary');
      continue;
    }
    if (file.lineNumbers.length === 0) continue;
    stats.files++;
    stats.bytes += Buffer.byteLength(file.addedText, 'utf8');
    const commit = options.commit ?? file.commit;
    findings.push(
      ...engine.scan({
        path: file.path,
        text: file.addedText,
        lineNumbers: file.lineNumbers,
        source: options.source ?? 'added',
        ...(commit !== undefined ? { commit } : {}),
        ...(suppressed !== undefined ? { suppressed } : {}),
      }),
    );
  }
  stats.durationMs = performance.now() - started;
  return suppressed === undefined ? { findings, stats } : { findings, stats, suppressed };
}

/**
 * Scans one whole file's text. A text with a NUL in its first 8 KiB is binary and skipped, as git
 * judges it; a filtered-out path is skipped as `ignored`.
 */
export function scanText(engine: Engine, path: string, text: string, options: TextScanOptions = {}): ScanResult {
  const started = performance.now();
  const stats = emptyStats();
  let findings: Finding[] = [];
  if (options.filter !== undefined && !options.filter(path)) bump(stats, 'ignored');
  else if (hasNul(text)) bump(stats, 'binary');
  else {
    stats.files = 1;
    stats.bytes = Buffer.byteLength(text, 'utf8');
    findings = engine.scan({
      path,
      text,
      source: options.source ?? 'file',
      ...(options.commit !== undefined ? { commit: options.commit } : {}),
    });
  }
  stats.durationMs = performance.now() - started;
  return { findings, stats };
}

/**
 * Marks as `history` each finding of a commit-by-commit scan whose key is absent from the final state
 * (the net diff of the range, or the files at its tip), and returns the same array.
 *
 * Matching is by rule and secret value, not by fingerprint: fingerprints include the path, and a key
 * moved to another file is still in the tree, so it stays `added`. The comparison happens in memory
 * through `secretOf`; no value is stored or printed. A finding the engine did not make (no secret
 * attached) falls back to its fingerprint.
 *
 * The findings are updated in place rather than copied: a copy would lose the engine's link to the
 * secret, which masking and live checks need.
 */
export function markHistoryOnly(perCommitFindings: Finding[], finalFindings: readonly Finding[]): Finding[] {
  const present = new Set<string>();
  for (const f of finalFindings) present.add(presenceKey(f));
  for (const f of perCommitFindings) {
    if (!present.has(presenceKey(f))) f.source = 'history';
  }
  return perCommitFindings;
}

function presenceKey(f: Finding): string {
  const secret = secretOf(f);
  return secret === undefined ? `fp\0${f.fingerprint}` : `rs\0${f.ruleId}\0${secret}`;
}

function hasNul(text: string): boolean {
  const nul = text.indexOf('\0');
  return nul !== -1 && nul < BINARY_SNIFF_BYTES;
}

function bump(stats: ScanStats, reason: 'binary' | 'ignored' | 'tooLarge'): void {
  const skipped = (stats.skipped ??= {});
  skipped[reason] = (skipped[reason] ?? 0) + 1;
}

/**
 * Replaces every found secret that also appears in a displayed path (a key used as a file name, or
 * part of one) by its redacted form, in the findings' `file` and in the notes, which list paths. Paths
 * reach the comment, the check run, the summary, SARIF and the JSON report, none of which the runner's
 * log masking covers. Findings are changed in place, keeping the engine's link to their secret.
 */
export function redactSecretsInPaths(findings: readonly Finding[], notes: string[]): void {
  const secrets = [...new Set(findings.map((f) => secretOf(f)).filter((s): s is string => s !== undefined && s.length >= 8))];
  if (secrets.length === 0) return;
  // Longest first, so a key that contains another is replaced whole.
  secrets.sort((a, b) => b.length - a.length);
  const scrub = (text: string): string => {
    let out = text;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(redact(secret));
    return out;
  };
  for (const f of findings) f.file = scrub(f.file);
  for (let i = 0; i < notes.length; i++) notes[i] = scrub(notes[i] as string);
}
