import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { finding, transportFinding } from './fixture.js';
import { MAX_HISTORY_LINES, TRACKING_MARKER, countAudit, isActionable, planIssue, renderTrackingIssue } from '../../src/report/tracking-issue.js';

const clean: Report = { findings: [], stats: { files: 3, bytes: 10, durationMs: 1 }, notes: [], target: { kind: 'schedule' } };
const overdue: Report = {
  ...clean,
  rotation: {
    status: 'audited',
    problems: [],
    entries: [{ scope: 'actions', name: 'OLD', createdAt: '2020-01-01T00:00:00Z', updatedAt: '2020-01-01T00:00:00Z', ageDays: 2000, status: 'overdue', neverRotated: true }],
  },
};

describe('tracking issue', () => {
  it('plans the lifecycle: create, update, close, reopen, and leaves quiet weeks alone', () => {
    expect(planIssue(undefined, true)).toBe('create');
    expect(planIssue(undefined, false)).toBe('none');
    expect(planIssue({ state: 'open' }, true)).toBe('update');
    expect(planIssue({ state: 'open' }, false)).toBe('close');
    expect(planIssue({ state: 'closed' }, true)).toBe('reopen');
    expect(planIssue({ state: 'closed' }, false)).toBe('none');
  });

  it('counts overdue secrets and alerts as actionable, due-soon alone as not', () => {
    expect(isActionable(countAudit(overdue, []))).toBe(true);
    expect(isActionable(countAudit(clean, [{ number: 1, secretType: 'GitHub PAT', createdAt: '2026-01-01', url: 'https://x' }]))).toBe(true);
    const dueSoon: Report = { ...overdue, rotation: { ...overdue.rotation!, entries: [{ ...overdue.rotation!.entries[0]!, status: 'due-soon' }] } };
    expect(isActionable(countAudit(dueSoon, []))).toBe(false);
  });

  it('counts plain-http API URLs apart from leaked keys, and alone as nothing to open the issue for', () => {
    const transport: Report = { ...clean, findings: [transportFinding({ file: 'src/llm.ts', line: 8, source: 'file' })] };
    const counts = countAudit(transport, []);
    expect(counts).toMatchObject({ leaks: 0, transport: 1 });
    expect(isActionable(counts)).toBe(false);
    const body = renderTrackingIssue({ report: transport, alerts: [], now: new Date(Date.UTC(2026, 0, 5)), renderReport: () => 'REPORT' });
    expect(body).toContain('**All clean** (audit of 2026-01-05): 0 leaked keys, 0 overdue secrets, 0 secrets due soon, 0 open secret-scanning alerts, 1 plain-http API URL.');
    const both: Report = { ...transport, findings: [...transport.findings, finding({ file: 'a.env', line: 1, source: 'file' })] };
    expect(countAudit(both, [])).toMatchObject({ leaks: 1, transport: 1 });
  });

  it('carries the dated history forward, newest first, capped', () => {
    let body: string | undefined;
    for (let day = 1; day <= MAX_HISTORY_LINES + 5; day++) {
      const now = new Date(Date.UTC(2026, 0, day));
      body = renderTrackingIssue({ report: day % 2 === 0 ? overdue : clean, alerts: [], previousBody: body, now, renderReport: () => 'REPORT' });
    }
    const lines = body!.split('\n').filter((l) => /^- \d{4}-/.test(l));
    expect(lines).toHaveLength(MAX_HISTORY_LINES);
    expect(lines[0]).toBe('- 2026-02-26: 0 leaked keys, 0 overdue secrets, 0 secrets due soon, 0 open secret-scanning alerts');
    expect(lines[1]).toMatch(/^- 2026-02-25: 0 leaked keys, 1 overdue secret,/);
    expect(body!.startsWith(TRACKING_MARKER)).toBe(true);
    expect(body).toContain('REPORT');
  });

  it('escapes alert types in the table', () => {
    const body = renderTrackingIssue({
      report: clean,
      alerts: [{ number: 7, secretType: 'a|b <script>', createdAt: '2026-01-01T00:00:00Z', url: 'https://github.invalid/a/7' }],
      now: new Date('2026-02-01T00:00:00Z'),
      renderReport: () => '',
    });
    expect(body).toContain('a\\|b \\<script\\>');
  });
});
