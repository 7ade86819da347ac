import { randomBytes } from 'node:crypto';

/**
 * Makes repository-controlled text (paths, branch names, error messages that quote them) safe to put in
 * a log line: the runner treats a line starting with `::` as a workflow command, so the text must not
 * be able to start a line of its own, nor contain the `::` that begins one. The runner also reads the
 * older `##[command]` form anywhere in a line (`a/##[set-output name=x]y` as a file name would set an
 * output), so `##[` is broken up too.
 */
export function escapeForLog(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029\u0085]/g, '⏎')
    .replace(/::/g, ':\u200b:')
    .replace(/##\[/g, '#\u200b#[');
}

/**
 * Prints a block of lines that quote repository-controlled text with the runner's command processing
 * switched off (`::stop-commands::<token>` … `::<token>::`), as a second wall behind `escapeForLog`.
 * The token is random per block, so the text cannot guess it and switch commands back on. No workflow
 * command (warning, error, mask) may be issued inside: the runner would print it as text.
 */
export function withCommandsStopped(write: (line: string) => void, print: () => void): void {
  const token = `kh-${randomBytes(16).toString('hex')}`;
  write(`::stop-commands::${token}`);
  try {
    print();
  } finally {
    write(`::${token}::`);
  }
}
