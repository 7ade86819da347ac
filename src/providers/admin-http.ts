import { refuseOtherHost } from '../verify/verify.js';
import type { Transport, TransportResponse } from '../verify/types.js';

/** A provider has this long to answer one request before it is retried (or given up on). */
export const ADMIN_TIMEOUT_MS = 15_000;
/** Retries of one request after a 429, a 5xx or a network failure: 1 s, 2 s, 4 s, 8 s apart. */
export const ADMIN_RETRIES = 4;
/** A `retry-after` longer than this is not waited for: the audit would stall, the weekly run can try again. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** A listing longer than this many pages is a provider bug (a cursor that never ends), not an inventory. */
export const MAX_PAGES = 1_000;
/**
 * The only hosts an admin key is ever sent to: the providers' official API hosts. A fixed list rather
 * than the client's own `host`, so that no option, input or mistake can point a client elsewhere.
 */
export const OFFICIAL_ADMIN_HOSTS: ReadonlySet<string> = new Set(['api.openai.com', 'api.anthropic.com']);

/** Answers are read no further than this; the largest page (100 keys) is far smaller. */
const MAX_BODY_CHARS = 8 * 1024 * 1024;

/** One provider's admin API, as the clients see it. */
export interface AdminApi {
  /** Provider name for messages, e.g. `OpenAI`. */
  name: string;
  /** The official API host: the admin key is sent nowhere else. */
  host: string;
  /** Headers carrying the admin key and the API version. */
  headers: Record<string, string>;
  transport: Transport;
  /** Waits between retries; tests pass one that does not. */
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  retries?: number;
  /** Counts requests, for the log line. */
  onRequest?: () => void;
}

/**
 * A refusal or failure of the admin API, with a message a person can act on: for 401 and 403 it names
 * the permission (scope) the key lacks. Never carries response text: some APIs echo part of the key.
 */
export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

/** What a 401 or 403 on an endpoint means for the person who set the key up. */
export interface EndpointInfo {
  /** `GET /v1/organization/projects`, for messages. */
  label: string;
  /** The sentence naming the permission the key needs, e.g. `an admin key with read access to Projects`. */
  needs: string;
}

export interface AdminRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path and query, starting with `/`. */
  path: string;
  body?: unknown;
  endpoint: EndpointInfo;
}

/**
 * Sends one request to the provider's official host, with a timeout, and retries 429, 5xx and network
 * failures with exponential backoff (honouring `retry-after`). Returns the parsed JSON body of a 2xx.
 */
export async function adminRequest(api: AdminApi, request: AdminRequest): Promise<unknown> {
  const url = `https://${api.host}${request.path}`;
  const refused = OFFICIAL_ADMIN_HOSTS.has(api.host)
    ? refuseOtherHost(url, api.host, api.name)
    : `refused: ${api.host} is not an official provider API host`;
  if (refused !== undefined) throw new AdminApiError(`${api.name} admin API: ${refused}`);
  const sleep = api.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const retries = api.retries ?? ADMIN_RETRIES;
  const timeoutMs = api.timeoutMs ?? ADMIN_TIMEOUT_MS;
  let last = '';
  for (let attempt = 0; ; attempt++) {
    const signal = AbortSignal.timeout(timeoutMs);
    let response: TransportResponse | undefined;
    try {
      api.onRequest?.();
      response = await api.transport(url, {
        method: request.method,
        headers: {
          ...api.headers,
          accept: 'application/json',
          'user-agent': 'key-hygiene',
          ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
        signal,
        redirect: 'manual',
      });
    } catch (error) {
      last = signal.aborted ? `no answer within ${timeoutMs / 1000} s` : `network error${codeOf(error)}`;
    }
    if (response !== undefined) {
      const status = response.status;
      if (status >= 200 && status < 300) return parseBody(api, request, await response.text());
      const retryAfter = retryAfterMs(response.headers.get('retry-after'));
      await response.body?.cancel().catch(() => {});
      if (status === 401 || status === 403) {
        throw new AdminApiError(
          `${api.name} refused the admin key (HTTP ${status}) on ${request.endpoint.label}: it needs ${request.endpoint.needs}.`,
          status,
        );
      }
      if (status === 404) throw new AdminApiError(`${api.name} answered HTTP 404 on ${request.endpoint.label}.`, status);
      if (status !== 429 && status < 500) throw new AdminApiError(`${api.name} answered HTTP ${status} on ${request.endpoint.label}.`, status);
      last = status === 429 ? 'rate limited (HTTP 429)' : `server error (HTTP ${status})`;
      if (attempt < retries && (retryAfter === undefined || retryAfter <= MAX_RETRY_AFTER_MS)) {
        await sleep(retryAfter ?? 1000 * 2 ** attempt);
        continue;
      }
      throw new AdminApiError(`${api.name} ${last} on ${request.endpoint.label}, ${attempt + 1} attempt(s).`, status);
    }
    if (attempt >= retries) throw new AdminApiError(`${api.name} ${last} on ${request.endpoint.label}, ${attempt + 1} attempt(s).`);
    await sleep(1000 * 2 ** attempt);
  }
}

async function parseBody(api: AdminApi, request: AdminRequest, text: string): Promise<unknown> {
  if (text.length > MAX_BODY_CHARS) throw new AdminApiError(`${api.name} sent an answer too large to read on ${request.endpoint.label}.`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AdminApiError(`${api.name} sent an answer that is not JSON on ${request.endpoint.label}.`);
  }
}

/** `retry-after` in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function codeOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = cause?.code ?? (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? ` (${code})` : '';
}

/** A JSON object, or an error naming the endpoint. */
export function asObject(api: Pick<AdminApi, 'name'>, endpoint: EndpointInfo, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AdminApiError(`${api.name} sent an unexpected answer on ${endpoint.label}: not an object.`);
  }
  return value as Record<string, unknown>;
}

/** The `data` array of a list page, or an error naming the endpoint. */
export function pageData(api: Pick<AdminApi, 'name'>, endpoint: EndpointInfo, page: Record<string, unknown>): unknown[] {
  const data = page['data'];
  if (!Array.isArray(data)) throw new AdminApiError(`${api.name} sent an unexpected answer on ${endpoint.label}: no data list.`);
  return data;
}

/**
 * Follows a cursor-paginated listing to its end. `next` reads the cursor for the following page from a
 * page (undefined at the end); a cursor seen twice ends the listing with an error rather than a loop.
 */
export async function listAll(
  api: AdminApi,
  endpoint: EndpointInfo,
  pathFor: (cursor: string | undefined) => string,
  next: (page: Record<string, unknown>, data: unknown[]) => string | undefined,
): Promise<unknown[]> {
  const items: unknown[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = asObject(api, endpoint, await adminRequest(api, { method: 'GET', path: pathFor(cursor), endpoint }));
    const data = pageData(api, endpoint, page);
    items.push(...data);
    cursor = next(page, data);
    if (cursor === undefined) return items;
    if (seen.has(cursor)) throw new AdminApiError(`${api.name} repeated a page cursor on ${endpoint.label}; the listing was stopped.`);
    seen.add(cursor);
  }
  throw new AdminApiError(`${api.name} listed more than ${MAX_PAGES} pages on ${endpoint.label}; the listing was stopped.`);
}
