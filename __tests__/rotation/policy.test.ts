import { describe, expect, it } from 'vitest';
import { assessSecret, assessSecrets, type RotationPolicy, type SecretMetadata } from '../../src/rotation/policy.js';

const policy: RotationPolicy = { maxAgeDays: 90, warnDays: 14, scopes: { dependabot: 180 }, secrets: [] };
const now = new Date('2026-11-28T08:00:00Z');

function secret(updatedAt: string, over: Partial<SecretMetadata> = {}): SecretMetadata {
  return { scope: 'actions', name: 'API_TOKEN', createdAt: '2020-01-01T00:00:00Z', updatedAt, ...over };
}

describe('rotation policy', () => {
  it.each([
    // updated_at, expected status, age in days
    ['2026-08-30T23:59:59Z', 'due-soon', 90], // exactly 90 UTC days: due today, not overdue
    ['2026-08-29T00:00:00Z', 'overdue', 91],
    ['2026-09-13T12:00:00Z', 'due-soon', 76], // first day of the 14-day window
    ['2026-09-14T00:00:00Z', 'ok', 75],
    ['2026-11-28T07:59:00Z', 'ok', 0],
  ])('updated %s is %s at age %i', (updatedAt, status, age) => {
    const entry = assessSecret(secret(updatedAt), policy, now);
    expect(entry.status).toBe(status);
    expect(entry.ageDays).toBe(age);
  });

  it('gives the due date in UTC', () => {
    expect(assessSecret(secret('2026-08-30T23:59:59Z'), policy, now).dueDate).toBe('2026-11-28');
  });

  it('applies per-scope maximums, then name globs, first match winning', () => {
    const p: RotationPolicy = {
      ...policy,
      secrets: [
        { pattern: 'LEGACY_TOKEN', exempt: 'vendor cannot rotate it' },
        { pattern: 'DEPLOY_*', maxAgeDays: 30 },
        { pattern: 'PROD_*', maxAgeDays: 10, scope: 'environment' },
      ],
    };
    expect(assessSecret(secret('2026-07-01T00:00:00Z', { scope: 'dependabot' }), p, now).status).toBe('ok');
    expect(assessSecret(secret('2026-10-20T00:00:00Z', { name: 'DEPLOY_KEY' }), p, now).status).toBe('overdue');
    const exempt = assessSecret(secret('2019-01-01T00:00:00Z', { name: 'LEGACY_TOKEN' }), p, now);
    expect(exempt).toMatchObject({ status: 'exempt', reason: 'vendor cannot rotate it' });
    expect(exempt.dueDate).toBeUndefined();
    expect(assessSecret(secret('2026-11-10T00:00:00Z', { name: 'PROD_DB' }), p, now).status).toBe('ok');
    expect(assessSecret(secret('2026-11-10T00:00:00Z', { name: 'PROD_DB', scope: 'environment', environment: 'prod' }), p, now).status).toBe('overdue');
  });

  it('says when a secret was never rotated since creation', () => {
    expect(assessSecret(secret('2026-01-01T00:00:00Z', { createdAt: '2026-01-01T00:00:00Z' }), policy, now).neverRotated).toBe(true);
    expect(assessSecret(secret('2026-02-01T00:00:00Z'), policy, now).neverRotated).toBe(false);
  });

  it('sorts the most urgent first', () => {
    const entries = assessSecrets(
      [secret('2026-11-01T00:00:00Z', { name: 'A' }), secret('2026-01-01T00:00:00Z', { name: 'B' }), secret('2026-09-01T00:00:00Z', { name: 'C' })],
      policy,
      now,
    );
    expect(entries.map((e) => `${e.name}:${e.status}`)).toEqual(['B:overdue', 'C:due-soon', 'A:ok']);
  });

  it('rejects a malformed timestamp with the field named', () => {
    expect(() => assessSecret(secret('yesterday'), policy, now)).toThrow(/API_TOKEN.updated_at/);
  });
});
