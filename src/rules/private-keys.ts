import { shannonEntropy } from '../scan/entropy.js';
import type { Rule, SampleGen, Severity } from '../scan/types.js';
import { BASE64 } from './alphabets.js';

/*
 * PEM-armoured private keys. A key is pasted in three shapes, and one pattern covers them all:
 * a plain block (real newlines), a JSON or .env string (newlines escaped as `\n`), and a YAML block
 * scalar (real newlines followed by indentation). The secret is the whole BEGIN..END block, exactly
 * as it stands in the text, so that a rule that sees the same block inside a larger structure (a GCP
 * service-account file) lands on the same span.
 */

/** A line break as it appears in each shape, plus the indentation of a YAML block scalar. */
const SEP = String.raw`(?:\r?\n|\\r\\n|\\n)[ \t]{0,16}`;
/**
 * One body line: base64, a PGP checksum (`=abcd`) or an RFC 1421 header (`Proc-Type: 4,ENCRYPTED`,
 * `Version: GnuPG`). It never starts with `-`, so it cannot swallow the END line, and it excludes
 * backslashes and quotes, so an escaped key inside a JSON string ends where the string does.
 * Up to 4096 characters: some tools write the whole body on one line.
 */
const LINE = String.raw`(?:[A-Za-z0-9+/=][A-Za-z0-9+/=:,. _()@<>-]{0,4095})?`;
/** Enough lines for a 4096-bit RSA key at 64 per line, or a PGP key block with subkeys. */
const MAX_LINES = 400;

/** The body must carry at least this much base64: a BEGIN/END pair around prose is documentation. */
const MIN_BODY = 64;

/** Random DER in base64 sits near 6 bits per character; a filler body (`AAAA…`, `XXXX…`) is far below. */
const MIN_BODY_ENTROPY = 4.5;

interface Body {
  headers: Map<string, string>;
  base64: string;
}

/** Splits a matched block into its RFC 1421 headers and its base64 body; undefined if a line is neither. */
function parseBody(block: string): Body | undefined {
  const lines = block.split(/\r?\n|\\r\\n|\\n/).map((l) => l.trim());
  const headers = new Map<string, string>();
  let base64 = '';
  for (const line of lines) {
    if (line.length === 0 || line.startsWith('-----')) continue;
    const header = /^([A-Za-z][A-Za-z0-9-]{0,63}):\s?(.*)$/.exec(line);
    if (header !== null) {
      headers.set((header[1] as string).toLowerCase(), header[2] as string);
      continue;
    }
    // The CRC-24 line that closes an OpenPGP armour.
    if (/^=[A-Za-z0-9+/]{4}$/.test(line)) continue;
    // Padding may wrap onto a line of its own.
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(line)) return undefined;
    base64 += line;
  }
  return { headers, base64 };
}

/** A body that is real key material: long enough, all base64, and as varied as encoded DER is. */
function hasKeyMaterial(body: Body | undefined): body is Body {
  return body !== undefined && body.base64.length >= MIN_BODY && shannonEntropy(body.base64) >= MIN_BODY_ENTROPY;
}

/** RFC 1421 encryption, written by `openssl rsa -aes256` and older OpenSSL: the key needs its passphrase. */
function hasPemEncryption(body: Body): boolean {
  return /ENCRYPTED/i.test(body.headers.get('proc-type') ?? '') || body.headers.has('dek-info');
}

const OPENSSH_MAGIC = 'openssh-key-v1\0';

/**
 * The cipher an OpenSSH key is sealed with (`none` when unencrypted), read from the binary header
 * (PROTOCOL.key: magic, then the cipher name as a length-prefixed string). Undefined when the body
 * is not an openssh-key-v1 structure.
 */
function opensshCipher(base64: string): string | undefined {
  const bytes = Buffer.from(base64.slice(0, 128), 'base64');
  if (bytes.subarray(0, OPENSSH_MAGIC.length).toString('latin1') !== OPENSSH_MAGIC) return undefined;
  if (bytes.length < OPENSSH_MAGIC.length + 4) return undefined;
  const len = bytes.readUInt32BE(OPENSSH_MAGIC.length);
  const start = OPENSSH_MAGIC.length + 4;
  if (len === 0 || len > 64 || start + len > bytes.length) return undefined;
  return bytes.subarray(start, start + len).toString('latin1');
}

/**
 * The body opens as the DER structure of a key: a SEQUENCE whose first element is the version INTEGER
 * (PKCS#1, SEC 1, DSA and PKCS#8 keys all start so), or for an encrypted PKCS#8 key the SEQUENCE of its
 * algorithm. Other bytes between the armour lines (a certificate's, whose first element is a SEQUENCE; a
 * comment's) are not a key. A body cut short still counts: RSA keys carry their secret several times
 * over (d, p, q, dP, dQ), so a part of one can be enough to rebuild it.
 */
function opensAsKey(base64: string, firstElement: number): boolean {
  const bytes = Buffer.from(base64.slice(0, 16), 'base64');
  if (bytes[0] !== 0x30) return false;
  const length = bytes[1];
  if (length === undefined) return false;
  const header = length < 0x80 ? 2 : 2 + (length & 0x7f);
  if (length === 0x80 || header > 5) return false;
  return bytes[header] === firstElement;
}

const INTEGER = 0x02;
const SEQUENCE = 0x30;

/** A DER body of `n` content bytes under a SEQUENCE header with a two-byte length, in standard base64. */
function derBody(gen: SampleGen, firstElement: number): string {
  const n = gen.int(300, 1200);
  const content = Buffer.from(gen.chars(BASE64, Math.ceil((n * 4) / 3) + 4), 'base64').subarray(0, n);
  content[0] = firstElement;
  return Buffer.concat([Buffer.from([SEQUENCE, 0x82, n >> 8, n & 0xff]), content]).toString('base64');
}

const keyBody = (gen: SampleGen): string => derBody(gen, INTEGER);
const encryptedPkcs8Body = (gen: SampleGen): string => derBody(gen, SEQUENCE);

interface PemKind {
  id: string;
  title: string;
  /** The label between BEGIN and END, e.g. `RSA PRIVATE KEY`. */
  label: string;
  severity: Severity;
  text: string;
  url: string;
  /** Structure check beyond "has key material". */
  accept?(body: Body): boolean;
  /** Builds the base64 body of a sample key. */
  body?(gen: SampleGen): string;
  /** RFC 1421 headers a sample carries before its body. */
  headers?(gen: SampleGen): string[];
  /** Lines a sample carries after its body (the OpenPGP checksum). */
  trailer?(gen: SampleGen): string[];
  /** Characters per body line. Default 64 (PEM). */
  width?: number;
}

const REGENERATE = 'Treat the key as compromised: generate a new key pair, replace the public half wherever it is trusted, and delete the old one.';

function pattern(label: string): RegExp {
  // The label is a fixed string; the body is at most MAX_LINES bounded lines, so a BEGIN without an
  // END costs one linear pass over the lines that follow it and nothing more.
  return new RegExp(`-----BEGIN ${label}-----(?:${SEP}${LINE}){1,${MAX_LINES}}${SEP}-----END ${label}-----`);
}

function pemRule(kind: PemKind): Rule {
  const accept = kind.accept ?? (() => true);
  const width = kind.width ?? 64;
  const bodyOf = kind.body ?? ((gen: SampleGen) => randomBase64(gen, gen.int(12, 24) * 48));
  /** The sample's lines, without BEGIN/END: headers, a blank line after them, then the wrapped body. */
  const lines = (gen: SampleGen): string[] => {
    const head = kind.headers?.(gen) ?? [];
    return [...head, ...(head.length > 0 ? [''] : []), ...wrapLines(bodyOf(gen), width), ...(kind.trailer?.(gen) ?? [])];
  };
  const block = (gen: SampleGen, join: string, indent = ''): string =>
    [`-----BEGIN ${kind.label}-----`, ...lines(gen), `-----END ${kind.label}-----`]
      .map((l, i) => (i === 0 || l === '' ? l : indent + l))
      .join(join);
  return {
    id: kind.id,
    title: kind.title,
    provider: 'Private key',
    severity: kind.severity,
    keywords: [`-----begin ${kind.label.toLowerCase()}-----`],
    pattern: pattern(kind.label),
    multiline: true,
    // The body is checked structurally below; a random base64 body may well spell "xxxx" or "your".
    skipPlaceholderCheck: true,
    validate: (block) => {
      const body = parseBody(block);
      return hasKeyMaterial(body) && accept(body);
    },
    remediation: { text: kind.text, url: kind.url },
    samples: {
      secret: (gen) => block(gen, '\n'),
      wrap: false,
      positives: (gen) => {
        const plain = block(gen, '\n');
        const escaped = block(gen, '\\n');
        const yamlKey = block(gen, '\n', '    ');
        return [
          { text: `${plain}\n`, secret: plain },
          { text: `{\n  "name": "deploy",\n  "signing_pem": "${escaped}\\n"\n}\n`, secret: escaped },
          { text: `SIGNING_PEM="${escaped}"\n`, secret: escaped },
          // A YAML block scalar: every line after BEGIN carries the scalar's indentation.
          { text: `deploy:\n  signing_pem: |\n    ${yamlKey}\n  user: ci\n`, secret: yamlKey },
        ];
      },
      negatives: (gen) => [
        // Documentation: the armour lines with nothing (or an elision) between them.
        `-----BEGIN ${kind.label}-----\n-----END ${kind.label}-----\n`,
        `-----BEGIN ${kind.label}-----\n...\n-----END ${kind.label}-----\n`,
        `-----BEGIN ${kind.label}-----\n<your key here>\n-----END ${kind.label}-----\n`,
        `const header = "-----BEGIN ${kind.label}-----";\n`,
        // A filler body of one repeated character.
        `-----BEGIN ${kind.label}-----\n${wrapLines('A'.repeat(640), 64).join('\n')}\n-----END ${kind.label}-----\n`,
        // Between the armour lines, the bytes of something else: a certificate's (a SEQUENCE that opens with a SEQUENCE, or an INTEGER for an encrypted PKCS#8 label).
        ...(kind.body === keyBody || kind.body === encryptedPkcs8Body
          ? [`-----BEGIN ${kind.label}-----\n${wrapLines(derBody(gen, kind.body === keyBody ? SEQUENCE : INTEGER), 64).join('\n')}\n-----END ${kind.label}-----\n`]
          : []),
        // A truncated paste: no END line.
        `-----BEGIN ${kind.label}-----\n${wrapLines(randomBase64(gen, 640), 64).join('\n')}\n`,
        // Public keys and certificates are meant to be shared.
        `-----BEGIN PUBLIC KEY-----\n${wrapLines(randomBase64(gen, 384), 64).join('\n')}\n-----END PUBLIC KEY-----\n`,
        `-----BEGIN CERTIFICATE-----\n${wrapLines(randomBase64(gen, 1024), 64).join('\n')}\n-----END CERTIFICATE-----\n`,
      ],
    },
  };
}

/** Random bytes in standard base64, `n` characters long (a multiple of 4). */
function randomBase64(gen: SampleGen, n: number): string {
  return gen.chars(BASE64, n);
}

function wrapLines(s: string, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += width) out.push(s.slice(i, i + width));
  return out;
}

/** An openssh-key-v1 header with the given cipher and KDF, followed by random key bytes. */
function opensshBody(gen: SampleGen, cipher: string, kdf: string): string {
  const str = (s: string): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(s.length);
    return Buffer.concat([len, Buffer.from(s, 'latin1')]);
  };
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const kdfOptions = kdf === 'none' ? str('') : str(Buffer.from(gen.bytes(24)).toString('latin1'));
  const rest = Buffer.from(gen.bytes(gen.int(300, 600)));
  return Buffer.concat([Buffer.from(OPENSSH_MAGIC, 'latin1'), str(cipher), str(kdf), kdfOptions, count, rest]).toString('base64');
}

const OPENSSL_REVOKE = 'https://docs.openssl.org/master/man1/openssl-genpkey/';
const SSH_KEYS = 'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/reviewing-your-ssh-keys';

const PEM_KINDS: PemKind[] = [
  {
    id: 'private-key-rsa',
    title: 'RSA private key (PKCS#1)',
    label: 'RSA PRIVATE KEY',
    severity: 'critical',
    text: REGENERATE,
    url: OPENSSL_REVOKE,
    accept: (body) => !hasPemEncryption(body) && opensAsKey(body.base64, INTEGER),
    body: keyBody,
  },
  {
    id: 'private-key-ec',
    title: 'EC private key',
    label: 'EC PRIVATE KEY',
    severity: 'critical',
    text: REGENERATE,
    url: OPENSSL_REVOKE,
    accept: (body) => !hasPemEncryption(body) && opensAsKey(body.base64, INTEGER),
    body: keyBody,
  },
  {
    id: 'private-key-dsa',
    title: 'DSA private key',
    label: 'DSA PRIVATE KEY',
    severity: 'critical',
    text: REGENERATE,
    url: OPENSSL_REVOKE,
    accept: (body) => !hasPemEncryption(body) && opensAsKey(body.base64, INTEGER),
    body: keyBody,
  },
  {
    id: 'private-key-pkcs8',
    title: 'Private key (PKCS#8)',
    label: 'PRIVATE KEY',
    severity: 'critical',
    text: REGENERATE,
    url: OPENSSL_REVOKE,
    accept: (body) => opensAsKey(body.base64, INTEGER),
    body: keyBody,
  },
  {
    id: 'private-key-pkcs8-encrypted',
    title: 'Encrypted private key (PKCS#8; still needs its passphrase)',
    label: 'ENCRYPTED PRIVATE KEY',
    severity: 'medium',
    text: 'The key is sealed with a passphrase, which can be brute-forced offline: rotate it, and rotate sooner if the passphrase is weak or stored nearby.',
    url: OPENSSL_REVOKE,
    accept: (body) => opensAsKey(body.base64, SEQUENCE),
    body: encryptedPkcs8Body,
  },
  {
    id: 'private-key-openssh',
    title: 'OpenSSH private key',
    label: 'OPENSSH PRIVATE KEY',
    severity: 'critical',
    text: 'Remove the public key from every authorized_keys file, deploy key and account it was added to, then generate a new one.',
    url: SSH_KEYS,
    width: 70,
    // A body without the openssh-key-v1 magic is still reported, as an unencrypted key: the safe side.
    accept: (body) => (opensshCipher(body.base64) ?? 'none') === 'none',
    body: (gen) => opensshBody(gen, 'none', 'none'),
  },
  {
    id: 'private-key-openssh-encrypted',
    title: 'Encrypted OpenSSH private key (still needs its passphrase)',
    label: 'OPENSSH PRIVATE KEY',
    severity: 'medium',
    text: 'The key is sealed with a passphrase, which can be brute-forced offline: remove its public half from authorized_keys and deploy keys, then generate a new one.',
    url: SSH_KEYS,
    width: 70,
    accept: (body) => {
      const cipher = opensshCipher(body.base64);
      return cipher !== undefined && cipher !== 'none';
    },
    body: (gen) => opensshBody(gen, gen.pick(['aes256-ctr', 'aes256-gcm@openssh.com', 'chacha20-poly1305@openssh.com']), 'bcrypt'),
  },
  {
    id: 'private-key-pgp',
    title: 'PGP private key block',
    label: 'PGP PRIVATE KEY BLOCK',
    severity: 'critical',
    text: 'Publish a revocation certificate for the key, then generate a new key and distribute its public half.',
    url: 'https://www.gnupg.org/gph/en/manual/c14.html',
    headers: () => ['Version: GnuPG v2', 'Comment: exported for CI'],
    body: (gen) => randomBase64(gen, gen.int(20, 40) * 64),
    // The armour's CRC-24 line.
    trailer: (gen) => [`=${randomBase64(gen, 4)}`],
  },
];

/** Legacy OpenSSL encryption (RFC 1421 headers) on a PKCS#1, EC or DSA key. */
const PEM_ENCRYPTED: PemKind[] = (['RSA', 'EC', 'DSA'] as const).map((algo) => ({
  id: `private-key-${algo.toLowerCase()}-encrypted`,
  title: `Encrypted ${algo} private key (still needs its passphrase)`,
  label: `${algo} PRIVATE KEY`,
  severity: 'medium' as const,
  text: 'The key is sealed with a passphrase, which can be brute-forced offline: rotate it, and rotate sooner if the passphrase is weak or stored nearby.',
  url: OPENSSL_REVOKE,
  accept: hasPemEncryption,
  headers: (gen: SampleGen) => ['Proc-Type: 4,ENCRYPTED', `DEK-Info: AES-256-CBC,${gen.chars('0123456789ABCDEF', 32)}`],
}));

export const privateKeyRules: Rule[] = [...PEM_KINDS, ...PEM_ENCRYPTED].map(pemRule);
