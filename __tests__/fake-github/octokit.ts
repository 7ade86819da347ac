/**
 * Octokit clients pointed at the fake, built the way the action builds its own: `getOctokit` from
 * `@actions/github` with the retry and throttling plugins. Waits are scaled from seconds to
 * milliseconds so rate-limit and retry paths run quickly in tests.
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { FakeGitHub } from './server.js';

export type Client = ReturnType<typeof getOctokit>;

export interface RateLimitCall {
  kind: 'primary' | 'secondary';
  retryAfter: number;
  retryCount: number;
}

/** A plain `getOctokit` client (no retry, no throttling) against the fake. */
export function plainClient(gh: Pick<FakeGitHub, 'url'>, token = 'test-token'): Client {
  return getOctokit(token, { baseUrl: gh.url });
}

export interface ResilientOptions {
  /** Rate-limit retries the callbacks accept. Default 2. */
  maxRetries?: number;
  token?: string;
  /**
   * Plugin order matters for a 429: with throttling first its `onSecondaryRateLimit` sees it and
   * honours `retry-after`; with retry first (the `octokit` package's order) the retry plugin
   * retries it on its own backoff and the callback never runs. 403 always reaches throttling,
   * because the retry plugin never retries a 403. Default `throttling-first`.
   */
  order?: 'throttling-first' | 'retry-first';
}

/**
 * A client with the retry and throttling plugins. It retries rate limits up to `maxRetries` times
 * and records each rate-limit callback in `calls`.
 */
export function resilientClient(gh: Pick<FakeGitHub, 'url'>, opts: ResilientOptions = {}): { client: Client; calls: RateLimitCall[] } {
  const maxRetries = opts.maxRetries ?? 2;
  const calls: RateLimitCall[] = [];
  const plugins = opts.order === 'retry-first' ? [retry, throttling] : [throttling, retry];
  const client = getOctokit(
    opts.token ?? 'test-token',
    {
      baseUrl: gh.url,
      throttle: {
        // Seconds become milliseconds: the plugin multiplies retry-after by this value.
        retryAfterBaseValue: 1,
        onRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => {
          calls.push({ kind: 'primary', retryAfter, retryCount });
          return retryCount < maxRetries;
        },
        onSecondaryRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => {
          calls.push({ kind: 'secondary', retryAfter, retryCount });
          return retryCount < maxRetries;
        },
      },
      retry: { retryAfterBaseValue: 1 },
    },
    ...plugins,
  );
  return { client, calls };
}
