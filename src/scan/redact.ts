/**
 * The only view of a secret that leaves the engine: enough leading characters to tell a reviewer which
 * key it is (prefixes such as `ghp_` carry no secret), never enough to use it.
 */
export function redact(secret: string): string {
  const shown = Math.min(6, Math.floor(secret.length / 6));
  return `${secret.slice(0, shown)}\u2026 (${secret.length} chars)`;
}
