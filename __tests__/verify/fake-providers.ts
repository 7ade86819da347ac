import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signV4 } from '../../src/verify/sigv4.js';
import type { Transport } from '../../src/verify/types.js';

/**
 * One local HTTP server standing in for every provider's API. The test transport rewrites
 * `https://<host>/<path>` to `http://127.0.0.1:<port>/<host>/<path>` and records the URL it was asked for,
 * so tests can check where each key would have gone. Each host answers as its provider documents.
 */

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Answer only after this many milliseconds (timeout tests). */
  delayMs?: number;
}

export interface Received {
  host: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

type KeyState = 'live' | 'revoked' | 'limited';

/** How each fake provider answers a live, a limited (authenticated but lacking a permission) and a dead key. */
const PROFILES: Record<string, (state: KeyState | undefined) => Reply> = {
  'api.github.com': (s) => (s === 'live' ? { status: 200, body: { login: 'octo' } } : s === 'limited' ? { status: 403, body: { message: 'Resource not accessible by integration' } } : { status: 401, body: { message: 'Bad credentials' } }),
  'gitlab.com': (s) => (s === 'live' ? { status: 200, body: { active: true } } : { status: 401, body: { message: '401 Unauthorized' } }),
  'api.openai.com': (s) =>
    s === 'live'
      ? { status: 200, body: { data: [] } }
      : s === 'limited'
        ? { status: 401, body: { error: { message: 'You have insufficient permissions for this operation. Missing scopes: api.model.read.', code: null } } }
        : { status: 401, body: { error: { message: 'Incorrect API key provided.', code: 'invalid_api_key' } } },
  'api.anthropic.com': (s) => (s === 'live' ? { status: 200, body: { data: [] } } : s === 'limited' ? { status: 403, body: { type: 'error', error: { type: 'permission_error' } } } : { status: 401, body: { type: 'error', error: { type: 'authentication_error' } } }),
  'huggingface.co': (s) => (s === 'live' ? { status: 200, body: { name: 'someone' } } : { status: 401, body: { error: 'Invalid credentials' } }),
  'api.groq.com': (s) => (s === 'live' ? { status: 200, body: { data: [] } } : { status: 401, body: { error: { code: 'invalid_api_key' } } }),
  'api.mistral.ai': (s) => (s === 'live' ? { status: 200, body: { data: [] } } : { status: 401, body: { message: 'Unauthorized' } }),
  'api.deepseek.com': (s) => (s === 'live' ? { status: 200, body: { data: [] } } : { status: 401, body: { error: { type: 'authentication_error' } } }),
  'api.x.ai': (s) => (s === 'live' ? { status: 200, body: { api_key_disabled: false, api_key_blocked: false, team_blocked: false } } : s === 'limited' ? { status: 200, body: { api_key_disabled: true, api_key_blocked: false, team_blocked: false } } : { status: 400, body: { error: 'Incorrect API key provided' } }),
  'openrouter.ai': (s) => (s === 'live' ? { status: 200, body: { data: { usage: 0 } } } : { status: 401, body: { error: { code: 401 } } }),
  'sts.amazonaws.com': (s) =>
    s === 'live'
      ? { status: 200, body: '<GetCallerIdentityResponse><GetCallerIdentityResult><Account>000000000000</Account></GetCallerIdentityResult></GetCallerIdentityResponse>' }
      : s === 'limited'
        ? { status: 403, body: '<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>' }
        : { status: 403, body: '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code></Error></ErrorResponse>' },
  'api.stripe.com': (s) => (s === 'live' ? { status: 200, body: { object: 'balance' } } : s === 'limited' ? { status: 403, body: { error: { type: 'invalid_request_error' } } } : { status: 401, body: { error: { type: 'invalid_request_error' } } }),
  'slack.com': (s) => (s === 'live' ? { status: 200, body: { ok: true } } : s === 'limited' ? { status: 200, body: { ok: false, error: 'token_revoked' } } : { status: 200, body: { ok: false, error: 'invalid_auth' } }),
  'api.sendgrid.com': (s) => (s === 'live' ? { status: 200, body: { scopes: [] } } : s === 'limited' ? { status: 403, body: { errors: [] } } : { status: 401, body: { errors: [{ message: 'authorization required' }] } }),
  'discord.com': (s) => (s === 'live' ? { status: 200, body: { id: '1' } } : { status: 401, body: { message: '401: Unauthorized' } }),
  'registry.npmjs.org': (s) => (s === 'live' ? { status: 200, body: { username: 'someone' } } : { status: 401, body: { error: 'unauthorized' } }),
};

/** The credential a request carries, in whichever header its provider uses. */
function credentialOf(headers: Record<string, string>): string | undefined {
  const auth = headers['authorization'];
  if (auth?.startsWith('AWS4-HMAC-SHA256 ')) return /Credential=([^/]+)\//.exec(auth)?.[1];
  if (auth !== undefined) return auth.replace(/^(Bearer|token|Bot) /, '');
  return headers['x-api-key'] ?? headers['private-token'];
}

export class FakeProviders {
  private server: Server | undefined;
  private base = '';
  /** Key -> state; a key not listed is unknown to every provider (dead). */
  readonly keys = new Map<string, KeyState>();
  /** AWS access key id -> the secret the fake expects the signature to be made with. */
  readonly awsSecrets = new Map<string, string>();
  /** Host -> a fixed reply, overriding the profile (rate limits, outages, slowness). */
  readonly overrides = new Map<string, Reply>();
  /** Called for each request before it is answered, e.g. to advance a fake clock. */
  onRequest: (r: Received) => void = () => {};
  readonly received: Received[] = [];
  readonly sent: Sent[] = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then((reply) => {
        const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
        res.writeHead(reply.status, { 'content-type': typeof reply.body === 'string' ? 'text/xml' : 'application/json', ...reply.headers });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  reset(): void {
    this.keys.clear();
    this.awsSecrets.clear();
    this.overrides.clear();
    this.received.length = 0;
    this.sent.length = 0;
    this.onRequest = () => {};
  }

  /** The transport a test hands the verifier: records the requested URL, then sends it here instead. */
  readonly transport: Transport = (url, init) => {
    const target = new URL(url);
    this.sent.push({ url, method: init.method, headers: { ...init.headers }, ...(init.body === undefined ? {} : { body: init.body }) });
    return fetch(`${this.base}/${target.hostname}${target.pathname}${target.search}`, init);
  };

  private async handle(req: IncomingMessage): Promise<Reply> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const [, host = '', ...rest] = (req.url ?? '/').split('/');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const received: Received = { host, method: req.method ?? 'GET', path: `/${rest.join('/')}`, headers, body: Buffer.concat(chunks).toString('utf8') };
    this.received.push(received);
    this.onRequest(received);
    const override = this.overrides.get(host);
    const reply: Reply = override ?? (PROFILES[host] ?? (() => ({ status: 404 })))(this.stateOf(received));
    if (reply.delayMs !== undefined) await new Promise((r) => setTimeout(r, reply.delayMs));
    return reply;
  }

  private stateOf(r: Received): KeyState | undefined {
    const key = credentialOf(r.headers);
    if (key === undefined) return undefined;
    const state = this.keys.get(key);
    if (r.host !== 'sts.amazonaws.com' || state !== 'live') return state;
    // Recompute the signature with the secret this key id really has: a pair whose halves do not belong
    // together answers as AWS does, with SignatureDoesNotMatch.
    const date = r.headers['x-amz-date'] ?? '';
    const when = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
    const expected = signV4(
      { method: r.method, url: new URL(`https://sts.amazonaws.com${r.path}`), headers: { 'content-type': r.headers['content-type'] ?? '', 'x-amz-date': date }, body: r.body },
      { accessKeyId: key, secretAccessKey: this.awsSecrets.get(key) ?? '' },
      { region: 'us-east-1', service: 'sts', date: when },
    );
    return expected.headers['authorization'] === r.headers['authorization'] ? 'live' : 'limited';
  }
}
