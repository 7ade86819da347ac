import { describe, expect, it } from 'vitest';
import { runLoad } from '../../bench/load.js';

describe('a pull request at GitHub limits', () => {
  it('3,000 files (ten of 20,000 lines) and 250 commits: completes, finds every planted key, within the API budget and 1 GB', async () => {
    const r = await runLoad();
    expect(r.exitCode).toBe(1);
    expect(r.findings).toBe(r.planted);
    expect(r.apiCalls).toBeLessThanOrEqual(r.budget);
    expect(r.peakRssMb).toBeDefined();
    expect(r.peakRssMb ?? Infinity).toBeLessThan(1024);
  }, 300_000);
});
