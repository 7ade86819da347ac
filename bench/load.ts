/**
 * A pull request at GitHub's limits, through the built action and the fake API: 3,000 files (some with
 * 20,000-line patches) and 250 commits. Prints wall time, API calls against the budget
 * ceil(F/100) + C + 6, and the action's peak memory.
 *
 *   npm run build && node --import ./scripts/register-ts.mjs bench/load.ts
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startFakeGitHub } from '../__tests__/fake-github/server.js';
import { fakeSha, type FakeCommit, type FakeFile } from '../__tests__/fake-github/state.js';
import { loadWebhookPayload, runAction } from '../__tests__/helpers/run-action.js';
import { seededGen } from '../__tests__/helpers/sample-gen.js';
import { githubRules } from '../src/rules/github.js';

const FILES = 3000;
const COMMITS = 250;
const BIG_FILES = 10;
const BIG_LINES = 20_000;
const HEAD = fakeSha('load-head');
const BASE = fakeSha('load-base');

function patch(lines: string[]): string {
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
}

export interface LoadResult {
  exitCode: number | null;
  findings: number;
  planted: number;
  seconds: number;
  apiCalls: number;
  budget: number;
  peakRssMb: number | undefined;
}

/** Runs the built action on the largest pull request GitHub can list, and measures it. */
export async function runLoad(): Promise<LoadResult> {
  const gen = seededGen(99);
  const rule = githubRules[0];
  if (rule === undefined) throw new Error('no GitHub rule');
  let planted = 0;
  const files: FakeFile[] = [];
  for (let i = 0; i < FILES; i++) {
    const big = i < BIG_FILES;
    const lines = big ? Array.from({ length: BIG_LINES }, (_, n) => `export const v${n} = ${n};`) : [`export const answer${i} = ${i};`];
    if (i % 500 === 7) {
      lines.push(`const token = "${rule.samples.secret(gen)}";`);
      planted++;
    }
    files.push({ filename: `src/f${String(i).padStart(4, '0')}.ts`, status: 'added', patch: patch(lines) });
  }
  const commits: FakeCommit[] = Array.from({ length: COMMITS }, (_, c) => ({
    sha: c === COMMITS - 1 ? HEAD : fakeSha(`load-c${c}`),
    message: `step ${c}`,
    files: files.slice((c * FILES) / COMMITS, ((c + 1) * FILES) / COMMITS),
  }));

  const api = await startFakeGitHub({
    repos: [{ owner: 'acme', name: 'big', pulls: [{ number: 1, head: { sha: HEAD, ref: 'big' }, base: { sha: BASE, ref: 'main' }, files, commits }] }],
  });
  const temp = await mkdtemp(join(tmpdir(), 'kh-load-'));
  const probe = join(temp, 'maxrss.cjs');
  await writeFile(probe, "process.on('exit', () => process.stderr.write('\\nMAXRSS_KB ' + process.resourceUsage().maxRSS + '\\n'));\n");
  try {
    const payload = loadWebhookPayload('pull_request.synchronize', { repository: 'acme/big', number: 1, headSha: HEAD, baseSha: BASE });
    const started = performance.now();
    const run = await runAction({
      api,
      eventName: 'pull_request',
      payload,
      repository: 'acme/big',
      inputs: { comment: 'never', 'check-run': 'false' },
      workspace: join(temp, 'ws'),
      env: { RUNNER_TEMP: join(temp, 'rt'), NODE_OPTIONS: `--require ${probe}` },
      timeoutMs: 15 * 60_000,
    });
    const seconds = (performance.now() - started) / 1000;
    const rss = /MAXRSS_KB (\d+)/.exec(run.stderr);
    return {
      exitCode: run.code,
      findings: Number(run.outputs['findings'] ?? NaN),
      planted,
      seconds,
      apiCalls: run.requests.length,
      budget: Math.ceil(FILES / 100) + COMMITS + 6,
      peakRssMb: rss === null ? undefined : Number(rss[1]) / 1024,
    };
  } finally {
    await api.close();
    await rm(temp, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await runLoad();
  console.log(`load: ${FILES} files (${BIG_FILES} of ${BIG_LINES} lines), ${COMMITS} commits`);
  console.log(`load: exit ${r.exitCode}, findings ${r.findings} of ${r.planted} planted, ${r.seconds.toFixed(1)} s wall`);
  console.log(`load: ${r.apiCalls} API calls (budget ceil(F/100) + C + 6 = ${r.budget})`);
  console.log(`load: peak RSS ${r.peakRssMb === undefined ? 'unknown' : `${r.peakRssMb.toFixed(0)} MB`}`);
}
