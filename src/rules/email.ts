import type { Rule, SampleGen } from '../scan/types.js';
import { ALNUM, DIGITS, HEX } from './alphabets.js';
import { named, prefixed, UUID, uuid } from './shapes.js';

// ---------------------------------------------------------------------------------------------------
// Email and team messaging: Mailchimp, Mandrill, Postmark, Resend, Brevo, Microsoft Teams.
// ---------------------------------------------------------------------------------------------------

function mailchimpKey(gen: SampleGen): string {
  return `${gen.chars(HEX, 32)}-us${gen.int(1, 21)}`;
}

function teamsWebhook(gen: SampleGen): string {
  const tenant = gen.chars('abcdefghijklmnopqrstuvwxyz', gen.int(4, 12));
  return `https://${tenant}.webhook.office.com/webhookb2/${uuid(gen)}@${uuid(gen)}/IncomingWebhook/${gen.chars(HEX, 32)}/${uuid(gen)}`;
}

export const emailRules: Rule[] = [
  {
    id: 'mailchimp-api-key',
    title: 'Mailchimp Marketing API key',
    provider: 'Mailchimp',
    severity: 'high',
    // 32 hex digits, then the data center (`-us6`): the suffix is the keyword, the digits come before it.
    keywords: ['-us'],
    pattern: /(?<![A-Za-z0-9])[a-f0-9]{32}-us[0-9]{1,2}(?![A-Za-z0-9_-])/,
    lookback: 32,
    maxLength: 6,
    startRun: { chars: HEX, min: 32, max: 32 },
    minEntropy: 3,
    remediation: { text: 'Delete the key under Profile > Extras > API keys in Mailchimp and create a new one.', url: 'https://us1.admin.mailchimp.com/account/api/' },
    samples: {
      secret: mailchimpKey,
      name: 'MAILCHIMP_API_KEY',
      negatives: (gen) => [`${gen.chars(HEX, 32)}-use`, `${gen.chars(HEX, 20)}-us6`, 'MAILCHIMP_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-us6', 'MAILCHIMP_API_KEY=${{ secrets.MAILCHIMP_API_KEY }}'],
    },
  },
  named({
    id: 'mandrill-api-key',
    title: 'Mailchimp Transactional (Mandrill) API key',
    provider: 'Mailchimp',
    severity: 'high',
    words: ['mandrill'],
    value: '[A-Za-z0-9_-]{22}',
    chars: ALNUM,
    min: 22,
    minEntropy: 3.5,
    sample: (gen) => gen.chars(ALNUM, 22),
    name: 'MANDRILL_API_KEY',
    text: 'Delete the key under Settings > SMTP & API Info in Mailchimp Transactional and create a new one.',
    url: 'https://mandrillapp.com/settings',
  }),
  named({
    id: 'postmark-server-token',
    title: 'Postmark server or account token',
    provider: 'Postmark',
    severity: 'high',
    words: ['postmark'],
    names: ['x-postmark-server-token', 'x-postmark-account-token'],
    value: UUID,
    chars: `${HEX}ABCDEF-`,
    min: 36,
    sample: (gen) => uuid(gen),
    name: 'POSTMARK_SERVER_TOKEN',
    text: 'Reset the token on the server\'s API Tokens tab (or the account\'s API Tokens) in Postmark.',
    url: 'https://postmarkapp.com/support/article/1008-what-are-the-account-and-server-api-tokens',
  }),
  prefixed({
    id: 'resend-api-key',
    title: 'Resend API key',
    provider: 'Resend',
    prefix: 're_',
    body: '[A-Za-z0-9]{8}_[A-Za-z0-9]{24}',
    gate: { chars: ALNUM, min: 8 },
    minEntropy: 3.5,
    sample: (gen) => `re_${gen.chars(ALNUM, 8)}_${gen.chars(ALNUM, 24)}`,
    name: 'RESEND_API_KEY',
    negatives: () => ['re_compile_pattern_for_match_group = 1', 'def re_validate_email_address_format(self):'],
    text: 'Delete the key on the API Keys page of the Resend dashboard and create a new one.',
    url: 'https://resend.com/api-keys',
  }),
  prefixed({
    id: 'brevo-api-key',
    title: 'Brevo (Sendinblue) API or SMTP key',
    provider: 'Brevo (Sendinblue)',
    prefix: 'xkeysib-',
    alternatives: ['xsmtpsib-'],
    body: '[a-f0-9]{64}-[A-Za-z0-9]{16}',
    sample: (gen) => `${gen.pick(['xkeysib-', 'xsmtpsib-'])}${gen.chars(HEX, 64)}-${gen.chars(ALNUM, 16)}`,
    name: 'BREVO_API_KEY',
    text: 'Delete the key under SMTP & API > API Keys in Brevo and create a new one.',
    url: 'https://app.brevo.com/settings/keys/api',
  }),
  {
    id: 'microsoft-teams-webhook',
    title: 'Microsoft Teams incoming webhook URL',
    provider: 'Microsoft Teams webhook',
    severity: 'medium',
    keywords: ['.webhook.office.com/webhookb2/'],
    // The tenant's host name comes before the keyword; the match starts at `https://`.
    pattern: new RegExp(`(?<![A-Za-z0-9:/.-])https://[A-Za-z0-9-]{1,60}\\.webhook\\.office\\.com/webhookb2/${UUID}@${UUID}/IncomingWebhook/[a-f0-9]{32}/${UUID}(?:/[A-Za-z0-9_-]{20,60})?(?![A-Za-z0-9_-])`),
    lookback: 68,
    maxLength: 320,
    startRun: { chars: `${ALNUM}:/-`, min: 9, max: 68 },
    remediation: { text: 'Anyone with the URL can post to the channel: remove the Incoming Webhook connector (or workflow) and add a new one.', url: 'https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook' },
    samples: {
      secret: teamsWebhook,
      name: 'TEAMS_WEBHOOK_URL',
      negatives: (gen) => [
        `https://contoso.webhook.office.com/webhookb2/${uuid(gen)}@${uuid(gen)}/IncomingWebhook/`,
        'TEAMS_WEBHOOK_URL=https://xxx.webhook.office.com/webhookb2/<id>',
        'TEAMS_WEBHOOK_URL=${{ secrets.TEAMS_WEBHOOK_URL }}',
        `see https://contoso.webhook.office.com/webhookb2/${gen.chars(DIGITS, 8)}`,
      ],
    },
  },
];
