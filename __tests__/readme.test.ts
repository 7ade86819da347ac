import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedDoc, GENERATED } from '../scripts/readme-tables.js';

describe('generated tables', () => {
  it('put the inputs and outputs tables in the README and the rule table in docs/rules.md', () => {
    expect(GENERATED).toEqual({ 'README.md': ['inputs', 'outputs'], 'docs/rules.md': ['rules'] });
  });

  for (const file of Object.keys(GENERATED)) {
    it(`${file}: match action.yml and the rule catalogue`, () => {
      const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
      // On failure: node --import ./scripts/register-ts.mjs scripts/readme-tables.ts --write
      expect(text).toBe(expectedDoc(file, text));
    });
  }
});
