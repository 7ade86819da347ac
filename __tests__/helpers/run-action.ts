/**
 * Runs the built action the way the Actions runner does: a child `node dist/index.js` with
 * `INPUT_*` variables (action.yml defaults applied), an event payload file, `GITHUB_*` variables
 * pointing at the fake GitHub API, and `GITHUB_OUTPUT`/`GITHUB_STEP_SUMMARY` files read back.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { FakeGitHub, RecordedRequest } from '../fake-github/server.js';
import { fakeSha } from '../fake-github/state.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** What `${{ github.token }}` becomes; deliberately not shaped like any real token. */
export const FAKE_GITHUB_TOKEN = 'fake-github-token-for-tests';

export interface RunActionOptions {
  /** Inputs by their action.yml name (`github-token`, `fail-on`). Undeclared names throw. */
  inputs?: Record<string, string | number | boolean>;
  /** `GITHUB_EVENT_NAME`. Default `pull_request`. */
  eventName?: string;
  /** The event payload; `{}` when omitted (a `schedule` run has nothing useful in it). */
  payload?: Record<string, unknown>;
  /** Extra or overriding environment variables, applied last. */
  env?: Record<string, string>;
  /** The fake the action talks to: its URL becomes `GITHUB_API_URL` and friends. */
  api: Pick<FakeGitHub, 'url' | 'requests'>;
  /** `owner/name`; default `payload.repository.full_name`. */
  repository?: string;
  /** Default: a fresh empty temp directory. */
  workspace?: string;
  /** The script to run; default env `KH_ACTION_ENTRY`, else `<repo>/dist/index.js`. */
  entry?: string;
  /** Node options before the entry, e.g. a loader that runs `src/index.ts` from sources. */
  nodeArgs?: string[];
  /** Default `<repo>/action.yml`. */
  actionYml?: string;
  /** Kill the child after this long. Default 60 s. */
  timeoutMs?: number;
}

/** A workflow command the action printed (`::error file=a.ts,line=3::message`). */
export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

export interface RunActionResult {
  /** Exit code; `core.setFailed` gives 1. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Parsed from `GITHUB_OUTPUT`, both `name=value` and `name<<delimiter` forms. */
  outputs: Record<string, string>;
  /** The `GITHUB_STEP_SUMMARY` file's content. */
  summary: string;
  /** Requests the fake received during this run only. */
  requests: RecordedRequest[];
  /** `::command::` lines from stdout (errors, warnings, masks, groups). */
  commands: WorkflowCommand[];
  /** The environment the child ran with, for debugging a failing test. */
  env: Record<string, string>;
}

interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string | number | boolean;
}

/** The inputs action.yml declares, with their defaults. */
export async function readActionInputs(actionYml = join(ROOT, 'action.yml')): Promise<Record<string, ActionInput>> {
  if (!existsSync(actionYml)) throw new Error(`runAction: ${actionYml} does not exist`);
  const doc = parseYaml(await readFile(actionYml, 'utf8')) as { inputs?: Record<string, ActionInput | null> } | null;
  const inputs: Record<string, ActionInput> = {};
  for (const [name, spec] of Object.entries(doc?.inputs ?? {})) inputs[name] = spec ?? {};
  return inputs;
}

/** The runner's variable name for an input: spaces become `_`, hyphens stay, all upper case. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * Runs the built action (`dist/index.js`, or `KH_ACTION_ENTRY`) with node from `KH_NODE`
 * (default: this process's node) as the runner would, against the fake API.
 */
export async function runAction(opts: RunActionOptions): Promise<RunActionResult> {
  const entry = resolve(ROOT, opts.entry ?? process.env['KH_ACTION_ENTRY'] ?? 'dist/index.js');
  if (!existsSync(entry)) throw new Error(`runAction: ${entry} does not exist; run \`npm run build\` first`);
  const node = process.env['KH_NODE'] ?? process.execPath;
  const eventName = opts.eventName ?? 'pull_request';
  const payload = opts.payload ?? {};
  const declared = await readActionInputs(opts.actionYml);

  const dir = await mkdtemp(join(tmpdir(), 'kh-run-'));
  try {
    const workspace = opts.workspace ?? join(dir, 'workspace');
    const runnerTemp = join(dir, 'runner-temp');
    await mkdir(workspace, { recursive: true });
    await mkdir(runnerTemp, { recursive: true });
    const files = {
      event: join(dir, 'event.json'),
      output: join(dir, 'github-output'),
      summary: join(dir, 'step-summary.md'),
      env: join(dir, 'github-env'),
      path: join(dir, 'github-path'),
      state: join(dir, 'github-state'),
    };
    await writeFile(files.event, JSON.stringify(payload, null, 2));
    for (const f of [files.output, files.summary, files.env, files.path, files.state]) await writeFile(f, '');

    const repoPayload = payload['repository'] as { full_name?: string; default_branch?: string } | undefined;
    const repository = opts.repository ?? repoPayload?.full_name ?? 'octo-org/octo-repo';
    const pull = payload['pull_request'] as { number?: number; head?: { ref?: string }; base?: { ref?: string; sha?: string } } | undefined;
    const isPull = pull !== undefined && (eventName === 'pull_request' || eventName === 'pull_request_target');
    const ref = isPull
      ? eventName === 'pull_request_target'
        ? `refs/heads/${pull.base?.ref ?? 'main'}`
        : `refs/pull/${pull.number ?? 0}/merge`
      : typeof payload['ref'] === 'string'
        ? payload['ref']
        : eventName === 'merge_group'
          ? String((payload['merge_group'] as { head_ref?: string } | undefined)?.head_ref ?? '')
          : `refs/heads/${repoPayload?.default_branch ?? 'main'}`;
    // On pull_request the runner checks out a merge commit the API knows nothing about; the action
    // must use the payload's head sha instead, so the fake gets a sha it has not seeded.
    const sha = isPull
      ? eventName === 'pull_request'
        ? fakeSha(`merge:${repository}#${pull.number ?? 0}`)
        : (pull.base?.sha ?? fakeSha(`head:${repository}`))
      : String(payload['after'] ?? (payload['merge_group'] as { head_sha?: string } | undefined)?.head_sha ?? fakeSha(`head:${repository}`));

    const github: Record<string, string> = {
      token: FAKE_GITHUB_TOKEN,
      workspace,
      repository,
      repository_owner: repository.split('/')[0] ?? '',
      sha,
      ref,
      event_name: eventName,
      run_id: '4242',
      api_url: opts.api.url,
      server_url: opts.api.url,
      graphql_url: `${opts.api.url}/graphql`,
    };
    const env: Record<string, string> = {
      // Only what a runner would set: a developer's own GITHUB_TOKEN must not leak into the action.
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? dir,
      LANG: 'C.UTF-8',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_API_URL: github['api_url'] ?? '',
      GITHUB_SERVER_URL: github['server_url'] ?? '',
      GITHUB_GRAPHQL_URL: github['graphql_url'] ?? '',
      GITHUB_REPOSITORY: repository,
      GITHUB_REPOSITORY_OWNER: github['repository_owner'] ?? '',
      GITHUB_SHA: sha,
      GITHUB_REF: ref,
      GITHUB_REF_NAME: ref.replace(/^refs\/(heads|tags)\//, ''),
      GITHUB_HEAD_REF: isPull ? (pull.head?.ref ?? '') : '',
      GITHUB_BASE_REF: isPull ? (pull.base?.ref ?? '') : '',
      GITHUB_WORKSPACE: workspace,
      GITHUB_RUN_ID: github['run_id'] ?? '',
      GITHUB_RUN_NUMBER: '7',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: 'key-hygiene',
      GITHUB_ACTION: '__run',
      GITHUB_ACTOR: 'octocat',
      GITHUB_WORKFLOW: 'key hygiene',
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STATE: files.state,
      RUNNER_TEMP: runnerTemp,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'fake-runner',
      // The local fake needs no pacing: a second of write spacing, retry-after and back-off lasts 10 ms here,
      // so fault cases assert the same retries and outcomes without minutes of waiting. A test may override it.
      KEY_HYGIENE_API_SECOND_MS: '10',
    };

    const given = opts.inputs ?? {};
    for (const name of Object.keys(given)) {
      if (!(name in declared)) throw new Error(`runAction: input "${name}" is not declared in action.yml (declared: ${Object.keys(declared).join(', ')})`);
    }
    for (const [name, spec] of Object.entries(declared)) {
      const value = name in given ? given[name] : spec.default;
      if (value === undefined) continue;
      env[inputEnvName(name)] = expand(String(value), github);
    }
    Object.assign(env, opts.env);

    const start = opts.api.requests.length;
    const { code, stdout, stderr } = await run(node, [...(opts.nodeArgs ?? []), entry], env, workspace, opts.timeoutMs ?? 60_000);
    return {
      code,
      stdout,
      stderr,
      outputs: parseOutputFile(await readFile(files.output, 'utf8')),
      summary: await readFile(files.summary, 'utf8'),
      requests: opts.api.requests.slice(start),
      commands: parseCommands(stdout),
      env,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Replaces `${{ github.x }}` the way the runner evaluates input defaults. */
function expand(value: string, github: Record<string, string>): string {
  return value.replace(/\$\{\{\s*github\.([a-z_]+)\s*\}\}/g, (whole, key: string) => github[key] ?? whole);
}

function run(node: string, args: string[], env: Record<string, string>, cwd: string, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}


/**
 * The action on a `schedule` event of `repository` at `sha` (the default branch, `main`), in a fresh
 * workspace and runner temp removed afterwards. `report` is the JSON report's text, '' when none.
 */
export async function runScheduled(opts: {
  api: RunActionOptions['api'];
  repository: string;
  sha: string;
  inputs?: RunActionOptions['inputs'];
  env?: Record<string, string>;
}): Promise<RunActionResult & { report: string }> {
  const temp = await mkdtemp(join(tmpdir(), 'kh-sched-'));
  try {
    const run = await runAction({
      api: opts.api,
      eventName: 'schedule',
      payload: {},
      repository: opts.repository,
      inputs: opts.inputs ?? {},
      workspace: join(temp, 'workspace'),
      env: { RUNNER_TEMP: join(temp, 'runner-temp'), GITHUB_SHA: opts.sha, GITHUB_REF: 'refs/heads/main', ...opts.env },
    });
    const report = run.outputs['report'] === undefined ? '' : await readFile(run.outputs['report'], 'utf8');
    return { ...run, report };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
/** Parses a `GITHUB_OUTPUT`-style file: `name=value` lines and `name<<DELIM` … `DELIM` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc !== null) {
      const [, name = '', delim = ''] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) body.push(lines[i] ?? '');
      out[name] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** Workflow commands (`::name k=v,k=v::message`) in stdout, with the runner's escapes undone. */
export function parseCommands(stdout: string): WorkflowCommand[] {
  const unescape = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::([a-zA-Z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (m === null) continue;
    const properties: Record<string, string> = {};
    for (const pair of (m[2] ?? '').split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
    }
    commands.push({ command: m[1] ?? '', properties, message: unescape(m[3] ?? '') });
  }
  return commands;
}

// ---------------------------------------------------------------- webhook payloads

interface WebhookDefinition {
  name: string;
  examples: Array<Record<string, unknown>>;
}

let definitions: WebhookDefinition[] | undefined;

function webhookDefinitions(): WebhookDefinition[] {
  definitions ??= createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];
  return definitions;
}

export interface PayloadTarget {
  /** `owner/name` of the repository the fake seeded. */
  repository: string;
  defaultBranch?: string;
  private?: boolean;
  /** Pull request events. */
  number?: number;
  headSha?: string;
  headRef?: string;
  baseSha?: string;
  baseRef?: string;
  /** `owner/name` the PR comes from, for fork PRs (`pull_request_target`); default the repository. */
  headRepository?: string;
  /** Push events: `before` and `after` shas (`before` all zeros for a new branch). */
  before?: string;
  after?: string;
  /** Push events: the pushed ref, default `refs/heads/<defaultBranch>`. */
  ref?: string;
}

/**
 * A real webhook payload from `@octokit/webhooks-examples` rewritten to point at the fake's
 * seeded repository. `event` is `name` or `name.action`: `pull_request.opened`,
 * `pull_request_target.synchronize` (GitHub sends the pull_request payload), `push`, `merge_group`,
 * `workflow_dispatch`. `schedule` returns `{}`: a scheduled run carries no payload to speak of.
 */
export function loadWebhookPayload(event: string, target: PayloadTarget): Record<string, unknown> {
  const [rawName = '', action] = event.split('.');
  if (rawName === 'schedule') return {};
  const name = rawName === 'pull_request_target' ? 'pull_request' : rawName;
  const def = webhookDefinitions().find((d) => d.name === name);
  if (def === undefined) throw new Error(`loadWebhookPayload: no examples for "${name}"`);
  const candidates = def.examples.filter((e) => action === undefined || e['action'] === action);
  // For push, prefer a branch push with commits over the tag examples.
  const example = candidates.find((e) => name !== 'push' || (String(e['ref']).startsWith('refs/heads/') && Array.isArray(e['commits']) && e['commits'].length > 0)) ?? candidates[0];
  if (example === undefined) throw new Error(`loadWebhookPayload: no "${event}" example`);

  const oldRepo = example['repository'] as { full_name: string };
  const [owner = '', repoName = ''] = target.repository.split('/');
  if (owner === '' || repoName === '') throw new Error(`loadWebhookPayload: repository must be "owner/name", got "${target.repository}"`);
  // Rewrite every URL and name that mentions the example's repository, then the fields that matter.
  const payload = JSON.parse(JSON.stringify(example).split(oldRepo.full_name).join(target.repository)) as Record<string, unknown>;
  const defaultBranch = target.defaultBranch ?? 'main';
  const repoFields = (r: Record<string, unknown>, full: string): void => {
    const [o = '', n = ''] = full.split('/');
    Object.assign(r, { name: n, full_name: full, default_branch: defaultBranch, private: target.private ?? false });
    const ownerObj = r['owner'] as Record<string, unknown> | undefined;
    if (ownerObj !== undefined) ownerObj['login'] = o;
  };
  repoFields(payload['repository'] as Record<string, unknown>, target.repository);
  if (payload['organization'] !== undefined) (payload['organization'] as Record<string, unknown>)['login'] = owner;

  const pr = payload['pull_request'] as Record<string, Record<string, unknown>> | undefined;
  if (pr !== undefined) {
    const number = target.number ?? 1;
    payload['number'] = number;
    (pr as Record<string, unknown>)['number'] = number;
    const head = pr['head'] as Record<string, unknown>;
    const base = pr['base'] as Record<string, unknown>;
    head['sha'] = target.headSha ?? fakeSha(`head:${target.repository}#${number}`);
    head['ref'] = target.headRef ?? 'feature';
    base['sha'] = target.baseSha ?? fakeSha(`base:${target.repository}#${number}`);
    base['ref'] = target.baseRef ?? defaultBranch;
    const headRepo = target.headRepository ?? target.repository;
    head['label'] = `${headRepo.split('/')[0] ?? ''}:${String(head['ref'])}`;
    base['label'] = `${owner}:${String(base['ref'])}`;
    if (head['repo'] !== null && head['repo'] !== undefined) {
      repoFields(head['repo'] as Record<string, unknown>, headRepo);
      (head['repo'] as Record<string, unknown>)['fork'] = headRepo !== target.repository;
    }
    if (base['repo'] !== undefined) repoFields(base['repo'] as Record<string, unknown>, target.repository);
  }

  if (name === 'push') {
    const after = target.after ?? fakeSha(`after:${target.repository}`);
    payload['ref'] = target.ref ?? `refs/heads/${defaultBranch}`;
    payload['before'] = target.before ?? fakeSha(`before:${target.repository}`);
    payload['after'] = after;
    payload['created'] = /^0+$/.test(String(payload['before']));
    payload['deleted'] = false;
    payload['compare'] = `${String(payload['before']).slice(0, 12)}...${after.slice(0, 12)}`;
    const headCommit = payload['head_commit'] as Record<string, unknown> | null;
    if (headCommit !== null && headCommit !== undefined) headCommit['id'] = after;
    const commits = payload['commits'] as Array<Record<string, unknown>>;
    const last = commits.at(-1);
    if (last !== undefined) last['id'] = after;
  }

  if (name === 'merge_group') {
    const group = payload['merge_group'] as Record<string, unknown>;
    group['head_sha'] = target.headSha ?? fakeSha(`queue:${target.repository}`);
    group['base_sha'] = target.baseSha ?? fakeSha(`base:${target.repository}`);
    group['base_ref'] = `refs/heads/${target.baseRef ?? defaultBranch}`;
    group['head_ref'] = target.headRef ?? `refs/heads/gh-readonly-queue/${target.baseRef ?? defaultBranch}/pr-${target.number ?? 1}-${String(group['base_sha'])}`;
    const headCommit = group['head_commit'] as Record<string, unknown> | undefined;
    if (headCommit !== undefined) headCommit['id'] = group['head_sha'];
  }

  if (name === 'workflow_dispatch') payload['ref'] = target.ref ?? `refs/heads/${defaultBranch}`;
  return payload;
}
