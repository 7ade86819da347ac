import { base62Crc32 } from '../scan/checksum.js';
import type { Rule, SampleGen } from '../scan/types.js';
import { ALNUM, HEX } from './alphabets.js';

/** npm tokens copy GitHub's design: `npm_`, 30 random base62 characters, then their CRC32 in 6 base62 digits. */
function npmToken(gen: SampleGen): string {
  const body = gen.chars(ALNUM, 30);
  return `npm_${body}${base62Crc32(body)}`;
}

// Macaroon v2 binary serialization (libmacaroons / pymacaroons): a version byte 2, then packets of
// (field type varint, length varint, data). Field 1 is the location, 2 an identifier, 4 a verification
// id, 6 the 32-byte signature; type 0 ends a section.
const MACAROON_V2 = 2;
const FIELD_EOS = 0;
const FIELD_LOCATION = 1;
const FIELD_IDENTIFIER = 2;
const FIELD_VID = 4;
const FIELD_SIGNATURE = 6;
const SIGNATURE_BYTES = 32;

interface Packet {
  type: number;
  data: Buffer;
}

/** Reads unsigned LEB128 varints and packets from a buffer; `undefined` on truncation. */
class MacaroonReader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.at === this.buf.length;
  }

  varint(): number | undefined {
    let value = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      const byte = this.buf[this.at++];
      if (byte === undefined) return undefined;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    return undefined;
  }

  packet(): Packet | undefined {
    const type = this.varint();
    if (type === undefined) return undefined;
    if (type === FIELD_EOS) return { type, data: Buffer.alloc(0) };
    const length = this.varint();
    if (length === undefined || this.at + length > this.buf.length) return undefined;
    const data = this.buf.subarray(this.at, this.at + length);
    this.at += length;
    return { type, data };
  }
}

/**
 * True when `serialized` (base64url, no padding) is a well-formed v2 macaroon issued for `location`:
 * location, identifier, zero or more caveats, then a 32-byte signature and nothing after it. The HMAC
 * itself cannot be checked offline, but random or truncated text never has this structure.
 */
export function isMacaroonFor(serialized: string, location: string): boolean {
  if (serialized.length % 4 === 1) return false;
  const reader = new MacaroonReader(Buffer.from(serialized, 'base64url'));
  if (reader.varint() !== MACAROON_V2) return false;
  const loc = reader.packet();
  if (loc?.type !== FIELD_LOCATION || loc.data.toString('latin1') !== location) return false;
  const id = reader.packet();
  if (id?.type !== FIELD_IDENTIFIER || id.data.length === 0) return false;
  if (reader.packet()?.type !== FIELD_EOS) return false;
  // Caveats: each is [location] identifier [vid] EOS; an empty section (a bare EOS) ends the list.
  for (;;) {
    const first = reader.packet();
    if (first === undefined) return false;
    if (first.type === FIELD_EOS) break;
    let packet: Packet | undefined = first;
    let seenId = false;
    while (packet !== undefined && packet.type !== FIELD_EOS) {
      if (packet.type === FIELD_IDENTIFIER) seenId = true;
      else if (packet.type !== FIELD_LOCATION && packet.type !== FIELD_VID) return false;
      packet = reader.packet();
    }
    if (packet === undefined || !seenId) return false;
  }
  const sig = reader.packet();
  return sig?.type === FIELD_SIGNATURE && sig.data.length === SIGNATURE_BYTES && reader.done;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function field(type: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([...varint(type), ...varint(data.length)]), data]);
}

function uuid(gen: SampleGen): string {
  return [8, 4, 4, 4, 12].map((n) => gen.chars(HEX, n)).join('-');
}

/** A macaroon shaped like the ones PyPI mints: a UUID identifier, one project-scope caveat, a signature. */
function pypiToken(location: string, gen: SampleGen): string {
  const caveat = gen.pick([`[1,["${gen.chars('abcdefghijklmnopqrstuvwxyz-', gen.int(4, 30))}"]]`, `{"permissions": "user", "version": 1}`]);
  const bytes = Buffer.concat([
    Buffer.from([MACAROON_V2]),
    field(FIELD_LOCATION, Buffer.from(location)),
    field(FIELD_IDENTIFIER, Buffer.from(uuid(gen))),
    Buffer.from([FIELD_EOS]),
    field(FIELD_IDENTIFIER, Buffer.from(caveat)),
    Buffer.from([FIELD_EOS, FIELD_EOS]),
    field(FIELD_SIGNATURE, Buffer.from(gen.bytes(SIGNATURE_BYTES))),
  ]);
  return `pypi-${bytes.toString('base64url')}`;
}

/**
 * `encoded` is the fixed start of the base64url serialization: version 2, the location field and the
 * first bits of the identifier field type. Real tokens run from about 170 to a few hundred characters.
 */
const pypiRule = (id: string, title: string, location: string, encoded: string, severity: Rule['severity'], url: string): Rule => ({
  id,
  title,
  provider: 'PyPI',
  severity,
  keywords: [`pypi-${encoded}`.toLowerCase()],
  pattern: new RegExp(`(?<![A-Za-z0-9_-])pypi-${encoded}[A-Za-z0-9_-]{60,1000}(?![A-Za-z0-9_-])`),
  // A token that is not a complete macaroon for this index is dropped: a truncated paste or a made-up value.
  validate: (secret) => isMacaroonFor(secret.slice('pypi-'.length), location),
  remediation: { text: 'Remove the API token in Account settings > API tokens and publish with Trusted Publishing instead.', url },
  samples: {
    secret: (gen) => pypiToken(location, gen),
    positives: (gen) => {
      const token = pypiToken(location, gen);
      return [{ text: `[pypi]\nusername = __token__\npassword = ${token}\n`, secret: token }];
    },
    negatives: (gen) => [
      pypiToken(location, gen).slice(0, -8),
      `pypi-${encoded}${gen.chars(ALNUM, 120)}`,
      `TWINE_PASSWORD=pypi-${encoded}...`,
      'TWINE_PASSWORD=${{ secrets.PYPI_API_TOKEN }}',
    ],
  },
});

export const packageRules: Rule[] = [
  {
    id: 'npm-access-token',
    title: 'npm access token',
    provider: 'npm',
    severity: 'critical',
    keywords: ['npm_'],
    valueRun: { chars: ALNUM, min: 36, within: 0 },
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/,
    // A token whose CRC32 does not hold is dropped: npm never issued it.
    validate: (secret) => base62Crc32(secret.slice(4, 34)) === secret.slice(34),
    remediation: { text: 'Delete the token on npmjs.com (Access Tokens) and publish from CI with trusted publishing.', url: 'https://docs.npmjs.com/revoking-access-tokens' },
    samples: {
      secret: npmToken,
      positives: (gen) => {
        const token = npmToken(gen);
        return [{ text: `//registry.npmjs.org/:_authToken=${token}\n`, secret: token }];
      },
      negatives: (gen) => {
        const token = npmToken(gen);
        return [
          token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'),
          `npm_${gen.chars(ALNUM, 30)}`,
          '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
          'NPM_TOKEN=npm_...',
          'NODE_AUTH_TOKEN=process.env.NPM_TOKEN',
        ];
      },
    },
  },
  {
    id: 'npm-legacy-token',
    title: 'npm legacy access token (UUID) in .npmrc',
    provider: 'npm',
    severity: 'critical',
    // Tokens created before 2021 are UUIDs; only `.npmrc`'s `_authToken` says what they are.
    keywords: ['_authtoken'],
    pattern: /_authToken[ \t]{0,2}=[ \t]{0,2}["']?(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    remediation: { text: 'Delete the token on npmjs.com (Access Tokens); legacy tokens are no longer issued, so move to a granular token or trusted publishing.', url: 'https://docs.npmjs.com/revoking-access-tokens' },
    samples: {
      secret: uuid,
      wrap: false,
      positives: (gen) => {
        const token = uuid(gen);
        return [{ text: `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${token}\n`, secret: token }];
      },
      negatives: (gen) => [`id=${uuid(gen)}`, '//registry.npmjs.org/:_authToken=${NPM_TOKEN}', `//registry.npmjs.org/:_authToken=${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`],
    },
  },
  // "AgEIcHlwaS5vcmc" decodes to 02 01 08 "pypi.org"; "AgENdGVzdC5weXBpLm9yZw" to 02 01 0d "test.pypi.org".
  pypiRule('pypi-upload-token', 'PyPI API token', 'pypi.org', 'AgEIcHlwaS5vcmc', 'critical', 'https://pypi.org/manage/account/token/'),
  pypiRule('pypi-test-upload-token', 'TestPyPI API token', 'test.pypi.org', 'AgENdGVzdC5weXBpLm9yZw', 'low', 'https://test.pypi.org/manage/account/token/'),
];
