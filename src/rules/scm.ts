import { crc32Of, encodeBase } from '../scan/checksum.js';
import type { Rule, SampleGen, Severity } from '../scan/types.js';
import { BASE64URL, HEX } from './alphabets.js';

/** Ruby's `Integer#to_s(36)` digits, which GitLab uses for the length field and the checksum. */
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A routable GitLab token (GitLab 17.x+, `Authn::TokenField::Generator::RoutableToken`) is
 * `<prefix><base64url payload>.<version, 2 base36>.<payload length, 2 base36><CRC32, 7 base36>`.
 * The payload is 16 random bytes, the routing fields (`o:<org>\nu:<user>`, ids in base36) and one byte
 * holding the routing fields' length. The CRC32 covers everything before it, prefix included.
 */
const ROUTABLE_BODY = String.raw`[A-Za-z0-9_-]{27,300}\.[0-9a-z]{2}\.[0-9a-z]{9}`;

/** CRC32 of the token head in base36, zero-padded to 7, as GitLab appends it. */
function routableCrc(head: string): string {
  return encodeBase(crc32Of(head), BASE36, 7);
}

/**
 * Checks a routable token's checksum and length field. A token whose checksum fails is dropped by the
 * engine: GitLab never issued it (a typo, a truncated paste or a made-up value). Legacy tokens (no dot)
 * carry no checksum and pass.
 */
export function validGitlabToken(token: string): boolean {
  const firstDot = token.indexOf('.');
  if (firstDot === -1) return true;
  const head = token.slice(0, -7);
  if (routableCrc(head) !== token.slice(-7)) return false;
  const lengthField = Number.parseInt(token.slice(-9, -7), 36);
  return lengthField > 0 && lengthField <= firstDot;
}

/** A routable token built the way GitLab builds one, with a valid checksum. */
function routableToken(prefix: string, gen: SampleGen): string {
  const routing = `o:${gen.int(1, 5000).toString(36)}\nu:${gen.int(1, 50_000_000).toString(36)}`;
  const raw = Buffer.concat([Buffer.from(gen.bytes(16)), Buffer.from(routing), Buffer.from([routing.length])]);
  const payload = raw.toString('base64url');
  const head = `${prefix}${payload}.01.${encodeBase(payload.length, BASE36, 2)}`;
  return head + routableCrc(head);
}

/** The same token with its last checksum digit changed. */
function brokenRoutable(prefix: string, gen: SampleGen): string {
  const token = routableToken(prefix, gen);
  return token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
}

interface GitlabSpec {
  id: string;
  title: string;
  prefix: string;
  severity: Severity;
  /** Pattern of the pre-routable body, which has no checksum. */
  legacy: string;
  legacySample(gen: SampleGen): string;
  /** Prefix of the routable form when it differs from `prefix` (runner tokens add a partition). */
  routablePrefix?(gen: SampleGen): string;
  /** The token type predates routable tokens and is never issued in that layout. */
  legacyOnly?: boolean;
  remediation: Rule['remediation'];
}

function gitlabRule(spec: GitlabSpec): Rule {
  const routablePrefix = spec.routablePrefix ?? (() => spec.prefix);
  const escaped = spec.prefix.replace(/[.-]/g, '\\$&');
  return {
    id: spec.id,
    title: spec.title,
    provider: 'GitLab',
    severity: spec.severity,
    keywords: [spec.prefix.toLowerCase()],
    // Every body form starts with 20 or more of these right after the prefix (legacy, `t1_` and hex ones too).
    valueRun: { chars: BASE64URL, min: 20, within: 0 },
    pattern: new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?:${spec.legacyOnly === true ? '' : `${ROUTABLE_BODY}|`}${spec.legacy})(?![A-Za-z0-9_-])`),
    minEntropy: 3,
    validate: validGitlabToken,
    remediation: spec.remediation,
    samples: {
      secret: (gen) => (spec.legacyOnly === true || gen.int(0, 1) === 0 ? spec.prefix + spec.legacySample(gen) : routableToken(routablePrefix(gen), gen)),
      positives: (gen) => {
        const legacy = spec.prefix + spec.legacySample(gen);
        const routable = routableToken(routablePrefix(gen), gen);
        const cases = [{ text: `token: ${legacy}\n`, secret: legacy }];
        if (spec.legacyOnly !== true) cases.push({ text: `curl -H "PRIVATE-TOKEN: ${routable}" https://gitlab.example.invalid/api/v4/user\n`, secret: routable });
        return cases;
      },
      negatives: (gen) => [
        brokenRoutable(routablePrefix(gen), gen),
        `${spec.prefix}${gen.chars(BASE64URL.replace(/[-_]/g, ''), 12)}`,
        `${spec.prefix}${'x'.repeat(20)}`,
        `${spec.prefix}<your-token>`,
        `GITLAB_TOKEN=${spec.prefix}\${{ secrets.GITLAB_TOKEN }}`,
      ],
    },
  };
}

/** Devise's friendly token: 20 URL-safe base64 characters, the body of every pre-routable GitLab token. */
const FRIENDLY = '[A-Za-z0-9_-]{20}';
const friendly = (gen: SampleGen): string => gen.chars(BASE64URL, 20);

const TOKENS_DOC = 'https://docs.gitlab.com/security/tokens/';

/** Lowercase letters and digits: the alphabet of GitLab's `Devise.friendly_token`-less random tokens. */
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const lowerAlnum = (n: number) => (gen: SampleGen): string => gen.chars(LOWER_ALNUM, n);

export const scmRules: Rule[] = [
  gitlabRule({
    id: 'gitlab-pat',
    title: 'GitLab personal, project or group access token',
    prefix: 'glpat-',
    severity: 'critical',
    legacy: FRIENDLY,
    legacySample: friendly,
    remediation: {
      text: 'Revoke the token under Access tokens (personal, project or group settings) and issue a narrower one.',
      url: 'https://gitlab.com/-/user_settings/personal_access_tokens',
    },
  }),
  gitlabRule({
    id: 'gitlab-runner-token',
    title: 'GitLab runner authentication token',
    prefix: 'glrt-',
    severity: 'high',
    // Since GitLab 17.x, runner tokens may carry a partition marker (`t1_` instance, `t2_` group, `t3_` project).
    legacy: `(?:t[1-3]_)?${FRIENDLY}`,
    legacySample: (gen) => (gen.int(0, 1) === 0 ? '' : `t${gen.int(1, 3)}_`) + friendly(gen),
    routablePrefix: (gen) => `glrt-t${gen.int(2, 3)}_`,
    remediation: {
      text: "Reset the runner's authentication token in the runner settings, then re-register the runner.",
      url: 'https://docs.gitlab.com/ci/runners/runners_scope/',
    },
  }),
  gitlabRule({
    id: 'gitlab-deploy-token',
    title: 'GitLab deploy token',
    prefix: 'gldt-',
    severity: 'high',
    legacy: FRIENDLY,
    legacySample: friendly,
    remediation: {
      text: 'Revoke the deploy token under Settings > Repository > Deploy tokens.',
      url: 'https://docs.gitlab.com/user/project/deploy_tokens/',
    },
  }),
  gitlabRule({
    id: 'gitlab-pipeline-trigger-token',
    title: 'GitLab pipeline trigger token',
    prefix: 'glptt-',
    severity: 'high',
    legacy: '[0-9a-f]{40}',
    legacySample: (gen) => gen.chars(HEX, 40),
    remediation: {
      text: 'Revoke the trigger under Settings > CI/CD > Pipeline trigger tokens and create a new one.',
      url: 'https://docs.gitlab.com/ci/triggers/',
    },
  }),
  gitlabRule({
    id: 'gitlab-feed-token',
    title: 'GitLab feed token',
    prefix: 'glft-',
    severity: 'medium',
    legacy: FRIENDLY,
    legacySample: friendly,
    remediation: {
      text: 'Reset the feed token on the Access tokens page; it exposes RSS and calendar feeds of private projects.',
      url: TOKENS_DOC,
    },
  }),
  gitlabRule({
    id: 'gitlab-cicd-job-token',
    title: 'GitLab CI/CD job token',
    prefix: 'glcbt-',
    severity: 'high',
    // The job's partition id (1 to 5 characters) comes before the random part.
    legacy: `[0-9a-zA-Z]{1,5}_${FRIENDLY}`,
    legacySample: (gen) => `${gen.int(1, 0xfffff).toString(16)}_${friendly(gen)}`,
    remediation: {
      text: 'Job tokens expire with the job; if a job still runs, cancel it, then review what the token could reach (CI/CD > Token access).',
      url: 'https://docs.gitlab.com/ci/jobs/ci_job_token/',
    },
  }),
  gitlabRule({
    id: 'gitlab-feature-flag-client-token',
    title: 'GitLab feature flags client token',
    prefix: 'glffct-',
    severity: 'low',
    legacy: FRIENDLY,
    legacySample: friendly,
    remediation: {
      text: 'Reset the instance ID under Deploy > Feature flags > Configure; it reads the flags of the project.',
      url: 'https://docs.gitlab.com/operations/feature_flags/',
    },
  }),
  gitlabRule({
    id: 'gitlab-incoming-mail-token',
    title: 'GitLab incoming email token',
    prefix: 'glimt-',
    severity: 'medium',
    legacy: '[0-9a-zA-Z_-]{25}',
    legacySample: lowerAlnum(25),
    remediation: {
      text: 'Reset the incoming email token on your Access tokens page; it lets anyone create issues and merge requests as you by email.',
      url: TOKENS_DOC,
    },
  }),
  gitlabRule({
    id: 'gitlab-agent-token',
    title: 'GitLab agent for Kubernetes token',
    prefix: 'glagent-',
    severity: 'critical',
    legacy: '[0-9a-zA-Z_-]{50}',
    legacySample: lowerAlnum(50),
    remediation: {
      text: "Revoke the agent's token (Operate > Kubernetes clusters > the agent > Access tokens) and register a new one.",
      url: 'https://docs.gitlab.com/user/clusters/agent/work_with_agent/#reset-the-agent-token',
    },
  }),
  gitlabRule({
    id: 'gitlab-oauth-app-secret',
    title: 'GitLab OAuth application secret',
    prefix: 'gloas-',
    severity: 'high',
    legacy: '[0-9a-zA-Z_-]{64}',
    legacySample: lowerAlnum(64),
    remediation: {
      text: 'Renew the secret of the OAuth application (Applications settings > Renew secret) and update its clients.',
      url: 'https://docs.gitlab.com/integration/oauth_provider/',
    },
  }),
  gitlabRule({
    id: 'gitlab-scim-token',
    title: 'GitLab SCIM OAuth token',
    prefix: 'glsoat-',
    severity: 'high',
    legacy: FRIENDLY,
    legacySample: friendly,
    remediation: {
      text: 'Reset the SCIM token in the group SAML SSO settings; it can provision and deprovision members.',
      url: 'https://docs.gitlab.com/user/group/saml_sso/scim_setup/',
    },
  }),
  gitlabRule({
    id: 'gitlab-runner-registration-token',
    title: 'GitLab runner registration token (deprecated)',
    // `GR1348941` is the fixed prefix GitLab 15.x gave registration tokens.
    prefix: 'GR1348941',
    severity: 'high',
    legacy: FRIENDLY,
    legacySample: friendly,
    legacyOnly: true,
    remediation: {
      text: 'Reset the registration token (CI/CD > Runners) and move to runner authentication tokens; registration tokens are deprecated.',
      url: 'https://docs.gitlab.com/ci/runners/new_creation_workflow/',
    },
  }),
];
