import type { SecretScope } from '../report/model.js';
import type { Client } from './client.js';
import type { RepoRef } from './commits.js';
import { PER_PAGE } from './limits.js';
import { forEachPage } from './paginate.js';

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

/**
 * Every item of a wrapped listing (`{ total_count, secrets: [...] }`), all pages. Not Octokit's
 * `paginate`, which reads a 409 as an empty listing: here that would report "no secrets" instead of a
 * listing that could not be read.
 */
async function listWrapped<T>(client: Client, route: string, params: Record<string, unknown>, key: string): Promise<T[]> {
  const items: T[] = [];
  await forEachPage(client, route, params, (data) => {
    const page = (data as Record<string, unknown> | null)?.[key];
    if (!Array.isArray(page)) throw new Error(`${route}: the answer has no "${key}" list`);
    items.push(...(page as T[]));
  });
  return items;
}

function toSecret(scope: SecretScope, raw: RawSecret, environment?: string): ListedSecret {
  const s: ListedSecret = { scope, name: raw.name, createdAt: raw.created_at, updatedAt: raw.updated_at };
  if (environment !== undefined) s.environment = environment;
  if (raw.visibility !== undefined) s.visibility = raw.visibility;
  return s;
}

/** Repository Actions secrets. */
export async function listActionsSecrets(client: Client, repo: RepoRef): Promise<ListedSecret[]> {
  const items = await listWrapped<RawSecret>(client, LISTINGS.actions.route, { ...repo, per_page: PER_PAGE }, 'secrets');
  return items.map((s) => toSecret('actions', s));
}

/** Organization secrets this repository can use. */
export async function listOrganizationSecretsForRepo(client: Client, repo: RepoRef): Promise<ListedSecret[]> {
  const items = await listWrapped<RawSecret>(client, LISTINGS.organizationShared.route, { ...repo, per_page: PER_PAGE }, 'secrets');
  return items.map((s) => toSecret('organization', s));
}

/** The repository's deployment environments, by name. */
export async function listEnvironmentNames(client: Client, repo: RepoRef): Promise<string[]> {
  const items = await listWrapped<{ name: string }>(client, LISTINGS.environments.route, { ...repo, per_page: PER_PAGE }, 'environments');
  return items.map((e) => e.name);
}

/** One environment's secrets. */
export async function listEnvironmentSecrets(client: Client, repo: RepoRef, environment: string): Promise<ListedSecret[]> {
  const items = await listWrapped<RawSecret>(client, LISTINGS.environmentSecrets.route, { ...repo, environment_name: environment, per_page: PER_PAGE }, 'secrets');
  return items.map((s) => toSecret('environment', s, environment));
}

/** Dependabot secrets. */
export async function listDependabotSecrets(client: Client, repo: RepoRef): Promise<ListedSecret[]> {
  const items = await listWrapped<RawSecret>(client, LISTINGS.dependabot.route, { ...repo, per_page: PER_PAGE }, 'secrets');
  return items.map((s) => toSecret('dependabot', s));
}

/** Codespaces secrets (GitHub requires write access to list them, so the audit only asks when configured). */
export async function listCodespacesSecrets(client: Client, repo: RepoRef): Promise<ListedSecret[]> {
  const items = await listWrapped<RawSecret>(client, LISTINGS.codespaces.route, { ...repo, per_page: PER_PAGE }, 'secrets');
  return items.map((s) => toSecret('codespaces', s));
}

/** Repository Actions variables, with their values (GitHub does not mask variables in logs). */
export async function listVariables(client: Client, repo: RepoRef): Promise<ListedVariable[]> {
  // GitHub serves at most 30 variables per page on this endpoint whatever per_page asks.
  const items = await listWrapped<{ name: string; value: string }>(client, LISTINGS.variables.route, { ...repo, per_page: 30 }, 'variables');
  return items.map((v) => ({ name: v.name, value: v.value }));
}

/** One environment's variables, with their values. */
export async function listEnvironmentVariables(client: Client, repo: RepoRef, environment: string): Promise<ListedVariable[]> {
  const items = await listWrapped<{ name: string; value: string }>(client, LISTINGS.environmentVariables.route, { ...repo, environment_name: environment, per_page: 30 }, 'variables');
  return items.map((v) => ({ name: v.name, value: v.value, environment }));
}

/** The organization's own Actions secrets. */
export async function listOrgSecrets(client: Client, org: string): Promise<ListedSecret[]> {
  const items = await listWrapped<RawSecret>(client, LISTINGS.orgSecrets.route, { org, per_page: PER_PAGE }, 'secrets');
  return items.map((s) => toSecret('organization', s));
}

/** The repositories an organization secret with `selected` visibility is shared with, by full name. */
export async function listOrgSecretRepositories(client: Client, org: string, secretName: string): Promise<string[]> {
  const items = await listWrapped<{ full_name: string }>(client, LISTINGS.orgSecretRepos.route, { org, secret_name: secretName, per_page: PER_PAGE }, 'repositories');
  return items.map((r) => r.full_name);
}
