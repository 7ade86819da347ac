// `npm run build`: the bundles are independent, so they are built side by side. One after another
// they took about 70 s, long enough to trip time limits on the checks that run it.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import console from 'node:console';

const ncc = (args) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', ...args, '--target', 'es2022'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ncc build ${args[0]} exited ${code}`))));
  });

try {
  await Promise.all([
    ncc(['src/index.ts', '-o', 'dist', '--license', 'licenses.txt']),
    ncc(['src/cli.ts', '-o', 'dist/cli', '--license', 'licenses.txt']),
    // The tokenizer vocabulary is loaded by path on first use (see src/scan/cl100k.cjs), so each bundle
    // gets its own copy beside it.
    ncc(['src/scan/cl100k.cjs', '-o', 'dist/cl100k', '--license', 'licenses.txt']),
    // The same for the RE2 port, needed only by custom patterns (see src/scan/re2js.cjs).
    ncc(['src/scan/re2js.cjs', '-o', 'dist/re2js', '--license', 'licenses.txt']),
  ]);
  copyFileSync('dist/cl100k/index.cjs', 'dist/cl100k.cjs');
  copyFileSync('dist/cl100k/index.cjs', 'dist/cli/cl100k.cjs');
  // The installed command: a launcher that turns on Node's compile cache, then loads the bundle beside it.
  copyFileSync('src/cli-bin.mjs', 'dist/cli/bin.mjs');
  chmodSync('dist/cli/bin.mjs', 0o755);
  copyFileSync('dist/re2js/index.cjs', 'dist/re2js.cjs');
  copyFileSync('dist/re2js/index.cjs', 'dist/cli/re2js.cjs');
  // The chunks' third-party code ships beside each bundle, so their licence notices go into its licenses.txt.
  const chunks = ['dist/cl100k/licenses.txt', 'dist/re2js/licenses.txt'];
  mergeLicenses('dist/licenses.txt', chunks);
  mergeLicenses('dist/cli/licenses.txt', chunks);
  rmSync('dist/cl100k', { recursive: true });
  rmSync('dist/re2js', { recursive: true });
} catch (error) {
  console.error(String(error instanceof Error ? error.message : error));
  process.exit(1);
}

/**
 * Adds the notices of `others` to the licenses.txt at `into`, once per package, in name order as ncc
 * writes them (a package's name, its licence, then the licence text; packages apart by two blank lines).
 */
function mergeLicenses(into, others) {
  const byName = new Map();
  for (const file of [into, ...others]) {
    for (const block of readFileSync(file, 'utf8').split('\n\n\n')) {
      const text = block.trim();
      if (text !== '') byName.set(text.split('\n', 1)[0], text);
    }
  }
  const names = [...byName.keys()].sort();
  writeFileSync(into, `${names.map((n) => byName.get(n)).join('\n\n\n')}\n`);
}
