import type { Rule, SampleGen, Severity } from '../scan/types.js';
import { ALNUM, HEX } from './alphabets.js';

/** Letters, digits and `_`: what a token's lookbehind refuses right before its prefix. */
const WORD_CHARS = `${ALNUM}_`;

/**
 * Stripe keys are `<sk|rk>_<live|test>_` and an opaque alphanumeric body: 24 characters for older keys,
 * 99 for current ones. Stripe reserves the right to lengthen them (up to 255 characters in all).
 */
function stripeKey(prefix: string, gen: SampleGen): string {
  return prefix + gen.chars(ALNUM, gen.pick([24, 99]));
}

const stripe = (id: string, prefix: string, title: string, severity: Severity, text: string, url: string): Rule => ({
  id,
  title,
  provider: 'Stripe',
  severity,
  keywords: [prefix],
  notAfter: WORD_CHARS,
  pattern: new RegExp(`(?<![A-Za-z0-9_])${prefix}[A-Za-z0-9]{20,247}(?![A-Za-z0-9_-])`),
  minEntropy: 3,
  remediation: { text, url },
  samples: {
    secret: (gen) => stripeKey(prefix, gen),
    positives: (gen) => {
      const key = stripeKey(prefix, gen);
      return [{ text: `curl https://api.stripe.com/v1/charges -u ${key}:\n`, secret: key }];
    },
    negatives: (gen) => [
      `${prefix}${gen.chars(ALNUM, 12)}`,
      `${prefix}...`,
      `STRIPE_KEY=${prefix}${'x'.repeat(24)}`,
      `STRIPE_KEY=${prefix}YOUR_STRIPE_KEY_GOES_HERE_1234`,
      'STRIPE_SECRET_KEY=${{ secrets.STRIPE_SECRET_KEY }}',
    ],
  },
});

/** Shopify tokens: a 5-letter type prefix, an underscore and 32 hex digits. */
const shopify = (id: string, prefix: string, title: string, text: string): Rule => ({
  id,
  title,
  provider: 'Shopify',
  severity: 'high',
  keywords: [prefix],
  pattern: new RegExp(`(?<![A-Za-z0-9_])${prefix}[a-fA-F0-9]{32}(?![A-Za-z0-9_])`),
  minEntropy: 2.5,
  remediation: { text, url: 'https://help.shopify.com/en/manual/apps/app-types/custom-apps' },
  samples: {
    secret: (gen) => prefix + gen.chars(HEX, 32),
    negatives: (gen) => [`${prefix}${gen.chars(HEX, 20)}`, `${prefix}${'0'.repeat(32)}`, `${prefix}<token>`],
  },
});

const STRIPE_LIVE_KEYS = 'https://dashboard.stripe.com/apikeys';
const STRIPE_TEST_KEYS = 'https://dashboard.stripe.com/test/apikeys';

export const paymentRules: Rule[] = [
  stripe('stripe-live-secret-key', 'sk_live_', 'Stripe live secret key', 'critical', 'Roll the key in the Stripe Dashboard (Developers > API keys) and review recent charges and payouts.', STRIPE_LIVE_KEYS),
  stripe('stripe-live-restricted-key', 'rk_live_', 'Stripe live restricted key', 'high', 'Roll or delete the restricted key in the Stripe Dashboard; its permissions decide the damage.', STRIPE_LIVE_KEYS),
  stripe('stripe-test-secret-key', 'sk_test_', 'Stripe test-mode secret key', 'low', 'Test keys move no money, but roll it: it exposes test data and account details.', STRIPE_TEST_KEYS),
  stripe('stripe-test-restricted-key', 'rk_test_', 'Stripe test-mode restricted key', 'low', 'Roll the test-mode restricted key in the Stripe Dashboard.', STRIPE_TEST_KEYS),
  shopify('shopify-access-token', 'shpat_', 'Shopify Admin API access token', 'Uninstall or rotate the custom app in the Shopify admin to invalidate its Admin API token.'),
  shopify('shopify-custom-app-token', 'shpca_', 'Shopify custom app access token', 'Uninstall or rotate the custom app in the Shopify admin to invalidate its token.'),
  shopify('shopify-private-app-token', 'shppa_', 'Shopify private app password', 'Delete the private app or regenerate its password in the Shopify admin.'),
  shopify('shopify-shared-secret', 'shpss_', 'Shopify app shared secret', 'Rotate the app client secret in the Partner Dashboard or the app settings.'),
  {
    id: 'stripe-payment-intent-client-secret',
    title: 'Stripe PaymentIntent client secret',
    provider: 'Stripe',
    // Meant for the one customer's browser: it confirms that payment and reads its status, nothing more.
    severity: 'low',
    keywords: ['pi_'],
    // `pi_` inside a word (`api_key`, every few characters of a config) is not a PaymentIntent.
    notAfter: WORD_CHARS,
    pattern: /(?<![A-Za-z0-9_])pi_[A-Za-z0-9]{24}_secret_[A-Za-z0-9]{25}(?![A-Za-z0-9_])/,
    minEntropy: 3.5,
    remediation: {
      text: 'Do not store or log client secrets: hand each one only to its customer\'s session. Cancel the PaymentIntent if it is still open.',
      url: 'https://docs.stripe.com/api/payment_intents/object#payment_intent_object-client_secret',
    },
    samples: {
      secret: (gen) => `pi_${gen.chars(ALNUM, 24)}_secret_${gen.chars(ALNUM, 25)}`,
      name: 'CLIENT_SECRET',
      negatives: (gen) => [`pi_${gen.chars(ALNUM, 24)}`, `pi_${gen.chars(ALNUM, 24)}_secret_${gen.chars(ALNUM, 10)}`, 'clientSecret: pi_..._secret_...'],
    },
  },
];
