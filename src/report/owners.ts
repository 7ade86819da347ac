import picomatch from 'picomatch';

/**
 * Where GitHub looks for CODEOWNERS, in its order: the first of these that exists is the one it uses,
 * and the others are ignored.
 */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

/** One line of a CODEOWNERS file: a path pattern and its owners (possibly none, which clears ownership). */
export interface OwnerRule {
  pattern: string;
  owners: string[];
  /** 1-based line in the file, to say which rule gave a finding its owners. */
  line: number;
  matches: (path: string) => boolean;
}

/** The CODEOWNERS file GitHub would use among those read, by GitHub's order of locations. */
export function pickCodeowners(files: ReadonlyMap<string, string>): { path: string; text: string } | undefined {
  for (const path of CODEOWNERS_PATHS) {
    const text = files.get(path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

/** Whether a repository path is one of the places GitHub reads CODEOWNERS from. */
export function isCodeownersPath(path: string): boolean {
  return (CODEOWNERS_PATHS as readonly string[]).includes(path);
}

/**
 * Parses CODEOWNERS as GitHub reads it: `#` starts a comment, each other line is a pattern followed by
 * owners (`@user`, `@org/team` or an email). Patterns follow gitignore, with GitHub's exceptions: no `!`
 * negation and no `[ ]` ranges (such lines are skipped, as GitHub skips them), and `docs/*` covers only
 * the files directly in `docs/`.
 */
export function parseCodeowners(text: string): OwnerRule[] {
  const rules: OwnerRule[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const [pattern = '', ...rest] = line.split(/\s+/);
    if (pattern.startsWith('!') || /(?<!\\)\[/.test(pattern)) return;
    const owners = rest.filter((o) => /^@[A-Za-z0-9][A-Za-z0-9-]*(\/[A-Za-z0-9_.-]+)?$/.test(o) || /^[^@\s]+@[^@\s]+$/.test(o));
    rules.push({ pattern, owners, line: i + 1, matches: compilePattern(pattern.replace(/\\#/g, '#')) });
  });
  return rules;
}

function compilePattern(pattern: string): (path: string) => boolean {
  const dirOnly = pattern.endsWith('/');
  const trimmed = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  // gitignore: a slash at the start or in the middle anchors the pattern at the root; otherwise it matches at any depth.
  const anchored = pattern.startsWith('/') || trimmed.includes('/');
  const base = trimmed === '' ? '**' : anchored ? trimmed : `**/${trimmed}`;
  const last = trimmed.split('/').pop() ?? '';
  const globs: string[] = [];
  if (!dirOnly) globs.push(base);
  // A name without a wildcard can be a directory: it owns everything below it. `docs/*` does not reach into subdirectories.
  if (dirOnly || !last.includes('*')) globs.push(`${base}/**`);
  if (base.endsWith('/**')) globs.push(base);
  const match = picomatch(globs, { dot: true });
  return (path) => match(path);
}

/** The owners of a path: the last matching rule wins, as on GitHub, even when it lists no owner. */
export function ownersOf(path: string, rules: readonly OwnerRule[]): string[] {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i] as OwnerRule;
    if (rule.matches(path)) return rule.owners;
  }
  return [];
}

/** The owners every file falls back to: those of the catch-all rule (`*` or `/**`), if the file has one. */
export function defaultOwners(rules: readonly OwnerRule[]): string[] {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i] as OwnerRule;
    if (['*', '**', '/**'].includes(rule.pattern)) return rule.owners;
  }
  return [];
}

/** The owners of a secret by its name, from `rotation.owners`: case-insensitive globs, the last match wins like CODEOWNERS. */
export function secretOwnersOf(name: string, rules: ReadonlyArray<{ pattern: string; owners: readonly string[] }>): string[] {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i] as { pattern: string; owners: readonly string[] };
    if (picomatch.isMatch(name, rule.pattern, { nocase: true })) return [...rule.owners];
  }
  return [];
}
