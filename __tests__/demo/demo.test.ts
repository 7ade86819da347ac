import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../scripts/demo.js';

/** The Markdown the README's picture (docs/images/pr-comment.png) was rendered from, committed beside it. */
const PICTURED = new URL('../../docs/images/pr-comment.md', import.meta.url);

describe('npm run demo', () => {
  it('posts one comment and a failing check run for the planted keys, and prints none of them', async () => {
    const lines: string[] = [];
    const result = await runDemo((line) => lines.push(line));
    expect(result.exitCode).toBe(1);
    expect(result.outputs['findings']).toBe('8');
    expect(result.outputs['overdue-secrets']).toBe('1');
    expect(result.comment).toContain('<!-- key-hygiene:comment -->');
    expect(result.comment).toMatch(/Removed in a later commit but still in git history/);
    expect(result.checkRun).toMatchObject({ name: 'Key hygiene', conclusion: 'failure', annotations: 8 });
    const printed = lines.join('\n');
    expect(printed).toContain('The sticky pull request comment');
    for (const secret of result.planted) {
      expect(printed.includes(secret)).toBe(false);
      expect(result.comment.includes(secret)).toBe(false);
      expect(result.checkRun.summary.includes(secret)).toBe(false);
    }
  });

  it('posts the comment the README pictures (docs/images/pr-comment.md, rendered into pr-comment.png)', async () => {
    const { comment } = await runDemo();
    // On failure, regenerate both: npm run -s demo -- --quiet --out docs/images/pr-comment.md &&
    //   npm run -s screenshot -- docs/images/pr-comment.md docs/images/pr-comment.png   (needs Debian's chromium)
    expect(comment, 'the README picture is of an older comment: regenerate it (see this test)').toBe(readFileSync(PICTURED, 'utf8'));
  });
});
