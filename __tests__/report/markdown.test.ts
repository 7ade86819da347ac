import { describe, expect, it } from 'vitest';
import { MAX_CHECK_SUMMARY_LENGTH, MAX_COMMENT_LENGTH, MAX_JOB_SUMMARY_BYTES } from '../../src/report/limits.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Report, RotationEntry } from '../../src/report/model.js';
import type { Finding, Severity } from '../../src/scan/types.js';
import { elements, hrefs, renderGfm, REPORT_ELEMENTS, textOutsideCode } from '../helpers/gfm.js';
import { expectGolden, finding, HEAD_SHA, sampleReport, transportFinding } from './fixture.js';

const MARKER = '<!-- key-hygiene:comment -->';

/** Table rows of findings (both tables), in order. */
function findingRows(md: string): string[] {
  return md.split('\n').filter((l) => /^\| (🔴|🟠|🟡|🔵)\u00a0/.test(l));
}

function cleanReport(over: Partial<Report> = {}): Report {
  return { ...sampleReport(), findings: [], ...over };
}

describe('renderMarkdown golden files', () => {
  it('renders the PR comment', () => {
    expectGolden('comment.md', renderMarkdown(sampleReport(), { surface: 'comment', marker: MARKER }));
  });

  it('renders the check run summary', () => {
    expectGolden('check.md', renderMarkdown(sampleReport(), { surface: 'check' }));
  });

  it('renders the job summary', () => {
    expectGolden('summary.md', renderMarkdown(sampleReport(), { surface: 'summary' }));
  });

  it('says earlier findings were fixed and collapses a healthy rotation table', () => {
    const report = sampleReport();
    report.findings = [];
    report.rotation = { status: 'audited', problems: [], entries: (report.rotation?.entries ?? []).filter((e) => e.status === 'ok' || e.status === 'exempt') };
    expectGolden('fixed.md', renderMarkdown(report, { surface: 'comment', marker: MARKER, previouslyHadFindings: true }));
  });

  it('explains how to enable a skipped rotation audit', () => {
    const report = cleanReport({ rotation: { status: 'skipped', entries: [], problems: [] }, notes: [] });
    expectGolden('rotation-skipped.md', renderMarkdown(report, { surface: 'summary' }));
  });
});

describe('renderMarkdown content', () => {
  it('puts the marker first in comments only', () => {
    expect(renderMarkdown(sampleReport(), { surface: 'comment', marker: MARKER }).startsWith(`${MARKER}\n`)).toBe(true);
    expect(renderMarkdown(sampleReport(), { surface: 'check', marker: MARKER })).not.toContain(MARKER);
  });

  it('links findings to the head commit, and history findings to the commit that added them', () => {
    const md = renderMarkdown(sampleReport(), { surface: 'comment' });
    expect(md).toContain(`https://github.com/acme/shop/blob/${HEAD_SHA}/src/config.ts#L12`);
    expect(md).toContain('/blob/' + HEAD_SHA + '/docs/setup%20guide.md#L40');
    expect(md).toContain('/certs/server.pem#L1-L27');
    const history = md.slice(md.indexOf('still in git history'), md.indexOf('reached over plain http'));
    expect(history).toMatch(/blob\/[0-9a-f]{40}\/old\/secrets\.json#L2/);
    expect(history).not.toContain(HEAD_SHA);
  });

  it('does not link when the target has no repository', () => {
    const report = sampleReport();
    report.target = { kind: 'local' };
    const md = renderMarkdown(report, { surface: 'summary' });
    expect(md).not.toContain('/blob/');
    expect(md).toContain('found in the scanned files');
  });

  it('counts leaked keys in the verdict and lists the most severe first', () => {
    const md = renderMarkdown(sampleReport(), { surface: 'comment' });
    expect(md).toContain('🔴 **5 leaked keys found in this pull request** (1 only in git history)');
    const severities = findingRows(md.slice(0, md.indexOf('still in git history'))).map((r) => r.split(' | ')[0]);
    expect(severities).toEqual(['| 🔴\u00a0Critical', '| 🟠\u00a0High', '| 🟡\u00a0Medium', '| 🔵\u00a0Low']);
  });

  it('counts plain-http API URLs apart: their own section, and a green verdict when no key leaked', () => {
    const md = renderMarkdown(sampleReport(), { surface: 'comment' });
    expect(md).toContain('🔴 **5 leaked keys found in this pull request** (1 only in git history) · ⚠️ 1 plain-http API URL (no key leaked)');
    const section = md.slice(md.indexOf('#### Keyed APIs reached over plain http://'), md.indexOf('<details>'));
    expect(section).toContain('`src/llm.ts:8`');
    // The keys' table does not list it.
    expect(md.slice(0, md.indexOf('#### Removed'))).not.toContain('src/llm');

    const only: Report = { ...cleanReport({}), findings: [transportFinding({ file: 'src/llm.ts', line: 8 }), transportFinding({ file: 'app.py', line: 1 })] };
    for (const surface of ['comment', 'check', 'summary'] as const) {
      const out = renderMarkdown(only, { surface });
      expect(out, surface).toContain('✅ **No leaked keys found in this pull request** · ⚠️ 2 plain-http API URLs (no key leaked)');
      expect(out, surface).not.toMatch(/\d+ leaked keys? found/);
      expect(findingRows(out)).toHaveLength(0);
    }
    // A previous run's transport findings are not "earlier findings" to revoke: that is the caller's count of keys.
    expect(renderMarkdown(only, { surface: 'comment', previouslyHadFindings: false })).not.toContain('were fixed');
  });

  it('trims transport findings before any leaked key', () => {
    const keys = Array.from({ length: 40 }, (_, i) => finding({ file: `src/k${i}.ts`, line: i + 1, severity: 'low' }));
    const transport = Array.from({ length: 40 }, (_, i) => transportFinding({ file: `src/t${i}.ts`, line: i + 1, severity: 'high' }));
    const md = renderMarkdown({ ...cleanReport({}), findings: [...transport, ...keys] }, { surface: 'comment', maxLength: 12_000 });
    expect(md).toMatch(/less severe findings are not listed/);
    // Fewer than the 40 keys fit, and not one transport row took a key's place.
    expect(findingRows(md).length).toBeGreaterThan(10);
    expect(findingRows(md).length).toBeLessThan(40);
    expect(md).not.toContain('src/t');
  });

  it('leaves the run duration out of the comment so an unchanged result does not rewrite it', () => {
    const a = sampleReport();
    const b = sampleReport();
    b.stats = { ...b.stats, durationMs: 9999 };
    expect(renderMarkdown(a, { surface: 'comment' })).toBe(renderMarkdown(b, { surface: 'comment' }));
    expect(renderMarkdown(a, { surface: 'summary' })).not.toBe(renderMarkdown(b, { surface: 'summary' }));
  });
});

const HOSTILE_NAMES = [
  'a|b|c.ts',
  '<img src=x onerror=alert(1)>.js',
  'evil\n| 🔴 Critical | forged | row | x | y |\n.env',
  'tick`s``and```fences.txt',
  '@octocat and @acme/security #1.txt',
  '[click me](https://evil.example)/x.md',
  'right\u202Eelif.txt',
  '<!-- unterminated.txt',
  '</code><script>x</script>.js',
  'back\\|slash.ts',
];

describe('renderMarkdown escaping', () => {
  const report = cleanReport({
    findings: HOSTILE_NAMES.map((file, i) =>
      finding({ file, line: i + 1, title: `Custom <b>rule</b> | with @team and [link](https://evil.example)`, source: i % 2 === 0 ? 'added' : 'history', commit: HEAD_SHA }),
    ),
    notes: ['Scanned <script> whole: a|b @octocat'],
    rotation: {
      status: 'audited',
      problems: ['Environment secrets of <prod|x> could not be listed'],
      entries: [
        { scope: 'environment', environment: 'prod|<b>x</b>`', name: 'A_KEY', createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z', ageDays: 400, status: 'exempt', reason: 'see <a href=x>|', neverRotated: true },
      ],
    },
  });

  for (const surface of ['comment', 'check', 'summary'] as const) {
    it(`keeps hostile names inside their cells (${surface})`, () => {
      const md = renderMarkdown(report, { surface });
      const rows = findingRows(md);
      expect(rows).toHaveLength(HOSTILE_NAMES.length);
      for (const row of rows) {
        // GFM splits a row at every pipe not escaped with a backslash.
        const cells = row.split(/(?<!\\)\|/).length - 2;
        // Current table: 5 columns, history table: 6.
        expect([5, 6]).toContain(cells);
      }
      const rotationRows = md.split('\n').filter((l) => l.includes('⚪ Exempt'));
      // Nothing is overdue: the comment leaves the rotation table to the job summary and the weekly audit.
      expect(rotationRows).toHaveLength(surface === 'comment' ? 0 : 1);
      if (surface !== 'comment') expect((rotationRows[0] ?? '').split(/(?<!\\)\|/).length - 2).toBe(6);
    });
  }

  it('lets no HTML, mention, link or code fence through', () => {
    const md = renderMarkdown(report, { surface: 'comment', marker: MARKER });
    const html = renderGfm(md.slice(MARKER.length));
    for (const name of elements(html)) expect(REPORT_ELEMENTS, `<${name}>`).toContain(name);
    expect(html).not.toContain('<!--');
    expect(hrefs(html).filter((h) => !h.startsWith('https://github.com/'))).toEqual([]);
    const plain = textOutsideCode(html);
    expect(plain).not.toMatch(/@(octocat|acme|team)/);
    expect(plain).not.toMatch(/#1\.txt/);
    expect(plain).not.toContain('\u202E');
    expect(html.match(/<details>/g)?.length).toBe(html.match(/<\/details>/g)?.length);
    // Code fences open and close in pairs: every fence line has a partner of the same length.
    const fences = md.split('\n').filter((l) => /^`{3,}/.test(l)).map((l) => (l.match(/^`+/) ?? [''])[0].length);
    expect(fences.length % 2).toBe(0);
    for (let i = 0; i < fences.length; i += 2) expect(fences[i]).toBe(fences[i + 1]);
  });

  it('still shows the file names, legibly escaped', () => {
    const md = renderMarkdown(report, { surface: 'summary' });
    expect(md).toContain('`a\\|b\\|c.ts:1`');
    expect(md).toContain('right\\u202eelif');
  });
});

function manyFindings(n: number, pathLength: number): Finding[] {
  const severities: Severity[] = ['low', 'medium', 'high', 'critical'];
  return Array.from({ length: n }, (_, i) => {
    // A handful of critical findings among thousands of low ones: those must survive the trimming.
    const severity = i % 97 === 0 ? 'critical' : (severities[i % 3] as Severity);
    return finding({ file: `${'deep/'.repeat(pathLength)}file-${i}.ts`, line: i + 1, severity });
  });
}

describe('renderMarkdown trimming', () => {
  const cases = [
    { surface: 'comment', limit: MAX_COMMENT_LENGTH, measure: (s: string) => s.length, n: 3000 },
    { surface: 'check', limit: MAX_CHECK_SUMMARY_LENGTH, measure: (s: string) => s.length, n: 3000 },
    { surface: 'summary', limit: MAX_JOB_SUMMARY_BYTES, measure: (s: string) => Buffer.byteLength(s), n: 12000 },
  ] as const;

  for (const { surface, limit, measure, n } of cases) {
    it(`stays within GitHub's limit for a ${surface} with ${n} findings`, () => {
      const report = cleanReport({ findings: manyFindings(n, 6) });
      const md = renderMarkdown(report, { surface, marker: MARKER });
      expect(measure(md)).toBeLessThanOrEqual(limit);
      // Close to the limit: trimming drops only what it must.
      expect(measure(md)).toBeGreaterThan(limit * 0.9);

      const rows = findingRows(md);
      const left = Number(/_(\d+) less severe findings are not listed/.exec(md)?.[1]);
      expect(rows.length + left).toBe(n);
      const criticals = report.findings.filter((f) => f.severity === 'critical').length;
      expect(rows.filter((r) => r.startsWith('| 🔴')).length).toBe(criticals);
      expect(rows.some((r) => r.startsWith('| 🔵'))).toBe(false);
      // Whole rows only, and the sections after the table are intact.
      for (const row of rows) expect(row).toMatch(/^\| .* \|$/);
      expect(md).toContain('</details>');
      expect(md.trimEnd().endsWith('</sub>')).toBe(true);
    });
  }

  it('trims a huge rotation table, keeping the overdue secrets', () => {
    const entries: RotationEntry[] = Array.from({ length: 4000 }, (_, i) => ({
      scope: 'organization',
      repository: `acme/repository-with-a-long-name-${i}`,
      name: `SECRET_NUMBER_${i}`,
      createdAt: '2024-01-01T00:00:00Z',
      updatedAt: '2024-01-01T00:00:00Z',
      ageDays: 100 + (i % 50),
      dueDate: '2024-04-01',
      status: i % 10 === 0 ? 'overdue' : 'ok',
      neverRotated: false,
    }));
    const report = cleanReport({ findings: manyFindings(10, 1), rotation: { status: 'audited', problems: [], entries } });
    const md = renderMarkdown(report, { surface: 'comment' });
    expect(md.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    const rows = md.split('\n').filter((l) => l.includes('SECRET_NUMBER_'));
    const overdue = rows.filter((r) => r.includes('Overdue'));
    expect(overdue.length).toBe(Math.min(rows.length, 400));
    expect(md).toMatch(/_\d+ more secrets are not listed/);
  });

  it('honours a smaller maxLength', () => {
    const md = renderMarkdown(sampleReport(), { surface: 'comment', maxLength: 3500 });
    expect(md.length).toBeLessThanOrEqual(3500);
    expect(findingRows(md).length).toBeGreaterThan(0);
    expect(md).toMatch(/less severe findings? (is|are) not listed/);
  });
});
