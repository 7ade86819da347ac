import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { BASE64 } from '../../src/rules/alphabets.js';
import { Engine, secretOf } from '../../src/scan/engine.js';
import type { SampleGen } from '../../src/scan/types.js';
import { seededGen, testSeed } from '../helpers/sample-gen.js';

const engine = new Engine(BUILTIN_RULES);
const scan = (text: string, path = 'deploy/key.pem') =>
  engine
    .scan({ path, text, source: 'file' })
    .map((f) => ({ ruleId: f.ruleId, severity: f.severity, secret: secretOf(f), line: f.line, endLine: f.endLine, column: f.column }));

// Built by concatenation so that this file holds no armour line a scanner would stop at.
const BEGIN = (label: string): string => '-----BEGIN ' + label + '-----';
const END = (label: string): string => '-----END ' + label + '-----';

/** `count` lines of a key's DER body: a SEQUENCE of random bytes that opens with the version INTEGER (`first`). */
function lines(gen: SampleGen, count: number, width = 64, first = 0x02): string[] {
  const total = (count * width * 3) / 4;
  const content = Buffer.from(gen.chars(BASE64, (total * 4) / 3), 'base64').subarray(0, total - 4);
  content[0] = first;
  const der = Buffer.concat([Buffer.from([0x30, 0x82, (total - 4) >> 8, (total - 4) & 0xff]), content]).toString('base64');
  return Array.from({ length: count }, (_, i) => der.slice(i * width, (i + 1) * width));
}

function block(label: string, body: string[], join = '\n', indent = ''): string {
  return [BEGIN(label), ...body.map((l) => indent + l), indent + END(label)].join(join);
}

describe('PEM private keys', () => {
  const gen = seededGen(testSeed());

  it('reports a plain block once, spanning BEGIN to END, with its first and last line', () => {
    const key = block('RSA PRIVATE KEY', lines(gen, 25));
    const found = scan(`# do not commit\n${key}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ ruleId: 'private-key-rsa', severity: 'critical', line: 2, endLine: 28, column: 1 });
    expect(found[0]?.secret === key).toBe(true);
  });

  it('reports a key pasted with CRLF line endings', () => {
    const key = block('EC PRIVATE KEY', lines(gen, 4), '\r\n');
    const found = scan(`${key}\r\n`);
    expect(found.map((f) => f.ruleId)).toEqual(['private-key-ec']);
    expect(found[0]?.secret === key).toBe(true);
  });

  it('reports a key whose newlines are escaped inside a JSON string, ending at the string', () => {
    const key = block('PRIVATE KEY', lines(gen, 20), '\\n');
    const found = scan(`{"kind":"signing","pem":"${key}\\n","rotated":false}\n`, 'config/keys.json');
    expect(found.map((f) => f.ruleId)).toEqual(['private-key-pkcs8']);
    expect(found[0]?.secret === key).toBe(true);
  });

  it('reports a key in an indented YAML block scalar', () => {
    const key = block('OPENSSH PRIVATE KEY', lines(gen, 12, 70), '\n', '      ');
    const text = `jobs:\n  deploy:\n    ssh_key: |\n      ${key}\n    runs-on: ubuntu-latest\n`;
    const found = scan(text, '.github/workflows/deploy.yml');
    expect(found.map((f) => f.ruleId)).toEqual(['private-key-openssh']);
    expect(found[0]?.secret === key).toBe(true);
    expect(found[0]).toMatchObject({ line: 4, endLine: 17 });
  });

  it('reports a body written on one long line', () => {
    const key = [BEGIN('PRIVATE KEY'), lines(gen, 1, 1620).join(''), END('PRIVATE KEY')].join('\n');
    expect(scan(key).map((f) => f.ruleId)).toEqual(['private-key-pkcs8']);
  });

  it('reports a key cut short, which can be rebuilt from its parts, but not other bytes between the armour lines', () => {
    const whole = lines(gen, 20);
    expect(scan(block('RSA PRIVATE KEY', whole)).map((f) => f.ruleId)).toEqual(['private-key-rsa']);
    expect(scan(block('RSA PRIVATE KEY', whole.slice(0, 15))).map((f) => f.ruleId)).toEqual(['private-key-rsa']);
    // A certificate's bytes (its first element is a SEQUENCE), and base64 of nothing DER at all.
    expect(scan(block('PRIVATE KEY', lines(gen, 20, 64, 0x30)))).toEqual([]);
    expect(scan(block('PRIVATE KEY', Array.from({ length: 20 }, () => gen.chars(BASE64, 64))))).toEqual([]);
  });

  it('reports two keys in one file separately', () => {
    const a = block('RSA PRIVATE KEY', lines(gen, 10));
    const b = block('RSA PRIVATE KEY', lines(gen, 10));
    const found = scan(`${a}\n\n${b}\n`);
    expect(found.map((f) => f.line)).toEqual([1, 14]);
    expect(found[0]?.secret === a && found[1]?.secret === b).toBe(true);
  });

  it('rates a passphrase-protected key lower, in its PKCS#8 and legacy OpenSSL forms', () => {
    const pkcs8 = block('ENCRYPTED PRIVATE KEY', lines(gen, 20, 64, 0x30));
    const legacy = [BEGIN('RSA PRIVATE KEY'), 'Proc-Type: 4,ENCRYPTED', `DEK-Info: AES-128-CBC,${gen.chars('0123456789ABCDEF', 32)}`, '', ...lines(gen, 20), END('RSA PRIVATE KEY')].join('\n');
    const found = scan(`${pkcs8}\n${legacy}\n`);
    expect(found.map((f) => [f.ruleId, f.severity])).toEqual([
      ['private-key-pkcs8-encrypted', 'medium'],
      ['private-key-rsa-encrypted', 'medium'],
    ]);
  });

  it('tells an encrypted OpenSSH key from a plain one by the cipher in its header', () => {
    const opensshKey = (cipher: string): string => {
      const str = (s: string): Buffer => Buffer.concat([Buffer.from([0, 0, 0, s.length]), Buffer.from(s, 'latin1')]);
      const bin = Buffer.concat([Buffer.from('openssh-key-v1\0', 'latin1'), str(cipher), str(cipher === 'none' ? 'none' : 'bcrypt'), str(''), Buffer.from([0, 0, 0, 1]), Buffer.from(gen.bytes(400))]);
      const b64 = bin.toString('base64');
      const body = b64.match(/.{1,70}/g) ?? [];
      return block('OPENSSH PRIVATE KEY', body);
    };
    expect(scan(opensshKey('aes256-ctr')).map((f) => [f.ruleId, f.severity])).toEqual([['private-key-openssh-encrypted', 'medium']]);
    expect(scan(opensshKey('none')).map((f) => [f.ruleId, f.severity])).toEqual([['private-key-openssh', 'critical']]);
  });

  it('reports a PGP private key block with its armour headers and checksum', () => {
    const key = [BEGIN('PGP PRIVATE KEY BLOCK'), 'Version: GnuPG v2', '', ...lines(gen, 30), `=${gen.chars(BASE64, 4)}`, END('PGP PRIVATE KEY BLOCK')].join('\n');
    const found = scan(key);
    expect(found.map((f) => f.ruleId)).toEqual(['private-key-pgp']);
    expect(found[0]?.secret === key).toBe(true);
  });

  it('reports nothing for public keys, certificates, bare armour lines and elided bodies', () => {
    const texts = [
      block('PUBLIC KEY', lines(gen, 6)),
      block('RSA PUBLIC KEY', lines(gen, 6)),
      block('CERTIFICATE', lines(gen, 20)),
      block('PGP PUBLIC KEY BLOCK', lines(gen, 20)),
      `Your file must start with ${BEGIN('RSA PRIVATE KEY')} and end with ${END('RSA PRIVATE KEY')}.`,
      block('RSA PRIVATE KEY', []),
      block('RSA PRIVATE KEY', ['MIIEpAIBAAKCAQEA...', '...']),
      block('PRIVATE KEY', ['<paste your key here>']),
      block('PRIVATE KEY', Array.from({ length: 10 }, () => 'A'.repeat(64))),
      // Too short to be a key.
      block('EC PRIVATE KEY', [gen.chars(BASE64, 40)]),
      // Mismatched armour.
      [BEGIN('RSA PRIVATE KEY'), ...lines(gen, 10), END('EC PRIVATE KEY')].join('\n'),
    ];
    for (const text of texts) expect(scan(text), text.slice(0, 60)).toEqual([]);
  });

  it('leaves a GCP service-account key file to the one rule that reports it', () => {
    const pem = block('PRIVATE KEY', lines(gen, 26), '\\n');
    const json = `{\n  "type": "service_account",\n  "project_id": "demo",\n  "private_key": "${pem}\\n",\n  "client_email": "ci@demo.iam.gserviceaccount.com"\n}\n`;
    const found = scan(json, 'sa.json');
    expect(found).toHaveLength(1);
    expect(found[0]?.secret?.startsWith(pem)).toBe(true);
  });

  it('stays linear on armour lines without an end, one after another or on one line', () => {
    const body = gen.chars(BASE64, 64);
    const many = `${BEGIN('RSA PRIVATE KEY')}\n${body}\n`.repeat(20_000);
    const escaped = `${BEGIN('RSA PRIVATE KEY')}\\n${body}\\n`.repeat(20_000);
    const unterminated = `${BEGIN('PRIVATE KEY')}\n${lines(gen, 5_000).join('\n')}\n`;
    expect(scan(many)).toEqual([]);
    expect(scan(escaped)).toEqual([]);
    expect(scan(unterminated)).toEqual([]);
  });
});
