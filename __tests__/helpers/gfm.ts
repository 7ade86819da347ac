/**
 * What GitHub shows for a Markdown body, approximated by `marked` in GFM mode, and what a reader can check
 * in it. marked passes raw HTML through unsanitised, unlike GitHub: an injected tag therefore shows up
 * here, where GitHub might have hidden it.
 */
import { Marked } from 'marked';

export function renderGfm(markdown: string): string {
  return new Marked({ gfm: true, async: false }).parse(markdown) as string;
}

/** The elements our reports use; anything else in the rendered HTML came from repository text. */
export const REPORT_ELEMENTS = new Set(['h3', 'h4', 'p', 'strong', 'em', 'code', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary', 'ul', 'li', 'pre', 'sub', 'br']);

/** Every element opened in the HTML, by name, in order. */
export function elements(html: string): string[] {
  return [...html.matchAll(/<([A-Za-z][\w-]*)/g)].map((m) => (m[1] ?? '').toLowerCase());
}

/** Every link's target. */
export function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => decode(m[1] ?? ''));
}

/** The visible text outside code and pre elements: where GitHub would link mentions, references and URLs. */
export function textOutsideCode(html: string): string {
  return decode(html.replace(/<pre>[\s\S]*?<\/pre>/g, ' ').replace(/<code>[\s\S]*?<\/code>/g, ' ').replace(/<!--[\s\S]*?-->/g, ' ').replace(/<[^>]*>/g, ' '));
}

/** The text of each table's rows: one array of cell texts per row, header included, for every table. */
export function tables(html: string): string[][][] {
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((t) =>
    [...(t[1] ?? '').matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...(r[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode((c[1] ?? '').replace(/<[^>]*>/g, '')).trim())),
  );
}

export function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&');
}
