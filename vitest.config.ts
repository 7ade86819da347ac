import { defineConfig } from 'vitest/config';

/**
 * Two projects. `slow` holds what runs the action or the CLI as a child node process, the way the runner or
 * a user does (the built dist/, or the demo from sources: the fault matrices and load tests among them), and
 * the property-based fuzzing suites under __tests__/property (thousands of generated cases each). `unit` is
 * everything else, in the test process against the sources (git may be spawned for a fixture repository).
 * `npm test` runs `unit`, for fast feedback; `npm run test:all` runs both, and so does CI.
 */
export const SLOW = [
  '__tests__/action/**',
  '__tests__/cli/**',
  '__tests__/faults/**',
  '__tests__/load/**',
  '__tests__/demo/**',
  '__tests__/fake-github/run-action.test.ts',
  '__tests__/property/**',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['__tests__/**/*.test.ts'], exclude: SLOW } },
      { extends: true, test: { name: 'slow', include: SLOW.map((p) => (p.endsWith('/**') ? `${p}/*.test.ts` : p)) } },
    ],
  },
});
