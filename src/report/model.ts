import type { Finding } from '../scan/types.js';

/** Where a secret lives in GitHub. */
export type SecretScope = 'actions' | 'environment' | 'dependabot' | 'codespaces' | 'organization';

export type RotationStatus = 'overdue' | 'due-soon' | 'ok' | 'exempt';

export interface RotationEntry {
  scope: SecretScope;
  /** Environment name, for environment secrets. */
  environment?: string;
  /** Repository full name, in the org audit. */
  repository?: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** Whole days since `updatedAt`, in UTC. */
  ageDays: number;
  /** The date (YYYY-MM-DD, UTC) the secret is due for rotation; absent when exempt. */
  dueDate?: string;
  maxAgeDays?: number;
  status: RotationStatus;
  /** Why it is exempt, from the config. */
  reason?: string;
  /** Never updated since it was created. */
  neverRotated: boolean;
}

export interface RotationReport {
  /** `skipped`: no secrets-token; `partial`: some listings could not be read. */
  status: 'audited' | 'partial' | 'skipped';
  entries: RotationEntry[];
  /** One line each: which listing could not be read and which permission is missing. */
  problems: string[];
}

export interface ScanStats {
  files: number;
  bytes: number;
  durationMs: number;
  /** Files passed over, by reason. */
  skipped?: { binary?: number; ignored?: number; tooLarge?: number };
  /** GitHub API calls made, in the action. */
  apiCalls?: number;
  /** Findings silenced by a `key-hygiene:allow` marker that the change under review adds itself. */
  suppressedInChange?: number;
}

/** What was scanned: lets renderers link findings to the right commit. */
export interface ReportTarget {
  kind: 'pull_request' | 'push' | 'merge_group' | 'schedule' | 'local';
  serverUrl?: string;
  owner?: string;
  repo?: string;
  /** The commit file links point at (a PR's head). */
  headSha?: string;
  pullNumber?: number;
}

/** Everything one run found: every renderer (comment, check run, summary, SARIF, JSON, text) reads this. */
export interface Report {
  /** Findings, already redacted; `source: 'history'` ones were removed by a later commit. */
  findings: Finding[];
  stats: ScanStats;
  /** Plain sentences about coverage, e.g. files scanned whole because the API left out their patch. */
  notes: string[];
  rotation?: RotationReport;
  target: ReportTarget;
  /**
   * Findings silenced by a `key-hygiene:allow` marker that the change itself adds (redacted like the
   * rest): a change must not be able to approve its own keys, so reviewers see them and decide.
   */
  suppressedInChange?: Finding[];
}
