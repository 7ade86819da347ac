import type { Client } from './client.js';
import { callEndpoint, expectShape, hasFields, type Endpoint } from './errors.js';
import { PER_PAGE } from './limits.js';
import { forEachPage } from './paginate.js';

export interface OrgRepository {
  owner: string;
  repo: string;
  fullName: string;
  archived: boolean;
  /** Undefined when GitHub did not say (an empty repository). */
  defaultBranch?: string;
}

const LIST_ORG_REPOS: Endpoint = {
  route: 'GET /orgs/{org}/repos',
  permission: 'metadata: read',
  notFound: 'the organization does not exist or the token is not a member of it',
};

type Listed = { name: string; full_name: string; owner: { login: string }; archived?: boolean; default_branch?: string };

/**
 * Every repository of an organization the token can see, archived ones flagged (their secrets still
 * work). Not Octokit's paginate: it reads a 409 as an empty list, and an audit of "no repositories"
 * would pass where it should fail.
 */
export async function listOrgRepositories(client: Client, org: string): Promise<OrgRepository[]> {
  const repos: Listed[] = [];
  await callEndpoint(LIST_ORG_REPOS, () =>
    forEachPage(client, 'GET /orgs/{org}/repos', { org, type: 'all', per_page: PER_PAGE }, (data) => {
      repos.push(
        ...expectShape<Listed[]>(
          LIST_ORG_REPOS,
          data,
          (v) => Array.isArray(v) && v.every((r) => hasFields(r, { name: 'string', full_name: 'string' }) && hasFields((r as { owner?: unknown }).owner, { login: 'string' })),
          'a list of repositories',
        ),
      );
    }),
  );
  return repos.map((r) => ({
    owner: r.owner.login,
    repo: r.name,
    fullName: r.full_name,
    archived: r.archived ?? false,
    ...(typeof r.default_branch === 'string' ? { defaultBranch: r.default_branch } : {}),
  }));
}
