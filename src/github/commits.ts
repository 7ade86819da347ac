import type { Client } from './client.js';
import { callEndpoint, expectShape, hasFields, type Endpoint } from './errors.js';
import { MAX_COMMIT_FILES, MAX_COMPARE_COMMITS } from './limits.js';
import { isList, toChangedFile, type ChangedFile } from './pulls.js';

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
    const { data: raw } = await client.rest.repos.getCommit({ ...repo, ref });
    const data = expectShape<typeof raw>(GET_COMMIT, raw, (v) => hasFields(v, { sha: 'string' }) && isFileList((v as { files?: unknown }).files), 'a commit with its files');
    const files = (data.files ?? []).map(toChangedFile);
    return { sha: data.sha, files, maybeTruncated: files.length >= MAX_COMMIT_FILES };
  });
}

/** GitHub leaves `files` out of a commit or comparison without changes. */
function isFileList(files: unknown): boolean {
  return files === undefined || isList((f) => hasFields(f, { filename: 'string', status: 'string' }))(files);
}

/** The changes between two commits (one call), as scanned for a push or a merge group. */
export async function compareCommits(client: Client, repo: RepoRef, base: string, head: string): Promise<Comparison> {
  return callEndpoint(COMPARE, async () => {
    const { data: raw } = await client.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${base}...${head}` });
    const data = expectShape<typeof raw>(
      COMPARE,
      raw,
      (v) => hasFields(v, { total_commits: 'number' }) && isFileList((v as { files?: unknown }).files) && isList((c) => hasFields(c, { sha: 'string' }))((v as { commits?: unknown }).commits),
      'a comparison with files and commits',
    );
    const files = (data.files ?? []).map(toChangedFile);
    return {
      files,
      commits: data.commits.map((c) => c.sha),
      maybeTruncated: files.length >= MAX_COMMIT_FILES || data.total_commits > MAX_COMPARE_COMMITS,
    };
  });
}
