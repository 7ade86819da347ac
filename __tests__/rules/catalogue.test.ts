import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';
import { SYNTAXES } from '../helpers/syntaxes.js';

const seed = testSeed();
const engine = new Engine(BUILTIN_RULES);

function scan(path: string, text: string) {
  return engine.scan({ path, text, source: 'file' }).map((f) => ({ ruleId: f.ruleId, secret: secretOf(f), line: f.line, column: f.column }));
}

describe(`rule catalogue (seed ${seed}; pin with KH_SEED)`, () => {
  it('has unique kebab-case ids, lowercase keywords and a remediation link', () => {
    const ids = new Set<string>();
    for (const rule of BUILTIN_RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(ids.has(rule.id), `duplicate id ${rule.id}`).toBe(false);
      ids.add(rule.id);
      expect(rule.keywords.length).toBeGreaterThan(0);
      for (const kw of rule.keywords) expect(kw).toBe(kw.toLowerCase());
      expect(rule.remediation.url).toMatch(/^https:\/\//);
      expect(rule.pattern.flags).not.toMatch(/[gy]/);
    }
  });

  for (const rule of BUILTIN_RULES) {
    describe(rule.id, () => {
      const gen = seededGen(seed ^ hash(rule.id));

      if (rule.samples.wrap !== false) {
        for (const syntax of SYNTAXES) {
          it(`finds a generated key in ${syntax.label}`, () => {
            const secret = rule.samples.secret(gen);
            const text = syntax.wrap(rule.samples.name ?? 'API_TOKEN', secret);
            const found = scan(syntax.path, text);
            // Exactly one finding, by this rule, for exactly this value: no other rule reports it twice.
            expect(found.map((f) => f.ruleId), text.replace(secret, '<secret>')).toEqual([rule.id]);
            expect(found[0]?.secret === secret).toBe(true);
            const lineIdx = text.split('\n').findIndex((l) => l.includes(secret));
            expect(found[0]?.line).toBe(lineIdx + 1);
          });
        }
      }

      it('finds its whole-text positives', () => {
        const cases = rule.samples.positives?.(gen) ?? [];
        if (rule.samples.wrap === false) expect(cases.length).toBeGreaterThan(0);
        for (const { text, secret, path } of cases) {
          const found = scan(path ?? 'sample.txt', text);
          expect(found.map((f) => f.ruleId), `positive for ${rule.id}`).toEqual([rule.id]);
          expect(found[0]?.secret === secret, `secret mismatch for ${rule.id}`).toBe(true);
        }
      });

      it('reports nothing on its negatives', () => {
        const negatives = rule.samples.negatives(gen);
        expect(negatives.length).toBeGreaterThan(0);
        for (const negative of negatives) {
          const { path, text } = typeof negative === 'string' ? { path: 'sample.txt', text: negative } : negative;
          const found = scan(path, text).filter((f) => f.ruleId === rule.id);
          expect(found, `negative for ${rule.id} in ${path}: ${text.slice(0, 80)}`).toEqual([]);
        }
      });
    });
  }
});

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
