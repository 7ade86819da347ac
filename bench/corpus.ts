/**
 * Copies real third-party text out of an installed node_modules into a corpus directory for the
 * benchmarks. Paths in the copy never say node_modules: the CLI skips that directory by default, and a
 * benchmark must scan what it claims to scan.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface CopyOptions {
  /** File extensions to copy, with the dot (`.js`). */
  extensions: ReadonlySet<string>;
  /** Files larger than this are passed over. */
  maxFileBytes: number;
  /** Stop once this many bytes were copied (the file that crosses it is still copied). */
  budget: number;
  /** Directory names not to descend into. */
  skipDirs?: ReadonlySet<string>;
}

/**
 * Copies the text files under `from` to the same relative paths under `to`, in name order, until the
 * budget is spent; every `node_modules` in a relative path becomes `nm`. Returns the bytes copied.
 */
export function copyTextFiles(from: string, to: string, options: CopyOptions): number {
  let total = 0;
  const walk = (dir: string): void => {
    if (total >= options.budget) return;
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (total >= options.budget) return;
      const src = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (options.skipDirs?.has(e.name) !== true) walk(src);
      } else if (e.isFile() && options.extensions.has(path.extname(e.name))) {
        const size = fs.statSync(src).size;
        if (size === 0 || size > options.maxFileBytes) continue;
        const rel = path.relative(from, src).split(path.sep).join('/').replace(/node_modules/g, 'nm');
        const dest = path.join(to, rel);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.copyFileSync(src, dest);
        total += size;
      }
    }
  };
  walk(from);
  return total;
}

export interface InstalledPackage {
  name: string;
  version: string;
  dir: string;
}

/**
 * Every package directory under a node_modules, nested ones included, once per name and version (npm
 * may install the same version in several places), sorted by name then version.
 */
export function installedPackages(nodeModules: string): InstalledPackage[] {
  const found = new Map<string, InstalledPackage>();
  const visit = (nm: string): void => {
    if (!fs.existsSync(nm)) return;
    for (const e of fs.readdirSync(nm, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue;
      const dirs = e.name.startsWith('@')
        ? fs
            .readdirSync(path.join(nm, e.name), { withFileTypes: true })
            .filter((s) => s.isDirectory())
            .map((s) => path.join(nm, e.name, s.name))
        : [path.join(nm, e.name)];
      for (const dir of dirs) {
        const manifest = path.join(dir, 'package.json');
        if (fs.existsSync(manifest)) {
          const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
          const name = pkg.name ?? path.relative(nm, dir).split(path.sep).join('/');
          const version = pkg.version ?? '0.0.0';
          const key = `${name}@${version}`;
          if (!found.has(key)) found.set(key, { name, version, dir });
        }
        visit(path.join(dir, 'node_modules'));
      }
    }
  };
  visit(nodeModules);
  return [...found.values()].sort((a, b) => (a.name === b.name ? a.version.localeCompare(b.version) : a.name.localeCompare(b.name)));
}

/** A corpus file read into memory, with its path relative to the corpus directory. */
export interface Text {
  path: string;
  text: string;
}

/** Every file under `dir` but the `.complete` markers, read as UTF-8. */
export function loadDir(dir: string): Text[] {
  const out: Text[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !e.name.startsWith('.complete')) out.push({ path: path.relative(dir, p), text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return out;
}
