/**
 * Every endpoint of the pull request flow under every fault the fake can inject: the run never crashes,
 * never shows a key, reports what it found, fails per fail-on, and names the endpoint when it could not
 * do something.
 */
import { describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/github/comments.js';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import type { FakeFile, RepoSeed } from '../fake-github/state.js';
import { loadWebhookPayload } from '../helpers/run-action.js';
import { BASE, FULL, HEAD, OWNER, PR, REPO, addPatch, everythingVisible, key, runOnPull } from '../action/scenario.js';
import { fakeSha } from '../fake-github/state.js';
import { CONCURRENCY, FAULTS, caseLabel, checkRun, expectedWait, pool, type Expectation, type FaultCase } from './matrix.js';

const LEAKS = 'src/leaks.ts';
const PATCHLESS = 'data/big.json';
const REMOVED = 'old.ts';
/** Over 50 findings, so the check run needs its update call for the second batch of annotations. */
const LEAK_LINES = 51;
const CLEAN_FILES = 100;
const FIRST = fakeSha('first-commit');

const leakKeys = Array.from({ length: LEAK_LINES }, (_, i) => key(1000 + i));
const patchlessKey = key(1100);
const historyKey = key(1101);
const ALL_SECRETS = [...leakKeys, patchlessKey, historyKey];

function prFiles(): FakeFile[] {
  const clean = Array.from({ length: CLEAN_FILES }, (_, i): FakeFile => {
    const n = String(i).padStart(3, '0');
    return { filename: `src/clean-${n}.ts`, status: 'modified', patch: addPatch([`export const answer${n} = 42;`]) };
  });
  return [
    { filename: LEAKS, status: 'added', patch: addPatch(leakKeys.map((k, i) => `const token${i} = "${k}";`)) },
    // No patch: GitHub leaves it out of diffs too large to show, and the action fetches the file whole.
    { filename: PATCHLESS, status: 'modified' },
    ...clean,
  ];
}

/** A PR of 102 files (two pages) and two commits, the first adding a key the second removes. */
function seed(withComment: boolean): RepoSeed {
  const files = prFiles();
  return {
    owner: OWNER,
    name: REPO,
    pulls: [
      {
        number: PR,
        head: { sha: HEAD, ref: 'feature' },
        base: { sha: BASE, ref: 'main' },
        files,
        commits: [
          { sha: FIRST, files: [{ filename: REMOVED, status: 'added', patch: addPatch([`const legacy = "${historyKey}";`]) }] },
          { sha: HEAD, parents: [FIRST], files: [...files, { filename: REMOVED, status: 'removed', patch: `@@ -1 +0,0 @@\n-const legacy = "${historyKey}";` }] },
        ],
      },
    ],
    snapshots: [
      { sha: BASE, files: { '.github/key-hygiene.yml': 'version: 1\n' } },
      { sha: HEAD, files: { [PATCHLESS]: `{"token": "${patchlessKey}"}\n` } },
    ],
    comments: withComment ? [{ issue_number: PR, body: `${COMMENT_MARKER}\nAn earlier run's report.\n`, user: { login: 'github-actions[bot]', type: 'Bot' } }] : [],
  };
}

type Role = 'fatal' | 'config' | 'history' | 'patchless' | 'best-effort';

interface Endpoint {
  name: string;
  method: string;
  path: string;
  /** The route as the log names it. */
  route: string;
  role: Role;
  /** Calls that create something are not repeated after a lost answer. */
  create?: boolean;
  /** Seed an earlier comment, so that the run updates it. */
  withComment?: boolean;
}

const R = '/repos/{owner}/{repo}';
const ENDPOINTS: readonly Endpoint[] = [
  { name: 'pull files', method: 'GET', path: `${R}/pulls/{pull_number}/files`, route: `GET ${R}/pulls/{pull_number}/files`, role: 'fatal' },
  { name: 'pull commits', method: 'GET', path: `${R}/pulls/{pull_number}/commits`, route: `GET ${R}/pulls/{pull_number}/commits`, role: 'fatal' },
  { name: 'commit files', method: 'GET', path: `${R}/commits/{ref}`, route: `GET ${R}/commits/{ref}`, role: 'history' },
  { name: 'contents (config)', method: 'GET', path: `${R}/contents/.github/key-hygiene.yml`, route: `GET ${R}/contents/{path}`, role: 'config' },
  { name: 'contents (file without a patch)', method: 'GET', path: `${R}/contents/${PATCHLESS}`, route: `GET ${R}/contents/{path}`, role: 'patchless' },
  // Who the token is, to find its own sticky comment among look-alikes (an earlier run's one here).
  { name: 'token identity', method: 'GET', path: '/user', route: 'GET /user', role: 'best-effort', withComment: true },
  { name: 'comments list', method: 'GET', path: `${R}/issues/{issue_number}/comments`, route: `GET ${R}/issues/{issue_number}/comments`, role: 'best-effort' },
  { name: 'comment create', method: 'POST', path: `${R}/issues/{issue_number}/comments`, route: `POST ${R}/issues/{issue_number}/comments`, role: 'best-effort', create: true },
  { name: 'comment update', method: 'PATCH', path: `${R}/issues/comments/{comment_id}`, route: `PATCH ${R}/issues/comments/{comment_id}`, role: 'best-effort', withComment: true },
  { name: 'check-run create', method: 'POST', path: `${R}/check-runs`, route: `POST ${R}/check-runs`, role: 'best-effort', create: true },
  { name: 'check-run update', method: 'PATCH', path: `${R}/check-runs/{check_run_id}`, route: `PATCH ${R}/check-runs/{check_run_id}`, role: 'best-effort' },
];

const everything = { files: [LEAKS, PATCHLESS, REMOVED], count: LEAK_LINES + 2 };

function expectation(ep: Endpoint, fault: FaultCase): Expectation {
  const named = new RegExp(ep.route.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const base = { named, secrets: ALL_SECRETS };
  const status = fault.kind.fault === 'status' ? fault.kind.status : undefined;
  if (fault.transient === true) {
    // A create is not repeated after a lost answer, so a timeout there leaves it out with a warning.
    const lost = fault.kind.fault === 'delay' && ep.create === true;
    return { ...base, ...everything, outcome: lost ? 'degraded' : 'ok' };
  }
  switch (ep.role) {
    case 'fatal':
      return { ...base, files: [], count: 0, outcome: 'fatal' };
    case 'config':
      // No config file at the base commit is not an error: the defaults apply.
      return status === 404 ? { ...base, ...everything, outcome: 'ok' } : { ...base, files: [], count: 0, outcome: 'fatal' };
    case 'history':
      return { ...base, files: [LEAKS, PATCHLESS], count: LEAK_LINES + 1, outcome: 'partial' };
    case 'patchless':
      // A file gone from the head commit (404) is a note; any other failure leaves the scan incomplete.
      return { ...base, files: [LEAKS, REMOVED], count: LEAK_LINES + 1, outcome: status === 404 ? 'ok' : 'partial' };
    case 'best-effort':
      // A 403 or 404 on /user is how the action learns the token is an installation's (the workflow's own).
      if (ep.name === 'token identity' && (status === 403 || status === 404)) return { ...base, ...everything, outcome: 'ok' };
      return { ...base, ...everything, outcome: 'degraded' };
  }
}

async function runCase(ep: Endpoint, fault: FaultCase): Promise<void> {
  const api: FakeGitHub = await startFakeGitHub({ repos: [seed(ep.withComment === true)], viewer: { login: 'github-actions[bot]', type: 'Bot' } });
  try {
    api.faults.add({ ...fault.kind, method: ep.method, path: ep.path, times: fault.times });
    const payload = loadWebhookPayload('pull_request.synchronize', { repository: FULL, number: PR, headSha: HEAD, baseSha: BASE });
    Object.assign(payload['pull_request'] as Record<string, unknown>, { changed_files: CLEAN_FILES + 2, commits: 2 });
    const run = await runOnPull(api, { 'fail-on': 'leaks' }, { payload });
    const label = caseLabel(ep.name, fault);
    const want = expectation(ep, fault);
    checkRun(label, run, everythingVisible(run, api), want);
    const fired = api.faults.all()[0]?.fired ?? 0;
    expect.soft(fired, `${label}: the fault fired`).toBeGreaterThan(0);
    if (fault.kind.fault === 'link-stops-early' && ep.name === 'pull files') {
      expect.soft(run.summary, `${label}: the summary says files were left out`).toMatch(/GitHub listed 100 of the pull request's 102 changed files/);
    }
  } finally {
    await api.close();
  }
}

describe('pull request flow: every endpoint × every fault', () => {
  it(
    `${ENDPOINTS.length} endpoints × ${FAULTS.length} faults`,
    async () => {
      const cases = ENDPOINTS.flatMap((ep) => FAULTS.map((fault) => ({ ep, fault }))).sort((a, b) => expectedWait(b.fault) - expectedWait(a.fault));
      await pool(cases, CONCURRENCY, ({ ep, fault }) => runCase(ep, fault));
    },
    300_000,
  );
});
