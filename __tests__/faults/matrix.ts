/**
 * The endpoint × fault matrix: every fault kind the fake can inject, every endpoint the action calls, and
 * what a user should see for each pair. Runs are child processes that mostly wait (retry back-off, the
 * write spacing of the throttling plugin, a timeout), so many run at once through a small pool.
 */
import { availableParallelism } from 'node:os';
import { expect } from 'vitest';
import { REQUEST_TIMEOUT_MS } from '../../src/github/client.js';
import type { FaultKind } from '../fake-github/faults.js';
import type { FakeGitHub } from '../fake-github/server.js';
import type { ActionRun } from '../action/scenario.js';
import { mapConcurrently } from '../../src/action/map-concurrently.js';

export interface FaultCase {
  name: string;
  kind: FaultKind;
  /** Whether the fault repeats on every matching call (a status that will not change) or hits once. */
  times: number | 'always';
  /** A fault a retry gets past, or one that alters nothing that matters: the run ends as without it. */
  transient?: boolean;
}

/** Every fault of the matrix. Retry-after is 1 s so that the waits stay short. */
export const FAULTS: readonly FaultCase[] = [
  { name: '401', kind: { fault: 'status', status: 401 }, times: 'always' },
  { name: '403 without rate-limit headers', kind: { fault: 'status', status: 403 }, times: 'always' },
  { name: 'secondary rate limit 403', kind: { fault: 'secondary-rate-limit', status: 403, retryAfter: 1 }, times: 'always' },
  { name: 'secondary rate limit 429', kind: { fault: 'secondary-rate-limit', status: 429, retryAfter: 1 }, times: 'always' },
  { name: '404', kind: { fault: 'status', status: 404 }, times: 'always' },
  { name: '409', kind: { fault: 'status', status: 409 }, times: 'always' },
  { name: '422', kind: { fault: 'status', status: 422 }, times: 'always' },
  { name: '500', kind: { fault: 'status', status: 500 }, times: 'always' },
  { name: '502', kind: { fault: 'status', status: 502 }, times: 'always' },
  { name: '503', kind: { fault: 'status', status: 503 }, times: 'always' },
  { name: 'socket reset mid-response', kind: { fault: 'socket-reset', when: 'mid-body' }, times: 'always' },
  { name: 'malformed JSON', kind: { fault: 'malformed-json' }, times: 'always' },
  { name: 'Link header that stops early', kind: { fault: 'link-stops-early' }, times: 'always', transient: true },
  // Once: the client gives up after its timeout and the retry is answered at once.
  { name: 'slow response past the timeout', kind: { fault: 'delay', ms: REQUEST_TIMEOUT_MS + 2_000 }, times: 1, transient: true },
];

/**
 * What a run shows for one endpoint × fault:
 * - `ok`: as without the fault;
 * - `degraded`: an optional output (comment, check run, tracking issue, one listing) is missing, with a warning;
 * - `partial`: part of what should be scanned was not, the rest is reported and the run fails;
 * - `fatal`: nothing could be scanned, and the run fails with one line naming the endpoint.
 */
export type Outcome = 'ok' | 'degraded' | 'partial' | 'fatal';

/** Runs `work` for each item, at most `limit` at a time (the action's own helper). */
export const pool = mapConcurrently;

/**
 * Runs at once. Each is a node process that spends most of its time waiting (retry back-off, a timeout);
 * its CPU cost is mostly its start-up, about half a second, so many per core keep both busy. About 60 MB each.
 */
export const CONCURRENCY = Math.max(16, availableParallelism() * 16);

/**
 * Roughly how long a case waits, so the longest start first and the pool does not end on a tail of them:
 * a timeout costs the deadline, a persistent server error the retry plugin's 1 + 4 + 9 s.
 */
export function expectedWait(fault: FaultCase): number {
  if (fault.kind.fault === 'delay') return REQUEST_TIMEOUT_MS / 1000;
  if (fault.times === 'always' && ['socket-reset', 'malformed-json'].includes(fault.kind.fault)) return 14;
  if (fault.times === 'always' && fault.kind.fault === 'status' && fault.kind.status >= 500) return 14;
  return 2;
}

/** Traces of a crash rather than a handled failure. */
const CRASH = /UnhandledPromiseRejection|Unhandled rejection|\n\s+at .+:\d+:\d+\)?\n|TypeError|ReferenceError|is not a function|Cannot read properties|is not iterable/;

export interface Expectation {
  outcome: Outcome;
  /** Files whose findings must be reported (in the summary and as annotations); `count` is the total. */
  files: readonly string[];
  count: number;
  /** How the endpoint is named in the log line about the failure. */
  named: RegExp;
  /** The planted keys: none may be visible anywhere. */
  secrets: readonly string[];
}

/** The checks every case gets, soft so that one run reports all that is wrong with it. */
export function checkRun(label: string, run: ActionRun, visible: string, want: Expectation): void {
  const soft = (cond: boolean, what: string): void => {
    expect.soft(cond, `${label}: ${what}\n--- exit ${run.code}; errors/warnings:\n${logLines(run).join('\n')}\n--- stderr:\n${run.stderr.slice(0, 2000)}`).toBe(true);
  };
  soft(run.code === 0 || run.code === 1, `exit code 0 or 1, got ${run.code}`);
  soft(!CRASH.test(run.stderr) && !CRASH.test(run.stdout), 'no crash trace or JavaScript error in the output');
  soft(want.secrets.every((s) => !visible.includes(s)), 'no planted key visible anywhere');

  const errors = run.commands.filter((c) => c.command === 'error');
  const failure = errors.filter((c) => c.properties['file'] === undefined);
  const lines = logLines(run);
  if (want.outcome === 'fatal') {
    soft(run.code === 1, 'the run fails');
    soft(failure.some((c) => want.named.test(c.message) && !c.message.includes('\n')), `one ::error:: line names the endpoint (${want.named})`);
    soft(failure.some((c) => ACTIONABLE.test(c.message)), 'the ::error:: line says what to do');
    return;
  }
  soft(run.code === 1, 'the run fails per fail-on: leaks');
  soft(run.outputs['findings'] === String(want.count), `findings output ${want.count}, got ${run.outputs['findings']}`);
  for (const file of want.files) {
    soft(run.summary.includes(file), `the job summary lists ${file}`);
  }
  const annotated = new Set(run.commands.filter((c) => c.properties['file'] !== undefined).map((c) => c.properties['file']));
  soft(want.files.some((f) => annotated.has(f)), 'findings are annotated in the workflow');
  if (want.outcome === 'degraded' || want.outcome === 'partial') {
    soft(lines.some((l) => want.named.test(l) && ACTIONABLE.test(l)), `a log line names the endpoint (${want.named}) and says what to do`);
  }
  if (want.outcome === 'partial') {
    soft(failure.some((c) => /incomplete/.test(c.message)), 'the ::error:: line says the scan is incomplete');
  }
}

/** Words of a message that tells the reader what to do next. */
const ACTIONABLE = /rerun|permission|needs|lacks|token|githubstatus|later|secret scanning may be off/i;

function logLines(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((l) => /^::(error|warning|notice)|Note:|Could not/.test(l));
}

/** Names a case for the report: endpoint × fault. */
export function caseLabel(endpoint: string, fault: FaultCase): string {
  return `${endpoint} × ${fault.name}`;
}

export type { FakeGitHub };
