import { describe, expect, it } from 'vitest';
import { assessKeys, type KeyPolicy } from '../../src/inventory/assess.js';
import type { InventoryKey } from '../../src/inventory/types.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { ProviderKeysReport, Report } from '../../src/report/model.js';
import { elements, renderGfm, REPORT_ELEMENTS, textOutsideCode } from '../helpers/gfm.js';
import { expectGolden } from './fixture.js';

const NOW = new Date('2026-12-06T12:00:00Z');
const daysAgo = (n: number): string => new Date(NOW.getTime() - n * 86_400_000).toISOString();
const POLICY: KeyPolicy = { maxAgeDays: 90, providers: {}, projects: [], unusedDays: 30, spikeFactor: 3 };

function usage(week: number, before: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let back = 0; back < 35; back++) out[daysAgo(back).slice(0, 10)] = back < 7 ? week : before;
  return out;
}

const base = { provider: 'openai', kind: 'api', status: 'active', ownerAccess: 'active', lastUsedAt: daysAgo(1), createdAt: daysAgo(10) } as const;
const keys: InventoryKey[] = [
  { ...base, id: 'key_old', name: 'deploy', project: { id: 'proj_1', name: 'prod' }, owner: 'ops@example.com', ownerType: 'user', hint: 'sk-proj-ab...wxyz', createdAt: daysAgo(200) },
  { ...base, id: 'key_idle', name: 'batch', project: { id: 'proj_1', name: 'prod' }, lastUsedAt: daysAgo(45), createdAt: daysAgo(60) },
  { ...base, id: 'key_orphan', name: 'left', project: { id: 'proj_1', name: 'prod' }, owner: 'bot', ownerType: 'service_account', ownerAccess: 'inactive' },
  { ...base, id: 'key_spike', name: 'web', project: { id: 'proj_2', name: '<img src=x>|`pwn`' }, createdAt: daysAgo(60), requestsByDay: usage(1234, 50) },
  { ...base, id: 'key_fine', name: 'fine', project: { id: 'proj_2', name: 'sandbox' } },
  { provider: 'anthropic', kind: 'api', id: 'apikey_1', name: 'support @team', project: { id: 'wrkspc_1', name: 'Production' }, createdAt: daysAgo(120), status: 'active', hint: 'sk-ant-api03-R2D...igAA' },
  { ...base, kind: 'admin', id: 'admin_1', name: 'audit', owner: 'ops', createdAt: daysAgo(400), lastUsedAt: daysAgo(0) },
];

function section(): ProviderKeysReport {
  return {
    providers: [
      { provider: 'openai', keys: 6, usageRead: true, problems: [] },
      { provider: 'anthropic', keys: 1, usageRead: false, problems: ['Anthropic refused the admin key (HTTP 403) on GET /v1/organizations/workspaces: it needs an Admin API key.'] },
    ],
    keys: assessKeys(keys, POLICY, NOW).filter((a) => a.flags.length > 0),
    unusedDays: 30,
    spikeFactor: 3,
  };
}

function report(): Report {
  return { findings: [], stats: { files: 3, bytes: 300, durationMs: 1000 }, notes: [], providerKeys: section(), target: { kind: 'schedule' } };
}

describe('Provider keys section', () => {
  it('renders flagged keys and admin keys (golden)', () => {
    expectGolden('provider-keys.summary.md', renderMarkdown(report(), { surface: 'summary' }));
  });

  it('lists only flagged keys, each with its reasons, and escapes names', () => {
    const md = renderMarkdown(report(), { surface: 'summary' });
    expect(md).not.toContain('key_fine');
    // Shown, but inert: in code spans, where GitHub renders no HTML and no mention.
    const html = renderGfm(md);
    for (const name of elements(html)) expect(REPORT_ELEMENTS, `<${name}>`).toContain(name);
    expect(textOutsideCode(html)).not.toContain('@team');
    expect(html).toContain('<code>&lt;img src=x&gt;|`pwn`</code>');
    expect(md).toContain('Usage spike: 1,234 requests/day over the last 7 days vs 50/day over the 28 days before (24.7×, threshold 3×)');
    const rows = md.split('\n').filter((l) => l.startsWith('| OpenAI') || l.startsWith('| Anthropic'));
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(rows[0]?.split(/(?<!\\)\|/).length);
  });

  it('is absent when the inventory was not read or may not be shown', () => {
    const md = renderMarkdown({ ...report(), providerKeys: undefined }, { surface: 'summary' });
    expect(md).not.toContain('Provider keys');
  });
});
