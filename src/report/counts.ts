import type { Finding } from '../scan/types.js';

/** Findings counted the way every output reports them: leaked keys apart from transport findings. */
export interface FindingCounts {
  /** Leaked credentials: what "N leaked keys" and `fail-on: leaks` count. */
  keys: number;
  /** Keyed APIs reached over plain http://: no key leaked, counted apart (`fail-on: transport`). */
  transport: number;
}

/** Whether a finding is a transport finding rather than a leaked key. */
export function isTransport(f: Pick<Finding, 'category'>): boolean {
  return f.category === 'transport';
}

export function countFindings(findings: readonly Pick<Finding, 'category'>[]): FindingCounts {
  let transport = 0;
  for (const f of findings) if (isTransport(f)) transport++;
  return { keys: findings.length - transport, transport };
}

/** `1 plain-http API URL`, `2 plain-http API URLs`: how every output names transport findings. */
export function transportPhrase(n: number): string {
  return `${n} plain-http API ${n === 1 ? 'URL' : 'URLs'}`;
}
