/**
 * The weekly tracking issue as GitHub shows it, Mermaid charts drawn, for docs/images/weekly-issue.png:
 *
 *   KH_WRITE_WEEKLY_EXAMPLE=1 npx vitest run __tests__/action/weekly-report.test.ts   # writes docs/examples/weekly-issue.md
 *   node --import ./scripts/register-ts.mjs scripts/screenshot-issue.ts docs/examples/weekly-issue.md docs/images/weekly-issue.png
 *
 * The page is scripts/screenshot.ts's (marked in GFM mode, GitHub's stylesheet); GitHub draws ```mermaid
 * blocks with Mermaid, so this page does too, with the mermaid package's own browser bundle inlined (no network).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { commentPage } from './screenshot.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);

function issuePage(markdown: string): string {
  const mermaid = readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  const page = commentPage(markdown, 'github-actions').replace(
    /<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g,
    (_, source: string) => `<pre class="mermaid">${source}</pre>`,
  );
  // Drawn before the height is measured: the title script runs after mermaid has replaced the blocks.
  // A function replacement: the bundle is full of `$&` and `$'`, which a replacement string would expand.
  return page.replace('<script>document.title', () =>
    `<script>${mermaid}</script><script>mermaid.initialize({ startOnLoad: false, theme: 'default' }); mermaid.run().then(() => { document.title = String(document.documentElement.scrollHeight); });</script><script>void document.title`,
  );
}

function main(argv: string[]): void {
  const [input, output, widthArg] = argv;
  if (input === undefined || output === undefined) {
    console.error('usage: screenshot-issue.ts ISSUE.md OUT.png [WIDTH]');
    process.exit(2);
  }
  const width = Number(widthArg ?? 1012);
  const dir = mkdtempSync(join(tmpdir(), 'kh-issue-shot-'));
  try {
    const html = join(dir, 'page.html');
    writeFileSync(html, issuePage(readFileSync(input, 'utf8')));
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', '--virtual-time-budget=10000', `--user-data-dir=${join(dir, 'profile')}`];
    const dom = execFileSync(CHROMIUM, [...flags, `--window-size=${width},800`, '--dump-dom', pathToFileURL(html).href], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
    const height = Number(/<title>(\d+)<\/title>/.exec(dom)?.[1]) || 3000;
    execFileSync(CHROMIUM, [...flags, `--window-size=${width},${height}`, `--screenshot=${resolve(output)}`, pathToFileURL(html).href], { stdio: 'ignore' });
    console.log(`screenshot: ${output} (${width}x${height})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2));
