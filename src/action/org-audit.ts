import type { RotationEntry, RotationReport } from '../report/model.js';
import type { CountedClient } from '../github/client.js';
import { listOrgRepositories } from '../github/orgs.js';
import { listOrgSecretRepositories, listOrgSecrets } from '../github/secrets.js';
import { assessSecrets } from '../rotation/policy.js';
import { selectShard, type Shard } from '../rotation/shard.js';
import type { Finding } from '../scan/types.js';
import { auditRepositorySecrets, describeListingFailure, type RotationAuditOptions } from './rotation-audit.js';

export interface OrgAuditResult {
  report: RotationReport;
  variableFindings: Finding[];
  readAnything: boolean;
  /** Repositories audited by this shard. */
  repositories: number;
  /** API calls per repository, to check a run against the token's hourly limit. */
  callsPerRepository: number;
}

export interface OrgAuditLog {
  info(message: string): void;
}

/**
 * Audits an organization: its own secrets (with the repositories each is shared with), then the secrets
 * and variables of every repository in this shard. Organization secrets are listed once, at the top,
 * rather than again through each repository, which saves a call per repository.
 */
export async function auditOrganization(
  counted: CountedClient,
  org: string,
  shard: Shard | undefined,
  options: RotationAuditOptions,
  log: OrgAuditLog,
): Promise<OrgAuditResult> {
  const { client } = counted;
  const entries: RotationEntry[] = [];
  const problems: string[] = [];
  const variableFindings: Finding[] = [];
  let readAnything = false;

  // The org's own secrets are audited by the first shard only, so a matrix reports each of them once.
  if (shard === undefined || shard.index === 1) {
    try {
      const secrets = await listOrgSecrets(client, org);
      readAnything = true;
      const assessed = assessSecrets(secrets, options.policy, options.now);
      for (const entry of assessed) {
        const secret = secrets.find((s) => s.name === entry.name);
        if (secret?.visibility === 'selected') {
          try {
            entry.repository = (await listOrgSecretRepositories(client, org, entry.name)).join(', ') || '(no repository selected)';
          } catch (error) {
            problems.push(describeListingFailure('orgSecretRepos', `the repositories of organization secret ${entry.name}`, error));
          }
        } else {
          entry.repository = secret?.visibility === 'private' ? 'all private repositories' : 'all repositories';
        }
        entries.push(entry);
      }
    } catch (error) {
      problems.push(describeListingFailure('orgSecrets', `secrets of organization ${org}`, error));
    }
  }

  const repos = selectShard(await listOrgRepositories(client, org), shard);
  const before = counted.calls();
  for (const r of repos) {
    const result = await auditRepositorySecrets(client, { owner: r.owner, repo: r.repo }, { ...options, organizationShared: false });
    readAnything ||= result.readAnything;
    for (const e of result.report.entries) entries.push({ ...e, repository: r.fullName });
    for (const p of result.report.problems) problems.push(`${r.fullName}: ${p}`);
    for (const f of result.variableFindings) {
      // Mutated, not copied: the engine keeps each finding's secret (for masking) keyed by the object.
      f.file = `${r.fullName}/${f.file}`;
      variableFindings.push(f);
    }
  }
  const callsPerRepository = repos.length === 0 ? 0 : (counted.calls() - before) / repos.length;
  log.info(
    `Audited ${repos.length} repositories of ${org}${shard === undefined ? '' : ` (shard ${shard.index}/${shard.total})`}: ` +
      `${callsPerRepository.toFixed(1)} API calls per repository.`,
  );
  const status = problems.length === 0 ? 'audited' : 'partial';
  return { report: { status, entries, problems }, variableFindings, readAnything, repositories: repos.length, callsPerRepository };
}
