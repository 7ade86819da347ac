import type { Client } from './client.js';
import { callEndpoint, type Endpoint } from './errors.js';
import { PER_PAGE } from './limits.js';

export interface OrgRepository {
  owner: string;
  repo: string;
  fullName: string;
  archived: boolean;
}

const LIST_ORG_REPOS: Endpoint = {
  route: 'GET /orgs/{org}/repos',
  permission: 'metadata: read',
  notFound: 'the organization does not exist or the token is not a member of it',
};

/** Every repository of an organization the token can see, archived ones flagged (their secrets still work). */
export async function listOrgRepositories(client: Client, org: string): Promise<OrgRepository[]> {
  const repos = await callEndpoint(LIST_ORG_REPOS, () => client.paginate(client.rest.repos.listForOrg, { org, type: 'all', per_page: PER_PAGE }));
  return repos.map((r) => ({ owner: r.owner.login, repo: r.name, fullName: r.full_name, archived: r.archived ?? false }));
}
