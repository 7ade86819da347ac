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
  // The example tokens and client credentials of the OAuth 2.0 RFCs (RFC 6749 sections 2.3.1, 4.1 and
  // 5.1; RFC 6750 section 2.1), and the Basic header of the client pair: OAuth libraries quote them in
  // their docstrings and tests.
  '6c96130f130ab0d6d158397e24d2bcc1c9a5e73ae081f6e983f1c7b545d24a4c',
  '00cf4c781dc37003f7c7dd7d4c9a6ef1e0f4c62d9a291aa8bc398774e3fefd32',
  'e9974c507d2a802143f614c878fcbb622a3800e05e6e0d329fee2c5b6b243329',
  'a35b81a7d7927b70ec99270dd2362b88580a28574af812f2c02f56469579186f',
  'ca7459e2b26776de081b9a07e40227fd6cff232a1e3233ff6b6aa6d036ca9981',
  '584b27d64ebc1b3341f7fc9a9c3f1a54422e9a1ca3079fd5531d9f489219f8d0',
  'b8e148545b13c78bc74da2f1a7275dd71e56ddece129d7d2f7b3ecc06f7994da',
  // HTTP Basic authentication's own example, Aladdin with "open sesame" (RFC 7617 section 2, RFC 2617).
  'cf4d418ed3de92d71f767db5391d5a2dacd40e1ce49e75d1137e2ecf4982d844',
  // The Ed25519 private key of RFC 8410's example (section 10.3), as Go's x509 tests write it in hex.
  '631c0b125208b8df6b9842ed2c6b9fbc2f4ab12133a1997bfdac01325012034e',
  // MinIO's public demo server (play.min.io): an access key and secret its documentation hands everyone.
  '1bbb9293c38acc5e510d904495845d532df64a9e5996b2ec7c86cc2e2ac33b5a',
  'df452eef23e8cf2c74af54c0c7419c05a5ec70ef4d5c2eb04082b02af8c55598',
  // Twitter's worked example of signing a request (developer documentation, "Creating a signature"):
  // the consumer secret, the access token and its secret, quoted by OAuth 1.0a libraries.
  '00b3dc640c9c99fcdbdab6f63d785248e4613fbaa65d63c56d97e54f987c3bab',
  '5aac38e542b76b97b3518c0293214d0b8aa11344e38518437f7dd44da0b521c3',
  '0e04efa6bc7d2d512fc108c5ba4215c42a7d4674301511c5d18f2e2885d45f35',
  // The Azure Storage emulator's account key, the same for everyone (Microsoft's Azurite and Storage
  // Emulator documentation), in connection strings for `devstoreaccount1`.
  '0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059',
  // The example credentials of OAuth 1.0 (RFC 5849 sections 1.2 and 3.1, and OAuth Core 1.0's
  // appendix): consumer keys and secrets, tokens, token secrets, verifier and nonce.
  '293257ab6495ebb11cf9e4aee0686ca30df8de2ab8d251f2cbbcf177bdfcae91',
  'cb87c87e4a138d9a72259d2a01bab15623c9846e568c1509b287721645a6ea53',
  '4c20e6f5cc11b93731e74cbe20739821d61c3563c9f50ecb884a27cd369f01fb',
  '6aa14267d94944e6b6483c81f5ad37f87bbc7e88aa368d4aba1e71e0b79cd8c4',
  '5586407997f5e8492fa0d6d310460386c80cc3542de6c876f75582bc219d4b82',
  'bb9b1163338b2a51495834ad5c65420443d6327381cf0f94ebf92b117f209d72',
  '649e1f5c769e718ba10d1a702a36499a731441d960b06da91c4c97786bf84595',
  '128e8e99b7b9ff47335bfb2e33ffe28b8058dc50dec07862550a366528d7da6b',
  '80f8b7c904d4a43f3b7036db73247daafe15b3f647b337d19031ff67b7c1a177',
  '2ff8b0fb93aca981c78f1e94355c298c23435461f1072ef4674848e620371787',
  'c20fbc2b96183894fb46187909d02afbef5b1b56398ece2a653745dbfb407553',
  'b87dad10a32a2d81aa2e36e31e258b36ac0c3b07d1c1d5837185e206e17e3a06',
  '8d567eb88afff34f31ab97fbb2731e582703bdeaf3c92b989cf568e0b23cef31',
  '9d03b692e941d5ace207a9f8048834439f6de98e5c6c1590c22c4f4577c88a42',
  '969d6377769fd9dd3b42fd4f4811f196e26603c63878fc0805ea483b4d0bf795',
]);

/** Lengths of the listed values: a digest is taken only of a candidate of one of these lengths. */
const LENGTHS: ReadonlySet<number> = new Set([12, 15, 16, 20, 22, 28, 30, 39, 40, 41, 43, 44, 50, 88, 96]);

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
