import type { InventoryKey, ProviderInventory } from '../inventory/types.js';
import type { Transport } from '../verify/types.js';
import { AdminApiError, adminRequest, asObject, listAll, type AdminApi, type EndpointInfo } from './admin-http.js';

/**
 * OpenAI's Administration API: projects, their API keys and service accounts, admin keys and usage.
 * Shapes follow the `openai` SDK's types (resources/admin/organization); the fakes in __tests__ are
 * checked against them.
 */

export const OPENAI_API_HOST = 'api.openai.com';

/** OpenAI's largest page for its list endpoints. */
const PAGE_LIMIT = 100;
/** OpenAI's largest page of daily usage buckets. */
const USAGE_PAGE_DAYS = 31;
/** Days of usage read: the last 7 and the 28 before them. */
export const USAGE_WINDOW_DAYS = 35;

const DAY_MS = 86_400_000;

const PROJECTS: EndpointInfo = { label: 'GET /v1/organization/projects', needs: 'an admin key with read access to Projects' };
const PROJECT_KEYS: EndpointInfo = { label: 'GET /v1/organization/projects/{id}/api_keys', needs: 'an admin key with read access to Projects' };
const SERVICE_ACCOUNTS: EndpointInfo = {
  label: 'GET /v1/organization/projects/{id}/service_accounts',
  needs: 'an admin key with read access to Projects',
};
const ADMIN_KEYS: EndpointInfo = { label: 'GET /v1/organization/admin_api_keys', needs: 'an admin key with read access to Admin API keys' };
const USAGE: EndpointInfo = { label: 'GET /v1/organization/usage/completions', needs: 'an admin key with read access to Usage' };
const DELETE_KEY: EndpointInfo = {
  label: 'DELETE /v1/organization/projects/{id}/api_keys/{key}',
  needs: 'an admin key with write access to Projects',
};

export interface OpenAiAdminOptions {
  transport: Transport;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  retries?: number;
  onRequest?: () => void;
}

/** The admin API handle for one admin key. */
export function openAiAdmin(adminKey: string, options: OpenAiAdminOptions): AdminApi {
  return { name: 'OpenAI', host: OPENAI_API_HOST, headers: { authorization: `Bearer ${adminKey}` }, ...options };
}

/** OpenAI's list pages give `last_id` (projects, project keys) or only the items (admin keys). */
function nextCursor(page: Record<string, unknown>, data: unknown[]): string | undefined {
  if (page['has_more'] !== true) return undefined;
  const last = page['last_id'] ?? (data[data.length - 1] as { id?: unknown } | undefined)?.id;
  return typeof last === 'string' && last !== '' ? last : undefined;
}

const withCursor = (path: string, cursor: string | undefined): string =>
  `${path}${path.includes('?') ? '&' : '?'}limit=${PAGE_LIMIT}${cursor !== undefined ? `&after=${encodeURIComponent(cursor)}` : ''}`;

/**
 * Reads the organization's inventory: every project's API keys (with their owners, and whether a
 * service-account owner still exists), the admin keys, and with `usage` the model requests per key per
 * day over the last 35 days. A listing that fails is a problem line, not an exception, unless nothing
 * at all could be read.
 */
export async function readOpenAiInventory(api: AdminApi, options: { now: Date; usage: boolean }): Promise<ProviderInventory> {
  const problems: string[] = [];
  const projects = (await listAll(api, PROJECTS, (c) => withCursor('/v1/organization/projects', c), nextCursor)).map((p) => asObject(api, PROJECTS, p));
  const keys: InventoryKey[] = [];
  for (const project of projects) {
    const id = str(project['id']);
    const name = str(project['name']) || id;
    const base = `/v1/organization/projects/${encodeURIComponent(id)}`;
    try {
      const accounts = await listAll(api, SERVICE_ACCOUNTS, (c) => withCursor(`${base}/service_accounts`, c), nextCursor);
      const accountIds = new Set(accounts.map((a) => str(asObject(api, SERVICE_ACCOUNTS, a)['id'])));
      const raw = await listAll(api, PROJECT_KEYS, (c) => withCursor(`${base}/api_keys`, c), nextCursor);
      for (const item of raw) keys.push(projectKey(asObject(api, PROJECT_KEYS, item), { id, name }, accountIds, options.now));
    } catch (error) {
      if (!(error instanceof AdminApiError)) throw error;
      problems.push(`Project ${name}: ${error.message}`);
    }
  }
  try {
    const admins = await listAll(api, ADMIN_KEYS, (c) => withCursor('/v1/organization/admin_api_keys', c), nextCursor);
    for (const item of admins) keys.push(adminKey(asObject(api, ADMIN_KEYS, item)));
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    problems.push(error.message);
  }
  let usageRead = false;
  if (options.usage) {
    try {
      const byKey = await readUsage(api, options.now);
      for (const key of keys) if (key.kind === 'api') key.requestsByDay = byKey.get(key.id) ?? {};
      usageRead = true;
    } catch (error) {
      if (!(error instanceof AdminApiError)) throw error;
      problems.push(error.message);
    }
  }
  return { provider: 'openai', keys, problems, usageRead };
}

function projectKey(raw: Record<string, unknown>, project: { id: string; name: string }, serviceAccounts: ReadonlySet<string>, now: Date): InventoryKey {
  const owner = (raw['owner'] ?? {}) as { type?: unknown; user?: Record<string, unknown>; service_account?: Record<string, unknown> };
  const key: InventoryKey = {
    provider: 'openai',
    kind: 'api',
    id: str(raw['id']),
    name: str(raw['name']),
    project,
    createdAt: fromUnix(raw['created_at']) ?? '',
    lastUsedAt: raw['last_used_at'] === null ? null : fromUnix(raw['last_used_at']) ?? null,
    status: 'active',
  };
  const hint = str(raw['redacted_value']);
  if (hint !== '') key.hint = hint;
  if (owner.type === 'service_account' || owner.service_account !== undefined) {
    key.ownerType = 'service_account';
    const sa = owner.service_account ?? {};
    key.owner = str(sa['name']) || str(sa['id']);
  } else if (owner.user !== undefined) {
    key.ownerType = 'user';
    key.owner = str(owner.user['email']) || str(owner.user['name']) || str(owner.user['id']);
  }
  let access: InventoryKey['ownerAccess'] = raw['owner_project_access'] === 'inactive' ? 'inactive' : raw['owner_project_access'] === 'active' ? 'active' : undefined;
  // A key whose service account is gone from the project has no one left to answer for it.
  const saId = str(owner.service_account?.['id']);
  if (key.ownerType === 'service_account' && saId !== '' && !serviceAccounts.has(saId)) access = 'inactive';
  if (access !== undefined) key.ownerAccess = access;
  const expires = fromUnix(raw['expires_at']);
  if (expires !== undefined && Date.parse(expires) <= now.getTime()) key.status = 'expired';
  return key;
}

function adminKey(raw: Record<string, unknown>): InventoryKey {
  const owner = (raw['owner'] ?? {}) as Record<string, unknown>;
  const key: InventoryKey = {
    provider: 'openai',
    kind: 'admin',
    id: str(raw['id']),
    name: str(raw['name']) || str(raw['id']),
    createdAt: fromUnix(raw['created_at']) ?? '',
    status: 'active',
  };
  if (raw['last_used_at'] !== undefined) key.lastUsedAt = raw['last_used_at'] === null ? null : fromUnix(raw['last_used_at']) ?? null;
  const hint = str(raw['redacted_value']);
  if (hint !== '') key.hint = hint;
  const ownerName = str(owner['name']) || str(owner['id']);
  if (ownerName !== '') key.owner = ownerName;
  return key;
}

/** Model requests per key per UTC day, from the completions usage API grouped by key, daily buckets. */
async function readUsage(api: AdminApi, now: Date): Promise<Map<string, Record<string, number>>> {
  const end = Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS;
  const start = end - USAGE_WINDOW_DAYS * DAY_MS;
  const path = (page: string | undefined): string =>
    `/v1/organization/usage/completions?start_time=${start / 1000}&end_time=${end / 1000}&bucket_width=1d&group_by=api_key_id&limit=${USAGE_PAGE_DAYS}` +
    (page !== undefined ? `&page=${encodeURIComponent(page)}` : '');
  const buckets = await listAll(api, USAGE, path, (page) => (page['has_more'] === true && typeof page['next_page'] === 'string' && page['next_page'] !== '' ? page['next_page'] : undefined));
  const byKey = new Map<string, Record<string, number>>();
  for (const raw of buckets) {
    const bucket = asObject(api, USAGE, raw);
    const day = fromUnix(bucket['start_time'])?.slice(0, 10);
    const results = bucket['results'];
    if (day === undefined || !Array.isArray(results)) throw new AdminApiError(`OpenAI sent an unexpected usage bucket on ${USAGE.label}.`);
    for (const r of results) {
      const result = asObject(api, USAGE, r);
      const keyId = result['api_key_id'];
      const requests = result['num_model_requests'];
      if (typeof keyId !== 'string' || typeof requests !== 'number') continue;
      const days = byKey.get(keyId) ?? {};
      days[day] = (days[day] ?? 0) + requests;
      byKey.set(keyId, days);
    }
  }
  return byKey;
}

/** Deletes a project API key at OpenAI (what `revoke-leaked` does). */
export async function deleteOpenAiKey(api: AdminApi, projectId: string, keyId: string): Promise<void> {
  const body = asObject(
    api,
    DELETE_KEY,
    await adminRequest(api, {
      method: 'DELETE',
      path: `/v1/organization/projects/${encodeURIComponent(projectId)}/api_keys/${encodeURIComponent(keyId)}`,
      endpoint: DELETE_KEY,
    }),
  );
  if (body['deleted'] !== true) throw new AdminApiError(`OpenAI did not confirm the deletion on ${DELETE_KEY.label}.`);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function fromUnix(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000).toISOString() : undefined;
}
