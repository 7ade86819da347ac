import picomatch from 'picomatch';
import type { RotationEntry, RotationStatus, SecretScope } from '../report/model.js';

const DAY_MS = 86_400_000;

/** One per-secret rule from the config: a name glob with its own maximum age, or an exemption. */
export interface SecretRule {
  /** Glob over secret names, e.g. `DEPLOY_*`. */
  pattern: string;
  maxAgeDays?: number;
  /** Exempt from rotation, with the reason that shows in the report. */
  exempt?: string;
  /** Limits the rule to one scope. */
  scope?: SecretScope;
}

export interface RotationPolicy {
  /** The default maximum age (the `max-secret-age-days` input, or the config's). */
  maxAgeDays: number;
  /** "Due soon" starts this many days before the due date. */
  warnDays: number;
  /** A different maximum per scope. */
  scopes: Partial<Record<SecretScope, number>>;
  /** Per-secret rules; the first that matches wins. */
  secrets: SecretRule[];
}

/** What the API says about one secret (it never returns the value). */
export interface SecretMetadata {
  scope: SecretScope;
  name: string;
  createdAt: string;
  updatedAt: string;
  environment?: string;
  repository?: string;
}

export const DEFAULT_WARN_DAYS = 14;

/**
 * Judges one secret against the policy. Ages are whole calendar days in UTC, from `updated_at`, so the
 * result does not depend on the runner's time zone or the hour the job runs: a secret exactly
 * `maxAgeDays` old is due today (due soon), and overdue from the next UTC day.
 */
export function assessSecret(secret: SecretMetadata, policy: RotationPolicy, now: Date): RotationEntry {
  const updated = parseTimestamp(secret.updatedAt, `${secret.name}.updated_at`);
  const created = parseTimestamp(secret.createdAt, `${secret.name}.created_at`);
  const ageDays = Math.max(0, utcDay(now) - utcDay(updated));
  const base: RotationEntry = {
    scope: secret.scope,
    name: secret.name,
    createdAt: secret.createdAt,
    updatedAt: secret.updatedAt,
    ageDays,
    status: 'ok',
    // The API rounds both stamps to the second; equal stamps mean the value was never replaced.
    neverRotated: Math.abs(updated.getTime() - created.getTime()) < 1000,
  };
  if (secret.environment !== undefined) base.environment = secret.environment;
  if (secret.repository !== undefined) base.repository = secret.repository;

  const rule = policy.secrets.find((r) => (r.scope === undefined || r.scope === secret.scope) && picomatch.isMatch(secret.name, r.pattern, { nocase: true }));
  if (rule?.exempt !== undefined) return { ...base, status: 'exempt', reason: rule.exempt };

  const maxAgeDays = rule?.maxAgeDays ?? policy.scopes[secret.scope] ?? policy.maxAgeDays;
  const dueDay = utcDay(updated) + maxAgeDays;
  const today = utcDay(now);
  let status: RotationStatus = 'ok';
  if (today > dueDay) status = 'overdue';
  else if (today >= dueDay - policy.warnDays) status = 'due-soon';
  return { ...base, maxAgeDays, dueDate: new Date(dueDay * DAY_MS).toISOString().slice(0, 10), status };
}

/** Assesses every secret, most urgent first (overdue, due soon, ok, exempt), oldest first within a status. */
export function assessSecrets(secrets: readonly SecretMetadata[], policy: RotationPolicy, now: Date): RotationEntry[] {
  const order: Record<RotationStatus, number> = { overdue: 0, 'due-soon': 1, ok: 2, exempt: 3 };
  return secrets
    .map((s) => assessSecret(s, policy, now))
    .sort((a, b) => order[a.status] - order[b.status] || b.ageDays - a.ageDays || a.name.localeCompare(b.name));
}

function utcDay(d: Date): number {
  return Math.floor(d.getTime() / DAY_MS);
}

function parseTimestamp(value: string, field: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new Error(`${field}: expected an ISO 8601 timestamp from the API, got ${JSON.stringify(value)}`);
  return d;
}
