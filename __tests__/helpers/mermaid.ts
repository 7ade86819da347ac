/**
 * Mermaid's own parser, run in node: mermaid sanitises labels with DOMPurify, which needs a window, so a
 * jsdom window is installed before mermaid loads. @mermaid-js/parser (no DOM) was not enough: it has no
 * grammar for xychart, the chart type the weekly issue draws.
 */

type Mermaid = { parse(text: string): Promise<{ diagramType: string } | false> };
let loaded: Promise<Mermaid> | undefined;

async function mermaid(): Promise<Mermaid> {
  loaded ??= (async () => {
    const g = globalThis as Record<string, unknown>;
    if (g['window'] === undefined) {
      // jsdom ships no types; only its window is used.
      const jsdom = 'jsdom';
      const { JSDOM } = (await import(jsdom)) as { JSDOM: new (html: string) => { window: { document: unknown } } };
      const { window } = new JSDOM('');
      g['window'] = window;
      g['document'] = window.document;
    }
    return (await import('mermaid')).default as unknown as Mermaid;
  })();
  return loaded;
}

/** The ```mermaid blocks of a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1] ?? '');
}

/** Parses a chart with Mermaid; throws Mermaid's error when it does not parse. Returns the diagram type. */
export async function parseMermaid(source: string): Promise<string> {
  const result = await (await mermaid()).parse(source);
  if (result === false) throw new Error('mermaid refused the chart');
  return result.diagramType;
}
