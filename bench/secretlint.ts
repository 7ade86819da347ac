/**
 * secretlint (recommended preset) over a corpus directory, for \`npm run bench\`'s comparison: prints
 * \`SECONDS <s>\`, the time to lint every file once. Run as a process of its own (see run.ts).
 */
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { lintSource } from '@secretlint/core';
import { creator } from '@secretlint/secretlint-rule-preset-recommend';
import { loadDir } from './corpus.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: bench/secretlint.ts <corpus directory>');
const texts = loadDir(dir);
const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
// Best of two passes, as key-hygiene's own figure is a best of several warm passes: the first pays for
// compiling secretlint's patterns and warming the JIT.
let best = Infinity;
for (let pass = 0; pass < 2; pass++) {
  const t0 = performance.now();
  for (const t of texts) {
    await lintSource({ source: { filePath: t.path, content: t.text, contentType: 'text' }, options: { config, maskSecrets: true } });
  }
  best = Math.min(best, (performance.now() - t0) / 1000);
}
console.log(`SECONDS ${best}`);
// Without this the process lives on while secretlint's profiler works through its backlog of marks.
process.exit(0);
