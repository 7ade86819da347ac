import type { Rule, SampleGen } from '../scan/types.js';
import { ALNUM, BASE64, BASE64URL, DIGITS, HEX, LOWER, UPPER } from './alphabets.js';
import { named, prefixed, UUID, uuid } from './shapes.js';

// ---------------------------------------------------------------------------------------------------
// Further SaaS and developer services. First the ones whose tokens carry a documented prefix, then
// the ones whose keys are bare and need the provider's name on the variable.
// ---------------------------------------------------------------------------------------------------

const LOWER_DIGITS = LOWER + DIGITS;
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** bech32 (BIP 173) checksum over the human-readable part and the data, as age secret keys use. */
function bech32Polymod(values: number[]): number {
  const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i] as number;
  }
  return chk >>> 0;
}

function bech32Expand(hrp: string): number[] {
  return [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31)];
}

/** An age identity (`AGE-SECRET-KEY-1...`) is bech32 with its checksum in the last six characters. */
export function validAgeSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  const sep = lower.lastIndexOf('1');
  const data = [...lower.slice(sep + 1)].map((c) => BECH32.indexOf(c));
  if (data.some((d) => d < 0)) return false;
  return bech32Polymod([...bech32Expand(lower.slice(0, sep)), ...data]) === 1;
}

function ageSecretKey(gen: SampleGen): string {
  const hrp = 'age-secret-key-';
  // 32 key bytes are 52 five-bit groups; then six checksum groups.
  const data = Array.from({ length: 52 }, () => gen.int(0, 31));
  const mod = bech32Polymod([...bech32Expand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((d) => BECH32[d]).join('')}`.toUpperCase();
}

/** MaxMind license keys: 6 and 29 alphanumerics around `_`, then `_mmk`. */
function maxmindKey(gen: SampleGen): string {
  return `${gen.chars(ALNUM, 6)}_${gen.chars(ALNUM, 29)}_mmk`;
}

function sidekiqCredential(gen: SampleGen): string {
  return `${gen.chars(HEX, 8)}:${gen.chars(HEX, 8)}`;
}

interface Simple {
  id: string;
  title: string;
  provider: string;
  prefix: string;
  alternatives?: string[];
  body: string;
  sample: (gen: SampleGen) => string;
  name: string;
  text: string;
  url: string;
  gate?: { chars: string; min: number };
  severity?: Rule['severity'];
  before?: string;
}

const simple = (s: Simple): Rule => prefixed({ minEntropy: 3, ...s });

export const serviceRules: Rule[] = [
  simple({
    id: 'adafruit-io-key',
    title: 'Adafruit IO key',
    provider: 'Adafruit IO',
    prefix: 'aio_',
    body: '[A-Za-z0-9]{28}',
    sample: (gen) => `aio_${gen.chars(ALNUM, 28)}`,
    name: 'ADAFRUIT_IO_KEY',
    text: 'Regenerate the key from "My Key" in Adafruit IO; every device using it must be updated.',
    url: 'https://io.adafruit.com/',
  }),
  simple({
    id: 'alchemy-access-key',
    title: 'Alchemy access key',
    provider: 'Alchemy',
    prefix: 'alcht_',
    body: '[A-Za-z0-9]{30}',
    sample: (gen) => `alcht_${gen.chars(ALNUM, 30)}`,
    name: 'ALCHEMY_ACCESS_KEY',
    text: 'Delete the access key in the Alchemy dashboard and create a new one.',
    url: 'https://dashboard.alchemy.com/',
  }),
  simple({
    id: 'apify-api-token',
    title: 'Apify API token',
    provider: 'Apify',
    prefix: 'apify_api_',
    body: '[A-Za-z0-9]{36}',
    sample: (gen) => `apify_api_${gen.chars(ALNUM, 36)}`,
    name: 'APIFY_TOKEN',
    text: 'Reset the token under Settings > Integrations in Apify Console.',
    url: 'https://console.apify.com/settings/integrations',
  }),
  simple({
    id: 'authress-access-key',
    title: 'Authress service client access key',
    provider: 'Authress',
    prefix: 'sc_',
    alternatives: ['ext_', 'scauth_', 'authress_'],
    body: '[a-z0-9]{5,30}\\.[a-z0-9]{4,6}\\.acc[_-][a-z0-9-]{10,32}\\.[A-Za-z0-9+/_=-]{30,120}',
    gate: { chars: LOWER_DIGITS, min: 5 },
    sample: (gen) => `sc_${gen.chars(LOWER_DIGITS, 10)}.${gen.chars(LOWER_DIGITS, 4)}.acc_${gen.chars(LOWER_DIGITS, 10)}.${gen.chars(BASE64URL, 43)}`,
    name: 'AUTHRESS_SERVICE_CLIENT_KEY',
    text: 'Delete the access key of the service client in the Authress management portal.',
    url: 'https://authress.io/app/#/settings?focus=clients',
  }),
  simple({
    id: 'bannerbear-api-key',
    title: 'Bannerbear API key',
    provider: 'Bannerbear',
    prefix: 'bb_pr_',
    alternatives: ['bb_ma_'],
    body: '[a-f0-9]{30}',
    sample: (gen) => `bb_pr_${gen.chars(HEX, 30)}`,
    name: 'BANNERBEAR_API_KEY',
    text: 'Regenerate the project API key in Bannerbear\'s project settings.',
    url: 'https://www.bannerbear.com/',
  }),
  simple({
    id: 'buildkite-token',
    title: 'Buildkite API access token',
    provider: 'Buildkite',
    prefix: 'bkua_',
    body: '[a-z0-9]{40}',
    sample: (gen) => `bkua_${gen.chars(HEX, 40)}`,
    name: 'BUILDKITE_API_TOKEN',
    text: 'Revoke the token under Personal Settings > API Access Tokens in Buildkite.',
    url: 'https://buildkite.com/user/api-access-tokens',
  }),
  simple({
    id: 'clickup-token',
    title: 'ClickUp personal API token',
    provider: 'ClickUp',
    prefix: 'pk_',
    body: '[0-9]{6,10}_[A-Z0-9]{32}',
    gate: { chars: DIGITS, min: 6 },
    sample: (gen) => `pk_${gen.chars(DIGITS, 8)}_${gen.chars(UPPER + DIGITS, 32)}`,
    name: 'CLICKUP_API_TOKEN',
    text: 'Regenerate the token under Settings > Apps in ClickUp.',
    url: 'https://app.clickup.com/settings/apps',
  }),
  simple({
    id: 'deno-deploy-token',
    title: 'Deno Deploy access token',
    provider: 'Deno',
    prefix: 'ddp_',
    alternatives: ['ddw_'],
    body: '[A-Za-z0-9]{36}',
    sample: (gen) => `${gen.pick(['ddp_', 'ddw_'])}${gen.chars(ALNUM, 36)}`,
    name: 'DENO_DEPLOY_TOKEN',
    text: 'Delete the token under Account settings > Access tokens in Deno Deploy.',
    url: 'https://dash.deno.com/account#access-tokens',
  }),
  simple({
    id: 'defined-networking-token',
    title: 'Defined Networking (Managed Nebula) API token',
    provider: 'Defined Networking',
    prefix: 'dnkey-',
    body: '[a-z0-9=_-]{26}-[a-z0-9=_-]{52}',
    sample: (gen) => `dnkey-${gen.chars(LOWER_DIGITS, 26)}-${gen.chars(LOWER_DIGITS, 52)}`,
    name: 'DN_API_KEY',
    text: 'Delete the API key in the Defined Networking admin panel; it can enroll hosts into your network.',
    url: 'https://admin.defined.net/settings/api-keys',
  }),
  simple({
    id: 'dynatrace-token',
    title: 'Dynatrace API token',
    provider: 'Dynatrace',
    prefix: 'dt0c01.',
    body: '[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}',
    sample: (gen) => `dt0c01.${gen.chars(UPPER + DIGITS, 24)}.${gen.chars(UPPER + DIGITS, 64)}`,
    name: 'DT_API_TOKEN',
    text: 'Revoke the token under Access tokens in Dynatrace and create one with only the scopes needed.',
    url: 'https://docs.dynatrace.com/docs/manage/identity-access-management/access-tokens-and-oauth-clients/access-tokens',
  }),
  simple({
    id: 'fleetbase-api-key',
    title: 'Fleetbase API key',
    provider: 'Fleetbase',
    prefix: 'flb_live_',
    alternatives: ['flb_test_'],
    body: '[A-Za-z0-9]{20}',
    sample: (gen) => `flb_live_${gen.chars(ALNUM, 20)}`,
    name: 'FLEETBASE_API_KEY',
    text: 'Delete the key under Developers > API Keys in Fleetbase.',
    url: 'https://console.fleetbase.io/developers/api-keys',
  }),
  simple({
    id: 'flexport-api-key',
    title: 'Flexport API key',
    provider: 'Flexport',
    prefix: 'shltm_',
    body: '[A-Za-z0-9_-]{40}',
    sample: (gen) => `shltm_${gen.chars(BASE64URL, 40)}`,
    name: 'FLEXPORT_API_KEY',
    text: 'Revoke the key in the Flexport developer settings.',
    url: 'https://developers.flexport.com/',
  }),
  simple({
    id: 'frameio-token',
    title: 'Frame.io developer token',
    provider: 'Frame.io',
    prefix: 'fio-u-',
    body: '[A-Za-z0-9_=-]{64}',
    sample: (gen) => `fio-u-${gen.chars(BASE64URL, 64)}`,
    name: 'FRAMEIO_TOKEN',
    text: 'Delete the token in the Frame.io developer site (Tokens).',
    url: 'https://developer.frame.io/app/tokens',
  }),
  simple({
    id: 'nightfall-api-key',
    title: 'Nightfall API key',
    provider: 'Nightfall',
    prefix: 'NF-',
    body: '[A-Za-z0-9]{32}',
    gate: { chars: ALNUM, min: 32 },
    sample: (gen) => `NF-${gen.chars(ALNUM, 32)}`,
    name: 'NIGHTFALL_API_KEY',
    text: 'Delete the key under Manage API keys in the Nightfall dashboard.',
    url: 'https://app.nightfall.ai/developer-platform/manage-api-keys',
  }),
  simple({
    id: 'nvidia-api-key',
    title: 'NVIDIA API key',
    provider: 'NVIDIA',
    prefix: 'nvapi-',
    body: '[A-Za-z0-9_-]{64}',
    sample: (gen) => `nvapi-${gen.chars(BASE64URL, 64)}`,
    name: 'NVIDIA_API_KEY',
    text: 'Revoke the key on build.nvidia.com or in NGC (Setup > API Keys) and generate a new one.',
    url: 'https://org.ngc.nvidia.com/setup/api-keys',
  }),
  simple({
    id: 'octopus-deploy-api-key',
    title: 'Octopus Deploy API key',
    provider: 'Octopus Deploy',
    prefix: 'API-',
    // Not in a URL path: `notion.site/API-<32 hex>` is a page slug.
    before: 'A-Za-z0-9_/-',
    body: '[A-Z0-9]{25,27}',
    gate: { chars: UPPER + DIGITS, min: 25 },
    sample: (gen) => `API-${gen.chars(UPPER + DIGITS, gen.int(25, 27))}`,
    name: 'OCTOPUS_API_KEY',
    text: 'Revoke the key under your profile > My API Keys in Octopus Deploy.',
    url: 'https://octopus.com/docs/octopus-rest-api/how-to-create-an-api-key',
  }),
  simple({
    id: 'pagarme-api-key',
    title: 'Pagar.me API key',
    provider: 'Pagar.me',
    prefix: 'ak_live_',
    alternatives: ['ak_test_'],
    body: '[A-Za-z0-9]{30}',
    sample: (gen) => `ak_live_${gen.chars(ALNUM, 30)}`,
    name: 'PAGARME_API_KEY',
    text: 'Regenerate the API key in the Pagar.me dashboard.',
    url: 'https://docs.pagar.me/',
  }),
  simple({
    id: 'posthog-personal-api-key',
    title: 'PostHog personal API key',
    provider: 'PostHog',
    prefix: 'phx_',
    body: '[A-Za-z0-9_]{43}',
    sample: (gen) => `phx_${gen.chars(ALNUM, 43)}`,
    name: 'POSTHOG_PERSONAL_API_KEY',
    text: 'Delete the key under Settings > Personal API keys in PostHog.',
    url: 'https://app.posthog.com/settings/user-api-keys',
  }),
  simple({
    id: 'ramp-api-credentials',
    title: 'Ramp API client credentials',
    provider: 'Ramp',
    prefix: 'ramp_sec_',
    alternatives: ['ramp_id_'],
    body: '[A-Za-z0-9]{40}',
    sample: (gen) => `${gen.pick(['ramp_sec_', 'ramp_id_'])}${gen.chars(ALNUM, 40)}`,
    name: 'RAMP_CLIENT_SECRET',
    text: 'Delete the developer app\'s credentials in Ramp (Company > Developer) and create new ones.',
    url: 'https://docs.ramp.com/developer-api/v1/authorization',
  }),
  simple({
    id: 'razorpay-key-id',
    title: 'Razorpay key id',
    provider: 'Razorpay',
    severity: 'medium',
    prefix: 'rzp_live_',
    alternatives: ['rzp_test_'],
    body: '[A-Za-z0-9]{14}',
    sample: (gen) => `rzp_live_${gen.chars(ALNUM, 14)}`,
    name: 'RAZORPAY_KEY_ID',
    text: 'The key id names a key pair: regenerate the pair under Account & Settings > API Keys if its secret may have leaked too.',
    url: 'https://dashboard.razorpay.com/app/website-app-settings/api-keys',
  }),
  simple({
    id: 'readme-api-key',
    title: 'ReadMe API key',
    provider: 'ReadMe',
    prefix: 'rdme_',
    body: '[a-z0-9]{70}',
    sample: (gen) => `rdme_${gen.chars(LOWER_DIGITS, 70)}`,
    name: 'README_API_KEY',
    text: 'Revoke the key under your project\'s API Keys in ReadMe.',
    url: 'https://docs.readme.com/main/docs/api-keys',
  }),
  simple({
    id: 'rootly-api-key',
    title: 'Rootly API key',
    provider: 'Rootly',
    prefix: 'rootly_',
    body: '[a-f0-9]{64}',
    sample: (gen) => `rootly_${gen.chars(HEX, 64)}`,
    name: 'ROOTLY_API_TOKEN',
    text: 'Revoke the key under Organization settings > API keys in Rootly.',
    url: 'https://rootly.com/account/api_keys',
  }),
  simple({
    id: 'settlemint-token',
    title: 'SettleMint access token',
    provider: 'SettleMint',
    prefix: 'sm_pat_',
    alternatives: ['sm_aat_', 'sm_sat_'],
    body: '[a-z0-9]{16}',
    sample: (gen) => `${gen.pick(['sm_pat_', 'sm_aat_', 'sm_sat_'])}${gen.chars(LOWER_DIGITS, 16)}`,
    name: 'SETTLEMINT_ACCESS_TOKEN',
    text: 'Delete the token in the SettleMint console (personal, application or service access tokens).',
    url: 'https://console.settlemint.com/',
  }),
  simple({
    id: 'spectralops-token',
    title: 'SpectralOps (Check Point) personal token',
    provider: 'SpectralOps',
    prefix: 'spu-',
    body: '[a-f0-9]{32}',
    sample: (gen) => `spu-${gen.chars(HEX, 32)}`,
    name: 'SPECTRAL_DSN',
    text: 'Revoke the token in the Spectral settings and create a new one.',
    url: 'https://spectralops.io/',
  }),
  simple({
    id: 'teamwork-api-token',
    title: 'Teamwork API token',
    provider: 'Teamwork',
    prefix: 'tkn.v1_',
    body: '[A-Za-z0-9+/_-]{60,80}={0,2}',
    sample: (gen) => `tkn.v1_${gen.chars(BASE64, 72)}=`,
    name: 'TEAMWORK_API_TOKEN',
    text: 'Revoke the token under your profile > API & Mobile in Teamwork.',
    url: 'https://support.teamwork.com/projects/using-teamwork/locating-your-api-key',
  }),
  simple({
    id: 'clickhouse-cloud-secret',
    title: 'ClickHouse Cloud API secret',
    provider: 'ClickHouse',
    prefix: '4b1d',
    body: '[A-Za-z0-9]{38}',
    gate: { chars: ALNUM, min: 38 },
    sample: (gen) => `4b1d${gen.chars(ALNUM, 38)}`,
    name: 'CLICKHOUSE_KEY_SECRET',
    text: 'Delete the API key under Organization > API Keys in ClickHouse Cloud and create a new one.',
    url: 'https://clickhouse.com/docs/cloud/manage/openapi',
  }),
  simple({
    id: 'besttime-private-key',
    title: 'BestTime private API key',
    provider: 'BestTime',
    prefix: 'pri_',
    body: '[a-f0-9]{32}',
    gate: { chars: HEX, min: 32 },
    sample: (gen) => `pri_${gen.chars(HEX, 32)}`,
    name: 'BESTTIME_API_KEY_PRIVATE',
    text: 'Regenerate the private key on the API keys page of your BestTime account.',
    url: 'https://besttime.app/api/v1/docs',
  }),
  simple({
    id: 'dfuse-api-key',
    title: 'dfuse API key',
    provider: 'dfuse',
    prefix: 'web_',
    alternatives: ['server_', 'mobile_'],
    body: '[a-z0-9]{32}',
    gate: { chars: LOWER_DIGITS, min: 32 },
    sample: (gen) => `web_${gen.chars(LOWER_DIGITS, 32)}`,
    name: 'DFUSE_API_KEY',
    text: 'Delete the key in the dfuse (StreamingFast) console and create a new one.',
    url: 'https://app.dfuse.io/',
  }),
  simple({
    id: 'fullstory-api-key',
    title: 'FullStory API key',
    provider: 'FullStory',
    prefix: 'na1.',
    alternatives: ['eu1.'],
    body: '[A-Za-z0-9+/]{100}={0,2}',
    gate: { chars: BASE64, min: 100 },
    sample: (gen) => `na1.${gen.chars(BASE64, 100)}`,
    name: 'FULLSTORY_API_KEY',
    text: 'Delete the key under Settings > Integrations > API keys in FullStory.',
    url: 'https://help.fullstory.com/hc/en-us/articles/360052021773-Managing-API-Keys',
  }),
  simple({
    id: 'photoroom-api-key',
    title: 'Photoroom API key',
    provider: 'Photoroom',
    prefix: 'sk_pr_',
    body: '[A-Za-z0-9]{1,30}_[a-f0-9]{40}',
    sample: (gen) => `sk_pr_${gen.chars(LOWER, 6)}_${gen.chars(HEX, 40)}`,
    name: 'PHOTOROOM_API_KEY',
    text: 'Delete the key on the API dashboard of your Photoroom account.',
    url: 'https://app.photoroom.com/api-dashboard',
  }),
  simple({
    id: 'portainer-access-token',
    title: 'Portainer access token',
    provider: 'Portainer',
    prefix: 'ptr_',
    // Standard base64 of 32 random bytes: 43 characters, the last of which carries two zero bits, and one `=`.
    body: '[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=',
    gate: { chars: `${ALNUM}+/=`, min: 44 },
    sample: (gen) => `ptr_${gen.chars(BASE64, 42)}${gen.pick([...'AEIMQUYcgkosw048'])}=`,
    name: 'PORTAINER_API_KEY',
    text: 'Remove the access token under My account > Access tokens in Portainer.',
    url: 'https://docs.portainer.io/api/access',
  }),
  simple({
    id: 'pubnub-publish-key',
    title: 'PubNub publish key',
    provider: 'PubNub',
    severity: 'medium',
    prefix: 'pub-c-',
    body: '[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}',
    sample: (gen) => `pub-c-${uuid(gen)}`,
    name: 'PUBNUB_PUBLISH_KEY',
    text: 'Anyone with the publish key can send messages: rotate the keyset in the PubNub Admin Portal and enable Access Manager.',
    url: 'https://admin.pubnub.com/',
  }),
  simple({
    id: 'pubnub-subscribe-key',
    title: 'PubNub subscribe key',
    provider: 'PubNub',
    severity: 'low',
    prefix: 'sub-c-',
    body: '[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}',
    sample: (gen) => `sub-c-${uuid(gen)}`,
    name: 'PUBNUB_SUBSCRIBE_KEY',
    text: 'Subscribe keys ship in clients; if channels carry private data, enable Access Manager and rotate the keyset.',
    url: 'https://admin.pubnub.com/',
  }),
  simple({
    id: 'robinhood-crypto-api-key',
    title: 'Robinhood Crypto API key',
    provider: 'Robinhood',
    prefix: 'rh-api-',
    body: UUID,
    sample: (gen) => `rh-api-${uuid(gen)}`,
    name: 'ROBINHOOD_API_KEY',
    text: 'Delete the API credential in Robinhood (Crypto trading API settings); its private key signs trades.',
    url: 'https://docs.robinhood.com/crypto/trading/',
  }),
  simple({
    id: 'salad-cloud-api-key',
    title: 'SaladCloud API key',
    provider: 'SaladCloud',
    prefix: 'salad_cloud_org_',
    alternatives: ['salad_cloud_user_'],
    body: '[A-Za-z0-9]{40,60}',
    sample: (gen) => `${gen.pick(['salad_cloud_org_', 'salad_cloud_user_'])}${gen.chars(ALNUM, 49)}`,
    name: 'SALAD_API_KEY',
    text: 'Regenerate the key on the API Access page of the SaladCloud portal.',
    url: 'https://portal.salad.com/api-key',
  }),
  named({
    id: 'lob-api-key',
    title: 'Lob API key',
    provider: 'Lob',
    // Not the bare word: `lob` is in every `global` and `blob`.
    words: ['lob_', 'lob.', 'lob-', 'lobapi'],
    names: ['lobtoken', 'lobkey', 'lobsecret'],
    value: '(?:live|test)_(?:pub_)?[a-f0-9]{31,35}',
    chars: LOWER_DIGITS,
    min: 4,
    sample: (gen) => `${gen.pick(['live', 'test'])}_${gen.chars(HEX, 35)}`,
    name: 'LOB_API_KEY',
    text: 'Rotate the key under Settings > API Keys in the Lob dashboard.',
    url: 'https://dashboard.lob.com/settings/api-keys',
  }),
  simple({
    id: 'ubidots-token',
    title: 'Ubidots token',
    provider: 'Ubidots',
    prefix: 'BBFF-',
    alternatives: ['BBUS-'],
    body: '[A-Za-z0-9]{30}',
    sample: (gen) => `BBFF-${gen.chars(ALNUM, 30)}`,
    name: 'UBIDOTS_TOKEN',
    text: 'Delete the token under API Credentials in Ubidots and create a new one.',
    url: 'https://docs.ubidots.com/reference/authentication',
  }),
  simple({
    id: 'voiceflow-api-key',
    title: 'Voiceflow API key',
    provider: 'Voiceflow',
    prefix: 'VF.DM.',
    alternatives: ['VF.WS.'],
    body: '[a-f0-9]{24}\\.[A-Za-z0-9]{16}',
    sample: (gen) => `VF.DM.${gen.chars(HEX, 24)}.${gen.chars(ALNUM, 16)}`,
    name: 'VOICEFLOW_API_KEY',
    text: 'Regenerate the Dialog Manager API key on the agent\'s Integration page in Voiceflow.',
    url: 'https://docs.voiceflow.com/reference/authentication',
  }),
  simple({
    id: 'trufflehog-enterprise-key',
    title: 'TruffleHog Enterprise API key',
    provider: 'TruffleHog',
    prefix: 'thog-key-',
    body: '[0-9a-f]{16}',
    sample: (gen) => `thog-key-${gen.chars(HEX, 16)}`,
    name: 'THOG_API_KEY',
    text: 'Delete the key in the TruffleHog Enterprise settings.',
    url: 'https://docs.trufflesecurity.com/',
  }),
  simple({
    id: 'adobe-client-secret',
    title: 'Adobe Developer client secret',
    provider: 'Adobe',
    prefix: 'p8e-',
    body: '[A-Za-z0-9_-]{32}',
    sample: (gen) => `p8e-${gen.chars(ALNUM, 32)}`,
    name: 'ADOBE_CLIENT_SECRET',
    text: 'Rotate the client secret of the project\'s credential in Adobe Developer Console.',
    url: 'https://developer.adobe.com/developer-console/docs/guides/authentication/',
  }),
  {
    id: 'age-secret-key',
    title: 'age secret key',
    provider: 'age',
    severity: 'high',
    keywords: ['age-secret-key-1'],
    pattern: /AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9_-])/,
    // Its bech32 checksum must hold: a made-up body never passes.
    validate: validAgeSecretKey,
    skipPlaceholderCheck: true,
    remediation: { text: 'Generate a new identity (age-keygen), re-encrypt what the old one could decrypt, and remove the old recipient.', url: 'https://github.com/FiloSottile/age#readme' },
    samples: {
      secret: ageSecretKey,
      name: 'AGE_SECRET_KEY',
      negatives: (gen) => {
        const key = ageSecretKey(gen);
        return [`${key.slice(0, -1)}${key.endsWith('Q') ? 'P' : 'Q'}`, `AGE-SECRET-KEY-1${'Q'.repeat(58)}`, 'SOPS_AGE_KEY=${{ secrets.SOPS_AGE_KEY }}'];
      },
    },
  },
  {
    id: 'maxmind-license-key',
    title: 'MaxMind license key',
    provider: 'MaxMind',
    severity: 'medium',
    keywords: ['_mmk'],
    pattern: /(?<![A-Za-z0-9_])[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk(?![A-Za-z0-9_-])/,
    lookback: 36,
    maxLength: 6,
    startRun: { chars: `${ALNUM}_`, min: 36, max: 36 },
    minEntropy: 3.5,
    remediation: { text: 'Deactivate the license key under Manage License Keys in your MaxMind account and create a new one.', url: 'https://www.maxmind.com/en/accounts/current/license-key' },
    samples: {
      secret: maxmindKey,
      name: 'MAXMIND_LICENSE_KEY',
      negatives: (gen) => [`${gen.chars(ALNUM, 20)}_mmk`, 'MAXMIND_LICENSE_KEY=xxxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxx_mmk', 'MAXMIND_LICENSE_KEY=${{ secrets.MAXMIND_LICENSE_KEY }}'],
    },
  },
  {
    id: 'sidekiq-license',
    title: 'Sidekiq Pro/Enterprise license credentials',
    provider: 'Sidekiq',
    severity: 'medium',
    // Bundler reads gem server credentials from BUNDLE_<HOST> variables: `user:password`.
    // (`BUNDLE_ENTERPRISE__CONTRIBSYS__COM`); the match starts at the host's name, in any case or with dots.
    keywords: ['contribsys'],
    valueRun: { chars: HEX, min: 8, within: 80 },
    pattern: /CONTRIBSYS[_.]{2}COM[\w.-]{0,40}?(?:\\["'`]|["'`\]]){0,3}[ \t]{0,4}(?:=>|:=|=|:)[ \t]{0,4}(?:\\["'`]|["'`]){0,2}(?<secret>[a-f0-9]{8}:[a-f0-9]{8})(?![A-Za-z0-9_-])/i,
    remediation: { text: 'Ask Contributed Systems to rotate the license credentials and update BUNDLE_* settings on every machine.', url: 'https://github.com/sidekiq/sidekiq/wiki/Commercial-FAQ' },
    samples: {
      secret: sidekiqCredential,
      name: 'BUNDLE_ENTERPRISE__CONTRIBSYS__COM',
      // The name is Bundler's environment variable; other syntaxes rename it.
      wrap: false,
      positives: (gen) => {
        const a = sidekiqCredential(gen);
        const b = sidekiqCredential(gen);
        return [
          { text: `export BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${a}\n`, secret: a },
          { text: `---\nBUNDLE_GEMS__CONTRIBSYS__COM: "${b}"\n`, secret: b },
        ];
      },
      negatives: (gen) => [`BUNDLE_GEMS__RUBYGEMS__ORG=${sidekiqCredential(gen)}`, 'BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${SIDEKIQ_CREDS}', 'BUNDLE_GEMS__CONTRIBSYS__COM=xxxxxxxx:xxxxxxxx'],
    },
  },
  ...(
    [
      ['messagebird-api-key', 'MessageBird API key', 'MessageBird', ['messagebird', 'message_bird', 'message-bird'], '[A-Za-z0-9_-]{25}', ALNUM, 25, (g: SampleGen) => g.chars(ALNUM, 25), 'MESSAGEBIRD_API_KEY', 'Delete the key under Developers > API access in the Bird (MessageBird) dashboard.', 'https://dashboard.messagebird.com/en/developers/access'],
      ['sumologic-access-key', 'Sumo Logic access ID or key', 'Sumo Logic', ['sumo'], 'su[A-Za-z0-9]{12}|[A-Za-z0-9]{64}', ALNUM, 14, (g: SampleGen) => g.pick([`su${g.chars(ALNUM, 12)}`, g.chars(ALNUM, 64)]), 'SUMO_ACCESS_KEY', 'Delete the access key under Administration > Security > Access Keys in Sumo Logic.', 'https://help.sumologic.com/docs/manage/security/access-keys/'],
      ['sendbird-api-token', 'Sendbird API token', 'Sendbird', ['sendbird'], '[a-f0-9]{40}', HEX, 40, (g: SampleGen) => g.chars(HEX, 40), 'SENDBIRD_API_TOKEN', 'Revoke the API token under Settings > Application > General in the Sendbird dashboard.', 'https://dashboard.sendbird.com/'],
      ['linkedin-client-secret', 'LinkedIn client secret', 'LinkedIn', ['linkedin'], '[A-Za-z0-9]{16}', ALNUM, 16, (g: SampleGen) => g.chars(ALNUM, 16), 'LINKEDIN_CLIENT_SECRET', 'Generate a new client secret on the app\'s Auth page in the LinkedIn developer portal.', 'https://www.linkedin.com/developers/apps'],
      ['looker-client-secret', 'Looker API client secret', 'Looker', ['looker'], '[A-Za-z0-9]{24}|[A-Za-z0-9]{20}', ALNUM, 20, (g: SampleGen) => g.chars(ALNUM, 24), 'LOOKER_CLIENT_SECRET', 'Delete the API key under Admin > Users > Edit keys in Looker and create a new one.', 'https://cloud.google.com/looker/docs/admin-panel-users-users#api_keys'],
      ['twitch-api-token', 'Twitch client secret or OAuth token', 'Twitch', ['twitch'], '[a-z0-9]{30}', LOWER_DIGITS, 30, (g: SampleGen) => g.chars(LOWER_DIGITS, 30), 'TWITCH_CLIENT_SECRET', 'Generate a new client secret in the Twitch developer console (or revoke the OAuth token).', 'https://dev.twitch.tv/console/apps'],
      ['algolia-api-key', 'Algolia admin or write API key', 'Algolia', ['algolia'], '[a-f0-9]{32}', HEX, 32, (g: SampleGen) => g.chars(HEX, 32), 'ALGOLIA_ADMIN_KEY', 'Regenerate the key under Settings > API Keys in Algolia (the admin key can be regenerated there too).', 'https://dashboard.algolia.com/account/api-keys'],
      ['intercom-access-token', 'Intercom access token', 'Intercom', ['intercom'], '[A-Za-z0-9=_-]{60}', BASE64URL, 60, (g: SampleGen) => g.chars(BASE64URL, 60), 'INTERCOM_ACCESS_TOKEN', 'Revoke the access token on the app\'s Authentication page in the Intercom Developer Hub.', 'https://app.intercom.com/a/apps/_/developer-hub'],
      ['launchdarkly-access-token', 'LaunchDarkly access token or SDK key', 'LaunchDarkly', ['launchdarkly', 'launch_darkly'], `(?:api|sdk)-${UUID}|[A-Za-z0-9=_-]{40}`, BASE64URL, 40, (g: SampleGen) => `${g.pick(['api', 'sdk'])}-${uuid(g)}`, 'LAUNCHDARKLY_ACCESS_TOKEN', 'Reset the token under Account settings > Authorization in LaunchDarkly (SDK keys under the environment).', 'https://app.launchdarkly.com/settings/authorization'],
      ['squarespace-api-key', 'Squarespace API key', 'Squarespace', ['squarespace'], UUID, `${HEX}ABCDEF-`, 36, (g: SampleGen) => uuid(g), 'SQUARESPACE_API_KEY', 'Revoke the key under Settings > Developer API keys in Squarespace.', 'https://support.squarespace.com/hc/en-us/articles/236297987-Squarespace-API-keys'],
      ['cisco-meraki-api-key', 'Cisco Meraki API key', 'Cisco Meraki', ['meraki'], '[a-f0-9]{40}', HEX, 40, (g: SampleGen) => g.chars(HEX, 40), 'MERAKI_DASHBOARD_API_KEY', 'Revoke the key under My profile > API access in the Meraki dashboard.', 'https://documentation.meraki.com/General_Administration/Other_Topics/Cisco_Meraki_Dashboard_API'],
      ['contentful-delivery-token', 'Contentful Delivery or Preview API token', 'Contentful', ['contentful'], '[A-Za-z0-9_=-]{43}', BASE64URL, 43, (g: SampleGen) => g.chars(BASE64URL, 43), 'CONTENTFUL_ACCESS_TOKEN', 'Regenerate the API key under Settings > API keys in Contentful.', 'https://www.contentful.com/developers/docs/references/authentication/'],
      ['drone-ci-token', 'Drone CI access token', 'Drone CI', ['drone'], '[A-Za-z0-9]{32}', ALNUM, 32, (g: SampleGen) => g.chars(ALNUM, 32), 'DRONE_TOKEN', 'Rotate the token from your Drone account page (the token is regenerated with your session).', 'https://docs.drone.io/cli/setup/'],
      ['fastly-api-token', 'Fastly API token', 'Fastly', ['fastly'], '[A-Za-z0-9_-]{32}', BASE64URL, 32, (g: SampleGen) => g.chars(BASE64URL, 32), 'FASTLY_API_TOKEN', 'Delete the token under Account > Personal API tokens in Fastly.', 'https://manage.fastly.com/account/personal/tokens'],
      ['kraken-api-key', 'Kraken API key or private key', 'Kraken', ['kraken'], '[A-Za-z0-9/=_+-]{80,90}|[A-Za-z0-9/+]{54}(?:[A-Za-z0-9/+]{2}|[A-Za-z0-9/+]=|==)', `${BASE64}=_-`, 56, (g: SampleGen) => g.chars(BASE64, 88), 'KRAKEN_PRIVATE_KEY', 'Delete the API key under Settings > API in Kraken; it may trade or withdraw funds.', 'https://www.kraken.com/u/security/api'],
      ['mattermost-access-token', 'Mattermost personal access token', 'Mattermost', ['mattermost'], '[a-z0-9]{26}', LOWER_DIGITS, 26, (g: SampleGen) => g.chars(LOWER_DIGITS, 26), 'MATTERMOST_TOKEN', 'Delete the token under Profile > Security > Personal access tokens in Mattermost.', 'https://docs.mattermost.com/developer/personal-access-tokens.html'],
      ['trello-api-token', 'Trello API key or token', 'Trello', ['trello'], '[A-Za-z0-9]{64}|[A-Za-z0-9]{32}', ALNUM, 32, (g: SampleGen) => g.chars(ALNUM, g.pick([32, 64])), 'TRELLO_TOKEN', 'Revoke the token under Settings > Applications in Trello (and regenerate the Power-Up\'s API key if needed).', 'https://trello.com/my/account'],
      ['zendesk-api-token', 'Zendesk API token', 'Zendesk', ['zendesk'], '[A-Za-z0-9]{40}', ALNUM, 40, (g: SampleGen) => g.chars(ALNUM, 40), 'ZENDESK_API_TOKEN', 'Delete the token under Admin Center > Apps and integrations > Zendesk API.', 'https://support.zendesk.com/hc/en-us/articles/4408889192858'],
      ['codecov-upload-token', 'Codecov token', 'Codecov', ['codecov'], `${UUID}|[A-Za-z0-9]{32}`, `${ALNUM}-`, 32, (g: SampleGen) => g.pick([uuid(g), g.chars(ALNUM, 32)]), 'CODECOV_TOKEN', 'Regenerate the token in the repository\'s (or organization\'s) Codecov settings.', 'https://docs.codecov.com/docs/codecov-tokens'],
      ['coinbase-api-secret', 'Coinbase API secret', 'Coinbase', ['coinbase'], '[A-Za-z0-9_-]{64}', BASE64URL, 64, (g: SampleGen) => g.chars(BASE64URL, 64), 'COINBASE_API_SECRET', 'Delete the API key in the Coinbase Developer Platform; it may move funds.', 'https://portal.cdp.coinbase.com/access/api'],
      ['rapidapi-key', 'RapidAPI key', 'RapidAPI', ['rapidapi', 'x-rapidapi-key'], '[A-Za-z0-9_-]{50}', BASE64URL, 50, (g: SampleGen) => g.chars(BASE64URL, 50), 'RAPIDAPI_KEY', 'Rotate the application key under Apps > Authorization in RapidAPI.', 'https://rapidapi.com/developer/apps'],
      ['etsy-api-key', 'Etsy API key', 'Etsy', ['etsy'], '[a-z0-9]{24}', LOWER_DIGITS, 24, (g: SampleGen) => g.chars(LOWER_DIGITS, 24), 'ETSY_API_KEY', 'Reset the keystring of the app under Your apps in the Etsy developer portal.', 'https://www.etsy.com/developers/your-apps'],
      ['kucoin-api-credentials', 'KuCoin API key or secret', 'KuCoin', ['kucoin'], `${UUID}|[a-f0-9]{24}`, `${HEX}-`, 24, (g: SampleGen) => g.pick([g.chars(HEX, 24), uuid(g)]), 'KUCOIN_API_SECRET', 'Delete the API key under API Management in KuCoin; it may trade or withdraw funds.', 'https://www.kucoin.com/account/api'],
      ['bittrex-api-credentials', 'Bittrex API key or secret', 'Bittrex', ['bittrex'], '[a-z0-9]{32}', LOWER_DIGITS, 32, (g: SampleGen) => g.chars(LOWER_DIGITS, 32), 'BITTREX_API_SECRET', 'Bittrex has closed; delete the key anyway and check that no other exchange reuses it.', 'https://bittrex.com/'],
      ['finicity-api-credentials', 'Finicity (Mastercard Open Banking) app key or secret', 'Finicity', ['finicity'], '[a-f0-9]{32}|[a-z0-9]{20}', LOWER_DIGITS, 20, (g: SampleGen) => g.pick([g.chars(HEX, 32), g.chars(LOWER_DIGITS, 20)]), 'FINICITY_APP_KEY', 'Rotate the partner secret and app key in the Mastercard Open Banking developer dashboard.', 'https://developer.mastercard.com/open-banking-us/documentation/'],
      ['finnhub-api-key', 'Finnhub API key', 'Finnhub', ['finnhub'], '[a-z0-9]{20}', LOWER_DIGITS, 20, (g: SampleGen) => g.chars(LOWER_DIGITS, 20), 'FINNHUB_API_KEY', 'Regenerate the key on your Finnhub dashboard.', 'https://finnhub.io/dashboard'],
      ['flickr-api-key', 'Flickr API key', 'Flickr', ['flickr'], '[a-z0-9]{32}', LOWER_DIGITS, 32, (g: SampleGen) => g.chars(LOWER_DIGITS, 32), 'FLICKR_API_KEY', 'Delete the key under App Garden > Your apps on Flickr and request a new one.', 'https://www.flickr.com/services/apps/by/me'],
      ['freshbooks-access-token', 'FreshBooks access token', 'FreshBooks', ['freshbooks'], '[a-z0-9]{64}', LOWER_DIGITS, 64, (g: SampleGen) => g.chars(LOWER_DIGITS, 64), 'FRESHBOOKS_ACCESS_TOKEN', 'Revoke the token (or reset the app secret) in the FreshBooks developer page.', 'https://my.freshbooks.com/#/developer'],
      ['nytimes-api-key', 'New York Times API key', 'NYTimes', ['nytimes', 'nyt_'], '[A-Za-z0-9_-]{32}', BASE64URL, 32, (g: SampleGen) => g.chars(ALNUM, 32), 'NYTIMES_API_KEY', 'Delete the key of the app on the NYT developer portal and create a new one.', 'https://developer.nytimes.com/my-apps'],
      ['beamer-api-key', 'Beamer API key', 'Beamer', ['beamer'], 'b_[a-z0-9=_-]{44}', LOWER_DIGITS, 1, (g: SampleGen) => `b_${g.chars(LOWER_DIGITS, 44)}`, 'BEAMER_API_KEY', 'Delete the key under Settings > API in Beamer and create a new one.', 'https://app.getbeamer.com/settings'],
      ['scrapingbee-api-key', 'ScrapingBee API key', 'Scrapingbee', ['scrapingbee'], '[A-Z0-9]{80}', UPPER + DIGITS, 80, (g: SampleGen) => g.chars(UPPER + DIGITS, 80), 'SCRAPINGBEE_API_KEY', 'Regenerate the key on the ScrapingBee dashboard.', 'https://app.scrapingbee.com/account/manage/api_key'],
      ['iconfinder-api-key', 'Iconfinder API key', 'Iconfinder', ['iconfinder'], '[A-Za-z0-9]{64}', ALNUM, 64, (g: SampleGen) => g.chars(ALNUM, 64), 'ICONFINDER_API_KEY', 'Regenerate the key of the application on your Iconfinder account page.', 'https://www.iconfinder.com/account/applications'],
      ['imagga-api-credentials', 'Imagga API credentials', 'Imagga', ['imagga'], '[A-Za-z0-9=]{70,80}', `${ALNUM}=`, 70, (g: SampleGen) => g.chars(ALNUM, 72), 'IMAGGA_API_SECRET', 'Regenerate the API secret in the Imagga dashboard.', 'https://imagga.com/profile/dashboard'],
      ['infura-api-key', 'Infura API key', 'Infura', ['infura'], '[a-z0-9]{32}', LOWER_DIGITS, 32, (g: SampleGen) => g.chars(LOWER_DIGITS, 32), 'INFURA_API_KEY', 'Delete the key in the MetaMask Developer (Infura) dashboard and create a new one.', 'https://developer.metamask.io/'],
      ['insightly-api-key', 'Insightly API key', 'Insightly', ['insightly'], `${UUID}|[a-z0-9]{36}`, `${LOWER_DIGITS}-`, 36, (g: SampleGen) => uuid(g), 'INSIGHTLY_API_KEY', 'Reset the key under User Settings > API in Insightly.', 'https://support.insight.ly/en-US/Knowledge/article/1463'],
      ['mixmax-api-token', 'Mixmax API token', 'Mixmax', ['mixmax'], '[A-Za-z0-9_-]{36}', BASE64URL, 36, (g: SampleGen) => g.chars(BASE64URL, 36), 'MIXMAX_API_TOKEN', 'Revoke the token under Settings > Integrations > API in Mixmax.', 'https://app.mixmax.com/dashboard/settings/integrations'],
      ['railway-api-token', 'Railway API token', 'Railway', ['railway'], UUID, `${HEX}ABCDEF-`, 36, (g: SampleGen) => uuid(g), 'RAILWAY_TOKEN', 'Delete the token under Account Settings > Tokens (or the project\'s tokens) in Railway.', 'https://railway.com/account/tokens'],
      ['storyblok-access-token', 'Storyblok access token', 'Storyblok', ['storyblok'], '[A-Za-z0-9]{24}', ALNUM, 24, (g: SampleGen) => g.chars(ALNUM, 24), 'STORYBLOK_TOKEN', 'Regenerate the token under Settings > Access Tokens of the space in Storyblok.', 'https://app.storyblok.com/#/me/account?tab=token'],
      ['gitter-access-token', 'Gitter access token', 'Gitter', ['gitter'], '[A-Za-z0-9_-]{40}', BASE64URL, 40, (g: SampleGen) => g.chars(BASE64URL, 40), 'GITTER_TOKEN', 'Revoke the token on the Gitter developer page; Gitter now runs on Matrix, so move the integration.', 'https://developer.gitter.im/apps'],
    ] as const
  ).map(([id, title, provider, words, value, chars, min, sample, name, text, url]) =>
    // Short values and hex ones carry less entropy per character.
    named({ id, title, provider, words: [...words], value, chars, min, minEntropy: min <= 16 || chars.length <= 17 ? 3 : 3.3, sample, name, text, url }),
  ),
];
