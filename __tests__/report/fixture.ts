import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Report, RotationEntry } from '../../src/report/model.js';
import type { Finding, Severity } from '../../src/scan/types.js';

/** Hex ids derived at test time, so no key-shaped literal sits in the repository. */
export function hexId(label: string, length = 32): string {
  return createHash('sha256').update(label).digest('hex').slice(0, length);
}

export const HEAD_SHA = hexId('head', 40);
export const OLD_SHA = hexId('old-commit', 40);

export function finding(over: Partial<Finding> & { file: string; line: number }): Finding {
  const severity: Severity = over.severity ?? 'critical';
  return {
    ruleId: 'github-pat',
    category: 'key',
    title: 'GitHub personal access token (classic)',
    provider: 'GitHub',
    severity,
    column: 1,
    endLine: over.line,
    fingerprint: hexId(`${over.file}:${over.line}:${over.ruleId ?? 'github-pat'}`),
    redacted: 'ghp_ab\u2026 (40 chars)',
    length: 40,
    source: 'added',
    remediation: { text: 'Revoke the token in Settings > Developer settings and create a fine-grained one.', url: 'https://github.com/settings/tokens' },
    ...over,
  };
}

/** A transport finding as the engine makes it: a keyed API host reached over plain http://, no key. */
export function transportFinding(over: Partial<Finding> & { file: string; line: number }): Finding {
  return finding({
    ruleId: 'insecure-api-base-url',
    category: 'transport',
    title: 'Keyed API reached over plain http:// (not a credential: the key would travel unencrypted)',
    provider: 'Transport',
    severity: 'medium',
    redacted: 'api.op\u2026 (14 chars)',
    length: 14,
    remediation: { text: 'Use https:// for this API.', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html' },
    ...over,
  });
}

function entry(over: Partial<RotationEntry> & { name: string; status: RotationEntry['status'] }): RotationEntry {
  return {
    scope: 'actions',
    createdAt: '2024-01-10T09:00:00Z',
    updatedAt: '2024-06-01T12:00:00Z',
    ageDays: 180,
    neverRotated: false,
    maxAgeDays: 90,
    ...over,
  };
}

/** One report exercising every section: current and history findings, rotation, notes. */
export function sampleReport(): Report {
  return {
    target: { kind: 'pull_request', serverUrl: 'https://github.com', owner: 'acme', repo: 'shop', headSha: HEAD_SHA, pullNumber: 7 },
    stats: { files: 14, bytes: 182_345, durationMs: 412 },
    notes: ['2 files were scanned whole because the API left out their patch.'],
    findings: [
      finding({ file: 'src/config.ts', line: 12, column: 15 }),
      finding({
        file: 'deploy/.env',
        line: 3,
        column: 23,
        ruleId: 'aws-secret-access-key',
        title: 'AWS secret access key',
        provider: 'AWS',
        severity: 'high',
        redacted: 'wJalrX\u2026 (40 chars)',
        remediation: { text: 'Deactivate the access key in IAM and create a new one.', url: 'https://console.aws.amazon.com/iam/home#/security_credentials' },
        notes: ['The matching access key id is on line 2.'],
      }),
      finding({
        file: 'docs/setup guide.md',
        line: 40,
        column: 9,
        ruleId: 'slack-webhook',
        title: 'Slack incoming webhook URL',
        provider: 'Slack',
        severity: 'medium',
        redacted: 'https:\u2026 (77 chars)',
        length: 77,
        remediation: { text: 'Remove the webhook in the Slack app settings and create a new one.', url: 'https://api.slack.com/apps' },
      }),
      finding({ file: 'old/secrets.json', line: 2, column: 12, source: 'history', commit: OLD_SHA }),
      transportFinding({ file: 'src/llm.ts', line: 8, column: 27 }),
      finding({
        file: 'certs/server.pem',
        line: 1,
        endLine: 27,
        ruleId: 'private-key',
        title: 'Private key (PEM)',
        provider: 'Generic',
        severity: 'low',
        redacted: '-----B\u2026 (1675 chars)',
        length: 1675,
        remediation: { text: 'Replace the key pair and revoke any certificate issued for it.', url: 'https://docs.github.com/en/code-security/secret-scanning' },
      }),
    ],
    rotation: {
      status: 'audited',
      problems: [],
      entries: [
        entry({ name: 'DEPLOY_KEY', status: 'ok', ageDays: 20, updatedAt: '2025-01-20T10:00:00Z', dueDate: '2025-04-20' }),
        entry({ name: 'NPM_TOKEN', status: 'overdue', ageDays: 200, dueDate: '2024-08-30' }),
        entry({ name: 'STRIPE_KEY', scope: 'environment', environment: 'production', status: 'due-soon', ageDays: 85, updatedAt: '2024-11-17T08:00:00Z', dueDate: '2025-02-15' }),
        entry({ name: 'LEGACY_PASSWORD', status: 'exempt', ageDays: 400, neverRotated: true, createdAt: '2024-01-06T00:00:00Z', updatedAt: '2024-01-06T00:00:00Z', reason: 'vendor cannot rotate it', maxAgeDays: undefined }),
      ],
    },
  };
}

const OUTPUTS = join(import.meta.dirname, '__outputs__');

/** Compares with the stored golden file; UPDATE_GOLDEN=1 rewrites it instead. */
export function expectGolden(name: string, actual: string): void {
  const path = join(OUTPUTS, name);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, actual);
  expect(existsSync(path), `${name} is missing; run with UPDATE_GOLDEN=1 to create it`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
