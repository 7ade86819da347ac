import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { loadConfig, parseConfig } from '../config/load.js';
import { defaultConfig, type Config } from '../config/types.js';
import type { Client } from '../github/client.js';
import type { RepoRef } from '../github/commits.js';
import { getFileBytes } from '../github/contents.js';

export interface ConfigRequest {
  path: string;
  explicit: boolean;
  /**
   * Read the file at this commit through the API, ignoring the workspace. Set for pull requests, to
   * their base commit: see `readConfig`.
   */
  trustedRef?: string;
  /** Where to look when the workspace has no copy (push, merge group): the commit the run is for. */
  fallbackRef?: string;
  workspace: string;
}

export interface LoadedConfig {
  config: Config;
  /** Where it came from, for the log: a workspace path, `path@sha`, or that the defaults apply. */
  source: string;
}

/**
 * Reads the config file.
 *
 * For a pull request it is read through the contents API at the BASE commit, never from the workspace:
 * the workspace of a `pull_request` run is the merge commit, which the pull request itself controls, and
 * on `pull_request_target` it holds whatever the workflow chose to check out. Reading at the base means
 * a pull request cannot weaken its own scan (ignore its path, allow its key) by editing the config; a
 * config change takes effect once merged. It costs one API call.
 *
 * For the other events the code is already in the repository, so the workspace copy is used when the
 * workflow checked out, and otherwise the file at the run's commit through the API.
 *
 * A missing file gives the defaults, unless the path was given explicitly.
 */
export async function readConfig(client: Client, repo: RepoRef, req: ConfigRequest): Promise<LoadedConfig> {
  if (req.trustedRef === undefined) {
    const local = isAbsolute(req.path) ? req.path : resolve(req.workspace, req.path);
    if (existsSync(local)) return { config: await loadConfig(local, { explicit: req.explicit }), source: req.path };
  }
  const ref = req.trustedRef ?? req.fallbackRef;
  const repoPath = toRepoPath(req.path, req.workspace);
  if (ref === undefined || ref === '' || repoPath === undefined) return missing(req, 'the workspace');
  const bytes = await getFileBytes(client, repo, repoPath, ref);
  const at = `${repoPath}@${ref.slice(0, 7)}`;
  if (bytes === undefined) return missing(req, req.trustedRef !== undefined ? `the pull request's base commit ${ref.slice(0, 7)}` : `commit ${ref.slice(0, 7)}`);
  return { config: parseConfig(new TextDecoder('utf-8').decode(bytes), at), source: at };
}

function missing(req: ConfigRequest, where: string): LoadedConfig {
  if (!req.explicit) return { config: defaultConfig(), source: `defaults (no ${req.path} in ${where})` };
  const why =
    req.trustedRef !== undefined ? ' (a pull request is scanned with the config of its base branch, so merge the config file first)' : '';
  throw new ConfigError({ file: req.path, path: [], expected: `an existing file in ${where}${why}`, got: 'no such file' });
}

/** The path relative to the repository root, or undefined when it points outside the repository. */
function toRepoPath(path: string, workspace: string): string | undefined {
  const rel = isAbsolute(path) ? relative(workspace, path) : path;
  const norm = rel.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  if (norm === '' || norm.startsWith('../') || isAbsolute(norm)) return undefined;
  return norm;
}
