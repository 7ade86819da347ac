import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { secretOf } from '../../src/scan/engine.js';
import { expectGolden, sampleReport, transportFinding } from './fixture.js';

describe('renderJson', () => {
  it('matches the golden file', () => {
    expectGolden('report.json', renderJson(sampleReport()));
  });

  it('has the documented top-level shape and finding fields', () => {
    const doc = JSON.parse(renderJson(sampleReport()));
    expect(Object.keys(doc)).toEqual(['version', 'findings', 'counts', 'stats', 'rotation']);
    expect(doc.version).toBe(1);
    expect(doc.findings).toHaveLength(6);
    for (const f of doc.findings) {
      for (const key of ['ruleId', 'category', 'title', 'severity', 'file', 'line', 'column', 'fingerprint', 'redacted', 'provider', 'endLine', 'length', 'source', 'remediation']) {
        expect(f, key).toHaveProperty(key);
      }
    }
    // The order of every format: most severe first, then by location (the transport fixture is low).
    expect(doc.findings.map((f: { file: string }) => f.file)).toEqual(['old/secrets.json', 'src/config.ts', 'deploy/.env', 'docs/setup guide.md', 'certs/server.pem', 'src/llm.ts']);
    expect(doc.stats).toEqual({ files: 14, bytes: 182_345, durationMs: 412 });
  });

  it('counts leaked keys apart from transport findings, and marks each finding with its category', () => {
    const doc = JSON.parse(renderJson(sampleReport()));
    expect(doc.counts).toEqual({ keys: 5, transport: 1 });
    expect(doc.findings.filter((f: { category: string }) => f.category === 'transport').map((f: { ruleId: string }) => f.ruleId)).toEqual(['insecure-api-base-url']);
    const onlyTransport = JSON.parse(renderJson({ ...sampleReport(), findings: [transportFinding({ file: 'a.py', line: 3 })] }));
    expect(onlyTransport.counts).toEqual({ keys: 0, transport: 1 });
  });

  it('omits rotation when there was no audit, and copies only known finding fields', () => {
    const report = sampleReport();
    delete report.rotation;
    (report.findings[0] as unknown as Record<string, unknown>)['debugSecret'] = 'must-not-appear';
    const text = renderJson(report);
    expect(JSON.parse(text)).not.toHaveProperty('rotation');
    expect(text).not.toContain('must-not-appear');
    // Hand-made findings have no secret attached; the renderer never asks for one.
    expect(report.findings.every((f) => secretOf(f) === undefined)).toBe(true);
  });
});
