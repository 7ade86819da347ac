/**
 * Whether the job's checkout (`actions/checkout` in GITHUB_WORKSPACE) can stand in for the API: it must be
 * this repository, at the run's commit on the default branch, with its tracked files unchanged. Anything
 * else (another repository checked out there, another branch, a step that edited files) is not trusted,
 * and the audit reads the archive instead.
 */
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import type { RepoRef } from '../github/commits.js';

export interface CheckoutExpectation {
  workspace: string;
  /** GITHUB_SHA: the commit the run is for. */
  sha: string;
  /** GITHUB_REF: on a schedule, the default branch. */
  ref: string;
  repo: RepoRef;
  /** GITHUB_SERVER_URL, whose host the checkout's remote must point at. */
  serverUrl: string;
  defaultBranch: string;
}

export type CheckoutState =
  | { trusted: true; dir: string; sha: string; fullHistory: boolean }
  /** `reason` is undefined when there is simply no checkout (nothing to say about it). */
  | { trusted: false; reason?: string };

/** Checks the workspace against what the run says it should hold. Never throws: an unusable checkout is a reason. */
export async function inspectCheckout(expect: CheckoutExpectation, gitPath = 'git'): Promise<CheckoutState> {
  const git = (args: string[]): Promise<string | undefined> => gitOutput(gitPath, expect.workspace, args);
  const top = await git(['rev-parse', '--show-toplevel']);
  if (top === undefined) return { trusted: false };
  const [realTop, realWorkspace] = await Promise.all([realpath(top).catch(() => top), realpath(expect.workspace).catch(() => expect.workspace)]);
  if (realTop !== realWorkspace) return { trusted: false, reason: 'GITHUB_WORKSPACE is inside another git repository, not a checkout of this one' };
  const remote = (await git(['config', '--get', 'remote.origin.url'])) ?? '';
  if (!sameRepository(remote, expect.repo, expect.serverUrl)) {
    return { trusted: false, reason: `the checkout's origin is not ${expect.repo.owner}/${expect.repo.repo}` };
  }
  const head = await git(['rev-parse', 'HEAD']);
  if (head === undefined || head.toLowerCase() !== expect.sha.toLowerCase()) {
    return { trusted: false, reason: `the checkout is at ${head?.slice(0, 12) ?? 'no commit'}, not at the run's commit ${expect.sha.slice(0, 12)}` };
  }
  if (expect.ref !== `refs/heads/${expect.defaultBranch}`) {
    return { trusted: false, reason: `the run is for ${expect.ref || 'no ref'}, not the default branch ${expect.defaultBranch}` };
  }
  const changed = await git(['status', '--porcelain', '--untracked-files=no']);
  if (changed === undefined || changed !== '') return { trusted: false, reason: 'tracked files in the checkout were changed by an earlier step' };
  const shallow = await git(['rev-parse', '--is-shallow-repository']);
  return { trusted: true, dir: realTop, sha: head, fullHistory: shallow === 'false' };
}

/**
 * True when a remote URL names this repository on this server: `https://host/owner/repo(.git)`, with or
 * without credentials, or `git@host:owner/repo(.git)`. GitHub names are case-insensitive.
 */
export function sameRepository(remote: string, repo: RepoRef, serverUrl: string): boolean {
  let server: URL;
  try {
    server = new URL(serverUrl);
  } catch {
    return false;
  }
  const want = `${repo.owner}/${repo.repo}`.toLowerCase();
  const text = remote.trim();
  const scp = /^[^@/:]+@([^:/]+):(.+?)(?:\.git)?\/?$/.exec(text);
  if (scp !== null) return (scp[1] ?? '').toLowerCase() === server.hostname.toLowerCase() && (scp[2] ?? '').toLowerCase() === want;
  try {
    const url = new URL(text);
    const path = url.pathname.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '').toLowerCase();
    const hostMatches =
      url.protocol === 'ssh:' ? url.hostname.toLowerCase() === server.hostname.toLowerCase() : (url.protocol === 'https:' || url.protocol === 'http:') && url.host.toLowerCase() === server.host.toLowerCase();
    return hostMatches && path === want;
  } catch {
    return false;
  }
}

/** Whether `ancestor` is a commit HEAD descends from (false when it is unknown: a force-push dropped it). */
export async function isAncestorOfHead(workspace: string, ancestor: string, gitPath = 'git'): Promise<boolean> {
  if (!/^[0-9a-f]{40}$/i.test(ancestor)) return false;
  return (await gitOutput(gitPath, workspace, ['merge-base', '--is-ancestor', ancestor, 'HEAD'])) !== undefined;
}

/** Commits reachable from HEAD, or only those after `since`. */
export async function countCommits(workspace: string, since: string | undefined, gitPath = 'git'): Promise<number> {
  const out = await gitOutput(gitPath, workspace, ['rev-list', '--count', since === undefined ? 'HEAD' : `${since}..HEAD`]);
  return Number(out ?? 0);
}

/**
 * The regular files tracked at HEAD (symbolic links and submodules left out), repository-relative. Read
 * from git rather than by walking the directory, so files an earlier step created are not mistaken for
 * the branch's.
 */
export async function listTrackedFiles(workspace: string, gitPath = 'git'): Promise<string[]> {
  const out = await gitOutput(gitPath, workspace, ['-c', 'core.quotePath=false', 'ls-tree', '-r', '-z', '--full-tree', 'HEAD'], 512 * 1024 * 1024, false);
  if (out === undefined) throw new Error('git ls-tree failed in the checkout');
  const paths: string[] = [];
  for (const record of out.split('\0')) {
    // "<mode> <type> <sha>\t<path>"; 100644 and 100755 are regular files, 120000 a symlink, 160000 a submodule.
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const [mode, type] = record.slice(0, tab).split(' ');
    if (type === 'blob' && (mode === '100644' || mode === '100755')) paths.push(record.slice(tab + 1));
  }
  return paths;
}

/** Git's trimmed stdout, or undefined when git fails or is missing. */
function gitOutput(gitPath: string, cwd: string, args: string[], maxBuffer = 1024 * 1024, trim = true): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(gitPath, args, { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' }, maxBuffer }, (error, stdout) => {
      resolve(error === null ? (trim ? stdout.trim() : stdout) : undefined);
    });
  });
}
