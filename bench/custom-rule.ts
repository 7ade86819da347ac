/**
 * What a custom rule costs. Custom patterns run on RE2 (re2js, linear time) through a sticky adapter,
 * where built-in rules run on V8: this measures the per-MB time a custom rule adds, on real code and on
 * text made of its keyword, against the same pattern as a V8 rule.
 */
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../src/config/load.js';
import { BUILTIN_RULES } from '../src/rules/index.js';
import { Engine } from '../src/scan/engine.js';
import type { Rule } from '../src/scan/types.js';

const MB = 1024 * 1024;

interface Text {
  path: string;
  text: string;
}

function secondsPerMb(engine: Engine, texts: Text[], runs = 3): number {
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t.text), 0);
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (const t of texts) engine.scan({ path: t.path, text: t.text, source: 'file' });
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best / (bytes / MB);
}

/** Per-MB cost of one custom rule on `sample` (real code) and on 1 MB of its keyword with near-miss bodies. */
export function runCustomRule(sample: Text[]): Record<string, number> {
  const source = 'acme_[a-z0-9]{32}(?![a-z0-9])';
  const config = parseConfig(`rules:\n  custom:\n    - id: acme-token\n      keywords: [acme_]\n      pattern: '${source}'\n`, 'bench.yml');
  const custom = config.rules.custom[0] as Rule;
  const v8: Rule = { ...custom, id: 'acme-token-v8', pattern: new RegExp(source) };
  const builtins = new Engine(BUILTIN_RULES);
  const withRe2 = new Engine([...BUILTIN_RULES, custom]);
  const withV8 = new Engine([...BUILTIN_RULES, v8]);
  // A keyword every 26 characters, each followed by a body one character short of a match.
  const hostile = [{ path: 'hostile.txt', text: `acme_${'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p'.slice(0, 20)} `.repeat(Math.ceil(MB / 26)) }];
  // Warm every engine up first: the first one timed would otherwise pay the JIT for all three.
  for (const engine of [builtins, withRe2, withV8]) secondsPerMb(engine, [...sample.slice(0, 50), ...hostile], 1);
  const base = secondsPerMb(builtins, sample);
  const realRe2 = secondsPerMb(withRe2, sample);
  const hostileBase = secondsPerMb(builtins, hostile);
  const hostileRe2 = secondsPerMb(withRe2, hostile);
  const hostileV8 = secondsPerMb(withV8, hostile);
  const ms = (s: number): string => `${(s * 1000).toFixed(2)} ms`;
  console.log(`custom rule (RE2): real code ${ms(base)}/MB -> ${ms(realRe2)}/MB with the rule (+${ms(realRe2 - base)}/MB)`);
  console.log(
    `custom rule (RE2): 1 MB of its keyword (a hit every 26 characters): +${ms(hostileRe2 - hostileBase)}/MB on RE2, ` +
      `+${ms(hostileV8 - hostileBase)}/MB for the same pattern on V8; ${(hostileRe2 / base).toFixed(1)}x the per-MB time of real code`,
  );
  return {
    customRuleRealMsPerMb: (realRe2 - base) * 1000,
    customRuleHostileMsPerMb: (hostileRe2 - hostileBase) * 1000,
    customRuleHostileV8MsPerMb: (hostileV8 - hostileBase) * 1000,
    customRuleHostileRatio: hostileRe2 / base,
  };
}
