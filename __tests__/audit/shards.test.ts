import { afterEach, describe, expect, it } from 'vitest';
import { TRACKING_LABEL, runScheduledAudit, syncTrackingIssue, type ScheduledAuditResult } from '../../src/action/scheduled-audit.js';
import { buildEngine, defaultConfig } from '../../src/config/index.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { TRACKING_MARKER } from '../../src/report/tracking-issue.js';
import { fakeSha, type FakeGitHub, type RepoSeed } from '../fake-github/index.js';
import { plainClient } from '../fake-github/octokit.js';
import { NOW, clientFor, daysAgo, fake, quietLog, stopAll } from './setup.js';

afterEach(stopAll);

const REPO = { owner: 'acme', repo: 'app' };

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** The organization of the issue's report: a 400-day-old organization secret, and repositories whose own secrets are fresh. */
function org(orgSecretAgeDays: number): { repos: RepoSeed[]; orgs: Array<{ login: string; secrets: { actions: Array<{ name: string; updated_at: string }> } }> } {
  const repos: RepoSeed[] = [{ owner: 'acme', name: 'app', snapshots: [{ sha: fakeSha('app'), ref: 'main', files: { 'README.md': '# app\n' } }] }];
  for (let i = 0; i < 9; i++) repos.push({ owner: 'acme', name: `svc-${i}`, secrets: { actions: [{ name: `SVC_${i}_TOKEN`, updated_at: daysAgo(3) }] } });
  return { repos, orgs: [{ login: 'acme', secrets: { actions: [{ name: 'ORG_DEPLOY_KEY', updated_at: daysAgo(orgSecretAgeDays) }] } }] };
}

async function shardResults(gh: FakeGitHub, total: number): Promise<ScheduledAuditResult[]> {
  const config = defaultConfig();
  const results: ScheduledAuditResult[] = [];
  for (let index = 1; index <= total; index++) {
    results.push(
      await runScheduledAudit({
        github: clientFor(gh),
        secrets: clientFor(gh),
        repo: REPO,
        serverUrl: 'https://github.example.invalid',
        config,
        engine: buildEngine(config),
        maxSecretAgeDays: 90,
        org: { name: 'acme', shard: { index, total } },
        now: NOW,
        log: quietLog(),
      }),
    );
  }
  return results;
}

/**
 * The sync runs on a client without the throttling plugin: its one-second spacing of writes is shared by
 * every client in the process, and is not what these orderings test.
 */
const plain = (gh: FakeGitHub) => plainClient(gh) as unknown as Parameters<typeof syncTrackingIssue>[0];

const render = (r: Parameters<typeof renderMarkdown>[0], maxLength: number): string => renderMarkdown(r, { surface: 'comment', maxLength });

function trackingIssues(gh: FakeGitHub) {
  return gh.state.mustRepo('acme/app').issues.filter((i) => (i.body ?? '').startsWith(TRACKING_MARKER));
}

describe('a sharded organization audit', () => {
  for (const total of [2, 3]) {
    it(`audits each repository once over ${total} shards`, async () => {
      const gh = await fake(org(400));
      const results = await shardResults(gh, total);
      const repos = results.flatMap((r) => r.report.rotation!.entries.map((e) => e.repository).filter((n) => n?.startsWith('acme/svc-')));
      expect(repos.sort()).toEqual(Array.from({ length: 9 }, (_, i) => `acme/svc-${i}`).sort());
      // The hosting repository's own files are read by shard 1 only.
      expect(gh.requests.filter((r) => r.path === '/repos/acme/app/tarball/main')).toHaveLength(1);
      expect(results.slice(1).every((r) => r.report.notes.some((n) => /shard 1 scans acme\/app itself/.test(n)))).toBe(true);
    });

    it(`ends with the issue open and every shard's part in it, in every order ${total} shards can finish`, async () => {
      const seedGh = await fake(org(400));
      const results = await shardResults(seedGh, total);
      for (const order of permutations(results.map((_, i) => i))) {
        const gh = await fake({ repos: [{ owner: 'acme', name: 'app' }] });
        for (const i of order) await syncTrackingIssue(plain(gh), REPO, results[i]!, NOW, render, { index: i + 1, total });
        const issues = trackingIssues(gh);
        expect(issues, `order ${order.join(',')}`).toHaveLength(1);
        const body = issues[0]!.body!;
        expect(issues[0]!.state, `order ${order.join(',')}`).toBe('open');
        expect(body).toContain('**Action needed**');
        expect(body).toContain('1 overdue secret');
        expect(body).toContain("`ORG_DEPLOY_KEY`");
        // Shard 1 found the overdue secret; a clean shard that finished before any issue existed had nothing to write.
        expect(body, `order ${order.join(',')}`).toContain(`### Shard 1/${total}`);
        for (const i of order.slice(order.indexOf(0) + 1)) expect(body, `order ${order.join(',')}`).toContain(`### Shard ${i + 1}/${total}`);
        // No shard closed the issue on its own clean result.
        expect(gh.state.mustRepo('acme/app').comments.filter((c) => /Closing/.test(c.body))).toEqual([]);
      }
    });

    it(`closes the issue exactly once when all ${total} shards come back clean, in every order`, async () => {
      const before = await shardResults(await fake(org(400)), total);
      const after = await shardResults(await fake(org(5)), total);
      for (const order of permutations(after.map((_, i) => i))) {
        const gh = await fake({ repos: [{ owner: 'acme', name: 'app' }] });
        for (let i = 0; i < total; i++) await syncTrackingIssue(plain(gh), REPO, before[i]!, NOW, render, { index: i + 1, total });
        for (const i of order) await syncTrackingIssue(plain(gh), REPO, after[i]!, NOW, render, { index: i + 1, total });
        const [issue, ...more] = trackingIssues(gh);
        expect(more).toEqual([]);
        expect(issue!.state, `order ${order.join(',')}`).toBe('closed');
        expect(gh.state.mustRepo('acme/app').comments.filter((c) => /Closing/.test(c.body))).toHaveLength(1);
        expect(issue!.body).toContain('**All clean**');
      }
    });

    it(`ends correct when the ${total} shards write at the same time, whichever way the problems moved`, async () => {
      const week1 = await shardResults(await fake(org(400)), total);
      const shard1Repos = new Set(week1[0]!.report.rotation!.entries.map((e) => e.repository));
      // Week 2: the organization secret was rotated (shard 1 clean); every other shard has an overdue secret.
      const seed2 = org(5);
      for (const r of seed2.repos) {
        if (r.name !== 'app' && !shard1Repos.has(`acme/${r.name}`)) r.secrets = { actions: [{ name: 'STALE', updated_at: daysAgo(200) }] };
      }
      const week2 = await shardResults(await fake(seed2), total);
      expect(week2.slice(1).every((r) => r.report.rotation!.entries.some((e) => e.status === 'overdue'))).toBe(true);
      for (let round = 0; round < 5; round++) {
        const gh = await fake({ repos: [{ owner: 'acme', name: 'app' }] });
        // Week 1 all at once: only shard 1 has something to act on.
        await Promise.all(week1.map((r, i) => syncTrackingIssue(plain(gh), REPO, r, NOW, render, { index: i + 1, total })));
        let open = trackingIssues(gh).filter((i) => i.state === 'open');
        expect(open, `round ${round}`).toHaveLength(1);
        expect(open[0]!.body).toContain(`### Shard 1/${total}`);
        // Any issue a shard created in the race is closed as a duplicate, not left open beside the real one.
        expect(gh.state.mustRepo('acme/app').issues.filter((i) => i.labels.includes(TRACKING_LABEL) && i.state === 'open')).toHaveLength(1);
        // Week 2 all at once: shard 1 is clean now, the others are not. The issue must stay (or end) open.
        await Promise.all(week2.map((r, i) => syncTrackingIssue(plain(gh), REPO, r, NOW, render, { index: i + 1, total })));
        open = trackingIssues(gh).filter((i) => i.state === 'open');
        expect(open, `round ${round}`).toHaveLength(1);
        const body = open[0]!.body!;
        for (let i = 1; i <= total; i++) expect(body).toContain(`### Shard ${i}/${total}`);
        const stale = 9 - [...shard1Repos].filter((n) => n?.startsWith('acme/svc-')).length;
        expect(body).toContain(`**Action needed** (audit of 2026-11-28): 0 leaked keys, ${stale} overdue secrets,`);
      }
    });
  }
});
