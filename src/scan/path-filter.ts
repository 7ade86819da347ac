import picomatch from 'picomatch';

/**
 * True when the file at this repository-relative path should be scanned. Asked about a directory (a path
 * ending in `/`), false means nothing under it can be scanned, so a walker may skip it whole.
 */
export type PathFilter = (path: string) => boolean;

/**
 * Paths passed over unless the config turns the defaults off. Only files that cannot hold a readable key
 * or that belong to tooling rather than the repository are here. Lockfiles, tests, fixtures, examples,
 * minified bundles and docs are all scanned on purpose: a token in a lockfile's registry URL, a "test" key
 * that is live, or an API key baked into a bundle are all real leaks.
 */
export const DEFAULT_IGNORE_GLOBS: readonly string[] = [
  // Version-control metadata: object storage and hooks, not the project's files.
  '.git/',
  '.hg/',
  '.svn/',
  // Installed third-party packages: not this repository's secrets, full of sample keys, normally gitignored.
  'node_modules/',
  // Raster images and icons: binary, and a key drawn into a picture is beyond a text scanner.
  '*.{png,jpg,jpeg,gif,bmp,ico,icns,webp,avif,tif,tiff,psd,heic}',
  // Fonts: binary glyph tables.
  '*.{woff,woff2,ttf,otf,eot}',
  // Audio and video: binary media.
  '*.{mp3,mp4,m4a,mov,avi,mkv,webm,wav,flac,ogg}',
  // Archives and compressed files: their contents are not readable without unpacking.
  '*.{zip,gz,tgz,bz2,xz,zst,7z,rar,tar,jar,war,ear,whl,nupkg}',
  // PDFs and office documents: compressed containers.
  '*.{pdf,docx,xlsx,pptx,odt,ods}',
  // Compiled code and native libraries: machine code, not source.
  '*.{exe,dll,so,dylib,o,a,lib,class,pyc,pyo,wasm}',
];

export interface PathFilterOptions {
  /** Extra patterns to skip, gitignore-style; a leading `!` scans a path again. Applied after the defaults. */
  ignore: readonly string[];
  /** Start from DEFAULT_IGNORE_GLOBS. */
  useDefaults: boolean;
}

/**
 * Builds the path allowlist. Patterns read like .gitignore:
 * - a pattern without a slash matches a file or directory name at any depth (`*.png`, `node_modules`);
 * - a pattern with a slash matches from the repository root (`docs/*.md`; a leading `/` is allowed);
 * - a trailing slash matches directories only (`build/`), and everything under them;
 * - a pattern matching a directory skips everything under it;
 * - `!pattern` scans matching paths again; the last matching pattern wins.
 * Globs are picomatch globs with dotfiles included.
 */
export function createPathFilter(options: PathFilterOptions): PathFilter {
  // Default extensions match in any case (LOGO.PNG); the user's own patterns are case-sensitive, as in .gitignore.
  const patterns = [
    ...(options.useDefaults ? DEFAULT_IGNORE_GLOBS.map((g) => compilePattern(g, true)) : []),
    ...options.ignore.map((g) => compilePattern(g, false)),
  ].filter((p) => p !== undefined);
  mergeEndings(patterns);
  if (patterns.length === 0) return () => true;
  // A `!` pattern may re-include a file under an ignored directory, so then no directory is skipped whole.
  const canSkipDirectories = !patterns.some((p) => p.negate);
  // Every file of a directory asks about the same ancestors: their answers are remembered per directory,
  // so a file costs one test of its own name (or path) per pattern.
  const dirHits = new Map<string, boolean[]>();
  const ancestorHits = (dir: string): boolean[] => {
    let hits = dirHits.get(dir);
    if (hits === undefined) {
      const parts = dir.split('/');
      hits = patterns.map((p) => matchesPathOrAncestor(p, parts, true));
      if (dirHits.size >= NAME_CACHE_LIMIT) dirHits.clear();
      dirHits.set(dir, hits);
    }
    return hits;
  };
  return (rawPath) => {
    const isDirectory = rawPath.endsWith('/') || rawPath.endsWith('\\');
    if (isDirectory && !canSkipDirectories) return true;
    const path = trimTrailingSlashes(normalizePath(rawPath));
    const cut = path.lastIndexOf('/');
    const hits = cut === -1 ? undefined : ancestorHits(path.slice(0, cut));
    const name = cut === -1 ? path : path.slice(cut + 1);
    let scan = true;
    for (let i = 0; i < patterns.length; i++) {
      const p = patterns[i] as CompiledPattern;
      if (hits?.[i] === true || ((isDirectory || !p.dirOnly) && p.match(p.anchored ? path : name))) scan = p.negate;
    }
    return scan;
  };
}

/**
 * The pattern that makes the filter skip a path (`node_modules/`), and whether it is a default or from
 * `paths.ignore`; undefined when the path is scanned. Lets a tool say why a path it was asked for is skipped.
 */
export function skippingPattern(options: PathFilterOptions, rawPath: string): { pattern: string; isDefault: boolean } | undefined {
  const defaults = options.useDefaults ? DEFAULT_IGNORE_GLOBS.map((g) => compilePattern(g, true)) : [];
  const patterns = [...defaults.map((p) => ({ p, isDefault: true })), ...options.ignore.map((g) => ({ p: compilePattern(g, false), isDefault: false }))];
  const isDirectory = rawPath.endsWith('/') || rawPath.endsWith('\\');
  const parts = trimTrailingSlashes(normalizePath(rawPath)).split('/');
  let decided: { pattern: string; isDefault: boolean } | undefined;
  for (const { p, isDefault } of patterns) {
    if (p !== undefined && matchesPathOrAncestor(p, parts, isDirectory)) decided = p.negate ? undefined : { pattern: p.source, isDefault };
  }
  return decided;
}

/** Forward slashes, no leading `./` or `/`. */
export function normalizePath(path: string): string {
  let p = path.includes('\\') ? path.replace(/\\/g, '/') : path;
  while (p.startsWith('./')) p = p.slice(2);
  while (p.startsWith('/')) p = p.slice(1);
  return p;
}

function trimTrailingSlashes(p: string): string {
  let end = p.length;
  while (end > 0 && p[end - 1] === '/') end--;
  return p.slice(0, end);
}

/** Names remembered per pattern: bounded, so a tree of millions of names cannot grow it without end. */
const NAME_CACHE_LIMIT = 4096;

interface CompiledPattern {
  /** The pattern as written, to name it when it skips a path. */
  source: string;
  negate: boolean;
  dirOnly: boolean;
  /** Matched against the whole path from the root; otherwise against single names. */
  anchored: boolean;
  match: (path: string) => boolean;
  /** For `*.png` and `*.{png,jpg}`: the endings, case-folded when `nocase`. */
  endings?: { set: Set<string>; nocase: boolean };
}

function compilePattern(raw: string, nocase: boolean): CompiledPattern | undefined {
  let p = raw.trim();
  if (p === '' || p.startsWith('#')) return undefined;
  const negate = p.startsWith('!');
  if (negate) p = p.slice(1);
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = trimTrailingSlashes(p);
  const anchored = p.includes('/');
  p = normalizePath(p);
  if (p === '') return undefined;
  if (anchored) return { source: raw.trim(), negate, dirOnly, anchored, match: picomatch(p, { dot: true, nocase }) };
  // Without a slash the pattern matches one name at any depth: testing each name alone is the same as
  // testing `**/pattern` against each prefix of the path, and several times cheaper on deep trees.
  // Names and sets of extensions, most of the defaults, are compared as strings: a regex per name, cold
  // in a short-lived CLI, cost more than listing the tree.
  const source = raw.trim();
  const fold = (s: string): string => (nocase ? s.toLowerCase() : s);
  if (!GLOB_SYNTAX.test(p)) {
    const want = fold(p);
    return { source, negate, dirOnly, anchored, match: (name) => fold(name) === want };
  }
  const set = extensionSet(p, fold);
  if (set !== undefined) return { source, negate, dirOnly, anchored, match: endingMatcher(set, nocase), endings: { set, nocase } };
  return { source, negate, dirOnly, anchored, match: rememberingMatcher(picomatch(p, { dot: true, nocase })) };
}

/** Glob syntax beyond a plain name; `*.png` and `*.{png,jpg}` are recognised apart (`extensionSet`). */
const GLOB_SYNTAX = /[*?[\]{}()!+@\\]/;

/** The endings of `*.ext` or `*.{a,b}` (simple ones, without dots or glob syntax), folded; else undefined. */
function extensionSet(pattern: string, fold: (s: string) => string): Set<string> | undefined {
  const m = /^\*\.(?:\{([^{}]+)\}|([^{}]+))$/.exec(pattern);
  if (m === null) return undefined;
  const endings = (m[1] ?? (m[2] as string)).split(',');
  if (endings.some((e) => e === '' || e.includes('.') || GLOB_SYNTAX.test(e))) return undefined;
  return new Set(endings.map(fold));
}

/** What picomatch answers for `*.{…}` with `dot: true`: the text after the name's last dot is one of the endings. */
function endingMatcher(set: Set<string>, nocase: boolean): (name: string) => boolean {
  return (name) => {
    const dot = name.lastIndexOf('.');
    if (dot === -1) return false;
    const ending = name.slice(dot + 1);
    return set.has(nocase ? ending.toLowerCase() : ending);
  };
}

/**
 * Joins neighbouring extension patterns that act alike into one, in place: the defaults' six sets of
 * file types become one lookup per file. Neighbours only, since the last matching pattern decides.
 */
function mergeEndings(patterns: CompiledPattern[]): void {
  for (let i = patterns.length - 1; i > 0; i--) {
    const a = patterns[i - 1] as CompiledPattern;
    const b = patterns[i] as CompiledPattern;
    if (a.endings === undefined || b.endings === undefined || a.endings.nocase !== b.endings.nocase || a.negate !== b.negate || a.dirOnly !== b.dirOnly) continue;
    const set = new Set([...a.endings.set, ...b.endings.set]);
    patterns.splice(i - 1, 2, { ...a, source: `${a.source} ${b.source}`, match: endingMatcher(set, a.endings.nocase), endings: { set, nocase: a.endings.nocase } });
  }
}

/** A matcher that remembers its answer per name: the same directory names come back for every file under them. */
function rememberingMatcher(test: (name: string) => boolean): (name: string) => boolean {
  const seen = new Map<string, boolean>();
  return (name) => {
    let hit = seen.get(name);
    if (hit === undefined) {
      hit = test(name);
      if (seen.size >= NAME_CACHE_LIMIT) seen.clear();
      seen.set(name, hit);
    }
    return hit;
  };
}

/** Tries the path and each directory above it, so a pattern naming a directory covers its contents. */
function matchesPathOrAncestor(p: CompiledPattern, parts: string[], lastIsDirectory: boolean): boolean {
  if (!p.anchored) {
    for (let i = 0; i < parts.length; i++) {
      const isDir = lastIsDirectory || i < parts.length - 1;
      if ((isDir || !p.dirOnly) && p.match(parts[i] as string)) return true;
    }
    return false;
  }
  let prefix = '';
  for (let i = 0; i < parts.length; i++) {
    prefix = i === 0 ? (parts[0] as string) : `${prefix}/${parts[i] as string}`;
    const isDir = lastIsDirectory || i < parts.length - 1;
    if ((isDir || !p.dirOnly) && p.match(prefix)) return true;
  }
  return false;
}
