/**
 * A local fake of the GitHub REST API (node:http on 127.0.0.1, ephemeral port) for the endpoints
 * key-hygiene uses. It answers from an in-memory {@link FakeState}, logs every request, paginates
 * with real `Link` headers, enforces GitHub's documented caps, and can inject faults.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import { Faults, type FaultSpec } from './faults.js';
import {
  FAKE_EPOCH,
  FakeState,
  fakeSha,
  gitBlobSha,
  type FakeAnnotation,
  type FakeCheckRun,
  type FakeComment,
  type FakeCommit,
  type FakeFile,
  type FakeInit,
  type FakeIssue,
  type FakeLabel,
  type FakeOrgSecret,
  type FakePull,
  type FakeRepo,
  type FakeSecret,
  type FakeSnapshot,
  type FakeUser,
  type FakeVariable,
} from './state.js';

/** One request as the fake saw it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, percent-decoded. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
  /** Status sent (the injected one when a fault fired); 0 until the response starts. */
  status: number;
  /** The fault that altered this response, if any. */
  fault?: FaultSpec['fault'];
}

export interface FakeGitHub {
  /** Base URL, e.g. `http://127.0.0.1:41234`: use it as `baseUrl` and `GITHUB_API_URL`. */
  url: string;
  state: FakeState;
  /** Every request so far, in arrival order. */
  requests: RecordedRequest[];
  faults: Faults;
  close(): Promise<void>;
}

// GitHub's caps, as its REST docs state them.
/** The PR files list stops at 3,000 files. */
export const PR_FILES_CAP = 3000;
/** The PR commits list stops at 250 commits. */
export const PR_COMMITS_CAP = 250;
/** A single commit lists at most 300 files per page and 3,000 in all. */
const COMMIT_FILES_PER_PAGE = 300;
/** Check-run requests carry at most 50 annotations. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Check-run output summary and text are limited to 65,535 characters. */
const CHECK_OUTPUT_MAX = 65535;
/** Issue and comment bodies are limited to 65,536 characters. */
const BODY_MAX = 65536;
/** Contents API returns base64 content only up to 1 MiB; larger files need the raw media type. */
const CONTENTS_INLINE_MAX = 1024 * 1024;
/** A comparison lists at most 300 files and, unpaginated, the last 250 commits. */
const COMPARE_FILES_CAP = 300;
const COMPARE_COMMITS_UNPAGED = 250;

const DOCS = 'https://docs.github.com/rest';

interface Reply {
  status: number;
  body?: unknown;
  /** Sent as-is instead of JSON. */
  raw?: string | Uint8Array;
  /** Streamed as the body (an archive), made when the reply is sent. */
  stream?: () => Readable;
  headers?: Record<string, string>;
}

interface Ctx {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  /** `http://host:port` as the client addressed it, for URLs in bodies and `Link`. */
  base: string;
  state: FakeState;
}

type Handler = (ctx: Ctx) => Reply;
type RepoHandler = (ctx: Ctx, repo: FakeRepo) => Reply;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

/**
 * Starts the fake on an ephemeral port. Seed it through `init` or later through `state`.
 * Every request must carry `Authorization: token …` (or `Bearer …`), as `getOctokit` sends.
 */
export async function startFakeGitHub(init?: FakeInit): Promise<FakeGitHub> {
  const state = new FakeState(init);
  const requests: RecordedRequest[] = [];
  const faults = new Faults();
  const sockets = new Set<Socket>();
  let served = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { message: `fake GitHub crashed: ${String(err)}`, documentation_url: DOCS } });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const method = (req.method ?? 'GET').toUpperCase();
    const path = safeDecode(url.pathname);
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = { method, path, query, headers, body: undefined, status: 0 };
    requests.push(record);

    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
        if ((headers['content-type'] ?? '').includes('json')) {
          record.body = raw;
          return finish(res, record, { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } });
        }
      }
    }
    record.body = body;
    served++;
    const rateHeaders = {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(Math.max(0, 5000 - served)),
      'x-ratelimit-used': String(served),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
    };

    const fault = faults.take(method, path);
    if (fault !== undefined) {
      record.fault = fault.fault;
      const injected = injectedReply(fault, rateHeaders);
      if (injected !== undefined) return finish(res, record, injected);
      if (fault.fault === 'socket-reset') {
        if (fault.when === 'before-headers') {
          res.socket?.destroy();
          return;
        }
        record.status = 200;
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': '4096' });
        res.write('{"partial": [');
        // Give the headers and partial body time to reach the client before the socket dies.
        setTimeout(() => res.destroy(), 20);
        return;
      }
      if (fault.fault === 'malformed-json') {
        record.status = 200;
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...rateHeaders });
        res.end('{"total_count": 3, "items": [{"name": "a"},');
        return;
      }
      if (fault.fault === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    }

    // The archive host takes no Authorization header: a private repository's link carries its own token.
    const reply = (path.startsWith(CODELOAD_PREFIX) ? undefined : authorize(headers, state)) ?? route({ method, path, params: {}, query, headers, body, base: `http://${headers['host'] ?? '127.0.0.1'}`, state });
    reply.headers = { ...rateHeaders, ...reply.headers };
    if (fault?.fault === 'link-stops-early' && reply.headers['link'] !== undefined) {
      reply.headers['link'] = reply.headers['link']
        .split(', ')
        .filter((part) => !/rel="(next|last)"/.test(part))
        .join(', ');
    }
    if (fault?.fault === 'link-elsewhere' && reply.headers['link'] !== undefined) {
      reply.headers['link'] = reply.headers['link'].replace(/<https?:\/\/[^/>]+/g, `<${fault.origin}`);
    }
    finish(res, record, reply);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function finish(res: ServerResponse, record: RecordedRequest, reply: Reply): void {
  record.status = reply.status;
  send(res, reply);
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { 'x-github-request-id': fakeSha(String(Math.random())).slice(0, 16).toUpperCase(), ...reply.headers };
  if (reply.stream !== undefined) {
    res.writeHead(reply.status, headers);
    const body = reply.stream();
    body.on('error', () => res.destroy());
    body.pipe(res);
    return;
  }
  if (reply.status === 204 || (reply.body === undefined && reply.raw === undefined)) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = reply.raw ?? JSON.stringify(reply.body);
  headers['content-type'] ??= 'application/json; charset=utf-8';
  res.writeHead(reply.status, headers);
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Replies for the faults that replace the response entirely; undefined for the others. */
function injectedReply(fault: FaultSpec, rateHeaders: Record<string, string>): Reply | undefined {
  switch (fault.fault) {
    case 'status':
      return { status: fault.status, body: { message: fault.message ?? defaultMessage(fault.status), documentation_url: DOCS } };
    case 'secondary-rate-limit':
      return {
        status: fault.status ?? 403,
        headers: { 'retry-after': String(fault.retryAfter ?? 60), ...rateHeaders },
        body: {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
      };
    case 'primary-rate-limit':
      return {
        status: fault.status ?? 403,
        headers: {
          ...rateHeaders,
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '5000',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + (fault.resetInSeconds ?? 60)),
        },
        body: {
          message: 'API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit',
        },
      };
    default:
      return undefined;
  }
}

function defaultMessage(status: number): string {
  const messages: Record<number, string> = {
    401: 'Bad credentials',
    403: 'Resource not accessible by integration',
    404: 'Not Found',
    409: 'Conflict',
    422: 'Validation Failed',
    500: 'Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
  };
  return messages[status] ?? 'Error';
}

function authorize(headers: Record<string, string>, state: FakeState): Reply | undefined {
  const auth = headers['authorization'];
  const token = auth === undefined ? undefined : /^(?:token|bearer)\s+(\S+)$/i.exec(auth)?.[1];
  if (token === undefined) return { status: 401, body: { message: 'Requires authentication', documentation_url: DOCS } };
  if (state.tokens !== undefined && !state.tokens.includes(token)) return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS } };
  return undefined;
}

// ---------------------------------------------------------------- replies and pagination

function json(body: unknown, status = 200): Reply {
  return { status, body };
}

function notFound(message = 'Not Found'): Reply {
  return { status: 404, body: { message, documentation_url: DOCS } };
}

function invalid(message: string, errors?: unknown[]): Reply {
  return { status: 422, body: { message, ...(errors === undefined ? {} : { errors }), documentation_url: DOCS } };
}

interface PageOpts {
  defaultPerPage?: number;
  maxPerPage?: number;
  /** GitHub stops listing past this many items. */
  cap?: number;
}

/** Slices `items` by `page`/`per_page` and builds GitHub's `Link` header from the request's own URL. */
function paginate<T>(ctx: Ctx, items: readonly T[], opts: PageOpts = {}): { items: T[]; headers: Record<string, string> } {
  const all = opts.cap === undefined ? items : items.slice(0, opts.cap);
  const perPage = clampInt(ctx.query['per_page'], opts.defaultPerPage ?? 30, 1, opts.maxPerPage ?? 100);
  const page = clampInt(ctx.query['page'], 1, 1, Number.MAX_SAFE_INTEGER);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const link = (p: number, rel: string): string => {
    const q = new URLSearchParams(ctx.query);
    q.set('page', String(p));
    return `<${ctx.base}${encodePath(ctx.path)}?${q.toString()}>; rel="${rel}"`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) parts.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) parts.push(link(1, 'first'));
  return {
    items: all.slice((page - 1) * perPage, page * perPage),
    headers: parts.length > 0 ? { link: parts.join(', ') } : {},
  };
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function clampInt(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = value === undefined ? NaN : Number.parseInt(value, 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

function listReply<T>(ctx: Ctx, items: readonly T[], opts?: PageOpts): Reply {
  const page = paginate(ctx, items, opts);
  return { status: 200, body: page.items, headers: page.headers };
}

/** Lists GitHub wraps as `{ total_count, <key>: [...] }`. */
function wrappedList<T>(ctx: Ctx, key: string, items: readonly T[], opts?: PageOpts): Reply {
  const page = paginate(ctx, items, opts);
  return { status: 200, body: { total_count: items.length, [key]: page.items }, headers: page.headers };
}

// ---------------------------------------------------------------- renderers

function userJson(base: string, user: FakeUser | string): Record<string, unknown> {
  const u = typeof user === 'string' ? { login: user, type: 'User' } : user;
  return { login: u.login, id: idOf(u.login), node_id: `U_${u.login}`, type: u.type, site_admin: false, url: `${base}/users/${u.login}`, html_url: `${base}/${u.login}` };
}

function idOf(text: string): number {
  return Number.parseInt(fakeSha(text).slice(0, 8), 16);
}

function repoJson(ctx: Ctx, repo: FakeRepo): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`;
  const ownerType = ctx.state.orgs.has(repo.owner.toLowerCase()) ? 'Organization' : 'User';
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: full,
    owner: userJson(ctx.base, { login: repo.owner, type: ownerType }),
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    fork: repo.fork,
    archived: repo.archived,
    disabled: false,
    default_branch: repo.default_branch,
    html_url: `${ctx.base}/${full}`,
    url: `${ctx.base}/repos/${full}`,
    created_at: FAKE_EPOCH,
    updated_at: FAKE_EPOCH,
    pushed_at: FAKE_EPOCH,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
}

function repoUrl(ctx: Ctx, repo: FakeRepo): string {
  return `${ctx.base}/repos/${repo.owner}/${repo.name}`;
}

function countLines(patch: string | undefined, sign: '+' | '-'): number {
  if (patch === undefined) return 0;
  return patch.split('\n').filter((l) => l.startsWith(sign) && !l.startsWith(sign.repeat(3) + ' ')).length;
}

function fileJson(ctx: Ctx, repo: FakeRepo, f: FakeFile, ref: string): Record<string, unknown> {
  const additions = f.additions ?? countLines(f.patch, '+');
  const deletions = f.deletions ?? countLines(f.patch, '-');
  const full = `${repo.owner}/${repo.name}`;
  return {
    sha: f.sha ?? fakeSha(`${ref}:${f.filename}`),
    filename: f.filename,
    status: f.status ?? 'modified',
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `${ctx.base}/${full}/blob/${ref}/${f.filename}`,
    raw_url: `${ctx.base}/${full}/raw/${ref}/${f.filename}`,
    contents_url: `${repoUrl(ctx, repo)}/contents/${f.filename}?ref=${ref}`,
    ...(f.patch === undefined ? {} : { patch: f.patch }),
    ...(f.previous_filename === undefined ? {} : { previous_filename: f.previous_filename }),
  };
}

function commitJson(ctx: Ctx, repo: FakeRepo, c: FakeCommit): Record<string, unknown> {
  const date = c.date ?? FAKE_EPOCH;
  const who = { name: c.author?.name ?? 'Octo Cat', email: c.author?.email ?? 'octocat@users.noreply.invalid', date };
  return {
    sha: c.sha,
    node_id: `C_${c.sha}`,
    url: `${repoUrl(ctx, repo)}/commits/${c.sha}`,
    html_url: `${ctx.base}/${repo.owner}/${repo.name}/commit/${c.sha}`,
    commit: {
      message: c.message ?? `Commit ${c.sha.slice(0, 7)}`,
      author: who,
      committer: who,
      tree: { sha: fakeSha(`tree:${c.sha}`), url: `${repoUrl(ctx, repo)}/git/trees/${fakeSha(`tree:${c.sha}`)}` },
      comment_count: 0,
    },
    author: c.author?.login === undefined ? null : userJson(ctx.base, c.author.login),
    committer: null,
    parents: (c.parents ?? []).map((sha) => ({ sha, url: `${repoUrl(ctx, repo)}/commits/${sha}` })),
  };
}

function pullJson(ctx: Ctx, repo: FakeRepo, p: FakePull): Record<string, unknown> {
  const files = p.files ?? [];
  const side = (s: { sha: string; ref: string; repo?: string | null }): Record<string, unknown> => {
    // A head in another repository (a fork) is described as GitHub does: that repository's name, marked
    // as a fork; `null` when the fork was deleted.
    const other = s.repo === undefined || s.repo === null || s.repo.toLowerCase() === `${repo.owner}/${repo.name}`.toLowerCase() ? undefined : s.repo;
    const owner = other === undefined ? repo.owner : (other.split('/')[0] ?? repo.owner);
    const forkJson = (full: string): Record<string, unknown> => {
      const [o = '', n = ''] = full.split('/');
      return { ...repoJson(ctx, repo), id: idOf(full), node_id: `R_${full}`, name: n, full_name: full, owner: userJson(ctx.base, o), fork: true, html_url: `${ctx.base}/${full}`, url: `${ctx.base}/repos/${full}` };
    };
    return {
      label: `${owner}:${s.ref}`,
      ref: s.ref,
      sha: s.sha,
      user: userJson(ctx.base, owner),
      repo: s.repo === null ? null : other === undefined ? repoJson(ctx, repo) : forkJson(other),
    };
  };
  return {
    url: `${repoUrl(ctx, repo)}/pulls/${p.number}`,
    id: idOf(`${repo.id}/pull/${p.number}`),
    node_id: `PR_${p.number}`,
    number: p.number,
    state: p.state ?? 'open',
    title: p.title ?? `Pull request ${p.number}`,
    user: userJson(ctx.base, p.user ?? 'octocat'),
    body: null,
    labels: (p.labels ?? []).map((n) => labelJson(ctx, repo, ctx.state.ensureLabel(repo, n))),
    draft: p.draft ?? false,
    merged: false,
    head: side(p.head),
    base: side(p.base),
    html_url: `${ctx.base}/${repo.owner}/${repo.name}/pull/${p.number}`,
    commits: (p.commits ?? []).length,
    changed_files: files.length,
    additions: files.reduce((n, f) => n + (f.additions ?? countLines(f.patch, '+')), 0),
    deletions: files.reduce((n, f) => n + (f.deletions ?? countLines(f.patch, '-')), 0),
    created_at: FAKE_EPOCH,
    updated_at: FAKE_EPOCH,
  };
}

function labelJson(ctx: Ctx, repo: FakeRepo, l: FakeLabel): Record<string, unknown> {
  return { id: l.id, node_id: `LA_${l.id}`, url: `${repoUrl(ctx, repo)}/labels/${encodeURIComponent(l.name)}`, name: l.name, color: l.color, description: l.description, default: false };
}

/**
 * The app a bot account acts for, as comments show it in `performed_via_github_app`: a bot's login is
 * its app's slug plus `[bot]` (`github-actions[bot]` for the workflow's GITHUB_TOKEN).
 */
function appOf(user: FakeUser): Record<string, unknown> | null {
  if (user.type !== 'Bot') return null;
  const slug = user.login.replace(/\[bot\]$/, '');
  return { id: idOf(`app:${slug}`), slug, name: slug, owner: null };
}

function commentJson(ctx: Ctx, repo: FakeRepo, c: FakeComment): Record<string, unknown> {
  const kind = repo.pulls.has(c.issue_number) ? 'pull' : 'issues';
  return {
    performed_via_github_app: appOf(c.user),
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${repoUrl(ctx, repo)}/issues/comments/${c.id}`,
    html_url: `${ctx.base}/${repo.owner}/${repo.name}/${kind}/${c.issue_number}#issuecomment-${c.id}`,
    issue_url: `${repoUrl(ctx, repo)}/issues/${c.issue_number}`,
    body: c.body,
    user: userJson(ctx.base, c.user),
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
  };
}

function issueJson(ctx: Ctx, repo: FakeRepo, i: FakeIssue): Record<string, unknown> {
  return {
    performed_via_github_app: appOf(i.user),
    id: idOf(`${repo.id}/issue/${i.number}`),
    node_id: `I_${i.number}`,
    url: `${repoUrl(ctx, repo)}/issues/${i.number}`,
    repository_url: repoUrl(ctx, repo),
    html_url: `${ctx.base}/${repo.owner}/${repo.name}/issues/${i.number}`,
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    state_reason: i.state_reason,
    locked: false,
    labels: i.labels.map((n) => labelJson(ctx, repo, ctx.state.ensureLabel(repo, n))),
    user: userJson(ctx.base, i.user),
    assignees: i.assignees.map((a) => userJson(ctx.base, a)),
    comments: repo.comments.filter((c) => c.issue_number === i.number).length,
    created_at: i.created_at,
    updated_at: i.updated_at,
    closed_at: i.closed_at,
  };
}

/** Pull requests appear in the issues list too, as on GitHub, marked by `pull_request`. */
function pullAsIssue(ctx: Ctx, repo: FakeRepo, p: FakePull): Record<string, unknown> {
  const issue: FakeIssue = {
    number: p.number,
    title: p.title ?? `Pull request ${p.number}`,
    body: null,
    state: p.state ?? 'open',
    state_reason: null,
    labels: p.labels ?? [],
    user: { login: p.user ?? 'octocat', type: 'User' },
    assignees: [],
    created_at: FAKE_EPOCH,
    updated_at: FAKE_EPOCH,
    closed_at: null,
  };
  return { ...issueJson(ctx, repo, issue), pull_request: { url: `${repoUrl(ctx, repo)}/pulls/${p.number}`, html_url: `${ctx.base}/${repo.owner}/${repo.name}/pull/${p.number}` } };
}

function checkRunJson(ctx: Ctx, repo: FakeRepo, r: FakeCheckRun): Record<string, unknown> {
  return {
    id: r.id,
    node_id: `CR_${r.id}`,
    head_sha: r.head_sha,
    external_id: r.external_id ?? '',
    url: `${repoUrl(ctx, repo)}/check-runs/${r.id}`,
    html_url: `${ctx.base}/${repo.owner}/${repo.name}/runs/${r.id}`,
    details_url: r.details_url ?? null,
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.started_at,
    completed_at: r.completed_at,
    output: { ...r.output, annotations_count: r.annotations.length, annotations_url: `${repoUrl(ctx, repo)}/check-runs/${r.id}/annotations` },
    name: r.name,
    check_suite: { id: idOf(`suite:${r.head_sha}`) },
    app: { id: 15368, slug: 'github-actions', name: 'GitHub Actions' },
    pull_requests: [],
  };
}

/** GitHub wraps base64 content at 60 characters per line. */
function base64Lines(text: string): string {
  return (Buffer.from(text, 'utf8').toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
}

// ---------------------------------------------------------------- routes

const routes: Route[] = [];

function on(method: string, template: string, handler: Handler): void {
  routes.push({ method, segments: template.split('/').slice(1), handler });
}

/** A route under `/repos/{owner}/{repo}`; 404 when the repo was not seeded. */
function onRepo(method: string, template: string, handler: RepoHandler): void {
  on(method, `/repos/{owner}/{repo}${template}`, (ctx) => {
    const repo = ctx.state.repo(ctx.params['owner'] ?? '', ctx.params['repo'] ?? '');
    return repo === undefined ? notFound() : handler(ctx, repo);
  });
}

function route(ctx: Ctx): Reply {
  const segments = ctx.path.split('/').slice(1);
  if (segments.at(-1) === '' && segments.length > 1) segments.pop();
  for (const r of routes) {
    if (r.method !== ctx.method) continue;
    const params = matchSegments(r.segments, segments);
    if (params !== undefined) return r.handler({ ...ctx, params });
  }
  // GitHub answers 404, not 405, for a method a path does not support.
  return notFound();
}

function matchSegments(template: string[], actual: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i] as string;
    if (t.endsWith('+}')) {
      if (i >= actual.length) return undefined;
      params[t.slice(1, -2)] = actual.slice(i).join('/');
      return params;
    }
    const a = actual[i];
    if (a === undefined) return undefined;
    if (t.startsWith('{')) params[t.slice(1, -1)] = a;
    else if (t !== a) return undefined;
  }
  return actual.length === template.length ? params : undefined;
}

function num(ctx: Ctx, name: string): number {
  return Number.parseInt(ctx.params[name] ?? '', 10);
}

function bodyObject(ctx: Ctx): Record<string, unknown> {
  return typeof ctx.body === 'object' && ctx.body !== null && !Array.isArray(ctx.body) ? (ctx.body as Record<string, unknown>) : {};
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Repositories

// The token's own account. An installation token (GITHUB_TOKEN, a GitHub App's) acts as a bot that GitHub
// does not serve here: "Resource not accessible by integration", 403.
on('GET', '/user', (ctx) =>
  ctx.state.viewer.type === 'Bot'
    ? { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: DOCS } }
    : json({ ...userJson(ctx.base, ctx.state.viewer), name: ctx.state.viewer.login }),
);

onRepo('GET', '', (ctx, repo) => json(repoJson(ctx, repo)));

on('GET', '/orgs/{org}/repos', (ctx) => {
  const org = ctx.params['org'] ?? '';
  const repos = [...ctx.state.repos.values()].filter((r) => r.owner.toLowerCase() === org.toLowerCase());
  if (repos.length === 0 && !ctx.state.orgs.has(org.toLowerCase())) return notFound();
  const type = ctx.query['type'] ?? 'all';
  const kept = repos.filter((r) =>
    type === 'public' ? !r.private : type === 'private' ? r.private : type === 'forks' ? r.fork : type === 'sources' ? !r.fork : true,
  );
  return listReply(ctx, kept.map((r) => repoJson(ctx, r)));
});

// Teams: the full team object carries members_count, which the weekly issue reads to decide on mentions.
on('GET', '/orgs/{org}/teams/{team_slug}', (ctx) => {
  const org = ctx.state.orgs.get((ctx.params['org'] ?? '').toLowerCase());
  const team = org?.teams.find((t) => t.slug.toLowerCase() === (ctx.params['team_slug'] ?? '').toLowerCase());
  if (org === undefined || team === undefined) return notFound();
  return json({ id: 1, node_id: 'T_1', slug: team.slug, name: team.slug, members_count: team.members_count, privacy: 'closed', permission: 'pull' });
});

// Pull requests

onRepo('GET', '/pulls/{pull_number}', (ctx, repo) => {
  const pull = repo.pulls.get(num(ctx, 'pull_number'));
  return pull === undefined ? notFound() : json(pullJson(ctx, repo, pull));
});

onRepo('GET', '/pulls/{pull_number}/files', (ctx, repo) => {
  const pull = repo.pulls.get(num(ctx, 'pull_number'));
  if (pull === undefined) return notFound();
  return listReply(ctx, (pull.files ?? []).slice(0, PR_FILES_CAP).map((f) => fileJson(ctx, repo, f, pull.head.sha)), { cap: PR_FILES_CAP });
});

onRepo('GET', '/pulls/{pull_number}/commits', (ctx, repo) => {
  const pull = repo.pulls.get(num(ctx, 'pull_number'));
  if (pull === undefined) return notFound();
  return listReply(ctx, (pull.commits ?? []).slice(0, PR_COMMITS_CAP).map((c) => commitJson(ctx, repo, c)), { cap: PR_COMMITS_CAP });
});

// Commits and comparisons

onRepo('GET', '/commits/{ref}', (ctx, repo) => {
  const ref = ctx.params['ref'] ?? '';
  const commit = repo.commits.get(ctx.state.resolveRef(repo, ref));
  if (commit === undefined) return invalid(`No commit found for SHA: ${ref}`);
  const files = (commit.files ?? []).map((f) => fileJson(ctx, repo, f, commit.sha));
  const page = paginate(ctx, files, { defaultPerPage: COMMIT_FILES_PER_PAGE, maxPerPage: COMMIT_FILES_PER_PAGE, cap: PR_FILES_CAP });
  const additions = files.reduce((n, f) => n + (f['additions'] as number), 0);
  const deletions = files.reduce((n, f) => n + (f['deletions'] as number), 0);
  return { status: 200, headers: page.headers, body: { ...commitJson(ctx, repo, commit), stats: { total: additions + deletions, additions, deletions }, files: page.items } };
});

onRepo('GET', '/compare/{basehead}', (ctx, repo) => {
  const [baseRef, headRef] = (ctx.params['basehead'] ?? '').split('...');
  if (baseRef === undefined || headRef === undefined || baseRef === '' || headRef === '') return notFound();
  const base = ctx.state.resolveRef(repo, baseRef);
  const head = ctx.state.resolveRef(repo, headRef);
  const seeded = repo.compares.find((c) => ctx.state.resolveRef(repo, c.base) === base && ctx.state.resolveRef(repo, c.head) === head);
  let shas: string[];
  let files: FakeFile[];
  if (seeded !== undefined) {
    shas = seeded.commits;
    files = seeded.files ?? mergeFiles(shas.map((s) => repo.commits.get(s)));
  } else {
    if (!repo.commits.has(base) || !repo.commits.has(head)) return notFound();
    const chain: string[] = [];
    for (let at: string | undefined = head; at !== base; at = repo.commits.get(at)?.parents?.[0]) {
      if (at === undefined || !repo.commits.has(at)) return notFound();
      chain.unshift(at);
    }
    shas = chain;
    files = mergeFiles(shas.map((s) => repo.commits.get(s)));
  }
  const commits = shas.map((s) => repo.commits.get(s) ?? { sha: s }).map((c) => commitJson(ctx, repo, c));
  const paged = ctx.query['page'] !== undefined || ctx.query['per_page'] !== undefined;
  const page = paged ? paginate(ctx, commits) : { items: commits.slice(-COMPARE_COMMITS_UNPAGED), headers: {} };
  const firstPage = !paged || clampInt(ctx.query['page'], 1, 1, Number.MAX_SAFE_INTEGER) === 1;
  return {
    status: 200,
    headers: page.headers,
    body: {
      url: `${repoUrl(ctx, repo)}/compare/${baseRef}...${headRef}`,
      html_url: `${ctx.base}/${repo.owner}/${repo.name}/compare/${baseRef}...${headRef}`,
      base_commit: commitJson(ctx, repo, repo.commits.get(base) ?? { sha: base }),
      merge_base_commit: commitJson(ctx, repo, repo.commits.get(base) ?? { sha: base }),
      status: shas.length === 0 ? 'identical' : 'ahead',
      ahead_by: shas.length,
      behind_by: 0,
      total_commits: shas.length,
      commits: page.items,
      files: firstPage ? files.slice(0, COMPARE_FILES_CAP).map((f) => fileJson(ctx, repo, f, head)) : [],
    },
  };
});

/** The files of several commits as one list; a file touched twice keeps its latest entry. */
function mergeFiles(commits: Array<FakeCommit | undefined>): FakeFile[] {
  const byName = new Map<string, FakeFile>();
  for (const c of commits) for (const f of c?.files ?? []) byName.set(f.filename, f);
  return [...byName.values()];
}

// Contents, trees, blobs

/** `application/vnd.github.raw` (with `+json`), or the `v3.raw` form octokit's `mediaType: { format: 'raw' }` sends. */
function wantsRaw(accept: string): boolean {
  return /application\/vnd\.github\.(v3\.)?raw/.test(accept);
}

function contents(ctx: Ctx, repo: FakeRepo, path: string): Reply {
  const refName = ctx.query['ref'];
  const sha = ctx.state.resolveRef(repo, refName);
  const snap = repo.snapshots.get(sha);
  if (snap === undefined) return notFound(`No commit found for the ref ${refName ?? repo.default_branch}`);
  const clean = path.replace(/^\/+|\/+$/g, '');
  const content = snap.files[clean];
  const accept = ctx.headers['accept'] ?? '';
  const bytes = snap.bytes?.[clean];
  if (bytes !== undefined && wantsRaw(accept)) return { status: 200, raw: bytes, headers: { 'content-type': 'application/octet-stream' } };
  const entry = (p: string, type: 'file' | 'dir', text?: string): Record<string, unknown> => {
    const blobSha = text === undefined ? fakeSha(`dir:${sha}:${p}`) : gitBlobSha(text);
    return {
      type,
      name: p.split('/').pop() ?? p,
      path: p,
      sha: blobSha,
      size: text === undefined ? 0 : Buffer.byteLength(text, 'utf8'),
      url: `${repoUrl(ctx, repo)}/contents/${p}?ref=${refName ?? repo.default_branch}`,
      html_url: `${ctx.base}/${repo.owner}/${repo.name}/blob/${sha}/${p}`,
      git_url: `${repoUrl(ctx, repo)}/git/${type === 'file' ? 'blobs' : 'trees'}/${blobSha}`,
      download_url: type === 'file' ? `${ctx.base}/${repo.owner}/${repo.name}/raw/${sha}/${p}` : null,
      _links: { self: `${repoUrl(ctx, repo)}/contents/${p}`, git: `${repoUrl(ctx, repo)}/git/blobs/${blobSha}`, html: `${ctx.base}/${repo.owner}/${repo.name}/blob/${sha}/${p}` },
    };
  };
  if (content !== undefined) {
    if (wantsRaw(accept)) return { status: 200, raw: content, headers: { 'content-type': 'text/plain; charset=utf-8' } };
    const big = Buffer.byteLength(content, 'utf8') > CONTENTS_INLINE_MAX;
    return json({ ...entry(clean, 'file', content), encoding: big ? 'none' : 'base64', content: big ? '' : base64Lines(content) });
  }
  // A directory: its direct children, files and sub-directories.
  const prefix = clean === '' ? '' : `${clean}/`;
  const children = new Map<string, Record<string, unknown>>();
  for (const [p, text] of Object.entries(snap.files)) {
    if (!p.startsWith(prefix)) continue;
    const rest = p.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) children.set(p, entry(p, 'file', text));
    else children.set(prefix + rest.slice(0, slash), entry(prefix + rest.slice(0, slash), 'dir'));
  }
  if (children.size === 0) return notFound();
  return json([...children.values()]);
}

onRepo('GET', '/contents/{path+}', (ctx, repo) => contents(ctx, repo, ctx.params['path'] ?? ''));
onRepo('GET', '/contents', (ctx, repo) => contents(ctx, repo, ''));

/** A snapshot's root, or one of its subtrees found by the sha the listings give it. */
function findTree(ctx: Ctx, repo: FakeRepo, sha: string): { snap: FakeSnapshot; dir: string } | undefined {
  const snap = repo.snapshots.get(ctx.state.resolveRef(repo, sha));
  if (snap !== undefined) return { snap, dir: '' };
  for (const s of repo.snapshots.values()) {
    for (const path of Object.keys(s.files)) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join('/');
        if (treeSha(s, dir) === sha) return { snap: s, dir };
      }
    }
  }
  return undefined;
}

function treeSha(snap: FakeSnapshot, dir: string): string {
  return fakeSha(`tree:${snap.sha}:${dir}`);
}

onRepo('GET', '/git/trees/{tree_sha}', (ctx, repo) => {
  const sha = ctx.params['tree_sha'] ?? '';
  const found = findTree(ctx, repo, sha);
  if (found === undefined) return notFound();
  const { snap, dir } = found;
  const prefix = dir === '' ? '' : `${dir}/`;
  const recursive = ctx.query['recursive'] !== undefined && ctx.query['recursive'] !== '0' && ctx.query['recursive'] !== 'false';
  const entries: Array<Record<string, unknown>> = [];
  const dirs = new Set<string>();
  for (const [fullPath, text] of Object.entries(snap.files).sort(([a], [b]) => a.localeCompare(b))) {
    if (!fullPath.startsWith(prefix)) continue;
    // Paths in a subtree's listing are relative to that subtree, as in git.
    const path = fullPath.slice(prefix.length);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    if (!recursive && parts.length > 1) continue;
    const blob = gitBlobSha(text);
    entries.push({ path, mode: '100644', type: 'blob', sha: blob, size: Buffer.byteLength(text, 'utf8'), url: `${repoUrl(ctx, repo)}/git/blobs/${blob}` });
  }
  for (const d of dirs) {
    if (!recursive && d.includes('/')) continue;
    const subSha = treeSha(snap, prefix + d);
    entries.push({ path: d, mode: '040000', type: 'tree', sha: subSha, url: `${repoUrl(ctx, repo)}/git/trees/${subSha}` });
  }
  entries.sort((a, b) => String(a['path']).localeCompare(String(b['path'])));
  const ownSha = dir === '' ? snap.sha : treeSha(snap, dir);
  // `truncated` is forced on the root's recursive listing only: a subtree is a smaller listing.
  return json({ sha: ownSha, url: `${repoUrl(ctx, repo)}/git/trees/${ownSha}`, tree: entries, truncated: snap.truncated === true && recursive && dir === '' });
});

/** Where the fake serves archives, standing in for GitHub's separate archive host. */
const CODELOAD_PREFIX = '/_codeload/';

/** The token a private repository's archive link carries, as GitHub's does, instead of an Authorization header. */
function archiveToken(repo: FakeRepo): string {
  return fakeSha(`archive-token:${repo.owner}/${repo.name}`).slice(0, 20);
}

// `GET /tarball/{ref}` answers 302 to a short-lived link on the archive host, which serves the gzipped tar.
onRepo('GET', '/tarball/{ref+}', (ctx, repo) => {
  const sha = ctx.state.resolveRef(repo, ctx.params['ref']);
  if (!repo.snapshots.has(sha)) return notFound();
  const token = repo.private ? `?token=${archiveToken(repo)}` : '';
  return { status: 302, headers: { location: `${ctx.base}${CODELOAD_PREFIX}${repo.owner}/${repo.name}/legacy.tar.gz/${sha}${token}` } };
});
onRepo('GET', '/tarball', (ctx, repo) => ({ status: 302, headers: { location: `${repoUrl(ctx, repo)}/tarball/${repo.default_branch}` } }));

on('GET', `${CODELOAD_PREFIX}{owner}/{repo}/legacy.tar.gz/{sha}`, (ctx): Reply => {
  const repo = ctx.state.repo(ctx.params['owner'] ?? '', ctx.params['repo'] ?? '');
  const snap = repo?.snapshots.get(ctx.params['sha'] ?? '');
  if (repo === undefined || snap === undefined) return { status: 404, raw: '404: Not Found', headers: { 'content-type': 'text/plain' } };
  if (repo.private && ctx.query['token'] !== archiveToken(repo)) return { status: 404, raw: '404: Not Found', headers: { 'content-type': 'text/plain' } };
  return {
    status: 200,
    headers: { 'content-type': 'application/x-gzip', 'content-disposition': `attachment; filename=${repo.owner}-${repo.name}-${snap.sha.slice(0, 7)}.tar.gz` },
    stream: () => tarballOf(repo, snap),
  };
});

/**
 * The snapshot as GitHub's archive lays it out: one top directory `owner-repo-<short sha>/`, a directory
 * entry before its files, files in path order. Entries are written one at a time as the reader drains
 * them, so a 20,000-file tree is never in memory as an archive.
 */
function tarballOf(repo: FakeRepo, snap: FakeSnapshot): Readable {
  const top = `${repo.owner}-${repo.name}-${snap.sha.slice(0, 7)}/`;
  const pack = tarPack();
  const paths = Object.keys(snap.files).sort();
  void (async () => {
    const dirs = new Set<string>();
    const write = (header: Parameters<typeof pack.entry>[0], body?: Buffer): Promise<void> =>
      new Promise((resolve, reject) => {
        pack.entry(header, body ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve()));
      });
    try {
      await write({ name: top, type: 'directory', mtime: new Date(FAKE_EPOCH) });
      for (const path of paths) {
        const parts = path.split('/');
        for (let i = 1; i < parts.length; i++) {
          const dir = parts.slice(0, i).join('/');
          if (dirs.has(dir)) continue;
          dirs.add(dir);
          await write({ name: `${top}${dir}/`, type: 'directory', mtime: new Date(FAKE_EPOCH) });
        }
        const content = snap.files[path] as string;
        const symlink = snap.symlinks?.[path];
        if (symlink !== undefined) await write({ name: `${top}${path}`, type: 'symlink', linkname: symlink, mtime: new Date(FAKE_EPOCH) });
        else await write({ name: `${top}${path}`, type: 'file', mtime: new Date(FAKE_EPOCH) }, Buffer.from(content, 'utf8'));
      }
      pack.finalize();
    } catch (err) {
      pack.destroy(err as Error);
    }
  })();
  return Readable.from(pack as unknown as AsyncIterable<Buffer>).pipe(createGzip());
}

onRepo('GET', '/git/blobs/{file_sha}', (ctx, repo) => {
  const sha = ctx.params['file_sha'] ?? '';
  const content = repo.blobs.get(sha);
  if (content === undefined) return notFound();
  if (wantsRaw(ctx.headers['accept'] ?? '')) return { status: 200, raw: content, headers: { 'content-type': 'text/plain; charset=utf-8' } };
  return json({ sha, node_id: `B_${sha}`, size: Buffer.byteLength(content, 'utf8'), url: `${repoUrl(ctx, repo)}/git/blobs/${sha}`, content: base64Lines(content), encoding: 'base64' });
});

// Issue comments

function issueExists(repo: FakeRepo, n: number): boolean {
  return repo.pulls.has(n) || repo.issues.some((i) => i.number === n);
}

function bodyTooLong(body: string, resource: string): Reply | undefined {
  if (body.length <= BODY_MAX) return undefined;
  return invalid('Validation Failed', [{ resource, code: 'custom', field: 'body', message: `body is too long (maximum is ${BODY_MAX} characters)` }]);
}

onRepo('GET', '/issues/{issue_number}/comments', (ctx, repo) => {
  const n = num(ctx, 'issue_number');
  if (!issueExists(repo, n)) return notFound();
  return listReply(ctx, repo.comments.filter((c) => c.issue_number === n).map((c) => commentJson(ctx, repo, c)));
});

onRepo('GET', '/issues/comments', (ctx, repo) => listReply(ctx, repo.comments.map((c) => commentJson(ctx, repo, c))));

onRepo('POST', '/issues/{issue_number}/comments', (ctx, repo) => {
  const n = num(ctx, 'issue_number');
  if (!issueExists(repo, n)) return notFound();
  const body = bodyObject(ctx)['body'];
  if (typeof body !== 'string') return invalid('Invalid request.\n\n"body" wasn\'t supplied.');
  const tooLong = bodyTooLong(body, 'IssueComment');
  if (tooLong !== undefined) return tooLong;
  const at = now();
  const comment: FakeComment = { id: ctx.state.id(), issue_number: n, body, user: ctx.state.viewer, created_at: at, updated_at: at };
  repo.comments.push(comment);
  return json(commentJson(ctx, repo, comment), 201);
});

function findComment(ctx: Ctx, repo: FakeRepo): FakeComment | undefined {
  const id = num(ctx, 'comment_id');
  return repo.comments.find((c) => c.id === id);
}

onRepo('GET', '/issues/comments/{comment_id}', (ctx, repo) => {
  const c = findComment(ctx, repo);
  return c === undefined ? notFound() : json(commentJson(ctx, repo, c));
});

onRepo('PATCH', '/issues/comments/{comment_id}', (ctx, repo) => {
  const c = findComment(ctx, repo);
  if (c === undefined) return notFound();
  const body = bodyObject(ctx)['body'];
  if (typeof body !== 'string') return invalid('Invalid request.\n\n"body" wasn\'t supplied.');
  const tooLong = bodyTooLong(body, 'IssueComment');
  if (tooLong !== undefined) return tooLong;
  c.body = body;
  c.updated_at = now();
  return json(commentJson(ctx, repo, c));
});

onRepo('DELETE', '/issues/comments/{comment_id}', (ctx, repo) => {
  const c = findComment(ctx, repo);
  if (c === undefined) return notFound();
  repo.comments.splice(repo.comments.indexOf(c), 1);
  return { status: 204 };
});

// Check runs

function annotationsOf(output: unknown): { annotations: FakeAnnotation[]; error?: Reply } {
  const o = typeof output === 'object' && output !== null ? (output as Record<string, unknown>) : {};
  for (const key of ['summary', 'text']) {
    const v = o[key];
    if (typeof v === 'string' && v.length > CHECK_OUTPUT_MAX) {
      return { annotations: [], error: invalid(`Invalid request.\n\nOnly ${CHECK_OUTPUT_MAX} characters are allowed; ${v.length} were supplied.`) };
    }
  }
  const list = Array.isArray(o['annotations']) ? (o['annotations'] as FakeAnnotation[]) : [];
  if (list.length > ANNOTATIONS_PER_REQUEST) {
    return { annotations: [], error: invalid(`Invalid request.\n\nNo more than ${ANNOTATIONS_PER_REQUEST} items are allowed; ${list.length} were supplied.`) };
  }
  return { annotations: list };
}

function applyCheckRun(run: FakeCheckRun, body: Record<string, unknown>, annotations: FakeAnnotation[]): void {
  const at = now();
  if (typeof body['name'] === 'string') run.name = body['name'];
  if (typeof body['external_id'] === 'string') run.external_id = body['external_id'];
  if (typeof body['details_url'] === 'string') run.details_url = body['details_url'];
  if (typeof body['status'] === 'string') run.status = body['status'];
  if (typeof body['started_at'] === 'string') run.started_at = body['started_at'];
  if (typeof body['conclusion'] === 'string') {
    // Setting a conclusion completes the run, as GitHub does.
    run.conclusion = body['conclusion'];
    run.status = 'completed';
  }
  if (run.status === 'completed') run.completed_at = typeof body['completed_at'] === 'string' ? body['completed_at'] : (run.completed_at ?? at);
  const output = body['output'];
  if (typeof output === 'object' && output !== null) {
    const o = output as Record<string, unknown>;
    if (typeof o['title'] === 'string') run.output.title = o['title'];
    if (typeof o['summary'] === 'string') run.output.summary = o['summary'];
    if (typeof o['text'] === 'string') run.output.text = o['text'];
  }
  run.annotations.push(...annotations);
  run.annotationBatches.push(annotations);
}

onRepo('POST', '/check-runs', (ctx, repo) => {
  const body = bodyObject(ctx);
  for (const key of ['name', 'head_sha']) if (typeof body[key] !== 'string') return invalid(`Invalid request.\n\n"${key}" wasn't supplied.`);
  const { annotations, error } = annotationsOf(body['output']);
  if (error !== undefined) return error;
  const run: FakeCheckRun = {
    id: ctx.state.id(),
    name: body['name'] as string,
    head_sha: body['head_sha'] as string,
    status: 'queued',
    conclusion: null,
    started_at: now(),
    completed_at: null,
    output: { title: null, summary: null, text: null },
    annotations: [],
    annotationBatches: [],
  };
  applyCheckRun(run, body, annotations);
  repo.checkRuns.push(run);
  return json(checkRunJson(ctx, repo, run), 201);
});

function findRun(ctx: Ctx, repo: FakeRepo): FakeCheckRun | undefined {
  const id = num(ctx, 'check_run_id');
  return repo.checkRuns.find((r) => r.id === id);
}

onRepo('PATCH', '/check-runs/{check_run_id}', (ctx, repo) => {
  const run = findRun(ctx, repo);
  if (run === undefined) return notFound();
  const body = bodyObject(ctx);
  const { annotations, error } = annotationsOf(body['output']);
  if (error !== undefined) return error;
  applyCheckRun(run, body, annotations);
  return json(checkRunJson(ctx, repo, run));
});

onRepo('GET', '/check-runs/{check_run_id}', (ctx, repo) => {
  const run = findRun(ctx, repo);
  return run === undefined ? notFound() : json(checkRunJson(ctx, repo, run));
});

onRepo('GET', '/check-runs/{check_run_id}/annotations', (ctx, repo) => {
  const run = findRun(ctx, repo);
  if (run === undefined) return notFound();
  return listReply(ctx, run.annotations.map((a) => ({ ...a, blob_href: `${ctx.base}/${repo.owner}/${repo.name}/blob/${run.head_sha}/${a.path}` })));
});

onRepo('GET', '/commits/{ref}/check-runs', (ctx, repo) => {
  const sha = ctx.state.resolveRef(repo, ctx.params['ref']);
  const name = ctx.query['check_name'];
  const runs = repo.checkRuns.filter((r) => r.head_sha === sha && (name === undefined || r.name === name));
  return wrappedList(ctx, 'check_runs', runs.map((r) => checkRunJson(ctx, repo, r)));
});

// Issues and labels

onRepo('GET', '/issues', (ctx, repo) => {
  const state = ctx.query['state'] ?? 'open';
  const wanted = (ctx.query['labels'] ?? '').split(',').map((l) => l.trim().toLowerCase()).filter((l) => l !== '');
  const creator = ctx.query['creator']?.toLowerCase();
  const all: Array<{ number: number; state: string; labels: string[]; user: string; render: () => Record<string, unknown> }> = [
    ...repo.issues.map((i) => ({ number: i.number, state: i.state, labels: i.labels, user: i.user.login, render: () => issueJson(ctx, repo, i) })),
    ...[...repo.pulls.values()].map((p) => ({ number: p.number, state: p.state ?? 'open', labels: p.labels ?? [], user: p.user ?? 'octocat', render: () => pullAsIssue(ctx, repo, p) })),
  ];
  const kept = all
    .filter((i) => state === 'all' || i.state === state)
    .filter((i) => wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)))
    .filter((i) => creator === undefined || i.user.toLowerCase() === creator)
    .sort((a, b) => (ctx.query['direction'] === 'asc' ? a.number - b.number : b.number - a.number));
  return listReply(ctx, kept.map((i) => i.render()));
});

function labelNames(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((l) => (typeof l === 'string' ? l : String((l as { name?: unknown }).name)));
}

onRepo('POST', '/issues', (ctx, repo) => {
  const body = bodyObject(ctx);
  if (typeof body['title'] !== 'string' && typeof body['title'] !== 'number') return invalid('Invalid request.\n\n"title" wasn\'t supplied.');
  if (typeof body['body'] === 'string') {
    const tooLong = bodyTooLong(body['body'], 'Issue');
    if (tooLong !== undefined) return tooLong;
  }
  const issue = ctx.state.addIssue(repo, {
    title: String(body['title']),
    body: typeof body['body'] === 'string' ? body['body'] : null,
    labels: labelNames(body['labels']) ?? [],
    assignees: Array.isArray(body['assignees']) ? (body['assignees'] as string[]) : [],
    created_at: now(),
    updated_at: now(),
  });
  return json(issueJson(ctx, repo, issue), 201);
});

onRepo('GET', '/issues/{issue_number}', (ctx, repo) => {
  const n = num(ctx, 'issue_number');
  const issue = repo.issues.find((i) => i.number === n);
  if (issue !== undefined) return json(issueJson(ctx, repo, issue));
  const pull = repo.pulls.get(n);
  return pull === undefined ? notFound() : json(pullAsIssue(ctx, repo, pull));
});

onRepo('PATCH', '/issues/{issue_number}', (ctx, repo) => {
  const n = num(ctx, 'issue_number');
  const issue = repo.issues.find((i) => i.number === n);
  if (issue === undefined) return notFound();
  const body = bodyObject(ctx);
  if (typeof body['body'] === 'string') {
    const tooLong = bodyTooLong(body['body'], 'Issue');
    if (tooLong !== undefined) return tooLong;
  }
  if (typeof body['title'] === 'string') issue.title = body['title'];
  if (typeof body['body'] === 'string' || body['body'] === null) issue.body = body['body'] as string | null;
  if (body['state'] === 'open' || body['state'] === 'closed') {
    issue.state = body['state'];
    issue.closed_at = body['state'] === 'closed' ? now() : null;
    issue.state_reason = body['state'] === 'closed' ? 'completed' : 'reopened';
  }
  if (typeof body['state_reason'] === 'string' || body['state_reason'] === null) issue.state_reason = body['state_reason'] as string | null;
  const labels = labelNames(body['labels']);
  if (labels !== undefined) {
    issue.labels = labels;
    for (const l of labels) ctx.state.ensureLabel(repo, l);
  }
  if (Array.isArray(body['assignees'])) issue.assignees = body['assignees'] as string[];
  issue.updated_at = now();
  return json(issueJson(ctx, repo, issue));
});

onRepo('POST', '/issues/{issue_number}/labels', (ctx, repo) => {
  const n = num(ctx, 'issue_number');
  const issue = repo.issues.find((i) => i.number === n);
  const pull = repo.pulls.get(n);
  if (issue === undefined && pull === undefined) return notFound();
  const names = labelNames(bodyObject(ctx)['labels']) ?? [];
  const target = issue ?? (pull as FakePull);
  const current = issue !== undefined ? issue.labels : (target.labels ?? []);
  for (const name of names) if (!current.some((l) => l.toLowerCase() === name.toLowerCase())) current.push(name);
  if (issue === undefined) (target as FakePull).labels = current;
  return json(current.map((l) => labelJson(ctx, repo, ctx.state.ensureLabel(repo, l))));
});

onRepo('GET', '/labels', (ctx, repo) => listReply(ctx, repo.labels.map((l) => labelJson(ctx, repo, l))));

onRepo('GET', '/labels/{name}', (ctx, repo) => {
  const name = (ctx.params['name'] ?? '').toLowerCase();
  const label = repo.labels.find((l) => l.name.toLowerCase() === name);
  return label === undefined ? notFound() : json(labelJson(ctx, repo, label));
});

onRepo('POST', '/labels', (ctx, repo) => {
  const body = bodyObject(ctx);
  if (typeof body['name'] !== 'string') return invalid('Invalid request.\n\n"name" wasn\'t supplied.');
  const name = body['name'];
  if (repo.labels.some((l) => l.name.toLowerCase() === name.toLowerCase())) {
    return invalid('Validation Failed', [{ resource: 'Label', code: 'already_exists', field: 'name' }]);
  }
  const label: FakeLabel = {
    id: ctx.state.id(),
    name,
    color: typeof body['color'] === 'string' ? body['color'] : 'ededed',
    description: typeof body['description'] === 'string' ? body['description'] : null,
  };
  repo.labels.push(label);
  return json(labelJson(ctx, repo, label), 201);
});

// Secrets, variables, environments

const SECRET_KINDS = ['actions', 'dependabot', 'codespaces'] as const;
/** Variables lists default to 10 per page and allow at most 30. */
const VARIABLES_PAGE: PageOpts = { defaultPerPage: 10, maxPerPage: 30 };

function secretJson(s: FakeSecret): Record<string, unknown> {
  return { name: s.name, created_at: s.created_at, updated_at: s.updated_at };
}

function variableJson(v: FakeVariable): Record<string, unknown> {
  return { name: v.name, value: v.value, created_at: v.created_at, updated_at: v.updated_at };
}

for (const kind of SECRET_KINDS) {
  onRepo('GET', `/${kind}/secrets`, (ctx, repo) => wrappedList(ctx, 'secrets', repo.secrets[kind].map(secretJson)));
}

/** The org's Actions secrets this repository can use, by their visibility. */
onRepo('GET', '/actions/organization-secrets', (ctx, repo) => {
  const org = ctx.state.orgs.get(repo.owner.toLowerCase());
  const visible = (org?.secrets.actions ?? []).filter(
    (s) => s.visibility === 'all' || (s.visibility === 'private' && repo.private) || (s.visibility === 'selected' && (s.selected_repositories ?? []).includes(repo.name)),
  );
  return wrappedList(ctx, 'secrets', visible.map(secretJson));
});

onRepo('GET', '/actions/variables', (ctx, repo) => wrappedList(ctx, 'variables', repo.variables.map(variableJson), VARIABLES_PAGE));

onRepo('GET', '/environments', (ctx, repo) =>
  wrappedList(
    ctx,
    'environments',
    repo.environments.map((e) => ({
      id: idOf(`${repo.id}/env/${e.name}`),
      node_id: `EN_${e.name}`,
      name: e.name,
      url: `${repoUrl(ctx, repo)}/environments/${encodeURIComponent(e.name)}`,
      html_url: `${ctx.base}/${repo.owner}/${repo.name}/deployments/activity_log?environments_filter=${encodeURIComponent(e.name)}`,
      created_at: FAKE_EPOCH,
      updated_at: FAKE_EPOCH,
      protection_rules: [],
      deployment_branch_policy: null,
    })),
  ),
);

function findEnv(ctx: Ctx, repo: FakeRepo): FakeRepo['environments'][number] | undefined {
  const name = ctx.params['environment_name'] ?? '';
  return repo.environments.find((e) => e.name.toLowerCase() === name.toLowerCase());
}

onRepo('GET', '/environments/{environment_name}/secrets', (ctx, repo) => {
  const env = findEnv(ctx, repo);
  return env === undefined ? notFound() : wrappedList(ctx, 'secrets', env.secrets.map(secretJson));
});

onRepo('GET', '/environments/{environment_name}/variables', (ctx, repo) => {
  const env = findEnv(ctx, repo);
  return env === undefined ? notFound() : wrappedList(ctx, 'variables', env.variables.map(variableJson), VARIABLES_PAGE);
});

function orgSecretJson(ctx: Ctx, org: string, kind: string, s: FakeOrgSecret): Record<string, unknown> {
  return {
    ...secretJson(s),
    visibility: s.visibility,
    ...(s.visibility === 'selected' ? { selected_repositories_url: `${ctx.base}/orgs/${org}/${kind}/secrets/${s.name}/repositories` } : {}),
  };
}

for (const kind of SECRET_KINDS) {
  on('GET', `/orgs/{org}/${kind}/secrets`, (ctx) => {
    const org = ctx.state.orgs.get((ctx.params['org'] ?? '').toLowerCase());
    if (org === undefined) return notFound();
    return wrappedList(ctx, 'secrets', org.secrets[kind].map((s) => orgSecretJson(ctx, org.login, kind, s)));
  });
  on('GET', `/orgs/{org}/${kind}/secrets/{secret_name}/repositories`, (ctx) => {
    const org = ctx.state.orgs.get((ctx.params['org'] ?? '').toLowerCase());
    const s = org?.secrets[kind].find((x) => x.name === ctx.params['secret_name']);
    if (org === undefined || s === undefined) return notFound();
    // Only `selected` secrets have a repository list; the others answer with an empty one here.
    const repos = (s.visibility === 'selected' ? (s.selected_repositories ?? []) : [])
      .map((name) => ctx.state.repo(org.login, name))
      .filter((r): r is FakeRepo => r !== undefined);
    return wrappedList(ctx, 'repositories', repos.map((r) => repoJson(ctx, r)));
  });
}

on('GET', '/orgs/{org}/actions/variables', (ctx) => {
  const org = ctx.state.orgs.get((ctx.params['org'] ?? '').toLowerCase());
  if (org === undefined) return notFound();
  return wrappedList(ctx, 'variables', org.variables.map((v) => ({ ...variableJson(v), visibility: 'all' })), VARIABLES_PAGE);
});

// Secret scanning

function alertsOf(ctx: Ctx, repo: FakeRepo): Array<Record<string, unknown>> {
  const state = ctx.query['state'];
  const types = ctx.query['secret_type']?.split(',').map((t) => t.trim());
  const hide = ctx.query['hide_secret'] === 'true';
  return (repo.secretScanningAlerts ?? [])
    .filter((a) => state === undefined || a.state === state)
    .filter((a) => types === undefined || types.includes(a.secret_type))
    .map((a) => ({
      number: a.number,
      created_at: a.created_at ?? FAKE_EPOCH,
      updated_at: a.created_at ?? FAKE_EPOCH,
      url: `${repoUrl(ctx, repo)}/secret-scanning/alerts/${a.number}`,
      html_url: `${ctx.base}/${repo.owner}/${repo.name}/security/secret-scanning/${a.number}`,
      locations_url: `${repoUrl(ctx, repo)}/secret-scanning/alerts/${a.number}/locations`,
      state: a.state,
      resolution: a.resolution ?? null,
      resolved_at: a.state === 'resolved' ? FAKE_EPOCH : null,
      resolved_by: null,
      secret_type: a.secret_type,
      secret_type_display_name: a.secret_type_display_name ?? a.secret_type,
      ...(hide || a.secret === undefined ? {} : { secret: a.secret }),
      validity: a.validity ?? 'unknown',
      push_protection_bypassed: false,
      push_protection_bypassed_by: null,
      push_protection_bypassed_at: null,
    }));
}

onRepo('GET', '/secret-scanning/alerts', (ctx, repo) => {
  if (repo.secretScanningAlerts === null) return notFound('Secret scanning is disabled on this repository.');
  return listReply(ctx, alertsOf(ctx, repo));
});

on('GET', '/orgs/{org}/secret-scanning/alerts', (ctx) => {
  const org = (ctx.params['org'] ?? '').toLowerCase();
  const repos = [...ctx.state.repos.values()].filter((r) => r.owner.toLowerCase() === org);
  if (repos.length === 0 && !ctx.state.orgs.has(org)) return notFound();
  return listReply(ctx, repos.flatMap((r) => alertsOf(ctx, r).map((a) => ({ ...a, repository: repoJson(ctx, r) }))));
});
