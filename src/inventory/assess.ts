import picomatch from 'picomatch';
import type { InventoryKey, InventoryProvider } from './types.js';

const DAY_MS = 86_400_000;

/** What the audit holds provider keys to; the config's `rotation.provider-keys`, with defaults filled in. */
export interface KeyPolicy {
  /** Default maximum age by `created_at`. */
  maxAgeDays: number;
  /** A different maximum per provider. */
  providers: Partial<Record<InventoryProvider, number>>;
  /** Per project or workspace, by a case-insensitive glob over its name or id; the first match wins. */
  projects: ReadonlyArray<{ pattern: string; maxAgeDays: number }>;
  /** An active key not used for this many days is a delete candidate. */
  unusedDays: number;
  /** Last 7 days' daily average above this many times the 28 days before it: possible abuse. */
  spikeFactor: number;
}

/** Below this many requests in the last 7 days a ratio is noise, not abuse: a key used once is not a spike. */
export const SPIKE_MIN_REQUESTS = 70;

export type KeyFlag =
  | { kind: 'overdue'; ageDays: number; maxAgeDays: number }
  | { kind: 'unused'; days: number | null; threshold: number }
  | { kind: 'orphaned' }
  | { kind: 'spike'; lastWeekPerDay: number; baselinePerDay: number; factor: number; threshold: number }
  | { kind: 'admin' };

/** One key in the report: what it is (never its value) and why it is listed. */
export interface AssessedKey {
  key: InventoryKey;
  ageDays: number;
  maxAgeDays: number;
  flags: KeyFlag[];
}

/** The maximum age for a key: its project's or workspace's rule, else its provider's, else the default. */
export function maxAgeFor(key: InventoryKey, policy: KeyPolicy): number {
  const project = key.project;
  if (project !== undefined) {
    const rule = policy.projects.find((r) => picomatch.isMatch(project.name, r.pattern, { nocase: true }) || picomatch.isMatch(project.id, r.pattern, { nocase: true }));
    if (rule !== undefined) return rule.maxAgeDays;
  }
  return policy.providers[key.provider] ?? policy.maxAgeDays;
}

/**
 * Judges one key. Only active keys are flagged; admin keys are always listed, with their age. Ages are
 * whole UTC days, as for secrets. Usage compares the daily average of the last 7 UTC days (today
 * included) with that of the 28 days before them, so a burst cannot hide in its own baseline.
 */
export function assessKey(key: InventoryKey, policy: KeyPolicy, now: Date): AssessedKey {
  const today = utcDay(now);
  const created = Date.parse(key.createdAt);
  const ageDays = Number.isNaN(created) ? 0 : Math.max(0, today - utcDay(new Date(created)));
  const maxAgeDays = maxAgeFor(key, policy);
  const flags: KeyFlag[] = [];
  if (key.kind === 'admin') flags.push({ kind: 'admin' });
  if (key.status !== 'active') return { key, ageDays, maxAgeDays, flags };

  if (ageDays > maxAgeDays) flags.push({ kind: 'overdue', ageDays, maxAgeDays });
  if (key.lastUsedAt !== undefined) {
    const used = key.lastUsedAt === null ? NaN : Date.parse(key.lastUsedAt);
    const idle = Number.isNaN(used) ? null : today - utcDay(new Date(used));
    // A key never used but created within the threshold is simply new.
    if ((idle === null && ageDays >= policy.unusedDays) || (idle !== null && idle >= policy.unusedDays)) {
      flags.push({ kind: 'unused', days: idle, threshold: policy.unusedDays });
    }
  }
  if (key.ownerAccess === 'inactive') flags.push({ kind: 'orphaned' });
  const spike = usageSpike(key, policy.spikeFactor, today, ageDays);
  if (spike !== undefined) flags.push(spike);
  return { key, ageDays, maxAgeDays, flags };
}

function usageSpike(key: InventoryKey, threshold: number, today: number, ageDays: number): KeyFlag | undefined {
  const byDay = key.requestsByDay;
  if (byDay === undefined) return undefined;
  let lastWeek = 0;
  let before = 0;
  for (const [day, n] of Object.entries(byDay)) {
    const d = utcDay(new Date(`${day}T00:00:00Z`));
    const back = today - d;
    if (back >= 0 && back < 7) lastWeek += n;
    else if (back >= 7 && back < 35) before += n;
  }
  if (lastWeek < SPIKE_MIN_REQUESTS) return undefined;
  const lastWeekPerDay = lastWeek / 7;
  const baselinePerDay = before / 28;
  // A key younger than the window has no full baseline: its first week is not a spike.
  if (ageDays < 35 && baselinePerDay === 0) return undefined;
  const factor = baselinePerDay === 0 ? Infinity : lastWeekPerDay / baselinePerDay;
  if (factor <= threshold) return undefined;
  return { kind: 'spike', lastWeekPerDay, baselinePerDay, factor, threshold };
}

/** Every key judged; the report lists those with a flag. Most urgent first, then oldest. */
export function assessKeys(keys: readonly InventoryKey[], policy: KeyPolicy, now: Date): AssessedKey[] {
  return keys.map((k) => assessKey(k, policy, now)).sort((a, b) => urgency(a) - urgency(b) || b.ageDays - a.ageDays || a.key.name.localeCompare(b.key.name, 'en'));
}

const FLAG_ORDER: Record<KeyFlag['kind'], number> = { spike: 0, orphaned: 1, overdue: 2, unused: 3, admin: 4 };

function urgency(a: AssessedKey): number {
  return Math.min(5, ...a.flags.map((f) => FLAG_ORDER[f.kind]));
}

/**
 * The visible ends of a provider's redacted form: `sk-abc...wxyz` or `sk-ant-api03-R2D…igAA` gives the
 * prefix and suffix a full key must have. Undefined when the hint has no elision or too little on
 * either side to tell keys apart.
 */
export function hintEnds(hint: string): { prefix: string; suffix: string } | undefined {
  const m = /^(.+?)(?:\.{2,}|…|\*{2,})(.+)$/.exec(hint);
  if (m === null) return undefined;
  const [, prefix = '', suffix = ''] = m;
  if (prefix.length < 3 || suffix.length < 2) return undefined;
  return { prefix, suffix };
}

/** Whether a full key has the hint's visible ends. */
export function matchesHint(secret: string, hint: string): boolean {
  const ends = hintEnds(hint);
  if (ends === undefined) return false;
  return secret.length > ends.prefix.length + ends.suffix.length && secret.startsWith(ends.prefix) && secret.endsWith(ends.suffix);
}

/**
 * The one inventory key a leaked secret is, judged by the visible ends of each key's redacted form.
 * `ambiguous` when several keys share those ends: naming one would send the reviewer to the wrong key.
 */
export function matchLeak(secret: string, provider: InventoryProvider, keys: readonly InventoryKey[]): { key: InventoryKey } | { ambiguous: number } | undefined {
  const hits = keys.filter((k) => k.provider === provider && k.hint !== undefined && matchesHint(secret, k.hint));
  if (hits.length === 1) return { key: hits[0] as InventoryKey };
  return hits.length > 1 ? { ambiguous: hits.length } : undefined;
}

/** The sentence added to a leaked key's finding: which inventory key it is. Ids, names and dates only. */
export function describeMatch(key: InventoryKey): string {
  const parts = [
    `This is ${key.provider === 'openai' ? 'OpenAI' : 'Anthropic'} key "${key.name}" (${key.id})`,
    key.project !== undefined ? `in ${key.provider === 'openai' ? 'project' : 'workspace'} "${key.project.name}"` : undefined,
  ].filter((p) => p !== undefined);
  const facts = [
    key.owner !== undefined ? `owner ${key.owner}` : undefined,
    key.createdAt !== '' ? `created ${key.createdAt.slice(0, 10)}` : undefined,
    key.lastUsedAt === undefined ? undefined : key.lastUsedAt === null ? 'never used' : `last used ${key.lastUsedAt.slice(0, 10)}`,
  ].filter((p) => p !== undefined);
  return `${parts.join(' ')}${facts.length > 0 ? `: ${facts.join(', ')}` : ''}.`;
}

function utcDay(d: Date): number {
  return Math.floor(d.getTime() / DAY_MS);
}
