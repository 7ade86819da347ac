import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIKey as AnthropicKey } from '@anthropic-ai/sdk/resources/organization/api-keys';
import type { ErrorResponse as AnthropicError } from '@anthropic-ai/sdk/resources/shared';
import type { Workspace } from '@anthropic-ai/sdk/resources/organization/workspaces/workspaces';
import type { AdminAPIKey } from 'openai/resources/admin/organization/admin-api-keys';
import type { APIKeyDeleteResponse, ProjectAPIKey } from 'openai/resources/admin/organization/projects/api-keys';
import type { Project } from 'openai/resources/admin/organization/projects/projects';
import type { ProjectServiceAccount } from 'openai/resources/admin/organization/projects/service-accounts/service-accounts';
import type { UsageCompletionsResponse } from 'openai/resources/admin/organization/usage';
import type { Transport } from '../../src/verify/types.js';

/**
 * Local stand-ins for OpenAI's and Anthropic's admin APIs on 127.0.0.1. Requests arrive as
 * `http://127.0.0.1:<port>/<official host>/<path>` (see `transport` and reroute.mjs), so the code under
 * test still builds, and guards, the official URLs. Every body the fakes send is typed with the
 * providers' own SDK types: a fixture of the wrong shape fails `npm run typecheck`.
 */

/** OpenAI's cursor page (`ConversationCursorPage`): `last_id` is the next `after`. */
interface OpenAiPage<T> {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** Anthropic's `Page` response: `last_id` is the next `after_id`. */
interface AnthropicPage<T> {
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** OpenAI's error body. */
interface OpenAiError {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface OpenAiOrg {
  adminKey: string;
  projects: Project[];
  keys: Record<string, ProjectAPIKey[]>;
  serviceAccounts: Record<string, ProjectServiceAccount[]>;
  adminKeys: AdminAPIKey[];
  /** Daily buckets, oldest first. */
  usage: UsageCompletionsResponse.Data[];
}

export interface AnthropicOrg {
  adminKey: string;
  apiKeys: AnthropicKey[];
  workspaces: Workspace[];
}

/** A canned answer, served once instead of the normal one (429s, 5xx, timeouts). */
export interface Fault {
  host: string;
  /** Paths starting with this. */
  path: string;
  status: number;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface ProviderRequest {
  host: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export const OPENAI_HOST = 'api.openai.com';
export const ANTHROPIC_HOST = 'api.anthropic.com';

export class FakeProviderApis {
  readonly requests: ProviderRequest[] = [];
  /** Served first, in order, to the first matching request each. */
  readonly faults: Fault[] = [];
  /** Path prefixes (per host) answered 403: the admin key lacks that permission. */
  readonly forbidden = new Set<string>();
  /** Items per page at most, whatever `limit` asks: small, so pagination is exercised. */
  pageSize = 2;
  private server: Server | undefined;
  url = '';

  constructor(
    public openai: OpenAiOrg,
    public anthropic: AnthropicOrg,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  /** A transport for in-process tests: the official URL, rerouted to this server. */
  transport: Transport = async (url, init) => {
    const u = new URL(url);
    return fetch(`${this.url}/${u.hostname}${u.pathname}${u.search}`, { ...init, redirect: 'manual' });
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const [, host = '', ...rest] = url.pathname.split('/');
    const path = `/${rest.join('/')}`;
    const request: ProviderRequest = { host, method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    this.requests.push(request);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const fault = this.faults.findIndex((f) => f.host === host && path.startsWith(f.path));
    if (fault !== -1) {
      const [f] = this.faults.splice(fault, 1) as [Fault];
      if (f.delayMs !== undefined) await new Promise((r) => setTimeout(r, f.delayMs));
      send(f.status, host === OPENAI_HOST ? openAiError('fault', 'server_error') : anthropicError('api_error', 'fault'), f.headers);
      return;
    }
    if (host === OPENAI_HOST) return this.openAi(request, send);
    if (host === ANTHROPIC_HOST) return this.anthropicApi(request, send);
    send(404, { error: 'unknown host' });
  }

  private openAi(req: ProviderRequest, send: (status: number, body: unknown) => void): void {
    if (req.headers['authorization'] !== `Bearer ${this.openai.adminKey}`) return send(401, openAiError('Incorrect API key provided.', 'invalid_api_key'));
    if ([...this.forbidden].some((p) => `${OPENAI_HOST}${req.path}`.startsWith(p))) {
      return send(403, openAiError('You have insufficient permissions for this operation.', 'insufficient_permissions'));
    }
    const org = this.openai;
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && req.path === '/v1/organization/projects') return send(200, this.openAiPage(org.projects, req));
    if (req.method === 'GET' && req.path === '/v1/organization/admin_api_keys') return send(200, this.openAiPage(org.adminKeys, req));
    if (req.method === 'GET' && (m = /^\/v1\/organization\/projects\/([^/]+)\/api_keys$/.exec(req.path))) {
      return send(200, this.openAiPage(org.keys[decodeURIComponent(m[1]!)] ?? [], req));
    }
    if (req.method === 'GET' && (m = /^\/v1\/organization\/projects\/([^/]+)\/service_accounts$/.exec(req.path))) {
      return send(200, this.openAiPage(org.serviceAccounts[decodeURIComponent(m[1]!)] ?? [], req));
    }
    if (req.method === 'DELETE' && (m = /^\/v1\/organization\/projects\/([^/]+)\/api_keys\/([^/]+)$/.exec(req.path))) {
      const list = org.keys[decodeURIComponent(m[1]!)] ?? [];
      const i = list.findIndex((k) => k.id === decodeURIComponent(m![2]!));
      if (i === -1) return send(404, openAiError('No such API key.', 'not_found'));
      list.splice(i, 1);
      const body: APIKeyDeleteResponse = { id: decodeURIComponent(m[2]!), deleted: true, object: 'organization.project.api_key.deleted' };
      return send(200, body);
    }
    if (req.method === 'GET' && req.path === '/v1/organization/usage/completions') {
      const start = Number(req.query.get('start_time'));
      const end = Number(req.query.get('end_time') ?? Infinity);
      if (req.query.get('bucket_width') !== '1d' || !req.query.getAll('group_by').includes('api_key_id') || !Number.isFinite(start)) {
        return send(400, openAiError('bad usage query', 'invalid_request'));
      }
      const buckets = org.usage.filter((b) => b.start_time >= start && b.start_time < end);
      const from = Number(req.query.get('page') ?? 0);
      const size = Math.min(this.pageSize, Number(req.query.get('limit') ?? 7));
      const data = buckets.slice(from, from + size);
      const more = from + size < buckets.length;
      const body: UsageCompletionsResponse = { object: 'page', data, has_more: more, next_page: more ? String(from + size) : null };
      return send(200, body);
    }
    send(404, openAiError('Unknown route.', 'not_found'));
  }

  private openAiPage<T extends { id: string }>(items: readonly T[], req: ProviderRequest): OpenAiPage<T> {
    const after = req.query.get('after');
    const from = after === null ? 0 : items.findIndex((i) => i.id === after) + 1;
    const size = Math.min(this.pageSize, Number(req.query.get('limit') ?? 20));
    const data = items.slice(from, from + size);
    return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: from + size < items.length };
  }

  private anthropicApi(req: ProviderRequest, send: (status: number, body: unknown) => void): void {
    if (req.headers['x-api-key'] !== this.anthropic.adminKey) return send(401, anthropicError('authentication_error', 'invalid x-api-key'));
    if (req.headers['anthropic-version'] !== '2023-06-01') return send(400, anthropicError('invalid_request_error', 'anthropic-version header is required'));
    if ([...this.forbidden].some((p) => `${ANTHROPIC_HOST}${req.path}`.startsWith(p))) return send(403, anthropicError('permission_error', 'not allowed'));
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && req.path === '/v1/organizations/api_keys') return send(200, this.anthropicPage(this.anthropic.apiKeys, req));
    if (req.method === 'GET' && req.path === '/v1/organizations/workspaces') return send(200, this.anthropicPage(this.anthropic.workspaces, req));
    if (req.method === 'POST' && (m = /^\/v1\/organizations\/api_keys\/([^/]+)$/.exec(req.path))) {
      const key = this.anthropic.apiKeys.find((k) => k.id === decodeURIComponent(m![1]!));
      if (key === undefined) return send(404, anthropicError('not_found_error', 'no such key'));
      const update = JSON.parse(req.body) as { status?: AnthropicKey['status'] };
      if (update.status !== undefined) key.status = update.status;
      return send(200, key);
    }
    send(404, anthropicError('not_found_error', 'unknown route'));
  }

  private anthropicPage<T extends { id: string }>(items: readonly T[], req: ProviderRequest): AnthropicPage<T> {
    const after = req.query.get('after_id');
    const from = after === null ? 0 : items.findIndex((i) => i.id === after) + 1;
    const size = Math.min(this.pageSize, Number(req.query.get('limit') ?? 20));
    const data = items.slice(from, from + size);
    return { data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: from + size < items.length };
  }
}

function openAiError(message: string, code: string): OpenAiError {
  return { error: { message, type: 'invalid_request_error', param: null, code } };
}

function anthropicError(type: AnthropicError['error']['type'], message: string): AnthropicError {
  return { type: 'error', error: { type, message } as AnthropicError['error'], request_id: null };
}

/** Starts both fakes on one local port. */
export async function startFakeProviders(openai: OpenAiOrg, anthropic: AnthropicOrg): Promise<FakeProviderApis> {
  return new FakeProviderApis(openai, anthropic).start();
}
