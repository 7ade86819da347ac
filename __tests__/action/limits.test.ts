import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../fake-github/server.js';
import { checkAgainstOpenApi } from '../fake-github/openapi-check.js';
import { checkRuns, cleanFile, everythingVisible, HEAD, key, leakyFile, runOnPull, startWith } from './scenario.js';

let api: FakeGitHub | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

interface JsonReport {
  findings: Array<{ file: string; line: number; source: string }>;
  stats: { files: number; skipped?: { binary?: number; ignored?: number } };
}

describe("GitHub's listing limits", () => {
  it('reads all 3,000 files a pull request lists, 100 per page, and finds a key on the last page', async () => {
    const files = Array.from({ length: 3000 }, (_, i) => cleanFile(`src/m${String(i).padStart(4, '0')}.ts`));
    files[2999] = leakyFile('src/m2999.ts', key(20));
    api = await startWith({ files, commits: [{ sha: HEAD, message: 'big', files: files.slice(0, 10) }] });
    const run = await runOnPull(api);
    expect(run.code).toBe(1);
    const pages = run.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/pulls/7/files'));
    expect(pages).toHaveLength(30);
    expect(pages.every((r) => r.query['per_page'] === '100')).toBe(true);
    const report = JSON.parse(run.jsonReport ?? '{}') as JsonReport;
    expect(report.findings.map((f) => f.file)).toEqual(['src/m2999.ts']);
    expect(report.stats.files).toBe(3000);
  });

  it('fetches a file whose patch GitHub left out at the head commit, scans it whole, and says so', async () => {
    const secret = key(21);
    const big = { filename: 'data/seed.sql', status: 'modified' as const, additions: 40000, deletions: 0 };
    const image = { filename: 'assets/logo.png', status: 'added' as const };
    const blob = { filename: 'bin/tool.dat', status: 'added' as const };
    api = await startWith({
      files: [big, image, blob, cleanFile('src/ok.ts')],
      commits: [{ sha: HEAD, message: 'seed', files: [cleanFile('src/ok.ts')] }],
      extra: {
        snapshots: [
          {
            sha: HEAD,
            files: {
              'data/seed.sql': `-- seed\n${'INSERT INTO t VALUES (1);\n'.repeat(50)}UPDATE settings SET token = '${secret}';\n`,
              'bin/tool.dat': `MZ\u0000\u0000binary ${'x'.repeat(100)}`,
              'assets/logo.png': 'PNG',
            },
          },
        ],
      },
    });
    const run = await runOnPull(api);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.jsonReport ?? '{}') as JsonReport;
    expect(report.findings).toEqual([expect.objectContaining({ file: 'data/seed.sql', line: 52, source: 'file' })]);
    // One contents call per patchless file that is not ignored by path: the image costs nothing.
    const reads = run.requests.filter((r) => r.path.includes('/contents/'));
    expect(reads.map((r) => r.path.split('/contents/')[1]).sort()).toEqual(['.github/key-hygiene.yml', 'bin/tool.dat', 'data/seed.sql']);
    expect(reads.filter((r) => !r.path.endsWith('key-hygiene.yml')).every((r) => r.query['ref'] === HEAD)).toBe(true);
    expect(report.stats.skipped?.binary).toBe(1);
    expect(run.summary).toMatch(/scanned whole at the head commit/);
    expect(run.summary).toContain('data/seed.sql');
    expect(run.summary).toMatch(/binary file not scanned: bin\/tool/);
    expect(everythingVisible(run, api).includes(secret)).toBe(false);
  });

  it('skips removed files and follows renames to the new path', async () => {
    const secret = key(22);
    api = await startWith({
      files: [
        { filename: 'old/gone.ts', status: 'removed', patch: '@@ -1 +0,0 @@\n-const x = 1;' },
        { filename: 'src/new-name.ts', previous_filename: 'src/old-name.ts', status: 'renamed', patch: `@@ -1,0 +2 @@\n+const token = "${secret}";` },
        { filename: 'src/moved.ts', previous_filename: 'src/was.ts', status: 'renamed', changes: 0 } as never,
      ],
      commits: [{ sha: HEAD, message: 'm', files: [] }],
    });
    const run = await runOnPull(api);
    const report = JSON.parse(run.jsonReport ?? '{}') as JsonReport;
    expect(report.findings).toEqual([expect.objectContaining({ file: 'src/new-name.ts', line: 2 })]);
    // A pure rename carries no new lines: nothing to fetch.
    expect(run.requests.filter((r) => r.path.includes('/contents/src/'))).toHaveLength(0);
  });

  it('publishes more than 50 annotations: 50 with the create call, the rest 50 per update', async () => {
    const files = Array.from({ length: 120 }, (_, i) => leakyFile(`keys/k${i}.ts`, key(1000 + i)));
    api = await startWith({ files, commits: [{ sha: HEAD, message: 'many', files: files.slice(0, 2) }] });
    const run = await runOnPull(api);
    expect(run.outputs['findings']).toBe('120');
    const check = checkRuns(api)[0];
    expect(check?.annotations).toHaveLength(120);
    expect(check?.annotationBatches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(run.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/check-runs/'))).toHaveLength(2);
    expect(checkAgainstOpenApi(run.requests)).toEqual([]);
    // The runner shows 10 error annotations per step; more would only lengthen the log.
    expect(run.commands.filter((c) => c.command === 'error' && c.properties['file'] !== undefined)).toHaveLength(10);
  });
});
