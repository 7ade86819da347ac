import { describe, expect, it } from 'vitest';
import { ALNUM, HEX } from '../../src/rules/alphabets.js';
import { tokensPerChar } from '../../src/scan/wordiness.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';

/** The generic rule's threshold: below it a value reads as words. */
const WORDY = 0.32;

describe('tokensPerChar (BPE wordiness)', () => {
  it('finds identifiers, labels, codes and generated placeholders wordy', () => {
    for (const name of ['CustomTokenMismatch', '?InterpolationInTemplate', 'auth/custom-token-mismatch', 'my_fieldName', 'SigV4Credentials', 'AgencyIdentificationCodeContentType', 'test-api-key-for-unit-tests-only', 'BETA_CLIENT_TOOL_UNION_KEYS']) {
      expect(tokensPerChar(name), name).toBeLessThan(WORDY);
    }
  });

  it('never finds random base62 or hexadecimal keys wordy', () => {
    const gen = seededGen(testSeed() ^ 0xb9e);
    for (let i = 0; i < 2000; i++) {
      const value = gen.chars(gen.pick([ALNUM, HEX]), gen.int(16, 48));
      expect(tokensPerChar(value), value.slice(0, 4)).toBeGreaterThanOrEqual(WORDY);
    }
  });

  it('gives the same answer for a value asked again', () => {
    expect(tokensPerChar('CustomTokenMismatch')).toBe(tokensPerChar('CustomTokenMismatch'));
  });
});
