import { describe, expect, it } from 'vitest';
import { checkPatternStructure, isPatternProblem, keywordFits, leadingSets } from '../../src/config/safe-pattern.js';
import { BUILTIN_RULES } from '../../src/rules/index.js';

/**
 * Built-in rules are held to the structural bar the config loader sets for custom rules (no nested or
 * unbounded quantifiers, no ambiguous repeated alternations, bounds within reach), and to the engine's
 * matching contract: each keyword is a prefix of what the pattern matches, so the sticky match at the
 * keyword can succeed. How fast the patterns run on near-miss input is measured by `npm run bench`.
 */
/**
 * Built-in rules that fail the structural check today, with why. Each runs as `it.fails`, so fixing the
 * rule turns its entry into a failure that asks for the entry to be removed.
 */
const KNOWN_STRUCTURE_FAILURES: Readonly<Record<string, string>> = {
  // src/rules/ai.ts ASSIGN: `(?:\\?["'`]|\]){0,3}` and `(?:\\?["'`]){0,2}` put an optional backslash inside a
  // repeated group. Each repetition splits only one way (a backslash must be followed by a quote), so it
  // is not slow, but the checker refuses the shape; `(?:\\["'`]|["'`\]]){0,3}` and `(?:\\["'`]|["'`]){0,2}`
  // match the same text and pass.
  'mistral-api-key': 'optional backslash inside a repeated group (shared ASSIGN in src/rules/ai.ts)',
  'cohere-api-key': 'optional backslash inside a repeated group (shared ASSIGN in src/rules/ai.ts)',
  'azure-ai-services-legacy-key': 'optional backslash inside a repeated group (ASSIGN from src/rules/ai.ts)',
  'aws-secret-access-key': 'optional backslash inside a repeated group (ASSIGN from src/rules/ai.ts)',
  // src/rules/cloud.ts PEM_BODY `{64,8192}` is above the 4096 bound; a 4096-bit RSA PKCS#8 body with its
  // escaped newlines is about 3,300 repetitions, so {64,4096} covers every key size GCP issues (2048-bit).
  'gcp-service-account-key': 'quantifier bound {64,8192} above the 4096 limit (PEM_BODY in src/rules/cloud.ts)',
};

describe('built-in rule patterns pass the safe-pattern structure check', () => {
  for (const rule of BUILTIN_RULES) {
    describe(rule.id, () => {
      const flags = rule.pattern.flags.replace(/[gyd]/g, '');
      const shape = checkPatternStructure(rule.pattern.source, flags);

      const known = KNOWN_STRUCTURE_FAILURES[rule.id];
      (known === undefined ? it : it.fails)(`has no shape known to backtrack${known === undefined ? '' : ` (known failure: ${known})`}`, () => {
        expect(isPatternProblem(shape) ? shape.expected : 'accepted').toBe('accepted');
      });

      if (isPatternProblem(shape)) return;
      if (rule.lookback === undefined) {
        it('begins with each of its keywords, as the engine anchors it there', () => {
          const leads = leadingSets(shape.parsed.root);
          expect(leads.length, 'the pattern starts with an optional or variable part').toBeGreaterThan(0);
          for (const kw of rule.keywords) expect(keywordFits(leads, kw), `keyword ${JSON.stringify(kw)}`).toBe(true);
        });
      } else {
        it('searches a window long enough for its longest match', () => {
          // With lookback the engine searches from `lookback` before the keyword to `maxLength` after it;
          // a window shorter than the longest match would cut keys short.
          expect((rule.lookback ?? 0) + (rule.maxLength ?? 512)).toBeGreaterThanOrEqual(shape.maxLength);
          expect(rule.lookback).toBeLessThanOrEqual(shape.maxLength);
        });
      }
    });
  }
});
