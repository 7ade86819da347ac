/**
 * GitHub's REST API limits the action works within. Text sizes (comment and check-run summary lengths)
 * belong to the renderers; these are counts of items per request or per listing.
 */

/** The pull request files listing stops at 3,000 files, however many the PR changes. */
export const MAX_PR_FILES = 3000;

/** The pull request commits listing stops at 250 commits. */
export const MAX_PR_COMMITS = 250;

/** A check run create or update call accepts at most 50 annotations; more take further update calls. */
export const ANNOTATIONS_PER_REQUEST = 50;

/** The largest page any listing endpoint serves. */
export const PER_PAGE = 100;

/** The single-commit and compare endpoints include at most 300 files per response. */
export const MAX_COMMIT_FILES = 300;

/** The compare endpoint lists at most 250 commits of the range. */
export const MAX_COMPARE_COMMITS = 250;

/**
 * The runner shows only the first 10 error and 10 warning workflow-command annotations of a step;
 * emitting more only lengthens the log.
 */
export const MAX_WORKFLOW_ANNOTATIONS_PER_LEVEL = 10;
