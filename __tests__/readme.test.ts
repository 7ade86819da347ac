import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedReadme } from '../scripts/readme-tables.js';

describe('README', () => {
  it('has inputs and outputs tables that match action.yml and a rule table that matches the catalogue', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    // On failure: node --import ./scripts/register-ts.mjs scripts/readme-tables.ts --write
    expect(readme).toBe(expectedReadme(readme));
  });
});
