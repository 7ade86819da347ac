import { afterEach, describe, expect, it } from 'vitest';
import { TRACKING_LABEL, runScheduledAudit, syncTrackingIssue } from '../../src/action/scheduled-audit.js';
import { buildEngine, defaultConfig } from '../../src/config/index.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { TRACKING_MARKER, TRACKING_TITLE } from '../../src/report/tracking-issue.js';
import { fakeSha, type FakeGitHub, type FakeIssue } from '../fake-github/index.js';
import { clientFor, daysAgo, fake, githubKey, quietLog, stopAll } from './setup.js';

afterEach(stopAll);

const REPO = { owner: 'acme', repo: 'app' };
const WEEK_MS = 7 * 86_400_000;
const FIRST_RUN = new Date('2026-11-02T06:00:00Z');

const PERSON_PLAIN = 'Rotate the staging database password before the audit finds it';
const PERSON_QUOTING = `The weekly issue starts with ${TRACKING_MARKER}; can the title say which repository it is about?`;

/** Sets the default branch's files (a new commit) and the one secret's last rotation. */
function setState(gh: FakeGitHub, opts: { plantedKey?: string; rotatedDaysAgo: number; now: Date; run: number }): void {
  const repo = gh.state.mustRepo('acme/app');
  const files: Record<string, string> = { 'README.md': '# app\n', 'src/index.ts': 'export {};\n' };
  if (opts.plantedKey !== undefined) files['src/settings.ts'] = `export const token = "${opts.plantedKey}";\n`;
  gh.state.addSnapshot(repo, { sha: fakeSha(`run-${opts.run}`), ref: 'main', files });
  repo.secrets.actions = [{ name: 'DEPLOY_KEY', created_at: daysAgo(700, opts.now), updated_at: daysAgo(opts.rotatedDaysAgo, opts.now) }];
}

function markerIssues(gh: FakeGitHub): FakeIssue[] {
  return gh.state.mustRepo('acme/app').issues.filter((i) => (i.body ?? '').startsWith(TRACKING_MARKER));
}

function historyLines(body: string | null): string[] {
  return (body ?? '').split('\n').filter((l) => /^- \d{4}-\d{2}-\d{2}: /.test(l));
}

function writes(gh: FakeGitHub, since: number): string[] {
  return gh.requests.slice(since).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

describe('tracking issue over several weekly runs', () => {
  it('creates, updates, closes, leaves alone and reopens one issue, never touching a person’s issues', async () => {
    const gh = await fake({
      repos: [
        {
          owner: 'acme',
          name: 'app',
          issues: [
            { title: 'Rotate staging', body: PERSON_PLAIN, labels: [TRACKING_LABEL], user: 'mona' },
            { title: 'Audit issue title', body: PERSON_QUOTING, labels: [TRACKING_LABEL], user: 'hubot' },
          ],
        },
      ],
    });
    const config = defaultConfig();
    const engine = buildEngine(config);
    const people = gh.state.mustRepo('acme/app').issues.map((i) => ({ ...i }));
    const key = githubKey();

    const run = async (n: number, state: { plantedKey?: string; rotatedDaysAgo: number }) => {
      const now = new Date(FIRST_RUN.getTime() + (n - 1) * WEEK_MS);
      setState(gh, { ...state, now, run: n });
      const github = clientFor(gh);
      const result = await runScheduledAudit({
        github,
        secrets: clientFor(gh),
        repo: REPO,
        serverUrl: 'https://github.example.invalid',
        config,
        engine,
        maxSecretAgeDays: 90,
        now,
        log: quietLog(),
      });
      const before = gh.requests.length;
      const synced = await syncTrackingIssue(github.client, REPO, result, now, (r) => renderMarkdown(r, { surface: 'comment' }));
      return { synced, writes: writes(gh, before) };
    };

    // Run 1: a key in a file and an overdue secret.
    const r1 = await run(1, { plantedKey: key, rotatedDaysAgo: 120 });
    expect(r1.synced.action).toBe('create');
    // The people's issues already made the label, so only the issue is created.
    expect(r1.writes).toEqual(['POST /repos/acme/app/issues']);
    const [issue, ...others] = markerIssues(gh);
    expect(others).toEqual([]);
    expect(issue).toMatchObject({ number: r1.synced.number, title: TRACKING_TITLE, state: 'open', labels: [TRACKING_LABEL] });
    expect(issue!.body).toContain('**Action needed** (audit of 2026-11-02): 1 leaked key, 1 overdue secret');
    expect(issue!.body).toContain('src/settings.ts');
    expect(issue!.body!.includes(key)).toBe(false);
    expect(historyLines(issue!.body)).toHaveLength(1);

    // Run 2: still there. Same issue, body updated, two dated lines, newest first.
    const r2 = await run(2, { plantedKey: key, rotatedDaysAgo: 127 });
    expect(r2.synced).toEqual({ action: 'update', number: issue!.number });
    expect(r2.writes).toEqual([`PATCH /repos/acme/app/issues/${issue!.number}`]);
    expect(markerIssues(gh)).toHaveLength(1);
    expect(historyLines(issue!.body)).toEqual([
      '- 2026-11-09: 1 leaked key, 1 overdue secret, 0 secrets due soon, 0 open secret-scanning alerts',
      '- 2026-11-02: 1 leaked key, 1 overdue secret, 0 secrets due soon, 0 open secret-scanning alerts',
    ]);

    // Run 3: key removed, secret rotated. Closed, with a comment saying why.
    const r3 = await run(3, { rotatedDaysAgo: 2 });
    expect(r3.synced).toEqual({ action: 'close', number: issue!.number });
    expect(issue!.state).toBe('closed');
    const comments = gh.state.commentsOn('acme/app', issue!.number);
    expect(comments.map((c) => c.body)).toEqual(['The audit of 2026-11-16 found nothing to act on (0 leaked keys, 0 overdue secrets, 0 secrets due soon, 0 open secret-scanning alerts). Closing.']);
    expect(issue!.body).toContain('**All clean** (audit of 2026-11-16)');
    expect(historyLines(issue!.body)).toHaveLength(3);

    // Run 4: still clean. Nothing is written: a quiet week makes no notification.
    const r4 = await run(4, { rotatedDaysAgo: 9 });
    expect(r4.synced).toEqual({ action: 'none', number: issue!.number });
    expect(r4.writes).toEqual([]);
    expect(historyLines(issue!.body)).toHaveLength(3);

    // Run 5: the secret is overdue again. The same issue is reopened, with a comment.
    const r5 = await run(5, { rotatedDaysAgo: 95 });
    expect(r5.synced).toEqual({ action: 'reopen', number: issue!.number });
    expect(issue!.state).toBe('open');
    expect(gh.state.commentsOn('acme/app', issue!.number).at(-1)?.body).toBe(
      'Problems are back as of the audit of 2026-11-30: 0 leaked keys, 1 overdue secret, 0 secrets due soon, 0 open secret-scanning alerts.',
    );
    expect(historyLines(issue!.body).map((l) => l.slice(2, 12))).toEqual(['2026-11-30', '2026-11-16', '2026-11-09', '2026-11-02']);

    // Through all five runs: one issue with the marker, and the people's issues exactly as they were.
    expect(markerIssues(gh)).toHaveLength(1);
    const after = gh.state.mustRepo('acme/app').issues.filter((i) => people.some((p) => p.number === i.number));
    expect(after).toEqual(people);
    for (const p of people) expect(gh.state.commentsOn('acme/app', p.number)).toEqual([]);
  });
});
