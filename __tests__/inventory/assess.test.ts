import { describe, expect, it } from 'vitest';
import { assessKey, assessKeys, describeMatch, hintEnds, matchLeak, matchesHint, maxAgeFor, SPIKE_MIN_REQUESTS, type KeyPolicy } from '../../src/inventory/assess.js';
import type { InventoryKey } from '../../src/inventory/types.js';
import { anthropicHint, nearMiss, openAiRedacted, sampleKey } from '../fake-providers/fixtures.js';

const NOW = new Date('2026-12-06T12:00:00Z');
const daysAgo = (n: number): string => new Date(NOW.getTime() - n * 86_400_000).toISOString();
const POLICY: KeyPolicy = { maxAgeDays: 90, providers: {}, projects: [], unusedDays: 30, spikeFactor: 3 };

function key(over: Partial<InventoryKey> = {}): InventoryKey {
  return { provider: 'openai', kind: 'api', id: 'key_1', name: 'one', project: { id: 'proj_1', name: 'prod' }, createdAt: daysAgo(10), lastUsedAt: daysAgo(0), status: 'active', ownerAccess: 'active', ...over };
}

/** Requests per day: `week` on each of the last 7 days, `before` on each of the 28 before. */
function usage(week: number, before: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let back = 0; back < 35; back++) out[daysAgo(back).slice(0, 10)] = back < 7 ? week : before;
  return out;
}

const kinds = (k: InventoryKey, policy = POLICY): string[] => assessKey(k, policy, NOW).flags.map((f) => f.kind);

describe('assessKey', () => {
  it.each([
    ['a healthy key', key(), []],
    ['older than the policy by created_at', key({ createdAt: daysAgo(91) }), ['overdue']],
    ['exactly the policy age', key({ createdAt: daysAgo(90) }), []],
    ['unused for 30 days', key({ lastUsedAt: daysAgo(30) }), ['unused']],
    ['unused for 29 days', key({ lastUsedAt: daysAgo(29) }), []],
    ['never used and 30 days old', key({ createdAt: daysAgo(30), lastUsedAt: null }), ['unused']],
    ['never used but new', key({ createdAt: daysAgo(3), lastUsedAt: null }), []],
    ['last use not reported (Anthropic)', key({ provider: 'anthropic', lastUsedAt: undefined }), []],
    ['owner without access', key({ ownerAccess: 'inactive' }), ['orphaned']],
    ['a spike: 10x the baseline', key({ createdAt: daysAgo(60), requestsByDay: usage(100, 10) }), ['spike']],
    ['steady use', key({ createdAt: daysAgo(60), requestsByDay: usage(10, 10) }), []],
    ['exactly the factor', key({ createdAt: daysAgo(60), requestsByDay: usage(30, 10) }), []],
    ['a dormant old key suddenly used', key({ createdAt: daysAgo(60), requestsByDay: usage(20, 0) }), ['spike']],
    ['a new key in its first weeks', key({ createdAt: daysAgo(10), requestsByDay: usage(20, 0) }), []],
    ['too few requests to judge', key({ createdAt: daysAgo(60), requestsByDay: usage(SPIKE_MIN_REQUESTS / 7 - 1, 0) }), []],
    ['an inactive key, however old', key({ status: 'inactive', createdAt: daysAgo(400), ownerAccess: 'inactive' }), []],
    ['an admin key is always listed', key({ kind: 'admin', project: undefined }), ['admin']],
    ['an old admin key', key({ kind: 'admin', project: undefined, createdAt: daysAgo(400) }), ['admin', 'overdue']],
  ])('%s', (_, k, expected) => {
    expect(kinds(k)).toEqual(expected);
  });

  it('shows the spike figures', () => {
    const [flag] = assessKey(key({ createdAt: daysAgo(60), requestsByDay: usage(100, 10) }), POLICY, NOW).flags;
    expect(flag).toEqual({ kind: 'spike', lastWeekPerDay: 100, baselinePerDay: 10, factor: 10, threshold: 3 });
  });

  it('takes the spike factor and unused days from the policy', () => {
    const k = key({ createdAt: daysAgo(60), lastUsedAt: daysAgo(10), requestsByDay: usage(100, 10) });
    expect(kinds(k, { ...POLICY, spikeFactor: 20, unusedDays: 7 })).toEqual(['unused']);
  });
});

describe('maxAgeFor', () => {
  const policy: KeyPolicy = { ...POLICY, providers: { anthropic: 120 }, projects: [{ pattern: 'prod*', maxAgeDays: 30 }, { pattern: 'wrkspc_dev', maxAgeDays: 200 }] };
  it.each([
    ['a project glob by name', key(), 30],
    ['a project by id', key({ provider: 'anthropic', project: { id: 'wrkspc_dev', name: 'Dev' } }), 200],
    ['the provider', key({ provider: 'anthropic', project: { id: 'w', name: 'other' } }), 120],
    ['the default', key({ project: { id: 'p', name: 'sandbox' } }), 90],
  ])('uses %s', (_, k, days) => {
    expect(maxAgeFor(k, policy)).toBe(days);
  });

  it('flags by the project rule', () => {
    expect(kinds(key({ createdAt: daysAgo(31) }), policy)).toEqual(['overdue']);
  });
});

describe('assessKeys', () => {
  it('puts spikes and orphans before old and unused keys', () => {
    const keys = [key({ id: 'old', createdAt: daysAgo(100) }), key({ id: 'orphan', ownerAccess: 'inactive' }), key({ id: 'spike', createdAt: daysAgo(60), requestsByDay: usage(100, 10) }), key({ id: 'fine' })];
    expect(assessKeys(keys, POLICY, NOW).map((a) => a.key.id)).toEqual(['spike', 'orphan', 'old', 'fine']);
  });
});

describe('leak matching', () => {
  const leaked = sampleKey('openai-project-key', 7);
  const ant = sampleKey('anthropic-api-key', 8);

  it('reads the visible ends of both providers\' redacted forms', () => {
    expect(hintEnds('sk-abc...wxyz')).toEqual({ prefix: 'sk-abc', suffix: 'wxyz' });
    expect(hintEnds('sk-ant-api03-R2D…igAA')).toEqual({ prefix: 'sk-ant-api03-R2D', suffix: 'igAA' });
    expect(hintEnds('sk-proj-****abcd')).toEqual({ prefix: 'sk-proj-', suffix: 'abcd' });
    expect(hintEnds('no elision here')).toBeUndefined();
    expect(hintEnds('s...x')).toBeUndefined();
  });

  it('matches a key with both ends, and not a near miss', () => {
    expect(matchesHint(leaked, openAiRedacted(leaked))).toBe(true);
    expect(matchesHint(nearMiss(leaked), openAiRedacted(leaked))).toBe(false);
    expect(matchesHint(ant, anthropicHint(ant))).toBe(true);
    expect(matchesHint(nearMiss(ant), anthropicHint(ant))).toBe(false);
  });

  it('names exactly one key, refuses to guess between several, and keeps providers apart', () => {
    const target = key({ id: 'key_leak', hint: openAiRedacted(leaked) });
    const others = [key({ id: 'key_other', hint: openAiRedacted(sampleKey('openai-project-key', 9)) }), key({ id: 'key_nohint', hint: undefined })];
    expect(matchLeak(leaked, 'openai', [target, ...others])).toEqual({ key: target });
    expect(matchLeak(nearMiss(leaked), 'openai', [target, ...others])).toBeUndefined();
    expect(matchLeak(leaked, 'openai', [target, { ...target, id: 'twin' }])).toEqual({ ambiguous: 2 });
    expect(matchLeak(leaked, 'anthropic', [target])).toBeUndefined();
  });

  it('describes a match by ids, names, owner and dates only', () => {
    const k = key({ id: 'key_leak', name: 'ci deploy', owner: 'ci@example.com', createdAt: '2026-11-01T00:00:00.000Z', lastUsedAt: '2026-12-04T10:00:00.000Z', hint: openAiRedacted(leaked) });
    expect(describeMatch(k)).toBe('This is OpenAI key "ci deploy" (key_leak) in project "prod": owner ci@example.com, created 2026-11-01, last used 2026-12-04.');
    expect(describeMatch({ ...k, lastUsedAt: null })).toMatch(/never used\.$/);
  });
});
