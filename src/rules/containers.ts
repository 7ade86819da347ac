import type { Rule, SampleGen } from '../scan/types.js';
import { ALNUM } from './alphabets.js';

// ---------------------------------------------------------------------------------------------------
// Credentials written as base64 of `user:password`: HTTP Basic headers, the `auth` of a Docker
// `config.json` registry and `.npmrc`'s `_auth`. The value is reported where it is written, as the
// kind of credential it holds; it counts only when it decodes to a user name, a colon and a password.
// ---------------------------------------------------------------------------------------------------

/** Passwords that stand for one in examples and templates. */
const PLACEHOLDER_PASSWORDS = new Set(['password', 'pass', 'passwd', 'secret', 'changeme', 'xxx', 'xxxx', 'test', 'example', 'token', 'pwd', 'p', 'x']);

/**
 * True when `value` is base64 of `user:password` in printable ASCII, with a password that is not a
 * template (`${X}`), a documentation word or one repeated character.
 */
export function isBasicCredential(value: string): boolean {
  if (value.length % 4 === 1) return false;
  const decoded = Buffer.from(value, 'base64').toString('latin1');
  // The decoder skips what is not base64; a re-encoding that differs means the text was not base64 of this.
  if (Buffer.from(decoded, 'latin1').toString('base64').replace(/=+$/, '') !== value.replace(/=+$/, '')) return false;
  const match = /^([\x21-\x39\x3b-\x7e]{1,128}):([\x20-\x7e]{1,256})$/.exec(decoded);
  if (match === null) return false;
  // Base64 of JSON (a JWT's header pasted as a Basic value) has a colon, but no user name starts with a brace or a quote.
  if (/^[{["]/.test(match[1] as string)) return false;
  const password = match[2] as string;
  if (PLACEHOLDER_PASSWORDS.has(password.toLowerCase())) return false;
  if (/^(.)\1*$/.test(password) || /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(password) || /^<[^>]*>$/.test(password)) return false;
  // Documentation writes words (`supersecret`, `pass:word`): a password of lowercase letters alone, or
  // one that spells out "pass" or "secret", is an example.
  if (/^[a-z]+$/.test(password) || /pass|secret/i.test(password)) return false;
  // Counting (`123456`), and a registry's host split at a colon, as tests of config parsers write
  // (`index:docker.io`, `local:host-5000`, `10.10:30.45`).
  if (/^[0-9]+$/.test(password) && ('0123456789'.includes(password) || '9876543210'.includes(password))) return false;
  if (spellsHost(match[1] as string, password)) return false;
  return password !== match[1];
}

const HOSTISH = /^(?:localhost|(?:[0-9]{1,3}\.){3}[0-9]{1,3}|(?:[a-z0-9-]+\.)+(?:com|net|org|io|dev|local|internal|example|test|invalid))(?:-[a-z0-9]+)*$/;

function spellsHost(user: string, password: string): boolean {
  const u = user.toLowerCase();
  const p = password.toLowerCase();
  return HOSTISH.test(`${u}.${p}`) || HOSTISH.test(`${u}${p}`);
}

const encode = (user: string, password: string): string => Buffer.from(`${user}:${password}`).toString('base64');
const credential = (gen: SampleGen): string => encode(gen.pick(['deploy', 'ci-bot', 'svc_reader', 'admin@corp.internal']), gen.chars(`${ALNUM}!#%&*+-_`, gen.int(12, 32)));

interface ContainerSpec {
  id: string;
  title: string;
  provider: string;
  keywords: string[];
  /** Regex source from the keyword up to the base64 value. */
  lead: string;
  /** Regex source after the value (a closing quote, the line's end). */
  close: string;
  wrap(value: string): string;
  text: string;
  url: string;
}

const BASE64_VALUE = '(?<secret>[A-Za-z0-9+/]{8,512}={0,2})';

const containerRule = (s: ContainerSpec): Rule => ({
  id: s.id,
  title: s.title,
  provider: s.provider,
  severity: 'high',
  keywords: s.keywords,
  pattern: new RegExp(`${s.lead}${BASE64_VALUE}${s.close}`, 'i'),
  validate: isBasicCredential,
  userChosen: true,
  // The check above judges the decoded password; the base64 text itself is not a placeholder.
  skipPlaceholderCheck: true,
  remediation: { text: s.text, url: s.url },
  samples: {
    secret: credential,
    wrap: false,
    positives: (gen) => {
      const value = credential(gen);
      return [{ text: s.wrap(value), secret: value }];
    },
    negatives: () => [
      s.wrap(encode('user', 'password')),
      s.wrap(encode('admin', 'supersecret')),
      s.wrap(encode('user', 'pass:word')),
      s.wrap(encode('deploy', '${REGISTRY_PASSWORD}')),
      s.wrap(encode('deploy', '<password>')),
      s.wrap(Buffer.from('no colon in this text at all').toString('base64')),
      s.wrap(encode('index', 'docker.io')),
      s.wrap(encode('local', 'host-5000')),
      s.wrap(encode('10.10', '30.45')),
      s.wrap(encode('1', '123456')),
      // A JWT's header segment decodes to JSON, which has colons.
      s.wrap(Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64').replace(/=+$/, '')),
      s.wrap('information'),
    ],
  },
});

export const containerRules: Rule[] = [
  containerRule({
    id: 'http-basic-auth-header',
    title: 'HTTP Basic credentials (Authorization header)',
    provider: 'HTTP Basic auth',
    keywords: ['basic '],
    lead: String.raw`Basic[ \t]{1,3}`,
    // A dot and more base64url after the value make it a JWT's first segment, not a Basic credential.
    close: String.raw`(?![A-Za-z0-9+/=]|\.[A-Za-z0-9_-])`,
    wrap: (v) => `curl -H "Authorization: Basic ${v}" https://nexus.corp-tools.io/service/rest/v1/status\n`,
    text: 'Change the password (or revoke the token) of that account: the header is only base64, anyone can read it.',
    url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
  }),
  containerRule({
    id: 'docker-config-auth',
    title: 'Docker registry credentials (config.json auth)',
    provider: 'Docker',
    keywords: ['"auth"'],
    lead: String.raw`"auth"[ \t]{0,4}:[ \t]{0,4}"`,
    close: '"',
    wrap: (v) => `{\n  "auths": {\n    "registry.corp-tools.io": {\n      "auth": "${v}"\n    }\n  }\n}\n`,
    text: 'Revoke the registry password or token, and log in through a credential helper (credsStore) instead of storing it in config.json.',
    url: 'https://docs.docker.com/reference/cli/docker/login/#credential-stores',
  }),
  containerRule({
    id: 'npmrc-auth',
    title: 'npm registry credentials (.npmrc _auth)',
    provider: 'npm',
    keywords: ['_auth'],
    lead: String.raw`_auth[ \t]{0,2}=[ \t]{0,2}["']?`,
    close: String.raw`(?![A-Za-z0-9+/=])`,
    wrap: (v) => `registry=https://npm.corp-tools.io/\n//npm.corp-tools.io/:_auth=${v}\nalways-auth=true\n`,
    text: 'Change the registry password and use a scoped token from an environment variable (`_authToken=${NPM_TOKEN}`) instead.',
    url: 'https://docs.npmjs.com/cli/v10/configuring-npm/npmrc#auth-related-configuration',
  }),
];
