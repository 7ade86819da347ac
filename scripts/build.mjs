// `npm run build`: the three bundles are independent, so they are built side by side. One after another
// they took about 70 s, long enough to trip time limits on the checks that run it.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
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
    ncc(['src/cli.ts', '-o', 'dist/cli']),
    // The tokenizer vocabulary is loaded by path on first use (see src/scan/cl100k.cjs), so each bundle
    // gets its own copy beside it.
    ncc(['src/scan/cl100k.cjs', '-o', 'dist/cl100k']),
  ]);
  copyFileSync('dist/cl100k/index.cjs', 'dist/cl100k.cjs');
  copyFileSync('dist/cl100k/index.cjs', 'dist/cli/cl100k.cjs');
  // The installed command: a launcher that turns on Node's compile cache, then loads the bundle beside it.
  copyFileSync('src/cli-bin.mjs', 'dist/cli/bin.mjs');
  chmodSync('dist/cli/bin.mjs', 0o755);
  rmSync('dist/cl100k', { recursive: true });
} catch (error) {
  console.error(String(error instanceof Error ? error.message : error));
  process.exit(1);
}
