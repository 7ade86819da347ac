/**
 * `npm run bench`: throughput on real code, the comparison with secretlint, linear time on hostile
 * input, peak memory on a 200 MB directory, the whole-process CLI figures next to a read floor
 * (bench/cli.ts; `--only cli` runs those alone), and precision on real code (bench/precision.ts;
 * `--only precision`; Debian packages too when KH_DEBIAN_DIR is set, bench/precision-debian.ts,
 * `--only precision-debian`). Prints the figures and writes .bench/results.json (and .bench/precision.json).
 *
 * Measured in one thread, with files already in memory for the throughput figures (the engine's cost,
 * not the disk's); the memory figure runs the built CLI over a real directory.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BUILTIN_RULES } from '../src/rules/index.js';
import { Engine } from '../src/scan/engine.js';
import { runBacktracking } from './backtracking.js';
import { benchCli } from './cli.js';
import { copyTextFiles, loadDir, type Text } from './corpus.js';
import { runPrecision } from './precision.js';
import { runPrecisionDebian } from './precision-debian.js';
import { runWeeklyAuditBench } from './weekly-audit.js';
import { runCustomRule } from './custom-rule.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const WORK = path.join(ROOT, '.bench');
const CORPUS = path.join(WORK, 'corpus');
const BIG = path.join(WORK, 'big');
const CORPUS_BYTES = 60 * 1024 * 1024;
const BIG_BYTES = 200 * 1024 * 1024;
const EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.json', '.md', '.map']);
const MB = 1024 * 1024;

/** Real code copied out of node_modules, so that no path segment says node_modules (allowlists must not skip it). */
function buildCorpus(): void {
  const marker = path.join(CORPUS, '.complete');
  if (fs.existsSync(marker)) return;
  fs.rmSync(CORPUS, { recursive: true, force: true });
  const total = copyTextFiles(path.join(ROOT, 'node_modules'), CORPUS, { extensions: EXTENSIONS, maxFileBytes: 2 * MB, budget: CORPUS_BYTES });
  fs.writeFileSync(marker, String(total));
}

function bytesOf(texts: Text[]): number {
  return texts.reduce((n, t) => n + Buffer.byteLength(t.text), 0);
}

/** Best of `runs` timings, in seconds, of scanning every text once. */
function timeScan(engine: Engine, texts: Text[], runs = 3): { seconds: number; findings: number } {
  let best = Infinity;
  let findings = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    let n = 0;
    for (const t of texts) n += engine.scan({ path: t.path, text: t.text, source: 'file' }).length;
    best = Math.min(best, (performance.now() - t0) / 1000);
    findings = n;
  }
  return { seconds: best, findings };
}

function hostileInputs(corpus: Text[], engine: Engine): Array<{ name: string; texts: Text[] }> {
  const base64 = randomBytes((5 * MB * 3) / 4).toString('base64').slice(0, 5 * MB);
  const spaces = ' '.repeat(MB);
  const js = corpus.filter((t) => t.path.endsWith('.js')).map((t) => t.text.replace(/\s*\n\s*/g, ';')).join('');
  const minified: Text[] = [];
  for (let i = 0; i < 50; i++) minified.push({ path: `min${i}.js`, text: js.slice(i * 100_000, (i + 1) * 100_000) });
  // Every keyword of every rule, each followed by a body that falls short of a key (the longest of a
  // few that no rule reports: a body some format accepts would be a key, not a near-miss), thousands of
  // times on one line.
  const keywords = [...new Set(BUILTIN_RULES.flatMap((r) => r.keywords))];
  const bodies = [8, 6, 4, 2, 1, 0].map((n) => `${'a1B2'.repeat(n)}-`);
  const nearMiss = keywords
    .map((k) => {
      const body = bodies.find((b) => engine.scan({ path: 'near.txt', text: `${k}${b}`.repeat(3), source: 'file' }).length === 0) ?? '-';
      return `${k}${body}`.repeat(Math.ceil(40_000 / (k.length + body.length)));
    })
    .join('');
  return [
    { name: '5 MB line of base64', texts: [{ path: 'blob.txt', text: base64 }] },
    { name: '1 MB of spaces', texts: [{ path: 'spaces.txt', text: spaces }] },
    { name: '50 minified lines of 100k chars', texts: minified },
    // The issue's case, then other credential names and separators, 1 MB each.
    ...['api_key=', 'api_key="', 'password: ', 'token=', '"client_secret": "'].map((p) => ({
      name: `repeated ${p} prefixes (1 MB)`,
      texts: [{ path: 'keys.env', text: p.repeat(Math.ceil(MB / p.length)) }],
    })),
    { name: `every keyword x near-miss (${keywords.length} keywords)`, texts: [{ path: 'near.txt', text: nearMiss }] },
  ];
}

/**
 * secretlint over the corpus, in a process of its own: its profiler observes every performance mark and,
 * for each, searches all the marks before it, in callbacks that go on long after the lint calls return.
 * In this process that backlog ran during the later sections and made the weekly audit's tree scan
 * take 276 s instead of 0.8 s.
 */
function secretlintSeconds(): number | undefined {
  const run = spawnSync(process.execPath, ['--import', './scripts/register-ts.mjs', 'bench/secretlint.ts', CORPUS], { cwd: ROOT, encoding: 'utf8' });
  const m = /^SECONDS (\S+)$/m.exec(run.stdout ?? '');
  if (run.status !== 0 || m === null) {
    console.log(`secretlint comparison skipped: ${(run.stderr || run.stdout || `exit ${run.status}`).trim().split('\n').at(-1)}`);
    return undefined;
  }
  return Number(m[1]);
}

/** Hard links to the corpus, repeated until the directory holds 200 MB, without using 200 MB of disk. */
function buildBigDir(): void {
  const marker = path.join(BIG, '.complete');
  if (fs.existsSync(marker)) return;
  fs.rmSync(BIG, { recursive: true, force: true });
  const files = loadDir(CORPUS).map((t) => t.path);
  let total = 0;
  for (let copy = 0; total < BIG_BYTES; copy++) {
    for (const rel of files) {
      const from = path.join(CORPUS, rel);
      const to = path.join(BIG, `copy${copy}`, rel);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      try {
        fs.linkSync(from, to);
      } catch {
        fs.copyFileSync(from, to);
      }
      total += fs.statSync(from).size;
      if (total >= BIG_BYTES) break;
    }
  }
  fs.writeFileSync(marker, String(total));
}

function peakMemoryOfCli(): { mb: number; seconds: number } | string {
  const cli = path.join(ROOT, 'dist/cli/index.js');
  if (!fs.existsSync(cli)) return 'dist/cli/index.js not built (npm run build)';
  const probe = path.join(WORK, 'maxrss.cjs');
  fs.writeFileSync(probe, "process.on('exit', () => process.stderr.write('\\nMAXRSS_KB ' + process.resourceUsage().maxRSS + '\\n'));\n");
  const t0 = performance.now();
  const run = spawnSync(process.execPath, ['--require', probe, cli, 'scan', BIG, '--no-git', '--format', 'json', '--output', path.join(WORK, 'big.json')], {
    encoding: 'utf8',
    maxBuffer: 64 * MB,
  });
  const seconds = (performance.now() - t0) / 1000;
  const m = /MAXRSS_KB (\d+)/.exec(run.stderr);
  if (m === null) return `CLI failed (exit ${run.status}): ${run.stderr.slice(0, 300)}`;
  return { mb: Number(m[1]) / 1024, seconds };
}

/** The first `bytes` of the corpus: enough real code for a baseline when only one section runs. */
function sampleOf(corpus: Text[], bytes: number): Text[] {
  const out: Text[] = [];
  let total = 0;
  for (const t of corpus) {
    if (total >= bytes) break;
    out.push(t);
    total += Buffer.byteLength(t.text);
  }
  return out;
}

/** `--only backtracking`: the backtracking fuzz alone; merged into results.json. */
function onlyBacktracking(): void {
  fs.mkdirSync(WORK, { recursive: true });
  buildCorpus();
  const sample = sampleOf(loadDir(CORPUS), 5 * MB);
  console.log(`rules: ${BUILTIN_RULES.length}; baseline: a ${(bytesOf(sample) / MB).toFixed(1)} MB sample of the corpus`);
  const backtracking = runBacktracking(BUILTIN_RULES, sample, new Engine(BUILTIN_RULES));
  const file = path.join(WORK, 'results.json');
  const results = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  results['backtracking'] = backtracking;
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

async function main(): Promise<void> {
  fs.mkdirSync(WORK, { recursive: true });
  buildCorpus();
  const corpus = loadDir(CORPUS);
  const corpusBytes = bytesOf(corpus);
  const engine = new Engine(BUILTIN_RULES);
  console.log(`rules: ${BUILTIN_RULES.length}; corpus: ${corpus.length} files, ${(corpusBytes / MB).toFixed(1)} MB (JS, TS, JSON, Markdown, maps)`);

  const base = timeScan(engine, corpus);
  const mbps = corpusBytes / MB / base.seconds;
  const secPerMb = base.seconds / (corpusBytes / MB);
  console.log(`throughput: ${mbps.toFixed(1)} MB/s (${base.seconds.toFixed(2)} s, ${base.findings} findings in third-party code)`);

  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    rules: BUILTIN_RULES.length,
    corpusMB: corpusBytes / MB,
    throughputMBps: mbps,
    corpusFindings: base.findings,
  };

  const hostile: Record<string, number> = {};
  for (const h of hostileInputs(corpus, engine)) {
    const bytes = bytesOf(h.texts);
    const t = timeScan(engine, h.texts);
    const ratio = t.seconds / (bytes / MB) / secPerMb;
    hostile[h.name] = ratio;
    console.log(`hostile: ${h.name}: ${(bytes / MB / t.seconds).toFixed(1)} MB/s, ${ratio.toFixed(2)}x the per-MB time of real code${ratio > 3 ? '  <-- over the 3x goal' : ''}`);
  }
  results['hostileRatios'] = hostile;
  results['backtracking'] = runBacktracking(BUILTIN_RULES, sampleOf(corpus, 5 * MB), engine);
  Object.assign(results, runCustomRule(sampleOf(corpus, 10 * MB)));

  const slSeconds = secretlintSeconds();
  if (slSeconds !== undefined) {
    const slMbps = corpusBytes / MB / slSeconds;
    console.log(`secretlint (recommended preset) on the same corpus: ${slMbps.toFixed(2)} MB/s; key-hygiene is ${(mbps / slMbps).toFixed(1)}x faster`);
    results['secretlintMBps'] = slMbps;
    results['speedupVsSecretlint'] = mbps / slMbps;
  }

  buildBigDir();
  const mem = peakMemoryOfCli();
  if (typeof mem === 'string') console.log(`memory: skipped: ${mem}`);
  else {
    console.log(`memory: CLI over a 200 MB directory: peak RSS ${mem.mb.toFixed(0)} MB, ${mem.seconds.toFixed(1)} s wall`);
    results['peakRssMB200'] = mem.mb;
    results['cli200MBSeconds'] = mem.seconds;
  }
  results['wholeProcess'] = benchCli();
  results['weeklyAudit'] = await runWeeklyAuditBench(WORK);
  fs.writeFileSync(path.join(WORK, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

  // Last: it installs packages the first time, and writes its own .bench/precision.json.
  await runPrecision();
  // Only when KH_DEBIAN_DIR is set (bench/precision-debian.ts); writes .bench/precision-debian.json.
  await runPrecisionDebian();
}

/** `--only cli`: the whole-process CLI figures alone; merged into results.json. */
function onlyCli(): void {
  fs.mkdirSync(WORK, { recursive: true });
  const file = path.join(WORK, 'results.json');
  const results = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  results['wholeProcess'] = benchCli();
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

/** `--only weekly-audit`: the weekly audit over a generated repository (see weekly-audit.ts); merged into results.json. */
async function onlyWeeklyAudit(): Promise<void> {
  fs.mkdirSync(WORK, { recursive: true });
  const figures = await runWeeklyAuditBench(WORK);
  const file = path.join(WORK, 'results.json');
  const results = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  results['weeklyAudit'] = figures;
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

function onlyCustomRule(): void {
  fs.mkdirSync(WORK, { recursive: true });
  buildCorpus();
  const figures = runCustomRule(sampleOf(loadDir(CORPUS), 10 * MB));
  const file = path.join(WORK, 'results.json');
  const results = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  Object.assign(results, figures);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

const only = process.argv.indexOf('--only');
if (only === -1) await main();
else if (process.argv[only + 1] === 'backtracking') onlyBacktracking();
else if (process.argv[only + 1] === 'precision') await runPrecision({ context: process.argv.includes('--context') });
else if (process.argv[only + 1] === 'precision-debian') await runPrecisionDebian({ context: process.argv.includes('--context') });
else if (process.argv[only + 1] === 'cli') onlyCli();
else if (process.argv[only + 1] === 'weekly-audit') await onlyWeeklyAudit();
else if (process.argv[only + 1] === 'custom-rule') onlyCustomRule();
else throw new Error(`--only takes "backtracking", "cli", "custom-rule", "precision", "precision-debian" or "weekly-audit"; got ${JSON.stringify(process.argv[only + 1] ?? '')}`);
