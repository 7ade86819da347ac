/**
 * The bump script on a temporary copy of this repository's own package.json, lockfile, CHANGELOG and
 * documentation: what a maintainer would check after `npm run release:bump`.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bump, releaseDocs } from '../../scripts/bump.js';
import { changelogSection } from '../../scripts/changelog-section.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let dir: string;

const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
const version = (file: string): string => (JSON.parse(read(file)) as { version: string }).version;

/** Adds a line under `## [Unreleased]`, as a contributor does with each change. */
function addUnreleased(entry: string): void {
  writeFileSync(join(dir, 'CHANGELOG.md'), read('CHANGELOG.md').replace('## [Unreleased]\n', `## [Unreleased]\n\n### Fixed\n\n- ${entry}\n`));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kh-bump-'));
  for (const f of ['package.json', 'package-lock.json', 'CHANGELOG.md', 'README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'docs']) {
    if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
  }
  mkdirSync(join(dir, 'docs'), { recursive: true });
  // A README example still on an older tag, and a pre-commit entry on an exact one: both must move.
  writeFileSync(
    join(dir, 'docs', 'old-example.md'),
    '```yaml\n      - uses: key-hygiene/key-hygiene@v0\n      - uses: key-hygiene/key-hygiene@v1.0.0\n```\n\n```yaml\nrepos:\n  - repo: https://github.com/key-hygiene/key-hygiene\n    rev: v0.9.0\n    hooks:\n      - id: key-hygiene\n  - repo: https://github.com/other/hooks\n    rev: v0.9.0\n```\n',
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('release:bump', () => {
  it('moves the version into package.json, the lockfile, a dated CHANGELOG section and the documented tags', () => {
    const major = Number(version('package.json').split('.')[0]) + 1;
    const next = `${major}.0.0`;
    addUnreleased('A fix worth a release.');

    const changed = bump(dir, next, '2027-01-15');

    expect(changed).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'CHANGELOG.md', 'docs/old-example.md']));
    expect(version('package.json')).toBe(next);
    const lock = JSON.parse(read('package-lock.json')) as { version: string; packages: Record<string, { version: string }> };
    expect([lock.version, lock.packages['']?.version]).toEqual([next, next]);

    const changelog = read('CHANGELOG.md');
    expect(changelog).toContain(`## [Unreleased]\n\n## [${next}] - 2027-01-15\n`);
    expect(changelogSection(changelog, `v${next}`)).toContain('- A fix worth a release.');
    expect(changelog).toMatch(new RegExp(`^\\[Unreleased\\]: https://github.com/key-hygiene/key-hygiene/compare/v${next}\\.\\.\\.HEAD$`, 'm'));

    const example = read('docs/old-example.md');
    expect(example.match(/key-hygiene\/key-hygiene@\S+/g)).toEqual([`key-hygiene/key-hygiene@v${major}`, `key-hygiene/key-hygiene@v${major}`]);
    expect(example).toContain(`key-hygiene/key-hygiene\n    rev: v${next}\n`);
    expect(example).toContain('other/hooks\n    rev: v0.9.0\n');
    expect(read('README.md')).toContain(`uses: key-hygiene/key-hygiene@v${major}\n`);
    for (const file of ['README.md', 'CONTRIBUTING.md', 'docs/workflows.md'].filter((f) => existsSync(join(dir, f)))) {
      for (const m of read(file).matchAll(/key-hygiene\/key-hygiene@([^\s`'"]+)/g)) expect(m[1], file).toBe(`v${major}`);
    }
  });

  it('links a later release to the one before it', () => {
    const major = Number(version('package.json').split('.')[0]) + 1;
    addUnreleased('First.');
    bump(dir, `${major}.0.0`, '2027-01-15');
    addUnreleased('Second.');
    bump(dir, `${major}.1.0`, '2027-02-01');
    const changelog = read('CHANGELOG.md');
    expect(changelog).toContain(`[${major}.1.0]: https://github.com/key-hygiene/key-hygiene/compare/v${major}.0.0...v${major}.1.0`);
    expect(changelogSection(changelog, `${major}.1.0`)).toBe('### Fixed\n\n- Second.');
    expect(changelogSection(changelog, `${major}.0.0`)).toContain('- First.');
  });

  it('refuses a version that is not higher, or an empty Unreleased section, and writes nothing', () => {
    const current = version('package.json');
    const major = Number(current.split('.')[0]) + 1;
    // The copied CHANGELOG may carry entries under Unreleased: empty it to check that refusal.
    writeFileSync(join(dir, 'CHANGELOG.md'), read('CHANGELOG.md').replace(/## \[Unreleased\]\n[\s\S]*?(?=\n## \[|\n\[Unreleased\]:)/, '## [Unreleased]\n'));
    const before = ['package.json', 'CHANGELOG.md', 'README.md'].map(read);
    expect(() => bump(dir, `${major}.0.0`, '2027-01-15')).toThrow('the Unreleased section is empty');
    addUnreleased('Something.');
    expect(() => bump(dir, current, '2027-01-15')).toThrow(`is not higher than package.json's version ${current}`);
    expect(() => bump(dir, '1.2', '2027-01-15')).toThrow('MAJOR.MINOR.PATCH');
    expect([read('package.json'), read('README.md')]).toEqual([before[0], before[2]]);
  });

  it('names the major tag in uses: lines and the schema URL, and leaves other actions alone', () => {
    const text = 'uses: key-hygiene/key-hygiene@v1\nuses: actions/checkout@v6\nuses: key-hygiene/key-hygiene@v1.4.2 # pinned\n';
    expect(releaseDocs(text, '2.0.0')).toBe('uses: key-hygiene/key-hygiene@v2\nuses: actions/checkout@v6\nuses: key-hygiene/key-hygiene@v2 # pinned\n');
    const schema = '# yaml-language-server: $schema=https://raw.githubusercontent.com/key-hygiene/key-hygiene/v1/schema/key-hygiene.schema.json\n';
    expect(releaseDocs(schema, '2.0.0')).toBe(schema.replace('/v1/', '/v2/'));
  });
});
