/** An endpoint as the action names it in error messages: the route template and the permission it needs. */
export interface Endpoint {
  /** `METHOD /route/{template}`, as in GitHub's REST reference. */
  route: string;
  /** The `permissions:` entry of the job that grants this call, e.g. `pull-requests: write`. */
  permission: string;
  /** What a 404 most likely means for this endpoint, in plain words. */
  notFound?: string;
}

/** A failed API call, with a message a user can act on; the Octokit error stays as `cause`. */
export class ApiError extends Error {
  readonly status: number | undefined;
  readonly endpoint: Endpoint;

  constructor(message: string, status: number | undefined, endpoint: Endpoint, cause: unknown) {
    super(message, { cause });
    this.name = 'ApiError';
    this.status = status;
    this.endpoint = endpoint;
  }
}

interface OctokitErrorShape {
  status?: unknown;
  message?: unknown;
  response?: { data?: unknown };
}

/** GitHub's answer when a rate limit, not a permission, refused the request (403 or 429, said in its message). */
function isRateLimit(status: number | undefined, detail: string): boolean {
  return (status === 403 || status === 429) && /rate limit/i.test(detail);
}

/** Whether an Octokit error is a rate limit that outlasted the retries, rather than a refusal to wait out. */
export function isRateLimitError(error: unknown): boolean {
  const e = (typeof error === 'object' && error !== null ? error : {}) as OctokitErrorShape;
  return isRateLimit(typeof e.status === 'number' ? e.status : undefined, githubMessage(e));
}

/**
 * Turns an Octokit error into one line naming the endpoint and what to do: for a 403 the missing
 * permission and the `permissions:` YAML that grants it, for a 404 or 422 a plain explanation.
 */
export function toApiError(error: unknown, endpoint: Endpoint): ApiError {
  if (error instanceof ApiError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as OctokitErrorShape;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const detail = githubMessage(e);
  const where = `${endpoint.route}`;
  let message: string;
  switch (status) {
    case 403:
    case 429:
      message = isRateLimit(status, detail)
        ? `${where} hit GitHub's API rate limit (${status}: ${detail}); rerun the job later.`
        : `${where} was refused (403: ${detail}): the token lacks "${endpoint.permission}". ` +
          `Add it to the job, e.g. \`permissions: { contents: read, ${endpoint.permission} }\`` +
          (endpoint.permission.endsWith(': write')
            ? '; on pull requests from forks the token is read-only whatever the job asks, so run on `pull_request_target` (this action never runs pull request code).'
            : '.');
      break;
    case 404:
      message = `${where} answered 404 (not found): ${endpoint.notFound ?? 'the resource does not exist or the token cannot see it'}.`;
      break;
    case 401:
      message = `${where} refused the token (401: ${detail}): the token is invalid or expired; check the secret passed as github-token or secrets-token.`;
      break;
    case 422:
      message = `${where} rejected the request as invalid (422: ${detail}); rerun the job, and report it to key-hygiene if it persists.`;
      break;
    case undefined:
      message = `${where} failed: ${error instanceof Error ? error.message : String(error)}`;
      break;
    default:
      message =
        status >= 500 || e.response === undefined
          ? // Octokit reports a broken connection or a cut answer as a 500 without a response.
            `${where} failed after retries (${e.response === undefined ? detail : `${status}: ${detail}`}); GitHub may be having trouble (https://www.githubstatus.com): rerun the job later.`
          : `${where} failed (${status}: ${detail}); rerun the job, and report it to key-hygiene if it persists.`;
  }
  return new ApiError(message, status, endpoint, error);
}

/** Runs one API call, turning any failure into an `ApiError` for `endpoint`. */
export async function callEndpoint<T>(endpoint: Endpoint, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toApiError(error, endpoint);
  }
}

/** True when the error is a 404 from GitHub. */
export function isNotFound(error: unknown): boolean {
  return (error instanceof ApiError ? error.status : (error as OctokitErrorShape | null)?.status) === 404;
}

/** GitHub's own explanation: its `message`, plus the `errors` details a 422 carries. */
function githubMessage(e: OctokitErrorShape): string {
  const data = e.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const base = typeof data?.message === 'string' ? data.message : typeof e.message === 'string' ? e.message : 'no message';
  const details = Array.isArray(data?.errors)
    ? data.errors
        .map((d: unknown) => (typeof d === 'string' ? d : typeof d === 'object' && d !== null ? ((d as { message?: string }).message ?? JSON.stringify(d)) : ''))
        .filter((s) => s !== '')
    : [];
  return details.length > 0 ? `${base}: ${details.join('; ')}` : base;
}

/**
 * Checks that an answer has the shape the caller reads, so that a body GitHub (or a proxy) got wrong fails
 * as one line naming the endpoint, not later as `x.map is not a function`.
 */
export function expectShape<T>(endpoint: Endpoint, value: unknown, ok: (v: unknown) => boolean, expected: string): T {
  if (ok(value)) return value as T;
  const got = Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'string' ? `text of ${value.length} characters` : typeof value;
  throw new ApiError(
    `${endpoint.route} answered with ${got} where ${expected} was expected; GitHub may be having trouble (https://www.githubstatus.com): rerun the job later.`,
    undefined,
    endpoint,
    undefined,
  );
}

/** True for an object with the named fields of the named types. */
export function hasFields(v: unknown, fields: Record<string, 'string' | 'number' | 'object'>): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return Object.entries(fields).every(([k, t]) => typeof o[k] === t && o[k] !== null);
}
