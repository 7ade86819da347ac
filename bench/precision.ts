/**
 * Precision on real code: installs a pinned set of popular npm packages, copies their text out of
 * node_modules and scans it as the CLI would with its default config. Every finding is listed redacted
 * and counted as wanted (a fingerprint in bench/precision-reviewed.json, with the reason a security
 * reviewer would want to see it) or not wanted. The goal is at most 1 not-wanted finding per 100 MB.
 *
 * Run alone with `npm run bench:precision`; `--context` also prints each finding's line with the value
 * masked, which is what a reviewer needs to judge it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildEngine } from '../src/config/load.js';
import { defaultConfig } from '../src/config/types.js';
import { walkFiles } from '../src/local/files.js';
import { createPathFilter } from '../src/scan/path-filter.js';
import { scanText } from '../src/scan/scanner.js';
import type { Finding } from '../src/scan/types.js';
import { copyTextFiles, installedPackages } from './corpus.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const MB = 1024 * 1024;
/** The goal of issue 11: at most this many findings a reviewer would not want, per 100 MB. */
export const GOAL_PER_100MB = 1;
const MIN_CORPUS_BYTES = 300 * MB;
/** Per package (name and version), so that one huge SDK cannot stand for the whole corpus. */
const PACKAGE_BUDGET = 4 * MB;
const MAX_FILE_BYTES = 4 * MB;
const TEXT_EXTENSIONS = new Set([
  ...['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx', '.json', '.map', '.md', '.markdown', '.txt', '.rst'],
  ...['.yml', '.yaml', '.toml', '.ini', '.properties', '.env', '.html', '.htm', '.xml', '.css', '.sh', '.flow'],
]);
/**
 * Transitive dependencies resolve as they were on this date, so the corpus is the same wherever it is
 * built, without committing a lockfile of 800 packages.
 */
const RESOLVE_BEFORE = '2026-12-06T14:00:00Z';

/** Exact versions: a new release changes the corpus, so a version bump is a deliberate baseline change. */
export const PINNED_PACKAGES: Readonly<Record<string, string>> = {
  // Cloud SDKs
  '@aws-sdk/client-dynamodb': '3.1178.0',
  '@aws-sdk/client-s3': '3.1178.0',
  '@aws-sdk/client-secrets-manager': '3.1178.0',
  'aws-sdk': '2.1693.0',
  '@azure/identity': '4.13.1',
  '@azure/keyvault-secrets': '4.11.2',
  '@azure/storage-blob': '12.32.0',
  '@google-cloud/pubsub': '5.3.1',
  '@google-cloud/storage': '7.22.0',
  googleapis: '178.0.0',
  // AI SDKs
  '@anthropic-ai/sdk': '1.17.0',
  '@google/generative-ai': '0.24.1',
  '@langchain/core': '1.4.0',
  '@mistralai/mistralai': '2.7.0',
  ai: '6.0.333',
  'cohere-ai': '8.1.0',
  'groq-sdk': '1.6.0',
  langchain: '1.5.14',
  openai: '6.49.0',
  replicate: '1.4.0',
  // Payment
  '@adyen/api-library': '32.1.0',
  '@paypal/paypal-server-sdk': '2.5.0',
  braintree: '3.40.0',
  square: '46.0.0',
  stripe: '23.2.0',
  // Auth and identity
  '@okta/okta-sdk-nodejs': '8.1.0',
  '@supabase/supabase-js': '2.109.0',
  auth0: '7.1.0',
  firebase: '13.2.0',
  'firebase-admin': '13.10.0',
  jose: '6.2.19',
  jsonwebtoken: '9.0.3',
  'next-auth': '4.24.15',
  passport: '0.7.0',
  // Cryptography and blockchains
  'crypto-js': '4.2.0',
  elliptic: '6.6.1',
  ethers: '6.17.0',
  'node-forge': '1.4.4',
  web3: '4.16.0',
  // Bundles and tools
  'esbuild-wasm': '0.28.2',
  'monaco-editor': '0.58.0',
  'pdfjs-dist': '5.6.205',
  typescript: '7.0.2',
  webpack: '5.113.0',
  // Generated API clients and service SDKs
  '@hubspot/api-client': '13.5.0',
  '@microsoft/microsoft-graph-client': '3.0.7',
  '@notionhq/client': '5.26.0',
  '@octokit/rest': '22.0.1',
  '@sendgrid/mail': '8.1.6',
  '@sentry/node': '11.12.0',
  '@slack/web-api': '8.2.0',
  algoliasearch: '5.65.1',
  contentful: '11.12.10',
  'discord.js': '14.28.1',
  'mailgun.js': '14.0.1',
  mongodb: '7.9.1',
  twilio: '6.3.1',
};

/** Where the install and the corpus live: `KH_PRECISION_DIR`, else `.bench/precision` (gitignored). */
export function precisionDir(): string {
  const fromEnv = process.env['KH_PRECISION_DIR'];
  return path.resolve(ROOT, fromEnv !== undefined && fromEnv !== '' ? fromEnv : '.bench/precision');
}

interface CorpusInfo {
  pins: Record<string, string>;
  resolveBefore: string;
  packages: number;
  bytes: number;
}

/**
 * Installs the pinned packages (no install scripts run) and copies their text into `<dir>/corpus`,
 * at most PACKAGE_BUDGET per package. Done once: `<dir>/.complete` records what was built, and a
 * change of pins rebuilds it.
 */
export function buildPrecisionCorpus(dir: string): CorpusInfo {
  const marker = path.join(dir, '.complete');
  const corpus = path.join(dir, 'corpus');
  const want = { pins: { ...PINNED_PACKAGES }, resolveBefore: RESOLVE_BEFORE };
  if (fs.existsSync(marker) && fs.existsSync(corpus)) {
    const built = JSON.parse(fs.readFileSync(marker, 'utf8')) as CorpusInfo;
    if (JSON.stringify({ pins: built.pins, resolveBefore: built.resolveBefore }) === JSON.stringify(want)) return built;
    console.log('precision: the pinned packages changed; rebuilding the corpus');
    fs.rmSync(marker, { force: true });
  }
  const install = path.join(dir, 'install');
  fs.mkdirSync(install, { recursive: true });
  fs.writeFileSync(
    path.join(install, 'package.json'),
    `${JSON.stringify({ name: 'kh-precision-corpus', private: true, dependencies: PINNED_PACKAGES }, null, 2)}\n`,
  );
  console.log(`precision: installing ${Object.keys(PINNED_PACKAGES).length} pinned packages into ${install} (once; a few minutes)`);
  const npm = spawnSync(
    'npm',
    ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', `--before=${RESOLVE_BEFORE}`],
    { cwd: install, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (npm.status !== 0) throw new Error(`npm install of the precision corpus failed (exit ${npm.status ?? npm.signal}) in ${install}`);

  fs.rmSync(corpus, { recursive: true, force: true });
  const packages = installedPackages(path.join(install, 'node_modules'));
  // A nested node_modules is a package of its own in this list, with its own budget.
  const options = { extensions: TEXT_EXTENSIONS, maxFileBytes: MAX_FILE_BYTES, budget: PACKAGE_BUDGET, skipDirs: new Set(['node_modules']) };
  let bytes = 0;
  for (const p of packages) bytes += copyTextFiles(p.dir, path.join(corpus, `${p.name}@${p.version}`), options);
  if (bytes < MIN_CORPUS_BYTES) {
    throw new Error(`the precision corpus holds ${(bytes / MB).toFixed(0)} MB, under the ${MIN_CORPUS_BYTES / MB} MB it must scan; add packages to PINNED_PACKAGES`);
  }
  const info: CorpusInfo = { ...want, packages: packages.length, bytes };
  fs.writeFileSync(marker, `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

/** What is kept of a finding: enough to list and review it, nothing that reveals the value. */
export interface Seen {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  length: number;
  redacted: string;
  fingerprint: string;
  /** The reviewer's reason, when the finding is in bench/precision-reviewed.json. */
  wanted?: string;
}

export interface ScanFigures {
  files: number;
  bytes: number;
  seconds: number;
  skipped: Record<string, number>;
  findings: Seen[];
}

/**
 * The CLI's default scan of a directory: default config, default path filter, one file in memory at a time.
 * Paths are reported relative to `corpus`; `paths` (default: all of it) are the parts of it to walk.
 */
export async function scanCorpus(
  corpus: string,
  reviewed: Readonly<Record<string, string>>,
  paths: readonly string[] = [corpus],
): Promise<ScanFigures> {
  const config = defaultConfig();
  const engine = buildEngine(config);
  const filter = createPathFilter({ ignore: config.paths.ignore, useDefaults: config.paths.useDefaults });
  const skipped: Record<string, number> = {};
  const findings: Seen[] = [];
  let files = 0;
  let bytes = 0;
  const t0 = performance.now();
  const walk = walkFiles(paths, { root: corpus, filter, onSkip: (_p, reason) => (skipped[reason] = (skipped[reason] ?? 0) + 1) });
  for await (const file of walk) {
    const result = scanText(engine, file.path, file.text);
    files += result.stats.files;
    bytes += result.stats.files > 0 ? file.bytes : 0;
    if (result.stats.files === 0) skipped['binary'] = (skipped['binary'] ?? 0) + 1;
    for (const f of result.findings) findings.push(seen(f, reviewed));
  }
  return { files, bytes, seconds: (performance.now() - t0) / 1000, skipped, findings };
}

function seen(f: Finding, reviewed: Readonly<Record<string, string>>): Seen {
  const s: Seen = {
    ruleId: f.ruleId,
    severity: f.severity,
    file: f.file,
    line: f.line,
    column: f.column,
    length: f.length,
    redacted: f.redacted,
    fingerprint: f.fingerprint,
  };
  const reason = reviewed[f.fingerprint];
  if (reason !== undefined) s.wanted = reason;
  return s;
}

/** bench/precision-reviewed.json (or `file`): fingerprint -> why a security reviewer would want that finding. */
export function loadReviewed(file = path.join(ROOT, 'bench/precision-reviewed.json')): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${file} must be a JSON object of fingerprint -> reason`);
  const out: Record<string, string> = {};
  for (const [fp, reason] of Object.entries(parsed)) {
    if (typeof reason !== 'string' || reason.trim() === '') throw new Error(`${file}: the reason for ${fp} must be a non-empty string`);
    out[fp] = reason;
  }
  return out;
}

/** The finding's line, the value replaced by its redacted preview, cut to `width` characters around it. */
export function maskedContext(corpus: string, f: Seen, width = 160): string {
  const text = fs.readFileSync(path.join(corpus, f.file), 'utf8');
  let start = 0;
  for (let i = 1; i < f.line; i++) start = text.indexOf('\n', start) + 1;
  const end = text.indexOf('\n', start);
  const line = text.slice(start, end === -1 ? text.length : end);
  const col = f.column - 1;
  // A value running past its line (a multi-line key) is masked to the end of the line.
  const masked = `${line.slice(0, col)}«${f.redacted}»${line.slice(Math.min(line.length, col + f.length))}`;
  const from = Math.max(0, col - Math.floor(width / 2));
  const cut = masked.slice(from, from + width).replace(/\s+/g, ' ');
  return `${from > 0 ? '…' : ''}${cut}${from + width < masked.length ? '…' : ''}`;
}

interface PeerFigures {
  recallCoveredRealFormat?: number;
  fpOnNegatives?: number;
  [key: string]: unknown;
}

/** The peer suite's figures on the built CLI (shared/peers/score.mjs), when both are present. */
function peerFigures(): PeerFigures | string {
  const cli = path.join(ROOT, 'dist/cli/index.js');
  if (!fs.existsSync(cli)) return 'dist/cli/index.js not built (npm run build)';
  const candidates = [process.env['KH_PEERS_DIR'], path.join(ROOT, '../shared/peers'), path.join(ROOT, '../../shared/peers')];
  const dir = candidates.find((d) => d !== undefined && d !== '' && fs.existsSync(path.join(d, 'score.mjs')));
  if (dir === undefined) return 'shared/peers/score.mjs not found (set KH_PEERS_DIR)';
  const run = spawnSync(process.execPath, [path.join(dir, 'score.mjs'), ROOT], { encoding: 'utf8', maxBuffer: 64 * MB });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as PeerFigures;
  } catch {
    return `score.mjs failed (exit ${run.status ?? run.signal}): ${run.stderr.slice(0, 300)}`;
  }
}

export const per100 = (n: number, bytes: number): number => (n * 100 * MB) / bytes;

/** Findings per rule, all and not wanted. */
export function countByRule(findings: ReadonlyArray<{ ruleId: string; wanted?: string }>): Map<string, { all: number; notWanted: number }> {
  const byRule = new Map<string, { all: number; notWanted: number }>();
  for (const f of findings) {
    const r = byRule.get(f.ruleId) ?? { all: 0, notWanted: 0 };
    r.all++;
    if (f.wanted === undefined) r.notWanted++;
    byRule.set(f.ruleId, r);
  }
  return byRule;
}

/**
 * The precision section of `npm run bench`: builds the corpus if needed, scans it, prints every finding
 * redacted and the goal verdict, and writes .bench/precision.json. Returns the figures written.
 */
export async function runPrecision(options: { context?: boolean } = {}): Promise<Record<string, unknown>> {
  const dir = precisionDir();
  const info = buildPrecisionCorpus(dir);
  const corpus = path.join(dir, 'corpus');
  const reviewed = loadReviewed();
  const scan = await scanCorpus(corpus, reviewed);
  const mb = scan.bytes / MB;

  const byRule = countByRule(scan.findings);
  const wanted = scan.findings.filter((f) => f.wanted !== undefined);
  const notWanted = scan.findings.length - wanted.length;
  const notWantedPer100 = per100(notWanted, scan.bytes);
  const met = notWantedPer100 <= GOAL_PER_100MB;

  console.log(
    `precision: ${Object.keys(info.pins).length} pinned packages (${info.packages} with dependencies), ${scan.files} files, ${mb.toFixed(1)} MB scanned in ${scan.seconds.toFixed(1)} s with the default config`,
  );
  const findingsSorted = [...scan.findings].sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.file.localeCompare(b.file) || a.line - b.line);
  for (const f of findingsSorted) {
    const mark = f.wanted !== undefined ? `wanted: ${f.wanted}` : 'NOT WANTED';
    console.log(`  ${f.ruleId}  ${f.file}:${f.line}  ${f.redacted}  [${mark}]  ${f.fingerprint}`);
    if (options.context === true) console.log(`      ${maskedContext(corpus, f)}`);
  }
  const rules = [...byRule].sort((a, b) => b[1].all - a[1].all);
  for (const [rule, n] of rules) console.log(`precision: ${rule}: ${n.all} (${n.notWanted} not wanted)`);
  const stale = Object.keys(reviewed).filter((fp) => !scan.findings.some((f) => f.fingerprint === fp));
  if (stale.length > 0) console.log(`precision: ${stale.length} reviewed fingerprint(s) no longer found (a rule changed, or the corpus did): ${stale.join(', ')}`);
  console.log(
    `precision: ${scan.findings.length} findings (${per100(scan.findings.length, scan.bytes).toFixed(1)} per 100 MB): ${wanted.length} wanted, ${notWanted} not wanted = ${notWantedPer100.toFixed(2)} per 100 MB; goal at most ${GOAL_PER_100MB}: ${met ? 'MET' : 'NOT MET'}`,
  );

  // The peer suite runs the bundle, not the sources: after changing src/, npm run build first.
  const peers = peerFigures();
  if (typeof peers === 'string') console.log(`precision: peer suite skipped: ${peers}`);
  else console.log(`precision: peer suite (on dist/cli/index.js): recallCoveredRealFormat ${String(peers.recallCoveredRealFormat)}, fpOnNegatives ${String(peers.fpOnNegatives)}`);

  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    pinnedPackages: Object.keys(info.pins).length,
    packagesWithDependencies: info.packages,
    files: scan.files,
    mbScanned: mb,
    seconds: scan.seconds,
    skipped: scan.skipped,
    findings: scan.findings.length,
    findingsPer100MB: per100(scan.findings.length, scan.bytes),
    wanted: wanted.length,
    notWanted,
    notWantedPer100MB: notWantedPer100,
    goalPer100MB: GOAL_PER_100MB,
    goalMet: met,
    byRule: Object.fromEntries(rules),
    staleReviewed: stale,
    peers: typeof peers === 'string' ? { skipped: peers } : peers,
    list: findingsSorted,
  };
  fs.mkdirSync(path.join(ROOT, '.bench'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, '.bench/precision.json'), `${JSON.stringify(results, null, 2)}\n`);
  return results;
}
