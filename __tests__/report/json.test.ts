import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { secretOf } from '../../src/scan/engine.js';
import { expectGolden, sampleReport } from './fixture.js';

describe('renderJson', () => {
  it('matches the golden file', () => {
    expectGolden('report.json', renderJson(sampleReport()));
  });

  it('has the documented top-level shape and finding fields', () => {
    const doc = JSON.parse(renderJson(sampleReport()));
    expect(Object.keys(doc)).toEqual(['version', 'findings', 'stats', 'rotation']);
    expect(doc.version).toBe(1);
    expect(doc.findings).toHaveLength(5);
    for (const f of doc.findings) {
      for (const key of ['ruleId', 'title', 'severity', 'file', 'line', 'column', 'fingerprint', 'redacted', 'provider', 'endLine', 'length', 'source', 'remediation']) {
        expect(f, key).toHaveProperty(key);
      }
    }
    // The order of every format: most severe first, then by location.
    expect(doc.findings.map((f: { file: string }) => f.file)).toEqual(['old/secrets.json', 'src/config.ts', 'deploy/.env', 'docs/setup guide.md', 'certs/server.pem']);
    expect(doc.stats).toEqual({ files: 14, bytes: 182_345, durationMs: 412 });
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
