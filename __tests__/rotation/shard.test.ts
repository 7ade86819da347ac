import { describe, expect, it } from 'vitest';
import { parseShard, selectShard } from '../../src/rotation/shard.js';

describe('shards', () => {
  it('parses i/n and refuses anything else with the input named', () => {
    expect(parseShard('3/8')).toEqual({ index: 3, total: 8 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, total: 1 });
    for (const bad of ['0/8', '9/8', '1/0', 'a/b', '1/', '1-8', '', '1/257']) {
      expect(() => parseShard(bad)).toThrow(/^Input "shard" has value .*expected "i\/n"/);
    }
  });

  it('covers every repository exactly once, for any shard count', () => {
    const repos = Array.from({ length: 1000 }, (_, i) => ({ fullName: `org/repo-${i}` }));
    for (const total of [1, 2, 8, 13, 64]) {
      const seen = new Map<string, number>();
      for (let index = 1; index <= total; index++) {
        for (const r of selectShard(repos, { index, total })) seen.set(r.fullName, (seen.get(r.fullName) ?? 0) + 1);
      }
      expect(seen.size).toBe(repos.length);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
    }
  });

  it('spreads repositories roughly evenly and keeps them in place when others are added', () => {
    const repos = Array.from({ length: 800 }, (_, i) => ({ fullName: `org/r${i}` }));
    const sizes = Array.from({ length: 8 }, (_, i) => selectShard(repos, { index: i + 1, total: 8 }).length);
    expect(Math.min(...sizes)).toBeGreaterThan(60);
    const before = selectShard(repos, { index: 2, total: 8 }).map((r) => r.fullName);
    const after = selectShard([...repos, { fullName: 'org/new-one' }], { index: 2, total: 8 }).map((r) => r.fullName);
    expect(after.filter((n) => n !== 'org/new-one')).toEqual(before);
  });
});
