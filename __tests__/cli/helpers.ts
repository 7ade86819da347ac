import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main, type CliIo } from '../../src/cli.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  stdin?: string;
  /** Pretend stdout and stderr are terminals. */
  tty?: boolean;
  env?: Record<string, string>;
}

/** Runs the CLI in-process with captured streams. */
export async function runCli(argv: string[], options: RunOptions): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty ?? false },
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    cwd: options.cwd,
    env: options.env ?? {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A fresh temporary directory and a function that removes it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'key-hygiene-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The built CLI, as a user runs it: `node dist/cli/index.js` (node from `KH_NODE` when set). */
export const BUILT_CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'index.js');

export interface BuiltRunOptions {
  cwd: string;
  stdin?: string | Buffer;
  env?: Record<string, string>;
}

/**
 * Runs the built CLI in a child process with no terminal and a clean colour environment, the git identity
 * of the temp repositories, and no user or system git config.
 */
export function runBuiltCli(argv: string[], options: BuiltRunOptions): CliRun {
  const env: Record<string, string | undefined> = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...options.env };
  for (const name of ['FORCE_COLOR', 'NO_COLOR']) if (options.env?.[name] === undefined) delete env[name];
  const run = spawnSync(process.env['KH_NODE'] ?? process.execPath, [BUILT_CLI, ...argv], {
    cwd: options.cwd,
    env,
    input: options.stdin ?? '',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error !== undefined) throw run.error;
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}
