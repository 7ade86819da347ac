import type { RotationEntry, RotationReport } from '../report/model.js';
import type { CountedClient } from '../github/client.js';
import { listOrgRepositories, type OrgRepository } from '../github/orgs.js';
import { listOrgSecretRepositories, listOrgSecrets } from '../github/secrets.js';
import { assessSecrets } from '../rotation/policy.js';
import { selectShard, type Shard } from '../rotation/shard.js';
import type { Finding } from '../scan/types.js';
import { auditRepositorySecrets, describeListingFailure, type RotationAuditOptions, type RotationAuditResult } from './rotation-audit.js';
import { mapConcurrently } from './map-concurrently.js';
import type { Client } from '../github/client.js';
import { getFileBytes } from '../github/contents.js';
import { CODEOWNERS_PATHS, defaultOwners, parseCodeowners } from '../report/owners.js';
import { MAX_REPOSITORY_ROWS, rankRepositoryLines, type RepositoryLine } from '../report/weekly.js';

/**
 * Repositories audited at once. GitHub asks integrators not to hammer the API with concurrent requests;
 * a few in flight cut a 1,000-repository run from minutes of latency without tripping the secondary limit.
 */
const REPO_CONCURRENCY = 4;

/** Repository names a repeated problem line lists before it only counts the rest. */
const NAMED_REPOSITORIES = 5;

export interface OrgAuditResult {
  report: RotationReport;
  variableFindings: Finding[];
  readAnything: boolean;
  /** Repositories audited by this shard. */
  repositories: number;
  /** API calls per repository, to check a run against the token's hourly limit. */
  callsPerRepository: number;
  /** Each audited repository's counts and owner team, for the weekly issue. */
  lines: RepositoryLine[];
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

  let all: OrgRepository[] = [];
  try {
    all = await listOrgRepositories(client, org);
  } catch (error) {
    // Already one line naming the endpoint and the permission (see callEndpoint); the org's own
    // secrets above are still worth reporting.
    problems.push(`Could not list the repositories of ${org}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const repos = selectShard(all, shard);
  const before = counted.calls();
  const results = await mapConcurrently(repos, REPO_CONCURRENCY, (r) =>
    auditRepositorySecrets(client, { owner: r.owner, repo: r.repo }, { ...options, organizationShared: false }),
  );
  // Merged in the list's order, whatever order the audits finished in, so reports are stable.
  const repoProblems = new Map<string, string[]>();
  const lines: RepositoryLine[] = [];
  repos.forEach((r, i) => {
    const result = results[i] as RotationAuditResult;
    lines.push({
      repository: r.fullName,
      overdue: result.report.entries.filter((e) => e.status === 'overdue').length,
      dueSoon: result.report.entries.filter((e) => e.status === 'due-soon').length,
      variables: result.variableFindings.length,
      owners: [],
    });
    readAnything ||= result.readAnything;
    for (const e of result.report.entries) entries.push({ ...e, repository: r.fullName });
    for (const p of result.report.problems) {
      const names = repoProblems.get(p);
      if (names === undefined) repoProblems.set(p, [r.fullName]);
      else names.push(r.fullName);
    }
    for (const f of result.variableFindings) {
      // Mutated, not copied: the engine keeps each finding's secret (for masking) keyed by the object.
      f.file = `${r.fullName}/${f.file}`;
      variableFindings.push(f);
    }
  });
  for (const [problem, names] of repoProblems) problems.push(describeAcross(problem, names));
  // Owner teams only for the rows the issue shows: up to three contents calls each, so 1,000 repositories
  // would cost 3,000 calls, more than half a token's hourly budget.
  const shown = rankRepositoryLines(lines).slice(0, MAX_REPOSITORY_ROWS);
  const byName = new Map(repos.map((r) => [r.fullName, r]));
  const owners = await mapConcurrently(shown, REPO_CONCURRENCY, (l) => repositoryOwners(client, byName.get(l.repository) as OrgRepository));
  shown.forEach((l, i) => (l.owners = owners[i] ?? []));
  const unreadOwners = owners.filter((o) => o === undefined).length;
  if (unreadOwners > 0) log.info(`CODEOWNERS could not be read in ${unreadOwners} repositories (the token needs "Contents: read"): their owner team is left blank.`);
  const callsPerRepository = repos.length === 0 ? 0 : (counted.calls() - before) / repos.length;
  log.info(
    `Audited ${repos.length} repositories of ${org}${shard === undefined ? '' : ` (shard ${shard.index}/${shard.total})`}: ` +
      `${callsPerRepository.toFixed(1)} API calls per repository.`,
  );
  const status = problems.length === 0 ? 'audited' : 'partial';
  return { report: { status, entries, problems }, variableFindings, readAnything, repositories: repos.length, callsPerRepository, lines };
}

/**
 * A repository's owner team: the catch-all rule of the CODEOWNERS file GitHub would use (one to three
 * contents calls, stopping at the first file found). Undefined when the token may not read it.
 */
async function repositoryOwners(client: Client, repo: OrgRepository): Promise<string[] | undefined> {
  if (repo.defaultBranch === undefined) return [];
  try {
    for (const path of CODEOWNERS_PATHS) {
      const bytes = await getFileBytes(client, { owner: repo.owner, repo: repo.repo }, path, repo.defaultBranch);
      if (bytes !== undefined) return defaultOwners(parseCodeowners(new TextDecoder().decode(bytes)));
    }
    return [];
  } catch {
    return undefined;
  }
}

/**
 * One line for a problem many repositories share (a token without one permission fails the same listing
 * everywhere): a thousand identical lines would bury everything else in the report.
 */
function describeAcross(problem: string, names: readonly string[]): string {
  if (names.length === 1) return `${names[0]}: ${problem}`;
  const shown = names.slice(0, NAMED_REPOSITORIES).join(', ');
  const more = names.length > NAMED_REPOSITORIES ? ` and ${names.length - NAMED_REPOSITORIES} more` : '';
  return `${names.length} repositories (${shown}${more}): ${problem}`;
}
