import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { createPathFilter, DEFAULT_IGNORE_GLOBS, normalizePath } from '../../src/scan/path-filter.js';

const defaults = createPathFilter({ ignore: [], useDefaults: true });

describe('DEFAULT_IGNORE_GLOBS', () => {
  it.each([
    '.git/config',
    'sub/module/.git/HEAD',
    'node_modules/pkg/index.js',
    'packages/web/node_modules/x/y.js',
    'assets/logo.png',
    'assets/PHOTO.JPG',
    '.github/icon.ico',
    'fonts/Inter.woff2',
    'release/app.tar.gz',
    'lib/native.so',
    'docs/manual.pdf',
    'build/Main.class',
  ])('skips %s', (path) => {
    expect(defaults(path)).toBe(false);
  });

  it.each([
    'package-lock.json',
    'yarn.lock',
    'pnpm-lock.yaml',
    'Gemfile.lock',
    'poetry.lock',
    'go.sum',
    '__tests__/fixtures/config.env',
    'test/fixtures/id_rsa',
    'spec/data.json',
    '.env',
    '.github/workflows/ci.yml',
    'public/app.min.js',
    'icons/logo.svg',
    'README.md',
    'src/gitignore.ts',
  ])('scans %s', (path) => {
    expect(defaults(path)).toBe(true);
  });

  it('is plain data a config loader can show and extend', () => {
    expect(DEFAULT_IGNORE_GLOBS).toContain('node_modules/');
    expect(DEFAULT_IGNORE_GLOBS.some((g) => g.includes('lock'))).toBe(false);
  });
});

describe('createPathFilter', () => {
  it('scans everything with no patterns and defaults off', () => {
    const f = createPathFilter({ ignore: [], useDefaults: false });
    expect(f('node_modules/x.js')).toBe(true);
    expect(f('logo.png')).toBe(true);
  });

  it('matches a pattern without a slash at any depth, dotfiles included', () => {
    const f = createPathFilter({ ignore: ['*.snap'], useDefaults: false });
    expect(f('a.snap')).toBe(false);
    expect(f('deep/.hidden/dir/b.snap')).toBe(false);
    expect(f('a.snapshot')).toBe(true);
    expect(f('A.SNAP')).toBe(true); // user patterns are case-sensitive
  });

  it('anchors a pattern with a slash at the root', () => {
    const f = createPathFilter({ ignore: ['docs/*.md', '/vendor'], useDefaults: false });
    expect(f('docs/a.md')).toBe(false);
    expect(f('pkg/docs/a.md')).toBe(true);
    expect(f('vendor/lib/x.go')).toBe(false);
    expect(f('src/vendor/x.go')).toBe(true);
  });

  it('treats a name as a directory too, covering what is under it', () => {
    const f = createPathFilter({ ignore: ['generated'], useDefaults: false });
    expect(f('generated')).toBe(false);
    expect(f('api/generated/client.ts')).toBe(false);
    expect(f('api/generated-client.ts')).toBe(true);
  });

  it('matches a trailing-slash pattern against directories only', () => {
    const f = createPathFilter({ ignore: ['cache/'], useDefaults: false });
    expect(f('cache/x.bin')).toBe(false);
    expect(f('a/cache/x.bin')).toBe(false);
    expect(f('cache')).toBe(true); // a file named cache
  });

  it('lets a later ! pattern scan a path again, and a user pattern re-include a default', () => {
    const f = createPathFilter({ ignore: ['fixtures/', '!fixtures/keep.env', '!**/*.pdf'], useDefaults: true });
    expect(f('fixtures/a.env')).toBe(false);
    expect(f('fixtures/keep.env')).toBe(true);
    expect(f('docs/manual.pdf')).toBe(true);
    expect(f('logo.png')).toBe(false);
  });

  it('answers for directories (trailing slash) so a walker can skip them whole', () => {
    const f = createPathFilter({ ignore: ['dist/'], useDefaults: true });
    expect(f('dist/')).toBe(false);
    expect(f('pkg/node_modules/')).toBe(false);
    expect(f('src/')).toBe(true);
  });

  it('never lets a walker skip a directory when some pattern re-includes paths', () => {
    const f = createPathFilter({ ignore: ['fixtures/', '!fixtures/keep.env'], useDefaults: false });
    expect(f('fixtures/')).toBe(true);
    expect(f('fixtures/other.env')).toBe(false);
  });

  it('accepts Windows separators and ./ prefixes, and ignores blank and comment lines', () => {
    const f = createPathFilter({ ignore: ['', '  ', '# a comment', './out/'], useDefaults: false });
    expect(f('out\\bundle.js')).toBe(false);
    expect(f('./out/bundle.js')).toBe(false);
    expect(f('# a comment')).toBe(true);
  });
});

describe('normalizePath', () => {
  it.each([
    ['./a/b', 'a/b'],
    ['a\\b\\c', 'a/b/c'],
    ['/abs/x', 'abs/x'],
  ])('%s -> %s', (input, out) => {
    expect(normalizePath(input)).toBe(out);
  });
});

describe('names and extension sets, answered without picomatch', () => {
  // The filter compares plain names and `*.{a,b}` patterns as strings. Its answers must be picomatch's
  // for the same globs (dot files included; the defaults in any case, the user's own case-sensitively).
  const names = ['logo.png', 'LOGO.PNG', '.png', 'png', 'a.png.txt', 'x.tar.gz', 'archive.tar', 'node_modules', 'Node_Modules', 'node_modules.js', '.git', 'git', 'a.b.c.so', 'lib.SO', 'a.', '.', 'x.jpeg', 'notes'];
  const skips = (globs: readonly string[], nocase: boolean, name: string, isDir: boolean): boolean =>
    globs.some((g) => (isDir || !g.endsWith('/')) && picomatch(g.replace(/\/$/, ''), { dot: true, nocase })(name));

  it('the defaults, on files and directories, at the top and deeper', () => {
    for (const name of names) {
      for (const isDir of [false, true]) {
        const want = !skips(DEFAULT_IGNORE_GLOBS, true, name, isDir);
        const suffix = isDir ? '/' : '';
        expect(defaults(name + suffix), name + suffix).toBe(want);
        expect(defaults(`deep/er/${name}${suffix}`), `deep/er/${name}${suffix}`).toBe(want);
      }
    }
  });

  it.each(['*.so', '*.{png,txt}', 'notes', '*.tar.gz', '*.{gz,tar}', 'PNG'])('the user pattern %s, case-sensitively', (pattern) => {
    const filter = createPathFilter({ ignore: [pattern], useDefaults: false });
    for (const name of names) {
      const want = !skips([pattern], false, name, false);
      expect(filter(name), name).toBe(want);
      expect(filter(`deep/er/${name}`), `deep/er/${name}`).toBe(want);
    }
  });

  it('a later ! pattern still wins over merged extension sets', () => {
    const filter = createPathFilter({ ignore: ['*.{log,tmp}', '*.bak', '!keep.bak'], useDefaults: false });
    expect(filter('a.log')).toBe(false);
    expect(filter('a.bak')).toBe(false);
    expect(filter('keep.bak')).toBe(true);
    expect(filter('a.txt')).toBe(true);
  });
});
