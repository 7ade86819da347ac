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
): Promise<void> {
  let response = (await client.request(route, params)) as PageResponse;
  for (;;) {
    if (onPage(response.data) === false) return;
    const next = nextLink(response.headers.link);
    if (next === undefined) return;
    response = (await client.request({ method: 'GET', url: next })) as PageResponse;
  }
}

function nextLink(link: string | undefined): string | undefined {
  return link === undefined ? undefined : /<([^<>]+)>;\s*rel="next"/.exec(link)?.[1];
}
