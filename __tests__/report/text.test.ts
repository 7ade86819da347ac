import { describe, expect, it } from 'vitest';
import { formatBytes, renderText } from '../../src/report/text.js';
import { expectGolden, finding, sampleReport, transportFinding } from './fixture.js';

describe('renderText', () => {
  it('matches the golden file', () => {
    expectGolden('report.txt', renderText(sampleReport(), { color: false }));
  });

  it('prints one aligned line per finding, most severe first, history separately, and a summary', () => {
    const out = renderText(sampleReport(), { color: false });
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^src\/config\.ts:12:15\s+critical\s+github-pat\s+ghp_ab… \(40 chars\)$/);
    expect(lines[4]).toMatch(/^certs\/server\.pem:1:1\s+low\s+private-key\s+-----B… \(1675 chars\)$/);
    expect(lines.filter((l) => /:\d+:\d+ {2}/.test(l))).toHaveLength(6);
    const historyHeader = lines.indexOf('Removed in a later commit but still in git history (rotate them):');
    expect(lines[historyHeader + 1]).toMatch(/^old\/secrets\.json:2:12 .* \(added in [0-9a-f]{12}\)$/);
    expect(out).toContain('github-pat: Revoke the token');
    expect(out).toContain('NPM_TOKEN (actions)  overdue  200 days old, due 2024-08-30');
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      '5 leaked keys found (2 critical, 1 high, 1 medium, 1 low). 1 plain-http API URL (not a leak). 14 files scanned (182.3 kB in 412 ms).',
    );
  });

  it('lists plain-http API URLs apart and never counts them as leaked keys', () => {
    const report = { ...sampleReport(), notes: [], rotation: undefined, findings: [transportFinding({ file: 'src/llm.ts', line: 8 }), transportFinding({ file: 'src/b.py', line: 2 })] };
    const out = renderText(report, { color: false });
    const lines = out.split('\n');
    const header = lines.indexOf('Keyed APIs reached over plain http:// (no key leaked here; the key would travel unencrypted):');
    expect(header).toBe(0);
    expect(lines[1]).toMatch(/^src\/b\.py:2:1 +medium +insecure-api-base-url/);
    expect(out).not.toMatch(/\d+ leaked keys? found/);
    expect(out.trimEnd().split('\n').at(-1)).toBe('No leaked keys found. 2 plain-http API URLs (not a leak). 14 files scanned (182.3 kB in 412 ms).');
    // Yellow, not the red of a leak.
    expect(renderText(report, { color: true }).trimEnd().split('\n').at(-1)?.startsWith('\u001b[33mNo leaked keys found')).toBe(true);
  });

  it('colours only when asked', () => {
    expect(renderText(sampleReport(), { color: false })).not.toContain('\u001b');
    expect(renderText(sampleReport(), { color: true })).toContain('\u001b[31m');
  });

  it('says so when nothing was found', () => {
    const out = renderText({ ...sampleReport(), findings: [], notes: [], rotation: undefined }, { color: false });
    expect(out).toBe('No leaked keys found. 14 files scanned (182.3 kB in 412 ms).\n');
  });

  it('shows control and bidi characters in file names as escapes', () => {
    const report = { ...sampleReport(), findings: [finding({ file: 'a\u001b[2Jb\nfake.ts\u202e', line: 1 })] };
    const out = renderText(report, { color: false });
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\u202e');
    expect(out).toContain('a\\x1b[2Jb\\x0afake.ts\\u202e:1:1');
  });

  it('formats sizes in decimal units', () => {
    expect([formatBytes(999), formatBytes(1500), formatBytes(2_500_000), formatBytes(3_210_000_000)]).toEqual(['999 B', '1.5 kB', '2.5 MB', '3.21 GB']);
  });
});
