import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ajvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/rules/index.js';
import { SARIF_MAX_RESULTS_PER_RUN, SARIF_MAX_TAGS_PER_RULE } from '../../src/report/limits.js';
import { FINGERPRINT_KEY, renderSarif, type SarifRuleInfo } from '../../src/report/sarif.js';
import { expectGolden, finding, sampleReport, transportFinding } from './fixture.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- walking a parsed JSON document */

const VERSION = { version: '0.0.0-test' };

/** Fixed rule descriptions, so the golden file does not change with the catalogue's wording. */
const RULES: SarifRuleInfo[] = [
  { id: 'github-pat', title: 'GitHub personal access token (classic)', provider: 'GitHub', severity: 'critical', remediation: { text: 'Revoke the token.', url: 'https://github.com/settings/tokens' } },
  { id: 'unused-rule', title: 'A rule with no findings', provider: 'Example Co', severity: 'low', remediation: { text: 'Rotate it.', url: 'not a url' } },
];

describe('renderSarif', () => {
  it('matches the golden file', () => {
    expectGolden('report.sarif', renderSarif(sampleReport(), RULES, VERSION));
  });

  it('has the shape code scanning accepts', () => {
    const sarif = JSON.parse(renderSarif(sampleReport(), BUILTIN_RULES));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('key-hygiene');
    expect(run.tool.driver.semanticVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
    const rules: any[] = run.tool.driver.rules;
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(rule.help.text).toContain(rule.helpUri ?? '');
      expect(rule.help.markdown.length).toBeGreaterThan(0);
      expect(rule.properties.tags).toContain('security');
      expect(rule.properties.tags.length).toBeLessThanOrEqual(SARIF_MAX_TAGS_PER_RULE);
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    }
    expect(run.results).toHaveLength(6);
    for (const result of run.results) {
      expect(rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(['error', 'warning', 'note']).toContain(result.level);
      const loc = result.locations[0].physicalLocation;
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(loc.artifactLocation.uri).not.toMatch(/^\//);
      expect(loc.region.startLine).toBeGreaterThan(0);
      expect(result.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('maps severities to code scanning bands', () => {
    const sarif = JSON.parse(renderSarif(sampleReport(), []));
    const byId = new Map<string, any>(sarif.runs[0].tool.driver.rules.map((r: any) => [r.id, r]));
    // Code scanning: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, below 4.0 low.
    expect(Number(byId.get('github-pat').properties['security-severity'])).toBeGreaterThan(9);
    const high = Number(byId.get('aws-secret-access-key').properties['security-severity']);
    expect(high >= 7 && high < 9).toBe(true);
    const medium = Number(byId.get('slack-webhook').properties['security-severity']);
    expect(medium >= 4 && medium < 7).toBe(true);
    expect(Number(byId.get('private-key').properties['security-severity'])).toBeLessThan(4);
  });

  it('describes rules that only appear in findings (custom rules)', () => {
    const sarif = JSON.parse(renderSarif(sampleReport(), []));
    expect(sarif.runs[0].tool.driver.rules.map((r: any) => r.id).sort()).toEqual(
      ['aws-secret-access-key', 'github-pat', 'insecure-api-base-url', 'private-key', 'slack-webhook'].sort(),
    );
  });

  it('reports a transport finding as a warning about transport, never as a leaked secret', () => {
    const report = sampleReport();
    // Even a transport rule marked high stays a warning: no key leaked.
    report.findings.push(transportFinding({ file: 'b.py', line: 1, ruleId: 'custom-transport', severity: 'high' }));
    const run = JSON.parse(renderSarif(report, BUILTIN_RULES)).runs[0];
    const transport = run.results.filter((r: any) => r.properties.category === 'transport');
    expect(transport.map((r: any) => [r.ruleId, r.level])).toEqual([
      ['custom-transport', 'warning'],
      ['insecure-api-base-url', 'warning'],
    ]);
    expect(run.results.filter((r: any) => r.properties.category === 'key')).toHaveLength(5);
    for (const id of ['insecure-api-base-url', 'custom-transport']) {
      const rule = run.tool.driver.rules.find((r: any) => r.id === id);
      expect(rule.defaultConfiguration.level).toBe('warning');
      expect(rule.properties.tags).toContain('insecure-transport');
      expect(rule.properties.tags).not.toContain('secret');
      expect(rule.help.text).toMatch(/No key leaked here/);
      expect(rule.help.text).not.toMatch(/stays in git history/);
    }
  });

  it('marks history-only findings and encodes paths as relative URIs', () => {
    const report = sampleReport();
    const sarif = JSON.parse(renderSarif(report, []));
    const results: any[] = sarif.runs[0].results;
    const history = results.find((r) => r.locations[0].physicalLocation.artifactLocation.uri === 'old/secrets.json');
    expect(history.message.text).toMatch(/^Removed in a later commit but still in git history/);
    const spaced = results.find((r) => r.ruleId === 'slack-webhook');
    expect(spaced.locations[0].physicalLocation.artifactLocation.uri).toBe('docs/setup%20guide.md');
    const current = results.find((r) => r.ruleId === 'github-pat' && r !== history);
    expect(current.message.text).not.toMatch(/history/);
  });

  describe('against the SARIF 2.1.0 schema (OASIS, as published with @microsoft/jest-sarif)', () => {
    const schemaPath = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    // The published schema is draft-04 and one of its patterns is only valid without the `u` flag.
    // Formats are not checked by ajv here; the test checks the URIs itself.
    const validate = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    const errors = (): string => JSON.stringify(validate.errors?.slice(0, 5));

    it('accepts what the action uploads: every rule, findings from history and the pull request, a cut-down run', () => {
      const many = Array.from({ length: SARIF_MAX_RESULTS_PER_RUN + 3 }, (_, i) => finding({ file: `src/f${i}.ts`, line: i + 1, severity: i % 2 === 0 ? 'high' : 'low' }));
      for (const report of [sampleReport(), { ...sampleReport(), findings: [] }, { ...sampleReport(), findings: many }]) {
        const sarif = JSON.parse(renderSarif(report, BUILTIN_RULES));
        expect(validate(sarif), errors()).toBe(true);
        const run = sarif.runs[0];
        for (const uri of [run.tool.driver.informationUri, ...run.tool.driver.rules.map((r: any) => r.helpUri)]) expect(() => new URL(uri)).not.toThrow();
      }
    });

    it('refuses a result without a message, so the check above can fail', () => {
      const sarif = JSON.parse(renderSarif(sampleReport(), BUILTIN_RULES));
      delete sarif.runs[0].results[0].message;
      expect(validate(sarif)).toBe(false);
    });
  });

  it(`keeps the ${SARIF_MAX_RESULTS_PER_RUN} most severe results and says how many were left out`, () => {
    const findings = Array.from({ length: SARIF_MAX_RESULTS_PER_RUN + 5 }, (_, i) =>
      finding({ file: `f${i}.txt`, line: 1, severity: i < 10 ? 'critical' : 'low' }),
    );
    const sarif = JSON.parse(renderSarif({ ...sampleReport(), findings }, []));
    const run = sarif.runs[0];
    expect(run.results).toHaveLength(SARIF_MAX_RESULTS_PER_RUN);
    expect(run.results.filter((r: any) => r.level === 'error')).toHaveLength(10);
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toMatch(/^5 less severe findings were left out/);
  });
});
