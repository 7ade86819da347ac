import { describe, expect, it } from 'vitest';
import type { Report, RotationEntry } from '../../src/report/model.js';
import { parseCodeowners, ownersOf, secretOwnersOf, defaultOwners, pickCodeowners } from '../../src/report/owners.js';
import {
  checklistItems,
  mayMention,
  mergeChecklist,
  renderAgeChart,
  renderChecklist,
  renderDueNext,
  renderTrend,
  trendFromHistory,
  type Ownership,
} from '../../src/report/weekly.js';
import { finding, HEAD_SHA } from './fixture.js';
import { mermaidBlocks, parseMermaid } from '../helpers/mermaid.js';

const NOW = new Date(Date.UTC(2026, 11, 7, 6));
const target = { kind: 'schedule' as const, serverUrl: 'https://github.com', owner: 'acme', repo: 'app', headSha: HEAD_SHA };

function entry(name: string, ageDays: number, maxAgeDays: number, status: RotationEntry['status'], dueDate: string): RotationEntry {
  return { scope: 'actions', name, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z', ageDays, maxAgeDays, status, dueDate, neverRotated: false };
}

const report: Report = {
  findings: [finding({ file: 'src/api/client.ts', line: 4, source: 'file' }), finding({ file: 'docs/setup.md', line: 9, source: 'file', fingerprint: 'f'.repeat(32) })],
  stats: { files: 3, bytes: 10, durationMs: 1 },
  notes: [],
  target,
  rotation: {
    status: 'audited',
    problems: [],
    entries: [
      entry('DEPLOY_TOKEN', 120, 90, 'overdue', '2026-10-08'),
      entry('STRIPE_KEY', 80, 90, 'due-soon', '2026-12-17'),
      entry('NPM_TOKEN', 10, 90, 'ok', '2027-02-25'),
    ],
  },
};

const CODEOWNERS = [
  '# Owners, last match wins',
  '*            @acme/security',
  '/src/        @acme/backend',
  '*.md         @acme/docs-team',
  'src/api/     @alice @acme/api   # the API client',
  'docs/*       @bob',
  '/build/logs/ ',
].join('\n');

const ownership: Ownership = { codeowners: parseCodeowners(CODEOWNERS), secrets: [{ pattern: '*', owners: ['@acme/security'] }, { pattern: 'STRIPE_*', owners: ['@carol'] }] };

describe('CODEOWNERS', () => {
  it('applies the last matching rule, with gitignore anchoring and GitHub\'s docs/* rule', () => {
    const rules = ownership.codeowners;
    expect(ownersOf('src/api/client.ts', rules)).toEqual(['@alice', '@acme/api']);
    expect(ownersOf('src/db.ts', rules)).toEqual(['@acme/backend']);
    expect(ownersOf('src/README.md', rules)).toEqual(['@acme/docs-team']);
    expect(ownersOf('docs/setup.md', rules)).toEqual(['@bob']);
    // docs/* covers only files directly in docs/: deeper ones fall back to *.md.
    expect(ownersOf('docs/guides/setup.md', rules)).toEqual(['@acme/docs-team']);
    expect(ownersOf('lib/x/src/y.ts', rules)).toEqual(['@acme/security']);
    // A rule without owners clears ownership.
    expect(ownersOf('build/logs/a.log', rules)).toEqual([]);
    expect(defaultOwners(rules)).toEqual(['@acme/security']);
  });

  it('uses the file GitHub would: .github/ first, then the root, then docs/', () => {
    const files = new Map([['docs/CODEOWNERS', 'd'], ['CODEOWNERS', 'root']]);
    expect(pickCodeowners(files)).toEqual({ path: 'CODEOWNERS', text: 'root' });
    files.set('.github/CODEOWNERS', 'gh');
    expect(pickCodeowners(files)?.path).toBe('.github/CODEOWNERS');
  });

  it('takes secret owners from rotation.owners, last match wins, case-insensitively', () => {
    expect(secretOwnersOf('stripe_live', ownership.secrets)).toEqual(['@carol']);
    expect(secretOwnersOf('DEPLOY_TOKEN', ownership.secrets)).toEqual(['@acme/security']);
    expect(secretOwnersOf('X', [])).toEqual([]);
  });
});

describe('checklist', () => {
  it('lists what to do with linked locations, due dates and owners', () => {
    const items = checklistItems(report, [{ number: 4, secretType: 'GitHub PAT', createdAt: '2026-11-30T10:00:00Z', url: 'https://github.com/acme/app/security/secret-scanning/4' }], NOW, { ownership, disclose: true });
    const text = renderChecklist(mergeChecklist(items, [], NOW), NOW, true);
    expect(text).toContain(`- [ ] **Revoke** the GitHub personal access token (classic) at [\`src/api/client.ts:4\`](https://github.com/acme/app/blob/${HEAD_SHA}/src/api/client.ts#L4) · due 2026-12-07 · owners @alice @acme/api`);
    expect(text).toContain('- [ ] **Rotate** Actions secret [`DEPLOY_TOKEN`](https://github.com/acme/app/settings/secrets/actions) (120 days old, policy 90) · due 2026-10-08 **(overdue)** · owners @acme/security');
    expect(text).toContain('secret [`STRIPE_KEY`](https://github.com/acme/app/settings/secrets/actions) (80 days old, policy 90) · due 2026-12-17 · owners @carol');
    expect(text).toContain('- [ ] **Close** secret-scanning alert [#4](https://github.com/acme/app/security/secret-scanning/4) (GitHub PAT) once the secret is revoked · due 2026-11-30 **(overdue)**');
    expect(text).not.toContain('NPM_TOKEN');
    // Without mentions, owners are code spans: GitHub notifies nobody.
    expect(renderChecklist(mergeChecklist(items, [], NOW), NOW, false)).toContain('owners `@alice` `@acme/api`');
  });

  it('ticks what was fixed with the date, keeps it four weeks, and keeps a leak\'s first due date', () => {
    const week = (n: number) => new Date(NOW.getTime() + n * 7 * 86_400_000);
    const first = mergeChecklist(checklistItems(report, [], NOW, { ownership, disclose: true }), [], NOW);
    const fixed: Report = { ...report, findings: report.findings.slice(1) };
    const second = mergeChecklist(checklistItems(fixed, [], week(1), { ownership, disclose: true }), first, week(1));
    const done = second.find((i) => i.text.includes('src/api/client.ts'));
    expect(done?.resolved).toBe('2026-12-14');
    expect(second.find((i) => i.text.includes('docs/setup.md'))?.due).toBe('2026-12-07');
    expect(renderChecklist(second, week(1), true)).toMatch(/^- \[x\] ~~\*\*Revoke\*\* the GitHub personal access token \(classic\) at .*src\/api\/client\.ts:4.*~~ · resolved 2026-12-14$/m);
    let state = second;
    for (let n = 2; n <= 5; n++) state = mergeChecklist(checklistItems(fixed, [], week(n), { ownership, disclose: true }), state, week(n));
    // Resolved on 12-14; on 01-11 it has been done four weeks and is gone.
    expect(state.some((i) => i.text.includes('src/api/client.ts'))).toBe(false);
  });

  it('mentions only with the input on and at most 10 people reached', () => {
    expect(mayMention({ mentions: true, notifiedPeople: 10 })).toBe(true);
    expect(mayMention({ mentions: true, notifiedPeople: 11 })).toBe(false);
    expect(mayMention({ mentions: true })).toBe(false);
    expect(mayMention({ mentions: false, notifiedPeople: 1 })).toBe(false);
  });

  it('names no secret where names are withheld', () => {
    const items = checklistItems({ ...report, rotation: { ...report.rotation!, withheld: 'public' } }, [], NOW, { ownership, disclose: false });
    const text = renderChecklist(items, NOW, false);
    expect(text).toContain('**Rotate** 1 overdue secret (names are not shown');
    expect(text).not.toMatch(/DEPLOY_TOKEN|STRIPE_KEY/);
    expect(renderAgeChart(report, { disclose: false })).toBe('');
    expect(renderDueNext(report, NOW, { ownership, disclose: false })).toContain('1 secret falls due by 2027-01-06');
  });
});

describe('due next and charts', () => {
  it('lists secrets due in the next 30 days by date', () => {
    expect(renderDueNext(report, NOW, { ownership, disclose: true })).toBe('#### Due in the next 30 days\n\n- 2026-12-17: Actions secret `STRIPE_KEY` · owners `@carol`');
  });

  it('draws secret ages against the policy with a table beside it, and the chart parses', async () => {
    const text = renderAgeChart(report, { disclose: true });
    const [chart] = mermaidBlocks(text);
    expect(await parseMermaid(chart ?? '')).toBe('xychart');
    expect(chart).toContain('x-axis ["DEPLOY_TOKEN", "STRIPE_KEY", "NPM_TOKEN"]');
    expect(chart).toContain('bar [120, 80, 10]');
    expect(chart).toContain('line [90, 90, 90]');
    expect(text).toContain('| `DEPLOY_TOKEN` | 120 | 90 | 2026-10-08 | overdue |');
  });

  it('plots the trend from the history lines, adding up shards and counting a day once', async () => {
    const history = [
      '- 2026-12-07 (shard 1/2): 2 leaked keys, 1 overdue secret, 0 secrets due soon, 1 open secret-scanning alert',
      '- 2026-12-07 (shard 2/2): 0 leaked keys, 3 overdue secrets, 0 secrets due soon, 0 open secret-scanning alerts',
      '- 2026-11-30: 5 leaked keys, 1 overdue secret, 0 secrets due soon, 2 open secret-scanning alerts',
      '- 2026-11-30: 9 leaked keys, 9 overdue secrets, 0 secrets due soon, 9 open secret-scanning alerts',
    ];
    const points = trendFromHistory(history);
    expect(points).toEqual([
      { date: '2026-11-30', leaks: 5, overdue: 1, alerts: 2 },
      { date: '2026-12-07', leaks: 2, overdue: 4, alerts: 1 },
    ]);
    const text = renderTrend(points);
    const [chart] = mermaidBlocks(text);
    expect(await parseMermaid(chart ?? '')).toBe('xychart');
    expect(text).toContain('| 2026-12-07 | 2 | 4 | 1 |');
  });

  it('refuses a broken chart (the parser is real)', async () => {
    await expect(parseMermaid('xychart-beta\n  x-axis ["a" "b"]\n  bar [1,')).rejects.toThrow(/Parse error/);
  });

  it('keeps hostile secret names from breaking the chart or the table', async () => {
    const hostile: Report = { ...report, rotation: { status: 'audited', problems: [], entries: [{ ...entry('X"] bar [9', 5, 90, 'ok', '2027-03-01'), environment: 'prod|`x`' }] } };
    const text = renderAgeChart(hostile, { disclose: true });
    expect(await parseMermaid(mermaidBlocks(text)[0] ?? '')).toBe('xychart');
    expect(text).toContain('| ``prod\\|`x`/X"] bar [9`` |');
  });
});
