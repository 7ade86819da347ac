/** Counts per character code, reused across calls: entropy runs once or twice per candidate on a hot path. */
const COUNTS = new Uint32Array(65536);

/** c * log2(c) for the counts that candidates (at most a few hundred characters) reach. */
const C_LOG_C = Float64Array.from({ length: 1024 }, (_, c) => (c === 0 ? 0 : c * Math.log2(c)));

/** Shannon entropy of `s` in bits per character: ~0 for repeated characters, ~5.95 for uniform base62. */
export function shannonEntropy(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    COUNTS[c] = (COUNTS[c] as number) + 1;
  }
  // H = log2(n) - (1/n) * sum(c * log2 c): one logarithm per call, the rest from a table.
  let sum = 0;
  // Second pass: each character's count is used at its first occurrence and cleared, leaving COUNTS zeroed.
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const count = COUNTS[c] as number;
    if (count === 0) continue;
    sum += count < C_LOG_C.length ? (C_LOG_C[count] as number) : count * Math.log2(count);
    COUNTS[c] = 0;
  }
  return Math.max(0, Math.log2(n) - sum / n);
}
