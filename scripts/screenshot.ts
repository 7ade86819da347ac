/**
 * Renders a Markdown file the way GitHub shows a comment or an issue body, and screenshots it:
 *
 *   apt-get install -y chromium          # Debian's package; provides /usr/bin/chromium
 *   node --import ./scripts/register-ts.mjs scripts/screenshot.ts BODY.md OUT.png [--width 900] [--author NAME]
 *
 * The README's picture: `npm run demo` writes the demo's comment and prints its path, then
 *
 *   node --import ./scripts/register-ts.mjs scripts/screenshot.ts "$(npm run -s demo -- --quiet)" docs/images/pr-comment.png
 *
 * Markdown goes through `marked` in GFM mode and is styled by `github-markdown-css` (GitHub's own stylesheet for
 * rendered Markdown), so the picture shows what GitHub would, not what a hand-written converter guesses.
 * Needs no network: the page is a local file with the stylesheet inlined.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Marked } from 'marked';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);

/** GitHub-flavoured Markdown to HTML, as `marked` renders it (raw HTML passes through, as GitHub's allowed tags do). */
export function gfmToHtml(markdown: string): string {
  return new Marked({ gfm: true, breaks: false, async: false }).parse(markdown) as string;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A page that frames the rendered body like a comment on GitHub, light theme. */
export function commentPage(markdown: string, author: string): string {
  const css = readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}
  body { margin: 0; padding: 16px; background: #fff; }
  .comment { border: 1px solid #d1d9e0; border-radius: 6px; }
  .header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; border-radius: 6px 6px 0 0; color: #59636e;
    font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
  .header b { color: #1f2328; } .bot { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 6px; font-size: 12px; margin: 0 4px; }
  .markdown-body { padding: 16px; }
  </style></head><body><div class="comment"><div class="header"><b>${escapeHtml(author)}</b><span class="bot">bot</span> commented</div>
  <div class="markdown-body">${gfmToHtml(markdown)}</div></div>
  <script>document.title = String(document.documentElement.scrollHeight);</script></body></html>`;
}

/** Screenshots `markdown` rendered as a GitHub comment into `outPng`; returns the picture's size. */
export function screenshot(markdown: string, outPng: string, options: { width?: number; author?: string } = {}): { width: number; height: number } {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install -y chromium) or set CHROMIUM`);
  }
  const width = options.width ?? 900;
  const dir = mkdtempSync(join(tmpdir(), 'kh-shot-'));
  try {
    const html = join(dir, 'page.html');
    writeFileSync(html, commentPage(markdown, options.author ?? 'github-actions'));
    const flags = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${join(dir, 'profile')}`,
      `--window-size=${width},800`,
    ];
    // Headless Chromium screenshots the window, not the page: a first pass lays the page out at the same width
    // and reports its height in the title, so the picture ends where the comment does.
    const dom = execFileSync(CHROMIUM, [...flags, '--dump-dom', pathToFileURL(html).href], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const measured = Number(/<title>(\d+)<\/title>/.exec(dom)?.[1]);
    const height = Number.isFinite(measured) && measured > 0 ? measured : 1500;
    execFileSync(CHROMIUM, [...flags, `--window-size=${width},${height}`, `--screenshot=${resolve(outPng)}`, pathToFileURL(html).href], { stdio: 'ignore' });
    return { width, height };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(argv: string[]): void {
  const positional: string[] = [];
  let width: number | undefined;
  let author: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--width') width = Number(argv[++i]);
    else if (arg === '--author') author = argv[++i];
    else positional.push(arg);
  }
  const [input, output] = positional;
  if (input === undefined || output === undefined || positional.length > 2 || (width !== undefined && !(width >= 200 && width <= 4000))) {
    console.error('usage: screenshot.ts BODY.md OUT.png [--width 200..4000] [--author NAME]');
    process.exit(2);
  }
  try {
    const size = screenshot(readFileSync(input, 'utf8'), output, { width, author });
    console.log(`screenshot: ${output} (${size.width}x${size.height})`);
  } catch (error) {
    console.error(`screenshot: ${(error as Error).message}`);
    process.exit(1);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
