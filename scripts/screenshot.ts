/**
 * Renders the demo's pull request comment the way GitHub shows it and screenshots it for the README:
 *
 *   apt-get update && apt-get install -y chromium   # Debian's package; provides /usr/bin/chromium
 *   npm run build                                   # the demo runs the built action, dist/index.js
 *   node --import ./scripts/register-ts.mjs scripts/screenshot.ts
 *
 * The Markdown converter covers what the comment uses (headings, paragraphs, lists, tables, code spans and
 * fences, links, bold, and the raw HTML GitHub allows: details, summary, code, sub); it is not a general one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from './demo.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = new URL('../docs/images/pr-comment.png', import.meta.url).pathname;
const WIDTH = 1012;

function inline(text: string): string {
  return text
    .replace(/`([^`]+)`/g, (_, code: string) => `<code>${code.replace(/</g, '&lt;')}</code>`)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>');
}

function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** Markdown (the comment's subset) to HTML. */
export function toHtml(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('```')) {
      const code: string[] = [];
      for (i++; i < lines.length && !(lines[i] as string).startsWith('```'); i++) code.push((lines[i] as string).replace(/&/g, '&amp;').replace(/</g, '&lt;'));
      out.push(`<pre><code>${code.join('\n')}</code></pre>`);
    } else if (/^#{1,6} /.test(line)) {
      const level = (/^#+/.exec(line) as RegExpExecArray)[0].length;
      out.push(`<h${level}>${inline(line.slice(level + 1))}</h${level}>`);
    } else if (line.startsWith('|') && (lines[i + 1] ?? '').startsWith('| ---')) {
      const head = cells(line);
      const body: string[][] = [];
      for (i += 2; i < lines.length && (lines[i] as string).startsWith('|'); i++) body.push(cells(lines[i] as string));
      i--;
      out.push(
        `<table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>` +
          body.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('') +
          '</tbody></table>',
      );
    } else if (line.startsWith('- ')) {
      const items: string[] = [];
      for (; i < lines.length && (lines[i] as string).startsWith('- '); i++) items.push(`<li>${inline((lines[i] as string).slice(2))}</li>`);
      i--;
      out.push(`<ul>${items.join('')}</ul>`);
    } else if (line.trim() === '' || line.startsWith('<!--')) {
      continue;
    } else if (/^<\/?(details|summary|sub)/.test(line.trim())) {
      out.push(inline(line));
    } else {
      out.push(`<p>${inline(line)}</p>`);
    }
  }
  return out.join('\n');
}

function page(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; padding: 16px; background: #fff; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
  .comment { border: 1px solid #d1d9e0; border-radius: 6px; }
  .header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; border-radius: 6px 6px 0 0; color: #59636e; }
  .header b { color: #1f2328; } .bot { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 6px; font-size: 12px; margin: 0 4px; }
  .body { padding: 16px; } h3 { font-size: 1.25em; margin: 0 0 16px; } h4 { font-size: 1em; margin: 24px 0 16px; }
  table { border-collapse: collapse; margin: 0 0 16px; display: block; overflow: auto; font-size: 13px; }
  th, td { border: 1px solid #d1d9e0; padding: 6px 13px; } th { font-weight: 600; } tr:nth-child(2n) { background: #f6f8fa; }
  code { font: 85% ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: rgba(129,139,152,.12); padding: .2em .4em; border-radius: 6px; }
  pre { background: #f6f8fa; padding: 16px; border-radius: 6px; } pre code { background: none; padding: 0; }
  a { color: #0969da; text-decoration: none; } p { margin: 0 0 16px; } summary { cursor: pointer; margin-bottom: 16px; } sub { color: #59636e; }
  </style></head><body><div class="comment"><div class="header"><b>github-actions</b><span class="bot">bot</span> commented</div><div class="body">${body}</div></div><script>document.title = String(document.documentElement.scrollHeight);</script></body></html>`;
}

if (!existsSync(CHROMIUM)) {
  console.error(`screenshot: ${CHROMIUM} not found; install Debian's chromium package (apt-get update && apt-get install -y chromium).`);
  process.exit(2);
}
const demo = await runDemo();
const dir = mkdtempSync(join(tmpdir(), 'kh-shot-'));
const html = join(dir, 'comment.html');
writeFileSync(html, page(toHtml(demo.comment)));
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
  `--window-size=${WIDTH},800`,
];
// Headless Chromium screenshots the window, not the page: a first pass lays the page out at the same width
// and reports its height in the title, so the picture ends where the comment does.
const dom = execFileSync(CHROMIUM, [...flags, '--dump-dom', `file://${html}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const measured = Number(/<title>(\d+)<\/title>/.exec(dom)?.[1]);
const height = Number.isFinite(measured) && measured > 0 ? measured : 1500;
execFileSync(CHROMIUM, [...flags, `--window-size=${WIDTH},${height}`, `--screenshot=${OUT}`, `file://${html}`], { stdio: 'ignore' });
console.log(`screenshot: ${OUT} (${WIDTH}x${height})`);
