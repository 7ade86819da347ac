import type { Client } from './client.js';

interface PageResponse {
  data: unknown;
  headers: { link?: string };
}

/**
 * Reads a GET listing page by page, following GitHub's `Link: rel="next"`, handing each page's body to
 * `onPage` until it returns false or no page is left. Octokit's own `paginate` turns a 409 into an empty
 * last page (GitHub's answer for an empty repository); for the listings read here a 409 is a failure to
 * report, not "nothing there", so it is thrown like any other error.
 */
export async function forEachPage(
  client: Client,
  route: string,
  params: Record<string, unknown>,
  onPage: (data: unknown) => boolean | void,
  options: PageOptions = {},
): Promise<void> {
  let response = (await client.request(route, params)) as PageResponse;
  let page = 1;
  for (;;) {
    if (onPage(response.data) === false) return;
    const next = nextLink(response.headers.link);
    if (next !== undefined) {
      checkSameOrigin(client, next);
      page = pageOf(next) ?? page + 1;
      response = (await client.request({ method: 'GET', url: next })) as PageResponse;
      continue;
    }
    // A full page with no link onward may be a listing cut short: ask for the next page by number.
    const full = Array.isArray(response.data) && response.data.length >= Number(params['per_page'] ?? 30);
    if (options.checkFullLastPage !== true || !full) return;
    page += 1;
    response = (await client.request(route, { ...params, page })) as PageResponse;
    if (!Array.isArray(response.data) || response.data.length === 0) return;
  }
}

export interface PageOptions {
  /**
   * When the last page is full, ask for the one after it by number before believing the listing ended.
   * For listings where missing an item does harm (the comment that must not be posted twice); it costs
   * one call when the count is a multiple of the page size.
   */
  checkFullLastPage?: boolean;
}

/**
 * The next page is requested with the token, so it must be on the API's own origin and under its base
 * path: a `Link` header pointing elsewhere (a proxy's rewrite, a hostile mirror) would receive the token.
 */
function checkSameOrigin(client: Client, next: string): void {
  const base = new URL(String(client.request.endpoint.DEFAULTS.baseUrl));
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    throw new Error(`GitHub's Link header gave a next page that is not a URL; not following it.`);
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  if (url.origin !== base.origin || !(url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))) {
    throw new Error(`The listing's next page is on ${url.origin}, not on the API at ${base.origin}${basePath}; not following it with the token.`);
  }
}

function nextLink(link: string | undefined): string | undefined {
  return link === undefined ? undefined : /<([^<>]+)>;\s*rel="next"/.exec(link)?.[1];
}

function pageOf(url: string): number | undefined {
  const page = /[?&]page=(\d+)/.exec(url)?.[1];
  return page === undefined ? undefined : Number(page);
}
