import { isPlaceholder } from '../scan/placeholder.js';
import type { Rule, SampleGen } from '../scan/types.js';
import { anyCase, ASSIGN, ASSIGN_REACH, assignedValueGates, NAME_TAIL } from './ai.js';
import { ALNUM, BASE64URL, DIGITS, HEX, LOWER, UPPER } from './alphabets.js';

// ---------------------------------------------------------------------------------------------------
// Context-keyed rules. Some formats (a Twilio auth token is 32 hex digits) look like any hash, so these
// rules fire only where a variable named after the provider is assigned. The pattern starts at the
// provider's name (the keyword) and runs through the rest of the variable name and an assignment in any
// common syntax (see ASSIGN in ai.ts): `=`, `:`, `=>`, `:=`, JSON `": "`, XML `" value="`, escaped notebook
// quotes `\"] = \"`.
// ---------------------------------------------------------------------------------------------------

const END = '(?![A-Za-z0-9_-])';

/** A pattern for `<provider><name tail>[<word><name tail>] <assign> <value>`, capturing the value as `secret`. */
function contextual(provider: string, value: string, alsoInName?: string): RegExp {
  const name = anyCase(provider) + NAME_TAIL + (alsoInName === undefined ? '' : anyCase(alsoInName) + NAME_TAIL);
  return new RegExp(`${name}${ASSIGN}(?<secret>${value})${END}`);
}

// ---------------------------------------------------------------------------------------------------
// Slack
// ---------------------------------------------------------------------------------------------------

const digits = (gen: SampleGen, min: number, max: number): string => gen.chars('123456789', 1) + gen.chars(DIGITS, gen.int(min, max) - 1);

const SLACK_PLACEHOLDERS = [
  'SLACK_TOKEN=<SLACK_TOKEN>',
  'SLACK_TOKEN=${{ secrets.SLACK_TOKEN }}',
  'const token = process.env.SLACK_BOT_TOKEN;',
];

const slackToken = (
  id: string,
  title: string,
  keywords: string[],
  pattern: RegExp,
  secret: (gen: SampleGen) => string,
  placeholder: string,
  text: string,
): Rule => ({
  id,
  title,
  provider: 'Slack',
  severity: 'high',
  keywords,
  pattern,
  minEntropy: 3,
  remediation: { text, url: 'https://api.slack.com/apps' },
  samples: {
    secret,
    negatives: (gen) => {
      const real = secret(gen);
      return [real.slice(0, real.lastIndexOf('-') + 6), placeholder, ...SLACK_PLACEHOLDERS];
    },
  },
});

const SLACK_ID = UPPER + DIGITS;

/**
 * Slack's webhook URL shapes: incoming webhooks (`services/T…/B…/<24>`), legacy Workflow Builder webhooks
 * (`workflows/T…/A…/<id>/<24>`) and workflow webhook triggers (`triggers/T…/<id>/<32 hex>`).
 */
function slackWebhook(gen: SampleGen, shape = gen.int(0, 2)): string {
  const team = `T${gen.chars(SLACK_ID, 10)}`;
  if (shape === 1) return `https://hooks.slack.com/workflows/${team}/A${gen.chars(SLACK_ID, 10)}/${digits(gen, 18, 18)}/${gen.chars(ALNUM, 24)}`;
  if (shape === 2) return `https://hooks.slack.com/triggers/${team}/${digits(gen, 13, 13)}/${gen.chars(HEX, 32)}`;
  return `https://hooks.slack.com/services/${team}/B${gen.chars(SLACK_ID, 10)}/${gen.chars(ALNUM, 24)}`;
}

/** A pre-2021 token: `xoxs`/`xoxo` (legacy user), `xoxa` (workspace app) or `xoxr` (its refresh token). */
function slackLegacyToken(gen: SampleGen): string {
  const kind = gen.pick(['s', 'o', 'a', 'r']);
  const version = kind === 'a' || kind === 'r' ? '2-' : '';
  return `xox${kind}-${version}${digits(gen, 10, 12)}-${digits(gen, 10, 12)}-${digits(gen, 10, 13)}-${gen.chars(HEX, gen.pick([10, 32, 64]))}`;
}

// ---------------------------------------------------------------------------------------------------
// Discord
// ---------------------------------------------------------------------------------------------------

/**
 * A Discord bot token is `<base64 of the bot's user id>.<timestamp>.<HMAC>`. The first part must decode
 * to a snowflake (17 to 20 decimal digits); a token whose first part does not is dropped.
 */
function validDiscordBotToken(token: string): boolean {
  const first = token.slice(0, token.indexOf('.'));
  return /^[1-9][0-9]{16,19}$/.test(Buffer.from(first, 'base64').toString('latin1'));
}

function discordBotToken(gen: SampleGen): string {
  const userId = Buffer.from(digits(gen, 18, 19)).toString('base64').replace(/=+$/, '');
  return `${userId}.${gen.chars(BASE64URL, 6)}.${gen.chars(BASE64URL, gen.pick([27, 38]))}`;
}

function discordWebhook(gen: SampleGen, host = 'discord.com'): string {
  return `https://${host}/api/webhooks/${digits(gen, 18, 19)}/${gen.chars(BASE64URL, 68)}`;
}

// ---------------------------------------------------------------------------------------------------
// Telegram, Twilio, SendGrid, Mailgun
// ---------------------------------------------------------------------------------------------------

/** `<bot id>:AA<33 base64url>`: the part after the colon is 35 characters and starts with `AA`. */
function telegramToken(gen: SampleGen): string {
  // A digit at a random place: random secret parts all but always hold one, and the rule asks for it.
  const body = gen.chars(BASE64URL, 33);
  const at = gen.int(0, 32);
  return `${digits(gen, 8, 16)}:AA${body.slice(0, at)}${gen.chars(DIGITS, 1)}${body.slice(at + 1)}`;
}

function sendgridKey(gen: SampleGen): string {
  return `SG.${gen.chars(BASE64URL, 22)}.${gen.chars(BASE64URL, 43)}`;
}

function mailgunKey(gen: SampleGen): string {
  return gen.int(0, 1) === 0 ? `key-${gen.chars(HEX, 32)}` : `${gen.chars(HEX, 32)}-${gen.chars(HEX, 8)}-${gen.chars(HEX, 8)}`;
}

export const messagingRules: Rule[] = [
  slackToken(
    'slack-bot-token',
    'Slack bot token',
    ['xoxb-'],
    // Current bot tokens have two numeric parts; legacy bot tokens have one.
    /(?<![A-Za-z0-9_-])xoxb-[0-9]{8,14}-(?:[0-9]{8,14}-)?[A-Za-z0-9]{18,34}(?![A-Za-z0-9_-])/,
    (gen) => `xoxb-${digits(gen, 10, 13)}-${digits(gen, 10, 13)}-${gen.chars(ALNUM, 24)}`,
    'SLACK_BOT_TOKEN=xoxb-your-token',
    'Revoke the token (auth.revoke) or reinstall the app to rotate it, from the app settings on api.slack.com.',
  ),
  slackToken(
    'slack-user-token',
    'Slack user token',
    ['xoxp-', 'xoxe-'],
    // `xoxe-` with the same three numeric parts is the user token Slack appends to private file links (`?t=`).
    /(?<![A-Za-z0-9_.-])xox[pe]-[0-9]{7,14}-[0-9]{7,14}-[0-9]{7,14}-[A-Za-z0-9]{28,34}(?![A-Za-z0-9_-])/,
    (gen) => `xox${gen.pick(['p', 'p', 'e'])}-${digits(gen, 10, 13)}-${digits(gen, 10, 13)}-${digits(gen, 10, 13)}-${gen.chars(HEX, 32)}`,
    'SLACK_USER_TOKEN=xoxp-your-user-token',
    'Revoke the token (auth.revoke) or remove the app authorization; it acts as the user who installed it.',
  ),
  slackToken(
    'slack-app-token',
    'Slack app-level token',
    ['xapp-'],
    /(?<![A-Za-z0-9_-])xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,14}-[a-f0-9]{64}(?![A-Za-z0-9_-])/,
    (gen) => `xapp-1-A${gen.chars(UPPER + DIGITS, 10)}-${digits(gen, 13, 13)}-${gen.chars(HEX, 64)}`,
    'SLACK_APP_TOKEN=xapp-1-your-app-token',
    'Revoke the app-level token under Basic Information > App-Level Tokens and generate a new one.',
  ),
  slackToken(
    'slack-configuration-token',
    'Slack app configuration token',
    ['xoxe.xoxp-', 'xoxe.xoxb-', 'xoxe-'],
    // Configuration access tokens (`xoxe.xoxp-`) and their refresh tokens (`xoxe-`).
    /(?<![A-Za-z0-9_-])xoxe(?:\.xox[bp])?-[0-9]-[A-Za-z0-9]{140,180}(?![A-Za-z0-9_-])/,
    (gen) => (gen.int(0, 1) === 0 ? `xoxe.xoxp-1-${gen.chars(ALNUM, 163)}` : `xoxe-1-${gen.chars(ALNUM, 146)}`),
    'SLACK_CONFIG_TOKEN=xoxe.xoxp-1-your-config-token',
    'Revoke the configuration token with tooling.tokens.rotate or from Your Apps; it can create and change apps.',
  ),
  slackToken(
    'slack-legacy-token',
    'Slack legacy token (xoxs, xoxo, xoxa, xoxr)',
    ['xoxs-', 'xoxo-', 'xoxa-', 'xoxr-'],
    // Team, user and app (or authorization) ids, then a hex secret: 10 characters in test tokens, 32 or 64 otherwise.
    /(?<![A-Za-z0-9_.-])xox[aors]-(?:[0-9]-)?[0-9]{6,14}-[0-9]{6,14}-[0-9]{6,14}-[a-f0-9]{10,64}(?![A-Za-z0-9_-])/,
    slackLegacyToken,
    'SLACK_LEGACY_TOKEN=xoxs-your-legacy-token',
    'Revoke the token (auth.revoke) at once: legacy tokens act with the full rights of the user or workspace app.',
  ),
  {
    id: 'slack-webhook-url',
    title: 'Slack webhook URL',
    provider: 'Slack',
    severity: 'medium',
    keywords: ['hooks.slack.com/'],
    // The scheme comes before the keyword (and is left out now and then).
    lookback: 8,
    maxLength: 140,
    pattern:
      // Last, a path followed by one long random part: not a layout Slack documents, but the URL is a
      // webhook whatever its tail looks like, and nothing else lives under these paths.
      /(?:https?:\/\/|(?<![A-Za-z0-9./-]))hooks\.slack\.com\/(?:services\/T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{24}|workflows\/T[A-Z0-9]{6,12}\/A[A-Z0-9]{6,12}\/[0-9]{15,20}\/[A-Za-z0-9]{24,32}|triggers\/T[A-Z0-9]{6,12}\/(?:A[A-Z0-9]{6,12}\/)?[0-9]{10,20}\/[A-Za-z0-9]{32}|(?:services|workflows|triggers)\/[A-Za-z0-9]{40,64})(?![A-Za-z0-9_-])/,
    remediation: { text: 'Anyone with the URL can post to the channel or start the workflow: remove the webhook from the app or workflow and add a new one.', url: 'https://api.slack.com/messaging/webhooks' },
    samples: {
      secret: slackWebhook,
      name: 'SLACK_WEBHOOK_URL',
      positives: (gen) => {
        const url = slackWebhook(gen, 0);
        const trigger = slackWebhook(gen, 2);
        const bare = slackWebhook(gen, 1).replace('https://', '');
        const oneTail = `https://hooks.slack.com/${gen.pick(['services', 'workflows', 'triggers'])}/${gen.chars(LOWER + DIGITS, 44)}`;
        return [
          { text: `notify:\n  url: ${oneTail}\n`, secret: oneTail },
          { text: `curl -X POST -H 'Content-type: application/json' --data '{"text":"hi"}' ${url}\n`, secret: url },
          { text: `WORKFLOW_TRIGGER: "${trigger}"\n`, secret: trigger },
          { text: `webhook: ${bare}\n`, secret: bare },
        ];
      },
      negatives: () => [
        'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
        'https://hooks.slack.com/services/TXXXX/BXXXX/your-webhook',
        'https://hooks.slack.com/apps/T0123456/B0123456/abcdefghijklmnopqrstuvwx',
        `https://hooks.slack.com/services/${'x'.repeat(44)}`,
        'https://hooks.slack.com/services/your_webhook_token_goes_here_1234567890',
        'SLACK_WEBHOOK_URL=${{ secrets.SLACK_WEBHOOK_URL }}',
      ],
    },
  },
  {
    id: 'discord-bot-token',
    title: 'Discord bot token',
    provider: 'Discord',
    severity: 'high',
    // The format has no literal prefix, so the rule needs a `discord...` name or an `Authorization: Bot` header.
    keywords: ['discord', 'bot '],
    // The token's first dot comes within a name's tail (40), an assignment and the token's first part
    // (28) of either keyword; text made of the keywords alone never reaches the pattern.
    valueRun: { chars: '.', min: 1, within: 40 + ASSIGN_REACH + 28 },
    pattern: new RegExp(
      `(?:${anyCase('discord')}${NAME_TAIL}${ASSIGN}|(?<![A-Za-z])Bot\\s{1,2})(?<secret>[MNO][A-Za-z0-9_-]{22,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38})${END}`,
    ),
    validate: validDiscordBotToken,
    remediation: { text: 'Reset the token on the Bot page of the application in the Discord Developer Portal.', url: 'https://discord.com/developers/applications' },
    samples: {
      secret: discordBotToken,
      name: 'DISCORD_BOT_TOKEN',
      positives: (gen) => {
        const token = discordBotToken(gen);
        return [{ text: `headers = {"Authorization": "Bot ${token}"}\n`, secret: token }];
      },
      negatives: (gen) => [
        `BOT_TOKEN=${discordBotToken(gen)}`,
        `DISCORD_TOKEN=${Buffer.from('not-a-snowflake-id').toString('base64')}.${gen.chars(BASE64URL, 6)}.${gen.chars(BASE64URL, 27)}`,
        'DISCORD_TOKEN=${{ secrets.DISCORD_TOKEN }}',
        'DISCORD_TOKEN=<your-bot-token>',
      ],
    },
  },
  {
    id: 'discord-webhook-url',
    title: 'Discord webhook URL',
    provider: 'Discord',
    severity: 'medium',
    keywords: ['https://discord.com/api/', 'https://discordapp.com/api/', 'https://ptb.discord.com/api/', 'https://canary.discord.com/api/'],
    pattern: /https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/(?:v[0-9]{1,2}\/)?webhooks\/[0-9]{17,20}\/[A-Za-z0-9_-]{60,80}(?![A-Za-z0-9_-])/,
    remediation: { text: 'Anyone with the URL can post as the webhook: delete it under Server Settings > Integrations > Webhooks.', url: 'https://support.discord.com/hc/en-us/articles/228383668-Intro-to-Webhooks' },
    samples: {
      secret: (gen) => discordWebhook(gen, gen.pick(['discord.com', 'discordapp.com'])),
      name: 'DISCORD_WEBHOOK_URL',
      positives: (gen) => {
        const legacy = discordWebhook(gen, 'discordapp.com');
        return [{ text: `requests.post("${legacy}", json={"content": "deployed"})\n`, secret: legacy }];
      },
      negatives: (gen) => [
        `https://discord.com/api/webhooks/${digits(gen, 18, 18)}/${gen.chars(BASE64URL, 20)}`,
        'https://discord.com/api/webhooks/<id>/<token>',
        'DISCORD_WEBHOOK_URL=${{ secrets.DISCORD_WEBHOOK_URL }}',
      ],
    },
  },
  {
    id: 'telegram-bot-token',
    title: 'Telegram bot token',
    provider: 'Telegram',
    severity: 'high',
    // Telegram documents the token as `<bot id>:<35 characters>` (its example: `123456:ABC-DEF1234gh...`);
    // the secret part starts with `A` (`AA` in every token issued since 2016).
    keywords: [':a'],
    // Bot tokens are the only credential Telegram's Bot API issues: a `telegram_token` of another shape is not one.
    owns: { names: ['telegram'] },
    // The bot id comes before the keyword. Bot API URLs write the token right after `/bot`. A bot id is
    // a user id, which Telegram documents as up to 52 significant bits: 16 digits.
    pattern: /(?:(?<=bot)|(?<![A-Za-z0-9_]))[0-9]{5,16}:A[A-Za-z0-9_-]{34}(?![A-Za-z0-9_-])/,
    lookback: 17,
    maxLength: 60,
    // The lookbehind lets the bot id start only where its run of digits starts.
    startRun: { chars: DIGITS, min: 5, max: 16 },
    minEntropy: 3.5,
    // Random secret parts carry digits; `12345:AssertionErrorWhileParsingIt` does not.
    validate: (token) => /[0-9]/.test(token.slice(token.indexOf(':') + 1)),
    remediation: { text: 'Send /revoke to @BotFather for this bot to invalidate the token and get a new one.', url: 'https://core.telegram.org/bots/features#botfather' },
    samples: {
      secret: telegramToken,
      positives: (gen) => {
        const token = telegramToken(gen);
        const shortId = `${digits(gen, 6, 7)}:A${gen.chars(BASE64URL, 25)}${gen.chars(DIGITS, 1)}${gen.chars(BASE64URL, 8)}`;
        return [
          { text: `curl https://api.telegram.org/bot${token}/getMe\n`, secret: token },
          { text: `bot = telebot.TeleBot("${shortId}")\n`, secret: shortId },
        ];
      },
      negatives: (gen) => [
        `${digits(gen, 9, 9)}:AA${gen.chars(BASE64URL, 20)}`,
        `${digits(gen, 9, 9)}:BB${gen.chars(BASE64URL, 33)}`,
        `${digits(gen, 4, 4)}:AA${gen.chars(BASE64URL, 33)}`,
        `${digits(gen, 17, 17)}:AA${gen.chars(BASE64URL, 33)}`,
        'at line 123456:AssertionErrorWhileParsingTheConf',
        'TELEGRAM_BOT_TOKEN=123456789:AAyour-telegram-bot-token-goes-here',
        'TELEGRAM_BOT_TOKEN=${{ secrets.TELEGRAM_BOT_TOKEN }}',
      ],
    },
  },
  {
    id: 'twilio-api-key-sid',
    title: 'Twilio API key SID',
    provider: 'Twilio',
    // The SID names the key; its secret is usually a line away. Reported so both get rotated together.
    severity: 'medium',
    keywords: ['twilio'],
    valueRun: assignedValueGates(ALNUM, 34),
    pattern: contextual('twilio', 'SK[0-9a-fA-F]{32}'),
    remediation: { text: 'Delete the API key in the Twilio Console (Account > API keys) and create a new one.', url: 'https://console.twilio.com/us1/account/keys-credentials/api-keys' },
    samples: {
      secret: (gen) => `SK${gen.chars(HEX, 32)}`,
      name: 'TWILIO_API_KEY',
      negatives: (gen) => [`API_KEY=SK${gen.chars(HEX, 32)}`, `TWILIO_API_KEY=SK${gen.chars(HEX, 20)}`, 'TWILIO_API_KEY=${{ secrets.TWILIO_API_KEY }}'],
    },
  },
  {
    id: 'twilio-api-key-secret',
    title: 'Twilio API key secret',
    provider: 'Twilio',
    severity: 'high',
    keywords: ['twilio'],
    valueRun: assignedValueGates(ALNUM, 32),
    pattern: contextual('twilio', '[A-Za-z0-9]{32}', 'secret'),
    minEntropy: 3.5,
    remediation: { text: 'Delete the API key in the Twilio Console (Account > API keys) and create a new one.', url: 'https://console.twilio.com/us1/account/keys-credentials/api-keys' },
    samples: {
      secret: (gen) => gen.chars(ALNUM, 32),
      name: 'TWILIO_API_SECRET',
      negatives: (gen) => [`API_SECRET=${gen.chars(ALNUM, 32)}`, `TWILIO_API_SECRET=${gen.chars(ALNUM, 20)}`, 'TWILIO_API_SECRET=<your-api-secret>'],
    },
  },
  {
    id: 'twilio-auth-token',
    title: 'Twilio auth token',
    provider: 'Twilio',
    severity: 'high',
    keywords: ['twilio'],
    valueRun: assignedValueGates(ALNUM, 32),
    pattern: contextual('twilio', '[0-9a-f]{32}'),
    minEntropy: 3,
    remediation: { text: 'Rotate the auth token in the Twilio Console (promote the secondary token), then update every client.', url: 'https://help.twilio.com/articles/223136027-Auth-Tokens-and-How-to-Change-Them' },
    samples: {
      secret: (gen) => gen.chars(HEX, 32),
      name: 'TWILIO_AUTH_TOKEN',
      negatives: (gen) => [
        `AUTH_TOKEN=${gen.chars(HEX, 32)}`,
        `TWILIO_AUTH_TOKEN=${gen.chars(HEX, 40)}`,
        'TWILIO_AUTH_TOKEN=${{ secrets.TWILIO_AUTH_TOKEN }}',
        'TWILIO_AUTH_TOKEN=process.env.TWILIO_AUTH_TOKEN',
      ],
    },
  },
  {
    id: 'sendgrid-api-key',
    title: 'SendGrid API key',
    provider: 'SendGrid',
    severity: 'high',
    keywords: ['sg.'],
    pattern: /(?<![A-Za-z0-9_.-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
    remediation: { text: 'Delete the key under Settings > API Keys in SendGrid and create one with only the scopes needed.', url: 'https://app.sendgrid.com/settings/api_keys' },
    samples: {
      secret: sendgridKey,
      negatives: (gen) => [`SG.${gen.chars(BASE64URL, 22)}.${gen.chars(BASE64URL, 20)}`, 'SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'SENDGRID_API_KEY=${{ secrets.SENDGRID_API_KEY }}'],
    },
  },
  {
    id: 'mailgun-api-key',
    title: 'Mailgun API key',
    provider: 'Mailgun',
    severity: 'high',
    keywords: ['mailgun'],
    // Legacy keys are `key-` and 32 hex digits; current ones are 32-8-8 hex groups.
    valueRun: assignedValueGates(`${ALNUM}-`, 36),
    pattern: contextual('mailgun', 'key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}'),
    minEntropy: 3,
    // The generic placeholder filter reads the `key-` prefix as the placeholder word "key"; check the body instead.
    skipPlaceholderCheck: true,
    validate: (secret) => !isPlaceholder(secret.replace(/^key-/, '')),
    remediation: { text: 'Delete the key under API Security in the Mailgun control panel and create a new one.', url: 'https://app.mailgun.com/settings/api_security' },
    samples: {
      secret: mailgunKey,
      name: 'MAILGUN_API_KEY',
      negatives: (gen) => [`API_KEY=${mailgunKey(gen)}`, `MAILGUN_API_KEY=key-${gen.chars(HEX, 20)}`, `MAILGUN_API_KEY=key-${'0'.repeat(32)}`, 'MAILGUN_API_KEY=${{ secrets.MAILGUN_API_KEY }}'],
    },
  },
  {
    id: 'mailgun-public-key',
    title: 'Mailgun public validation key',
    provider: 'Mailgun',
    // It only validates addresses, but it is billed per call and identifies the account.
    severity: 'low',
    keywords: ['pubkey-'],
    pattern: /(?<![A-Za-z0-9_-])pubkey-[a-f0-9]{32}(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    remediation: { text: 'Regenerate the public validation key under API Security in the Mailgun control panel.', url: 'https://app.mailgun.com/settings/api_security' },
    samples: {
      secret: (gen) => `pubkey-${gen.chars(HEX, 32)}`,
      name: 'MAILGUN_PUBLIC_KEY',
      negatives: (gen) => [`pubkey-${gen.chars(HEX, 20)}`, `pubkey-${'0'.repeat(32)}`, 'MAILGUN_PUBLIC_KEY=${{ secrets.MAILGUN_PUBLIC_KEY }}'],
    },
  },
];
