import type { SecretScope } from '../report/model.js';
import type { Client } from './client.js';
import type { RepoRef } from './commits.js';
import { PER_PAGE } from './limits.js';

/**
 * The secret and variable listings the rotation audit reads with `secrets-token`. Each function makes
 * the calls of one listing, all pages, and lets errors through: the audit decides which failures it can
 * carry on from. No listing ever returns a secret's value; variables do return theirs.
 */

/** A secret's metadata as every listing returns it. */
export interface ListedSecret {
  scope: SecretScope;
  name: string;
  createdAt: string;
  updatedAt: string;
  environment?: string;
  /** For organization secrets: `all`, `private` or `selected` repositories. */
  visibility?: string;
}

export interface ListedVariable {
  name: string;
  value: string;
  environment?: string;
}

/** What each listing needs, in the words of the fine-grained token and GitHub App permission pages. */
export const LISTINGS = {
  actions: { route: 'GET /repos/{owner}/{repo}/actions/secrets', permission: 'Secrets: read' },
  organizationShared: { route: 'GET /repos/{owner}/{repo}/actions/organization-secrets', permission: 'Secrets: read' },
  environments: { route: 'GET /repos/{owner}/{repo}/environments', permission: 'Environments: read (or Actions: read)' },
  environmentSecrets: { route: 'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets', permission: 'Environments: read' },
  dependabot: { route: 'GET /repos/{owner}/{repo}/dependabot/secrets', permission: 'Dependabot secrets: read' },
  codespaces: { route: 'GET /repos/{owner}/{repo}/codespaces/secrets', permission: 'Codespaces secrets: read and write' },
  variables: { route: 'GET /repos/{owner}/{repo}/actions/variables', permission: 'Variables: read' },
  environmentVariables: { route: 'GET /repos/{owner}/{repo}/environments/{environment_name}/variables', permission: 'Environments: read' },
  orgSecrets: { route: 'GET /orgs/{org}/actions/secrets', permission: 'Organization secrets: read' },
  orgSecretRepos: { route: 'GET /orgs/{org}/actions/secrets/{secret_name}/repositories', permission: 'Organization secrets: read' },
} as const;

export type ListingName = keyof typeof LISTINGS;

interface RawSecret {
  name: string;
  created_at: string;
  updated_at: string;
  visibility?: string;
}

function toSecret(scope: SecretScope, raw: RawSecret, environment?: string): ListedSecret {
  const s: ListedSecret = { scope, name: raw.name, createdAt: raw.created_at, updatedAt: raw.updated_at };
  if (environment !== undefined) s.environment = environment;
  if (raw.visibility !== undefined) s.visibility = raw.visibility;
  return s;
}

/** Repository Actions secrets. */
export async function listActionsSecrets(client: Client, repo: RepoRef): Promise<ListedSecret[]> {
  const items = await client.paginate(client.rest.actions.listRepoSecrets, { ...repo, per_page: PER_PAGE });
  return items.map((s) => toSecret('actions', s));
}

/** Organization secrets this repository can use. */
export async function listOrganizationSecretsForRepo(client: Client, repo: RepoRef): Promise<ListedSecret[]> {
  const items = await client.paginate(client.rest.actions.listRepoOrganizationSecrets, { ...repo, per_page: PER_PAGE });
  return items.map((s) => toSecret('organization', s));
}

/** The repository's deployment environments, by name. */
export async function listEnvironmentNames(client: Client, repo: RepoRef): Promise<string[]> {
  const items = await client.paginate('GET /repos/{owner}/{repo}/environments', { ...repo, per_page: PER_PAGE });
  return (items as Array<{ name: string }>).map((e) => e.name);
}

/** One environment's secrets. */
export async function listEnvironmentSecrets(client: Client, repo: RepoRef, environment: string): Promise<ListedSecret[]> {
  const items = await client.paginate(client.rest.actions.listEnvironmentSecrets, {
    ...repo,
    environment_name: environment,
    per_page: PER_PAGE,
  });
  return items.map((s) => toSecret('environment', s, environment));
}

/** Dependabot secrets. */
export async function listDependabotSecrets(client: Client, repo: RepoRef): Promise<ListedSecret[]> {
  const items = await client.paginate(client.rest.dependabot.listRepoSecrets, { ...repo, per_page: PER_PAGE });
  return items.map((s) => toSecret('dependabot', s));
}

/** Codespaces secrets (GitHub requires write access to list them, so the audit only asks when configured). */
export async function listCodespacesSecrets(client: Client, repo: RepoRef): Promise<ListedSecret[]> {
  const items = await client.paginate(client.rest.codespaces.listRepoSecrets, { ...repo, per_page: PER_PAGE });
  return items.map((s) => toSecret('codespaces', s));
}

/** Repository Actions variables, with their values (GitHub does not mask variables in logs). */
export async function listVariables(client: Client, repo: RepoRef): Promise<ListedVariable[]> {
  // GitHub serves at most 30 variables per page on this endpoint whatever per_page asks.
  const items = await client.paginate(client.rest.actions.listRepoVariables, { ...repo, per_page: 30 });
  return items.map((v) => ({ name: v.name, value: v.value }));
}

/** One environment's variables, with their values. */
export async function listEnvironmentVariables(client: Client, repo: RepoRef, environment: string): Promise<ListedVariable[]> {
  const items = await client.paginate(client.rest.actions.listEnvironmentVariables, {
    ...repo,
    environment_name: environment,
    per_page: 30,
  });
  return items.map((v) => ({ name: v.name, value: v.value, environment }));
}

/** The organization's own Actions secrets. */
export async function listOrgSecrets(client: Client, org: string): Promise<ListedSecret[]> {
  const items = await client.paginate(client.rest.actions.listOrgSecrets, { org, per_page: PER_PAGE });
  return items.map((s) => toSecret('organization', s));
}

/** The repositories an organization secret with `selected` visibility is shared with, by full name. */
export async function listOrgSecretRepositories(client: Client, org: string, secretName: string): Promise<string[]> {
  const items = await client.paginate(client.rest.actions.listSelectedReposForOrgSecret, {
    org,
    secret_name: secretName,
    per_page: PER_PAGE,
  });
  return (items as Array<{ full_name: string }>).map((r) => r.full_name);
}
