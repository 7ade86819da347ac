import type { Client } from './client.js';
import { callEndpoint, expectShape, hasFields, type Endpoint } from './errors.js';
import { MAX_PR_COMMITS, MAX_PR_FILES, PER_PAGE } from './limits.js';
import { forEachPage } from './paginate.js';

/** One changed file as the pulls, commits and compare endpoints describe it. */
export interface ChangedFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  /** The unified diff hunk text; GitHub leaves it out for binary files and diffs too large to show. */
  patch?: string;
  previous_filename?: string;
  /** Lines added plus lines removed; 0 for a pure rename. */
  changes?: number;
  /** The blob sha of the file's new content: two paths with the same sha hold the same bytes. */
  sha?: string;
}

export interface PullRef {
  owner: string;
  repo: string;
  pull_number: number;
}

const LIST_FILES: Endpoint = {
  route: 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
  permission: 'pull-requests: read',
  notFound: 'the pull request is not visible to this token (a private repository needs `contents: read` and `pull-requests: read`)',
};

const LIST_COMMITS: Endpoint = {
  route: 'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits',
  permission: 'pull-requests: read',
  notFound: LIST_FILES.notFound,
};

const GET_PULL: Endpoint = {
  route: 'GET /repos/{owner}/{repo}/pulls/{pull_number}',
  permission: 'pull-requests: read',
  notFound: 'there is no such pull request in this repository',
};

export interface PullHeads {
  headSha: string;
  baseSha: string;
  changedFiles: number;
  commits: number;
  /** The head's repository differs from the base's (or was deleted): the pull request comes from a fork. */
  fromFork: boolean;
}

/** A pull request's head and base commits (for runs that are not triggered by the pull request itself). */
export async function getPullHeads(client: Client, pr: PullRef): Promise<PullHeads> {
  const { data } = await callEndpoint(GET_PULL, () => client.rest.pulls.get({ ...pr }));
  const head = (data.head.repo as { full_name?: string } | null)?.full_name;
  const base = (data.base.repo as { full_name?: string } | null)?.full_name ?? `${pr.owner}/${pr.repo}`;
  return {
    headSha: data.head.sha,
    baseSha: data.base.sha,
    changedFiles: data.changed_files,
    commits: data.commits,
    fromFork: head === undefined || head.toLowerCase() !== base.toLowerCase(),
  };
}

/** The files a pull request changes, every page, up to GitHub's cap of 3,000. */
export async function listPullFiles(client: Client, pr: PullRef): Promise<ChangedFile[]> {
  return callEndpoint(LIST_FILES, async () => {
    const files: RawFile[] = [];
    await forEachPage(client, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { ...pr, per_page: PER_PAGE }, (data) => {
      files.push(...expectShape<RawFile[]>(LIST_FILES, data, isList((f) => hasFields(f, { filename: 'string', status: 'string' })), 'a list of files'));
      return files.length < MAX_PR_FILES;
    });
    return files.slice(0, MAX_PR_FILES).map(toChangedFile);
  });
}

/** The SHAs of a pull request's commits, oldest first, up to GitHub's cap of 250. */
export async function listPullCommits(client: Client, pr: PullRef): Promise<string[]> {
  return callEndpoint(LIST_COMMITS, async () => {
    const commits: string[] = [];
    await forEachPage(client, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', { ...pr, per_page: PER_PAGE }, (data) => {
      commits.push(...expectShape<Array<{ sha: string }>>(LIST_COMMITS, data, isList((c) => hasFields(c, { sha: 'string' })), 'a list of commits').map((c) => c.sha));
      return commits.length < MAX_PR_COMMITS;
    });
    return commits.slice(0, MAX_PR_COMMITS);
  });
}

/** A test for a list whose every item passes `item`. */
export function isList(item: (v: unknown) => boolean): (v: unknown) => boolean {
  return (v) => Array.isArray(v) && v.every(item);
}

type RawFile = Parameters<typeof toChangedFile>[0];

/** Keeps only what the scan reads, so the rest of the action does not depend on Octokit's types. */
export function toChangedFile(f: { filename: string; status: string; patch?: string; previous_filename?: string; changes?: number; sha?: string | null }): ChangedFile {
  const out: ChangedFile = { filename: f.filename, status: f.status as ChangedFile['status'] };
  if (typeof f.sha === 'string' && f.sha !== '') out.sha = f.sha;
  if (f.patch !== undefined) out.patch = f.patch;
  if (f.previous_filename !== undefined) out.previous_filename = f.previous_filename;
  if (f.changes !== undefined) out.changes = f.changes;
  return out;
}
