/**
 * GitHub's size limits on what the renderers produce. Counts of items per API request (annotations,
 * PR files) live in src/github/limits.ts; these are the sizes of text and SARIF documents.
 */

/** GitHub rejects an issue or pull request comment body longer than 65,536 characters. */
export const MAX_COMMENT_LENGTH = 65_536;

/** GitHub rejects a check run `output.summary` longer than 65,535 characters. */
export const MAX_CHECK_SUMMARY_LENGTH = 65_535;

/** The runner refuses to upload a step's job summary larger than 1 MiB (measured in bytes). */
export const MAX_JOB_SUMMARY_BYTES = 1024 * 1024;

/** Code scanning rejects a SARIF file with more than 20 runs. */
export const SARIF_MAX_RUNS = 20;

/** Code scanning rejects a SARIF run with more than 25,000 results. */
export const SARIF_MAX_RESULTS_PER_RUN = 25_000;

/** Of a run's results, code scanning keeps only the 5,000 most severe. */
export const SARIF_DISPLAYED_RESULTS_PER_RUN = 5_000;

/** Code scanning rejects a SARIF run with more than 25,000 rules. */
export const SARIF_MAX_RULES_PER_RUN = 25_000;

/** Code scanning rejects a rule with more than 20 tags, and shows only the first 10. */
export const SARIF_MAX_TAGS_PER_RULE = 20;

/** Code scanning rejects a SARIF upload larger than 10 MB once gzip-compressed. */
export const SARIF_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
