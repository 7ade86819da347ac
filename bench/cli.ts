/**
 * Whole-process figures for the built CLI, each next to a floor measured in the same run:
 * - a tree of at least 100 MB of real code in many small files, scanned by `dist/cli/index.js` on one
 *   thread and on two threads (`-j 2`: the main thread and one worker), against a read-only floor (walk, read each file, one `indexOf`) run as its
 *   own node process over the same tree;
 * - `scan --staged` on a typical commit (a few files, about a hundred added lines), whole process, through
 *   the installed command (`dist/cli/bin.mjs`, which turns on node's compile cache where node has one).
 * Wall time is what a user waits for; CPU time is printed too, because on a shared machine the wall time
 * of every run, floor included, stretches with the load.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BUILTIN_RULES } from '../src/rules/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const WORK = path.join(ROOT, '.bench');
const CLI = path.join(ROOT, 'dist/cli/index.js');
/** The installed command (package.json bin): what a pre-commit hook runs. */
const BIN = path.join(ROOT, 'dist/cli/bin.mjs');
const TREE_BYTES = 120 * 1024 * 1024;
const MB = 1024 * 1024;
/** Built by bench/precision.ts (issue 11): real third-party code, no path says node_modules. */
const PRECISION_CORPUS = '/work/precision-corpus';
const TEXT_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.json', '.md', '.map', '.d.ts', '.yml', '.yaml', '.txt']);

interface Run {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMB: number;
  status: number | null;
  stderr: string;
}

export interface CliBenchResults {
  treeMB: number;
  treeFiles: number;
  treeSource: string;
  floorMBps: number;
  oneThreadMBps: number;
  twoWorkersMBps: number;
  oneThreadOfFloor: number;
  twoWorkersOfFloor: number;
  peakRssMB: number;
  cpuSeconds: { floor: number; oneThread: number; twoWorkers: number; noRules: number };
  /** The CLI with every rule disabled, one thread: its own per-file cost against the floor's. */
  noRulesOfFloor: number;
  staged: { wallMs: number; cpuMs: number; nodeStartMs: number };
  /** The same with the node named by KH_BENCH_STAGED_NODE, when set. */
  stagedOtherNode?: { node: string; wallMs: number; cpuMs: number; nodeStartMs: number };
}

/**
 * Hard links (copies across file systems) to real text files, sorted by path, until the tree holds
 * TREE_BYTES: from the precision corpus when it exists, else from this repository's node_modules.
 */
function buildTree(tree: string): { files: number; bytes: number; source: string } {
  const marker = path.join(tree, '.complete');
  if (fs.existsSync(marker)) return JSON.parse(fs.readFileSync(marker, 'utf8')) as { files: number; bytes: number; source: string };
  fs.rmSync(tree, { recursive: true, force: true });
  const fromCorpus = fs.existsSync(path.join(PRECISION_CORPUS, '.complete'));
  const source = fromCorpus ? path.join(PRECISION_CORPUS, 'corpus') : path.join(ROOT, 'node_modules');
  let bytes = 0;
  let files = 0;
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (bytes >= TREE_BYTES) return;
      const from = path.join(dir, e.name);
      if (e.isDirectory()) walk(from);
      else if (e.isFile() && TEXT_EXTENSIONS.has(path.extname(e.name))) {
        const size = fs.statSync(from).size;
        if (size === 0 || size > 2 * MB) continue;
        const to = path.join(tree, path.relative(source, from).replace(/node_modules/g, 'nm'));
        fs.mkdirSync(path.dirname(to), { recursive: true });
        try {
          fs.linkSync(from, to);
        } catch {
          fs.copyFileSync(from, to);
        }
        bytes += size;
        files++;
      }
    }
  };
  walk(source);
  const info = { files, bytes, source: fromCorpus ? 'precision corpus (real third-party code)' : 'node_modules' };
  fs.writeFileSync(marker, JSON.stringify(info));
  return info;
}

/** Runs node (this one, or `node` given) with a probe that reports peak RSS and CPU time on exit. */
function timed(args: string[], cwd: string, node = process.execPath): Run {
  const probe = path.join(WORK, 'usage-probe.cjs');
  fs.writeFileSync(
    probe,
    "process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\nUSAGE ' + u.maxRSS + ' ' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });\n",
  );
  const t0 = performance.now();
  const run = spawnSync(node, ['--require', probe, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * MB });
  const wallSeconds = (performance.now() - t0) / 1000;
  const m = /USAGE (\d+) (\d+)/.exec(run.stderr);
  return {
    wallSeconds,
    peakRssMB: m === null ? NaN : Number(m[1]) / 1024,
    cpuSeconds: m === null ? NaN : Number(m[2]) / 1e6,
    status: run.status,
    stderr: run.stderr.replace(/\nUSAGE .*\n/, ''),
  };
}

function best(runs: Run[]): Run {
  return runs.reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a));
}

/**
 * `scan --staged` on a commit of three files and about a hundred added lines, median of several runs,
 * with this node or the one given (KH_BENCH_STAGED_NODE: node's compile cache needs 22.1 or later).
 */
function stagedMs(node = process.execPath): { wallMs: number; cpuMs: number; nodeStartMs: number } {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-bench-staged-'));
  try {
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.invalid', ...args], { cwd: repo, stdio: 'ignore' });
    };
    git('init', '-q');
    for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(repo, `mod${i}.ts`), `export const v${i} = ${i};\n`.repeat(50));
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    for (let i = 0; i < 3; i++) fs.appendFileSync(path.join(repo, `mod${i}.ts`), `export function f${i}(x: number): number {\n  return x * ${i};\n}\n`.repeat(11));
    git('add', '-A');
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const wall: number[] = [];
    const cpu: number[] = [];
    const bare: number[] = [];
    // Interleaved with a bare `node -e 0`: what starting node costs on this machine at this moment.
    for (let r = 0; r < 7; r++) {
      const run = timed([BIN, 'scan', '--staged'], repo, node);
      if (run.status !== 0) throw new Error(`scan --staged failed (exit ${run.status}): ${run.stderr.slice(0, 300)}`);
      wall.push(run.wallSeconds * 1000);
      cpu.push(run.cpuSeconds * 1000);
      bare.push(timed(['-e', '0'], repo, node).wallSeconds * 1000);
    }
    return { wallMs: median(wall), cpuMs: median(cpu), nodeStartMs: median(bare) };
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
}

/** Prints and returns the whole-process figures; throws when the CLI is not built. */
export function benchCli(): CliBenchResults {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli/index.js is not built: run npm run build first');
  fs.mkdirSync(WORK, { recursive: true });
  const tree = path.join(WORK, 'tree');
  const info = buildTree(tree);
  const treeMB = info.bytes / MB;
  console.log(`whole process: a tree of ${info.files} files, ${treeMB.toFixed(1)} MB, from the ${info.source}`);

  const floorScript = path.join(WORK, 'read-floor.mjs');
  fs.writeFileSync(
    floorScript,
    [
      "import fs from 'node:fs'; import path from 'node:path';",
      'let hits = 0;',
      'const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name);',
      "  if (e.isDirectory()) walk(p); else if (e.isFile() && fs.readFileSync(p, 'utf8').indexOf('ghp_') !== -1) hits++; } };",
      'walk(process.argv[2]); console.log(hits);',
    ].join('\n'),
  );
  // --no-git: the tree lies in the git-ignored .bench/; the output goes to a file so the terminal is not timed.
  const scan = (jobs: number): string[] => [CLI, 'scan', tree, '--no-git', '-j', String(jobs), '-f', 'json', '-o', path.join(WORK, `tree-j${jobs}.json`)];
  // Every rule disabled: what is left is the CLI's own cost per file (walk, read, decode, report).
  const noRules = path.join(WORK, 'no-rules.yml');
  fs.writeFileSync(noRules, `rules:\n  disable:\n${BUILTIN_RULES.map((r) => `    - ${r.id}\n`).join('')}`);
  const floor: Run[] = [];
  const one: Run[] = [];
  const two: Run[] = [];
  const bare: Run[] = [];
  // Interleaved, so a burst of load from elsewhere hits every variant alike; best of three each.
  for (let r = 0; r < 3; r++) {
    floor.push(timed([floorScript, tree], ROOT));
    one.push(timed(scan(1), ROOT));
    two.push(timed(scan(2), ROOT));
    bare.push(timed([...scan(1), '--config', noRules], ROOT));
  }
  for (const run of [...one, ...two]) if (run.status !== 0 && run.status !== 1) throw new Error(`the CLI failed (exit ${run.status}): ${run.stderr.slice(0, 300)}`);
  const f = best(floor);
  const o = best(one);
  const t = best(two);
  const b = best(bare);
  const results: CliBenchResults = {
    treeMB,
    treeFiles: info.files,
    treeSource: info.source,
    floorMBps: treeMB / f.wallSeconds,
    oneThreadMBps: treeMB / o.wallSeconds,
    twoWorkersMBps: treeMB / t.wallSeconds,
    oneThreadOfFloor: f.wallSeconds / o.wallSeconds,
    twoWorkersOfFloor: f.wallSeconds / t.wallSeconds,
    peakRssMB: Math.max(...[...one, ...two].map((r) => r.peakRssMB)),
    cpuSeconds: { floor: f.cpuSeconds, oneThread: o.cpuSeconds, twoWorkers: t.cpuSeconds, noRules: b.cpuSeconds },
    noRulesOfFloor: f.wallSeconds / b.wallSeconds,
    staged: stagedMs(),
  };
  const other = process.env['KH_BENCH_STAGED_NODE'];
  if (other !== undefined && other !== '') {
    const version = spawnSync(other, ['--version'], { encoding: 'utf8' }).stdout.trim();
    results.stagedOtherNode = { node: version, ...stagedMs(other) };
  }
  console.log(`read floor (walk, read, one indexOf): ${results.floorMBps.toFixed(0)} MB/s (${f.wallSeconds.toFixed(2)} s wall, ${f.cpuSeconds.toFixed(2)} s CPU)`);
  console.log(
    `CLI, one thread: ${results.oneThreadMBps.toFixed(0)} MB/s, ${results.oneThreadOfFloor.toFixed(2)} of the floor (goal 0.7) (${o.wallSeconds.toFixed(2)} s wall, ${o.cpuSeconds.toFixed(2)} s CPU; by CPU time, which load on a shared machine stretches less, ${(f.cpuSeconds / o.cpuSeconds).toFixed(2)} of the floor)`,
  );
  console.log(
    `CLI, two threads (-j 2): ${results.twoWorkersMBps.toFixed(0)} MB/s, ${results.twoWorkersOfFloor.toFixed(2)} of the floor (goal over 1.0) (${t.wallSeconds.toFixed(2)} s wall, ${t.cpuSeconds.toFixed(2)} s CPU)`,
  );
  console.log(
    `CLI, one thread, every rule disabled (its own cost): ${(treeMB / b.wallSeconds).toFixed(0)} MB/s, ${results.noRulesOfFloor.toFixed(2)} of the floor (${b.wallSeconds.toFixed(2)} s wall, ${b.cpuSeconds.toFixed(2)} s CPU)`,
  );
  console.log(`CLI peak RSS: ${results.peakRssMB.toFixed(0)} MB (goal under 300); machine load average ${os.loadavg()[0]?.toFixed(1)} on ${os.availableParallelism()} cores`);
  const st = results.staged;
  console.log(
    `scan --staged on a typical commit (3 files, 99 added lines): ${st.wallMs.toFixed(0)} ms whole process, ${st.cpuMs.toFixed(0)} ms CPU, median of 7 (goal under 150), Node ${process.versions.node}; node -e 0 alone: ${st.nodeStartMs.toFixed(0)} ms`,
  );
  const so = results.stagedOtherNode;
  if (so !== undefined) {
    console.log(`scan --staged, same commit, Node ${so.node.replace(/^v/, '')}: ${so.wallMs.toFixed(0)} ms whole process, ${so.cpuMs.toFixed(0)} ms CPU, median of 7; node -e 0 alone: ${so.nodeStartMs.toFixed(0)} ms`);
  }
  return results;
}
