import { describe, expect, it } from 'vitest';
import { describeUrl } from '../../src/github/client.js';

// The 30 s timeout warning is printed before findings are masked: a path holding a key must not reach it.
describe('describeUrl', () => {
  it.each([
    ['https://api.github.com/repos/o/r/contents/keys/ghp_secretish.txt?ref=abc', 'https://api.github.com/repos/o/r/contents/…'],
    ['https://api.github.com/repos/o/r/pulls/7/files?per_page=100&page=2', 'https://api.github.com/repos/o/r/pulls/…'],
    ['https://api.github.com/user', 'https://api.github.com/user'],
    ['not a url', 'a GitHub API URL'],
  ])('%s -> %s', (url, shown) => {
    expect(describeUrl(url)).toBe(shown);
  });
});
