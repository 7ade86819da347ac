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

/**
 * A client with the retry and throttling plugins. It retries rate limits up to `maxRetries` times
 * and records each rate-limit callback in `calls`.
 */
export function resilientClient(gh: Pick<FakeGitHub, 'url'>, maxRetries = 2, token = 'test-token'): { client: Client; calls: RateLimitCall[] } {
  const calls: RateLimitCall[] = [];
  const client = getOctokit(
    token,
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
    retry,
    throttling,
  );
  return { client, calls };
}
