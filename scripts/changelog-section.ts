/**
 * Prints the CHANGELOG.md section of one version, for the release workflow's notes:
 *
 *   node --import ./scripts/register-ts.mjs scripts/changelog-section.ts v1.2.3 [CHANGELOG.md]
 *
 * Exits 1 with one line on stderr when the section is missing or empty: a release without notes is a
 * release nobody can read, so the workflow stops there.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `1.2.3` or `v1.2.3`: what the release workflow hands in (the tag) and what the CHANGELOG heads with. */
export const VERSION = /^v?(\d+)\.(\d+)\.(\d+)$/;

/** The heading of a Keep a Changelog section: `## [1.2.3] - 2026-12-06` or `## [Unreleased]`. */
const HEADING = /^## \[([^\]]+)\]/;

/**
 * The body of `## [version]` in a Keep a Changelog file, without its heading and trimmed; the link
 * definitions at the end of the file (`[1.2.3]: https://…`) are not part of any section.
 */
export function changelogSection(changelog: string, version: string): string {
  const wanted = version.replace(/^v/, '');
  const lines = changelog.split('\n');
  const start = lines.findIndex((l) => HEADING.exec(l)?.[1] === wanted);
  if (start === -1) throw new Error(`CHANGELOG.md has no "## [${wanted}]" section`);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (HEADING.test(line) || /^\[[^\]]+\]:\s/.test(line)) break;
    body.push(line);
  }
  const text = body.join('\n').trim();
  if (text === '') throw new Error(`CHANGELOG.md: the "## [${wanted}]" section is empty`);
  return text;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [version, file = 'CHANGELOG.md'] = process.argv.slice(2);
  try {
    if (version === undefined || !VERSION.test(version)) throw new Error(`usage: changelog-section.ts v1.2.3 [CHANGELOG.md] (got ${JSON.stringify(version ?? '')})`);
    console.log(changelogSection(readFileSync(file, 'utf8'), version));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
