import type { Client } from '../github/client.js';
import type { RepoRef } from '../github/commits.js';
import {
  LISTINGS,
  listActionsSecrets,
  listCodespacesSecrets,
  listDependabotSecrets,
  listEnvironmentNames,
  listEnvironmentSecrets,
  listEnvironmentVariables,
  listOrganizationSecretsForRepo,
  listVariables,
  type ListedSecret,
  type ListedVariable,
  type ListingName,
} from '../github/secrets.js';
import { assessSecrets, type RotationPolicy } from '../rotation/policy.js';
import type { RotationReport } from '../report/model.js';
import type { Engine } from '../scan/engine.js';
import type { Finding } from '../scan/types.js';

export interface RotationAuditOptions {
  policy: RotationPolicy;
  now: Date;
  /** Scans variable values: a credential stored as a plain variable is a finding. */
  engine: Engine;
  /** Listing Codespaces secrets needs write access, so it is opt-in. */
  codespaces: boolean;
  /** List the organization secrets shared with the repository (the org audit lists them once instead). Default true. */
  organizationShared?: boolean;
}

export interface RotationAuditResult {
  report: RotationReport;
  /** Credentials found in variable values (source `variable`). */
  variableFindings: Finding[];
  /** Whether any listing could be read at all (with `fail-on: overdue-secrets`, reading nothing fails the run). */
  readAnything: boolean;
}

/** The line the report shows when no `secrets-token` was given. */
export const SKIPPED_REASON =
  'The default GITHUB_TOKEN cannot list secrets (workflows have no `secrets` permission); set `secrets-token` to a fine-grained token or GitHub App token with "Secrets: read".';

const VARIABLE_NOTE = 'Stored as a plain Actions variable, which is readable and not masked in logs: move it to a secret and rotate it.';

/**
 * Audits one repository's secrets for age and its variables for credentials. Each listing that fails
 * (403, 404, a server error) becomes one problem line naming the listing and the permission it needs;
 * the audit carries on with what it can read.
 */
export async function auditRepositorySecrets(client: Client | undefined, repo: RepoRef, options: RotationAuditOptions): Promise<RotationAuditResult> {
  if (client === undefined) {
    return { report: { status: 'skipped', entries: [], problems: [SKIPPED_REASON] }, variableFindings: [], readAnything: false };
  }
  const problems: string[] = [];
  let reads = 0;
  const attempt = async <T>(listing: ListingName, label: string, call: () => Promise<T>): Promise<T | undefined> => {
    try {
      const value = await call();
      reads++;
      return value;
    } catch (error) {
      problems.push(describeListingFailure(listing, label, error));
      return undefined;
    }
  };

  const secrets: ListedSecret[] = [];
  const variables: ListedVariable[] = [];
  secrets.push(...((await attempt('actions', 'repository secrets', () => listActionsSecrets(client, repo))) ?? []));
  if (options.organizationShared !== false) {
    secrets.push(...((await attempt('organizationShared', 'organization secrets shared with the repository', () => listOrganizationSecretsForRepo(client, repo))) ?? []));
  }
  secrets.push(...((await attempt('dependabot', 'Dependabot secrets', () => listDependabotSecrets(client, repo))) ?? []));
  if (options.codespaces) {
    secrets.push(...((await attempt('codespaces', 'Codespaces secrets', () => listCodespacesSecrets(client, repo))) ?? []));
  }
  variables.push(...((await attempt('variables', 'repository variables', () => listVariables(client, repo))) ?? []));
  const environments = (await attempt('environments', 'environments', () => listEnvironmentNames(client, repo))) ?? [];
  for (const env of environments) {
    secrets.push(...((await attempt('environmentSecrets', `secrets of environment "${env}"`, () => listEnvironmentSecrets(client, repo, env))) ?? []));
    variables.push(...((await attempt('environmentVariables', `variables of environment "${env}"`, () => listEnvironmentVariables(client, repo, env))) ?? []));
  }

  const entries = assessSecrets(secrets, options.policy, options.now);
  const variableFindings = scanVariables(options.engine, variables);
  const status = problems.length === 0 ? 'audited' : 'partial';
  return { report: { status, entries, problems }, variableFindings, readAnything: reads > 0 };
}

/**
 * Runs the engine over variable values. The path names the variable so a reviewer can find it in Settings.
 * The value is scanned as `NAME=value`: rules for formats too weak to match alone (an AWS secret access
 * key, a Twilio auth token) need their keyword nearby, and in a variable the name is that context.
 * Positions are then shifted back so that they refer to the value.
 */
export function scanVariables(engine: Engine, variables: readonly ListedVariable[]): Finding[] {
  const findings: Finding[] = [];
  for (const v of variables) {
    const path = v.environment === undefined ? `variables/${v.name}` : `environments/${v.environment}/variables/${v.name}`;
    const context = `${v.name}=`;
    for (const f of engine.scan({ path, text: context + v.value, source: 'variable' })) {
      // Updated in place: a copy would lose the engine's link to the secret, which masking needs.
      if (f.line === 1) f.column = Math.max(1, f.column - context.length);
      f.notes = [...(f.notes ?? []), VARIABLE_NOTE];
      findings.push(f);
    }
  }
  return findings;
}

/** One line: which listing, what went wrong, and which permission the token needs for it. */
export function describeListingFailure(listing: ListingName, label: string, error: unknown): string {
  const { route, permission } = LISTINGS[listing];
  const status = statusOf(error);
  const detail = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  // GitHub answers a spent rate limit with 403 or 429 too; blaming the token's permissions would send
  // the reader to fix the wrong thing.
  if ((status === 403 || status === 429) && /rate limit/i.test(detail)) {
    return `Could not read ${label} (${status} on ${route}): GitHub's API rate limit was reached; rerun the audit later, or split it with "shard".`;
  }
  if (status === 403 || status === 401) {
    return `Could not read ${label} (${status} on ${route}): secrets-token needs "${permission}".`;
  }
  if (status === 404) {
    return `Could not read ${label} (404 on ${route}): the repository is not visible to secrets-token, or the token lacks "${permission}".`;
  }
  // A server error, a broken connection or an unexpected answer: nothing the reader can fix in the token.
  const clean = detail.replace(/\s*[.;:]?\s*$/, '');
  return `Could not read ${label} (${status ?? 'error'} on ${route}): ${clean}. The rest was audited; rerun the job later (see githubstatus.com if it persists).`;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const s = (error as { status: unknown }).status;
    return typeof s === 'number' ? s : undefined;
  }
  return undefined;
}
