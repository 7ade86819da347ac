import { defineConfig } from 'vitest/config';

/**
 * Two projects, split by one rule. `unit` runs in the test process against the sources (git may be spawned
 * for a fixture repository): `npm test`, for fast feedback. `e2e` runs the action or the CLI as a child node
 * process, the way the runner or a user does (the built dist/, or the demo from sources), including the
 * fault matrices and load tests: `npm run test:all` runs both, and so does CI.
 */
export const E2E = [
  '__tests__/action/**',
  '__tests__/cli/**',
  '__tests__/faults/**',
  '__tests__/load/**',
  '__tests__/demo/**',
  '__tests__/fake-github/run-action.test.ts',
  '__tests__/property/redaction.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['__tests__/**/*.test.ts'], exclude: E2E } },
      { extends: true, test: { name: 'e2e', include: E2E.map((p) => (p.endsWith('/**') ? `${p}/*.test.ts` : p)) } },
    ],
  },
});
