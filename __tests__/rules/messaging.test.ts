import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import type { Rule } from '../../src/scan/types.js';
import { seededGen } from '../helpers/sample-gen.js';

const engine = new Engine(BUILTIN_RULES);
const scan = (text: string) => engine.scan({ path: 'app.rb', text, source: 'file' });
const sample = (id: string, seed: number): string => (BUILTIN_RULES.find((r) => r.id === id) as Rule).samples.secret(seededGen(seed));

describe('context-keyed messaging rules', () => {
  const token = sample('twilio-auth-token', 1);

  it.each([
    ['Ruby hash rocket', `config = { :twilio_auth_token => "${token}" }`],
    ['Ruby symbol key', `client = Twilio::REST::Client.new(sid, twilio_auth_token: '${token}')`],
    ['Go short declaration', `twilioToken := "${token}"`],
    ['INI with spaces', `twilio_auth_token   =   ${token}`],
  ])('finds a Twilio auth token assigned with %s syntax', (_label, text) => {
    const found = scan(`${text}\n`);
    expect(found.map((f) => f.ruleId)).toEqual(['twilio-auth-token']);
    expect(secretOf(found[0]!)).toBe(token);
  });

  it('does not report the same 32 hex digits under an unrelated name', () => {
    expect(scan(`checksum = "${token}"\n`).filter((f) => f.provider === 'Twilio')).toEqual([]);
  });

  it('finds a Discord bot token in an Authorization header and drops one whose id part is not a snowflake', () => {
    const bot = sample('discord-bot-token', 2);
    expect(scan(`headers = {"Authorization": "Bot ${bot}"}\n`).map((f) => f.ruleId)).toEqual(['discord-bot-token']);
    const forged = `${Buffer.from('12345abcdefghijklm').toString('base64')}${bot.slice(bot.indexOf('.'))}`;
    expect(scan(`DISCORD_TOKEN=${forged}\n`).filter((f) => f.ruleId === 'discord-bot-token')).toEqual([]);
  });
});

describe('format-keyed messaging rules', () => {
  it('reports a Telegram token inside a Bot API URL, starting at the bot id', () => {
    const tg = sample('telegram-bot-token', 3);
    const found = scan(`fetch("https://api.telegram.org/bot${tg}/sendMessage")\n`);
    expect(found.map((f) => f.ruleId)).toEqual(['telegram-bot-token']);
    expect(secretOf(found[0]!)).toBe(tg);
    expect(found[0]!.column).toBe('fetch("https://api.telegram.org/bot'.length + 1);
  });

  it('reports Slack tokens and webhooks with their own severities', () => {
    const bot = sample('slack-bot-token', 4);
    const hook = sample('slack-webhook-url', 5);
    const found = scan(`{"token": "${bot}", "webhook": "${hook}"}\n`);
    expect(found.map((f) => [f.ruleId, f.severity])).toEqual([
      ['slack-bot-token', 'high'],
      ['slack-webhook-url', 'medium'],
    ]);
  });
});
