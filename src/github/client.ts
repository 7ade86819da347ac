import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

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
}

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
 * Statuses the retry plugin must not repeat: client errors will not change, and 403/429 rate limits are
 * the throttling plugin's to wait out (both retrying would double the wait and the calls).
 */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

/**
 * Builds the Octokit client: GitHub's REST API at `baseUrl`, waiting out primary and secondary rate
 * limits a bounded number of times, retrying server errors, and counting every request it sends.
 */
export function createClient(token: string, options: ClientOptions): CountedClient {
  const { log } = options;
  const client = getOctokit(
    token,
    {
      ...(options.baseUrl !== undefined && options.baseUrl !== '' ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : {}),
      throttle: {
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
      retry: { retries: MAX_SERVER_ERROR_RETRIES, doNotRetry: DO_NOT_RETRY },
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
