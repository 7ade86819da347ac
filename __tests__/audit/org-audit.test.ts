import { afterEach, describe, expect, it } from 'vitest';
import { auditOrganization, type OrgAuditResult } from '../../src/action/org-audit.js';
import type { RotationAuditOptions } from '../../src/action/rotation-audit.js';
import type { RepoSeed } from '../fake-github/index.js';
import { NOW, POLICY, clientFor, daysAgo, engine, fake, quietLog, stopAll } from './setup.js';

afterEach(stopAll);

const OPTIONS: RotationAuditOptions = { policy: POLICY, now: NOW, engine, codespaces: false };
/** A token's primary rate limit: 5,000 REST calls an hour (GitHub App installations start there too). */
const HOURLY_LIMIT = 5000;
const SHARDS = 8;

const name = (i: number): string => `repo-${String(i).padStart(4, '0')}`;

/** A repository with a few secrets; every 50th also has a deployment environment. */
function orgRepo(i: number): RepoSeed {
  return {
    owner: 'acme',
    name: name(i),
    private: i % 3 === 0,
    archived: i % 97 === 0,
    secrets: {
      actions: [
        { name: 'APP_TOKEN', updated_at: daysAgo(i % 200) },
        { name: 'SENTRY_DSN', updated_at: daysAgo(10) },
      ],
      dependabot: [{ name: 'NPM_TOKEN', updated_at: daysAgo(30) }],
    },
    variables: [{ name: 'REGION', value: 'eu-west-1' }],
    ...(i % 50 === 0 ? { environments: [{ name: 'production', secrets: [{ name: 'PROD_DB', updated_at: daysAgo(5) }] }] } : {}),
  };
}

function secretsOf(i: number): number {
  return 3 + (i % 50 === 0 ? 1 : 0);
}

describe('organization audit', () => {
  it('covers 1,000 repositories exactly once over 8 shards, within a token’s hourly call budget', async () => {
    const repos = Array.from({ length: 1000 }, (_, i) => orgRepo(i));
    const gh = await fake({
      orgs: [
        {
          login: 'acme',
          secrets: {
            actions: [
              { name: 'ORG_ALL', visibility: 'all', updated_at: daysAgo(400) },
              { name: 'ORG_PRIVATE', visibility: 'private', updated_at: daysAgo(20) },
              { name: 'ORG_SELECTED', visibility: 'selected', selected_repositories: [name(1), name(2), name(500)], updated_at: daysAgo(85) },
            ],
          },
        },
      ],
      repos,
    });

    // The eight jobs of one matrix run, at the same time, each with its own client.
    const log = quietLog();
    const results: Array<{ shard: number; result: OrgAuditResult; calls: number }> = await Promise.all(
      Array.from({ length: SHARDS }, async (_, i) => {
        const counted = clientFor(gh);
        const result = await auditOrganization(counted, 'acme', { index: i + 1, total: SHARDS }, OPTIONS, log);
        return { shard: i + 1, result, calls: counted.calls() };
      }),
    );

    // Every repository audited by exactly one shard, each with all of its secrets.
    const perRepo = new Map<string, number>();
    const shardOfRepo = new Map<string, number>();
    for (const { shard, result } of results) {
      expect(result.report.status).toBe('audited');
      for (const e of result.report.entries) {
        if (e.scope === 'organization') continue;
        perRepo.set(e.repository!, (perRepo.get(e.repository!) ?? 0) + 1);
        const seen = shardOfRepo.get(e.repository!);
        expect(seen === undefined || seen === shard, `${e.repository} in shards ${seen} and ${shard}`).toBe(true);
        shardOfRepo.set(e.repository!, shard);
      }
    }
    expect(perRepo.size).toBe(1000);
    for (let i = 0; i < 1000; i++) expect(perRepo.get(`acme/${name(i)}`), name(i)).toBe(secretsOf(i));
    expect(results.reduce((n, r) => n + r.result.repositories, 0)).toBe(1000);
    for (const { result } of results) expect(result.repositories).toBeGreaterThan(80);

    // The org's own secrets: reported once (by shard 1), with where they are available.
    const orgEntries = results.flatMap((r) => r.result.report.entries.filter((e) => e.scope === 'organization').map((e) => ({ shard: r.shard, e })));
    expect(orgEntries.map(({ shard, e }) => [shard, e.name, e.status, e.repository])).toEqual([
      [1, 'ORG_ALL', 'overdue', 'all repositories'],
      [1, 'ORG_SELECTED', 'due-soon', `acme/${name(1)}, acme/${name(2)}, acme/${name(500)}`],
      [1, 'ORG_PRIVATE', 'ok', 'all private repositories'],
    ]);

    // Calls: the budget for the whole org, and per repository.
    const total = results.reduce((n, r) => n + r.calls, 0);
    expect(total).toBe(gh.requests.length);
    expect(total).toBeLessThanOrEqual(HOURLY_LIMIT);
    const listing = gh.requests.filter((r) => r.path === '/orgs/acme/repos').length;
    const orgLevel = gh.requests.filter((r) => r.path.startsWith('/orgs/acme/actions/')).length;
    // Owner teams are read for the rows the issue shows only: at most 30 repositories per shard, three files each.
    const contents = gh.requests.filter((r) => r.path.includes('/contents/')).length;
    expect(contents).toBeLessThanOrEqual(SHARDS * 30 * 3);
    const perRepository = (total - listing - orgLevel - contents) / 1000;
    // Actions secrets, Dependabot secrets, variables, environments: 4; two more for each environment.
    expect(perRepository).toBeCloseTo(4 + (20 * 2) / 1000, 5);
    expect(listing).toBe(SHARDS * 10);
    expect(orgLevel).toBe(2);
    // Organization secrets are listed once for the org, not again through each repository.
    expect(gh.requests.some((r) => r.path.endsWith('/actions/organization-secrets'))).toBe(false);
    for (const { result } of results) expect(result.callsPerRepository).toBeGreaterThanOrEqual(4);
    expect(log.lines.filter((l) => /^Audited \d+ repositories of acme \(shard \d\/8\): 4\.\d API calls per repository\.$/.test(l))).toHaveLength(SHARDS);

    console.info(
      `org audit of 1,000 repositories over ${SHARDS} shards: ${total} API calls in all (${listing} listing repositories, ${orgLevel} for org secrets), ` +
        `${perRepository.toFixed(2)} per repository`,
    );
  });

  it('gives each repository a line with its counts and the owner team from its CODEOWNERS catch-all rule', async () => {
    const withOwners = (i: number, files: Record<string, string>): RepoSeed => ({ ...orgRepo(i), default_branch: 'main', snapshots: [{ sha: `${i}`.padStart(40, 'a'), ref: 'main', files }] });
    const gh = await fake({
      orgs: [{ login: 'acme' }],
      repos: [
        withOwners(150, { '.github/CODEOWNERS': '* @acme/platform\n/src/ @acme/web\n', CODEOWNERS: '* @acme/ignored\n' }),
        withOwners(2, { 'docs/CODEOWNERS': '*.md @acme/docs\n** @acme/docs-owners\n' }),
        withOwners(3, { 'README.md': '# no owners\n' }),
      ],
    });
    const { lines } = await auditOrganization(clientFor(gh), 'acme', undefined, OPTIONS, quietLog());
    expect(lines).toEqual([
      { repository: `acme/${name(150)}`, overdue: 1, dueSoon: 0, variables: 0, owners: ['@acme/platform'] },
      { repository: `acme/${name(2)}`, overdue: 0, dueSoon: 0, variables: 0, owners: ['@acme/docs-owners'] },
      { repository: `acme/${name(3)}`, overdue: 0, dueSoon: 0, variables: 0, owners: [] },
    ]);
  });

  it('audits everything without a shard, and with more shards than repositories', async () => {
    const gh = await fake({ orgs: [{ login: 'acme' }], repos: Array.from({ length: 12 }, (_, i) => orgRepo(i + 1)) });
    const whole = await auditOrganization(clientFor(gh), 'acme', undefined, OPTIONS, quietLog());
    expect(whole.repositories).toBe(12);
    const total = 20;
    const shards = await Promise.all(Array.from({ length: total }, (_, i) => auditOrganization(clientFor(gh), 'acme', { index: i + 1, total }, OPTIONS, quietLog())));
    expect(shards.reduce((n, r) => n + r.repositories, 0)).toBe(12);
    // A shard left with no repository says so, without dividing by zero.
    const empty = shards.find((r) => r.repositories === 0);
    expect(empty?.callsPerRepository).toBe(0);
  });

  it('reports one line for a listing refused in every repository, naming a few of them', async () => {
    const gh = await fake({ orgs: [{ login: 'acme' }], repos: Array.from({ length: 30 }, (_, i) => orgRepo(i + 1)) });
    gh.faults.add({ fault: 'status', status: 403, path: '/repos/acme/{repo}/dependabot/secrets', times: 'always' });
    gh.faults.add({ fault: 'status', status: 404, path: `/repos/acme/${name(7)}/actions/variables` });
    const { report, readAnything } = await auditOrganization(clientFor(gh), 'acme', undefined, OPTIONS, quietLog());
    expect(readAnything).toBe(true);
    expect(report.status).toBe('partial');
    expect(report.problems).toEqual([
      `30 repositories (acme/${name(1)}, acme/${name(2)}, acme/${name(3)}, acme/${name(4)}, acme/${name(5)} and 25 more): ` +
        'Could not read Dependabot secrets (403 on GET /repos/{owner}/{repo}/dependabot/secrets): secrets-token needs "Dependabot secrets: read".',
      `acme/${name(7)}: Could not read repository variables (404 on GET /repos/{owner}/{repo}/actions/variables): ` +
        'the repository is not visible to secrets-token, or the token lacks "Variables: read".',
    ]);
    // Everything else was still read: two Actions secrets in each of the 30 repositories.
    expect(report.entries.filter((e) => e.scope === 'actions')).toHaveLength(60);
  });

  // 409 too: Octokit's paginate would read it as an empty organization, and the audit would pass.
  it.each([403, 409] as const)('keeps the org’s own secrets when the repositories cannot be listed (%i)', async (status) => {
    const gh = await fake({ orgs: [{ login: 'acme', secrets: { actions: [{ name: 'ORG_ALL', updated_at: daysAgo(1) }] } }], repos: [orgRepo(1)] });
    gh.faults.add({ fault: 'status', status, path: '/orgs/acme/repos' });
    const { report, repositories } = await auditOrganization(clientFor(gh), 'acme', undefined, OPTIONS, quietLog());
    expect(repositories).toBe(0);
    expect(report.status).toBe('partial');
    expect(report.entries.map((e) => e.name)).toEqual(['ORG_ALL']);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatch(new RegExp(`^Could not list the repositories of acme: GET /orgs/\\{org\\}/repos (was refused|failed) \\(${status}`));
  });

  it('names the missing permission when the org’s secrets cannot be listed, and audits the repositories', async () => {
    const gh = await fake({ orgs: [{ login: 'acme' }], repos: [orgRepo(1), orgRepo(2)] });
    gh.faults.add({ fault: 'status', status: 403, path: '/orgs/acme/actions/secrets' });
    const { report, repositories } = await auditOrganization(clientFor(gh), 'acme', undefined, OPTIONS, quietLog());
    expect(repositories).toBe(2);
    expect(report.problems).toEqual([
      'Could not read secrets of organization acme (403 on GET /orgs/{org}/actions/secrets): secrets-token needs "Organization secrets: read".',
    ]);
    expect(report.entries).toHaveLength(6);
  });
});
