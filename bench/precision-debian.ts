/**
 * Precision on real third-party code from Debian: the packages pinned in bench/debian-packages.txt
 * (bookworm, exact versions) are fetched as .deb files, extracted, and scanned as the CLI would with its
 * default config, through the same engine path as the npm precision bench (bench/precision.ts). Every
 * finding is counted as wanted (a fingerprint in bench/precision-debian-reviewed.json, with the reason a
 * security reviewer would want to see it) or not wanted, against the same goal: at most 1 not-wanted
 * finding per 100 MB.
 *
 * Runs when KH_DEBIAN_DIR is set (`KH_DEBIAN_DIR=/some/dir npm run bench -- --only precision-debian`;
 * `--context` also prints each listed finding's line with the value masked). The directory holds:
 *   debs/         the .deb files; missing ones are fetched with `apt-get download name=version` (needs apt
 *                 with bookworm in its sources, as on a Debian 12 host; deb.debian.org keeps only the
 *                 current version of a package, so keep this directory: a pin that a point release
 *                 superseded can no longer be downloaded, and bumping it is a change of baseline)
 *   x/<name>/     each package extracted with `dpkg-deb -x`, then its compressed docs unpacked (Debian gzips
 *                 READMEs and API docs under usr/share/doc; the CLI skips .gz): every regular *.gz file under
 *                 usr/share/doc except changelogs becomes its decompressed self (or is removed, when the
 *                 package ships that text uncompressed beside it). Man pages stay compressed.
 *   extracted/<name>  what was last extracted into x/<name> (pin and method): done once per pin
 * Findings' paths are relative to x/, so they start with the package name.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { countByRule, GOAL_PER_100MB, loadReviewed, maskedContext, per100, scanCorpus, type Seen } from './precision.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const MB = 1024 * 1024;
const PACKAGES_FILE = path.join(ROOT, 'bench/debian-packages.txt');
const REVIEWED_FILE = path.join(ROOT, 'bench/precision-debian-reviewed.json');
/** How a package is extracted; part of its marker, so that changing it extracts every package again. */
const EXTRACTION = 'dpkg-deb -x, then usr/share/doc/**/*.gz gunzipped except changelog*.gz (a .gz next to its own text removed)';
/** Not-wanted values (fingerprints) listed on the console; every finding is in .bench/precision-debian.json. */
const LIST_NOT_WANTED = 40;

export interface DebianPin {
  name: string;
  version: string;
}

/** bench/debian-packages.txt: one `name=version` a line, `#` comments. */
export function debianPins(file = PACKAGES_FILE): DebianPin[] {
  const pins: DebianPin[] = [];
  for (const [i, raw] of fs.readFileSync(file, 'utf8').split('\n').entries()) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const m = /^([a-z0-9][a-z0-9+.-]+)=([0-9][A-Za-z0-9.+~:-]*)$/.exec(line);
    if (m === null) throw new Error(`${file}:${i + 1}: expected name=version, got ${JSON.stringify(line)}`);
    pins.push({ name: m[1]!, version: m[2]! });
  }
  if (new Set(pins.map((p) => p.name)).size !== pins.length) throw new Error(`${file}: a package is pinned twice`);
  return pins;
}

/** The .deb that `apt-get download name=version` writes, for any architecture: `name_version_arch.deb`, `:` as `%3a`. */
function findDeb(debs: string, pin: DebianPin, listing: readonly string[]): string | undefined {
  const prefix = `${pin.name}_${pin.version.replace(/:/g, '%3a')}_`;
  const hit = listing.find((f) => f.startsWith(prefix) && f.endsWith('.deb') && !f.slice(prefix.length, -4).includes('_'));
  return hit === undefined ? undefined : path.join(debs, hit);
}

/**
 * Unpacks every regular `*.gz` file under `dir` in place (`README.md.gz` becomes `README.md`), except
 * changelogs. Symbolic links are left alone. A `.gz` shipped next to the same file uncompressed (rdoc's
 * `search_index.js.gz`, for web servers that send precompressed files) is only removed; one next to a
 * different file is an error. Returns how many files were unpacked.
 */
function gunzipDocs(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let n = 0;
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += gunzipDocs(p);
    else if (e.isFile() && e.name.endsWith('.gz') && !e.name.startsWith('changelog')) {
      const to = p.slice(0, -'.gz'.length);
      const text = gunzipSync(fs.readFileSync(p));
      if (fs.existsSync(to)) {
        if (!fs.lstatSync(to).isFile() || !fs.readFileSync(to).equals(text)) {
          throw new Error(`precision-debian: cannot unpack ${p}: ${to} exists and differs`);
        }
        fs.rmSync(p);
        continue;
      }
      fs.writeFileSync(to, text);
      fs.rmSync(p);
      n++;
    }
  }
  return n;
}

function run(cmd: string, args: readonly string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error !== undefined) throw new Error(`${cmd} could not run (${r.error.message}); the Debian bench needs apt-get and dpkg-deb`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}) in ${cwd}`);
}

/**
 * Makes sure every pinned package is in `<dir>/debs` (downloading the missing ones) and extracted into
 * `<dir>/x/<name>`. A package is extracted again when its marker does not name its pinned version and
 * the current extraction method.
 */
export function prepareDebianCorpus(dir: string, pins: readonly DebianPin[]): void {
  const debsDir = path.join(dir, 'debs');
  const xDir = path.join(dir, 'x');
  const marks = path.join(dir, 'extracted');
  for (const d of [debsDir, xDir, marks]) fs.mkdirSync(d, { recursive: true });

  let listing = fs.readdirSync(debsDir);
  const missing = pins.filter((p) => findDeb(debsDir, p, listing) === undefined);
  if (missing.length > 0) {
    console.log(`precision-debian: downloading ${missing.length} of ${pins.length} pinned packages into ${debsDir}`);
    // One call: apt resolves every name=version first, so an unknown version fails before any download.
    run('apt-get', ['download', ...missing.map((p) => `${p.name}=${p.version}`)], debsDir);
    listing = fs.readdirSync(debsDir);
  }
  let extracted = 0;
  for (const p of pins) {
    const deb = findDeb(debsDir, p, listing);
    if (deb === undefined) throw new Error(`precision-debian: ${p.name}=${p.version} is not in ${debsDir} after apt-get download`);
    const mark = path.join(marks, p.name);
    const pin = `${p.name}=${p.version}\n${EXTRACTION}\n`;
    if (fs.existsSync(mark) && fs.readFileSync(mark, 'utf8') === pin && fs.existsSync(path.join(xDir, p.name))) continue;
    fs.rmSync(mark, { force: true });
    const into = path.join(xDir, p.name);
    fs.rmSync(into, { recursive: true, force: true });
    fs.mkdirSync(into);
    run('dpkg-deb', ['-x', deb, into], dir);
    gunzipDocs(path.join(into, 'usr/share/doc'));
    fs.writeFileSync(mark, pin);
    extracted++;
  }
  if (extracted > 0) console.log(`precision-debian: extracted ${extracted} package(s) into ${xDir}`);
}

/**
 * The precision-debian section of `npm run bench`: skipped unless KH_DEBIAN_DIR is set. Prepares the
 * corpus, scans it, prints the figures and the not-wanted findings redacted, and writes
 * .bench/precision-debian.json. Returns the figures written, or undefined when skipped.
 */
export async function runPrecisionDebian(options: { context?: boolean } = {}): Promise<Record<string, unknown> | undefined> {
  const fromEnv = process.env['KH_DEBIAN_DIR'];
  if (fromEnv === undefined || fromEnv === '') {
    console.log('precision-debian: skipped: set KH_DEBIAN_DIR to a directory for the Debian packages (they are downloaded and extracted there)');
    return undefined;
  }
  const dir = path.resolve(ROOT, fromEnv);
  const pins = debianPins();
  prepareDebianCorpus(dir, pins);
  const xDir = path.join(dir, 'x');
  const reviewed = loadReviewed(REVIEWED_FILE);
  const scan = await scanCorpus(
    xDir,
    reviewed,
    pins.map((p) => path.join(xDir, p.name)),
  );
  const mb = scan.bytes / MB;

  const byRule = countByRule(scan.findings);
  const wanted = scan.findings.filter((f) => f.wanted !== undefined);
  const notWanted = scan.findings.filter((f) => f.wanted === undefined);
  const notWantedPer100 = per100(notWanted.length, scan.bytes);
  const met = notWantedPer100 <= GOAL_PER_100MB;

  console.log(
    `precision-debian: ${pins.length} pinned Debian packages, ${scan.files} files, ${mb.toFixed(1)} MB scanned in ${scan.seconds.toFixed(1)} s with the default config`,
  );
  const rules = [...byRule].sort((a, b) => b[1].all - a[1].all || a[0].localeCompare(b[0]));
  for (const [rule, n] of rules) console.log(`precision-debian: ${rule}: ${n.all} (${n.notWanted} not wanted)`);

  // One line per fingerprint (a rule, a file and a value: the same value on several lines of a file is
  // one thing to fix), the most repeated first, then by place.
  const groups = new Map<string, Seen[]>();
  for (const f of notWanted) groups.set(f.fingerprint, [...(groups.get(f.fingerprint) ?? []), f]);
  const listed = [...groups.values()]
    .map((g) => g.sort((a, b) => a.line - b.line))
    .sort((a, b) => b.length - a.length || a[0]!.ruleId.localeCompare(b[0]!.ruleId) || a[0]!.file.localeCompare(b[0]!.file) || a[0]!.line - b[0]!.line);
  if (listed.length > 0) {
    const shown = Math.min(LIST_NOT_WANTED, listed.length);
    console.log(
      `precision-debian: not wanted, ${notWanted.length} findings of ${listed.length} values (the first ${shown}; all in .bench/precision-debian.json):`,
    );
  }
  for (const g of listed.slice(0, LIST_NOT_WANTED)) {
    const f = g[0]!;
    const more = g.length > 1 ? ` (x${g.length}: lines ${g.map((o) => o.line).join(',')})` : '';
    console.log(`  ${f.ruleId}  ${f.file}:${f.line}  ${f.redacted}  ${f.fingerprint}${more}`);
    if (options.context === true) console.log(`      ${maskedContext(xDir, f)}`);
  }
  const stale = Object.keys(reviewed).filter((fp) => !scan.findings.some((f) => f.fingerprint === fp));
  if (stale.length > 0) {
    console.log(`precision-debian: ${stale.length} reviewed fingerprint(s) no longer found (a rule changed, or the corpus did): ${stale.join(', ')}`);
  }
  console.log(
    `precision-debian: ${scan.findings.length} findings (${per100(scan.findings.length, scan.bytes).toFixed(1)} per 100 MB): ${wanted.length} wanted, ${notWanted.length} not wanted = ${notWantedPer100.toFixed(2)} per 100 MB; goal at most ${GOAL_PER_100MB}: ${met ? 'MET' : 'NOT MET'}`,
  );

  const sorted = [...scan.findings].sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.file.localeCompare(b.file) || a.line - b.line);
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    packages: pins.length,
    files: scan.files,
    mbScanned: mb,
    seconds: scan.seconds,
    skipped: scan.skipped,
    findings: scan.findings.length,
    findingsPer100MB: per100(scan.findings.length, scan.bytes),
    wanted: wanted.length,
    notWanted: notWanted.length,
    notWantedPer100MB: notWantedPer100,
    goalPer100MB: GOAL_PER_100MB,
    goalMet: met,
    byRule: Object.fromEntries(rules),
    staleReviewed: stale,
    list: sorted,
  };
  fs.mkdirSync(path.join(ROOT, '.bench'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, '.bench/precision-debian.json'), `${JSON.stringify(results, null, 2)}\n`);
  return results;
}
