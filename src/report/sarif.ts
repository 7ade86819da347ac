import packageJson from '../../package.json' with { type: 'json' };
import type { Finding, FindingCategory, Rule, Severity } from '../scan/types.js';
import { SARIF_MAX_RESULTS_PER_RUN, SARIF_MAX_TAGS_PER_RULE } from './limits.js';
import type { Report } from './model.js';
import { ACTIVE_KEY_LINE, bySeverity } from './sort.js';

export const TOOL_NAME = 'key-hygiene';
/** Where code scanning's "tool" link points. */
export const TOOL_INFORMATION_URI = 'https://github.com/key-hygiene/key-hygiene';
/** The partialFingerprints key: code scanning matches alerts across runs by it. Versioned so a new scheme can coexist. */
export const FINGERPRINT_KEY = 'keyHygiene/v1';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The part of a rule SARIF describes; custom rules from the config have it too. */
export type SarifRuleInfo = Pick<Rule, 'id' | 'title' | 'provider' | 'severity' | 'remediation' | 'category'>;

export interface SarifOptions {
  /** `tool.driver.semanticVersion`; defaults to this package's version. */
  version?: string;
}

/**
 * Code scanning orders and filters alerts by `security-severity`: above 9.0 is critical, 7.0 to 8.9 high,
 * 4.0 to 6.9 medium, below 4.0 low. Mid-band values keep each severity clear of the band edges.
 */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

/** SARIF levels: a leaked live credential is an error; weaker signals are warnings and notes. */
const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };

/** A transport finding leaked nothing: a warning at most, whatever its rule's severity, so it never reads as a leak. */
function levelOf(rule: { severity: Severity; category?: FindingCategory | undefined }): 'error' | 'warning' | 'note' {
  const level = LEVEL[rule.severity];
  return rule.category === 'transport' && level === 'error' ? 'warning' : level;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri?: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
  properties: { 'security-severity': string; tags: string[]; precision: 'high' };
}

/**
 * A SARIF 2.1.0 log for github/codeql-action/upload-sarif: one run, every rule the engine ran (so rule
 * indexes are stable across runs), one result per finding. Messages carry only the redacted preview.
 * Locations are repository-relative under `%SRCROOT%`; findings only in git history say so in the message,
 * since code scanning shows them against a file where the key no longer is.
 */
export function renderSarif(report: Report, rules: readonly SarifRuleInfo[], options: SarifOptions = {}): string {
  const sarifRules: SarifRule[] = [];
  const indexOf = new Map<string, number>();
  const addRule = (rule: SarifRuleInfo): void => {
    if (indexOf.has(rule.id)) return;
    indexOf.set(rule.id, sarifRules.length);
    sarifRules.push(toSarifRule(rule));
  };
  for (const rule of rules) addRule(rule);
  // A finding from a rule the caller did not list (a custom rule) still needs a descriptor.
  for (const f of report.findings) addRule({ id: f.ruleId, title: f.title, provider: f.provider, severity: f.severity, remediation: f.remediation, category: f.category });

  const sorted = [...report.findings].sort(bySeverity);
  const kept = sorted.slice(0, SARIF_MAX_RESULTS_PER_RUN);
  const results = kept.map((f) => toResult(f, indexOf.get(f.ruleId) ?? 0));

  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: TOOL_NAME,
        informationUri: TOOL_INFORMATION_URI,
        semanticVersion: options.version ?? packageJson.version,
        rules: sarifRules,
      },
    },
    columnKind: 'utf16CodeUnits',
    results,
  };
  if (kept.length < sorted.length) {
    run['invocations'] = [
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'warning',
            message: {
              text: `${sorted.length - kept.length} less severe findings were left out: code scanning accepts at most ${SARIF_MAX_RESULTS_PER_RUN} results per run.`,
            },
          },
        ],
      },
    ];
  }
  return `${JSON.stringify({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] }, null, 2)}\n`;
}

function toSarifRule(rule: SarifRuleInfo): SarifRule {
  const { text, url } = rule.remediation;
  const link = isWebUrl(url) ? url : undefined;
  const transport = rule.category === 'transport';
  // A transport finding is no key: nothing to revoke, nothing left in history to rotate.
  const linkText = transport ? 'Why' : 'Revoke or rotate it';
  const afterword = transport
    ? 'No key leaked here: the finding is the unencrypted transport. Rotate the key only if requests were already sent this way.'
    : 'A key that reached a commit stays in git history: rotate it even after deleting it from the file.';
  const helpText = [
    `${rule.title} (${rule.provider}).`,
    text,
    link !== undefined ? `${linkText}: ${link}` : undefined,
    afterword,
    `False positive? Add "key-hygiene:allow" in a comment on the line, or add the alert's fingerprint to allow.fingerprints in .github/key-hygiene.yml.`,
  ].filter((s) => s !== undefined);
  const helpMarkdown = [
    `**${escapeMarkdownText(rule.title)}** (${escapeMarkdownText(rule.provider)})`,
    '',
    escapeMarkdownText(text) + (link !== undefined ? ` [${linkText}](${link}).` : ''),
    '',
    afterword,
    '',
    'False positive? Add `key-hygiene:allow` in a comment on the line, or add the fingerprint to `allow.fingerprints` in `.github/key-hygiene.yml`.',
  ].join('\n');
  const kinds = transport ? ['insecure-transport', 'cleartext-transmission'] : ['secret', 'credential'];
  const tags = ['security', ...kinds, slug(rule.provider)].filter((t) => t.length > 0).slice(0, SARIF_MAX_TAGS_PER_RULE);
  const out: SarifRule = {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: `${rule.title} (${rule.provider}). ${text}` },
    help: { text: helpText.join('\n'), markdown: helpMarkdown },
    defaultConfiguration: { level: levelOf(rule) },
    properties: { 'security-severity': SECURITY_SEVERITY[rule.severity], tags: [...new Set(tags)], precision: 'high' },
  };
  if (link !== undefined) out.helpUri = link;
  return out;
}

function toResult(f: Finding, ruleIndex: number): Record<string, unknown> {
  const region: Record<string, number> = { startLine: f.line, startColumn: f.column, endLine: f.endLine };
  if (f.endLine === f.line) region['endColumn'] = f.column + f.length;
  const notes = (f.notes ?? []).map((n) => `${n} `).join('');
  let message = `${f.title} found: ${f.redacted}. ${notes}${f.remediation.text}`;
  if (f.source === 'history') {
    const commit = f.commit !== undefined ? ` (added in commit ${f.commit.slice(0, 12)})` : '';
    message = `Removed in a later commit but still in git history${commit}: rotate it. ${message}`;
  } else if (f.source === 'variable') {
    message = `In a repository variable, which anyone with read access can see. ${message}`;
  }
  if (f.verification?.status === 'live') message = `${ACTIVE_KEY_LINE}: its provider still accepts it. ${message}`;
  else if (f.verification !== undefined) message += ` Live check: ${f.verification.status}${f.verification.reason !== undefined ? ` (${f.verification.reason})` : ''}.`;
  const properties: Record<string, string> = { provider: f.provider, source: f.source, category: f.category };
  if (f.commit !== undefined) properties['commit'] = f.commit;
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: levelOf(f),
    message: { text: message },
    locations: [{ physicalLocation: { artifactLocation: { uri: toUri(f.file), uriBaseId: '%SRCROOT%' }, region } }],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    properties,
  };
}

/** A relative URI reference: each path segment percent-encoded, so spaces, `#` and `?` stay part of the name. */
function toUri(path: string): string {
  return path.split('/').map((segment) => encodeURIComponent(segment)).join('/');
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p.length > 0)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function isWebUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>()]+$/.test(url);
}

/** Rule text comes from rule modules or the user's config; keep it from turning into markup in code scanning. */
function escapeMarkdownText(s: string): string {
  return s.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}
