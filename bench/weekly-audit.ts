/**
 * `npm run bench -- --only weekly-audit`: the weekly audit's own work on a generated repository with
 * 10,000 commits adding 1 GB of text (KH_BENCH_AUDIT_MB and KH_BENCH_AUDIT_COMMITS scale it down), read
 * as the audit reads a full checkout: every tracked file on disk, then the lines added by every commit.
 * Generated locally with `git fast-import`; nothing is fetched. The goal is under 5 minutes on 2 cores.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { listTrackedFiles } from '../src/action/checkout.js';
import { scanFiles } from '../src/local/files.js';
import { scanGitHistory } from '../src/local/git.js';
import { githubRules } from '../src/rules/github.js';
import { BUILTIN_RULES } from '../src/rules/index.js';
import { Engine } from '../src/scan/engine.js';
import { createPathFilter } from '../src/scan/path-filter.js';
import type { SampleGen } from '../src/scan/types.js';

const MB = 1024 * 1024;
/** The goal for a 1 GB, 10,000-commit repository on a 2-core runner. */
const GOAL_SECONDS = 300;

/** A small deterministic PRNG (mulberry32): the repository is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gen(random: () => number): SampleGen {
  return {
    chars: (alphabet, n) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''),
    int: (min, max) => min + Math.floor(random() * (max - min + 1)),
    pick: (items) => items[Math.floor(random() * items.length)]!,
    bytes: (n) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256)),
  };
}

const WORDS = ['const', 'value', 'return', 'config', 'client', 'request', 'export', 'function', 'await', 'token', 'options', 'result', 'import', 'from', 'if', 'else'];

/** About `bytes` of code-like text. */
function text(random: () => number, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const n = 4 + Math.floor(random() * 8);
    const line = `${'  '.repeat(Math.floor(random() * 3))}${Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ')} = ${Math.floor(random() * 1e6)};`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes the repository through `git fast-import`: commit i rewrites file `src/m<i % files>.ts` whole, so
 * every commit adds bytes/commits of lines. Two keys are planted: one added and deleted again (only in
 * history), one still in the tree.
 */
async function generate(dir: string, totalBytes: number, commits: number): Promise<void> {
  const marker = path.join(dir, '.kh-complete');
  const spec = `${totalBytes}:${commits}`;
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === spec) return;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  spawnSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  const random = prng(12);
  const rule = githubRules[0]!;
  const inHistory = rule.samples.secret(gen(random));
  const inTree = rule.samples.secret(gen(random));
  const files = Math.max(1, Math.min(2000, Math.floor(commits / 5)));
  const perCommit = Math.floor(totalBytes / commits);
  const child = spawn('git', ['fast-import', '--quiet'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`)))));
  const write = (chunk: string): Promise<void> =>
    new Promise((resolve) => {
      if (child.stdin.write(chunk)) resolve();
      else child.stdin.once('drain', resolve);
    });
  for (let i = 0; i < commits; i++) {
    const file = `src/m${i % files}.ts`;
    let body = text(random, perCommit);
    if (i === Math.floor(commits / 3)) body += `const leaked = "${inHistory}";\n`;
    if (i === commits - 1) body += `const kept = "${inTree}";\n`;
    const message = `change ${i}`;
    const date = 1_700_000_000 + i * 60;
    await write(
      `commit refs/heads/main\ncommitter Bench <bench@example.invalid> ${date} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n` +
        `M 100644 inline ${file}\ndata ${Buffer.byteLength(body)}\n${body}\n`,
    );
  }
  child.stdin.end();
  await done;
  spawnSync('git', ['checkout', '-q', '-f', 'main'], { cwd: dir });
  fs.writeFileSync(marker, spec);
}

export async function runWeeklyAuditBench(work: string): Promise<Record<string, number>> {
  const totalMB = Number(process.env['KH_BENCH_AUDIT_MB'] ?? 1024);
  const commits = Number(process.env['KH_BENCH_AUDIT_COMMITS'] ?? 10_000);
  const dir = path.join(work, `audit-repo-${totalMB}mb-${commits}`);
  let t = performance.now();
  await generate(dir, totalMB * MB, commits);
  console.log(`weekly audit: repository of ${commits} commits adding ${totalMB} MB, ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const engine = new Engine(BUILTIN_RULES);
  const filter = createPathFilter({ ignore: [], useDefaults: true });
  t = performance.now();
  const paths = await listTrackedFiles(dir);
  const tree = await scanFiles(engine, paths.map((p) => path.join(dir, p)), { root: dir, filter, maxFileBytes: 2 * MB });
  const treeSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const history = await scanGitHistory(engine, undefined, { cwd: dir, filter });
  const historySeconds = (performance.now() - t) / 1000;
  const total = treeSeconds + historySeconds;
  const onlyInHistory = history.findings.filter((f) => f.source === 'history').length;
  console.log(
    `weekly audit: tree ${tree.stats.files} files in ${treeSeconds.toFixed(1)} s (${tree.findings.length} finding); ` +
      `history ${commits} commits in ${historySeconds.toFixed(1)} s (${onlyInHistory} only in history); ` +
      `${total.toFixed(1)} s in all, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB` +
      (totalMB >= 1024 && commits >= 10_000 ? (total < GOAL_SECONDS ? '' : `  <-- over the ${GOAL_SECONDS} s goal`) : ' (scaled down: not the 1 GB goal)'),
  );
  return { auditRepoMB: totalMB, auditCommits: commits, auditTreeSeconds: treeSeconds, auditHistorySeconds: historySeconds, auditPeakRssMB: process.resourceUsage().maxRSS / 1024 };
}
