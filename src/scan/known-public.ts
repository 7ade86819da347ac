import { createHash } from 'node:crypto';

/**
 * Values that match a provider's format but that their owner publishes on purpose, so that anyone
 * may read them: they are in the sources of public SDKs and their examples, and a repository that
 * vendors such an SDK holds them without a leak. Reporting them would fail a pull request for code
 * nobody here wrote, and no rotation could fix it.
 *
 * Stored as SHA-256 digests of the whole value, so that no key-shaped literal sits in this repository
 * (our own scan, push protection and every other scanner stay quiet on it).
 *
 * To add one: the value must be published by its owner as public or as an example (say where), and
 * the digest is `printf %s VALUE | sha256sum`.
 */
const KNOWN_PUBLIC: ReadonlySet<string> = new Set([
  // Google API keys in Google's own public SDK sources and samples (firebase-android-sdk and others),
  // restricted by Google and listed as public by gitleaks' gcp-api-key allowlist.
  '2037abcaffb2b77785da716cf7ccff4ff4d00c4ea930db0167b7d71f50af7eb4',
  '3f370c9dd8225c63b5c77de1f785edc9712958f18bb612d5fa2e0ae33aeca682',
  'e4a5542bb7fd7b67e943c71ad29c34b5972c9840597e7eda53e666f44d5da0b9',
  'a19f89ab3555eac10c40741f6df79ecf0935998f15569f8db9d67bce0181fff6',
  '0b476bdf9acf2123d547b5ae76f1e59884d8ec9553ee0c47e9f31fd4768f3f3c',
  'eb540d2b6ee2a0a47c5779bc8a0141784c6b753840d4c6f4e2428a6e86e9e0b1',
  '37f8f09bdf12c2f2eae4ead7273a62ddb0c23459cbf902892f282b57f7ed6619',
  '8731261cb72d86267a32a532ebd3df429e2144e5e4ced7e13568bc9e6c8fb1b1',
  '49f777db995e8260da7ca9ffdf0c08d66f0453e97ec967018baf2cdfe3b582d0',
  '27a9a42931dff7eb2f8434e20a9bce976ea364e7bee49187f19d5cfeca9c7045',
  'dc0fcf046c61640cbd1e8b999ada3262d722c2ca4bf42dceac999020ffdbb614',
  '4c98242dcadc8b29005c6b4aad526552d5ea1842149154c0694adeec75847583',
  'ea9bb1082cf95663f5faca23b8b15ef2aa0fce0a5c6df9c32dcb85b2e0a4513d',
  '3a8b61d0f636b007840c0d40ba12bcf48465dc054cdc1a68704a33521d84b665',
  'a6c814bc555ae62c7bd8b58ec07bf559c7ed3a009976a1e0acc9cef0d4473b41',
  // The two example secret access keys in AWS's documentation without their `EXAMPLEKEY` ending (which
  // the placeholder check already refuses): code that splits the example to keep scanners quiet, as this
  // repository's own tests once did, leaves the 30-character body alone in a string.
  '0ef9259701f6faa104ed756ee6ebd3980f7332f7520d96c81697e69bdb34a681',
  'cdd13b4d092625f88344a2a0290bb956c2c951eb940b09582fde70a62d7fdfe8',
]);

/** Lengths of the listed values: a digest is taken only of a candidate of one of these lengths. */
const LENGTHS: ReadonlySet<number> = new Set([30, 39]);

/** True when the SHA-256 digest of `secret` is in `digests`. */
export function isListedDigest(digests: ReadonlySet<string>, secret: string): boolean {
  return digests.has(createHash('sha256').update(secret).digest('hex'));
}

/** True when `secret` is a value its owner publishes on purpose (see KNOWN_PUBLIC). */
export function isKnownPublic(secret: string): boolean {
  return LENGTHS.has(secret.length) && isListedDigest(KNOWN_PUBLIC, secret);
}

/** The listed digests, for a test that checks their form. */
export const KNOWN_PUBLIC_DIGESTS: ReadonlySet<string> = KNOWN_PUBLIC;
