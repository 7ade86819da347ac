/**
 * Makes repository-controlled text (paths, branch names, error messages that quote them) safe to put in
 * a log line: the runner treats a line starting with `::` as a workflow command, so the text must not
 * be able to start a line of its own, nor contain the `::` that begins one.
 */
export function escapeForLog(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029\u0085]/g, '⏎').replace(/::/g, ':\u200b:');
}
