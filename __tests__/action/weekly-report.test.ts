import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { fakeSha } from '../fake-github/state.js';
import { runAction, runScheduled } from '../helpers/run-action.js';
import { mermaidBlocks, parseMermaid } from '../helpers/mermaid.js';
import { FULL, OWNER, REPO, key } from './scenario.js';

/**
 * Five weekly audits of one repository through the built action, its clock moved a week each run (a
 * preloaded module, not a test branch in the action): the checklist ticks what was fixed, owners come
 * from CODEOWNERS and rotation.owners, mentions follow how many people they would notify, and the
 * trend grows from the history the issue keeps.
 */

const CLOCK = new URL('../helpers/shifted-clock.mjs', import.meta.url).pathname;
const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 2, 6); // a Monday, 06:00 UTC
const weekOf = (n: number): Date => new Date(START + n * 7 * DAY);

const CODEOWNERS = [
  '# Last match wins',
  '*                  @acme/security',
  '/src/              @acme/backend',
  '*.md               @acme/docs',
  'src/payments/      @alice @acme/payments',
].join('\n');

const CONFIG = ['rotation:', '  owners:', '    "*": "@acme/security"', '    "STRIPE_*": ["@carol"]', ''].join('\n');

let api: FakeGitHub | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function tracking(fake: FakeGitHub) {
  const issues = (fake.state.repos.get(FULL)?.issues ?? []).filter((i) => (i.body ?? '').includes('<!-- key-hygiene:tracking-issue -->'));
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

/** A checklist line of the issue that contains `text`. */
function item(body: string, text: string): string {
  const line = body.split('\n').find((l) => /^- \[[ x]\] /.test(l) && l.includes(text));
  if (line === undefined) throw new Error(`no checklist item with ${text} in:\n${body}`);
  return line;
}

describe('weekly report over five weeks', () => {
  it('ticks fixed items, names owners from CODEOWNERS and the config, draws charts that parse, and builds the trend from the history', async () => {
    const keys = { payments: key(601), api: key(602), docs: key(603), deploy: key(604) };
    const files = (left: Partial<typeof keys>): Record<string, string> => ({
      '.github/CODEOWNERS': CODEOWNERS,
      '.github/key-hygiene.yml': CONFIG,
      'README.md': '# app\n',
      'src/payments/stripe.ts': left.payments === undefined ? 'export {};\n' : `export const stripe = "${left.payments}";\n`,
      'src/api/client.ts': left.api === undefined ? 'export {};\n' : `\nexport const token = "${left.api}";\n`,
      'docs/setup.md': left.docs === undefined ? '# setup\n' : `# setup\n\nexport GH_TOKEN=${left.docs}\n`,
      'scripts/deploy.sh': left.deploy === undefined ? '#!/bin/sh\n' : `#!/bin/sh\nTOKEN=${left.deploy}\n`,
    });
    const rotated = (d: Date, daysAgo: number) => new Date(d.getTime() - daysAgo * DAY).toISOString();
    api = await startFakeGitHub({
      repos: [
        {
          owner: OWNER,
          name: REPO,
          default_branch: 'main',
          private: true,
          snapshots: [{ sha: fakeSha('week-0'), ref: 'main', files: files(keys) }],
          secrets: {
            actions: [
              { name: 'DEPLOY_TOKEN', created_at: rotated(weekOf(0), 400), updated_at: rotated(weekOf(0), 120) },
              { name: 'STRIPE_KEY', created_at: rotated(weekOf(0), 400), updated_at: rotated(weekOf(0), 80) },
              { name: 'NPM_TOKEN', created_at: rotated(weekOf(0), 400), updated_at: rotated(weekOf(0), 5) },
            ],
          },
          secretScanningAlerts: [{ number: 3, state: 'open', secret_type: 'github_personal_access_token', secret_type_display_name: 'GitHub PAT', secret: key(605), created_at: rotated(weekOf(0), 2) }],
        },
      ],
      orgs: [
        {
          login: OWNER,
          teams: [
            { slug: 'security', members_count: 3 },
            { slug: 'backend', members_count: 4 },
            { slug: 'docs', members_count: 5 },
            { slug: 'payments', members_count: 2 },
          ],
        },
      ],
    });
    const repo = api.state.repos.get(FULL)!;

    const runWeek = async (n: number) => {
      const run = await runScheduled({
        api: api!,
        repository: FULL,
        sha: repo.refs.get('main')!,
        inputs: { 'secrets-token': 'secrets-reader' },
        env: { KH_TEST_NOW: weekOf(n).toISOString(), NODE_OPTIONS: `--import=${CLOCK}` },
      });
      expect(run.stderr).not.toMatch(/Error/);
      return { ...run, body: tracking(api!).body ?? '' };
    };
    const advance = (n: number, left: Partial<typeof keys>) => api!.state.addSnapshot(repo, { sha: fakeSha(`week-${n}`), ref: 'main', files: files(left) });

    // Week 0: four leaked keys, one overdue and one due-soon secret, one alert.
    const w0 = await runWeek(0);
    expect(w0.code).toBe(1);
    // Several CODEOWNERS rules match src/payments/stripe.ts (*, /src/, src/payments/): the last one wins.
    expect(item(w0.body, 'src/payments/stripe.ts')).toMatch(/· due 2026-11-02 · owners `@alice` `@acme\/payments`$/);
    expect(item(w0.body, 'src/api/client.ts:2')).toMatch(/owners `@acme\/backend`$/);
    expect(item(w0.body, 'docs/setup.md')).toMatch(/owners `@acme\/docs`$/);
    expect(item(w0.body, 'scripts/deploy.sh')).toMatch(/owners `@acme\/security`$/);
    // At the audited commit, as the archive names it, not the branch: a later push does not move the link.
    expect(item(w0.body, 'src/payments/stripe.ts')).toMatch(new RegExp(`\\(${api.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/${FULL}/blob/[0-9a-f]{7,40}/src/payments/stripe\\.ts#L1\\)`));
    // Secrets: owners from rotation.owners (last match wins), due dates from the policy (90 days).
    expect(item(w0.body, 'DEPLOY_TOKEN')).toMatch(/\[`DEPLOY_TOKEN`\]\(http:\/\/127\.0\.0\.1:\d+\/acme\/app\/settings\/secrets\/actions\) \(120 days old, policy 90\) · due 2026-10-03 \*\*\(overdue\)\*\* · owners `@acme\/security`$/);
    expect(item(w0.body, 'STRIPE_KEY')).toMatch(/· due 2026-11-12 · owners `@carol`$/);
    expect(item(w0.body, '[#3]')).toContain('· due 2026-10-31');
    // 3 + 4 + 5 + 2 people in teams and 2 users: more than 10, so owners are named, not mentioned.
    expect(w0.body).not.toMatch(/(^|[^`])@acme\/(security|backend|docs|payments)/m);
    expect(w0.stdout).toContain('Owners are named without mentions: more than 10 people would be notified.');
    expect(w0.body).toContain('#### Due in the next 30 days\n\n- 2026-11-12: Actions secret `STRIPE_KEY` · owners `@carol`');
    expect(w0.summary).toContain('#### Checklist');
    expect(w0.summary).toContain('```mermaid');

    // Week 1: the docs and deploy-script keys are gone.
    advance(1, { payments: keys.payments, api: keys.api });
    const w1 = await runWeek(1);
    expect(item(w1.body, 'docs/setup.md')).toMatch(/^- \[x\] ~~.*~~ · resolved 2026-11-09$/);
    expect(item(w1.body, 'scripts/deploy.sh')).toMatch(/^- \[x\] .* · resolved 2026-11-09$/);
    // Still open, with the due date it got when first seen.
    expect(item(w1.body, 'src/api/client.ts')).toMatch(/^- \[ \] .* · due 2026-11-02 \*\*\(overdue\)\*\* · owners/);

    // Week 2: the API key is revoked, the alert closed, DEPLOY_TOKEN rotated. STRIPE_KEY is now overdue.
    advance(2, { payments: keys.payments });
    repo.secretScanningAlerts = [];
    repo.secrets.actions = repo.secrets.actions.map((s) => (s.name === 'DEPLOY_TOKEN' ? { ...s, updated_at: rotated(weekOf(2), 1) } : s));
    const w2 = await runWeek(2);
    expect(item(w2.body, 'src/api/client.ts')).toMatch(/resolved 2026-11-16$/);
    expect(item(w2.body, 'DEPLOY_TOKEN')).toMatch(/^- \[x\] .* · resolved 2026-11-16$/);
    expect(item(w2.body, '[#3]')).toMatch(/^- \[x\] .* · resolved 2026-11-16$/);
    expect(item(w2.body, 'STRIPE_KEY')).toMatch(/\*\*\(overdue\)\*\* · owners @carol$/);
    // Alice, the payments team (2) and Carol: 4 people, so they are mentioned.
    expect(item(w2.body, 'src/payments/stripe.ts')).toMatch(/owners @alice @acme\/payments$/);

    // Week 3: nothing changes; what was resolved stays ticked.
    advance(3, { payments: keys.payments });
    const w3 = await runWeek(3);
    expect(item(w3.body, 'docs/setup.md')).toMatch(/resolved 2026-11-09$/);

    // Week 4: the last key is revoked and STRIPE_KEY rotated: all ticked, and the issue closes.
    advance(4, {});
    repo.secrets.actions = repo.secrets.actions.map((s) => (s.name === 'STRIPE_KEY' ? { ...s, updated_at: rotated(weekOf(4), 1) } : s));
    const w4 = await runWeek(4);
    const last = tracking(api);
    expect(last.state).toBe('closed');
    expect(w4.body.split('\n').filter((l) => l.startsWith('- [ ] '))).toEqual([]);
    expect(w4.body.split('\n').filter((l) => l.startsWith('- [x] '))).toHaveLength(7);
    expect(item(w4.body, 'src/payments/stripe.ts')).toMatch(/resolved 2026-11-30$/);

    // The trend: one row per weekly audit, from the history the issue keeps.
    expect(w4.body).toContain(
      [
        '| Audit | Leaked keys | Overdue secrets | Open alerts |',
        '| --- | ---: | ---: | ---: |',
        '| 2026-11-02 | 4 | 1 | 1 |',
        '| 2026-11-09 | 2 | 1 | 1 |',
        '| 2026-11-16 | 1 | 1 | 0 |',
        '| 2026-11-23 | 1 | 1 | 0 |',
        '| 2026-11-30 | 0 | 0 | 0 |',
      ].join('\n'),
    );
    // Every chart of every week's issue parses with Mermaid.
    for (const body of [w0.body, w1.body, w2.body, w3.body, w4.body]) {
      const charts = mermaidBlocks(body);
      expect(charts.length).toBeGreaterThanOrEqual(2);
      for (const chart of charts) expect(await parseMermaid(chart)).toBe('xychart');
    }
    expect(mermaidBlocks(w4.body)[0]).toContain('line [4, 2, 1, 1, 0]');

    // Nothing written anywhere holds a key.
    const written = JSON.stringify(api.requests.map((r) => r.body)) + [w0, w1, w2, w3, w4].map((w) => w.summary + w.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n')).join('\n');
    for (const k of [...Object.values(keys), key(605)]) expect(written.includes(k)).toBe(false);

    if (process.env['KH_WRITE_WEEKLY_EXAMPLE'] === '1') await writeFile(new URL('../../docs/examples/weekly-issue.md', import.meta.url), w2.body.replaceAll(api.url, 'https://github.com'));
  }, 180_000);

  it('never mentions with mention-owners: false', async () => {
    api = await startFakeGitHub({
      repos: [{ owner: OWNER, name: REPO, default_branch: 'main', private: true, snapshots: [{ sha: fakeSha('m'), ref: 'main', files: { CODEOWNERS: '* @alice\n', 'a.ts': `const t = "${key(611)}";\n` } }] }],
    });
    const temp = await mkdtemp(join(tmpdir(), 'kh-weekly-'));
    try {
      const base = { api, eventName: 'schedule', payload: {}, repository: FULL, workspace: join(temp, 'ws'), env: { RUNNER_TEMP: join(temp, 'rt'), GITHUB_SHA: fakeSha('m') } };
      await runAction({ ...base, inputs: { 'mention-owners': 'false' } });
      expect(item(tracking(api).body ?? '', 'a.ts:1')).toMatch(/owners `@alice`$/);
      await runAction({ ...base, inputs: {} });
      expect(item(tracking(api).body ?? '', 'a.ts:1')).toMatch(/owners @alice$/);
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }, 60_000);
});
