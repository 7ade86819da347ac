/** Counts per character code, reused across calls: entropy runs once or twice per candidate on a hot path. */
const COUNTS = new Uint32Array(65536);

/** Shannon entropy of `s` in bits per character: ~0 for repeated characters, ~5.95 for uniform base62. */
export function shannonEntropy(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    COUNTS[c] = (COUNTS[c] as number) + 1;
  }
  let bits = 0;
  // Second pass: each character's count is used at its first occurrence and cleared, leaving COUNTS zeroed.
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const count = COUNTS[c] as number;
    if (count === 0) continue;
    const p = count / n;
    bits -= p * Math.log2(p);
    COUNTS[c] = 0;
  }
  return bits;
}
