import type { Client } from './client.js';
import type { RepoRef } from './commits.js';
import { callEndpoint, expectShape, hasFields, type Endpoint } from './errors.js';

/** A file in a git tree, as the trees API lists it. */
export interface TreeFile {
  path: string;
  sha: string;
  /** Bytes, from the tree listing: lets the audit skip oversized files without fetching them. */
  size: number;
}

export interface RepositoryInfo {
  defaultBranch: string;
  private: boolean;
}

const GET_REPO: Endpoint = { route: 'GET /repos/{owner}/{repo}', permission: 'contents: read' };
const GET_TREE: Endpoint = {
  route: 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
  permission: 'contents: read',
  notFound: 'the branch has no commits yet, or the token cannot read the repository',
};
const GET_BLOB: Endpoint = { route: 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}', permission: 'contents: read' };

/** The repository's default branch and visibility. */
export async function getRepository(client: Client, repo: RepoRef): Promise<RepositoryInfo> {
  const { data: raw } = await callEndpoint(GET_REPO, () => client.rest.repos.get({ ...repo }));
  const data = expectShape<typeof raw>(GET_REPO, raw, (v) => hasFields(v, { default_branch: 'string' }), 'a repository');
  return { defaultBranch: data.default_branch, private: data.private };
}

/**
 * Every file (blob) under a tree, given by SHA or by a branch or tag name. The recursive listing is one call, but GitHub truncates it past
 * 100,000 entries or 7 MB; then each subtree is listed on its own (recursively again, so only the
 * subtrees that are themselves too large cost more than one call).
 */
export async function listTreeFiles(client: Client, repo: RepoRef, treeOrRef: string): Promise<{ files: TreeFile[]; truncatedTrees: number }> {
  const files: TreeFile[] = [];
  let truncatedTrees = 0;
  const walk = async (sha: string, prefix: string, recursive: boolean): Promise<void> => {
    const { data: raw } = await callEndpoint(GET_TREE, () =>
      client.rest.git.getTree({ ...repo, tree_sha: sha, ...(recursive ? { recursive: '1' } : {}) }),
    );
    const data = expectShape<typeof raw>(GET_TREE, raw, (v) => Array.isArray((v as { tree?: unknown } | null)?.tree), 'a tree');
    if (recursive && data.truncated) {
      truncatedTrees++;
      await walk(sha, prefix, false);
      return;
    }
    for (const entry of data.tree) {
      if (entry.path === undefined || entry.sha === undefined) continue;
      const path = `${prefix}${entry.path}`;
      if (entry.type === 'blob') files.push({ path, sha: entry.sha, size: entry.size ?? 0 });
      // A non-recursive listing shows subtrees as entries: list each, recursively where GitHub allows.
      else if (entry.type === 'tree' && !recursive) await walk(entry.sha, `${path}/`, true);
    }
  };
  await walk(treeOrRef, '', true);
  return { files, truncatedTrees };
}

/** A blob's bytes (the API serves them base64-encoded). */
export async function getBlob(client: Client, repo: RepoRef, sha: string): Promise<Buffer> {
  const { data: raw } = await callEndpoint(GET_BLOB, () => client.rest.git.getBlob({ ...repo, file_sha: sha }));
  const data = expectShape<typeof raw>(GET_BLOB, raw, (v) => hasFields(v, { content: 'string' }), 'a blob');
  return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
}
