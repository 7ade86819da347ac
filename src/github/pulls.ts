import type { Client } from './client.js';
import { callEndpoint, type Endpoint } from './errors.js';
import { MAX_PR_COMMITS, MAX_PR_FILES, PER_PAGE } from './limits.js';

/** One changed file as the pulls, commits and compare endpoints describe it. */
export interface ChangedFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  /** The unified diff hunk text; GitHub leaves it out for binary files and diffs too large to show. */
  patch?: string;
  previous_filename?: string;
  /** Lines added plus lines removed; 0 for a pure rename. */
  changes?: number;
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

/** A pull request's head and base commits (for runs that are not triggered by the pull request itself). */
export async function getPullHeads(client: Client, pr: PullRef): Promise<{ headSha: string; baseSha: string; changedFiles: number; commits: number }> {
  const { data } = await callEndpoint(GET_PULL, () => client.rest.pulls.get({ ...pr }));
  return { headSha: data.head.sha, baseSha: data.base.sha, changedFiles: data.changed_files, commits: data.commits };
}

/** The files a pull request changes, every page, up to GitHub's cap of 3,000. */
export async function listPullFiles(client: Client, pr: PullRef): Promise<ChangedFile[]> {
  return callEndpoint(LIST_FILES, async () => {
    let seen = 0;
    const files = await client.paginate(client.rest.pulls.listFiles, { ...pr, per_page: PER_PAGE }, (response, done) => {
      seen += response.data.length;
      if (seen >= MAX_PR_FILES) done();
      return response.data;
    });
    return files.slice(0, MAX_PR_FILES).map(toChangedFile);
  });
}

/** The SHAs of a pull request's commits, oldest first, up to GitHub's cap of 250. */
export async function listPullCommits(client: Client, pr: PullRef): Promise<string[]> {
  return callEndpoint(LIST_COMMITS, async () => {
    let seen = 0;
    const commits = await client.paginate(client.rest.pulls.listCommits, { ...pr, per_page: PER_PAGE }, (response, done) => {
      seen += response.data.length;
      if (seen >= MAX_PR_COMMITS) done();
      return response.data.map((c) => c.sha);
    });
    return commits.slice(0, MAX_PR_COMMITS);
  });
}

/** Keeps only what the scan reads, so the rest of the action does not depend on Octokit's types. */
export function toChangedFile(f: { filename: string; status: string; patch?: string; previous_filename?: string; changes?: number }): ChangedFile {
  const out: ChangedFile = { filename: f.filename, status: f.status as ChangedFile['status'] };
  if (f.patch !== undefined) out.patch = f.patch;
  if (f.previous_filename !== undefined) out.previous_filename = f.previous_filename;
  if (f.changes !== undefined) out.changes = f.changes;
  return out;
}
