/**
 * Keeps the generated reference tables true: the inputs and outputs tables in README.md come from
 * action.yml, and the rule table in docs/rules.md from the catalogue. `--write` rewrites each file between
 * its markers; the README test calls `expectedDoc` for each file in `GENERATED` and fails when a committed
 * file differs (so does this script without `--write`, with exit status 1).
 *
 *   node --import ./scripts/register-ts.mjs scripts/readme-tables.ts --write
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { BUILTIN_RULES } from '../src/rules/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

export function inputsTable(action: ActionYml): string {
  const rows = Object.entries(action.inputs).map(([name, i]) => {
    const def = i.default === undefined || i.default === '' ? '(empty)' : `\`${i.default}\``;
    return `| \`${name}\` | ${def} | ${cell(i.description)} |`;
  });
  return ['| Input | Default | Description |', '| --- | --- | --- |', ...rows].join('\n');
}

export function outputsTable(action: ActionYml): string {
  const rows = Object.entries(action.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`);
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}

export function rulesTable(): string {
  const rows = [...BUILTIN_RULES]
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id))
    .map((r) => {
      const checks = [r.validate !== undefined ? 'checksum/structure' : '', r.generic === true ? 'generic, entropy' : r.minEntropy !== undefined ? 'entropy' : '']
        .filter((c) => c !== '')
        .join(', ');
      return `| ${cell(r.provider)} | \`${r.id}\` | ${cell(r.title)} | ${r.severity} | ${checks === '' ? '—' : checks} |`;
    });
  return [`${BUILTIN_RULES.length} built-in rules.`, '', '| Provider | Rule id | Detects | Severity | Offline check |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function replaceBetween(file: string, text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i === -1 || j < i) throw new Error(`${file} has no ${start} ... ${end} markers`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

/** Which generated tables live in which file (paths from the repository root). */
export const GENERATED: Readonly<Record<string, readonly ('inputs' | 'outputs' | 'rules')[]>> = {
  'README.md': ['inputs', 'outputs'],
  'docs/rules.md': ['rules'],
};

/** `file` as it should be: the committed text with each of its generated tables refreshed. */
export function expectedDoc(file: string, text: string): string {
  const tables = GENERATED[file];
  if (tables === undefined) throw new Error(`${file} holds no generated table`);
  const action = parse(readFileSync(`${ROOT}/action.yml`, 'utf8')) as ActionYml;
  const bodies = { inputs: () => inputsTable(action), outputs: () => outputsTable(action), rules: rulesTable };
  return tables.reduce((out, name) => replaceBetween(file, out, name, bodies[name]()), text);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  let stale = 0;
  for (const file of Object.keys(GENERATED)) {
    const path = `${ROOT}/${file}`;
    const current = readFileSync(path, 'utf8');
    const next = expectedDoc(file, current);
    if (process.argv.includes('--write')) {
      writeFileSync(path, next);
      console.log(next === current ? `${file}: tables already up to date.` : `${file}: tables rewritten.`);
    } else if (next !== current) {
      console.error(`${file}: tables are out of date: run \`node --import ./scripts/register-ts.mjs scripts/readme-tables.ts --write\`.`);
      stale++;
    }
  }
  if (stale > 0) process.exit(1);
}
