import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/scan/types.js';
import { shouldVerify, verifyGate } from '../../src/verify/gate.js';
import { ACTIVE_KEY_LINE, rankFindings, verificationLabel } from '../../src/verify/rank.js';

function finding(file: string, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'github-pat',
    category: 'key',
    title: 'GitHub personal access token (classic)',
    provider: 'GitHub',
    severity: 'critical',
    file,
    line: 1,
    column: 1,
    endLine: 1,
    fingerprint: `fp-${file}`,
    redacted: 'ghp_ab\u2026 (40 chars)',
    length: 40,
    source: 'added',
    remediation: { text: 'Revoke it.', url: 'https://github.com/settings/tokens' },
    ...over,
  };
}

describe('rankFindings', () => {
  it('puts live keys first, revoked last, severity then location within each', () => {
    const ranked = rankFindings([
      finding('a.ts', { verification: { status: 'revoked' } }),
      finding('b.ts'),
      finding('c.ts', { severity: 'low', verification: { status: 'live' } }),
      finding('d.ts', { verification: { status: 'unknown', reason: 'rate limited' } }),
      finding('e.ts', { verification: { status: 'live' } }),
    ]);
    expect(ranked.map((f) => f.file)).toEqual(['e.ts', 'c.ts', 'b.ts', 'd.ts', 'a.ts']);
  });

  it('does not reorder its input', () => {
    const input = [finding('b.ts'), finding('a.ts', { verification: { status: 'live' } })];
    rankFindings(input);
    expect(input.map((f) => f.file)).toEqual(['b.ts', 'a.ts']);
  });

  it('labels a live key with the revoke-now line, and explains an inconclusive one', () => {
    expect(verificationLabel(finding('a', { verification: { status: 'live' } }))).toBe(ACTIVE_KEY_LINE);
    expect(verificationLabel(finding('a', { verification: { status: 'unknown', reason: 'rate limited' } }))).toBe('Live check inconclusive: rate limited');
    expect(verificationLabel(finding('a'))).toBeUndefined();
  });
});

describe('shouldVerify', () => {
  const base = { enabled: true, event: 'pull_request', isFork: false, allowForks: false };

  it('is off unless enabled', () => {
    expect(shouldVerify({ ...base, enabled: false })).toBe(false);
    expect(shouldVerify(base)).toBe(true);
  });

  it('is off for pull requests from forks unless the config allows them', () => {
    expect(shouldVerify({ ...base, event: 'pull_request_target', isFork: true })).toBe(false);
    expect(shouldVerify({ ...base, event: 'pull_request', isFork: true })).toBe(false);
    expect(shouldVerify({ ...base, event: 'pull_request_target', isFork: true, allowForks: true })).toBe(true);
    expect(shouldVerify({ ...base, event: 'pull_request_target' })).toBe(true);
  });

  it('says why it is off', () => {
    expect(verifyGate({ ...base, event: 'pull_request_target', isFork: true }).reason).toBe(
      'live checks skipped: pull_request_target from a fork (set verify.allow-forks to check these too)',
    );
  });
});
