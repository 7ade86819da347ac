import type { InventoryKey, ProviderInventory } from '../inventory/types.js';
import type { Transport } from '../verify/types.js';
import { AdminApiError, adminRequest, asObject, listAll, type AdminApi, type EndpointInfo } from './admin-http.js';

/**
 * Anthropic's Admin API: the organization's API keys and workspaces. Shapes follow the
 * `@anthropic-ai/sdk` types (resources/organization); the fakes in __tests__ are checked against them.
 */

export const ANTHROPIC_API_HOST = 'api.anthropic.com';
/** The API version the SDK's types describe. */
const ANTHROPIC_VERSION = '2023-06-01';
/** Anthropic's largest page. */
const PAGE_LIMIT = 1000;

// Console admin keys carry no finer scopes: any key an organization admin creates there reads everything.
const ADMIN = 'an Admin API key (sk-ant-admin…) created by an organization admin; a regular API key cannot call the Admin API';
const KEYS: EndpointInfo = { label: 'GET /v1/organizations/api_keys', needs: ADMIN };
const WORKSPACES: EndpointInfo = { label: 'GET /v1/organizations/workspaces', needs: ADMIN };
const UPDATE_KEY: EndpointInfo = { label: 'POST /v1/organizations/api_keys/{id}', needs: ADMIN };

export interface AnthropicAdminOptions {
  transport: Transport;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  retries?: number;
  onRequest?: () => void;
}

/** The admin API handle for one admin key. */
export function anthropicAdmin(adminKey: string, options: AnthropicAdminOptions): AdminApi {
  return { name: 'Anthropic', host: ANTHROPIC_API_HOST, headers: { 'x-api-key': adminKey, 'anthropic-version': ANTHROPIC_VERSION }, ...options };
}

/** Anthropic pages carry `last_id`; the next page starts after it. */
function nextCursor(page: Record<string, unknown>): string | undefined {
  const last = page['last_id'];
  return page['has_more'] === true && typeof last === 'string' && last !== '' ? last : undefined;
}

const withCursor = (path: string, cursor: string | undefined): string =>
  `${path}?limit=${PAGE_LIMIT}${cursor !== undefined ? `&after_id=${encodeURIComponent(cursor)}` : ''}`;

/**
 * Reads the organization's API keys with their workspaces. Anthropic reports neither last use nor
 * usage per key here, so those flags apply to OpenAI keys only.
 */
export async function readAnthropicInventory(api: AdminApi): Promise<ProviderInventory> {
  const problems: string[] = [];
  const names = new Map<string, string>();
  try {
    for (const raw of await listAll(api, WORKSPACES, (c) => withCursor('/v1/organizations/workspaces', c), nextCursor)) {
      const ws = asObject(api, WORKSPACES, raw);
      if (typeof ws['id'] === 'string') names.set(ws['id'], typeof ws['name'] === 'string' ? ws['name'] : ws['id']);
    }
  } catch (error) {
    // A key the API does not accept at all will not list keys either: say so once.
    if (!(error instanceof AdminApiError) || error.status === 401) throw error;
    problems.push(`${error.message} Keys are shown with workspace ids.`);
  }
  const keys = (await listAll(api, KEYS, (c) => withCursor('/v1/organizations/api_keys', c), nextCursor)).map((raw) => apiKey(asObject(api, KEYS, raw), names));
  return { provider: 'anthropic', keys, problems, usageRead: false };
}

const STATUSES = new Set(['active', 'inactive', 'archived', 'expired']);

function apiKey(raw: Record<string, unknown>, workspaces: ReadonlyMap<string, string>): InventoryKey {
  const id = typeof raw['id'] === 'string' ? raw['id'] : '';
  const status = typeof raw['status'] === 'string' && STATUSES.has(raw['status']) ? (raw['status'] as InventoryKey['status']) : 'active';
  const key: InventoryKey = {
    provider: 'anthropic',
    kind: 'api',
    id,
    name: typeof raw['name'] === 'string' ? raw['name'] : id,
    createdAt: typeof raw['created_at'] === 'string' ? raw['created_at'] : '',
    status,
  };
  if (typeof raw['partial_key_hint'] === 'string' && raw['partial_key_hint'] !== '') key.hint = raw['partial_key_hint'];
  // The SDK describes the workspace as `scope.workspace_id`; older answers carried a top-level `workspace_id`.
  const scope = raw['scope'] as { type?: unknown; workspace_id?: unknown } | null | undefined;
  const workspaceId = typeof scope?.workspace_id === 'string' ? scope.workspace_id : typeof raw['workspace_id'] === 'string' ? raw['workspace_id'] : undefined;
  key.project = workspaceId === undefined ? { id: 'default', name: 'Default workspace' } : { id: workspaceId, name: workspaces.get(workspaceId) ?? workspaceId };
  const createdBy = raw['created_by'] as { id?: unknown; type?: unknown } | null | undefined;
  if (typeof createdBy?.id === 'string') {
    key.owner = createdBy.id;
    key.ownerType = createdBy.type === 'service_account' ? 'service_account' : 'user';
  }
  return key;
}

/**
 * Deactivates an API key at Anthropic (what `revoke-leaked` does): the Admin API has no delete, and an
 * inactive key stops working at once.
 */
export async function deactivateAnthropicKey(api: AdminApi, keyId: string): Promise<void> {
  const body = asObject(
    api,
    UPDATE_KEY,
    await adminRequest(api, { method: 'POST', path: `/v1/organizations/api_keys/${encodeURIComponent(keyId)}`, body: { status: 'inactive' }, endpoint: UPDATE_KEY }),
  );
  if (body['status'] !== 'inactive') throw new AdminApiError(`Anthropic did not confirm the deactivation on ${UPDATE_KEY.label}.`);
}
