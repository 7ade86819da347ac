import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { Engine } from '../../src/scan/engine.js';
import { ALNUM } from '../../src/rules/alphabets.js';
import { seededGen } from '../helpers/sample-gen.js';

const engine = new Engine(BUILTIN_RULES);
const scan = (text: string) => engine.scan({ path: 'config/stripe.yml', text, source: 'file' });
const body = seededGen(1).chars(ALNUM, 99);

describe('Stripe rules', () => {
  it('ranks live secret keys above live restricted keys above test keys', () => {
    const text = ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_'].map((p, i) => `k${i}: ${p}${body}`).join('\n');
    expect(scan(text).map((f) => [f.ruleId, f.severity])).toEqual([
      ['stripe-live-secret-key', 'critical'],
      ['stripe-live-restricted-key', 'high'],
      ['stripe-test-secret-key', 'low'],
      ['stripe-test-restricted-key', 'low'],
    ]);
  });

  it('ignores the prefix inside a longer identifier', () => {
    expect(scan(`mask_live_${body}\n`).filter((f) => f.provider === 'Stripe')).toEqual([]);
  });
});
