import type { Client } from './client.js';
import { callEndpoint, type Endpoint } from './errors.js';
import { MAX_COMMIT_FILES, MAX_COMPARE_COMMITS } from './limits.js';
import { toChangedFile, type ChangedFile } from './pulls.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface CommitFiles {
  sha: string;
  files: ChangedFile[];
  /** GitHub served its per-response maximum of files, so the commit may change more than were listed. */
  maybeTruncated: boolean;
}

export interface Comparison {
  files: ChangedFile[];
  /** SHAs of the range's commits, oldest first. */
  commits: string[];
  maybeTruncated: boolean;
}

const GET_COMMIT: Endpoint = {
  route: 'GET /repos/{owner}/{repo}/commits/{ref}',
  permission: 'contents: read',
  notFound: 'the commit is not in this repository or the token cannot read it',
};

const COMPARE: Endpoint = {
  route: 'GET /repos/{owner}/{repo}/compare/{basehead}',
  permission: 'contents: read',
  notFound: 'one end of the range is not in this repository (a force-push may have removed the old head)',
};

/** One commit with the files it changes and their patches (one call: the first page of files). */
export async function getCommitFiles(client: Client, repo: RepoRef, ref: string): Promise<CommitFiles> {
  return callEndpoint(GET_COMMIT, async () => {
    const { data } = await client.rest.repos.getCommit({ ...repo, ref });
    const files = (data.files ?? []).map(toChangedFile);
    return { sha: data.sha, files, maybeTruncated: files.length >= MAX_COMMIT_FILES };
  });
}

/** The changes between two commits (one call), as scanned for a push or a merge group. */
export async function compareCommits(client: Client, repo: RepoRef, base: string, head: string): Promise<Comparison> {
  return callEndpoint(COMPARE, async () => {
    const { data } = await client.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${base}...${head}` });
    const files = (data.files ?? []).map(toChangedFile);
    return {
      files,
      commits: data.commits.map((c) => c.sha),
      maybeTruncated: files.length >= MAX_COMMIT_FILES || data.total_commits > MAX_COMPARE_COMMITS,
    };
  });
}
