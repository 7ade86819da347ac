import { getOctokit } from '@actions/github';
import { defaults as actionsDefaults } from '@actions/github/lib/utils';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';

/** The Octokit client every endpoint module takes as its first parameter. */
export type Client = ReturnType<typeof getOctokit>;

/** Where the client reports what it is doing; the action passes `core.debug`/`core.warning`. */
export interface ClientLog {
  debug(message: string): void;
  warning(message: string): void;
}

export interface ClientOptions {
  /** REST API root; on GitHub Enterprise Server the runner sets `GITHUB_API_URL` to it. */
  baseUrl?: string;
  log: ClientLog;
  /**
   * How long one second of the client's pacing lasts, in milliseconds: the spacing between writes (GitHub
   * asks for at least 1 s between content-creating requests), searches and notification-triggering
   * writes, a `retry-after` wait and the retry back-off. Default 1000, GitHub's pacing; tests against the
   * local fake API pass less, so fault cases do not spend minutes waiting.
   */
  secondMs?: number;
}

/** One second of pacing, as GitHub documents it. */
export const GITHUB_SECOND_MS = 1000;

/** The client plus the number of API calls made through it so far (the action's API budget is measured with it). */
export interface CountedClient {
  client: Client;
  calls(): number;
}

/** Retries after a secondary rate limit: GitHub asks to wait `retry-after` seconds; a few waits are worth it. */
const MAX_SECONDARY_LIMIT_RETRIES = 3;
/**
 * A primary limit resets on the hour. Waiting is worth it only when the reset is close; otherwise the run
 * fails with the limit named rather than idling out the job.
 */
const MAX_PRIMARY_LIMIT_WAIT_SECONDS = 120;
/** Retries of a 5xx answer; the retry plugin waits 1, 4, 9 seconds between them. */
const MAX_SERVER_ERROR_RETRIES = 3;
/**
 * Statuses the retry plugin must not repeat: client errors will not change (409 included: GitHub answers
 * it for an empty repository, which a retry does not fill), and 403/429 rate limits are
 * the throttling plugin's to wait out (both retrying would double the wait and the calls).
 */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];

/**
 * How long one request may take, answer body included. GitHub ends any request it needs more than 10 s to
 * process; the rest is transfer time for the largest bodies the action reads (a raw file of up to 10 MiB,
 * a page of 100 patches). Without a limit a stalled connection holds the job until the job's own timeout
 * (6 hours by default).
 */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Statuses whose answer has no body by definition; a Response cannot be rebuilt with one. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * Wraps the runner's fetch (which honours the runner's proxy settings) so that every attempt has its own
 * deadline and a 2xx JSON answer is complete before Octokit sees it. Octokit hands an unreadable or cut
 * body over as the raw string `data` with status 200, which the endpoint modules would read as an empty
 * list; thrown here instead, it is an error the retry plugin repeats like a 5xx, and a failed call after that.
 */
function guardedFetch(inner: typeof fetch, log: ClientLog): typeof fetch {
  return async (input, init) => {
    const deadline = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const signal = init?.signal != null ? AbortSignal.any([init.signal, deadline]) : deadline;
    const what = `${init?.method ?? 'GET'} ${describeUrl(String(input instanceof Request ? input.url : input))}`;
    let response: Response;
    let body: ArrayBuffer;
    try {
      response = await inner(input, { ...init, signal });
      if (NULL_BODY_STATUSES.has(response.status)) return response;
      // A raw file (up to 100 MB on GitHub) is read only up to the cap: past it the transfer is
      // stopped and the answer marked, so no run holds a huge file in memory.
      if (response.ok && isRawRequest(init) && !/[/+]json\b/i.test(response.headers.get('content-type') ?? '')) {
        const capped = await readUpTo(response, MAX_RAW_FILE_BYTES);
        if (capped === undefined) {
          const headers = new Headers(response.headers);
          headers.set(TOO_LARGE_HEADER, '1');
          headers.delete('content-length');
          return new Response(new Uint8Array(0), { status: response.status, statusText: response.statusText, headers });
        }
        body = capped;
      } else body = await response.arrayBuffer();
    } catch (error) {
      if (deadline.aborted) {
        log.warning(`GitHub API ${what} gave no complete answer within ${REQUEST_TIMEOUT_MS / 1000} s.`);
        throw new Error(`no complete answer within ${REQUEST_TIMEOUT_MS / 1000} s`, { cause: error });
      }
      const reason = error instanceof Error ? ((error.cause instanceof Error ? error.cause.message : '') || error.message) : String(error);
      throw new Error(`the connection broke before the answer was complete (${reason})`, { cause: error });
    }
    const type = response.headers.get('content-type') ?? '';
    if (response.status >= 200 && response.status < 300 && /[/+]json\b/i.test(type)) {
      try {
        JSON.parse(new TextDecoder('utf-8').decode(body));
      } catch {
        throw new Error(`the answer (status ${response.status}, ${body.byteLength} bytes) is not complete JSON`);
      }
    }
    const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    Object.defineProperty(copy, 'url', { value: response.url });
    return copy;
  };
}

/**
 * The runner's fetch (it honours the runner's proxy settings) without the API guards, for downloads
 * outside the API: an archive link streams for minutes and must not be buffered whole.
 */
export function downloadFetch(): typeof fetch {
  return (actionsDefaults.request?.fetch as typeof fetch | undefined) ?? globalThis.fetch;
}

/**
 * A request's URL as a log may show it: the endpoint, without the file path or query that follow. The
 * warning is printed before the findings are masked, and a path may hold a key (a file named after it).
 */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const segments = parsed.pathname.split('/').filter((s) => s !== '');
    const keep = segments[0] === 'repos' ? 4 : 2;
    return `${parsed.origin}/${segments.slice(0, keep).join('/')}${segments.length > keep ? '/…' : ''}`;
  } catch {
    return 'a GitHub API URL';
  }
}

/** The largest raw file the action reads; larger ones are not downloaded past this point. */
export const MAX_RAW_FILE_BYTES = 10 * 1024 * 1024;

/** Set by the client on a raw file answer it stopped reading at `MAX_RAW_FILE_BYTES`. */
export const TOO_LARGE_HEADER = 'x-key-hygiene-too-large';

/** The body, or undefined once it passes `max` bytes (the rest is not transferred). */
async function readUpTo(response: Response, max: number): Promise<ArrayBuffer | undefined> {
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(length) && length > max) {
    await response.body?.cancel();
    return undefined;
  }
  if (response.body === null) return new ArrayBuffer(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out.buffer;
}

/** Whether the request asks for a file's raw bytes (`mediaType: { format: 'raw' }`). */
function isRawRequest(init: RequestInit | undefined): boolean {
  const accept = new Headers(init?.headers).get('accept') ?? '';
  return /application\/vnd\.github\.(v3\.)?raw/i.test(accept);
}

/**
 * Per-request options for a call that creates something (a comment, an issue, a check run). A create whose
 * answer was lost (a timeout, a broken connection, a 502 from a proxy) may still have happened, so
 * repeating it could post a second copy; it fails at once instead, and the next run creates it.
 */
export const NO_RETRY = { request: { retries: 0 } } as const;

/**
 * Builds the Octokit client: GitHub's REST API at `baseUrl`, waiting out primary and secondary rate
 * limits a bounded number of times, retrying server errors, and counting every request it sends.
 */
export function createClient(token: string, options: ClientOptions): CountedClient {
  const { log } = options;
  const second = options.secondMs ?? GITHUB_SECOND_MS;
  // The throttling plugin's own groups space writes 1 s, searches 2 s and notifying writes 3 s apart (its
  // defaults follow GitHub's guidance); the same spacing, in units of `second`.
  const spaced = (id: string, seconds: number): Bottleneck.Group => new Bottleneck.Group({ id: `key-hygiene-${id}`, maxConcurrent: 1, minTime: seconds * second });
  const client = getOctokit(
    token,
    {
      ...(options.baseUrl !== undefined && options.baseUrl !== '' ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : {}),
      request: { ...actionsDefaults.request, fetch: guardedFetch(actionsDefaults.request?.fetch ?? globalThis.fetch, log) },
      throttle: {
        retryAfterBaseValue: second,
        ...(second === GITHUB_SECOND_MS ? {} : { write: spaced('write', 1), search: spaced('search', 2), notifications: spaced('notifications', 3) }),
        onRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          const wait = retryCount === 0 && retryAfter <= MAX_PRIMARY_LIMIT_WAIT_SECONDS;
          log.warning(
            `GitHub API rate limit reached on ${request.method} ${request.url}; ` +
              (wait ? `retrying in ${retryAfter} s.` : `it resets in ${retryAfter} s, which is too long to wait.`),
          );
          return wait;
        },
        onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          const wait = retryCount < MAX_SECONDARY_LIMIT_RETRIES;
          log.warning(
            `GitHub API secondary rate limit on ${request.method} ${request.url}; ` +
              (wait ? `retrying in ${retryAfter} s (attempt ${retryCount + 1} of ${MAX_SECONDARY_LIMIT_RETRIES}).` : 'giving up.'),
          );
          return wait;
        },
      },
      retry: { retries: MAX_SERVER_ERROR_RETRIES, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: second },
    },
    throttling,
    retry,
  );
  let count = 0;
  // Registered after the plugins, this hook is the outermost wrapper: it sees each call once, and the
  // plugins' retries of that call happen inside it. The budget counts calls, not retried attempts.
  client.hook.wrap('request', async (request, endpoint) => {
    count++;
    log.debug(`GitHub API ${endpoint.method} ${endpoint.url}`);
    return request(endpoint);
  });
  return { client, calls: () => count };
}
