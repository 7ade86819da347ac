import { readFileSync } from 'node:fs';

/** What the runner tells the action about the run, read from its environment and event payload file. */
export interface RunContext {
  eventName: string;
  payload: Record<string, unknown>;
  owner: string;
  repo: string;
  /** The commit the workflow ran for (`GITHUB_SHA`): for a pull request, its merge commit. */
  sha: string;
  /** The ref the workflow ran for (`GITHUB_REF`), e.g. `refs/heads/main` on a schedule. */
  ref: string;
  serverUrl: string;
  apiUrl: string;
  /** The checkout directory; it may be empty when the workflow did not check out. */
  workspace: string;
  /** A directory for this job's files (the JSON report). */
  runnerTemp: string;
  /**
   * `KEY_HYGIENE_API_SECOND_MS`: how long a second of the API client's pacing lasts (see `createClient`).
   * Unset on a runner, where GitHub's pacing applies; the tests set it against their local fake API.
   */
  apiSecondMs?: number;
}

/**
 * Reads the run's context from the environment the runner sets (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH,
 * GITHUB_REPOSITORY, ...). Read on demand rather than at import, so nothing happens before `run()`.
 */
export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new Error(`${name} is not set: this action runs in a GitHub Actions job.`);
    return value;
  };
  const repository = required('GITHUB_REPOSITORY');
  const slash = repository.indexOf('/');
  if (slash <= 0 || slash === repository.length - 1) throw new Error('GITHUB_REPOSITORY is not of the form owner/name.');
  const eventPath = env['GITHUB_EVENT_PATH'];
  let payload: Record<string, unknown> = {};
  if (eventPath !== undefined && eventPath !== '') {
    const parsed: unknown = JSON.parse(readFileSync(eventPath, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null) payload = parsed as Record<string, unknown>;
  }
  return {
    eventName: required('GITHUB_EVENT_NAME'),
    payload,
    owner: repository.slice(0, slash),
    repo: repository.slice(slash + 1),
    sha: env['GITHUB_SHA'] ?? '',
    ref: env['GITHUB_REF'] ?? '',
    serverUrl: (env['GITHUB_SERVER_URL'] ?? 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env['GITHUB_API_URL'] ?? 'https://api.github.com').replace(/\/+$/, ''),
    workspace: env['GITHUB_WORKSPACE'] ?? process.cwd(),
    runnerTemp: env['RUNNER_TEMP'] ?? '',
    ...apiSecondMs(env['KEY_HYGIENE_API_SECOND_MS']),
  };
}

function apiSecondMs(value: string | undefined): { apiSecondMs?: number } {
  if (value === undefined || value === '') return {};
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1 || ms > 1000) throw new Error(`KEY_HYGIENE_API_SECOND_MS is ${JSON.stringify(value)}: it must be a whole number of milliseconds from 1 to 1000, or unset.`);
  return { apiSecondMs: ms };
}
