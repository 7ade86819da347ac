/**
 * Every endpoint of the scheduled audit under every fault the fake can inject: the archive link, the tree and
 * blobs it falls back to, the
 * secret and variable listings, secret-scanning alerts and the tracking issue. Only the repository and
 * its tree are needed to audit at all; the rest degrade to a warning or a note.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRACKING_MARKER, TRACKING_TITLE } from '../../src/report/tracking-issue.js';
import { startFakeGitHub } from '../fake-github/server.js';
import { fakeSha, gitBlobSha, type RepoSeed } from '../fake-github/state.js';
import { runAction } from '../helpers/run-action.js';
import { FULL, OWNER, REPO, key, type ActionRun } from '../action/scenario.js';
import { CONCURRENCY, FAULTS, caseLabel, checkRun, expectedWait, pool, type Expectation, type FaultCase } from './matrix.js';

const MAIN = fakeSha('fault-main');
const README = '# app\n';
const SETTINGS = 'src/settings.ts';
const VARIABLE = 'variables/API_TOKEN';
const fileKey = key(2001);
const variableKey = key(2002);
const alertKey = key(2003);
const SECRETS = [fileKey, variableKey, alertKey];
const DAY = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString();

/** `reopen`: a closed tracking issue exists, so the run reopens it (update + comment); `fresh`: none yet (label + create). */
function seed(variant: 'fresh' | 'reopen'): RepoSeed {
  return {
    owner: OWNER,
    name: REPO,
    default_branch: 'main',
    snapshots: [{ sha: MAIN, ref: 'main', files: { 'README.md': README, [SETTINGS]: `export const token = "${fileKey}";\n` } }],
    secrets: { actions: [{ name: 'DEPLOY_TOKEN', created_at: daysAgo(400), updated_at: daysAgo(10) }], dependabot: [{ name: 'NPM_TOKEN', created_at: daysAgo(5), updated_at: daysAgo(5) }] },
    variables: [{ name: 'API_TOKEN', value: variableKey }],
    environments: [{ name: 'prod', secrets: [{ name: 'PROD_KEY', created_at: daysAgo(3), updated_at: daysAgo(3) }] }],
    secretScanningAlerts: [{ number: 3, state: 'open', secret_type: 'github_personal_access_token', secret_type_display_name: 'GitHub PAT', secret: alertKey }],
    ...(variant === 'reopen'
      ? {
          labels: [{ name: 'key-hygiene', color: 'b60205' }],
          issues: [{ title: TRACKING_TITLE, body: `${TRACKING_MARKER}\nAll clear last week.\n`, state: 'closed', labels: ['key-hygiene'], user: 'github-actions[bot]' }],
        }
      : {}),
  };
}

type Role = 'fatal' | 'archive' | 'tree' | 'blob' | 'variables' | 'best-effort';

interface Endpoint {
  name: string;
  method: string;
  path: string;
  /** How the failure line names it. */
  named: RegExp;
  role: Role;
  variant: 'fresh' | 'reopen';
  create?: boolean;
}

const R = '/repos/{owner}/{repo}';
const route = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
const ENDPOINTS: readonly Endpoint[] = [
  { name: 'repository', method: 'GET', path: R, named: route(`GET ${R}`), role: 'fatal', variant: 'fresh' },
  // The archive link: any failure falls back to the trees and blobs API, which still finds everything.
  { name: 'archive link', method: 'GET', path: `${R}/tarball/{ref}`, named: /repository archive: GET \/repos\/\{owner\}\/\{repo\}\/tarball\/\{ref\}/, role: 'archive', variant: 'fresh' },
  // The tree and blob cases run with the archive download failing, so that the fallback is what they exercise.
  { name: 'tree', method: 'GET', path: `${R}/git/trees/{tree_sha}`, named: route(`GET ${R}/git/trees/{tree_sha}`), role: 'tree', variant: 'fresh' },
  // One blob, the README's: the other file's key must still be found and reported.
  { name: 'blob', method: 'GET', path: `${R}/git/blobs/${gitBlobSha(README)}`, named: route(`GET ${R}/git/blobs/{file_sha}`), role: 'blob', variant: 'fresh' },
  { name: 'actions secrets', method: 'GET', path: `${R}/actions/secrets`, named: route(`GET ${R}/actions/secrets`), role: 'best-effort', variant: 'fresh' },
  { name: 'dependabot secrets', method: 'GET', path: `${R}/dependabot/secrets`, named: route(`GET ${R}/dependabot/secrets`), role: 'best-effort', variant: 'fresh' },
  { name: 'variables', method: 'GET', path: `${R}/actions/variables`, named: route(`GET ${R}/actions/variables`), role: 'variables', variant: 'fresh' },
  { name: 'environments', method: 'GET', path: `${R}/environments`, named: route(`GET ${R}/environments`), role: 'best-effort', variant: 'fresh' },
  {
    name: 'environment secrets',
    method: 'GET',
    path: `${R}/environments/{environment_name}/secrets`,
    named: route(`GET ${R}/environments/{environment_name}/secrets`),
    role: 'best-effort',
    variant: 'fresh',
  },
  { name: 'secret-scanning alerts', method: 'GET', path: `${R}/secret-scanning/alerts`, named: /secret-scanning alerts/i, role: 'best-effort', variant: 'fresh' },
  { name: 'issues list', method: 'GET', path: `${R}/issues`, named: route(`GET ${R}/issues`), role: 'best-effort', variant: 'fresh' },
  // Who the token is, to take as the tracking issue only one it opened (a closed one of its own here).
  { name: 'token identity', method: 'GET', path: '/user', named: route('GET /user'), role: 'best-effort', variant: 'reopen' },
  { name: 'label get', method: 'GET', path: `${R}/labels/{name}`, named: route(`GET ${R}/labels/{name}`), role: 'best-effort', variant: 'fresh' },
  // Not a `create` here: a label cannot be made twice, so its create is retried after a lost answer (a
  // repeat that finds the label made answers 422, which counts as made), and the run goes on as without the fault.
  { name: 'label create', method: 'POST', path: `${R}/labels`, named: route(`POST ${R}/labels`), role: 'best-effort', variant: 'fresh' },
  { name: 'issue create', method: 'POST', path: `${R}/issues`, named: route(`POST ${R}/issues`), role: 'best-effort', variant: 'fresh', create: true },
  { name: 'issue update', method: 'PATCH', path: `${R}/issues/{issue_number}`, named: route(`PATCH ${R}/issues/{issue_number}`), role: 'best-effort', variant: 'reopen' },
  {
    name: 'issue comment',
    method: 'POST',
    path: `${R}/issues/{issue_number}/comments`,
    named: route(`POST ${R}/issues/{issue_number}/comments`),
    role: 'best-effort',
    variant: 'reopen',
    create: true,
  },
];

const everything = { files: [SETTINGS, VARIABLE], count: 2 };

function expectation(ep: Endpoint, fault: FaultCase): Expectation {
  const base = { named: ep.named, secrets: SECRETS };
  const status = fault.kind.fault === 'status' ? fault.kind.status : undefined;
  if (fault.transient === true) {
    const lost = fault.kind.fault === 'delay' && ep.create === true;
    return { ...base, ...everything, outcome: lost ? 'degraded' : 'ok' };
  }
  switch (ep.role) {
    case 'fatal':
      return { ...base, files: [], count: 0, outcome: 'fatal' };
    case 'archive':
      return { ...base, ...everything, outcome: 'degraded' };
    case 'tree':
      // 404 or 409 from the trees API after the repository answered: GitHub's "empty repository"; a note.
      return status === 404 || status === 409 ? { ...base, files: [VARIABLE], count: 1, outcome: 'ok' } : { ...base, files: [], count: 0, outcome: 'fatal' };
    case 'blob':
      return { ...base, ...everything, outcome: 'partial' };
    case 'variables':
      return { ...base, files: [SETTINGS], count: 1, outcome: 'degraded' };
    case 'best-effort':
      // A 404 on the label is how the action learns it must create it; a 403 or 404 on /user, that the
      // token is an installation's (the workflow's own), which may not read it.
      if (ep.name === 'label get' && status === 404) return { ...base, ...everything, outcome: 'ok' };
      if (ep.name === 'token identity' && (status === 403 || status === 404)) return { ...base, ...everything, outcome: 'ok' };
      return { ...base, ...everything, outcome: 'degraded' };
  }
}

async function runCase(ep: Endpoint, fault: FaultCase): Promise<void> {
  const api = await startFakeGitHub({ repos: [seed(ep.variant)] });
  const temp = await mkdtemp(join(tmpdir(), 'kh-fault-'));
  try {
    api.faults.add({ ...fault.kind, method: ep.method, path: ep.path, times: fault.times });
    if (ep.role === 'tree' || ep.role === 'blob') api.faults.add({ fault: 'status', status: 503, path: /^\/_codeload\//, times: 'always' });
    const result = await runAction({
      api,
      eventName: 'schedule',
      payload: {},
      repository: FULL,
      inputs: { 'secrets-token': 'secrets-reader', 'fail-on': 'leaks' },
      workspace: join(temp, 'workspace'),
      env: { RUNNER_TEMP: join(temp, 'runner-temp'), GITHUB_SHA: MAIN, GITHUB_REF: 'refs/heads/main' },
    });
    const jsonReport = result.outputs['report'] === undefined ? undefined : await readFile(result.outputs['report'], 'utf8').catch(() => undefined);
    const run: ActionRun = { ...result, jsonReport, sarif: undefined };
    const issues = api.state.repos.get(FULL)?.issues ?? [];
    const visible = [result.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n'), result.stderr, result.summary, jsonReport ?? '', JSON.stringify(api.requests.map((r) => r.body)), JSON.stringify(issues)].join('\n');
    const label = caseLabel(ep.name, fault);
    checkRun(label, run, visible, expectation(ep, fault));
    expect.soft(api.faults.all()[0]?.fired ?? 0, `${label}: the fault fired`).toBeGreaterThan(0);
    // However the tracking issue calls fared, there is never more than one.
    expect.soft(issues.filter((i) => (i.body ?? '').startsWith(TRACKING_MARKER)).length, `${label}: at most one tracking issue`).toBeLessThanOrEqual(1);
  } finally {
    await api.close();
    await rm(temp, { recursive: true, force: true });
  }
}

describe('scheduled audit: every endpoint × every fault', () => {
  it(
    `${ENDPOINTS.length} endpoints × ${FAULTS.length} faults`,
    async () => {
      const cases = ENDPOINTS.flatMap((ep) => FAULTS.map((fault) => ({ ep, fault }))).sort((a, b) => expectedWait(b.fault) - expectedWait(a.fault));
      await pool(cases, CONCURRENCY, ({ ep, fault }) => runCase(ep, fault));
    },
    // Not a speed goal: under a loaded machine the matrix's retries and timeouts add up (see expectedWait).
    600_000,
  );
});
