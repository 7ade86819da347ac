/**
 * Prepares a release: one command moves every place that names the version.
 *
 *   npm run release:bump -- 1.2.3
 *
 * - package.json and package-lock.json get the version;
 * - CHANGELOG.md's Unreleased section becomes `## [1.2.3] - <today, UTC>` under a fresh, empty
 *   Unreleased, and the compare links at the bottom follow;
 * - every `uses: key-hygiene/key-hygiene@vN` in README.md, CONTRIBUTING.md, SECURITY.md and docs/*.md
 *   names the major tag (`@v1`), which the release workflow moves to each new release of that major,
 *   and so does the config schema's raw URL;
 * - every pre-commit `rev:` of this repository names the exact tag (`v1.2.3`): pre-commit wants an
 *   immutable ref and `pre-commit autoupdate` moves it.
 *
 * It writes nothing when a check fails (version not higher, Unreleased empty). Commit, then push the
 * tag `v1.2.3`: the release workflow does the rest (CONTRIBUTING.md, "Releasing").
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from './changelog-section.js';

const REPO_URL = 'https://github.com/key-hygiene/key-hygiene';

function parseVersion(v: string): [number, number, number] {
  const m = VERSION.exec(v);
  if (m === null) throw new Error(`the version must be MAJOR.MINOR.PATCH, like 1.2.3 (got ${JSON.stringify(v)})`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function higher(a: [number, number, number], b: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
}

/** CHANGELOG.md with Unreleased moved into `## [version] - date` and the link definitions updated. */
export function releaseChangelog(changelog: string, version: string, previous: string | undefined, date: string): string {
  const lines = changelog.split('\n');
  const start = lines.findIndex((l) => /^## \[Unreleased\]/i.test(l));
  if (start === -1) throw new Error('CHANGELOG.md has no "## [Unreleased]" section');
  let end = start + 1;
  while (end < lines.length && !/^## \[/.test(lines[end] ?? '') && !/^\[[^\]]+\]:\s/.test(lines[end] ?? '')) end++;
  if (lines.slice(start + 1, end).join('\n').trim() === '') {
    throw new Error('CHANGELOG.md: the Unreleased section is empty; say what changed before releasing');
  }
  lines.splice(start + 1, 0, '', `## [${version}] - ${date}`);
  const out = lines.join('\n');
  const unreleasedLink = `[Unreleased]: ${REPO_URL}/compare/v${version}...HEAD`;
  const versionLink = previous === undefined ? `[${version}]: ${REPO_URL}/releases/tag/v${version}` : `[${version}]: ${REPO_URL}/compare/v${previous}...v${version}`;
  if (/^\[Unreleased\]:.*$/m.test(out)) return out.replace(/^\[Unreleased\]:.*$/m, `${unreleasedLink}\n${versionLink}`);
  return `${out.trimEnd()}\n\n${unreleasedLink}\n${versionLink}\n`;
}

/** Markdown with every `key-hygiene/key-hygiene@…` naming the major tag and every pre-commit `rev:` of this repository naming the exact tag. */
export function releaseDocs(markdown: string, version: string): string {
  const [major] = parseVersion(version);
  let out = markdown.replace(/(key-hygiene\/key-hygiene@)v\d+(?:\.\d+){0,2}\b/g, `$1v${major}`);
  // The config schema's raw URL names the major tag too, so editors check against the schema of the action in use.
  out = out.replace(/(raw\.githubusercontent\.com\/key-hygiene\/key-hygiene\/)v\d+(?:\.\d+){0,2}\//g, `$1v${major}/`);
  // A pre-commit repo entry: `- repo: <this repository>` followed (within its entry) by `rev: vX.Y.Z`.
  out = out.replace(/(-\s+repo:\s*https:\/\/github\.com\/key-hygiene\/key-hygiene\s*\n\s+rev:\s*)v\d+\.\d+\.\d+/g, `$1v${version}`);
  return out;
}

/** The Markdown files whose examples name a version: README, CONTRIBUTING, SECURITY and docs/*.md. */
function docFiles(root: string): string[] {
  const top = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md'].filter((f) => existsSync(join(root, f)));
  const docs = existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`) : [];
  return [...top, ...docs.sort()];
}

/**
 * Bumps the repository at `root` to `version` (released on `date`, YYYY-MM-DD). Returns the files it
 * changed, relative to `root`. Checks everything before writing anything.
 */
export function bump(root: string, version: string, date: string): string[] {
  const next = parseVersion(version);
  const clean = next.join('.');
  const pkgPath = join(root, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string };
  if (!higher(next, parseVersion(pkg.version))) throw new Error(`${clean} is not higher than package.json's version ${pkg.version}`);
  const changelogPath = join(root, 'CHANGELOG.md');
  const changelog = readFileSync(changelogPath, 'utf8');
  // The previous release is the newest version section, which may differ from package.json before the first release.
  const previous = /^## \[(\d+\.\d+\.\d+)\]/m.exec(changelog)?.[1];

  const writes = new Map<string, string>();
  const pkgText = readFileSync(pkgPath, 'utf8');
  writes.set('package.json', pkgText.replace(/^(\s*"version":\s*)"[^"]*"/m, `$1"${clean}"`));
  const lockPath = join(root, 'package-lock.json');
  if (existsSync(lockPath)) {
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { version?: string; packages?: Record<string, { version?: string }> };
    lock.version = clean;
    const self = lock.packages?.[''];
    if (self !== undefined) self.version = clean;
    writes.set('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
  }
  writes.set('CHANGELOG.md', releaseChangelog(changelog, clean, previous, date));
  for (const file of docFiles(root)) writes.set(file, releaseDocs(readFileSync(join(root, file), 'utf8'), clean));

  const changed: string[] = [];
  for (const [file, text] of writes) {
    if (readFileSync(join(root, file), 'utf8') === text) continue;
    writeFileSync(join(root, file), text);
    changed.push(file);
  }
  return changed;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const version = process.argv[2] ?? '';
  const root = fileURLToPath(new URL('..', import.meta.url));
  try {
    const changed = bump(root, version, new Date().toISOString().slice(0, 10));
    const v = version.replace(/^v/, '');
    console.log(`Bumped to ${v}: ${changed.join(', ')}.`);
    console.log(`Next: review, commit ("Release v${v}"), merge, then: git tag v${v} && git push origin v${v}`);
  } catch (e) {
    console.error(`release:bump: ${(e as Error).message}`);
    process.exit(1);
  }
}
